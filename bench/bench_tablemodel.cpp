// SPDX-License-Identifier: MIT
// bench_tablemodel: RealtimeTableModel (with its RealtimeStateManager, and a QTableView on it,
// offscreen) over a 1,000,000-row list served by a Node backend that speaks AegisX's REST and
// Socket.IO (tests/interop/aegisx-backend.js, with record versions). Measures, in one run:
//   - loading the 1,000,000 rows, and the memory they take per row next to their JSON size;
//   - one update: from the event's arrival to the model's dataChanged (live mode);
//   - a burst of 100,000 updates: how fast they are applied, how many dataChanged signals and
//     repaints they cost;
//   - a keyed-diff reload (HIS mode) of a 100,000-row list: nothing changed, 1% and all rows
//     changed, with the signals the model emitted.
// bench/README.md explains the figures.
//
//   bench_tablemodel [--quick] [--rows N] [--burst N] [--singles N] [--his-rows N] [--no-view]
//
// Prints JSON lines on stdout. Exits 1 when the model does not end equal to the server or a
// step stalled; 2 when it could not be set up (no node, no node_modules).
#include "benchsupport.h"
#include "events/realtimechannel.h"
#include "realtimetablemodel.h"
#include "rest/apiclient.h"
#include "rest/restreply.h"
#include "socketio/socketioclient.h"
#include "state/realtimestatemanager.h"
#include "state/resourceschema.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonArray>
#include <QtCore/QLoggingCategory>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QTableView>

#include <malloc.h>
#include <sys/resource.h>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace livedesk::bench;
using livedesk::RealtimeStateManager;
using livedesk::RealtimeTableModel;

namespace {

constexpr auto benchName = "tablemodel";
constexpr int stallMs = 30000;
constexpr int loadTimeoutMs = 10 * 60 * 1000;

void complain(const QString &message)
{
    std::fprintf(stderr, "bench_tablemodel: %s\n", qPrintable(message));
}

/// Bytes malloc has handed out and not taken back (small blocks and mmapped ones).
double heapInUse()
{
    const struct mallinfo2 m = mallinfo2();
    return double(m.uordblks) + double(m.hblkhd);
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = size_t(std::ceil(p / 100.0 * double(values.size())));
    return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

/// The patients resource of aegisx-backend.js with `--versions`, as a user would describe it in
/// a schema file (a plain AegisX server publishes none).
livedesk::ResourceSchema patientSchema()
{
    const auto field = [](const char *name, const char *type) {
        return QJsonObject{{u"name"_s, QString::fromLatin1(name)},
                           {u"type"_s, QString::fromLatin1(type)}};
    };
    const QJsonObject document{
        {u"resources"_s,
         QJsonArray{QJsonObject{
             {u"name"_s, u"patients"_s},
             {u"path"_s, u"/api/patients"_s},
             {u"feature"_s, u"patients"_s},
             {u"entity"_s, u"patient"_s},
             {u"idField"_s, u"id"_s},
             {u"versionField"_s, u"version"_s},
             {u"fields"_s,
              QJsonArray{field("hn", "string"), field("name", "string"), field("ward", "string"),
                         field("status", "string"), field("created_at", "datetime"),
                         field("updated_at", "datetime")}}}}}};
    QString error;
    const auto schema
        = livedesk::ResourceSchema::fromSchemaDocument(document, u"patients"_s, &error);
    if (!schema)
        qFatal("schema: %s", qPrintable(error));
    return *schema;
}

/// Counts the repaints of a widget (a view's viewport).
class PaintCounter : public QObject
{
public:
    qint64 paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(watched, event);
    }
};

/**
 * How long the event loop was kept from turning: a 1 ms timer notes the longest gap between
 * its ticks, i.e. the longest time a user's click or a repaint would have waited.
 */
class LoopWatch
{
public:
    LoopWatch()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const auto now = Clock::now();
            m_longest = std::max(m_longest,
                                 std::chrono::duration<double, std::milli>(now - m_last).count());
            m_last = now;
        });
    }
    void start()
    {
        m_longest = 0;
        m_last = Clock::now();
        m_timer.start(1);
    }
    /// The longest gap since start(), in milliseconds.
    double stop()
    {
        m_timer.stop();
        return m_longest;
    }

private:
    QTimer m_timer;
    Clock::time_point m_last;
    double m_longest = 0;
};

/// One model with its manager and (optionally) a view; what the bench measures.
class Subject
{
public:
    std::unique_ptr<RealtimeStateManager> manager;
    std::unique_ptr<RealtimeTableModel> model;
    std::unique_ptr<QTableView> view;
    PaintCounter paints;
    qint64 dataChanged = 0;
    qint64 structural = 0;
    qint64 resets = 0;
    /// When the model last emitted dataChanged(), before any view took it.
    Clock::time_point dataChangedAt;

    void make(livedesk::ApiClient *api, livedesk::RealtimeChannel *channel,
              const RealtimeStateManager::Options &options, bool withView)
    {
        manager = std::make_unique<RealtimeStateManager>(api, channel, patientSchema(), options);
        model = std::make_unique<RealtimeTableModel>(manager.get());
        QObject::connect(model.get(), &QAbstractItemModel::dataChanged, model.get(), [this] {
            dataChangedAt = Clock::now();
            ++dataChanged;
        });
        const auto countStructural = [this] {
            ++structural;
        };
        QObject::connect(model.get(), &QAbstractItemModel::rowsInserted, model.get(),
                         countStructural);
        QObject::connect(model.get(), &QAbstractItemModel::rowsRemoved, model.get(),
                         countStructural);
        QObject::connect(model.get(), &QAbstractItemModel::rowsMoved, model.get(), countStructural);
        QObject::connect(model.get(), &QAbstractItemModel::modelReset, model.get(),
                         [this] { ++resets; });
        if (withView) {
            view = std::make_unique<QTableView>();
            view->setModel(model.get());
            view->resize(1200, 800);
            view->viewport()->installEventFilter(&paints);
            view->show();
        }
    }

    /// The sum of the versions the model shows.
    qint64 versionSum() const
    {
        qint64 sum = 0;
        const int rows = model->rowCount();
        for (int r = 0; r < rows; ++r)
            sum += model->index(r, 0).data(RealtimeTableModel::VersionRole).toLongLong();
        return sum;
    }

    void counts(JsonLine &line, qint64 dataBefore, qint64 structuralBefore, qint64 resetsBefore,
                qint64 paintsBefore) const
    {
        line.add("dataChanged", dataChanged - dataBefore)
            .add("rowsInsertedRemovedMoved", structural - structuralBefore)
            .add("modelResets", resets - resetsBefore);
        if (view)
            line.add("repaints", paints.paints - paintsBefore);
    }
};

class TableModelBench
{
public:
    qint64 rows = 1000000;
    int burst = 100000;
    int singles = 200;
    int backlogBusyMs = 500;
    qint64 hisRows = 100000;
    bool withView = true;

    int run()
    {
        pthread_getcpuclockid(pthread_self(), &m_cpu);
        const qint64 wards = std::max<qint64>(1, rows / std::max<qint64>(1, hisRows));
        m_hisWard = u"Ward 1"_s;
        if (!startBackend(wards))
            return 2;
        JsonLine setup;
        setup.add("bench", QString::fromLatin1(benchName))
            .add("setup", true)
            .add("rows", rows)
            .add("burst", burst)
            .add("singles", singles)
            .add("hisRows", rows / wards)
            .add("view", withView)
            .add("backend", u"aegisx-backend.js --versions"_s);
        printLine(setup.toJson());
        bool good = measureLive();
        good = measureHis() && good;
        return good ? 0 : 1;
    }

private:
    // ------------------------------------------------------------------------------------
    // Set-up

    bool startBackend(qint64 wards)
    {
        if (QByteArray(LIVEDESK_NODE_EXECUTABLE).isEmpty()) {
            complain(u"node was not found when this was built (./dev deps)"_s);
            return false;
        }
        if (!QFileInfo::exists(QStringLiteral(LIVEDESK_INTEROP_DIR "/node_modules/socket.io"))) {
            complain(u"tests/interop/node_modules is missing: run `./dev bench` (npm ci)"_s);
            return false;
        }
        m_backend.start(QStringLiteral(LIVEDESK_NODE_EXECUTABLE),
                        QStringLiteral(LIVEDESK_INTEROP_DIR "/aegisx-backend.js"),
                        {u"--seed"_s, QString::number(rows), u"--versions"_s, u"--wards"_s,
                         QString::number(wards), u"--flush-ms"_s, u"5"_s});
        const auto ready = m_backend.waitFor(NodePeer::hasKey(u"ready"_s), 120000);
        if (!ready) {
            complain(u"aegisx-backend.js did not start"_s);
            return false;
        }
        m_url = QUrl(u"http://127.0.0.1:%1"_s.arg(ready->value(u"port").toInt()));
        m_api.setBaseUrl(m_url);
        bool loggedIn = false;
        bool answered = false;
        auto *reply = m_api.login(u"nurse@demo.local"_s, u"nurse"_s);
        QObject::connect(reply, &livedesk::RestReply::finished, reply, [&] {
            loggedIn = reply->ok();
            answered = true;
        });
        waitUntil([&] { return answered; }, 30000);
        if (!loggedIn) {
            complain(u"could not sign in to aegisx-backend.js"_s);
            return false;
        }
        m_nam = m_api.findChild<QNetworkAccessManager *>();
        if (m_nam) {
            QObject::connect(m_nam, &QNetworkAccessManager::finished, m_nam,
                             [this](QNetworkReply *) { m_lastReplyAt = Clock::now(); });
        }
        return true;
    }

    std::optional<QJsonObject> backend(const QJsonObject &command, int timeoutMs = 120000)
    {
        const qint64 id = m_backend.request(command);
        return m_backend.waitFor(NodePeer::doneWithId(id), timeoutMs);
    }

    // ------------------------------------------------------------------------------------
    // Live mode: load, single updates, a burst

    bool measureLive()
    {
        livedesk::SocketIoClient client;
        livedesk::SocketIoClient::Options o;
        o.url = m_url;
        o.path = u"/api/ws/"_s;
        o.auth = {{u"token"_s, m_api.accessToken()}};
        client.setOptions(o);
        livedesk::RealtimeChannel channel(&client);
        channel.setSubscription({u"patients"_s}, {u"patient"_s});
        // Connected before the manager, so this runs first for every event.
        QObject::connect(&channel, &livedesk::RealtimeChannel::eventReceived, &channel,
                         [this] { m_eventAt = Clock::now(); });

        const double heapBefore = heapInUse();
        Subject live;
        RealtimeStateManager::Options options;
        options.mode = RealtimeStateManager::Mode::Live;
        live.make(&m_api, &channel, options, withView);
        bool subscribed = false;
        QObject::connect(&channel, &livedesk::RealtimeChannel::subscriptionConfirmed, &channel,
                         [&] { subscribed = true; });
        client.open();
        if (!waitUntil([&] { return subscribed; }, 30000)) {
            complain(u"the socket did not subscribe"_s);
            return false;
        }

        // Load.
        const auto started = Clock::now();
        const double cpu0 = threadCpuMs(m_cpu);
        live.manager->start();
        if (!waitUntil(
                [&] { return live.manager->lastSyncAt().isValid() && !live.manager->isLoading(); },
                loadTimeoutMs)) {
            complain(u"the first load did not finish"_s);
            return false;
        }
        const double loadMs = msSince(started);
        const double loadCpuMs = threadCpuMs(m_cpu) - cpu0;
        QCoreApplication::processEvents(); // the view's first paint
        const double heapAfter = heapInUse();
        const auto digest = backend({{u"cmd"_s, u"digest"_s}});
        if (!digest)
            return false;
        const qint64 jsonBytes = digest->value(u"jsonBytes").toInteger();
        const qint64 loaded = live.model->rowCount();
        const double bytesPerRow = (heapAfter - heapBefore) / double(std::max<qint64>(1, loaded));
        const double jsonPerRow = double(jsonBytes) / double(std::max<qint64>(1, rows));
        JsonLine load;
        load.add("bench", QString::fromLatin1(benchName))
            .add("step", u"load"_s)
            .add("rows", loaded)
            .add("ms", std::round(loadMs))
            .add("rowsPerSec", std::round(double(loaded) / loadMs * 1000))
            .add("clientCpuMs", std::round(loadCpuMs))
            .add("heapBytesPerRow", std::round(bytesPerRow))
            .add("jsonBytesPerRow", std::round(jsonPerRow))
            .add("memoryToJson", round3(bytesPerRow / jsonPerRow))
            .add("peakRssMB", std::round(peakRssMB()));
        printLine(load.toJson());
        bool good = loaded == rows;
        if (!good)
            complain(u"loaded %1 rows of %2"_s.arg(loaded).arg(rows));

        good = measureSingles(live) && good;
        good = measureBurst(live) && good;
        // The same, arriving while the window is busy (a dialog, a sort, a reload applied):
        // what waits for it then, and how the window catches up.
        good = measureBurst(live, backlogBusyMs) && good;
        client.close();
        return good;
    }

    bool measureSingles(Subject &live)
    {
        // To the model's dataChanged() as the view has taken it (the view repaints nothing
        // yet, but works out what to), and as it is emitted.
        std::vector<double> latencies;
        std::vector<double> toSignal;
        int tag = 1;
        for (int i = 0; i < singles; ++i) {
            // The event may arrive before the backend's answer names the record: every
            // changed row's id is noted as the model reports it.
            QHash<QString, Clock::time_point> changedAt;
            QHash<QString, Clock::time_point> emittedAt;
            QHash<QString, Clock::time_point> eventAt;
            auto conn = QObject::connect(live.model.get(), &QAbstractItemModel::dataChanged,
                                         live.model.get(),
                                         [&](const QModelIndex &tl, const QModelIndex &br) {
                                             const auto now = Clock::now();
                                             for (int r = tl.row(); r <= br.row(); ++r) {
                                                 const QString changed = live.manager->idAt(r);
                                                 changedAt.insert(changed, now);
                                                 emittedAt.insert(changed, live.dataChangedAt);
                                                 eventAt.insert(changed, m_eventAt);
                                             }
                                         });
            const auto answer
                = backend({{u"cmd"_s, u"burst"_s}, {u"count"_s, 1}, {u"tag"_s, tag++}});
            if (!answer || answer->value(u"ids").toArray().isEmpty())
                return false;
            const QString id = QString::number(answer->value(u"ids").toArray().at(0).toInteger());
            const bool arrived = waitUntil([&] { return changedAt.contains(id); }, stallMs, 1);
            QObject::disconnect(conn);
            if (!arrived) {
                complain(u"update %1 of record %2 did not reach the model"_s.arg(i).arg(id));
                return false;
            }
            latencies.push_back(
                std::chrono::duration<double, std::micro>(changedAt.value(id) - eventAt.value(id))
                    .count());
            toSignal.push_back(
                std::chrono::duration<double, std::micro>(emittedAt.value(id) - eventAt.value(id))
                    .count());
        }
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName))
            .add("step", u"single-update"_s)
            .add("rows", live.model->rowCount())
            .add("updates", singles)
            .add("eventToDataChangedUsP50", round3(percentile(latencies, 50)))
            .add("eventToDataChangedUsP99", round3(percentile(latencies, 99)))
            .add("eventToDataChangedUsMax", round3(percentile(latencies, 100)))
            .add("eventToSignalUsP50", round3(percentile(toSignal, 50)))
            .add("eventToSignalUsP99", round3(percentile(toSignal, 99)));
        printLine(line.toJson());
        return true;
    }

    // A burst of updates; with @p busyMs, the window's thread is busy for that long right after
    // asking for it (and the longest stall is measured from then on).
    bool measureBurst(Subject &live, int busyMs = 0)
    {
        const auto eventsBefore = live.manager->counters().eventsSeen;
        const qint64 dataBefore = live.dataChanged;
        const qint64 structuralBefore = live.structural;
        const qint64 resetsBefore = live.resets;
        const qint64 paintsBefore = live.paints.paints;
        std::optional<Clock::time_point> firstAt;
        auto conn = QObject::connect(live.manager.get(), &RealtimeStateManager::rowsChanged,
                                     live.manager.get(), [&] {
                                         if (!firstAt)
                                             firstAt = Clock::now();
                                     });
        const double cpu0 = threadCpuMs(m_cpu);
        const double processCpu0 = threadCpuMs(CLOCK_PROCESS_CPUTIME_ID);
        LoopWatch watch;
        watch.start();
        const auto sent = Clock::now();
        const QJsonObject command{
            {u"cmd"_s, u"burst"_s}, {u"count"_s, burst}, {u"tag"_s, busyMs > 0 ? 1 : 0}};
        std::optional<QJsonObject> answer;
        if (busyMs > 0) {
            const qint64 id = m_backend.request(command);
            QThread::msleep(busyMs);
            watch.start();
            answer = m_backend.waitFor(NodePeer::doneWithId(id), 120000);
        } else {
            answer = backend(command);
        }
        if (!answer)
            return false;
        // Done when every event has been seen and nothing moved for a moment.
        auto lastSeen = live.manager->counters().eventsSeen;
        int lastWaiting = 0;
        auto lastChange = Clock::now();
        const bool done = waitUntil(
            [&] {
                const auto seen = live.manager->counters().eventsSeen;
                const int waiting = live.manager->eventsWaiting();
                if (seen != lastSeen || waiting != lastWaiting) {
                    lastSeen = seen;
                    lastWaiting = waiting;
                    lastChange = Clock::now();
                }
                // Seen is counted as an event is taken; a burst past one turn's budget waits
                // in the manager's inbox for a few turns more.
                return (seen - eventsBefore >= burst && waiting == 0)
                    || msSince(lastChange) > stallMs;
            },
            loadTimeoutMs, 5);
        QObject::disconnect(conn);
        QCoreApplication::processEvents(); // the held dataChanged and the repaint
        const auto endAt = Clock::now();
        const double longestStallMs = watch.stop();
        const double cpuMs = threadCpuMs(m_cpu) - cpu0;
        const double processCpuMs = threadCpuMs(CLOCK_PROCESS_CPUTIME_ID) - processCpu0;
        const qint64 seen = live.manager->counters().eventsSeen - eventsBefore;
        const auto digest = backend({{u"cmd"_s, u"digest"_s}});
        const qint64 expected = digest ? digest->value(u"versionSum").toInteger() : -1;
        const qint64 shown = live.versionSum();
        const double ms
            = firstAt ? std::chrono::duration<double, std::milli>(endAt - *firstAt).count() : 0;
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName))
            .add("step", busyMs > 0 ? u"backlog"_s : u"burst"_s)
            .add("busyMs", busyMs)
            .add("rows", live.model->rowCount())
            .add("updates", burst)
            .add("seen", seen)
            .add("sendToLastMs",
                 std::round(std::chrono::duration<double, std::milli>(endAt - sent).count()))
            .add("firstToLastMs", std::round(ms))
            .add("updatesPerSec", ms > 0 ? std::round(double(seen) / ms * 1000) : 0)
            .add("clientCpuMs", std::round(cpuMs))
            .add("clientCpuUsPerUpdate", round3(cpuMs * 1000 / double(std::max<qint64>(1, seen))))
            // Every thread of the client: the GUI's (above) and Qt's network thread.
            .add("processCpuUsPerUpdate",
                 round3(processCpuMs * 1000 / double(std::max<qint64>(1, seen))))
            .add("longestStallMs", round3(longestStallMs));
        live.counts(line, dataBefore, structuralBefore, resetsBefore, paintsBefore);
        line.add("equal", done && shown == expected);
        printLine(line.toJson());
        if (!done || shown != expected) {
            const auto &c = live.manager->counters();
            complain(
                u"after the burst the model shows version sum %1, the server %2 (%3 of %4 "
                "events seen; in all %5 applied, %6 ignored, %7 fetched, %8 deferred)"_s.arg(shown)
                    .arg(expected)
                    .arg(seen)
                    .arg(burst)
                    .arg(c.eventsApplied)
                    .arg(c.eventsIgnored)
                    .arg(c.eventsFetched)
                    .arg(c.eventsDeferred));
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------
    // HIS mode: keyed-diff reloads of one ward

    bool measureHis()
    {
        Subject his;
        RealtimeStateManager::Options options;
        options.mode = RealtimeStateManager::Mode::His;
        options.query.filters = {{u"ward"_s, m_hisWard}};
        // No channel: reload() by hand, so that each reload is one measured step.
        his.make(&m_api, nullptr, options, withView);
        his.manager->start();
        if (!waitUntil(
                [&] { return his.manager->lastSyncAt().isValid() && !his.manager->isLoading(); },
                loadTimeoutMs)) {
            complain(u"the HIS list did not load"_s);
            return false;
        }
        QCoreApplication::processEvents();
        int changed = -1;
        QObject::connect(his.manager.get(), &RealtimeStateManager::synced, his.manager.get(),
                         [&](int rows) { changed = rows; });
        bool good = true;
        int tag = 100;
        for (const char *label : {"nothing", "1%", "all"}) {
            const QString what = QString::fromLatin1(label);
            if (what == u"1%"_s) {
                if (!backend({{u"cmd"_s, u"burst"_s},
                              {u"count"_s, int(his.model->rowCount() / 100)},
                              {u"ward"_s, m_hisWard},
                              {u"tag"_s, tag++}}))
                    return false;
            } else if (what == u"all"_s) {
                if (!backend({{u"cmd"_s, u"burst"_s},
                              {u"every"_s, true},
                              {u"ward"_s, m_hisWard},
                              {u"tag"_s, tag++}}))
                    return false;
            }
            const qint64 dataBefore = his.dataChanged;
            const qint64 structuralBefore = his.structural;
            const qint64 resetsBefore = his.resets;
            const qint64 paintsBefore = his.paints.paints;
            changed = -1;
            const double cpu0 = threadCpuMs(m_cpu);
            LoopWatch watch;
            watch.start();
            const auto started = Clock::now();
            his.manager->reload();
            const bool done = waitUntil([&] { return changed >= 0; }, loadTimeoutMs, 1);
            const auto syncedAt = Clock::now();
            QCoreApplication::processEvents();
            const double longestStallMs = watch.stop();
            const double cpuMs = threadCpuMs(m_cpu) - cpu0;
            JsonLine line;
            line.add("bench", QString::fromLatin1(benchName))
                .add("step", u"his-reload"_s)
                .add("rows", his.model->rowCount())
                .add("changed", what)
                .add("changedRows", changed)
                .add("ms",
                     std::round(
                         std::chrono::duration<double, std::milli>(syncedAt - started).count()));
            if (m_nam && m_lastReplyAt > started)
                line.add("diffMs",
                         round3(std::chrono::duration<double, std::milli>(syncedAt - m_lastReplyAt)
                                    .count()));
            line.add("clientCpuMs", std::round(cpuMs))
                .add("longestStallMs", round3(longestStallMs));
            his.counts(line, dataBefore, structuralBefore, resetsBefore, paintsBefore);
            printLine(line.toJson());
            if (!done) {
                complain(u"the HIS reload (%1 changed) did not finish"_s.arg(what));
                good = false;
            }
        }
        return good;
    }

    clockid_t m_cpu{};
    NodePeer m_backend{u"aegisx-backend"_s};
    QUrl m_url;
    livedesk::ApiClient m_api;
    QNetworkAccessManager *m_nam = nullptr;
    Clock::time_point m_lastReplyAt;
    Clock::time_point m_eventAt;
    QString m_hisWard;
};

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"livedesk.*.debug=false\nlivedesk.*.info=false"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Benchmarks RealtimeTableModel over a 1,000,000-row list: load, one update, a burst "
        "of updates, HIS keyed-diff reloads. Prints JSON lines."_s);
    parser.addHelpOption();
    const QCommandLineOption quick(u"quick"_s,
                                   u"100,000 rows, a burst of 10,000, 20 single "
                                   "updates, a 10,000-row HIS list."_s);
    const QCommandLineOption rows(u"rows"_s, u"Rows in the list (1000000)."_s, u"N"_s);
    const QCommandLineOption burst(u"burst"_s, u"Updates in the burst (100000)."_s, u"N"_s);
    const QCommandLineOption singles(u"singles"_s, u"Single updates timed (200)."_s, u"N"_s);
    const QCommandLineOption hisRows(u"his-rows"_s, u"Rows of the HIS list (100000)."_s, u"N"_s);
    const QCommandLineOption busy(u"busy-ms"_s,
                                  u"How long the window is busy as the second burst arrives "
                                  "(500)."_s,
                                  u"MS"_s);
    const QCommandLineOption noView(u"no-view"_s, u"No QTableView on the models."_s);
    parser.addOptions({quick, rows, burst, singles, hisRows, busy, noView});
    parser.process(app);

    TableModelBench bench;
    if (parser.isSet(quick)) {
        bench.rows = 100000;
        bench.burst = 10000;
        bench.singles = 20;
        bench.hisRows = 10000;
    }
    const auto number = [&parser](const QCommandLineOption &option, qint64 fallback) {
        bool ok = false;
        const qint64 v = parser.value(option).toLongLong(&ok);
        return parser.isSet(option) && ok && v > 0 ? v : fallback;
    };
    bench.rows = number(rows, bench.rows);
    bench.burst = int(number(burst, bench.burst));
    bench.singles = int(number(singles, bench.singles));
    bench.backlogBusyMs = int(number(busy, bench.backlogBusyMs));
    bench.hisRows = std::min(bench.rows, number(hisRows, bench.hisRows));
    bench.withView = !parser.isSet(noView);
    return bench.run();
}
