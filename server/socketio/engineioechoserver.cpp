// SPDX-License-Identifier: MIT
#include "engineioechoserver.h"

#include <QtCore/QUrlQuery>
#include <QtWebSockets/QWebSocket>

using namespace Qt::StringLiterals;

namespace livedesk::server {

EngineIoEchoServer::EngineIoEchoServer(QObject *parent)
    : QObject(parent)
{
}

bool EngineIoEchoServer::acceptsUpgrade(const QUrl &requestUrl) const
{
    QString bare = m_path.startsWith(u'/') ? m_path : u'/' + m_path;
    while (bare.endsWith(u'/'))
        bare.chop(1);
    const QString path = requestUrl.path();
    if (path != bare && path != bare + u'/')
        return false;
    const QUrlQuery query(requestUrl);
    return query.queryItemValue(u"EIO"_s) == u"4"
        && query.queryItemValue(u"transport"_s) == u"websocket" && !query.hasQueryItem(u"sid"_s);
}

void EngineIoEchoServer::handleConnection(std::unique_ptr<QWebSocket> socket)
{
    if (!socket)
        return;
    auto *engine = new EngineIoConnection(std::move(socket), m_options, this);
    ++m_connections;
    connect(engine, &EngineIoConnection::messageReceived, engine,
            [engine](const QString &text) { engine->sendMessage(text); });
    connect(engine, &EngineIoConnection::binaryReceived, engine,
            [engine](const QByteArray &data) { engine->sendBinary(data); });
    connect(engine, &EngineIoConnection::closed, this, [this, engine] {
        --m_connections;
        engine->deleteLater();
    });
    engine->open();
}

} // namespace livedesk::server
