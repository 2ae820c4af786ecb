// SPDX-License-Identifier: MIT
// RealtimeStateManager against a backend that behaves like plain AegisX (aegisx-backend.js:
// Node, REST and socket.io 4.8): every event twice, events reordered by priority and some sent
// again later, no event ids, no sequence numbers, no versions, no txn echo, no recovery. After
// random writes from several clients, dropped connections and a killed and restarted server,
// the mirror must equal the server's records in both modes. With `--seq` the backend numbers
// its events as livedesk-server does, and a lost event must cause a resync.
#include "apiclient.h"
#include "cliprocess.h"
#include "peerprocess.h"
#include "realtimechannel.h"
#include "realtimestatemanager.h"
#include "resourceschema.h"
#include "restoutcome.h"
#include "socketioclient.h"
#include "stateclient.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;
using livedesk::test::PeerProcess;
using Manager = RealtimeStateManager;

namespace {

constexpr int Patience = 20000;
const QString Path = u"/api/patients"_s;

// What a user of a plain AegisX server writes in a `--schema` file: no version field.
ResourceSchema plainSchema()
{
    const QJsonObject document{
        {u"resources"_s,
         QJsonArray{QJsonObject{
             {u"name"_s, u"patients"_s},
             {u"path"_s, Path},
             {u"feature"_s, u"patients"_s},
             {u"entity"_s, u"patient"_s},
             {u"idField"_s, u"id"_s},
             {u"versionField"_s, QJsonValue::Null},
             {u"fields"_s,
              QJsonArray{QJsonObject{{u"name"_s, u"hn"_s}, {u"type"_s, u"string"_s}},
                         QJsonObject{{u"name"_s, u"name"_s}, {u"type"_s, u"string"_s}},
                         QJsonObject{{u"name"_s, u"ward"_s}, {u"type"_s, u"string"_s}},
                         QJsonObject{{u"name"_s, u"status"_s}, {u"type"_s, u"string"_s}}}}}}}};
    QString error;
    const auto schema = ResourceSchema::fromSchemaDocument(document, u"patients"_s, &error);
    if (!schema)
        qFatal("schema: %s", qPrintable(error));
    return *schema;
}

// What the backend holds, read from its own memory (not over the API under test).
QList<QJsonObject> backendRecords(PeerProcess &backend)
{
    QList<QJsonObject> records;
    const QJsonArray all = backend.request({{u"cmd"_s, u"records"_s}}).value(u"records").toArray();
    for (const QJsonValue &v : all)
        records.append(v.toObject());
    return records;
}

// One user, subscribed to the feature and the entity room, so that AegisX sends every event
// twice; the schema is what a user of a plain AegisX server writes in a file.
class Mirror : public test::StateClient
{
public:
    Mirror(const QUrl &url, const QString &email, const QString &password)
        : StateClient(url, email, password, {u"patient"_s})
    {
    }

    bool start(Manager::Mode mode)
    {
        Manager::Options options;
        options.mode = mode;
        options.query.sort = {{u"id"_s, Qt::AscendingOrder}};
        return StateClient::start(plainSchema(), options);
    }

    // True once the mirror shows exactly what the backend holds (waits for it to settle).
    bool settlesTo(PeerProcess &backend)
    {
        return StateClient::settlesTo([&] { return backendRecords(backend); });
    }

    QString wardOf(const QString &id) const
    {
        const int row = manager->rowOf(id);
        return row < 0 ? QString() : manager->record(row).value(u"ward").toString();
    }
};

} // namespace

class TestAegisxMirror : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<PeerProcess> m_backend;
    QStringList m_arguments;

    bool startBackend(const QStringList &extra = {})
    {
        m_backend = std::make_unique<PeerProcess>(u"aegisx-backend.js"_s);
        m_arguments = QStringList{u"--data"_s, m_dir->filePath(u"patients.json"_s)} + extra;
        if (!m_backend->start(m_arguments)) {
            qWarning().noquote() << m_backend->errorOutput();
            return false;
        }
        return true;
    }

    // A crash and a restart on the same port with the same data file.
    bool restartBackend()
    {
        const int port = m_backend->port();
        m_backend->kill();
        QTest::qWait(200);
        return m_backend->start(m_arguments + QStringList{u"--port"_s, QString::number(port)});
    }

    QUrl url() const { return m_backend->url(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PeerProcess::setupProblem().isEmpty(), qPrintable(PeerProcess::setupProblem()));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void cleanup()
    {
        m_backend.reset();
        m_dir.reset();
    }

    void randomWritesDropsAndRestartsEndEqual_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("his") << int(Manager::Mode::His);
        QTest::newRow("live") << int(Manager::Mode::Live);
    }
    void randomWritesDropsAndRestartsEndEqual()
    {
        QFETCH(int, mode);
        QVERIFY(startBackend({u"--seed"_s, u"60"_s, u"--delayed-duplicates"_s, u"0.2"_s,
                              u"--random-seed"_s, QString::number(7 + mode)}));
        Mirror nurse(url(), u"nurse@demo.local"_s, u"nurse"_s);
        Mirror doctor(url(), u"doctor@demo.local"_s, u"doctor"_s);
        Mirror writer(url(), u"doctor@demo.local"_s, u"doctor"_s); // REST only
        QVERIFY(nurse.loggedIn && doctor.loggedIn && writer.loggedIn);
        QVERIFY(nurse.start(Manager::Mode(mode)));
        QVERIFY(doctor.start(Manager::Mode(mode)));
        QCOMPARE(nurse.manager->rowCount(), 60);

        QRandomGenerator random(1234 + mode);
        for (int i = 0; i < 300; ++i) {
            Mirror &who = i % 3 == 0 ? writer : (i % 3 == 1 ? nurse : doctor);
            const QString id = QString::number(1 + random.bounded(80));
            const QString ward = u"W%1"_s.arg(i);
            switch (random.bounded(5)) {
            case 0:
                if (who.manager)
                    who.manager->createRecord({{u"hn"_s, u"RND-%1"_s.arg(i)}, {u"name"_s, u"R"_s}});
                else
                    who.api.create(Path, {{u"hn"_s, u"RND-%1"_s.arg(i)}, {u"name"_s, u"R"_s}});
                break;
            case 1:
            case 2:
            case 3:
                if (who.manager && who.manager->rowOf(id) >= 0)
                    who.manager->updateRecord(id, {{u"ward"_s, ward}});
                else
                    who.api.update(Path, id, {{u"ward"_s, ward}});
                break;
            default:
                if (who.manager && who.manager->rowOf(id) >= 0)
                    who.manager->deleteRecord(id);
                else
                    who.api.remove(Path, id);
                break;
            }
            if (i == 100) { // every connection dropped; AegisX recovers nothing
                const qsizetype connections = m_backend->count(u"connection");
                m_backend->send({{u"cmd"_s, u"dropEngines"_s}});
                QTRY_VERIFY_WITH_TIMEOUT(m_backend->count(u"connection") >= connections + 2,
                                         Patience);
            }
            if (i == 200) // the server crashes and comes back
                QVERIFY2(restartBackend(), qPrintable(m_backend->errorOutput()));
            if (i % 10 == 0)
                QTest::qWait(10);
        }
        for (Mirror *m : {&nurse, &doctor}) {
            QVERIFY(QTest::qWaitFor(
                [&] {
                    for (const PendingOperation &op : m->manager->conflicts())
                        m->manager->resolveConflict(op.txnId, Manager::Resolution::TakeTheirs);
                    return m->manager->pendingCount() == 0;
                },
                Patience));
        }
        QVERIFY(nurse.settlesTo(*m_backend));
        QVERIFY(doctor.settlesTo(*m_backend));

        const auto &c = nurse.manager->counters();
        qInfo().noquote() << "nurse: events seen" << c.eventsSeen << "applied" << c.eventsApplied
                          << "duplicates dropped" << nurse.channel.stats().duplicates
                          << "record fetches" << c.recordFetches << "reloads" << c.reloads
                          << "resyncs" << c.resyncs << "conflicts" << c.conflicts;
        // Both rooms deliver every event: the copies never reach the manager.
        QVERIFY(nurse.channel.stats().duplicates > 0);
        // The drop and the restart were not recovered: each one a resync.
        QVERIFY(c.resyncs >= 2);
        if (mode == int(Manager::Mode::Live)) {
            // Without versions an event cannot be trusted over a reordered one: fetched again.
            QVERIFY(c.recordFetches > 0);
        }
    }

    // A plain AegisX server has no versions and no If-Match: a save made on a form is checked
    // by reading the record just before writing it. The doctor's Ward against the nurse's is a
    // conflict and his value stays on the server; his Ward against her Name is merged.
    void formBaseIsCheckedWithoutVersions_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("his") << int(Manager::Mode::His);
        QTest::newRow("live") << int(Manager::Mode::Live);
    }
    void formBaseIsCheckedWithoutVersions()
    {
        QFETCH(int, mode);
        QVERIFY(startBackend({u"--seed"_s, u"10"_s}));
        Mirror nurse(url(), u"nurse@demo.local"_s, u"nurse"_s);
        Mirror writer(url(), u"doctor@demo.local"_s, u"doctor"_s); // REST only
        QVERIFY(nurse.loggedIn && writer.loggedIn);
        QVERIFY(nurse.start(Manager::Mode(mode)));
        // The forms she opens.
        const QJsonObject form4 = nurse.manager->record(nurse.manager->rowOf(u"4"_s));
        const QJsonObject form5 = nurse.manager->record(nurse.manager->rowOf(u"5"_s));
        QVERIFY(!form4.isEmpty() && !form5.isEmpty());
        QTest::qWait(5); // a later updated_at than the forms'
        for (const QString &id : {u"4"_s, u"5"_s})
            QVERIFY(test::await(writer.api.update(Path, id, {{u"ward"_s, u"Ward of the doctor"_s}}))
                        .ok);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.wardOf(u"4"_s), u"Ward of the doctor"_s, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.wardOf(u"5"_s), u"Ward of the doctor"_s, Patience);
        QVERIFY(nurse.settlesTo(*m_backend));
        const auto backendRecord = [this](const QString &id) {
            for (const QJsonObject &r : backendRecords(*m_backend)) {
                if (QString::number(r.value(u"id").toInteger()) == id)
                    return r;
            }
            return QJsonObject();
        };

        const Manager::Counters before = nurse.manager->counters();
        QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
        QSignalSpy confirmed(nurse.manager.get(), &Manager::operationConfirmed);
        const QString txn
            = nurse.manager->updateRecord(u"4"_s, {{u"ward"_s, u"Ward of the nurse"_s}}, form4);
        QVERIFY(conflict.wait(Patience));
        QCOMPARE(conflict.at(0).at(0).toString(), txn);
        QCOMPARE(nurse.manager->counters().baseChecks, before.baseChecks + 1);
        QCOMPARE(nurse.manager->counters().writesSent, before.writesSent); // nothing written
        QCOMPARE(nurse.manager->counters().conflicts, before.conflicts + 1);
        const PendingOperation op = nurse.manager->conflicts().value(0);
        QCOMPARE(op.txnId, txn);
        QCOMPARE(op.theirs.value(u"ward").toString(), u"Ward of the doctor"_s);
        QCOMPARE(op.base.value(u"ward"), form4.value(u"ward"));
        QCOMPARE(op.conflictingFields(), QStringList{u"ward"_s});
        QCOMPARE(backendRecord(u"4"_s).value(u"ward").toString(), u"Ward of the doctor"_s);

        const QString merged
            = nurse.manager->updateRecord(u"5"_s, {{u"name"_s, u"Name by the nurse"_s}}, form5);
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 1, Patience);
        QCOMPARE(confirmed.at(0).at(0).toString(), merged);
        QCOMPARE(conflict.size(), 1);
        QCOMPARE(nurse.manager->counters().baseChecks, before.baseChecks + 2);
        QCOMPARE(nurse.manager->counters().merged, before.merged + 1);
        const QJsonObject five = backendRecord(u"5"_s);
        QCOMPARE(five.value(u"ward").toString(), u"Ward of the doctor"_s);
        QCOMPARE(five.value(u"name").toString(), u"Name by the nurse"_s);

        // Hers after all: written on top of his record.
        QVERIFY(nurse.manager->resolveConflict(txn, Manager::Resolution::KeepMine));
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 2, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(backendRecord(u"4"_s).value(u"ward").toString(),
                                  u"Ward of the nurse"_s, Patience);
        QVERIFY(nurse.settlesTo(*m_backend));
    }

    // Many quick edits of one record: their events arrive in priority order, not in the order
    // of the edits, and some arrive twice, late. The row must never go back to an older value
    // (the records' `updated_at` says which change is older; the edits are 2 ms apart so that
    // no two share a millisecond), and the last edit must win.
    void liveReorderedEventsNeverGoBack()
    {
        QVERIFY(startBackend(
            {u"--seed"_s, u"5"_s, u"--flush-ms"_s, u"100"_s, u"--delayed-duplicates"_s, u"0.5"_s}));
        Mirror nurse(url(), u"nurse@demo.local"_s, u"nurse"_s);
        Mirror writer(url(), u"doctor@demo.local"_s, u"doctor"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        QList<int> shown;
        QObject::connect(nurse.manager.get(), &Manager::rowsChanged, nurse.manager.get(), [&] {
            const QString ward = nurse.wardOf(u"3"_s);
            if (ward.startsWith(u'E') && (shown.isEmpty() || shown.last() != ward.mid(1).toInt()))
                shown.append(ward.mid(1).toInt());
        });
        for (int i = 1; i <= 20; ++i) {
            QVERIFY(
                test::await(writer.api.update(Path, u"3"_s, {{u"ward"_s, u"E%1"_s.arg(i)}})).ok);
            QTest::qWait(2);
        }
        QTRY_COMPARE_WITH_TIMEOUT(nurse.wardOf(u"3"_s), u"E20"_s, Patience);
        // Let every queued and delayed copy arrive: none may take the row back.
        m_backend->request({{u"cmd"_s, u"flush"_s}});
        QTest::qWait(400);
        QCOMPARE(nurse.wardOf(u"3"_s), u"E20"_s);
        QVERIFY(nurse.settlesTo(*m_backend));
        QStringList trail;
        for (int n : std::as_const(shown))
            trail.append(QString::number(n));
        QVERIFY2(std::is_sorted(shown.cbegin(), shown.cend()),
                 qPrintable(u"the row went back to an older value: "_s + trail.join(u' ')));
        QVERIFY(nurse.manager->counters().eventsIgnored > 0); // there were reordered events
    }

    // A lost event on a server that numbers its events: the next event shows the gap, and the
    // manager reads everything again, so the change whose event was lost reaches the mirror.
    void liveSeqGapResyncs()
    {
        QVERIFY(startBackend({u"--seed"_s, u"10"_s, u"--seq"_s}));
        Mirror nurse(url(), u"nurse@demo.local"_s, u"nurse"_s);
        Mirror writer(url(), u"doctor@demo.local"_s, u"doctor"_s);
        QVERIFY(nurse.start(Manager::Mode::Live));
        QVERIFY(test::await(writer.api.update(Path, u"2"_s, {{u"ward"_s, u"Seen"_s}})).ok);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.wardOf(u"2"_s), u"Seen"_s, Patience);
        const qint64 reloads = nurse.manager->counters().reloads;
        QCOMPARE(nurse.manager->counters().seqGaps, 0);

        m_backend->request({{u"cmd"_s, u"lose"_s}, {u"count"_s, 1}});
        QVERIFY(test::await(writer.api.update(Path, u"5"_s, {{u"ward"_s, u"Lost"_s}})).ok);
        QTest::qWait(200); // its event would have arrived by now
        QCOMPARE(nurse.wardOf(u"5"_s), QString(u"Ward 2"_s));
        QVERIFY(test::await(writer.api.update(Path, u"6"_s, {{u"ward"_s, u"Next"_s}})).ok);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.wardOf(u"5"_s), u"Lost"_s, Patience);
        QCOMPARE(nurse.wardOf(u"6"_s), u"Next"_s);
        QCOMPARE(nurse.manager->counters().seqGaps, 1);
        QVERIFY(nurse.manager->counters().reloads > reloads);
        QVERIFY(nurse.settlesTo(*m_backend));
    }

    // Without sequence numbers a lost event cannot be noticed; the next reconnect (not
    // recovered, as always with AegisX) reads everything again and repairs the mirror.
    void lostEventIsRepairedByTheNextReconnect_data()
    {
        randomWritesDropsAndRestartsEndEqual_data();
    }
    void lostEventIsRepairedByTheNextReconnect()
    {
        QFETCH(int, mode);
        QVERIFY(startBackend({u"--seed"_s, u"10"_s}));
        Mirror nurse(url(), u"nurse@demo.local"_s, u"nurse"_s);
        Mirror writer(url(), u"doctor@demo.local"_s, u"doctor"_s);
        QVERIFY(nurse.start(Manager::Mode(mode)));
        m_backend->request({{u"cmd"_s, u"lose"_s}, {u"count"_s, 1}});
        QVERIFY(test::await(writer.api.update(Path, u"4"_s, {{u"ward"_s, u"Lost"_s}})).ok);
        QTest::qWait(200);
        QCOMPARE(nurse.wardOf(u"4"_s), QString(u"Ward 1"_s));
        m_backend->send({{u"cmd"_s, u"dropEngines"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(nurse.wardOf(u"4"_s), u"Lost"_s, Patience);
        QVERIFY(nurse.settlesTo(*m_backend));
    }

    // What a user does with a plain AegisX server: `livedesk-cli mirror` with a schema file,
    // while someone else writes; the snapshot it leaves equals the server's records.
    void cliMirrorWithASchemaFile()
    {
        QVERIFY(startBackend({u"--seed"_s, u"30"_s, u"--delayed-duplicates"_s, u"0.3"_s}));
        const QString schemaPath = m_dir->filePath(u"schema.json"_s);
        {
            QFile file(schemaPath);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(
                QJsonDocument(QJsonObject{{u"resources"_s, QJsonArray{plainSchema().toJson()}}})
                    .toJson());
        }
        const QString snapshot = m_dir->filePath(u"snapshot.json"_s);
        test::CliProcess cli(QString::fromUtf8(LIVEDESK_CLI_EXECUTABLE));
        cli.start({u"mirror"_s, u"--url"_s, url().toString(), u"--path"_s, u"/api/ws/"_s,
                   u"--user"_s, u"nurse@demo.local"_s, u"--password"_s, u"nurse"_s, u"--resource"_s,
                   u"patients"_s, u"--schema"_s, schemaPath, u"--mode"_s, u"live"_s, u"--idle-ms"_s,
                   u"1500"_s, u"--snapshot"_s, snapshot});
        QTRY_VERIFY_WITH_TIMEOUT(m_backend->count(u"subscribed") == 1, Patience);
        Mirror writer(url(), u"doctor@demo.local"_s, u"doctor"_s);
        for (int i = 0; i < 30; ++i) {
            const QString id = QString::number(1 + (i * 7) % 30);
            if (i % 10 == 9)
                writer.api.remove(Path, id);
            else
                writer.api.update(Path, id, {{u"ward"_s, u"CLI %1"_s.arg(i)}});
        }
        QVERIFY(
            test::await(writer.api.create(Path, {{u"hn"_s, u"CLI-1"_s}, {u"name"_s, u"C"_s}})).ok);
        QVERIFY(cli.finish(Patience));
        QVERIFY2(cli.process.exitCode() == 0, qPrintable(cli.errorText()));
        QFile file(snapshot);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QList<QJsonObject> mirrored;
        for (const QJsonValue &v :
             QJsonDocument::fromJson(file.readAll()).object().value(u"records").toArray())
            mirrored.append(v.toObject());
        QCOMPARE(mirrored, backendRecords(*m_backend));
        QCOMPARE(mirrored.size(), 30 - 3 + 1);
    }
};

QTEST_GUILESS_MAIN(TestAegisxMirror)
#include "tst_aegisxmirror.moc"
