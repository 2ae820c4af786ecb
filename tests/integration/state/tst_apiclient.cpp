// SPDX-License-Identifier: MIT
// ApiClient against the embedded server in-process, and against a tiny HTTP server of the
// test's own for what the real one never does (odd answers, no answer, capturing requests).
#include "jwt.h"
#include "livedeskserver.h"
#include "rest/apiclient.h"
#include "restoutcome.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QUuid>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using Outcome = livedesk::test::RestOutcome;
using livedesk::test::await;
using livedesk::test::watch;
using namespace livedesk;

namespace {

const QString patients = u"/api/patients"_s;
const QByteArray secret = "tst_apiclient secret";

QString newTxnId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// A signed access token for the nurse, already expired.
QString expiredAccessToken()
{
    return server::Jwt::sign({{u"sub"_s, u"u-nurse"_s},
                              {u"email"_s, u"nurse@demo.local"_s},
                              {u"tenant"_s, u"ward-a"_s},
                              {u"role"_s, u"nurse"_s},
                              {u"typ"_s, u"access"_s}},
                             secret, 60, QDateTime::currentDateTimeUtc().addSecs(-3600));
}

// The server's way of reading a query component ('+' is a space).
QString decodeComponent(const QByteArray &encoded)
{
    QByteArray bytes = encoded;
    bytes.replace('+', ' ');
    return QUrl::fromPercentEncoding(bytes);
}

QList<std::pair<QString, QString>> decodeQuery(const QByteArray &query)
{
    QList<std::pair<QString, QString>> items;
    const QList<QByteArray> parts = query.split('&');
    for (const QByteArray &part : parts) {
        const auto eq = part.indexOf('=');
        items.append({decodeComponent(part.left(eq)), decodeComponent(part.mid(eq + 1))});
    }
    return items;
}

/*
 * A minimal HTTP/1.1 server: records every request and answers with what the handler
 * returns, or never answers when it returns nothing. One request per connection.
 */
class FakeHttpServer : public QObject
{
public:
    class Request
    {
    public:
        QByteArray method;
        QByteArray target;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;

        QByteArray header(const QByteArray &name) const
        {
            for (const auto &[key, value] : headers) {
                if (key.compare(name, Qt::CaseInsensitive) == 0)
                    return value;
            }
            return {};
        }
        QByteArray path() const
        {
            const auto mark = target.indexOf('?');
            return mark < 0 ? target : target.left(mark);
        }
        QByteArray query() const
        {
            const auto mark = target.indexOf('?');
            return mark < 0 ? QByteArray() : target.mid(mark + 1);
        }
    };

    class Response
    {
    public:
        int status = 200;
        QByteArray contentType = "application/json";
        QByteArray body;
    };

    using Handler = std::function<std::optional<Response>(const Request &)>;

    explicit FakeHttpServer(Handler handler)
        : m_handler(std::move(handler))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url(const QString &path = {}) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path));
    }

    QList<Request> requests;

    static Response envelope(const QJsonObject &o, int status = 200)
    {
        return {status, "application/json", QJsonDocument(o).toJson(QJsonDocument::Compact)};
    }
    static Response ok(const QJsonValue &data = QJsonObject{})
    {
        return envelope({{u"success"_s, true}, {u"data"_s, data}});
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const auto end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.method = first.value(0);
        request.target = first.value(1);
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const auto colon = line.indexOf(':');
            if (colon < 0)
                continue;
            request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            if (line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return;
        request.body = buffer.mid(end + 4, length);
        m_buffers.remove(socket);
        requests.append(request);
        const std::optional<Response> response = m_handler(request);
        if (!response)
            return; // keep the connection open and silent
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response->status) + " Whatever\r\n";
        if (!response->contentType.isEmpty())
            out += "Content-Type: " + response->contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(response->body.size()) + "\r\n";
        out += "Connection: close\r\n\r\n" + response->body;
        socket->write(out);
        socket->disconnectFromHost();
    }

    Handler m_handler;
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

class TestApiClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;
    QString m_refreshToken; // a valid one, from a real login

    std::unique_ptr<ApiClient> client()
    {
        auto c = std::make_unique<ApiClient>();
        c->setBaseUrl(m_server->baseUrl());
        return c;
    }

    std::unique_ptr<ApiClient> nurse()
    {
        auto c = client();
        const Outcome login = await(c->login(u"nurse@demo.local"_s, u"nurse"_s));
        if (!login.ok)
            qWarning() << "login failed:" << login.error.toString();
        return c;
    }

    QJsonObject createPatient(ApiClient *api, const QString &hn)
    {
        const Outcome r = await(
            api->create(patients, {{u"hn"_s, hn}, {u"name"_s, QString(u"Patient "_s + hn)}}));
        if (!r.ok)
            qWarning() << "create failed:" << r.error.toString();
        return r.object();
    }

    static QString idOf(const QJsonObject &record)
    {
        return QString::number(record.value(u"id").toInteger());
    }

private Q_SLOTS:
    void initTestCase()
    {
        server::LivedeskServer::Options options;
        options.jwtSecret = secret;
        m_server = std::make_unique<server::LivedeskServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        auto api = client();
        QVERIFY(await(api->login(u"nurse@demo.local"_s, u"nurse"_s)).ok);
        m_refreshToken = api->refreshToken();
        QVERIFY(!m_refreshToken.isEmpty());
    }

    void cleanupTestCase() { m_server.reset(); }

    // --- Unit level -------------------------------------------------------------------------

    void queryStringHasEveryPart()
    {
        RestQuery q;
        QCOMPARE(q.toUrlQuery().toString(QUrl::FullyEncoded), u"page=1&limit=100"_s);
        q.page = 3;
        q.limit = 20;
        q.sort = {{u"name"_s, Qt::AscendingOrder}, {u"hn"_s, Qt::DescendingOrder}};
        q.search = u"a+b c&d=50%"_s;
        q.fields = {u"hn"_s, u"name"_s};
        q.filters = {{u"ward"_s, u"ICU"_s}, {u"date_of_birth_min"_s, u"2000-01-01"_s}};
        const auto items = decodeQuery(q.toUrlQuery().toString(QUrl::FullyEncoded).toUtf8());
        const QList<std::pair<QString, QString>> expected{
            {u"page"_s, u"3"_s},
            {u"limit"_s, u"20"_s},
            {u"sort"_s, u"name:asc,hn:desc"_s},
            {u"search"_s, u"a+b c&d=50%"_s},
            {u"fields"_s, u"hn"_s},
            {u"fields"_s, u"name"_s},
            {u"ward"_s, u"ICU"_s},
            {u"date_of_birth_min"_s, u"2000-01-01"_s},
        };
        QCOMPARE(items, expected);
    }

    void errorHelpers()
    {
        RestError e;
        QVERIFY(e.isNull());
        QVERIFY(e.toString().isEmpty());
        e.code = u"VALIDATION_ERROR"_s;
        e.message = u"Validation failed (2 problems)"_s;
        e.httpStatus = 400;
        e.details = QJsonArray{
            QJsonObject{{u"field"_s, u"name"_s}, {u"message"_s, u"Name is required"_s}},
            QJsonObject{{u"field"_s, u"sex"_s}, {u"message"_s, u"Not a choice"_s}}};
        QVERIFY(!e.isNull());
        QVERIFY(!e.isNetworkError());
        QCOMPARE(e.fieldErrors().size(), 2);
        QVERIFY(e.currentRecord().isEmpty());
        QCOMPARE(e.toString(),
                 u"Validation failed (2 problems) (VALIDATION_ERROR): name: Name is required; "
                 "sex: Not a choice"_s);
        QVERIFY((RestError{u"TIMEOUT"_s, {}, 0, {}, {}}.isNetworkError()));
        QVERIFY((RestError{u"NETWORK_ERROR"_s, {}, 0, {}, {}}.isNetworkError()));
        QVERIFY(!(RestError{u"CANCELLED"_s, {}, 0, {}, {}}.isNetworkError()));
        const RestError conflict{u"VERSION_CONFLICT"_s, u"changed"_s, 409, QJsonArray{},
                                 QJsonObject{{u"version"_s, 4}}};
        QCOMPARE(conflict.currentRecord().value(u"version").toInt(), 4);
        QCOMPARE(conflict.toString(), u"changed (VERSION_CONFLICT)"_s);
    }

    void baseUrlPathIsAPrefix_data()
    {
        QTest::addColumn<QString>("basePath");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("none") << QString() << QByteArray("/api/x");
        QTest::newRow("root") << u"/"_s << QByteArray("/api/x");
        QTest::newRow("slash") << u"/his/"_s << QByteArray("/his/api/x");
        QTest::newRow("no slash") << u"/his"_s << QByteArray("/his/api/x");
        QTest::newRow("deeper") << u"/a/b/"_s << QByteArray("/a/b/api/x");
    }

    void baseUrlPathIsAPrefix()
    {
        QFETCH(QString, basePath);
        QFETCH(QByteArray, expected);
        FakeHttpServer fake([](const auto &) { return FakeHttpServer::ok(); });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url(basePath));
        QVERIFY(await(api.get(u"/api/x"_s)).ok);
        QVERIFY(await(api.fetch(u"/api/x"_s, u"a/b c"_s)).ok);
        QVERIFY(await(api.get(u"api/x?limit=1"_s)).ok);
        QCOMPARE(fake.requests.size(), 3);
        QCOMPARE(fake.requests[0].method, QByteArray("GET"));
        QCOMPARE(fake.requests[0].target, expected);
        QCOMPARE(fake.requests[1].target, expected + "/a%2Fb%20c");
        QCOMPARE(fake.requests[2].target, expected + "?limit=1");
    }

    void requestsCarryTheirHeaders()
    {
        FakeHttpServer fake([](const auto &) { return FakeHttpServer::ok(); });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url(u"/his/"_s));
        api.setTokens(u"tok-1"_s);

        RestQuery q;
        q.page = 2;
        q.limit = 5;
        q.sort = {{u"hn"_s, Qt::AscendingOrder}};
        q.search = u"a+b"_s;
        QVERIFY(await(api.list(patients, q)).ok);
        QVERIFY(
            await(api.update(patients, u"7"_s, {{u"ward"_s, u"ICU"_s}}, {u"txn-1"_s, qint64(3)}))
                .ok);
        QVERIFY(await(api.remove(patients, u"7"_s, {u"txn-2"_s, std::nullopt})).ok);
        QVERIFY(await(api.bulkDelete(patients, {u"1"_s, u"2"_s})).ok);
        QVERIFY(await(api.importValidate(patients, "hn,name\nX1,Y\n", u"ward \"a\".csv"_s)).ok);
        QCOMPARE(fake.requests.size(), 5);

        const auto &list = fake.requests[0];
        QCOMPARE(list.path(), QByteArray("/his/api/patients"));
        QCOMPARE(decodeQuery(list.query()),
                 (QList<std::pair<QString, QString>>{{u"page"_s, u"2"_s},
                                                     {u"limit"_s, u"5"_s},
                                                     {u"sort"_s, u"hn:asc"_s},
                                                     {u"search"_s, u"a+b"_s}}));
        QCOMPARE(list.header("Authorization"), QByteArray("Bearer tok-1"));
        QCOMPARE(list.header("Accept"), QByteArray("application/json"));
        QVERIFY(list.header("X-Client-Txn-Id").isEmpty());
        QVERIFY(list.header("If-Match").isEmpty());

        const auto &put = fake.requests[1];
        QCOMPARE(put.method, QByteArray("PUT"));
        QCOMPARE(put.target, QByteArray("/his/api/patients/7"));
        QCOMPARE(put.header("X-Client-Txn-Id"), QByteArray("txn-1"));
        QCOMPARE(put.header("If-Match"), QByteArray("\"3\""));
        QVERIFY(put.header("Content-Type").startsWith("application/json"));
        QCOMPARE(QJsonDocument::fromJson(put.body).object(), (QJsonObject{{u"ward"_s, u"ICU"_s}}));

        const auto &del = fake.requests[2];
        QCOMPARE(del.method, QByteArray("DELETE"));
        QCOMPARE(del.header("X-Client-Txn-Id"), QByteArray("txn-2"));
        QVERIFY(del.header("If-Match").isEmpty());

        const auto &bulk = fake.requests[3];
        QCOMPARE(bulk.method, QByteArray("DELETE"));
        QCOMPARE(bulk.target, QByteArray("/his/api/patients/bulk"));
        QCOMPARE(QJsonDocument::fromJson(bulk.body).object(),
                 (QJsonObject{{u"ids"_s, QJsonArray{u"1"_s, u"2"_s}}}));

        const auto &upload = fake.requests[4];
        QCOMPARE(upload.method, QByteArray("POST"));
        QCOMPARE(upload.target, QByteArray("/his/api/patients/import/validate"));
        QVERIFY(upload.header("Content-Type").startsWith("multipart/form-data; boundary="));
        QVERIFY(upload.body.contains("name=\"file\"; filename=\"ward _a_.csv\""));
        QVERIFY(upload.body.contains("Content-Type: text/csv"));
        QVERIFY(upload.body.contains("hn,name\nX1,Y\n"));
        QCOMPARE(upload.header("Authorization"), QByteArray("Bearer tok-1"));
    }

    void answersThatAreNotEnvelopes_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<QString>("messagePart");

        QTest::newRow("proxy text")
            << 502 << QByteArray("text/plain") << QByteArray("upstream is down") << u"HTTP_502"_s
            << 502 << u"upstream is down"_s;
        QTest::newRow("proxy html")
            << 503 << QByteArray("text/html") << QByteArray("<html><body>Busy</body></html>")
            << u"HTTP_503"_s << 503 << u"503"_s;
        QTest::newRow("framework json")
            << 404 << QByteArray("application/json")
            << QByteArray(R"({"message":"Route GET:/api/x not found","error":"Not Found",)"
                          R"("statusCode":404})")
            << u"HTTP_404"_s << 404 << u"Route GET:/api/x not found"_s;
        QTest::newRow("ok but html")
            << 200 << QByteArray("text/html") << QByteArray("<html></html>") << u"BAD_RESPONSE"_s
            << 200 << u"not JSON"_s;
        QTest::newRow("ok but bare json")
            << 200 << QByteArray("application/json") << QByteArray(R"({"status":"ok"})")
            << u"BAD_RESPONSE"_s << 200 << u"envelope"_s;
        QTest::newRow("broken json")
            << 200 << QByteArray("application/json") << QByteArray(R"({"success":tr)")
            << u"BAD_RESPONSE"_s << 200 << u"not JSON"_s;
        QTest::newRow("code over status")
            << 200 << QByteArray("application/json")
            << QByteArray(R"({"success":false,"error":{"code":"QUOTA_EXCEEDED",)"
                          R"("message":"Too many lists","statusCode":429}})")
            << u"QUOTA_EXCEEDED"_s << 200 << u"Too many lists"_s;
        QTest::newRow("envelope error")
            << 500 << QByteArray("application/json")
            << QByteArray(R"({"success":false,"error":{"code":"INTERNAL_ERROR",)"
                          R"("message":"Database is locked","statusCode":500}})")
            << u"INTERNAL_ERROR"_s << 500 << u"Database is locked"_s;
        QTest::newRow("envelope without code")
            << 403 << QByteArray("application/json")
            << QByteArray(R"({"success":false,"message":"Not yours"})") << u"HTTP_403"_s << 403
            << u"Not yours"_s;
    }

    void answersThatAreNotEnvelopes()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        FakeHttpServer fake([&](const auto &) {
            return FakeHttpServer::Response{status, contentType, body};
        });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url());
        QSignalSpy authFailed(&api, &ApiClient::authenticationFailed);
        const Outcome r = await(api.get(u"/api/x"_s));
        QVERIFY(r.finished);
        QVERIFY(!r.ok);
        QTEST(r.error.code, "code");
        QTEST(r.error.httpStatus, "httpStatus");
        QTEST(r.httpStatus, "httpStatus");
        QFETCH(QString, messagePart);
        QVERIFY2(r.error.message.contains(messagePart), qPrintable(r.error.message));
        QVERIFY(!r.error.isNetworkError());
        QCOMPARE(authFailed.count(), 0);
    }

    void listAnswersKeepTheirRecordsAsText_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("kept");
        QTest::addColumn<bool>("ok");
        QTest::newRow("page") << QByteArray(
            R"({"message":"ok","success":true,"data":[{"id":1,"name":"มาลี"},{"id":2}],)"
            R"("pagination":{"page":1,"total":2,"hasNext":false},"meta":{"took":3}})")
                              << true << true;
        QTest::newRow("empty page")
            << QByteArray(R"({"success":true,"data":[],"pagination":{"total":0}})") << true << true;
        QTest::newRow("data not a list")
            << QByteArray(R"({"success":true,"data":{"items":[]}})") << false << true;
        QTest::newRow("refused") << QByteArray(R"({"success":false,"data":[],"error":{"code":"X",)"
                                               R"("message":"no"}})")
                                 << false << false;
        QTest::newRow("no success") << QByteArray(R"({"data":[{"id":1}]})") << false << false;
        QTest::newRow("trailing text")
            << QByteArray(R"({"success":true,"data":[{"id":1}]} x)") << false << false;
        QTest::newRow("pagination not an object")
            << QByteArray(R"({"success":true,"data":[{"id":1}],"pagination":3})") << false << true;
    }

    void listAnswersKeepTheirRecordsAsText()
    {
        // A list's records stay text for a reader that takes them apart itself; what every
        // other caller reads is the same as the Qt way gives it.
        QFETCH(QByteArray, body);
        QFETCH(bool, kept);
        QFETCH(bool, ok);
        FakeHttpServer fake([&](const auto &) {
            return FakeHttpServer::Response{200, "application/json", body};
        });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url());
        const Outcome r = await(api.listAsText(u"/api/x"_s, {}));
        QVERIFY(r.finished);
        QCOMPARE(r.ok, ok);
        QCOMPARE(!r.dataText.isEmpty(), kept);
        // The plain list() never keeps it.
        const Outcome plain = await(api.list(u"/api/x"_s, {}));
        QVERIFY(plain.dataText.isEmpty());
        QCOMPARE(plain.data, r.data);
        if (!ok)
            return;
        const QJsonObject envelope = QJsonDocument::fromJson(body).object();
        QCOMPARE(r.data, envelope.value(u"data"));
        QCOMPARE(r.pagination, envelope.value(u"pagination").toObject());
        QCOMPARE(r.meta, envelope.value(u"meta").toObject());
        QCOMPARE(r.message, envelope.value(u"message").toString());
        if (kept)
            QCOMPARE(QJsonDocument::fromJson(r.dataText).array(),
                     envelope.value(u"data").toArray());
    }

    void listTextThatIsNotJsonIsNotAnEmptyPage()
    {
        // simdjson checks a kept list only as far as its brackets: a value Qt refuses inside
        // (NaN, as some servers write) leaves data() undefined, never an empty array.
        FakeHttpServer fake([&](const auto &) {
            return FakeHttpServer::Response{200, "application/json",
                                            R"({"success":true,"data":[{"id":1,"v":NaN}]})"};
        });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url());
        const Outcome r = await(api.listAsText(u"/api/x"_s, {}));
        QVERIFY(r.ok);
        QVERIFY(!r.dataText.isEmpty());
        QVERIFY(r.data.isUndefined());
    }

    void emptyAndRawSuccessBodies()
    {
        FakeHttpServer fake([](const FakeHttpServer::Request &request) {
            if (request.path().endsWith("/import/template"))
                return FakeHttpServer::Response{200, "text/csv", "hn,name\nHN1,Someone\n"};
            return FakeHttpServer::Response{204, {}, {}};
        });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url());
        const Outcome empty = await(api.remove(patients, u"1"_s));
        QVERIFY2(empty.ok, qPrintable(empty.error.toString()));
        QCOMPARE(empty.httpStatus, 204);
        QVERIFY(empty.data.isUndefined() || empty.data.isNull());
        const Outcome csv = await(api.importTemplate(patients));
        QVERIFY(csv.ok);
        QCOMPARE(csv.rawBody, QByteArray("hn,name\nHN1,Someone\n"));
        QCOMPARE(fake.requests.at(1).target,
                 QByteArray("/api/patients/import/template?format=csv"));
    }

    void timeoutWhenTheServerNeverAnswers()
    {
        FakeHttpServer silent([](const auto &) { return std::nullopt; });
        QVERIFY(silent.listen());
        ApiClient api;
        api.setBaseUrl(silent.url());
        api.setTimeoutMs(300);
        const Outcome r = await(api.get(u"/api/health"_s));
        QVERIFY(r.finished);
        QCOMPARE(r.error.code, u"TIMEOUT"_s);
        QCOMPARE(r.error.httpStatus, 0);
        QVERIFY(r.error.isNetworkError());
        QVERIFY(r.error.message.contains(u"GET /api/health"_s));
        QCOMPARE(silent.requests.size(), 1);
        QCOMPARE(api.pendingCount(), 0);
    }

    void networkErrorOnAClosedPort()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        ApiClient api;
        api.setBaseUrl(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
        const Outcome r = await(api.list(patients, {}));
        QVERIFY(r.finished);
        QCOMPARE(r.error.code, u"NETWORK_ERROR"_s);
        QCOMPARE(r.httpStatus, 0);
        QVERIFY(r.error.isNetworkError());
        QVERIFY(!r.error.message.isEmpty());
    }

    void noBaseUrlFailsFromTheEventLoop()
    {
        ApiClient api;
        RestReply *reply = api.get(u"/api/health"_s);
        QVERIFY(!reply->isFinished());
        QCOMPARE(api.pendingCount(), 1);
        bool finished = false;
        RestError error;
        connect(reply, &RestReply::finished, this, [&] {
            finished = true;
            error = reply->error();
        });
        QTRY_VERIFY_WITH_TIMEOUT(finished, 20000);
        QCOMPARE(error.code, u"NETWORK_ERROR"_s);
        QCOMPARE(api.pendingCount(), 0);
    }

    void finishedNeverComesSynchronously()
    {
        auto api = nurse();
        RestReply *reply = api->get(u"/api/health"_s);
        QPointer<RestReply> guard(reply);
        QVERIFY(!reply->isFinished());
        QVERIFY(!reply->ok());
        int finished = 0;
        bool wasOk = false;
        connect(reply, &RestReply::finished, this, [&] {
            ++finished;
            wasOk = reply->ok() && reply->isFinished();
        });
        QTRY_COMPARE_WITH_TIMEOUT(finished, 1, 20000);
        QVERIFY(wasOk);
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 20000); // deleteLater
        QCOMPARE(finished, 1);
    }

    void abortEndsWithCancelledOnce()
    {
        FakeHttpServer silent([](const auto &) { return std::nullopt; });
        QVERIFY(silent.listen());
        ApiClient api;
        api.setBaseUrl(silent.url());
        RestReply *reply = api.get(u"/api/slow"_s);
        QPointer<RestReply> guard(reply);
        QSignalSpy finished(reply, &RestReply::finished);
        const auto out = watch(reply);
        QTRY_COMPARE_WITH_TIMEOUT(silent.requests.size(), 1, 20000);
        reply->abort();
        QCOMPARE(finished.count(), 0); // not from inside abort()
        reply->abort();
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 20000);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(out->error.code, u"CANCELLED"_s);
        QCOMPARE(out->httpStatus, 0);
        QVERIFY(!out->error.isNetworkError());
        QCOMPARE(api.pendingCount(), 0);

        // Aborted before anything went out, in the same turn that created it.
        RestReply *early = api.get(u"/api/slow"_s);
        QSignalSpy earlyFinished(early, &RestReply::finished);
        const auto earlyOut = watch(early);
        early->abort();
        QCOMPARE(earlyFinished.count(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(earlyFinished.count(), 1, 20000);
        QCOMPARE(earlyOut->error.code, u"CANCELLED"_s);
    }

    void deletingAReplyForgetsTheCall()
    {
        FakeHttpServer silent([](const auto &) { return std::nullopt; });
        QVERIFY(silent.listen());
        ApiClient api;
        api.setBaseUrl(silent.url());
        RestReply *reply = api.get(u"/api/slow"_s);
        QCOMPARE(api.pendingCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(silent.requests.size(), 1, 20000);
        delete reply;
        QCOMPARE(api.pendingCount(), 0);
    }

    void retriesOnlyOnce()
    {
        // Refresh works, but the server keeps refusing the new token too.
        FakeHttpServer fake([](const FakeHttpServer::Request &request) {
            if (request.path() == "/api/auth/refresh") {
                return FakeHttpServer::ok(QJsonObject{{u"accessToken"_s, u"new"_s},
                                                      {u"refreshToken"_s, u"r2"_s},
                                                      {u"expiresIn"_s, 900}});
            }
            return FakeHttpServer::envelope({{u"success"_s, false},
                                             {u"error"_s,
                                              QJsonObject{{u"code"_s, u"UNAUTHORIZED"_s},
                                                          {u"message"_s, u"No."_s},
                                                          {u"statusCode"_s, 401}}}},
                                            401);
        });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url());
        api.setTokens(u"old"_s, u"r1"_s);
        QSignalSpy tokens(&api, &ApiClient::tokensChanged);
        QSignalSpy authFailed(&api, &ApiClient::authenticationFailed);
        const Outcome r = await(api.get(u"/api/x"_s));
        QCOMPARE(r.error.code, u"UNAUTHORIZED"_s);
        QCOMPARE(r.httpStatus, 401);
        QCOMPARE(fake.requests.size(), 3);
        QCOMPARE(fake.requests[0].header("Authorization"), QByteArray("Bearer old"));
        QCOMPARE(fake.requests[1].target, QByteArray("/api/auth/refresh"));
        QVERIFY(fake.requests[1].header("Authorization").isEmpty());
        QCOMPARE(QJsonDocument::fromJson(fake.requests[1].body).object(),
                 (QJsonObject{{u"refreshToken"_s, u"r1"_s}}));
        QCOMPARE(fake.requests[2].header("Authorization"), QByteArray("Bearer new"));
        QCOMPARE(tokens.count(), 1);
        QCOMPARE(api.accessToken(), u"new"_s);
        QCOMPARE(api.refreshToken(), u"r2"_s);
        QCOMPARE(authFailed.count(), 1);
    }

    // --- Against livedesk-server ------------------------------------------------------------

    void loginStoresTokensAndUser()
    {
        auto api = client();
        QSignalSpy tokens(api.get(), &ApiClient::tokensChanged);
        bool tokensInSlot = false;
        RestReply *reply = api->login(u"nurse@demo.local"_s, u"nurse"_s);
        connect(reply, &RestReply::finished, this,
                [&] { tokensInSlot = !api->accessToken().isEmpty(); });
        const Outcome r = await(reply);
        QVERIFY2(r.ok, qPrintable(r.error.toString()));
        QCOMPARE(r.httpStatus, 200);
        QVERIFY(tokensInSlot);
        QCOMPARE(tokens.count(), 1);
        QCOMPARE(api->accessToken(), r.object().value(u"accessToken").toString());
        QCOMPARE(api->refreshToken(), r.object().value(u"refreshToken").toString());
        QVERIFY(!api->accessToken().isEmpty());
        QVERIFY(!api->refreshToken().isEmpty());
        QCOMPARE(api->user().value(u"email").toString(), u"nurse@demo.local"_s);
        QCOMPARE(api->user().value(u"tenant").toString(), u"ward-a"_s);
        QCOMPARE(r.message, u"Login successful"_s);

        const Outcome me = await(api->get(u"/api/auth/me"_s));
        QVERIFY(me.ok);
        QCOMPARE(me.object().value(u"id").toString(), u"u-nurse"_s);
    }

    void wrongPasswordIsRefused()
    {
        auto api = client();
        QSignalSpy tokens(api.get(), &ApiClient::tokensChanged);
        QSignalSpy authFailed(api.get(), &ApiClient::authenticationFailed);
        const Outcome r = await(api->login(u"nurse@demo.local"_s, u"wrong"_s));
        QVERIFY(r.finished);
        QVERIFY(!r.ok);
        QCOMPARE(r.error.code, u"INVALID_CREDENTIALS"_s); // the server's code, as sent
        QCOMPARE(r.error.httpStatus, 401);
        QVERIFY(!r.error.message.isEmpty());
        QVERIFY(api->accessToken().isEmpty());
        QCOMPARE(tokens.count(), 0);
        QCOMPARE(authFailed.count(), 0); // a refused sign-in is not a lost session

        const Outcome missing = await(api->login({}, {}));
        QCOMPARE(missing.error.code, u"VALIDATION_ERROR"_s);
        QCOMPARE(missing.error.fieldErrors().size(), 2);

        const Outcome anonymous = await(api->list(patients, {}));
        QCOMPARE(anonymous.error.code, u"UNAUTHORIZED"_s);
        QCOMPARE(anonymous.httpStatus, 401);
        QCOMPARE(authFailed.count(), 1);
    }

    void listPagesSortsSearchesFilters()
    {
        auto api = nurse();
        RestQuery q;
        q.page = 2;
        q.limit = 5;
        q.sort = {{u"hn"_s, Qt::AscendingOrder}};
        const Outcome page = await(api->list(patients, q));
        QVERIFY2(page.ok, qPrintable(page.error.toString()));
        const QJsonArray rows = page.array();
        QCOMPARE(rows.size(), 5);
        for (qsizetype i = 1; i < rows.size(); ++i)
            QVERIFY(rows.at(i - 1).toObject().value(u"hn").toString()
                    < rows.at(i).toObject().value(u"hn").toString());
        const QJsonObject p = page.pagination;
        QCOMPARE(p.value(u"page").toInt(), 2);
        QCOMPARE(p.value(u"limit").toInt(), 5);
        QVERIFY(p.value(u"total").toInt() >= 300);
        QCOMPARE(p.value(u"totalPages").toInt(), (p.value(u"total").toInt() + 4) / 5);
        QCOMPARE(p.value(u"hasNext").toBool(), true);
        QCOMPARE(p.value(u"hasPrev").toBool(), true);

        q.page = 1;
        q.sort = {{u"hn"_s, Qt::DescendingOrder}};
        const Outcome desc = await(api->list(patients, q));
        QVERIFY(desc.ok);
        QCOMPARE(desc.pagination.value(u"hasPrev").toBool(), false);
        QVERIFY(desc.array().at(0).toObject().value(u"hn").toString()
                > rows.at(0).toObject().value(u"hn").toString());

        RestQuery search;
        search.search = rows.at(0).toObject().value(u"hn").toString();
        const Outcome found = await(api->list(patients, search));
        QVERIFY(found.ok);
        QVERIFY(!found.array().isEmpty());
        QCOMPARE(found.array().at(0).toObject().value(u"hn"), rows.at(0).toObject().value(u"hn"));

        RestQuery slim;
        slim.limit = 3;
        slim.fields = {u"hn"_s, u"name"_s};
        const Outcome fields = await(api->list(patients, slim));
        QVERIFY(fields.ok);
        const QJsonObject first = fields.array().at(0).toObject();
        QVERIFY(first.contains(u"hn") && first.contains(u"name") && first.contains(u"id"));
        QVERIFY(!first.contains(u"ward"));

        RestQuery filtered;
        filtered.limit = 1000;
        filtered.filters = {{u"ward"_s, u"ICU"_s}, {u"date_of_birth_min"_s, u"1990-01-01"_s}};
        const Outcome icu = await(api->list(patients, filtered));
        QVERIFY2(icu.ok, qPrintable(icu.error.toString()));
        QVERIFY(!icu.array().isEmpty());
        for (const QJsonValue &row : icu.array()) {
            QCOMPARE(row.toObject().value(u"ward").toString(), u"ICU"_s);
            QVERIFY(row.toObject().value(u"date_of_birth").toString() >= u"1990-01-01"_s);
        }

        RestQuery bad;
        bad.sort = {{u"nonsense"_s, Qt::AscendingOrder}};
        const Outcome refused = await(api->list(patients, bad));
        QCOMPARE(refused.error.code, u"VALIDATION_ERROR"_s);
        QCOMPARE(refused.error.httpStatus, 400);
        QVERIFY(!refused.error.fieldErrors().isEmpty());
    }

    void fetchOne()
    {
        auto api = nurse();
        const QJsonObject created = createPatient(api.get(), u"APIC-F1"_s);
        const Outcome r = await(api->fetch(patients, idOf(created)));
        QVERIFY2(r.ok, qPrintable(r.error.toString()));
        QCOMPARE(r.object().value(u"hn").toString(), u"APIC-F1"_s);
        QCOMPARE(r.etag, QByteArray("\"1\""));
        QCOMPARE(r.description, u"GET /api/patients/"_s + idOf(created));

        const Outcome missing = await(api->fetch(patients, u"99999999"_s));
        QCOMPARE(missing.error.code, u"NOT_FOUND"_s);
        QCOMPARE(missing.httpStatus, 404);
    }

    void createWithTxnId()
    {
        auto api = nurse();
        const Outcome r = await(api->create(patients,
                                            {{u"hn"_s, u"APIC-C1"_s},
                                             {u"name"_s, u"Created Patient"_s},
                                             {u"sex"_s, u"female"_s},
                                             {u"ward"_s, u"ICU"_s}},
                                            {newTxnId(), std::nullopt}));
        QVERIFY2(r.ok, qPrintable(r.error.toString()));
        QCOMPARE(r.httpStatus, 201);
        QCOMPARE(r.message, u"Created"_s);
        const QJsonObject record = r.object();
        QVERIFY(record.value(u"id").toInteger() > 0);
        QCOMPARE(record.value(u"version").toInteger(), 1);
        QCOMPARE(record.value(u"status").toString(), u"admitted"_s);
        QCOMPARE(r.etag, QByteArray("\"1\""));
    }

    void staleIfMatchIsAVersionConflict()
    {
        auto api = nurse();
        const QJsonObject created = createPatient(api.get(), u"APIC-U1"_s);
        const QString id = idOf(created);
        const Outcome updated
            = await(api->update(patients, id, {{u"ward"_s, u"ICU"_s}}, {newTxnId(), qint64(1)}));
        QVERIFY2(updated.ok, qPrintable(updated.error.toString()));
        QCOMPARE(updated.object().value(u"version").toInteger(), 2);
        QCOMPARE(updated.object().value(u"name").toString(), u"Patient APIC-U1"_s); // partial
        QCOMPARE(updated.etag, QByteArray("\"2\""));

        const Outcome stale = await(
            api->update(patients, id, {{u"ward"_s, u"Surgery"_s}}, {newTxnId(), qint64(1)}));
        QVERIFY(!stale.ok);
        QCOMPARE(stale.error.code, u"VERSION_CONFLICT"_s);
        QCOMPARE(stale.error.httpStatus, 409);
        const QJsonObject current = stale.error.currentRecord();
        QCOMPARE(current.value(u"version").toInteger(), 2);
        QCOMPARE(current.value(u"ward").toString(), u"ICU"_s);
        QCOMPARE(idOf(current), id);
    }

    void validationErrorsNameTheFields()
    {
        auto api = nurse();
        const Outcome r
            = await(api->create(patients, {{u"hn"_s, u"APIC-V1"_s}, {u"sex"_s, u"robot"_s}}));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.code, u"VALIDATION_ERROR"_s);
        QCOMPARE(r.error.httpStatus, 400);
        const QJsonArray fields = r.error.fieldErrors();
        QSet<QString> names;
        for (const QJsonValue &f : fields) {
            names.insert(f.toObject().value(u"field").toString());
            QVERIFY(!f.toObject().value(u"message").toString().isEmpty());
        }
        QCOMPARE(names, (QSet<QString>{u"name"_s, u"sex"_s}));
        QVERIFY(r.error.toString().contains(u"name: "_s));

        createPatient(api.get(), u"APIC-V2"_s);
        const Outcome duplicate
            = await(api->create(patients, {{u"hn"_s, u"APIC-V2"_s}, {u"name"_s, u"Again"_s}}));
        QCOMPARE(duplicate.error.code, u"DUPLICATE_ENTRY"_s);
        QCOMPARE(duplicate.httpStatus, 409);
        QVERIFY(duplicate.error.currentRecord().isEmpty());
    }

    void removeRecord()
    {
        auto api = nurse();
        const QString id = idOf(createPatient(api.get(), u"APIC-D1"_s));
        const Outcome stale = await(api->remove(patients, id, {newTxnId(), qint64(5)}));
        QCOMPARE(stale.error.code, u"VERSION_CONFLICT"_s);

        const Outcome r = await(api->remove(patients, id, {newTxnId(), qint64(1)}));
        QVERIFY2(r.ok, qPrintable(r.error.toString()));
        QCOMPARE(r.httpStatus, 200);
        QCOMPARE(idOf(r.object()), id);
        QCOMPARE(r.object().value(u"deleted").toBool(), true);
        QCOMPARE(await(api->fetch(patients, id)).error.code, u"NOT_FOUND"_s);
    }

    void bulkWrites()
    {
        auto api = nurse();
        QJsonArray items;
        for (int i = 1; i <= 3; ++i)
            items.append(
                QJsonObject{{u"hn"_s, u"APIC-B%1"_s.arg(i)}, {u"name"_s, u"Bulk %1"_s.arg(i)}});
        const Outcome created = await(api->bulkCreate(patients, items, {newTxnId(), {}}));
        QVERIFY2(created.ok, qPrintable(created.error.toString()));
        QCOMPARE(created.httpStatus, 201);
        QCOMPARE(created.object().value(u"count").toInt(), 3);
        const QJsonArray records = created.object().value(u"items").toArray();
        QCOMPARE(records.size(), 3);

        QJsonArray patch;
        QStringList ids;
        for (const QJsonValue &v : records) {
            ids.append(idOf(v.toObject()));
            patch.append(
                QJsonObject{{u"id"_s, v.toObject().value(u"id")}, {u"ward"_s, u"Bulk Ward"_s}});
        }
        const Outcome updated = await(api->bulkUpdate(patients, patch, {newTxnId(), {}}));
        QVERIFY2(updated.ok, qPrintable(updated.error.toString()));
        QCOMPARE(updated.object().value(u"count").toInt(), 3);
        for (const QJsonValue &v : updated.object().value(u"items").toArray())
            QCOMPARE(v.toObject().value(u"ward").toString(), u"Bulk Ward"_s);

        const Outcome removed = await(api->bulkDelete(patients, ids, {newTxnId(), {}}));
        QVERIFY2(removed.ok, qPrintable(removed.error.toString()));
        QCOMPARE(removed.object().value(u"count").toInt(), 3);
        QCOMPARE(removed.object().value(u"ids").toArray(), QJsonArray::fromStringList(ids));

        const Outcome empty = await(api->bulkDelete(patients, {}));
        QCOMPARE(empty.error.code, u"BAD_REQUEST"_s);
    }

    void expiredTokenIsRefreshedTransparently()
    {
        auto api = client();
        api->setTokens(expiredAccessToken(), m_refreshToken);
        QSignalSpy tokens(api.get(), &ApiClient::tokensChanged);
        QSignalSpy authFailed(api.get(), &ApiClient::authenticationFailed);
        RestQuery q;
        q.limit = 2;
        const Outcome r = await(api->list(patients, q));
        QVERIFY2(r.ok, qPrintable(r.error.toString()));
        QCOMPARE(r.array().size(), 2);
        QCOMPARE(tokens.count(), 1);
        QCOMPARE(authFailed.count(), 0);
        QVERIFY(api->accessToken() != expiredAccessToken());
        QVERIFY(!api->refreshToken().isEmpty());
        QCOMPARE(api->user().value(u"email").toString(), u"nurse@demo.local"_s);

        // The new token simply works from now on.
        QVERIFY(await(api->list(patients, q)).ok);
        QCOMPARE(tokens.count(), 1);
    }

    void concurrentCallsShareOneRefresh()
    {
        auto api = client();
        api->setTokens(expiredAccessToken(), m_refreshToken);
        QSignalSpy tokens(api.get(), &ApiClient::tokensChanged);
        QSignalSpy authFailed(api.get(), &ApiClient::authenticationFailed);
        QList<std::shared_ptr<Outcome>> outcomes;
        RestQuery q;
        q.limit = 1;
        for (int i = 0; i < 6; ++i)
            outcomes.append(watch(api->list(patients, q)));
        outcomes.append(watch(api->get(u"/api/schema"_s)));
        QCOMPARE(api->pendingCount(), 7);
        const auto allFinished = [&] {
            return std::all_of(outcomes.cbegin(), outcomes.cend(),
                               [](const auto &o) { return o->finished; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(), 60000);
        for (const auto &o : std::as_const(outcomes))
            QVERIFY2(o->ok, qPrintable(o->error.toString()));
        QCOMPARE(tokens.count(), 1);
        QCOMPARE(authFailed.count(), 0);
        QCOMPARE(api->pendingCount(), 0);
    }

    void failedRefreshEndsWithTheOriginalError()
    {
        auto api = client();
        api->setTokens(expiredAccessToken(), u"not-a-refresh-token"_s);
        QSignalSpy tokens(api.get(), &ApiClient::tokensChanged);
        QSignalSpy authFailed(api.get(), &ApiClient::authenticationFailed);
        const auto first = watch(api->list(patients, {}));
        const auto second = watch(api->fetch(patients, u"1"_s));
        QTRY_VERIFY_WITH_TIMEOUT(first->finished && second->finished, 60000);
        for (const auto &o : {first, second}) {
            QCOMPARE(o->error.code, u"UNAUTHORIZED"_s);
            QCOMPARE(o->httpStatus, 401);
            // The call's own refusal, not the refresh's.
            QVERIFY2(o->error.message.contains(u"access token"_s), qPrintable(o->error.message));
        }
        QVERIFY(authFailed.count() >= 1);
        const auto failure = authFailed.at(0).at(0).value<RestError>();
        QCOMPARE(failure.code, u"UNAUTHORIZED"_s);
        QVERIFY2(failure.message.contains(u"refresh token"_s), qPrintable(failure.message));
        // A refused refresh token is dropped, so the next 401 does not try it again.
        QVERIFY(api->refreshToken().isEmpty());
        QVERIFY(tokens.count() >= 1);

        const int before = int(authFailed.count());
        const Outcome again = await(api->list(patients, {}));
        QCOMPARE(again.error.code, u"UNAUTHORIZED"_s);
        QCOMPARE(authFailed.count(), before + 1);
    }

    void noRefreshTokenMeansSignInAgain()
    {
        auto api = client();
        api->setTokens(expiredAccessToken());
        QSignalSpy tokens(api.get(), &ApiClient::tokensChanged);
        QSignalSpy authFailed(api.get(), &ApiClient::authenticationFailed);
        const Outcome r = await(api->list(patients, {}));
        QCOMPARE(r.error.code, u"UNAUTHORIZED"_s);
        QCOMPARE(r.httpStatus, 401);
        QCOMPARE(authFailed.count(), 1);
        QCOMPARE(authFailed.at(0).at(0).value<RestError>().code, u"UNAUTHORIZED"_s);
        QCOMPARE(tokens.count(), 0);

        const Outcome refresh = await(api->refresh());
        QCOMPARE(refresh.error.code, u"UNAUTHORIZED"_s);
    }

    void explicitRefresh()
    {
        auto api = nurse();
        QSignalSpy tokens(api.get(), &ApiClient::tokensChanged);
        const Outcome r = await(api->refresh());
        QVERIFY2(r.ok, qPrintable(r.error.toString()));
        QCOMPARE(tokens.count(), 1);
        QVERIFY(!api->accessToken().isEmpty());
        QCOMPARE(api->accessToken(), r.object().value(u"accessToken").toString());
        QVERIFY(await(api->get(u"/api/schema"_s)).ok);
    }

    void importRoundTrip()
    {
        auto api = nurse();
        const Outcome tmpl = await(api->importTemplate(patients));
        QVERIFY2(tmpl.ok, qPrintable(tmpl.error.toString()));
        QVERIFY(tmpl.contentType.startsWith("text/csv"));
        QVERIFY(tmpl.rawBody.startsWith("hn,name,date_of_birth,sex,ward,status"));

        const QByteArray csv = "hn,name,date_of_birth,sex,ward,status\n"
                               "APIC-I1,Import One,1980-01-02,female,Ward 1,admitted\n"
                               "APIC-I2,Import Two,1981-03-04,male,Ward 2,admitted\n"
                               "APIC-I3,,1981-03-04,robot,Ward 2,admitted\n";
        const Outcome validated = await(api->importValidate(patients, csv, u"three.csv"_s));
        QVERIFY2(validated.ok, qPrintable(validated.error.toString()));
        const QJsonObject summary = validated.object().value(u"summary").toObject();
        QCOMPARE(summary.value(u"totalRows").toInt(), 3);
        QCOMPARE(summary.value(u"validRows").toInt(), 2);
        QCOMPARE(summary.value(u"invalidRows").toInt(), 1);
        QCOMPARE(validated.object().value(u"errors").toArray().size(), 2);
        const QString sessionId = validated.object().value(u"sessionId").toString();
        QVERIFY(!sessionId.isEmpty());

        const Outcome refused = await(api->importExecute(patients, sessionId, false));
        QCOMPARE(refused.error.code, u"VALIDATION_ERROR"_s);
        QCOMPARE(refused.error.fieldErrors().size(), 2);

        const Outcome started = await(api->importExecute(patients, sessionId, true));
        QVERIFY2(started.ok, qPrintable(started.error.toString()));
        QCOMPARE(started.httpStatus, 202);
        const QString jobId = started.object().value(u"jobId").toString();
        QVERIFY(!jobId.isEmpty());

        QJsonObject status;
        const auto completed = [&] {
            status = await(api->importStatus(patients, jobId)).object();
            return status.value(u"status").toString() == u"completed";
        };
        QTRY_VERIFY_WITH_TIMEOUT(completed(), 60000);
        QCOMPARE(status.value(u"jobId").toString(), jobId);
        QCOMPARE(status.value(u"totalRecords").toInt(), 3);
        QCOMPARE(status.value(u"successCount").toInt(), 2);
        QCOMPARE(status.value(u"failedCount").toInt(), 1);

        RestQuery q;
        q.search = u"APIC-I"_s;
        const Outcome imported = await(api->list(patients, q));
        QCOMPARE(imported.pagination.value(u"total").toInt(), 2);

        const Outcome unknown = await(api->importCancel(patients, u"no-such-job"_s));
        QCOMPARE(unknown.error.code, u"NOT_FOUND"_s);
        QCOMPARE(unknown.httpStatus, 404);
    }

    void destroyingTheClientWithCallsInFlight()
    {
        FakeHttpServer silent([](const auto &) { return std::nullopt; });
        QVERIFY(silent.listen());
        auto api = std::make_unique<ApiClient>();
        api->setBaseUrl(silent.url());
        QPointer<RestReply> reply = api->get(u"/api/slow"_s);
        QTRY_COMPARE_WITH_TIMEOUT(silent.requests.size(), 1, 20000);
        api.reset();
        QVERIFY(reply.isNull());
    }
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
