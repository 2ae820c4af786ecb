// SPDX-License-Identifier: MIT
// ServerSchema, ResourceSpec, FieldSpec and UserSpec: reading the schema file, its defaults,
// and a clear error (with its location) for every kind of bad schema.

#include "serverschema.h"
#include "storetestschema.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk::server;

namespace {

// A minimal valid schema with @p fields as the only resource's fields.
QJsonObject withFields(const QJsonArray &fields)
{
    return QJsonObject{
        {"name"_L1, u"t"_s},
        {"resources"_L1, QJsonArray{QJsonObject{{"name"_L1, u"things"_s}, {"fields"_L1, fields}}}},
    };
}

QJsonObject withField(const QJsonObject &field)
{
    return withFields(QJsonArray{field});
}

QJsonObject withResources(const QJsonArray &resources)
{
    return QJsonObject{{"name"_L1, u"t"_s}, {"resources"_L1, resources}};
}

QJsonObject resource(const QString &name, const QJsonObject &extra = {})
{
    QJsonObject r{
        {"name"_L1, name},
        {"fields"_L1, QJsonArray{QJsonObject{{"name"_L1, u"a"_s}, {"type"_L1, u"string"_s}}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        r.insert(it.key(), it.value());
    return r;
}

QJsonObject withUser(const QJsonObject &user)
{
    QJsonObject json = withField(QJsonObject{{"name"_L1, u"a"_s}, {"type"_L1, u"string"_s}});
    json.insert("tenants"_L1, QJsonArray{u"ward-a"_s});
    json.insert("users"_L1, QJsonArray{user});
    return json;
}

QJsonObject goodUser(const QJsonObject &overrides = {})
{
    static const QString hash = PasswordHash::hash(u"pw"_s, 1000);
    QJsonObject u{{"id"_L1, u"u1"_s},
                  {"email"_L1, u"a@b.c"_s},
                  {"tenant"_L1, u"ward-a"_s},
                  {"passwordHash"_L1, hash}};
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        u.insert(it.key(), it.value());
    return u;
}

QJsonObject field(const QString &name, const QString &type, const QJsonObject &extra = {})
{
    QJsonObject f{{"name"_L1, name}, {"type"_L1, type}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        f.insert(it.key(), it.value());
    return f;
}

} // namespace

class TestSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsTheFile();
    void fieldAttributesAndDefaults();
    void resourceDefaults();
    void topLevelDefaults();
    void lookups();
    void publicJsonHasNoUsersAndRoundTrips();
    void fieldJsonRoundTrip();
    void dateBoundsRoundTrip();
    void loadErrors();
    void badSchema_data();
    void badSchema();
    void failedParseLeavesOutputAlone();
};

void TestSchema::loadsTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"schema.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(storetest::schemaJson()).toJson());
    file.close();

    ServerSchema schema;
    QString error;
    QVERIFY2(ServerSchema::load(path, &schema, &error), qPrintable(error));
    QCOMPARE(schema.name, u"clinical"_s);
    QCOMPARE(schema.version, 1);
    QCOMPARE(schema.tenants, QStringList({u"ward-a"_s, u"ward-b"_s}));
    QCOMPARE(schema.resources.size(), 3);
    QCOMPARE(schema.users.size(), 1);

    const ResourceSpec &patients = schema.resources.first();
    QCOMPARE(patients.name, u"patients"_s);
    QCOMPARE(patients.label, u"Patients"_s);
    QCOMPARE(patients.path, u"/api/patients"_s);
    QCOMPARE(patients.feature, u"patients"_s);
    QCOMPARE(patients.entity, u"patient"_s);
    QCOMPARE(patients.importModule, u"patients"_s);
    QCOMPARE(patients.fields.size(), 13);
    // The demo block is kept as written, opaque.
    QCOMPARE(patients.demo.value("count"_L1).toInt(), 3);
    QCOMPARE(patients.demo.value("seed"_L1).toArray().size(), 1);

    const UserSpec &nurse = schema.users.first();
    QCOMPARE(nurse.id, u"u-nurse"_s);
    QCOMPARE(nurse.name, u"Nurse Joy"_s);
    QCOMPARE(nurse.role, u"nurse"_s);
    QCOMPARE(nurse.tenant, u"ward-a"_s);
    QVERIFY(PasswordHash::verify(u"secret"_s, nurse.passwordHash));
    QVERIFY(!nurse.toPublicJson().contains("passwordHash"_L1));
    QCOMPARE(nurse.toPublicJson().value("email"_L1).toString(), u"nurse@demo.local"_s);
}

void TestSchema::fieldAttributesAndDefaults()
{
    const ServerSchema schema = storetest::schema();
    const ResourceSpec &p = *schema.resourceByName(u"patients");

    const FieldSpec *hn = p.field(u"hn");
    QVERIFY(hn);
    QCOMPARE(hn->label, u"HN"_s);
    QCOMPARE(hn->type, FieldSpec::Type::String);
    QVERIFY(hn->required);
    QVERIFY(hn->unique);
    QVERIFY(hn->searchable);
    QVERIFY(hn->editable);
    QCOMPARE(hn->maxLength, 20);
    QVERIFY(!hn->hasDefault());

    const FieldSpec *name = p.field(u"name");
    QCOMPARE(name->label, u"name"_s); // the name when no label is given
    QVERIFY(!name->unique);

    const FieldSpec *sex = p.field(u"sex");
    QCOMPARE(sex->type, FieldSpec::Type::Enum);
    QCOMPARE(sex->values, QStringList({u"male"_s, u"female"_s, u"other"_s, u"unknown"_s}));
    QCOMPARE(sex->defaultValue, QJsonValue(u"unknown"_s));
    QVERIFY(!sex->required);

    QCOMPARE(p.field(u"date_of_birth")->type, FieldSpec::Type::Date);
    QCOMPARE(p.field(u"weight_kg")->type, FieldSpec::Type::Number);
    QCOMPARE(p.field(u"bed")->type, FieldSpec::Type::Integer);
    QCOMPARE(p.field(u"isolation")->type, FieldSpec::Type::Boolean);
    QCOMPARE(p.field(u"isolation")->defaultValue, QJsonValue(false));
    QCOMPARE(p.field(u"admitted_at")->type, FieldSpec::Type::DateTime);
    QCOMPARE(p.field(u"notes")->type, FieldSpec::Type::Text);
    QVERIFY(!p.field(u"source")->editable);
    QVERIFY(!p.field(u"nope"));

    // System columns are found by column(), not by field().
    QVERIFY(!p.field(u"id"));
    QCOMPARE(p.column(u"id")->type, FieldSpec::Type::Integer);
    QCOMPARE(p.column(u"created_at")->type, FieldSpec::Type::DateTime);
    QCOMPARE(p.column(u"updated_by")->type, FieldSpec::Type::String);
    QVERIFY(!p.column(u"tenant"));

    // Searchable fields when marked; all string/text fields when none is.
    QCOMPARE(p.searchFields().size(), 2);
    const ResourceSpec &simple = *schema.resourceByName(u"simple");
    QCOMPARE(simple.searchFields().size(), 2); // code, name
}

void TestSchema::resourceDefaults()
{
    const ServerSchema schema = storetest::schema();
    const ResourceSpec &simple = *schema.resourceByName(u"simple");
    QCOMPARE(simple.label, u"simple"_s);
    QCOMPARE(simple.path, u"/api/simple"_s);
    QCOMPARE(simple.feature, u"simple"_s);
    QCOMPARE(simple.entity, u"simple"_s);
    QCOMPARE(simple.importModule, u"simple"_s);
    QVERIFY(simple.demo.isEmpty());
}

void TestSchema::topLevelDefaults()
{
    ServerSchema schema;
    QString error;
    QJsonObject json = withField(field(u"a"_s, u"string"_s));
    json["users"_L1] = QJsonArray{[] {
        QJsonObject u = goodUser();
        u.remove("tenant"_L1);
        return u;
    }()};
    QVERIFY2(ServerSchema::fromJson(json, &schema, &error), qPrintable(error));
    QCOMPARE(schema.version, 1);
    QCOMPARE(schema.tenants, QStringList{u"default"_s});
    QCOMPARE(schema.users.first().tenant, u"default"_s);
    QCOMPARE(schema.users.first().role, u"user"_s);
    QCOMPARE(schema.users.first().name, u"a@b.c"_s);
}

void TestSchema::lookups()
{
    const ServerSchema schema = storetest::schema();
    QCOMPARE(schema.resourceByName(u"stock")->path, u"/api/inventory/stock"_s);
    QVERIFY(!schema.resourceByName(u"Stock"));
    QCOMPARE(schema.resourceByPath(u"/api/inventory/stock")->name, u"stock"_s);
    QCOMPARE(schema.resourceByPath(u"/api/inventory/stock/")->name, u"stock"_s);
    QVERIFY(!schema.resourceByPath(u"/api/inventory"));
    QVERIFY(!schema.resourceByPath(u"/api/patients/1"));
    QCOMPARE(schema.userByEmail(u"NURSE@demo.local")->id, u"u-nurse"_s);
    QCOMPARE(schema.userByEmail(u" nurse@demo.local ")->id, u"u-nurse"_s);
    QVERIFY(!schema.userByEmail(u"doctor@demo.local"));
    QCOMPARE(schema.userById(u"u-nurse")->email, u"nurse@demo.local"_s);
    QVERIFY(!schema.userById(u"U-NURSE"));
}

void TestSchema::publicJsonHasNoUsersAndRoundTrips()
{
    const ServerSchema schema = storetest::schema();
    const QJsonObject json = schema.toPublicJson();
    QVERIFY(!json.contains("users"_L1));
    QVERIFY(!json.value("resources"_L1).toArray().first().toObject().contains("demo"_L1));
    QVERIFY(!QJsonDocument(json).toJson().contains("pbkdf2"));

    ServerSchema again;
    QString error;
    QVERIFY2(ServerSchema::fromJson(json, &again, &error), qPrintable(error));
    QCOMPARE(again.toPublicJson(), json);
    QCOMPARE(again.resources.size(), schema.resources.size());
}

void TestSchema::fieldJsonRoundTrip()
{
    const QJsonObject declared = field(u"status"_s, u"enum"_s,
                                       {{"label"_L1, u"Status"_s},
                                        {"values"_L1, QJsonArray{u"a"_s, u"b"_s}},
                                        {"default"_L1, u"b"_s},
                                        {"required"_L1, true},
                                        {"editable"_L1, false},
                                        {"ui"_L1, QJsonObject{{"width"_L1, 80}}}});
    FieldSpec f;
    QString error;
    QVERIFY2(FieldSpec::fromJson(declared, &f, &error), qPrintable(error));
    QCOMPARE(f.toJson(), declared);
}

// Date bounds are read, normalized (a datetime in UTC) and written back.
void TestSchema::dateBoundsRoundTrip()
{
    FieldSpec f;
    QString error;
    QVERIFY2(FieldSpec::fromJson(
                 field(u"seen"_s, u"datetime"_s,
                       {{"min"_L1, u"2024-05-01T08:30:00+07:00"_s}, {"notFuture"_L1, true}}),
                 &f, &error),
             qPrintable(error));
    QCOMPARE(f.min, u"2024-05-01T01:30:00.000Z"_s);
    QVERIFY(f.max.isEmpty());
    QVERIFY(f.notFuture);
    QCOMPARE(f.toJson(),
             field(u"seen"_s, u"datetime"_s,
                   {{"min"_L1, u"2024-05-01T01:30:00.000Z"_s}, {"notFuture"_L1, true}}));

    const ServerSchema schema = storetest::schema();
    const FieldSpec *born = schema.resourceByName(u"patients")->field(u"date_of_birth");
    QCOMPARE(born->min, u"1900-01-01"_s);
    QVERIFY(born->notFuture);
}

void TestSchema::loadErrors()
{
    QTemporaryDir dir;
    ServerSchema schema;
    QString error;
    QVERIFY(!ServerSchema::load(dir.filePath(u"missing.json"_s), &schema, &error));
    QVERIFY2(error.contains(u"missing.json"_s), qPrintable(error));

    const QString path = dir.filePath(u"bad.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"name\": ");
    file.close();
    QVERIFY(!ServerSchema::load(path, &schema, &error));
    QVERIFY2(error.contains(u"not valid JSON"_s), qPrintable(error));

    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("[1, 2]");
    file.close();
    QVERIFY(!ServerSchema::load(path, &schema, &error));
    QVERIFY2(error.contains(u"JSON object"_s), qPrintable(error));
}

void TestSchema::badSchema_data()
{
    QTest::addColumn<QJsonObject>("json");
    QTest::addColumn<QString>("expected"); // a piece of the error message

    const QJsonObject str = field(u"a"_s, u"string"_s);

    // Top level.
    QTest::newRow("no name") << QJsonObject{{"resources"_L1, withField(str).value("resources"_L1)}}
                             << u"\"name\""_s;
    {
        QJsonObject j = withField(str);
        j.insert("colour"_L1, u"red"_s);
        QTest::newRow("unknown top-level attribute")
            << j << u"unknown top-level attribute \"colour\""_s;
        j = withField(str);
        j.insert("version"_L1, 0);
        QTest::newRow("version 0") << j << u"\"version\""_s;
        j.insert("version"_L1, 1.5);
        QTest::newRow("version 1.5") << j << u"\"version\""_s;
        j = withField(str);
        j.insert("tenants"_L1, QJsonArray{});
        QTest::newRow("no tenants") << j << u"\"tenants\""_s;
        j.insert("tenants"_L1, QJsonArray{u"a"_s, u"a"_s});
        QTest::newRow("duplicate tenant") << j << u"tenants[1]: \"a\" is listed twice"_s;
        j.insert("tenants"_L1, QJsonArray{u"ward a"_s});
        QTest::newRow("tenant with a space") << j << u"tenants[0]"_s;
    }
    QTest::newRow("no resources") << QJsonObject{{"name"_L1, u"t"_s}} << u"\"resources\""_s;
    QTest::newRow("empty resources") << withResources({}) << u"\"resources\""_s;

    // Resources.
    QTest::newRow("resource without fields") << withResources({QJsonObject{{"name"_L1, u"x"_s}}})
                                             << u"resources[0] (\"x\"): \"fields\""_s;
    QTest::newRow("empty fields") << withFields({}) << u"\"fields\" must be a non-empty array"_s;
    QTest::newRow("bad resource name")
        << withResources({resource(u"2things"_s)}) << u"resources[0] (\"2things\"): \"name\""_s;
    QTest::newRow("reserved resource name")
        << withResources({resource(u"livedesk_meta"_s)}) << u"reserved"_s;
    QTest::newRow("sqlite resource name")
        << withResources({resource(u"sqlite_x"_s)}) << u"reserved"_s;
    QTest::newRow("unknown resource attribute")
        << withResources({resource(u"x"_s, {{"feild"_L1, 1}})}) << u"unknown attribute \"feild\""_s;
    QTest::newRow("duplicate resource")
        << withResources({resource(u"x"_s), resource(u"X"_s, {{"path"_L1, u"/api/y"_s}})})
        << u"resources[1] (\"X\"): duplicate resource name"_s;
    QTest::newRow("duplicate path")
        << withResources({resource(u"x"_s), resource(u"y"_s, {{"path"_L1, u"/api/x"_s}})})
        << u"path /api/x is already used by \"x\""_s;
    QTest::newRow("nested path") << withResources(
        {resource(u"x"_s), resource(u"y"_s, {{"path"_L1, u"/api/x/y"_s}})})
                                 << u"nests with /api/x"_s;
    QTest::newRow("same feature and entity")
        << withResources({resource(u"x"_s, {{"feature"_L1, u"f"_s}, {"entity"_L1, u"e"_s}}),
                          resource(u"y"_s, {{"feature"_L1, u"f"_s}, {"entity"_L1, u"e"_s}})})
        << u"\"f.e\" are already used"_s;
    QTest::newRow("same import module")
        << withResources({resource(u"x"_s, {{"importModule"_L1, u"m"_s}}),
                          resource(u"y"_s, {{"importModule"_L1, u"m"_s}})})
        << u"importModule \"m\""_s;
    QTest::newRow("demo not an object")
        << withResources({resource(u"x"_s, {{"demo"_L1, 3}})}) << u"\"demo\" must be an object"_s;

    // Paths.
    const QList<std::pair<QString, QString>> badPaths{
        {u"patients"_s, u"must start with /api/"_s},
        {u"/other/patients"_s, u"must start with /api/"_s},
        {u"/api/patients/"_s, u"must not end with '/'"_s},
        {u"/api//patients"_s, u"empty segment"_s},
        {u"/api/../patients"_s, u"'..'"_s},
        {u"/api/pa tients"_s, u"letters, digits"_s},
        {u"/api/:id"_s, u"letters, digits"_s},
        {u"/api/auth/users"_s, u"/api/auth"_s},
        {u"/api/ws"_s, u"/api/ws"_s},
        {u"/api/"_s, u"must not end"_s},
    };
    for (const auto &[path, message] : badPaths) {
        QTest::addRow("path %s", qPrintable(path))
            << withResources({resource(u"x"_s, {{"path"_L1, path}})}) << message;
    }

    // Fields.
    QTest::newRow("unknown type") << withField(field(u"a"_s, u"varchar"_s))
                                  << u"fields[0] (\"a\"): unknown type \"varchar\""_s;
    QTest::newRow("no type") << withField(QJsonObject{{"name"_L1, u"a"_s}}) << u"\"type\""_s;
    QTest::newRow("enum without values")
        << withField(field(u"a"_s, u"enum"_s)) << u"an enum needs a non-empty \"values\""_s;
    QTest::newRow("enum with empty values")
        << withField(field(u"a"_s, u"enum"_s, {{"values"_L1, QJsonArray{}}}))
        << u"an enum needs a non-empty \"values\""_s;
    QTest::newRow("enum value twice")
        << withField(field(u"a"_s, u"enum"_s, {{"values"_L1, QJsonArray{u"x"_s, u"x"_s}}}))
        << u"listed twice"_s;
    QTest::newRow("enum value not a string")
        << withField(field(u"a"_s, u"enum"_s, {{"values"_L1, QJsonArray{1}}}))
        << u"enum values must be non-empty strings"_s;
    QTest::newRow("values on a string")
        << withField(field(u"a"_s, u"string"_s, {{"values"_L1, QJsonArray{u"x"_s}}}))
        << u"\"values\" applies to enum fields only"_s;
    QTest::newRow("duplicate field") << withFields({str, field(u"a"_s, u"integer"_s)})
                                     << u"fields[1] (\"a\"): duplicate field name"_s;
    QTest::newRow("duplicate field, other case") << withFields({str, field(u"A"_s, u"string"_s)})
                                                 << u"fields[1] (\"A\"): duplicate field name"_s;
    for (const QString &reserved : {u"id"_s, u"version"_s, u"created_at"_s, u"updated_at"_s,
                                    u"created_by"_s, u"updated_by"_s, u"tenant"_s, u"ID"_s}) {
        QTest::addRow("reserved %s", qPrintable(reserved))
            << withField(field(reserved, u"string"_s)) << u"reserved for a system column"_s;
    }
    for (const QString &bad :
         {u"1abc"_s, u"with space"_s, u"semi;colon"_s, u"quote\""_s, u""_s, QString(64, u'a')}) {
        QTest::addRow("field name '%s'", qPrintable(bad.left(10)))
            << withField(field(bad, u"string"_s)) << u"\"name\" must be letters"_s;
    }
    QTest::newRow("misspelt attribute")
        << withField(field(u"a"_s, u"string"_s, {{"requried"_L1, true}}))
        << u"unknown attribute \"requried\""_s;
    QTest::newRow("required not a bool")
        << withField(field(u"a"_s, u"string"_s, {{"required"_L1, u"yes"_s}}))
        << u"must be true or false"_s;
    QTest::newRow("maxLength on an integer")
        << withField(field(u"a"_s, u"integer"_s, {{"maxLength"_L1, 3}}))
        << u"maxLength applies to string and text fields only"_s;
    QTest::newRow("maxLength 0") << withField(field(u"a"_s, u"string"_s, {{"maxLength"_L1, 0}}))
                                 << u"maxLength must be a positive whole number"_s;
    QTest::newRow("maxLength text")
        << withField(field(u"a"_s, u"string"_s, {{"maxLength"_L1, u"20"_s}}))
        << u"maxLength must be a positive whole number"_s;
    QTest::newRow("default not in enum") << withField(
        field(u"a"_s, u"enum"_s, {{"values"_L1, QJsonArray{u"x"_s}}, {"default"_L1, u"y"_s}}))
                                         << u"bad default"_s;
    QTest::newRow("default of the wrong type")
        << withField(field(u"a"_s, u"integer"_s, {{"default"_L1, u"x"_s}})) << u"bad default"_s;
    QTest::newRow("default too long")
        << withField(field(u"a"_s, u"string"_s, {{"maxLength"_L1, 2}, {"default"_L1, u"abc"_s}}))
        << u"bad default"_s;
    QTest::newRow("default not a date")
        << withField(field(u"a"_s, u"date"_s, {{"default"_L1, u"2024-13-01"_s}}))
        << u"bad default"_s;
    QTest::newRow("min on a string") << withField(field(u"a"_s, u"string"_s, {{"min"_L1, u"a"_s}}))
                                     << u"\"min\" applies to date and datetime fields only"_s;
    QTest::newRow("notFuture on an integer")
        << withField(field(u"a"_s, u"integer"_s, {{"notFuture"_L1, true}}))
        << u"\"notFuture\" applies to date and datetime fields only"_s;
    QTest::newRow("min not a date")
        << withField(field(u"a"_s, u"date"_s, {{"min"_L1, u"2024-02-30"_s}}))
        << u"\"min\" must be a date (YYYY-MM-DD)"_s;
    QTest::newRow("max not a datetime")
        << withField(field(u"a"_s, u"datetime"_s, {{"max"_L1, u"2024-02-01"_s}}))
        << u"\"max\" must be a date and time (ISO 8601)"_s;
    QTest::newRow("min after max") << withField(
        field(u"a"_s, u"date"_s, {{"min"_L1, u"2024-02-02"_s}, {"max"_L1, u"2024-02-01"_s}}))
                                   << u"\"min\" is later than \"max\""_s;
    QTest::newRow("notFuture not a boolean")
        << withField(field(u"a"_s, u"date"_s, {{"notFuture"_L1, u"yes"_s}}))
        << u"\"notFuture\" must be true or false"_s;
    QTest::newRow("default out of bounds") << withField(
        field(u"a"_s, u"date"_s, {{"min"_L1, u"2024-01-01"_s}, {"default"_L1, u"2023-12-31"_s}}))
                                           << u"bad default"_s;
    QTest::newRow("field not an object") << withFields({1}) << u"fields[0]: must be an object"_s;

    // Users.
    QTest::newRow("user without id")
        << withUser(goodUser({{"id"_L1, u""_s}})) << u"users[0]: \"id\""_s;
    QTest::newRow("user with a bad email")
        << withUser(goodUser({{"email"_L1, u"nobody"_s}})) << u"users[0]: \"email\""_s;
    QTest::newRow("user with a bad hash")
        << withUser(goodUser({{"passwordHash"_L1, u"secret"_s}})) << u"\"passwordHash\""_s;
    QTest::newRow("user with an unknown tenant")
        << withUser(goodUser({{"tenant"_L1, u"ward-z"_s}})) << u"tenant \"ward-z\" is not listed"_s;
    QTest::newRow("user with a plain password")
        << withUser(goodUser({{"password"_L1, u"secret"_s}}))
        << u"unknown attribute \"password\""_s;
    {
        QJsonObject j = withUser(goodUser());
        j.insert("users"_L1, QJsonArray{goodUser(), goodUser({{"email"_L1, u"x@y.z"_s}})});
        QTest::newRow("duplicate user id") << j << u"users[1]: duplicate user id"_s;
        j.insert("users"_L1,
                 QJsonArray{goodUser(), goodUser({{"id"_L1, u"u2"_s}, {"email"_L1, u"A@B.C"_s}})});
        QTest::newRow("duplicate email") << j << u"users[1]: duplicate email"_s;
    }
}

void TestSchema::badSchema()
{
    QFETCH(QJsonObject, json);
    QFETCH(QString, expected);
    ServerSchema schema;
    QString error;
    QVERIFY(!ServerSchema::fromJson(json, &schema, &error));
    QVERIFY2(error.contains(expected), qPrintable(u"got: "_s + error));
}

void TestSchema::failedParseLeavesOutputAlone()
{
    ServerSchema schema = storetest::schema();
    QString error;
    QVERIFY(!ServerSchema::fromJson(withField(field(u"a"_s, u"blob"_s)), &schema, &error));
    QCOMPARE(schema.name, u"clinical"_s);
    QCOMPARE(schema.resources.size(), 3);
}

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
