// SPDX-License-Identifier: MIT
#pragma once

#include "engineioconnection.h"

#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <memory>

class QWebSocket;

namespace livedesk::server {

/**
 * A bare Engine.IO v4 server (WebSocket only) that echoes every message back: text messages
 * as text, binary ones as binary.
 *
 * It exists for protocol conformance: the official engine.io-protocol test suite expects such
 * a server at `/engine.io/` (see SocketIoConformance). It shares EngineIoConnection with
 * SocketIoServer, so the suite exercises the same handshake, heartbeat and close behaviour.
 */
class EngineIoEchoServer : public QObject
{
    Q_OBJECT

public:
    explicit EngineIoEchoServer(QObject *parent = nullptr);

    /// Mount path, with or without the trailing slash; `/engine.io/` by default.
    void setPath(const QString &path) { m_path = path; }
    QString path() const { return m_path; }
    void setOptions(const EngineIoConnection::Options &options) { m_options = options; }
    const EngineIoConnection::Options &options() const { return m_options; }

    /// Path matches, `EIO=4`, `transport=websocket`, no `sid`.
    bool acceptsUpgrade(const QUrl &requestUrl) const;
    /// Takes an upgraded WebSocket and serves it until it closes.
    void handleConnection(std::unique_ptr<QWebSocket> socket);
    /// Open connections.
    int connectionCount() const { return m_connections; }

private:
    QString m_path = QStringLiteral("/engine.io/");
    EngineIoConnection::Options m_options;
    int m_connections = 0;
};

} // namespace livedesk::server
