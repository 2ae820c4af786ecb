// SPDX-License-Identifier: MIT
#include "embeddedserver.h"

#include "apiserver.h"
#include "livedeskserver.h"

namespace livedesk {

EmbeddedServer::EmbeddedServer(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("livedesk-server"));
}

EmbeddedServer::~EmbeddedServer()
{
    if (m_server) {
        // The server's objects live in its thread: stop and delete them there.
        QMetaObject::invokeMethod(
            m_server,
            [server = m_server] {
                server->stop();
                delete server;
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

bool EmbeddedServer::start(const QString &databasePath, QString *error)
{
    m_thread.start();
    bool ok = false;
    QString why;
    QUrl url;
    auto *context = new QObject;
    context->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        context,
        [&] {
            server::LivedeskServer::Options options;
            options.databasePath = databasePath;
            // The workstation cannot refresh tokens yet, and a socket presents its token again
            // on every reconnect: a day-long token keeps a long-running session usable.
            options.accessTokenSeconds = 24 * 3600;
            m_server = new server::LivedeskServer(options);
            ok = m_server->start(&why);
            url = m_server->baseUrl();
        },
        Qt::BlockingQueuedConnection);
    context->deleteLater();
    if (!ok) {
        *error = why;
        return false;
    }
    m_baseUrl = url;
    return true;
}

QString EmbeddedServer::tokenFor(const QString &email) const
{
    QString token;
    if (m_server) {
        QMetaObject::invokeMethod(
            m_server, [&] { token = m_server->api()->issueAccessToken(email); },
            Qt::BlockingQueuedConnection);
    }
    return token;
}

} // namespace livedesk
