// SPDX-License-Identifier: MIT
// RealtimeSortFilterProxyModel over real source models (QStandardItemModel, QStringListModel)
// under QAbstractItemModelTester: every source change answered with the exact row signals
// (one move per re-sorted row, inserts and removes at sorted places, no layout change), the
// order and filter equal to a brute-force copy after random edits, selection following the
// record.

#include "realtimesortfilterproxymodel.h"

#include <QtCore/QItemSelectionModel>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStringListModel>
#include <QtGui/QStandardItemModel>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

using namespace Qt::StringLiterals;
using livedesk::RealtimeSortFilterProxyModel;

namespace {

enum Column { Name, Priority, Bed, ColumnCount };

/// The proxy's structural signals in order: "aboutToInsert 4-4", "moved 7->2" (the
/// destination as beginMoveRows numbers it: before the move), "changed 2-2", ...
class SignalRecorder : public QObject
{
public:
    explicit SignalRecorder(QAbstractItemModel *model)
    {
        using M = QAbstractItemModel;
        const auto span = [](int first, int last) -> QString {
            return QString::number(first) + u'-' + QString::number(last);
        };
        const auto move = [](int start, int end, int destination) -> QString {
            return (start == end ? QString::number(start)
                                 : QString::number(start) + u'-' + QString::number(end))
                + u"->"_s + QString::number(destination);
        };
        connect(model, &M::rowsAboutToBeInserted, this,
                [this, span](const QModelIndex &, int first, int last) {
                    m_log.append(u"aboutToInsert "_s + span(first, last));
                });
        connect(model, &M::rowsInserted, this,
                [this, span](const QModelIndex &, int first, int last) {
                    m_log.append(u"inserted "_s + span(first, last));
                });
        connect(model, &M::rowsAboutToBeRemoved, this,
                [this, span](const QModelIndex &, int first, int last) {
                    m_log.append(u"aboutToRemove "_s + span(first, last));
                });
        connect(model, &M::rowsRemoved, this,
                [this, span](const QModelIndex &, int first, int last) {
                    m_log.append(u"removed "_s + span(first, last));
                });
        connect(model, &M::rowsAboutToBeMoved, this,
                [this, move](const QModelIndex &, int start, int end, const QModelIndex &,
                             int destination) {
                    m_log.append(u"aboutToMove "_s + move(start, end, destination));
                });
        connect(model, &M::rowsMoved, this,
                [this, move](const QModelIndex &, int start, int end, const QModelIndex &,
                             int destination) {
                    m_log.append(u"moved "_s + move(start, end, destination));
                });
        connect(model, &M::dataChanged, this,
                [this, span](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                    m_log.append(u"changed "_s + span(topLeft.row(), bottomRight.row()));
                });
        connect(model, &M::layoutAboutToBeChanged, this,
                [this] { m_log.append(u"layoutAboutToBeChanged"_s); });
        connect(model, &M::layoutChanged, this, [this] { m_log.append(u"layoutChanged"_s); });
        connect(model, &M::modelAboutToBeReset, this, [this] { m_log.append(u"aboutToReset"_s); });
        connect(model, &M::modelReset, this, [this] { m_log.append(u"reset"_s); });
    }

    QStringList take() { return std::exchange(m_log, {}); }
    const QStringList &log() const { return m_log; }
    qsizetype count(const QString &prefix) const
    {
        return std::count_if(m_log.cbegin(), m_log.cend(),
                             [&](const QString &entry) { return entry.startsWith(prefix); });
    }

private:
    QStringList m_log;
};

std::unique_ptr<QAbstractItemModelTester> testerFor(QAbstractItemModel *model)
{
    return std::make_unique<QAbstractItemModelTester>(
        model, QAbstractItemModelTester::FailureReportingMode::Fatal);
}

QList<QStandardItem *> makeRow(const QString &name, const QVariant &priority, const QString &bed)
{
    auto *priorityItem = new QStandardItem;
    priorityItem->setData(priority, Qt::EditRole);
    return {new QStandardItem(name), priorityItem, new QStandardItem(bed)};
}

/// Ten patients; by priority: Davis 10, Baker 20, Foster 30, Harris 40, Adams 50, Evans 60,
/// Irwin 70, Clark 80, Green 90, Jones 100.
void fillWard(QStandardItemModel &source)
{
    static const QList<std::pair<QString, int>> patients = {
        {u"Adams"_s, 50},  {u"Baker"_s, 20}, {u"Clark"_s, 80},  {u"Davis"_s, 10}, {u"Evans"_s, 60},
        {u"Foster"_s, 30}, {u"Green"_s, 90}, {u"Harris"_s, 40}, {u"Irwin"_s, 70}, {u"Jones"_s, 100},
    };
    source.setColumnCount(ColumnCount);
    source.setHorizontalHeaderLabels({u"Name"_s, u"Priority"_s, u"Bed"_s});
    for (qsizetype i = 0; i < patients.size(); ++i) {
        source.appendRow(
            makeRow(patients[i].first, patients[i].second, u"R"_s + QString::number(i + 1)));
    }
}

/// A ward list behind a proxy, with the tester and the recorder attached.
struct Ward
{
    QStandardItemModel source;
    RealtimeSortFilterProxyModel proxy;
    std::unique_ptr<QAbstractItemModelTester> tester;
    std::unique_ptr<SignalRecorder> recorder;

    explicit Ward(int sortColumn = Priority, Qt::SortOrder order = Qt::AscendingOrder)
    {
        fillWard(source);
        proxy.setSourceModel(&source);
        proxy.sort(sortColumn, order);
        tester = testerFor(&proxy);
        recorder = std::make_unique<SignalRecorder>(&proxy);
    }

    QStringList names() const
    {
        QStringList result;
        for (int r = 0; r < proxy.rowCount(); ++r)
            result.append(proxy.index(r, Name).data().toString());
        return result;
    }

    int sourceRow(const QString &name) const
    {
        const QList<QStandardItem *> found = source.findItems(name, Qt::MatchExactly, Name);
        return found.isEmpty() ? -1 : found.first()->row();
    }

    void setPriority(const QString &name, int priority)
    {
        source.setData(source.index(sourceRow(name), Priority), priority);
    }

    void rename(const QString &name, const QString &newName)
    {
        source.setData(source.index(sourceRow(name), Name), newName);
    }
};

QStringList split(const QString &names)
{
    return names.split(u' ', Qt::SkipEmptyParts);
}

// --- the brute-force reference ----------------------------------------------------------

struct Reference
{
    int sortColumn = -1;
    Qt::SortOrder order = Qt::AscendingOrder;
    QString filter;
    QList<int> filterColumns;
    std::function<bool(int)> predicate;
};

bool isNullKey(const QVariant &v)
{
    return !v.isValid() || v.isNull()
        || (v.typeId() == QMetaType::QString && v.toString().isNull());
}

/// Filters and sorts @p source the slow, obvious way (ints and ASCII strings only).
QList<int> bruteForce(const QAbstractItemModel &source, const Reference &ref)
{
    QList<int> rows;
    const int columns = source.columnCount();
    for (int r = 0; r < source.rowCount(); ++r) {
        if (ref.predicate && !ref.predicate(r))
            continue;
        if (!ref.filter.isEmpty()) {
            QList<int> filterColumns = ref.filterColumns;
            if (filterColumns.isEmpty()) {
                for (int c = 0; c < columns; ++c)
                    filterColumns.append(c);
            }
            const bool hit = std::any_of(filterColumns.cbegin(), filterColumns.cend(), [&](int c) {
                return source.index(r, c).data().toString().contains(ref.filter,
                                                                     Qt::CaseInsensitive);
            });
            if (!hit)
                continue;
        }
        rows.append(r);
    }
    if (ref.sortColumn < 0)
        return rows;
    const auto compare = [](const QVariant &a, const QVariant &b) {
        const bool an = isNullKey(a);
        const bool bn = isNullKey(b);
        if (an || bn)
            return an == bn ? 0 : (an ? -1 : 1);
        if (a.typeId() == QMetaType::Int && b.typeId() == QMetaType::Int)
            return a.toInt() < b.toInt() ? -1 : (a.toInt() > b.toInt() ? 1 : 0);
        return QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive);
    };
    std::sort(rows.begin(), rows.end(), [&](int a, int b) {
        const int c = compare(source.index(a, ref.sortColumn).data(Qt::EditRole),
                              source.index(b, ref.sortColumn).data(Qt::EditRole));
        if (c != 0)
            return ref.order == Qt::AscendingOrder ? c < 0 : c > 0;
        return a < b;
    });
    return rows;
}

QList<int> proxySourceRows(const RealtimeSortFilterProxyModel &proxy)
{
    QList<int> rows;
    for (int r = 0; r < proxy.rowCount(); ++r)
        rows.append(proxy.mapToSource(proxy.index(r, 0)).row());
    return rows;
}

/// The proxy equals the brute-force copy, and mapFromSource agrees with mapToSource.
bool matchesBruteForce(const RealtimeSortFilterProxyModel &proxy, const QAbstractItemModel &source,
                       const Reference &ref, QString *why)
{
    const QList<int> expected = bruteForce(source, ref);
    const QList<int> actual = proxySourceRows(proxy);
    const auto show = [](const QList<int> &rows) {
        QStringList parts;
        for (int r : rows)
            parts.append(QString::number(r));
        return parts.join(u' ');
    };
    if (actual != expected) {
        *why = u"proxy: "_s + show(actual) + u"\nexpected: "_s + show(expected);
        return false;
    }
    QList<int> proxyRowOf(source.rowCount(), -1);
    for (qsizetype p = 0; p < expected.size(); ++p)
        proxyRowOf[expected[p]] = int(p);
    const int column = source.columnCount() - 1;
    for (int r = 0; r < source.rowCount(); ++r) {
        const QModelIndex mapped = proxy.mapFromSource(source.index(r, column));
        if ((mapped.isValid() ? mapped.row() : -1) != proxyRowOf[r]
            || (mapped.isValid() && mapped.column() != column)) {
            *why = u"mapFromSource of source row "_s + QString::number(r);
            return false;
        }
    }
    return true;
}

QString randomName(QRandomGenerator &random)
{
    static const QString letters = u"abcdeABCDEiou"_s;
    QString name;
    const int length = random.bounded(3, 7);
    for (int i = 0; i < length; ++i)
        name.append(letters.at(random.bounded(int(letters.size()))));
    return name;
}

} // namespace

class TestRealtimeSortFilterProxyModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initialOrderAndFilter();
    void valueComparison_data();
    void valueComparison();
    void changeKeepingOrderIsOneDataChanged();
    void rolesOutsideSortAndFilterDoNotResort();
    void changeMovingUpIsOneMove();
    void changeMovingDownIsOneMove();
    void changeFailingFilterIsOneRemove();
    void changePassingFilterIsOneInsert();
    void rangeChangeWithFewMoves();
    void rangeChangeWithManyMoves();
    void sourceInsertAtSortedPlace();
    void sourceInsertFilteredOut();
    void sourceRemoval();
    void sourceRowsMoved();
    void sourceLayoutChange();
    void sourceReset();
    void sortIsOneLayoutChange();
    void sortRole();
    void filterTextIsFineGrained();
    void scatteredFilterChangeResets();
    void filterColumnsAndPredicate();
    void selectionFollowsTheRecord();
    void headers();
    void sourceColumns();
    void randomEditsMatchBruteForce_data();
    void randomEditsMatchBruteForce();
    void randomMovesMatchBruteForce_data();
    void randomMovesMatchBruteForce();
};

void TestRealtimeSortFilterProxyModel::initialOrderAndFilter()
{
    QStandardItemModel source;
    fillWard(source);
    RealtimeSortFilterProxyModel proxy;
    QCOMPARE(proxy.sortColumn(), -1);
    QCOMPARE(proxy.sortRole(), int(Qt::EditRole));
    proxy.setSourceModel(&source);
    const auto tester = testerFor(&proxy);
    SignalRecorder recorder(&proxy);

    QCOMPARE(proxy.rowCount(), 10);
    QCOMPARE(proxy.columnCount(), int(ColumnCount));
    QCOMPARE(proxySourceRows(proxy), (QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));

    proxy.sort(Priority, Qt::AscendingOrder);
    QCOMPARE(proxy.sortColumn(), int(Priority));
    QCOMPARE(proxy.sortOrder(), Qt::AscendingOrder);
    QString why;
    QVERIFY2(matchesBruteForce(proxy, source, {Priority, Qt::AscendingOrder, {}, {}, {}}, &why),
             qPrintable(why));
    QCOMPARE(proxy.index(0, Name).data().toString(), u"Davis"_s);
    QCOMPARE(proxy.index(9, Name).data().toString(), u"Jones"_s);
    QCOMPARE(proxy.index(0, Priority).data().toInt(), 10);

    proxy.sort(Priority, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, Name).data().toString(), u"Jones"_s);
    proxy.setFilterText(u"AR"_s);
    QCOMPARE(proxy.filterText(), u"AR"_s);
    QVERIFY2(
        matchesBruteForce(proxy, source, {Priority, Qt::DescendingOrder, u"ar"_s, {}, {}}, &why),
        qPrintable(why));
    QCOMPARE(proxy.rowCount(), 2); // Clark 80, Harris 40
    QCOMPARE(proxy.index(0, Name).data().toString(), u"Clark"_s);
    QVERIFY(!proxy.mapFromSource(source.index(0, Name)).isValid()); // Adams is filtered out
    QVERIFY(!proxy.index(2, 0).isValid());
    QVERIFY(!proxy.index(0, ColumnCount).isValid());
    QVERIFY(!proxy.parent(proxy.index(0, 0)).isValid());
    QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 0);
    QVERIFY(!proxy.hasChildren(proxy.index(0, 0)));

    // Back to the source order.
    proxy.sort(-1);
    QCOMPARE(proxySourceRows(proxy), (QList<int>{2, 7}));
}

void TestRealtimeSortFilterProxyModel::valueComparison_data()
{
    QTest::addColumn<QVariantList>("values");
    QTest::addColumn<int>("order");
    QTest::addColumn<QList<int>>("expected");

    const QVariantList numbers = {10, 9, 100, -1, 2.5, QVariant(), 9};
    QTest::newRow("numbers ascending, null first")
        << numbers << int(Qt::AscendingOrder) << QList<int>{5, 3, 4, 1, 6, 0, 2};
    QTest::newRow("numbers descending, null last, ties by source row")
        << numbers << int(Qt::DescendingOrder) << QList<int>{2, 0, 1, 6, 4, 3, 5};
    QTest::newRow("signed, unsigned, 64-bit and floating")
        << QVariantList{QVariant::fromValue(Q_UINT64_C(18446744073709551615)),
                        QVariant::fromValue(qlonglong(-5)), QVariant::fromValue(3u), 2.0,
                        QVariant::fromValue(std::nan(""))}
        << int(Qt::AscendingOrder) << QList<int>{4, 1, 3, 2, 0};

    const QVariantList strings = {u"banana"_s, u"Apple"_s, u"cherry"_s, u"apple"_s, QString()};
    QTest::newRow("strings ascending, case-insensitive")
        << strings << int(Qt::AscendingOrder) << QList<int>{4, 1, 3, 0, 2};
    QTest::newRow("strings descending")
        << strings << int(Qt::DescendingOrder) << QList<int>{2, 0, 1, 3, 4};
    QTest::newRow("strings with numbers compare as text")
        << QVariantList{u"10"_s, u"9"_s} << int(Qt::AscendingOrder) << QList<int>{0, 1};

    QTest::newRow("dates and date-times chronologically")
        << QVariantList{QDate(2024, 3, 1), QDate(2023, 12, 31), QDate(), QDate(2024, 1, 15),
                        QDateTime(QDate(2024, 1, 15), QTime(12, 0))}
        << int(Qt::AscendingOrder) << QList<int>{2, 1, 3, 4, 0};
    QTest::newRow("kinds: null < number < date < string")
        << QVariantList{u"text"_s, 5, QDate(2024, 1, 1), QVariant()} << int(Qt::AscendingOrder)
        << QList<int>{3, 1, 2, 0};
}

void TestRealtimeSortFilterProxyModel::valueComparison()
{
    QFETCH(QVariantList, values);
    QFETCH(int, order);
    QFETCH(QList<int>, expected);

    QStandardItemModel source(int(values.size()), 2);
    for (qsizetype r = 0; r < values.size(); ++r) {
        source.setData(source.index(int(r), 0), QString::number(r));
        if (values[r].isValid())
            source.setData(source.index(int(r), 1), values[r]);
    }
    RealtimeSortFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    const auto tester = testerFor(&proxy);
    proxy.sort(1, Qt::SortOrder(order));
    QCOMPARE(proxySourceRows(proxy), expected);

    // The same order when the values arrive one by one.
    RealtimeSortFilterProxyModel incremental;
    QStandardItemModel growing(0, 2);
    incremental.setSourceModel(&growing);
    const auto incrementalTester = testerFor(&incremental);
    incremental.sort(1, Qt::SortOrder(order));
    for (qsizetype r = 0; r < values.size(); ++r) {
        auto *label = new QStandardItem(QString::number(r));
        auto *value = new QStandardItem;
        if (values[r].isValid())
            value->setData(values[r], Qt::EditRole);
        growing.appendRow({label, value});
    }
    QCOMPARE(proxySourceRows(incremental), expected);
}

void TestRealtimeSortFilterProxyModel::changeKeepingOrderIsOneDataChanged()
{
    Ward ward;
    QSignalSpy sourceSpy(&ward.source, &QAbstractItemModel::dataChanged);
    QSignalSpy proxySpy(&ward.proxy, &QAbstractItemModel::dataChanged);

    ward.setPriority(u"Adams"_s, 55); // still between Harris 40 and Evans 60
    QCOMPARE(ward.recorder->take(), QStringList{u"changed 4-4"_s});
    QCOMPARE(proxySpy.size(), 1);
    QCOMPARE(proxySpy.at(0).at(0).toModelIndex(), ward.proxy.index(4, Priority));
    QCOMPARE(proxySpy.at(0).at(1).toModelIndex(), ward.proxy.index(4, Priority));
    QCOMPARE(proxySpy.at(0).at(2).value<QList<int>>(), sourceSpy.at(0).at(2).value<QList<int>>());

    ward.rename(u"Adams"_s, u"Adamson"_s); // not the sort column, no filter
    QCOMPARE(ward.recorder->take(), QStringList{u"changed 4-4"_s});

    // Equal priority: the tie is broken by source row (Adams row 0 before Evans row 4).
    ward.setPriority(u"Evans"_s, 55);
    QCOMPARE(ward.recorder->take(), QStringList{u"changed 5-5"_s});
    ward.setPriority(u"Adamson"_s, 60);
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToMove 4->6"_s, u"moved 4->6"_s, u"changed 5-5"_s}));
    QCOMPARE(ward.names(),
             split(u"Davis Baker Foster Harris Evans Adamson Irwin Clark Green Jones"_s));

    // A source range whose rows all keep their places: merged per contiguous proxy run.
    QSignalSpy rangeSpy(&ward.proxy, &QAbstractItemModel::dataChanged);
    Q_EMIT ward.source.dataChanged(ward.source.index(0, 0), ward.source.index(9, Bed));
    QCOMPARE(ward.recorder->take(), QStringList{u"changed 0-9"_s});
    QCOMPARE(rangeSpy.at(0).at(0).toModelIndex(), ward.proxy.index(0, 0));
    QCOMPARE(rangeSpy.at(0).at(1).toModelIndex(), ward.proxy.index(9, Bed));
    // Davis, Evans, Foster (source rows 3 to 5) are proxy rows 0, 4 and 2: three runs.
    Q_EMIT ward.source.dataChanged(ward.source.index(3, 0), ward.source.index(5, Bed),
                                   {Qt::ToolTipRole});
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"changed 0-0"_s, u"changed 2-2"_s, u"changed 4-4"_s}));
}

void TestRealtimeSortFilterProxyModel::rolesOutsideSortAndFilterDoNotResort()
{
    Ward ward;
    ward.proxy.setFilterText(u"a"_s);
    ward.recorder->take();

    // Another role of the sort column: no re-sort even though it would now misplace rows.
    ward.source.setData(ward.source.index(ward.sourceRow(u"Adams"_s), Priority), 1000,
                        Qt::UserRole + 1);
    QCOMPARE(ward.recorder->take(), QStringList{u"changed 3-3"_s});
    // A tooltip on the filter column does not re-filter.
    ward.source.setData(ward.source.index(ward.sourceRow(u"Adams"_s), Name), u"zzz"_s,
                        Qt::ToolTipRole);
    QCOMPARE(ward.recorder->take(), QStringList{u"changed 3-3"_s});
    // The bed column is searched too (all columns): a bed that matches keeps Adams.
    ward.source.setData(ward.source.index(ward.sourceRow(u"Adams"_s), Bed), u"Annex"_s);
    QCOMPARE(ward.recorder->take(), QStringList{u"changed 3-3"_s});
}

void TestRealtimeSortFilterProxyModel::changeMovingUpIsOneMove()
{
    Ward ward;
    QCOMPARE(ward.names().at(7), u"Clark"_s);
    ward.setPriority(u"Clark"_s, 25); // between Baker 20 and Foster 30
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToMove 7->2"_s, u"moved 7->2"_s, u"changed 2-2"_s}));
    QCOMPARE(ward.names(),
             split(u"Davis Baker Clark Foster Harris Adams Evans Irwin Green Jones"_s));
    QCOMPARE(ward.proxy.index(2, Priority).data().toInt(), 25);

    ward.setPriority(u"Jones"_s, 1); // last to first
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToMove 9->0"_s, u"moved 9->0"_s, u"changed 0-0"_s}));
}

void TestRealtimeSortFilterProxyModel::changeMovingDownIsOneMove()
{
    Ward ward(Priority, Qt::AscendingOrder);
    ward.setPriority(u"Baker"_s, 75); // from row 1 to between Irwin 70 and Clark 80 (row 6)
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToMove 1->7"_s, u"moved 1->7"_s, u"changed 6-6"_s}));
    QCOMPARE(ward.names(),
             split(u"Davis Foster Harris Adams Evans Irwin Baker Clark Green Jones"_s));

    Ward descending(Priority, Qt::DescendingOrder);
    descending.setPriority(u"Jones"_s, 0); // first to last
    QCOMPARE(descending.recorder->take(),
             (QStringList{u"aboutToMove 0->10"_s, u"moved 0->10"_s, u"changed 9-9"_s}));
    QCOMPARE(descending.names().last(), u"Jones"_s);
}

void TestRealtimeSortFilterProxyModel::changeFailingFilterIsOneRemove()
{
    Ward ward;
    ward.proxy.setFilterText(u"a"_s);
    ward.recorder->take();
    QCOMPARE(ward.names(), split(u"Davis Baker Harris Adams Evans Clark"_s));

    ward.rename(u"Harris"_s, u"Hill"_s);
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToRemove 2-2"_s, u"removed 2-2"_s}));
    QCOMPARE(ward.names(), split(u"Davis Baker Adams Evans Clark"_s));
    QVERIFY(!ward.proxy.mapFromSource(ward.source.index(ward.sourceRow(u"Hill"_s), 0)).isValid());

    // Renamed and re-prioritised in one source signal: still only the removal.
    ward.source.blockSignals(true);
    ward.source.setData(ward.source.index(ward.sourceRow(u"Davis"_s), Priority), 99);
    ward.source.setData(ward.source.index(ward.sourceRow(u"Davis"_s), Name), u"Doe"_s);
    ward.source.blockSignals(false);
    const int doe = ward.sourceRow(u"Doe"_s);
    Q_EMIT ward.source.dataChanged(ward.source.index(doe, Name), ward.source.index(doe, Priority));
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToRemove 0-0"_s, u"removed 0-0"_s}));
}

void TestRealtimeSortFilterProxyModel::changePassingFilterIsOneInsert()
{
    Ward ward;
    ward.proxy.setFilterText(u"a"_s);
    ward.recorder->take();

    ward.rename(u"Green"_s, u"Grant"_s); // 90: after Clark 80
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToInsert 6-6"_s, u"inserted 6-6"_s}));
    QCOMPARE(ward.names(), split(u"Davis Baker Harris Adams Evans Clark Grant"_s));

    ward.rename(u"Foster"_s, u"Fasten"_s); // 30: between Baker 20 and Harris 40
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToInsert 2-2"_s, u"inserted 2-2"_s}));
    QCOMPARE(ward.proxy.index(2, Name).data().toString(), u"Fasten"_s);
}

void TestRealtimeSortFilterProxyModel::rangeChangeWithFewMoves()
{
    Ward ward;
    // Three rows change at once, announced by one source signal over all rows and columns.
    ward.source.blockSignals(true);
    ward.source.setData(ward.source.index(ward.sourceRow(u"Jones"_s), Priority), 5);
    ward.source.setData(ward.source.index(ward.sourceRow(u"Davis"_s), Priority), 95);
    ward.source.setData(ward.source.index(ward.sourceRow(u"Evans"_s), Priority), 55);
    ward.source.blockSignals(false);
    Q_EMIT ward.source.dataChanged(ward.source.index(0, 0), ward.source.index(9, Bed));

    const QStringList log = ward.recorder->take();
    QCOMPARE(ward.names(),
             split(u"Jones Baker Foster Harris Adams Evans Irwin Clark Green Davis"_s));
    QVERIFY(!log.contains(u"layoutChanged"_s));
    // Davis and Jones move, each followed by its dataChanged; Evans stays between Adams 50
    // and Irwin 70.
    QCOMPARE(log.mid(0, 6),
             (QStringList{u"aboutToMove 0->9"_s, u"moved 0->9"_s, u"changed 8-8"_s,
                          u"aboutToMove 9->0"_s, u"moved 9->0"_s, u"changed 0-0"_s}));
    // Then the rows that kept their places, merged: every row announced once.
    QCOMPARE(log.mid(6), QStringList{u"changed 1-8"_s});
    QString why;
    QVERIFY2(matchesBruteForce(ward.proxy, ward.source, {Priority, Qt::AscendingOrder, {}, {}, {}},
                               &why),
             qPrintable(why));
}

void TestRealtimeSortFilterProxyModel::rangeChangeWithManyMoves()
{
    // 60 rows, 40 of which reverse their order in one source signal: one move per moved row,
    // as few moves as a longest increasing subsequence allows.
    QStandardItemModel source(0, ColumnCount);
    for (int i = 0; i < 60; ++i)
        source.appendRow(makeRow(u"p"_s + QString::number(i), i * 10, u"R"_s));
    RealtimeSortFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    proxy.sort(Priority);
    const auto tester = testerFor(&proxy);
    SignalRecorder recorder(&proxy);
    QPersistentModelIndex p5 = proxy.index(5, Name);

    source.blockSignals(true);
    for (int i = 0; i < 40; ++i)
        source.setData(source.index(i, Priority), 1000 - i * 10);
    source.blockSignals(false);
    Q_EMIT source.dataChanged(source.index(0, 0), source.index(59, Bed));

    QString why;
    QVERIFY2(matchesBruteForce(proxy, source, {Priority, Qt::AscendingOrder, {}, {}, {}}, &why),
             qPrintable(why));
    QCOMPARE(recorder.count(u"layout"_s), 0);
    QCOMPARE(recorder.count(u"reset"_s), 0);
    // The 20 untouched rows stay (the 40 changed ones are in reverse order): 40 moves.
    QCOMPARE(recorder.count(u"moved "_s), 40);
    QCOMPARE(recorder.count(u"aboutToMove "_s), 40);
    QCOMPARE(p5.data().toString(), u"p5"_s);
    QCOMPARE(p5.row(), 20 + (39 - 5));
}

void TestRealtimeSortFilterProxyModel::sourceInsertAtSortedPlace()
{
    Ward ward;
    ward.source.insertRow(3, makeRow(u"Kent"_s, 45, u"R11"_s)); // between Harris 40, Adams 50
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToInsert 4-4"_s, u"inserted 4-4"_s}));
    QCOMPARE(ward.proxy.index(4, Name).data().toString(), u"Kent"_s);
    QCOMPARE(ward.proxy.mapToSource(ward.proxy.index(4, Name)).row(), 3);
    QCOMPARE(ward.proxy.mapFromSource(ward.source.index(4, Name)).data().toString(),
             u"Davis"_s); // shifted in the source, same proxy row
    QCOMPARE(ward.proxy.mapFromSource(ward.source.index(4, Name)).row(), 0);

    ward.source.appendRow(makeRow(u"Lee"_s, 1, u"R12"_s));
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToInsert 0-0"_s, u"inserted 0-0"_s}));

    // Empty rows have null keys: they land together at the top, in one signal.
    ward.source.insertRows(2, 3);
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToInsert 0-2"_s, u"inserted 0-2"_s}));
    QString why;
    QVERIFY2(matchesBruteForce(ward.proxy, ward.source, {Priority, Qt::AscendingOrder, {}, {}, {}},
                               &why),
             qPrintable(why));
}

void TestRealtimeSortFilterProxyModel::sourceInsertFilteredOut()
{
    Ward ward;
    ward.proxy.setFilterText(u"a"_s);
    ward.recorder->take();
    ward.source.insertRow(0, makeRow(u"Quinn"_s, 45, u"R11"_s));
    QCOMPARE(ward.recorder->take(), QStringList());
    QCOMPARE(ward.names(), split(u"Davis Baker Harris Adams Evans Clark"_s));
    ward.source.insertRow(0, makeRow(u"Kane"_s, 45, u"R12"_s));
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToInsert 3-3"_s, u"inserted 3-3"_s}));
}

void TestRealtimeSortFilterProxyModel::sourceRemoval()
{
    Ward ward;
    ward.source.removeRow(ward.sourceRow(u"Foster"_s));
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToRemove 2-2"_s, u"removed 2-2"_s}));
    QCOMPARE(ward.names(), split(u"Davis Baker Harris Adams Evans Irwin Clark Green Jones"_s));
    QString why;
    QVERIFY2(matchesBruteForce(ward.proxy, ward.source, {Priority, Qt::AscendingOrder, {}, {}, {}},
                               &why),
             qPrintable(why));

    // Adams, Baker, Clark: proxy rows 3, 1 and 6, removed bottom up.
    ward.source.removeRows(0, 3);
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToRemove 6-6"_s, u"removed 6-6"_s, u"aboutToRemove 3-3"_s,
                          u"removed 3-3"_s, u"aboutToRemove 1-1"_s, u"removed 1-1"_s}));
    QVERIFY2(matchesBruteForce(ward.proxy, ward.source, {Priority, Qt::AscendingOrder, {}, {}, {}},
                               &why),
             qPrintable(why));

    // In source order a contiguous source range is one removal.
    Ward unsorted(-1);
    unsorted.source.removeRows(2, 3);
    QCOMPARE(unsorted.recorder->take(), (QStringList{u"aboutToRemove 2-4"_s, u"removed 2-4"_s}));
    QCOMPARE(unsorted.names(), split(u"Adams Baker Foster Green Harris Irwin Jones"_s));
    QCOMPARE(unsorted.proxy.mapFromSource(unsorted.source.index(2, 0)).row(), 2);
}

void TestRealtimeSortFilterProxyModel::sourceRowsMoved()
{
    QStringListModel source({u"delta"_s, u"alpha"_s, u"charlie"_s, u"bravo"_s, u"echo"_s});
    RealtimeSortFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    const auto tester = testerFor(&proxy);
    SignalRecorder recorder(&proxy);

    // Source order: the proxy moves with the source, one row per move.
    QVERIFY(source.moveRows({}, 4, 1, {}, 0));
    QCOMPARE(recorder.take(), (QStringList{u"aboutToMove 4->0"_s, u"moved 4->0"_s}));
    QCOMPARE(proxySourceRows(proxy), (QList<int>{0, 1, 2, 3, 4}));
    QCOMPARE(proxy.index(0, 0).data().toString(), u"echo"_s);
    QVERIFY(source.moveRows({}, 0, 2, {}, 5)); // echo, delta to the end
    QCOMPARE(proxy.index(4, 0).data().toString(), u"delta"_s);
    QCOMPARE(recorder.count(u"moved "_s), 2);
    QCOMPARE(recorder.count(u"layout"_s), 0);
    recorder.take();
    QCOMPARE(proxySourceRows(proxy), (QList<int>{0, 1, 2, 3, 4}));

    // Sorted by value: a source move changes nothing visible.
    proxy.sort(0);
    recorder.take();
    const QStringList sorted = {u"alpha"_s, u"bravo"_s, u"charlie"_s, u"delta"_s, u"echo"_s};
    QVERIFY(source.moveRows({}, 3, 1, {}, 0));
    QCOMPARE(recorder.take(), QStringList());
    for (int r = 0; r < 5; ++r)
        QCOMPARE(proxy.index(r, 0).data().toString(), sorted[r]);

    // ... unless it reorders equal values, whose tie is the source order.
    source.setStringList({u"x"_s, u"b"_s, u"x"_s, u"a"_s});
    recorder.take();
    QPersistentModelIndex firstX = proxy.index(2, 0);
    QCOMPARE(proxySourceRows(proxy), (QList<int>{3, 1, 0, 2}));
    QVERIFY(source.moveRows({}, 2, 1, {}, 0));
    QCOMPARE(recorder.take(), (QStringList{u"aboutToMove 3->2"_s, u"moved 3->2"_s}));
    QCOMPARE(proxySourceRows(proxy), (QList<int>{3, 2, 0, 1}));
    QCOMPARE(proxy.mapToSource(firstX).row(), 1); // the same record, now source row 1
    QCOMPARE(firstX.row(), 3);
}

void TestRealtimeSortFilterProxyModel::sourceLayoutChange()
{
    Ward ward(-1);
    QPersistentModelIndex adams = ward.proxy.index(0, Bed);
    QCOMPARE(adams.data().toString(), u"R1"_s);
    ward.source.sort(Name, Qt::DescendingOrder);
    QCOMPARE(ward.recorder->take(), (QStringList{u"layoutAboutToBeChanged"_s, u"layoutChanged"_s}));
    QCOMPARE(ward.names(),
             split(u"Jones Irwin Harris Green Foster Evans Davis Clark Baker Adams"_s));
    QCOMPARE(adams.row(), 9);
    QCOMPARE(adams.column(), int(Bed));
    QCOMPARE(adams.data().toString(), u"R1"_s);

    ward.proxy.sort(Priority);
    ward.recorder->take();
    QPersistentModelIndex clark = ward.proxy.index(7, Name);
    ward.source.sort(Name, Qt::AscendingOrder);
    QCOMPARE(ward.recorder->take(), (QStringList{u"layoutAboutToBeChanged"_s, u"layoutChanged"_s}));
    QCOMPARE(ward.names(),
             split(u"Davis Baker Foster Harris Adams Evans Irwin Clark Green Jones"_s));
    QCOMPARE(clark.row(), 7);
    QCOMPARE(ward.proxy.mapToSource(clark).row(), 2);
}

void TestRealtimeSortFilterProxyModel::sourceReset()
{
    Ward ward;
    ward.source.clear();
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToReset"_s, u"reset"_s}));
    QCOMPARE(ward.proxy.rowCount(), 0);
    QCOMPARE(ward.proxy.columnCount(), 0);
    fillWard(ward.source); // setColumnCount, then one insert per row
    QCOMPARE(ward.names(),
             split(u"Davis Baker Foster Harris Adams Evans Irwin Clark Green Jones"_s));
    QCOMPARE(ward.recorder->count(u"layout"_s), 0);

    // Another source, then none.
    QStringListModel other({u"b"_s, u"a"_s});
    ward.proxy.setSourceModel(&other);
    QCOMPARE(ward.recorder->count(u"reset"_s), 1);
    QCOMPARE(ward.proxy.rowCount(), 2);
    ward.proxy.sort(0);
    QCOMPARE(ward.proxy.index(0, 0).data().toString(), u"a"_s);
    ward.proxy.setSourceModel(nullptr);
    QCOMPARE(ward.proxy.rowCount(), 0);
    QCOMPARE(ward.proxy.columnCount(), 0);

    // A source that goes away.
    auto transient = std::make_unique<QStringListModel>(QStringList{u"x"_s});
    ward.proxy.setSourceModel(transient.get());
    QCOMPARE(ward.proxy.rowCount(), 1);
    transient.reset();
    QCOMPARE(ward.proxy.rowCount(), 0);
    QVERIFY(!ward.proxy.sourceModel());
}

void TestRealtimeSortFilterProxyModel::sortIsOneLayoutChange()
{
    Ward ward(-1);
    QPersistentModelIndex clark = ward.proxy.index(2, Priority);
    ward.proxy.sort(Priority, Qt::DescendingOrder);
    QCOMPARE(ward.recorder->take(), (QStringList{u"layoutAboutToBeChanged"_s, u"layoutChanged"_s}));
    QCOMPARE(ward.names(),
             split(u"Jones Green Clark Irwin Evans Adams Harris Foster Baker Davis"_s));
    QCOMPARE(clark.row(), 2);
    QCOMPARE(clark.column(), int(Priority));
    QCOMPARE(clark.data().toInt(), 80);

    ward.proxy.sort(Priority, Qt::DescendingOrder); // nothing to do
    QCOMPARE(ward.recorder->take(), QStringList());

    ward.proxy.sort(Name, Qt::AscendingOrder);
    QCOMPARE(ward.recorder->take(), (QStringList{u"layoutAboutToBeChanged"_s, u"layoutChanged"_s}));
    QCOMPARE(clark.row(), 2);
    QCOMPARE(ward.names().first(), u"Adams"_s);

    ward.proxy.sort(-1);
    QCOMPARE(ward.recorder->take(), (QStringList{u"layoutAboutToBeChanged"_s, u"layoutChanged"_s}));
    QCOMPARE(ward.proxy.sortColumn(), -1);
    QCOMPARE(proxySourceRows(ward.proxy), (QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    ward.proxy.sort(-1, Qt::DescendingOrder); // source order has no direction
    QCOMPARE(ward.recorder->take(), QStringList());
}

void TestRealtimeSortFilterProxyModel::sortRole()
{
    Ward ward;
    // A hidden rank in a user role, the reverse of the priority.
    ward.source.blockSignals(true);
    for (int r = 0; r < ward.source.rowCount(); ++r) {
        const int priority = ward.source.index(r, Priority).data().toInt();
        ward.source.setData(ward.source.index(r, Priority), 1000 - priority, Qt::UserRole + 1);
    }
    ward.source.blockSignals(false);
    ward.proxy.setSortRole(Qt::UserRole + 1);
    QCOMPARE(ward.proxy.sortRole(), int(Qt::UserRole + 1));
    QCOMPARE(ward.recorder->take(), (QStringList{u"layoutAboutToBeChanged"_s, u"layoutChanged"_s}));
    QCOMPARE(ward.names(),
             split(u"Jones Green Clark Irwin Evans Adams Harris Foster Baker Davis"_s));

    ward.setPriority(u"Davis"_s, 1000); // the display value: not the sort role
    QCOMPARE(ward.recorder->take(), QStringList{u"changed 9-9"_s});
    ward.source.setData(ward.source.index(ward.sourceRow(u"Davis"_s), Priority), 0,
                        Qt::UserRole + 1);
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToMove 9->0"_s, u"moved 9->0"_s, u"changed 0-0"_s}));
}

void TestRealtimeSortFilterProxyModel::filterTextIsFineGrained()
{
    Ward ward;
    ward.proxy.setFilterText(u"a"_s); // drops Foster 2, Irwin 6, Green 8, Jones 9
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToRemove 8-9"_s, u"removed 8-9"_s, u"aboutToRemove 6-6"_s,
                          u"removed 6-6"_s, u"aboutToRemove 2-2"_s, u"removed 2-2"_s}));
    QCOMPARE(ward.names(), split(u"Davis Baker Harris Adams Evans Clark"_s));

    ward.proxy.setFilterText(u"Ar"_s); // narrower: Harris and Clark stay
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToRemove 3-4"_s, u"removed 3-4"_s, u"aboutToRemove 0-1"_s,
                          u"removed 0-1"_s}));
    QCOMPARE(ward.names(), split(u"Harris Clark"_s));

    ward.proxy.setFilterText(QString()); // wider: everybody back, contiguous gaps merged
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToInsert 0-2"_s, u"inserted 0-2"_s, u"aboutToInsert 4-6"_s,
                          u"inserted 4-6"_s, u"aboutToInsert 8-9"_s, u"inserted 8-9"_s}));
    QCOMPARE(ward.names(),
             split(u"Davis Baker Foster Harris Adams Evans Irwin Clark Green Jones"_s));

    // Neither narrower nor wider: removals, then insertions.
    ward.proxy.setFilterText(u"is"_s); // Davis, Harris
    ward.recorder->take();
    ward.proxy.setFilterText(u"ams"_s); // Adams
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToRemove 0-1"_s, u"removed 0-1"_s, u"aboutToInsert 0-0"_s,
                          u"inserted 0-0"_s}));
    QCOMPARE(ward.names(), QStringList{u"Adams"_s});
    ward.proxy.setFilterText(u"AMS"_s); // same filter, other case: nothing
    QCOMPARE(ward.recorder->take(), QStringList());
}

void TestRealtimeSortFilterProxyModel::scatteredFilterChangeResets()
{
    // 600 rows, every other one matching: 300 separate removals would cost more than a reset.
    QStandardItemModel source(0, ColumnCount);
    for (int i = 0; i < 600; ++i)
        source.appendRow(makeRow(i % 2 ? u"match"_s : u"other"_s, i, u"R"_s));
    RealtimeSortFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    proxy.sort(Priority);
    const auto tester = testerFor(&proxy);
    SignalRecorder recorder(&proxy);

    proxy.setFilterText(u"match"_s);
    QCOMPARE(recorder.take(), (QStringList{u"aboutToReset"_s, u"reset"_s}));
    QCOMPARE(proxy.rowCount(), 300);
    proxy.setFilterText(QString());
    QCOMPARE(recorder.take(), (QStringList{u"aboutToReset"_s, u"reset"_s}));
    QCOMPARE(proxy.rowCount(), 600);

    // Few contiguous runs: fine-grained even on a larger set.
    proxy.setFilterText(u"R"_s); // the bed column: all rows still pass
    QCOMPARE(recorder.take(), QStringList());
    proxy.setFilterPredicate([](int sourceRow, const QModelIndex &) { return sourceRow < 100; });
    QCOMPARE(recorder.take(), (QStringList{u"aboutToRemove 100-599"_s, u"removed 100-599"_s}));
}

void TestRealtimeSortFilterProxyModel::filterColumnsAndPredicate()
{
    Ward ward;
    ward.proxy.setFilterColumns({Bed});
    QCOMPARE(ward.recorder->take(), QStringList()); // no filter text yet
    ward.proxy.setFilterText(u"R1"_s); // beds R1 and R10: Adams 50, Jones 100
    QCOMPARE(ward.proxy.filterColumns(), QList<int>{Bed});
    QCOMPARE(ward.names(), split(u"Adams Jones"_s));
    ward.recorder->take();
    ward.rename(u"Adams"_s, u"R1 in the name"_s); // not a filter column: only dataChanged
    QCOMPARE(ward.recorder->take(), QStringList{u"changed 0-0"_s});
    ward.proxy.setFilterColumns({});
    QCOMPARE(ward.names(), (QStringList{u"R1 in the name"_s, u"Jones"_s})); // nothing new
    ward.proxy.setFilterText(QString());
    ward.recorder->take();

    // The predicate is re-checked on every change of a row.
    const QStandardItemModel &source = ward.source;
    ward.proxy.setFilterPredicate([&source](int sourceRow, const QModelIndex &parent) {
        return source.index(sourceRow, Priority, parent).data().toInt() >= 50;
    });
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToRemove 0-3"_s, u"removed 0-3"_s}));
    QCOMPARE(ward.proxy.rowCount(), 6);
    ward.setPriority(u"Baker"_s, 65);
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToInsert 2-2"_s, u"inserted 2-2"_s}));
    ward.setPriority(u"Jones"_s, 5);
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToRemove 6-6"_s, u"removed 6-6"_s}));

    // Inputs of the predicate that the model does not know about: invalidateFilter().
    int threshold = 60;
    ward.proxy.setFilterPredicate([&source, &threshold](int sourceRow, const QModelIndex &) {
        return source.index(sourceRow, Priority).data().toInt() >= threshold;
    });
    ward.recorder->take();
    QCOMPARE(ward.names(), split(u"Evans Baker Irwin Clark Green"_s));
    threshold = 80;
    ward.proxy.invalidateFilter();
    QCOMPARE(ward.recorder->take(), (QStringList{u"aboutToRemove 0-2"_s, u"removed 0-2"_s}));
    ward.proxy.setFilterPredicate({});
    QCOMPARE(ward.proxy.rowCount(), 10);
}

void TestRealtimeSortFilterProxyModel::selectionFollowsTheRecord()
{
    Ward ward;
    QItemSelectionModel selection(&ward.proxy);
    const QModelIndex adams = ward.proxy.index(4, Name);
    QCOMPARE(adams.data().toString(), u"Adams"_s);
    selection.setCurrentIndex(adams,
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

    const auto selectedNames = [&selection] {
        QStringList names;
        const QModelIndexList rows = selection.selectedRows(Name);
        for (const QModelIndex &index : rows)
            names.append(index.data().toString());
        return names;
    };

    // Another row moves across the selected one.
    ward.setPriority(u"Clark"_s, 25);
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToMove 7->2"_s, u"moved 7->2"_s, u"changed 2-2"_s}));
    QCOMPARE(selection.currentIndex().row(), 5);
    QCOMPARE(selection.currentIndex().data().toString(), u"Adams"_s);
    QCOMPARE(selectedNames(), QStringList{u"Adams"_s});
    QVERIFY(selection.isRowSelected(5, {}));
    QVERIFY(!selection.isRowSelected(4, {}));

    // The selected row itself moves up ...
    ward.setPriority(u"Adams"_s, 5);
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToMove 5->0"_s, u"moved 5->0"_s, u"changed 0-0"_s}));
    QCOMPARE(selection.currentIndex().row(), 0);
    QCOMPARE(selection.currentIndex().data().toString(), u"Adams"_s);
    QCOMPARE(selectedNames(), QStringList{u"Adams"_s});
    QVERIFY(selection.isRowSelected(0, {}));

    // ... and down.
    ward.setPriority(u"Adams"_s, 95);
    QCOMPARE(ward.recorder->take(),
             (QStringList{u"aboutToMove 0->9"_s, u"moved 0->9"_s, u"changed 8-8"_s}));
    QCOMPARE(selection.currentIndex().row(), 8);
    QCOMPARE(selection.currentIndex().data().toString(), u"Adams"_s);
    QCOMPARE(selectedNames(), QStringList{u"Adams"_s});
    QCOMPARE(selection.selection().size(), 1);
    QCOMPARE(selection.selection().first().width(), int(ColumnCount));

    // Removing another row keeps it too.
    ward.source.removeRow(ward.sourceRow(u"Davis"_s));
    QCOMPARE(selection.currentIndex().row(), 7);
    QCOMPARE(selectedNames(), QStringList{u"Adams"_s});
}

void TestRealtimeSortFilterProxyModel::headers()
{
    Ward ward;
    QCOMPARE(ward.proxy.headerData(Priority, Qt::Horizontal).toString(), u"Priority"_s);
    // Vertical headers are the source's, row by row: Davis is source row 3 ("4").
    QCOMPARE(ward.proxy.headerData(0, Qt::Vertical).toString(), u"4"_s);
    QVERIFY(!ward.proxy.headerData(10, Qt::Vertical).isValid());

    QSignalSpy spy(&ward.proxy, &QAbstractItemModel::headerDataChanged);
    QVERIFY(ward.proxy.setHeaderData(0, Qt::Vertical, u"Bed 4"_s));
    QCOMPARE(ward.source.headerData(3, Qt::Vertical).toString(), u"Bed 4"_s);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).value<Qt::Orientation>(), Qt::Vertical);
    QCOMPARE(spy.at(0).at(1).toInt(), 0);
    QVERIFY(ward.proxy.setHeaderData(Name, Qt::Horizontal, u"Patient"_s));
    QCOMPARE(ward.proxy.headerData(Name, Qt::Horizontal).toString(), u"Patient"_s);

    // An empty proxy still has its column headers.
    ward.proxy.setFilterText(u"nobody"_s);
    QCOMPARE(ward.proxy.rowCount(), 0);
    QCOMPARE(ward.proxy.headerData(Bed, Qt::Horizontal).toString(), u"Bed"_s);
}

void TestRealtimeSortFilterProxyModel::sourceColumns()
{
    Ward ward;
    ward.proxy.setFilterColumns({Name});
    ward.proxy.setFilterText(u"a"_s);
    ward.recorder->take();
    const QStringList before = ward.names();

    ward.source.insertColumn(0);
    QCOMPARE(ward.proxy.columnCount(), int(ColumnCount) + 1);
    QCOMPARE(ward.proxy.sortColumn(), int(Priority) + 1);
    QCOMPARE(ward.proxy.filterColumns(), QList<int>{Name + 1});
    QCOMPARE(ward.recorder->take(), QStringList());
    QStringList after;
    for (int r = 0; r < ward.proxy.rowCount(); ++r)
        after.append(ward.proxy.index(r, Name + 1).data().toString());
    QCOMPARE(after, before);

    ward.source.removeColumn(0);
    QCOMPARE(ward.proxy.sortColumn(), int(Priority));
    QCOMPARE(ward.names(), before);
    QCOMPARE(ward.recorder->take(), QStringList());

    // The sort column goes away: back to the source order, a whole-set change.
    ward.source.removeColumn(Priority);
    QCOMPARE(ward.proxy.sortColumn(), -1);
    QCOMPARE(ward.recorder->take(), (QStringList{u"layoutAboutToBeChanged"_s, u"layoutChanged"_s}));
    QCOMPARE(ward.names(), split(u"Adams Baker Clark Davis Evans Harris"_s));
}

void TestRealtimeSortFilterProxyModel::randomEditsMatchBruteForce_data()
{
    QTest::addColumn<int>("sortColumn");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QList<int>>("filterColumns");
    QTest::addColumn<bool>("predicate");

    QTest::newRow("priority ascending, filter a (all columns)")
        << int(Priority) << int(Qt::AscendingOrder) << u"a"_s << QList<int>() << false;
    QTest::newRow("priority descending, filter e (name)")
        << int(Priority) << int(Qt::DescendingOrder) << u"E"_s << QList<int>{Name} << false;
    QTest::newRow("source order, filter c")
        << -1 << int(Qt::AscendingOrder) << u"c"_s << QList<int>() << false;
    QTest::newRow("name ascending, no filter")
        << int(Name) << int(Qt::AscendingOrder) << QString() << QList<int>() << false;
    QTest::newRow("name descending, predicate")
        << int(Name) << int(Qt::DescendingOrder) << QString() << QList<int>() << true;
}

void TestRealtimeSortFilterProxyModel::randomEditsMatchBruteForce()
{
    QFETCH(int, sortColumn);
    QFETCH(int, order);
    QFETCH(QString, filter);
    QFETCH(QList<int>, filterColumns);
    QFETCH(bool, predicate);

    QRandomGenerator random(20240611u + quint32(sortColumn + 2) * 7u + quint32(order) * 3u
                            + quint32(predicate));
    QStandardItemModel source(0, ColumnCount);
    for (int i = 0; i < 500; ++i)
        source.appendRow(
            makeRow(randomName(random), random.bounded(40), u"R"_s + QString::number(i)));

    Reference ref{sortColumn, Qt::SortOrder(order), filter, filterColumns, {}};
    if (predicate) {
        ref.predicate = [&source](int row) {
            const QVariant priority = source.index(row, Priority).data();
            return !priority.isValid() || priority.toInt() % 3 != 0;
        };
    }

    RealtimeSortFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    proxy.sort(sortColumn, Qt::SortOrder(order));
    proxy.setFilterColumns(filterColumns);
    proxy.setFilterText(filter);
    if (predicate) {
        const auto check = ref.predicate;
        proxy.setFilterPredicate([check](int row, const QModelIndex &) { return check(row); });
    }
    const auto tester = testerFor(&proxy);
    SignalRecorder recorder(&proxy);

    QString why;
    QVERIFY2(matchesBruteForce(proxy, source, ref, &why), qPrintable(why));

    for (int step = 0; step < 1000; ++step) {
        const int rows = source.rowCount();
        const int dice = random.bounded(100);
        QString op;
        if (dice < 35 && rows > 0) {
            op = u"priority"_s;
            source.setData(source.index(random.bounded(rows), Priority), random.bounded(40));
        } else if (dice < 55 && rows > 0) {
            op = u"name"_s;
            source.setData(source.index(random.bounded(rows), Name), randomName(random));
        } else if (dice < 67) {
            op = u"insert row"_s;
            source.insertRow(random.bounded(rows + 1),
                             makeRow(randomName(random), random.bounded(40), u"R"_s));
        } else if (dice < 75) {
            op = u"insert empty rows, then fill them"_s;
            const int at = random.bounded(rows + 1);
            const int count = random.bounded(1, 4);
            source.insertRows(at, count);
            for (int r = at; r < at + count; ++r) {
                if (random.bounded(4) != 0)
                    source.setData(source.index(r, Priority), random.bounded(40));
                if (random.bounded(4) != 0)
                    source.setData(source.index(r, Name), randomName(random));
            }
        } else if (dice < 90 && rows > 0) {
            op = u"remove rows"_s;
            const int at = random.bounded(rows);
            source.removeRows(at, std::min(random.bounded(1, 4), rows - at));
        } else if (rows > 0) {
            op = u"silent edits, one range signal"_s;
            const int first = random.bounded(rows);
            const int last = std::min(rows - 1, first + random.bounded(80));
            source.blockSignals(true);
            const int edits = random.bounded(1, last - first + 2);
            for (int i = 0; i < edits; ++i) {
                const int r = random.bounded(first, last + 1);
                if (random.bounded(3))
                    source.setData(source.index(r, Priority), random.bounded(40));
                else
                    source.setData(source.index(r, Name), randomName(random));
            }
            source.blockSignals(false);
            Q_EMIT source.dataChanged(source.index(first, 0), source.index(last, Bed));
        }
        if (!matchesBruteForce(proxy, source, ref, &why)) {
            QFAIL(qPrintable(u"step "_s + QString::number(step) + u" ("_s + op + u")\n"_s + why));
        }
        QVERIFY2(recorder.count(u"layout"_s) == 0, qPrintable(u"layout change at "_s + op));
        QVERIFY2(recorder.count(u"reset"_s) == 0, qPrintable(u"reset at "_s + op));
    }
    QVERIFY(recorder.count(u"inserted "_s) > 0);
    QVERIFY(recorder.count(u"removed "_s) > 0);
    QVERIFY(recorder.count(u"changed "_s) > 0);
    if (sortColumn >= 0)
        QVERIFY(recorder.count(u"moved "_s) > 0);
}

void TestRealtimeSortFilterProxyModel::randomMovesMatchBruteForce_data()
{
    QTest::addColumn<int>("sortColumn");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("filter");

    QTest::newRow("source order") << -1 << int(Qt::AscendingOrder) << QString();
    QTest::newRow("source order, filter") << -1 << int(Qt::AscendingOrder) << u"a"_s;
    QTest::newRow("ascending, ties by source row") << 0 << int(Qt::AscendingOrder) << QString();
    QTest::newRow("descending, filter") << 0 << int(Qt::DescendingOrder) << u"b"_s;
}

void TestRealtimeSortFilterProxyModel::randomMovesMatchBruteForce()
{
    QFETCH(int, sortColumn);
    QFETCH(int, order);
    QFETCH(QString, filter);

    // Few distinct values, so that many rows tie and their order is the source order.
    QRandomGenerator random(4242u + quint32(sortColumn + 1) * 5u + quint32(order));
    static const QStringList values = {u"ab"_s, u"b"_s, u"Ca"_s, u"d"_s, u"ba"_s, u"A"_s};
    QStringList strings;
    for (int i = 0; i < 200; ++i)
        strings.append(values.at(random.bounded(int(values.size()))));
    QStringListModel source(strings);

    RealtimeSortFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    proxy.sort(sortColumn, Qt::SortOrder(order));
    proxy.setFilterText(filter);
    const auto tester = testerFor(&proxy);
    SignalRecorder recorder(&proxy);
    const Reference ref{sortColumn, Qt::SortOrder(order), filter, {}, {}};

    QString why;
    for (int step = 0; step < 400; ++step) {
        const int rows = source.rowCount();
        const int dice = random.bounded(100);
        if (dice < 60) {
            const int from = random.bounded(rows);
            // Mostly small blocks, sometimes a large one.
            const int largest = random.bounded(8) == 0 ? 60 : 5;
            const int count = random.bounded(1, std::min(largest, rows - from) + 1);
            const int to = random.bounded(rows + 1);
            source.moveRows({}, from, count, {}, to); // false when the move is a no-op
        } else if (dice < 80) {
            source.setData(source.index(random.bounded(rows), 0),
                           values.at(random.bounded(int(values.size()))));
        } else if (dice < 90) {
            const int at = random.bounded(rows + 1);
            source.insertRows(at, 1);
            source.setData(source.index(at, 0), values.at(random.bounded(int(values.size()))));
        } else {
            source.removeRows(random.bounded(rows), 1);
        }
        if (!matchesBruteForce(proxy, source, ref, &why))
            QFAIL(qPrintable(u"step "_s + QString::number(step) + u"\n"_s + why));
    }
    QCOMPARE(recorder.count(u"layout"_s), 0);
    QCOMPARE(recorder.count(u"reset"_s), 0);
    QVERIFY(recorder.count(u"moved "_s) > 0);
}

QTEST_GUILESS_MAIN(TestRealtimeSortFilterProxyModel)
#include "tst_realtimesortfilterproxymodel.moc"
