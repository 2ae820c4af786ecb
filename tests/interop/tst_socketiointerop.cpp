// SPDX-License-Identifier: MIT
// SocketIoClient against a real Socket.IO 4.8 server (peer-server.js): handshake and auth,
// events and acks both ways, binary attachments, reconnection, connection state recovery,
// server-side disconnects and the Engine.IO heartbeat.
#include "events/realtimechannel.h"
#include "peerprocess.h"
#include "socketio/socketioclient.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <optional>

using namespace Qt::StringLiterals;
using livedesk::RealtimeChannel;
using livedesk::SocketIoAck;
using livedesk::SocketIoClient;
using livedesk::SocketIoEvent;
using livedesk::test::PeerProcess;
using State = livedesk::SocketIoClient::State;

namespace {

// An upper bound for things that normally take milliseconds; generous because CI runs the
// suite in parallel on two cores. Nothing here asserts how long something took.
constexpr int Patience = 15000;

QJsonArray jsonArray(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).array();
}

SocketIoClient::Options optionsFor(const PeerProcess &peer)
{
    SocketIoClient::Options options;
    options.url = peer.url();
    options.reconnectionDelayMs = 100;
    options.reconnectionDelayMaxMs = 400;
    options.connectTimeoutMs = Patience;
    return options;
}

// Every event the client delivers, in order.
class EventLog : public QObject
{
public:
    explicit EventLog(SocketIoClient *client)
    {
        connect(client, &SocketIoClient::eventReceived, this,
                [this](const SocketIoEvent &event) { events.append(event); });
    }

    QList<SocketIoEvent> named(QStringView name) const
    {
        QList<SocketIoEvent> out;
        for (const auto &e : events) {
            if (e.name == name)
                out.append(e);
        }
        return out;
    }

    QList<SocketIoEvent> events;
};

} // namespace

class TestSocketIoInterop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void connectSendsAuth();
    void refusedAuthFailsWithoutRetrying();
    void clientCloseDisconnectsNamespace();
    void eventsBothWays();
    void clientAckRoundTrip();
    void serverAckRoundTrip_data();
    void serverAckRoundTrip();
    void ackTimeout();
    void binaryAttachment_data();
    void binaryAttachment();
    void largeEventIsDelivered();
    void backlogIsDeliveredInSlices();
    void namespaceTraffic();
    void unknownNamespaceIsRefused();
    void reconnectsAfterServerRestart();
    void refusalAfterReconnectStopsRetrying();
    void recoveryReplaysMissedEvents();
    void recoveryLosesNothingWhenConnectReplyNeverComes();
    void recoveryAgainstRestartedServerStartsFresh();
    void withoutRecoveryANewSessionStarts();
    void serverDisconnectStopsReconnecting();
    void heartbeatIsAnswered();
    void silentServerIsDeclaredDead();
    void connectReplyTimeout();

private:
    // Opens @p client and waits for the namespace CONNECT reply.
    static bool connectClient(SocketIoClient &client);
};

bool TestSocketIoInterop::connectClient(SocketIoClient &client)
{
    client.open();
    return QTest::qWaitFor([&] { return client.state() == State::Connected; }, Patience);
}

void TestSocketIoInterop::initTestCase()
{
    // A machine without node must make this suite fail, not quietly skip it.
    QVERIFY2(PeerProcess::setupProblem().isEmpty(), qPrintable(PeerProcess::setupProblem()));
}

void TestSocketIoInterop::connectSendsAuth()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--token"_s, u"s3cret"_s}), qPrintable(peer.errorOutput()));

    SocketIoClient client;
    auto options = optionsFor(peer);
    options.auth = QJsonObject{{u"token"_s, u"s3cret"_s}, {u"device"_s, u"ward-3b"_s}};
    client.setOptions(options);
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);
    QSignalSpy stateSpy(&client, &SocketIoClient::stateChanged);

    client.open();
    QCOMPARE(client.state(), State::Connecting);
    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 1, Patience);
    QCOMPARE(connectedSpy.at(0).at(0).toBool(), false);
    QCOMPARE(client.state(), State::Connected);
    QVERIFY(!client.recovered());
    QCOMPARE(stateSpy.size(), 2);
    QCOMPARE(stateSpy.at(0).at(0).value<State>(), State::Connecting);
    QCOMPARE(stateSpy.at(1).at(0).value<State>(), State::Connected);

    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"connection"), 1, Patience);
    const QJsonObject connection = peer.linesWith(u"connection").constFirst();
    QCOMPARE(connection.value(u"auth").toObject(), options.auth);
    QVERIFY(!client.sid().isEmpty());
    QCOMPARE(connection.value(u"connection").toString(), client.sid());
    QCOMPARE(client.stats().connects, 1);
}

void TestSocketIoInterop::refusedAuthFailsWithoutRetrying()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--token"_s, u"good"_s, u"--report-engine"_s}),
             qPrintable(peer.errorOutput()));

    SocketIoClient client;
    auto options = optionsFor(peer);
    options.auth = QJsonObject{{u"token"_s, u"bad"_s}};
    client.setOptions(options);
    QSignalSpy errorSpy(&client, &SocketIoClient::connectError);
    QSignalSpy reconnectSpy(&client, &SocketIoClient::reconnectScheduled);
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);

    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Failed, Patience);
    QCOMPARE(client.failure(), SocketIoClient::Failure::ConnectRefused);
    QCOMPARE(client.failureMessage(), u"invalid token"_s);
    QCOMPARE(errorSpy.size(), 1);
    QCOMPARE(errorSpy.at(0).at(0).toString(), u"invalid token"_s);
    QCOMPARE(errorSpy.at(0).at(1).value<QJsonValue>(),
             QJsonValue(QJsonObject{{u"code"_s, u"UNAUTHORIZED"_s}}));

    // A refusal is not a network fault: however long we wait, no further attempt may follow.
    QTest::qWait(3000);
    QCOMPARE(peer.count(u"engine"), 1);
    QCOMPARE(peer.count(u"connection"), 0);
    QCOMPARE(reconnectSpy.size(), 0);
    QCOMPARE(connectedSpy.size(), 0);
    QCOMPARE(client.state(), State::Failed);

    // A corrected token and a deliberate open() get through.
    client.setAuth(QJsonObject{{u"token"_s, u"good"_s}});
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 1, Patience);
    QCOMPARE(client.failure(), SocketIoClient::Failure::None);
    QVERIFY(client.failureMessage().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"connection"), 1, Patience);
    QCOMPARE(peer.linesWith(u"connection").constFirst().value(u"auth"),
             QJsonValue(QJsonObject{{u"token"_s, u"good"_s}}));
}

void TestSocketIoInterop::clientCloseDisconnectsNamespace()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--report-engine"_s}), qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    QSignalSpy disconnectedSpy(&client, &SocketIoClient::disconnected);
    QSignalSpy reconnectSpy(&client, &SocketIoClient::reconnectScheduled);
    QVERIFY(connectClient(client));
    const QString sid = client.sid();

    client.close();
    QCOMPARE(client.state(), State::Disconnected);
    QCOMPARE(disconnectedSpy.size(), 1);
    QCOMPARE(disconnectedSpy.at(0).at(0).toString(), u"io client disconnect"_s);
    QVERIFY(!client.emitEvent(u"late"_s));

    // The server learns that the client left on purpose (a DISCONNECT packet, not a dropped
    // transport), and nothing reconnects.
    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"disconnect"), 1, Patience);
    const QJsonObject gone = peer.linesWith(u"disconnect").constFirst();
    QCOMPARE(gone.value(u"disconnect").toString(), sid);
    QCOMPARE(gone.value(u"reason").toString(), u"client namespace disconnect"_s);
    QTest::qWait(1000);
    QCOMPARE(reconnectSpy.size(), 0);
    QCOMPARE(peer.count(u"engine"), 1);
    QCOMPARE(client.state(), State::Disconnected);
}

void TestSocketIoInterop::eventsBothWays()
{
    PeerProcess peer;
    QVERIFY2(peer.start(), qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    EventLog log(&client);
    QVERIFY(!client.emitEvent(u"message"_s, {1})); // nothing is queued while disconnected
    QVERIFY(connectClient(client));

    const QJsonArray args = jsonArray(
        R"([{"patient":{"id":42,"tags":["a","b"],"ward":null}},[1,"two",null,{"x":false}],)"
        R"(3.25,-7,"h\u00e9llo \u2713 \ud83d\ude00",null,true,""])"_ba);
    QCOMPARE(args.size(), 8);

    // Client to server, and back again through the peer's `message-back`.
    QVERIFY(client.emitEvent(u"message"_s, args));
    QTRY_COMPARE_WITH_TIMEOUT(peer.received(u"message").size(), 1, Patience);
    QCOMPARE(peer.received(u"message").constFirst(), args);
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"message-back").size(), 1, Patience);
    QCOMPARE(log.named(u"message-back").constFirst().args.toArray(), args);

    // Server to client.
    peer.send({{u"cmd"_s, u"emit"_s}, {u"event"_s, u"news"_s}, {u"args"_s, args}});
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"news").size(), 1, Patience);
    const SocketIoEvent news = log.named(u"news").constFirst();
    QCOMPARE(news.args.toArray(), args);
    QCOMPARE(news.nsp, u"/"_s);
    QCOMPARE(news.ackId, -1);
    QVERIFY(news.attachments.isEmpty());

    // No arguments at all, and an event name that is not an identifier.
    peer.send({{u"cmd"_s, u"emit"_s}, {u"event"_s, u"patients:bulk-deleted"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"patients:bulk-deleted").size(), 1, Patience);
    QVERIFY(log.named(u"patients:bulk-deleted").constFirst().args.isEmpty());
    QCOMPARE(log.events.size(), 3);
    QCOMPARE(client.stats().malformedFrames, 0);
}

void TestSocketIoInterop::clientAckRoundTrip()
{
    PeerProcess peer;
    QVERIFY2(peer.start(), qPrintable(peer.errorOutput()));
    QList<std::optional<SocketIoAck>> acks(3);
    QList<int> calls(3, 0);
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    QVERIFY(connectClient(client));

    // Three at once: each reply must reach the callback of its own request.
    for (int i = 0; i < 3; ++i) {
        const QJsonArray args{i, u"n%1"_s.arg(i), QJsonObject{{u"nested"_s, QJsonArray{i, i}}}};
        client.emitWithAck(u"echo"_s, args, this, [&acks, &calls, i](const SocketIoAck &ack) {
            acks[i] = ack;
            ++calls[i];
        });
    }
    QTRY_VERIFY_WITH_TIMEOUT(acks[0] && acks[1] && acks[2], Patience);
    for (int i = 0; i < 3; ++i) {
        QVERIFY2(acks[i]->ok, qPrintable(acks[i]->error));
        QCOMPARE(acks[i]->args,
                 QJsonArray({i, u"n%1"_s.arg(i), QJsonObject{{u"nested"_s, QJsonArray{i, i}}}}));
        QCOMPARE(calls[i], 1);
    }
    QCOMPARE(peer.received(u"echo").size(), 3);
}

void TestSocketIoInterop::serverAckRoundTrip_data()
{
    QTest::addColumn<bool>("recovery");
    QTest::newRow("plain") << false;
    // Events that want an ack carry no offset: their last string argument must survive.
    QTest::newRow("recovery") << true;
}

void TestSocketIoInterop::serverAckRoundTrip()
{
    QFETCH(bool, recovery);
    PeerProcess peer;
    QVERIFY2(peer.start(recovery ? QStringList{u"--recovery"_s} : QStringList{}),
             qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    std::optional<SocketIoEvent> question;
    connect(&client, &SocketIoClient::eventReceived, &client, [&](const SocketIoEvent &event) {
        if (event.name != u"question")
            return;
        question = event;
        // Answering from inside the slot is what consumers do.
        QVERIFY(client.sendAck(event.ackId, {QJsonObject{{u"answer"_s, 42}, {u"unit"_s, u"-"_s}}}));
    });
    QVERIFY(connectClient(client));
    QVERIFY(!client.sendAck(-1));

    peer.send({{u"cmd"_s, u"emitWithAck"_s},
               {u"event"_s, u"question"_s},
               {u"args"_s, QJsonArray{QJsonObject{{u"q"_s, u"life"_s}}, 7, u"why"_s}},
               {u"timeout"_s, Patience}});
    QTRY_VERIFY_WITH_TIMEOUT(question, Patience);
    QVERIFY(question->ackId >= 0);
    QCOMPARE(question->args.toArray(), QJsonArray({QJsonObject{{u"q"_s, u"life"_s}}, 7, u"why"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(peer.count(u"ack") + peer.count(u"ackError") > 0, Patience);
    QCOMPARE(peer.count(u"ackError"), 0);
    // The peer lists the first argument of every client's reply.
    QCOMPARE(peer.linesWith(u"ack").constFirst().value(u"ack").toArray(),
             QJsonArray({QJsonObject{{u"answer"_s, 42}, {u"unit"_s, u"-"_s}}}));
}

void TestSocketIoInterop::ackTimeout()
{
    PeerProcess peer;
    QVERIFY2(peer.start(), qPrintable(peer.errorOutput()));
    std::optional<SocketIoAck> result;
    int calls = 0;
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    QVERIFY(connectClient(client));

    client.emitWithAck(
        u"noack"_s, {1}, this,
        [&](const SocketIoAck &ack) {
            result = ack;
            ++calls;
        },
        300);
    QTRY_VERIFY_WITH_TIMEOUT(result, Patience);
    QVERIFY(!result->ok);
    QCOMPARE(result->error, u"timeout"_s);
    QVERIFY(result->args.isEmpty());
    QCOMPARE(peer.received(u"noack").size(), 1);
    QTest::qWait(500);
    QCOMPARE(calls, 1);
    QCOMPARE(client.state(), State::Connected); // a missing ack is not a dead link
}

void TestSocketIoInterop::binaryAttachment_data()
{
    QTest::addColumn<bool>("recovery");
    QTest::newRow("plain") << false;
    // With recovery the server appends its offset after the placeholder object.
    QTest::newRow("recovery") << true;
}

void TestSocketIoInterop::binaryAttachment()
{
    QFETCH(bool, recovery);
    PeerProcess peer;
    QVERIFY2(peer.start(recovery ? QStringList{u"--recovery"_s} : QStringList{}),
             qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    EventLog log(&client);
    QVERIFY(connectClient(client));

    const QString text = u"attachment \u2713 \u0001\u0000 end"_s;
    peer.send({{u"cmd"_s, u"binary"_s}, {u"event"_s, u"file"_s}, {u"text"_s, text}});
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"file").size(), 1, Patience);
    const SocketIoEvent file = log.named(u"file").constFirst();
    const QJsonObject placeholder{{u"_placeholder"_s, true}, {u"num"_s, 0}};
    QCOMPARE(file.args.toArray(),
             QJsonArray({QJsonObject{{u"name"_s, u"file.bin"_s}, {u"file"_s, placeholder}}}));
    QCOMPARE(file.attachments.size(), 1);
    QCOMPARE(file.attachments.constFirst(), text.toUtf8());

    // Several attachments: each placeholder's num indexes its own bytes.
    const QStringList texts{u"first"_s, QString(), u"third \u00e9"_s};
    peer.send({{u"cmd"_s, u"binary"_s},
               {u"event"_s, u"files"_s},
               {u"texts"_s, QJsonArray::fromStringList(texts)}});
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"files").size(), 1, Patience);
    const SocketIoEvent files = log.named(u"files").constFirst();
    QCOMPARE(files.args.size(), 1);
    const QJsonArray placeholders = files.args.at(0).toObject().value(u"files").toArray();
    QCOMPARE(placeholders.size(), 3);
    QCOMPARE(files.attachments.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const int num = placeholders.at(i).toObject().value(u"num").toInt(-1);
        QVERIFY(num >= 0 && num < 3);
        QCOMPARE(files.attachments.at(num), texts.at(i).toUtf8());
    }

    // The stream carries on normally after the attachment frame.
    peer.send({{u"cmd"_s, u"emit"_s}, {u"event"_s, u"after"_s}, {u"args"_s, QJsonArray{u"x"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"after").size(), 1, Patience);
    QCOMPARE(log.named(u"after").constFirst().args.toArray(), QJsonArray{u"x"_s});
    QCOMPARE(client.stats().malformedFrames, 0);
}

// A backlog of events that all arrived while the client was busy is delivered in order, with
// nothing lost, but over many turns of the event loop: a burst must not freeze the window.
// Each event here takes its handler a millisecond, so a backlog handled in one go would keep
// the loop from turning for seconds.
void TestSocketIoInterop::backlogIsDeliveredInSlices()
{
    PeerProcess peer;
    QVERIFY2(peer.start(), qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    QVERIFY(connectClient(client));

    qint64 turn = 0;
    QTimer turns;
    turns.setInterval(0);
    QObject::connect(&turns, &QTimer::timeout, &turns, [&turn] { ++turn; });
    QList<qint64> seqs;
    QHash<qint64, int> perTurn;
    QObject::connect(&client, &SocketIoClient::eventReceived, &client,
                     [&](const SocketIoEvent &event) {
                         if (event.name != u"burst")
                             return;
                         seqs.append(event.args.at(0).toArray().at(0).toInteger());
                         ++perTurn[turn];
                         QThread::usleep(1000);
                     });

    constexpr int count = 2000;
    peer.send(
        {{u"cmd"_s, u"stream"_s}, {u"event"_s, u"burst"_s}, {u"count"_s, count}, {u"size"_s, 10}});
    // Busy elsewhere while the server sends: the events (about 80 KB) pile up unread.
    QThread::msleep(1500);
    turns.start();
    QTRY_COMPARE_WITH_TIMEOUT(seqs.size(), count, Patience);
    for (int i = 0; i < count; ++i)
        QCOMPARE(seqs.at(i), i);
    int largest = 0;
    for (const int n : std::as_const(perTurn))
        largest = std::max(largest, n);
    QVERIFY2(largest <= count / 10,
             qPrintable(u"%1 turns, %2 events in one"_s.arg(perTurn.size()).arg(largest)));
    QCOMPARE(client.state(), State::Connected);
}

void TestSocketIoInterop::largeEventIsDelivered()
{
    PeerProcess peer;
    QVERIFY2(peer.start(), qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    EventLog log(&client);
    QSignalSpy malformedSpy(&client, &SocketIoClient::malformedFrame);
    QVERIFY(connectClient(client));
    // The handshake's maxPayload (1e6 by default) is what the server accepts; what it sends
    // is not bounded by it (a bulk event with many records, a long list).
    QCOMPARE(client.handshake().maxPayload, 1000000);

    constexpr int size = 1500000;
    QVERIFY(!peer.request({{u"cmd"_s, u"stream"_s},
                           {u"event"_s, u"big"_s},
                           {u"count"_s, 1},
                           {u"size"_s, size}})
                 .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"big").size() + malformedSpy.size(), 1, Patience);
    QCOMPARE(malformedSpy.size(), 0);
    const SocketIoEvent big = log.named(u"big").constFirst();
    QCOMPARE(big.args.at(0).toArray().at(2).toString().size(), size);
    QCOMPARE(client.state(), State::Connected);
}

void TestSocketIoInterop::namespaceTraffic()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--nsp"_s, u"/admin"_s, u"--token"_s, u"T"_s}),
             qPrintable(peer.errorOutput()));
    SocketIoClient client;
    auto options = optionsFor(peer);
    options.nsp = u"/admin"_s;
    options.auth = QJsonObject{{u"token"_s, u"T"_s}};
    client.setOptions(options);
    EventLog log(&client);
    connect(&client, &SocketIoClient::eventReceived, &client, [&client](const SocketIoEvent &e) {
        if (e.name == u"question")
            client.sendAck(e.ackId, {u"from /admin"_s});
    });
    QVERIFY(connectClient(client));
    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"connection"), 1, Patience);
    const QJsonObject connection = peer.linesWith(u"connection").constFirst();
    QCOMPARE(connection.value(u"nsp").toString(), u"/admin"_s);
    QCOMPARE(connection.value(u"connection").toString(), client.sid());
    QCOMPARE(connection.value(u"auth"), QJsonValue(options.auth));

    const QJsonArray args{u"hello"_s, QJsonObject{{u"n"_s, 1}}};
    QVERIFY(client.emitEvent(u"message"_s, args));
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"message-back").size(), 1, Patience);
    QCOMPARE(log.named(u"message-back").constFirst().args.toArray(), args);
    QCOMPARE(log.named(u"message-back").constFirst().nsp, u"/admin"_s);
    QCOMPARE(peer.received(u"message").constFirst(), args);

    std::optional<SocketIoAck> echo;
    client.emitWithAck(u"echo"_s, args, &client, [&echo](const SocketIoAck &a) { echo = a; });
    QTRY_VERIFY_WITH_TIMEOUT(echo, Patience);
    QVERIFY2(echo->ok, qPrintable(echo->error));
    QCOMPARE(echo->args, args);

    peer.send({{u"cmd"_s, u"emitWithAck"_s},
               {u"nsp"_s, u"/admin"_s},
               {u"event"_s, u"question"_s},
               {u"timeout"_s, Patience}});
    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"ack") + peer.count(u"ackError"), 1, Patience);
    QCOMPARE(peer.linesWith(u"ack").constFirst().value(u"ack").toArray(),
             QJsonArray{u"from /admin"_s});

    peer.send({{u"cmd"_s, u"binary"_s},
               {u"nsp"_s, u"/admin"_s},
               {u"event"_s, u"file"_s},
               {u"text"_s, u"bytes"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"file").size(), 1, Patience);
    QCOMPARE(log.named(u"file").constFirst().attachments, QByteArrayList{"bytes"_ba});

    // Events for the main namespace are not this client's business.
    peer.send({{u"cmd"_s, u"emit"_s}, {u"event"_s, u"main-only"_s}});
    peer.send({{u"cmd"_s, u"emit"_s}, {u"nsp"_s, u"/admin"_s}, {u"event"_s, u"marker"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"marker").size(), 1, Patience);
    QVERIFY(log.named(u"main-only").isEmpty());
    QCOMPARE(client.stats().malformedFrames, 0);
}

void TestSocketIoInterop::unknownNamespaceIsRefused()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--report-engine"_s}), qPrintable(peer.errorOutput()));
    SocketIoClient client;
    auto options = optionsFor(peer);
    options.nsp = u"/nowhere"_s;
    client.setOptions(options);
    QSignalSpy errorSpy(&client, &SocketIoClient::connectError);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Failed, Patience);
    QCOMPARE(client.failure(), SocketIoClient::Failure::ConnectRefused);
    QCOMPARE(client.failureMessage(), u"Invalid namespace"_s);
    QCOMPARE(errorSpy.size(), 1);
    QTest::qWait(1000);
    QCOMPARE(peer.count(u"engine"), 1);
}

void TestSocketIoInterop::reconnectsAfterServerRestart()
{
    auto first = std::make_unique<PeerProcess>();
    QVERIFY2(first->start({u"--aegisx"_s}), qPrintable(first->errorOutput()));
    const int port = first->port();

    SocketIoClient client;
    auto options = optionsFor(*first);
    options.randomizationFactor = 0; // delays 100, 200, 400, 400, ...
    client.setOptions(options);
    RealtimeChannel channel(&client);
    channel.setSubscription({u"patients"_s});
    QSignalSpy stateSpy(&client, &SocketIoClient::stateChanged);
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);
    QSignalSpy disconnectedSpy(&client, &SocketIoClient::disconnected);
    QSignalSpy reconnectSpy(&client, &SocketIoClient::reconnectScheduled);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(first->count(u"subscribed"), 1, Patience);
    const QString firstSid = client.sid();

    first->kill();
    QTRY_COMPARE_WITH_TIMEOUT(disconnectedSpy.size(), 1, Patience);
    QTRY_VERIFY_WITH_TIMEOUT(reconnectSpy.size() >= 3, Patience);
    QCOMPARE(client.state(), State::Reconnecting);
    QCOMPARE(connectedSpy.size(), 1);

    PeerProcess second;
    QVERIFY2(second.start({u"--aegisx"_s, u"--port"_s, QString::number(port)}),
             qPrintable(second.errorOutput()));
    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 2, Patience);
    QCOMPARE(connectedSpy.at(1).at(0).toBool(), false);
    QVERIFY(client.sid() != firstSid);
    QCOMPARE(client.reconnectAttempt(), 0);
    QVERIFY(!client.nextReconnectAt().isValid());

    // The new server knows nothing of the old subscription: the channel sends it again.
    QTRY_COMPARE_WITH_TIMEOUT(second.count(u"subscribed"), 1, Patience);
    const QJsonObject subscribed
        = second.linesWith(u"subscribed").constFirst().value(u"subscribed").toObject();
    QCOMPARE(subscribed.value(u"features").toArray(), QJsonArray{u"patients"_s});
    QCOMPARE(subscribed.value(u"sid").toString(), client.sid());
    QCOMPARE(channel.stats().subscriptionsSent, 2);

    // Attempts are numbered 1, 2, 3, ... within the outage, and the delay grows to its cap.
    const auto attempts = reconnectSpy.size();
    for (qsizetype i = 0; i < attempts; ++i)
        QCOMPARE(reconnectSpy.at(i).at(0).toInt(), int(i + 1));
    QCOMPARE(reconnectSpy.at(0).at(1).toInt(), 100);
    QCOMPARE(reconnectSpy.at(1).at(1).toInt(), 200);
    QCOMPARE(reconnectSpy.at(2).at(1).toInt(), 400);
    for (qsizetype i = 3; i < attempts; ++i)
        QCOMPARE(reconnectSpy.at(i).at(1).toInt(), 400);

    QList<State> states;
    for (const auto &args : std::as_const(stateSpy))
        states.append(args.at(0).value<State>());
    QCOMPARE(
        states,
        QList<State>({State::Connecting, State::Connected, State::Reconnecting, State::Connected}));
}

void TestSocketIoInterop::refusalAfterReconnectStopsRetrying()
{
    // The server comes back with other credentials (a token that expired during the outage):
    // the refusal ends the reconnection loop like a refusal of the first attempt.
    auto first = std::make_unique<PeerProcess>();
    QVERIFY2(first->start({u"--token"_s, u"old"_s}), qPrintable(first->errorOutput()));
    const int port = first->port();
    SocketIoClient client;
    auto options = optionsFor(*first);
    options.auth = QJsonObject{{u"token"_s, u"old"_s}};
    client.setOptions(options);
    QSignalSpy errorSpy(&client, &SocketIoClient::connectError);
    QSignalSpy reconnectSpy(&client, &SocketIoClient::reconnectScheduled);
    QVERIFY(connectClient(client));
    first->kill();
    QTRY_VERIFY_WITH_TIMEOUT(reconnectSpy.size() >= 1, Patience);

    PeerProcess second;
    QVERIFY2(second.start({u"--token"_s, u"new"_s, u"--report-engine"_s, u"--port"_s,
                           QString::number(port)}),
             qPrintable(second.errorOutput()));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Failed, Patience);
    QCOMPARE(client.failure(), SocketIoClient::Failure::ConnectRefused);
    QCOMPARE(client.failureMessage(), u"invalid token"_s);
    QCOMPARE(errorSpy.size(), 1);
    const auto attempts = reconnectSpy.size();
    QTest::qWait(2000);
    QCOMPARE(reconnectSpy.size(), attempts);
    QCOMPARE(second.count(u"engine"), 1);
    QCOMPARE(client.reconnectAttempt(), 0);
    QVERIFY(!client.nextReconnectAt().isValid());
}

void TestSocketIoInterop::recoveryReplaysMissedEvents()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--recovery"_s}), qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    // One timeline of connects and events, to check that replayed events follow connected().
    QStringList timeline;
    QList<SocketIoEvent> events;
    connect(&client, &SocketIoClient::connected, &client, [&](bool recovered) {
        timeline.append(recovered ? u"connected(recovered)"_s : u"connected"_s);
    });
    connect(&client, &SocketIoClient::eventReceived, &client, [&](const SocketIoEvent &event) {
        timeline.append(event.name);
        events.append(event);
    });
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);
    QVERIFY(connectClient(client));
    const QString sid = client.sid();

    // Any stored event gives the client an offset to resume from; the offset never shows.
    peer.send(
        {{u"cmd"_s, u"emit"_s}, {u"event"_s, u"before"_s}, {u"args"_s, QJsonArray{u"first"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, Patience);
    QCOMPARE(events.at(0).args.toArray(), QJsonArray{u"first"_s});

    const QList<QJsonArray> missed{jsonArray(R"([1,"one"])"_ba),
                                   jsonArray(R"([2,{"two":[2,"2"]}])"_ba),
                                   jsonArray(R"([3,null,"three"])"_ba)};
    QJsonArray thenEmit;
    for (const auto &args : missed)
        thenEmit.append(QJsonObject{{u"event"_s, u"missed"_s}, {u"args"_s, args}});
    QVERIFY(!peer.request({{u"cmd"_s, u"dropTransports"_s}, {u"thenEmit"_s, thenEmit}}).isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 2, Patience);
    QCOMPARE(connectedSpy.at(1).at(0).toBool(), true);
    QVERIFY(client.recovered());
    QCOMPARE(client.sid(), sid);
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 4, Patience);
    QTest::qWait(500); // a second copy of a replayed event would arrive right behind it
    QCOMPARE(events.size(), 4);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(events.at(i + 1).name, u"missed"_s);
        QCOMPARE(events.at(i + 1).args.toArray(), missed.at(i));
    }
    QCOMPARE(timeline,
             QStringList({u"connected"_s, u"before"_s, u"connected(recovered)"_s, u"missed"_s,
                          u"missed"_s, u"missed"_s}));
    QCOMPARE(client.stats().recoveries, 1);

    QCOMPARE(peer.count(u"connection"), 2);
    const QJsonObject second = peer.linesWith(u"connection").at(1);
    QCOMPARE(second.value(u"connection").toString(), sid);
    QCOMPARE(second.value(u"recovered").toBool(), true);

    // Live events keep flowing on the recovered session, offsets stripped.
    peer.send(
        {{u"cmd"_s, u"emit"_s}, {u"event"_s, u"after"_s}, {u"args"_s, QJsonArray{u"last"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 5, Patience);
    QCOMPARE(events.at(4).args.toArray(), QJsonArray{u"last"_s});

    // A second outage resumes after the newest event, replayed ones included: nothing twice.
    QVERIFY(!peer.request({{u"cmd"_s, u"dropTransports"_s},
                           {u"thenEmit"_s,
                            QJsonArray{QJsonObject{{u"event"_s, u"missed-again"_s},
                                                   {u"args"_s, QJsonArray{4}}}}}})
                 .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 3, Patience);
    QCOMPARE(connectedSpy.at(2).at(0).toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 6, Patience);
    QTest::qWait(500);
    QCOMPARE(events.size(), 6);
    QCOMPARE(events.at(5).name, u"missed-again"_s);
    QCOMPARE(events.at(5).args.toArray(), QJsonArray{4});
    QCOMPARE(client.sid(), sid);
}

void TestSocketIoInterop::recoveryLosesNothingWhenConnectReplyNeverComes()
{
    // The server replays the missed events, then the link dies before its CONNECT reply (here:
    // the reply is held and the transport closed). The client had not delivered those events
    // yet, so it must not resume after them: either they are replayed again, or the next
    // connect reports recovered=false so the consumer resyncs.
    PeerProcess peer;
    QVERIFY2(peer.start({u"--recovery"_s, u"--hold-recovered"_s}), qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    QList<SocketIoEvent> events;
    connect(&client, &SocketIoClient::eventReceived, &client,
            [&events](const SocketIoEvent &event) { events.append(event); });
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);
    QVERIFY(connectClient(client));
    peer.send({{u"cmd"_s, u"emit"_s}, {u"event"_s, u"before"_s}, {u"args"_s, QJsonArray{0}}});
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, Patience);

    QJsonArray thenEmit;
    for (int i = 1; i <= 3; ++i)
        thenEmit.append(QJsonObject{{u"event"_s, u"missed"_s}, {u"args"_s, QJsonArray{i}}});
    const auto framesBefore = client.stats().framesReceived;
    QVERIFY(!peer.request({{u"cmd"_s, u"dropTransports"_s}, {u"thenEmit"_s, thenEmit}}).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"held"), 1, Patience);
    // Engine OPEN plus the three replayed events have reached the client.
    QTRY_VERIFY_WITH_TIMEOUT(client.stats().framesReceived >= framesBefore + 4, Patience);
    QCOMPARE(connectedSpy.size(), 1);
    QCOMPARE(events.size(), 1); // held back until the CONNECT reply, which never comes

    QVERIFY(!peer.request({{u"cmd"_s, u"dropEngines"_s}}).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 2, Patience);
    QTest::qWait(500);
    if (connectedSpy.at(1).at(0).toBool()) {
        QCOMPARE(events.size(), 4);
        for (int i = 1; i <= 3; ++i) {
            QCOMPARE(events.at(i).name, u"missed"_s);
            QCOMPARE(events.at(i).args.toArray(), QJsonArray{i});
        }
    } else {
        QVERIFY(!client.recovered()); // lost, but said so: the consumer resyncs
    }
}

void TestSocketIoInterop::recoveryAgainstRestartedServerStartsFresh()
{
    auto first = std::make_unique<PeerProcess>();
    QVERIFY2(first->start({u"--recovery"_s}), qPrintable(first->errorOutput()));
    const int port = first->port();
    SocketIoClient client;
    client.setOptions(optionsFor(*first));
    EventLog log(&client);
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);
    QVERIFY(connectClient(client));
    const QString sid = client.sid();
    first->send({{u"cmd"_s, u"emit"_s}, {u"event"_s, u"before"_s}, {u"args"_s, QJsonArray{1}}});
    QTRY_COMPARE_WITH_TIMEOUT(log.events.size(), 1, Patience);
    first->kill();

    // The new process has never heard of the session the client asks to resume.
    PeerProcess second;
    QVERIFY2(second.start({u"--recovery"_s, u"--port"_s, QString::number(port)}),
             qPrintable(second.errorOutput()));
    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 2, Patience);
    QCOMPARE(connectedSpy.at(1).at(0).toBool(), false);
    QVERIFY(!client.recovered());
    QVERIFY(client.sid() != sid);
    QTRY_COMPARE_WITH_TIMEOUT(second.count(u"connection"), 1, Patience);
    QCOMPARE(second.linesWith(u"connection").constFirst().value(u"recovered").toBool(), false);

    // The fresh session works, and recovers on its own terms.
    second.send({{u"cmd"_s, u"emit"_s}, {u"event"_s, u"fresh"_s}, {u"args"_s, QJsonArray{u"a"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"fresh").size(), 1, Patience);
    QCOMPARE(log.named(u"fresh").constFirst().args.toArray(), QJsonArray{u"a"_s});
    const QString freshSid = client.sid();
    QVERIFY(!second
                 .request({{u"cmd"_s, u"dropTransports"_s},
                           {u"thenEmit"_s,
                            QJsonArray{QJsonObject{{u"event"_s, u"missed"_s},
                                                   {u"args"_s, QJsonArray{u"b"_s}}}}}})
                 .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 3, Patience);
    QCOMPARE(connectedSpy.at(2).at(0).toBool(), true);
    QCOMPARE(client.sid(), freshSid);
    QTRY_COMPARE_WITH_TIMEOUT(log.named(u"missed").size(), 1, Patience);
    QCOMPARE(log.named(u"missed").constFirst().args.toArray(), QJsonArray{u"b"_s});
}

void TestSocketIoInterop::withoutRecoveryANewSessionStarts()
{
    PeerProcess peer;
    QVERIFY2(peer.start(), qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    EventLog log(&client);
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);
    QSignalSpy disconnectedSpy(&client, &SocketIoClient::disconnected);
    QVERIFY(connectClient(client));
    const QString sid = client.sid();
    peer.send(
        {{u"cmd"_s, u"emit"_s}, {u"event"_s, u"before"_s}, {u"args"_s, QJsonArray{u"first"_s}}});
    QTRY_COMPARE_WITH_TIMEOUT(log.events.size(), 1, Patience);
    QCOMPARE(log.events.at(0).args.toArray(), QJsonArray{u"first"_s});

    QVERIFY(!peer.request({{u"cmd"_s, u"dropTransports"_s},
                           {u"thenEmit"_s,
                            QJsonArray{QJsonObject{{u"event"_s, u"missed"_s},
                                                   {u"args"_s, QJsonArray{1}}}}}})
                 .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 2, Patience);
    QCOMPARE(connectedSpy.at(1).at(0).toBool(), false);
    QCOMPARE(disconnectedSpy.size(), 1);
    QVERIFY(!client.recovered());
    QVERIFY(!client.sid().isEmpty());
    QVERIFY(client.sid() != sid);
    QCOMPARE(client.stats().recoveries, 0);
    QCOMPARE(client.stats().connects, 2);
    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"connection"), 2, Patience);
    QCOMPARE(peer.linesWith(u"connection").at(1).value(u"connection").toString(), client.sid());
    QCOMPARE(peer.linesWith(u"connection").at(1).value(u"recovered").toBool(), false);
    QTest::qWait(300);
    QVERIFY(log.named(u"missed").isEmpty()); // nothing to replay: the consumer must resync
}

void TestSocketIoInterop::serverDisconnectStopsReconnecting()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--report-engine"_s}), qPrintable(peer.errorOutput()));
    std::optional<SocketIoAck> pendingAck;
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    QSignalSpy disconnectedSpy(&client, &SocketIoClient::disconnected);
    QSignalSpy reconnectSpy(&client, &SocketIoClient::reconnectScheduled);
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);
    QVERIFY(connectClient(client));
    const QString sid = client.sid();

    client.emitWithAck(
        u"noack"_s, {}, this, [&](const SocketIoAck &ack) { pendingAck = ack; }, Patience * 2);
    QTRY_COMPARE_WITH_TIMEOUT(peer.received(u"noack").size(), 1, Patience);
    peer.send({{u"cmd"_s, u"disconnectAll"_s}});

    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Disconnected, Patience);
    QCOMPARE(disconnectedSpy.size(), 1);
    QCOMPARE(disconnectedSpy.at(0).at(0).toString(), u"io server disconnect"_s);
    // The pending request is answered at once, not left to its (long) timeout.
    QTRY_VERIFY_WITH_TIMEOUT(pendingAck, Patience);
    QVERIFY(!pendingAck->ok);
    QVERIFY(pendingAck->error != u"timeout");

    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"disconnect"), 1, Patience);
    QCOMPARE(peer.linesWith(u"disconnect").constFirst().value(u"reason").toString(),
             u"server namespace disconnect"_s);
    // "You were disconnected on purpose": no automatic reconnect.
    QTest::qWait(2000);
    QCOMPARE(reconnectSpy.size(), 0);
    QCOMPARE(connectedSpy.size(), 1);
    QCOMPARE(peer.count(u"engine"), 1);
    QCOMPARE(peer.count(u"connection"), 1);
    QCOMPARE(client.state(), State::Disconnected);
    QCOMPARE(client.sid(), sid);
}

void TestSocketIoInterop::heartbeatIsAnswered()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--ping-interval"_s, u"300"_s, u"--ping-timeout"_s, u"200"_s,
                         u"--report-engine"_s}),
             qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    QSignalSpy disconnectedSpy(&client, &SocketIoClient::disconnected);
    QVERIFY(connectClient(client));
    QCOMPARE(client.handshake().pingIntervalMs, 300);
    QCOMPARE(client.handshake().pingTimeoutMs, 200);

    // The server drops a client that misses one pong by 200 ms; surviving several ping
    // rounds means the client answers them.
    QTest::qWait(2000);
    QCOMPARE(client.state(), State::Connected);
    QCOMPARE(disconnectedSpy.size(), 0);
    QCOMPARE(peer.count(u"disconnect"), 0);
    QCOMPARE(peer.count(u"engine"), 1);
    QVERIFY(client.lastMessageAt().isValid());
}

void TestSocketIoInterop::silentServerIsDeclaredDead()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--ping-interval"_s, u"300"_s, u"--ping-timeout"_s, u"200"_s}),
             qPrintable(peer.errorOutput()));
    SocketIoClient client;
    client.setOptions(optionsFor(peer));
    QSignalSpy disconnectedSpy(&client, &SocketIoClient::disconnected);
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);
    QVERIFY(connectClient(client));
    const QString sid = client.sid();

    // The TCP connection stays open, only the pings stop: nothing but the client's own
    // heartbeat check can notice.
    QVERIFY(!peer.request({{u"cmd"_s, u"freeze"_s}}).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(disconnectedSpy.size(), 1, Patience);
    QCOMPARE(disconnectedSpy.at(0).at(0).toString(), u"ping timeout"_s);

    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.size(), 2, Patience);
    QVERIFY(client.sid() != sid);
    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"connection"), 2, Patience);
    QCOMPARE(peer.linesWith(u"connection").at(1).value(u"connection").toString(), client.sid());
    // The new link is pinged as usual and stays up.
    QTest::qWait(1000);
    QCOMPARE(client.state(), State::Connected);
    QCOMPARE(disconnectedSpy.size(), 1);
}

void TestSocketIoInterop::connectReplyTimeout()
{
    PeerProcess peer;
    QVERIFY2(peer.start({u"--connect-delay"_s, u"5000"_s, u"--report-engine"_s}),
             qPrintable(peer.errorOutput()));
    SocketIoClient client;
    auto options = optionsFor(peer);
    options.connectTimeoutMs = 500;
    options.reconnectionAttempts = 1;
    client.setOptions(options);
    QSignalSpy connectedSpy(&client, &SocketIoClient::connected);
    QSignalSpy disconnectedSpy(&client, &SocketIoClient::disconnected);
    QSignalSpy reconnectSpy(&client, &SocketIoClient::reconnectScheduled);

    // The WebSocket opens but the namespace CONNECT is never answered in time: the attempt
    // must not hang there, and the retry budget applies.
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Failed, Patience);
    QCOMPARE(client.failure(), SocketIoClient::Failure::RetriesExhausted);
    QVERIFY(!client.failureMessage().isEmpty());
    QCOMPARE(reconnectSpy.size(), 1);
    QCOMPARE(reconnectSpy.at(0).at(0).toInt(), 1);
    QCOMPARE(connectedSpy.size(), 0);
    QCOMPARE(disconnectedSpy.size(), 0); // never connected, so never disconnected
    QCOMPARE(peer.count(u"engine"), 2);
}

QTEST_GUILESS_MAIN(TestSocketIoInterop)
#include "tst_socketiointerop.moc"
