// SPDX-License-Identifier: MIT
#pragma once

#include "socketioserver.h"

#include <QtCore/QObject>
#include <QtNetwork/QHostAddress>

#include <memory>

class QWebSocket;

namespace livedesk::server {

class EngineIoEchoServer;
class WebSocketListener;

/**
 * The server the official protocol test suites expect (socket.io-protocol and
 * engine.io-protocol, `test-suite/`), built from the production classes so that the suites
 * test what livedesk-server really runs.
 *
 * Socket.IO at `/socket.io/`: pingInterval 300 ms, pingTimeout 200 ms, connectTimeout 1 s,
 * maxPayload 1000000, no connection state recovery (the suite expects a CONNECT reply with a
 * sid only); namespaces `/` and `/custom`, others refused with "Invalid namespace". On
 * connection each socket gets `auth` with its handshake auth object; `message` is answered
 * with `message-back` and the same arguments (binary attachments included), and
 * `message-with-ack` is acknowledged with its arguments. The reference server does the last
 * two in `/` only; here `/custom` does them too, which no test contradicts.
 *
 * Engine.IO at `/engine.io/` (same timings): an echo server (EngineIoEchoServer).
 *
 * Long-polling, which both suites also test, is not offered: livedesk speaks WebSocket only.
 */
class SocketIoConformance : public QObject
{
    Q_OBJECT

public:
    explicit SocketIoConformance(QObject *parent = nullptr);
    ~SocketIoConformance() override;

    /// The Socket.IO options the suite expects.
    static SocketIoServer::Options conformanceOptions();
    /// Turns @p server into the suite's Socket.IO server: options, namespaces, authenticator
    /// (accepts all; the data is the auth object) and the event handlers. Call it once, before
    /// connections arrive.
    static void configure(SocketIoServer &server);

    SocketIoServer *socketIo() const { return m_socketIo; }
    EngineIoEchoServer *engineIo() const { return m_engineIo; }

    /// Whether either server takes an upgrade for @p requestUrl (for an HTTP host).
    bool acceptsUpgrade(const QUrl &requestUrl) const;
    /// Hands an upgraded WebSocket to the server that accepts its URL (closes it otherwise).
    void handleConnection(std::unique_ptr<QWebSocket> socket);

    /// Listens on a port of its own; the suites expect `localhost:3000`.
    bool listen(const QHostAddress &address, quint16 port = 3000);
    quint16 port() const;
    QString errorString() const;

private:
    SocketIoServer *m_socketIo;
    EngineIoEchoServer *m_engineIo;
    WebSocketListener *m_listener = nullptr;
};

} // namespace livedesk::server
