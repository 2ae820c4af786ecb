// SPDX-License-Identifier: MIT
// RecordStore: records round trip, versions and If-Match, tenant isolation, uniqueness, and
// that a refused write changes nothing; the file database across reopen (WAL), schema
// changes, transactions, and a store living in another thread.

#include "recordstore.h"
#include "storetestschema.h"

#include <QtCore/QFile>
#include <QtCore/QLoggingCategory>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk::server;

namespace {

const QString wardA = u"ward-a"_s;
const QString wardB = u"ward-b"_s;
const QString nurse = u"u-nurse"_s;
const QString doctor = u"u-doctor"_s;

QJsonObject patient(const QString &hn, const QString &name = u"Somchai"_s)
{
    return QJsonObject{{"hn"_L1, hn}, {"name"_L1, name}};
}

QString codeOf(const ApiError &e)
{
    return e.code();
}

QStringList detailCodes(const ApiError &e)
{
    QStringList codes;
    for (const QJsonValue d : e.details())
        codes.append(d.toObject().value("field"_L1).toString() + u':'
                     + d.toObject().value("code"_L1).toString());
    return codes;
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void createReturnsTheTypedRecord();
    void getReturnsWhatCreateReturned();
    void updateIsPartialAndCountsVersions();
    void updateThatChangesNothingKeepsTheVersion();
    void updateClearsWithNull();
    void updateIgnoresSystemFields();
    void nonEditableFields();
    void ifMatch();
    void removeReturnsTheRecord();
    void removeWithStaleVersion();
    void notFound();
    void badCalls();
    void tenantIsolation();
    void uniquePerTenant();
    void uniqueViolationChangesNothing();
    void uniqueTogetherWithOtherProblems();
    void updateToATakenValue();
    void nullsNeverCollide();
    void failedValidationChangesNothing();
    void fileDatabaseSurvivesReopen();
    void schemaChangesOnReopen();
    void foreignTableIsRefused();
    void transactionsNest();
    void metaValues();
    void storesAreIndependent();
    void storeInAnotherThread();

private:
    qint64 count(const QString &resource, const QString &tenant);
    std::unique_ptr<RecordStore> m_store;
    ServerSchema m_schema;
    const ResourceSpec *m_patients = nullptr;
};

void TestStore::initTestCase()
{
    QLoggingCategory::setFilterRules(u"livedesk.server.store.info=false"_s);
}

void TestStore::init()
{
    m_schema = storetest::schema();
    m_patients = m_schema.resourceByName(u"patients");
    m_store = std::make_unique<RecordStore>(m_schema, u":memory:"_s);
    QString error;
    QVERIFY2(m_store->open(&error), qPrintable(error));
}

void TestStore::cleanup()
{
    m_store.reset();
}

qint64 TestStore::count(const QString &resource, const QString &tenant)
{
    const auto page = m_store->list(*m_schema.resourceByName(resource), tenant, ListQuery{});
    return page ? page.value().total : -1;
}

void TestStore::createReturnsTheTypedRecord()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    QJsonObject body = patient(u"HN001"_s);
    body.insert("bed"_L1, 12);
    body.insert("weight_kg"_L1, 70.5);
    body.insert("isolation"_L1, true);
    body.insert("date_of_birth"_L1, u"1980-02-29"_s);
    body.insert("admitted_at"_L1, u"2024-05-01T08:30:00+07:00"_s);
    const auto r = m_store->create(*m_patients, wardA, nurse, body);
    QVERIFY2(r, r ? "" : qPrintable(r.error().message()));
    const QJsonObject rec = r.value();

    QVERIFY(rec.value("id"_L1).isDouble());
    QVERIFY(rec.value("id"_L1).toInteger() > 0);
    QCOMPARE(rec.value("version"_L1), QJsonValue(1));
    QCOMPARE(rec.value("hn"_L1), QJsonValue(u"HN001"_s));
    QCOMPARE(rec.value("bed"_L1), QJsonValue(12));
    QCOMPARE(rec.value("weight_kg"_L1), QJsonValue(70.5));
    QCOMPARE(rec.value("isolation"_L1), QJsonValue(true));
    QCOMPARE(rec.value("date_of_birth"_L1), QJsonValue(u"1980-02-29"_s));
    QCOMPARE(rec.value("admitted_at"_L1), QJsonValue(u"2024-05-01T01:30:00.000Z"_s));
    QCOMPARE(rec.value("sex"_L1), QJsonValue(u"unknown"_s)); // default
    QCOMPARE(rec.value("status"_L1), QJsonValue(u"admitted"_s));
    QCOMPARE(rec.value("ward"_L1), QJsonValue(QJsonValue::Null)); // absent → null, present
    QVERIFY(rec.contains("ward"_L1));
    QCOMPARE(rec.value("created_by"_L1), QJsonValue(nurse));
    QCOMPARE(rec.value("updated_by"_L1), QJsonValue(nurse));
    QVERIFY(!rec.contains("tenant"_L1));

    static const QRegularExpression iso(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"_s);
    QVERIFY2(iso.match(rec.value("created_at"_L1).toString()).hasMatch(),
             qPrintable(rec.value("created_at"_L1).toString()));
    QCOMPARE(rec.value("updated_at"_L1), rec.value("created_at"_L1));
    const QDateTime created
        = QDateTime::fromString(rec.value("created_at"_L1).toString(), Qt::ISODateWithMs);
    QVERIFY(created >= before);
    QVERIFY(created <= QDateTime::currentDateTimeUtc());

    // Every declared field and every system field, nothing else.
    QCOMPARE(rec.size(), m_patients->fields.size() + 6);
}

void TestStore::getReturnsWhatCreateReturned()
{
    QJsonObject body = patient(u"HN001"_s);
    body.insert("bed"_L1, 12);
    body.insert("isolation"_L1, false);
    body.insert("notes"_L1, u"ไข้สูง\n\"quoted\"; DROP TABLE patients; --"_s);
    const auto created = m_store->create(*m_patients, wardA, nurse, body);
    QVERIFY(created);
    const auto fetched
        = m_store->get(*m_patients, wardA, created.value().value("id"_L1).toInteger());
    QVERIFY(fetched);
    QCOMPARE(fetched.value(), created.value());
    // Anonymous writes store null authors.
    const auto anonymous = m_store->create(*m_patients, wardA, QString(), patient(u"HN002"_s));
    QVERIFY(anonymous);
    QCOMPARE(anonymous.value().value("created_by"_L1), QJsonValue(QJsonValue::Null));
    QCOMPARE(m_store->get(*m_patients, wardA, anonymous.value().value("id"_L1).toInteger())
                 .value()
                 .value("created_by"_L1),
             QJsonValue(QJsonValue::Null));
}

void TestStore::updateIsPartialAndCountsVersions()
{
    const auto created = m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s));
    const qint64 id = created.value().value("id"_L1).toInteger();
    QTest::qWait(3); // so that updated_at can differ from created_at

    auto r = m_store->update(*m_patients, wardA, doctor, id, QJsonObject{{"ward"_L1, u"3A"_s}});
    QVERIFY(r);
    QCOMPARE(r.value().value("version"_L1), QJsonValue(2));
    QCOMPARE(r.value().value("ward"_L1), QJsonValue(u"3A"_s));
    QCOMPARE(r.value().value("name"_L1), QJsonValue(u"Somchai"_s)); // untouched
    QCOMPARE(r.value().value("created_by"_L1), QJsonValue(nurse));
    QCOMPARE(r.value().value("updated_by"_L1), QJsonValue(doctor));
    QCOMPARE(r.value().value("created_at"_L1), created.value().value("created_at"_L1));
    QVERIFY(r.value().value("updated_at"_L1).toString()
            > created.value().value("updated_at"_L1).toString());
    QCOMPARE(m_store->get(*m_patients, wardA, id).value(), r.value());

    r = m_store->update(*m_patients, wardA, doctor, id,
                        QJsonObject{{"status"_L1, u"transferred"_s}, {"bed"_L1, 4}});
    QVERIFY(r);
    QCOMPARE(r.value().value("version"_L1), QJsonValue(3));
    QCOMPARE(r.value().value("ward"_L1), QJsonValue(u"3A"_s));
    QCOMPARE(r.value().value("bed"_L1), QJsonValue(4));

    // A refused update is not a version.
    QVERIFY(!m_store->update(*m_patients, wardA, doctor, id, QJsonObject{{"bed"_L1, u"x"_s}}));
    QCOMPARE(m_store->get(*m_patients, wardA, id).value().value("version"_L1), QJsonValue(3));
}

void TestStore::updateThatChangesNothingKeepsTheVersion()
{
    const auto created = m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s));
    const qint64 id = created.value().value("id"_L1).toInteger();
    // The whole record sent back unchanged, and an empty patch.
    auto r = m_store->update(*m_patients, wardA, doctor, id, created.value());
    QVERIFY(r);
    QCOMPARE(r.value(), created.value());
    r = m_store->update(*m_patients, wardA, doctor, id, QJsonObject{}, 1);
    QVERIFY(r);
    QCOMPARE(r.value().value("version"_L1), QJsonValue(1));
    QCOMPARE(r.value().value("updated_by"_L1), QJsonValue(nurse));
    // The same instant written differently is the same value.
    QVERIFY(m_store->update(*m_patients, wardA, doctor, id,
                            QJsonObject{{"admitted_at"_L1, u"2024-05-01T08:30:00+07:00"_s}}));
    r = m_store->update(*m_patients, wardA, doctor, id,
                        QJsonObject{{"admitted_at"_L1, u"2024-05-01T01:30:00Z"_s}});
    QCOMPARE(r.value().value("version"_L1), QJsonValue(2));
}

void TestStore::updateClearsWithNull()
{
    QJsonObject body = patient(u"HN001"_s);
    body.insert("ward"_L1, u"3A"_s);
    const qint64 id
        = m_store->create(*m_patients, wardA, nurse, body).value().value("id"_L1).toInteger();
    auto r
        = m_store->update(*m_patients, wardA, nurse, id,
                          QJsonObject{{"ward"_L1, QJsonValue::Null}, {"sex"_L1, QJsonValue::Null}});
    QVERIFY(r);
    QCOMPARE(r.value().value("ward"_L1), QJsonValue(QJsonValue::Null));
    QCOMPARE(r.value().value("sex"_L1), QJsonValue(QJsonValue::Null)); // no default on update
    QCOMPARE(m_store->get(*m_patients, wardA, id).value().value("ward"_L1),
             QJsonValue(QJsonValue::Null));

    r = m_store->update(*m_patients, wardA, nurse, id, QJsonObject{{"name"_L1, QJsonValue::Null}});
    QVERIFY(!r);
    QCOMPARE(detailCodes(r.error()), QStringList{u"name:REQUIRED"_s});
}

void TestStore::updateIgnoresSystemFields()
{
    const auto created = m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s));
    const qint64 id = created.value().value("id"_L1).toInteger();
    QJsonObject body = created.value();
    body.insert("id"_L1, 999);
    body.insert("version"_L1, 42);
    body.insert("created_by"_L1, u"mallory"_s);
    body.insert("tenant"_L1, wardB);
    body.insert("ward"_L1, u"5B"_s);
    const auto r = m_store->update(*m_patients, wardA, doctor, id, body);
    QVERIFY(r);
    QCOMPARE(r.value().value("id"_L1).toInteger(), id);
    QCOMPARE(r.value().value("version"_L1), QJsonValue(2));
    QCOMPARE(r.value().value("created_by"_L1), QJsonValue(nurse));
    QCOMPARE(r.value().value("ward"_L1), QJsonValue(u"5B"_s));
    QVERIFY(m_store->get(*m_patients, wardA, id));
    QVERIFY(!m_store->get(*m_patients, wardB, id));
    QVERIFY(!m_store->get(*m_patients, wardA, 999));
}

void TestStore::nonEditableFields()
{
    QJsonObject body = patient(u"HN001"_s);
    body.insert("source"_L1, u"his"_s);
    const auto created = m_store->create(*m_patients, wardA, nurse, body);
    QCOMPARE(created.value().value("source"_L1), QJsonValue(u"his"_s));
    const qint64 id = created.value().value("id"_L1).toInteger();

    auto r = m_store->update(*m_patients, wardA, nurse, id,
                             QJsonObject{{"source"_L1, u"csv"_s}, {"ward"_L1, u"1A"_s}});
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"VALIDATION_ERROR"_s);
    QCOMPARE(detailCodes(r.error()), QStringList{u"source:READ_ONLY"_s});
    QCOMPARE(m_store->get(*m_patients, wardA, id).value(), created.value());
    // The unchanged value may be sent along.
    r = m_store->update(*m_patients, wardA, nurse, id,
                        QJsonObject{{"source"_L1, u"his"_s}, {"ward"_L1, u"1A"_s}});
    QVERIFY(r);
    QCOMPARE(r.value().value("ward"_L1), QJsonValue(u"1A"_s));
}

void TestStore::ifMatch()
{
    const qint64 id = m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s))
                          .value()
                          .value("id"_L1)
                          .toInteger();
    auto r = m_store->update(*m_patients, wardA, nurse, id, QJsonObject{{"ward"_L1, u"1"_s}}, 1);
    QVERIFY(r);
    QCOMPARE(r.value().value("version"_L1), QJsonValue(2));

    // Someone else still holds version 1.
    r = m_store->update(*m_patients, wardA, doctor, id, QJsonObject{{"ward"_L1, u"2"_s}}, 1);
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"VERSION_CONFLICT"_s);
    QCOMPARE(r.error().httpStatus(), 409);
    const QJsonObject current = r.error().current();
    QCOMPARE(current.value("version"_L1), QJsonValue(2));
    QCOMPARE(current.value("ward"_L1), QJsonValue(u"1"_s));
    QCOMPARE(current, m_store->get(*m_patients, wardA, id).value());
    QCOMPARE(detailCodes(r.error()), QStringList{u"version:VERSION_CONFLICT"_s});
    QCOMPARE(r.error().details().first().toObject().value("value"_L1), QJsonValue(1));

    const QJsonObject envelope = r.error().toEnvelope();
    QCOMPARE(envelope.value("success"_L1), QJsonValue(false));
    const QJsonObject error = envelope.value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), u"VERSION_CONFLICT"_s);
    QCOMPARE(error.value("statusCode"_L1).toInt(), 409);
    QCOMPARE(error.value("current"_L1).toObject(), current);

    // A future version is as stale as a past one; an update that would change nothing is
    // still checked.
    QCOMPARE(codeOf(m_store->update(*m_patients, wardA, doctor, id, QJsonObject{}, 3).error()),
             u"VERSION_CONFLICT"_s);
    QVERIFY(m_store->update(*m_patients, wardA, doctor, id, QJsonObject{{"ward"_L1, u"2"_s}}, 2));
}

void TestStore::removeReturnsTheRecord()
{
    const auto created = m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s));
    const qint64 id = created.value().value("id"_L1).toInteger();
    const auto removed = m_store->remove(*m_patients, wardA, doctor, id, 1);
    QVERIFY(removed);
    QCOMPARE(removed.value(), created.value());
    QCOMPARE(codeOf(m_store->get(*m_patients, wardA, id).error()), u"NOT_FOUND"_s);
    QCOMPARE(codeOf(m_store->remove(*m_patients, wardA, doctor, id).error()), u"NOT_FOUND"_s);
    // Ids are not reused.
    const auto again = m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s));
    QVERIFY(again);
    QVERIFY(again.value().value("id"_L1).toInteger() > id);
}

void TestStore::removeWithStaleVersion()
{
    const qint64 id = m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s))
                          .value()
                          .value("id"_L1)
                          .toInteger();
    QVERIFY(m_store->update(*m_patients, wardA, nurse, id, QJsonObject{{"ward"_L1, u"1"_s}}));
    const auto r = m_store->remove(*m_patients, wardA, doctor, id, 1);
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"VERSION_CONFLICT"_s);
    QCOMPARE(r.error().current().value("version"_L1), QJsonValue(2));
    QVERIFY(m_store->get(*m_patients, wardA, id)); // still there
    QVERIFY(m_store->remove(*m_patients, wardA, doctor, id, 2));
}

void TestStore::notFound()
{
    for (const qint64 id : {qint64(1), qint64(0), qint64(-1), qint64(1) << 60}) {
        QCOMPARE(codeOf(m_store->get(*m_patients, wardA, id).error()), u"NOT_FOUND"_s);
        const auto r = m_store->update(*m_patients, wardA, nurse, id, QJsonObject{});
        QCOMPARE(r.error().code(), u"NOT_FOUND"_s);
        QCOMPARE(r.error().httpStatus(), 404);
        QCOMPARE(codeOf(m_store->remove(*m_patients, wardA, nurse, id).error()), u"NOT_FOUND"_s);
    }
    // NOT_FOUND wins over If-Match and over a bad body: there is nothing to compare with.
    QCOMPARE(
        codeOf(m_store->update(*m_patients, wardA, nurse, 5, QJsonObject{{"bed"_L1, u"x"_s}}, 3)
                   .error()),
        u"NOT_FOUND"_s);
}

void TestStore::badCalls()
{
    ResourceSpec unknown;
    unknown.name = u"nothing"_s;
    QCOMPARE(codeOf(m_store->get(unknown, wardA, 1).error()), u"NOT_FOUND"_s);
    QCOMPARE(codeOf(m_store->create(unknown, wardA, nurse, QJsonObject{}).error()), u"NOT_FOUND"_s);
    QCOMPARE(codeOf(m_store->list(unknown, wardA, {}).error()), u"NOT_FOUND"_s);
    const auto noTenant = m_store->create(*m_patients, QString(), nurse, patient(u"HN001"_s));
    QCOMPARE(noTenant.error().code(), u"BAD_REQUEST"_s);
    QCOMPARE(noTenant.error().httpStatus(), 400);
    QCOMPARE(count(u"patients"_s, wardA), 0);

    RecordStore closed(m_schema, u":memory:"_s);
    const auto r = closed.get(*m_patients, wardA, 1);
    QCOMPARE(r.error().code(), u"INTERNAL_ERROR"_s);
    QCOMPARE(r.error().httpStatus(), 500);
}

void TestStore::tenantIsolation()
{
    const auto a = m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s, u"A"_s));
    const auto b = m_store->create(*m_patients, wardB, nurse, patient(u"HN002"_s, u"B"_s));
    QVERIFY(a && b);
    const qint64 idB = b.value().value("id"_L1).toInteger();

    QCOMPARE(codeOf(m_store->get(*m_patients, wardA, idB).error()), u"NOT_FOUND"_s);
    QCOMPARE(
        codeOf(m_store->update(*m_patients, wardA, nurse, idB, QJsonObject{{"ward"_L1, u"x"_s}})
                   .error()),
        u"NOT_FOUND"_s);
    // Not even with the right version.
    QCOMPARE(codeOf(m_store->update(*m_patients, wardA, nurse, idB, QJsonObject{}, 1).error()),
             u"NOT_FOUND"_s);
    QCOMPARE(codeOf(m_store->remove(*m_patients, wardA, nurse, idB, 1).error()), u"NOT_FOUND"_s);
    QCOMPARE(m_store->get(*m_patients, wardB, idB).value(), b.value()); // untouched

    const auto listA = m_store->list(*m_patients, wardA, {});
    QCOMPARE(listA.value().total, 1);
    QCOMPARE(listA.value().rows.first().toObject().value("name"_L1), QJsonValue(u"A"_s));
    // Filters and searches cannot reach across either.
    ListQuery byId;
    byId.filters.append({u"id"_s, ListQuery::FilterOp::Equals, QJsonArray{idB}});
    QCOMPARE(m_store->list(*m_patients, wardA, byId).value().total, 0);
    ListQuery search;
    search.search = u"B"_s;
    QCOMPARE(m_store->list(*m_patients, wardA, search).value().total, 0);
    QCOMPARE(m_store->list(*m_patients, u"ward-c"_s, {}).value().total, 0);
}

void TestStore::uniquePerTenant()
{
    QVERIFY(m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s)));
    QVERIFY(m_store->create(*m_patients, wardB, nurse, patient(u"HN001"_s)));
    QVERIFY(!m_store->create(*m_patients, wardB, nurse, patient(u"HN001"_s)));
    // Case matters: HN001 and hn001 are different values.
    QVERIFY(m_store->create(*m_patients, wardA, nurse, patient(u"hn001"_s)));
    QCOMPARE(count(u"patients"_s, wardA), 2);
    QCOMPARE(count(u"patients"_s, wardB), 1);
}

void TestStore::uniqueViolationChangesNothing()
{
    const auto first = m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s));
    QVERIFY(first);
    const auto r = m_store->create(*m_patients, wardA, doctor, patient(u"HN001"_s, u"Other"_s));
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"DUPLICATE_ENTRY"_s);
    QCOMPARE(r.error().httpStatus(), 409);
    QCOMPARE(detailCodes(r.error()), QStringList{u"hn:UNIQUE"_s});
    QCOMPARE(r.error().details().first().toObject().value("value"_L1), QJsonValue(u"HN001"_s));
    QVERIFY(r.error().message().contains(u"HN001"_s));
    QCOMPARE(count(u"patients"_s, wardA), 1);
    QCOMPARE(m_store->get(*m_patients, wardA, first.value().value("id"_L1).toInteger()).value(),
             first.value());

    // Two unique fields taken at once: both are reported.
    QJsonObject withMrn = patient(u"HN002"_s);
    withMrn.insert("mrn"_L1, u"M1"_s);
    QVERIFY(m_store->create(*m_patients, wardA, nurse, withMrn));
    QJsonObject both = patient(u"HN001"_s);
    both.insert("mrn"_L1, u"M1"_s);
    const auto r2 = m_store->create(*m_patients, wardA, nurse, both);
    QCOMPARE(detailCodes(r2.error()), QStringList({u"hn:UNIQUE"_s, u"mrn:UNIQUE"_s}));
    QCOMPARE(count(u"patients"_s, wardA), 2);
}

void TestStore::uniqueTogetherWithOtherProblems()
{
    QVERIFY(m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s)));
    QJsonObject body = patient(u"HN001"_s);
    body.insert("sex"_L1, u"robot"_s);
    const auto r = m_store->create(*m_patients, wardA, nurse, body);
    QCOMPARE(r.error().code(), u"VALIDATION_ERROR"_s);
    QCOMPARE(r.error().httpStatus(), 400);
    QCOMPARE(detailCodes(r.error()), QStringList({u"sex:INVALID_ENUM"_s, u"hn:UNIQUE"_s}));
}

void TestStore::updateToATakenValue()
{
    QVERIFY(m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s)));
    const auto second = m_store->create(*m_patients, wardA, nurse, patient(u"HN002"_s));
    const qint64 id = second.value().value("id"_L1).toInteger();
    const auto r = m_store->update(*m_patients, wardA, doctor, id,
                                   QJsonObject{{"hn"_L1, u"HN001"_s}, {"ward"_L1, u"9"_s}});
    QCOMPARE(r.error().code(), u"DUPLICATE_ENTRY"_s);
    QCOMPARE(detailCodes(r.error()), QStringList{u"hn:UNIQUE"_s});
    QCOMPARE(m_store->get(*m_patients, wardA, id).value(), second.value()); // ward not written
    // Keeping one's own value is no collision.
    QVERIFY(m_store->update(*m_patients, wardA, doctor, id,
                            QJsonObject{{"hn"_L1, u"HN002"_s}, {"ward"_L1, u"9"_s}}));
}

void TestStore::nullsNeverCollide()
{
    // mrn is unique but optional: any number of records may leave it empty.
    for (int i = 0; i < 3; ++i)
        QVERIFY(m_store->create(*m_patients, wardA, nurse, patient(u"HN%1"_s.arg(i))));
    QCOMPARE(count(u"patients"_s, wardA), 3);
}

void TestStore::failedValidationChangesNothing()
{
    QVERIFY(!m_store->create(*m_patients, wardA, nurse, QJsonObject{{"name"_L1, u"x"_s}}));
    QVERIFY(!m_store->create(*m_patients, wardA, nurse,
                             QJsonObject{{"hn"_L1, u"1"_s}, {"name"_L1, u"x"_s}, {"bed"_L1, 1.5}}));
    QCOMPARE(count(u"patients"_s, wardA), 0);
    // Not even the id sequence moved.
    const auto r = m_store->create(*m_patients, wardA, nurse, patient(u"HN1"_s));
    QCOMPARE(r.value().value("id"_L1), QJsonValue(1));
}

void TestStore::fileDatabaseSurvivesReopen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"data/livedesk.sqlite"_s); // the directory is created
    qint64 id = 0;
    QJsonObject record;
    {
        RecordStore store(m_schema, path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QVERIFY(QFile::exists(path));
        QSqlQuery q(store.database());
        QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
        QCOMPARE(q.value(0).toString(), u"wal"_s);
        q.finish();
        const auto created = store.create(*m_patients, wardA, nurse, patient(u"HN001"_s));
        QVERIFY(created);
        id = created.value().value("id"_L1).toInteger();
        record = store.update(*m_patients, wardA, nurse, id, QJsonObject{{"ward"_L1, u"2B"_s}})
                     .value();
        QVERIFY(QFile::exists(path + u"-wal"_s));
    }
    {
        RecordStore store(m_schema, path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QCOMPARE(store.get(*m_patients, wardA, id).value(), record);
        QCOMPARE(store.metaValue(u"schema.name"_s), u"clinical"_s);
        // Unique indexes survive too.
        QCOMPARE(store.create(*m_patients, wardA, nurse, patient(u"HN001"_s)).error().code(),
                 u"DUPLICATE_ENTRY"_s);
    }
}

void TestStore::schemaChangesOnReopen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_s);
    {
        RecordStore store(m_schema, path);
        QVERIFY(store.open());
        QVERIFY(store.create(*m_patients, wardA, nurse, patient(u"HN001"_s)));
        QJsonObject body = patient(u"HN002"_s);
        body.insert("mrn"_L1, u"M1"_s);
        QVERIFY(store.create(*m_patients, wardA, nurse, body));
    }
    // A new field, and mrn no longer unique.
    QJsonObject json = storetest::schemaJson();
    QJsonArray resources = json.value("resources"_L1).toArray();
    QJsonObject p = resources.first().toObject();
    QJsonArray fields = p.value("fields"_L1).toArray();
    for (qsizetype i = 0; i < fields.size(); ++i) {
        QJsonObject f = fields[i].toObject();
        if (f.value("name"_L1) == u"mrn"_s) {
            f.remove("unique"_L1);
            fields[i] = f;
        }
    }
    fields.append(QJsonObject{{"name"_L1, u"allergies"_s}, {"type"_L1, u"text"_s}});
    p.insert("fields"_L1, fields);
    resources[0] = p;
    json.insert("resources"_L1, resources);
    ServerSchema changed;
    QString error;
    QVERIFY2(ServerSchema::fromJson(json, &changed, &error), qPrintable(error));
    const ResourceSpec &patients2 = *changed.resourceByName(u"patients");

    RecordStore store(changed, path);
    QVERIFY2(store.open(&error), qPrintable(error));
    const auto old = store.get(patients2, wardA, 1);
    QVERIFY(old);
    QCOMPARE(old.value().value("allergies"_L1), QJsonValue(QJsonValue::Null));
    QJsonObject body = patient(u"HN003"_s);
    body.insert("mrn"_L1, u"M1"_s);
    body.insert("allergies"_L1, u"penicillin"_s);
    const auto r = store.create(patients2, wardA, nurse, body);
    QVERIFY2(r, r ? "" : qPrintable(r.error().message()));
    QCOMPARE(r.value().value("allergies"_L1), QJsonValue(u"penicillin"_s));
}

void TestStore::foreignTableIsRefused()
{
    // A table of the resource's name that the store did not make is not taken over.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_s);
    {
        RecordStore probe(m_schema, path);
        QVERIFY(probe.open());
        QSqlQuery q(probe.database());
        QVERIFY(q.exec(u"DROP TABLE \"stock\""_s));
        QVERIFY(q.exec(u"CREATE TABLE \"stock\" (\"sku\" TEXT)"_s));
    }
    RecordStore store(m_schema, path);
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"not made by livedesk"_s));
    QVERIFY(!store.open(&error));
    QVERIFY2(error.contains(u"not made by livedesk"_s), qPrintable(error));
    QVERIFY(!store.isOpen());
}

void TestStore::transactionsNest()
{
    // An outer transaction that fails takes the store operations inside it along.
    bool ok = m_store->transaction([&] {
        if (!m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s)))
            return false;
        const bool inner = m_store->transaction(
            [&] { return bool(m_store->create(*m_patients, wardA, nurse, patient(u"HN002"_s))); });
        return inner && false;
    });
    QVERIFY(!ok);
    QCOMPARE(count(u"patients"_s, wardA), 0);

    // A failing inner savepoint does not doom the outer transaction.
    ok = m_store->transaction([&] {
        if (!m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s)))
            return false;
        const bool inner = m_store->transaction([&] {
            m_store->create(*m_patients, wardA, nurse, patient(u"HN002"_s));
            return false;
        });
        return !inner;
    });
    QVERIFY(ok);
    QCOMPARE(count(u"patients"_s, wardA), 1);
    QVERIFY(!m_store->inTransaction());

    // An exception rolls back and propagates.
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, m_store->transaction([&]() -> bool {
        m_store->create(*m_patients, wardA, nurse, patient(u"HN009"_s));
        throw std::runtime_error("boom");
    }));
    QVERIFY(!m_store->inTransaction());
    QCOMPARE(count(u"patients"_s, wardA), 1);
    QVERIFY(m_store->create(*m_patients, wardA, nurse, patient(u"HN009"_s)));
}

void TestStore::metaValues()
{
    QCOMPARE(m_store->metaValue(u"schema.name"_s), u"clinical"_s);
    QCOMPARE(m_store->metaValue(u"schema.version"_s), u"1"_s);
    QCOMPARE(m_store->metaValue(u"nope"_s, u"fallback"_s), u"fallback"_s);
    QVERIFY(m_store->setMetaValue(u"k"_s, u"v1"_s));
    QVERIFY(m_store->setMetaValue(u"k"_s, u"v2"_s));
    QCOMPARE(m_store->metaValue(u"k"_s), u"v2"_s);
}

void TestStore::storesAreIndependent()
{
    RecordStore other(m_schema, u":memory:"_s);
    QVERIFY(other.open());
    QVERIFY(m_store->create(*m_patients, wardA, nurse, patient(u"HN001"_s)));
    QVERIFY(other.create(*m_patients, wardA, nurse, patient(u"HN001"_s)));
    QCOMPARE(count(u"patients"_s, wardA), 1);
    QVERIFY(other.database().connectionName() != m_store->database().connectionName());
}

void TestStore::storeInAnotherThread()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"threaded.sqlite"_s);
    QString failure;
    qint64 created = 0;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        RecordStore store(m_schema, path);
        QString error;
        if (!store.open(&error)) {
            failure = error;
            return;
        }
        for (int i = 0; i < 10; ++i) {
            if (store.create(*m_patients, wardA, nurse, patient(u"T%1"_s.arg(i))))
                ++created;
        }
    }));
    thread->start();
    QVERIFY(thread->wait(10000));
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QCOMPARE(created, 10);
    // And the data is there for a store in this thread.
    RecordStore store(m_schema, path);
    QVERIFY(store.open());
    QCOMPARE(store.list(*m_patients, wardA, {}).value().total, 10);
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
