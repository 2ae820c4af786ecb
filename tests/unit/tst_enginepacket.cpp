// SPDX-License-Identifier: MIT
// Engine.IO v4 packet framing and the OPEN handshake (docs/protocol.md).

#include "enginepacket.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::EngineHandshake;
using livedesk::EnginePacket;

Q_DECLARE_METATYPE(EnginePacket::Type)

class TestEnginePacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromTextFrame_data();
    void fromTextFrame();
    void invalidTextFrame_data();
    void invalidTextFrame();
    void binaryFrameIsMessage_data();
    void binaryFrameIsMessage();
    void messageFactory();
    void handshake_data();
    void handshake();
    void handshakeRejected_data();
    void handshakeRejected();
    void handshakeRoundTrip();
};

void TestEnginePacket::fromTextFrame_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<EnginePacket::Type>("type");
    QTest::addColumn<QString>("text");

    QTest::newRow("open") << u"0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":"
                             "25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"_s
                          << EnginePacket::Open
                          << u"{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":"
                             "25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"_s;
    QTest::newRow("close") << u"1"_s << EnginePacket::Close << QString();
    QTest::newRow("ping") << u"2"_s << EnginePacket::Ping << QString();
    QTest::newRow("ping probe") << u"2probe"_s << EnginePacket::Ping << u"probe"_s;
    QTest::newRow("pong") << u"3"_s << EnginePacket::Pong << QString();
    QTest::newRow("pong probe") << u"3probe"_s << EnginePacket::Pong << u"probe"_s;
    QTest::newRow("message plain") << u"4test"_s << EnginePacket::Message << u"test"_s;
    QTest::newRow("message socket.io event")
        << u"42[\"hey\",\"Jude\"]"_s << EnginePacket::Message << u"2[\"hey\",\"Jude\"]"_s;
    QTest::newRow("message socket.io connect") << u"40"_s << EnginePacket::Message << u"0"_s;
    QTest::newRow("message empty") << u"4"_s << EnginePacket::Message << QString();
    QTest::newRow("message unicode") << u"4héllo ✓"_s << EnginePacket::Message << u"héllo ✓"_s;
    QTest::newRow("upgrade") << u"5"_s << EnginePacket::Upgrade << QString();
    QTest::newRow("noop") << u"6"_s << EnginePacket::Noop << QString();
}

void TestEnginePacket::fromTextFrame()
{
    QFETCH(QString, frame);
    QFETCH(EnginePacket::Type, type);
    QFETCH(QString, text);

    const auto packet = EnginePacket::fromTextFrame(frame);
    QCOMPARE(packet.type, type);
    QCOMPARE(packet.text, text);
    QVERIFY(!packet.isBinary);
    QVERIFY(packet.binary.isEmpty());
    // A decoded text packet encodes back to the very same frame.
    QCOMPARE(packet.toTextFrame(), frame);
}

void TestEnginePacket::invalidTextFrame_data()
{
    QTest::addColumn<QString>("frame");

    QTest::newRow("empty") << QString();
    QTest::newRow("type 7") << u"7"_s;
    QTest::newRow("type 8 with data") << u"8hello"_s;
    QTest::newRow("type 9") << u"9"_s;
    QTest::newRow("letter") << u"a"_s;
    QTest::newRow("json object") << u"{\"sid\":\"x\"}"_s;
    QTest::newRow("leading space") << u" 4hello"_s;
    QTest::newRow("minus") << u"-1"_s;
    QTest::newRow("slash (char before '0')") << u"/"_s;
    QTest::newRow("colon (char after '9')") << u":"_s;
    QTest::newRow("arabic-indic four") << u"\u06644hello"_s;
    QTest::newRow("fullwidth four") << u"\uFF14hello"_s;
}

void TestEnginePacket::invalidTextFrame()
{
    QFETCH(QString, frame);
    const auto packet = EnginePacket::fromTextFrame(frame);
    QCOMPARE(packet.type, EnginePacket::Invalid);
    QVERIFY(packet.text.isEmpty());
}

void TestEnginePacket::binaryFrameIsMessage_data()
{
    QTest::addColumn<QByteArray>("frame");

    QTest::newRow("bytes") << QByteArray::fromHex("01020304");
    QTest::newRow("looks like text ping") << QByteArray("2");
    QTest::newRow("with NUL") << QByteArray("\x00\xff\x00", 3);
    QTest::newRow("empty") << QByteArray();
}

void TestEnginePacket::binaryFrameIsMessage()
{
    QFETCH(QByteArray, frame);
    const auto packet = EnginePacket::fromBinaryFrame(frame);
    QCOMPARE(packet.type, EnginePacket::Message);
    QVERIFY(packet.isBinary);
    QCOMPARE(packet.binary, frame);
    QVERIFY(packet.text.isEmpty());
}

void TestEnginePacket::messageFactory()
{
    const auto packet = EnginePacket::message(u"2[\"foo\"]"_s);
    QCOMPARE(packet.type, EnginePacket::Message);
    QCOMPARE(packet.text, u"2[\"foo\"]"_s);
    QVERIFY(!packet.isBinary);
    QCOMPARE(packet.toTextFrame(), u"42[\"foo\"]"_s);
    QCOMPARE(EnginePacket::message({}).toTextFrame(), u"4"_s);
    QCOMPARE((EnginePacket{EnginePacket::Pong, u"probe"_s, {}, false}.toTextFrame()), u"3probe"_s);
}

void TestEnginePacket::handshake_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("sid");
    QTest::addColumn<QStringList>("upgrades");
    QTest::addColumn<int>("pingInterval");
    QTest::addColumn<int>("pingTimeout");
    QTest::addColumn<qint64>("maxPayload");

    QTest::newRow("websocket only (docs/protocol.md)")
        << u"{\"sid\":\"abc123\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
           "\"maxPayload\":1000000}"_s
        << u"abc123"_s << QStringList() << 25000 << 20000 << qint64(1000000);
    QTest::newRow("polling sample session")
        << u"{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
           "\"pingTimeout\":5000,\"maxPayload\":1000000}"_s
        << u"lv_VI97HAXpY6yYWAAAC"_s << QStringList{u"websocket"_s} << 25000 << 5000
        << qint64(1000000);
    QTest::newRow("short heartbeat")
        << u"{\"sid\":\"s\",\"upgrades\":[],\"pingInterval\":300,\"pingTimeout\":200,"
           "\"maxPayload\":100}"_s
        << u"s"_s << QStringList() << 300 << 200 << qint64(100);
    QTest::newRow("large maxPayload")
        << u"{\"sid\":\"s\",\"pingInterval\":1,\"pingTimeout\":1,\"maxPayload\":5000000000}"_s
        << u"s"_s << QStringList() << 1 << 1 << qint64(5000000000);
    QTest::newRow("timings missing")
        << u"{\"sid\":\"s\"}"_s << u"s"_s << QStringList() << 25000 << 20000 << qint64(1000000);
    QTest::newRow("timings zero")
        << u"{\"sid\":\"s\",\"pingInterval\":0,\"pingTimeout\":0,\"maxPayload\":0}"_s << u"s"_s
        << QStringList() << 25000 << 20000 << qint64(1000000);
    QTest::newRow("timings negative")
        << u"{\"sid\":\"s\",\"pingInterval\":-1,\"pingTimeout\":-500,\"maxPayload\":-1}"_s << u"s"_s
        << QStringList() << 25000 << 20000 << qint64(1000000);
    QTest::newRow("timings as strings")
        << u"{\"sid\":\"s\",\"pingInterval\":\"300\",\"pingTimeout\":\"200\",\"maxPayload\":\"9\"}"_s
        << u"s"_s << QStringList() << 25000 << 20000 << qint64(1000000);
    QTest::newRow("timings null")
        << u"{\"sid\":\"s\",\"pingInterval\":null,\"pingTimeout\":null,\"maxPayload\":null}"_s
        << u"s"_s << QStringList() << 25000 << 20000 << qint64(1000000);
    QTest::newRow("timings fractional")
        << u"{\"sid\":\"s\",\"pingInterval\":100.5,\"pingTimeout\":0.5}"_s << u"s"_s
        << QStringList() << 100 << 20000 << qint64(1000000); // whole ms kept; below 1 ms: default
    QTest::newRow("unknown keys ignored")
        << u"{\"sid\":\"s\",\"upgrades\":[],\"pingInterval\":10,\"pingTimeout\":20,"
           "\"maxPayload\":30,\"extra\":{\"a\":1}}"_s
        << u"s"_s << QStringList() << 10 << 20 << qint64(30);
    QTest::newRow("whitespace around") << u"  {\"sid\":\"s\",\"pingInterval\":10}\n"_s << u"s"_s
                                       << QStringList() << 10 << 20000 << qint64(1000000);
    // Over INT_MAX milliseconds is as nonsensical as zero: it must not wrap into a heartbeat
    // of 0 ms (fires at once) or a negative one.
    QTest::newRow("pingInterval 2^32") << u"{\"sid\":\"s\",\"pingInterval\":4294967296}"_s << u"s"_s
                                       << QStringList() << 25000 << 20000 << qint64(1000000);
    QTest::newRow("pingTimeout 3e9") << u"{\"sid\":\"s\",\"pingTimeout\":3000000000}"_s << u"s"_s
                                     << QStringList() << 25000 << 20000 << qint64(1000000);
}

void TestEnginePacket::handshake()
{
    QFETCH(QString, json);
    QFETCH(QString, sid);
    QFETCH(QStringList, upgrades);
    QFETCH(int, pingInterval);
    QFETCH(int, pingTimeout);
    QFETCH(qint64, maxPayload);

    EngineHandshake h;
    QString error;
    QVERIFY2(EngineHandshake::parse(json, &h, &error), qPrintable(error));
    QCOMPARE(h.sid, sid);
    QCOMPARE(h.upgrades, upgrades);

    QVERIFY2(h.pingIntervalMs > 0, qPrintable(QString::number(h.pingIntervalMs)));
    QVERIFY2(h.pingTimeoutMs > 0, qPrintable(QString::number(h.pingTimeoutMs)));

    if (QByteArrayView(QTest::currentDataTag()) != "pingInterval 2^32")
        QCOMPARE(h.pingIntervalMs, pingInterval);
    if (QByteArrayView(QTest::currentDataTag()) != "pingTimeout 3e9")
        QCOMPARE(h.pingTimeoutMs, pingTimeout);
    QCOMPARE(h.maxPayload, maxPayload);
}

void TestEnginePacket::handshakeRejected_data()
{
    QTest::addColumn<QString>("json");

    QTest::newRow("missing sid") << u"{\"upgrades\":[],\"pingInterval\":25000}"_s;
    QTest::newRow("empty sid") << u"{\"sid\":\"\",\"pingInterval\":25000}"_s;
    QTest::newRow("numeric sid") << u"{\"sid\":42}"_s;
    QTest::newRow("null sid") << u"{\"sid\":null}"_s;
    QTest::newRow("array") << u"[{\"sid\":\"s\"}]"_s;
    QTest::newRow("string") << u"\"sid\""_s;
    QTest::newRow("number") << u"25000"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("truncated") << u"{\"sid\":\"s\""_s;
    QTest::newRow("garbage after object") << u"{\"sid\":\"s\"}x"_s;
}

void TestEnginePacket::handshakeRejected()
{
    QFETCH(QString, json);

    EngineHandshake h;
    h.sid = u"untouched"_s;
    h.pingIntervalMs = 7;
    QString error;
    QVERIFY(!EngineHandshake::parse(json, &h, &error));
    QVERIFY(!error.isEmpty());
    // A rejected handshake leaves the output alone.
    QCOMPARE(h.sid, u"untouched"_s);
    QCOMPARE(h.pingIntervalMs, 7);
}

void TestEnginePacket::handshakeRoundTrip()
{
    EngineHandshake h;
    h.sid = u"wZX3oN0bSVIhsaknAAAI"_s;
    h.upgrades = {u"websocket"_s};
    h.pingIntervalMs = 300;
    h.pingTimeoutMs = 200;
    h.maxPayload = 4096;

    const QString json = h.toJson();
    // Compact JSON, keys in a stable (sorted) order: what a server sends after "0".
    QCOMPARE(json,
             u"{\"maxPayload\":4096,\"pingInterval\":300,\"pingTimeout\":200,\"sid\":"
             "\"wZX3oN0bSVIhsaknAAAI\",\"upgrades\":[\"websocket\"]}"_s);

    EngineHandshake back;
    QString error;
    QVERIFY2(EngineHandshake::parse(json, &back, &error), qPrintable(error));
    QCOMPARE(back.sid, h.sid);
    QCOMPARE(back.upgrades, h.upgrades);
    QCOMPARE(back.pingIntervalMs, h.pingIntervalMs);
    QCOMPARE(back.pingTimeoutMs, h.pingTimeoutMs);
    QCOMPARE(back.maxPayload, h.maxPayload);

    // As the OPEN packet's frame.
    const auto open = EnginePacket{EnginePacket::Open, json, {}, false};
    const auto decoded = EnginePacket::fromTextFrame(open.toTextFrame());
    QCOMPARE(decoded.type, EnginePacket::Open);
    QVERIFY(EngineHandshake::parse(decoded.text, &back, &error));
    QCOMPARE(back.sid, h.sid);
}

QTEST_GUILESS_MAIN(TestEnginePacket)
#include "tst_enginepacket.moc"
