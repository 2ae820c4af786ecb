// SPDX-License-Identifier: MIT
// bench_server_fanout: one write fanned out to 1, 100 and 1000 connected Socket.IO clients,
// by livedesk-server (a REST write: HTTP, SQLite transaction, event) and by the reference
// socket.io 4.8 server (tests/interop/peer-server.js emitting the same kind of envelope to the
// same kind of room), received by the same Node clients (bench/fanout-clients.js) in the same
// run. bench/README.md explains the scenarios and how to read the figures.
//
//   bench_server_fanout [--quick] [--clients 1,100,1000] [--writes W] [--interval-ms MS]
//                       [--server livedesk|node|both] [--runs N] [--per-run]
//
// Each server runs in a process or thread of its own; the clients are one Node process for
// both. Writes are paced by the clock; where the default 5 ms would offer more deliveries per
// second than the machine can make (1000 clients), that client count is measured a second
// time below saturation.
//
// Prints JSON lines on stdout. Exits 1 when a delivery was lost or duplicated (or a write
// failed), 2 when the peers or the server could not be run.
#include "livedeskhost.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QEventLoop>
#include <QtCore/QFileInfo>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QProcess>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

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

using namespace Qt::StringLiterals;
using namespace livedesk::bench;

namespace {

constexpr auto benchName = "server_fanout";
constexpr auto livedeskServer = "livedesk";
constexpr auto nodeServer = "node-socket.io";
constexpr auto feature = "patients";
constexpr auto eventName = "patients.patient.created";
constexpr auto userEmail = "nurse@demo.local";
// Writes before every measured run, with the same clients, measured by nobody.
constexpr int preRollWrites = 20;
constexpr int connectTimeoutMs = 120000;
// After the last write: how long the deliveries may take to arrive before they count as lost.
constexpr int drainTimeoutMs = 30000;
// REST connections the writer may open: writes overlap when a fan-out takes longer than the
// interval between writes.
constexpr int maxHttpConnections = 16;
// Offered deliveries per second above which a default run adds a second, slower pacing for
// that client count, at belowSaturationPerSec: on two cores shared by a server and 1000
// clients, some 50-60k deliveries per second is all there is.
constexpr double saturationPerSec = 40000;
constexpr double belowSaturationPerSec = 20000;

void complain(const QString &message)
{
    std::fprintf(stderr, "bench_server_fanout: %s\n", qPrintable(message));
}

/// Lets the process and its children hold a few thousand sockets (1000 clients, twice).
void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

/// A line whose @p key holds the number @p n.
NodePeer::Match numberIs(const QString &key, qint64 n)
{
    return [key, n](const QJsonObject &o) {
        return o.value(key).toInteger(-1) == n;
    };
}

/**
 * The REST writer for livedesk-server: `POST /api/patients` over a few keep-alive HTTP/1.1
 * connections written by hand, so that the send time is stamped right before the request's
 * bytes go to the socket (QNetworkAccessManager sends later, when its loop turns).
 */
class RestWriter
{
public:
    RestWriter(const QUrl &base, const QString &token)
        : m_host(base.host())
        , m_port(quint16(base.port()))
        , m_token(token.toLatin1())
    {
    }

    /// Opens @p count connections ahead of the writes; false when they did not connect.
    bool prepare(int count)
    {
        while (int(m_connections.size()) < count)
            open();
        return waitUntil(
            [this] {
                return std::all_of(m_connections.cbegin(), m_connections.cend(), [](const auto &c) {
                    return c->socket.state() == QAbstractSocket::ConnectedState;
                });
            },
            10000);
    }

    /// Sends @p body on an idle connection (a new one when all are busy); returns the epoch
    /// time it was sent at, or nullopt when every allowed connection is busy.
    std::optional<double> post(const QByteArray &path, const QByteArray &body)
    {
        Connection *c = nullptr;
        for (const auto &candidate : m_connections) {
            if (!candidate->busy && candidate->socket.state() == QAbstractSocket::ConnectedState) {
                c = candidate.get();
                break;
            }
        }
        if (!c) {
            if (int(m_connections.size()) >= maxHttpConnections)
                return std::nullopt;
            c = open();
            if (!c->socket.waitForConnected(5000)) {
                complain(u"cannot connect to livedesk-server for a write"_s);
                return std::nullopt;
            }
        }
        QByteArray request = "POST " + path + " HTTP/1.1\r\nHost: " + m_host.toLatin1() + ':'
            + QByteArray::number(m_port) + "\r\nAuthorization: Bearer " + m_token
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        c->busy = true;
        ++m_outstanding;
        const double sentAt = epochMsNow();
        c->socket.write(request);
        c->socket.flush();
        return sentAt;
    }

    int outstanding() const { return m_outstanding; }
    int failures() const { return m_failures; }

private:
    class Connection
    {
    public:
        QTcpSocket socket;
        QByteArray buffer;
        bool busy = false;
    };

    Connection *open()
    {
        m_connections.push_back(std::make_unique<Connection>());
        Connection *c = m_connections.back().get();
        QObject::connect(&c->socket, &QTcpSocket::readyRead, &c->socket, [this, c] {
            c->buffer += c->socket.readAll();
            // One response at a time per connection: status line, headers, Content-Length body.
            for (;;) {
                const qsizetype end = c->buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const QByteArray head = c->buffer.left(end);
                qsizetype length = 0;
                for (const QByteArray &line : head.split('\n')) {
                    const QByteArray l = line.trimmed();
                    if (l.toLower().startsWith("content-length:"))
                        length = l.mid(15).trimmed().toLongLong();
                }
                if (c->buffer.size() < end + 4 + length)
                    return;
                const int status = head.mid(9, 3).toInt();
                if (status != 201) {
                    ++m_failures;
                    complain(u"a write failed: HTTP %1 %2"_s.arg(status).arg(
                        QString::fromUtf8(c->buffer.mid(end + 4, length))));
                }
                c->buffer.remove(0, end + 4 + length);
                c->busy = false;
                --m_outstanding;
            }
        });
        // As HTTP clients do (QNetworkAccessManager, browsers, Node): a small request must
        // not wait for the server's delayed ACK of the previous one.
        QObject::connect(&c->socket, &QTcpSocket::connected, &c->socket,
                         [c] { c->socket.setSocketOption(QAbstractSocket::LowDelayOption, 1); });
        QObject::connect(&c->socket, &QTcpSocket::disconnected, &c->socket, [this, c] {
            if (c->busy) {
                ++m_failures;
                --m_outstanding;
                c->busy = false;
                complain(u"livedesk-server closed a connection during a write"_s);
            }
        });
        c->socket.connectToHost(m_host, m_port);
        return c;
    }

    QString m_host;
    quint16 m_port;
    QByteArray m_token;
    std::vector<std::unique_ptr<Connection>> m_connections;
    int m_outstanding = 0;
    int m_failures = 0;
};

/// One measurement (or the medians of several), as the clients report it plus what the
/// driver knows.
class Result
{
public:
    QString server;
    int clients = 0;
    int writes = 0;
    double intervalMs = 0;
    int runs = 1;
    double p50 = 0, p90 = 0, p99 = 0, max = 0;
    double spreadP50 = 0, spreadP99 = 0, spreadMax = 0;
    double deliveriesPerSec = 0;
    double offeredPerSec = 0;
    double serverCpuUsPerDelivery = 0;
    double clientCpuUsPerDelivery = 0;
    double eventBytes = 0;
    // Faults, summed over runs.
    qint64 lost = 0, duplicates = 0, stray = 0, disconnects = 0, writeFailures = 0;

    bool clean() const
    {
        return lost == 0 && duplicates == 0 && writeFailures == 0 && disconnects == 0;
    }

    /// From the clients' "result", the server's CPU time and the pacing actually achieved.
    static Result fromClients(const QJsonObject &o, double serverCpuMs)
    {
        Result r;
        const QJsonObject l = o.value(u"latencyMs").toObject();
        const QJsonObject s = o.value(u"spreadMs").toObject();
        r.p50 = l.value(u"p50").toDouble();
        r.p90 = l.value(u"p90").toDouble();
        r.p99 = l.value(u"p99").toDouble();
        r.max = l.value(u"max").toDouble();
        r.spreadP50 = s.value(u"p50").toDouble();
        r.spreadP99 = s.value(u"p99").toDouble();
        r.spreadMax = s.value(u"max").toDouble();
        const double received = o.value(u"deliveries").toDouble();
        const double seconds
            = (o.value(u"lastReceivedAt").toDouble() - o.value(u"firstSentAt").toDouble()) / 1000.0;
        r.deliveriesPerSec = seconds > 0 ? received / seconds : 0.0;
        r.serverCpuUsPerDelivery = received > 0 ? serverCpuMs * 1000.0 / received : 0.0;
        r.clientCpuUsPerDelivery
            = received > 0 ? o.value(u"cpuMs").toDouble() * 1000.0 / received : 0.0;
        r.eventBytes = o.value(u"eventBytes").toDouble();
        r.lost = o.value(u"lost").toInteger(-1);
        r.duplicates = o.value(u"duplicates").toInteger(-1);
        r.stray = o.value(u"stray").toInteger();
        r.disconnects = o.value(u"disconnects").toInteger();
        return r;
    }

    /// The median of each figure over @p all; the faults are summed.
    static Result median(const QList<Result> &all)
    {
        const auto med = [&all](double Result::*field) {
            std::vector<double> v;
            for (const auto &r : all)
                v.push_back(r.*field);
            std::sort(v.begin(), v.end());
            const size_t n = v.size();
            return n == 0 ? 0.0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        };
        Result m = all.value(0);
        m.runs = int(all.size());
        for (double Result::*field :
             {&Result::p50, &Result::p90, &Result::p99, &Result::max, &Result::spreadP50,
              &Result::spreadP99, &Result::spreadMax, &Result::deliveriesPerSec,
              &Result::offeredPerSec, &Result::serverCpuUsPerDelivery,
              &Result::clientCpuUsPerDelivery, &Result::eventBytes})
            m.*field = med(field);
        m.lost = m.duplicates = m.stray = m.disconnects = m.writeFailures = 0;
        for (const auto &r : all) {
            m.lost += r.lost;
            m.duplicates += r.duplicates;
            m.stray += r.stray;
            m.disconnects += r.disconnects;
            m.writeFailures += r.writeFailures;
        }
        return m;
    }

    QByteArray toJson() const
    {
        JsonLine latency;
        latency.add("p50", round3(p50)).add("p90", round3(p90));
        latency.add("p99", round3(p99)).add("max", round3(max));
        JsonLine spread;
        spread.add("p50", round3(spreadP50)).add("p99", round3(spreadP99));
        spread.add("max", round3(spreadMax));
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName))
            .add("server", server)
            .add("clients", clients)
            .add("writes", writes)
            .add("intervalMs", intervalMs);
        if (runs > 1)
            line.add("runs", runs);
        line.add("deliveries", qint64(writes) * clients)
            .add("lost", lost)
            .add("duplicates", duplicates)
            .addRaw("latencyMs", latency.toJson())
            .addRaw("spreadMs", spread.toJson())
            .add("deliveriesPerSec", std::round(deliveriesPerSec))
            .add("offeredPerSec", std::round(offeredPerSec))
            .add("serverCpuUsPerDelivery", round3(serverCpuUsPerDelivery))
            .add("clientCpuUsPerDelivery", round3(clientCpuUsPerDelivery))
            .add("eventBytes", std::round(eventBytes));
        if (writeFailures)
            line.add("writeFailures", writeFailures);
        if (stray)
            line.add("stray", stray);
        if (disconnects)
            line.add("disconnects", disconnects);
        return line.toJson();
    }
};

class FanoutBench
{
public:
    int writes = 200;
    double intervalMs = 5;
    int runs = 1;
    bool perRun = false;
    bool measureLivedesk = true;
    bool measureNode = true;

    /// Starts livedesk-server, the peer server and the clients; false after saying why.
    bool start()
    {
        const QString node = QStringLiteral(LIVEDESK_NODE_EXECUTABLE);
        if (node.isEmpty() || !QFileInfo(node).isExecutable()) {
            complain(u"node was not found at configure time; install Node.js (./dev deps) "
                     "and re-run cmake"_s);
            return false;
        }
        if (measureLivedesk) {
            QString error;
            // In-memory database, built-in clinical schema, demo rows.
            if (!m_livedesk.start({}, QString::fromLatin1(userEmail), &error)) {
                complain(u"livedesk-server did not start: %1"_s.arg(error));
                return false;
            }
            m_writer = std::make_unique<RestWriter>(m_livedesk.baseUrl(), m_livedesk.token());
            if (!m_writer->prepare(4)) {
                complain(u"cannot connect to livedesk-server"_s);
                return false;
            }
        }
        if (measureNode) {
            // As livedesk-server: AegisX rooms and path, connection state recovery on (every
            // event then carries an offset, as livedesk-server's do).
            m_peer.start(
                node, QStringLiteral(LIVEDESK_PEER_SERVER_JS),
                {u"--port"_s, u"0"_s, u"--aegisx"_s, u"--path"_s, u"/api/ws/"_s, u"--recovery"_s});
            const auto ready = m_peer.waitFor(NodePeer::hasKey(u"ready"_s), 15000);
            if (!ready) {
                complain(u"the peer server did not start (are its modules installed? `./dev "
                         "deps` runs npm ci in tests/interop)"_s);
                return false;
            }
            m_peerUrl = u"http://127.0.0.1:%1"_s.arg(ready->value(u"port").toInteger());
        }
        m_clients.start(node, QStringLiteral(LIVEDESK_FANOUT_CLIENTS_JS));
        m_clients.send({{u"cmd"_s, u"now"_s}});
        if (!m_clients.waitFor(NodePeer::hasKey(u"now"_s), 15000)) {
            complain(u"the clients (bench/fanout-clients.js) did not start"_s);
            return false;
        }
        return true;
    }

    /// Prints how far the clients' clock is from ours: latencies span two processes.
    void checkClock()
    {
        std::optional<double> best;
        double rtt = 1e9;
        for (int i = 0; i < 20; ++i) {
            const double t0 = epochMsNow();
            m_clients.send({{u"cmd"_s, u"now"_s}});
            const auto line = m_clients.waitFor(NodePeer::hasKey(u"now"_s), 5000);
            const double t1 = epochMsNow();
            if (!line)
                return;
            if (t1 - t0 < rtt) {
                rtt = t1 - t0;
                best = line->value(u"now").toDouble() - (t0 + t1) / 2;
            }
        }
        JsonLine clock;
        clock.add("clientsOffsetMs", round3(best.value_or(0))).add("clientsRttMs", round3(rtt));
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName)).addRaw("clock", clock.toJson());
        printLine(line.toJson());
    }

    /// Each server fans a few writes out to 100 clients first, so that nothing measured runs
    /// cold (JIT, SQLite statements, allocations).
    bool warmUp()
    {
        for (const QString &server : servers()) {
            if (!connectClients(server, 100))
                return false;
            const auto r = runWrites(server, 100, 100, 2);
            disconnectClients(server);
            if (!r || !r->clean()) {
                complain(u"warm-up on %1 failed%2"_s.arg(
                    server, r ? u": "_s + QString::fromUtf8(r->toJson()) : QString()));
                return false;
            }
        }
        return true;
    }

    /// Measures fan-out to @p clients, writes @p intervals ms apart, with each server in
    /// turn (the clients stay connected across the intervals); false on any fault.
    bool measure(int clients, const QList<double> &intervals)
    {
        QHash<QString, QList<Result>> results;
        bool ok = true;
        for (const QString &server : servers()) {
            if (!connectClients(server, clients))
                return false;
            for (const double interval : intervals) {
                const auto pre = runWrites(server, clients, preRollWrites, interval);
                QList<Result> all;
                if (pre && !pre->clean())
                    all.append(*pre);
                for (int run = 0; pre && pre->clean() && run < runs; ++run) {
                    const auto r = runWrites(server, clients, writes, interval);
                    if (!r)
                        break;
                    if (perRun)
                        printLine(r->toJson());
                    all.append(*r);
                    if (!r->clean())
                        break;
                }
                if (all.isEmpty()) {
                    ok = false;
                    break;
                }
                const Result m = Result::median(all);
                if (!perRun || all.size() > 1)
                    printLine(m.toJson());
                ok = ok && m.clean() && all.size() == runs;
                results[server].append(m);
            }
            disconnectClients(server);
            if (!ok)
                return false;
        }
        const auto ours = results.value(QString::fromLatin1(livedeskServer));
        const auto theirs = results.value(QString::fromLatin1(nodeServer));
        for (qsizetype i = 0; i < std::min(ours.size(), theirs.size()); ++i) {
            const Result &a = ours[i];
            const Result &b = theirs[i];
            const auto ratio = [](double x, double y) {
                return y > 0 ? round3(x / y) : 0.0;
            };
            JsonLine line;
            line.add("bench", QString::fromLatin1(benchName))
                .add("ratio", u"livedesk/node-socket.io"_s)
                .add("clients", clients)
                .add("intervalMs", a.intervalMs)
                .add("p50", ratio(a.p50, b.p50))
                .add("p90", ratio(a.p90, b.p90))
                .add("p99", ratio(a.p99, b.p99))
                .add("max", ratio(a.max, b.max))
                .add("deliveriesPerSec", ratio(a.deliveriesPerSec, b.deliveriesPerSec))
                .add("serverCpuPerDelivery",
                     ratio(a.serverCpuUsPerDelivery, b.serverCpuUsPerDelivery));
            printLine(line.toJson());
        }
        return ok;
    }

private:
    QStringList servers() const
    {
        QStringList list;
        if (measureLivedesk)
            list.append(QString::fromLatin1(livedeskServer));
        if (measureNode)
            list.append(QString::fromLatin1(nodeServer));
        return list;
    }

    bool isLivedesk(const QString &server) const
    {
        return server == QLatin1StringView(livedeskServer);
    }

    bool connectClients(const QString &server, int count)
    {
        const bool ours = isLivedesk(server);
        m_clients.send({{u"cmd"_s, u"connect"_s},
                        {u"url"_s, ours ? m_livedesk.baseUrl().toString() : m_peerUrl},
                        {u"path"_s, u"/api/ws/"_s},
                        // The Node server takes any token (no --token); it gets one anyway.
                        {u"token"_s, m_livedesk.token()},
                        {u"count"_s, count},
                        {u"features"_s, QJsonArray{QString::fromLatin1(feature)}},
                        {u"event"_s, QString::fromLatin1(eventName)}});
        const auto line = m_clients.waitFor(
            [](const QJsonObject &o) { return o.contains(u"connected") || o.contains(u"error"); },
            connectTimeoutMs);
        if (!line || !line->contains(u"connected")) {
            complain(u"%1 clients did not connect to %2: %3"_s.arg(count).arg(
                server, line ? line->value(u"error").toString() : u"no answer"_s));
            m_clients.send({{u"cmd"_s, u"disconnect"_s}});
            m_clients.waitFor(NodePeer::hasKey(u"disconnected"_s), connectTimeoutMs);
            return false;
        }
        m_peer.clear();
        return true;
    }

    void disconnectClients(const QString &server)
    {
        m_clients.send({{u"cmd"_s, u"disconnect"_s}});
        m_clients.waitFor(NodePeer::hasKey(u"disconnected"_s), connectTimeoutMs);
        // The next scenario starts once the server has let every connection go.
        const auto gone = [this, &server] {
            if (isLivedesk(server))
                return m_livedesk.connectionCount() == 0;
            m_peer.send({{u"cmd"_s, u"sockets"_s}, {u"id"_s, ++m_peerId}});
            const auto line = m_peer.waitFor(numberIs(u"done"_s, m_peerId), 5000);
            return line && line->value(u"count").toInteger() == 0;
        };
        if (!waitUntil(gone, connectTimeoutMs))
            complain(u"%1 still holds connections after the clients left"_s.arg(server));
        m_peer.clear();
    }

    /// CPU time the peer server's process has used (all its threads), in milliseconds.
    double peerCpuMs()
    {
        m_peer.send({{u"cmd"_s, u"cpu"_s}, {u"id"_s, ++m_peerId}});
        const auto line = m_peer.waitFor(numberIs(u"done"_s, m_peerId), 10000);
        if (!line)
            return 0;
        return (line->value(u"userUs").toDouble() + line->value(u"systemUs").toDouble()) / 1000.0;
    }

    /// The record each write creates (and that the Node server sends in its envelope).
    static QJsonObject record(int run, int k)
    {
        static const QStringList wards{u"Medicine 1"_s, u"Surgery"_s, u"ICU"_s, u"Cardiology"_s};
        return {{u"hn"_s, u"FO%1-%2"_s.arg(run).arg(k)},
                {u"name"_s, u"Fanout Patient %1-%2"_s.arg(run).arg(k)},
                {u"date_of_birth"_s, u"1980-01-31"_s},
                {u"sex"_s, k % 2 ? u"female"_s : u"male"_s},
                {u"ward"_s, wards.at(k % wards.size())},
                {u"status"_s, u"admitted"_s}};
    }

    /// Makes write @p k of @p run; returns when it was made, or nullopt to retry later.
    std::optional<double> write(const QString &server, int run, int k)
    {
        QJsonObject data = record(run, k);
        if (isLivedesk(server))
            return m_writer->post("/api/patients",
                                  QJsonDocument(data).toJson(QJsonDocument::Compact));
        // The fields livedesk-server adds to a stored record, so that both envelopes' data
        // look alike (meta differs: livedesk adds eventId, seq and version).
        const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        data.insert(u"id"_s, 100000 + k);
        data.insert(u"version"_s, 1);
        data.insert(u"created_at"_s, now);
        data.insert(u"updated_at"_s, now);
        data.insert(u"created_by"_s, u"u-nurse"_s);
        data.insert(u"updated_by"_s, u"u-nurse"_s);
        const QJsonObject command{
            {u"cmd"_s, u"aegis"_s},      {u"feature"_s, QString::fromLatin1(feature)},
            {u"entity"_s, u"patient"_s}, {u"action"_s, u"created"_s},
            {u"data"_s, data},           {u"userId"_s, u"u-nurse"_s},
            {u"twice"_s, false}};
        const double sentAt = epochMsNow();
        m_peer.send(command);
        return sentAt;
    }

    /// @p count writes to @p server, @p interval ms apart, received by @p clients clients.
    std::optional<Result> runWrites(const QString &server, int clients, int count, double interval)
    {
        const bool ours = isLivedesk(server);
        const int run = ++m_run;
        m_clients.send({{u"cmd"_s, u"start"_s}, {u"run"_s, run}, {u"writes"_s, count}});
        if (!m_clients.waitFor(numberIs(u"started"_s, run), 10000)) {
            complain(u"the clients did not start run %1"_s.arg(run));
            return std::nullopt;
        }
        const int failures0 = ours ? m_writer->failures() : 0;
        const double cpu0 = ours ? m_livedesk.cpuMs() : peerCpuMs();

        // Paced by the clock, not by timer ticks (which run late): make whatever is due.
        std::vector<double> sentAt(size_t(count), 0.0);
        int next = 0;
        const auto start = Clock::now();
        QEventLoop loop;
        QTimer tick;
        tick.setTimerType(Qt::PreciseTimer);
        const auto pump = [&] {
            const double elapsedMs = msSince(start);
            const int due
                = interval > 0 ? std::min(count, int(std::floor(elapsedMs / interval)) + 1) : count;
            while (next < due) {
                const auto t = write(server, run, next);
                if (!t)
                    break; // every connection busy: the next tick tries again
                sentAt[size_t(next++)] = *t;
            }
            if (next >= count)
                loop.quit();
        };
        QObject::connect(&tick, &QTimer::timeout, &loop, pump);
        tick.start(1);
        QTimer::singleShot(0, &loop, pump);
        loop.exec();
        tick.stop();
        const double lastSentMs = msSince(start);

        const auto complete = m_clients.waitFor(numberIs(u"complete"_s, run), drainTimeoutMs);
        if (ours)
            waitUntil([this] { return m_writer->outstanding() == 0; }, drainTimeoutMs);
        const double cpu1 = ours ? m_livedesk.cpuMs() : peerCpuMs();
        if (!complete)
            complain(u"%1, %2 clients: not every delivery arrived within %3 s"_s.arg(server)
                         .arg(clients)
                         .arg(drainTimeoutMs / 1000));

        QJsonArray times;
        for (const double t : sentAt)
            times.append(t);
        m_clients.send({{u"cmd"_s, u"finish"_s}, {u"sentAt"_s, times}});
        const auto result = m_clients.waitFor(NodePeer::hasKey(u"result"_s), 30000);
        m_peer.clear();
        if (!result) {
            complain(u"the clients gave no result for run %1"_s.arg(run));
            return std::nullopt;
        }
        Result r = Result::fromClients(result->value(u"result").toObject(), cpu1 - cpu0);
        r.server = server;
        r.clients = clients;
        r.writes = count;
        r.intervalMs = interval;
        r.offeredPerSec = lastSentMs > 0 && count > 1
            ? double(count - 1) * clients / (lastSentMs / 1000.0)
            : 0.0;
        r.writeFailures = ours ? m_writer->failures() - failures0 : 0;
        return r;
    }

    LivedeskHost m_livedesk;
    std::unique_ptr<RestWriter> m_writer;
    NodePeer m_peer{u"peer-server"_s};
    NodePeer m_clients{u"fanout-clients"_s};
    QString m_peerUrl;
    int m_run = 0;
    qint64 m_peerId = 0;
};

} // namespace

int main(int argc, char **argv)
{
    raiseFileLimit();
    // As the livedesk-server executable does (server/main.cpp): no GLib event dispatcher.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_server_fanout"_s);
    // Connection chatter would drown the figures; warnings still show.
    QLoggingCategory::setFilterRules(u"livedesk.*.info=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Fan-out of one write to N Socket.IO clients: livedesk-server (REST write, SQLite, "
        "event) next to the reference socket.io 4.8 server, received by the same Node "
        "clients. Prints JSON lines."_s);
    parser.addHelpOption();
    const QCommandLineOption quick(u"quick"_s,
                                   u"50 writes per scenario instead of 200 (about 30 s)."_s);
    const QCommandLineOption clientsOption(u"clients"_s,
                                           u"Comma-separated client counts (default 1,100,1000)."_s,
                                           u"list"_s, u"1,100,1000"_s);
    const QCommandLineOption writesOption(u"writes"_s,
                                          u"Measured writes per scenario (default 200)."_s, u"n"_s);
    const QCommandLineOption intervalOption(
        u"interval-ms"_s,
        u"Time between two writes in ms (default 5; 0: back to back). Without it, client "
        "counts that 5 ms would saturate are also measured at 20000 deliveries/s."_s,
        u"ms"_s, u"5"_s);
    const QCommandLineOption serverOption(u"server"_s, u"livedesk, node or both (default)."_s,
                                          u"which"_s, u"both"_s);
    const QCommandLineOption runsOption(
        u"runs"_s, u"Runs per scenario and server, whose medians the lines give (default 1)."_s,
        u"n"_s, u"1"_s);
    const QCommandLineOption perRunOption(u"per-run"_s, u"Also print every run's own line."_s);
    parser.addOptions({quick, clientsOption, writesOption, intervalOption, serverOption, runsOption,
                       perRunOption});
    parser.process(app);

    const QString which = parser.value(serverOption);
    if (which != u"both" && which != u"livedesk" && which != u"node") {
        complain(u"--server must be livedesk, node or both"_s);
        return 2;
    }
    QList<int> counts;
    for (const QString &part : parser.value(clientsOption).split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n < 1) {
            complain(u"--clients takes positive numbers, e.g. 1,100,1000"_s);
            return 2;
        }
        counts.append(n);
    }
    int writes = parser.isSet(quick) ? 50 : 200;
    if (parser.isSet(writesOption)) {
        bool ok = false;
        writes = parser.value(writesOption).toInt(&ok);
        if (!ok || writes < 1) {
            complain(u"--writes must be a positive number"_s);
            return 2;
        }
    }
    bool runsOk = false;
    const int runs = parser.value(runsOption).toInt(&runsOk);
    if (!runsOk || runs < 1) {
        complain(u"--runs must be a positive number"_s);
        return 2;
    }
    bool intervalOk = false;
    const double interval = parser.value(intervalOption).toDouble(&intervalOk);
    if (!intervalOk || interval < 0) {
        complain(u"--interval-ms must be a number >= 0"_s);
        return 2;
    }

    int status = 2;
    QTimer::singleShot(0, &app, [&] {
        FanoutBench bench;
        bench.writes = writes;
        bench.intervalMs = interval;
        bench.runs = runs;
        bench.perRun = parser.isSet(perRunOption);
        bench.measureLivedesk = which != u"node";
        bench.measureNode = which != u"livedesk";
        if (bench.start()) {
            bench.checkClock();
            if (bench.warmUp()) {
                status = 0;
                for (const int n : std::as_const(counts)) {
                    QList<double> intervals{interval};
                    // Where the asked interval offers more deliveries than this kind of
                    // machine can make, also measure below saturation (README).
                    const double offered = interval > 0 ? n * 1000.0 / interval : 1e300;
                    if (!parser.isSet(intervalOption) && offered > saturationPerSec)
                        intervals.append(n * 1000.0 / belowSaturationPerSec);
                    if (!bench.measure(n, intervals))
                        status = 1;
                }
            } else {
                status = 1;
            }
        }
        QCoreApplication::exit(status);
    });
    app.exec();
    return status;
}
