// SPDX-License-Identifier: MIT
// RecordStore::validate and coerceFromText: every rule a record body is checked by, the same
// rules CSV imports use. No database here (uniqueness is in tst_store).

#include "recordstore.h"
#include "storetestschema.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk::server;

namespace {

const ServerSchema &schema()
{
    static const ServerSchema s = storetest::schema();
    return s;
}

const ResourceSpec &patients()
{
    return *schema().resourceByName(u"patients");
}

const FieldSpec &field(const QString &name)
{
    return *patients().field(name);
}

QJsonObject valid()
{
    return QJsonObject{{"hn"_L1, u"HN001"_s}, {"name"_L1, u"Somchai"_s}};
}

QJsonObject with(QJsonObject body, const QString &key, const QJsonValue &value)
{
    body.insert(key, value);
    return body;
}

// "field:CODE" of each detail, in order.
QStringList problems(const QJsonObject &body, bool partial = false)
{
    const auto r = RecordStore::validate(patients(), body, partial);
    if (r)
        return {};
    QStringList out;
    for (const QJsonValue d : r.error().details())
        out.append(d.toObject().value("field"_L1).toString() + u':'
                   + d.toObject().value("code"_L1).toString());
    return out;
}

} // namespace

class TestStoreValidation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validBodyIsNormalized();
    void defaultsOnCreateOnly();
    void required();
    void invalidType_data();
    void invalidType();
    void maxLengthCountsCharacters();
    void enums();
    void dates_data();
    void dates();
    void datetimesAreNormalizedToUtc_data();
    void datetimesAreNormalizedToUtc();
    void integersOutOfRange();
    void dateBounds_data();
    void dateBounds();
    void dateBoundsAreNotFilterRules();
    void importsKeepDateBounds();
    void unknownAndSystemFields();
    void everyProblemAtOnce();
    void errorEnvelope();
    void coerceFromText_data();
    void coerceFromText();
    void coerceFromTextErrors_data();
    void coerceFromTextErrors();
};

void TestStoreValidation::validBodyIsNormalized()
{
    const auto r = RecordStore::validate(
        patients(),
        QJsonObject{{"hn"_L1, u"HN001"_s},
                    {"name"_L1, u"Somchai"_s},
                    {"bed"_L1, 12.0}, // a JSON number without fraction is an integer
                    {"weight_kg"_L1, 70},
                    {"isolation"_L1, true},
                    {"date_of_birth"_L1, u"1980-02-29"_s},
                    {"notes"_L1, u"line one\nline two"_s}},
        false);
    QVERIFY(r);
    const QJsonObject v = r.value();
    // Every declared field is there on create, absent ones null or their default.
    QCOMPARE(v.size(), patients().fields.size());
    QCOMPARE(v.value("bed"_L1), QJsonValue(12));
    QCOMPARE(v.value("weight_kg"_L1).toDouble(), 70.0);
    QCOMPARE(v.value("isolation"_L1), QJsonValue(true));
    QCOMPARE(v.value("ward"_L1), QJsonValue(QJsonValue::Null));
    QCOMPARE(v.value("sex"_L1), QJsonValue(u"unknown"_s));
}

void TestStoreValidation::defaultsOnCreateOnly()
{
    auto r = RecordStore::validate(patients(), with(valid(), u"sex"_s, QJsonValue::Null), false);
    QVERIFY(r);
    QCOMPARE(r.value().value("sex"_L1), QJsonValue(u"unknown"_s)); // null takes the default too
    QCOMPARE(r.value().value("status"_L1), QJsonValue(u"admitted"_s));
    QCOMPARE(r.value().value("isolation"_L1), QJsonValue(false));

    // A patch has only what it sends; null clears.
    r = RecordStore::validate(patients(), QJsonObject{{"sex"_L1, QJsonValue::Null}}, true);
    QVERIFY(r);
    QCOMPARE(r.value(), QJsonObject({{"sex"_L1, QJsonValue::Null}}));
    r = RecordStore::validate(patients(), QJsonObject{}, true);
    QVERIFY(r);
    QVERIFY(r.value().isEmpty());
}

void TestStoreValidation::required()
{
    QCOMPARE(problems(QJsonObject{{"name"_L1, u"x"_s}}), QStringList{u"hn:REQUIRED"_s});
    QCOMPARE(problems(with(valid(), u"hn"_s, QJsonValue::Null)), QStringList{u"hn:REQUIRED"_s});
    QCOMPARE(problems(with(valid(), u"hn"_s, u""_s)), QStringList{u"hn:REQUIRED"_s});
    QCOMPARE(problems(with(valid(), u"hn"_s, u"   "_s)), QStringList{u"hn:REQUIRED"_s});
    QCOMPARE(problems(QJsonObject{}), QStringList({u"hn:REQUIRED"_s, u"name:REQUIRED"_s}));
    // In a patch, absent is fine but clearing is not.
    QCOMPARE(problems(QJsonObject{{"ward"_L1, u"3A"_s}}, true), QStringList{});
    QCOMPARE(problems(QJsonObject{{"name"_L1, QJsonValue::Null}}, true),
             QStringList{u"name:REQUIRED"_s});
    QCOMPARE(problems(QJsonObject{{"name"_L1, u""_s}}, true), QStringList{u"name:REQUIRED"_s});
}

void TestStoreValidation::invalidType_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("code");
    QTest::newRow("string gets a number") << u"ward"_s << QJsonValue(3) << u"INVALID_TYPE"_s;
    QTest::newRow("string gets an object")
        << u"ward"_s << QJsonValue(QJsonObject{}) << u"INVALID_TYPE"_s;
    QTest::newRow("text gets a bool") << u"notes"_s << QJsonValue(true) << u"INVALID_TYPE"_s;
    QTest::newRow("integer gets a fraction") << u"bed"_s << QJsonValue(1.5) << u"INVALID_TYPE"_s;
    QTest::newRow("integer gets a string") << u"bed"_s << QJsonValue(u"12"_s) << u"INVALID_TYPE"_s;
    QTest::newRow("number gets a string")
        << u"weight_kg"_s << QJsonValue(u"70"_s) << u"INVALID_TYPE"_s;
    QTest::newRow("boolean gets a string")
        << u"isolation"_s << QJsonValue(u"true"_s) << u"INVALID_TYPE"_s;
    QTest::newRow("boolean gets 1") << u"isolation"_s << QJsonValue(1) << u"INVALID_TYPE"_s;
    QTest::newRow("date gets a number")
        << u"date_of_birth"_s << QJsonValue(19800229) << u"INVALID_TYPE"_s;
    QTest::newRow("datetime gets a number")
        << u"admitted_at"_s << QJsonValue(1700000000) << u"INVALID_TYPE"_s;
    QTest::newRow("enum gets a number") << u"sex"_s << QJsonValue(1) << u"INVALID_ENUM"_s;
    QTest::newRow("array") << u"name"_s << QJsonValue(QJsonArray{u"a"_s}) << u"INVALID_TYPE"_s;
}

void TestStoreValidation::invalidType()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, code);
    const auto r = RecordStore::validate(patients(), with(valid(), field, value), false);
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"VALIDATION_ERROR"_s);
    QCOMPARE(r.error().httpStatus(), 400);
    QCOMPARE(r.error().details().size(), 1);
    const QJsonObject d = r.error().details().first().toObject();
    QCOMPARE(d.value("field"_L1).toString(), field);
    QCOMPARE(d.value("code"_L1).toString(), code);
    QCOMPARE(d.value("value"_L1), value); // the value as sent
    QVERIFY(!d.value("message"_L1).toString().isEmpty());
}

void TestStoreValidation::maxLengthCountsCharacters()
{
    QCOMPARE(problems(with(valid(), u"hn"_s, QString(20, u'x'))), QStringList{});
    QCOMPARE(problems(with(valid(), u"hn"_s, QString(21, u'x'))), QStringList{u"hn:MAX_LENGTH"_s});
    // Characters, not UTF-16 units: 20 emoji (40 units) fit in 20.
    QString emoji;
    for (int i = 0; i < 20; ++i)
        emoji += u"😀"_s;
    QCOMPARE(emoji.size(), 40);
    QCOMPARE(problems(with(valid(), u"hn"_s, emoji)), QStringList{});
    QCOMPARE(problems(with(valid(), u"hn"_s, QString(emoji + u"😀"_s))),
             QStringList{u"hn:MAX_LENGTH"_s});
    QCOMPARE(problems(with(valid(), u"name"_s, QString(200, u'ส'))), QStringList{});
    QCOMPARE(problems(with(valid(), u"name"_s, QString(201, u'ส'))),
             QStringList{u"name:MAX_LENGTH"_s});
}

void TestStoreValidation::enums()
{
    QCOMPARE(problems(with(valid(), u"sex"_s, u"female"_s)), QStringList{});
    QCOMPARE(problems(with(valid(), u"sex"_s, u"Female"_s)), QStringList{u"sex:INVALID_ENUM"_s});
    QCOMPARE(problems(with(valid(), u"sex"_s, u""_s)), QStringList{u"sex:INVALID_ENUM"_s});
    QCOMPARE(problems(with(valid(), u"status"_s, u"dead"_s)),
             QStringList{u"status:INVALID_ENUM"_s});
    const auto r = RecordStore::validate(patients(), with(valid(), u"sex"_s, u"robot"_s), false);
    QVERIFY(r.error()
                .details()
                .first()
                .toObject()
                .value("message"_L1)
                .toString()
                .contains(u"male, female, other, unknown"_s));
}

void TestStoreValidation::dates_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("ok");
    QTest::newRow("plain") << u"2024-05-01"_s << true;
    QTest::newRow("leap day") << u"2024-02-29"_s << true;
    QTest::newRow("no leap day") << u"2023-02-29"_s << false;
    QTest::newRow("30 Feb") << u"2024-02-30"_s << false;
    QTest::newRow("month 13") << u"2024-13-01"_s << false;
    QTest::newRow("short month") << u"2024-5-01"_s << false;
    QTest::newRow("slashes") << u"01/05/2024"_s << false;
    QTest::newRow("with time") << u"2024-05-01T00:00:00Z"_s << false;
    QTest::newRow("spaces") << u" 2024-05-01"_s << false;
    QTest::newRow("empty") << u""_s << false;
}

void TestStoreValidation::dates()
{
    QFETCH(QString, value);
    QFETCH(bool, ok);
    QCOMPARE(problems(with(valid(), u"date_of_birth"_s, value)),
             ok ? QStringList{} : QStringList{u"date_of_birth:INVALID_DATE"_s});
}

void TestStoreValidation::datetimesAreNormalizedToUtc_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("stored"); // empty: refused with INVALID_DATE
    QTest::newRow("Z") << u"2024-05-01T08:30:00Z"_s << u"2024-05-01T08:30:00.000Z"_s;
    QTest::newRow("ms") << u"2024-05-01T08:30:00.123Z"_s << u"2024-05-01T08:30:00.123Z"_s;
    QTest::newRow("offset") << u"2024-05-01T08:30:00+07:00"_s << u"2024-05-01T01:30:00.000Z"_s;
    QTest::newRow("negative offset")
        << u"2024-05-01T20:30:00-05:00"_s << u"2024-05-02T01:30:00.000Z"_s;
    QTest::newRow("no offset is UTC") << u"2024-05-01T08:30:00"_s << u"2024-05-01T08:30:00.000Z"_s;
    QTest::newRow("no seconds") << u"2024-05-01T08:30Z"_s << u"2024-05-01T08:30:00.000Z"_s;
    QTest::newRow("date only") << u"2024-05-01"_s << QString();
    QTest::newRow("bad day") << u"2024-02-30T08:30:00Z"_s << QString();
    QTest::newRow("bad hour") << u"2024-05-01T25:30:00Z"_s << QString();
    QTest::newRow("words") << u"yesterday"_s << QString();
}

void TestStoreValidation::datetimesAreNormalizedToUtc()
{
    QFETCH(QString, value);
    QFETCH(QString, stored);
    const auto r = RecordStore::validate(patients(), with(valid(), u"admitted_at"_s, value), false);
    if (stored.isEmpty()) {
        QVERIFY(!r);
        QCOMPARE(r.error().details().first().toObject().value("code"_L1).toString(),
                 u"INVALID_DATE"_s);
    } else {
        QVERIFY(r);
        QCOMPARE(r.value().value("admitted_at"_L1).toString(), stored);
    }
}

// A date can be bounded by the schema (min, max, notFuture): a date of birth cannot lie ahead,
// whatever the writer's time zone, and a bound is refused with its own code and the field.
void TestStoreValidation::dateBounds_data()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("code"); // empty: accepted
    QTest::newRow("the past") << u"date_of_birth"_s << u"1980-02-03"_s << QString();
    QTest::newRow("today (UTC)") << u"date_of_birth"_s << now.date().toString(Qt::ISODate)
                                 << QString();
    // Already today east of the date line while the server's UTC date is still yesterday.
    QTest::newRow("today at UTC+14")
        << u"date_of_birth"_s << now.addSecs(14 * 3600).date().toString(Qt::ISODate) << QString();
    QTest::newRow("tomorrow everywhere")
        << u"date_of_birth"_s << now.addDays(2).date().toString(Qt::ISODate) << u"IN_FUTURE"_s;
    QTest::newRow("2099") << u"date_of_birth"_s << u"2099-02-05"_s << u"IN_FUTURE"_s;
    QTest::newRow("impossible day beats the bound")
        << u"date_of_birth"_s << u"2099-02-31"_s << u"INVALID_DATE"_s;
    QTest::newRow("the minimum") << u"date_of_birth"_s << u"1900-01-01"_s << QString();
    QTest::newRow("before the minimum")
        << u"date_of_birth"_s << u"1899-12-31"_s << u"OUT_OF_RANGE"_s;
    QTest::newRow("max, other offset")
        << u"admitted_at"_s << u"2100-01-01T00:00:00Z"_s << QString();
    QTest::newRow("after max") << u"admitted_at"_s << u"2100-01-01T00:00:00.001Z"_s
                               << u"OUT_OF_RANGE"_s;
}

void TestStoreValidation::dateBounds()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, code);
    QCOMPARE(problems(with(valid(), field, value)),
             code.isEmpty() ? QStringList{} : QStringList{field + u':' + code});
    // An update is judged the same.
    QCOMPARE(problems(QJsonObject{{field, value}}, true),
             code.isEmpty() ? QStringList{} : QStringList{field + u':' + code});
    if (code == u"IN_FUTURE") {
        const auto r = RecordStore::validate(patients(), with(valid(), field, value), false);
        QCOMPARE(r.error().details().first().toObject().value("message"_L1).toString(),
                 u"date_of_birth cannot be in the future"_s);
    }
}

// A list filter is a question, not a stored value: "born before 2100" is allowed.
void TestStoreValidation::dateBoundsAreNotFilterRules()
{
    FieldSpec::Problem problem;
    QCOMPARE(field(u"date_of_birth"_s).fromText(u"2100-01-01"_s, &problem).toString(),
             u"2100-01-01"_s);
    QVERIFY(!field(u"date_of_birth"_s)
                 .withinBounds(u"2100-01-01"_s, QDateTime::currentDateTimeUtc(), &problem));
    QCOMPARE(problem.code, u"IN_FUTURE"_s);
}

// A CSV cell is typed by coerceFromText, then the row goes through validate(): the same bound.
void TestStoreValidation::importsKeepDateBounds()
{
    const auto typed = RecordStore::coerceFromText(field(u"date_of_birth"_s), u"2099-02-05"_s);
    QVERIFY(typed);
    QCOMPARE(problems(with(valid(), u"date_of_birth"_s, typed.value())),
             QStringList{u"date_of_birth:IN_FUTURE"_s});
    QVERIFY(!RecordStore::coerceFromText(field(u"date_of_birth"_s), u"2099-02-31"_s));
}

void TestStoreValidation::integersOutOfRange()
{
    QCOMPARE(problems(with(valid(), u"bed"_s, 9007199254740991.0)), QStringList{});
    QCOMPARE(problems(with(valid(), u"bed"_s, -9007199254740991.0)), QStringList{});
    QCOMPARE(problems(with(valid(), u"bed"_s, 1e300)), QStringList{u"bed:OUT_OF_RANGE"_s});
    QCOMPARE(problems(with(valid(), u"bed"_s, qint64(1) << 60)),
             QStringList{u"bed:OUT_OF_RANGE"_s});
}

void TestStoreValidation::unknownAndSystemFields()
{
    QCOMPARE(problems(with(valid(), u"colour"_s, u"red"_s)),
             QStringList{u"colour:UNKNOWN_FIELD"_s});
    QCOMPARE(problems(with(valid(), u"Name"_s, u"x"_s)), QStringList{u"Name:UNKNOWN_FIELD"_s});
    // Clients send whole records back: system fields are ignored, not refused, and never taken.
    QJsonObject body = valid();
    body.insert("id"_L1, 99);
    body.insert("version"_L1, 7);
    body.insert("created_at"_L1, u"2000-01-01T00:00:00.000Z"_s);
    body.insert("updated_at"_L1, u"garbage"_s);
    body.insert("created_by"_L1, u"someone"_s);
    body.insert("updated_by"_L1, 3);
    body.insert("tenant"_L1, u"ward-b"_s);
    const auto r = RecordStore::validate(patients(), body, false);
    QVERIFY(r);
    for (const auto key : {"id"_L1, "version"_L1, "created_at"_L1, "updated_at"_L1, "created_by"_L1,
                           "updated_by"_L1, "tenant"_L1})
        QVERIFY2(!r.value().contains(key), key.data());
}

void TestStoreValidation::everyProblemAtOnce()
{
    const QJsonObject body{{"hn"_L1, QString(30, u'9')},
                           {"bed"_L1, u"twelve"_s},
                           {"sex"_L1, u"robot"_s},
                           {"date_of_birth"_L1, u"2024-02-30"_s},
                           {"colour"_L1, u"red"_s}};
    // In schema order, unknown fields last; the missing required name is reported too.
    QCOMPARE(
        problems(body),
        QStringList({u"hn:MAX_LENGTH"_s, u"name:REQUIRED"_s, u"date_of_birth:INVALID_DATE"_s,
                     u"sex:INVALID_ENUM"_s, u"bed:INVALID_TYPE"_s, u"colour:UNKNOWN_FIELD"_s}));
}

void TestStoreValidation::errorEnvelope()
{
    const auto r = RecordStore::validate(patients(), QJsonObject{{"name"_L1, u"x"_s}}, false);
    QVERIFY(!r);
    const QJsonObject envelope = r.error().toEnvelope();
    QCOMPARE(envelope.keys(), QStringList({u"error"_s, u"success"_s}));
    QCOMPARE(envelope.value("success"_L1), QJsonValue(false));
    const QJsonObject error = envelope.value("error"_L1).toObject();
    QCOMPARE(error.keys(), QStringList({u"code"_s, u"details"_s, u"message"_s, u"statusCode"_s}));
    QCOMPARE(error.value("code"_L1).toString(), u"VALIDATION_ERROR"_s);
    QCOMPARE(error.value("statusCode"_L1).toInt(), 400);
    QCOMPARE(error.value("message"_L1).toString(), u"HN is required"_s);
    const QJsonObject detail = error.value("details"_L1).toArray().first().toObject();
    QCOMPARE(detail.keys(), QStringList({u"code"_s, u"field"_s, u"message"_s, u"value"_s}));
    QCOMPARE(detail.value("value"_L1), QJsonValue(QJsonValue::Null));

    // No details key when there are none.
    const QJsonObject notFound = ApiError::notFound(u"gone"_s).toEnvelope();
    QCOMPARE(notFound.value("error"_L1).toObject().keys(),
             QStringList({u"code"_s, u"message"_s, u"statusCode"_s}));
    QCOMPARE(notFound.value("error"_L1).toObject().value("statusCode"_L1).toInt(), 404);
}

void TestStoreValidation::coerceFromText_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QJsonValue>("expected");
    const QJsonValue null(QJsonValue::Null);
    QTest::newRow("integer") << u"bed"_s << u"42"_s << QJsonValue(42);
    QTest::newRow("integer blanks") << u"bed"_s << u" 42 "_s << QJsonValue(42);
    QTest::newRow("negative integer") << u"bed"_s << u"-3"_s << QJsonValue(-3);
    QTest::newRow("integer empty") << u"bed"_s << u""_s << null;
    QTest::newRow("integer blank") << u"bed"_s << u"  "_s << null;
    QTest::newRow("number") << u"weight_kg"_s << u"70.25"_s << QJsonValue(70.25);
    QTest::newRow("number integer") << u"weight_kg"_s << u"70"_s << QJsonValue(70.0);
    QTest::newRow("number exponent") << u"weight_kg"_s << u"1e3"_s << QJsonValue(1000.0);
    QTest::newRow("true") << u"isolation"_s << u"true"_s << QJsonValue(true);
    QTest::newRow("TRUE") << u"isolation"_s << u"TRUE"_s << QJsonValue(true);
    QTest::newRow("yes") << u"isolation"_s << u"Yes"_s << QJsonValue(true);
    QTest::newRow("1") << u"isolation"_s << u"1"_s << QJsonValue(true);
    QTest::newRow("false") << u"isolation"_s << u"false"_s << QJsonValue(false);
    QTest::newRow("no") << u"isolation"_s << u"no"_s << QJsonValue(false);
    QTest::newRow("0") << u"isolation"_s << u"0"_s << QJsonValue(false);
    QTest::newRow("boolean empty") << u"isolation"_s << u""_s << null;
    QTest::newRow("date") << u"date_of_birth"_s << u"1980-02-29"_s << QJsonValue(u"1980-02-29"_s);
    QTest::newRow("datetime") << u"admitted_at"_s << u"2024-05-01 08:30:00+07:00"_s
                              << QJsonValue(u"2024-05-01T01:30:00.000Z"_s);
    QTest::newRow("enum any case") << u"sex"_s << u"FEMALE"_s << QJsonValue(u"female"_s);
    QTest::newRow("enum empty") << u"sex"_s << u""_s << null;
    QTest::newRow("string as is") << u"ward"_s << u" 3A "_s << QJsonValue(u" 3A "_s);
    QTest::newRow("string empty") << u"ward"_s << u""_s << null;
}

void TestStoreValidation::coerceFromText()
{
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QJsonValue, expected);
    const auto r = RecordStore::coerceFromText(::field(field), text);
    QVERIFY2(r, r ? "" : qPrintable(r.error().message()));
    QCOMPARE(r.value(), expected);
    if (expected.isDouble())
        QCOMPARE(r.value().toDouble(), expected.toDouble());
}

void TestStoreValidation::coerceFromTextErrors_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code");
    QTest::newRow("integer fraction") << u"bed"_s << u"4.2"_s << u"INVALID_TYPE"_s;
    QTest::newRow("integer grouping") << u"bed"_s << u"1,000"_s << u"INVALID_TYPE"_s;
    QTest::newRow("integer words") << u"bed"_s << u"twelve"_s << u"INVALID_TYPE"_s;
    QTest::newRow("integer huge") << u"bed"_s << u"99999999999999999999"_s << u"INVALID_TYPE"_s;
    QTest::newRow("integer above 2^53") << u"bed"_s << u"9007199254740993"_s << u"OUT_OF_RANGE"_s;
    QTest::newRow("number comma") << u"weight_kg"_s << u"70,5"_s << u"INVALID_TYPE"_s;
    QTest::newRow("number inf") << u"weight_kg"_s << u"inf"_s << u"INVALID_TYPE"_s;
    QTest::newRow("number nan") << u"weight_kg"_s << u"nan"_s << u"INVALID_TYPE"_s;
    QTest::newRow("boolean maybe") << u"isolation"_s << u"maybe"_s << u"INVALID_TYPE"_s;
    QTest::newRow("boolean 2") << u"isolation"_s << u"2"_s << u"INVALID_TYPE"_s;
    QTest::newRow("date") << u"date_of_birth"_s << u"29/02/1980"_s << u"INVALID_DATE"_s;
    QTest::newRow("enum") << u"sex"_s << u"robot"_s << u"INVALID_ENUM"_s;
    QTest::newRow("string too long") << u"hn"_s << QString(21, u'1') << u"MAX_LENGTH"_s;
}

void TestStoreValidation::coerceFromTextErrors()
{
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QString, code);
    const auto r = RecordStore::coerceFromText(::field(field), text);
    QVERIFY(!r);
    QCOMPARE(r.error().code(), u"VALIDATION_ERROR"_s);
    const QJsonObject d = r.error().details().first().toObject();
    QCOMPARE(d.value("field"_L1).toString(), field);
    QCOMPARE(d.value("code"_L1).toString(), code);
    QCOMPARE(d.value("value"_L1).toString(), text);
    QVERIFY2(r.error().message().contains(text.left(10)) || code == "MAX_LENGTH"_L1
                 || code == "INVALID_ENUM"_L1 || code == "INVALID_DATE"_L1
                 || code == "OUT_OF_RANGE"_L1,
             qPrintable(r.error().message()));
}

QTEST_GUILESS_MAIN(TestStoreValidation)
#include "tst_storevalidation.moc"
