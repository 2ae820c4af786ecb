// SPDX-License-Identifier: MIT
#pragma once

#include "httplistener.h"
#include "httpresponse.h"
#include "loginthrottle.h"

#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtCore/QThreadPool>
#include <QtHttpServer/QAbstractHttpServer>

#include <memory>
#include <optional>

class QHttpServerRequest;

namespace livedesk::server {

class ApiError;
class EventPublisher;
class ImportService;
class TxnLog;
class RecordStore;
class ResourceSpec;
class ServerSchema;
class SocketIoServer;

/**
 * The REST side of livedesk-server: AegisX routes and envelopes over one HTTP port, which
 * also accepts the Socket.IO WebSocket upgrade at the configured path.
 *
 * Routes (all JSON, all under /api): `POST auth/login`, `POST auth/refresh`, `GET auth/me`,
 * `GET schema` (our extension: the resource schema, without credentials), `GET health`; and
 * per resource base path: `GET /` (list query), `GET /:id`, `POST /` (201), `PUT /:id`
 * (partial), `DELETE /:id`, `POST|PUT|DELETE /bulk`; the import routes (`import/...`) go to
 * the ImportService (501 while none is set).
 *
 * Every request but login, refresh and health needs `Authorization: Bearer <JWT>`; the
 * token's tenant scopes everything it can see or change. `If-Match: "<version>"` makes
 * PUT/DELETE conditional (409 VERSION_CONFLICT with the current record); single records
 * carry an `ETag`. `X-Client-Txn-Id` is echoed as `meta.txnId` in the event a write causes.
 * Bad input gets an AegisX error envelope and changes nothing.
 *
 * Requests are judged by their head before their body is read (see HttpListener): a body
 * larger than the route takes is refused with 413 (`maxJsonBody`, `maxUploadBody` for
 * `import/...`, none for `GET`, `HEAD`, `OPTIONS`, health and the Socket.IO path), and a body
 * for a route that needs a token comes with a valid one or is refused with 401, unread.
 *
 * Login checks the password (PBKDF2, ~0.1 s of CPU) on a small pool of worker threads and
 * answers when that is done, so other clients are served meanwhile; LoginThrottle decides who
 * may try (429 `TOO_MANY_REQUESTS` with `Retry-After` otherwise). At most
 * Options::maxPendingLogins checks wait or run at once; beyond that a login is answered 503
 * `SERVICE_UNAVAILABLE` with `Retry-After: 1`. An unknown e-mail costs the same hash as a
 * wrong password, so neither the answer nor its time tells which accounts exist.
 */
class ApiServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    class Options
    {
    public:
        QByteArray jwtSecret;
        qint64 accessTokenSeconds = 15 * 60;
        qint64 refreshTokenSeconds = 7 * 24 * 3600;
        /// JSON bodies above this are refused with 413 (imports have their own limit).
        qint64 maxJsonBody = 2 * 1024 * 1024;
        qint64 maxUploadBody = 256 * 1024 * 1024;
        /// Timeouts and caps of the HTTP connections.
        HttpListener::Options connection;
        /// Who may try a password when (see LoginThrottle).
        LoginThrottle::Options loginThrottle;
        /// Threads checking passwords.
        int passwordThreads = 2;
        /// Password checks running or waiting for a thread, at most.
        int maxPendingLogins = 32;
    };

    ApiServer(const ServerSchema &schema, RecordStore *store, SocketIoServer *socketIo,
              EventPublisher *publisher, const Options &options, QObject *parent = nullptr);
    ~ApiServer() override;

    /// An access token for @p email, as login would issue (for the in-process app and tests).
    QString issueAccessToken(const QString &email) const;
    /// A refresh token for @p email, as login would issue (empty if unknown).
    QString issueRefreshToken(const QString &email) const;

    /// Verifies an access token; the claims (`sub`, `email`, `tenant`, `role`) or nullopt.
    std::optional<QJsonObject> verifyAccessToken(const QString &token,
                                                 QString *error = nullptr) const;

    /**
     * Listens on @p address and @p port (0: any free port) through an HttpListener with
     * Options::connection; the bound port, or 0 when it cannot listen. Hides
     * QAbstractHttpServer::listen(), whose plain QTcpServer has no limits.
     */
    quint16 listen(const QHostAddress &address, quint16 port);
    /// The listener of listen(), nullptr before.
    HttpListener *listener() const { return m_listener; }

    /// Sets up the log of answered client transactions (see TxnLog); call once the store is
    /// open. Without it, writes are never recognised as repeated.
    bool openTxnLog(QString *error);

    /// Passwords checked on the worker threads so far (none is checked on the server's thread).
    qint64 passwordChecks() const { return m_passwordChecks; }

    /// Where `import/...` requests go; not owned, may be nullptr (501).
    void setImportService(ImportService *imports) { m_imports = imports; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    class Context;
    HttpListener::Verdict admit(const HttpRequestHead &head) const;
    void respond(const QHttpServerRequest &request, QTcpSocket *socket, HttpResponse response);
    HttpResponse route(const QHttpServerRequest &request);
    HttpResponse login(const QHttpServerRequest &request);
    HttpResponse refresh(const QHttpServerRequest &request);
    HttpResponse resourceRoute(const ResourceSpec &resource, const QString &rest,
                               const QHttpServerRequest &request, const Context &ctx);
    HttpResponse resourceRequest(const ResourceSpec &resource, const QString &rest,
                                 const QHttpServerRequest &request, const Context &ctx);
    HttpResponse importRoute(const ResourceSpec &resource, const QString &rest,
                             const QHttpServerRequest &request, const Context &ctx);
    QJsonObject tokenPair(const QJsonObject &user) const;

    const ServerSchema &m_schema;
    RecordStore *m_store;
    SocketIoServer *m_socketIo;
    EventPublisher *m_publisher;
    ImportService *m_imports = nullptr;
    Options m_options;
    std::unique_ptr<TxnLog> m_txns;
    QPointer<HttpListener> m_listener;
    LoginThrottle m_throttle;
    int m_pendingLogins = 0;
    qint64 m_passwordChecks = 0;
    // Last member: destroyed first, so its threads are done before anything they use goes.
    QThreadPool m_passwordPool;
};

} // namespace livedesk::server
