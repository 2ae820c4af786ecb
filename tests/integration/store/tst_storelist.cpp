// SPDX-License-Identifier: MIT
// RecordStore::list: paging and totals, multi-key sorting, search (with % and _ taken
// literally), projection, typed filters and ranges, always within one tenant.

#include "recordstore.h"
#include "storetestschema.h"

#include <QtCore/QLoggingCategory>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk::server;

namespace {

const QString wardA = u"ward-a"_s;
const QString wardB = u"ward-b"_s;

} // namespace

class TestStoreList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void paging();
    void sortMultiKey();
    void sortIsCaseInsensitiveForText();
    void sortWithNullsAndSystemColumns();
    void search();
    void searchTakesWildcardsLiterally_data();
    void searchTakesWildcardsLiterally();
    void searchWithoutSearchableFields();
    void fieldsProjection();
    void filters();
    void ranges();
    void everythingTogether();
    void emptyTable();
    void refusesAHandMadeBadQuery();

private:
    QList<QJsonObject> page(const QString &query, qint64 *total = nullptr);
    QStringList column(const QString &query, const QString &name, qint64 *total = nullptr);

    ServerSchema m_schema;
    const ResourceSpec *m_patients = nullptr;
    std::unique_ptr<RecordStore> m_store;
};

void TestStoreList::initTestCase()
{
    QLoggingCategory::setFilterRules(u"livedesk.server.store.info=false"_s);
    m_schema = storetest::schema();
    m_patients = m_schema.resourceByName(u"patients");
    m_store = std::make_unique<RecordStore>(m_schema, u":memory:"_s);
    QVERIFY(m_store->open());

    // 45 patients in ward-a: P00..P44, beds 0..44, wards cycling 1A/2B/3C, every fifth in
    // isolation, born 1970-01-01 + i years, weights 50.5 + i.
    QList<QJsonObject> rows;
    const QStringList wards{u"1A"_s, u"2B"_s, u"3C"_s};
    const QStringList statuses{u"admitted"_s, u"transferred"_s, u"discharged"_s};
    for (int i = 0; i < 45; ++i) {
        rows.append(QJsonObject{
            {"hn"_L1, u"P%1"_s.arg(i, 2, 10, QChar(u'0'))},
            {"name"_L1, u"Patient %1"_s.arg(i, 2, 10, QChar(u'0'))},
            {"bed"_L1, i},
            {"ward"_L1, wards[i % 3]},
            {"status"_L1, statuses[(i / 3) % 3]},
            {"isolation"_L1, i % 5 == 0},
            {"date_of_birth"_L1, u"%1-01-01"_s.arg(1970 + i)},
            {"weight_kg"_L1, 50.5 + i},
            {"admitted_at"_L1, u"2024-05-%1T10:00:00+07:00"_s.arg(1 + i % 28, 2, 10, QChar(u'0'))},
        });
    }
    // Names that put LIKE's wildcards and case to the test.
    const QList<std::pair<QString, QString>> special{
        {u"S1"_s, u"50% discount"_s}, {u"S2"_s, u"500 discount"_s}, {u"S3"_s, u"a_b"_s},
        {u"S4"_s, u"axb"_s},          {u"S5"_s, u"back\\slash"_s},  {u"S6"_s, u"alice"_s},
        {u"S7"_s, u"Bob"_s},          {u"S8"_s, u"สมชาย ใจดี"_s},
    };
    for (const auto &[hn, name] : special)
        rows.append(QJsonObject{{"hn"_L1, hn}, {"name"_L1, name}, {"ward"_L1, u"9Z"_s}});
    const auto imported = m_store->importRows(*m_patients, wardA, u"seed"_s, rows);
    QVERIFY(imported);
    QCOMPARE(imported.value().inserted, 53);
    QVERIFY(imported.value().errors.isEmpty());

    // Another tenant with look-alike data that must never show up.
    for (int i = 0; i < 5; ++i) {
        QVERIFY(m_store->create(*m_patients, wardB, u"seed"_s,
                                QJsonObject{{"hn"_L1, u"P%1"_s.arg(i, 2, 10, QChar(u'0'))},
                                            {"name"_L1, u"Patient %1 50% a_b"_s.arg(i)},
                                            {"ward"_L1, u"1A"_s}}));
    }
}

QList<QJsonObject> TestStoreList::page(const QString &query, qint64 *total)
{
    const auto parsed = ListQuery::fromQueryString(query, *m_patients);
    if (!parsed) {
        qWarning() << query << "refused:" << parsed.error().message();
        return {};
    }
    const auto result = m_store->list(*m_patients, wardA, parsed.value());
    if (!result) {
        qWarning() << query << "failed:" << result.error().message();
        return {};
    }
    if (total)
        *total = result.value().total;
    QList<QJsonObject> rows;
    for (const QJsonValue v : result.value().rows)
        rows.append(v.toObject());
    return rows;
}

QStringList TestStoreList::column(const QString &query, const QString &name, qint64 *total)
{
    QStringList values;
    for (const QJsonObject &row : page(query, total)) {
        const QJsonValue v = row.value(name);
        values.append(v.isDouble() ? QString::number(v.toDouble()) : v.toString());
    }
    return values;
}

void TestStoreList::paging()
{
    qint64 total = 0;
    QList<QJsonObject> rows = page(u"sort=id&limit=20"_s, &total);
    QCOMPARE(rows.size(), 20);
    QCOMPARE(total, 53);
    QCOMPARE(rows.first().value("hn"_L1), QJsonValue(u"P00"_s));
    rows = page(u"sort=id&limit=20&page=3"_s, &total);
    QCOMPARE(rows.size(), 13); // a short last page
    QCOMPARE(total, 53);
    QCOMPARE(rows.first().value("hn"_L1), QJsonValue(u"P40"_s));
    rows = page(u"limit=20&page=4"_s, &total);
    QCOMPARE(rows.size(), 0); // past the end: empty, with the right total
    QCOMPARE(total, 53);
    rows = page(u"limit=53"_s, &total);
    QCOMPARE(rows.size(), 53); // exactly full
    QCOMPARE(total, 53);
    rows = page(QString(), &total); // default limit 20, default order by id
    QCOMPARE(rows.size(), 20);
    QCOMPARE(rows[1].value("id"_L1).toInteger(), rows[0].value("id"_L1).toInteger() + 1);

    // Pages tile the whole set without gaps or overlaps, also under a non-unique sort key.
    QStringList all;
    for (int p = 1; p <= 6; ++p)
        all += column(u"sort=ward:desc&limit=10&page=%1"_s.arg(p), u"hn"_s);
    QCOMPARE(all.size(), 53);
    QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), 53);
}

void TestStoreList::sortMultiKey()
{
    const QList<QJsonObject> rows = page(u"sort=ward:asc,bed:desc&limit=1000"_s);
    QCOMPARE(rows.size(), 53);
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QString wardBefore = rows[i - 1].value("ward"_L1).toString();
        const QString ward = rows[i].value("ward"_L1).toString();
        QVERIFY(wardBefore <= ward);
        if (wardBefore == ward && !rows[i].value("bed"_L1).isNull())
            QVERIFY(rows[i - 1].value("bed"_L1).toInteger() > rows[i].value("bed"_L1).toInteger());
    }
    QCOMPARE(rows.first().value("hn"_L1), QJsonValue(u"P42"_s)); // 1A with the highest bed
    // Repeated sort keys append; the legacy pair works too.
    QCOMPARE(column(u"sort=ward&sort=bed:desc&limit=2"_s, u"hn"_s),
             QStringList({u"P42"_s, u"P39"_s}));
    QCOMPARE(column(u"sortBy=bed&sortOrder=desc&limit=2"_s, u"hn"_s),
             QStringList({u"P44"_s, u"P43"_s}));
}

void TestStoreList::sortIsCaseInsensitiveForText()
{
    const QStringList names = column(u"ward=9Z&sort=name&limit=100"_s, u"name"_s);
    QCOMPARE(names.indexOf(u"alice"_s) + 1, names.indexOf(u"axb"_s)); // alice, axb, back\slash, Bob
    QVERIFY(names.indexOf(u"Bob"_s) > names.indexOf(u"back\\slash"_s));
}

void TestStoreList::sortWithNullsAndSystemColumns()
{
    // The special rows have no bed: nulls come first ascending, last descending.
    QCOMPARE(column(u"sort=bed:asc&limit=1"_s, u"hn"_s), QStringList{u"S1"_s});
    QCOMPARE(column(u"sort=bed:desc&limit=1"_s, u"hn"_s), QStringList{u"P44"_s});
    QCOMPARE(column(u"sort=id:desc&limit=1"_s, u"hn"_s), QStringList{u"S8"_s});
    QCOMPARE(column(u"sort=created_at:desc,id:desc&limit=1"_s, u"hn"_s), QStringList{u"S8"_s});
}

void TestStoreList::search()
{
    qint64 total = 0;
    QCOMPARE(column(u"search=patient+07"_s, u"hn"_s, &total), QStringList{u"P07"_s});
    QCOMPARE(total, 1);
    // Case-insensitive for ASCII, in any searchable field (hn or name).
    QCOMPARE(column(u"search=BOB"_s, u"hn"_s), QStringList{u"S7"_s});
    QCOMPARE(column(u"search=s7"_s, u"hn"_s), QStringList{u"S7"_s});
    QCOMPARE(column(u"search=%E0%B8%A1%E0%B8%8A%E0%B8%B2%E0%B8%A2"_s, u"hn"_s),
             QStringList{u"S8"_s}); // "มชาย", Thai substring
    // ward is not searchable.
    page(u"search=9Z"_s, &total);
    QCOMPARE(total, 0);
}

void TestStoreList::searchTakesWildcardsLiterally_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("percent") << u"search=%25"_s << QStringList{u"S1"_s};
    QTest::newRow("50%") << u"search=50%25"_s << QStringList{u"S1"_s};
    QTest::newRow("underscore") << u"search=_"_s << QStringList{u"S3"_s};
    QTest::newRow("a_b") << u"search=a_b"_s << QStringList{u"S3"_s};
    QTest::newRow("backslash") << u"search=k%5Cs"_s << QStringList{u"S5"_s};
    QTest::newRow("quote") << u"search=%27"_s << QStringList{};
}

void TestStoreList::searchTakesWildcardsLiterally()
{
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    qint64 total = -1;
    QCOMPARE(column(query, u"hn"_s, &total), expected);
    QCOMPARE(total, expected.size());
}

void TestStoreList::searchWithoutSearchableFields()
{
    // "stock" marks nothing searchable: its string fields are searched.
    const ResourceSpec &stock = *m_schema.resourceByName(u"stock");
    QVERIFY(m_store->create(stock, wardA, u"u"_s, QJsonObject{{"sku"_L1, u"GLOVE-M"_s}}));
    QVERIFY(m_store->create(stock, wardA, u"u"_s, QJsonObject{{"sku"_L1, u"MASK"_s}}));
    ListQuery q;
    q.search = u"glove"_s;
    const auto r = m_store->list(stock, wardA, q);
    QVERIFY(r);
    QCOMPARE(r.value().total, 1);
}

void TestStoreList::fieldsProjection()
{
    const QList<QJsonObject> rows = page(u"fields=name&fields=ward,version&limit=3"_s);
    QCOMPARE(rows.size(), 3);
    for (const QJsonObject &row : rows)
        QCOMPARE(row.keys(), QStringList({u"id"_s, u"name"_s, u"version"_s, u"ward"_s}));
    QCOMPARE(rows.first().value("version"_L1), QJsonValue(1));
    // Without fields, every column.
    QCOMPARE(page(u"limit=1"_s).first().size(), m_patients->fields.size() + 6);
}

void TestStoreList::filters()
{
    qint64 total = 0;
    page(u"ward=1A"_s, &total);
    QCOMPARE(total, 15);
    page(u"isolation=true"_s, &total);
    QCOMPARE(total, 9);
    page(u"isolation=false"_s, &total);
    QCOMPARE(total, 44); // 36 + the 8 special rows, false by default
    QCOMPARE(column(u"bed=7"_s, u"hn"_s), QStringList{u"P07"_s});
    QCOMPARE(column(u"date_of_birth=1980-01-01"_s, u"hn"_s), QStringList{u"P10"_s});
    QCOMPARE(column(u"weight_kg=60.5"_s, u"hn"_s), QStringList{u"P10"_s});
    page(u"status=discharged"_s, &total);
    QCOMPARE(total, 15);
    // Repeated: any of the values.
    page(u"status=discharged&status=transferred"_s, &total);
    QCOMPARE(total, 30);
    // Several filters: all must hold.
    page(u"ward=1A&isolation=true"_s, &total);
    QCOMPARE(total, 3); // 0, 15, 30
    // Filters on system columns.
    const qint64 firstId = page(u"sort=id&limit=1"_s).first().value("id"_L1).toInteger();
    QCOMPARE(column(u"id=%1"_s.arg(firstId), u"hn"_s), QStringList{u"P00"_s});
    page(u"version=1"_s, &total);
    QCOMPARE(total, 53);
    page(u"created_by=seed"_s, &total);
    QCOMPARE(total, 53);
    page(u"ward=nowhere"_s, &total);
    QCOMPARE(total, 0);
}

void TestStoreList::ranges()
{
    qint64 total = 0;
    QCOMPARE(column(u"bed_min=42"_s, u"hn"_s), QStringList({u"P42"_s, u"P43"_s, u"P44"_s}));
    QCOMPARE(column(u"bed_min=10&bed_max=12"_s, u"hn"_s),
             QStringList({u"P10"_s, u"P11"_s, u"P12"_s}));
    page(u"bed_max=-1"_s, &total);
    QCOMPARE(total, 0);
    QCOMPARE(column(u"date_of_birth_max=1971-06-30"_s, u"hn"_s), QStringList({u"P00"_s, u"P01"_s}));
    QCOMPARE(column(u"weight_kg_min=93.5"_s, u"hn"_s), QStringList({u"P43"_s, u"P44"_s}));
    // Datetimes compare as instants: 2024-05-01T10:00+07:00 is 03:00Z.
    page(u"admitted_at_max=2024-05-01T03:00:00Z"_s, &total);
    QCOMPARE(total, 2); // days 1 of P00 and P28
    page(u"admitted_at_max=2024-05-01T02:59:59.999Z"_s, &total);
    QCOMPARE(total, 0);
    page(
        u"admitted_at_min=2024-05-01T09:59:00%2B07:00&admitted_at_max=2024-05-01T10:01:00%2B07:00"_s,
        &total);
    QCOMPARE(total, 2);
    page(u"created_at_min=2000-01-01T00:00:00Z"_s, &total);
    QCOMPARE(total, 53);
    page(u"created_at_max=2000-01-01T00:00:00Z"_s, &total);
    QCOMPARE(total, 0);
}

void TestStoreList::everythingTogether()
{
    qint64 total = 0;
    const QList<QJsonObject> rows = page(
        u"search=patient&ward=2B&bed_min=10&sort=bed:desc&limit=3&page=2&fields=bed"_s, &total);
    // 2B beds from 10: 10, 13, ..., 43 → 12 rows; page 2 of 3 descending: 34, 31, 28.
    QCOMPARE(total, 12);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0].value("bed"_L1), QJsonValue(34));
    QCOMPARE(rows[2].value("bed"_L1), QJsonValue(28));
    QCOMPARE(rows[0].keys(), QStringList({u"bed"_s, u"id"_s}));
}

void TestStoreList::emptyTable()
{
    const auto r = m_store->list(*m_schema.resourceByName(u"simple"), wardA, ListQuery{});
    QVERIFY(r);
    QCOMPARE(r.value().total, 0);
    QVERIFY(r.value().rows.isEmpty());
    ListQuery later;
    later.page = 5;
    QCOMPARE(m_store->list(*m_schema.resourceByName(u"simple"), wardA, later).value().total, 0);
}

void TestStoreList::refusesAHandMadeBadQuery()
{
    ListQuery q;
    q.limit = 5000;
    QCOMPARE(m_store->list(*m_patients, wardA, q).error().code(), u"BAD_REQUEST"_s);
    q = {};
    q.sort.append({u"nope"_s, false});
    QCOMPARE(m_store->list(*m_patients, wardA, q).error().code(), u"BAD_REQUEST"_s);
    q = {};
    q.filters.append({u"tenant"_s, ListQuery::FilterOp::Equals, QJsonArray{wardB}});
    QCOMPARE(m_store->list(*m_patients, wardA, q).error().code(), u"BAD_REQUEST"_s);
    q = {};
    q.fields = {u"id"_s, u"tenant"_s};
    QCOMPARE(m_store->list(*m_patients, wardA, q).error().code(), u"BAD_REQUEST"_s);
}

QTEST_GUILESS_MAIN(TestStoreList)
#include "tst_storelist.moc"
