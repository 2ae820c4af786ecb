// SPDX-License-Identifier: MIT
// Every AegisX event dialect of docs/protocol.md, with realistic payloads, into RealtimeEvent; and
// the shapes that must be reported rather than guessed at.

#include "eventargs.h"
#include "events/eventdecoder.h"
#include "events/realtimeevent.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::EventArgs;
using livedesk::EventDecoder;
using livedesk::RealtimeEvent;
using Dialect = RealtimeEvent::Dialect;
using Priority = RealtimeEvent::Priority;

Q_DECLARE_METATYPE(RealtimeEvent::Dialect)
Q_DECLARE_METATYPE(RealtimeEvent::Priority)

namespace {

QJsonArray args(const QString &jsonArray)
{
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(jsonArray.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        qFatal("bad JSON array in test data: %s", qPrintable(jsonArray));
    return doc.array();
}

// The arguments as SocketIoClient hands them over: the packet's text, scanned.
EventArgs received(const QString &name, const QString &jsonArray)
{
    const QString rest = jsonArray.trimmed().mid(1);
    const QString payload
        = u"[\""_s + name + u'"' + (rest.trimmed() == u"]" ? u""_s : u","_s) + rest;
    EventArgs out;
    QString scannedName, error;
    if (!EventArgs::scan(payload.toUtf8(), &out, &scannedName, &error) || scannedName != name)
        qFatal("cannot scan test data: %s", qPrintable(payload));
    return out;
}

QString compact(const QJsonValue &v)
{
    if (v.isUndefined())
        return u"undefined"_s;
    const auto wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Realistic pieces, reused across rows. Meta as AegisX's WebSocket event service sends it.
const auto kMeta = u"{\"timestamp\":\"2024-03-05T08:15:30.123Z\",\"userId\":"
                   "\"7d1f0c52-3b8e-4f5a-9c61-2f0e8a4b9d10\",\"sessionId\":\"sess-4f9c2a\","
                   "\"featureVersion\":\"v1\",\"priority\":\"normal\"}"_s;
const auto kUser = u"{\"id\":\"8f14e45f-ceea-467f-a0e6-0d1b3b1a9c1e\",\"email\":"
                   "\"s.kittisak@hospital.example\",\"firstName\":\"Somchai\",\"lastName\":"
                   "\"Kittisak\",\"role\":\"nurse\",\"isActive\":true}"_s;
const auto kProgress = u"{\"jobId\":\"job-7f3a\",\"sessionId\":\"imp-2024-03-05-01\",\"status\":"
                       "\"processing\",\"progress\":40,\"totalRecords\":250,\"processedRecords\":"
                       "100,\"successCount\":97,\"failedCount\":3,\"error\":null}"_s;
const auto kOperationData = u"{\"operationId\":\"op-42\",\"operationType\":\"patient-import\","
                            "\"stage\":\"validating\",\"percentage\":35,\"message\":"
                            "\"Validating rows\"}"_s;

QString envelope(const QString &feature, const QString &entity, const QString &action,
                 const QString &data, const QString &meta = kMeta)
{
    return u"[{\"feature\":\"%1\",\"entity\":\"%2\",\"action\":\"%3\",\"data\":%4,\"meta\":%5}]"_s
        .arg(feature, entity, action, data, meta);
}

} // namespace

class TestEventDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data();
    void decode();
    void envelopeMeta();
    void metaExtensions_data();
    void metaExtensions();
    void priority_data();
    void priority();
    void timestamp_data();
    void timestamp();
    void rejected_data();
    void rejected();
    void rejectedWithoutErrorPointer();
    void normalizeAction_data();
    void normalizeAction();
    void isControlEvent_data();
    void isControlEvent();
    void toJson_data();
    void toJson();
    void names();
    void textAndTreeAgree_data();
    void textAndTreeAgree();
};

void TestEventDecoder::decode_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("args");
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<QString>("feature");
    QTest::addColumn<QString>("entity");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QString>("operationId");
    QTest::addColumn<QStringList>("refreshTargets");
    QTest::addColumn<QString>("userId");
    /// Compact JSON of RealtimeEvent::data.
    QTest::addColumn<QString>("data");

    const QString metaUser = u"7d1f0c52-3b8e-4f5a-9c61-2f0e8a4b9d10"_s;
    const QString userId = u"8f14e45f-ceea-467f-a0e6-0d1b3b1a9c1e"_s;
    const QStringList none;
    const auto row
        = [&](const char *tag, const QString &name, const QString &args, Dialect dialect,
              const QString &feature, const QString &entity, const QString &action,
              const QStringList &ids, const QString &operationId, const QStringList &refreshTargets,
              const QString &user, const QString &data) {
              QTest::newRow(tag) << name << args << dialect << feature << entity << action << ids
                                 << operationId << refreshTargets << user
                                 << compact(data.isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                                           : ::args(u'[' + data + u']').at(0));
          };

    // --- feature.entity.action envelopes ------------------------------------------------
    row("users.user.created", u"users.user.created"_s,
        envelope(u"users"_s, u"user"_s, u"created"_s, kUser), Dialect::Envelope, u"users"_s,
        u"user"_s, u"created"_s, {userId}, {}, none, metaUser, kUser);
    row("users.user.updated integer id", u"users.user.updated"_s,
        envelope(u"users"_s, u"user"_s, u"updated"_s, u"{\"id\":42,\"role\":\"doctor\"}"_s),
        Dialect::Envelope, u"users"_s, u"user"_s, u"updated"_s, {u"42"_s}, {}, none, metaUser,
        u"{\"id\":42,\"role\":\"doctor\"}"_s);
    row("budget-plans deleted string id", u"budget-plans.budget-plans.deleted"_s,
        envelope(u"budget-plans"_s, u"budget-plans"_s, u"deleted"_s, u"{\"id\":\"42\"}"_s),
        Dialect::Envelope, u"budget-plans"_s, u"budget-plans"_s, u"deleted"_s, {u"42"_s}, {}, none,
        metaUser, u"{\"id\":\"42\"}"_s);
    row("budget-plans deleted integer id", u"budget-plans.budget-plans.deleted"_s,
        envelope(u"budget-plans"_s, u"budget-plans"_s, u"deleted"_s, u"{\"id\":42}"_s),
        Dialect::Envelope, u"budget-plans"_s, u"budget-plans"_s, u"deleted"_s, {u"42"_s}, {}, none,
        metaUser, u"{\"id\":42}"_s);
    row("large integer id", u"orders.order.deleted"_s,
        envelope(u"orders"_s, u"order"_s, u"deleted"_s, u"{\"id\":1234567890123}"_s),
        Dialect::Envelope, u"orders"_s, u"order"_s, u"deleted"_s, {u"1234567890123"_s}, {}, none,
        metaUser, u"{\"id\":1234567890123}"_s);
    row("record list", u"patients.patient.updated"_s,
        envelope(u"patients"_s, u"patient"_s, u"updated"_s,
                 u"[{\"id\":1,\"hn\":\"HN0001\"},{\"id\":2,\"hn\":\"HN0002\"}]"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"updated"_s, {u"1"_s, u"2"_s}, {}, none,
        metaUser, u"[{\"id\":1,\"hn\":\"HN0001\"},{\"id\":2,\"hn\":\"HN0002\"}]"_s);
    row("activated", u"patients.patient.activated"_s,
        envelope(u"patients"_s, u"patient"_s, u"activated"_s,
                 u"{\"id\":\"p-1\",\"isActive\":true}"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"activated"_s, {u"p-1"_s}, {}, none,
        metaUser, u"{\"id\":\"p-1\",\"isActive\":true}"_s);
    row("deactivated", u"patients.patient.deactivated"_s,
        envelope(u"patients"_s, u"patient"_s, u"deactivated"_s,
                 u"{\"id\":\"p-1\",\"isActive\":false}"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"deactivated"_s, {u"p-1"_s}, {}, none,
        metaUser, u"{\"id\":\"p-1\",\"isActive\":false}"_s);
    row("status_changed", u"admissions.admission.status_changed"_s,
        envelope(u"admissions"_s, u"admission"_s, u"status_changed"_s,
                 u"{\"id\":\"a-9\",\"status\":\"discharged\",\"previousStatus\":\"admitted\"}"_s),
        Dialect::Envelope, u"admissions"_s, u"admission"_s, u"status_changed"_s, {u"a-9"_s}, {},
        none, metaUser,
        u"{\"id\":\"a-9\",\"previousStatus\":\"admitted\",\"status\":\"discharged\"}"_s);
    row("lock_acquired", u"patients.patient.lock_acquired"_s,
        envelope(u"patients"_s, u"patient"_s, u"lock_acquired"_s,
                 u"{\"id\":15,\"userId\":\"u-9\"}"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"lock_acquired"_s, {u"15"_s}, {}, none,
        metaUser, u"{\"id\":15,\"userId\":\"u-9\"}"_s);
    row("lock_released", u"patients.patient.lock_released"_s,
        envelope(u"patients"_s, u"patient"_s, u"lock_released"_s,
                 u"{\"id\":15,\"userId\":\"u-9\"}"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"lock_released"_s, {u"15"_s}, {}, none,
        metaUser, u"{\"id\":15,\"userId\":\"u-9\"}"_s);
    row("conflict_detected", u"patients.patient.conflict_detected"_s,
        envelope(u"patients"_s, u"patient"_s, u"conflict_detected"_s,
                 u"{\"id\":\"p-1\",\"field\":\"ward\"}"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"conflict_detected"_s, {u"p-1"_s}, {},
        none, metaUser, u"{\"field\":\"ward\",\"id\":\"p-1\"}"_s);
    row("bulk_started", u"patients.patient.bulk_started"_s,
        envelope(
            u"patients"_s, u"patient"_s, u"bulk_started"_s,
            u"{\"operationId\":\"bulk-20240305-001\",\"total\":120,\"operation\":\"update\"}"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"bulk_started"_s, none,
        u"bulk-20240305-001"_s, none, metaUser,
        u"{\"operation\":\"update\",\"operationId\":\"bulk-20240305-001\",\"total\":120}"_s);
    row("bulk_progress", u"patients.patient.bulk_progress"_s,
        envelope(u"patients"_s, u"patient"_s, u"bulk_progress"_s,
                 u"{\"operationId\":\"bulk-20240305-001\",\"progress\":{\"total\":120,"
                 "\"completed\":60,\"failed\":1,\"percentage\":50}}"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"bulk_progress"_s, none,
        u"bulk-20240305-001"_s, none, metaUser,
        u"{\"operationId\":\"bulk-20240305-001\",\"progress\":{\"completed\":60,\"failed\":1,"
        "\"percentage\":50,\"total\":120}}"_s);
    row("bulk_completed", u"patients.patient.bulk_completed"_s,
        envelope(u"patients"_s, u"patient"_s, u"bulk_completed"_s,
                 u"{\"operationId\":\"bulk-20240305-001\",\"results\":{\"successful\":118,"
                 "\"failed\":2}}"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"bulk_completed"_s, none,
        u"bulk-20240305-001"_s, none, metaUser,
        u"{\"operationId\":\"bulk-20240305-001\",\"results\":{\"failed\":2,\"successful\":118}}"_s);
    row("bulk_deleted envelope keeps ids", u"patients.patient.bulk_deleted"_s,
        envelope(u"patients"_s, u"patient"_s, u"bulk_deleted"_s,
                 u"{\"operationId\":\"op-5\",\"ids\":[5,\"6\"]}"_s),
        Dialect::Envelope, u"patients"_s, u"patient"_s, u"bulk_deleted"_s, {u"5"_s, u"6"_s},
        u"op-5"_s, none, metaUser, u"{\"ids\":[5,\"6\"],\"operationId\":\"op-5\"}"_s);
    row("envelope with meta only", u"wards.ward.updated"_s, u"[{\"meta\":%1}]"_s.arg(kMeta),
        Dialect::Envelope, u"wards"_s, u"ward"_s, u"updated"_s, none, {}, none, metaUser, {});

    // --- <camelModule>.import.progress --------------------------------------------------
    row("import progress bare", u"patients.import.progress"_s, u'[' + kProgress + u']',
        Dialect::ImportProgress, u"patients"_s, u"import"_s, u"import_progress"_s, none,
        u"job-7f3a"_s, none, {}, kProgress);
    row("import progress envelope", u"patients.import.progress"_s,
        envelope(u"patients"_s, u"import"_s, u"progress"_s, kProgress), Dialect::ImportProgress,
        u"patients"_s, u"import"_s, u"import_progress"_s, none, u"job-7f3a"_s, none, metaUser,
        kProgress);
    row("import progress camelModule completed", u"budgetPlans.import.progress"_s,
        u"[{\"jobId\":\"job-1\",\"sessionId\":\"s\",\"status\":\"completed\",\"progress\":100,"
        "\"totalRecords\":10,\"processedRecords\":10,\"successCount\":10,\"failedCount\":0,"
        "\"error\":null}]"_s,
        Dialect::ImportProgress, u"budgetPlans"_s, u"import"_s, u"import_progress"_s, none,
        u"job-1"_s, none, {},
        u"{\"error\":null,\"failedCount\":0,\"jobId\":\"job-1\",\"processedRecords\":10,"
        "\"progress\":100,\"sessionId\":\"s\",\"status\":\"completed\",\"successCount\":10,"
        "\"totalRecords\":10}"_s);
    row("import progress integer jobId failed", u"drugCatalog.import.progress"_s,
        u"[{\"jobId\":77,\"status\":\"failed\",\"error\":\"Row 12: invalid date\"}]"_s,
        Dialect::ImportProgress, u"drugCatalog"_s, u"import"_s, u"import_progress"_s, none, u"77"_s,
        none, {}, u"{\"error\":\"Row 12: invalid date\",\"jobId\":77,\"status\":\"failed\"}"_s);

    // --- <camelModule>.bulk.bulk* ---------------------------------------------------------
    row("bulkCreated", u"patients.bulk.bulkCreated"_s,
        u"[{\"count\":2,\"items\":[{\"id\":1,\"hn\":\"HN0001\"},{\"id\":2,\"hn\":\"HN0002\"}]}]"_s,
        Dialect::GeneratedBulk, u"patients"_s, u"patients"_s, u"bulk_created"_s, {u"1"_s, u"2"_s},
        {}, none, {},
        u"{\"count\":2,\"items\":[{\"hn\":\"HN0001\",\"id\":1},{\"hn\":\"HN0002\",\"id\":2}]}"_s);
    row("bulkUpdated", u"patients.bulk.bulkUpdated"_s,
        u"[{\"count\":2,\"items\":[{\"id\":\"a1\"},{\"id\":\"b2\"}]}]"_s, Dialect::GeneratedBulk,
        u"patients"_s, u"patients"_s, u"bulk_updated"_s, {u"a1"_s, u"b2"_s}, {}, none, {},
        u"{\"count\":2,\"items\":[{\"id\":\"a1\"},{\"id\":\"b2\"}]}"_s);
    row("bulkDeleted mixed ids", u"patients.bulk.bulkDeleted"_s,
        u"[{\"count\":2,\"ids\":[3,\"4\"]}]"_s, Dialect::GeneratedBulk, u"patients"_s,
        u"patients"_s, u"bulk_deleted"_s, {u"3"_s, u"4"_s}, {}, none, {},
        u"{\"count\":2,\"ids\":[3,\"4\"]}"_s);
    row("bulkDeleted in envelope", u"patients.bulk.bulkDeleted"_s,
        u"[{\"data\":{\"count\":2,\"ids\":[3,\"4\"]},\"meta\":%1}]"_s.arg(kMeta),
        Dialect::GeneratedBulk, u"patients"_s, u"patients"_s, u"bulk_deleted"_s, {u"3"_s, u"4"_s},
        {}, none, metaUser, u"{\"count\":2,\"ids\":[3,\"4\"]}"_s);
    row("bulkCreated camelModule", u"drugCatalog.bulk.bulkCreated"_s,
        u"[{\"count\":1,\"items\":[{\"id\":\"d-1\"}]}]"_s, Dialect::GeneratedBulk, u"drugCatalog"_s,
        u"drugCatalog"_s, u"bulk_created"_s, {u"d-1"_s}, {}, none, {},
        u"{\"count\":1,\"items\":[{\"id\":\"d-1\"}]}"_s);

    // --- resource:action (older dialect) ------------------------------------------------
    const auto product = u"{\"id\":501,\"sku\":\"NSS-1000\",\"name\":\"NSS 0.9% 1000 ml\"}"_s;
    const auto productSorted = u"{\"id\":501,\"name\":\"NSS 0.9% 1000 ml\",\"sku\":\"NSS-1000\"}"_s;
    row("products:created", u"products:created"_s,
        u"[{\"type\":\"created\",\"resource\":\"products\",\"data\":%1,\"timestamp\":"
        "\"2024-03-05T08:15:30.123Z\",\"user\":{\"id\":\"u-3\",\"email\":\"rx@hospital.example\"}}]"_s
            .arg(product),
        Dialect::ResourceColon, u"products"_s, u"products"_s, u"created"_s, {u"501"_s}, {}, none,
        u"u-3"_s, productSorted);
    row("products:updated singular resource, user string", u"products:updated"_s,
        u"[{\"type\":\"updated\",\"resource\":\"product\",\"data\":%1,\"timestamp\":"
        "1709626530123,\"user\":\"u-3\"}]"_s.arg(product),
        Dialect::ResourceColon, u"products"_s, u"product"_s, u"updated"_s, {u"501"_s}, {}, none,
        u"u-3"_s, productSorted);
    row("products:deleted", u"products:deleted"_s,
        u"[{\"type\":\"deleted\",\"resource\":\"products\",\"id\":501,\"timestamp\":"
        "\"2024-03-05T08:15:30.123Z\",\"user\":{\"id\":\"u-3\"}}]"_s,
        Dialect::ResourceColon, u"products"_s, u"products"_s, u"deleted"_s, {u"501"_s}, {}, none,
        u"u-3"_s, u"{\"id\":501}"_s);
    row("products:bulk-deleted", u"products:bulk-deleted"_s,
        u"[{\"type\":\"bulk-deleted\",\"resource\":\"products\",\"ids\":[501,\"502\"],"
        "\"timestamp\":\"2024-03-05T08:15:30.123Z\",\"user\":{\"id\":\"u-3\"}}]"_s,
        Dialect::ResourceColon, u"products"_s, u"products"_s, u"bulk_deleted"_s,
        {u"501"_s, u"502"_s}, {}, none, u"u-3"_s, u"{\"ids\":[501,\"502\"]}"_s);
    row("products:import-progress", u"products:import-progress"_s,
        u"[{\"type\":\"import-progress\",\"resource\":\"products\",\"data\":{\"jobId\":"
        "\"job-11\",\"progress\":50,\"processedRecords\":50,\"totalRecords\":100},"
        "\"timestamp\":\"2024-03-05T08:15:30.123Z\"}]"_s,
        Dialect::ResourceColon, u"products"_s, u"products"_s, u"import_progress"_s, none,
        u"job-11"_s, none, {},
        u"{\"jobId\":\"job-11\",\"processedRecords\":50,\"progress\":50,\"totalRecords\":100}"_s);
    row("products:import-completed", u"products:import-completed"_s,
        u"[{\"type\":\"import-completed\",\"resource\":\"products\",\"data\":{\"jobId\":"
        "\"job-11\",\"successCount\":98,\"failedCount\":2},\"timestamp\":1709626530123}]"_s,
        Dialect::ResourceColon, u"products"_s, u"products"_s, u"import_completed"_s, none,
        u"job-11"_s, none, {}, u"{\"failedCount\":2,\"jobId\":\"job-11\",\"successCount\":98}"_s);
    row("resource omitted", u"stock:updated"_s, u"[{\"data\":{\"id\":\"s-1\",\"qty\":4}}]"_s,
        Dialect::ResourceColon, u"stock"_s, u"stock"_s, u"updated"_s, {u"s-1"_s}, {}, none, {},
        u"{\"id\":\"s-1\",\"qty\":4}"_s);

    // --- module.action ---------------------------------------------------------------------
    row("notifications.created", u"notifications.created"_s,
        u"[{\"action\":\"created\",\"data\":{\"id\":\"n-17\",\"title\":\"Lab result ready\"},"
        "\"timestamp\":1709626530123}]"_s,
        Dialect::ModuleAction, u"notifications"_s, u"notifications"_s, u"created"_s, {u"n-17"_s},
        {}, none, {}, u"{\"id\":\"n-17\",\"title\":\"Lab result ready\"}"_s);
    row("notifications action from name", u"notifications.read"_s,
        u"[{\"data\":{\"id\":\"n-17\"},\"timestamp\":\"2024-03-05T08:15:30.123Z\"}]"_s,
        Dialect::ModuleAction, u"notifications"_s, u"notifications"_s, u"read"_s, {u"n-17"_s}, {},
        none, {}, u"{\"id\":\"n-17\"}"_s);
    row("notifications camel action", u"notifications.updated"_s,
        u"[{\"action\":\"markedRead\",\"data\":{\"id\":\"n-17\"}}]"_s, Dialect::ModuleAction,
        u"notifications"_s, u"notifications"_s, u"marked_read"_s, {u"n-17"_s}, {}, none, {},
        u"{\"id\":\"n-17\"}"_s);

    // --- operation:* -------------------------------------------------------------------------
    row("operation:progress", u"operation:progress"_s,
        u"[{\"data\":%1,\"metadata\":{\"tablesToRefresh\":[\"patients\",\"admissions\"]}}]"_s.arg(
            kOperationData),
        Dialect::Operation, u"operation"_s, u"patient-import"_s, u"operation_progress"_s, none,
        u"op-42"_s, {u"patients"_s, u"admissions"_s}, {},
        u"{\"message\":\"Validating rows\",\"operationId\":\"op-42\",\"operationType\":"
        "\"patient-import\",\"percentage\":35,\"stage\":\"validating\"}"_s);
    row("operation:complete", u"operation:complete"_s,
        u"[{\"data\":{\"operationId\":\"op-42\",\"operationType\":\"patient-import\",\"stage\":"
        "\"done\",\"percentage\":100,\"message\":\"250 rows imported\"},\"metadata\":"
        "{\"tablesToRefresh\":[\"patients\"]}}]"_s,
        Dialect::Operation, u"operation"_s, u"patient-import"_s, u"operation_completed"_s, none,
        u"op-42"_s, {u"patients"_s}, {},
        u"{\"message\":\"250 rows imported\",\"operationId\":\"op-42\",\"operationType\":"
        "\"patient-import\",\"percentage\":100,\"stage\":\"done\"}"_s);
    row("operation:error", u"operation:error"_s,
        u"[{\"data\":{\"operationId\":\"op-43\",\"operationType\":\"price-update\",\"stage\":"
        "\"writing\",\"percentage\":60,\"message\":\"Deadlock\"}}]"_s,
        Dialect::Operation, u"operation"_s, u"price-update"_s, u"operation_failed"_s, none,
        u"op-43"_s, none, {},
        u"{\"message\":\"Deadlock\",\"operationId\":\"op-43\",\"operationType\":\"price-update\","
        "\"percentage\":60,\"stage\":\"writing\"}"_s);
    row("operation:completed", u"operation:completed"_s, u"[{\"data\":{\"operationId\":7}}]"_s,
        Dialect::Operation, u"operation"_s, QString(), u"operation_completed"_s, none, u"7"_s, none,
        {}, u"{\"operationId\":7}"_s);
    row("operation:failed", u"operation:failed"_s, u"[{\"data\":{\"operationId\":\"op-9\"}}]"_s,
        Dialect::Operation, u"operation"_s, QString(), u"operation_failed"_s, none, u"op-9"_s, none,
        {}, u"{\"operationId\":\"op-9\"}"_s);
}

void TestEventDecoder::decode()
{
    QFETCH(QString, name);
    QFETCH(QString, args);
    QFETCH(Dialect, dialect);
    QFETCH(QString, feature);
    QFETCH(QString, entity);
    QFETCH(QString, action);
    QFETCH(QStringList, ids);
    QFETCH(QString, operationId);
    QFETCH(QStringList, refreshTargets);
    QFETCH(QString, userId);
    QFETCH(QString, data);

    QString error;
    const auto e = EventDecoder::decode(name, ::args(args), &error);
    QVERIFY2(e.has_value(), qPrintable(error));
    QCOMPARE(e->name, name);
    QCOMPARE(RealtimeEvent::dialectName(e->dialect), RealtimeEvent::dialectName(dialect));
    QCOMPARE(e->feature, feature);
    QCOMPARE(e->entity, entity);
    QCOMPARE(e->action, action);
    QCOMPARE(e->ids, ids);
    QCOMPARE(e->operationId, operationId);
    QCOMPARE(e->refreshTargets, refreshTargets);
    QCOMPARE(e->userId, userId);
    QCOMPARE(compact(e->data()), data);
}

void TestEventDecoder::envelopeMeta()
{
    const auto e = EventDecoder::decode(u"users.user.created"_s,
                                        args(envelope(u"users"_s, u"user"_s, u"created"_s, kUser)));
    QVERIFY(e);
    QCOMPARE(e->timestamp, QDateTime(QDate(2024, 3, 5), QTime(8, 15, 30, 123), Qt::UTC));
    QCOMPARE(e->timestamp.timeSpec(), Qt::UTC);
    QCOMPARE(e->userId, u"7d1f0c52-3b8e-4f5a-9c61-2f0e8a4b9d10"_s);
    QCOMPARE(e->sessionId, u"sess-4f9c2a"_s);
    QCOMPARE(e->priority, Priority::Normal);
    // featureVersion has no field of its own; the meta object is kept as received.
    QCOMPARE(e->meta().value(u"featureVersion").toString(), u"v1"_s);
    QCOMPARE(compact(e->meta()), compact(args(u'[' + kMeta + u']').at(0).toObject()));
    // No livedesk-server extensions on a plain AegisX event: all absent.
    QVERIFY(e->eventId.isEmpty());
    QCOMPARE(e->seq, qint64(-1));
    QVERIFY(e->txnId.isEmpty());
    QCOMPARE(e->version, qint64(-1));
    QVERIFY(e->operationId.isEmpty());
    QVERIFY(e->refreshTargets.isEmpty());
}

void TestEventDecoder::metaExtensions_data()
{
    QTest::addColumn<QString>("meta");
    QTest::addColumn<QString>("eventId");
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<QString>("txnId");
    QTest::addColumn<qint64>("version");
    QTest::addColumn<QString>("userId");

    QTest::newRow("all extensions")
        << u"{\"timestamp\":\"2024-03-05T08:15:30.123Z\",\"userId\":\"u-9\",\"priority\":\"high\","
           "\"eventId\":\"evt-000187\",\"seq\":17,\"txnId\":\"txn-5b2e\",\"version\":4}"_s
        << u"evt-000187"_s << qint64(17) << u"txn-5b2e"_s << qint64(4) << u"u-9"_s;
    QTest::newRow("numeric eventId, large seq")
        << u"{\"eventId\":123,\"seq\":9007199254740991}"_s << u"123"_s << qint64(9007199254740991)
        << QString() << qint64(-1) << QString();
    QTest::newRow("seq 0, version 0") << u"{\"seq\":0,\"version\":0}"_s << QString() << qint64(0)
                                      << QString() << qint64(0) << QString();
    QTest::newRow("wrong types ignored")
        << u"{\"eventId\":null,\"seq\":\"17\",\"txnId\":5,\"version\":\"4\"}"_s << QString()
        << qint64(-1) << QString() << qint64(-1) << QString();
    QTest::newRow("numeric userId")
        << u"{\"userId\":7}"_s << QString() << qint64(-1) << QString() << qint64(-1) << u"7"_s;
    QTest::newRow("userId object") << u"{\"userId\":{\"id\":\"u-1\",\"name\":\"K\"}}"_s << QString()
                                   << qint64(-1) << QString() << qint64(-1) << u"u-1"_s;
}

void TestEventDecoder::metaExtensions()
{
    QFETCH(QString, meta);
    QFETCH(QString, eventId);
    QFETCH(qint64, seq);
    QFETCH(QString, txnId);
    QFETCH(qint64, version);
    QFETCH(QString, userId);

    QString error;
    const auto e = EventDecoder::decode(
        u"patients.patient.updated"_s,
        args(envelope(u"patients"_s, u"patient"_s, u"updated"_s, u"{\"id\":1}"_s, meta)), &error);
    QVERIFY2(e, qPrintable(error));
    QCOMPARE(e->eventId, eventId);
    QCOMPARE(e->seq, seq);
    QCOMPARE(e->txnId, txnId);
    QCOMPARE(e->version, version);
    QCOMPARE(e->userId, userId);
}

void TestEventDecoder::priority_data()
{
    QTest::addColumn<QString>("priority");
    QTest::addColumn<Priority>("expected");

    QTest::newRow("low") << u"\"low\""_s << Priority::Low;
    QTest::newRow("normal") << u"\"normal\""_s << Priority::Normal;
    QTest::newRow("high") << u"\"high\""_s << Priority::High;
    QTest::newRow("critical") << u"\"critical\""_s << Priority::Critical;
    QTest::newRow("upper case") << u"\"CRITICAL\""_s << Priority::Critical;
    QTest::newRow("unknown word") << u"\"urgent\""_s << Priority::Normal;
    QTest::newRow("number") << u"3"_s << Priority::Normal;
    QTest::newRow("null") << u"null"_s << Priority::Normal;
}

void TestEventDecoder::priority()
{
    QFETCH(QString, priority);
    QFETCH(Priority, expected);

    const auto e
        = EventDecoder::decode(u"orders.order.created"_s,
                               args(envelope(u"orders"_s, u"order"_s, u"created"_s, u"{\"id\":1}"_s,
                                             u"{\"priority\":%1}"_s.arg(priority))));
    QVERIFY(e);
    QCOMPARE(RealtimeEvent::priorityName(e->priority), RealtimeEvent::priorityName(expected));

    // Missing meta altogether: normal.
    const auto bare
        = EventDecoder::decode(u"orders.order.created"_s, args(u"[{\"data\":{\"id\":1}}]"_s));
    QVERIFY(bare);
    QCOMPARE(bare->priority, Priority::Normal);
}

void TestEventDecoder::timestamp_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("args");
    QTest::addColumn<QDateTime>("expected");

    const QDateTime t(QDate(2024, 3, 5), QTime(8, 15, 30, 123), Qt::UTC);
    const QDateTime whole(QDate(2024, 3, 5), QTime(8, 15, 30), Qt::UTC);
    const auto meta = [](const QString &ts) {
        return u"{\"timestamp\":%1}"_s.arg(ts);
    };
    const auto env = [&](const QString &ts) {
        return envelope(u"users"_s, u"user"_s, u"updated"_s, u"{\"id\":1}"_s, meta(ts));
    };
    const QString name = u"users.user.updated"_s;

    QTest::newRow("envelope ISO with ms") << name << env(u"\"2024-03-05T08:15:30.123Z\""_s) << t;
    QTest::newRow("envelope ISO without ms") << name << env(u"\"2024-03-05T08:15:30Z\""_s) << whole;
    QTest::newRow("envelope ISO with offset")
        << name << env(u"\"2024-03-05T15:15:30.123+07:00\""_s) << t;
    QTest::newRow("envelope epoch ms") << name << env(u"1709626530123"_s) << t;
    // A number that is not whole (a ms clock with sub-ms precision, or epoch seconds with a
    // fraction) must not silently become 1970-01-01T00:00:00Z.
    QTest::newRow("envelope epoch ms with fraction") << name << env(u"1709626530123.5"_s) << t;
    QTest::newRow("envelope not a date") << name << env(u"\"yesterday\""_s) << QDateTime();
    QTest::newRow("envelope leap day")
        << name << env(u"\"2024-02-29T23:59:59.999Z\""_s)
        << QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59, 999), Qt::UTC);
    QTest::newRow("envelope no leap day")
        << name << env(u"\"2023-02-29T00:00:00.000Z\""_s) << QDateTime();
    QTest::newRow("envelope month 13")
        << name << env(u"\"2024-13-01T00:00:00.000Z\""_s) << QDateTime();
    QTest::newRow("envelope year 0000")
        << name << env(u"\"0000-01-01T00:00:00.000Z\""_s) << QDateTime();
    QTest::newRow("envelope before 1970")
        << name << env(u"\"1969-12-31T23:59:59.500Z\""_s)
        << QDateTime(QDate(1969, 12, 31), QTime(23, 59, 59, 500), Qt::UTC);
    QTest::newRow("envelope ISO with microseconds")
        << name << env(u"\"2024-03-05T08:15:30.123000Z\""_s) << t;
    QTest::newRow("envelope null") << name << env(u"null"_s) << QDateTime();
    QTest::newRow("envelope missing")
        << name << envelope(u"users"_s, u"user"_s, u"updated"_s, u"{\"id\":1}"_s, u"{}"_s)
        << QDateTime();
    QTest::newRow("resource colon ISO")
        << u"products:deleted"_s << u"[{\"id\":1,\"timestamp\":\"2024-03-05T08:15:30.123Z\"}]"_s
        << t;
    QTest::newRow("resource colon epoch")
        << u"products:deleted"_s << u"[{\"id\":1,\"timestamp\":1709626530123}]"_s << t;
    QTest::newRow("module action epoch")
        << u"notifications.created"_s
        << u"[{\"action\":\"created\",\"data\":{},\"timestamp\":1709626530123}]"_s << t;
    QTest::newRow("module action ISO")
        << u"notifications.created"_s
        << u"[{\"action\":\"created\",\"data\":{},\"timestamp\":\"2024-03-05T08:15:30.123Z\"}]"_s
        << t;
    QTest::newRow("operation top-level ISO")
        << u"operation:progress"_s
        << u"[{\"data\":{\"operationId\":\"o\"},\"timestamp\":\"2024-03-05T08:15:30.123Z\"}]"_s
        << t;
    QTest::newRow("operation metadata epoch")
        << u"operation:progress"_s
        << u"[{\"data\":{\"operationId\":\"o\"},\"metadata\":{\"timestamp\":1709626530123}}]"_s
        << t;
    QTest::newRow("import progress own timestamp")
        << u"patients.import.progress"_s
        << u"[{\"jobId\":\"j\",\"timestamp\":\"2024-03-05T08:15:30.123Z\"}]"_s << t;
    QTest::newRow("import progress meta wins")
        << u"patients.import.progress"_s
        << u"[{\"data\":{\"jobId\":\"j\",\"timestamp\":\"2020-01-01T00:00:00Z\"},\"meta\":"
           "{\"timestamp\":1709626530123}}]"_s
        << t;
}

void TestEventDecoder::timestamp()
{
    QFETCH(QString, name);
    QFETCH(QString, args);
    QFETCH(QDateTime, expected);

    QString error;
    const auto e = EventDecoder::decode(name, ::args(args), &error);
    QVERIFY2(e, qPrintable(error));
    QCOMPARE(EventDecoder::decode(name, received(name, args))->timestamp, e->timestamp);
    QCOMPARE(e->timestamp.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(e->timestamp, expected);
        QCOMPARE(e->timestamp.toMSecsSinceEpoch(), expected.toMSecsSinceEpoch());
        QCOMPARE(e->timestamp.timeSpec(), Qt::UTC);
    }
}

void TestEventDecoder::rejected_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("args");
    /// A phrase the reason must contain.
    QTest::addColumn<QString>("reason");

    const QString env = envelope(u"a"_s, u"b"_s, u"c"_s, u"{\"id\":1}"_s);
    // clang-format off
    QTest::newRow("no payload") << u"users.user.created"_s << u"[]"_s << u"no object payload"_s;
    QTest::newRow("string payload") << u"users.user.created"_s << u"[\"u1\"]"_s << u"no object payload"_s;
    QTest::newRow("number payload") << u"users.user.deleted"_s << u"[42]"_s << u"no object payload"_s;
    QTest::newRow("array payload") << u"users.user.created"_s << u"[[{\"id\":1}]]"_s << u"no object payload"_s;
    QTest::newRow("null payload") << u"users.user.created"_s << u"[null]"_s << u"no object payload"_s;
    QTest::newRow("four parts") << u"a.b.c.d"_s << env << u"not a known event name form"_s;
    QTest::newRow("empty segment") << u"a..b"_s << env << u"not a known event name form"_s;
    QTest::newRow("leading dot") << u".a.b"_s << env << u"not a known event name form"_s;
    QTest::newRow("trailing dot") << u"a.b."_s << env << u"not a known event name form"_s;
    QTest::newRow("one segment") << u"refresh"_s << env << u"not a known event name form"_s;
    QTest::newRow("empty name") << QString() << env << u"not a known event name form"_s;
    QTest::newRow("colon first") << u":created"_s << env << u"not a known event name form"_s;
    QTest::newRow("colon last") << u"products:"_s << env << u"not a known event name form"_s;
    QTest::newRow("three parts without envelope") << u"users.user.created"_s << u"[{\"id\":\"u1\",\"email\":\"a@b\"}]"_s << u"no AegisX envelope"_s;
    QTest::newRow("unknown generated bulk action") << u"patients.bulk.bulkArchived"_s << u"[{\"count\":1,\"ids\":[1]}]"_s << u"unknown generated bulk action"_s;
    QTest::newRow("generated bulk bare word") << u"patients.bulk.bulk"_s << u"[{\"count\":1,\"ids\":[1]}]"_s << u"unknown generated bulk action"_s;
    QTest::newRow("import progress without jobId") << u"patients.import.progress"_s << u"[{\"status\":\"processing\",\"progress\":10}]"_s << u"without jobId"_s;
    QTest::newRow("import progress envelope without jobId") << u"patients.import.progress"_s << u"[{\"data\":{\"status\":\"processing\"},\"meta\":{}}]"_s << u"without jobId"_s;
    QTest::newRow("operation without operationId") << u"operation:progress"_s << u"[{\"data\":{\"operationType\":\"x\",\"stage\":\"s\",\"percentage\":1}}]"_s << u"without data.operationId"_s;
    QTest::newRow("operation without data") << u"operation:complete"_s << u"[{\"operationId\":\"op-1\"}]"_s << u"without data.operationId"_s;
    QTest::newRow("operation unknown suffix") << u"operation:cancelled"_s << u"[{\"data\":{\"operationId\":\"op-1\"}}]"_s << u"unknown operation event"_s;
    QTest::newRow("resource colon without data, id, ids") << u"products:created"_s << u"[{\"type\":\"created\",\"resource\":\"products\",\"timestamp\":1}]"_s << u"none of data, id, ids"_s;
    QTest::newRow("module action without action or data") << u"notifications.created"_s << u"[{\"timestamp\":1709626530123}]"_s << u"neither action nor data"_s;
    // Like patients.import.progress above, an import progress that names no job cannot be
    // attributed to any import: report it.
    QTest::newRow("resource colon import without jobId") << u"products:import-progress"_s << u"[{\"type\":\"import-progress\",\"resource\":\"products\",\"data\":{\"progress\":50}}]"_s << u"jobId"_s;
    QTest::newRow("resource colon import without anything") << u"products:import-progress"_s << u"[{\"type\":\"import-progress\",\"resource\":\"products\",\"timestamp\":1709626530123}]"_s << u"jobId"_s;
    // clang-format on
}

void TestEventDecoder::rejected()
{
    QFETCH(QString, name);
    QFETCH(QString, args);
    QFETCH(QString, reason);

    QString error;
    const auto e = EventDecoder::decode(name, ::args(args), &error);
    QVERIFY2(!e.has_value(),
             qPrintable(u"decoded as %1"_s.arg(compact(e ? e->toJson() : QJsonObject()))));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestEventDecoder::rejectedWithoutErrorPointer()
{
    QVERIFY(!EventDecoder::decode(u"a.b.c.d"_s, args(u"[{\"data\":{}}]"_s)));
    QVERIFY(!EventDecoder::decode(u"users.user.created"_s, QJsonArray()));
    QVERIFY(!EventDecoder::decode(u"operation:progress"_s, args(u"[{}]"_s), nullptr));
    // And a success leaves the error text alone.
    QString error = u"untouched"_s;
    QVERIFY(EventDecoder::decode(u"products:deleted"_s, args(u"[{\"id\":1}]"_s), &error));
    QCOMPARE(error, u"untouched"_s);
}

void TestEventDecoder::normalizeAction_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("expected");

    QTest::newRow("created") << u"created"_s << u"created"_s;
    QTest::newRow("deleted") << u"deleted"_s << u"deleted"_s;
    QTest::newRow("snake kept") << u"status_changed"_s << u"status_changed"_s;
    QTest::newRow("lock_acquired") << u"lock_acquired"_s << u"lock_acquired"_s;
    QTest::newRow("kebab") << u"bulk-deleted"_s << u"bulk_deleted"_s;
    QTest::newRow("kebab import") << u"import-progress"_s << u"import_progress"_s;
    QTest::newRow("kebab import completed") << u"import-completed"_s << u"import_completed"_s;
    QTest::newRow("camel bulkCreated") << u"bulkCreated"_s << u"bulk_created"_s;
    QTest::newRow("camel bulkUpdated") << u"bulkUpdated"_s << u"bulk_updated"_s;
    QTest::newRow("camel bulkDeleted") << u"bulkDeleted"_s << u"bulk_deleted"_s;
    QTest::newRow("camel statusChanged") << u"statusChanged"_s << u"status_changed"_s;
    QTest::newRow("complete") << u"complete"_s << u"completed"_s;
    QTest::newRow("completed") << u"completed"_s << u"completed"_s;
    QTest::newRow("space") << u"bulk started"_s << u"bulk_started"_s;
    QTest::newRow("leading capital") << u"Created"_s << u"created"_s;
    QTest::newRow("capital after separator") << u"Import-Progress"_s << u"import_progress"_s;
    QTest::newRow("mixed snake camel") << u"status_Changed"_s << u"status_changed"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestEventDecoder::normalizeAction()
{
    QFETCH(QString, action);
    QFETCH(QString, expected);
    QCOMPARE(EventDecoder::normalizeAction(action), expected);
    // Normalising is idempotent.
    QCOMPARE(EventDecoder::normalizeAction(expected), expected);
}

void TestEventDecoder::isControlEvent_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("control");

    QTest::newRow("pong") << u"pong"_s << true;
    QTest::newRow("ping") << u"ping"_s << true;
    QTest::newRow("subscribe:confirmed") << u"subscribe:confirmed"_s << true;
    QTest::newRow("subscribe:features") << u"subscribe:features"_s << true;
    // AegisX's connection manager: chatter, not a change of any record.
    QTest::newRow("connection:established") << u"connection:established"_s << true;
    QTest::newRow("connection:timeout") << u"connection:timeout"_s << true;
    QTest::newRow("unsubscribe:confirmed") << u"unsubscribe:confirmed"_s << true;
    QTest::newRow("error") << u"error"_s << true;
    // livedesk-server asks for the socket's token: the Session's business, not a change.
    QTest::newRow("auth:expiring") << u"auth:expiring"_s << true;
    QTest::newRow("auth:expired") << u"auth:expired"_s << true;
    QTest::newRow("a resource called auth") << u"auth:created"_s << false;
    QTest::newRow("crud") << u"users.user.created"_s << false;
    QTest::newRow("operation") << u"operation:progress"_s << false;
    QTest::newRow("resource colon") << u"products:created"_s << false;
    QTest::newRow("subscribe without colon") << u"subscribe"_s << false;
    QTest::newRow("pong prefix") << u"pongs"_s << false;
    QTest::newRow("errors") << u"errors"_s << false;
    QTest::newRow("case matters") << u"Pong"_s << false;
}

void TestEventDecoder::isControlEvent()
{
    QFETCH(QString, name);
    QFETCH(bool, control);
    QCOMPARE(EventDecoder::isControlEvent(name), control);
}

void TestEventDecoder::toJson_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("json");

    QTest::newRow("envelope with extensions")
        << u"users.user.created"_s
        << envelope(u"users"_s, u"user"_s, u"created"_s, u"{\"id\":\"u-1\",\"email\":\"a@b\"}"_s,
                    u"{\"timestamp\":1709626530123,\"userId\":\"u-9\",\"sessionId\":\"s-1\","
                    "\"featureVersion\":\"v1\",\"priority\":\"high\",\"eventId\":\"evt-1\","
                    "\"seq\":17,\"txnId\":\"txn-1\",\"version\":4}"_s)
        << u"{\"action\":\"created\",\"data\":{\"email\":\"a@b\",\"id\":\"u-1\"},\"dialect\":"
           "\"envelope\",\"entity\":\"user\",\"feature\":\"users\",\"ids\":[\"u-1\"],\"kind\":"
           "\"event\",\"meta\":{\"eventId\":\"evt-1\",\"featureVersion\":\"v1\",\"priority\":"
           "\"high\",\"seq\":17,\"sessionId\":\"s-1\",\"timestamp\":\"2024-03-05T08:15:30.123Z\","
           "\"txnId\":\"txn-1\",\"userId\":\"u-9\",\"version\":4},\"name\":\"users.user.created\"}"_s;
    QTest::newRow("operation")
        << u"operation:progress"_s
        << u"[{\"data\":%1,\"metadata\":{\"tablesToRefresh\":[\"patients\",\"admissions\"]}}]"_s
               .arg(kOperationData)
        << u"{\"action\":\"operation_progress\",\"data\":{\"message\":\"Validating rows\","
           "\"operationId\":\"op-42\",\"operationType\":\"patient-import\",\"percentage\":35,"
           "\"stage\":\"validating\"},\"dialect\":\"operation\",\"entity\":\"patient-import\","
           "\"feature\":\"operation\",\"ids\":[],\"kind\":\"event\",\"meta\":{\"priority\":"
           "\"normal\",\"tablesToRefresh\":[\"patients\",\"admissions\"]},\"name\":"
           "\"operation:progress\",\"operationId\":\"op-42\",\"refreshTargets\":[\"patients\","
           "\"admissions\"]}"_s;
    QTest::newRow("import progress")
        << u"patients.import.progress"_s << u"[{\"jobId\":\"j-1\",\"progress\":5}]"_s
        << u"{\"action\":\"import_progress\",\"data\":{\"jobId\":\"j-1\",\"progress\":5},"
           "\"dialect\":\"import-progress\",\"entity\":\"import\",\"feature\":\"patients\","
           "\"ids\":[],\"kind\":\"event\",\"meta\":{\"priority\":\"normal\"},\"name\":"
           "\"patients.import.progress\",\"operationId\":\"j-1\"}"_s;
    QTest::newRow("resource colon user")
        << u"products:deleted"_s << u"[{\"id\":5,\"user\":{\"id\":\"u-3\"}}]"_s
        << u"{\"action\":\"deleted\",\"data\":{\"id\":5},\"dialect\":\"resource-colon\","
           "\"entity\":\"products\",\"feature\":\"products\",\"ids\":[\"5\"],\"kind\":\"event\","
           "\"meta\":{\"priority\":\"normal\",\"userId\":\"u-3\"},\"name\":\"products:deleted\"}"_s;
    QTest::newRow("envelope without data")
        << u"wards.ward.updated"_s << u"[{\"meta\":{}}]"_s
        << u"{\"action\":\"updated\",\"data\":null,\"dialect\":\"envelope\",\"entity\":\"ward\","
           "\"feature\":\"wards\",\"ids\":[],\"kind\":\"event\",\"meta\":{\"priority\":"
           "\"normal\"},\"name\":\"wards.ward.updated\"}"_s;
}

void TestEventDecoder::toJson()
{
    QFETCH(QString, name);
    QFETCH(QString, args);
    QFETCH(QString, json);

    QString error;
    const auto e = EventDecoder::decode(name, ::args(args), &error);
    QVERIFY2(e, qPrintable(error));
    QCOMPARE(compact(e->toJson()), json);
    // Stable: the same event always prints the same line.
    QCOMPARE(compact(EventDecoder::decode(name, ::args(args))->toJson()), json);
}

void TestEventDecoder::textAndTreeAgree_data()
{
    decode_data();
}

// The event read from the packet's text (SocketIoClient's path) is the one the Qt JSON path
// makes, and an AegisX envelope really is read from text: its data is still undecoded.
void TestEventDecoder::textAndTreeAgree()
{
    QFETCH(QString, name);
    QFETCH(QString, args);
    QFETCH(Dialect, dialect);
    QFETCH(QString, action);

    QString treeError, textError;
    const auto tree = EventDecoder::decode(name, ::args(args), &treeError);
    const auto text = EventDecoder::decode(name, received(name, args), &textError);
    QVERIFY(tree && text);
    const bool fromText = dialect == Dialect::Envelope && !action.startsWith(u"bulk_")
        && action != u"import_progress" && ::args(args).at(0)[u"data"].isObject()
        && !::args(args).at(0)[u"data"].toObject().contains(u"ids")
        && !::args(args).at(0)[u"data"].toObject().contains(u"items");
    QCOMPARE(!text->dataText().isEmpty(), fromText);
    QCOMPARE(compact(text->toJson()), compact(tree->toJson()));
    QCOMPARE(text->ids, tree->ids);
    QCOMPARE(text->timestamp, tree->timestamp);
    QVERIFY(text->dataText().isEmpty()); // decoded once, by toJson()
}

void TestEventDecoder::names()
{
    // A default event: every key present, absent values empty, priority normal.
    QCOMPARE(compact(RealtimeEvent().toJson()),
             u"{\"action\":\"\",\"data\":null,\"dialect\":\"envelope\",\"entity\":\"\","
             "\"feature\":\"\",\"ids\":[],\"kind\":\"event\",\"meta\":{\"priority\":\"normal\"},"
             "\"name\":\"\"}"_s);

    QCOMPARE(RealtimeEvent::dialectName(Dialect::Envelope), u"envelope"_s);
    QCOMPARE(RealtimeEvent::dialectName(Dialect::ImportProgress), u"import-progress"_s);
    QCOMPARE(RealtimeEvent::dialectName(Dialect::GeneratedBulk), u"generated-bulk"_s);
    QCOMPARE(RealtimeEvent::dialectName(Dialect::ResourceColon), u"resource-colon"_s);
    QCOMPARE(RealtimeEvent::dialectName(Dialect::ModuleAction), u"module-action"_s);
    QCOMPARE(RealtimeEvent::dialectName(Dialect::Operation), u"operation"_s);
    QCOMPARE(RealtimeEvent::priorityName(Priority::Low), u"low"_s);
    QCOMPARE(RealtimeEvent::priorityName(Priority::Normal), u"normal"_s);
    QCOMPARE(RealtimeEvent::priorityName(Priority::High), u"high"_s);
    QCOMPARE(RealtimeEvent::priorityName(Priority::Critical), u"critical"_s);
}

QTEST_GUILESS_MAIN(TestEventDecoder)
#include "tst_eventdecoder.moc"
