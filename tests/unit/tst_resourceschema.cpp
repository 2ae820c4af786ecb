// SPDX-License-Identifier: MIT
// ResourceSchema: the server's schema format (the real demo file), what a plain AegisX backend
// adds (idField, versionField), malformed documents, names alone and schemas inferred from
// records.

#include "state/resourceschema.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimeZone>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::ResourceSchema;

namespace {

const QString clinicalPath = QStringLiteral(LIVEDESK_SOURCE_DIR "/resources/schema/clinical.json");

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonObject document(const QJsonArray &resources)
{
    return {{u"resources"_s, resources}};
}

QJsonObject resource(const QString &name, const QJsonArray &fields, const QJsonObject &extra = {})
{
    QJsonObject r{{u"name"_s, name}, {u"fields"_s, fields}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        r.insert(it.key(), it.value());
    return r;
}

QJsonObject field(const QString &name, const QString &type)
{
    return {{u"name"_s, name}, {u"type"_s, type}};
}

QStringList columnNames(const ResourceSchema &s)
{
    QStringList names;
    for (const auto &c : s.columns)
        names.append(c.name);
    return names;
}

} // namespace

class TestResourceSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idOfSpellsIdsAsEventsDo_data();
    void idOfSpellsIdsAsEventsDo();
    void clinicalPatients();
    void clinicalLabOrders();
    void publicSchemaEnvelope();
    void unknownResourceListsTheOthers();
    void anySpellingFindsTheResource();
    void malformedDocuments_data();
    void malformedDocuments();
    void fileErrors();
    void fileIsStrict();
    void idAndVersionOverrides();
    void declaredIdFieldIsNotEditable();
    void named();
    void inferTypes();
    void inferVersion();
    void inferEmpty();
    void toJsonRoundTrip();
    void toJsonOfOverrides();
    void dateBounds();
    void dateBoundsInFiles();
    void allowedActions();
    void allowedAbsentMeansEverything();
    void allowedInFiles();
};

void TestResourceSchema::idOfSpellsIdsAsEventsDo_data()
{
    QTest::addColumn<QJsonValue>("id");
    QTest::addColumn<QString>("text");
    QTest::newRow("number") << QJsonValue(42) << u"42"_s;
    QTest::newRow("string") << QJsonValue(u"p-7"_s) << u"p-7"_s;
    QTest::newRow("past 64 bits") << QJsonValue(1e20) << u"1e+20"_s;
    QTest::newRow("fraction") << QJsonValue(2.5) << u"2.5"_s;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QString();
}

// A row is found by the id an event names: both spell it the same way
// (RealtimeEvent::idText()), or the event would miss its row.
void TestResourceSchema::idOfSpellsIdsAsEventsDo()
{
    QFETCH(QJsonValue, id);
    QFETCH(QString, text);
    ResourceSchema schema;
    schema.idField = u"key"_s;
    QCOMPARE(schema.idOf(QJsonObject{{u"key"_s, id}}), text);
    QCOMPARE(schema.idOf(QJsonObject{{u"id"_s, 1}}), QString());
}

void TestResourceSchema::clinicalPatients()
{
    QString error;
    const auto s = ResourceSchema::fromSchemaFile(clinicalPath, u"patients"_s, &error);
    QVERIFY2(s, qPrintable(error));
    QVERIFY(s->isValid());
    QCOMPARE(s->name, u"patients"_s);
    QCOMPARE(s->label, u"Patients"_s);
    QCOMPARE(s->restPath, u"/api/patients"_s);
    QCOMPARE(s->feature, u"patients"_s);
    QCOMPARE(s->entity, u"patient"_s);
    QCOMPARE(s->importModule, u"patients"_s);
    QCOMPARE(s->idField, u"id"_s);
    QCOMPARE(s->versionField, u"version"_s);
    QVERIFY(s->hasVersions());

    // Declared fields in order, then the system fields.
    QCOMPARE(columnNames(*s),
             (QStringList{u"hn"_s, u"name"_s, u"date_of_birth"_s, u"sex"_s, u"ward"_s, u"status"_s,
                          u"id"_s, u"version"_s, u"created_at"_s, u"updated_at"_s, u"created_by"_s,
                          u"updated_by"_s}));
    QCOMPARE(
        s->editableColumns(),
        (QStringList{u"hn"_s, u"name"_s, u"date_of_birth"_s, u"sex"_s, u"ward"_s, u"status"_s}));

    const auto *hn = s->column(u"hn");
    QVERIFY(hn);
    QCOMPARE(hn->label, u"HN"_s);
    QCOMPARE(hn->type, u"string"_s);
    QVERIFY(hn->required);
    QVERIFY(hn->editable);
    QVERIFY(!hn->system);
    QCOMPARE(hn->maxLength, 20);
    QVERIFY(hn->defaultValue.isUndefined());

    const auto *sex = s->column(u"sex");
    QVERIFY(sex);
    QCOMPARE(sex->type, u"enum"_s);
    QCOMPARE(sex->enumValues, (QStringList{u"male"_s, u"female"_s, u"other"_s, u"unknown"_s}));
    QCOMPARE(sex->defaultValue, QJsonValue(u"unknown"_s));
    QVERIFY(!sex->required);

    QCOMPARE(s->column(u"date_of_birth")->type, u"date"_s);
    QCOMPARE(s->column(u"date_of_birth")->label, u"Date of birth"_s);

    const auto *id = s->column(u"id");
    QVERIFY(id);
    QVERIFY(id->system);
    QVERIFY(!id->editable);
    QCOMPARE(id->type, u"integer"_s);
    QCOMPARE(s->column(u"version")->type, u"integer"_s);
    QCOMPARE(s->column(u"created_at")->type, u"datetime"_s);
    QCOMPARE(s->column(u"updated_by")->type, u"string"_s);
    QVERIFY(s->column(u"updated_by")->system);

    QCOMPARE(s->columnIndex(u"hn"), 0);
    QCOMPARE(s->columnIndex(u"updated_by"), 11);
    QCOMPARE(s->columnIndex(u"tenant"), -1);
    QCOMPARE(s->column(u"nope"), nullptr);
}

void TestResourceSchema::clinicalLabOrders()
{
    QString error;
    const auto s = ResourceSchema::fromSchemaFile(clinicalPath, u"lab_orders"_s, &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->restPath, u"/api/lab-orders"_s);
    QCOMPARE(s->feature, u"lab-orders"_s);
    QCOMPARE(s->entity, u"lab-order"_s);
    QCOMPARE(s->importModule, u"labOrders"_s);
    QCOMPARE(s->column(u"result")->type, u"text"_s);
    QCOMPARE(s->column(u"critical")->type, u"boolean"_s);
    QCOMPARE(s->column(u"ordered_at")->type, u"datetime"_s);
}

void TestResourceSchema::publicSchemaEnvelope()
{
    // What GET /api/schema answers: the envelope or its data, both accepted.
    const QJsonObject data = document({resource(u"stock"_s, {field(u"sku"_s, u"string"_s)})});
    QString error;
    const auto fromData = ResourceSchema::fromSchemaDocument(data, u"stock"_s, &error);
    QVERIFY2(fromData, qPrintable(error));
    const QJsonObject envelope{{u"success"_s, true}, {u"data"_s, data}};
    const auto fromEnvelope = ResourceSchema::fromSchemaDocument(envelope, u"stock"_s, &error);
    QVERIFY2(fromEnvelope, qPrintable(error));
    QCOMPARE(fromEnvelope->toJson(), fromData->toJson());
    // Defaults of the format: everything named after the resource.
    QCOMPARE(fromData->label, u"stock"_s);
    QCOMPARE(fromData->restPath, u"/api/stock"_s);
    QCOMPARE(fromData->feature, u"stock"_s);
    // ... except the entity: only a schema that names it has one (events are then checked
    // against it; without, they are matched by feature).
    QVERIFY(fromData->entity.isEmpty());
    QCOMPARE(fromData->importModule, u"stock"_s);
    QCOMPARE(fromData->column(u"sku")->label, u"sku"_s);

    // The server's answer may carry attributes this client does not know yet.
    QJsonObject newer = resource(u"stock"_s, {field(u"sku"_s, u"string"_s)});
    newer.insert(u"futureAttribute"_s, 1);
    QVERIFY(ResourceSchema::fromSchemaDocument(document({newer}), u"stock"_s, &error));
}

void TestResourceSchema::unknownResourceListsTheOthers()
{
    QString error;
    QVERIFY(!ResourceSchema::fromSchemaFile(clinicalPath, u"drugs"_s, &error));
    QVERIFY2(error.contains(u"\"drugs\""_s), qPrintable(error));
    QVERIFY2(error.contains(u"patients, admissions and lab_orders"_s), qPrintable(error));

    QVERIFY(!ResourceSchema::fromSchemaDocument(document({}), u"drugs"_s, &error));
    QVERIFY2(error.contains(u"\"drugs\""_s) && error.contains(u"no resources"_s),
             qPrintable(error));
}

void TestResourceSchema::anySpellingFindsTheResource()
{
    // The server calls it lab_orders; a person types lab-orders (its URL) or labOrders.
    for (const QString &typed : {u"lab-orders"_s, u"labOrders"_s, u"lab_orders"_s}) {
        QString error;
        const auto s = ResourceSchema::fromSchemaFile(clinicalPath, typed, &error);
        QVERIFY2(s, qPrintable(typed + u": "_s + error));
        QCOMPARE(s->name, u"lab_orders"_s); // the server's spelling
        QCOMPARE(s->entity, u"lab-order"_s);
        const auto fromDocument = ResourceSchema::fromSchemaDocument(
            document({resource(u"lab_orders"_s, {field(u"code"_s, u"string"_s)})}), typed, &error);
        QVERIFY2(fromDocument, qPrintable(error));
        QCOMPARE(fromDocument->name, u"lab_orders"_s);
        QCOMPARE(fromDocument->restPath, u"/api/lab_orders"_s);
    }
    QString error;
    QVERIFY(!ResourceSchema::fromSchemaFile(clinicalPath, u"orders"_s, &error));
}

void TestResourceSchema::malformedDocuments_data()
{
    QTest::addColumn<QJsonObject>("document");
    QTest::addColumn<QString>("expected");

    const QJsonArray okFields{field(u"a"_s, u"string"_s)};
    QTest::newRow("no resources") << QJsonObject{{u"name"_s, u"x"_s}} << u"\"resources\""_s;
    QTest::newRow("resources not an array")
        << QJsonObject{{u"resources"_s, u"patients"_s}} << u"\"resources\""_s;
    QTest::newRow("resource not an object")
        << document({u"patients"_s}) << u"resource number 1 is not an object"_s;
    QTest::newRow("resource without name")
        << document({QJsonObject{{u"fields"_s, okFields}}}) << u"number 1 has no name"_s;
    QTest::newRow("resource twice")
        << document({resource(u"r"_s, okFields), resource(u"r"_s, okFields)}) << u"\"r\" twice"_s;
    QTest::newRow("no fields") << document({QJsonObject{{u"name"_s, u"r"_s}}})
                               << u"Resource \"r\" has no \"fields\" array"_s;
    QTest::newRow("field not an object")
        << document({resource(u"r"_s, {42})}) << u"Resource \"r\": field 1 is not an object"_s;
    QTest::newRow("field without name")
        << document({resource(u"r"_s, {QJsonObject{{u"type"_s, u"string"_s}}})})
        << u"field 1 has no name"_s;
    QTest::newRow("unknown type")
        << document({resource(u"r"_s, {field(u"a"_s, u"string"_s), field(u"b"_s, u"strng"_s)})})
        << u"Resource \"r\": field 2 (\"b\") has the unknown type \"strng\""_s;
    QTest::newRow("enum without values") << document({resource(u"r"_s, {field(u"a"_s, u"enum"_s)})})
                                         << u"field 1 (\"a\") is an enum without"_s;
    QJsonObject badDefault = field(u"a"_s, u"enum"_s);
    badDefault.insert(u"values"_s, QJsonArray{u"x"_s, u"y"_s});
    badDefault.insert(u"default"_s, u"z"_s);
    QTest::newRow("enum default not a value")
        << document({resource(u"r"_s, {badDefault})}) << u"the default \"z\""_s;
    QJsonObject badRequired = field(u"a"_s, u"string"_s);
    badRequired.insert(u"required"_s, u"yes"_s);
    QTest::newRow("required not a boolean")
        << document({resource(u"r"_s, {badRequired})}) << u"\"required\""_s;
    QJsonObject badLength = field(u"a"_s, u"string"_s);
    badLength.insert(u"maxLength"_s, -3);
    QTest::newRow("bad maxLength") << document({resource(u"r"_s, {badLength})}) << u"maxLength"_s;
    QTest::newRow("field twice") << document(
        {resource(u"r"_s, {field(u"a"_s, u"string"_s), field(u"a"_s, u"integer"_s)})})
                                 << u"field 2 (\"a\") is declared twice"_s;
    QTest::newRow("path not absolute")
        << document({resource(u"r"_s, okFields, {{u"path"_s, u"api/r"_s}})})
        << u"Resource \"r\": the path \"api/r\""_s;
    QTest::newRow("empty feature")
        << document({resource(u"r"_s, okFields, {{u"feature"_s, u""_s}})}) << u"\"feature\""_s;
    QTest::newRow("idField not a string")
        << document({resource(u"r"_s, okFields, {{u"idField"_s, 3}})}) << u"\"idField\""_s;
    QTest::newRow("versionField not a name")
        << document({resource(u"r"_s, okFields, {{u"versionField"_s, false}})})
        << u"\"versionField\""_s;
    QTest::newRow("id and version the same") << document(
        {resource(u"r"_s, okFields, {{u"idField"_s, u"rev"_s}, {u"versionField"_s, u"rev"_s}})})
                                             << u"\"rev\" cannot be both"_s;
}

void TestResourceSchema::malformedDocuments()
{
    QFETCH(QJsonObject, document);
    QFETCH(QString, expected);
    QString error;
    const auto s = ResourceSchema::fromSchemaDocument(document, u"r"_s, &error);
    QVERIFY(!s);
    QVERIFY2(error.contains(expected), qPrintable(error));
    // A sentence: starts with a capital, ends with a full stop.
    QVERIFY2(error.at(0).isUpper() && error.endsWith(u'.'), qPrintable(error));
}

void TestResourceSchema::fileErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const QString missing = dir.filePath(u"missing.json"_s);
    QVERIFY(!ResourceSchema::fromSchemaFile(missing, u"patients"_s, &error));
    QVERIFY2(error.contains(missing), qPrintable(error));

    const QString broken = dir.filePath(u"broken.json"_s);
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"resources\": [");
    file.close();
    QVERIFY(!ResourceSchema::fromSchemaFile(broken, u"patients"_s, &error));
    QVERIFY2(error.contains(broken) && error.contains(u"not valid JSON"_s), qPrintable(error));

    const QString array = dir.filePath(u"array.json"_s);
    QFile arrayFile(array);
    QVERIFY(arrayFile.open(QIODevice::WriteOnly));
    arrayFile.write("[]");
    arrayFile.close();
    QVERIFY(!ResourceSchema::fromSchemaFile(array, u"patients"_s, &error));
    QVERIFY2(error.contains(u"JSON object"_s), qPrintable(error));
}

void TestResourceSchema::fileIsStrict()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QJsonObject typo = field(u"a"_s, u"string"_s);
    typo.insert(u"requried"_s, true);
    const QJsonObject doc = document({resource(u"r"_s, {typo})});
    // The server's answer is read leniently...
    QString error;
    QVERIFY(ResourceSchema::fromSchemaDocument(doc, u"r"_s, &error));
    // ...a file written by people is not.
    const QString path = dir.filePath(u"typo.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(doc).toJson());
    file.close();
    QVERIFY(!ResourceSchema::fromSchemaFile(path, u"r"_s, &error));
    QVERIFY2(error.contains(u"Resource \"r\": field 1 (\"a\") has the unknown attribute "
                            "\"requried\""_s),
             qPrintable(error));
}

void TestResourceSchema::idAndVersionOverrides()
{
    const QJsonArray fields{field(u"code"_s, u"string"_s), field(u"amount"_s, u"number"_s)};
    const QJsonObject doc = document({
        resource(u"budgets"_s, fields,
                 {{u"path"_s, u"/api/inventory/master-data/budgets/"_s},
                  {u"idField"_s, u"uuid"_s},
                  {u"versionField"_s, QJsonValue::Null}}),
        resource(u"plans"_s, fields, {{u"versionField"_s, u"rev"_s}}),
    });
    QString error;
    const auto budgets = ResourceSchema::fromSchemaDocument(doc, u"budgets"_s, &error);
    QVERIFY2(budgets, qPrintable(error));
    QCOMPARE(budgets->restPath, u"/api/inventory/master-data/budgets"_s); // no trailing '/'
    QCOMPARE(budgets->idField, u"uuid"_s);
    QVERIFY(budgets->versionField.isEmpty());
    QVERIFY(!budgets->hasVersions());
    QCOMPARE(columnNames(*budgets),
             (QStringList{u"code"_s, u"amount"_s, u"uuid"_s, u"created_at"_s, u"updated_at"_s,
                          u"created_by"_s, u"updated_by"_s}));
    QCOMPARE(budgets->column(u"uuid")->type, u"string"_s);
    QVERIFY(budgets->column(u"uuid")->system);

    const auto plans = ResourceSchema::fromSchemaDocument(doc, u"plans"_s, &error);
    QVERIFY2(plans, qPrintable(error));
    QCOMPARE(plans->idField, u"id"_s);
    QCOMPARE(plans->versionField, u"rev"_s);
    QCOMPARE(columnNames(*plans),
             (QStringList{u"code"_s, u"amount"_s, u"id"_s, u"rev"_s, u"created_at"_s,
                          u"updated_at"_s, u"created_by"_s, u"updated_by"_s}));
    QCOMPARE(plans->column(u"rev")->type, u"integer"_s);
    QCOMPARE(plans->editableColumns(), (QStringList{u"code"_s, u"amount"_s}));
}

void TestResourceSchema::declaredIdFieldIsNotEditable()
{
    // A plain AegisX file may declare its key and timestamps itself; they are not repeated.
    QJsonObject id = field(u"code"_s, u"string"_s);
    id.insert(u"label"_s, u"Code"_s);
    const QJsonObject doc = document({resource(
        u"items"_s, {id, field(u"name"_s, u"string"_s), field(u"created_at"_s, u"datetime"_s)},
        {{u"idField"_s, u"code"_s}, {u"versionField"_s, QJsonValue::Null}})});
    QString error;
    const auto s = ResourceSchema::fromSchemaDocument(doc, u"items"_s, &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(columnNames(*s),
             (QStringList{u"code"_s, u"name"_s, u"created_at"_s, u"updated_at"_s, u"created_by"_s,
                          u"updated_by"_s}));
    QCOMPARE(s->column(u"code")->label, u"Code"_s);
    QVERIFY(!s->column(u"code")->editable);
    QCOMPARE(s->editableColumns(), (QStringList{u"name"_s, u"created_at"_s}));
}

void TestResourceSchema::named()
{
    const auto s = ResourceSchema::named(u"budget-plans"_s);
    QVERIFY(s.isValid());
    QCOMPARE(s.name, u"budget-plans"_s);
    QCOMPARE(s.restPath, u"/api/budget-plans"_s);
    QCOMPARE(s.feature, u"budget-plans"_s);
    // AegisX names the entity in the singular: a guess from the name would be wrong.
    QVERIFY(s.entity.isEmpty());
    QCOMPARE(s.importModule, u"budgetPlans"_s);
    QCOMPARE(s.idField, u"id"_s);
    QVERIFY(!s.hasVersions());
    QVERIFY(s.columns.isEmpty());
    QCOMPARE(ResourceSchema::named(u"stock_items"_s).importModule, u"stockItems"_s);
    QCOMPARE(ResourceSchema::named(u"users"_s).importModule, u"users"_s);
    QVERIFY(!ResourceSchema().isValid());
}

void TestResourceSchema::inferTypes()
{
    const QJsonArray records{
        QJsonObject{{u"id"_s, 1},
                    {u"name"_s, u"One"_s},
                    {u"price"_s, 2},
                    {u"active"_s, true},
                    {u"born"_s, u"1980-02-29"_s},
                    {u"seen_at"_s, u"2024-05-01T08:30:00.000Z"_s},
                    {u"note"_s, QJsonValue::Null}},
        QJsonObject{{u"id"_s, 2},
                    {u"name"_s, u"Two"_s},
                    {u"price"_s, 2.5},
                    {u"active"_s, false},
                    {u"born"_s, u"1990-01-01"_s},
                    {u"seen_at"_s, u"2024-05-01 09:00:00"_s},
                    {u"tags"_s, QJsonArray{u"a"_s}},
                    {u"mixed"_s, 3}},
        QJsonObject{{u"id"_s, 3},
                    {u"name"_s, u"Line\nbreak"_s},
                    {u"born"_s, u"not a date"_s},
                    {u"mixed"_s, u"three"_s},
                    {u"bad_day"_s, u"2023-02-30"_s}},
    };
    const auto s = ResourceSchema::infer(u"things"_s, records);
    QCOMPARE(s.restPath, u"/api/things"_s);
    QCOMPARE(s.idField, u"id"_s);
    QVERIFY(!s.hasVersions());
    // First-seen order across records (a QJsonObject holds its own keys sorted).
    QCOMPARE(columnNames(s),
             (QStringList{u"active"_s, u"born"_s, u"id"_s, u"name"_s, u"note"_s, u"price"_s,
                          u"seen_at"_s, u"mixed"_s, u"tags"_s, u"bad_day"_s}));
    QCOMPARE(s.column(u"id")->type, u"integer"_s);
    QCOMPARE(s.column(u"name")->type, u"text"_s);
    QCOMPARE(s.column(u"price")->type, u"number"_s);
    QCOMPARE(s.column(u"active")->type, u"boolean"_s);
    QCOMPARE(s.column(u"born")->type, u"string"_s); // one value is not a date
    QCOMPARE(s.column(u"seen_at")->type, u"datetime"_s);
    QCOMPARE(s.column(u"note")->type, u"string"_s); // only nulls
    QCOMPARE(s.column(u"tags")->type, u"string"_s);
    QCOMPARE(s.column(u"mixed")->type, u"string"_s);
    QCOMPARE(s.column(u"bad_day")->type, u"string"_s);
    for (const auto &c : s.columns)
        QVERIFY2(!c.editable && !c.system, qPrintable(c.name));
    QVERIFY(s.editableColumns().isEmpty());

    const auto dates = ResourceSchema::infer(
        u"d"_s,
        {QJsonObject{{u"day"_s, u"2024-01-31"_s}}, QJsonObject{{u"day"_s, u"2024-02-29"_s}}});
    QCOMPARE(dates.column(u"day")->type, u"date"_s);
}

void TestResourceSchema::inferVersion()
{
    const auto versioned
        = ResourceSchema::infer(u"v"_s,
                                {QJsonObject{{u"id"_s, u"a"_s}, {u"version"_s, 1}},
                                 QJsonObject{{u"id"_s, u"b"_s}, {u"version"_s, 7}}});
    QCOMPARE(versioned.versionField, u"version"_s);
    QCOMPARE(versioned.column(u"id")->type, u"string"_s);

    const auto oneMissing = ResourceSchema::infer(
        u"v"_s, {QJsonObject{{u"id"_s, 1}, {u"version"_s, 1}}, QJsonObject{{u"id"_s, 2}}});
    QVERIFY(!oneMissing.hasVersions());

    const auto notInteger
        = ResourceSchema::infer(u"v"_s,
                                {QJsonObject{{u"id"_s, 1}, {u"version"_s, 1}},
                                 QJsonObject{{u"id"_s, 2}, {u"version"_s, u"2"_s}}});
    QVERIFY(!notInteger.hasVersions());

    const auto fraction
        = ResourceSchema::infer(u"v"_s, {QJsonObject{{u"id"_s, 1}, {u"version"_s, 1.5}}});
    QVERIFY(!fraction.hasVersions());
}

void TestResourceSchema::inferEmpty()
{
    const auto s = ResourceSchema::infer(u"empty"_s, {});
    QVERIFY(s.isValid());
    QVERIFY(s.columns.isEmpty());
    QVERIFY(!s.hasVersions());
    QCOMPARE(s.idField, u"id"_s);
}

void TestResourceSchema::toJsonRoundTrip()
{
    const QJsonObject clinical = readJson(clinicalPath);
    const QJsonArray resources = clinical.value(u"resources").toArray();
    QCOMPARE(resources.size(), 3);
    for (const QJsonValue r : resources) {
        const QString name = r.toObject().value(u"name").toString();
        QString error;
        const auto original = ResourceSchema::fromSchemaFile(clinicalPath, name, &error);
        QVERIFY2(original, qPrintable(error));
        const QJsonObject json = original->toJson();
        // Only the declared fields, in the format the server reads.
        QCOMPARE(json.value(u"fields").toArray().size(),
                 r.toObject().value(u"fields").toArray().size());
        QVERIFY(!json.contains(u"idField"));
        QVERIFY(!json.contains(u"versionField"));

        const auto again = ResourceSchema::fromSchemaDocument(document({json}), name, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->toJson(), json);
        QCOMPARE(columnNames(*again), columnNames(*original));
        for (qsizetype i = 0; i < original->columns.size(); ++i) {
            const auto &a = original->columns.at(i);
            const auto &b = again->columns.at(i);
            QCOMPARE(b.label, a.label);
            QCOMPARE(b.type, a.type);
            QCOMPARE(b.enumValues, a.enumValues);
            QCOMPARE(b.editable, a.editable);
            QCOMPARE(b.required, a.required);
            QCOMPARE(b.defaultValue, a.defaultValue);
            QCOMPARE(b.maxLength, a.maxLength);
            QCOMPARE(b.system, a.system);
        }
        QCOMPARE(again->restPath, original->restPath);
        QCOMPARE(again->feature, original->feature);
        QCOMPARE(again->entity, original->entity);
        QCOMPARE(again->importModule, original->importModule);
        QCOMPARE(again->label, original->label);
    }
}

void TestResourceSchema::toJsonOfOverrides()
{
    const QJsonObject doc = document(
        {resource(u"budgets"_s, {field(u"code"_s, u"string"_s)},
                  {{u"idField"_s, u"uuid"_s}, {u"versionField"_s, QJsonValue::Null}}),
         resource(u"plans"_s, {field(u"code"_s, u"string"_s)}, {{u"versionField"_s, u"rev"_s}})});
    for (const QString &name : {u"budgets"_s, u"plans"_s}) {
        QString error;
        const auto s = ResourceSchema::fromSchemaDocument(doc, name, &error);
        QVERIFY2(s, qPrintable(error));
        const auto again
            = ResourceSchema::fromSchemaDocument(document({s->toJson()}), name, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->idField, s->idField);
        QCOMPARE(again->versionField, s->versionField);
        QCOMPARE(columnNames(*again), columnNames(*s));
        QCOMPARE(again->toJson(), s->toJson());
    }
    const QJsonObject budgets
        = ResourceSchema::fromSchemaDocument(doc, u"budgets"_s, nullptr)->toJson();
    QCOMPARE(budgets.value(u"idField"), QJsonValue(u"uuid"_s));
    QVERIFY(budgets.value(u"versionField").isNull());

    // An inferred schema written out reads back with the same columns.
    const auto inferred = ResourceSchema::infer(
        u"things"_s, {QJsonObject{{u"id"_s, 1}, {u"version"_s, 2}, {u"name"_s, u"x"_s}}});
    QString error;
    const auto reread
        = ResourceSchema::fromSchemaDocument(document({inferred.toJson()}), u"things"_s, &error);
    QVERIFY2(reread, qPrintable(error));
    QCOMPARE(reread->versionField, u"version"_s);
    QCOMPARE(reread->column(u"name")->editable, false);
    QCOMPARE(reread->columns.at(0).name, u"id"_s);
    QCOMPARE(reread->columns.at(1).name, u"name"_s);
    QCOMPARE(reread->columns.at(2).name, u"version"_s);
}

// The demo bounds a date of birth to the past; a schema may bound any date or datetime, and
// the client judges a value by the rule the server applies (in the record's own form).
void TestResourceSchema::dateBounds()
{
    QString error;
    const auto clinical = ResourceSchema::fromSchemaFile(clinicalPath, u"patients"_s, &error);
    QVERIFY2(clinical, qPrintable(error));
    const ResourceSchema::Column *born = clinical->column(u"date_of_birth");
    QVERIFY(born);
    QVERIFY(born->notFuture);
    using Bound = ResourceSchema::Bound;
    const QDateTime now(QDate(2026, 12, 7), QTime(9, 0));
    QCOMPARE(ResourceSchema::bound(*born, u"2099-02-05"_s, now), Bound::InFuture);
    QCOMPARE(ResourceSchema::bound(*born, u"2026-12-08"_s, now), Bound::InFuture);
    QCOMPARE(ResourceSchema::bound(*born, u"2026-12-07"_s, now), Bound::Within); // born today
    QCOMPARE(ResourceSchema::bound(*born, u"1980-02-03"_s, now), Bound::Within);
    QCOMPARE(ResourceSchema::bound(*born, QJsonValue::Null, now), Bound::Within);

    QJsonObject seen = field(u"seen"_s, u"datetime"_s);
    seen.insert(u"min"_s, u"2024-05-01T08:30:00+07:00"_s);
    seen.insert(u"max"_s, u"2030-01-01T00:00:00Z"_s);
    seen.insert(u"notFuture"_s, true);
    QJsonObject due = field(u"due"_s, u"date"_s);
    due.insert(u"min"_s, u"2024-01-01"_s);
    due.insert(u"max"_s, u"2024-12-31"_s);
    const auto s = ResourceSchema::fromSchemaDocument(document({resource(u"r"_s, {seen, due})}),
                                                      u"r"_s, &error);
    QVERIFY2(s, qPrintable(error));
    const ResourceSchema::Column *c = s->column(u"seen");
    QCOMPARE(c->min, u"2024-05-01T01:30:00.000Z"_s); // kept as records carry it
    QCOMPARE(c->max, u"2030-01-01T00:00:00.000Z"_s);
    const QDateTime utcNow(QDate(2026, 12, 7), QTime(9, 0), QTimeZone::utc());
    QCOMPARE(ResourceSchema::bound(*c, u"2024-05-01T01:29:59.999Z"_s, utcNow), Bound::BeforeMin);
    QCOMPARE(ResourceSchema::bound(*c, u"2024-05-01T01:30:00.000Z"_s, utcNow), Bound::Within);
    QCOMPARE(ResourceSchema::bound(*c, u"2026-12-07T09:00:01.000Z"_s, utcNow), Bound::InFuture);
    QCOMPARE(ResourceSchema::bound(*c, u"2026-12-07T16:00:00+07:00"_s, utcNow), Bound::Within);
    const ResourceSchema::Column *d = s->column(u"due");
    QCOMPARE(ResourceSchema::bound(*d, u"2023-12-31"_s, now), Bound::BeforeMin);
    QCOMPARE(ResourceSchema::bound(*d, u"2025-01-01"_s, now), Bound::AfterMax);
    QCOMPARE(ResourceSchema::bound(*d, u"2024-06-30"_s, now), Bound::Within);

    // Written back as read.
    const QJsonArray fields = s->toJson().value(u"fields").toArray();
    QCOMPARE(fields.at(1).toObject().value(u"min").toString(), u"2024-01-01"_s);
    QCOMPARE(fields.at(0).toObject().value(u"notFuture").toBool(), true);
}

// A file is written by people: a bound that is no date, or on a field that is none, is an error.
void TestResourceSchema::dateBoundsInFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto refused = [&dir](const QJsonObject &f, const QString &expected) {
        const QString path = dir.filePath(u"bounds.json"_s);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        file.write(QJsonDocument(document({resource(u"r"_s, {f})})).toJson());
        file.close();
        QString error;
        if (ResourceSchema::fromSchemaFile(path, u"r"_s, &error))
            return false;
        if (!error.contains(expected))
            qWarning() << "got" << error;
        return error.contains(expected);
    };
    QJsonObject f = field(u"a"_s, u"date"_s);
    f.insert(u"min"_s, u"2024-02-30"_s);
    QVERIFY(refused(f, u"has a \"min\" that is not a date"_s));
    f = field(u"a"_s, u"integer"_s);
    f.insert(u"notFuture"_s, true);
    QVERIFY(refused(f, u"has \"notFuture\" but is not a date or datetime"_s));
}

void TestResourceSchema::allowedActions()
{
    // What /api/schema tells a read-only user: the role, and per resource what it may do.
    QJsonObject data
        = document({resource(u"patients"_s, {field(u"hn"_s, u"string"_s)},
                             {{u"label"_s, u"Patients"_s}, {u"allowed"_s, QJsonArray{u"read"_s}}}),
                    resource(u"codes"_s, {field(u"code"_s, u"string"_s)},
                             {{u"label"_s, u"HN codes"_s},
                              {u"allowed"_s, QJsonArray{u"read"_s, u"create"_s, u"future"_s}}})});
    data.insert(u"role"_s, u"auditor"_s);
    const QJsonObject envelope{{u"success"_s, true}, {u"data"_s, data}};
    QString error;
    const auto patients = ResourceSchema::fromSchemaDocument(envelope, u"patients"_s, &error);
    QVERIFY2(patients, qPrintable(error));
    QCOMPARE(patients->role, u"auditor"_s);
    QCOMPARE(patients->allowed, QStringList{u"read"_s});
    QVERIFY(patients->allows(ResourceSchema::Action::Read));
    QVERIFY(!patients->allows(ResourceSchema::Action::Create));
    QVERIFY(!patients->allows(ResourceSchema::Action::Update));
    QVERIFY(!patients->allows(ResourceSchema::Action::Delete));
    QCOMPARE(patients->refusal(ResourceSchema::Action::Read), QString());
    QCOMPARE(patients->refusal(ResourceSchema::Action::Delete),
             u"Your role (auditor) may only read patients."_s);
    QCOMPARE(patients->refusal(ResourceSchema::Action::Create),
             u"Your role (auditor) may only read patients."_s);

    // An action this client does not know is left out; the sentence names what is refused.
    const auto codes = ResourceSchema::fromSchemaDocument(data, u"codes"_s, &error);
    QVERIFY2(codes, qPrintable(error));
    QCOMPARE(codes->allowed, (QStringList{u"read"_s, u"create"_s}));
    QVERIFY(codes->allows(ResourceSchema::Action::Create));
    QCOMPARE(codes->refusal(ResourceSchema::Action::Update),
             u"Your role (auditor) may not change HN codes."_s);
    QCOMPARE(codes->refusal(ResourceSchema::Action::Delete),
             u"Your role (auditor) may not delete HN codes."_s);

    // The restriction survives the schema format (a --schema file written from it).
    const auto again
        = ResourceSchema::fromSchemaDocument(document({patients->toJson()}), u"patients"_s, &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->allowed, QStringList{u"read"_s});
}

void TestResourceSchema::allowedAbsentMeansEverything()
{
    // AegisX says nothing about roles: everything is offered, the server decides.
    QString error;
    const auto s = ResourceSchema::fromSchemaDocument(
        document({resource(u"stock"_s, {field(u"sku"_s, u"string"_s)})}), u"stock"_s, &error);
    QVERIFY2(s, qPrintable(error));
    QVERIFY(s->role.isEmpty());
    for (const auto action : {ResourceSchema::Action::Read, ResourceSchema::Action::Create,
                              ResourceSchema::Action::Update, ResourceSchema::Action::Delete}) {
        QVERIFY(s->allows(action));
        QVERIFY(s->refusal(action).isEmpty());
    }
    QVERIFY(!s->toJson().contains(u"allowed"));
    QVERIFY(ResourceSchema::named(u"stock"_s).allows(ResourceSchema::Action::Delete));

    // Without a role the sentence does not invent one.
    auto readOnly = *s;
    readOnly.allowed = {u"read"_s};
    QCOMPARE(readOnly.refusal(ResourceSchema::Action::Create),
             u"The server lets you only read stock."_s);
}

void TestResourceSchema::allowedInFiles()
{
    // A file for a plain AegisX server may make a resource read-only in the workstation;
    // `permissions` in the server's format is accepted and left to the server.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"allowed.json"_s);
    const auto write = [&path](const QJsonObject &doc) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(doc).toJson());
    };
    write(document({resource(u"r"_s, {field(u"a"_s, u"string"_s)},
                             {{u"allowed"_s, QJsonArray{u"read"_s}},
                              {u"permissions"_s, QJsonObject{{u"*"_s, QJsonArray{u"read"_s}}}}})}));
    QString error;
    const auto s = ResourceSchema::fromSchemaFile(path, u"r"_s, &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->allowed, QStringList{u"read"_s});

    // A misspelt action in a file is an error, not a silent refusal.
    write(document(
        {resource(u"r"_s, {field(u"a"_s, u"string"_s)}, {{u"allowed"_s, QJsonArray{u"raed"_s}}})}));
    QVERIFY(!ResourceSchema::fromSchemaFile(path, u"r"_s, &error));
    QVERIFY2(error.contains(u"\"raed\" in \"allowed\""_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestResourceSchema)
#include "tst_resourceschema.moc"
