// SPDX-License-Identifier: MIT
#include "socketioconformance.h"

#include "engineioechoserver.h"
#include "websocketlistener.h"

#include <QtWebSockets/QWebSocket>

using namespace Qt::StringLiterals;

namespace livedesk::server {

SocketIoConformance::SocketIoConformance(QObject *parent)
    : QObject(parent)
    , m_socketIo(new SocketIoServer(this))
    , m_engineIo(new EngineIoEchoServer(this))
{
    configure(*m_socketIo);
    const SocketIoServer::Options options = conformanceOptions();
    EngineIoConnection::Options engineOptions;
    engineOptions.pingIntervalMs = options.pingIntervalMs;
    engineOptions.pingTimeoutMs = options.pingTimeoutMs;
    engineOptions.maxPayload = options.maxPayload;
    engineOptions.writeBatchMs = options.writeBatchMs;
    m_engineIo->setOptions(engineOptions);
    m_engineIo->setPath(u"/engine.io/"_s);
}

SocketIoConformance::~SocketIoConformance() = default;

SocketIoServer::Options SocketIoConformance::conformanceOptions()
{
    SocketIoServer::Options options;
    options.path = u"/socket.io/"_s;
    options.pingIntervalMs = 300;
    options.pingTimeoutMs = 200;
    options.connectTimeoutMs = 1000;
    options.maxPayload = 1000000;
    options.recovery = false;
    // The suites' client (ws 8.5) drops a frame that arrives in the same read as the one it
    // was waiting for: keep the CONNECT reply and the `auth` event that follows it apart.
    options.writeBatchMs = 5;
    return options;
}

void SocketIoConformance::configure(SocketIoServer &server)
{
    server.setOptions(conformanceOptions());
    server.addNamespace(u"/custom"_s);
    server.setAuthenticator([](const QString &, const QJsonObject &auth,
                               SocketIoServer::Refusal *) { return std::optional(auth); });
    SocketIoServer *s = &server;
    QObject::connect(s, &SocketIoServer::clientConnected, s,
                     [s](const QString &nsp, const QString &sid) {
                         s->emitToSocket(nsp, sid, u"auth"_s, {s->socketData(nsp, sid)});
                     });
    QObject::connect(s, &SocketIoServer::eventReceived, s,
                     [s](const QString &nsp, const QString &sid, const QString &event,
                         const QJsonArray &args, qint64 ackId, const QByteArrayList &attachments) {
                         if (event == u"message")
                             s->emitToSocket(nsp, sid, u"message-back"_s, args, attachments);
                         else if (event == u"message-with-ack" && ackId >= 0)
                             s->sendAck(nsp, sid, ackId, args, attachments);
                     });
}

bool SocketIoConformance::acceptsUpgrade(const QUrl &requestUrl) const
{
    return m_socketIo->acceptsUpgrade(requestUrl) || m_engineIo->acceptsUpgrade(requestUrl);
}

void SocketIoConformance::handleConnection(std::unique_ptr<QWebSocket> socket)
{
    if (!socket)
        return;
    const QUrl url = socket->requestUrl();
    if (m_socketIo->acceptsUpgrade(url))
        m_socketIo->handleConnection(std::move(socket));
    else if (m_engineIo->acceptsUpgrade(url))
        m_engineIo->handleConnection(std::move(socket));
    else
        socket->abort();
}

bool SocketIoConformance::listen(const QHostAddress &address, quint16 port)
{
    if (!m_listener) {
        m_listener = new WebSocketListener(this);
        m_listener->addRoute([this](const QUrl &url) { return m_socketIo->acceptsUpgrade(url); },
                             [this](std::unique_ptr<QWebSocket> socket) {
                                 m_socketIo->handleConnection(std::move(socket));
                             });
        m_listener->addRoute([this](const QUrl &url) { return m_engineIo->acceptsUpgrade(url); },
                             [this](std::unique_ptr<QWebSocket> socket) {
                                 m_engineIo->handleConnection(std::move(socket));
                             });
    }
    return m_listener->listen(address, port);
}

quint16 SocketIoConformance::port() const
{
    return m_listener ? m_listener->port() : 0;
}

QString SocketIoConformance::errorString() const
{
    return m_listener ? m_listener->errorString() : QString();
}

} // namespace livedesk::server
