// SPDX-License-Identifier: MIT
// bench_socketio_ingest: how fast livedesk's Socket.IO client ingests a stream of events, and
// how late they arrive, next to Node's socket.io-client 4.8 measuring the same stream from the
// same real socket.io 4.8 server in the same run. bench/README.md explains the scenarios and
// how to read the figures.
//
//   bench_socketio_ingest [--quick] [--runs N] [--per-run] [--client livedesk|node|both]
//                         [--scenario TEXT]
//
// Prints JSON lines on stdout. Exits 1 when an event was lost, duplicated or reordered, 2 when
// the peers could not be run.
#include "events/realtimechannel.h"
#include "socketio/socketioclient.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QProcess>
#include <QtCore/QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "benchsupport.h"

using namespace Qt::StringLiterals;
using namespace livedesk::bench;

namespace {

constexpr auto benchName = "socketio_ingest";
constexpr auto livedeskClient = "livedesk";
constexpr auto nodeClient = "node-socket.io-client";
// An incomplete stream is over when nothing arrived for this long after the server sent it all.
constexpr int idleAfterDoneMs = 3000;
constexpr int connectTimeoutMs = 10000;
constexpr int streamTimeoutMs = 120000;

/// CPU time (user + system) this process has used, in milliseconds.
double cpuMsNow()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

void complain(const QString &message)
{
    std::fprintf(stderr, "bench_socketio_ingest: %s\n", qPrintable(message));
}

enum class Shape {
    Plain, ///< `bench` with [[seq, sentAt, padding]]: the Socket.IO client alone
    Aegis, ///< AegisX envelopes through RealtimeChannel: decode, payload-hash dedup, routing
    AegisEventIds, ///< the same with meta.eventId/seq (livedesk-server): dedup by id
};

class Scenario
{
public:
    QString mode; // "burst" or "paced"
    Shape shape = Shape::Plain;
    int events = 0;
    int payloadBytes = 0;
    double perMs = 0; // pacing rate in events per millisecond (paced mode)

    bool aegis() const { return shape != Shape::Plain; }
    QString shapeName() const
    {
        switch (shape) {
        case Shape::Plain:
            return u"plain"_s;
        case Shape::Aegis:
            return u"aegis"_s;
        case Shape::AegisEventIds:
            return u"aegis-eventid"_s;
        }
        return {};
    }
    QString eventName() const { return aegis() ? u"patients.patient.updated"_s : u"bench"_s; }
    QString label() const
    {
        return u"%1-%2-%3-%4"_s.arg(mode, shapeName()).arg(events).arg(payloadBytes);
    }
    /// The leading fields of every line about this scenario.
    JsonLine header(const char *kind, const QString &value) const
    {
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName))
            .add(kind, value)
            .add("mode", mode)
            .add("shape", shapeName())
            .add("events", events)
            .add("payloadBytes", payloadBytes);
        if (perMs > 0)
            line.add("perMs", perMs);
        return line;
    }
};

/// The figures of one measurement (or the medians of several), as both clients report them.
class Result
{
public:
    double eventsPerSec = 0;
    double p50 = 0, p90 = 0, p99 = 0, max = 0;
    double cpuUsPerEvent = 0;
    /// How fast the server emitted the stream (measured by this program): a client that
    /// ingests about as fast is limited by the server, not by itself.
    double serverEventsPerSec = 0;
    qint64 lost = 0, duplicates = 0, outOfOrder = 0, invalid = 0;

    bool clean() const { return lost == 0 && duplicates == 0 && outOfOrder == 0 && invalid == 0; }

    static Result fromJson(const QJsonObject &o)
    {
        Result r;
        r.eventsPerSec = o.value(u"eventsPerSec").toDouble();
        const QJsonObject l = o.value(u"latencyMs").toObject();
        r.p50 = l.value(u"p50").toDouble();
        r.p90 = l.value(u"p90").toDouble();
        r.p99 = l.value(u"p99").toDouble();
        r.max = l.value(u"max").toDouble();
        r.cpuUsPerEvent = o.value(u"cpuUsPerEvent").toDouble();
        r.lost = o.value(u"lost").toInteger(-1);
        r.duplicates = o.value(u"duplicates").toInteger(-1);
        r.outOfOrder = o.value(u"outOfOrder").toInteger(-1);
        r.invalid = o.value(u"invalid").toInteger(-1);
        return r;
    }

    /// The median of each figure over @p runs; the counts of faults are summed.
    static Result median(const QList<Result> &runs)
    {
        const auto med = [&runs](double Result::*field) {
            std::vector<double> v;
            for (const auto &r : runs)
                v.push_back(r.*field);
            std::sort(v.begin(), v.end());
            const size_t n = v.size();
            return n == 0 ? 0.0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        };
        Result m;
        m.eventsPerSec = med(&Result::eventsPerSec);
        m.p50 = med(&Result::p50);
        m.p90 = med(&Result::p90);
        m.p99 = med(&Result::p99);
        m.max = med(&Result::max);
        m.cpuUsPerEvent = med(&Result::cpuUsPerEvent);
        m.serverEventsPerSec = med(&Result::serverEventsPerSec);
        for (const auto &r : runs) {
            m.lost += r.lost;
            m.duplicates += r.duplicates;
            m.outOfOrder += r.outOfOrder;
            m.invalid += r.invalid;
        }
        return m;
    }

    /// The measurement line; @p countKey is "run" (one run) or "runs" (medians of several).
    QByteArray toJson(const Scenario &s, const QString &client, const char *countKey,
                      int count) const
    {
        JsonLine latency;
        latency.add("p50", round3(p50)).add("p90", round3(p90)).add("p99", round3(p99));
        latency.add("max", round3(max));
        return s.header("client", client)
            .add(countKey, count)
            .add("eventsPerSec", std::round(eventsPerSec))
            .addRaw("latencyMs", latency.toJson())
            .add("cpuUsPerEvent", round3(cpuUsPerEvent))
            .add("serverEventsPerSec", std::round(serverEventsPerSec))
            .add("lost", lost)
            .add("duplicates", duplicates)
            .add("outOfOrder", outOfOrder)
            .add("invalid", invalid)
            .toJson();
    }
};

/// Receive-side bookkeeping, by seq: latency per event, order, losses and duplicates.
class Recorder
{
public:
    explicit Recorder(int events)
        : m_events(events)
        , m_seen(size_t(events), false)
    {
        m_latencies.reserve(size_t(events));
    }

    std::function<void()> onComplete;

    void record(qint64 seq, double sentAtMs)
    {
        const double nowMs = epochMsNow();
        const auto now = Clock::now();
        if (m_received++ == 0)
            m_first = now;
        m_last = now;
        if (seq < 0 || seq >= m_events) {
            ++m_invalid;
            return;
        }
        if (m_seen[size_t(seq)]) {
            ++m_duplicates;
            return;
        }
        m_seen[size_t(seq)] = true;
        m_latencies.push_back(nowMs - sentAtMs);
        if (seq < m_maxSeq)
            ++m_outOfOrder;
        else
            m_maxSeq = seq;
        if (complete() && onComplete)
            onComplete();
    }

    bool complete() const { return qsizetype(m_latencies.size()) == m_events; }
    /// Milliseconds since the last event arrived (since @p start when none did).
    qint64 idleMs(Clock::time_point start) const
    {
        using namespace std::chrono;
        return duration_cast<milliseconds>(Clock::now() - (m_received ? m_last : start)).count();
    }

    Result result(double cpuMs)
    {
        Result r;
        std::sort(m_latencies.begin(), m_latencies.end());
        // Nearest rank, as peer-client.js computes it.
        const auto percentile = [this](double p) {
            if (m_latencies.empty())
                return 0.0;
            const auto rank = size_t(std::ceil(p / 100.0 * double(m_latencies.size())));
            return m_latencies[std::max<size_t>(rank, 1) - 1];
        };
        r.p50 = percentile(50);
        r.p90 = percentile(90);
        r.p99 = percentile(99);
        r.max = m_latencies.empty() ? 0.0 : m_latencies.back();
        const double seconds = std::chrono::duration<double>(m_last - m_first).count();
        r.eventsPerSec = seconds > 0 ? double(m_received - 1) / seconds : 0.0;
        r.cpuUsPerEvent = m_received ? cpuMs * 1000.0 / double(m_received) : 0.0;
        r.lost = m_events - qint64(m_latencies.size());
        r.duplicates = m_duplicates;
        r.outOfOrder = m_outOfOrder;
        r.invalid = m_invalid;
        return r;
    }

private:
    qint64 m_events;
    std::vector<bool> m_seen;
    std::vector<double> m_latencies;
    qint64 m_received = 0;
    qint64 m_duplicates = 0;
    qint64 m_outOfOrder = 0;
    qint64 m_invalid = 0;
    qint64 m_maxSeq = -1;
    Clock::time_point m_first;
    Clock::time_point m_last;
};

/**
 * Runs the scenarios against one peer server, each run first with livedesk's client and then
 * with the Node client: never both at once (two cores, and the server broadcasts to all).
 */
class IngestBench
{
public:
    bool measureLivedesk = true;
    bool measureNode = true;
    int runs = 3;
    bool perRun = false;

    /// Starts the peer server and the Node client; false (after saying why) when they fail.
    bool start()
    {
        const QString node = QStringLiteral(LIVEDESK_NODE_EXECUTABLE);
        if (node.isEmpty() || !QFileInfo(node).isExecutable()) {
            complain(u"node was not found at configure time; install Node.js (./dev deps) "
                     "and re-run cmake"_s);
            return false;
        }
        m_server.onLine = [this] {
            wake();
        };
        m_server.start(node, QStringLiteral(LIVEDESK_PEER_SERVER_JS), {u"--port"_s, u"0"_s});
        const auto ready = waitForLine(m_server, NodePeer::hasKey(u"ready"_s), 15000);
        if (!ready) {
            complain(u"the peer server did not start (are its modules installed? `./dev deps` "
                     "runs npm ci in tests/interop)"_s);
            return false;
        }
        m_url = u"http://127.0.0.1:%1"_s.arg(ready->value(u"port").toInteger());
        if (measureNode) {
            m_client.onLine = [this] {
                wake();
            };
            m_client.start(node, QStringLiteral(LIVEDESK_PEER_CLIENT_JS));
            // It answers once it has loaded socket.io-client.
            m_client.request({{u"cmd"_s, u"now"_s}});
            if (!waitForLine(m_client, NodePeer::hasKey(u"now"_s), 15000)) {
                complain(u"the Node client (bench/peer-client.js) did not start"_s);
                return false;
            }
        }
        return true;
    }

    /// Prints how far the peers' clocks are from ours: latencies span two processes.
    void checkClocks()
    {
        const auto offset
            = [this](NodePeer &peer, const std::function<NodePeer::Match(qint64)> &match,
                     double *rtt) -> std::optional<double> {
            std::optional<double> best;
            *rtt = 1e9;
            for (int i = 0; i < 5; ++i) {
                const double t0 = epochMsNow();
                const qint64 id = peer.request({{u"cmd"_s, u"now"_s}});
                const auto line = waitForLine(peer, match(id), 5000);
                const double t1 = epochMsNow();
                if (!line)
                    return std::nullopt;
                if (t1 - t0 < *rtt) {
                    *rtt = t1 - t0;
                    best = line->value(u"now").toDouble() - (t0 + t1) / 2;
                }
            }
            return best;
        };
        JsonLine clock;
        double rtt = 0;
        if (const auto server = offset(m_server, &NodePeer::doneWithId, &rtt))
            clock.add("serverOffsetMs", round3(*server)).add("serverRttMs", round3(rtt));
        if (measureNode) {
            const auto anyNow = [](qint64) {
                return NodePeer::hasKey(u"now"_s);
            };
            if (const auto client = offset(m_client, anyNow, &rtt))
                clock.add("nodeClientOffsetMs", round3(*client))
                    .add("nodeClientRttMs", round3(rtt));
        }
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName)).addRaw("clock", clock.toJson());
        printLine(line.toJson());
    }

    /// A small stream per client, shape and mode, so that nothing measured runs cold.
    bool warmUp(const QList<Scenario> &scenarios)
    {
        QList<Scenario> warm{{u"burst"_s, Shape::Plain, 5000, 50, 0},
                             {u"paced"_s, Shape::Plain, 200, 50, 1}};
        if (std::any_of(scenarios.cbegin(), scenarios.cend(),
                        [](const auto &s) { return s.aegis(); }))
            warm.append({u"burst"_s, Shape::Aegis, 5000, 50, 0});
        for (const auto &s : std::as_const(warm)) {
            const auto check = [&s](const std::optional<Result> &r, const QString &client) {
                if (r && !r->clean())
                    complain(
                        u"warm-up: %1"_s.arg(QString::fromUtf8(r->toJson(s, client, "run", 0))));
                return r && r->clean();
            };
            if (measureLivedesk && !check(runLivedesk(s), QString::fromLatin1(livedeskClient)))
                return false;
            if (measureNode && !check(runNode(s, 0), QString::fromLatin1(nodeClient)))
                return false;
        }
        return true;
    }

    /// Measures @p s runs times with each client and prints the lines; false on any fault.
    bool measure(const Scenario &s)
    {
        const QString ours = QString::fromLatin1(livedeskClient);
        const QString theirs = QString::fromLatin1(nodeClient);
        QList<Result> ourRuns;
        QList<Result> theirRuns;
        bool ok = true;
        for (int run = 1; run <= runs && ok; ++run) {
            if (measureLivedesk) {
                const auto r = runLivedesk(s);
                if (r && perRun)
                    printLine(r->toJson(s, ours, "run", run));
                ok = r && r->clean();
                if (r)
                    ourRuns.append(*r);
            }
            if (measureNode && ok) {
                QByteArray raw;
                const auto r = runNode(s, run, &raw);
                if (r && perRun)
                    printLine(raw);
                ok = r && r->clean();
                if (r)
                    theirRuns.append(*r);
            }
        }
        if (!ourRuns.isEmpty())
            printLine(Result::median(ourRuns).toJson(s, ours, "runs", int(ourRuns.size())));
        if (!theirRuns.isEmpty())
            printLine(Result::median(theirRuns).toJson(s, theirs, "runs", int(theirRuns.size())));
        if (!ourRuns.isEmpty() && !theirRuns.isEmpty()) {
            const Result a = Result::median(ourRuns);
            const Result b = Result::median(theirRuns);
            const auto ratio = [](double x, double y) {
                return y > 0 ? round3(x / y) : 0.0;
            };
            printLine(s.header("ratio", u"livedesk/node"_s)
                          .add("throughput", ratio(a.eventsPerSec, b.eventsPerSec))
                          .add("p50", ratio(a.p50, b.p50))
                          .add("p99", ratio(a.p99, b.p99))
                          .add("cpuPerEvent", ratio(a.cpuUsPerEvent, b.cpuUsPerEvent))
                          .toJson());
        }
        return ok;
    }

private:
    QJsonObject streamCommand(const Scenario &s) const
    {
        if (s.mode == u"burst" && s.shape == Shape::Plain) {
            return {{u"cmd"_s, u"stream"_s},
                    {u"event"_s, s.eventName()},
                    {u"count"_s, s.events},
                    {u"size"_s, s.payloadBytes}};
        }
        return {{u"cmd"_s, u"benchStream"_s},
                {u"shape"_s, s.aegis() ? u"aegis"_s : u"plain"_s},
                {u"eventIds"_s, s.shape == Shape::AegisEventIds},
                {u"count"_s, s.events},
                {u"size"_s, s.payloadBytes},
                {u"perMs"_s, s.perMs}};
    }

    /// Runs the event loop until @p done holds or @p timeoutMs passed; returns done().
    bool waitUntil(const std::function<bool()> &done, int timeoutMs)
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
        m_wake = [&] {
            if (done())
                loop.quit();
        };
        poll.start(20);
        loop.exec();
        m_wake = nullptr;
        return done();
    }

    void wake()
    {
        if (m_wake)
            m_wake();
    }

    std::optional<QJsonObject> waitForLine(NodePeer &peer, const NodePeer::Match &match,
                                           int timeoutMs, QByteArray *raw = nullptr)
    {
        std::optional<QJsonObject> line;
        waitUntil(
            [&] {
                if (!line)
                    line = peer.take(match, raw);
                return line.has_value() || !peer.running();
            },
            timeoutMs);
        return line;
    }

    /// After a client connected as @p sid: is it the only socket the server streams to?
    bool serverSeesOnly(const QString &sid)
    {
        if (!waitForLine(m_server, NodePeer::hasKey(u"connection"_s, sid), connectTimeoutMs)) {
            complain(u"the server never reported connection %1"_s.arg(sid));
            return false;
        }
        const qint64 id = m_server.request({{u"cmd"_s, u"sockets"_s}});
        const auto sockets = waitForLine(m_server, NodePeer::doneWithId(id), connectTimeoutMs);
        if (!sockets || sockets->value(u"count").toInteger() != 1) {
            complain(u"expected 1 socket on the server, found %1"_s.arg(
                sockets ? sockets->value(u"count").toInteger() : -1));
            return false;
        }
        return true;
    }

    void waitForServerDisconnect(const QString &sid)
    {
        if (!waitForLine(m_server, NodePeer::hasKey(u"disconnect"_s, sid), connectTimeoutMs))
            complain(u"the server did not report the disconnection of %1"_s.arg(sid));
        m_server.clear();
    }

    /// Starts the stream; @p serverDone polls for its end and notes the server's emit rate.
    std::function<bool()> startStream(const Scenario &s, double *serverEventsPerSec)
    {
        const auto start = Clock::now();
        const qint64 id = m_server.request(streamCommand(s));
        return [this, id, start, serverEventsPerSec, events = s.events, done = false]() mutable {
            if (!done && m_server.take(NodePeer::doneWithId(id))) {
                done = true;
                const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
                *serverEventsPerSec = seconds > 0 ? events / seconds : 0.0;
            }
            return done;
        };
    }

    std::optional<Result> runLivedesk(const Scenario &s)
    {
        Recorder recorder(s.events);
        recorder.onComplete = [this] {
            wake();
        };
        livedesk::SocketIoClient client;
        livedesk::SocketIoClient::Options options;
        options.url = QUrl(m_url);
        options.reconnection = false;
        client.setOptions(options);
        std::unique_ptr<livedesk::RealtimeChannel> channel;
        if (s.aegis()) {
            // The full path: frame → packet → RealtimeEvent (decode, de-duplication, routing).
            channel = std::make_unique<livedesk::RealtimeChannel>(&client);
            channel->setKeepaliveInterval(0);
            QObject::connect(channel.get(), &livedesk::RealtimeChannel::eventReceived,
                             [&recorder](const livedesk::RealtimeEvent &e) {
                                 const QJsonObject data = e.data().toObject();
                                 recorder.record(data.value(u"seq").toInteger(-1),
                                                 data.value(u"sentAt").toDouble());
                             });
        } else {
            QObject::connect(&client, &livedesk::SocketIoClient::eventReceived,
                             [&recorder, name = s.eventName()](const livedesk::SocketIoEvent &e) {
                                 if (e.name != name)
                                     return;
                                 const QJsonArray a = e.args.at(0).toArray();
                                 recorder.record(a.at(0).toInteger(-1), a.at(1).toDouble());
                             });
        }

        client.open();
        waitUntil(
            [&client] { return client.state() != livedesk::SocketIoClient::State::Connecting; },
            connectTimeoutMs);
        if (!client.isConnected()) {
            complain(u"the livedesk client did not connect: %1"_s.arg(client.failureMessage()));
            return std::nullopt;
        }
        const QString sid = client.sid();
        if (!serverSeesOnly(sid))
            return std::nullopt;

        const auto start = Clock::now();
        const double cpu0 = cpuMsNow();
        double serverRate = 0;
        auto serverDone = startStream(s, &serverRate);
        const bool finished = waitUntil(
            [&] {
                const bool sent = serverDone();
                return recorder.complete() || (sent && recorder.idleMs(start) > idleAfterDoneMs);
            },
            streamTimeoutMs);
        const double cpuMs = cpuMsNow() - cpu0;
        // The server may report the end after the last event arrived.
        waitUntil(serverDone, streamTimeoutMs);
        if (!finished)
            complain(u"%1: the livedesk stream timed out"_s.arg(s.label()));
        client.close();
        waitForServerDisconnect(sid);
        Result r = recorder.result(cpuMs);
        r.serverEventsPerSec = serverRate;
        return r;
    }

    std::optional<Result> runNode(const Scenario &s, int run, QByteArray *raw = nullptr)
    {
        QJsonObject command{{u"cmd"_s, u"run"_s},        {u"run"_s, run},
                            {u"url"_s, m_url},           {u"path"_s, u"/socket.io/"_s},
                            {u"shape"_s, s.shapeName()}, {u"event"_s, s.eventName()},
                            {u"count"_s, s.events},      {u"payloadBytes"_s, s.payloadBytes},
                            {u"mode"_s, s.mode}};
        if (s.perMs > 0)
            command.insert(u"perMs"_s, s.perMs);
        m_client.request(command);
        const auto ready = waitForLine(
            m_client,
            [](const QJsonObject &o) { return o.contains(u"ready") || o.contains(u"error"); },
            connectTimeoutMs);
        if (!ready || !ready->contains(u"ready")) {
            complain(u"the Node client did not connect: %1"_s.arg(
                ready ? ready->value(u"error").toString() : u"no answer"_s));
            return std::nullopt;
        }
        const QString sid = ready->value(u"sid").toString();
        if (!serverSeesOnly(sid))
            return std::nullopt;

        double serverRate = 0;
        auto serverDone = startStream(s, &serverRate);
        const auto isResult = NodePeer::hasKey(u"client"_s);
        QByteArray line;
        std::optional<QJsonObject> result;
        if (waitUntil(serverDone, streamTimeoutMs))
            result = waitForLine(m_client, isResult, streamTimeoutMs, &line);
        if (!result) {
            complain(u"%1: the Node client's stream timed out"_s.arg(s.label()));
            m_client.request({{u"cmd"_s, u"finish"_s}});
            result = waitForLine(m_client, isResult, connectTimeoutMs, &line);
        }
        waitForServerDisconnect(sid);
        if (!result)
            return std::nullopt;
        if (raw)
            *raw = line;
        Result r = Result::fromJson(*result);
        r.serverEventsPerSec = serverRate;
        return r;
    }

    NodePeer m_server{u"peer-server"_s};
    NodePeer m_client{u"peer-client"_s};
    QString m_url;
    std::function<void()> m_wake;
};

QList<Scenario> scenarios(bool quick)
{
    QList<Scenario> list;
    const QList<int> counts = quick ? QList<int>{10000} : QList<int>{10000, 100000};
    for (const int n : counts) {
        for (const int bytes : {50, 1024})
            list.append({u"burst"_s, Shape::Plain, n, bytes, 0});
    }
    for (const auto shape : {Shape::Aegis, Shape::AegisEventIds}) {
        for (const int n : counts)
            list.append({u"burst"_s, shape, n, 50, 0});
    }
    // Paced: the latency is transit and handling time rather than queueing.
    list.append({u"paced"_s, Shape::Plain, 2000, 50, 1});
    list.append({u"paced"_s, Shape::Plain, 10000, 50, 10});
    list.append({u"paced"_s, Shape::Aegis, 2000, 50, 1});
    return list;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_socketio_ingest"_s);
    // Connection chatter would drown the figures; warnings (malformed frames...) still show.
    QLoggingCategory::setFilterRules(u"livedesk.*.info=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Socket.IO event ingestion: livedesk's client next to Node's socket.io-client 4.8 on "
        "the same stream from a real socket.io 4.8 server. Prints JSON lines."_s);
    parser.addHelpOption();
    const QCommandLineOption quick(u"quick"_s, u"Only the 10000-event streams."_s);
    const QCommandLineOption runs(u"runs"_s,
                                  u"Runs per scenario and client, whose medians the lines "
                                  "give (default 3; 1 with --quick)."_s,
                                  u"n"_s);
    const QCommandLineOption perRun(u"per-run"_s, u"Also print every run's own line."_s);
    const QCommandLineOption client(u"client"_s, u"livedesk, node or both (default)."_s, u"which"_s,
                                    u"both"_s);
    const QCommandLineOption only(u"scenario"_s,
                                  u"Only the scenarios whose label (mode-shape-events-bytes) "
                                  "contains this text."_s,
                                  u"text"_s);
    parser.addOptions({quick, runs, perRun, client, only});
    parser.process(app);

    const QString which = parser.value(client);
    if (which != u"both" && which != u"livedesk" && which != u"node") {
        complain(u"--client must be livedesk, node or both"_s);
        return 2;
    }
    int runCount = parser.isSet(quick) ? 1 : 3;
    if (parser.isSet(runs)) {
        bool ok = false;
        runCount = parser.value(runs).toInt(&ok);
        if (!ok || runCount < 1) {
            complain(u"--runs must be a positive number"_s);
            return 2;
        }
    }
    QList<Scenario> list = scenarios(parser.isSet(quick));
    if (parser.isSet(only)) {
        const QString text = parser.value(only);
        list.removeIf([&text](const Scenario &s) { return !s.label().contains(text); });
    }

    int status = 2;
    QTimer::singleShot(0, &app, [&] {
        IngestBench bench;
        bench.measureLivedesk = which != u"node";
        bench.measureNode = which != u"livedesk";
        bench.runs = runCount;
        bench.perRun = parser.isSet(perRun);
        if (bench.start()) {
            bench.checkClocks();
            if (bench.warmUp(list)) {
                status = 0;
                for (const auto &s : std::as_const(list)) {
                    if (!bench.measure(s))
                        status = 1;
                }
            } else {
                complain(u"the warm-up failed"_s);
            }
        }
        QCoreApplication::exit(status);
    });
    app.exec();
    return status;
}
