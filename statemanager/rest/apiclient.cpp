// SPDX-License-Identifier: MIT
#include "rest/apiclient.h"

#include "livedesklogging.h"

#include "jsonparser.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QHttpMultiPart>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

#include <utility>

using namespace Qt::StringLiterals;

namespace livedesk {

/*
 * One call from send() to finished(): what to send (kept for the retry after a token refresh),
 * the network request in flight, and how the answer is to be read. A child of its RestReply,
 * so it dies with it whoever deletes the reply.
 */
class ApiClient::Call : public QObject
{
public:
    enum class Kind { Plain, Login, Refresh };

    Call(ApiClient *client, RestReply *reply)
        : QObject(reply)
        , client(client)
        , reply(reply)
    {
    }

    ~Call() override
    {
        dropNetwork();
        if (client)
            client->forget(this);
    }

    // Stops listening to the request in flight and aborts it.
    void dropNetwork()
    {
        if (QNetworkReply *n = std::exchange(network, nullptr)) {
            n->disconnect(this);
            n->abort();
            n->deleteLater();
        }
    }

    QPointer<ApiClient> client;
    RestReply *const reply;
    Kind kind = Kind::Plain;
    QByteArray verb;
    QString path;
    QUrlQuery query;
    QByteArray body;
    QByteArray contentType;
    QList<std::pair<QByteArray, QByteArray>> headers;
    // A multipart upload of one file (field "file") instead of body.
    bool multipart = false;
    QString fileName;
    int timeoutMs = 0;
    // A 401 may be answered by refreshing the token and sending the call again, once.
    bool mayRefresh = true;
    bool retried = false;
    // A 2xx answer that is not JSON is the result (a CSV file), not a bad response.
    bool rawBodyOk = false;
    // A list: its `data` is kept as text (RestReply::dataText()), decoded only when asked.
    bool keepDataText = false;
    // The access token the last attempt went out with.
    QString sentToken;
    QPointer<QNetworkReply> network;
    QElapsedTimer clock;
};

namespace {

QByteArray jsonBody(const QJsonValue &value)
{
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

QString joinPath(const QString &path, const QString &segment)
{
    QString p = path;
    while (p.endsWith(u'/'))
        p.chop(1);
    return p + u'/' + segment;
}

// An id or job id as one path segment, whatever it contains.
QString encodedSegment(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

QList<std::pair<QByteArray, QByteArray>> writeHeaders(const ApiClient::WriteOptions &options)
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!options.txnId.isEmpty())
        headers.append({QByteArrayLiteral("X-Client-Txn-Id"), options.txnId.toUtf8()});
    if (options.ifMatch)
        headers.append(
            {QByteArrayLiteral("If-Match"), '"' + QByteArray::number(*options.ifMatch) + '"'});
    return headers;
}

// Transport-level failures (no HTTP answer): QNetworkReply's codes below 200.
bool isTransportError(QNetworkReply::NetworkError error)
{
    return error != QNetworkReply::NoError && int(error) < 200;
}

QString statusCode(int status)
{
    return u"HTTP_"_s + QString::number(status);
}

// A short excerpt of a plain-text error body, for the message.
QString textExcerpt(const QByteArray &body, const QByteArray &contentType)
{
    if (!contentType.startsWith("text/plain"))
        return {};
    QString text = QString::fromUtf8(body.left(400)).simplified();
    if (text.size() > 200)
        text = text.left(200) + u"..."_s;
    return text;
}

} // namespace

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
}

ApiClient::~ApiClient()
{
    // Replies are children of this object; take them down while our members still exist.
    const QList<Call *> calls = std::exchange(m_calls, {});
    m_waitingForRefresh.clear();
    m_refreshing = nullptr;
    for (Call *call : calls) {
        call->client = nullptr;
        delete call->reply;
    }
}

void ApiClient::setBaseUrl(const QUrl &url)
{
    m_baseUrl = url;
}

void ApiClient::setTokens(const QString &accessToken, const QString &refreshToken)
{
    if (accessToken == m_accessToken && refreshToken == m_refreshToken)
        return;
    m_accessToken = accessToken;
    m_refreshToken = refreshToken;
    if (accessToken.isEmpty() && refreshToken.isEmpty())
        m_user = {};
    Q_EMIT tokensChanged();
}

int ApiClient::pendingCount() const
{
    return int(m_calls.size());
}

RestReply *ApiClient::login(const QString &email, const QString &password)
{
    Call *call = newCall("POST", u"/api/auth/login"_s);
    call->kind = Call::Kind::Login;
    call->mayRefresh = false;
    call->body = jsonBody(QJsonObject{{u"email"_s, email}, {u"password"_s, password}});
    call->contentType = "application/json";
    return send(call);
}

RestReply *ApiClient::refresh()
{
    Call *call = newCall("POST", u"/api/auth/refresh"_s);
    call->kind = Call::Kind::Refresh;
    call->mayRefresh = false;
    call->body = jsonBody(QJsonObject{{u"refreshToken"_s, m_refreshToken}});
    call->contentType = "application/json";
    if (m_refreshToken.isEmpty()) {
        call->reply->m_error
            = {u"UNAUTHORIZED"_s, u"There is no refresh token: sign in again."_s, 0, {}, {}};
    }
    return send(call);
}

RestReply *ApiClient::get(const QString &path)
{
    return send(newCall("GET", path));
}

RestReply *ApiClient::list(const QString &path, const RestQuery &query)
{
    Call *call = newCall("GET", path);
    call->query = query.toUrlQuery();
    return send(call);
}

RestReply *ApiClient::listAsText(const QString &path, const RestQuery &query)
{
    Call *call = newCall("GET", path);
    call->query = query.toUrlQuery();
    call->keepDataText = true;
    return send(call);
}

RestReply *ApiClient::fetch(const QString &path, const QString &id)
{
    return send(newCall("GET", joinPath(path, encodedSegment(id))));
}

RestReply *ApiClient::create(const QString &path, const QJsonObject &body,
                             const WriteOptions &options)
{
    return sendJson("POST", path, body, options);
}

RestReply *ApiClient::update(const QString &path, const QString &id, const QJsonObject &patch,
                             const WriteOptions &options)
{
    return sendJson("PUT", joinPath(path, encodedSegment(id)), patch, options);
}

RestReply *ApiClient::remove(const QString &path, const QString &id, const WriteOptions &options)
{
    Call *call = newCall("DELETE", joinPath(path, encodedSegment(id)));
    call->headers = writeHeaders(options);
    return send(call);
}

RestReply *ApiClient::bulkCreate(const QString &path, const QJsonArray &items,
                                 const WriteOptions &options)
{
    return sendJson("POST", joinPath(path, u"bulk"_s), QJsonObject{{u"items"_s, items}}, options);
}

RestReply *ApiClient::bulkUpdate(const QString &path, const QJsonArray &items,
                                 const WriteOptions &options)
{
    return sendJson("PUT", joinPath(path, u"bulk"_s), QJsonObject{{u"items"_s, items}}, options);
}

RestReply *ApiClient::bulkDelete(const QString &path, const QStringList &ids,
                                 const WriteOptions &options)
{
    return sendJson("DELETE", joinPath(path, u"bulk"_s),
                    QJsonObject{{u"ids"_s, QJsonArray::fromStringList(ids)}}, options);
}

RestReply *ApiClient::importTemplate(const QString &path)
{
    Call *call = newCall("GET", joinPath(path, u"import/template"_s));
    call->query.addQueryItem(u"format"_s, u"csv"_s);
    call->rawBodyOk = true;
    return send(call);
}

RestReply *ApiClient::importValidate(const QString &path, const QByteArray &csv,
                                     const QString &fileName)
{
    Call *call = newCall("POST", joinPath(path, u"import/validate"_s));
    call->multipart = true;
    call->body = csv;
    call->fileName = fileName;
    call->timeoutMs = m_uploadTimeoutMs;
    return send(call);
}

RestReply *ApiClient::importExecute(const QString &path, const QString &sessionId, bool skipErrors)
{
    return sendJson("POST", joinPath(path, u"import/execute"_s),
                    QJsonObject{{u"sessionId"_s, sessionId},
                                {u"options"_s, QJsonObject{{u"skipErrors"_s, skipErrors}}}});
}

RestReply *ApiClient::importStatus(const QString &path, const QString &jobId)
{
    return send(newCall("GET", joinPath(path, u"import/status/"_s + encodedSegment(jobId))));
}

RestReply *ApiClient::importCancel(const QString &path, const QString &jobId)
{
    return sendJson("POST", joinPath(path, u"import/cancel/"_s + encodedSegment(jobId)),
                    QJsonObject{});
}

ApiClient::Call *ApiClient::newCall(const QByteArray &verb, const QString &path)
{
    auto *reply = new RestReply(QString::fromLatin1(verb) + u' ' + path, this);
    auto *call = new Call(this, reply);
    call->verb = verb;
    call->path = path;
    call->timeoutMs = m_timeoutMs;
    reply->m_abortHook = [this, call] {
        cancel(call);
    };
    return call;
}

RestReply *ApiClient::sendJson(const QByteArray &verb, const QString &path, const QJsonValue &body,
                               const WriteOptions &options)
{
    Call *call = newCall(verb, path);
    call->body = jsonBody(body);
    call->contentType = "application/json";
    call->headers = writeHeaders(options);
    return send(call);
}

RestReply *ApiClient::send(Call *call)
{
    m_calls.append(call);
    // Connected before anyone else can connect: pendingCount() is right in their slots.
    connect(call->reply, &RestReply::finished, this, [this, call] { forget(call); });
    call->clock.start();
    if (call->reply->m_error.isNull())
        transmit(call);
    else
        finish(call);
    return call->reply;
}

QUrl ApiClient::urlFor(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_baseUrl;
    // The base URL's own path is a prefix: "/api/x" on "http://h/his/" is "http://h/his/api/x".
    QString prefix = url.path(QUrl::FullyEncoded);
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    QString relative = path;
    QString queryText;
    if (const auto mark = relative.indexOf(u'?'); mark >= 0) {
        queryText = relative.mid(mark + 1);
        relative.truncate(mark);
    }
    if (!relative.startsWith(u'/'))
        relative.prepend(u'/');
    url.setPath(prefix + relative, QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    else if (!queryText.isEmpty())
        url.setQuery(queryText, QUrl::TolerantMode);
    else
        url.setQuery(QString());
    url.setFragment({});
    return url;
}

void ApiClient::transmit(Call *call)
{
    RestReply *reply = call->reply;
    const QUrl url = urlFor(call->path, call->query);
    if (!m_baseUrl.isValid() || url.host().isEmpty()
        || (url.scheme() != u"http" && url.scheme() != u"https")) {
        const QString problem = m_baseUrl.isEmpty()
            ? u"no server address is set"_s
            : u"\"%1\" is not an http(s) server address"_s.arg(m_baseUrl.toDisplayString());
        reply->m_error = {u"NETWORK_ERROR"_s,
                          u"Cannot send %1: %2."_s.arg(reply->m_description, problem),
                          0,
                          {},
                          {}};
        qCWarning(lcRest).noquote() << reply->m_error.message;
        finish(call);
        return;
    }

    QNetworkRequest request(url);
    if (!call->rawBodyOk)
        request.setRawHeader("Accept", "application/json");
    if (call->kind == Call::Kind::Plain && !m_accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_accessToken.toUtf8());
    for (const auto &[name, value] : std::as_const(call->headers))
        request.setRawHeader(name, value);
    if (call->timeoutMs > 0)
        request.setTransferTimeout(call->timeoutMs);
    call->sentToken = m_accessToken;

    QNetworkReply *network = nullptr;
    if (call->multipart) {
        auto *form = new QHttpMultiPart(QHttpMultiPart::FormDataType);
        QHttpPart file;
        QString name = call->fileName;
        name.replace(u'"', u'_').replace(u'\r', u'_').replace(u'\n', u'_');
        file.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/csv"));
        file.setHeader(QNetworkRequest::ContentDispositionHeader,
                       QByteArray("form-data; name=\"file\"; filename=\"" + name.toUtf8() + '"'));
        file.setBody(call->body);
        form->append(file);
        network = m_nam->post(request, form);
        form->setParent(network);
    } else if (call->verb == "GET" && call->body.isEmpty()) {
        network = m_nam->get(request);
    } else {
        if (!call->contentType.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, call->contentType);
        network = m_nam->sendCustomRequest(request, call->verb, call->body);
    }
    call->network = network;
    if (call->retried)
        qCDebug(lcRest).noquote() << call->verb << url.toDisplayString() << "(retry)";
    else
        qCDebug(lcRest).noquote() << call->verb << url.toDisplayString();
    connect(network, &QNetworkReply::finished, call,
            [this, call, network] { received(call, network); });
}

void ApiClient::received(Call *call, QNetworkReply *network)
{
    call->network = nullptr;
    network->disconnect(call);
    network->deleteLater();
    decode(call, network);

    RestReply *reply = call->reply;
    if (reply->m_httpStatus == 401 && call->mayRefresh) {
        if (!call->retried) {
            // A refresh finished while this call was on its way: just send it again.
            if (!m_accessToken.isEmpty() && call->sentToken != m_accessToken) {
                call->retried = true;
                transmit(call);
                return;
            }
            if (!m_refreshToken.isEmpty()) {
                qCDebug(lcRest).noquote() << reply->m_description << "answered 401, refreshing";
                m_waitingForRefresh.append(call);
                startRefresh();
                return;
            }
        }
        qCInfo(lcRest).noquote() << reply->m_description
                                 << "was refused and the token cannot be refreshed:"
                                 << reply->m_error.toString();
        const RestError error = reply->m_error;
        finish(call);
        Q_EMIT authenticationFailed(error);
        return;
    }
    if (call->kind != Call::Kind::Plain && reply->m_error.isNull())
        storeTokens(call);
    finish(call);
}

namespace {

// A successful list answer `{success: true, data: [...], pagination, meta, message}` read with
// simdjson: the small members decoded, `data` kept as its text, so that a page of a thousand
// records is not built as Qt JSON only to be taken apart again (the state manager reads it
// straight into compact rows). False for anything else; the caller reads it the Qt way.
bool scanListEnvelope(const QByteArray &body, QByteArray *dataText, QJsonObject *pagination,
                      QJsonObject *meta, QString *message)
{
    namespace od = simdjson::ondemand;
    JsonParser parser(body.size());
    od::document document;
    od::object envelope;
    if (!parser.iterate(body, &document) || document.get_object().get(envelope))
        return false;
    // Nothing but white space may follow the envelope.
    std::string_view whole;
    bool reset = false;
    if (envelope.raw_json().get(whole) || envelope.reset().get(reset)
        || !parser.onlySpaceAfter(whole))
        return false;
    bool success = false;
    bool seenSuccess = false;
    bool seenData = false;
    const auto object = [](od::value v, QJsonObject *out) {
        od::object o;
        std::string_view raw;
        if (v.get_object().get(o) || o.raw_json().get(raw))
            return false;
        const QJsonDocument d
            = QJsonDocument::fromJson(QByteArray(raw.data(), qsizetype(raw.size())));
        *out = d.object();
        return d.isObject();
    };
    for (auto field : envelope) {
        std::string_view key;
        od::value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            return false;
        if (key == "success") {
            if (seenSuccess || value.get_bool().get(success))
                return false;
            seenSuccess = true;
        } else if (key == "data") {
            od::array array;
            std::string_view raw;
            if (seenData || value.get_array().get(array) || array.raw_json().get(raw))
                return false;
            // With simdjson's padding after it, so that the reader parses it in place.
            dataText->reserve(qsizetype(raw.size() + simdjson::SIMDJSON_PADDING));
            dataText->append(raw.data(), qsizetype(raw.size()));
            seenData = true;
        } else if (key == "pagination") {
            if (!object(value, pagination))
                return false;
        } else if (key == "meta") {
            if (!object(value, meta))
                return false;
        } else if (key == "message") {
            std::string_view text;
            if (value.get_string().get(text))
                return false;
            *message = QString::fromUtf8(text.data(), qsizetype(text.size()));
        }
    }
    return seenSuccess && success && seenData;
}

} // namespace

bool ApiClient::keepListAsText(const QByteArray &body, RestReply *r)
{
    QByteArray dataText;
    QJsonObject pagination;
    QJsonObject meta;
    QString message;
    if (!scanListEnvelope(body, &dataText, &pagination, &meta, &message))
        return false;
    r->m_dataText = std::move(dataText);
    r->m_pagination = std::move(pagination);
    r->m_meta = std::move(meta);
    r->m_message = std::move(message);
    return true;
}

void ApiClient::decode(Call *call, QNetworkReply *network)
{
    RestReply *r = call->reply;
    r->m_error = {};
    r->m_data = {};
    r->m_dataDecoded = false;
    r->m_dataText.clear();
    r->m_pagination = {};
    r->m_meta = {};
    r->m_message.clear();
    r->m_rawBody.clear();
    r->m_httpStatus = network->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r->m_headers = network->rawHeaderPairs();

    const auto netError = network->error();
    if (isTransportError(netError) || r->m_httpStatus == 0) {
        // Our own abort() never gets here, so a cancelled transfer is the transfer timeout.
        if (netError == QNetworkReply::OperationCanceledError
            || netError == QNetworkReply::TimeoutError) {
            r->m_error.code = u"TIMEOUT"_s;
            r->m_error.message = u"%1: no answer from the server within %2 ms."_s.arg(
                r->m_description, QString::number(call->timeoutMs));
        } else {
            r->m_error.code = u"NETWORK_ERROR"_s;
            r->m_error.message = u"%1: %2"_s.arg(r->m_description, network->errorString());
        }
        qCWarning(lcRest).noquote() << r->m_error.toString();
        return;
    }

    const int status = r->m_httpStatus;
    const bool success = status >= 200 && status < 300;
    const QByteArray body = network->readAll();
    const QByteArray contentType = network->rawHeader("Content-Type");
    const QString reason = QString::fromUtf8(
        network->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray());

    if (call->keepDataText && success && keepListAsText(body, r))
        return;

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const bool isJson = parseError.error == QJsonParseError::NoError && !body.trimmed().isEmpty();

    auto fail = [&](const QString &code, const QString &message) {
        r->m_error.code = code;
        r->m_error.message = message;
        r->m_error.httpStatus = status;
        qCWarning(lcRest).noquote() << r->m_error.toString();
    };

    if (!isJson) {
        r->m_rawBody = body;
        if (success && (call->rawBodyOk || body.trimmed().isEmpty()))
            return;
        if (success) {
            fail(u"BAD_RESPONSE"_s,
                 u"%1: the server answered %2 with a body that is not JSON (%3)."_s.arg(
                     r->m_description, QString::number(status),
                     contentType.isEmpty() ? u"no content type"_s
                                           : QString::fromLatin1(contentType)));
            return;
        }
        const QString excerpt = textExcerpt(body, contentType);
        fail(statusCode(status),
             u"%1: the server answered %2 %3%4"_s.arg(
                 r->m_description, QString::number(status), reason,
                 excerpt.isEmpty() ? QString() : QString(u": "_s + excerpt)));
        return;
    }

    const QJsonObject o = doc.object();
    const QJsonValue successValue = o.value(u"success");
    if (!doc.isObject() || !successValue.isBool()) {
        // JSON, but not an envelope: a proxy, or a framework's own error page.
        if (success) {
            r->m_data = doc.isObject() ? QJsonValue(o) : QJsonValue(doc.array());
            fail(u"BAD_RESPONSE"_s,
                 u"%1: the answer is not an AegisX envelope {success, data}."_s.arg(
                     r->m_description));
            return;
        }
        QString message = o.value(u"message").toString();
        if (message.isEmpty())
            message = o.value(u"error").toString();
        fail(statusCode(status),
             u"%1: the server answered %2 %3%4"_s.arg(
                 r->m_description, QString::number(status), reason,
                 message.isEmpty() ? QString() : QString(u": "_s + message)));
        return;
    }

    r->m_message = o.value(u"message").toString();
    r->m_meta = o.value(u"meta").toObject();
    r->m_pagination = o.value(u"pagination").toObject();
    if (successValue.toBool() && success) {
        r->m_data = o.value(u"data");
        return;
    }
    if (successValue.toBool()) {
        fail(statusCode(status),
             u"%1: the server answered %2 %3 with success:true."_s.arg(
                 r->m_description, QString::number(status), reason));
        return;
    }

    // The server's own refusal: its code counts, whatever the HTTP status says.
    const QJsonValue errorValue = o.value(u"error");
    const QJsonObject error = errorValue.toObject();
    r->m_error.httpStatus = status;
    r->m_error.code = error.value(u"code").toString();
    r->m_error.message = error.value(u"message").toString();
    r->m_error.details = error.value(u"details");
    r->m_error.current = error.value(u"current").toObject();
    if (r->m_error.message.isEmpty())
        r->m_error.message = errorValue.isString() ? errorValue.toString() : r->m_message;
    if (r->m_error.code.isEmpty())
        r->m_error.code = success ? u"BAD_RESPONSE"_s : statusCode(status);
    if (r->m_error.message.isEmpty())
        r->m_error.message
            = u"%1 failed (%2 %3)."_s.arg(r->m_description, QString::number(status), reason);
    qCDebug(lcRest).noquote() << r->m_description << "refused:" << r->m_error.toString();
}

void ApiClient::storeTokens(Call *call)
{
    RestReply *r = call->reply;
    const QJsonObject data = r->m_data.toObject();
    const QString access = data.value(u"accessToken").toString();
    if (access.isEmpty()) {
        r->m_error = {u"BAD_RESPONSE"_s,
                      u"%1: the answer carries no accessToken."_s.arg(r->m_description),
                      r->m_httpStatus,
                      {},
                      {}};
        qCWarning(lcRest).noquote() << r->m_error.message;
        return;
    }
    m_accessToken = access;
    // A server that does not rotate refresh tokens sends none on refresh: keep ours.
    if (const QString refresh = data.value(u"refreshToken").toString(); !refresh.isEmpty())
        m_refreshToken = refresh;
    else if (call->kind == Call::Kind::Login)
        m_refreshToken.clear();
    if (data.value(u"user").isObject())
        m_user = data.value(u"user").toObject();
    qCDebug(lcRest) << (call->kind == Call::Kind::Login ? "signed in as" : "token refreshed for")
                    << m_user.value(u"email").toString();
    Q_EMIT tokensChanged();
}

void ApiClient::finish(Call *call)
{
    m_waitingForRefresh.removeAll(call);
    RestReply *r = call->reply;
    qCDebug(lcRest).noquote() << r->m_description << "->" << r->m_httpStatus
                              << (r->m_error.isNull() ? u"ok"_s : r->m_error.code) << "in"
                              << call->clock.elapsed() << "ms";
    r->complete();
}

void ApiClient::cancel(Call *call)
{
    RestReply *r = call->reply;
    m_waitingForRefresh.removeAll(call);
    call->dropNetwork();
    r->m_error = {u"CANCELLED"_s, u"%1 was cancelled."_s.arg(r->m_description), 0, {}, {}};
    r->m_httpStatus = 0;
    r->m_data = {};
    r->m_dataDecoded = false;
    r->m_dataText.clear();
    r->m_pagination = {};
    r->m_meta = {};
    r->m_message.clear();
    r->m_rawBody.clear();
    r->m_headers.clear();
    finish(call);
}

void ApiClient::forget(Call *call)
{
    m_calls.removeAll(call);
    m_waitingForRefresh.removeAll(call);
}

RestReply *ApiClient::renewTokens()
{
    startRefresh();
    return m_refreshing;
}

void ApiClient::startRefresh()
{
    if (m_refreshing)
        return;
    RestReply *refreshing = refresh();
    m_refreshing = refreshing;
    connect(refreshing, &RestReply::finished, this,
            [this, refreshing] { refreshFinished(refreshing); });
}

void ApiClient::refreshFinished(RestReply *refresh)
{
    if (m_refreshing == refresh)
        m_refreshing = nullptr;
    const QList<Call *> waiting = std::exchange(m_waitingForRefresh, {});
    if (refresh->ok()) {
        for (Call *call : waiting) {
            call->retried = true;
            transmit(call);
        }
        return;
    }
    const RestError error = refresh->error();
    qCWarning(lcRest).noquote() << "The token refresh failed:" << error.toString();
    // Refused by the server (not lost on the way): the refresh token is of no more use.
    if (error.httpStatus >= 400 && error.httpStatus < 500 && !m_refreshToken.isEmpty()) {
        m_refreshToken.clear();
        Q_EMIT tokensChanged();
    }
    // Each waiting call still holds the 401 it was answered with.
    for (Call *call : waiting)
        finish(call);
    Q_EMIT authenticationFailed(error);
}

} // namespace livedesk
