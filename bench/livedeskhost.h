// SPDX-License-Identifier: MIT
// livedesk-server hosted for a benchmark.
#pragma once

#include "benchsupport.h"

#include "apiserver.h"
#include "livedeskserver.h"
#include "serverthread.h"
#include "socketioserver.h"

#include <QtCore/QThread>

namespace livedesk::bench {

/**
 * livedesk-server on a thread of its own (server::ServerThread, as the workstation runs it),
 * with what a benchmark measures on it: the server thread's CPU time and its connections.
 * The server under test never shares an event loop with the benchmark's clients.
 */
class LivedeskHost
{
public:
    /// Starts the server; @p tokenEmail names the user whose access token token() gives.
    bool start(const server::LivedeskServer::Options &options, const QString &tokenEmail,
               QString *error)
    {
        if (!m_thread.start(options, error))
            return false;
        m_token = m_thread.tokenFor(tokenEmail);
        m_thread.call([this](server::LivedeskServer *) {
            pthread_getcpuclockid(pthread_self(), &m_cpuClock);
        });
        return true;
    }

    QUrl baseUrl() const { return m_thread.baseUrl(); }
    QString token() const { return m_token; }
    /// CPU time the server's thread has used: all of the server's work, nothing else.
    double cpuMs() const { return threadCpuMs(m_cpuClock); }
    /// Runs @p f in the server's thread and waits for it.
    void call(const std::function<void(server::LivedeskServer *)> &f) const { m_thread.call(f); }

    /// Engine.IO connections the server holds now.
    int connectionCount() const
    {
        int count = -1;
        call([&count](server::LivedeskServer *s) { count = s->socketIo()->connectionCount(); });
        return count;
    }

private:
    server::ServerThread m_thread;
    QString m_token;
    clockid_t m_cpuClock{};
};

} // namespace livedesk::bench
