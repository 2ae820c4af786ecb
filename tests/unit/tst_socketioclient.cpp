// SPDX-License-Identifier: MIT
// SocketIoClient against an in-process fake Engine.IO / Socket.IO server (QWebSocketServer on
// port 0) that sends exact frames, including ones a real server would not easily produce:
// malformed frames, replays before the CONNECT reply, refusals, silence.
//
// Delays are small (reconnection 50 ms, no jitter) and waits generous; nothing asserts how long
// anything took.

#include "socketio/socketioclient.h"

#include <QtCore/QEventLoop>
#include <QtCore/QJsonDocument>
#include <QtCore/QMetaEnum>
#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtCore/QTranslator>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <memory>

using namespace Qt::StringLiterals;
using livedesk::SocketIoClient;
using livedesk::SocketIoEvent;
using State = SocketIoClient::State;
using Failure = SocketIoClient::Failure;

namespace {

constexpr int kTimeout = 10000; // for QTRY_*: generous, only reached on failure

QString compact(const QJsonArray &a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QString compact(const livedesk::EventArgs &a)
{
    return compact(a.toArray());
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Marks every string of SocketIoClient it is asked to translate, placeholders kept: a
// sentence that does not come through tr() stays unmarked.
class MarkingTranslator : public QTranslator
{
public:
    static inline const QString Mark = QStringLiteral("[tr]");

    QString translate(const char *context, const char *sourceText, const char *disambiguation,
                      int n) const override
    {
        Q_UNUSED(disambiguation);
        Q_UNUSED(n);
        if (qstrcmp(context, "livedesk::SocketIoClient") != 0)
            return {};
        return Mark + QString::fromUtf8(sourceText);
    }
    bool isEmpty() const override { return false; }
};

QString stateName(State s)
{
    return QString::fromLatin1(QMetaEnum::fromType<State>().valueToKey(int(s)));
}

QString handshake(int pingInterval = 25000, int pingTimeout = 20000, int maxPayload = 1000000)
{
    return u"{\"sid\":\"eio-sid\",\"upgrades\":[],\"pingInterval\":%1,\"pingTimeout\":%2,"
           "\"maxPayload\":%3}"_s.arg(pingInterval)
               .arg(pingTimeout)
               .arg(maxPayload);
}

/**
 * A scripted Engine.IO v4 / Socket.IO v5 server. It sends the OPEN packet on every
 * connection and, unless onText is set, answers a CONNECT with `40{"sid":"sid-<n>"}`; it
 * records every frame the client sends, per connection.
 */
class FakeServer
{
public:
    FakeServer()
        : m_server(u"livedesk fake"_s, QWebSocketServer::NonSecureMode)
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server,
                         [this] { accept(); });
    }
    ~FakeServer()
    {
        for (const auto &s : std::as_const(m_sockets)) {
            if (s) {
                s->disconnect();
                s->abort();
                delete s;
            }
        }
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

    /// Context for timers that scripts start (they die with the server).
    QObject timerContext;
    /// The OPEN packet's JSON; empty to send no OPEN at all.
    QString openJson = handshake();
    /// Replaces the default answer to the client's frames.
    std::function<void(int connection, const QString &frame)> onText;

    int connections() const { return int(m_sockets.size()); }
    int closedConnections() const
    {
        return int(std::count(m_closed.cbegin(), m_closed.cend(), true));
    }
    QStringList received(int connection) const { return m_received.value(connection); }
    QUrl requestUrl(int connection) const { return m_requestUrls.value(connection); }
    /// The CONNECT frame (`40...`) the client sent on @p connection, or empty.
    QString connectFrame(int connection) const
    {
        for (const auto &f : m_received.value(connection)) {
            if (f.startsWith(u"40"))
                return f;
        }
        return {};
    }

    void send(int connection, const QString &frame)
    {
        m_sockets.at(connection)->sendTextMessage(frame);
    }
    void sendBinary(int connection, const QByteArray &frame)
    {
        m_sockets.at(connection)->sendBinaryMessage(frame);
    }
    void sendLast(const QString &frame) { send(connections() - 1, frame); }
    /// Drops the TCP connection without a close handshake, like a crashed server or a NAT.
    void drop(int connection) { m_sockets.at(connection)->abort(); }

    /// Replies to the CONNECT @p frame in its namespace with @p payload.
    void answerConnect(int connection, const QString &frame, const QString &payload = {})
    {
        QString nsp;
        if (frame.startsWith(u"40/"))
            nsp = frame.mid(2, frame.indexOf(u',') - 2) + u',';
        send(connection,
             u"40"_s + nsp
                 + (payload.isEmpty() ? u"{\"sid\":\"sid-%1\"}"_s.arg(connection + 1) : payload));
    }

private:
    void accept()
    {
        while (m_server.hasPendingConnections()) {
            QWebSocket *socket = m_server.nextPendingConnection();
            socket->setParent(&m_server);
            const int index = int(m_sockets.size());
            m_sockets.append(socket);
            m_received.append(QStringList());
            m_closed.append(false);
            m_requestUrls.append(socket->requestUrl());
            QObject::connect(socket, &QWebSocket::textMessageReceived, &m_server,
                             [this, index](const QString &frame) {
                                 m_received[index].append(frame);
                                 if (onText)
                                     onText(index, frame);
                                 else if (frame.startsWith(u"40"))
                                     answerConnect(index, frame);
                             });
            QObject::connect(socket, &QWebSocket::disconnected, &m_server,
                             [this, index] { m_closed[index] = true; });
            if (!openJson.isEmpty())
                socket->sendTextMessage(u'0' + openJson);
        }
    }

    QWebSocketServer m_server;
    QList<QPointer<QWebSocket>> m_sockets;
    QList<QStringList> m_received;
    QList<bool> m_closed;
    QList<QUrl> m_requestUrls;
};

/** Everything the client emits, in order. */
class Recorder
{
public:
    QStringList log;
    QList<SocketIoEvent> events;
    QStringList malformed;
    QList<std::pair<int, int>> reconnects;
    QList<State> states;
    QStringList disconnects;

    void attach(SocketIoClient *c)
    {
        QObject::connect(c, &SocketIoClient::stateChanged, c, [this](State s) {
            states << s;
            log << u"state:"_s + stateName(s);
        });
        QObject::connect(c, &SocketIoClient::connected, c, [this](bool recovered) {
            log << (recovered ? u"connected:recovered"_s : u"connected:new"_s);
        });
        QObject::connect(c, &SocketIoClient::disconnected, c, [this](const QString &reason) {
            disconnects << reason;
            log << u"disconnected:"_s + reason;
        });
        QObject::connect(c, &SocketIoClient::eventReceived, c, [this](const SocketIoEvent &e) {
            events << e;
            log << u"event:"_s + e.name;
        });
        QObject::connect(c, &SocketIoClient::malformedFrame, c, [this](const QString &reason) {
            malformed << reason;
            log << u"malformed"_s;
        });
        QObject::connect(c, &SocketIoClient::reconnectScheduled, c, [this](int attempt, int delay) {
            reconnects << std::pair{attempt, delay};
            log << u"reconnect:%1"_s.arg(attempt);
        });
        QObject::connect(c, &SocketIoClient::connectError, c,
                         [this](const QString &message, const QJsonValue &) {
                             log << u"connectError:"_s + message;
                         });
    }
    int count(const QString &entry) const { return int(log.count(entry)); }
    QStringList eventNames() const
    {
        QStringList names;
        for (const auto &e : events)
            names << e.name;
        return names;
    }
};

SocketIoClient::Options fastOptions(const QUrl &url)
{
    SocketIoClient::Options o;
    o.url = url;
    o.reconnectionDelayMs = 50;
    o.reconnectionDelayMaxMs = 200;
    o.randomizationFactor = 0.0;
    o.connectTimeoutMs = 5000;
    return o;
}

const auto kPlaceholder0 = u"{\"_placeholder\":true,\"num\":0}"_s;

} // namespace

class TestSocketIoClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void engineUrl_data();
    void engineUrl();
    void invalidUrl_data();
    void invalidUrl();
    void connects_data();
    void refusesPacketsOverMaxPayload();
    void connects();
    void emitBeforeConnectedFails();
    void eventDelivery();
    void otherNamespaceIgnored();
    void binaryEvent();
    void malformedFrames_data();
    void malformedFrames();
    void eventsBeforeConnectReplyAreBuffered();
    void connectionStateRecovery();
    void connectRefused_data();
    void connectRefused();
    void serverDisconnect();
    void heartbeatTimeout();
    void answersPings();
    void closeFromEventSlot();
    void eventAfterASlowOneArrives();
    void loopTurnsBetweenSlices();
    void framesWaitingReachASlotsOwnLoop();
    void deleteLaterFromEventSlot();
    void closeFromConnectedSlotDropsBuffered();
    void emitFromConnectedSlot();
    void emitWithAck();
    void retriesExhausted_data();
    void retriesExhausted();
    void openWhileReconnectingRetriesNow();
    void connectTimeout_data();
    void connectTimeout();
    void wrongPathIsDiagnosed();
    void invalidHandshake();
    void engineCloseReconnects();
    void offsetMovesOnlyOnDelivery();
};

void TestSocketIoClient::engineUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");

    const QString q = u"EIO=4&transport=websocket"_s;
    // clang-format off
    QTest::newRow("http AegisX") << u"http://localhost:3333"_s << u"/api/ws/"_s << u"ws://localhost:3333/api/ws/?"_s + q;
    QTest::newRow("https AegisX") << u"https://his.example.org"_s << u"/api/ws/"_s << u"wss://his.example.org/api/ws/?"_s + q;
    QTest::newRow("https with port") << u"https://his.example.org:8443"_s << u"/api/ws/"_s << u"wss://his.example.org:8443/api/ws/?"_s + q;
    QTest::newRow("ws default path") << u"ws://127.0.0.1:3000"_s << u"/socket.io/"_s << u"ws://127.0.0.1:3000/socket.io/?"_s + q;
    QTest::newRow("wss kept") << u"wss://h.example"_s << u"/socket.io/"_s << u"wss://h.example/socket.io/?"_s + q;
    QTest::newRow("base with slash") << u"http://localhost:3333/"_s << u"/api/ws/"_s << u"ws://localhost:3333/api/ws/?"_s + q;
    QTest::newRow("path without leading slash") << u"http://h:1"_s << u"api/ws/"_s << u"ws://h:1/api/ws/?"_s + q;
    QTest::newRow("empty path is /socket.io/") << u"http://h:1"_s << QString() << u"ws://h:1/socket.io/?"_s + q;
    QTest::newRow("upper-case scheme and host") << u"HTTP://His.Example.ORG:3333"_s << u"/api/ws/"_s << u"ws://his.example.org:3333/api/ws/?"_s + q;
    QTest::newRow("query kept") << u"http://h:1/?tenant=ward-7"_s << u"/api/ws/"_s << u"ws://h:1/api/ws/?tenant=ward-7&"_s + q;
    QTest::newRow("stale EIO replaced") << u"http://h:1/?EIO=3&transport=polling"_s << u"/socket.io/"_s << u"ws://h:1/socket.io/?"_s + q;
    QTest::newRow("fragment dropped") << u"http://h:1/#top"_s << u"/api/ws/"_s << u"ws://h:1/api/ws/?"_s + q;
    QTest::newRow("ipv6") << u"http://[::1]:3333"_s << u"/api/ws/"_s << u"ws://[::1]:3333/api/ws/?"_s + q;
    // Options::url is a base URL "the path below is appended to": a server behind a reverse
    // proxy under /his. A URL that already ends in the Socket.IO path is not doubled.
    QTest::newRow("base path prefix") << u"https://gw.example.org/his"_s << u"/api/ws/"_s << u"wss://gw.example.org/his/api/ws/?"_s + q;
    QTest::newRow("base path prefix with slash") << u"https://gw.example.org/his/"_s << u"/api/ws/"_s << u"wss://gw.example.org/his/api/ws/?"_s + q;
    QTest::newRow("base path prefix, default path") << u"http://h:1/tenant-a"_s << u"/socket.io/"_s << u"ws://h:1/tenant-a/socket.io/?"_s + q;
    QTest::newRow("url already names the path") << u"http://localhost:3333/api/ws/"_s << u"/api/ws/"_s << u"ws://localhost:3333/api/ws/?"_s + q;
    QTest::newRow("url names the path without slash") << u"http://localhost:3333/api/ws"_s << u"/api/ws/"_s << u"ws://localhost:3333/api/ws/?"_s + q;
    QTest::newRow("prefix and path in url") << u"https://gw.example.org/his/api/ws/"_s << u"/api/ws/"_s << u"wss://gw.example.org/his/api/ws/?"_s + q;
    // clang-format on
}

void TestSocketIoClient::engineUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, path);
    QFETCH(QString, expected);

    SocketIoClient client;
    SocketIoClient::Options o;
    o.url = QUrl(url);
    o.path = path;
    client.setOptions(o);
    QCOMPARE(client.engineUrl().toString(), expected);
    QVERIFY(client.engineUrl().isValid());
}

void TestSocketIoClient::invalidUrl_data()
{
    QTest::addColumn<QUrl>("url");

    QTest::newRow("ftp") << QUrl(u"ftp://x"_s);
    QTest::newRow("empty") << QUrl();
    QTest::newRow("no host") << QUrl(u"http://"_s);
    QTest::newRow("mailto") << QUrl(u"mailto:ward@hospital.example"_s);
    QTest::newRow("host:port without scheme") << QUrl(u"localhost:3333"_s);
    QTest::newRow("file") << QUrl(u"file:///tmp/socket"_s);
}

void TestSocketIoClient::invalidUrl()
{
    QFETCH(QUrl, url);

    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(url));
    QVERIFY(client.engineUrl().isEmpty());

    client.open();
    QCOMPARE(client.state(), State::Failed);
    QCOMPARE(client.failure(), Failure::InvalidUrl);
    QVERIFY(!client.failureMessage().isEmpty());
    QCOMPARE(rec.states, QList<State>{State::Failed});
    QTest::qWait(200);
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(client.state(), State::Failed);
    QVERIFY(!client.emitEvent(u"ping"_s));

    // Opening again fails the same way, without piling up state changes.
    client.open();
    QCOMPARE(client.failure(), Failure::InvalidUrl);
    QCOMPARE(rec.states, QList<State>{State::Failed});
}

void TestSocketIoClient::connects_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QJsonObject>("auth");
    QTest::addColumn<QString>("connectFrame");

    QTest::newRow("main namespace, no auth") << u"/"_s << QJsonObject() << u"40"_s;
    QTest::newRow("main namespace, token")
        << u"/"_s << QJsonObject{{u"token"_s, u"eyJhbGciOiJIUzI1NiJ9.e30.sig"_s}}
        << u"40{\"token\":\"eyJhbGciOiJIUzI1NiJ9.e30.sig\"}"_s;
    QTest::newRow("custom namespace, token")
        << u"/admin"_s << QJsonObject{{u"token"_s, u"123"_s}} << u"40/admin,{\"token\":\"123\"}"_s;
}

void TestSocketIoClient::refusesPacketsOverMaxPayload()
{
    FakeServer server;
    server.openJson = handshake(25000, 20000, 100);
    QVERIFY(server.listen());
    SocketIoClient client;
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);
    // The server would drop a link that sends more than its maxPayload: refuse it here.
    QVERIFY(!client.emitEvent(u"big"_s, {QString(200, u'x')}));
    QVERIFY(client.emitEvent(u"small"_s, {u"ok"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(server.received(0).size(), 2, kTimeout);
    QCOMPARE(server.received(0).at(1), u"42[\"small\",\"ok\"]"_s);
    QCOMPARE(client.state(), State::Connected);
}

void TestSocketIoClient::connects()
{
    QFETCH(QString, nsp);
    QFETCH(QJsonObject, auth);
    QFETCH(QString, connectFrame);

    FakeServer server;
    server.openJson = handshake(25000, 20000, 1000000);
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    auto o = fastOptions(server.url());
    o.nsp = nsp;
    o.auth = auth;
    client.setOptions(o);

    client.open();
    QCOMPARE(client.state(), State::Connecting);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    QCOMPARE(rec.log,
             (QStringList{u"state:Connecting"_s, u"state:Connected"_s, u"connected:new"_s}));
    QCOMPARE(server.connections(), 1);
    QCOMPARE(server.received(0).value(0), connectFrame);
    QCOMPARE(server.requestUrl(0).path(), u"/socket.io/"_s);
    QCOMPARE(server.requestUrl(0).query(), u"EIO=4&transport=websocket"_s);
    QCOMPARE(client.sid(), u"sid-1"_s);
    QVERIFY(!client.recovered());
    QCOMPARE(client.handshake().sid, u"eio-sid"_s);
    QCOMPARE(client.handshake().pingIntervalMs, 25000);
    QCOMPARE(client.stats().connects, qint64(1));
    QCOMPARE(client.failure(), Failure::None);
    QVERIFY(client.lastMessageAt().isValid());

    // open() while connected is a no-op.
    client.open();
    QTest::qWait(100);
    QCOMPARE(server.connections(), 1);
    QCOMPARE(client.state(), State::Connected);
}

void TestSocketIoClient::emitBeforeConnectedFails()
{
    FakeServer server;
    server.onText = [](int, const QString &) {
    }; // never answers the CONNECT
    QVERIFY(server.listen());
    SocketIoClient client;
    client.setOptions(fastOptions(server.url()));
    QVERIFY(!client.emitEvent(u"subscribe:features"_s));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(server.received(0).size(), 1, kTimeout);
    // Engine.IO open, namespace not yet: nothing is queued behind the caller's back.
    QVERIFY(!client.emitEvent(u"subscribe:features"_s));
    QVERIFY(!client.sendAck(1));
    QTest::qWait(100);
    QCOMPARE(server.received(0), QStringList{u"40"_s});
}

void TestSocketIoClient::eventDelivery()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    server.sendLast(u"42[\"hello\",1]"_s);
    // Without a pid there is no recovery offset: a trailing string is an ordinary argument.
    server.sendLast(u"42[\"msg\",\"hello\"]"_s);
    server.sendLast(u"421[\"needsAck\",{\"q\":1}]"_s);
    server.sendLast(u"42[7,\"numeric name\"]"_s);
    server.sendLast(u"42[\"users.user.created\",{\"feature\":\"users\",\"entity\":\"user\","
                    "\"action\":\"created\",\"data\":{\"id\":\"u-1\"},\"meta\":{\"priority\":"
                    "\"normal\"}}]"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 5, kTimeout);

    QCOMPARE(rec.eventNames(),
             (QStringList{u"hello"_s, u"msg"_s, u"needsAck"_s, u"7"_s, u"users.user.created"_s}));
    QCOMPARE(compact(rec.events.at(0).args), u"[1]"_s);
    QCOMPARE(rec.events.at(0).ackId, qint64(-1));
    QCOMPARE(rec.events.at(0).nsp, u"/"_s);
    QCOMPARE(compact(rec.events.at(1).args), u"[\"hello\"]"_s);
    QCOMPARE(compact(rec.events.at(2).args), u"[{\"q\":1}]"_s);
    QCOMPARE(rec.events.at(2).ackId, qint64(1));
    QCOMPARE(compact(rec.events.at(3).args), u"[\"numeric name\"]"_s);
    QCOMPARE(compact(rec.events.at(4).args),
             u"[{\"action\":\"created\",\"data\":{\"id\":\"u-1\"},\"entity\":\"user\","
             "\"feature\":\"users\",\"meta\":{\"priority\":\"normal\"}}]"_s);
    QVERIFY(rec.events.at(4).attachments.isEmpty());
    // The Socket.IO packet text as received (without the Engine.IO "4").
    QCOMPARE(rec.events.at(0).packetText, u"2[\"hello\",1]"_s);
    QCOMPARE(rec.events.at(2).packetText, u"21[\"needsAck\",{\"q\":1}]"_s);
    QCOMPARE(client.stats().eventsDelivered, qint64(5));
    QCOMPARE(client.stats().malformedFrames, qint64(0));

    // Acknowledging the event that asked for it.
    QVERIFY(client.sendAck(1, {u"ok"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(server.received(0).contains(u"431[\"ok\"]"_s), kTimeout);
    QVERIFY(client.sendAck(2));
    QTRY_VERIFY_WITH_TIMEOUT(server.received(0).contains(u"432[]"_s), kTimeout);
    QVERIFY(!client.sendAck(-1));
}

void TestSocketIoClient::otherNamespaceIgnored()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    server.sendLast(u"42/admin,[\"secret\",1]"_s);
    server.sendLast(u"41/admin,"_s); // a DISCONNECT for another namespace does not concern us
    server.sendLast(u"42[\"mine\",2]"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 1, kTimeout);
    QCOMPARE(rec.eventNames(), QStringList{u"mine"_s});
    QCOMPARE(client.state(), State::Connected);
    QCOMPARE(client.stats().malformedFrames, qint64(0));
}

void TestSocketIoClient::binaryEvent()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    server.sendLast(u"451-[\"upload\",%1]"_s.arg(kPlaceholder0));
    server.sendBinary(0, QByteArray::fromHex("01020304"));
    server.sendLast(u"452-[\"pair\",%1,{\"_placeholder\":true,\"num\":1}]"_s.arg(kPlaceholder0));
    server.sendBinary(0, QByteArray::fromHex("0102"));
    server.sendBinary(0, QByteArray::fromHex("0304"));
    server.sendLast(u"451-[7,%1]"_s.arg(kPlaceholder0));
    server.sendBinary(0, QByteArray("x"));
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 3, kTimeout);

    QCOMPARE(rec.events.at(0).name, u"upload"_s);
    QCOMPARE(compact(rec.events.at(0).args), u'[' + kPlaceholder0 + u']');
    QCOMPARE(rec.events.at(0).attachments, QByteArrayList{QByteArray::fromHex("01020304")});
    QCOMPARE(rec.events.at(1).name, u"pair"_s);
    QCOMPARE(rec.events.at(1).attachments,
             (QByteArrayList{QByteArray::fromHex("0102"), QByteArray::fromHex("0304")}));
    QCOMPARE(client.stats().malformedFrames, qint64(0));
    // A numeric event name reads the same in binary as in text events ("7", see eventDelivery).
    QCOMPARE(rec.events.at(2).name, u"7"_s);
    // Binary events have no comparable packet text.
    QVERIFY(rec.events.at(0).packetText.isEmpty());
}

void TestSocketIoClient::malformedFrames_data()
{
    QTest::addColumn<QStringList>("frames"); // "bin:<hex>" is sent as a binary frame
    QTest::addColumn<int>("malformed");
    QTest::addColumn<QStringList>("events"); // delivered, in order ("good" is sent last)

    const QString good = u"good"_s;
    const QString pending = u"451-[\"bin\",%1]"_s.arg(kPlaceholder0);
    // Options::maxFrameBytes is 200 here; the handshake's maxPayload (100) limits only what
    // the server accepts, so a frame between the two is fine.
    const QString oversized = u"42[\"big\",\"%1\"]"_s.arg(QString(300, u'x'));
    const QString overMaxPayload = u"42[\"medium\",\"%1\"]"_s.arg(QString(120, u'x'));
    const QString bigBinary = u"bin:"_s + QString::fromLatin1(QByteArray(201, 'a').toHex());
    // clang-format off
    QTest::newRow("bad JSON") << QStringList{u"42[\"a\""_s} << 1 << QStringList{good};
    QTest::newRow("unknown Engine.IO type") << QStringList{u"7hello"_s} << 1 << QStringList{good};
    QTest::newRow("unknown Socket.IO type") << QStringList{u"47[\"x\"]"_s} << 1 << QStringList{good};
    QTest::newRow("event not an array") << QStringList{u"42{\"a\":1}"_s} << 1 << QStringList{good};
    QTest::newRow("event empty array") << QStringList{u"42[]"_s} << 1 << QStringList{good};
    QTest::newRow("reserved event name") << QStringList{u"42[\"disconnect\"]"_s} << 1 << QStringList{good};
    QTest::newRow("ack without id") << QStringList{u"43[]"_s} << 1 << QStringList{good};
    QTest::newRow("disconnect with payload") << QStringList{u"41{}"_s} << 1 << QStringList{good};
    QTest::newRow("empty text frame") << QStringList{QString()} << 1 << QStringList{good};
    QTest::newRow("oversized frame") << QStringList{oversized} << 1 << QStringList{good};
    QTest::newRow("over maxPayload, under the cap") << QStringList{overMaxPayload} << 0 << QStringList{u"medium"_s, good};
    QTest::newRow("oversized binary attachment") << QStringList{pending, bigBinary} << 1 << QStringList{good};
    QTest::newRow("oversized binary, nothing awaiting") << QStringList{bigBinary} << 1 << QStringList{good};
    QTest::newRow("binary frame, nothing awaiting") << QStringList{u"bin:0102"_s} << 1 << QStringList{good};
    QTest::newRow("text while attachments pending") << QStringList{pending, u"42[\"after\",1]"_s} << 1 << QStringList{u"after"_s, good};
    QTest::newRow("one binary too many") << QStringList{pending, u"bin:01"_s, u"bin:02"_s} << 1 << QStringList{u"bin"_s, good};
    QTest::newRow("second OPEN") << QStringList{u"0{\"sid\":\"again\"}"_s} << 1 << QStringList{good};
    QTest::newRow("second CONNECT reply") << QStringList{u"40{\"sid\":\"again\"}"_s} << 1 << QStringList{good};
    QTest::newRow("ping between attachments is fine") << QStringList{pending, u"2"_s, u"bin:01"_s} << 0 << QStringList{u"bin"_s, good};
    QTest::newRow("noop and pong are fine") << QStringList{u"6"_s, u"3"_s} << 0 << QStringList{good};
    QTest::newRow("all at once")
        << QStringList{u"42[\"a\""_s, u"7hello"_s, u"47[\"x\"]"_s, u"42{\"a\":1}"_s, oversized,
                       u"bin:ff"_s, pending, u"42[\"after\",1]"_s, u"42[\"ok\",2]"_s}
        << 7 << QStringList{u"after"_s, u"ok"_s, good};
    // clang-format on
}

void TestSocketIoClient::malformedFrames()
{
    QFETCH(QStringList, frames);
    QFETCH(int, malformed);
    QFETCH(QStringList, events);

    FakeServer server;
    server.openJson = handshake(25000, 20000, 100);
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    auto o = fastOptions(server.url());
    o.maxFrameBytes = 200;
    client.setOptions(o);
    QSignalSpy spy(&client, &SocketIoClient::malformedFrame);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);
    QCOMPARE(client.handshake().maxPayload, qint64(100));

    // Each one is logged as a warning in livedesk.socketio (and only those).
    for (int i = 0; i < malformed; ++i)
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^malformed frame dropped: "_s));
    for (const auto &f : std::as_const(frames)) {
        if (f.startsWith(u"bin:"))
            server.sendBinary(0, QByteArray::fromHex(f.mid(4).toLatin1()));
        else
            server.send(0, f);
    }
    server.send(0, u"42[\"good\",{\"n\":1}]"_s);
    QTRY_VERIFY_WITH_TIMEOUT(rec.eventNames().contains(u"good"_s), kTimeout);

    QCOMPARE(rec.eventNames(), events);
    QCOMPARE(client.stats().malformedFrames, qint64(malformed));
    QCOMPARE(spy.size(), malformed);
    QCOMPARE(rec.malformed.size(), malformed);
    for (const auto &reason : std::as_const(rec.malformed))
        QVERIFY(!reason.isEmpty());
    // Malformed frames never take the connection down.
    QCOMPARE(client.state(), State::Connected);
    QVERIFY(rec.disconnects.isEmpty());
    QCOMPARE(server.connections(), 1);
    QCOMPARE(client.stats().eventsDelivered, qint64(events.size()));
}

void TestSocketIoClient::eventsBeforeConnectReplyAreBuffered()
{
    FakeServer server;
    server.onText = [&server](int c, const QString &frame) {
        if (!frame.startsWith(u"40"))
            return;
        server.send(c, u"42[\"replay-1\",1]"_s);
        server.send(c, u"42[\"replay-2\",2]"_s);
        server.answerConnect(c, frame);
        server.send(c, u"42[\"live\",3]"_s);
    };
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 3, kTimeout);

    // Nothing is delivered before connected(); then the buffer, in order, then live events.
    QCOMPARE(rec.log,
             (QStringList{u"state:Connecting"_s, u"state:Connected"_s, u"connected:new"_s,
                          u"event:replay-1"_s, u"event:replay-2"_s, u"event:live"_s}));
    QCOMPARE(compact(rec.events.at(0).args), u"[1]"_s);
    QCOMPARE(compact(rec.events.at(1).args), u"[2]"_s);
    QCOMPARE(client.stats().eventsDelivered, qint64(3));
}

void TestSocketIoClient::connectionStateRecovery()
{
    FakeServer server;
    // What each connection does with the CONNECT: the replays to send before the reply, and
    // the reply's payload.
    QList<std::pair<QStringList, QString>> script{
        {{}, u"{\"sid\":\"s1\",\"pid\":\"p1\"}"_s},
        {{u"42[\"patients.patient.updated\",{\"id\":3},\"1709626530123-2\"]"_s},
         u"{\"sid\":\"s1\",\"pid\":\"p1\"}"_s},
        {{}, u"{\"sid\":\"s2\",\"pid\":\"p2\"}"_s},
        {{}, u"{\"sid\":\"s3\",\"pid\":\"p3\"}"_s},
        {{}, u"{\"sid\":\"s4\"}"_s},
    };
    server.onText = [&](int c, const QString &frame) {
        if (!frame.startsWith(u"40") || c >= script.size())
            return;
        for (const auto &replay : script.at(c).first)
            server.send(c, replay);
        server.answerConnect(c, frame, script.at(c).second);
    };
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    auto o = fastOptions(server.url());
    o.auth = {{u"token"_s, u"jwt"_s}};
    client.setOptions(o);

    // 1. A fresh session on a server with recovery: the reply carries a pid.
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);
    QCOMPARE(server.connectFrame(0), u"40{\"token\":\"jwt\"}"_s);
    QCOMPARE(rec.count(u"connected:new"_s), 1);
    QVERIFY(!client.recovered());

    // Stored events end with their offset: stripped from args. Acked events carry none.
    server.send(0, u"42[\"patients.patient.updated\",{\"id\":1},\"1709626530123-0\"]"_s);
    server.send(0, u"42[\"patients.patient.updated\",{\"id\":2},\"1709626530123-1\"]"_s);
    server.send(0, u"421[\"ask\",\"keep-me\"]"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 3, kTimeout);
    QCOMPARE(compact(rec.events.at(0).args), u"[{\"id\":1}]"_s);
    QCOMPARE(compact(rec.events.at(1).args), u"[{\"id\":2}]"_s);
    QCOMPARE(compact(rec.events.at(2).args), u"[\"keep-me\"]"_s);
    QCOMPARE(rec.events.at(2).ackId, qint64(1));
    // Two copies of one event carry different offsets: the packet text leaves it out.
    QCOMPARE(rec.events.at(0).packetText, u"2[\"patients.patient.updated\",{\"id\":1}]"_s);
    QCOMPARE(rec.events.at(2).packetText, u"21[\"ask\",\"keep-me\"]"_s);

    // 2. The server drops the socket; the next CONNECT carries pid and the last offset, the
    // missed event is replayed before the reply, and the same pid means "recovered".
    server.drop(0);
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(u"connected:recovered"_s), 1, kTimeout);
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.connectFrame(1),
             u"40{\"offset\":\"1709626530123-1\",\"pid\":\"p1\",\"token\":\"jwt\"}"_s);
    QVERIFY(client.recovered());
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 4, kTimeout);
    QCOMPARE(rec.events.at(3).name, u"patients.patient.updated"_s);
    QCOMPARE(compact(rec.events.at(3).args), u"[{\"id\":3}]"_s);
    const qsizetype recoveredAt = rec.log.indexOf(u"connected:recovered"_s);
    // The replayed event is delivered after connected(true), not before.
    QCOMPARE(rec.log.mid(recoveredAt - 1),
             (QStringList{u"state:Connected"_s, u"connected:recovered"_s,
                          u"event:patients.patient.updated"_s}));
    QCOMPARE(client.stats().recoveries, qint64(1));
    QCOMPARE(client.stats().connects, qint64(2));
    QCOMPARE(rec.disconnects.size(), 1);

    // 3. Recovery refused (another pid): not recovered, and the stale offset is not reused.
    server.drop(1);
    QTRY_COMPARE_WITH_TIMEOUT(client.stats().connects, qint64(3), kTimeout);
    QCOMPARE(server.connectFrame(2),
             u"40{\"offset\":\"1709626530123-2\",\"pid\":\"p1\",\"token\":\"jwt\"}"_s);
    QVERIFY(!client.recovered());
    QCOMPARE(rec.count(u"connected:new"_s), 2);
    server.drop(2);
    QTRY_COMPARE_WITH_TIMEOUT(client.stats().connects, qint64(4), kTimeout);
    QCOMPARE(server.connectFrame(3), u"40{\"pid\":\"p2\",\"token\":\"jwt\"}"_s);
    QVERIFY(!client.recovered());
    QCOMPARE(client.stats().recoveries, qint64(1));
    // Each successful connect resets the backoff: every outage starts again at attempt 1.
    QCOMPARE(rec.reconnects, (QList<std::pair<int, int>>{{1, 50}, {1, 50}, {1, 50}}));

    // 4. A deliberate close ends the session: the next open() starts a fresh one.
    client.close();
    QCOMPARE(client.state(), State::Disconnected);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.stats().connects, qint64(5), kTimeout);
    QCOMPARE(server.connectFrame(4), u"40{\"token\":\"jwt\"}"_s);
    QVERIFY(!client.recovered());
}

void TestSocketIoClient::connectRefused_data()
{
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("details");

    QTest::newRow("object with data")
        << u"44{\"message\":\"bad token\",\"data\":{\"code\":\"TOKEN_EXPIRED\"}}"_s
        << u"bad token"_s << u"{\"code\":\"TOKEN_EXPIRED\"}"_s;
    QTest::newRow("object") << u"44{\"message\":\"bad token\"}"_s << u"bad token"_s << QString();
    QTest::newRow("string (v4 servers)")
        << u"44\"Unauthorized\""_s << u"Unauthorized"_s << QString();
    QTest::newRow("no message") << u"44{}"_s << u"connection refused"_s << QString();
}

void TestSocketIoClient::connectRefused()
{
    QFETCH(QString, reply);
    QFETCH(QString, message);
    QFETCH(QString, details);

    FakeServer server;
    server.onText = [&server, reply](int c, const QString &frame) {
        if (frame.startsWith(u"40"))
            server.send(c, reply);
    };
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    auto o = fastOptions(server.url());
    o.auth = {{u"token"_s, u"expired.jwt"_s}};
    client.setOptions(o);
    QString gotMessage;
    QJsonValue gotDetails = QJsonValue::Undefined;
    connect(&client, &SocketIoClient::connectError, this,
            [&](const QString &m, const QJsonValue &d) {
                gotMessage = m;
                gotDetails = d;
            });

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^server refused the connection"_s));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Failed, kTimeout);
    QCOMPARE(client.failure(), Failure::ConnectRefused);
    QCOMPARE(client.failureMessage(), message);
    QCOMPARE(gotMessage, message);
    if (details.isEmpty())
        QVERIFY(gotDetails.isUndefined() || gotDetails.isNull());
    else
        QCOMPARE(compact(gotDetails.toObject()), details);
    QCOMPARE(server.connectFrame(0), u"40{\"token\":\"expired.jwt\"}"_s);
    QCOMPARE(rec.states, (QList<State>{State::Connecting, State::Failed}));
    QCOMPARE(rec.count(u"connectError:"_s + message), 1);

    // A bad token is not a network fault: no retry, however long we wait.
    QTest::qWait(1500);
    QCOMPARE(server.connections(), 1);
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(client.state(), State::Failed);
    QTRY_COMPARE_WITH_TIMEOUT(server.closedConnections(), 1, kTimeout);

    // The user may try again (e.g. after a new login): a new attempt, which is refused again.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^server refused the connection"_s));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(server.connections(), 2, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(u"connectError:"_s + message), 2, kTimeout);
    QCOMPARE(client.state(), State::Failed);
}

void TestSocketIoClient::serverDisconnect()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    server.sendLast(u"41"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Disconnected, kTimeout);
    QCOMPARE(rec.disconnects, QStringList{u"io server disconnect"_s});
    QCOMPARE(rec.states.last(), State::Disconnected);

    // "You were disconnected on purpose": no automatic reconnect.
    QTest::qWait(1000);
    QCOMPARE(server.connections(), 1);
    QVERIFY(rec.reconnects.isEmpty());
    QCOMPARE(client.state(), State::Disconnected);
    QVERIFY(!client.emitEvent(u"ping"_s));

    // An explicit open() starts over.
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);
    QCOMPARE(server.connections(), 2);
}

void TestSocketIoClient::heartbeatTimeout()
{
    FakeServer server;
    server.openJson = handshake(100, 100);
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(u"connected:new"_s), 1, kTimeout);

    // The server never pings: after pingInterval + pingTimeout the link is declared dead even
    // though TCP is fine, and a reconnection is scheduled.
    QTRY_VERIFY_WITH_TIMEOUT(rec.disconnects.contains(u"ping timeout"_s), kTimeout);
    QVERIFY(rec.states.contains(State::Reconnecting));
    QVERIFY(!rec.reconnects.isEmpty());
    QCOMPARE(rec.reconnects.first().first, 1);
    // ...and it does reconnect.
    QTRY_VERIFY_WITH_TIMEOUT(server.connections() >= 2, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(rec.count(u"connected:new"_s) >= 2, kTimeout);
    client.close();
}

void TestSocketIoClient::answersPings()
{
    FakeServer server;
    server.openJson = handshake(500, 500);
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    server.send(0, u"2"_s);
    QTRY_VERIFY_WITH_TIMEOUT(server.received(0).contains(u"3"_s), kTimeout);
    server.send(0, u"2probe"_s);
    QTRY_VERIFY_WITH_TIMEOUT(server.received(0).contains(u"3probe"_s), kTimeout);

    // Regular pings keep the link alive well past pingInterval + pingTimeout (1 s).
    int pings = 2;
    QTimer pinger;
    connect(&pinger, &QTimer::timeout, this, [&] {
        server.send(0, u"2"_s);
        ++pings;
    });
    pinger.start(50);
    QTest::qWait(2500);
    pinger.stop();
    QTRY_COMPARE_WITH_TIMEOUT(int(server.received(0).count(u"3"_s))
                                  + int(server.received(0).count(u"3probe"_s)),
                              pings, kTimeout);
    QVERIFY(rec.disconnects.isEmpty());
    QCOMPARE(client.state(), State::Connected);
    QCOMPARE(server.connections(), 1);
}

void TestSocketIoClient::closeFromEventSlot()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    connect(&client, &SocketIoClient::eventReceived, this,
            [&client](const SocketIoEvent &) { client.close(); });
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    server.send(0, u"42[\"e1\"]"_s);
    server.send(0, u"42[\"e2\"]"_s);
    server.send(0, u"42[\"e3\"]"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Disconnected, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(server.closedConnections(), 1, kTimeout);
    QTest::qWait(300);

    QCOMPARE(rec.eventNames(), QStringList{u"e1"_s});
    QCOMPARE(rec.disconnects, QStringList{u"io client disconnect"_s});
    // The client said goodbye properly, and does not come back on its own.
    QVERIFY(server.received(0).contains(u"41"_s));
    QCOMPARE(server.connections(), 1);
    QVERIFY(rec.reconnects.isEmpty());
}

// A slot that takes longer than the client's slice on the last event waiting: the next event,
// sent a while later, is delivered as it arrives, not when the heartbeat next looks (45 s).
void TestSocketIoClient::eventAfterASlowOneArrives()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    connect(&client, &SocketIoClient::eventReceived, this, [](const SocketIoEvent &event) {
        if (event.name == u"slow")
            QThread::msleep(30); // longer than a slice, with nothing else waiting
    });
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);
    server.sendLast(u"42[\"slow\"]"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 1, kTimeout);
    QTest::qWait(100);
    server.sendLast(u"42[\"next\"]"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 2, kTimeout);
    QCOMPARE(rec.eventNames(), (QStringList{u"slow"_s, u"next"_s}));
    QCOMPARE(client.state(), State::Connected);
}

// A backlog is handled in slices, and the event loop turns between two of them (a timer, a
// repaint, a click get their turn): events handled without a turn between them are never
// more than one slice's worth.
void TestSocketIoClient::loopTurnsBetweenSlices()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    int turns = 0; // ticks of a timer that fires on every turn of the loop
    QTimer everyTurn;
    everyTurn.setInterval(0);
    connect(&everyTurn, &QTimer::timeout, this, [&] { ++turns; });
    QList<int> turnOfEvent;
    connect(&client, &SocketIoClient::eventReceived, this, [&](const SocketIoEvent &) {
        turnOfEvent.append(turns);
        QThread::msleep(1); // a slice (8 ms) holds a handful of these
    });
    constexpr int Count = 120;
    for (int i = 0; i < Count; ++i)
        server.sendLast(u"42[\"e%1\"]"_s.arg(i));
    everyTurn.start();
    QTRY_COMPARE_WITH_TIMEOUT(turnOfEvent.size(), Count, kTimeout);
    // Runs of events within one turn: one slice at most (8 events of 1 ms, and the one that
    // crossed the budget).
    int longest = 0;
    for (int i = 0, run = 0; i < Count; ++i) {
        run = i > 0 && turnOfEvent.at(i) == turnOfEvent.at(i - 1) ? run + 1 : 1;
        longest = std::max(longest, run);
    }
    QVERIFY2(longest <= 9, qPrintable(QString::number(longest)));
    QVERIFY(longest > 1); // frames were handled in slices, not one per turn
}

// A slot that re-enters the event loop (a dialog) while frames wait behind its event: they are
// delivered from inside that loop, as they would be without it, not left until it closes.
void TestSocketIoClient::framesWaitingReachASlotsOwnLoop()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    bool inDialog = false;
    QStringList seenInDialog;
    connect(&client, &SocketIoClient::eventReceived, this, [&](const SocketIoEvent &event) {
        if (inDialog) {
            seenInDialog.append(event.name);
            return;
        }
        if (event.name != u"dialog") {
            QThread::msleep(2); // these use up a slice: what follows waits in the queue
            return;
        }
        inDialog = true;
        QEventLoop dialog;
        QTimer giveUp;
        connect(&giveUp, &QTimer::timeout, &dialog, &QEventLoop::quit);
        giveUp.start(kTimeout);
        QTimer poll;
        connect(&poll, &QTimer::timeout, &dialog, [&] {
            if (seenInDialog.size() == 2)
                dialog.quit();
        });
        poll.start(5);
        dialog.exec();
        inDialog = false;
    });
    for (int i = 0; i < 6; ++i)
        server.sendLast(u"42[\"before%1\"]"_s.arg(i));
    server.sendLast(u"42[\"dialog\"]"_s);
    server.sendLast(u"42[\"a\"]"_s);
    server.sendLast(u"42[\"b\"]"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 9, kTimeout);
    QCOMPARE(seenInDialog, (QStringList{u"a"_s, u"b"_s}));
}

void TestSocketIoClient::deleteLaterFromEventSlot()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    QPointer<SocketIoClient> client = new SocketIoClient;
    rec.attach(client);
    client->setOptions(fastOptions(server.url()));
    connect(client.data(), &SocketIoClient::eventReceived, this,
            [&client](const SocketIoEvent &) { client->deleteLater(); });
    client->open();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), State::Connected, kTimeout);

    server.send(0, u"42[\"e1\"]"_s);
    server.send(0, u"42[\"e2\"]"_s);
    server.send(0, u"42[\"e3\"]"_s);
    QTRY_VERIFY_WITH_TIMEOUT(client.isNull(), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(server.closedConnections(), 1, kTimeout);
    // Whatever was in flight, nothing arrives from a deleted client.
    const qsizetype delivered = rec.events.size();
    QVERIFY(delivered >= 1 && delivered <= 3);
    QCOMPARE(rec.events.first().name, u"e1"_s);
    QTest::qWait(200);
    QCOMPARE(rec.events.size(), delivered);
    QCOMPARE(server.connections(), 1);
}

void TestSocketIoClient::closeFromConnectedSlotDropsBuffered()
{
    FakeServer server;
    server.onText = [&server](int c, const QString &frame) {
        if (!frame.startsWith(u"40"))
            return;
        server.send(c, u"42[\"replay-1\",1]"_s);
        server.send(c, u"42[\"replay-2\",2]"_s);
        server.answerConnect(c, frame);
    };
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    connect(&client, &SocketIoClient::connected, this, [&client](bool) { client.close(); });
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(u"connected:new"_s), 1, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Disconnected, kTimeout);
    QTest::qWait(200);
    QVERIFY(rec.events.isEmpty());
    QCOMPARE(client.stats().eventsDelivered, qint64(0));
    QCOMPARE(server.connections(), 1);
}

void TestSocketIoClient::emitFromConnectedSlot()
{
    FakeServer server;
    QVERIFY(server.listen());
    SocketIoClient client;
    client.setOptions(fastOptions(server.url()));
    bool sent = false;
    connect(&client, &SocketIoClient::connected, this, [&](bool) {
        sent = client.emitEvent(u"subscribe:features"_s,
                                {QJsonObject{{u"features"_s, QJsonArray{u"patients"_s}}}});
    });
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(sent, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(server.received(0).size(), 2, kTimeout);
    QCOMPARE(server.received(0),
             (QStringList{u"40"_s, u"42[\"subscribe:features\",{\"features\":[\"patients\"]}]"_s}));
    QCOMPARE(client.stats().framesSent, qint64(2));
}

void TestSocketIoClient::emitWithAck()
{
    FakeServer server;
    server.onText = [&server](int c, const QString &frame) {
        if (frame.startsWith(u"40"))
            server.answerConnect(c, frame);
        else if (frame == u"420[\"question\",1]")
            server.send(c, u"430[\"answer\",{\"ok\":true}]"_s);
        else if (frame == u"422[\"file\"]") {
            server.send(c, u"461-2[\"pdf\",{\"_placeholder\":true,\"num\":0}]"_s);
            server.sendBinary(c, QByteArray("%PDF-1.7"));
        }
        // 421 (the second question) is never answered.
    };
    QVERIFY(server.listen());
    SocketIoClient client;
    client.setOptions(fastOptions(server.url()));

    // Not connected: the callback still runs exactly once, but never inside the caller's frame.
    QList<livedesk::SocketIoAck> early;
    client.emitWithAck(u"question"_s, {0}, this,
                       [&](const livedesk::SocketIoAck &ack) { early << ack; });
    QVERIFY(early.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(early.size(), 1, kTimeout);
    QVERIFY(!early.at(0).ok);
    QCOMPARE(early.at(0).error, u"not connected"_s);

    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    QList<livedesk::SocketIoAck> acks;
    client.emitWithAck(u"question"_s, {1}, this,
                       [&](const livedesk::SocketIoAck &ack) { acks << ack; });
    QTRY_COMPARE_WITH_TIMEOUT(acks.size(), 1, kTimeout);
    QVERIFY(acks.at(0).ok);
    QCOMPARE(compact(acks.at(0).args), u"[\"answer\",{\"ok\":true}]"_s);

    client.emitWithAck(
        u"question"_s, {2}, this, [&](const livedesk::SocketIoAck &ack) { acks << ack; }, 100);
    QTRY_COMPARE_WITH_TIMEOUT(acks.size(), 2, kTimeout);
    QVERIFY(!acks.at(1).ok);
    QCOMPARE(acks.at(1).error, u"timeout"_s);
    QCOMPARE(server.received(0).value(2), u"421[\"question\",2]"_s);
    // A late ack for a timed-out id is ignored.
    server.send(0, u"431[\"late\"]"_s);
    QTest::qWait(100);
    QCOMPARE(acks.size(), 2);

    // A BINARY_ACK: placeholders stay in args, the bytes come as attachments.
    client.emitWithAck(u"file"_s, {}, this, [&](const livedesk::SocketIoAck &ack) { acks << ack; });
    QTRY_COMPARE_WITH_TIMEOUT(acks.size(), 3, kTimeout);
    QVERIFY(acks.at(2).ok);
    QCOMPARE(compact(acks.at(2).args), u"[\"pdf\",%1]"_s.arg(kPlaceholder0));
    QCOMPARE(acks.at(2).attachments, QByteArrayList{QByteArray("%PDF-1.7")});

    // A pending ack whose context is gone is dropped silently; the others fail on disconnect.
    auto context = std::make_unique<QObject>();
    bool contextCalled = false;
    client.emitWithAck(
        u"question"_s, {3}, context.get(),
        [&](const livedesk::SocketIoAck &) { contextCalled = true; }, 60000);
    client.emitWithAck(
        u"question"_s, {4}, this, [&](const livedesk::SocketIoAck &ack) { acks << ack; }, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(server.received(0).size(), 6, kTimeout);
    context.reset();
    server.drop(0);
    QTRY_COMPARE_WITH_TIMEOUT(acks.size(), 4, kTimeout);
    QVERIFY(!acks.at(3).ok);
    QCOMPARE(acks.at(3).error, u"disconnected"_s);
    QTest::qWait(100);
    QVERIFY(!contextCalled);
    QCOMPARE(acks.size(), 4);
    client.close();
}

void TestSocketIoClient::retriesExhausted_data()
{
    QTest::addColumn<int>("attempts");

    QTest::newRow("2 retries") << 2;
    QTest::newRow("no retry") << 0;
}

void TestSocketIoClient::retriesExhausted()
{
    QFETCH(int, attempts);

    // A port that was just free: connections are refused at once.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();

    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    auto o = fastOptions(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    o.reconnectionAttempts = attempts;
    client.setOptions(o);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Failed, kTimeout);

    QCOMPARE(client.failure(), Failure::RetriesExhausted);
    QCOMPARE(rec.reconnects.size(), attempts);
    for (int i = 0; i < attempts; ++i)
        QCOMPARE(rec.reconnects.at(i).first, i + 1);
    // No jitter: 50 ms doubling.
    if (attempts == 2)
        QCOMPARE(rec.reconnects, (QList<std::pair<int, int>>{{1, 50}, {2, 100}}));
    QVERIFY2(client.failureMessage().contains(QString::number(attempts + 1)),
             qPrintable(client.failureMessage()));
    QCOMPARE(rec.count(u"connected:new"_s), 0);
    QVERIFY(rec.disconnects.isEmpty()); // never connected, so never disconnected
    QCOMPARE(rec.states.first(), State::Connecting);
    QCOMPARE(rec.states.last(), State::Failed);
    // "The attempt number of the pending or running reconnection (1-based), 0 otherwise":
    // after giving up there is none.
    QCOMPARE(client.reconnectAttempt(), 0);
    QVERIFY(!client.nextReconnectAt().isValid());
    QTest::qWait(300);
    QCOMPARE(rec.reconnects.size(), attempts);
    QCOMPARE(client.state(), State::Failed);
}

void TestSocketIoClient::openWhileReconnectingRetriesNow()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    auto o = fastOptions(server.url());
    o.reconnectionDelayMs = 600000; // the backoff alone would wait ten minutes
    o.reconnectionDelayMaxMs = 600000;
    client.setOptions(o);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    server.drop(0);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Reconnecting, kTimeout);
    QCOMPARE(rec.reconnects, (QList<std::pair<int, int>>{{1, 600000}}));
    QCOMPARE(client.reconnectAttempt(), 1);
    QVERIFY(client.nextReconnectAt() > QDateTime::currentDateTimeUtc());

    // "Retry now".
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);
    QCOMPARE(server.connections(), 2);
    QVERIFY(!client.nextReconnectAt().isValid());
    QCOMPARE(client.reconnectAttempt(), 0);
    // Calling open() again while connected does not stack attempts.
    client.open();
    QTest::qWait(100);
    QCOMPARE(server.connections(), 2);
}

void TestSocketIoClient::connectTimeout_data()
{
    QTest::addColumn<bool>("sendOpen");

    QTest::newRow("no CONNECT reply") << true;
    QTest::newRow("no Engine.IO OPEN") << false;
}

void TestSocketIoClient::connectTimeout()
{
    QFETCH(bool, sendOpen);

    FakeServer server;
    server.onText = [](int, const QString &) {
    }; // silence
    if (!sendOpen)
        server.openJson.clear();
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    auto o = fastOptions(server.url());
    o.connectTimeoutMs = 200;
    client.setOptions(o);
    client.open();

    // The attempt is abandoned and retried; it never hangs in Connecting.
    QTRY_VERIFY_WITH_TIMEOUT(!rec.reconnects.isEmpty(), kTimeout);
    QVERIFY(rec.states.contains(State::Reconnecting));
    QTRY_VERIFY_WITH_TIMEOUT(server.connections() >= 2, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(server.closedConnections() >= 1, kTimeout);
    QCOMPARE(rec.count(u"connected:new"_s), 0);
    QVERIFY(rec.disconnects.isEmpty()); // it never was connected
    client.close();
    QCOMPARE(client.state(), State::Disconnected);
}

// A server whose HTTP side answers but which leaves the WebSocket upgrade at the path tried
// hanging (what a wrong --path does on many servers): the failure says so, with the path, not
// "server unreachable".
void TestSocketIoClient::wrongPathIsDiagnosed()
{
    QTcpServer http;
    QVERIFY(http.listen(QHostAddress::LocalHost));
    int plainRequests = 0;
    QList<QTcpSocket *> hanging;
    connect(&http, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = http.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [&, socket] {
                const QByteArray request = socket->peek(8192);
                if (!request.contains("\r\n\r\n"))
                    return;
                socket->readAll();
                if (request.toLower().contains("upgrade: websocket")) {
                    hanging.append(socket); // never answered
                    return;
                }
                ++plainRequests;
                socket->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                              "Connection: close\r\n\r\n");
                socket->disconnectFromHost();
            });
        }
    });
    SocketIoClient client;
    auto o = fastOptions(QUrl(u"http://127.0.0.1:%1"_s.arg(http.serverPort())));
    o.path = u"/wrong/"_s;
    o.connectTimeoutMs = 300;
    o.reconnectionAttempts = 2;
    client.setOptions(o);
    // The sentence reaches the person (ConnectionIndicator) in their language.
    MarkingTranslator translator;
    QVERIFY(QCoreApplication::installTranslator(&translator));
    const auto uninstall = qScopeGuard([&] { QCoreApplication::removeTranslator(&translator); });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"nothing answers Socket.IO"_s));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Failed, kTimeout);
    QCOMPARE(client.failure(), Failure::RetriesExhausted);
    const QString message = client.failureMessage();
    QVERIFY2(message.contains(u"answers (status 404)"_s), qPrintable(message));
    QVERIFY2(message.contains(u"nothing answers Socket.IO at /wrong/"_s), qPrintable(message));
    QVERIFY2(client.diagnosis().startsWith(MarkingTranslator::Mark + u"the HTTP server at"_s),
             qPrintable(client.diagnosis()));
    QVERIFY2(message.startsWith(MarkingTranslator::Mark), qPrintable(message));
    QVERIFY(plainRequests >= 1);
    QVERIFY(hanging.size() >= 3);
}

void TestSocketIoClient::invalidHandshake()
{
    FakeServer server;
    server.openJson = u"{\"upgrades\":[],\"pingInterval\":25000}"_s; // no sid
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    auto o = fastOptions(server.url());
    o.reconnectionAttempts = 1;
    client.setOptions(o);
    // Rejected, logged and counted on each of the two connections; each one is a lost
    // connection (retried once), not a silent hang.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^malformed frame dropped: "_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^malformed frame dropped: "_s));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Failed, kTimeout);
    QCOMPARE(client.failure(), Failure::RetriesExhausted);
    QCOMPARE(client.stats().malformedFrames, qint64(2));
    QCOMPARE(rec.reconnects.size(), 1);
    QCOMPARE(server.connections(), 2);
    // No CONNECT on a connection without a valid handshake.
    QVERIFY(server.received(0).isEmpty());
    QVERIFY(server.received(1).isEmpty());
    QCOMPARE(rec.count(u"connected:new"_s), 0);
}

void TestSocketIoClient::engineCloseReconnects()
{
    FakeServer server;
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);

    // An Engine.IO CLOSE is a transport loss, not a Socket.IO "41": reconnect.
    server.send(0, u"1"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rec.disconnects.size(), 1, kTimeout);
    QVERIFY(rec.disconnects.first().startsWith(u"transport close"_s));
    QVERIFY(rec.states.contains(State::Reconnecting));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kTimeout);
    QCOMPARE(server.connections(), 2);
    QCOMPARE(client.sid(), u"sid-2"_s);
}

void TestSocketIoClient::offsetMovesOnlyOnDelivery()
{
    FakeServer server;
    server.onText = [&server](int c, const QString &frame) {
        if (!frame.startsWith(u"40"))
            return;
        if (c == 0) {
            server.answerConnect(c, frame, u"{\"sid\":\"s1\",\"pid\":\"p1\"}"_s);
            server.send(c, u"42[\"a.b.updated\",{\"id\":1},\"o-1\"]"_s);
        } else if (c == 1) {
            // Replays, then the link dies before the CONNECT reply: they were never delivered.
            server.send(c, u"42[\"a.b.updated\",{\"id\":2},\"o-2\"]"_s);
            server.send(c, u"42[\"a.b.updated\",{\"id\":3},\"o-3\"]"_s);
            QTimer::singleShot(100, &server.timerContext, [&server, c] { server.drop(c); });
        } else {
            server.answerConnect(c, frame, u"{\"sid\":\"s1\",\"pid\":\"p1\"}"_s);
        }
    };
    QVERIFY(server.listen());
    Recorder rec;
    SocketIoClient client;
    rec.attach(&client);
    client.setOptions(fastOptions(server.url()));
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(rec.events.size(), 1, kTimeout);
    server.drop(0);
    QTRY_COMPARE_WITH_TIMEOUT(server.connections(), 3, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!server.connectFrame(2).isEmpty(), kTimeout);

    QCOMPARE(server.connectFrame(1), u"40{\"offset\":\"o-1\",\"pid\":\"p1\"}"_s);
    // The next CONNECT asks again from the last *delivered* event.
    QCOMPARE(server.connectFrame(2), u"40{\"offset\":\"o-1\",\"pid\":\"p1\"}"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rec.count(u"connected:recovered"_s), 1, kTimeout);
    QCOMPARE(rec.eventNames(), QStringList{u"a.b.updated"_s}); // the undelivered replays are gone
}

QTEST_GUILESS_MAIN(TestSocketIoClient)
#include "tst_socketioclient.moc"
