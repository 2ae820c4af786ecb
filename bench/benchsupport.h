// SPDX-License-Identifier: MIT
#pragma once

// What the livedesk-server benchmarks (bench_server_fanout, bench_import) share: JSON lines
// printed in a fixed key order, clocks, waiting on the event loop, and livedesk-server on a
// thread of its own. Header-only: each benchmark is one program.

#include "apiserver.h"
#include "livedeskserver.h"
#include "socketioserver.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <pthread.h>
#include <time.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>

namespace livedesk::bench {

using Clock = std::chrono::steady_clock;

/// Wall-clock epoch milliseconds with a fraction: the clock Node peers stamp with
/// (`performance.timeOrigin + performance.now()`).
inline double epochMsNow()
{
    using namespace std::chrono;
    return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

/// Milliseconds elapsed since @p start on the steady clock.
inline double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

inline double round3(double x)
{
    return std::round(x * 1000.0) / 1000.0;
}

/// A JSON object printed with its keys in insertion order (QJsonObject sorts them).
class JsonLine
{
public:
    JsonLine &add(const char *key, const QJsonValue &value)
    {
        const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return addRaw(key, wrapped.mid(1, wrapped.size() - 2));
    }
    JsonLine &addRaw(const char *key, const QByteArray &json)
    {
        if (!m_body.isEmpty())
            m_body += ',';
        m_body += '"';
        m_body += key;
        m_body += "\":";
        m_body += json;
        return *this;
    }
    QByteArray toJson() const { return '{' + m_body + '}'; }

private:
    QByteArray m_body;
};

/// One line on stdout, flushed at once.
inline void printLine(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

/// Runs the event loop until @p done holds or @p timeoutMs passed; returns done().
inline bool waitUntil(const std::function<bool()> &done, int timeoutMs, int pollMs = 2)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || Clock::now() >= deadline)
            loop.quit();
    });
    poll.start(pollMs);
    loop.exec();
    return done();
}

/// CPU time one thread of this process has used, in milliseconds.
inline double threadCpuMs(clockid_t clock)
{
    timespec ts{};
    if (clock_gettime(clock, &ts) != 0)
        return 0;
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

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
