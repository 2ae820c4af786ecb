// SPDX-License-Identifier: MIT
// Password guessing at POST /api/auth/login is slowed down per account and per client address,
// and checking a password never holds up the other clients.
#include "apiserver.h"
#include "apitestclient.h"
#include "livedeskserver.h"
#include "loginthrottle.h"

#include <QtCore/QJsonDocument>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;

namespace {

// One HTTP request from a chosen loopback address (Linux routes all of 127/8 to loopback), so
// that one test can be several clients.
class RawRequest
{
public:
    int status = 0;
    QByteArray retryAfter;
    QJsonObject json;

    RawRequest(const QHostAddress &from, quint16 port, const QByteArray &body)
    {
        m_socket.bind(from);
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.write("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\nContent-Length: "
                       + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { read(); });
    }
    bool done() const { return status != 0; }
    QString errorCode() const { return json.value(u"error").toObject().value(u"code").toString(); }
    QString message() const { return json.value(u"error").toObject().value(u"message").toString(); }

private:
    void read()
    {
        m_buffer += m_socket.readAll();
        const auto end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        qsizetype length = 0;
        const auto lines = m_buffer.first(end).split('\n');
        for (const QByteArray &line : lines) {
            const auto colon = line.indexOf(':');
            const QByteArray name = line.first(std::max<qsizetype>(colon, 0)).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            else if (name == "retry-after")
                retryAfter = value;
        }
        if (m_buffer.size() < end + 4 + length)
            return;
        json = QJsonDocument::fromJson(m_buffer.mid(end + 4, length)).object();
        status = lines.at(0).split(' ').value(1).toInt();
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray credentials(const QString &email, const QString &password)
{
    return QJsonDocument(QJsonObject{{u"email"_s, email}, {u"password"_s, password}})
        .toJson(QJsonDocument::Compact);
}

const QHostAddress here(u"127.0.0.1"_s);
const QHostAddress elsewhere(u"127.0.0.2"_s);

} // namespace

class TestLoginThrottle : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;

    RawRequest *start(const QHostAddress &from, const QString &email, const QString &password)
    {
        m_requests.push_back(
            std::make_unique<RawRequest>(from, m_server->port(), credentials(email, password)));
        return m_requests.back().get();
    }
    const RawRequest &login(const QHostAddress &from, const QString &email, const QString &password)
    {
        RawRequest *r = start(from, email, password);
        if (!QTest::qWaitFor([r] { return r->done(); }, 20000))
            qWarning() << "no answer to a login";
        return *r;
    }
    std::vector<std::unique_ptr<RawRequest>> m_requests;

private Q_SLOTS:
    void init()
    {
        server::LivedeskServer::Options options;
        options.loginThrottle.accountFailures = 3;
        options.loginThrottle.addressFailures = 5;
        options.loginThrottle.baseLockMs = 2000;
        options.loginThrottle.maxLockMs = 2000;
        m_server = std::make_unique<server::LivedeskServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }

    void cleanup()
    {
        m_requests.clear();
        m_server.reset();
    }

    // After three wrong passwords the account is locked, from every address, for the right
    // password too; when the lock ends the right password works and wipes the slate.
    void accountIsLockedAfterFailures()
    {
        for (int i = 0; i < 3; ++i)
            QCOMPARE(login(here, u"nurse@demo.local"_s, u"guess%1"_s.arg(i)).status, 401);
        const RawRequest &locked = login(elsewhere, u"nurse@demo.local"_s, u"nurse"_s);
        QCOMPARE(locked.status, 429);
        QCOMPARE(locked.errorCode(), u"TOO_MANY_REQUESTS"_s);
        QVERIFY(locked.retryAfter.toInt() >= 1);
        QVERIFY2(locked.message().contains(u"try again in"_s), qPrintable(locked.message()));
        // Other accounts are not affected.
        QCOMPARE(login(here, u"doctor@demo.local"_s, u"doctor"_s).status, 200);

        QTRY_COMPARE_WITH_TIMEOUT(login(elsewhere, u"nurse@demo.local"_s, u"nurse"_s).status, 200,
                                  20000);
        // The success forgot the failures: a wrong password is a plain 401 again.
        QCOMPARE(login(here, u"nurse@demo.local"_s, u"wrong"_s).status, 401);
    }

    // One address guessing at many accounts is stopped too, while other addresses go on.
    void addressIsLockedAfterFailuresOverAccounts()
    {
        const QStringList accounts{u"nurse@demo.local"_s, u"doctor@demo.local"_s,
                                   u"auditor@demo.local"_s, u"nobody@demo.local"_s,
                                   u"nurse@demo.local"_s};
        for (const QString &account : accounts)
            QCOMPARE(login(elsewhere, account, u"letmein"_s).status, 401);
        const RawRequest &locked = login(elsewhere, u"doctor@demo.local"_s, u"doctor"_s);
        QCOMPARE(locked.status, 429);
        QVERIFY(locked.retryAfter.toInt() >= 1);
        QCOMPARE(login(here, u"doctor@demo.local"_s, u"doctor"_s).status, 200);
    }

    // An IPv6 host usually owns a whole /64, so the address limit counts per /64; an
    // IPv4-mapped address is its IPv4 address.
    void addressesCountPerHostNetwork()
    {
        server::LoginThrottle::Options options;
        options.accountFailures = 100;
        options.addressFailures = 2;
        server::LoginThrottle throttle(options);
        QVERIFY(!throttle.admit(u"a"_s, QHostAddress(u"2001:db8::1"_s)));
        throttle.failed(u"a"_s, QHostAddress(u"2001:db8::1"_s));
        QVERIFY(!throttle.admit(u"b"_s, QHostAddress(u"2001:db8::ffff:2"_s)));
        throttle.failed(u"b"_s, QHostAddress(u"2001:db8::ffff:2"_s));
        QVERIFY(throttle.admit(u"c"_s, QHostAddress(u"2001:db8::3"_s)).has_value());
        QVERIFY(!throttle.admit(u"c"_s, QHostAddress(u"2001:db8:0:1::3"_s)));

        QVERIFY(!throttle.admit(u"d"_s, QHostAddress(u"::ffff:192.0.2.7"_s)));
        QVERIFY(!throttle.admit(u"e"_s, QHostAddress(u"192.0.2.7"_s)));
        QVERIFY(throttle.admit(u"f"_s, QHostAddress(u"192.0.2.7"_s)).has_value());
        QCOMPARE(throttle.refusedCount(), 2);
    }

    // Passwords are checked on worker threads: the server answers others meanwhile.
    void otherClientsAreServedWhilePasswordsAreChecked()
    {
        const QStringList users{u"nurse"_s, u"doctor"_s, u"auditor"_s, u"nurse"_s};
        QList<RawRequest *> logins;
        for (const QString &user : users)
            logins.append(start(here, user + u"@demo.local"_s, user));
        // Let the server read them all (while it checks the first passwords).
        QTest::qWait(20);
        test::ApiTestClient other(m_server->baseUrl());
        QCOMPARE(other.get(u"/api/health"_s).status, 200);
        const auto answered
            = std::count_if(logins.cbegin(), logins.cend(), [](auto *r) { return r->done(); });
        QVERIFY2(answered < logins.size(), "every login was answered before the health check");
        for (RawRequest *r : std::as_const(logins)) {
            QTRY_VERIFY_WITH_TIMEOUT(r->done(), 20000);
            QCOMPARE(r->status, 200);
        }
        QCOMPARE(m_server->api()->passwordChecks(), qint64(logins.size()));
    }
};

QTEST_GUILESS_MAIN(TestLoginThrottle)
#include "tst_loginthrottle.moc"
