// SPDX-License-Identifier: MIT
// RealtimeChannel against a real Socket.IO 4.8 server speaking like AegisX (peer-server.js
// --aegisx): subscription and its confirmation, decoding of CRUD envelopes, the duplicate
// delivery AegisX produces (feature room + entity room), and the app-level keepalive.
#include "events/realtimechannel.h"
#include "peerprocess.h"
#include "socketio/socketioclient.h"

#include <QtCore/QJsonArray>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::RealtimeChannel;
using livedesk::RealtimeEvent;
using livedesk::SocketIoClient;
using livedesk::SocketIoEvent;
using livedesk::test::PeerProcess;

namespace {

// An upper bound for things that normally take milliseconds (two cores, parallel tests).
constexpr int Patience = 15000;
const QString Token = u"header.payload.signature"_s;

// An AegisX-like server at /api/ws/ with a verified token, a client and its channel.
class AegisxSetup
{
public:
    bool start()
    {
        if (!peer.start({u"--aegisx"_s, u"--path"_s, u"/api/ws/"_s, u"--token"_s, Token}))
            return false;
        SocketIoClient::Options options;
        options.url = peer.url();
        options.path = u"/api/ws/"_s;
        options.auth = QJsonObject{{u"token"_s, Token}};
        options.reconnectionDelayMs = 100;
        options.connectTimeoutMs = Patience;
        client.setOptions(options);
        QObject::connect(&client, &SocketIoClient::eventReceived, &client,
                         [this](const SocketIoEvent &e) { raw.append(e.name); });
        QObject::connect(&channel, &RealtimeChannel::eventReceived, &channel,
                         [this](const RealtimeEvent &e) { events.append(e); });
        return true;
    }

    qsizetype rawCount(QStringView name) const { return raw.count(name.toString()); }

    PeerProcess peer;
    SocketIoClient client;
    RealtimeChannel channel{&client};
    QStringList raw; // names of all events the client received, in order
    QList<RealtimeEvent> events; // what the channel delivered
};

QJsonObject aegisCommand(const QString &action, const QJsonObject &data, bool twice,
                         const QString &priority = u"normal"_s)
{
    return {{u"cmd"_s, u"aegis"_s},      {u"feature"_s, u"patients"_s},
            {u"entity"_s, u"patient"_s}, {u"action"_s, action},
            {u"data"_s, data},           {u"priority"_s, priority},
            {u"twice"_s, twice}};
}

} // namespace

class TestAegisxInterop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void subscriptionIsConfirmed();
    void duplicateDeliveryIsDroppedOnce();
    void keepalivePingGetsPongQuietly();
};

void TestAegisxInterop::initTestCase()
{
    QVERIFY2(PeerProcess::setupProblem().isEmpty(), qPrintable(PeerProcess::setupProblem()));
}

void TestAegisxInterop::subscriptionIsConfirmed()
{
    AegisxSetup s;
    QVERIFY2(s.start(), qPrintable(s.peer.errorOutput()));
    QSignalSpy confirmedSpy(&s.channel, &RealtimeChannel::subscriptionConfirmed);
    s.channel.setSubscription({u"patients"_s}, {u"patient"_s});
    QCOMPARE(s.channel.stats().subscriptionsSent, 0); // not connected yet: sent on connect
    s.client.open();

    QTRY_COMPARE_WITH_TIMEOUT(confirmedSpy.size(), 1, Patience);
    const QJsonObject confirmation = confirmedSpy.at(0).at(0).toJsonObject();
    QCOMPARE(confirmation.value(u"features").toArray(), QJsonArray{u"patients"_s});
    QCOMPARE(confirmation.value(u"entities").toArray(), QJsonArray{u"patient"_s});
    QCOMPARE(confirmation.value(u"rooms").toArray(),
             QJsonArray({u"feature:patients"_s, u"entity:patient"_s}));
    QVERIFY(!confirmation.value(u"timestamp").toString().isEmpty());

    QCOMPARE(s.peer.count(u"subscribed"), 1);
    const QJsonObject subscribed
        = s.peer.linesWith(u"subscribed").constFirst().value(u"subscribed").toObject();
    QCOMPARE(subscribed.value(u"sid").toString(), s.client.sid());
    QCOMPARE(subscribed.value(u"features").toArray(), QJsonArray{u"patients"_s});
    QCOMPARE(subscribed.value(u"entities").toArray(), QJsonArray{u"patient"_s});
    QCOMPARE(s.peer.linesWith(u"connection").constFirst().value(u"auth"),
             QJsonValue(QJsonObject{{u"token"_s, Token}}));

    // A changed subscription goes out at once while connected.
    s.channel.setSubscription({u"patients"_s, u"orders"_s});
    QTRY_COMPARE_WITH_TIMEOUT(confirmedSpy.size(), 2, Patience);
    QCOMPARE(confirmedSpy.at(1).at(0).toJsonObject().value(u"features").toArray(),
             QJsonArray({u"patients"_s, u"orders"_s}));
    QCOMPARE(s.channel.stats().subscriptionsSent, 2);
    QCOMPARE(s.channel.stats().undecodable, 0);
    QVERIFY(s.events.isEmpty()); // confirmations are not change events
}

void TestAegisxInterop::duplicateDeliveryIsDroppedOnce()
{
    AegisxSetup s;
    QVERIFY2(s.start(), qPrintable(s.peer.errorOutput()));
    QSignalSpy confirmedSpy(&s.channel, &RealtimeChannel::subscriptionConfirmed);
    QSignalSpy undecodableSpy(&s.channel, &RealtimeChannel::undecodableEvent);
    s.channel.setSubscription({u"patients"_s}, {u"patient"_s});
    s.client.open();
    QTRY_COMPARE_WITH_TIMEOUT(confirmedSpy.size(), 1, Patience);

    // One change, sent to the feature room and to the entity room: the client is in both.
    const QJsonObject record{{u"id"_s, 42}, {u"name"_s, u"Ada Lovelace"_s}, {u"ward"_s, u"3B"_s}};
    s.peer.send(aegisCommand(u"created"_s, record, true, u"high"_s));
    QTRY_COMPARE_WITH_TIMEOUT(s.rawCount(u"patients.patient.created"), 2, Patience);
    QCOMPARE(s.events.size(), 1);
    QCOMPARE(s.channel.stats().received, 2);
    QCOMPARE(s.channel.stats().duplicates, 1);
    QCOMPARE(s.channel.stats().delivered, 1);

    const RealtimeEvent created = s.events.at(0);
    QCOMPARE(created.name, u"patients.patient.created"_s);
    QCOMPARE(created.dialect, RealtimeEvent::Dialect::Envelope);
    QCOMPARE(created.feature, u"patients"_s);
    QCOMPARE(created.entity, u"patient"_s);
    QCOMPARE(created.action, u"created"_s);
    QCOMPARE(created.ids, QStringList{u"42"_s}); // an integer key, as a string
    QCOMPARE(created.data(), QJsonValue(record));
    QCOMPARE(created.priority, RealtimeEvent::Priority::High);
    QCOMPARE(created.userId, u"user-1"_s);
    QCOMPARE(created.sessionId, u"peer"_s);
    QVERIFY(created.timestamp.isValid());
    QCOMPARE(created.meta().value(u"featureVersion").toString(), u"v1"_s);
    QVERIFY(created.eventId.isEmpty()); // plain AegisX: no livedesk extensions
    QCOMPARE(created.seq, -1);

    // `deleted` carries the id as a string; again delivered twice, reported once.
    s.peer.send(aegisCommand(u"deleted"_s, {{u"id"_s, u"42"_s}}, true));
    QTRY_COMPARE_WITH_TIMEOUT(s.rawCount(u"patients.patient.deleted"), 2, Patience);
    QCOMPARE(s.events.size(), 2);
    QCOMPARE(s.events.at(1).action, u"deleted"_s);
    QCOMPARE(s.events.at(1).ids, QStringList{u"42"_s});
    QCOMPARE(s.events.at(1).priority, RealtimeEvent::Priority::Normal);
    QCOMPARE(s.channel.stats().duplicates, 2);

    // A single delivery is not mistaken for a duplicate.
    s.peer.send(aegisCommand(u"updated"_s, {{u"id"_s, 7}, {u"name"_s, u"Grace"_s}}, false));
    QTRY_COMPARE_WITH_TIMEOUT(s.events.size(), 3, Patience);
    QCOMPARE(s.rawCount(u"patients.patient.updated"), 1);
    QCOMPARE(s.events.at(2).action, u"updated"_s);
    QCOMPARE(s.events.at(2).ids, QStringList{u"7"_s});
    QCOMPARE(s.channel.stats().duplicates, 2);
    QCOMPARE(undecodableSpy.size(), 0);
}

void TestAegisxInterop::keepalivePingGetsPongQuietly()
{
    AegisxSetup s;
    QVERIFY2(s.start(), qPrintable(s.peer.errorOutput()));
    QSignalSpy undecodableSpy(&s.channel, &RealtimeChannel::undecodableEvent);
    s.channel.setKeepaliveInterval(200);
    s.client.open();

    QTRY_VERIFY_WITH_TIMEOUT(s.peer.received(u"ping").size() >= 2, Patience);
    QTRY_VERIFY_WITH_TIMEOUT(s.rawCount(u"pong") >= 2, Patience);
    QVERIFY(s.channel.stats().keepalivesSent >= 2);
    QCOMPARE(undecodableSpy.size(), 0);
    QCOMPARE(s.channel.stats().undecodable, 0);
    QVERIFY(s.events.isEmpty());

    // Something that really is undecodable is reported, so the silence above means something.
    s.peer.send({{u"cmd"_s, u"emit"_s}, {u"event"_s, u"mystery"_s}, {u"args"_s, QJsonArray{1}}});
    QTRY_COMPARE_WITH_TIMEOUT(undecodableSpy.size(), 1, Patience);
    QCOMPARE(undecodableSpy.at(0).at(0).toString(), u"mystery"_s);

    // No keepalive is attempted while disconnected.
    s.client.close();
    const auto sent = s.channel.stats().keepalivesSent;
    QTest::qWait(600);
    QCOMPARE(s.channel.stats().keepalivesSent, sent);
}

QTEST_GUILESS_MAIN(TestAegisxInterop)
#include "tst_aegisxinterop.moc"
