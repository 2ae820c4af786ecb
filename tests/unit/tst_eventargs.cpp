// SPDX-License-Identifier: MIT
// EventArgs: an EVENT payload scanned once, each argument kept as its text and decoded on
// demand; and SocketIoPacket::decodeEvent(), which must agree with decode() on every packet.
#include "eventargs.h"
#include "socketiopacket.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::EventArgs;
using livedesk::SocketIoPacket;

class TestEventArgs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scansEachArgumentAsItsText();
    void decodesOnDemand();
    void refusesWhatQtRefuses_data();
    void refusesWhatQtRefuses();
    void numberNames();
    void removeLastDropsTheOffset();
    void decodedArguments();
    void decodeEventAgreesWithDecode_data();
    void decodeEventAgreesWithDecode();
};

namespace {

EventArgs scanned(const QByteArray &payload, QString *name = nullptr)
{
    EventArgs args;
    QString n, error;
    if (!EventArgs::scan(payload, &args, &n, &error))
        qFatal("scan refused %s: %s", payload.constData(), qPrintable(error));
    if (name)
        *name = n;
    return args;
}

} // namespace

void TestEventArgs::scansEachArgumentAsItsText()
{
    QString name;
    const EventArgs args
        = scanned(" [ \"patients.patient.updated\" , {\"id\": 1, \"name\":\"Malee \\\"M\\\" ใจดี\", "
                  "\"tags\":[1,[2,{\"x\":\"]\"}]]}\n, \"a,b]\" ,12.5e1,null , true ] "_ba,
                  &name);
    QCOMPARE(name, u"patients.patient.updated"_s);
    QVERIFY(args.hasText());
    QCOMPARE(args.size(), 5);
    // Byte for byte as received, without the white space around the separators.
    QCOMPARE(args.text(0).toByteArray(),
             "{\"id\": 1, \"name\":\"Malee \\\"M\\\" ใจดี\", \"tags\":[1,[2,{\"x\":\"]\"}]]}"_ba);
    QCOMPARE(args.text(1).toByteArray(), "\"a,b]\""_ba);
    QCOMPARE(args.text(2).toByteArray(), "12.5e1"_ba);
    QCOMPARE(args.text(3).toByteArray(), "null"_ba);
    QCOMPARE(args.text(4).toByteArray(), "true"_ba);
    QVERIFY(args.text(5).isEmpty()); // out of range (an empty string's text is `""`)
}

void TestEventArgs::decodesOnDemand()
{
    const EventArgs args = scanned("[\"e\",{\"id\":1},\"off\\u0073et\",[true]]"_ba);
    QCOMPARE(args.size(), 3);
    QVERIFY(!args.isString(0));
    QVERIFY(args.isString(1));
    QCOMPARE(args.stringAt(1), u"offset"_s); // unescaped, the argument alone
    QVERIFY(args.stringAt(0).isNull());
    QCOMPARE(args.at(0).toObject().value(u"id").toInteger(), 1);
    QCOMPARE(args.at(2), QJsonValue(QJsonArray{true}));
    QVERIFY(args.at(3).isUndefined());
    QCOMPARE(args.toArray(),
             (QJsonArray{QJsonObject{{u"id"_s, 1}}, u"offset"_s, QJsonArray{true}}));
    QCOMPARE(args.last(), QJsonValue(QJsonArray{true}));
}

void TestEventArgs::refusesWhatQtRefuses_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("bad literal deep inside") << "[\"e\",{\"a\":{\"b\":[1,tru]}}]"_ba;
    QTest::newRow("trailing bracket") << "[\"e\",1]]"_ba;
    QTest::newRow("trailing text") << "[\"e\",1] x"_ba;
    QTest::newRow("unterminated") << "[\"e\",{\"a\":1}"_ba;
    QTest::newRow("missing comma") << "[\"e\" 1]"_ba;
    QTest::newRow("object payload") << "{\"e\":1}"_ba;
    QTest::newRow("empty array") << "[]"_ba;
    QTest::newRow("name is an object") << "[{\"e\":1}]"_ba;
    QTest::newRow("name is null") << "[null,1]"_ba;
    QTest::newRow("raw control character") << "[\"e\",\"a\tb\"]"_ba;
}

void TestEventArgs::refusesWhatQtRefuses()
{
    QFETCH(QByteArray, payload);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &pe);
    const bool qtNamed = pe.error == QJsonParseError::NoError && doc.isArray()
        && !doc.array().isEmpty() && (doc.array().at(0).isString() || doc.array().at(0).isDouble());
    EventArgs args;
    QString name, error;
    QCOMPARE(EventArgs::scan(payload, &args, &name, &error), qtNamed);
    if (!qtNamed)
        QVERIFY(!error.isEmpty());
}

void TestEventArgs::numberNames()
{
    QString name;
    const EventArgs args = scanned("[42,\"x\"]"_ba, &name);
    QCOMPARE(name, u"42"_s);
    QCOMPARE(args.toArray(), QJsonArray{u"x"_s});
}

void TestEventArgs::removeLastDropsTheOffset()
{
    EventArgs args = scanned("[\"e\",{\"id\":1},\"offset-7\"]"_ba);
    QCOMPARE(args.stringAt(1), u"offset-7"_s);
    args.removeLast();
    QCOMPARE(args.size(), 1);
    QVERIFY(args.text(1).isEmpty());
    QCOMPARE(args.toArray(), (QJsonArray{QJsonObject{{u"id"_s, 1}}}));
    // Dropped after decoding too.
    EventArgs decodedFirst = scanned("[\"e\",1,\"o\"]"_ba);
    QCOMPARE(decodedFirst.toArray().size(), 2);
    decodedFirst.removeLast();
    QCOMPARE(decodedFirst.toArray(), (QJsonArray{1}));
    QCOMPARE(decodedFirst.size(), 1);
}

void TestEventArgs::decodedArguments()
{
    const EventArgs args(QJsonArray{u"a"_s, 2});
    QVERIFY(!args.hasText());
    QVERIFY(args.text(0).isEmpty());
    QCOMPARE(args.size(), 2);
    QVERIFY(args.isString(0));
    QCOMPARE(args.stringAt(0), u"a"_s);
    QVERIFY(args.stringAt(1).isNull());
    QCOMPARE(args.toArray(), scanned("[\"e\",\"a\",2]"_ba).toArray());
    QVERIFY(EventArgs().isEmpty());
}

void TestEventArgs::decodeEventAgreesWithDecode_data()
{
    QTest::addColumn<QString>("packet");
    QTest::newRow("event") << u"2[\"hello\",{\"a\":1}]"_s;
    QTest::newRow("namespace and ack") << u"2/admin,7[\"hello\",1,\"two\"]"_s;
    QTest::newRow("number name") << u"2[1.5,2]"_s;
    QTest::newRow("number name below the smallest double") << u"23[6405401e-3087,99]"_s;
    QTest::newRow("number name of 30 digits") << u"23[0.10000000000000000000001399788,1]"_s;
    QTest::newRow("number name too large") << u"2[1e400,1]"_s;
    QTest::newRow("leading zero") << u"2[\"p\",079e3]"_s;
    QTest::newRow("leading zero name") << u"2[079e3]"_s;
    QTest::newRow("reserved name") << u"2[\"connect\",1]"_s;
    QTest::newRow("no payload") << u"2"_s;
    QTest::newRow("not an array") << u"2{\"a\":1}"_s;
    QTest::newRow("a scalar") << u"2\"abc\""_s;
    QTest::newRow("space before the array") << u"2 [\"a\"]"_s;
    QTest::newRow("bad json") << u"2[\"a\",{]"_s;
    QTest::newRow("thai") << u"2[\"ข่าว\",\"ผู้ป่วย\"]"_s;
    QTest::newRow("connect") << u"0{\"sid\":\"x\"}"_s;
    QTest::newRow("ack") << u"31[true]"_s;
    QTest::newRow("binary event") << u"51-[\"f\",{\"_placeholder\":true,\"num\":0}]"_s;
    QTest::newRow("unknown type") << u"9[]"_s;
    // Qt refuses containers nested deeper than 1024 (the outer array counts); so must the
    // scan, and a frame of deep brackets must not exhaust its stack.
    const auto nested = [](int depth) -> QString {
        return u"2[\"a\","_s + QString(depth, u'[') + QString(depth, u']') + u']';
    };
    QTest::newRow("nested 1023 deep") << nested(1023);
    QTest::newRow("nested 1024 deep") << nested(1024);
    QTest::newRow("nested 100000 deep") << nested(100000);
    QTest::newRow("deep inside an envelope") << u"2[\"f.e.created\",{\"data\":{\"id\":1},\"x\":"_s
            + QString(1030, u'[') + QString(1030, u']') + u"}]"_s;
    // decode() converts with toUtf8(): a lone surrogate becomes '?', in the name or after it.
    QTest::newRow("lone surrogate after the array") << u"2[\"a\",\"x\"]"_s + QChar(0xD800);
    QTest::newRow("lone surrogate in the name") << u"2[\"a"_s + QChar(0xD800) + u"\",\"b\"]"_s;
}

void TestEventArgs::decodeEventAgreesWithDecode()
{
    QFETCH(QString, packet);
    SocketIoPacket whole, scannedPacket;
    QString error, scanError, name;
    EventArgs args;
    const bool ok = SocketIoPacket::decode(packet, &whole, &error);
    QCOMPARE(SocketIoPacket::decodeEvent(packet, &scannedPacket, &name, &args, &scanError), ok);
    QCOMPARE(scanError, error);
    if (!ok)
        return;
    QCOMPARE(scannedPacket.type, whole.type);
    QCOMPARE(scannedPacket.nsp, whole.nsp);
    QCOMPARE(scannedPacket.ackId, whole.ackId);
    if (whole.type != SocketIoPacket::Event) {
        QCOMPARE(scannedPacket.data, whole.data);
        return;
    }
    QVERIFY(scannedPacket.data.isUndefined()); // not built: that is the point
    QVERIFY(args.hasText());
    QJsonArray expected = whole.data.toArray();
    const QJsonValue first = expected.takeAt(0);
    QCOMPARE(name, first.isString() ? first.toString() : QString::number(first.toDouble()));
    QCOMPARE(args.toArray(), expected);
}

QTEST_GUILESS_MAIN(TestEventArgs)
#include "tst_eventargs.moc"
