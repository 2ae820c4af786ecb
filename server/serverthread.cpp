// SPDX-License-Identifier: MIT
#include "serverthread.h"

#include "apiserver.h"

namespace livedesk::server {

ServerThread::ServerThread()
{
    m_thread.setObjectName(QStringLiteral("livedesk-server"));
}

ServerThread::~ServerThread()
{
    if (m_server) {
        call([](LivedeskServer *server) {
            server->stop();
            delete server;
        });
    }
    m_thread.quit();
    m_thread.wait();
}

bool ServerThread::start(const LivedeskServer::Options &options, QString *error)
{
    m_thread.start();
    bool ok = false;
    // A throwaway object in the thread gives the first call somewhere to run.
    auto *context = new QObject;
    context->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        context,
        [&] {
            m_server = new LivedeskServer(options);
            ok = m_server->start(error);
            m_baseUrl = m_server->baseUrl();
        },
        Qt::BlockingQueuedConnection);
    context->deleteLater();
    return ok;
}

QString ServerThread::tokenFor(const QString &email) const
{
    QString token;
    if (m_server)
        call([&](LivedeskServer *server) { token = server->api()->issueAccessToken(email); });
    return token;
}

QString ServerThread::refreshTokenFor(const QString &email) const
{
    QString token;
    if (m_server)
        call([&](LivedeskServer *server) { token = server->api()->issueRefreshToken(email); });
    return token;
}

void ServerThread::call(const std::function<void(LivedeskServer *)> &work) const
{
    QMetaObject::invokeMethod(
        m_server, [this, &work] { work(m_server); }, Qt::BlockingQueuedConnection);
}

} // namespace livedesk::server
