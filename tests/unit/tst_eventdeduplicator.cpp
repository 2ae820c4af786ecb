// SPDX-License-Identifier: MIT
// EventDeduplicator: exact by meta.eventId among the last `capacity` ids; without ids, by name
// and payload within a time window.

#include "events/eventdeduplicator.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::EventDeduplicator;
using livedesk::RealtimeEvent;

namespace {

QJsonArray args(const QString &jsonArray)
{
    return QJsonDocument::fromJson(jsonArray.toUtf8()).array();
}

RealtimeEvent withId(const QString &eventId, const QString &name = u"users.user.updated"_s)
{
    RealtimeEvent e;
    e.name = name;
    e.eventId = eventId;
    return e;
}

RealtimeEvent named(const QString &name)
{
    RealtimeEvent e;
    e.name = name;
    return e;
}

const auto kPayload = u"[{\"feature\":\"users\",\"entity\":\"user\",\"action\":\"updated\","
                      "\"data\":{\"id\":\"u-1\",\"role\":\"nurse\"},\"meta\":{\"timestamp\":"
                      "\"2024-03-05T08:15:30.123Z\",\"priority\":\"normal\"}}]"_s;

} // namespace

class TestEventDeduplicator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameEventIdTwice();
    void differentEventIds();
    void eventIdIgnoresPayloadAndWindow();
    void identicalPayloadWithinWindow();
    void identicalPayloadAfterWindow();
    void differentPayload_data();
    void differentPayload();
    void keyOrderDoesNotMatter();
    void idCapacity();
    void payloadCapacity();
    void capacityHasAFloor();
    void clear();
    void setWindowMs();
    void packetText();
};

void TestEventDeduplicator::sameEventIdTwice()
{
    EventDeduplicator d;
    const auto raw = args(kPayload);
    QVERIFY(!d.isDuplicate(withId(u"evt-000187"_s), raw));
    QVERIFY(d.isDuplicate(withId(u"evt-000187"_s), raw));
    // And every further copy (feature room, entity room, another instance).
    QVERIFY(d.isDuplicate(withId(u"evt-000187"_s), raw));
}

void TestEventDeduplicator::differentEventIds()
{
    EventDeduplicator d;
    // Same name and payload: the ids say these are two changes.
    const auto raw = args(kPayload);
    QVERIFY(!d.isDuplicate(withId(u"evt-1"_s), raw));
    QVERIFY(!d.isDuplicate(withId(u"evt-2"_s), raw));
    QVERIFY(!d.isDuplicate(withId(u"evt-3"_s), raw));
    QVERIFY(d.isDuplicate(withId(u"evt-2"_s), raw));
}

void TestEventDeduplicator::eventIdIgnoresPayloadAndWindow()
{
    EventDeduplicator d(20);
    QVERIFY(!d.isDuplicate(withId(u"evt-9"_s), args(kPayload)));
    // The second copy may be serialised differently (another instance) and arrive late.
    QTest::qWait(60);
    QVERIFY(d.isDuplicate(withId(u"evt-9"_s, u"other.name.here"_s), args(u"[{\"x\":1}]"_s)));
}

void TestEventDeduplicator::identicalPayloadWithinWindow()
{
    EventDeduplicator d(60000);
    QVERIFY(!d.isDuplicate(named(u"users.user.updated"_s), args(kPayload)));
    QVERIFY(d.isDuplicate(named(u"users.user.updated"_s), args(kPayload)));
    QVERIFY(d.isDuplicate(named(u"users.user.updated"_s), args(kPayload)));
}

void TestEventDeduplicator::identicalPayloadAfterWindow()
{
    EventDeduplicator d(40);
    QVERIFY(!d.isDuplicate(named(u"users.user.updated"_s), args(kPayload)));
    // Comfortably past the window: a genuinely repeated change is not lost.
    QTest::qWait(150);
    QVERIFY(!d.isDuplicate(named(u"users.user.updated"_s), args(kPayload)));
    // ...and that second sighting opens a new window (widened so that a slow machine cannot
    // let it lapse between these two lines).
    d.setWindowMs(60000);
    QVERIFY(d.isDuplicate(named(u"users.user.updated"_s), args(kPayload)));
}

void TestEventDeduplicator::differentPayload_data()
{
    QTest::addColumn<QString>("secondName");
    QTest::addColumn<QString>("secondArgs");

    QTest::newRow("other field value")
        << u"users.user.updated"_s << QString(kPayload).replace(u"nurse"_s, u"doctor"_s);
    QTest::newRow("other timestamp")
        << u"users.user.updated"_s
        << QString(kPayload).replace(u"08:15:30.123"_s, u"08:15:31.000"_s);
    QTest::newRow("extra argument")
        << u"users.user.updated"_s << QString(kPayload).replace(u"}}]"_s, u"}},\"off-1\"]"_s);
    QTest::newRow("other name, same payload") << u"users.user.created"_s << kPayload;
    QTest::newRow("number vs string id")
        << u"users.user.updated"_s << QString(kPayload).replace(u"\"u-1\""_s, u"1"_s);
    QTest::newRow("no args") << u"users.user.updated"_s << u"[]"_s;
}

void TestEventDeduplicator::differentPayload()
{
    QFETCH(QString, secondName);
    QFETCH(QString, secondArgs);

    EventDeduplicator d(60000);
    QVERIFY(!d.isDuplicate(named(u"users.user.updated"_s), args(kPayload)));
    QVERIFY(!d.isDuplicate(named(secondName), args(secondArgs)));
    // Both are remembered.
    QVERIFY(d.isDuplicate(named(secondName), args(secondArgs)));
    QVERIFY(d.isDuplicate(named(u"users.user.updated"_s), args(kPayload)));
}

void TestEventDeduplicator::keyOrderDoesNotMatter()
{
    EventDeduplicator d(60000);
    QVERIFY(
        !d.isDuplicate(named(u"a.b.c"_s), args(u"[{\"data\":{\"id\":1,\"x\":2},\"meta\":{}}]"_s)));
    QVERIFY(
        d.isDuplicate(named(u"a.b.c"_s), args(u"[{\"meta\":{},\"data\":{\"x\":2,\"id\":1}}]"_s)));
}

void TestEventDeduplicator::idCapacity()
{
    const int capacity = 32;
    EventDeduplicator d(60000, capacity);
    const QJsonArray raw;
    for (int i = 0; i <= capacity; ++i) // capacity + 1 distinct ids
        QVERIFY(!d.isDuplicate(withId(u"evt-%1"_s.arg(i)), raw));
    // The newest `capacity` are remembered...
    QVERIFY(d.isDuplicate(withId(u"evt-%1"_s.arg(capacity)), raw));
    QVERIFY(d.isDuplicate(withId(u"evt-1"_s), raw));
    // ...the oldest was forgotten (and is now remembered again, pushing out evt-1).
    QVERIFY(!d.isDuplicate(withId(u"evt-0"_s), raw));
    QVERIFY(d.isDuplicate(withId(u"evt-0"_s), raw));
    QVERIFY(!d.isDuplicate(withId(u"evt-1"_s), raw));
    QVERIFY(d.isDuplicate(withId(u"evt-%1"_s.arg(capacity)), raw));
}

void TestEventDeduplicator::payloadCapacity()
{
    const int capacity = 32;
    EventDeduplicator d(60000, capacity);
    const auto payload = [](int i) {
        return args(u"[{\"data\":{\"id\":%1}}]"_s.arg(i));
    };
    for (int i = 0; i < 3 * capacity; ++i)
        QVERIFY(!d.isDuplicate(named(u"a.b.updated"_s), payload(i)));
    // Far more than `capacity` payloads ago: forgotten even inside the window.
    QVERIFY(!d.isDuplicate(named(u"a.b.updated"_s), payload(0)));
    QVERIFY(!d.isDuplicate(named(u"a.b.updated"_s), payload(capacity)));
    // The most recent ones are still known.
    QVERIFY(d.isDuplicate(named(u"a.b.updated"_s), payload(3 * capacity - 1)));
    QVERIFY(d.isDuplicate(named(u"a.b.updated"_s), payload(3 * capacity - 2)));
}

void TestEventDeduplicator::capacityHasAFloor()
{
    // A capacity below 16 is raised to 16: two ids do not push each other out.
    EventDeduplicator d(60000, 1);
    const QJsonArray raw;
    QVERIFY(!d.isDuplicate(withId(u"a"_s), raw));
    QVERIFY(!d.isDuplicate(withId(u"b"_s), raw));
    QVERIFY(d.isDuplicate(withId(u"a"_s), raw));
    for (int i = 0; i < 16; ++i)
        d.isDuplicate(withId(u"x%1"_s.arg(i)), raw);
    QVERIFY(!d.isDuplicate(withId(u"a"_s), raw));
}

void TestEventDeduplicator::clear()
{
    EventDeduplicator d(60000);
    QVERIFY(!d.isDuplicate(withId(u"evt-1"_s), QJsonArray()));
    QVERIFY(!d.isDuplicate(named(u"a.b.c"_s), args(kPayload)));
    d.clear();
    QVERIFY(!d.isDuplicate(withId(u"evt-1"_s), QJsonArray()));
    QVERIFY(!d.isDuplicate(named(u"a.b.c"_s), args(kPayload)));
    QVERIFY(d.isDuplicate(withId(u"evt-1"_s), QJsonArray()));
    QVERIFY(d.isDuplicate(named(u"a.b.c"_s), args(kPayload)));
}

void TestEventDeduplicator::setWindowMs()
{
    EventDeduplicator d(60000);
    QVERIFY(!d.isDuplicate(named(u"a.b.c"_s), args(kPayload)));
    QTest::qWait(100);
    QVERIFY(d.isDuplicate(named(u"a.b.c"_s), args(kPayload)));
    // Shrinking the window applies to what was already seen.
    d.setWindowMs(20);
    QTest::qWait(100);
    QVERIFY(!d.isDuplicate(named(u"a.b.c"_s), args(kPayload)));
}

void TestEventDeduplicator::packetText()
{
    // The wire text (SocketIoEvent::packetText) as the cheap identity of an event without id.
    const auto text = u"2[\"users.user.updated\",{\"data\":{\"id\":\"u-1\"}}]"_s;
    EventDeduplicator d(60000);
    QVERIFY(!d.isDuplicateText(named(u"users.user.updated"_s), text));
    QVERIFY(d.isDuplicateText(named(u"users.user.updated"_s), text));
    QVERIFY(!d.isDuplicateText(named(u"users.user.updated"_s),
                               u"2[\"users.user.updated\",{\"data\":{\"id\":\"u-2\"}}]"_s));
    // The window applies as for decoded arguments.
    d.setWindowMs(20);
    QTest::qWait(150);
    QVERIFY(!d.isDuplicateText(named(u"users.user.updated"_s), text));

    // An eventId wins over the text: two texts, one change.
    QVERIFY(!d.isDuplicateText(withId(u"evt-5"_s), u"2[\"a\",1]"_s));
    QVERIFY(d.isDuplicateText(withId(u"evt-5"_s), u"2[\"a\",2]"_s));
    // Ids are shared between both entry points.
    QVERIFY(d.isDuplicate(withId(u"evt-5"_s), args(kPayload)));
}

QTEST_GUILESS_MAIN(TestEventDeduplicator)
#include "tst_eventdeduplicator.moc"
