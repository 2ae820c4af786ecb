// SPDX-License-Identifier: MIT
// CompactRecord alone: every JSON value comes back as it went in, equality and changed fields
// agree with QJsonObject's, the bytes are smaller than the JSON, and a flood of key sets falls
// back to text without losing anything.
#include "state/compactrecord.h"
#include "state/rowstore.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

#include <algorithm>
#include <limits>
#include <thread>

using namespace Qt::StringLiterals;
using livedesk::CompactRecord;

namespace {

QJsonValue randomValue(QRandomGenerator &random, int depth = 0)
{
    static const QStringList texts{u""_s,
                                   u"Malee"_s,
                                   u"มาลี ชัยพร"_s,
                                   u"a\"b\\c"_s,
                                   u"🙂 ok"_s,
                                   u"\n\t"_s,
                                   u"2026-12-07"_s,
                                   u"x"_s,
                                   u"2026-12-07T10:15:00.000Z"_s,
                                   u"2026-12-07T10:15:01.000Z"_s};
    switch (random.bounded(depth > 1 ? 7 : 9)) {
    case 0:
        return QJsonValue(QJsonValue::Null);
    case 1:
        return random.bounded(2) == 1;
    case 2:
        return qint64(random.bounded(2000)) - 1000;
    case 3:
        return qint64(random.generate64());
    case 4:
        return random.generateDouble() * 1e6 - 5e5;
    case 5:
    case 6:
        return texts.at(random.bounded(int(texts.size())));
    case 7: {
        QJsonArray array;
        for (int i = random.bounded(3); i > 0; --i)
            array.append(randomValue(random, depth + 1));
        return array;
    }
    default: {
        QJsonObject object;
        for (int i = random.bounded(3); i > 0; --i)
            object.insert(u"n%1"_s.arg(i), randomValue(random, depth + 1));
        return object;
    }
    }
}

// Records of a few key sets, as a list's rows are.
QJsonObject randomRecord(QRandomGenerator &random)
{
    static const QStringList keys{u"id"_s,   u"hn"_s,      u"name"_s,       u"ward"_s,
                                  u"bed"_s,  u"version"_s, u"updated_at"_s, u"allergies"_s,
                                  u"note"_s, u"critical"_s};
    QJsonObject record;
    const int missing = random.bounded(4) == 0 ? random.bounded(int(keys.size())) : -1;
    for (int i = 0; i < keys.size(); ++i) {
        if (i != missing)
            record.insert(keys[i], randomValue(random));
    }
    return record;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

class TestCompactRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valuesComeBackAsTheyWent_data();
    void valuesComeBackAsTheyWent();
    void randomRecordsRoundTrip();
    void equalityAndChangedFieldsAgreeWithJson();
    void smallerThanItsJson();
    void wholeOrPartOfARecord();
    void pagesReadFromTextAreTheSameBytes();
    void eventRecordsReadFromTextAreTheSameBytes();
    void eventRecordsItCannotReadAreRefused_data();
    void eventRecordsItCannotReadAreRefused();
    void nestingAsDeepAsQtTakesItAndNoDeeper();
    void pagesItCannotReadAreLeftAsTheyWere_data();
    void pagesItCannotReadAreLeftAsTheyWere();
    void rowsShowingTheirServerRecordHoldItOnce();
    void encodesOnManyThreadsAtOnce();
    void aFloodOfKeySetsIsKeptAsText(); // last: it fills the process's shape table
};

void TestCompactRecord::valuesComeBackAsTheyWent_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    QTest::newRow("true") << QJsonValue(true);
    QTest::newRow("false") << QJsonValue(false);
    QTest::newRow("zero") << QJsonValue(0);
    QTest::newRow("minus one") << QJsonValue(-1);
    QTest::newRow("2^53 + 1") << QJsonValue(qint64(9007199254740993LL));
    QTest::newRow("int64 max") << QJsonValue(std::numeric_limits<qint64>::max());
    QTest::newRow("int64 min") << QJsonValue(std::numeric_limits<qint64>::min());
    QTest::newRow("half") << QJsonValue(0.5);
    QTest::newRow("minus zero") << QJsonValue(-0.0);
    QTest::newRow("huge") << QJsonValue(1e300);
    QTest::newRow("tiny") << QJsonValue(-1e-300);
    QTest::newRow("empty text") << QJsonValue(u""_s);
    QTest::newRow("thai") << QJsonValue(u"นางมาลี ชัยพร"_s);
    QTest::newRow("emoji") << QJsonValue(u"🙂"_s);
    QTest::newRow("nul inside") << QJsonValue(QString(u"a\0b"_s));
    QTest::newRow("lone surrogate") << QJsonValue(QString(QChar(0xd800)) + u"x"_s);
    // Dates and UTC times are kept as numbers; each must read back as the very same text, and
    // anything near that is not in their exact form stays text.
    QTest::newRow("time ms") << QJsonValue(u"2026-12-07T10:15:00.123Z"_s);
    QTest::newRow("time s") << QJsonValue(u"2026-12-07T10:15:59Z"_s);
    QTest::newRow("date") << QJsonValue(u"2024-02-29"_s);
    QTest::newRow("before 1970") << QJsonValue(u"1969-12-31T23:59:59.999Z"_s);
    QTest::newRow("year 0") << QJsonValue(u"0000-01-01"_s);
    QTest::newRow("year 9999") << QJsonValue(u"9999-12-31T23:59:59.999Z"_s);
    QTest::newRow("no 29 Feb") << QJsonValue(u"2023-02-29"_s);
    QTest::newRow("24:00") << QJsonValue(u"2026-12-07T24:00:00Z"_s);
    QTest::newRow("zone") << QJsonValue(u"2026-12-07T10:15:00.000+07:00"_s);
    QTest::newRow("space") << QJsonValue(u"2026-12-07 10:15:00.000Z"_s);
    QTest::newRow("micro") << QJsonValue(u"2026-12-07T10:15:00.123456Z"_s);
    QTest::newRow("month 13") << QJsonValue(u"2026-13-07"_s);
    QTest::newRow("array") << QJsonValue(QJsonArray{1, u"two"_s, QJsonValue::Null});
    QTest::newRow("object") << QJsonValue(QJsonObject{{u"code"_s, u"K+"_s}, {u"value"_s, 6.1}});
}

void TestCompactRecord::valuesComeBackAsTheyWent()
{
    QFETCH(QJsonValue, value);
    const QJsonObject object{{u"id"_s, 1}, {u"v"_s, value}, {u"z"_s, u"after"_s}};
    const CompactRecord record(object);
    QCOMPARE(record.toObject(), object);
    QCOMPARE(record.value(u"v"), value);
    QCOMPARE(record.value(u"z"), QJsonValue(u"after"_s));
    QVERIFY(record.value(u"missing").isUndefined());
    if (value.isDouble()) {
        // The same number, bit for bit (minus zero stays minus zero).
        const double back = record.value(u"v").toDouble();
        QCOMPARE(std::signbit(back), std::signbit(value.toDouble()));
        QCOMPARE(record.value(u"v").toInteger(), value.toInteger());
    }
    QCOMPARE(record.keys(), object.keys());
}

void TestCompactRecord::randomRecordsRoundTrip()
{
    QRandomGenerator random(15);
    for (int i = 0; i < 3000; ++i) {
        const QJsonObject object = randomRecord(random);
        const CompactRecord record(object);
        QCOMPARE(record.toObject(), object);
        for (const QString &key : object.keys())
            QCOMPARE(record.value(key), object.value(key));
    }
    QVERIFY(CompactRecord(QJsonObject()).isEmpty());
    QCOMPARE(CompactRecord().toObject(), QJsonObject());
    QVERIFY(CompactRecord().value(u"id").isUndefined());
}

void TestCompactRecord::equalityAndChangedFieldsAgreeWithJson()
{
    QRandomGenerator random(16);
    int equalPairs = 0;
    for (int i = 0; i < 3000; ++i) {
        const QJsonObject a = randomRecord(random);
        QJsonObject b = a;
        // A next version: a field or two changed, sometimes to the same value, sometimes one
        // gone or added.
        for (int k = random.bounded(3); k > 0; --k) {
            const QStringList keys = b.keys();
            const QString key = keys.at(random.bounded(int(keys.size())));
            switch (random.bounded(4)) {
            case 0:
                b.remove(key);
                break;
            case 1:
                b.insert(u"extra"_s, randomValue(random));
                break;
            default:
                b.insert(key, random.bounded(2) ? randomValue(random) : a.value(key));
            }
        }
        const CompactRecord x(a);
        const CompactRecord y(b);
        QCOMPARE(x == y, a == b);
        equalPairs += a == b;
        QCOMPARE(sorted(CompactRecord::changedFields(x, y)),
                 sorted(livedesk::CompactRecord::changedFields(a, b)));
    }
    QVERIFY(equalPairs > 100); // both outcomes were checked
    QVERIFY(equalPairs < 2900);
    // Stricter than QJsonObject: values JSON tells apart stay apart.
    const auto differ = [](const QJsonValue &a, const QJsonValue &b) {
        return CompactRecord(QJsonObject{{u"v"_s, a}}) != CompactRecord(QJsonObject{{u"v"_s, b}});
    };
    QVERIFY(differ(qint64(9007199254740993LL), 9007199254740992.0));
    // Two strings with different lone surrogates are two values (UTF-8 would make both U+FFFD).
    QVERIFY(differ(QString(QChar(0xd800)), QString(QChar(0xd801))));
}

// covers() tells a whole record from a part of it (the changed fields with the id), for
// records of one shape, of two, and for records read from text; a field the held record has
// as null may be left out (servers that omit nulls).
void TestCompactRecord::wholeOrPartOfARecord()
{
    const QJsonObject whole{{u"id"_s, 7},
                            {u"name"_s, u"Malee"_s},
                            {u"ward"_s, u"A"_s},
                            {u"version"_s, 3},
                            {u"note"_s, QJsonValue::Null}};
    const CompactRecord held(whole);
    QJsonObject next = whole;
    next.insert(u"ward"_s, u"B"_s);
    QVERIFY(CompactRecord(next).covers(held));
    const CompactRecord part(QJsonObject{{u"id"_s, 7}, {u"ward"_s, u"B"_s}, {u"version"_s, 4}});
    QVERIFY(!part.covers(held));
    QVERIFY(held.covers(part));
    QJsonObject withoutNull = next;
    withoutNull.remove(u"note"_s);
    QVERIFY(CompactRecord(withoutNull).covers(held));
    QJsonObject more = next;
    more.insert(u"bed"_s, 12);
    QVERIFY(CompactRecord(more).covers(held));
    QVERIFY(!held.covers(CompactRecord(more)));
    QVERIFY(CompactRecord().covers(CompactRecord()));
    QVERIFY(!CompactRecord().covers(held));
    const std::optional<CompactRecord> fromText
        = CompactRecord::fromJson(R"({"id":7,"version":5,"ward":"C"})");
    QVERIFY(fromText);
    QVERIFY(!fromText->covers(held));
}

void TestCompactRecord::smallerThanItsJson()
{
    const QJsonObject patient{
        {u"id"_s, 123456},
        {u"hn"_s, u"HN-0123456"_s},
        {u"first_name"_s, u"มาลี"_s},
        {u"last_name"_s, u"ชัยพร"_s},
        {u"ward"_s, u"W3"_s},
        {u"bed"_s, 12},
        {u"critical"_s, false},
        {u"version"_s, 7},
        {u"updated_at"_s, u"2026-12-07T10:15:00.000Z"_s},
    };
    const QByteArray json = QJsonDocument(patient).toJson(QJsonDocument::Compact);
    const CompactRecord record(patient);
    // A UTC time is a number, not its 24 characters.
    const auto sizeOf = [](const QString &text) {
        return CompactRecord(QJsonObject{{u"t"_s, text}}).byteSize();
    };
    QVERIFY(sizeOf(u"2026-12-07T10:15:00.000Z"_s) + 15 < sizeOf(u"2026-12-07X10:15:00.000Z"_s));
    // The keys are kept once per list, not per row: what remains is about the values alone.
    QVERIFY2(record.byteSize() * 5 < json.size() * 3,
             qPrintable(u"%1 bytes for %2 of JSON"_s.arg(record.byteSize()).arg(json.size())));
}

void TestCompactRecord::pagesReadFromTextAreTheSameBytes()
{
    QRandomGenerator random(17);
    for (int round = 0; round < 20; ++round) {
        QJsonArray page;
        for (int i = 0; i < 150; ++i)
            page.append(randomRecord(random));
        page.append(QJsonObject());
        page.append(QJsonObject{{u"key \"quoted\""_s, u"line\nbreak \u0001"_s}});
        const QByteArray text = QJsonDocument(page).toJson(round % 2 ? QJsonDocument::Compact
                                                                     : QJsonDocument::Indented);
        std::vector<CompactRecord> records{CompactRecord(QJsonObject{{u"kept"_s, 1}})};
        QVERIFY(CompactRecord::appendArray(text, &records));
        QCOMPARE(qsizetype(records.size()), page.size() + 1);
        for (qsizetype i = 0; i < page.size(); ++i) {
            const QJsonObject object = page.at(i).toObject();
            QCOMPARE(records[size_t(i + 1)].toObject(), object);
            // The very bytes the QJsonObject path makes: equality stays a byte compare.
            QVERIFY2(records[size_t(i + 1)] == CompactRecord(object),
                     QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
        }
    }
}

void TestCompactRecord::eventRecordsReadFromTextAreTheSameBytes()
{
    QRandomGenerator random(23);
    for (int i = 0; i < 300; ++i) {
        const QJsonObject object = i == 0 ? QJsonObject() : randomRecord(random);
        const QByteArray text = QJsonDocument(object).toJson(i % 2 ? QJsonDocument::Compact
                                                                   : QJsonDocument::Indented);
        const std::optional<CompactRecord> record = CompactRecord::fromJson(text);
        QVERIFY2(record, text.constData());
        QVERIFY2(*record == CompactRecord(object), text.constData());
    }
}

void TestCompactRecord::eventRecordsItCannotReadAreRefused_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("array") << QByteArray(R"([{"id":1}])");
    QTest::newRow("number") << QByteArray("1");
    QTest::newRow("key twice") << QByteArray(R"({"id":2,"id":3})");
    QTest::newRow("key not ascii") << QByteArray(R"({"ชื่อ":"x"})");
    QTest::newRow("lone surrogate") << QByteArray(R"({"n":"\ud800"})");
    QTest::newRow("cut short") << QByteArray(R"({"id":1,"n":)");
    QTest::newRow("more after it") << QByteArray(R"({"id":1} {"id":2})");
    QTest::newRow("empty") << QByteArray();
}

void TestCompactRecord::eventRecordsItCannotReadAreRefused()
{
    QFETCH(QByteArray, text);
    QVERIFY(!CompactRecord::fromJson(text));
}

// Qt refuses a document nested more than 1024 deep; a nested value is read apart, so its depth
// within the document must be counted, not its own.
void TestCompactRecord::nestingAsDeepAsQtTakesItAndNoDeeper()
{
    for (const int levels : {1022, 1023, 1024}) {
        const QByteArray nested = QByteArray(levels, '[') + QByteArray(levels, ']');
        const QByteArray record = "{\"s\":\"[[[{{\",\"a\":" + nested + "}";
        const bool qtTakes = !QJsonDocument::fromJson(record).isNull();
        QCOMPARE(qtTakes, levels < 1024);
        QCOMPARE(bool(CompactRecord::fromJson(record)), qtTakes);
        const QByteArray page = "[" + record + "]";
        const bool qtTakesPage = !QJsonDocument::fromJson(page).isNull();
        QCOMPARE(qtTakesPage, levels < 1023);
        std::vector<CompactRecord> records;
        QCOMPARE(CompactRecord::appendArray(page, &records), qtTakesPage);
    }
}

void TestCompactRecord::pagesItCannotReadAreLeftAsTheyWere_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("object") << QByteArray(R"({"id":1})");
    QTest::newRow("not an object") << QByteArray(R"([{"id":1},2])");
    QTest::newRow("key twice") << QByteArray(R"([{"id":1},{"id":2,"id":3}])");
    QTest::newRow("key not ascii") << QByteArray(R"([{"id":1},{"ชื่อ":"x"}])");
    QTest::newRow("lone surrogate") << QByteArray(R"([{"id":1},{"n":"\ud800"}])");
    QTest::newRow("cut short") << QByteArray(R"([{"id":1},{"n":)");
    QTest::newRow("not json") << QByteArray("<html>");
}

void TestCompactRecord::pagesItCannotReadAreLeftAsTheyWere()
{
    QFETCH(QByteArray, text);
    std::vector<CompactRecord> records{CompactRecord(QJsonObject{{u"kept"_s, 1}})};
    QVERIFY(!CompactRecord::appendArray(text, &records));
    QCOMPARE(records.size(), size_t(1));
    QCOMPARE(records[0].toObject(), (QJsonObject{{u"kept"_s, 1}}));
}

void TestCompactRecord::rowsShowingTheirServerRecordHoldItOnce()
{
    livedesk::RowStore store;
    livedesk::RowStore::Row row;
    row.id = u"1"_s;
    row.server = QJsonObject{{u"id"_s, 1}, {u"name"_s, u"Malee"_s}, {u"version"_s, 1}};
    row.shown = row.server;
    row.hasServer = true;
    store.insert(0, row);
    QCOMPARE(&store.shownAt(0), &store.serverAt(0));
    // The user's change on top: shown apart.
    QJsonObject edited = row.server;
    edited.insert(u"name"_s, u"Malee C."_s);
    QVERIFY(store.update(0, edited, 1));
    QVERIFY(&store.shownAt(0) != &store.serverAt(0));
    QCOMPARE(store.shownAt(0).toObject(), edited);
    // The server confirms it: one copy again. setServer() alone changes nothing shown.
    QJsonObject confirmed = edited;
    confirmed.insert(u"version"_s, 2);
    store.setServer(0, confirmed, true);
    QCOMPARE(store.shownAt(0).toObject(), edited);
    QVERIFY(store.update(0, confirmed, 0));
    QCOMPARE(&store.shownAt(0), &store.serverAt(0));
    QCOMPARE(store.at(0).shown, confirmed);
    // A user's value next to the server's (an integer past 2^53 and the double nearest it,
    // which some Qt versions' QJsonObject == calls equal) is still the user's, not folded
    // into the server's record.
    livedesk::RowStore::Row near;
    near.id = u"2"_s;
    near.server = QJsonObject{{u"id"_s, 2}, {u"v"_s, qint64(9007199254740993LL)}};
    near.shown = QJsonObject{{u"id"_s, 2}, {u"v"_s, 9007199254740992.0}};
    near.hasServer = true;
    store.insert(1, near);
    QVERIFY(&store.shownAt(1) != &store.serverAt(1));
    QCOMPARE(store.shownAt(1).value(u"v").toInteger(), 9007199254740992LL);
    QCOMPARE(store.serverAt(1).value(u"v").toInteger(), 9007199254740993LL);
    // The server's record gone (deleted there): what was shown stays until told otherwise.
    store.setServer(0, {}, false);
    QVERIFY(!store.hasServerAt(0));
    QCOMPARE(store.shownAt(0).toObject(), confirmed);
    QVERIFY(store.serverAt(0).isEmpty());
}

void TestCompactRecord::encodesOnManyThreadsAtOnce()
{
    // Shapes are interned process-wide: new key sets from several threads at once.
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([t, &wrong] {
            for (int i = 0; i < 200; ++i) {
                const QJsonObject object{{u"t%1_%2"_s.arg(t).arg(i % 50), i}, {u"id"_s, i}};
                if (CompactRecord(object).toObject() != object)
                    ++wrong;
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(wrong.load(), 0);
}

void TestCompactRecord::aFloodOfKeySetsIsKeptAsText()
{
    // A server that sends a new key in every record must not grow the shape table forever;
    // past its bound records are kept as JSON text, and still compare and read the same.
    std::vector<CompactRecord> records;
    for (int i = 0; i < 5000; ++i) {
        const QJsonObject object{{u"id"_s, i}, {u"flood_%1"_s.arg(i), u"มาลี"_s}};
        records.emplace_back(object);
        QCOMPARE(records.back().toObject(), object);
        QCOMPARE(records.back().value(u"flood_%1"_s.arg(i)), QJsonValue(u"มาลี"_s));
    }
    // Records made before the bound (shaped) and after it (text) still tell their changes.
    const QJsonObject before{{u"id"_s, 1}, {u"name"_s, u"a"_s}};
    const CompactRecord shaped(before);
    QJsonObject after = before;
    after.insert(u"name"_s, u"b"_s);
    after.insert(u"flood_x"_s, 1);
    const CompactRecord text(after);
    QCOMPARE(text.toObject(), after);
    QCOMPARE(sorted(CompactRecord::changedFields(shaped, text)),
             (QStringList{u"flood_x"_s, u"name"_s}));
    QCOMPARE(CompactRecord(after), text);
}

QTEST_GUILESS_MAIN(TestCompactRecord)
#include "tst_compactrecord.moc"
