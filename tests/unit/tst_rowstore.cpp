// SPDX-License-Identifier: MIT
// RowStore alone: the id index, sorted placement and the keyed diff, checked through the row
// signals a model would relay (a shadow list replays them and must end equal to the store).
#include "state/recordidset.h"
#include "state/rowstore.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::RecordIdSet;
using livedesk::RowStore;
using Row = RowStore::Row;

namespace {

Row row(const QString &id, const QString &name = {}, int state = 0)
{
    Row r;
    r.id = id;
    r.shown = QJsonObject{{u"id"_s, id}, {u"name"_s, name.isEmpty() ? id : name}};
    r.server = r.shown;
    r.hasServer = true;
    r.state = state;
    return r;
}

QStringList ids(const RowStore &store)
{
    QStringList out;
    for (int i = 0; i < store.size(); ++i)
        out.append(store.at(i).id);
    return out;
}

// Replays the row signals the way a view's model would and counts them; after every signal
// the ids it holds must be what it was told.
class Shadow : public QObject
{
public:
    explicit Shadow(RowStore *store)
        : m_store(store)
    {
        connect(store, &RowStore::rowsInserted, this, [this](int first, int last) {
            for (int i = first; i <= last; ++i)
                list.insert(i, m_store->at(i).id);
            ++inserts;
        });
        connect(store, &RowStore::rowsAboutToBeRemoved, this, [this](int first, int last) {
            list.remove(first, last - first + 1);
            ++removes;
        });
        connect(store, &RowStore::rowsAboutToBeMoved, this,
                [this](int first, int last, int destination) {
                    QCOMPARE_LE(last, first); // one row at a time
                    const QString id = list.takeAt(first);
                    list.insert(destination > first ? destination - 1 : destination, id);
                    ++moves;
                });
        connect(store, &RowStore::rowsChanged, this,
                [this](int first, int last, const QStringList &fields, bool) {
                    for (int i = first; i <= last; ++i)
                        QCOMPARE(list.at(i), m_store->at(i).id);
                    changedFields += fields;
                    ++changes;
                });
    }
    QStringList list;
    int inserts = 0, removes = 0, moves = 0, changes = 0;
    QStringList changedFields;

private:
    RowStore *m_store;
};

int byName(const livedesk::CompactRecord &a, const QString &aId, const livedesk::CompactRecord &b,
           const QString &bId)
{
    const int c = a.value(u"name").toString().compare(b.value(u"name").toString());
    return c != 0 ? c : aId.compare(bId);
}

} // namespace

class TestRowStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idSetKeepsEverySpellingApart();
    void indexFollowsInsertsMovesAndRemoves();
    void updateSaysWhatChanged();
    void renameKeepsTheRow();
    void idsThatLookLikeNumbersStayApart();
    void packedRowsShowTheirRecord();
    void sortedPlacement();
    void applyTargetUsesFewestSignals();
    void applyTargetRandomised();
    void planInSlicesEndsAsApplyTarget();
    void planAnnouncesNeighbouringChangesTogether();
    void planIsNotAppliedToChangedRows();
};

void TestRowStore::indexFollowsInsertsMovesAndRemoves()
{
    RowStore store;
    Shadow shadow(&store);
    for (int i = 0; i < 100; ++i)
        store.insert(store.size(), row(QString::number(i)));
    QCOMPARE(store.indexOf(u"57"_s), 57);
    // Inserts at the top: every later row moves down, found where it is now.
    store.insert(0, row(u"a"_s));
    store.insert(0, row(u"b"_s));
    QCOMPARE(store.indexOf(u"57"_s), 59);
    QCOMPARE(store.indexOf(u"a"_s), 1);
    store.move(1, 80); // "a" down
    QCOMPARE(store.indexOf(u"a"_s), 80);
    QCOMPARE(store.indexOf(u"57"_s), 58);
    store.move(80, 0); // and back to the top
    QCOMPARE(store.indexOf(u"a"_s), 0);
    QCOMPARE(store.indexOf(u"b"_s), 1);
    store.remove(2, 11); // 0..9
    QCOMPARE(store.indexOf(u"5"_s), -1);
    QCOMPARE(store.indexOf(u"10"_s), 2);
    QCOMPARE(store.indexOf(u"nothing"_s), -1);
    QCOMPARE(shadow.list, ids(store));
    QCOMPARE(shadow.moves, 2);
    store.clear();
    QCOMPARE(store.size(), 0);
    QCOMPARE(store.indexOf(u"a"_s), -1);
}

void TestRowStore::updateSaysWhatChanged()
{
    RowStore store;
    store.insert(0, row(u"1"_s, u"Malee"_s));
    QSignalSpy changed(&store, &RowStore::rowsChanged);
    QVERIFY(!store.update(0, store.at(0).shown, 0)); // the same: no signal
    QCOMPARE(changed.size(), 0);
    QJsonObject shown = store.at(0).shown;
    shown.insert(u"name"_s, u"Malee C."_s);
    shown.insert(u"ward"_s, u"ICU"_s);
    QVERIFY(store.update(0, shown, 0));
    QCOMPARE(changed.size(), 1);
    QStringList fields = changed.at(0).at(2).toStringList();
    fields.sort();
    QCOMPARE(fields, (QStringList{u"name"_s, u"ward"_s}));
    QCOMPARE(changed.at(0).at(3).toBool(), false);
    QVERIFY(store.update(0, shown, 2)); // the state alone
    QCOMPARE(changed.at(1).at(2).toStringList(), QStringList());
    QCOMPARE(changed.at(1).at(3).toBool(), true);
    shown.remove(u"ward"_s); // a field gone is a change too
    QVERIFY(store.update(0, shown, 2));
    QCOMPARE(changed.at(2).at(2).toStringList(), QStringList{u"ward"_s});
    // As many fields, other keys: one gone, one new, one changed.
    const QJsonObject before{{u"a"_s, 1}, {u"b"_s, 2}, {u"c"_s, 3}};
    const QJsonObject after{{u"b"_s, 2}, {u"c"_s, 4}, {u"d"_s, 5}};
    QStringList swapped = livedesk::CompactRecord::changedFields(before, after);
    swapped.sort();
    QCOMPARE(swapped, (QStringList{u"a"_s, u"c"_s, u"d"_s}));
    QCOMPARE(livedesk::CompactRecord::changedFields(after, after), QStringList());
    QCOMPARE(livedesk::CompactRecord::changedFields(before,
                                                    {{u"a"_s, 1}, {u"b"_s, u"2"_s}, {u"c"_s, 3}}),
             QStringList{u"b"_s});
    // What the server holds changes without a signal.
    store.setServer(0, QJsonObject{{u"id"_s, u"1"_s}}, true);
    QCOMPARE(changed.size(), 3);
    QCOMPARE(store.at(0).server.size(), 1);
}

void TestRowStore::renameKeepsTheRow()
{
    RowStore store;
    store.insert(0, row(u"local:1"_s));
    store.insert(1, row(u"2"_s));
    const Row before = store.at(0);
    store.rename(0, u"17"_s);
    QCOMPARE(store.at(0).shown, before.shown);
    QCOMPARE(store.at(0).server, before.server);
    QCOMPARE(store.indexOf(u"17"_s), 0);
    QCOMPARE(store.indexOf(u"local:1"_s), -1);
    QCOMPARE(store.indexOf(u"2"_s), 1);
}

void TestRowStore::idsThatLookLikeNumbersStayApart()
{
    // Plain numbers are indexed by value, every other spelling by its text: "7", "07", "+7",
    // "7.0", "-0", a 19-digit id and an empty one are seven records.
    const QStringList spellings{
        u"7"_s, u"07"_s, u"+7"_s, u"7.0"_s, u"-0"_s, u"1234567890123456789"_s, u""_s};
    RowStore store;
    for (const QString &id : spellings)
        store.insert(store.size(), row(id));
    for (int i = 0; i < spellings.size(); ++i) {
        QCOMPARE(store.indexOf(spellings[i]), i);
        QCOMPARE(store.idAt(i), spellings[i]);
        QVERIFY(store.rowHasId(i, spellings[i]));
    }
    QCOMPARE(store.indexOf(u"0"_s), -1);
    QCOMPARE(store.indexOf(u"-7"_s), -1);
    store.insert(store.size(), row(u"-7"_s));
    QCOMPARE(store.indexOf(u"-7"_s), 7);
    QCOMPARE(store.idAt(7), u"-7"_s);
    // A local id confirmed as a number, and back to text.
    store.rename(1, u"8"_s);
    QCOMPARE(store.indexOf(u"8"_s), 1);
    QCOMPARE(store.indexOf(u"07"_s), -1);
    store.rename(1, u"local:2"_s);
    QCOMPARE(store.indexOf(u"8"_s), -1);
    QCOMPARE(store.indexOf(u"local:2"_s), 1);
    store.remove(0, 0);
    QCOMPARE(store.indexOf(u"7"_s), -1);
    QCOMPARE(store.indexOf(u"local:2"_s), 0);
}

void TestRowStore::packedRowsShowTheirRecord()
{
    // A reload's rows come compact: held and shown as one record, through applyTarget() and
    // through a plan alike, with the same signals as decoded rows.
    const auto packed = [](const QString &id, const QString &name) {
        Row r;
        r.id = id;
        r.record = livedesk::CompactRecord(QJsonObject{{u"id"_s, id}, {u"name"_s, name}});
        return r;
    };
    RowStore direct;
    RowStore planned;
    for (RowStore *store : {&direct, &planned}) {
        store->insert(0, row(u"1"_s, u"one"_s));
        store->insert(1, row(u"2"_s, u"two"_s));
    }
    const QList<Row> target{packed(u"2"_s, u"two"_s), packed(u"3"_s, u"three"_s),
                            packed(u"1"_s, u"uno"_s)};
    QSignalSpy directChanged(&direct, &RowStore::rowsChanged);
    direct.applyTarget(target);
    RowStore::Plan plan = RowStore::plan(planned.snapshot(), target);
    QSignalSpy plannedChanged(&planned, &RowStore::rowsChanged);
    QCOMPARE(planned.applyPlan(plan, nullptr, QDeadlineTimer::Forever, 1000),
             RowStore::Progress::Done);
    for (RowStore *store : {&direct, &planned}) {
        QCOMPARE(ids(*store), (QStringList{u"2"_s, u"3"_s, u"1"_s}));
        for (int i = 0; i < store->size(); ++i) {
            QVERIFY(store->hasServerAt(i));
            QCOMPARE(&store->shownAt(i), &store->serverAt(i));
        }
        QCOMPARE(store->at(2).shown.value(u"name").toString(), u"uno"_s);
        QCOMPARE(store->at(1).server.value(u"name").toString(), u"three"_s);
    }
    // Only the renamed row changed, in its name alone.
    for (QSignalSpy *spy : {&directChanged, &plannedChanged}) {
        QCOMPARE(spy->size(), 1);
        QCOMPARE(spy->at(0).at(0).toInt(), 2);
        QCOMPARE(spy->at(0).at(2).toStringList(), QStringList{u"name"_s});
    }
}

void TestRowStore::sortedPlacement()
{
    RowStore store;
    Shadow shadow(&store);
    QVERIFY(!store.isSorted());
    QCOMPARE(store.insertPosition(row(u"x"_s)), 0);
    store.setOrder(byName);
    QVERIFY(store.isSorted());
    for (const QString &name : {u"Dao"_s, u"Anan"_s, u"Malee"_s, u"Chai"_s, u"Som"_s}) {
        const Row r = row(name.toLower(), name);
        store.insert(store.insertPosition(r), r);
    }
    QCOMPARE(ids(store), (QStringList{u"anan"_s, u"chai"_s, u"dao"_s, u"malee"_s, u"som"_s}));
    QCOMPARE(shadow.moves, 0);
    // A row renamed out of place moves once, to where it belongs.
    QJsonObject shown = store.at(0).shown;
    shown.insert(u"name"_s, u"Pim"_s);
    store.update(0, shown, 0);
    store.place(0);
    QCOMPARE(ids(store), (QStringList{u"chai"_s, u"dao"_s, u"malee"_s, u"anan"_s, u"som"_s}));
    QCOMPARE(shadow.moves, 1);
    store.place(3); // in place: nothing
    QCOMPARE(shadow.moves, 1);
    QCOMPARE(shadow.list, ids(store));
    // Equal names: the id breaks the tie, so the order is total.
    const Row twin = row(u"dao2"_s, u"Dao"_s);
    QCOMPARE(store.insertPosition(twin), 2);
}

void TestRowStore::applyTargetUsesFewestSignals()
{
    RowStore store;
    Shadow shadow(&store);
    for (const QString &id : {u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s})
        store.insert(store.size(), row(id));
    shadow.inserts = 0;
    QList<Row> target{row(u"e"_s), row(u"b"_s), row(u"x"_s), row(u"c"_s, u"C changed"_s)};
    target[1].state = 3;
    const int changes = store.applyTarget(target);
    QCOMPARE(ids(store), (QStringList{u"e"_s, u"b"_s, u"x"_s, u"c"_s}));
    QCOMPARE(shadow.list, ids(store));
    // a and d go in two ranges, e moves once (b, c stay), b's state and c's name change, x
    // comes in.
    QCOMPARE(shadow.removes, 2);
    QCOMPARE(shadow.moves, 1);
    QCOMPARE(shadow.changes, 2);
    QCOMPARE(shadow.changedFields, QStringList{u"name"_s});
    QCOMPARE(shadow.inserts, 1);
    QCOMPARE(changes, 2 + 1 + 2 + 1);
    QCOMPARE(store.at(3).shown.value(u"name").toString(), u"C changed"_s);
    QCOMPARE(store.indexOf(u"x"_s), 2);
    // The same target again: nothing to do.
    QCOMPARE(store.applyTarget(target), 0);
}

void TestRowStore::applyTargetRandomised()
{
    // From random rows to random targets (a seed per round, printed on failure): the shadow
    // replaying the signals ends equal to the target, with the fewest moves there can be.
    for (quint32 seed = 1; seed <= 300; ++seed) {
        QRandomGenerator random(seed);
        RowStore store;
        Shadow shadow(&store);
        const int universe = 40;
        for (int i = 0; i < universe; ++i) {
            if (random.bounded(2))
                store.insert(store.size(), row(QString::number(i)));
        }
        shadow.list = ids(store);
        QList<Row> target;
        QList<int> order;
        for (int i = 0; i < universe; ++i)
            order.append(i);
        std::shuffle(order.begin(), order.end(), random);
        for (int i : std::as_const(order)) {
            if (random.bounded(3) != 0)
                target.append(row(QString::number(i), random.bounded(4) ? QString() : u"new"_s));
        }
        // Fewest moves that can order the rows kept: those outside a longest run already in
        // target order (counted here the plain quadratic way).
        QList<int> keptPositions;
        for (const QString &id : ids(store)) {
            for (int t = 0; t < target.size(); ++t) {
                if (target[t].id == id)
                    keptPositions.append(t);
            }
        }
        QList<int> run(keptPositions.size(), 1);
        int longest = 0;
        for (int i = 0; i < keptPositions.size(); ++i) {
            for (int j = 0; j < i; ++j) {
                if (keptPositions[j] < keptPositions[i])
                    run[i] = std::max(run[i], run[j] + 1);
            }
            longest = std::max(longest, run[i]);
        }
        store.applyTarget(target);
        QStringList expected;
        for (const Row &t : std::as_const(target))
            expected.append(t.id);
        QVERIFY2(ids(store) == expected, qPrintable(u"seed %1"_s.arg(seed)));
        QVERIFY2(shadow.list == expected, qPrintable(u"seed %1"_s.arg(seed)));
        for (int i = 0; i < target.size(); ++i) {
            QCOMPARE(store.indexOf(target[i].id), i);
            QCOMPARE(store.at(i).shown, target[i].shown);
        }
        QVERIFY2(shadow.moves == keptPositions.size() - longest,
                 qPrintable(u"seed %1: %2 moves, %3 needed"_s.arg(seed)
                                .arg(shadow.moves)
                                .arg(keptPositions.size() - longest)));
    }
}

void TestRowStore::planInSlicesEndsAsApplyTarget()
{
    // The same random rows and targets as above, two ways: applyTarget() at once, and a plan
    // worked out from a snapshot and applied a few rows at a time. Both must end with the same
    // rows (ids, records, states), the shadow of the sliced one equal to them, the same count
    // of changes and no more moves.
    for (quint32 seed = 1; seed <= 300; ++seed) {
        QRandomGenerator random(seed);
        RowStore direct;
        RowStore sliced;
        Shadow directShadow(&direct);
        Shadow shadow(&sliced);
        const int universe = 60;
        for (int i = 0; i < universe; ++i) {
            if (random.bounded(2)) {
                const Row r = row(QString::number(i), {}, int(random.bounded(2)));
                direct.insert(direct.size(), r);
                sliced.insert(sliced.size(), r);
            }
        }
        QList<Row> target;
        QList<int> order;
        for (int i = 0; i < universe; ++i)
            order.append(i);
        // Mostly in order (as reloads are), sometimes shuffled.
        if (random.bounded(3) == 0)
            std::shuffle(order.begin(), order.end(), random);
        else if (random.bounded(2))
            std::swap(order[int(random.bounded(universe))], order[int(random.bounded(universe))]);
        for (int i : std::as_const(order)) {
            if (random.bounded(4) != 0) {
                const quint32 kind = random.bounded(6);
                target.append(row(QString::number(i), kind == 0 ? u"new"_s : QString(),
                                  kind == 1 ? 2 : int(random.bounded(2))));
            }
        }
        const int expectedChanges = direct.applyTarget(target);
        const quint64 before = sliced.generation();
        RowStore::Plan plan = RowStore::plan(sliced.snapshot(), target);
        QCOMPARE(sliced.generation(), before); // working it out changed nothing
        const int maxRows = 1 + int(seed % 7);
        int slices = 0;
        RowStore::Progress progress = RowStore::Progress::More;
        while (progress == RowStore::Progress::More) {
            progress = sliced.applyPlan(plan, {}, QDeadlineTimer(QDeadlineTimer::Forever), maxRows);
            ++slices;
            QVERIFY2(slices <= 4 * universe, qPrintable(u"seed %1: no end"_s.arg(seed)));
        }
        const QString where = u"seed %1"_s.arg(seed);
        QVERIFY2(progress == RowStore::Progress::Done, qPrintable(where));
        QVERIFY2(ids(sliced) == ids(direct), qPrintable(where));
        QVERIFY2(shadow.list == ids(sliced), qPrintable(where));
        for (int i = 0; i < sliced.size(); ++i) {
            QVERIFY2(sliced.at(i).shown == direct.at(i).shown, qPrintable(where));
            QVERIFY2(sliced.at(i).server == direct.at(i).server, qPrintable(where));
            QVERIFY2(sliced.at(i).state == direct.at(i).state, qPrintable(where));
            QCOMPARE(sliced.indexOf(sliced.at(i).id), i);
        }
        QVERIFY2(plan.changes() == expectedChanges,
                 qPrintable(u"%1: %2 changes, applyTarget %3"_s.arg(where)
                                .arg(plan.changes())
                                .arg(expectedChanges)));
        QVERIFY2(shadow.moves == directShadow.moves, qPrintable(where));
        // About maxRows rows per slice: a plan that changes more took several.
        if (expectedChanges >= 2 * maxRows)
            QVERIFY2(slices >= 2, qPrintable(where));
    }
}

void TestRowStore::planAnnouncesNeighbouringChangesTogether()
{
    RowStore store;
    for (int i = 0; i < 100; ++i)
        store.insert(store.size(), row(QString::number(i)));
    QList<Row> target;
    for (int i = 0; i < 100; ++i)
        target.append(row(QString::number(i), i == 50 ? QString() : u"renamed"_s));
    QSignalSpy changed(&store, &RowStore::rowsChanged);
    RowStore::Plan plan = RowStore::plan(store.snapshot(), target);
    QCOMPARE(
        store.applyPlan(
            plan, [](const QString &) { return 0; }, QDeadlineTimer(QDeadlineTimer::Forever), 1000),
        RowStore::Progress::Done);
    // Rows 0..49 and 51..99 changed the same field; 50 did not: two signals, not 99.
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(0).at(0).toInt(), 0);
    QCOMPARE(changed.at(0).at(1).toInt(), 49);
    QCOMPARE(changed.at(0).at(2).toStringList(), QStringList{u"name"_s});
    QCOMPARE(changed.at(1).at(0).toInt(), 51);
    QCOMPARE(changed.at(1).at(1).toInt(), 99);
    QCOMPARE(plan.changes(), 99);
    // The state comes from the callback as each row is applied: only row 7's changes.
    target = {};
    for (int i = 0; i < 100; ++i)
        target.append(store.at(i));
    plan = RowStore::plan(store.snapshot(), target);
    changed.clear();
    QCOMPARE(store.applyPlan(
                 plan, [](const QString &id) { return id == u"7"_s ? 3 : 0; },
                 QDeadlineTimer(QDeadlineTimer::Forever), 1000),
             RowStore::Progress::Done);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toInt(), 7);
    QCOMPARE(changed.at(0).at(1).toInt(), 7);
    QCOMPARE(changed.at(0).at(3).toBool(), true);
    QCOMPARE(store.at(7).state, 3);
}

void TestRowStore::planIsNotAppliedToChangedRows()
{
    RowStore store;
    Shadow shadow(&store);
    for (int i = 0; i < 20; ++i)
        store.insert(store.size(), row(QString::number(i)));
    QList<Row> target;
    for (int i = 19; i >= 0; --i) // reversed, renamed, one new
        target.append(row(QString::number(i), u"n%1"_s.arg(i)));
    target.append(row(u"new"_s));
    const auto forever = QDeadlineTimer(QDeadlineTimer::Forever);

    // A repeated id in the target: the first stands, the rows stay unique.
    {
        RowStore other;
        other.insert(0, row(u"1"_s));
        RowStore::Plan twice = RowStore::plan(
            other.snapshot(), {row(u"2"_s, u"first"_s), row(u"1"_s), row(u"2"_s, u"second"_s)});
        QCOMPARE(other.applyPlan(twice, {}, forever, 1000), RowStore::Progress::Done);
        QCOMPARE(ids(other), (QStringList{u"2"_s, u"1"_s}));
        QCOMPARE(other.at(0).shown.value(u"name").toString(), u"first"_s);
        QCOMPARE(other.indexOf(u"1"_s), 1);
    }

    // A change after the snapshot: the plan is refused whole, nothing applied.
    RowStore::Plan plan = RowStore::plan(store.snapshot(), target);
    QSignalSpy inserted(&store, &RowStore::rowsInserted);
    QSignalSpy moved(&store, &RowStore::rowsMoved);
    store.update(3, row(u"3"_s, u"someone else"_s).shown, 0);
    QCOMPARE(store.applyPlan(plan, {}, forever, 1000), RowStore::Progress::Stale);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(moved.size(), 0);

    // A change between two slices: the rest is refused; what was applied is whole rows.
    plan = RowStore::plan(store.snapshot(), target);
    QCOMPARE(store.applyPlan(plan, {}, forever, 3), RowStore::Progress::More);
    store.remove(0, 0);
    QCOMPARE(store.applyPlan(plan, {}, forever, 3), RowStore::Progress::Stale);
    QCOMPARE(shadow.list, ids(store));
    // The plan's target still reaches the end the plain way.
    store.applyTarget(target);
    QStringList expected;
    for (const Row &t : std::as_const(target))
        expected.append(t.id);
    QCOMPARE(ids(store), expected);
    QCOMPARE(shadow.list, expected);

    // A slot that changes the rows inside a slice stops the plan too.
    QList<Row> again;
    for (const Row &t : std::as_const(target))
        again.append(row(t.id, u"again"_s));
    plan = RowStore::plan(store.snapshot(), again);
    bool once = true;
    const auto connection = connect(
        &store, &RowStore::rowsChanged, &store, [&](int first, int, const QStringList &, bool) {
            if (std::exchange(once, false))
                store.update(first, row(store.at(first).id, u"a slot's"_s).shown, 0);
        });
    QCOMPARE(store.applyPlan(plan, {}, forever, 1000), RowStore::Progress::Stale);
    disconnect(connection);
    QCOMPARE(shadow.list, ids(store));
}

QTEST_GUILESS_MAIN(TestRowStore)
// Numbers are kept as numbers only where the id has no other spelling: "17" and "017", or
// "0" and "-0", are different records.
void TestRowStore::idSetKeepsEverySpellingApart()
{
    RecordIdSet set;
    for (const QString &id : {u"17"_s, u"-3"_s, u"0"_s, u"P-17"_s, u"999999999999999999"_s,
                              u"1000000000000000000"_s, u""_s})
        QVERIFY2(set.insert(id), qPrintable(id));
    QVERIFY(!set.insert(u"17"_s));
    QVERIFY(!set.insert(u"P-17"_s));
    for (const QString &id : {u"17"_s, u"-3"_s, u"0"_s, u"P-17"_s, u"999999999999999999"_s,
                              u"1000000000000000000"_s, u""_s})
        QVERIFY2(set.contains(id), qPrintable(id));
    for (const QString &id : {u"017"_s, u"-0"_s, u"+17"_s, u"3"_s, u"-17"_s, u"p-17"_s, u" 17"_s,
                              u"17 "_s, u"-"_s, u"1e3"_s})
        QVERIFY2(!set.contains(id), qPrintable(id));
    qint64 n = 0;
    QVERIFY(RecordIdSet::plainNumber(u"-42", &n));
    QCOMPARE(n, qint64(-42));
    QVERIFY(!RecordIdSet::plainNumber(u"1000000000000000000", &n)); // 19 digits: kept as text
}

#include "tst_rowstore.moc"
