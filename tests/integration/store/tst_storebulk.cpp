// SPDX-License-Identifier: MIT
// RecordStore bulk operations (all or nothing, every failing item reported with its index)
// and import batches (valid rows in, refused rows reported), plus the import rate, printed
// and never asserted.

#include "recordstore.h"
#include "storetestschema.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk::server;

namespace {

const QString wardA = u"ward-a"_s;
const QString wardB = u"ward-b"_s;
const QString nurse = u"u-nurse"_s;

QJsonObject patient(const QString &hn, const QString &name = u"Somchai"_s)
{
    return QJsonObject{{"hn"_L1, hn}, {"name"_L1, name}};
}

// "index:field:CODE" of each detail.
QStringList detailCodes(const ApiError &e)
{
    QStringList codes;
    for (const QJsonValue d : e.details()) {
        const QJsonObject o = d.toObject();
        codes.append(QString::number(o.value("index"_L1).toInt()) + u':'
                     + o.value("field"_L1).toString() + u':' + o.value("code"_L1).toString());
    }
    return codes;
}

QStringList rowErrorCodes(const RecordStore::ImportOutcome &outcome)
{
    QStringList codes;
    for (const auto &e : outcome.errors) {
        for (const QJsonValue d : e.details)
            codes.append(QString::number(e.index) + u':' + d.toObject().value("field"_L1).toString()
                         + u':' + d.toObject().value("code"_L1).toString());
    }
    return codes;
}

QList<QJsonObject> simpleRows(int from, int count)
{
    QList<QJsonObject> rows;
    rows.reserve(count);
    for (int i = from; i < from + count; ++i) {
        rows.append(QJsonObject{
            {"code"_L1, u"C%1"_s.arg(i)},
            {"name"_L1, u"Item number %1"_s.arg(i)},
            {"qty"_L1, i % 500},
            {"price"_L1, (i % 10000) / 100.0},
            {"active"_L1, i % 3 != 0},
            {"received"_L1,
             u"2024-%1-%2"_s.arg(1 + i % 12, 2, 10, QChar(u'0'))
                 .arg(1 + i % 28, 2, 10, QChar(u'0'))},
        });
    }
    return rows;
}

} // namespace

class TestStoreBulk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void bulkCreate();
    void bulkCreateIsAllOrNothing();
    void bulkCreateDuplicatesWithinTheBatch();
    void bulkCreateWithANonObject();
    void bulkUpdate();
    void bulkUpdateIsAllOrNothing();
    void bulkUpdateStaysInTheTenant();
    void bulkDelete();
    void bulkDeleteIsAllOrNothing();
    void bulkEmpty();
    void importSkipsInvalidRows();
    void importAllOrNothing();
    void importJoinsAnOuterTransaction();
    void importRate_data();
    void importRate();

private:
    qint64 count(const QString &resource, const QString &tenant = wardA);

    ServerSchema m_schema;
    const ResourceSpec *m_patients = nullptr;
    std::unique_ptr<RecordStore> m_store;
};

void TestStoreBulk::initTestCase()
{
    QLoggingCategory::setFilterRules(u"livedesk.server.store.info=false"_s);
    m_schema = storetest::schema();
    m_patients = m_schema.resourceByName(u"patients");
}

void TestStoreBulk::init()
{
    m_store = std::make_unique<RecordStore>(m_schema, u":memory:"_s);
    QVERIFY(m_store->open());
}

void TestStoreBulk::cleanup()
{
    m_store.reset();
}

qint64 TestStoreBulk::count(const QString &resource, const QString &tenant)
{
    const auto page = m_store->list(*m_schema.resourceByName(resource), tenant, ListQuery{});
    return page ? page.value().total : -1;
}

void TestStoreBulk::bulkCreate()
{
    const auto r = m_store->bulkCreate(
        *m_patients, wardA, nurse, QJsonArray{patient(u"A"_s), patient(u"B"_s), patient(u"C"_s)});
    QVERIFY(r);
    QCOMPARE(r.value().size(), 3);
    const QJsonObject first = r.value().first().toObject();
    QCOMPARE(first.value("hn"_L1), QJsonValue(u"A"_s));
    QCOMPARE(first.value("version"_L1), QJsonValue(1));
    QCOMPARE(first.value("sex"_L1), QJsonValue(u"unknown"_s));
    QCOMPARE(m_store->get(*m_patients, wardA, first.value("id"_L1).toInteger()).value(), first);
    // One timestamp for the whole operation.
    QCOMPARE(r.value().last().toObject().value("created_at"_L1), first.value("created_at"_L1));
    QCOMPARE(count(u"patients"_s), 3);
}

void TestStoreBulk::bulkCreateIsAllOrNothing()
{
    QVERIFY(m_store->create(*m_patients, wardA, nurse, patient(u"TAKEN"_s)));
    QJsonObject badEnum = patient(u"D"_s);
    badEnum.insert("sex"_L1, u"robot"_s);
    const auto r
        = m_store->bulkCreate(*m_patients, wardA, nurse,
                              QJsonArray{patient(u"A"_s), QJsonObject{{"name"_L1, u"no hn"_s}},
                                         patient(u"C"_s), badEnum, patient(u"TAKEN"_s)});
    QVERIFY(!r);
    // The first failing item decides the code; every failing item is listed.
    QCOMPARE(r.error().code(), u"VALIDATION_ERROR"_s);
    QCOMPARE(r.error().httpStatus(), 400);
    QCOMPARE(detailCodes(r.error()),
             QStringList({u"1:hn:REQUIRED"_s, u"3:sex:INVALID_ENUM"_s, u"4:hn:UNIQUE"_s}));
    QVERIFY2(r.error().message().contains(u"nothing was changed"_s),
             qPrintable(r.error().message()));
    QCOMPARE(count(u"patients"_s), 1); // A and C were rolled back

    // Only a duplicate: the duplicate's code.
    const auto dup = m_store->bulkCreate(*m_patients, wardA, nurse,
                                         QJsonArray{patient(u"A"_s), patient(u"TAKEN"_s)});
    QCOMPARE(dup.error().code(), u"DUPLICATE_ENTRY"_s);
    QCOMPARE(dup.error().httpStatus(), 409);
    QCOMPARE(detailCodes(dup.error()), QStringList{u"1:hn:UNIQUE"_s});
    QCOMPARE(count(u"patients"_s), 1);
}

void TestStoreBulk::bulkCreateDuplicatesWithinTheBatch()
{
    const auto r = m_store->bulkCreate(
        *m_patients, wardA, nurse,
        QJsonArray{patient(u"A"_s), patient(u"B"_s), patient(u"A"_s), patient(u"B"_s)});
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList({u"2:hn:UNIQUE"_s, u"3:hn:UNIQUE"_s}));
    QCOMPARE(count(u"patients"_s), 0);
}

void TestStoreBulk::bulkCreateWithANonObject()
{
    const auto r = m_store->bulkCreate(*m_patients, wardA, nurse, QJsonArray{patient(u"A"_s), 42});
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"BAD_REQUEST"_s);
    QCOMPARE(r.error().details().first().toObject().value("index"_L1).toInt(), 1);
    QCOMPARE(count(u"patients"_s), 0);
}

void TestStoreBulk::bulkUpdate()
{
    const auto created = m_store->bulkCreate(*m_patients, wardA, nurse,
                                             QJsonArray{patient(u"A"_s), patient(u"B"_s)});
    const qint64 a = created.value()[0].toObject().value("id"_L1).toInteger();
    const qint64 b = created.value()[1].toObject().value("id"_L1).toInteger();
    const auto r = m_store->bulkUpdate(
        *m_patients, wardA, u"u-doctor"_s,
        QJsonArray{QJsonObject{{"id"_L1, a}, {"ward"_L1, u"1A"_s}},
                   QJsonObject{{"id"_L1, QString::number(b)}, {"status"_L1, u"discharged"_s}}});
    QVERIFY(r);
    QCOMPARE(r.value().size(), 2);
    QCOMPARE(r.value()[0].toObject().value("ward"_L1), QJsonValue(u"1A"_s));
    QCOMPARE(r.value()[0].toObject().value("version"_L1), QJsonValue(2));
    QCOMPARE(r.value()[1].toObject().value("status"_L1), QJsonValue(u"discharged"_s));
    QCOMPARE(r.value()[1].toObject().value("updated_by"_L1), QJsonValue(u"u-doctor"_s));
    QCOMPARE(m_store->get(*m_patients, wardA, b).value(), r.value()[1].toObject());
}

void TestStoreBulk::bulkUpdateIsAllOrNothing()
{
    const auto created = m_store->bulkCreate(*m_patients, wardA, nurse,
                                             QJsonArray{patient(u"A"_s), patient(u"B"_s)});
    const QJsonObject a = created.value()[0].toObject();
    const QJsonObject b = created.value()[1].toObject();
    const qint64 ida = a.value("id"_L1).toInteger();
    const qint64 idb = b.value("id"_L1).toInteger();

    auto r = m_store->bulkUpdate(*m_patients, wardA, nurse,
                                 QJsonArray{QJsonObject{{"id"_L1, ida}, {"ward"_L1, u"1A"_s}},
                                            QJsonObject{{"id"_L1, 999}, {"ward"_L1, u"1A"_s}},
                                            QJsonObject{{"id"_L1, idb}, {"bed"_L1, u"x"_s}},
                                            QJsonObject{{"ward"_L1, u"no id"_s}},
                                            QJsonObject{{"id"_L1, idb}, {"hn"_L1, u"A"_s}}});
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"NOT_FOUND"_s); // item 1 failed first
    QCOMPARE(r.error().httpStatus(), 404);
    QCOMPARE(detailCodes(r.error()),
             QStringList({u"1:id:NOT_FOUND"_s, u"2:bed:INVALID_TYPE"_s, u"3:id:INVALID_TYPE"_s,
                          u"4:hn:UNIQUE"_s}));
    QCOMPARE(m_store->get(*m_patients, wardA, ida).value(), a); // item 0 rolled back
    QCOMPARE(m_store->get(*m_patients, wardA, idb).value(), b);

    // Swapping two unique values fails half way (a unique index is checked per row), and
    // leaves both as they were.
    r = m_store->bulkUpdate(*m_patients, wardA, nurse,
                            QJsonArray{QJsonObject{{"id"_L1, ida}, {"hn"_L1, u"B"_s}},
                                       QJsonObject{{"id"_L1, idb}, {"hn"_L1, u"A"_s}}});
    QCOMPARE(r.error().code(), u"DUPLICATE_ENTRY"_s);
    QCOMPARE(m_store->get(*m_patients, wardA, ida).value(), a);
}

void TestStoreBulk::bulkUpdateStaysInTheTenant()
{
    const qint64 other = m_store->create(*m_patients, wardB, nurse, patient(u"B"_s))
                             .value()
                             .value("id"_L1)
                             .toInteger();
    const auto r = m_store->bulkUpdate(
        *m_patients, wardA, nurse, QJsonArray{QJsonObject{{"id"_L1, other}, {"ward"_L1, u"x"_s}}});
    QCOMPARE(r.error().code(), u"NOT_FOUND"_s);
    QCOMPARE(m_store->get(*m_patients, wardB, other).value().value("ward"_L1),
             QJsonValue(QJsonValue::Null));
    QCOMPARE(m_store->bulkDelete(*m_patients, wardA, nurse, QJsonArray{other}).error().code(),
             u"NOT_FOUND"_s);
    QVERIFY(m_store->get(*m_patients, wardB, other));
}

void TestStoreBulk::bulkDelete()
{
    const auto created = m_store->bulkCreate(
        *m_patients, wardA, nurse, QJsonArray{patient(u"A"_s), patient(u"B"_s), patient(u"C"_s)});
    const QJsonObject a = created.value()[0].toObject();
    const QJsonObject c = created.value()[2].toObject();
    const auto r = m_store->bulkDelete(
        *m_patients, wardA, nurse,
        QJsonArray{a.value("id"_L1), QString::number(c.value("id"_L1).toInteger())});
    QVERIFY(r);
    QCOMPARE(r.value(), QJsonArray({a, c})); // the records as they were
    QCOMPARE(count(u"patients"_s), 1);
}

void TestStoreBulk::bulkDeleteIsAllOrNothing()
{
    const auto created = m_store->bulkCreate(*m_patients, wardA, nurse,
                                             QJsonArray{patient(u"A"_s), patient(u"B"_s)});
    const QJsonValue a = created.value()[0].toObject().value("id"_L1);
    const auto r
        = m_store->bulkDelete(*m_patients, wardA, nurse, QJsonArray{a, 999, u"x"_s, -1, 1.5, a});
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"NOT_FOUND"_s);
    QCOMPARE(detailCodes(r.error()),
             QStringList({u"1:id:NOT_FOUND"_s, u"2:id:INVALID_TYPE"_s, u"3:id:INVALID_TYPE"_s,
                          u"4:id:INVALID_TYPE"_s, u"5:id:NOT_FOUND"_s}));
    QCOMPARE(r.error().details().first().toObject().value("value"_L1), QJsonValue(999));
    QCOMPARE(count(u"patients"_s), 2);
}

void TestStoreBulk::bulkEmpty()
{
    QCOMPARE(m_store->bulkCreate(*m_patients, wardA, nurse, {}).value().size(), 0);
    QCOMPARE(m_store->bulkUpdate(*m_patients, wardA, nurse, {}).value().size(), 0);
    QCOMPARE(m_store->bulkDelete(*m_patients, wardA, nurse, {}).value().size(), 0);
}

void TestStoreBulk::importSkipsInvalidRows()
{
    QVERIFY(m_store->create(*m_patients, wardA, nurse, patient(u"TAKEN"_s)));
    // CSV cells turned into values the way an importer would.
    const QStringList header{u"hn"_s, u"name"_s, u"bed"_s, u"isolation"_s, u"date_of_birth"_s};
    const QList<QStringList> csv{
        {u"H1"_s, u"One"_s, u"1"_s, u"yes"_s, u"1980-01-01"_s},
        {u"H2"_s, u"Two"_s, u"two"_s, u"no"_s, u""_s},
        {u""_s, u"Three"_s, u"3"_s, u"maybe"_s, u"1980-02-30"_s},
        {u"TAKEN"_s, u"Four"_s, u""_s, u""_s, u""_s},
        {u"H1"_s, u"Five"_s, u""_s, u""_s, u""_s},
        {u"H6"_s, u"Six"_s, u"6"_s, u"0"_s, u"1990-12-31"_s},
    };
    QList<QJsonObject> rows;
    QList<QStringList> cellErrors;
    for (const QStringList &cells : csv) {
        QJsonObject row;
        QStringList errors;
        for (qsizetype c = 0; c < header.size(); ++c) {
            const auto v = RecordStore::coerceFromText(*m_patients->field(header[c]), cells[c]);
            if (v)
                row.insert(header[c], v.value());
            else
                errors.append(header[c]);
        }
        cellErrors.append(errors);
        rows.append(row);
    }
    QCOMPARE(cellErrors[1], QStringList{u"bed"_s});
    QCOMPARE(cellErrors[2], QStringList({u"isolation"_s, u"date_of_birth"_s}));
    rows[1].insert("bed"_L1, u"two"_s); // let the store refuse it as well

    const auto r = m_store->importRows(*m_patients, wardA, nurse, rows);
    QVERIFY(r);
    QCOMPARE(r.value().inserted, 2);
    QCOMPARE(r.value().ids.size(), 2);
    QCOMPARE(rowErrorCodes(r.value()),
             QStringList({u"1:bed:INVALID_TYPE"_s, u"2:hn:REQUIRED"_s, u"3:hn:UNIQUE"_s,
                          u"4:hn:UNIQUE"_s}));
    QCOMPARE(count(u"patients"_s), 3);
    const auto six = m_store->get(*m_patients, wardA, r.value().ids.last());
    QCOMPARE(six.value().value("hn"_L1), QJsonValue(u"H6"_s));
    QCOMPARE(six.value().value("bed"_L1), QJsonValue(6));
    QCOMPARE(six.value().value("isolation"_L1), QJsonValue(false));
    QCOMPARE(six.value().value("sex"_L1), QJsonValue(u"unknown"_s)); // defaults apply
}

void TestStoreBulk::importAllOrNothing()
{
    const QList<QJsonObject> rows{patient(u"A"_s), QJsonObject{{"name"_L1, u"x"_s}},
                                  patient(u"B"_s)};
    const auto r = m_store->importRows(*m_patients, wardA, nurse, rows,
                                       RecordStore::ImportMode::AllOrNothing);
    QVERIFY(r);
    QCOMPARE(r.value().inserted, 0);
    QVERIFY(r.value().ids.isEmpty());
    QCOMPARE(rowErrorCodes(r.value()), QStringList{u"1:hn:REQUIRED"_s});
    QCOMPARE(count(u"patients"_s), 0);

    const auto ok
        = m_store->importRows(*m_patients, wardA, nurse, {patient(u"A"_s), patient(u"B"_s)},
                              RecordStore::ImportMode::AllOrNothing);
    QCOMPARE(ok.value().inserted, 2);
    QCOMPARE(count(u"patients"_s), 2);
}

void TestStoreBulk::importJoinsAnOuterTransaction()
{
    // An import driver may keep its job row and the batch in one transaction.
    const bool committed = m_store->transaction([&] {
        const auto r = m_store->importRows(*m_patients, wardA, nurse, {patient(u"A"_s)});
        return r && r.value().inserted == 1 && false; // the driver changes its mind
    });
    QVERIFY(!committed);
    QCOMPARE(count(u"patients"_s), 0);
}

void TestStoreBulk::importRate_data()
{
    QTest::addColumn<bool>("onDisk");
    QTest::addColumn<int>("batch");
    QTest::newRow(":memory:, batches of 1000") << false << 1000;
    QTest::newRow(":memory:, batches of 10000") << false << 10000;
    QTest::newRow("file (WAL), batches of 1000") << true << 1000;
    QTest::newRow("file (WAL), batches of 10000") << true << 10000;
}

void TestStoreBulk::importRate()
{
    QFETCH(bool, onDisk);
    QFETCH(int, batch);
    constexpr int total = 100000;
    QTemporaryDir dir;
    RecordStore store(m_schema, onDisk ? dir.filePath(u"rate.sqlite"_s) : u":memory:"_s);
    QVERIFY(store.open());
    const ResourceSpec &simple = *m_schema.resourceByName(u"simple");
    QList<QList<QJsonObject>> batches;
    for (int from = 0; from < total; from += batch)
        batches.append(simpleRows(from, batch));

    QElapsedTimer timer;
    timer.start();
    int inserted = 0;
    for (const auto &rows : std::as_const(batches)) {
        const auto r = store.importRows(simple, wardA, nurse, rows);
        QVERIFY(r);
        QVERIFY(r.value().errors.isEmpty());
        inserted += r.value().inserted;
    }
    const qint64 ns = timer.nsecsElapsed();
    QCOMPARE(inserted, total);
    const double rate = total / (ns / 1e9);
    qInfo("importRows, 6-field resource, %s: %d rows in %.0f ms = %.0f rows/s",
          QTest::currentDataTag(), total, ns / 1e6, rate);

    ListQuery q;
    q.limit = 1;
    QCOMPARE(store.list(simple, wardA, q).value().total, total);
}

QTEST_GUILESS_MAIN(TestStoreBulk)
#include "tst_storebulk.moc"
