// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>

#include <functional>
#include <memory>

class QTcpServer;
class QWebSocket;
class QWebSocketServer;

namespace livedesk::server {

/**
 * A plain WebSocket listener that hands upgraded sockets to whichever route accepts their
 * request URL.
 *
 * In production the HTTP server accepts upgrades and hands them over
 * (SocketIoServer::handleConnection()); this listener is for tests and the conformance
 * server, which need a port of their own. QWebSocketServer cannot refuse an upgrade by URL,
 * so a socket that no route accepts is closed right after the handshake (close code 1008),
 * which a client sees as a failed connection, as with the reference server's HTTP 400.
 *
 * Accepted TCP connections get TCP_NODELAY (QAbstractSocket::LowDelayOption) before the
 * WebSocket handshake, as the reference server does: small real-time frames must not wait
 * for the peer's delayed ACK.
 */
class WebSocketListener : public QObject
{
    Q_OBJECT

public:
    using Accepts = std::function<bool(const QUrl &requestUrl)>;
    using Handler = std::function<void(std::unique_ptr<QWebSocket> socket)>;

    explicit WebSocketListener(QObject *parent = nullptr);
    ~WebSocketListener() override;

    /// Routes are tried in the order they were added.
    void addRoute(Accepts accepts, Handler handler);

    /// Starts listening; false (and errorString() set) when the port cannot be bound.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    bool isListening() const;
    /// The bound port (useful with port 0), or 0 when not listening.
    quint16 port() const;
    QString errorString() const;
    /// Stops accepting connections; handed-over sockets are not affected.
    void close();

private:
    void onNewTcpConnection();
    void onNewConnection();

    class Route
    {
    public:
        Accepts accepts;
        Handler handler;
    };
    QTcpServer *m_tcpServer;
    // Not listening itself: it only runs the handshake on the sockets m_tcpServer accepts.
    QWebSocketServer *m_server;
    QList<Route> m_routes;
};

} // namespace livedesk::server
