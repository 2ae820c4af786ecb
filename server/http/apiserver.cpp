// SPDX-License-Identifier: MIT
#include "apiserver.h"

#include "apierror.h"
#include "eventpublisher.h"
#include "importservice.h"
#include "jwt.h"
#include "listquery.h"
#include "passwordhash.h"
#include "recordstore.h"
#include "resourcespec.h"
#include "serverschema.h"
#include "socketioserver.h"
#include "txnlog.h"
#include "userspec.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QUrlQuery>
#include <QtHttpServer/QHttpServerRequest>
#include <QtHttpServer/QHttpServerResponder>
#include <QtNetwork/QTcpSocket>

#include <cmath>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHttp, "livedesk.server.http", QtInfoMsg)

namespace livedesk::server {

class ApiServer::Context
{
public:
    QJsonObject claims;
    /// The user's role as the schema has it now (the token's for a user it no longer has).
    QString role;
    QString tenant() const { return claims.value(u"tenant").toString(); }
    QString userId() const { return claims.value(u"sub").toString(); }
    EventPublisher::Origin origin(const QHttpServerRequest &request) const
    {
        return {tenant(), userId(), QString::fromUtf8(request.value("x-session-id")),
                QString::fromUtf8(request.value("x-client-txn-id"))};
    }
};

namespace {

HttpResponse success(const QJsonValue &data, int status = 200, const QString &message = {})
{
    QJsonObject o{{u"success"_s, true}, {u"data"_s, data}};
    if (!message.isEmpty())
        o.insert(u"message"_s, message);
    return HttpResponse::json(o, status);
}

HttpResponse failure(const ApiError &error)
{
    return HttpResponse::json(error.toEnvelope(), error.httpStatus());
}

HttpResponse failure(const QString &code, const QString &message, int status)
{
    return failure(ApiError(code, message, status));
}

HttpResponse withRecord(const QJsonObject &record, int status = 200, const QString &message = {})
{
    HttpResponse r = success(record, status, message);
    r.addHeader("ETag", '"' + QByteArray::number(record.value(u"version").toInteger()) + '"');
    return r;
}

// `If-Match: "3"`, `W/"3"` or `3`; nullopt when absent; -1 when present but unusable.
std::optional<qint64> ifMatch(const QHttpServerRequest &request)
{
    QByteArray v = request.value("if-match").trimmed();
    if (v.isEmpty())
        return std::nullopt;
    if (v.startsWith("W/"))
        v = v.mid(2);
    if (v.size() >= 2 && v.startsWith('"') && v.endsWith('"'))
        v = v.mid(1, v.size() - 2);
    bool ok = false;
    const qint64 version = v.toLongLong(&ok);
    // As with ids, only the canonical spelling: "+3" or " 3" is no version.
    return ok && version > 0 && v == QByteArray::number(version) ? version : -1;
}

// Parses a JSON body; an error response when it is missing, malformed or too large.
std::optional<HttpResponse> parseBody(const QHttpServerRequest &request, qint64 limit,
                                      QJsonDocument *doc)
{
    const QByteArray body = request.body();
    if (body.size() > limit)
        return failure(u"PAYLOAD_TOO_LARGE"_s,
                       u"The request body is larger than %1 bytes."_s.arg(limit), 413);
    QJsonParseError pe;
    *doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError)
        return failure(
            u"INVALID_JSON"_s,
            u"The request body is not valid JSON: %1 at offset %2."_s.arg(pe.errorString())
                .arg(pe.offset),
            400);
    return std::nullopt;
}

QString methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return u"GET"_s;
    case QHttpServerRequest::Method::Post:
        return u"POST"_s;
    case QHttpServerRequest::Method::Put:
        return u"PUT"_s;
    case QHttpServerRequest::Method::Delete:
        return u"DELETE"_s;
    case QHttpServerRequest::Method::Patch:
        return u"PATCH"_s;
    case QHttpServerRequest::Method::Head:
        return u"HEAD"_s;
    case QHttpServerRequest::Method::Options:
        return u"OPTIONS"_s;
    default:
        return u"OTHER"_s;
    }
}

// What a request on a resource does, for the role check; nullopt for a method no route of
// the resource takes (405 follows).
std::optional<Permissions::Action> actionOf(QHttpServerRequest::Method method, const QString &rest)
{
    using Method = QHttpServerRequest::Method;
    using Action = Permissions::Action;
    // Imports: the template and a job's status are reads; validating, running and cancelling
    // are part of creating records.
    if (rest.startsWith(u"import")) {
        if (method == Method::Get)
            return Action::Read;
        if (method == Method::Post)
            return Action::Create;
        return std::nullopt;
    }
    switch (method) {
    case Method::Get:
        return Action::Read;
    case Method::Post:
        return Action::Create;
    case Method::Put:
    case Method::Patch:
        return rest.isEmpty() ? std::nullopt : std::optional(Action::Update);
    case Method::Delete:
        return rest.isEmpty() ? std::nullopt : std::optional(Action::Delete);
    default:
        return std::nullopt;
    }
}

HttpResponse methodNotAllowed(const QHttpServerRequest &request)
{
    return failure(
        u"METHOD_NOT_ALLOWED"_s,
        u"%1 is not allowed on %2."_s.arg(methodName(request.method()), request.url().path()), 405);
}

} // namespace

ApiServer::ApiServer(const ServerSchema &schema, RecordStore *store, SocketIoServer *socketIo,
                     EventPublisher *publisher, const Options &options, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_schema(schema)
    , m_store(store)
    , m_socketIo(socketIo)
    , m_publisher(publisher)
    , m_options(options)
    , m_throttle(options.loginThrottle)
{
    m_passwordPool.setMaxThreadCount(std::max(1, options.passwordThreads));
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
        while (hasPendingWebSocketConnections())
            m_socketIo->handleConnection(nextPendingWebSocketConnection());
    });
}

ApiServer::~ApiServer()
{
    m_passwordPool.waitForDone();
}

quint16 ApiServer::listen(const QHostAddress &address, quint16 port)
{
    auto *listener = new HttpListener(
        m_options.connection, [this](const HttpRequestHead &head) { return admit(head); }, this);
    if (!listener->listenAndAccept(address, port)) {
        qCCritical(lcHttp).noquote() << "cannot listen:" << listener->errorString();
        delete listener;
        return 0;
    }
    bind(listener);
    m_listener = listener;
    return listener->serverPort();
}

HttpListener::Verdict ApiServer::admit(const HttpRequestHead &head) const
{
    HttpListener::Verdict verdict;
    if (head.isUpgrade() || !head.hasBody())
        return verdict;
    QString path = head.path;
    while (path.size() > 1 && path.endsWith(u'/'))
        path.chop(1);
    QString socketIoPath = m_socketIo->options().path;
    while (socketIoPath.size() > 1 && socketIoPath.endsWith(u'/'))
        socketIoPath.chop(1);
    const QString method = QString::fromLatin1(head.method);
    if (head.method == "GET" || head.method == "HEAD" || head.method == "OPTIONS"
        || path == u"/api/health" || path == socketIoPath) {
        verdict.refusal = failure(u"PAYLOAD_TOO_LARGE"_s,
                                  u"%1 %2 takes no request body."_s.arg(method, path), 413);
        return verdict;
    }
    if (path != u"/api/auth/login" && path != u"/api/auth/refresh") {
        // Same answers as route() gives, but before the body is read.
        const QByteArray authorization = head.value("authorization");
        if (!authorization.startsWith("Bearer ") && !authorization.startsWith("bearer ")) {
            verdict.refusal = failure(u"UNAUTHORIZED"_s, u"Sign in first: no bearer token."_s, 401);
            return verdict;
        }
        QString tokenError;
        if (!verifyAccessToken(QString::fromLatin1(authorization.mid(7).trimmed()), &tokenError)) {
            verdict.refusal = failure(u"UNAUTHORIZED"_s,
                                      u"The access token was refused: %1."_s.arg(tokenError), 401);
            return verdict;
        }
    }
    verdict.maxBody = m_options.maxJsonBody;
    for (const auto &resource : m_schema.resources) {
        if (path.startsWith(resource.path + u"/import"))
            verdict.maxBody = m_options.maxUploadBody;
    }
    return verdict;
}

void ApiServer::respond(const QHttpServerRequest &request, QTcpSocket *socket,
                        HttpResponse response)
{
    if (m_listener && m_listener->closesAfterResponse(socket))
        response.addHeader("Connection", "close");
    auto responder = makeResponder(request, socket);
    response.writeTo(responder);
    if (m_listener)
        m_listener->responded(socket);
}

bool ApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (m_listener)
        m_listener->requestRead(socket);
    // Small JSON answers and events must not wait for the peer's delayed ACK (~40 ms).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Qt asks us before accepting a WebSocket upgrade: only the Socket.IO path may upgrade.
    if (request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0) {
        if (!m_socketIo->acceptsUpgrade(request.url()))
            return false;
        if (m_listener)
            m_listener->upgraded(socket);
        return true;
    }
    HttpResponse response = route(request);
    if (response.isDeferred()) {
        // Qt keeps the request object as long as its socket lives and reuses it only for the
        // next request on that connection, which a client sends after our answer.
        const QPointer<QTcpSocket> guard(socket);
        const QPointer<ApiServer> self(this);
        const QHttpServerRequest *pending = &request;
        const QString path = request.url().path();
        response.start([self, guard, pending, path](const HttpResponse &answer) {
            if (!self || !guard || guard->state() != QAbstractSocket::ConnectedState) {
                qCInfo(lcHttp).noquote()
                    << "The client of" << path << "left before its answer was ready";
                return;
            }
            qCDebug(lcHttp) << "(deferred)" << path << answer.status;
            self->respond(*pending, guard.data(), answer);
        });
        return true;
    }
    qCDebug(lcHttp) << methodName(request.method()) << request.url().path() << response.status;
    respond(request, socket, std::move(response));
    return true;
}

void ApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    respond(request, socket,
            failure(u"NOT_FOUND"_s, u"No route for %1."_s.arg(request.url().path()), 404));
}

QString ApiServer::issueAccessToken(const QString &email) const
{
    const UserSpec *user = m_schema.userByEmail(email);
    if (!user)
        return {};
    return Jwt::sign({{u"sub"_s, user->id},
                      {u"email"_s, user->email},
                      {u"tenant"_s, user->tenant},
                      {u"role"_s, user->role},
                      {u"typ"_s, u"access"_s}},
                     m_options.jwtSecret, m_options.accessTokenSeconds);
}

std::optional<QJsonObject> ApiServer::verifyAccessToken(const QString &token, QString *error) const
{
    auto claims = Jwt::verify(token, m_options.jwtSecret, error);
    if (claims && claims->value(u"typ").toString() != u"access") {
        if (error)
            *error = u"not an access token"_s;
        return std::nullopt;
    }
    return claims;
}

QString ApiServer::issueRefreshToken(const QString &email) const
{
    const UserSpec *user = m_schema.userByEmail(email);
    if (!user)
        return {};
    return Jwt::sign({{u"sub"_s, user->id}, {u"email"_s, user->email}, {u"typ"_s, u"refresh"_s}},
                     m_options.jwtSecret, m_options.refreshTokenSeconds);
}

QJsonObject ApiServer::tokenPair(const QJsonObject &userJson) const
{
    const QString email = userJson.value(u"email").toString();
    return {{u"user"_s, userJson},
            {u"accessToken"_s, issueAccessToken(email)},
            {u"refreshToken"_s, issueRefreshToken(email)},
            {u"expiresIn"_s, m_options.accessTokenSeconds}};
}

HttpResponse ApiServer::route(const QHttpServerRequest &request)
{
    QString path = request.url().path();
    while (path.size() > 1 && path.endsWith(u'/'))
        path.chop(1);
    const auto method = request.method();

    // Engine.IO long-polling is not offered: answer as the reference server does.
    QString socketIoPath = m_socketIo->options().path;
    while (socketIoPath.size() > 1 && socketIoPath.endsWith(u'/'))
        socketIoPath.chop(1);
    if (path == socketIoPath)
        return HttpResponse::json({{u"code"_s, 0}, {u"message"_s, u"Transport unknown"_s}}, 400);

    if (path == u"/api/health") {
        return success(
            QJsonObject{{u"status"_s, u"ok"_s}, {u"connections"_s, m_socketIo->connectionCount()}});
    }
    if (path == u"/api/auth/login")
        return method == QHttpServerRequest::Method::Post ? login(request)
                                                          : methodNotAllowed(request);
    if (path == u"/api/auth/refresh")
        return method == QHttpServerRequest::Method::Post ? refresh(request)
                                                          : methodNotAllowed(request);

    // Everything else needs a valid access token.
    const QByteArray authorization = request.value("authorization");
    if (!authorization.startsWith("Bearer ") && !authorization.startsWith("bearer "))
        return failure(u"UNAUTHORIZED"_s, u"Sign in first: no bearer token."_s, 401);
    QString tokenError;
    const auto claims
        = verifyAccessToken(QString::fromLatin1(authorization.mid(7).trimmed()), &tokenError);
    if (!claims)
        return failure(u"UNAUTHORIZED"_s, u"The access token was refused: %1."_s.arg(tokenError),
                       401);
    const UserSpec *signedIn = m_schema.userById(claims->value(u"sub").toString());
    Context ctx{*claims, signedIn ? signedIn->role : claims->value(u"role").toString()};

    if (path == u"/api/auth/me") {
        const UserSpec *user = m_schema.userByEmail(claims->value(u"email").toString());
        return user ? success(user->toPublicJson())
                    : failure(u"UNAUTHORIZED"_s, u"Unknown user."_s, 401);
    }
    if (path == u"/api/users") {
        // The people of the caller's tenant, so that a client can name who changed what.
        if (method != QHttpServerRequest::Method::Get)
            return methodNotAllowed(request);
        QJsonArray users;
        for (const UserSpec &user : m_schema.users) {
            if (user.tenant == ctx.tenant())
                users.append(QJsonObject{
                    {u"id"_s, user.id}, {u"name"_s, user.name}, {u"email"_s, user.email}});
        }
        return success(users);
    }
    if (path == u"/api/schema") {
        return method == QHttpServerRequest::Method::Get ? success(m_schema.toClientJson(ctx.role))
                                                         : methodNotAllowed(request);
    }
    for (const auto &resource : m_schema.resources) {
        if (path == resource.path)
            return resourceRoute(resource, {}, request, ctx);
        if (path.startsWith(resource.path + u'/'))
            return resourceRoute(resource, path.mid(resource.path.size() + 1), request, ctx);
    }
    return failure(u"NOT_FOUND"_s, u"No route for %1."_s.arg(path), 404);
}

HttpResponse ApiServer::login(const QHttpServerRequest &request)
{
    QJsonDocument doc;
    if (auto bad = parseBody(request, m_options.maxJsonBody, &doc))
        return *bad;
    const QJsonObject body = doc.object();
    const QString email = body.value(u"email").toString().trimmed().toLower();
    const QString password = body.value(u"password").toString();
    if (email.isEmpty() || password.isEmpty()) {
        QJsonArray details;
        if (email.isEmpty())
            details.append(ApiError::detail(u"email"_s, u"REQUIRED"_s, u"Email is required."_s));
        if (password.isEmpty())
            details.append(
                ApiError::detail(u"password"_s, u"REQUIRED"_s, u"Password is required."_s));
        return failure(ApiError::validation(details));
    }
    const QHostAddress address = request.remoteAddress();
    if (m_pendingLogins >= m_options.maxPendingLogins) {
        HttpResponse r = failure(u"SERVICE_UNAVAILABLE"_s,
                                 u"The server is busy checking other sign-ins: try again in a "
                                 "second."_s,
                                 503);
        r.addHeader("Retry-After", "1");
        return r;
    }
    if (const auto waitMs = m_throttle.admit(email, address)) {
        const qint64 seconds = (*waitMs + 999) / 1000;
        qCInfo(lcHttp).noquote() << "Login for" << email << "from" << address.toString()
                                 << "refused for" << seconds << "s after too many failures";
        HttpResponse r = failure(
            u"TOO_MANY_REQUESTS"_s,
            u"Too many failed sign-ins for this account or from this address: try again in %1."_s
                .arg(seconds == 1 ? u"1 second"_s : u"%1 seconds"_s.arg(seconds)),
            429);
        r.addHeader("Retry-After", QByteArray::number(seconds));
        return r;
    }
    const UserSpec *user = m_schema.userByEmail(email);
    // An unknown user costs a hash too: the time of the answer must not tell who exists.
    static const QString unknownUserHash
        = u"pbkdf2-sha256$%1$AAAAAAAAAAAAAAAAAAAAAA==$"
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="_s.arg(PasswordHash::defaultIterations);
    const QString encoded = user ? user->passwordHash : unknownUserHash;
    const QJsonObject publicUser = user ? user->toPublicJson() : QJsonObject();
    ++m_pendingLogins;
    return HttpResponse::deferred(
        [this, email, password, encoded, publicUser, address](HttpResponse::Reply reply) {
            m_passwordPool.start(
                [this, password, encoded, email, publicUser, address, reply = std::move(reply)] {
                    const bool ok = PasswordHash::verify(password, encoded);
                    QMetaObject::invokeMethod(
                        this,
                        [this, ok, email, publicUser, address, reply] {
                            --m_pendingLogins;
                            ++m_passwordChecks;
                            // The same answer for an unknown user and a wrong password.
                            if (!ok || publicUser.isEmpty()) {
                                m_throttle.failed(email, address);
                                reply(failure(u"INVALID_CREDENTIALS"_s,
                                              u"Email or password is incorrect."_s, 401));
                                return;
                            }
                            m_throttle.succeeded(email, address);
                            reply(success(tokenPair(publicUser), 200, u"Login successful"_s));
                        },
                        Qt::QueuedConnection);
                });
        });
}

HttpResponse ApiServer::refresh(const QHttpServerRequest &request)
{
    QJsonDocument doc;
    if (auto bad = parseBody(request, m_options.maxJsonBody, &doc))
        return *bad;
    QString error;
    const auto claims
        = Jwt::verify(doc.object().value(u"refreshToken").toString(), m_options.jwtSecret, &error);
    if (!claims || claims->value(u"typ").toString() != u"refresh")
        return failure(
            u"UNAUTHORIZED"_s,
            u"The refresh token was refused: %1."_s.arg(claims ? u"not a refresh token"_s : error),
            401);
    const UserSpec *user = m_schema.userByEmail(claims->value(u"email").toString());
    if (!user)
        return failure(u"UNAUTHORIZED"_s, u"Unknown user."_s, 401);
    return success(tokenPair(user->toPublicJson()));
}

bool ApiServer::openTxnLog(QString *error)
{
    auto log = std::make_unique<TxnLog>(m_store);
    if (!log->open(error))
        return false;
    m_txns = std::move(log);
    return true;
}

HttpResponse ApiServer::resourceRoute(const ResourceSpec &resource, const QString &rest,
                                      const QHttpServerRequest &request, const Context &ctx)
{
    using Method = QHttpServerRequest::Method;
    const auto method = request.method();
    // Before anything else, the body included: a role that may not do it learns nothing more.
    if (const auto action = actionOf(method, rest);
        action && !resource.permissions.allows(ctx.role, *action)) {
        QString why = Permissions::refusal(ctx.role, *action, resource.nameInSentence());
        if (rest.startsWith(u"import") && *action == Permissions::Action::Create)
            why = u"%1, so it may not import them."_s.arg(why.chopped(1));
        qCInfo(lcHttp).noquote() << methodName(method) << request.url().path() << "refused:" << why;
        return failure(ApiError::forbidden(why));
    }
    const bool write = method == Method::Post || method == Method::Put || method == Method::Patch
        || method == Method::Delete;
    const QString txnId = QString::fromUtf8(request.value("x-client-txn-id"));
    if (!write || txnId.isEmpty() || !m_txns || rest.startsWith(u"import"))
        return resourceRequest(resource, rest, request, ctx);

    // A write sent again with the same txn id gets the first answer, and nothing happens.
    const QString verb = methodName(method);
    const QString path = request.url().path();
    if (const auto seen = m_txns->find(ctx.tenant(), txnId)) {
        if (seen->method != verb || seen->path != path) {
            return failure(ApiError(
                u"TXN_ID_REUSED"_s,
                u"Transaction %1 was already used for %2 %3; use a new X-Client-Txn-Id."_s.arg(
                    txnId, seen->method, seen->path),
                409));
        }
        qCInfo(lcHttp).noquote() << verb << path << "repeated transaction" << txnId
                                 << "answered from the log";
        HttpResponse r;
        r.status = seen->status;
        r.body = seen->body;
        r.addHeader("Content-Type", "application/json; charset=utf-8");
        r.addHeader("X-Txn-Replayed", "true");
        return r;
    }
    HttpResponse response;
    bool logged = true;
    m_store->transaction([&] {
        response = resourceRequest(resource, rest, request, ctx);
        if (response.status < 200 || response.status >= 300)
            return false;
        logged = m_txns->remember(ctx.tenant(), txnId,
                                  TxnLog::Entry{verb, path, response.status, response.body});
        return logged;
    });
    if (!logged)
        return failure(ApiError::internal(u"The database failed to record the write"_s));
    return response;
}

HttpResponse ApiServer::resourceRequest(const ResourceSpec &resource, const QString &rest,
                                        const QHttpServerRequest &request, const Context &ctx)
{
    using Method = QHttpServerRequest::Method;
    const auto method = request.method();
    const auto origin = ctx.origin(request);

    if (rest.startsWith(u"import"))
        return importRoute(resource, rest, request, ctx);

    if (rest.isEmpty()) {
        if (method == Method::Get) {
            const auto parsed = ListQuery::fromUrlQuery(QUrlQuery(request.url()), resource);
            if (!parsed)
                return failure(parsed.error());
            const ListQuery &query = parsed.value();
            auto page = m_store->list(resource, ctx.tenant(), query);
            if (!page)
                return failure(page.error());
            const qint64 total = page.value().total;
            const qint64 totalPages = total == 0 ? 0 : (total + query.limit - 1) / query.limit;
            return HttpResponse::json({{u"success"_s, true},
                                       {u"data"_s, page.value().rows},
                                       {u"pagination"_s,
                                        QJsonObject{{u"page"_s, query.page},
                                                    {u"limit"_s, query.limit},
                                                    {u"total"_s, total},
                                                    {u"totalPages"_s, totalPages},
                                                    {u"hasNext"_s, query.page < totalPages},
                                                    {u"hasPrev"_s, query.page > 1}}}});
        }
        if (method == Method::Post) {
            QJsonDocument doc;
            if (auto bad = parseBody(request, m_options.maxJsonBody, &doc))
                return *bad;
            if (!doc.isObject())
                return failure(ApiError::badRequest(u"The body must be a JSON object."_s));
            auto created = m_store->create(resource, ctx.tenant(), ctx.userId(), doc.object());
            if (!created)
                return failure(created.error());
            const QJsonObject record = created.value();
            m_publisher->publish(resource, u"created"_s, record, origin,
                                 record.value(u"version").toInteger());
            HttpResponse r = withRecord(record, 201, u"Created"_s);
            r.addHeader(
                "Location",
                (resource.path + u'/' + QString::number(record.value(u"id").toInteger())).toUtf8());
            return r;
        }
        return methodNotAllowed(request);
    }

    if (rest == u"bulk") {
        QJsonDocument doc;
        if (auto bad = parseBody(request, m_options.maxJsonBody, &doc))
            return *bad;
        // Accept both a bare array and AegisX's `{items: [...]}` / `{ids: [...]}`.
        const QJsonArray items = doc.isArray() ? doc.array()
            : doc.object().contains(u"ids")    ? doc.object().value(u"ids").toArray()
                                               : doc.object().value(u"items").toArray();
        if (items.isEmpty())
            return failure(ApiError::badRequest(u"A bulk request needs a non-empty list."_s));
        if (method == Method::Post) {
            auto result = m_store->bulkCreate(resource, ctx.tenant(), ctx.userId(), items);
            if (!result)
                return failure(result.error());
            m_publisher->publishBulk(
                resource, u"bulkCreated"_s,
                {{u"count"_s, result.value().size()}, {u"items"_s, result.value()}}, origin);
            return success(
                QJsonObject{{u"count"_s, result.value().size()}, {u"items"_s, result.value()}},
                201);
        }
        if (method == Method::Put) {
            auto result = m_store->bulkUpdate(resource, ctx.tenant(), ctx.userId(), items);
            if (!result)
                return failure(result.error());
            m_publisher->publishBulk(
                resource, u"bulkUpdated"_s,
                {{u"count"_s, result.value().size()}, {u"items"_s, result.value()}}, origin);
            return success(
                QJsonObject{{u"count"_s, result.value().size()}, {u"items"_s, result.value()}});
        }
        if (method == Method::Delete) {
            auto result = m_store->bulkDelete(resource, ctx.tenant(), ctx.userId(), items);
            if (!result)
                return failure(result.error());
            QJsonArray ids;
            for (const auto &r : result.value())
                ids.append(QString::number(r.toObject().value(u"id").toInteger()));
            m_publisher->publishBulk(resource, u"bulkDeleted"_s,
                                     {{u"count"_s, ids.size()}, {u"ids"_s, ids}}, origin);
            return success(QJsonObject{{u"count"_s, ids.size()}, {u"ids"_s, ids}});
        }
        return methodNotAllowed(request);
    }

    // Only the canonical spelling names a record: "+1", " 1" or "01" is no id.
    bool idOk = false;
    const qint64 id = rest.toLongLong(&idOk);
    if (!idOk || id <= 0 || rest != QString::number(id))
        return failure(u"NOT_FOUND"_s, u"No route for %1."_s.arg(request.url().path()), 404);
    const auto expected = ifMatch(request);
    if (expected && *expected < 0)
        return failure(ApiError::badRequest(u"If-Match must be a record version, e.g. \"3\"."_s));

    if (method == Method::Get) {
        auto record = m_store->get(resource, ctx.tenant(), id);
        return record ? withRecord(record.value()) : failure(record.error());
    }
    if (method == Method::Put || method == Method::Patch) {
        QJsonDocument doc;
        if (auto bad = parseBody(request, m_options.maxJsonBody, &doc))
            return *bad;
        if (!doc.isObject())
            return failure(ApiError::badRequest(u"The body must be a JSON object."_s));
        auto updated
            = m_store->update(resource, ctx.tenant(), ctx.userId(), id, doc.object(), expected);
        if (!updated)
            return failure(updated.error());
        const QJsonObject record = updated.value();
        m_publisher->publish(resource, u"updated"_s, record, origin,
                             record.value(u"version").toInteger());
        return withRecord(record, 200, u"Updated"_s);
    }
    if (method == Method::Delete) {
        auto removed = m_store->remove(resource, ctx.tenant(), ctx.userId(), id, expected);
        if (!removed)
            return failure(removed.error());
        // AegisX sends the id of a deleted record as a string, even for integer keys.
        m_publisher->publish(resource, u"deleted"_s, QJsonObject{{u"id"_s, QString::number(id)}},
                             origin, removed.value().value(u"version").toInteger());
        return success(QJsonObject{{u"id"_s, id}, {u"deleted"_s, true}}, 200, u"Deleted"_s);
    }
    return methodNotAllowed(request);
}

HttpResponse ApiServer::importRoute(const ResourceSpec &resource, const QString &rest,
                                    const QHttpServerRequest &request, const Context &ctx)
{
    if (request.body().size() > m_options.maxUploadBody)
        return failure(u"PAYLOAD_TOO_LARGE"_s,
                       u"The upload is larger than %1 bytes."_s.arg(m_options.maxUploadBody), 413);
    if (!m_imports)
        return failure(u"NOT_IMPLEMENTED"_s, u"Imports are not available on this server."_s, 501);
    return m_imports->handle(resource, rest, request, ctx.origin(request));
}

} // namespace livedesk::server
