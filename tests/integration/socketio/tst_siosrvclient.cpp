// SPDX-License-Identifier: MIT
// livedesk's own SocketIoClient against the embedded SocketIoServer: connect and auth
// (accepted, refused, unknown namespace), events and acks both ways, rooms and one-copy
// broadcasts, server and client disconnects, and connection state recovery after a real
// transport loss (a TCP relay cut under the connection), after an oversized message and after a
// server restart.
#include "socketio/socketioclient.h"
#include "socketioserver.h"
#include "tcpproxy.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::SocketIoAck;
using livedesk::SocketIoClient;
using livedesk::SocketIoEvent;
using livedesk::server::SocketIoServer;
using livedesk::test::TcpProxy;
using State = livedesk::SocketIoClient::State;

namespace {

// An upper bound for things that normally take milliseconds; nothing asserts a duration.
constexpr int Patience = 15000;

// Room lists come back sorted; sids are random, so sort what is expected too.
QStringList sortedRooms(QStringList rooms)
{
    rooms.sort();
    return rooms;
}

SocketIoClient::Options clientOptions(quint16 port)
{
    SocketIoClient::Options options;
    options.url = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    options.reconnectionDelayMs = 100;
    options.reconnectionDelayMaxMs = 400;
    options.connectTimeoutMs = Patience;
    options.ackTimeoutMs = Patience;
    return options;
}

SocketIoServer::Options serverOptions()
{
    SocketIoServer::Options options;
    options.connectTimeoutMs = Patience * 2;
    return options;
}

// What the client reports, in one ordered list: "connected:<recovered>", "event:<name>",
// "disconnected:<reason>", "error:<message>".
class ClientLog : public QObject
{
public:
    explicit ClientLog(SocketIoClient *client)
    {
        connect(client, &SocketIoClient::connected, this,
                [this](bool recovered) { entries.append(u"connected:%1"_s.arg(recovered)); });
        connect(client, &SocketIoClient::disconnected, this,
                [this](const QString &reason) { entries.append(u"disconnected:"_s + reason); });
        connect(client, &SocketIoClient::connectError, this,
                [this](const QString &message) { entries.append(u"error:"_s + message); });
        connect(client, &SocketIoClient::eventReceived, this, [this](const SocketIoEvent &event) {
            entries.append(u"event:"_s + event.name);
            events.append(event);
        });
    }

    qsizetype count(const QString &entry) const { return entries.count(entry); }
    QStringList entries;
    QList<SocketIoEvent> events;
};

} // namespace

class TestSioSrvClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectWithAuth();
    void refusedAuthIsNotRetried();
    void unknownNamespaceRefused();
    void customNamespace();
    void eventsBothWays();
    void acksBothWays();
    void roomsAndOneCopyBroadcast();
    void serverDisconnectIsFinal();
    void clientCloseEndsSession();
    void recoveryAfterTransportLoss();
    void noRecoveryWhenTheGapIsLost();
    void oversizedMessageIsNotSent();
    void recoveryAcrossServerRestart();
};

void TestSioSrvClient::connectWithAuth()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QList<QJsonObject> auths;
    server.setAuthenticator([&auths](const QString &, const QJsonObject &auth,
                                     SocketIoServer::Refusal *) -> std::optional<QJsonObject> {
        auths.append(auth);
        return QJsonObject{{u"userId"_s, u"u1"_s}};
    });
    QVERIFY(server.listen());
    QSignalSpy serverConnected(&server, &SocketIoServer::clientConnected);

    SocketIoClient client;
    auto options = clientOptions(server.port());
    options.auth = {{u"token"_s, u"jwt"_s}};
    client.setOptions(options);
    QSignalSpy connected(&client, &SocketIoClient::connected);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, Patience);
    QCOMPARE(connected.at(0).at(0).toBool(), false);
    QCOMPARE(auths, (QList<QJsonObject>{QJsonObject{{u"token"_s, u"jwt"_s}}}));
    QCOMPARE(serverConnected.size(), 1);
    QCOMPARE(serverConnected.at(0).at(1).toString(), client.sid());
    QCOMPARE(client.handshake().pingIntervalMs, 25000);
    QCOMPARE(client.handshake().maxPayload, 1000000);
    QCOMPARE(server.socketData(u"/"_s, client.sid()), (QJsonObject{{u"userId"_s, u"u1"_s}}));
}

void TestSioSrvClient::refusedAuthIsNotRetried()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    int calls = 0;
    server.setAuthenticator(
        [&calls](const QString &, const QJsonObject &,
                 SocketIoServer::Refusal *refusal) -> std::optional<QJsonObject> {
            ++calls;
            refusal->message = u"invalid token"_s;
            refusal->data = QJsonObject{{u"code"_s, u"UNAUTHORIZED"_s}};
            return std::nullopt;
        });
    QVERIFY(server.listen());
    SocketIoClient client;
    client.setOptions(clientOptions(server.port()));
    QSignalSpy refused(&client, &SocketIoClient::connectError);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, Patience);
    QCOMPARE(refused.at(0).at(0).toString(), u"invalid token"_s);
    QCOMPARE(refused.at(0).at(1).value<QJsonValue>(),
             QJsonValue(QJsonObject{{u"code"_s, u"UNAUTHORIZED"_s}}));
    QCOMPARE(client.state(), State::Failed);
    QCOMPARE(client.failure(), SocketIoClient::Failure::ConnectRefused);
    QTest::qWait(600); // longer than the client's largest backoff: no retry
    QCOMPARE(calls, 1);
    QVERIFY(server.sockets(u"/"_s).isEmpty());
}

void TestSioSrvClient::unknownNamespaceRefused()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    SocketIoClient client;
    auto options = clientOptions(server.port());
    options.nsp = u"/nope"_s;
    client.setOptions(options);
    QSignalSpy refused(&client, &SocketIoClient::connectError);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, Patience);
    QCOMPARE(refused.at(0).at(0).toString(), u"Invalid namespace"_s);
    QCOMPARE(client.state(), State::Failed);
}

void TestSioSrvClient::customNamespace()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    server.addNamespace(u"/admin"_s);
    QVERIFY(server.listen());
    QSignalSpy received(&server, &SocketIoServer::eventReceived);
    SocketIoClient client;
    auto options = clientOptions(server.port());
    options.nsp = u"/admin"_s;
    client.setOptions(options);
    ClientLog log(&client);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), Patience);
    QCOMPARE(server.sockets(u"/admin"_s), QStringList{client.sid()});
    QVERIFY(server.sockets(u"/"_s).isEmpty());
    QVERIFY(client.emitEvent(u"hi"_s, {1}));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, Patience);
    QCOMPARE(received.at(0).at(0).toString(), u"/admin"_s);
    QVERIFY(server.emitToSocket(u"/admin"_s, client.sid(), u"back"_s, {2}));
    QTRY_COMPARE_WITH_TIMEOUT(log.events.size(), 1, Patience);
    QCOMPARE(log.events.at(0).nsp, u"/admin"_s);
    QCOMPARE(log.events.at(0).args.toArray(), QJsonArray{2});
}

void TestSioSrvClient::eventsBothWays()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    QSignalSpy received(&server, &SocketIoServer::eventReceived);
    SocketIoClient client;
    client.setOptions(clientOptions(server.port()));
    ClientLog log(&client);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), Patience);

    const QJsonArray args{1, u"two"_s, QJsonObject{{u"three"_s, QJsonArray{true, QJsonValue()}}}};
    QVERIFY(client.emitEvent(u"hello"_s, args));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, Patience);
    QCOMPARE(received.at(0).at(1).toString(), client.sid());
    QCOMPARE(received.at(0).at(2).toString(), u"hello"_s);
    QCOMPARE(received.at(0).at(3).toJsonArray(), args);
    QCOMPARE(received.at(0).at(4).toLongLong(), -1);

    // Server events carry a recovery offset; the client strips it, whatever the last argument.
    QVERIFY(server.emitToSocket(u"/"_s, client.sid(), u"reply"_s, args));
    QVERIFY(server.emitToSocket(u"/"_s, client.sid(), u"text-last"_s, {u"a string"_s}));
    QVERIFY(server.emitToSocket(u"/"_s, client.sid(), u"no-args"_s, {}));
    QTRY_COMPARE_WITH_TIMEOUT(log.events.size(), 3, Patience);
    QCOMPARE(log.events.at(0).name, u"reply"_s);
    QCOMPARE(log.events.at(0).args.toArray(), args);
    QCOMPARE(log.events.at(1).args.toArray(), QJsonArray{u"a string"_s});
    QCOMPARE(log.events.at(2).args.toArray(), QJsonArray());
    QCOMPARE(client.stats().malformedFrames, 0);
}

void TestSioSrvClient::acksBothWays()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    // The server acknowledges "echo" with its arguments.
    connect(&server, &SocketIoServer::eventReceived, &server,
            [&server](const QString &nsp, const QString &sid, const QString &event,
                      const QJsonArray &args, qint64 ackId) {
                if (event == u"echo" && ackId >= 0)
                    server.sendAck(nsp, sid, ackId, args);
            });
    SocketIoClient client;
    client.setOptions(clientOptions(server.port()));
    ClientLog log(&client);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), Patience);

    std::optional<SocketIoAck> clientResult;
    client.emitWithAck(u"echo"_s, {1, u"x"_s}, this,
                       [&clientResult](const SocketIoAck &ack) { clientResult = ack; });
    QTRY_VERIFY_WITH_TIMEOUT(clientResult.has_value(), Patience);
    QVERIFY(clientResult->ok);
    QCOMPARE(clientResult->args, (QJsonArray{1, u"x"_s}));

    // The other way: the client answers the server's question.
    connect(&client, &SocketIoClient::eventReceived, &client, [&client](const SocketIoEvent &e) {
        if (e.ackId >= 0)
            client.sendAck(e.ackId, QJsonArray{QString(u"answer to "_s + e.name)});
    });
    std::optional<SocketIoServer::Ack> serverResult;
    QVERIFY(server.emitWithAck(
        u"/"_s, client.sid(), u"question"_s, {u"the last arg is text"_s}, this,
        [&serverResult](const SocketIoServer::Ack &ack) { serverResult = ack; }));
    QTRY_VERIFY_WITH_TIMEOUT(serverResult.has_value(), Patience);
    QVERIFY(serverResult->ok);
    QCOMPARE(serverResult->args, QJsonArray{u"answer to question"_s});
    // An event asking for an ack carries no offset, so the client keeps all its arguments.
    QCOMPARE(log.events.last().args.toArray(), QJsonArray{u"the last arg is text"_s});
}

void TestSioSrvClient::roomsAndOneCopyBroadcast()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    SocketIoClient a, b, c;
    ClientLog logA(&a), logB(&b), logC(&c);
    for (SocketIoClient *client : {&a, &b, &c}) {
        client->setOptions(clientOptions(server.port()));
        client->open();
    }
    QTRY_VERIFY_WITH_TIMEOUT(a.isConnected() && b.isConnected() && c.isConnected(), Patience);
    server.join(u"/"_s, a.sid(), u"feature:patients"_s);
    server.join(u"/"_s, a.sid(), u"entity:patient"_s);
    server.join(u"/"_s, b.sid(), u"entity:patient"_s);
    server.join(u"/"_s, c.sid(), u"t:other"_s);

    QCOMPARE(server.emitToRooms(u"/"_s, {u"feature:patients"_s, u"entity:patient"_s},
                                u"patients.patient.updated"_s, {QJsonObject{{u"id"_s, u"1"_s}}}),
             2);
    QCOMPARE(server.emitToRooms(u"/"_s, {u"entity:patient"_s}, u"not-for-a"_s, {}, a.sid()), 1);
    for (SocketIoClient *client : {&a, &b, &c})
        server.emitToSocket(u"/"_s, client->sid(), u"end"_s, {});
    QTRY_VERIFY_WITH_TIMEOUT(logA.count(u"event:end"_s) && logB.count(u"event:end"_s)
                                 && logC.count(u"event:end"_s),
                             Patience);
    QCOMPARE(logA.entries.mid(1),
             (QStringList{u"event:patients.patient.updated"_s, u"event:end"_s}));
    QCOMPARE(
        logB.entries.mid(1),
        (QStringList{u"event:patients.patient.updated"_s, u"event:not-for-a"_s, u"event:end"_s}));
    QCOMPARE(logC.entries.mid(1), QStringList{u"event:end"_s});
}

void TestSioSrvClient::serverDisconnectIsFinal()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    QSignalSpy serverConnected(&server, &SocketIoServer::clientConnected);
    SocketIoClient client;
    client.setOptions(clientOptions(server.port()));
    ClientLog log(&client);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), Patience);
    QVERIFY(server.disconnectSocket(u"/"_s, client.sid()));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Disconnected, Patience);
    QCOMPARE(log.entries.last(), u"disconnected:io server disconnect"_s);
    QTest::qWait(600); // longer than the client's largest backoff: no reconnect
    QCOMPARE(serverConnected.size(), 1);
    QCOMPARE(server.keptSessionCount(u"/"_s), 0);
}

void TestSioSrvClient::clientCloseEndsSession()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    QSignalSpy gone(&server, &SocketIoServer::clientDisconnected);
    SocketIoClient client;
    client.setOptions(clientOptions(server.port()));
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), Patience);
    const QString sid = client.sid();
    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, Patience);
    QCOMPARE(gone.at(0).at(1).toString(), sid);
    QCOMPARE(gone.at(0).at(2).toString(), u"client namespace disconnect"_s);
    QCOMPARE(server.keptSessionCount(u"/"_s), 0);
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, Patience);
}

void TestSioSrvClient::recoveryAfterTransportLoss()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    TcpProxy proxy(server.port());
    QVERIFY(proxy.listen());
    QSignalSpy serverConnected(&server, &SocketIoServer::clientConnected);
    connect(&server, &SocketIoServer::clientConnected, &server,
            [&server](const QString &nsp, const QString &sid, bool recovered) {
                if (!recovered)
                    server.join(nsp, sid, u"feature:orders"_s);
            });

    SocketIoClient client;
    client.setOptions(clientOptions(proxy.port()));
    ClientLog log(&client);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), Patience);
    const QString sid = client.sid();
    server.emitToRooms(u"/"_s, {u"feature:orders"_s}, u"e1"_s, {1});
    QTRY_COMPARE_WITH_TIMEOUT(log.count(u"event:e1"_s), 1, Patience);

    // While the client is away: events for its rooms and for it alone, and some not for it.
    QStringList lossReasons;
    connect(&server, &SocketIoServer::clientDisconnected, &server,
            [&](const QString &nsp, const QString &gone, const QString &reason) {
                lossReasons.append(reason);
                if (lossReasons.size() == 1) {
                    server.emitToRooms(nsp, {u"feature:orders"_s}, u"e2"_s, {2});
                    server.emitToRooms(nsp, {u"feature:other"_s}, u"elsewhere"_s, {0});
                    server.emitToSocket(nsp, gone, u"e3"_s, {u"direct"_s});
                    server.emitToNamespace(nsp, u"e4"_s, {QJsonObject{{u"n"_s, 4}}});
                } else {
                    server.emitToRooms(nsp, {u"feature:orders"_s}, u"e6"_s, {6});
                }
            });
    proxy.dropAll();
    QTRY_COMPARE_WITH_TIMEOUT(log.count(u"connected:1"_s), 1, Patience);
    QCOMPARE(lossReasons, QStringList{u"transport close"_s});
    QCOMPARE(client.sid(), sid);
    QVERIFY(client.recovered());
    QCOMPARE(serverConnected.last().at(2).toBool(), true);
    QCOMPARE(server.rooms(u"/"_s, sid), sortedRooms({u"feature:orders"_s, sid}));

    // The missed events, once each, in order, delivered right after connected(true).
    const qsizetype at = log.entries.indexOf(u"connected:1"_s);
    QTRY_VERIFY_WITH_TIMEOUT(log.entries.size() >= at + 4, Patience);
    QCOMPARE(log.entries.mid(at, 4),
             (QStringList{u"connected:1"_s, u"event:e2"_s, u"event:e3"_s, u"event:e4"_s}));
    QCOMPARE(log.events.at(2).args.toArray(), QJsonArray{u"direct"_s}); // offset stripped
    QCOMPARE(log.count(u"event:e1"_s), 1);
    QCOMPARE(client.stats().recoveries, 1);

    // Live again, in the same rooms; and a second loss recovers from where it left off.
    server.emitToRooms(u"/"_s, {u"feature:orders"_s}, u"e5"_s, {5});
    QTRY_COMPARE_WITH_TIMEOUT(log.count(u"event:e5"_s), 1, Patience);
    proxy.dropAll();
    QTRY_COMPARE_WITH_TIMEOUT(log.count(u"connected:1"_s), 2, Patience);
    QTRY_COMPARE_WITH_TIMEOUT(log.count(u"event:e6"_s), 1, Patience);
    QCOMPARE(log.entries.mid(log.entries.lastIndexOf(u"connected:1"_s)),
             (QStringList{u"connected:1"_s, u"event:e6"_s}));
    for (const QString &once :
         {u"event:e1"_s, u"event:e2"_s, u"event:e3"_s, u"event:e4"_s, u"event:e5"_s})
        QCOMPARE(log.count(once), 1);
    QCOMPARE(client.sid(), sid);
    QCOMPARE(log.count(u"event:elsewhere"_s), 0);
}

void TestSioSrvClient::noRecoveryWhenTheGapIsLost()
{
    SocketIoServer server;
    auto options = serverOptions();
    options.recoveryBufferSize = 2;
    server.setOptions(options);
    QVERIFY(server.listen());
    TcpProxy proxy(server.port());
    QVERIFY(proxy.listen());
    SocketIoClient client;
    client.setOptions(clientOptions(proxy.port()));
    ClientLog log(&client);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), Patience);
    const QString sid = client.sid();
    server.emitToNamespace(u"/"_s, u"seen"_s, {});
    QTRY_COMPARE_WITH_TIMEOUT(log.count(u"event:seen"_s), 1, Patience);
    bool once = false;
    connect(&server, &SocketIoServer::clientDisconnected, &server, [&] {
        if (std::exchange(once, true))
            return;
        for (int i = 0; i < 3; ++i)
            server.emitToNamespace(u"/"_s, u"missed"_s, {i});
    });
    proxy.dropAll();
    QTRY_COMPARE_WITH_TIMEOUT(log.count(u"connected:0"_s), 2, Patience);
    QVERIFY(!client.recovered());
    QVERIFY(client.sid() != sid);
    QCOMPARE(log.count(u"event:missed"_s), 0);
}

void TestSioSrvClient::oversizedMessageIsNotSent()
{
    // The server would close the link (tst_siosrvwire covers that with a raw socket); the
    // client refuses such an emit instead of turning it into a reconnect loop.
    SocketIoServer server;
    auto options = serverOptions();
    options.maxPayload = 10000;
    server.setOptions(options);
    QVERIFY(server.listen());
    QSignalSpy gone(&server, &SocketIoServer::clientDisconnected);
    QSignalSpy received(&server, &SocketIoServer::eventReceived);
    SocketIoClient client;
    client.setOptions(clientOptions(server.port()));
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), Patience);
    QVERIFY(!client.emitEvent(u"big"_s, {QString(20000, u'x')}));
    QVERIFY(client.emitEvent(u"small"_s, {QString(100, u'x')}));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, Patience);
    QCOMPARE(received.at(0).at(2).toString(), u"small"_s);
    QCOMPARE(gone.size(), 0);
    QVERIFY(client.isConnected());
}

void TestSioSrvClient::recoveryAcrossServerRestart()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    const quint16 port = server.port();
    SocketIoClient client;
    client.setOptions(clientOptions(port));
    ClientLog log(&client);
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), Patience);
    const QString sid = client.sid();
    QSignalSpy gone(&server, &SocketIoServer::clientDisconnected);
    server.close();
    QCOMPARE(gone.size(), 1);
    QCOMPARE(gone.at(0).at(2).toString(), u"server shutting down"_s);
    server.emitToNamespace(u"/"_s, u"during-restart"_s, {});
    QVERIFY(server.listen(QHostAddress::LocalHost, port));
    QTRY_COMPARE_WITH_TIMEOUT(log.count(u"connected:1"_s), 1, Patience);
    QCOMPARE(client.sid(), sid);
    QTRY_COMPARE_WITH_TIMEOUT(log.count(u"event:during-restart"_s), 1, Patience);
}

QTEST_GUILESS_MAIN(TestSioSrvClient)
#include "tst_siosrvclient.moc"
