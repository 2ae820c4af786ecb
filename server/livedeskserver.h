// SPDX-License-Identifier: MIT
#pragma once

#include "httplistener.h"
#include "loginthrottle.h"

#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>

#include <memory>

namespace livedesk::server {

class ApiServer;
class EventPublisher;
class ImportService;
class RecordStore;
class ServerSchema;
class SocketIoServer;
class SocketTokenGuard;

/**
 * livedesk-server in one object: schema, SQLite store, REST API and Socket.IO on one port.
 *
 * The workstation embeds it (started on a free port on loopback) so that `./dev run` needs
 * no other service; integration tests start it in-process on port 0; the livedesk-server
 * executable wraps it. It is single-threaded: it lives in the thread it is created in (the
 * app gives it a thread of its own so that imports never stall the UI).
 */
class LivedeskServer : public QObject
{
    Q_OBJECT

public:
    class Options
    {
    public:
        /// Schema file; the built-in clinical demo by default.
        QString schemaPath = QStringLiteral(":/livedesk/schema/clinical.json");
        /// SQLite file; `:memory:` for a throwaway database.
        QString databasePath = QStringLiteral(":memory:");
        QHostAddress address = QHostAddress::LocalHost;
        quint16 port = 0;
        /// HS256 secret; random per start when empty (tokens then die with the process).
        QByteArray jwtSecret;
        /// Fill empty tables with the schema's demo rows on start.
        bool seedDemoData = true;
        /// Socket.IO mount path.
        QString socketIoPath = QStringLiteral("/api/ws/");
        /// Keep sessions for recovery this long after a transport loss.
        int recoveryWindowMs = 120000;
        /// Lifetime of access tokens (AegisX-like 15 minutes by default). A socket is asked
        /// for a fresh token before its token expires and dropped when it does (see
        /// SocketTokenGuard).
        qint64 accessTokenSeconds = 15 * 60;
        /// Timeouts and caps of HTTP connections (header 10 s, body 30 s without a byte,
        /// idle keep-alive 60 s, 256 connections per client address; see HttpListener).
        HttpListener::Options http;
        /// Open Socket.IO connections per client address and in all (see SocketIoServer);
        /// 0: no cap. Behind a reverse proxy all clients share its address.
        int maxSocketsPerAddress = 256;
        int maxSockets = 10000;
        /// Who may try a password when (tests shorten the locks).
        LoginThrottle::Options loginThrottle;
    };

    explicit LivedeskServer(const Options &options, QObject *parent = nullptr);
    ~LivedeskServer() override;

    /// Loads the schema, opens the database, seeds, listens. False with @p error on failure.
    bool start(QString *error);
    /// Closes every connection and the database; running imports stop between batches and
    /// are recorded as failed ("interrupted"), so no job status is left at processing.
    void stop();

    quint16 port() const { return m_port; }
    /// `http://<address>:<port>`.
    QUrl baseUrl() const;

    const ServerSchema &schema() const;
    RecordStore *store() const { return m_store.get(); }
    SocketIoServer *socketIo() const { return m_socketIo.get(); }
    ApiServer *api() const { return m_api.get(); }
    EventPublisher *publisher() const { return m_publisher.get(); }
    ImportService *imports() const { return m_imports.get(); }
    SocketTokenGuard *tokenGuard() const { return m_tokenGuard.get(); }

private:
    Options m_options;
    std::unique_ptr<ServerSchema> m_schema;
    std::unique_ptr<RecordStore> m_store;
    std::unique_ptr<SocketIoServer> m_socketIo;
    std::unique_ptr<EventPublisher> m_publisher;
    std::unique_ptr<ImportService> m_imports;
    std::unique_ptr<ApiServer> m_api;
    std::unique_ptr<SocketTokenGuard> m_tokenGuard;
    quint16 m_port = 0;
};

} // namespace livedesk::server
