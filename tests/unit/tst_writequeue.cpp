// SPDX-License-Identifier: MIT
// WriteQueue alone: what goes out next, what a record shows with the user's changes on top,
// when someone else's version clashes, what "keep mine" and "discard" make of a change, and
// that every change of the queue is on disk at once and comes back after a restart.
#include "state/offlinequeue.h"
#include "state/writequeue.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::OfflineQueue;
using livedesk::PendingOperation;
using livedesk::ResourceSchema;
using livedesk::RestError;
using livedesk::WriteQueue;
using Kind = PendingOperation::Kind;
using State = PendingOperation::State;
using BaseCheck = WriteQueue::BaseCheck;

namespace {

ResourceSchema schema(bool versions)
{
    ResourceSchema s;
    s.name = u"patients"_s;
    s.restPath = u"/api/patients"_s;
    if (versions)
        s.versionField = u"version"_s;
    for (const char *name : {"name", "ward", "bed"}) {
        ResourceSchema::Column c;
        c.name = QString::fromLatin1(name);
        s.columns.append(c);
    }
    ResourceSchema::Column created;
    created.name = u"created_at"_s;
    created.system = true;
    s.columns.append(created);
    return s;
}

PendingOperation op(const QString &txn, Kind kind, const QString &recordId,
                    const QJsonObject &values = {}, const QJsonObject &base = {})
{
    PendingOperation o;
    o.txnId = txn;
    o.kind = kind;
    o.recordId = recordId;
    o.values = values;
    o.base = base;
    o.baseVersion = base.value(u"version").toInteger(-1);
    return o;
}

const QJsonObject Ann{{u"id"_s, u"1"_s},   {u"name"_s, u"Ann"_s},
                      {u"ward"_s, u"A"_s}, {u"bed"_s, 3},
                      {u"version"_s, 4},   {u"created_at"_s, u"2026-01-01T00:00:00.000Z"_s}};

QJsonObject with(QJsonObject record, const QString &key, const QJsonValue &value)
{
    record.insert(key, value);
    return record;
}

QList<PendingOperation> stored(const QString &path)
{
    QList<PendingOperation> ops;
    QString error;
    if (!OfflineQueue(path, u"patients"_s).load(&ops, &error))
        qWarning() << error;
    return ops;
}

QStringList txns(const QList<PendingOperation> &ops)
{
    QStringList out;
    for (const PendingOperation &o : ops)
        out.append(o.txnId);
    return out;
}

} // namespace

class TestWriteQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nextIsTheFirstOfEachRecord()
    {
        WriteQueue q(schema(true), true);
        q.append(op(u"t1"_s, Kind::Update, u"1"_s, {{u"name"_s, u"A"_s}}, Ann));
        q.append(op(u"t2"_s, Kind::Update, u"1"_s, {{u"ward"_s, u"B"_s}}, Ann));
        q.append(op(u"t3"_s, Kind::Delete, u"2"_s));
        QCOMPARE(q.next()->txnId, u"t1"_s);
        // A record's changes go out in order: while t1 is on its way, t2 waits and t3 may go.
        QVERIFY(!q.markSent(u"t1"_s));
        QCOMPARE(q.find(u"t1"_s)->state, State::Sent);
        QCOMPARE(q.next()->txnId, u"t3"_s);
        // A record being read waits for the answer.
        QCOMPARE(q.next({u"2"_s}), nullptr);
        // In conflict, the record's later changes wait for the user too.
        QVERIFY(q.markConflict(u"t1"_s, Ann));
        QCOMPARE(q.next({u"2"_s}), nullptr);
        QVERIFY(q.take(u"t1"_s));
        QCOMPARE(q.next({u"2"_s})->txnId, u"t2"_s);
        QVERIFY(!q.take(u"t1"_s));
        QCOMPARE(q.find(u""_s), nullptr);
    }

    void replayIsCountedOnlyForALostAnswer()
    {
        WriteQueue q(schema(true), true);
        q.append(op(u"t1"_s, Kind::Update, u"1"_s, {{u"name"_s, u"A"_s}}, Ann));
        QVERIFY(!q.markSent(u"t1"_s)); // first send
        q.markRebased(u"t1"_s); // 409 on other fields: sent again on top, not a replay
        QCOMPARE(q.find(u"t1"_s)->state, State::Pending);
        QVERIFY(!q.markSent(u"t1"_s));
        q.requeue(u"t1"_s, RestError{}); // no answer: the next send is a replay
        QCOMPARE(q.find(u"t1"_s)->state, State::Pending);
        QVERIFY(q.markSent(u"t1"_s));
        QCOMPARE(q.find(u"t1"_s)->attempts, 3);
        QCOMPARE(q.find(u"t1"_s)->rebases, 1);
    }

    void overlayPutsTheChangesOnTop()
    {
        WriteQueue q(schema(true), true);
        // Nothing queued: the server's record as it is.
        WriteQueue::Overlay o = q.overlay(u"1"_s, Ann, true);
        QVERIFY(o.visible && !o.pending && !o.conflict);
        QCOMPARE(o.shown, Ann);

        q.append(op(u"t1"_s, Kind::Update, u"1"_s, {{u"name"_s, u"Bea"_s}}, Ann));
        q.append(op(u"t2"_s, Kind::Update, u"1"_s, {{u"bed"_s, 9}}, Ann));
        o = q.overlay(u"1"_s, with(Ann, u"ward"_s, u"C"_s), true);
        QVERIFY(o.visible && o.pending && !o.conflict);
        QCOMPARE(o.shown.value(u"name"), u"Bea"_s);
        QCOMPARE(o.shown.value(u"bed").toInt(), 9);
        QCOMPARE(o.shown.value(u"ward"), u"C"_s); // theirs, where the user changed nothing

        q.append(op(u"t3"_s, Kind::Delete, u"1"_s, {}, Ann));
        QVERIFY(!q.overlay(u"1"_s, Ann, true).visible);

        // A create shows under its local id; without it there is nothing to show.
        const QString local = PendingOperation::localId(u"t4"_s);
        q.append(op(u"t4"_s, Kind::Create, local, {{u"name"_s, u"Cat"_s}}));
        o = q.overlay(local, {}, false);
        QVERIFY(o.visible && o.pending);
        QCOMPARE(o.shown.value(u"id"), local);
        QVERIFY(!q.overlay(u"9"_s, {}, false).visible);
    }

    void overlayOfAConflict()
    {
        WriteQueue q(schema(true), true);
        q.append(op(u"t1"_s, Kind::Update, u"1"_s, {{u"name"_s, u"Bea"_s}}, Ann));
        // Deleted on the server while being edited: the edit on the record as the user saw it.
        QVERIFY(q.markConflict(u"t1"_s, {}));
        WriteQueue::Overlay o = q.overlay(u"1"_s, {}, false);
        QVERIFY(o.visible && o.conflict);
        QCOMPARE(o.shown, with(Ann, u"name"_s, u"Bea"_s));
        QCOMPARE(q.conflictOf(u"1"_s)->txnId, u"t1"_s);
        QCOMPARE(q.conflicts().size(), 1);

        // A delete in conflict leaves the record shown until the user decides.
        WriteQueue d(schema(true), true);
        d.append(op(u"t2"_s, Kind::Delete, u"1"_s, {}, Ann));
        QVERIFY(d.markConflict(u"t2"_s, with(Ann, u"bed"_s, 5)));
        o = d.overlay(u"1"_s, with(Ann, u"bed"_s, 5), true);
        QVERIFY(o.visible && o.conflict);
    }

    void clashesOnlyOnTheFieldsOfTheChange_data()
    {
        QTest::addColumn<bool>("versions");
        QTest::addColumn<QJsonObject>("theirs");
        QTest::addColumn<int>("check");
        QTest::addColumn<bool>("clash");
        const QJsonObject later = with(Ann, u"version"_s, 5);
        QTest::newRow("same version") << true << Ann << int(BaseCheck::Unchanged) << false;
        QTest::newRow("other field")
            << true << with(later, u"ward"_s, u"B"_s) << int(BaseCheck::OthersChanged) << false;
        QTest::newRow("same field")
            << true << with(later, u"name"_s, u"Eve"_s) << int(BaseCheck::Clash) << true;
        // Both made the same change: nothing to ask.
        QTest::newRow("same value")
            << true << with(later, u"name"_s, u"Bea"_s) << int(BaseCheck::OthersChanged) << false;
        // A null and a missing key are the same "no value".
        QJsonObject nulled = later;
        nulled.insert(u"bed"_s, QJsonValue::Null);
        QTest::newRow("bed nulled") << true << nulled << int(BaseCheck::OthersChanged) << false;
        // Without versions: the time of the last change, else field by field.
        QJsonObject stamped = Ann;
        stamped.remove(u"version"_s);
        stamped.insert(u"updated_at"_s, u"2026-01-02T00:00:00.000Z"_s);
        QTest::newRow("no versions, same time")
            << false << stamped << int(BaseCheck::Unchanged) << false;
        QTest::newRow("no versions, later time, same field")
            << false
            << with(with(stamped, u"updated_at"_s, u"2026-01-03T00:00:00.000Z"_s), u"name"_s,
                    u"Eve"_s)
            << int(BaseCheck::Clash) << true;
        QJsonObject plain = Ann;
        plain.remove(u"version"_s);
        QTest::newRow("no versions, no times, equal")
            << false << plain << int(BaseCheck::Unchanged) << false;
        QTest::newRow("no versions, no times, other field")
            << false << with(plain, u"ward"_s, u"Z"_s) << int(BaseCheck::OthersChanged) << false;
    }

    void clashesOnlyOnTheFieldsOfTheChange()
    {
        QFETCH(bool, versions);
        QFETCH(QJsonObject, theirs);
        QFETCH(int, check);
        QFETCH(bool, clash);
        WriteQueue q(schema(versions), true);
        QJsonObject base = Ann;
        if (!versions) {
            base.remove(u"version"_s);
            if (theirs.contains(u"updated_at"))
                base.insert(u"updated_at"_s, u"2026-01-02T00:00:00.000Z"_s);
        }
        const PendingOperation update
            = op(u"t1"_s, Kind::Update, u"1"_s, {{u"name"_s, u"Bea"_s}}, base);
        QCOMPARE(q.clashes(update, theirs), clash);
        QCOMPARE(int(q.compareWithBase(update, theirs)), check);
    }

    void aDeleteClashesWithAnyChange()
    {
        WriteQueue q(schema(true), true);
        const PendingOperation del = op(u"t1"_s, Kind::Delete, u"1"_s, {}, Ann);
        QVERIFY(!q.clashes(del, with(Ann, u"version"_s, 5)));
        QVERIFY(q.clashes(del, with(Ann, u"ward"_s, u"B"_s)));
    }

    void conflictsFromSomeoneElsesChange()
    {
        WriteQueue q(schema(true), true);
        q.append(op(u"t1"_s, Kind::Update, u"1"_s, {{u"name"_s, u"Bea"_s}}, Ann));
        q.append(op(u"t2"_s, Kind::Update, u"1"_s, {{u"ward"_s, u"C"_s}}, Ann));
        q.append(op(u"t3"_s, Kind::Update, u"2"_s, {{u"name"_s, u"X"_s}}, Ann));
        q.markSent(u"t3"_s);
        const QJsonObject theirs = with(with(Ann, u"version"_s, 5), u"ward"_s, u"D"_s);
        bool deleteDone = false;
        QCOMPARE(q.conflictsFrom(u"1"_s, theirs, false, &deleteDone), QStringList{u"t2"_s});
        QVERIFY(!deleteDone);
        QCOMPARE(q.find(u"t1"_s)->state, State::Pending);
        QCOMPARE(q.find(u"t2"_s)->state, State::Conflict);
        QCOMPARE(q.find(u"t2"_s)->theirs, theirs);
        // A change on its way is the server's to judge.
        QVERIFY(q.conflictsFrom(u"2"_s, {}, true).isEmpty());

        // Deleted on the server: a pending edit is a conflict, a pending delete is done.
        WriteQueue d(schema(true), true);
        d.append(op(u"t4"_s, Kind::Update, u"1"_s, {{u"name"_s, u"Bea"_s}}, Ann));
        d.append(op(u"t5"_s, Kind::Delete, u"7"_s, {}, Ann));
        QCOMPARE(d.conflictsFrom(u"1"_s, {}, true), QStringList{u"t4"_s});
        QVERIFY(d.conflictsFrom(u"7"_s, {}, true, &deleteDone).isEmpty());
        QVERIFY(deleteDone);
        QCOMPARE(d.find(u"t5"_s)->state, State::Pending);
    }

    void keepMineGoesOnTopOfTheirs()
    {
        WriteQueue q(schema(true), true);
        q.append(op(u"t1"_s, Kind::Update, u"1"_s, {{u"name"_s, u"Bea"_s}}, Ann));
        QCOMPARE(q.keepMine(u"t1"_s), std::nullopt); // no conflict yet
        const QJsonObject theirs = with(with(Ann, u"version"_s, 7), u"name"_s, u"Eve"_s);
        q.markConflict(u"t1"_s, theirs);
        q.markRebased(u"t1"_s);
        q.markConflict(u"t1"_s, theirs);
        QCOMPARE(q.keepMine(u"t1"_s), u"1"_s);
        const PendingOperation *o = q.find(u"t1"_s);
        QCOMPARE(o->state, State::Pending);
        QCOMPARE(o->base, theirs);
        QCOMPARE(o->baseVersion, 7);
        QCOMPARE(o->rebases, 0);
        QVERIFY(o->theirs.isEmpty());
        QCOMPARE(o->values, (QJsonObject{{u"name"_s, u"Bea"_s}}));

        // Merge: the values the user picked.
        q.markConflict(u"t1"_s, with(theirs, u"version"_s, 8));
        const QJsonObject merged{{u"name"_s, u"Bea Eve"_s}};
        QCOMPARE(q.keepMine(u"t1"_s, &merged), u"1"_s);
        QCOMPARE(q.find(u"t1"_s)->values, merged);
        QCOMPARE(q.find(u"t1"_s)->baseVersion, 8);
    }

    void keepMineOfADeletedRecordCreatesItAgain()
    {
        WriteQueue q(schema(true), true);
        q.append(op(u"t1"_s, Kind::Update, u"1"_s, {{u"name"_s, u"Bea"_s}}, Ann));
        q.markConflict(u"t1"_s, {}); // deleted on the server
        const std::optional<QString> shown = q.keepMine(u"t1"_s);
        QCOMPARE(shown, PendingOperation::localId(u"t1"_s));
        const PendingOperation *o = q.find(u"t1"_s);
        QCOMPARE(o->kind, Kind::Create);
        QCOMPARE(o->recordId, *shown);
        // Every field the user saw, with the change, without id, version or system fields.
        QCOMPARE(o->values,
                 (QJsonObject{{u"name"_s, u"Bea"_s}, {u"ward"_s, u"A"_s}, {u"bed"_s, 3}}));
        QVERIFY(!q.hasOperations(u"1"_s));
        QVERIFY(q.hasOperations(*shown));

        // A delete in conflict, merged with values, becomes an update of them.
        WriteQueue d(schema(true), true);
        d.append(op(u"t2"_s, Kind::Delete, u"1"_s, {}, Ann));
        const QJsonObject theirs = with(Ann, u"ward"_s, u"B"_s);
        d.markConflict(u"t2"_s, theirs);
        const QJsonObject merged{{u"ward"_s, u"C"_s}};
        QCOMPARE(d.keepMine(u"t2"_s, &merged), u"1"_s);
        QCOMPARE(d.find(u"t2"_s)->kind, Kind::Update);
        QCOMPARE(d.find(u"t2"_s)->base, theirs);
    }

    void discardDropsWhatHasNotGoneOut()
    {
        WriteQueue q(schema(true), true);
        const QString local = PendingOperation::localId(u"c"_s);
        q.append(op(u"c"_s, Kind::Create, local, {{u"name"_s, u"Cat"_s}}));
        q.append(op(u"u1"_s, Kind::Update, local, {{u"bed"_s, 1}}));
        q.append(op(u"u2"_s, Kind::Update, u"1"_s, {{u"bed"_s, 2}}, Ann));
        q.append(op(u"u3"_s, Kind::Update, u"1"_s, {{u"bed"_s, 3}}, Ann));
        q.markSent(u"u2"_s);
        QCOMPARE(txns(q.discardable()), (QStringList{u"c"_s, u"u1"_s, u"u3"_s}));
        // On its way: the server may apply it, so it cannot be taken back.
        QVERIFY(q.discard(u"u2"_s).isEmpty());
        QCOMPARE(q.operations().size(), 4);
        // A create that never went out takes the changes of its record with it.
        const auto dropped = q.discard(u"c"_s);
        QCOMPARE(dropped.size(), 2);
        QCOMPARE(dropped[0], std::make_pair(u"c"_s, local));
        QCOMPARE(dropped[1], std::make_pair(u"u1"_s, local));
        QCOMPARE(txns(q.operations()), (QStringList{u"u2"_s, u"u3"_s}));
        QCOMPARE(q.discard(u"u3"_s).size(), 1);
        QVERIFY(q.discard(u"nope"_s).isEmpty());
    }

    void everyChangeIsOnDiskAtOnce()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"queue.json"_s);
        WriteQueue q(schema(true), true);
        q.setStoragePath(path);
        const QString local = PendingOperation::localId(u"c"_s);
        q.append(op(u"c"_s, Kind::Create, local, {{u"name"_s, u"Cat"_s}}));
        q.append(op(u"u"_s, Kind::Update, local, {{u"bed"_s, 4}}));
        QCOMPARE(txns(stored(path)), (QStringList{u"c"_s, u"u"_s}));
        q.markSent(u"c"_s);
        QCOMPARE(stored(path).at(0).state, State::Sent);
        // The create is confirmed under the server's id: the update that follows it must be
        // stored under that id at once, or a crash now would leave it naming a record that
        // exists nowhere.
        QVERIFY(q.take(u"c"_s));
        q.rename(local, u"42"_s);
        QCOMPARE(stored(path).size(), 1);
        QCOMPARE(stored(path).at(0).recordId, u"42"_s);
        q.markSent(u"u"_s);
        q.markConflict(u"u"_s, Ann);
        QCOMPARE(stored(path).at(0).state, State::Conflict);
        QVERIFY(q.take(u"u"_s));
        QVERIFY(!QFile::exists(path)); // nothing left: no file
    }

    void aRestartSendsAgainWhatWasOnItsWay()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"queue.json"_s);
        {
            WriteQueue q(schema(true), true);
            q.setStoragePath(path);
            q.append(op(u"t1"_s, Kind::Update, u"1"_s, {{u"name"_s, u"Bea"_s}}, Ann));
            q.append(op(u"t2"_s, Kind::Delete, u"2"_s));
            q.markSent(u"t1"_s);
        }
        WriteQueue q(schema(true), true);
        q.setStoragePath(path);
        QString error;
        QVERIFY(q.load(&error));
        QCOMPARE(txns(q.operations()), (QStringList{u"t1"_s, u"t2"_s}));
        // Its answer was lost with the process: it goes again, the same txn id.
        QCOMPARE(q.find(u"t1"_s)->state, State::Pending);
        QCOMPARE(q.find(u"t1"_s)->attempts, 1);
        QCOMPARE(q.next()->txnId, u"t1"_s);
        QVERIFY(q.markSent(u"t1"_s)); // a replay
        QCOMPARE(q.find(u"t1"_s)->values, (QJsonObject{{u"name"_s, u"Bea"_s}}));
        QCOMPARE(q.find(u"t1"_s)->base, Ann);
    }

    void hisKeepsOnlyItsConflicts()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"queue.json"_s);
        {
            WriteQueue q(schema(true), false);
            q.setStoragePath(path);
            const PendingOperation w
                = op(u"w"_s, Kind::Update, u"1"_s, {{u"name"_s, u"Bea"_s}}, Ann);
            q.addInFlight(w);
            q.addInFlight(w); // once
            QCOMPARE(q.size(), 1);
            QCOMPARE(q.inFlight().at(0).state, State::Sent);
            QVERIFY(!QFile::exists(path)); // a write on its way is not stored
            q.settle(u"w"_s);
            q.holdConflict(w, with(Ann, u"name"_s, u"Eve"_s), RestError{});
            QCOMPARE(q.size(), 1);
            QVERIFY(q.operations().isEmpty()); // never in the rows
            QVERIFY(!q.overlay(u"1"_s, Ann, true).pending);
            QCOMPARE(txns(stored(path)), QStringList{u"w"_s});
        }
        WriteQueue q(schema(true), false);
        q.setStoragePath(path);
        QString error;
        QVERIFY(q.load(&error));
        QCOMPARE(txns(q.heldConflicts()), QStringList{u"w"_s});
        QCOMPARE(q.heldConflicts().at(0).state, State::Conflict);
        QCOMPARE(txns(q.discardable()), QStringList{u"w"_s});
        QCOMPARE(q.discard(u"w"_s), (QList<std::pair<QString, QString>>{{u"w"_s, u"1"_s}}));
        QVERIFY(!QFile::exists(path));
    }

    void anUnwritableFileIsReported()
    {
        QTemporaryDir dir;
        WriteQueue q(schema(true), true);
        // A directory where the file should be: it cannot be replaced.
        QVERIFY(QDir(dir.path()).mkpath(u"queue.json"_s));
        q.setStoragePath(dir.filePath(u"queue.json"_s));
        QStringList errors;
        q.setErrorHandler([&](const QString &e) { errors.append(e); });
        q.append(op(u"t1"_s, Kind::Delete, u"1"_s));
        QCOMPARE(errors.size(), 1);
        QVERIFY(!errors.at(0).isEmpty());
        QCOMPARE(q.operations().size(), 1); // kept in memory all the same
    }

    void anUnreadableFileIsLeftAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"queue.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ not json");
        f.close();
        WriteQueue q(schema(true), true);
        q.setStoragePath(path);
        QString error;
        QVERIFY(!q.load(&error));
        QVERIFY(!error.isEmpty());
        QVERIFY(q.operations().isEmpty());
        QFile again(path);
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), QByteArray("{ not json"));
    }
};

QTEST_GUILESS_MAIN(TestWriteQueue)
#include "tst_writequeue.moc"
