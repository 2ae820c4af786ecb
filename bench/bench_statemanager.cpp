// SPDX-License-Identifier: MIT
// bench_statemanager: livedesk's RealtimeStateManager against livedesk-server running
// in-process on a thread of its own. HIS mode: how long a full reload (REST pages of 1000 and
// the keyed diff) takes at 1,000, 10,000 and 100,000 rows: the first load, nothing changed,
// 1% of rows changed. Live mode: how fast real change events are applied to a mirror of
// 100,000 rows (updates as the server makes them, the same as a backlog, then deletes), which
// must end equal to the server. bench/README.md explains the figures.
//
//   bench_statemanager [--quick] [--rows N] [--events N] [--deletes N] [--runs N]
//                      [--sort field[:asc|:desc][,...]]
//
// Prints JSON lines on stdout. Exits 1 when the mirror does not end equal to the server, a
// reload showed the wrong rows or an event stream stalled; 2 when it could not be set up.
#include "eventpublisher.h"
#include "events/realtimechannel.h"
#include "livedeskhost.h"
#include "recordstore.h"
#include "rest/apiclient.h"
#include "rest/restreply.h"
#include "serverschema.h"
#include "socketio/socketioclient.h"
#include "state/realtimestatemanager.h"
#include "state/resourceschema.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDate>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace livedesk::bench;
using livedesk::server::LivedeskServer;
using Manager = livedesk::RealtimeStateManager;

namespace {

constexpr auto benchName = "statemanager";
constexpr auto readerEmail = "nurse@demo.local"; // tenant ward-a
constexpr auto tenantName = "ward-a";
constexpr auto writerUserId = "u-doctor"; // another user of ward-a writes
constexpr int pageSize = 1000; // the manager's default, AegisX's maximum
constexpr int importBatch = 10000;
// A stream that applies nothing for this long has stalled.
constexpr int stallMs = 15000;
constexpr int reloadTimeoutMs = 5 * 60 * 1000;

void complain(const QString &message)
{
    std::fprintf(stderr, "bench_statemanager: %s\n", qPrintable(message));
}

QString tenant()
{
    return QString::fromLatin1(tenantName);
}

QString writer()
{
    return QString::fromLatin1(writerUserId);
}

double msBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/// A small deterministic generator (the same rows and picks every run).
class Lcg
{
public:
    explicit Lcg(quint64 seed)
        : m_state(seed)
    {
    }
    quint32 next()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return quint32(m_state >> 33);
    }

private:
    quint64 m_state;
};

const QString &pick(const QList<QString> &values, quint32 r)
{
    return values[qsizetype(r % quint32(values.size()))];
}

const QList<QString> &wards()
{
    static const QList<QString> w{u"Medicine 1"_s,   u"Medicine 2"_s,  u"Surgery"_s,
                                  u"Orthopaedics"_s, u"Paediatrics"_s, u"ICU"_s,
                                  u"Cardiology"_s,   u"Maternity"_s};
    return w;
}

/// Patient @p serial, typed as RecordStore::importRows() takes it; hn `SM0000001`...
QJsonObject patientRow(qint64 serial, Lcg &rng)
{
    static const QList<QString> first{u"Somchai"_s,  u"Malee"_s,   u"Anong"_s,  u"Kittisak"_s,
                                      u"Siriporn"_s, u"Prasert"_s, u"Wanida"_s, u"Niran"_s};
    static const QList<QString> last{u"Srisuk"_s,     u"Thongdee"_s, u"Wongsawat"_s,
                                     u"Rattanakul"_s, u"Boonmee"_s,  u"Jaidee"_s};
    static const QList<QString> sexes{u"male"_s, u"female"_s, u"other"_s, u"unknown"_s};
    static const QList<QString> statuses{u"admitted"_s, u"transferred"_s, u"discharged"_s};
    const quint32 r = rng.next();
    return {{u"hn"_s, u"SM%1"_s.arg(serial, 7, 10, QLatin1Char('0'))},
            {u"name"_s, QString(pick(first, r) + u' ' + pick(last, r >> 8))},
            {u"date_of_birth"_s,
             QDate(1935, 1, 1).addDays(qint64(rng.next() % 32000)).toString(Qt::ISODate)},
            {u"sex"_s, pick(sexes, r >> 4)},
            {u"ward"_s, pick(wards(), r >> 12)},
            {u"status"_s, pick(statuses, r >> 16)}};
}

const livedesk::server::ResourceSpec &patientsIn(LivedeskServer *server)
{
    return *server->schema().resourceByName(u"patients");
}

/// What one reload cost; times in milliseconds.
class ReloadFigures
{
public:
    double ms = 0; ///< trigger → synced()
    double restMs = -1; ///< trigger → the last page's network reply finished
    double applyMs = -1; ///< that → synced(): decoding that page, then the keyed diff
    double clientCpuMs = 0;
    double serverCpuMs = 0;
    int pages = 0;
    int changedRows = -1;
};

/**
 * A burst of writes made on the server's thread, each with its event, as the REST routes make
 * them. Written one per turn of the server's event loop (writeInTurns()), as separate requests
 * are: livedesk-server sends what a turn wrote when its loop next polls the socket. Or all in
 * one turn while this thread waits (a backlog the client then drains).
 */
class Stream
{
public:
    LivedeskServer *server = nullptr;
    bool deletes = false;
    /// Updates: records picked from these at random; deletes: these, in order.
    std::vector<qint64> ids;
    int count = 0;
    /// Makes every update's name unique across streams, so that every update changes the record.
    int tag = 0;
    // Written on the server's thread; read here once done is set.
    int next = 0;
    int failures = 0;
    Lcg rng{7};
    Clock::time_point startedAt;
    Clock::time_point endedAt;
    /// Writes made so far (readable at any time).
    std::atomic<int> written{0};
    std::atomic<bool> done{false};
};

// Runs on the server's thread: up to @p max writes; false once the stream is complete.
bool writeSome(Stream &s, int max)
{
    LivedeskServer *server = s.server;
    const auto &spec = patientsIn(server);
    const livedesk::server::EventPublisher::Origin origin{tenant(), writer(), {}, {}};
    if (s.next == 0)
        s.startedAt = Clock::now();
    const int end = std::min(s.count, s.next + max);
    for (; s.next < end; ++s.next) {
        if (s.deletes) {
            const qint64 id = s.ids[size_t(s.next)];
            const auto removed = server->store()->remove(spec, tenant(), writer(), id);
            if (!removed) {
                ++s.failures;
                continue;
            }
            // As the REST route does: the id as a string, the version the record had.
            server->publisher()->publish(spec, u"deleted"_s,
                                         QJsonObject{{u"id"_s, QString::number(id)}}, origin,
                                         removed.value().value(u"version").toInteger());
        } else {
            const quint32 r = s.rng.next();
            const qint64 id = s.ids[size_t(r % quint32(s.ids.size()))];
            const auto updated
                = server->store()->update(spec, tenant(), writer(), id,
                                          {{u"name"_s, u"Updated %1.%2"_s.arg(s.tag).arg(s.next)},
                                           {u"ward"_s, pick(wards(), r >> 3)}});
            if (!updated) {
                ++s.failures;
                continue;
            }
            server->publisher()->publish(spec, u"updated"_s, updated.value(), origin,
                                         updated.value().value(u"version").toInteger());
        }
    }
    s.written.store(s.next - s.failures, std::memory_order_relaxed);
    if (s.next < s.count)
        return true;
    s.endedAt = Clock::now();
    s.done.store(true, std::memory_order_release);
    return false;
}

// Runs on the server's thread: one write, the next one on the next turn.
void writeInTurns(const std::shared_ptr<Stream> &s)
{
    if (writeSome(*s, 1))
        QMetaObject::invokeMethod(
            s->server, [s] { writeInTurns(s); }, Qt::QueuedConnection);
}

/// How a stream's writes reach the client; see Stream.
enum class Feed { PerTurn = 1, Backlog = 2 };

class StateManagerBench
{
public:
    qint64 rows = 100000;
    int events = 20000;
    int deletes = 1000;
    int runs = 3;
    /// The HIS mirror's sort (live mode always sorts by id).
    QList<std::pair<QString, Qt::SortOrder>> hisSort{{u"id"_s, Qt::AscendingOrder}};

    int run()
    {
        pthread_getcpuclockid(pthread_self(), &m_clientCpu);
        std::vector<qint64> sizes;
        for (const qint64 size : {1000, 10000, 100000}) {
            if (size < rows)
                sizes.push_back(size);
        }
        sizes.push_back(rows);

        if (!setUp())
            return 2;
        for (const auto &key : std::as_const(hisSort)) {
            if (m_schema.columnIndex(key.first) < 0) {
                complain(u"--sort: patients have no field \"%1\""_s.arg(key.first));
                return 2;
            }
        }
        JsonLine setup;
        QJsonArray sizeList;
        for (const qint64 size : sizes)
            sizeList.append(size);
        setup.add("bench", QString::fromLatin1(benchName))
            .add("setup", true)
            .add("rows", rows)
            .add("hisSizes", sizeList)
            .add("events", events)
            .add("deletes", deletes)
            .add("runs", runs)
            .add("pageSize", pageSize)
            .add("hisSort", sortText(hisSort))
            .add("database", u"sqlite :memory:"_s);
        printLine(setup.toJson());

        bool good = true;
        for (const qint64 size : sizes) {
            if (!grow(size))
                return 2;
            good = measureHis(size) && good;
        }
        good = measureLive() && good;
        return good ? 0 : 1;
    }

private:
    // ------------------------------------------------------------------------------------
    // Set-up

    bool setUp()
    {
        LivedeskServer::Options options;
        options.seedDemoData = false; // exactly the rows this program makes
        QString error;
        if (!m_host.start(options, QString::fromLatin1(readerEmail), &error)) {
            complain(u"livedesk-server did not start: %1"_s.arg(error));
            return false;
        }
        m_host.call([this](LivedeskServer *s) { m_server = s; });
        m_api.setBaseUrl(m_host.baseUrl());
        m_api.setTokens(m_host.token());
        // The ApiClient's QNetworkAccessManager tells when each page's reply has arrived.
        m_nam = m_api.findChild<QNetworkAccessManager *>();
        if (!m_nam)
            complain(u"no QNetworkAccessManager under the ApiClient: restMs and applyMs are "
                     "not measured"_s);

        const auto schemaReply = await(m_api.get(u"/api/schema"_s));
        if (!schemaReply.ok) {
            complain(u"GET /api/schema failed: %1"_s.arg(schemaReply.error));
            return false;
        }
        const auto parsed = livedesk::ResourceSchema::fromSchemaDocument(
            schemaReply.data.toObject(), u"patients"_s, &error);
        if (!parsed) {
            complain(u"no patients schema: %1"_s.arg(error));
            return false;
        }
        m_schema = *parsed;

        livedesk::SocketIoClient::Options o;
        o.url = m_host.baseUrl();
        o.path = u"/api/ws/"_s;
        o.auth = {{u"token"_s, m_host.token()}};
        m_client.setOptions(o);
        m_channel.setSubscription({u"patients"_s});
        bool subscribed = false;
        const auto confirmed
            = QObject::connect(&m_channel, &livedesk::RealtimeChannel::subscriptionConfirmed,
                               &m_channel, [&subscribed] { subscribed = true; });
        m_client.open();
        const bool ok = waitUntil([&subscribed] { return subscribed; }, 10000);
        QObject::disconnect(confirmed);
        if (!ok)
            complain(u"the client could not subscribe: %1"_s.arg(m_client.failureMessage()));
        return ok;
    }

    class Outcome
    {
    public:
        bool ok = false;
        QJsonValue data;
        QJsonObject pagination;
        QString error;
    };

    static Outcome await(livedesk::RestReply *reply)
    {
        Outcome out;
        bool done = false;
        QObject::connect(reply, &livedesk::RestReply::finished, reply, [&] {
            out.ok = reply->ok();
            out.data = reply->data();
            out.pagination = reply->pagination();
            out.error = reply->error().toString();
            done = true;
        });
        if (!waitUntil([&done] { return done; }, 60000, 1))
            out.error = u"no answer within 60 s"_s;
        return out;
    }

    /// Adds patients on the server (one transaction per 10,000) until the tenant has @p size.
    bool grow(qint64 size)
    {
        QString error;
        m_host.call([&](LivedeskServer *s) {
            while (qint64(m_ids.size()) < size) {
                const qint64 n = std::min<qint64>(importBatch, size - qint64(m_ids.size()));
                QList<QJsonObject> batch;
                batch.reserve(n);
                for (qint64 i = 0; i < n; ++i)
                    batch.append(patientRow(++m_serial, m_rng));
                const auto outcome = s->store()->importRows(
                    patientsIn(s), tenant(), writer(), batch,
                    livedesk::server::RecordStore::ImportMode::AllOrNothing);
                if (!outcome || outcome.value().inserted != n) {
                    error = outcome ? u"rows were refused"_s : outcome.error().message();
                    return;
                }
                for (const qint64 id : outcome.value().ids)
                    m_ids.push_back(id);
            }
        });
        if (!error.isEmpty())
            complain(u"cannot create %1 patients: %2"_s.arg(size).arg(error));
        return error.isEmpty();
    }

    /// @p count distinct ids of the rows, at random.
    std::vector<qint64> distinctIds(qint64 count)
    {
        std::vector<qint64> ids = m_ids;
        count = std::min<qint64>(count, qint64(ids.size()));
        for (qint64 i = 0; i < count; ++i) {
            const size_t j = size_t(i) + m_rng.next() % quint32(ids.size() - size_t(i));
            std::swap(ids[size_t(i)], ids[j]);
        }
        ids.resize(size_t(count));
        return ids;
    }

    /// Changes @p count distinct records on the server without events (one transaction).
    bool changeQuietly(qint64 count)
    {
        const std::vector<qint64> ids = distinctIds(count);
        bool ok = false;
        m_host.call([&](LivedeskServer *s) {
            ok = s->store()->transaction([&] {
                for (const qint64 id : ids) {
                    const auto updated
                        = s->store()->update(patientsIn(s), tenant(), writer(), id,
                                             {{u"name"_s, u"Changed %1"_s.arg(++m_changes)}});
                    if (!updated)
                        return false;
                }
                return true;
            });
        });
        if (!ok)
            complain(u"cannot change %1 patients"_s.arg(count));
        return ok;
    }

    // ------------------------------------------------------------------------------------
    // Reloads

    static QString sortText(const QList<std::pair<QString, Qt::SortOrder>> &sort)
    {
        QStringList keys;
        for (const auto &[field, order] : sort)
            keys.append(field + (order == Qt::AscendingOrder ? u":asc"_s : u":desc"_s));
        return keys.join(u',');
    }

    std::unique_ptr<Manager> makeManager(Manager::Mode mode)
    {
        Manager::Options options;
        options.mode = mode;
        options.pageSize = pageSize;
        options.query.sort = mode == Manager::Mode::His
            ? hisSort
            : QList<std::pair<QString, Qt::SortOrder>>{{u"id"_s, Qt::AscendingOrder}};
        return std::make_unique<Manager>(&m_api, &m_channel, m_schema, options);
    }

    /// Runs @p trigger (start() or reload()) and waits for the manager's synced().
    std::optional<ReloadFigures> measureReload(Manager *manager,
                                               const std::function<void()> &trigger)
    {
        ReloadFigures f;
        std::optional<Clock::time_point> lastArrival;
        std::optional<Clock::time_point> syncedAt;
        double clientCpuAtSync = 0;
        double serverCpuAtSync = 0;
        QMetaObject::Connection arrivals;
        if (m_nam) {
            arrivals = QObject::connect(m_nam, &QNetworkAccessManager::finished, m_nam, [&] {
                lastArrival = Clock::now();
                ++f.pages;
            });
        }
        const auto synced
            = QObject::connect(manager, &Manager::synced, manager, [&](int changedRows) {
                  if (syncedAt)
                      return;
                  syncedAt = Clock::now();
                  clientCpuAtSync = threadCpuMs(m_clientCpu);
                  serverCpuAtSync = m_host.cpuMs();
                  f.changedRows = changedRows;
              });
        const double clientCpu0 = threadCpuMs(m_clientCpu);
        const double serverCpu0 = m_host.cpuMs();
        const auto start = Clock::now();
        trigger();
        waitUntil([&syncedAt] { return syncedAt.has_value(); }, reloadTimeoutMs, 1);
        QObject::disconnect(arrivals);
        QObject::disconnect(synced);
        if (!syncedAt) {
            complain(u"no reload completed within %1 s"_s.arg(reloadTimeoutMs / 1000));
            return std::nullopt;
        }
        f.ms = msBetween(start, *syncedAt);
        if (lastArrival) {
            f.restMs = msBetween(start, *lastArrival);
            f.applyMs = msBetween(*lastArrival, *syncedAt);
        }
        f.clientCpuMs = clientCpuAtSync - clientCpu0;
        f.serverCpuMs = serverCpuAtSync - serverCpu0;
        return f;
    }

    /// One line for a kind of reload, the median of each figure over @p figures.
    static void printReload(const char *mode, qint64 rows, const char *reload,
                            const std::vector<ReloadFigures> &figures)
    {
        const auto med = [&figures](double ReloadFigures::*member) {
            std::vector<double> v;
            for (const ReloadFigures &f : figures)
                v.push_back(f.*member);
            return round3(median(v));
        };
        const double applyMs = med(&ReloadFigures::applyMs);
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName))
            .add("mode", QString::fromLatin1(mode))
            .add("rows", rows)
            .add("reload", QString::fromLatin1(reload))
            .add("runs", qint64(figures.size()))
            .add("ms", med(&ReloadFigures::ms))
            .add("restMs", med(&ReloadFigures::restMs))
            .add("applyMs", applyMs)
            .add("applyUsPerRow", round3(applyMs * 1000.0 / double(std::max<qint64>(rows, 1))))
            .add("pages", figures.front().pages)
            .add("changedRows", figures.front().changedRows)
            .add("clientCpuMs", med(&ReloadFigures::clientCpuMs))
            .add("serverCpuMs", med(&ReloadFigures::serverCpuMs));
        printLine(line.toJson());
    }

    /// A reload must show exactly @p size rows and report @p changes changed rows, or up to
    /// twice as many with @p mayMove (a changed row that moves counts as removed and inserted).
    bool checkReload(const Manager &manager, const ReloadFigures &f, qint64 size, qint64 changes,
                     const char *what, bool mayMove = false)
    {
        const qint64 most = mayMove ? 2 * changes : changes;
        if (manager.rowCount() == size && f.changedRows >= changes && f.changedRows <= most)
            return true;
        complain(
            u"%1 of %2 rows: the manager shows %3 rows and reported %4 changed, expected "
            "%2 and %5"_s.arg(QString::fromLatin1(what))
                .arg(size)
                .arg(manager.rowCount())
                .arg(f.changedRows)
                .arg(mayMove ? u"%1 to %2"_s.arg(changes).arg(most) : QString::number(changes)));
        return false;
    }

    bool measureHis(qint64 size)
    {
        auto manager = makeManager(Manager::Mode::His);
        const auto initial = measureReload(manager.get(), [&manager] { manager->start(); });
        if (!initial)
            return false;
        bool good = checkReload(*manager, *initial, size, size, "initial load");
        printReload("his", size, "initial", {*initial});

        std::vector<ReloadFigures> unchanged;
        for (int i = 0; i < runs; ++i) {
            const auto f = measureReload(manager.get(), [&manager] { manager->reload(); });
            if (!f)
                return false;
            good = checkReload(*manager, *f, size, 0, "unchanged reload") && good;
            unchanged.push_back(*f);
        }
        printReload("his", size, "unchanged", unchanged);

        const qint64 changes = std::max<qint64>(1, size / 100);
        std::vector<ReloadFigures> changed;
        for (int i = 0; i < runs; ++i) {
            if (!changeQuietly(changes))
                return false;
            const auto f = measureReload(manager.get(), [&manager] { manager->reload(); });
            if (!f)
                return false;
            const bool byId = hisSort.size() == 1 && hisSort.constFirst().first == u"id";
            good = checkReload(*manager, *f, size, changes, "1% changed reload", !byId) && good;
            changed.push_back(*f);
        }
        printReload("his", size, "changed1pct", changed);
        return good;
    }

    // ------------------------------------------------------------------------------------
    // Live mode

    bool measureLive()
    {
        auto manager = makeManager(Manager::Mode::Live);
        const auto initial = measureReload(manager.get(), [&manager] { manager->start(); });
        if (!initial)
            return false;
        bool good = checkReload(*manager, *initial, rows, rows, "live initial load");
        printReload("live", rows, "initial", {*initial});

        if (events > 0) {
            // As they come (one write per server turn), then all at once (a backlog).
            for (const Feed feed : {Feed::PerTurn, Feed::Backlog}) {
                auto stream = std::make_shared<Stream>();
                stream->ids = m_ids;
                stream->count = events;
                stream->tag = int(feed);
                good = streamEvents(manager.get(), stream, "updated", feed) && good;
            }
        }
        if (deletes > 0) {
            auto stream = std::make_shared<Stream>();
            stream->deletes = true;
            stream->ids = distinctIds(deletes);
            stream->count = int(stream->ids.size());
            const std::vector<qint64> gone = stream->ids;
            good = streamEvents(manager.get(), stream, "deleted", Feed::PerTurn) && good;
            std::vector<qint64> sorted = gone;
            std::sort(sorted.begin(), sorted.end());
            std::erase_if(m_ids, [&sorted](qint64 id) {
                return std::binary_search(sorted.begin(), sorted.end(), id);
            });
        }
        return checkMirror(*manager) && good;
    }

    /// Sends @p stream's writes from the server's thread and measures how the manager applies
    /// their events.
    bool streamEvents(Manager *manager, const std::shared_ptr<Stream> &stream, const char *action,
                      Feed feed)
    {
        stream->server = m_server;
        const Manager::Counters before = manager->counters();
        const qint64 appliedBefore = before.eventsApplied;
        std::optional<Clock::time_point> firstSeen;
        Clock::time_point lastApplied;
        qint64 applied = 0;
        double clientCpuAtLast = 0;
        double serverCpuAtLast = 0;
        qint64 rowSignals = 0;
        const auto seen = QObject::connect(&m_channel, &livedesk::RealtimeChannel::eventReceived,
                                           &m_channel, [&firstSeen] {
                                               if (!firstSeen)
                                                   firstSeen = Clock::now();
                                           });
        // The manager applies a turn's events as one batch and then emits stateChanged().
        const auto progressed = QObject::connect(manager, &Manager::stateChanged, manager, [&] {
            const qint64 now = manager->counters().eventsApplied - appliedBefore;
            if (now == applied)
                return;
            applied = now;
            lastApplied = Clock::now();
            clientCpuAtLast = threadCpuMs(m_clientCpu);
            serverCpuAtLast = m_host.cpuMs();
        });
        const auto changed = QObject::connect(manager, &Manager::rowsChanged, manager,
                                              [&rowSignals] { ++rowSignals; });
        const auto removed = QObject::connect(manager, &Manager::rowsRemoved, manager,
                                              [&rowSignals] { ++rowSignals; });

        const int rowsBefore = manager->rowCount();
        const double clientCpu0 = threadCpuMs(m_clientCpu);
        const double serverCpu0 = m_host.cpuMs();
        const auto start = Clock::now();
        if (feed == Feed::PerTurn) {
            QMetaObject::invokeMethod(
                m_server, [stream] { writeInTurns(stream); }, Qt::QueuedConnection);
        } else {
            // Every write in one turn of the server while this thread waits: nothing has been
            // received when the call returns, everything is on its way.
            m_host.call([stream](LivedeskServer *) { writeSome(*stream, stream->count); });
        }
        lastApplied = Clock::now();
        bool stalled = false;
        waitUntil(
            [&] {
                if (stream->done.load(std::memory_order_acquire)
                    && applied >= stream->count - stream->failures)
                    return true;
                stalled = msBetween(lastApplied, Clock::now()) > stallMs;
                return stalled;
            },
            24 * 60 * 60 * 1000, 1);
        QObject::disconnect(seen);
        QObject::disconnect(progressed);
        QObject::disconnect(changed);
        QObject::disconnect(removed);
        const bool done = stream->done.load(std::memory_order_acquire);
        const qint64 written = stream->written.load(std::memory_order_relaxed);
        const Manager::Counters &after = manager->counters();

        const double ms = firstSeen ? msBetween(*firstSeen, lastApplied) : 0;
        const double serverMs = done ? msBetween(stream->startedAt, stream->endedAt) : 0;
        const double perEvent = applied > 0 ? 1000.0 / double(applied) : 0;
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName))
            .add("mode", u"live"_s)
            .add("rows", rowsBefore)
            .add("action", QString::fromLatin1(action))
            .add("feed", feed == Feed::PerTurn ? u"perTurn"_s : u"backlog"_s)
            .add("events", written)
            .add("applied", applied)
            .add("ms", round3(ms))
            .add("eventsPerSec", ms > 0 ? std::round(double(applied) / (ms / 1000.0)) : 0)
            .add("usPerEvent", round3(ms * perEvent))
            .add("clientCpuUsPerEvent", round3((clientCpuAtLast - clientCpu0) * perEvent))
            .add("serverEventsPerSec",
                 serverMs > 0 ? std::round(double(written) / (serverMs / 1000.0)) : 0)
            .add("serverCpuUsPerEvent", round3((serverCpuAtLast - serverCpu0) * perEvent))
            .add("lagMs", done ? round3(msBetween(stream->endedAt, lastApplied)) : -1)
            .add("totalMs", round3(msBetween(start, lastApplied)))
            .add("eventsSeen", after.eventsSeen - before.eventsSeen)
            .add("ignored", after.eventsIgnored - before.eventsIgnored)
            .add("recordFetches", after.recordFetches - before.recordFetches)
            .add("reloads", after.reloads - before.reloads)
            .add("seqGaps", after.seqGaps - before.seqGaps)
            .add("rowSignals", rowSignals)
            .add("rowsAfter", manager->rowCount())
            .add("writeFailures", stream->failures)
            .add("stalled", stalled)
            .add("peakRssMB", std::round(peakRssMB()));
        printLine(line.toJson());
        if (stalled)
            complain(u"%1 stream: %2 of %3 events applied, then nothing for %4 s"_s
                         .arg(QString::fromLatin1(action))
                         .arg(applied)
                         .arg(written)
                         .arg(stallMs / 1000));
        if (stream->failures > 0)
            complain(u"%1 stream: %2 writes failed on the server"_s.arg(QString::fromLatin1(action))
                         .arg(stream->failures));
        return !stalled && stream->failures == 0;
    }

    static QList<QJsonObject> sortedById(QList<QJsonObject> records)
    {
        std::sort(records.begin(), records.end(), [](const QJsonObject &a, const QJsonObject &b) {
            return a.value(u"id").toInteger() < b.value(u"id").toInteger();
        });
        return records;
    }

    /// Reads every record over REST and compares the manager's rows with them.
    bool checkMirror(Manager &manager)
    {
        const auto start = Clock::now();
        // Let anything still on its way settle (nothing should be).
        waitUntil([&manager] { return !manager.isLoading() && manager.pendingCount() == 0; },
                  10000);
        QList<QJsonObject> server;
        for (int page = 1;; ++page) {
            livedesk::RestQuery q;
            q.page = page;
            q.limit = pageSize;
            q.sort = {{u"id"_s, Qt::AscendingOrder}};
            const Outcome o = await(m_api.list(m_schema.restPath, q));
            if (!o.ok) {
                complain(u"cannot read the server's records: %1"_s.arg(o.error));
                return false;
            }
            for (const QJsonValue &v : o.data.toArray())
                server.append(v.toObject());
            if (!o.pagination.value(u"hasNext").toBool())
                break;
        }
        const QList<QJsonObject> mine = sortedById(manager.records());
        // Walk both by id: missing, extra and differing records.
        qint64 missing = 0;
        qint64 extra = 0;
        qint64 differing = 0;
        constexpr qint64 noId = std::numeric_limits<qint64>::max();
        qsizetype i = 0;
        qsizetype j = 0;
        QStringList samples;
        const auto sample = [&samples](const QString &what, const QJsonObject &r) {
            if (samples.size() < 3)
                samples.append(
                    what + u": "_s
                    + QString::fromUtf8(QJsonDocument(r).toJson(QJsonDocument::Compact)));
        };
        while (i < server.size() || j < mine.size()) {
            const qint64 a = i < server.size() ? server[i].value(u"id").toInteger() : noId;
            const qint64 b = j < mine.size() ? mine[j].value(u"id").toInteger() : noId;
            if (a < b) {
                ++missing;
                sample(u"missing"_s, server[i++]);
            } else if (b < a) {
                ++extra;
                sample(u"extra"_s, mine[j++]);
            } else {
                if (server[i] != mine[j]) {
                    ++differing;
                    sample(u"server has"_s, server[i]);
                    sample(u"mirror has"_s, mine[j]);
                }
                ++i;
                ++j;
            }
        }
        const bool equal = missing == 0 && extra == 0 && differing == 0;
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName))
            .add("mode", u"live"_s)
            .add("check", u"mirror"_s)
            .add("mirrorRows", qint64(mine.size()))
            .add("serverRows", qint64(server.size()))
            .add("missing", missing)
            .add("extra", extra)
            .add("differing", differing)
            .add("equal", equal)
            .add("ms", std::round(msSince(start)));
        printLine(line.toJson());
        if (!equal)
            complain(u"the mirror differs from the server: %1"_s.arg(samples.join(u"; "_s)));
        return equal;
    }

    LivedeskHost m_host;
    LivedeskServer *m_server = nullptr;
    livedesk::ApiClient m_api;
    QNetworkAccessManager *m_nam = nullptr;
    livedesk::SocketIoClient m_client;
    livedesk::RealtimeChannel m_channel{&m_client};
    livedesk::ResourceSchema m_schema;
    clockid_t m_clientCpu{};
    // The tenant's patient ids, in creation order (only touched on this thread, or on the
    // server's while this one waits for it).
    std::vector<qint64> m_ids;
    qint64 m_serial = 0;
    qint64 m_changes = 0;
    Lcg m_rng{42};
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_statemanager"_s);
    QLoggingCategory::setFilterRules(u"livedesk.*.info=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"RealtimeStateManager against livedesk-server in-process: HIS-mode reloads (REST "
        "pages and keyed diff) and live-mode event application. Prints JSON lines."_s);
    parser.addHelpOption();
    const QCommandLineOption quick(
        u"quick"_s, u"10000 rows, 2000 updates, 100 deletes, one run of each reload."_s);
    const QCommandLineOption rowsOption(
        u"rows"_s, u"Rows of the live mirror and of the largest HIS size (default 100000)."_s,
        u"n"_s);
    const QCommandLineOption eventsOption(
        u"events"_s, u"Update events in live mode (default 20000; 0: none)."_s, u"n"_s);
    const QCommandLineOption deletesOption(
        u"deletes"_s, u"Delete events in live mode (default 1% of the rows; 0: none)."_s, u"n"_s);
    const QCommandLineOption runsOption(
        u"runs"_s, u"Runs of each HIS reload after the first load (default 3)."_s, u"n"_s);
    const QCommandLineOption sortOption(
        u"sort"_s,
        u"Sort of the HIS list, field[:asc|:desc][,...] (default id:asc); e.g. updated_at:desc "
        "moves the changed rows to the top."_s,
        u"keys"_s);
    parser.addOptions({quick, rowsOption, eventsOption, deletesOption, runsOption, sortOption});
    parser.process(app);

    const bool isQuick = parser.isSet(quick);
    qint64 rows = isQuick ? 10000 : 100000;
    int events = isQuick ? 2000 : 20000;
    int runs = isQuick ? 1 : 3;
    const auto number
        = [&parser](const QCommandLineOption &option, qint64 low, qint64 high, qint64 *value) {
              if (!parser.isSet(option))
                  return true;
              bool ok = false;
              const qint64 v = parser.value(option).toLongLong(&ok);
              if (!ok || v < low || v > high) {
                  complain(u"--%1 must be between %2 and %3"_s.arg(option.names().constFirst())
                               .arg(low)
                               .arg(high));
                  return false;
              }
              *value = v;
              return true;
          };
    qint64 eventsValue = events;
    qint64 runsValue = runs;
    if (!number(rowsOption, 1, 5000000, &rows) || !number(eventsOption, 0, 10000000, &eventsValue)
        || !number(runsOption, 1, 100, &runsValue))
        return 2;
    qint64 deletes = std::max<qint64>(1, rows / 100);
    if (!number(deletesOption, 0, rows, &deletes))
        return 2;
    QList<std::pair<QString, Qt::SortOrder>> hisSort{{u"id"_s, Qt::AscendingOrder}};
    if (parser.isSet(sortOption)) {
        hisSort.clear();
        for (const QString &key : parser.value(sortOption).split(u',', Qt::SkipEmptyParts)) {
            const QStringList parts = key.split(u':');
            const QString order = parts.value(1, u"asc"_s);
            if (parts.size() > 2 || parts.constFirst().isEmpty()
                || (order != u"asc" && order != u"desc")) {
                complain(u"--sort takes field[:asc|:desc][,...], not \"%1\""_s.arg(key));
                return 2;
            }
            hisSort.append(
                {parts.constFirst(), order == u"asc" ? Qt::AscendingOrder : Qt::DescendingOrder});
        }
    }

    int status = 2;
    QTimer::singleShot(0, &app, [&] {
        StateManagerBench bench;
        bench.rows = rows;
        bench.events = int(eventsValue);
        bench.deletes = int(deletes);
        bench.runs = int(runsValue);
        bench.hisSort = hisSort;
        status = bench.run();
        QCoreApplication::exit(status);
    });
    app.exec();
    return status;
}
