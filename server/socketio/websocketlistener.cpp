// SPDX-License-Identifier: MIT
#include "websocketlistener.h"

#include "socketioserverlogging.h"

#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {
// The TCP connection under @p socket: the child of @p server with the same local and peer
// endpoints (QWebSocket does not give it away).
QTcpSocket *findTcpSocket(QTcpServer *server, const QWebSocket *socket)
{
    const auto sockets = server->findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *tcp : sockets) {
        if (tcp->peerPort() == socket->peerPort() && tcp->localPort() == socket->localPort()
            && tcp->peerAddress() == socket->peerAddress())
            return tcp;
    }
    return nullptr;
}
} // namespace

WebSocketListener::WebSocketListener(QObject *parent)
    : QObject(parent)
    , m_tcpServer(new QTcpServer(this))
    , m_server(new QWebSocketServer(u"livedesk-server"_s, QWebSocketServer::NonSecureMode, this))
{
    connect(m_tcpServer, &QTcpServer::newConnection, this, &WebSocketListener::onNewTcpConnection);
    connect(m_server, &QWebSocketServer::newConnection, this, &WebSocketListener::onNewConnection);
}

WebSocketListener::~WebSocketListener() = default;

void WebSocketListener::addRoute(Accepts accepts, Handler handler)
{
    m_routes.append({std::move(accepts), std::move(handler)});
}

bool WebSocketListener::listen(const QHostAddress &address, quint16 port)
{
    return m_tcpServer->listen(address, port);
}

bool WebSocketListener::isListening() const
{
    return m_tcpServer->isListening();
}

quint16 WebSocketListener::port() const
{
    return m_tcpServer->isListening() ? m_tcpServer->serverPort() : 0;
}

QString WebSocketListener::errorString() const
{
    return m_tcpServer->errorString();
}

void WebSocketListener::close()
{
    m_tcpServer->close();
}

void WebSocketListener::onNewTcpConnection()
{
    while (QTcpSocket *tcp = m_tcpServer->nextPendingConnection()) {
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        // A socket that never completes the handshake is dropped by the WebSocket server's
        // handshake timeout; one that does is released below with its WebSocket.
        m_server->handleConnection(tcp);
    }
}

void WebSocketListener::onNewConnection()
{
    while (m_server->hasPendingConnections()) {
        QWebSocket *raw = m_server->nextPendingConnection();
        if (!raw)
            continue;
        raw->setParent(nullptr);
        // The TCP socket stays a child of m_tcpServer after the upgrade: let it go with its
        // WebSocket rather than with the listener.
        if (auto *tcp = findTcpSocket(m_tcpServer, raw))
            connect(raw, &QObject::destroyed, tcp, &QObject::deleteLater);
        std::unique_ptr<QWebSocket> socket(raw);
        const QUrl url = socket->requestUrl();
        bool routed = false;
        for (const auto &route : std::as_const(m_routes)) {
            if (route.accepts(url)) {
                route.handler(std::move(socket));
                routed = true;
                break;
            }
        }
        if (routed)
            continue;
        qCInfo(lcServerSocketIo) << "refusing WebSocket upgrade for" << url.toDisplayString();
        QWebSocket *refused = socket.release();
        connect(refused, &QWebSocket::disconnected, refused, &QObject::deleteLater);
        QTimer::singleShot(2000, refused, [refused] {
            refused->abort();
            refused->deleteLater();
        });
        refused->close(QWebSocketProtocol::CloseCodePolicyViolated, u"Bad request"_s);
    }
}

} // namespace livedesk::server
