// SPDX-License-Identifier: MIT
// RealtimeStateManager against the embedded server in-process: a real ApiClient, a real
// Socket.IO connection, other clients writing over REST. The mirror must end equal to the
// server in both modes; HIS mode never shows an unconfirmed value; live mode shows local
// edits at once, rolls back refusals, detects and resolves conflicts and keeps its queue.
#include "eventpublisher.h"
#include "events/realtimechannel.h"
#include "events/realtimeevent.h"
#include "livedeskserver.h"
#include "recordstore.h"
#include "rest/apiclient.h"
#include "restoutcome.h"
#include "serverschema.h"
#include "socketio/socketioclient.h"
#include "state/realtimestatemanager.h"
#include "state/resourceschema.h"
#include "stateclient.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace livedesk;
using Manager = RealtimeStateManager;

namespace {

constexpr int Patience = 20000;

using test::StateClient;

QList<QJsonObject> sortedById(QList<QJsonObject> records)
{
    return StateClient::sortedById(std::move(records));
}

// One client of the embedded server, with the server's schema.
class Mirror : public StateClient
{
public:
    Mirror(server::LivedeskServer *server, const QString &email, const QString &password)
        : StateClient(server->baseUrl(), email, password)
    {
    }

    // A manager in @p mode, started and loaded once.
    bool start(Manager::Mode mode, const QString &queuePath = {}, bool connect = true)
    {
        const auto parsed = serverSchema();
        if (!parsed)
            return false;
        Manager::Options options;
        options.mode = mode;
        options.queuePath = queuePath;
        options.query.sort = {{u"id"_s, Qt::AscendingOrder}};
        return StateClient::start(*parsed, options, connect);
    }

    // A manager in @p mode on the list @p query selects (sorted by id unless it says), started
    // and loaded once.
    bool startWithQuery(Manager::Mode mode, RestQuery query)
    {
        const auto parsed = serverSchema();
        if (!parsed)
            return false;
        Manager::Options options;
        options.mode = mode;
        if (query.sort.isEmpty())
            query.sort = {{u"id"_s, Qt::AscendingOrder}};
        options.query = query;
        return StateClient::start(*parsed, options);
    }

    // True once the mirror shows exactly what the server's list for the manager's query has.
    bool settlesToList(ApiClient *reader)
    {
        return StateClient::settlesTo([&] { return serverList(reader, manager->query()); });
    }

    // Every record @p query selects on the server (empty when a page fails).
    QList<QJsonObject> serverList(ApiClient *reader, RestQuery query) const
    {
        QList<QJsonObject> all;
        query.limit = 1000;
        for (query.page = 1;; ++query.page) {
            const test::RestOutcome o = test::await(reader->list(schema.restPath, query));
            if (!o.ok)
                return {};
            for (const QJsonValue &v : o.data.toArray())
                all.append(v.toObject());
            if (!o.pagination.value(u"hasNext").toBool())
                return all;
        }
    }

    bool hasOperationOn(const QString &id) const
    {
        const QList<PendingOperation> ops = manager->pendingOperations();
        return std::any_of(ops.cbegin(), ops.cend(),
                           [&](const PendingOperation &op) { return op.recordId == id; });
    }

    // True once the mirror shows exactly what the server has (waits for it to settle).
    bool settlesTo(ApiClient *reader)
    {
        return StateClient::settlesTo([&] { return serverRecords(reader, schema.restPath); });
    }

    int rowsWithHn(const QString &hn) const
    {
        int n = 0;
        for (int row = 0; row < manager->rowCount(); ++row)
            n += manager->record(row).value(u"hn").toString() == hn ? 1 : 0;
        return n;
    }

    int rowOfHn(const QString &hn) const
    {
        for (int row = 0; row < manager->rowCount(); ++row) {
            if (manager->record(row).value(u"hn").toString() == hn)
                return row;
        }
        return -1;
    }
};

// Follows row signals the way a model would, checking the manager is consistent at each.
class SignalAudit : public QObject
{
public:
    explicit SignalAudit(Manager *m)
        : manager(m)
    {
        const auto check = [this](const char *what) {
            ++signals;
            for (int row = 0; row < manager->rowCount(); ++row) {
                if (manager->rowOf(manager->idAt(row)) != row) {
                    problems.append(
                        u"%1: row %2 is not indexed"_s.arg(QString::fromLatin1(what)).arg(row));
                    return;
                }
            }
            if (inspect)
                inspect();
        };
        connect(m, &Manager::rowsInserted, this, [check] { check("rowsInserted"); });
        connect(m, &Manager::rowsRemoved, this, [check] { check("rowsRemoved"); });
        connect(m, &Manager::rowsChanged, this, [check] { check("rowsChanged"); });
        connect(m, &Manager::rowsMoved, this, [check] { check("rowsMoved"); });
    }
    Manager *manager;
    int signals = 0;
    QStringList problems;
    std::function<void()> inspect;
};

} // namespace

class TestStateManager : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;
    std::unique_ptr<Mirror> m_writer; // another user, writing over REST

    const server::ResourceSpec &patients() const
    {
        return *m_server->schema().resourceByName(u"patients");
    }

    // A record created by the other user; its JSON.
    QJsonObject created(const QString &hn, const QString &ward = u"Ward 1"_s)
    {
        const test::RestOutcome o = test::await(m_writer->api.create(
            u"/api/patients"_s,
            {{u"hn"_s, hn}, {u"name"_s, u"Patient %1"_s.arg(hn)}, {u"ward"_s, ward}}));
        return o.data.toObject();
    }

    // A record created by the other user with @p values besides its HN and name.
    QJsonObject createdWith(const QString &hn, QJsonObject values)
    {
        values.insert(u"hn"_s, hn);
        values.insert(u"name"_s, u"Patient %1"_s.arg(hn));
        return test::await(m_writer->api.create(u"/api/patients"_s, values)).data.toObject();
    }

    bool changedByTheOther(const QString &id, const QJsonObject &changes)
    {
        return test::await(m_writer->api.update(u"/api/patients"_s, id, changes)).ok;
    }

    // Takes @p nurse offline, has her change @p changes of @p id, and the other user delete
    // it meanwhile; back online, the manager reports the conflict. Its txn id (empty on
    // failure).
    QString editDeletedOnTheServer(Mirror &nurse, const QString &id, const QJsonObject &changes)
    {
        nurse.client.close();
        if (!QTest::qWaitFor([&] { return !nurse.manager->isConnected(); }, Patience))
            return {};
        const QString txn = nurse.manager->updateRecord(id, changes);
        if (!QTest::qWaitFor([&] { return nurse.hasOperationOn(id); }, Patience))
            return {};
        if (!test::await(m_writer->api.remove(u"/api/patients"_s, id)).ok)
            return {};
        QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
        nurse.client.open();
        if (!conflict.wait(Patience) || conflict.at(0).at(0).toString() != txn)
            return {};
        return txn;
    }

    // HIS mode, every reload's diff worked out off the GUI thread and applied at most 16 rows
    // per turn, pages of 100 records; started and loaded once.
    static bool startInSlices(Mirror &mirror)
    {
        const auto parsed = mirror.serverSchema();
        if (!parsed)
            return false;
        Manager::Options options;
        options.mode = Manager::Mode::His;
        options.query.sort = {{u"id"_s, Qt::AscendingOrder}};
        options.pageSize = 100;
        options.backgroundDiffRows = 0;
        options.reloadSliceRows = 16;
        return mirror.StateClient::start(*parsed, options);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_writer = std::make_unique<Mirror>(m_server.get(), u"doctor@demo.local"_s, u"doctor"_s);
        QVERIFY(m_writer->loggedIn);
    }

    void cleanup()
    {
        m_writer.reset();
        m_server.reset();
    }

    // Reads refused while the socket is up (a token nobody can renew): the data is marked
    // stale with the reason, announced changes do not each cause another refused read (the
    // retry backs off), and a read after signing in again clears it.
    void failingReadsMarkStaleAndBackOff()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::His));
        Manager *m = nurse.manager.get();
        QVERIFY(!m->staleSince().isValid());
        nurse.api.setTokens(u"not-a-token"_s); // and no refresh token
        QVERIFY(test::await(
                    m_writer->api.update(u"/api/patients"_s, u"1"_s, {{u"ward"_s, u"Refused 1"_s}}))
                    .ok);
        QTRY_VERIFY_WITH_TIMEOUT(m->staleSince().isValid(), Patience);
        QVERIFY(m->isConnected()); // the socket is fine; the data is not current
        QVERIFY2(m->staleReason().contains(u"Could not read"_s), qPrintable(m->staleReason()));
        QTRY_VERIFY_WITH_TIMEOUT(!m->isLoading(), Patience);
        const qint64 failed = m->counters().reloads;
        const qint64 seen = m->counters().eventsSeen;
        for (int i = 0; i < 10; ++i)
            QVERIFY(test::await(m_writer->api.update(u"/api/patients"_s, QString::number(2 + i),
                                                     {{u"ward"_s, u"Refused more"_s}}))
                        .ok);
        QTRY_VERIFY_WITH_TIMEOUT(m->counters().eventsSeen >= seen + 10, Patience);
        QTest::qWait(300); // a reload per hint would have started by now
        // At most the one retry that was due (2 s after the failure), never one per event.
        QVERIFY2(m->counters().reloads <= failed + 1,
                 qPrintable(QString::number(m->counters().reloads - failed)));
        QVERIFY(m->isRefreshPending());

        QVERIFY(test::await(nurse.api.login(u"nurse@demo.local"_s, u"nurse"_s)).ok);
        m->reload();
        QTRY_VERIFY_WITH_TIMEOUT(!m->staleSince().isValid(), Patience);
        QVERIFY(m->staleReason().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!m->isLoading() && !m->isRefreshPending(), Patience);
        QCOMPARE(m->serverRecord(u"11"_s).value(u"ward").toString(), u"Refused more"_s);
    }

    // A list read page by page (loadAll false) whose reads fail: a page that fetchMore()
    // then reads fine says nothing about the pages held, so the list stays stale, the reload
    // stays due, and the retry still comes and clears it once reads work again.
    void fetchMoreKeepsAFailingListStale()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        const auto parsed = nurse.serverSchema();
        QVERIFY(parsed);
        Manager::Options options;
        options.mode = Manager::Mode::His;
        options.pageSize = 50;
        options.loadAll = false;
        options.query.sort = {{u"id"_s, Qt::AscendingOrder}};
        QVERIFY(nurse.StateClient::start(*parsed, options));
        Manager *m = nurse.manager.get();
        QCOMPARE(m->rowCount(), 50);
        QVERIFY(m->canFetchMore());
        QVERIFY(!m->staleSince().isValid());

        const QString access = nurse.api.accessToken();
        const QString refresh = nurse.api.refreshToken();
        nurse.api.setTokens(u"not-a-token"_s); // and no refresh token
        QVERIFY(test::await(
                    m_writer->api.update(u"/api/patients"_s, u"1"_s, {{u"ward"_s, u"Unread"_s}}))
                    .ok);
        QTRY_VERIFY_WITH_TIMEOUT(m->staleSince().isValid(), Patience);
        QTRY_VERIFY_WITH_TIMEOUT(!m->isLoading(), Patience);
        const QDateTime staleSince = m->staleSince();
        const QString staleReason = m->staleReason();
        QVERIFY(m->isRefreshPending());

        // The page request goes out with a good token; everything after it fails again.
        nurse.api.setTokens(access, refresh);
        m->fetchMore();
        QVERIFY(m->isLoading());
        nurse.api.setTokens(u"not-a-token"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m->rowCount(), 100, Patience);
        QCOMPARE(m->staleSince(), staleSince);
        QCOMPARE(m->staleReason(), staleReason);
        QCOMPARE(m->rowState(0), Manager::RowState::Stale);
        QVERIFY(m->isRefreshPending());
        QCOMPARE(m->serverRecord(u"1"_s).value(u"ward").toString() == u"Unread", false);

        // Reads work again: the retry, not a hint or a hand-made reload, reads both pages.
        nurse.api.setTokens(access, refresh);
        QTRY_VERIFY_WITH_TIMEOUT(!m->staleSince().isValid(), Patience);
        QTRY_VERIFY_WITH_TIMEOUT(!m->isLoading() && !m->isRefreshPending(), Patience);
        QCOMPARE(m->rowCount(), 100);
        QCOMPARE(m->serverRecord(u"1"_s).value(u"ward").toString(), u"Unread"_s);
    }

    void hisLoadsEverythingAndFollowsOtherUsers()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::His));
        QCOMPARE(nurse.manager->rowCount(), 300); // the demo rows of ward-a
        // Every page went from its text straight to compact rows.
        QVERIFY(nurse.manager->counters().pagesFromText >= 1);
        QCOMPARE(nurse.manager->counters().pagesFromJson, 0);
        QVERIFY(nurse.settlesTo(&nurse.api));

        const QJsonObject a = created(u"HIS-A"_s);
        QVERIFY(!a.isEmpty());
        QVERIFY(test::await(m_writer->api.update(u"/api/patients"_s,
                                                 QString::number(a[u"id"].toInteger()),
                                                 {{u"ward"_s, u"Ward 9"_s}}))
                    .ok);
        QVERIFY(test::await(m_writer->api.remove(u"/api/patients"_s, u"1"_s)).ok);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.manager->record(nurse.rowOfHn(u"HIS-A"_s)).value(u"ward").toString(),
                 u"Ward 9"_s);
        QCOMPARE(nurse.manager->rowOf(u"1"_s), -1);
        QVERIFY(nurse.manager->counters().reloads >= 2);
    }

    void hisBurstOfTenThousandEventsIsAFewReloads()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::His));
        SignalAudit audit(nurse.manager.get());
        // In HIS mode every shown record is a server record, unchanged, at every signal.
        audit.inspect = [&] {
            for (int row = 0; row < nurse.manager->rowCount(); ++row) {
                if (nurse.manager->rowState(row) != Manager::RowState::Synced
                    || nurse.manager->record(row)
                        != nurse.manager->serverRecord(nurse.manager->idAt(row))) {
                    audit.problems.append(u"row %1 shows something unconfirmed"_s.arg(row));
                    return;
                }
            }
        };
        const qint64 reloadsBefore = nurse.manager->counters().reloads;
        // 10,000 writes with their events, as fast as the server makes them.
        server::RecordStore *store = m_server->store();
        server::EventPublisher::Origin origin{u"ward-a"_s, u"u-doctor"_s, {}, {}};
        for (int i = 0; i < 10000; ++i) {
            const auto record = store->create(
                patients(), u"ward-a"_s, u"u-doctor"_s,
                {{u"hn"_s, u"BURST-%1"_s.arg(i)}, {u"name"_s, u"Burst %1"_s.arg(i)}});
            QVERIFY(record);
            m_server->publisher()->publish(patients(), u"created"_s, record.value(), origin,
                                           record.value().value(u"version").toInteger());
            if (i % 500 == 0)
                QCoreApplication::processEvents();
        }
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.manager->rowCount(), 10300);
        const qint64 reloads = nurse.manager->counters().reloads - reloadsBefore;
        qInfo().noquote() << "10000 events:" << nurse.manager->counters().eventsSeen << "seen,"
                          << reloads << "reloads," << audit.signals << "row signals";
        QVERIFY2(reloads >= 1 && reloads <= 30, qPrintable(QString::number(reloads)));
        QVERIFY2(audit.problems.isEmpty(), qPrintable(audit.problems.join(u"; "_s)));
    }

    void hisWritesWaitForTheServer()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::His));
        SignalAudit audit(nurse.manager.get());
        bool confirmed = false;
        connect(nurse.manager.get(), &Manager::operationConfirmed, this, [&] { confirmed = true; });
        const int row = nurse.rowOfHn(u"HN100005"_s) >= 0 ? nurse.rowOfHn(u"HN100005"_s) : 4;
        const QString id = nurse.manager->idAt(row);
        audit.inspect = [&] {
            const int r = nurse.manager->rowOf(id);
            if (r >= 0 && nurse.manager->record(r).value(u"ward").toString() == u"Ward HIS"
                && !confirmed)
                audit.problems.append(u"the new value was shown before the server said yes"_s);
        };
        nurse.manager->updateRecord(id, {{u"ward"_s, u"Ward HIS"_s}});
        // Not even on the next turns: only after the answer and a reload.
        QCOMPARE(nurse.manager->record(row).value(u"ward").toString() == u"Ward HIS", false);
        QTRY_VERIFY_WITH_TIMEOUT(confirmed, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(
            nurse.manager->record(nurse.manager->rowOf(id)).value(u"ward").toString(),
            u"Ward HIS"_s, Patience);
        QVERIFY2(audit.problems.isEmpty(), qPrintable(audit.problems.join(u"; "_s)));

        // A refused write changes nothing and says why.
        QSignalSpy failed(nurse.manager.get(), &Manager::operationFailed);
        nurse.manager->updateRecord(id, {{u"sex"_s, u"not-a-sex"_s}});
        QVERIFY(failed.wait(Patience));
        QCOMPARE(failed.at(0).at(1).value<RestError>().code, u"VALIDATION_ERROR"_s);
        QVERIFY(nurse.settlesTo(&nurse.api));
    }

    // HIS mode: a write on its way counts as pending until its answer, so that whoever waits
    // for "nothing pending" (a mode switch, a test, the CLI) does not take it for settled, and
    // it cannot be discarded (the server may apply it). Its answer ends it before the signal.
    void hisWriteOnItsWayIsPending()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::His));
        const QString id = nurse.manager->idAt(40);
        QSignalSpy confirmed(nurse.manager.get(), &Manager::operationConfirmed);
        int pendingInSlot = -1;
        connect(nurse.manager.get(), &Manager::operationConfirmed, this,
                [&] { pendingInSlot = nurse.manager->pendingCount(); });
        const QString txn = nurse.manager->updateRecord(id, {{u"ward"_s, u"On its way"_s}});
        QCOMPARE(nurse.manager->pendingCount(), 1);
        QCOMPARE(nurse.manager->pendingOperations().constFirst().txnId, txn);
        QCOMPARE(nurse.manager->pendingOperations().constFirst().state,
                 PendingOperation::State::Sent);
        QVERIFY(nurse.manager->discardableOperations().isEmpty());
        QVERIFY(!nurse.manager->discardOperation(txn));
        QVERIFY(confirmed.wait(Patience));
        QCOMPARE(pendingInSlot, 0);
        QCOMPARE(nurse.manager->pendingCount(), 0);
    }

    void hisOfflineIsStaleRefusesWritesAndReloadsOnReconnect()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::His));
        QVERIFY(!nurse.manager->staleSince().isValid());
        nurse.client.close();
        QTRY_VERIFY_WITH_TIMEOUT(nurse.manager->staleSince().isValid(), Patience);
        QVERIFY(!nurse.manager->isConnected());
        QVERIFY2(nurse.manager->staleReason().contains(u"connection to the server was lost"_s),
                 qPrintable(nurse.manager->staleReason()));

        QSignalSpy failed(nurse.manager.get(), &Manager::operationFailed);
        const QString txn
            = nurse.manager->updateRecord(nurse.manager->idAt(0), {{u"ward"_s, u"Nope"_s}});
        QVERIFY(failed.wait(Patience));
        QCOMPARE(failed.at(0).at(0).toString(), txn);
        const RestError refusal = failed.at(0).at(1).value<RestError>();
        QCOMPARE(refusal.code, u"OFFLINE"_s);
        QVERIFY(refusal.message.contains(u"cannot be saved"_s));

        // Others keep writing meanwhile; the mirror catches up on reconnect.
        QVERIFY(!created(u"HIS-OFF"_s).isEmpty());
        const qint64 reloads = nurse.manager->counters().reloads;
        nurse.client.open();
        QTRY_VERIFY_WITH_TIMEOUT(!nurse.manager->staleSince().isValid(), Patience);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QVERIFY(nurse.manager->counters().reloads > reloads);
        QCOMPARE(nurse.rowsWithHn(u"HIS-OFF"_s), 1);
    }

    void liveAppliesEventsInPlace()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        SignalAudit audit(nurse.manager.get());
        const qint64 reloads = nurse.manager->counters().reloads;
        const QJsonObject a = created(u"LIVE-A"_s);
        const QString id = QString::number(a[u"id"].toInteger());
        QVERIFY(
            test::await(m_writer->api.update(u"/api/patients"_s, id, {{u"ward"_s, u"Ward 2"_s}}))
                .ok);
        QVERIFY(test::await(m_writer->api.remove(u"/api/patients"_s, u"2"_s)).ok);
        QVERIFY(test::await(m_writer->api.bulkCreate(
                                u"/api/patients"_s,
                                {QJsonObject{{u"hn"_s, u"LIVE-B1"_s}, {u"name"_s, u"B1"_s}},
                                 QJsonObject{{u"hn"_s, u"LIVE-B2"_s}, {u"name"_s, u"B2"_s}}}))
                    .ok);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.manager->record(nurse.manager->rowOf(id)).value(u"ward").toString(),
                 u"Ward 2"_s);
        QCOMPARE(nurse.manager->counters().reloads, reloads); // applied, not reloaded
        QVERIFY(nurse.manager->counters().eventsApplied >= 4);
        // The update of a held row went from the event's text to the row; the new rows and
        // the removal took the general way.
        QCOMPARE(nurse.manager->counters().eventsAppliedFromText, qint64(1));
        QVERIFY2(audit.problems.isEmpty(), qPrintable(audit.problems.join(u"; "_s)));
    }

    // A slot of the row signals may delete the manager at once (a window closing its session):
    // whichever way the event took, nothing of the manager is touched after that, and the
    // channel carries on with the next event (under the sanitizers this is a use after free
    // otherwise).
    void aRowSlotMayDeleteTheManager()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        const QString id = nurse.manager->idAt(5);
        const QPointer<Manager> watched(nurse.manager.get());
        connect(nurse.manager.get(), &Manager::rowsChanged, this,
                [&](int, int, const QStringList &fields) {
                    if (!fields.isEmpty() && watched)
                        nurse.manager.reset();
                });
        QSignalSpy received(&nurse.channel, &RealtimeChannel::eventReceived);
        const server::EventPublisher::Origin origin{u"ward-a"_s, u"u-doctor"_s, {}, {}};
        for (const QString &ward : {u"Ward 8"_s, u"Ward 9"_s}) {
            const auto record = m_server->store()->update(patients(), u"ward-a"_s, u"u-doctor"_s,
                                                          id.toInt(), {{u"ward"_s, ward}});
            QVERIFY(record);
            m_server->publisher()->publish(patients(), u"updated"_s, record.value(), origin,
                                           record.value().value(u"version").toInteger());
        }
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, Patience);
        QVERIFY(!watched);
    }

    // A change of a row that carries the user's own edit is never applied the quick way: it
    // is checked against the edit (here: a conflict), and the row keeps showing the edit.
    void eventsOfARowWithTheUsersEditTakeTheGeneralWay()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        const QString id = nurse.manager->idAt(12);
        const QJsonObject form = nurse.manager->record(12);
        const Manager::Counters before = nurse.manager->counters();
        QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
        QStringList shown; // the row's ward at every change of it
        connect(nurse.manager.get(), &Manager::rowsChanged, this, [&](int first, int last) {
            const int row = nurse.manager->rowOf(id);
            if (row >= first && row <= last)
                shown.append(nurse.manager->record(row).value(u"ward").toString());
        });
        const QString txn
            = nurse.manager->updateRecord(id, {{u"ward"_s, u"Ward of the nurse"_s}}, form);
        // The doctor's change is in the database before her write reaches the server (the
        // embedded server answers from this thread's event loop).
        const auto record = m_server->store()->update(patients(), u"ward-a"_s, u"u-doctor"_s,
                                                      id.toInt(), {{u"ward"_s, u"Doctor's"_s}});
        QVERIFY(record);
        m_server->publisher()->publish(patients(), u"updated"_s, record.value(),
                                       {u"ward-a"_s, u"u-doctor"_s, {}, {}},
                                       record.value().value(u"version").toInteger());
        QVERIFY(conflict.wait(Patience));
        QCOMPARE(conflict.at(0).at(0).toString(), txn);
        QTRY_VERIFY_WITH_TIMEOUT(nurse.manager->counters().eventsSeen > before.eventsSeen,
                                 Patience);
        QCOMPARE(nurse.manager->rowState(nurse.manager->rowOf(id)), Manager::RowState::Conflict);
        QCOMPARE(nurse.manager->record(nurse.manager->rowOf(id)).value(u"ward").toString(),
                 u"Ward of the nurse"_s);
        QVERIFY2(!shown.contains(u"Doctor's"_s), qPrintable(shown.join(u", "_s)));
        QCOMPARE(nurse.manager->counters().eventsAppliedFromText, before.eventsAppliedFromText);
    }

    // A versioned server that sends only the changed fields with the version: the rest of the
    // row is not taken for empty. The record is read, and the row never shows blanks.
    void partialRecordWithAVersionIsReadNotShown()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        QVERIFY(nurse.schema.hasVersions());
        const int at = 7;
        const QString id = nurse.manager->idAt(at);
        const QString name = nurse.manager->record(at).value(u"name").toString();
        QVERIFY(!name.isEmpty());
        const Manager::Counters before = nurse.manager->counters();
        QStringList names; // the row's name at every change of it
        connect(nurse.manager.get(), &Manager::rowsChanged, this, [&](int first, int last) {
            const int row = nurse.manager->rowOf(id);
            if (row >= first && row <= last)
                names.append(nurse.manager->record(row).value(u"name").toString());
        });
        const auto record = m_server->store()->update(patients(), u"ward-a"_s, u"u-doctor"_s,
                                                      id.toInt(), {{u"ward"_s, u"Partial"_s}});
        QVERIFY(record);
        const qint64 version = record.value().value(u"version").toInteger();
        m_server->publisher()->publish(
            patients(), u"updated"_s,
            QJsonObject{{u"id"_s, id.toInt()}, {u"version"_s, version}, {u"ward"_s, u"Partial"_s}},
            {u"ward-a"_s, u"u-doctor"_s, {}, {}}, version);
        QTRY_COMPARE_WITH_TIMEOUT(
            nurse.manager->record(nurse.manager->rowOf(id)).value(u"ward").toString(), u"Partial"_s,
            Patience);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.manager->record(nurse.manager->rowOf(id)).value(u"name").toString(), name);
        QVERIFY2(!names.contains(QString()), qPrintable(names.join(u", "_s)));
        const Manager::Counters &after = nurse.manager->counters();
        QCOMPARE(after.eventsFetched - before.eventsFetched, 1);
        QCOMPARE(after.recordFetches - before.recordFetches, 1);
        QCOMPARE(after.eventsAppliedFromText, before.eventsAppliedFromText);
    }

    // An event is applied inside the delivery of its frame, not on a later turn of the event
    // loop: the rows change before anything posted when the event was received has run.
    void eventsAreAppliedAsTheirFrameIsDelivered_data()
    {
        QTest::addColumn<bool>("live");
        QTest::newRow("live") << true;
        QTest::newRow("his") << false;
    }

    void eventsAreAppliedAsTheirFrameIsDelivered()
    {
        QFETCH(bool, live);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(live ? Manager::Mode::Live : Manager::Mode::His));
        bool inDelivery = false;
        int changedInDelivery = 0;
        int changedLater = 0;
        int hintsInDelivery = 0;
        QObject context;
        // From the channel's observers (before the lists) to a route added after the list's
        // (after it): exactly the delivery of one event.
        connect(&nurse.channel, &RealtimeChannel::eventReceived, &context,
                [&] { inDelivery = true; });
        nurse.channel.router().addRoute({}, &context,
                                        [&](const RealtimeEvent &) { inDelivery = false; });
        connect(nurse.manager.get(), &Manager::rowsChanged, &context,
                [&](int, int, const QStringList &fields) {
                    if (!fields.isEmpty())
                        ++(inDelivery ? changedInDelivery : changedLater);
                });
        connect(nurse.manager.get(), &Manager::stateChanged, &context, [&] {
            if (inDelivery && nurse.manager->isRefreshPending())
                ++hintsInDelivery;
        });
        const qint64 seen = nurse.manager->counters().eventsSeen;
        for (int i = 0; i < 3; ++i) {
            QVERIFY(test::await(m_writer->api.update(u"/api/patients"_s, u"%1"_s.arg(i + 1),
                                                     {{u"ward"_s, u"Ward D%1"_s.arg(i)}}))
                        .ok);
        }
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.manager->counters().eventsSeen - seen, 3);
        QCOMPARE(nurse.manager->counters().eventsDeferred, 0);
        if (live) {
            QCOMPARE(changedInDelivery, 3);
            QCOMPARE(changedLater, 0);
        } else {
            // HIS: the hint is taken at once too; the rows change by the reload after it.
            QVERIFY(hintsInDelivery >= 1);
            QCOMPARE(changedInDelivery, 0);
        }
    }

    // A slot of the row signals that re-enters the event loop (a dialog, a wait) in the middle
    // of a burst: the socket carries on delivering frames from inside that loop (once another
    // arrives there), and their events wait for the one being applied, then follow in their
    // order.
    void eventsDuringASlotThatSpinsTheLoopWaitAndKeepTheirOrder()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        QStringList order;
        QStringList published;
        int k = 0;
        const server::EventPublisher::Origin origin{u"ward-a"_s, u"u-doctor"_s, {}, {}};
        const auto publishUpdate = [&](int id) {
            const auto record = m_server->store()->update(patients(), u"ward-a"_s, u"u-doctor"_s,
                                                          id, {{u"ward"_s, u"Spin %1"_s.arg(++k)}});
            QVERIFY(record);
            m_server->publisher()->publish(patients(), u"updated"_s, record.value(), origin,
                                           record.value().value(u"version").toInteger());
            published.append(QString::number(id));
        };
        int changes = 0;
        bool spinning = false;
        int changedWhileSpinning = 0;
        QObject context;
        connect(nurse.manager.get(), &Manager::rowsChanged, &context,
                [&](int first, int last, const QStringList &fields) {
                    if (fields.isEmpty())
                        return;
                    if (spinning)
                        ++changedWhileSpinning;
                    for (int row = first; row <= last; ++row)
                        order.append(nurse.manager->idAt(row));
                    if (++changes == 1) {
                        // Slow enough that the socket's time slice is used up: the burst's
                        // other frames are queued for its next slice.
                        QElapsedTimer busy;
                        busy.start();
                        while (busy.elapsed() < 20) { }
                    } else if (changes == 2) {
                        // A frame that arrives meanwhile is delivered in here, by the socket's
                        // next slice: the list keeps it for after this change.
                        spinning = true;
                        publishUpdate(4);
                        QTest::qWait(200);
                        spinning = false;
                    }
                });
        for (const int id : {7, 3, 9, 1, 5, 3, 8})
            publishUpdate(id);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(order, published);
        QCOMPARE(changedWhileSpinning, 0); // nothing applied half-way into another
        QCOMPARE(nurse.manager->counters().eventsApplied, qint64(published.size()));
        QCOMPARE(nurse.manager->counters().eventsAppliedFromText, qint64(published.size()));
        QVERIFY(nurse.manager->counters().eventsDeferred > 0);
    }

    void liveLocalEditsShowAtOnceWithoutDuplicates()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        SignalAudit audit(nurse.manager.get());
        audit.inspect = [&] {
            if (nurse.rowsWithHn(u"MINE-1"_s) > 1)
                audit.problems.append(u"two rows for one create"_s);
        };
        QSignalSpy confirmed(nurse.manager.get(), &Manager::operationConfirmed);
        const QString txn
            = nurse.manager->createRecord({{u"hn"_s, u"MINE-1"_s}, {u"name"_s, u"Mine"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(nurse.rowsWithHn(u"MINE-1"_s), 1, Patience);
        QTRY_VERIFY_WITH_TIMEOUT(!confirmed.isEmpty(), Patience);
        QCOMPARE(confirmed.at(0).at(0).toString(), txn);
        const QString realId = confirmed.at(0).at(1).toString();
        QVERIFY(!realId.startsWith(u"local:"_s));
        QCOMPARE(nurse.manager->rowState(nurse.manager->rowOf(realId)), Manager::RowState::Synced);

        // An edit is visible on the next turn, pending, then synced.
        const int row = nurse.manager->rowOf(realId);
        nurse.manager->updateRecord(realId, {{u"ward"_s, u"Ward 5"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->record(row).value(u"ward").toString(), u"Ward 5"_s,
                                  Patience);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->pendingCount(), 0, Patience);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.rowsWithHn(u"MINE-1"_s), 1);
        QVERIFY2(audit.problems.isEmpty(), qPrintable(audit.problems.join(u"; "_s)));
    }

    void liveRefusalRollsBack()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        QSignalSpy failed(nurse.manager.get(), &Manager::operationFailed);
        // HN100001 exists (demo data): the create is shown, then refused and removed.
        const QString existing = nurse.manager->record(0).value(u"hn").toString();
        // Whether the twin was shown is read when it is inserted: the refusal may come back
        // before a polling check would see it.
        int shownTwins = 0;
        connect(nurse.manager.get(), &Manager::rowsInserted, this, [&](int first, int last) {
            for (int row = first; row <= last; ++row)
                shownTwins += nurse.manager->record(row).value(u"name").toString() == u"Twin"_s;
        });
        nurse.manager->createRecord({{u"hn"_s, existing}, {u"name"_s, u"Twin"_s}});
        QVERIFY(failed.wait(Patience));
        QCOMPARE(shownTwins, 1);
        QCOMPARE(failed.at(0).at(1).value<RestError>().httpStatus, 409);
        QCOMPARE(nurse.rowsWithHn(existing), 1);

        const QString id = nurse.manager->idAt(3);
        const QJsonObject before = nurse.manager->record(3);
        nurse.manager->updateRecord(id, {{u"sex"_s, u"bogus"_s}});
        QVERIFY(failed.wait(Patience));
        QCOMPARE(failed.at(1).at(1).value<RestError>().code, u"VALIDATION_ERROR"_s);
        QCOMPARE(nurse.manager->record(nurse.manager->rowOf(id)), before);
        QCOMPARE(nurse.manager->counters().rolledBack, 2);
        QVERIFY(nurse.settlesTo(&nurse.api));
    }

    void liveConflictFromAnEditWhileOffline_data()
    {
        QTest::addColumn<int>("resolution");
        QTest::newRow("keep mine") << int(Manager::Resolution::KeepMine);
        QTest::newRow("take theirs") << int(Manager::Resolution::TakeTheirs);
        QTest::newRow("merge") << int(Manager::Resolution::Merge);
    }
    void liveConflictFromAnEditWhileOffline()
    {
        QFETCH(int, resolution);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        const QString id = nurse.manager->idAt(10);
        const QJsonObject base = nurse.manager->record(10);
        nurse.client.close();
        QTRY_VERIFY_WITH_TIMEOUT(!nurse.manager->isConnected(), Patience);
        nurse.manager->updateRecord(id, {{u"ward"_s, u"Mine"_s}, {u"name"_s, u"Name mine"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(
            nurse.manager->record(nurse.manager->rowOf(id)).value(u"ward").toString(), u"Mine"_s,
            Patience);
        // The other user changes the same field meanwhile.
        QVERIFY(
            test::await(m_writer->api.update(u"/api/patients"_s, id, {{u"ward"_s, u"Theirs"_s}}))
                .ok);

        QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
        nurse.client.open();
        QVERIFY(conflict.wait(Patience));
        QCOMPARE(nurse.manager->conflicts().size(), 1);
        const PendingOperation op = nurse.manager->conflicts().first();
        QCOMPARE(op.values.value(u"ward").toString(), u"Mine"_s);
        QCOMPARE(op.theirs.value(u"ward").toString(), u"Theirs"_s);
        QCOMPARE(op.base.value(u"ward"), base.value(u"ward"));
        QCOMPARE(op.conflictingFields(), QStringList{u"ward"_s});
        QCOMPARE(nurse.manager->rowState(nurse.manager->rowOf(id)), Manager::RowState::Conflict);

        const auto kind = Manager::Resolution(resolution);
        QVERIFY(nurse.manager->resolveConflict(
            op.txnId, kind,
            kind == Manager::Resolution::Merge
                ? QJsonObject{{u"ward"_s, u"Theirs"_s}, {u"name"_s, u"Name mine"_s}}
                : QJsonObject()));
        QVERIFY(nurse.settlesTo(&nurse.api));
        const QJsonObject now = nurse.manager->record(nurse.manager->rowOf(id));
        switch (kind) {
        case Manager::Resolution::KeepMine:
            QCOMPARE(now.value(u"ward").toString(), u"Mine"_s);
            QCOMPARE(now.value(u"name").toString(), u"Name mine"_s);
            break;
        case Manager::Resolution::TakeTheirs:
            QCOMPARE(now.value(u"ward").toString(), u"Theirs"_s);
            QCOMPARE(now.value(u"name"), base.value(u"name"));
            break;
        case Manager::Resolution::Merge:
            QCOMPARE(now.value(u"ward").toString(), u"Theirs"_s);
            QCOMPARE(now.value(u"name").toString(), u"Name mine"_s);
            break;
        }
        QCOMPARE(nurse.manager->rowState(nurse.manager->rowOf(id)), Manager::RowState::Synced);
    }

    void liveConflictFromTheServer()
    {
        // Without events the mirror does not learn of the other user's change: the server's
        // 409 does, with the current record.
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        Manager::Options options;
        options.mode = Manager::Mode::Live;
        const test::RestOutcome schemaReply = test::await(nurse.api.get(u"/api/schema"_s));
        QString error;
        const auto schema = ResourceSchema::fromSchemaDocument(schemaReply.data.toObject(),
                                                               u"patients"_s, &error);
        QVERIFY2(schema, qPrintable(error));
        Manager manager(&nurse.api, nullptr, *schema, options);
        manager.start();
        QTRY_VERIFY_WITH_TIMEOUT(manager.lastSyncAt().isValid(), Patience);
        const QString id = manager.idAt(20);
        QVERIFY(
            test::await(m_writer->api.update(u"/api/patients"_s, id, {{u"ward"_s, u"Theirs"_s}}))
                .ok);
        QSignalSpy conflict(&manager, &Manager::conflictDetected);
        manager.updateRecord(id, {{u"ward"_s, u"Mine"_s}});
        QVERIFY(conflict.wait(Patience));
        const PendingOperation op = manager.conflicts().value(0);
        QCOMPARE(op.error.code, u"VERSION_CONFLICT"_s);
        QCOMPARE(op.theirs.value(u"ward").toString(), u"Theirs"_s);
        QCOMPARE(op.theirs.value(u"version").toInteger(), 2);
        QVERIFY(manager.resolveConflict(op.txnId, Manager::Resolution::KeepMine));
        QTRY_COMPARE_WITH_TIMEOUT(manager.pendingCount(), 0, Patience);
        const test::RestOutcome now = test::await(nurse.api.fetch(u"/api/patients"_s, id));
        QCOMPARE(now.data.toObject().value(u"ward").toString(), u"Mine"_s);
        QCOMPARE(now.data.toObject().value(u"version").toInteger(), 3);
    }

    // Two people, one record: the nurse opens a form on it, the doctor changes Ward while it
    // is open, and the nurse's list shows his change (HIS: read again; live: applied). Her
    // save is based on what her form showed, not on what the list shows by then: her Ward
    // against his is a conflict with mine / theirs, in both modes, and his value stays on
    // the server until she decides. HIS mode keeps the conflict out of the rows.
    void sameFieldChangedWhileTheFormWasOpenIsAConflict_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("his") << int(Manager::Mode::His);
        QTest::newRow("live") << int(Manager::Mode::Live);
    }
    void sameFieldChangedWhileTheFormWasOpenIsAConflict()
    {
        QFETCH(int, mode);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode(mode)));
        const QString id = nurse.manager->idAt(15);
        const QJsonObject form = nurse.manager->record(15); // what her form was opened with
        QVERIFY(changedByTheOther(id, {{u"ward"_s, u"Ward of the doctor"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(
            nurse.manager->record(nurse.manager->rowOf(id)).value(u"ward").toString(),
            u"Ward of the doctor"_s, Patience);
        QVERIFY(nurse.settlesTo(&nurse.api));

        const Manager::Counters before = nurse.manager->counters();
        QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
        QSignalSpy confirmed(nurse.manager.get(), &Manager::operationConfirmed);
        QStringList shownUnconfirmed;
        connect(nurse.manager.get(), &Manager::rowsChanged, this, [&] {
            const int row = nurse.manager->rowOf(id);
            if (Manager::Mode(mode) == Manager::Mode::His && row >= 0 && confirmed.isEmpty()
                && nurse.manager->record(row).value(u"ward").toString() == u"Ward of the nurse")
                shownUnconfirmed.append(u"HIS showed the unconfirmed value"_s);
        });
        const QString txn
            = nurse.manager->updateRecord(id, {{u"ward"_s, u"Ward of the nurse"_s}}, form);
        QVERIFY(conflict.wait(Patience));
        QCOMPARE(conflict.at(0).at(0).toString(), txn);
        QVERIFY(confirmed.isEmpty());
        QCOMPARE(nurse.manager->counters().conflicts, before.conflicts + 1);
        QCOMPARE(nurse.manager->conflicts().size(), 1);
        const PendingOperation op = nurse.manager->conflicts().constFirst();
        QCOMPARE(op.txnId, txn);
        QCOMPARE(op.recordId, id);
        QCOMPARE(op.values.value(u"ward").toString(), u"Ward of the nurse"_s);
        QCOMPARE(op.theirs.value(u"ward").toString(), u"Ward of the doctor"_s);
        QCOMPARE(op.base.value(u"ward"), form.value(u"ward"));
        QCOMPARE(op.conflictingFields(), QStringList{u"ward"_s});
        QCOMPARE(op.theirs.value(u"updated_by").toString(), u"u-doctor"_s);
        // Not silently replaced: the doctor's value is still the server's.
        QCOMPARE(test::await(nurse.api.fetch(u"/api/patients"_s, id))
                     .data.toObject()
                     .value(u"ward")
                     .toString(),
                 u"Ward of the doctor"_s);
        const int row = nurse.manager->rowOf(id);
        if (Manager::Mode(mode) == Manager::Mode::His) {
            // The server refused it (If-Match with the form's version); the rows show only
            // what the server has.
            QCOMPARE(nurse.manager->counters().writesSent, before.writesSent + 1);
            QCOMPARE(op.error.code, u"VERSION_CONFLICT"_s);
            QCOMPARE(nurse.manager->rowState(row), Manager::RowState::Synced);
            QCOMPARE(nurse.manager->record(row).value(u"ward").toString(), u"Ward of the doctor"_s);
        } else {
            // Known before sending: the list had his version already.
            QCOMPARE(nurse.manager->counters().writesSent, before.writesSent);
            QCOMPARE(nurse.manager->rowState(row), Manager::RowState::Conflict);
        }
        QCOMPARE(nurse.manager->pendingCount(), 1);

        // She keeps hers: sent on top of his version.
        QSignalSpy resolved(nurse.manager.get(), &Manager::conflictResolved);
        QVERIFY(nurse.manager->resolveConflict(txn, Manager::Resolution::KeepMine));
        QCOMPARE(resolved.size(), 1);
        QCOMPARE(resolved.at(0).at(1).toString(), id);
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 1, Patience);
        QCOMPARE(confirmed.at(0).at(0).toString(), txn);
        QVERIFY(nurse.manager->conflicts().isEmpty());
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.manager->record(nurse.manager->rowOf(id)).value(u"ward").toString(),
                 u"Ward of the nurse"_s);
        QVERIFY2(shownUnconfirmed.isEmpty(), qPrintable(shownUnconfirmed.join(u"; "_s)));
    }

    // The same, but the doctor changed another field: merged without asking, both changes on
    // the server.
    void otherFieldChangedWhileTheFormWasOpenIsMerged_data()
    {
        sameFieldChangedWhileTheFormWasOpenIsAConflict_data();
    }
    void otherFieldChangedWhileTheFormWasOpenIsMerged()
    {
        QFETCH(int, mode);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode(mode)));
        const QString id = nurse.manager->idAt(16);
        const QJsonObject form = nurse.manager->record(16);
        QVERIFY(changedByTheOther(id, {{u"ward"_s, u"Ward of the doctor"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(
            nurse.manager->record(nurse.manager->rowOf(id)).value(u"ward").toString(),
            u"Ward of the doctor"_s, Patience);
        QVERIFY(nurse.settlesTo(&nurse.api));

        const Manager::Counters before = nurse.manager->counters();
        QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
        QSignalSpy confirmed(nurse.manager.get(), &Manager::operationConfirmed);
        const QString txn
            = nurse.manager->updateRecord(id, {{u"name"_s, u"Name by the nurse"_s}}, form);
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 1, Patience);
        QCOMPARE(confirmed.at(0).at(0).toString(), txn);
        QVERIFY(conflict.isEmpty());
        QCOMPARE(nurse.manager->counters().merged, before.merged + 1);
        // HIS: refused once (his version is newer than the form's), then sent on top of it.
        QCOMPARE(nurse.manager->counters().writesSent,
                 before.writesSent + (Manager::Mode(mode) == Manager::Mode::His ? 2 : 1));
        const QJsonObject now
            = test::await(nurse.api.fetch(u"/api/patients"_s, id)).data.toObject();
        QCOMPARE(now.value(u"ward").toString(), u"Ward of the doctor"_s);
        QCOMPARE(now.value(u"name").toString(), u"Name by the nurse"_s);
        QVERIFY(nurse.settlesTo(&nurse.api));
    }

    // HIS mode: taking theirs ends the conflict without a write; the rows never changed.
    void hisConflictTakeTheirsWritesNothing()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::His));
        const QString id = nurse.manager->idAt(17);
        const QJsonObject form = nurse.manager->record(17);
        QVERIFY(changedByTheOther(id, {{u"ward"_s, u"Ward of the doctor"_s}}));
        QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
        const QString txn
            = nurse.manager->updateRecord(id, {{u"ward"_s, u"Ward of the nurse"_s}}, form);
        QVERIFY(conflict.wait(Patience));
        const qint64 writes = nurse.manager->counters().writesSent;
        QSignalSpy state(nurse.manager.get(), &Manager::stateChanged);
        QVERIFY(nurse.manager->resolveConflict(txn, Manager::Resolution::TakeTheirs));
        QVERIFY(!nurse.manager->resolveConflict(txn, Manager::Resolution::TakeTheirs));
        QVERIFY(nurse.manager->conflicts().isEmpty());
        QCOMPARE(nurse.manager->pendingCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), Patience);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.manager->counters().writesSent, writes);
        QCOMPARE(nurse.manager->record(nurse.manager->rowOf(id)).value(u"ward").toString(),
                 u"Ward of the doctor"_s);
    }

    // Live mode: conflictResolved() goes out once the conflict has ended, so a slot that asks
    // the manager finds it over: not among conflicts(), its operation pending again (or gone
    // when theirs is taken), and a second resolveConflict() of it refused.
    void liveConflictResolvedComesAfterTheConflictEnded_data()
    {
        QTest::addColumn<int>("resolution");
        QTest::addColumn<QString>("expected");
        QTest::newRow("keep mine") << int(Manager::Resolution::KeepMine) << u"Ward of the nurse"_s;
        QTest::newRow("take theirs")
            << int(Manager::Resolution::TakeTheirs) << u"Ward of the doctor"_s;
        QTest::newRow("merge") << int(Manager::Resolution::Merge) << u"Ward merged"_s;
    }
    void liveConflictResolvedComesAfterTheConflictEnded()
    {
        QFETCH(int, resolution);
        QFETCH(QString, expected);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        Manager *m = nurse.manager.get();
        const QString id = m->idAt(19);
        const QJsonObject form = m->record(19);
        QVERIFY(changedByTheOther(id, {{u"ward"_s, u"Ward of the doctor"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(m->record(m->rowOf(id)).value(u"ward").toString(),
                                  u"Ward of the doctor"_s, Patience);
        QSignalSpy conflict(m, &Manager::conflictDetected);
        const QString txn = m->updateRecord(id, {{u"ward"_s, u"Ward of the nurse"_s}}, form);
        QVERIFY(conflict.wait(Patience));
        QTRY_COMPARE_WITH_TIMEOUT(m->rowState(m->rowOf(id)), Manager::RowState::Conflict, Patience);

        struct Seen
        {
            int calls = 0;
            QString recordId;
            qsizetype conflicts = -1;
            int pending = -1;
            QString operation; // the state of txn's operation, "gone" when there is none
            bool resolvedAgain = true;
        } seen;
        connect(m, &Manager::conflictResolved, this,
                [&](const QString &txnId, const QString &recordId) {
                    if (++seen.calls > 1)
                        return;
                    seen.recordId = recordId;
                    seen.conflicts = m->conflicts().size();
                    seen.pending = m->pendingCount();
                    seen.operation = u"gone"_s;
                    const QList<PendingOperation> ops = m->pendingOperations();
                    for (const PendingOperation &op : ops) {
                        if (op.txnId == txnId)
                            seen.operation = op.state == PendingOperation::State::Conflict
                                ? u"conflict"_s
                                : u"not a conflict"_s;
                    }
                    seen.resolvedAgain = m->resolveConflict(txnId, Manager::Resolution(resolution),
                                                            {{u"ward"_s, u"Ward merged"_s}});
                });
        QVERIFY(m->resolveConflict(txn, Manager::Resolution(resolution),
                                   {{u"ward"_s, u"Ward merged"_s}}));
        QCOMPARE(seen.recordId, id);
        QCOMPARE(seen.conflicts, 0);
        if (Manager::Resolution(resolution) == Manager::Resolution::TakeTheirs) {
            QCOMPARE(seen.pending, 0);
            QCOMPARE(seen.operation, u"gone"_s);
        } else {
            QCOMPARE(seen.pending, 1);
            QCOMPARE(seen.operation, u"not a conflict"_s);
        }
        QVERIFY(!seen.resolvedAgain);
        QCOMPARE(seen.calls, 1);

        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(seen.calls, 1);
        QCOMPARE(m->rowState(m->rowOf(id)), Manager::RowState::Synced);
        QCOMPARE(m->record(m->rowOf(id)).value(u"ward").toString(), expected);
        QCOMPARE(test::await(nurse.api.fetch(u"/api/patients"_s, id))
                     .data.toObject()
                     .value(u"ward")
                     .toString(),
                 expected);
    }

    // Live mode on a filtered list shows what the server's list would: a pushed record that
    // does not match is not inserted, one that stops matching is removed, one that starts
    // matching is inserted in its place; all judged locally, without a reload. The user's own
    // change that takes a row out of the list shows until the server has confirmed it.
    void liveFollowsTheListFilters_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("equals");
        QTest::addColumn<QString>("min");
        QTest::addColumn<QString>("max");
        QTest::addColumn<QString>("inside");
        QTest::addColumn<QString>("outside");
        QTest::newRow("ward=ICU") << u"ward"_s << u"ICU"_s << QString() << QString() << u"ICU"_s
                                  << u"Surgery"_s;
        QTest::newRow("date of birth in the eighties")
            << u"date_of_birth"_s << QString() << u"1980-01-01"_s << u"1989-12-31"_s
            << u"1985-06-15"_s << u"1979-12-31"_s;
    }
    void liveFollowsTheListFilters()
    {
        QFETCH(QString, field);
        QFETCH(QString, equals);
        QFETCH(QString, min);
        QFETCH(QString, max);
        QFETCH(QString, inside);
        QFETCH(QString, outside);
        RestQuery query;
        if (!equals.isEmpty())
            query.filters.append({field, equals});
        if (!min.isEmpty())
            query.filters.append({field + u"_min"_s, min});
        if (!max.isEmpty())
            query.filters.append({field + u"_max"_s, max});
        const auto matches = [&](const QJsonObject &record) {
            const QJsonValue v = record.value(field);
            return v.isString() && (equals.isEmpty() || v.toString() == equals)
                && (min.isEmpty() || v.toString() >= min) && (max.isEmpty() || v.toString() <= max);
        };

        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.startWithQuery(Manager::Mode::Live, query));
        QVERIFY(nurse.manager->rowCount() > 2 && nurse.manager->rowCount() < 300);
        QVERIFY(nurse.settlesToList(&nurse.api));
        SignalAudit audit(nurse.manager.get());
        audit.inspect = [&] {
            for (int row = 0; row < nurse.manager->rowCount(); ++row) {
                const QJsonObject record = nurse.manager->record(row);
                if (!matches(record) && !nurse.hasOperationOn(nurse.manager->idAt(row)))
                    audit.problems.append(u"row %1 shows %2 %3, which the list leaves out"_s.arg(
                        QString::number(row), field, record.value(field).toString()));
            }
        };
        QSignalSpy removed(nurse.manager.get(), &Manager::rowsRemoved);
        const qint64 reloads = nurse.manager->counters().reloads;

        // Created: only the one that matches comes in (the other's event came first).
        const QJsonObject out = createdWith(u"FLT-OUT"_s, {{field, outside}});
        const QJsonObject in = createdWith(u"FLT-IN"_s, {{field, inside}});
        QVERIFY(!out.isEmpty() && !in.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(nurse.rowsWithHn(u"FLT-IN"_s), 1, Patience);
        QCOMPARE(nurse.rowsWithHn(u"FLT-OUT"_s), 0);

        // Updated out of the list: removed. Into the list: inserted where the sort puts it.
        const QString leaving = nurse.manager->idAt(1);
        QVERIFY(changedByTheOther(leaving, {{field, outside}}));
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->rowOf(leaving), -1, Patience);
        QCOMPARE(removed.size(), 1);
        const QString coming = QString::number(out[u"id"].toInteger());
        QVERIFY(changedByTheOther(coming, {{field, inside}}));
        QTRY_VERIFY_WITH_TIMEOUT(nurse.manager->rowOf(coming) >= 0, Patience);
        const int at = nurse.manager->rowOf(coming);
        QVERIFY(at > 0 && at + 1 < nurse.manager->rowCount());
        QVERIFY(nurse.manager->idAt(at - 1).toLongLong() < coming.toLongLong());
        QVERIFY(nurse.manager->idAt(at + 1).toLongLong() > coming.toLongLong()); // FLT-IN
        QCOMPARE(nurse.manager->record(at).value(field).toString(), inside);

        // The user's own change out of the list shows until it is confirmed, then goes.
        const QString mine = nurse.manager->idAt(0);
        bool shownPending = false;
        connect(nurse.manager.get(), &Manager::rowsChanged, this, [&] {
            const int row = nurse.manager->rowOf(mine);
            shownPending = shownPending
                || (row >= 0 && nurse.manager->record(row).value(field).toString() == outside
                    && nurse.manager->rowState(row) == Manager::RowState::Pending);
        });
        QSignalSpy confirmed(nurse.manager.get(), &Manager::operationConfirmed);
        nurse.manager->updateRecord(mine, {{field, outside}});
        QTRY_VERIFY_WITH_TIMEOUT(!confirmed.isEmpty(), Patience);
        QVERIFY(shownPending);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->rowOf(mine), -1, Patience);

        QVERIFY(nurse.settlesToList(&nurse.api));
        QCOMPARE(removed.size(), 2);
        QCOMPARE(nurse.manager->counters().reloads, reloads); // judged here, not re-read
        QVERIFY2(audit.problems.isEmpty(), qPrintable(audit.problems.join(u"; "_s)));
    }

    // With a search term the client cannot tell whether a pushed record matches (the server
    // decides which fields it searches and how): the list is read again instead.
    void liveWithASearchReadsTheListAgain()
    {
        RestQuery query;
        query.search = u"srch"_s;
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.startWithQuery(Manager::Mode::Live, query));
        QCOMPARE(nurse.manager->rowCount(), 0);
        const qint64 reloads = nurse.manager->counters().reloads;

        QVERIFY(!created(u"NOPE-1"_s).isEmpty());
        const QJsonObject found = created(u"SRCH-1"_s);
        QVERIFY(!found.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(nurse.rowsWithHn(u"SRCH-1"_s), 1, Patience);
        QVERIFY(nurse.settlesToList(&nurse.api));
        QCOMPARE(nurse.rowsWithHn(u"NOPE-1"_s), 0);
        QVERIFY(nurse.manager->counters().reloads > reloads);

        // No longer found: gone after the next reading.
        const QString id = QString::number(found[u"id"].toInteger());
        QVERIFY(changedByTheOther(id, {{u"hn"_s, u"GONE-1"_s}, {u"name"_s, u"Gone"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->rowOf(id), -1, Patience);
        QVERIFY(nurse.settlesToList(&nurse.api));
    }

    // A record moves into a filtered list by an event that holds only what changed (with its
    // version and time): it comes in as the whole record, read, never as a row of blanks.
    void partialRecordMovingIntoTheListIsRead()
    {
        RestQuery query;
        query.filters = {{u"ward"_s, u"ICU"_s}};
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.startWithQuery(Manager::Mode::Live, query));
        QString id;
        for (const QJsonObject &r : nurse.serverList(&nurse.api, RestQuery{})) {
            if (r.value(u"ward"_s).toString() != u"ICU"_s) {
                id = r.value(u"id"_s).toVariant().toString();
                break;
            }
        }
        QVERIFY(!id.isEmpty());
        QCOMPARE(nurse.manager->rowOf(id), -1);
        QStringList names; // the name of the row of that id at every change
        const auto look = [&] {
            if (const int row = nurse.manager->rowOf(id); row >= 0)
                names.append(nurse.manager->record(row).value(u"name"_s).toString());
        };
        connect(nurse.manager.get(), &Manager::rowsInserted, this, look);
        connect(nurse.manager.get(), &Manager::rowsChanged, this, look);
        const Manager::Counters before = nurse.manager->counters();
        const auto record = m_server->store()->update(patients(), u"ward-a"_s, u"u-doctor"_s,
                                                      id.toInt(), {{u"ward"_s, u"ICU"_s}});
        QVERIFY(record);
        const qint64 version = record.value().value(u"version"_s).toInteger();
        m_server->publisher()->publish(
            patients(), u"updated"_s,
            QJsonObject{{u"id"_s, id.toInt()},
                        {u"version"_s, version},
                        {u"ward"_s, u"ICU"_s},
                        {u"updated_at"_s, record.value().value(u"updated_at"_s)}},
            {u"ward-a"_s, u"u-doctor"_s, {}, {}}, version);
        QTRY_VERIFY_WITH_TIMEOUT(nurse.manager->rowOf(id) >= 0, Patience);
        QVERIFY(nurse.settlesToList(&nurse.api));
        QVERIFY(!names.isEmpty());
        QVERIFY2(!names.contains(QString()), qPrintable(names.join(u", "_s)));
        QCOMPARE(nurse.manager->counters().eventsFetched - before.eventsFetched, 1);
        QCOMPARE(nurse.manager->counters().recordFetches - before.recordFetches, 1);
    }

    // A row the user has changed offline that someone else takes out of the list meanwhile
    // stays, with the change, until the change is confirmed: a list that no longer returns a
    // record does not mean it was deleted.
    void liveKeepsAnEditedRowThatLeavesTheListUntilItsChangeSettles()
    {
        RestQuery query;
        query.filters = {{u"ward"_s, u"ICU"_s}};
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.startWithQuery(Manager::Mode::Live, query));
        const QString id = nurse.manager->idAt(2);
        QStringList problems;
        const auto check = [&] {
            if (nurse.hasOperationOn(id) && nurse.manager->rowOf(id) < 0)
                problems.append(u"row gone while its change is pending"_s);
        };
        connect(nurse.manager.get(), &Manager::rowsRemoved, this, check);
        connect(nurse.manager.get(), &Manager::rowsChanged, this, check);
        QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
        QSignalSpy failed(nurse.manager.get(), &Manager::operationFailed);
        QSignalSpy moved(nurse.manager.get(), &Manager::rowsMoved);

        nurse.client.close();
        QTRY_VERIFY_WITH_TIMEOUT(!nurse.manager->isConnected(), Patience);
        nurse.manager->updateRecord(id, {{u"name"_s, u"Edited offline"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(
            nurse.manager->record(nurse.manager->rowOf(id)).value(u"name").toString(),
            u"Edited offline"_s, Patience);
        QVERIFY(changedByTheOther(id, {{u"ward"_s, u"Surgery"_s}}));
        nurse.client.open();

        QTRY_VERIFY_WITH_TIMEOUT(!nurse.hasOperationOn(id), Patience);
        QVERIFY(conflict.isEmpty());
        QVERIFY(failed.isEmpty());
        QCOMPARE(moved.size(), 0); // kept in its place
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->rowOf(id), -1, Patience);
        const QJsonObject now
            = test::await(nurse.api.fetch(u"/api/patients"_s, id)).data.toObject();
        QCOMPARE(now.value(u"name").toString(), u"Edited offline"_s);
        QCOMPARE(now.value(u"ward").toString(), u"Surgery"_s);
        QVERIFY(nurse.settlesToList(&nurse.api));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; "_s)));
    }

    // Deleted on the server while being edited: the row in conflict is the whole record as
    // the user last saw it, id included, with the change on top.
    void liveRowDeletedWhileEditedShowsTheWholeRecord()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        const QString id = nurse.manager->idAt(10);
        QJsonObject expected = nurse.manager->record(10);
        QVERIFY(expected.contains(u"hn"_s));
        expected.insert(u"ward"_s, u"Mine"_s);
        QVERIFY(!editDeletedOnTheServer(nurse, id, {{u"ward"_s, u"Mine"_s}}).isEmpty());
        const int row = nurse.manager->rowOf(id);
        QVERIFY(row >= 0);
        QCOMPARE(nurse.manager->rowState(row), Manager::RowState::Conflict);
        QCOMPARE(nurse.manager->idAt(row), id);
        QCOMPARE(nurse.manager->record(row), expected);
    }

    // "Create it again" after a delete on the server sends the whole record with the user's
    // change, although the change touched no required field.
    void liveCreateAgainAfterADeleteOnTheServer_data()
    {
        QTest::addColumn<int>("resolution");
        QTest::newRow("keep mine") << int(Manager::Resolution::KeepMine);
        QTest::newRow("merge") << int(Manager::Resolution::Merge);
    }
    void liveCreateAgainAfterADeleteOnTheServer()
    {
        QFETCH(int, resolution);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        const QString id = nurse.manager->idAt(12);
        const QJsonObject before = nurse.manager->record(12);
        const QString txn = editDeletedOnTheServer(nurse, id, {{u"ward"_s, u"Mine"_s}});
        QVERIFY(!txn.isEmpty());
        QSignalSpy failed(nurse.manager.get(), &Manager::operationFailed);
        QSignalSpy confirmed(nurse.manager.get(), &Manager::operationConfirmed);
        const auto kind = Manager::Resolution(resolution);
        const QString ward = kind == Manager::Resolution::Merge ? u"Merged"_s : u"Mine"_s;
        QVERIFY(nurse.manager->resolveConflict(txn, kind, {{u"ward"_s, ward}}));
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->pendingCount(), 0, Patience);
        if (!failed.isEmpty())
            qWarning() << failed.at(0).at(1).value<RestError>().toString();
        QVERIFY(failed.isEmpty());
        QCOMPARE(confirmed.size(), 1);
        const QString again = confirmed.at(0).at(1).toString();
        QVERIFY(again != id);

        const QJsonObject now
            = test::await(nurse.api.fetch(u"/api/patients"_s, again)).data.toObject();
        for (const QString &field : {u"hn"_s, u"name"_s, u"date_of_birth"_s, u"sex"_s, u"status"_s})
            QCOMPARE(now.value(field), before.value(field));
        QCOMPARE(now.value(u"ward").toString(), ward);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.rowsWithHn(before.value(u"hn").toString()), 1);
    }

    void liveOfflineQueueSurvivesARestartAndAppliesOnce()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString queue = dir.filePath(u"patients.queue.json"_s);
        QString id;
        {
            Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
            QVERIFY(nurse.start(Manager::Mode::Live, queue));
            id = nurse.manager->idAt(30);
            nurse.client.close();
            QTRY_VERIFY_WITH_TIMEOUT(!nurse.manager->isConnected(), Patience);
            nurse.manager->updateRecord(id, {{u"ward"_s, u"Queued"_s}});
            nurse.manager->createRecord({{u"hn"_s, u"QUEUED-1"_s}, {u"name"_s, u"Queued"_s}});
            nurse.manager->deleteRecord(nurse.manager->idAt(31));
            QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->pendingCount(), 3, Patience);
            QVERIFY(QFile::exists(queue));
            // The process ends here without a word to the server.
        }
        {
            // A request that did reach the server before the end, its answer lost: the same
            // txn id is in the queue as sent.
            QFile file(queue);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QJsonObject document = QJsonDocument::fromJson(file.readAll()).object();
            file.close();
            QJsonArray ops = document.value(u"operations").toArray();
            QJsonObject create = ops.at(1).toObject();
            QCOMPARE(create.value(u"kind").toString(), u"create"_s);
            create.insert(u"state"_s, u"sent"_s);
            create.insert(u"attempts"_s, 1);
            ops.replace(1, create);
            document.insert(u"operations"_s, ops);
            ApiClient::WriteOptions w;
            w.txnId = create.value(u"txnId").toString();
            QVERIFY(test::await(m_writer->api.create(u"/api/patients"_s,
                                                     create.value(u"values").toObject(), w))
                        .ok);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QJsonDocument(document).toJson());
        }
        Mirror again(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(again.start(Manager::Mode::Live, queue));
        QTRY_COMPARE_WITH_TIMEOUT(again.manager->pendingCount(), 0, Patience);
        QVERIFY(again.settlesTo(&again.api));
        QCOMPARE(again.manager->record(again.manager->rowOf(id)).value(u"ward").toString(),
                 u"Queued"_s);
        QCOMPARE(again.rowsWithHn(u"QUEUED-1"_s), 1); // sent twice, applied once
        QVERIFY(again.manager->counters().replayed >= 1);
        QVERIFY(!QFile::exists(queue)); // nothing left to keep
    }

    // Live mode: the user drops changes that have not gone out (offline). The rows show the
    // server's records again at once, the stored queue forgets them, a dropped create takes
    // the later change of its record along, and on reconnect only what was kept is sent.
    void liveDiscardDropsWaitingChangesOnly()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString queue = dir.filePath(u"patients.queue.json"_s);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode::Live, queue));
        const QString kept = nurse.manager->idAt(32);
        const QString dropped = nurse.manager->idAt(33);
        const QJsonObject droppedBefore = nurse.manager->record(33);
        nurse.client.close();
        QTRY_VERIFY_WITH_TIMEOUT(!nurse.manager->isConnected(), Patience);
        const QString keptTxn = nurse.manager->updateRecord(kept, {{u"ward"_s, u"Kept"_s}});
        const QString droppedTxn
            = nurse.manager->updateRecord(dropped, {{u"ward"_s, u"Dropped"_s}});
        const QString createTxn = nurse.manager->createRecord(
            {{u"hn"_s, u"DROPPED-1"_s}, {u"name"_s, u"Never sent"_s}});
        const QString localId = PendingOperation::localId(createTxn);
        QTRY_VERIFY_WITH_TIMEOUT(nurse.manager->rowOf(localId) >= 0, Patience);
        nurse.manager->updateRecord(localId, {{u"ward"_s, u"Ward of a record never sent"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->pendingCount(), 4, Patience);
        QCOMPARE(nurse.manager->discardableOperations().size(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(
            nurse.manager->record(nurse.manager->rowOf(dropped)).value(u"ward").toString(),
            u"Dropped"_s, Patience);

        // A slot that calls back sees the change gone already.
        QSignalSpy discarded(nurse.manager.get(), &Manager::operationDiscarded);
        QStringList seenInSlot;
        connect(nurse.manager.get(), &Manager::operationDiscarded, this, [&](const QString &txn) {
            if (nurse.hasOperationOn(txn) || nurse.manager->discardOperation(txn))
                seenInSlot.append(txn);
            for (const PendingOperation &op : nurse.manager->pendingOperations()) {
                if (op.txnId == txn)
                    seenInSlot.append(txn);
            }
        });
        QVERIFY(!nurse.manager->discardOperation(u"no-such-change"_s));
        QVERIFY(nurse.manager->discardOperation(droppedTxn));
        QCOMPARE(discarded.size(), 1);
        QCOMPARE(discarded.at(0).at(0).toString(), droppedTxn);
        QCOMPARE(discarded.at(0).at(1).toString(), dropped);
        QCOMPARE(nurse.manager->pendingCount(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->record(nurse.manager->rowOf(dropped)),
                                  droppedBefore, Patience);
        QCOMPARE(nurse.manager->rowState(nurse.manager->rowOf(dropped)),
                 Manager::RowState::Stale); // offline: the server's record, not known current

        QVERIFY(nurse.manager->discardOperation(createTxn));
        QCOMPARE(discarded.size(), 3); // the create and the change of its record
        QCOMPARE(nurse.manager->pendingCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->rowOf(localId), -1, Patience);
        QVERIFY2(seenInSlot.isEmpty(), qPrintable(seenInSlot.join(u", "_s)));
        {
            QFile file(queue);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QJsonArray stored
                = QJsonDocument::fromJson(file.readAll()).object().value(u"operations").toArray();
            QCOMPARE(stored.size(), 1);
            QCOMPARE(stored.at(0).toObject().value(u"txnId").toString(), keptTxn);
        }

        const qint64 sentBefore = nurse.manager->counters().writesSent;
        QSignalSpy confirmed(nurse.manager.get(), &Manager::operationConfirmed);
        nurse.client.open();
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 1, Patience);
        QCOMPARE(confirmed.at(0).at(0).toString(), keptTxn);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(nurse.manager->counters().writesSent, sentBefore + 1);
        QCOMPARE(nurse.manager->record(nurse.manager->rowOf(kept)).value(u"ward").toString(),
                 u"Kept"_s);
        QCOMPARE(nurse.manager->record(nurse.manager->rowOf(dropped)).value(u"ward"),
                 droppedBefore.value(u"ward"));
        QCOMPARE(nurse.rowsWithHn(u"DROPPED-1"_s), 0);
        QVERIFY(!QFile::exists(queue));
    }

    // HIS mode: a conflict the user has not decided is stored, so that a new manager (signed
    // in again, or the application restarted) still holds it and can resolve it; discarding
    // it is the other way out.
    void hisConflictSurvivesANewManager()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(u"patients.conflicts.json"_s);
        QString id;
        QString txn;
        QString other;
        QString otherTxn;
        {
            Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
            QVERIFY(nurse.start(Manager::Mode::His, file));
            id = nurse.manager->idAt(18);
            other = nurse.manager->idAt(19);
            const QJsonObject form = nurse.manager->record(18);
            const QJsonObject otherForm = nurse.manager->record(19);
            QVERIFY(changedByTheOther(id, {{u"ward"_s, u"Ward of the doctor"_s}}));
            QVERIFY(changedByTheOther(other, {{u"ward"_s, u"Other ward of the doctor"_s}}));
            QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
            txn = nurse.manager->updateRecord(id, {{u"ward"_s, u"Ward of the nurse"_s}}, form);
            otherTxn
                = nurse.manager->updateRecord(other, {{u"ward"_s, u"Mine, dropped"_s}}, otherForm);
            QTRY_COMPARE_WITH_TIMEOUT(conflict.size(), 2, Patience);
            QVERIFY(QFile::exists(file));
        }
        Mirror again(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(again.start(Manager::Mode::His, file));
        QCOMPARE(again.manager->conflicts().size(), 2);
        QCOMPARE(again.manager->pendingCount(), 2);
        const PendingOperation op = again.manager->conflicts().constFirst();
        QCOMPARE(op.txnId, txn);
        QCOMPARE(op.values.value(u"ward").toString(), u"Ward of the nurse"_s);
        QCOMPARE(op.theirs.value(u"ward").toString(), u"Ward of the doctor"_s);

        QSignalSpy discarded(again.manager.get(), &Manager::operationDiscarded);
        QVERIFY(again.manager->discardOperation(otherTxn));
        QCOMPARE(discarded.size(), 1);
        QCOMPARE(again.manager->conflicts().size(), 1);

        QSignalSpy confirmed(again.manager.get(), &Manager::operationConfirmed);
        QVERIFY(again.manager->resolveConflict(txn, Manager::Resolution::KeepMine));
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 1, Patience);
        QCOMPARE(confirmed.at(0).at(0).toString(), txn);
        QVERIFY(again.settlesTo(&again.api));
        QCOMPARE(again.manager->record(again.manager->rowOf(id)).value(u"ward").toString(),
                 u"Ward of the nurse"_s);
        QCOMPARE(again.manager->record(again.manager->rowOf(other)).value(u"ward").toString(),
                 u"Other ward of the doctor"_s);
        QVERIFY(!QFile::exists(file));
    }

    void randomWritesFromSeveralClientsEndEqual_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("his") << int(Manager::Mode::His);
        QTest::newRow("live") << int(Manager::Mode::Live);
    }
    void randomWritesFromSeveralClientsEndEqual()
    {
        QFETCH(int, mode);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode(mode)));
        Mirror other(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(other.start(Manager::Mode(mode)));
        QRandomGenerator random(42);
        for (int i = 0; i < 200; ++i) {
            Mirror &who = i % 3 == 0 ? *m_writer : (i % 3 == 1 ? nurse : other);
            const int pick = int(random.bounded(200));
            const QString id = QString::number(1 + pick);
            switch (random.bounded(4)) {
            case 0:
                who.api.create(u"/api/patients"_s,
                               {{u"hn"_s, u"RND-%1"_s.arg(i)}, {u"name"_s, u"Random"_s}});
                break;
            case 1:
            case 2:
                if (who.manager && who.manager->rowOf(id) >= 0)
                    who.manager->updateRecord(id, {{u"ward"_s, u"W%1"_s.arg(i)}});
                else
                    who.api.update(u"/api/patients"_s, id, {{u"ward"_s, u"W%1"_s.arg(i)}});
                break;
            default:
                who.api.remove(u"/api/patients"_s, id);
                break;
            }
            if (i == 100) {
                nurse.client.close(); // a dropped connection in the middle
                QTest::qWait(50);
                nurse.client.open();
            }
            if (i % 10 == 0)
                QTest::qWait(5);
        }
        // Racing edits may have raised conflicts (a later edit of the same record waits behind
        // one): take theirs until nothing is pending.
        for (Mirror *m : {&nurse, &other}) {
            QVERIFY(QTest::qWaitFor(
                [&] {
                    for (const PendingOperation &op : m->manager->conflicts())
                        m->manager->resolveConflict(op.txnId, Manager::Resolution::TakeTheirs);
                    return m->manager->pendingCount() == 0;
                },
                Patience));
        }
        qInfo().noquote() << "conflicts:" << nurse.manager->counters().conflicts << "and"
                          << other.manager->counters().conflicts << "; reloads"
                          << nurse.manager->counters().reloads << "and"
                          << other.manager->counters().reloads;
        QVERIFY(nurse.settlesTo(&nurse.api));
        QVERIFY(other.settlesTo(&other.api));
        QCOMPARE(sortedById(nurse.manager->records()), sortedById(other.manager->records()));
    }

    // The server stops (its process ends) and starts again on the same port with the same
    // database while clients keep writing: afterwards every mirror equals the server.
    void serverRestartMidStreamEndsEqual_data() { randomWritesFromSeveralClientsEndEqual_data(); }
    void serverRestartMidStreamEndsEqual()
    {
        QFETCH(int, mode);
        QTemporaryDir dir;
        server::LivedeskServer::Options options;
        options.databasePath = dir.filePath(u"livedesk.sqlite"_s);
        options.jwtSecret = "restart-test-secret"; // tokens outlive the restart
        m_writer.reset();
        m_server = std::make_unique<server::LivedeskServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        options.port = m_server->port();
        m_writer = std::make_unique<Mirror>(m_server.get(), u"doctor@demo.local"_s, u"doctor"_s);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode(mode)));
        QStringList refusals;
        connect(nurse.manager.get(), &Manager::operationFailed, this,
                [&](const QString &, const RestError &e) { refusals.append(e.code); });

        QRandomGenerator random(99);
        for (int i = 0; i < 120; ++i) {
            const QString id = QString::number(1 + random.bounded(100));
            const QJsonObject change{{u"ward"_s, u"R%1"_s.arg(i)}};
            if (i % 2 == 0)
                m_writer->api.update(u"/api/patients"_s, id, change);
            else if (nurse.manager->rowOf(id) >= 0)
                nurse.manager->updateRecord(id, change);
            if (i == 40) {
                m_server->stop();
                m_server.reset();
            }
            if (i == 80) {
                m_server = std::make_unique<server::LivedeskServer>(options);
                QVERIFY2(m_server->start(&error), qPrintable(error));
            }
            QTest::qWait(5);
        }
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const PendingOperation &op : nurse.manager->conflicts())
                    nurse.manager->resolveConflict(op.txnId, Manager::Resolution::TakeTheirs);
                return nurse.manager->pendingCount() == 0;
            },
            Patience));
        QVERIFY(nurse.settlesTo(&nurse.api));
        QVERIFY(nurse.manager->counters().resyncs >= 1);
        if (mode == int(Manager::Mode::His)) {
            // Writes while the server was away were refused, with a reason, not queued.
            QVERIFY(refusals.contains(u"OFFLINE"_s));
        } else {
            // Writes while it was away were queued and sent once it was back: none refused.
            QVERIFY2(refusals.isEmpty(), qPrintable(refusals.join(u", ")));
            QVERIFY(nurse.manager->counters().confirmed > 0);
        }
    }

    // A reload that finds a record moved by its sort key moves that one row: no removal and
    // insertion (which would lose a selection), no reset. Live mode keeps the order itself.
    void rowsMoveInsteadOfRemoveAndInsert_data() { randomWritesFromSeveralClientsEndEqual_data(); }
    void rowsMoveInsteadOfRemoveAndInsert()
    {
        QFETCH(int, mode);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode(mode)));
        RestQuery query;
        query.sort = {{u"hn"_s, Qt::DescendingOrder}};
        QSignalSpy resets(nurse.manager.get(), &Manager::resetDone);
        nurse.manager->setQuery(query);
        QCOMPARE(resets.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!nurse.manager->isLoading() && nurse.manager->rowCount() == 300,
                                 Patience);
        const int last = nurse.manager->rowCount() - 1;
        const QString id = nurse.manager->idAt(last);
        QStringList signalsSeen;
        SignalAudit audit(nurse.manager.get());
        connect(nurse.manager.get(), &Manager::rowsMoved, this,
                [&](int first, int, int destination) {
                    signalsSeen.append(u"moved %1 before %2"_s.arg(first).arg(destination));
                });
        connect(nurse.manager.get(), &Manager::rowsRemoved, this,
                [&] { signalsSeen.append(u"removed"_s); });
        connect(nurse.manager.get(), &Manager::rowsInserted, this,
                [&] { signalsSeen.append(u"inserted"_s); });
        // The last row by HN, descending, becomes the first.
        QVERIFY(
            test::await(m_writer->api.update(u"/api/patients"_s, id, {{u"hn"_s, u"ZZZ-1"_s}})).ok);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->idAt(0), id, Patience);
        QVERIFY(nurse.settlesTo(&nurse.api));
        QCOMPARE(signalsSeen, QStringList{u"moved %1 before 0"_s.arg(last)});
        QCOMPARE(resets.size(), 1);
        QVERIFY2(audit.problems.isEmpty(), qPrintable(audit.problems.join(u"; ")));
    }

    // HIS mode with a background diff for every reload (Options::backgroundDiffRows 0): the
    // diff is worked out on a worker thread and applied a few rows per turn of the event loop,
    // and the rows end as the server has them through changes, deletions and creations.
    void hisDiffOffTheGuiThreadIsAppliedInSlices()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(startInSlices(nurse));
        QCOMPARE(nurse.manager->rowCount(), 300);
        // The first load: 300 rows inserted, at most 16 per turn.
        Manager::Counters c = nurse.manager->counters();
        QVERIFY(c.reloadPlans >= 1);
        QVERIFY2(c.reloadSlices >= 300 / 16, qPrintable(QString::number(c.reloadSlices)));
        QVERIFY(nurse.settlesTo(&nurse.api));

        SignalAudit audit(nurse.manager.get());
        QSignalSpy synced(nurse.manager.get(), &Manager::synced);
        const qint64 slices = c.reloadSlices;
        const qint64 plans = c.reloadPlans;
        for (int i = 0; i < 40; ++i) {
            QVERIFY(changedByTheOther(nurse.manager->idAt(i * 7),
                                      {{u"name"_s, u"Renamed %1"_s.arg(i)}}));
        }
        for (int i = 0; i < 3; ++i)
            QVERIFY(test::await(
                        m_writer->api.remove(u"/api/patients"_s, nurse.manager->idAt(100 + 20 * i)))
                        .ok);
        for (int i = 0; i < 5; ++i)
            QVERIFY(!created(u"SLICE-%1"_s.arg(i)).isEmpty());
        QVERIFY(nurse.settlesTo(&nurse.api));
        c = nurse.manager->counters();
        QVERIFY(c.reloadPlans > plans);
        QVERIFY(c.reloadSlices - slices >= 2);
        QCOMPARE(c.planFallbacks, 0);
        QVERIFY(!synced.isEmpty());
        QVERIFY(audit.signals > 0);
        QVERIFY2(audit.problems.isEmpty(), qPrintable(audit.problems.join(u"; ")));
    }

    // A change to the rows while a reload's diff is worked out (a lock event, which changes a
    // row's state) drops that diff: it is worked out again from the rows as they are then,
    // never applied to rows it was not made for. A reload asked for meanwhile follows it, as
    // one asked for while the pages are read.
    void hisDiffIsWorkedOutAgainWhenTheRowsChangeMeanwhile()
    {
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(startInSlices(nurse));
        QVERIFY(nurse.settlesTo(&nurse.api));
        const Manager::Counters before = nurse.manager->counters();
        const QString id = nurse.manager->idAt(5);
        bool injected = false;
        connect(nurse.manager.get(), &Manager::stateChanged, this, [&] {
            // Right after the worker got its snapshot (counters() says a plan started).
            if (injected || nurse.manager->counters().reloadPlans != before.reloadPlans + 1)
                return;
            injected = true;
            QVERIFY(nurse.manager->isLoading());
            RealtimeEvent lock;
            lock.feature = nurse.schema.feature;
            lock.action = u"lock_acquired"_s;
            lock.ids = {id};
            lock.setData(QJsonObject{{u"userId"_s, u"u-doctor"_s}});
            nurse.channel.router().route(lock);
            nurse.manager->reload(); // coalesced: one more once this one is done
        });
        nurse.manager->reload();
        QTRY_VERIFY_WITH_TIMEOUT(injected && !nurse.manager->isLoading()
                                     && !nurse.manager->isRefreshPending(),
                                 Patience);
        const Manager::Counters after = nurse.manager->counters();
        QCOMPARE(after.planRecomputes, before.planRecomputes + 1);
        QCOMPARE(after.planFallbacks, before.planFallbacks);
        // The dropped plan, its new one, and the reload that followed.
        QCOMPARE(after.reloadPlans, before.reloadPlans + 3);
        QCOMPARE(after.reloads, before.reloads + 2);
        QCOMPARE(nurse.manager->rowState(nurse.manager->rowOf(id)), Manager::RowState::Locked);
        QVERIFY(nurse.settlesTo(&nurse.api));
    }

    // Someone else's lock shows on the row, with who holds it; one's own does not; a release
    // clears it. Both modes, as locks change no data.
    void locksShowOnTheRow_data() { randomWritesFromSeveralClientsEndEqual_data(); }
    void locksShowOnTheRow()
    {
        QFETCH(int, mode);
        Mirror nurse(m_server.get(), u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(nurse.start(Manager::Mode(mode)));
        const QString id = nurse.manager->idAt(3);
        const QString me = nurse.api.user().value(u"id").toVariant().toString();
        const server::EventPublisher::Origin origin{u"ward-a"_s, u"u-doctor"_s, {}, {}};
        const auto lock = [&](const QString &action, const QString &user) {
            m_server->publisher()->publish(patients(), action,
                                           QJsonObject{{u"id"_s, id}, {u"userId"_s, user}}, origin);
        };
        lock(u"lock_acquired"_s, u"u-doctor"_s);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->rowState(3), Manager::RowState::Locked, Patience);
        QVERIFY(nurse.manager->rowReason(3).contains(u"u-doctor"_s));
        QCOMPARE(nurse.manager->lockedBy(id), u"u-doctor"_s);
        lock(u"lock_released"_s, u"u-doctor"_s);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.manager->rowState(3), Manager::RowState::Synced, Patience);
        lock(u"lock_acquired"_s, me);
        QTest::qWait(300);
        QCOMPARE(nurse.manager->rowState(3), Manager::RowState::Synced);
        QVERIFY(nurse.manager->lockedBy(id).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStateManager)
#include "tst_statemanager.moc"
