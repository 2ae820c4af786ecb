// SPDX-License-Identifier: MIT
// livedesk-server hosted for a benchmark.
#pragma once

#include "benchsupport.h"

#include "apiserver.h"
#include "livedeskserver.h"
#include "socketioserver.h"

#include <QtCore/QThread>

namespace livedesk::bench {

/**
 * livedesk-server on a thread of its own, as the workstation runs it (app/embeddedserver):
 * the server under test never shares an event loop with the benchmark's clients.
 */
class LivedeskHost
{
public:
    LivedeskHost() { m_thread.setObjectName(QStringLiteral("livedesk-server")); }

    ~LivedeskHost()
    {
        if (m_server) {
            // Its objects live in its thread: stop and delete them there.
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

    /// Starts the server; @p tokenEmail names the user whose access token token() gives.
    bool start(const server::LivedeskServer::Options &options, const QString &tokenEmail,
               QString *error)
    {
        m_thread.start();
        bool ok = false;
        auto *context = new QObject;
        context->moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            context,
            [&] {
                m_server = new server::LivedeskServer(options);
                ok = m_server->start(error);
                if (ok) {
                    m_baseUrl = m_server->baseUrl();
                    m_token = m_server->api()->issueAccessToken(tokenEmail);
                }
                pthread_getcpuclockid(pthread_self(), &m_cpuClock);
            },
            Qt::BlockingQueuedConnection);
        context->deleteLater();
        return ok;
    }

    QUrl baseUrl() const { return m_baseUrl; }
    QString token() const { return m_token; }
    /// CPU time the server's thread has used: all of the server's work, nothing else.
    double cpuMs() const { return threadCpuMs(m_cpuClock); }

    /// Runs @p f in the server's thread and waits for it.
    void call(const std::function<void(server::LivedeskServer *)> &f) const
    {
        QMetaObject::invokeMethod(
            m_server, [&] { f(m_server); }, Qt::BlockingQueuedConnection);
    }

    /// Engine.IO connections the server holds now.
    int connectionCount() const
    {
        int count = -1;
        call([&count](server::LivedeskServer *s) { count = s->socketIo()->connectionCount(); });
        return count;
    }

private:
    QThread m_thread;
    server::LivedeskServer *m_server = nullptr;
    QUrl m_baseUrl;
    QString m_token;
    clockid_t m_cpuClock{};
};

} // namespace livedesk::bench
