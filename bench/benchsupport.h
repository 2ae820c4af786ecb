// SPDX-License-Identifier: MIT
#pragma once

// What the benchmarks share: JSON lines printed in a fixed key order, clocks, waiting on the
// event loop, and Node peers driven over stdin (Qt Core only; livedeskhost.h adds the
// server). Header-only: each benchmark is one program.
#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTimer>

#include <pthread.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <optional>

namespace livedesk::bench {

using Clock = std::chrono::steady_clock;

/// Wall-clock epoch milliseconds with a fraction: the clock Node peers stamp with
/// (`performance.timeOrigin + performance.now()`).
inline double epochMsNow()
{
    using namespace std::chrono;
    return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

/// The most memory this process held at once (the server too, where it runs in-process).
inline double peakRssMB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0; // kilobytes on Linux
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

/// @p v as compact JSON text (scalars too, which QJsonDocument alone cannot write).
inline QByteArray jsonText(const QJsonValue &v)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

/// A JSON object printed with its keys in insertion order (QJsonObject sorts them).
class JsonLine
{
public:
    JsonLine &add(const char *key, const QJsonValue &value) { return addRaw(key, jsonText(value)); }
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
 * A Node script (a peer server or client from tests/interop or bench/) that takes JSON-line
 * commands on stdin and prints JSON lines; the lines are kept until a benchmark takes them.
 */
class NodePeer
{
public:
    using Match = std::function<bool(const QJsonObject &)>;

    explicit NodePeer(QString name)
        : m_name(std::move(name))
    {
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            m_buffer += m_process.readAllStandardOutput();
            qsizetype nl;
            while ((nl = m_buffer.indexOf('\n')) >= 0) {
                const QByteArray line = m_buffer.left(nl);
                m_buffer.remove(0, nl + 1);
                const auto doc = QJsonDocument::fromJson(line);
                if (doc.isObject())
                    m_lines.push_back({doc.object(), line});
                else if (!line.trimmed().isEmpty())
                    std::fprintf(stderr, "%s printed a non-JSON line: %s\n", qPrintable(m_name),
                                 line.constData());
            }
            if (onLine)
                onLine();
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process, [this] {
            std::fprintf(stderr, "[%s] %s", qPrintable(m_name),
                         m_process.readAllStandardError().constData());
        });
        QObject::connect(&m_process, &QProcess::finished, &m_process, [this] {
            if (onLine)
                onLine();
        });
    }

    ~NodePeer()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        send({{QStringLiteral("cmd"), QStringLiteral("quit")}});
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(3000)) {
            m_process.kill();
            m_process.waitForFinished(1000);
        }
    }

    /// Called whenever lines arrived or the process ended.
    std::function<void()> onLine;

    void start(const QString &node, const QString &script, const QStringList &args = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // Where the bench scripts find socket.io-client.
        env.insert(QStringLiteral("LIVEDESK_INTEROP_DIR"), QStringLiteral(LIVEDESK_INTEROP_DIR));
        m_process.setProcessEnvironment(env);
        m_process.setWorkingDirectory(QFileInfo(script).absolutePath());
        m_process.start(node, QStringList{script} + args);
    }

    bool running() const { return m_process.state() != QProcess::NotRunning; }

    /// Sends @p command and waits until the pipe took it, so that a timestamp taken right
    /// before is the time the command was made.
    void send(const QJsonObject &command)
    {
        m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
        m_process.waitForBytesWritten(1000);
    }

    /// Sends @p command with a fresh "id", which the peer answers with `{"done": id}`.
    qint64 request(QJsonObject command)
    {
        command.insert(QStringLiteral("id"), ++m_lastId);
        send(command);
        return m_lastId;
    }

    /// Removes and returns the first line that @p match accepts (its text in @p raw).
    std::optional<QJsonObject> take(const Match &match, QByteArray *raw = nullptr)
    {
        const auto it = std::find_if(m_lines.begin(), m_lines.end(),
                                     [&match](const auto &l) { return match(l.first); });
        if (it == m_lines.end())
            return std::nullopt;
        auto line = *it;
        m_lines.erase(it);
        if (raw)
            *raw = line.second;
        return line.first;
    }

    /// Waits for a line that @p match accepts (up to @p timeoutMs) and removes it.
    std::optional<QJsonObject> waitFor(const Match &match, int timeoutMs)
    {
        std::optional<QJsonObject> line;
        waitUntil(
            [&] {
                if (!line)
                    line = take(match);
                return line.has_value() || !running();
            },
            timeoutMs);
        return line;
    }

    /// Forgets the lines nobody asked for (a peer server reports every client's doings).
    void clear() { m_lines.clear(); }

    /// Lines that have @p key (equal to @p value, unless it is undefined).
    static Match hasKey(const QString &key, const QJsonValue &value = QJsonValue::Undefined)
    {
        return [key, value](const QJsonObject &o) {
            return o.contains(key) && (value.isUndefined() || o.value(key) == value);
        };
    }
    /// The answer to request() @p id.
    static Match doneWithId(qint64 id)
    {
        return [id](const QJsonObject &o) {
            return o.value(QStringLiteral("done")).toInteger(-1) == id;
        };
    }

private:
    QString m_name;
    QProcess m_process;
    QByteArray m_buffer;
    std::deque<std::pair<QJsonObject, QByteArray>> m_lines;
    qint64 m_lastId = 0;
};

} // namespace livedesk::bench
