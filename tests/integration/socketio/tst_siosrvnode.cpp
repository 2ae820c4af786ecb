// SPDX-License-Identifier: MIT
// The real Node socket.io-client 4.8 against the embedded SocketIoServer: connect with auth,
// refusal, broadcast events, acks both ways, binary attachments, disconnects both ways, and
// connection state recovery after a forced transport close (socket.recovered, same sid, the
// missed events once each and in order).
#include "nodeclientprocess.h"
#include "socketioserver.h"

#include <QtCore/QJsonDocument>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::server::SocketIoServer;
using livedesk::test::NodeClientProcess;

namespace {

// An upper bound for things that normally take milliseconds; nothing asserts a duration.
constexpr int Patience = 15000;

// Room lists come back sorted; sids are random, so sort what is expected too.
QStringList sortedRooms(QStringList rooms)
{
    rooms.sort();
    return rooms;
}

SocketIoServer::Options serverOptions()
{
    SocketIoServer::Options options;
    options.path = u"/api/ws/"_s; // as AegisX mounts it
    options.connectTimeoutMs = Patience * 2;
    return options;
}

QJsonObject connectCommand(const SocketIoServer &server, const QJsonObject &auth = {},
                           const QString &nsp = u"/"_s)
{
    return {{u"cmd"_s, u"connect"_s},
            {u"url"_s, u"http://127.0.0.1:%1"_s.arg(server.port())},
            {u"path"_s, server.options().path},
            {u"nsp"_s, nsp},
            {u"auth"_s, auth}};
}

// The event names in the order the client saw them.
QStringList eventNames(const NodeClientProcess &node)
{
    QStringList names;
    for (const auto &line : node.linesWith(u"event"))
        names.append(line.value(u"event").toString());
    return names;
}

} // namespace

class TestSioSrvNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void connectWithAuth();
    void refusedWithData();
    void broadcastEvents();
    void acksBothWays();
    void binaryAttachments();
    void serverDisconnect();
    void clientDisconnect();
    void recoveryAfterTransportClose();
    void recoveryBeforeAnyStoredEvent();
};

void TestSioSrvNode::initTestCase()
{
    // A machine without node must make this suite fail, not quietly skip it.
    QVERIFY2(NodeClientProcess::setupProblem().isEmpty(),
             qPrintable(NodeClientProcess::setupProblem()));
}

void TestSioSrvNode::connectWithAuth()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QList<QJsonObject> auths;
    server.setAuthenticator([&auths](const QString &, const QJsonObject &auth,
                                     SocketIoServer::Refusal *) -> std::optional<QJsonObject> {
        auths.append(auth);
        return QJsonObject{{u"userId"_s, auth.value(u"user")}};
    });
    QVERIFY(server.listen());
    QSignalSpy connected(&server, &SocketIoServer::clientConnected);
    NodeClientProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorOutput()));
    node.request(connectCommand(server, {{u"token"_s, u"jwt"_s}, {u"user"_s, u"u7"_s}}));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 1, Patience);
    const QJsonObject line = node.linesWith(u"connect").at(0);
    QCOMPARE(line.value(u"recovered").toBool(), false);
    QCOMPARE(connected.size(), 1);
    QCOMPARE(line.value(u"connect").toString(), connected.at(0).at(1).toString());
    QCOMPARE(auths,
             (QList<QJsonObject>{QJsonObject({{u"token"_s, u"jwt"_s}, {u"user"_s, u"u7"_s}})}));
    QCOMPARE(server.socketData(u"/"_s, line.value(u"connect").toString()),
             (QJsonObject{{u"userId"_s, u"u7"_s}}));
}

void TestSioSrvNode::refusedWithData()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    server.setAuthenticator([](const QString &, const QJsonObject &,
                               SocketIoServer::Refusal *refusal) -> std::optional<QJsonObject> {
        refusal->message = u"invalid token"_s;
        refusal->data = QJsonObject{{u"code"_s, u"UNAUTHORIZED"_s}};
        return std::nullopt;
    });
    QVERIFY(server.listen());
    NodeClientProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorOutput()));
    node.request(connectCommand(server));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect_error"), 1, Patience);
    const QJsonObject line = node.linesWith(u"connect_error").at(0);
    QCOMPARE(line.value(u"connect_error").toString(), u"invalid token"_s);
    QCOMPARE(line.value(u"data").toObject(), (QJsonObject{{u"code"_s, u"UNAUTHORIZED"_s}}));
    QCOMPARE(node.count(u"connect"), 0);

    // Unknown namespace: the client library reports the server's message.
    NodeClientProcess other;
    QVERIFY2(other.start(), qPrintable(other.errorOutput()));
    other.request(connectCommand(server, {}, u"/nope"_s));
    QTRY_COMPARE_WITH_TIMEOUT(other.count(u"connect_error"), 1, Patience);
    QCOMPARE(other.linesWith(u"connect_error").at(0).value(u"connect_error").toString(),
             u"Invalid namespace"_s);
}

void TestSioSrvNode::broadcastEvents()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    connect(&server, &SocketIoServer::clientConnected, &server,
            [&server](const QString &nsp, const QString &sid) {
                server.join(nsp, sid, u"t:1"_s);
                server.join(nsp, sid, u"feature:patients"_s);
            });
    NodeClientProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorOutput()));
    node.request(connectCommand(server));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 1, Patience);

    const QJsonObject envelope{{u"feature"_s, u"patients"_s},
                               {u"entity"_s, u"patient"_s},
                               {u"action"_s, u"updated"_s},
                               {u"data"_s, QJsonObject{{u"id"_s, u"1"_s}}}};
    // In both rooms: one copy.
    QCOMPARE(server.emitToRooms(u"/"_s, {u"t:1"_s, u"feature:patients"_s},
                                u"patients.patient.updated"_s, {envelope}),
             1);
    server.emitToRooms(u"/"_s, {u"t:2"_s}, u"other-tenant"_s, {});
    server.emitToNamespace(u"/"_s, u"end"_s, {});
    QTRY_COMPARE_WITH_TIMEOUT(node.events(u"end").size(), 1, Patience);
    QCOMPARE(eventNames(node), (QStringList{u"patients.patient.updated"_s, u"end"_s}));
    const QJsonArray args = node.events(u"patients.patient.updated").at(0);
    // socket.io-client hands the recovery offset to the application as the last argument.
    QCOMPARE(args.size(), 2);
    QCOMPARE(args.at(0).toObject(), envelope);
    QVERIFY(args.at(1).isString());
}

void TestSioSrvNode::acksBothWays()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    connect(&server, &SocketIoServer::eventReceived, &server,
            [&server](const QString &nsp, const QString &sid, const QString &event,
                      const QJsonArray &args, qint64 ackId) {
                if (event == u"echo" && ackId >= 0)
                    server.sendAck(nsp, sid, ackId, {u"got"_s, args});
            });
    NodeClientProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorOutput()));
    node.request(connectCommand(server));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 1, Patience);
    const QString sid = node.linesWith(u"connect").at(0).value(u"connect").toString();

    const QJsonObject reply = node.request({{u"cmd"_s, u"emitWithAck"_s},
                                            {u"event"_s, u"echo"_s},
                                            {u"args"_s, QJsonArray{1, u"two"_s}}});
    QCOMPARE(reply.value(u"ack").toArray(), (QJsonArray{u"got"_s, QJsonArray{1, u"two"_s}}));

    // The script acknowledges every event that asks for it with the event's arguments.
    std::optional<SocketIoServer::Ack> result;
    QVERIFY(server.emitWithAck(u"/"_s, sid, u"question"_s, {QJsonObject{{u"q"_s, 1}}, u"text"_s},
                               this, [&result](const SocketIoServer::Ack &ack) { result = ack; }));
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), Patience);
    QVERIFY(result->ok);
    QCOMPARE(result->args, (QJsonArray{QJsonObject{{u"q"_s, 1}}, u"text"_s}));
    QVERIFY(node.linesWith(u"event").at(0).value(u"asked").toBool());
}

void TestSioSrvNode::binaryAttachments()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    NodeClientProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorOutput()));
    node.request(connectCommand(server));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 1, Patience);
    const QString sid = node.linesWith(u"connect").at(0).value(u"connect").toString();
    QVERIFY(server.emitToSocket(
        u"/"_s, sid, u"file"_s,
        {QJsonObject{{u"name"_s, u"a.csv"_s},
                     {u"bytes"_s, QJsonObject{{u"_placeholder"_s, true}, {u"num"_s, 0}}}}},
        {QByteArray("\x01\x02\xff", 3)}));
    QTRY_COMPARE_WITH_TIMEOUT(node.events(u"file").size(), 1, Patience);
    // A Buffer prints as {"type":"Buffer","data":[...]}.
    const QJsonObject file = node.events(u"file").at(0).at(0).toObject();
    QCOMPARE(file.value(u"name").toString(), u"a.csv"_s);
    QCOMPARE(file.value(u"bytes").toObject().value(u"data").toArray(), (QJsonArray{1, 2, 255}));
}

void TestSioSrvNode::serverDisconnect()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    QSignalSpy connected(&server, &SocketIoServer::clientConnected);
    NodeClientProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorOutput()));
    node.request(connectCommand(server));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 1, Patience);
    QVERIFY(server.disconnectSocket(u"/"_s, connected.at(0).at(1).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"disconnect"), 1, Patience);
    QCOMPARE(node.linesWith(u"disconnect").at(0).value(u"disconnect").toString(),
             u"io server disconnect"_s);
    QTest::qWait(800); // longer than the client's largest backoff: no reconnect
    QCOMPARE(connected.size(), 1);
    // The client library closes its Engine.IO connection once no namespace is left.
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, Patience);
}

void TestSioSrvNode::clientDisconnect()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    QSignalSpy gone(&server, &SocketIoServer::clientDisconnected);
    NodeClientProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorOutput()));
    node.request(connectCommand(server));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 1, Patience);
    node.request({{u"cmd"_s, u"disconnect"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, Patience);
    QCOMPARE(gone.at(0).at(2).toString(), u"client namespace disconnect"_s);
    QCOMPARE(server.keptSessionCount(u"/"_s), 0);
}

void TestSioSrvNode::recoveryAfterTransportClose()
{
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    connect(&server, &SocketIoServer::clientConnected, &server,
            [&server](const QString &nsp, const QString &sid, bool recovered) {
                if (!recovered)
                    server.join(nsp, sid, u"feature:orders"_s);
            });
    QStringList reasons;
    connect(&server, &SocketIoServer::clientDisconnected, &server,
            [&](const QString &nsp, const QString &sid, const QString &reason) {
                reasons.append(reason);
                server.emitToRooms(nsp, {u"feature:orders"_s}, u"missed-1"_s, {1});
                server.emitToSocket(nsp, sid, u"missed-2"_s, {QJsonObject{{u"n"_s, 2}}});
                server.emitToRooms(nsp, {u"feature:other"_s}, u"not-mine"_s, {});
            });
    NodeClientProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorOutput()));
    node.request(connectCommand(server, {{u"token"_s, u"t"_s}}));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 1, Patience);
    const QString sid = node.linesWith(u"connect").at(0).value(u"connect").toString();
    server.emitToRooms(u"/"_s, {u"feature:orders"_s}, u"live"_s, {0});
    QTRY_COMPARE_WITH_TIMEOUT(node.events(u"live").size(), 1, Patience);

    node.request({{u"cmd"_s, u"closeTransport"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 2, Patience);
    QCOMPARE(reasons, QStringList{u"transport close"_s});
    const QJsonObject again = node.linesWith(u"connect").at(1);
    QCOMPARE(again.value(u"recovered").toBool(), true);
    QCOMPARE(again.value(u"connect").toString(), sid);
    QTRY_COMPARE_WITH_TIMEOUT(node.events(u"missed-2").size(), 1, Patience);
    QCOMPARE(eventNames(node), (QStringList{u"live"_s, u"missed-1"_s, u"missed-2"_s}));
    QCOMPARE(node.events(u"missed-2").at(0).at(0).toObject(), (QJsonObject{{u"n"_s, 2}}));
    const QJsonObject state = node.request({{u"cmd"_s, u"state"_s}});
    QVERIFY(state.value(u"connected").toBool());
    QVERIFY(state.value(u"recovered").toBool());
    QCOMPARE(server.rooms(u"/"_s, sid), sortedRooms({u"feature:orders"_s, sid}));

    // Live delivery continues in the restored rooms.
    server.emitToRooms(u"/"_s, {u"feature:orders"_s}, u"after"_s, {});
    QTRY_COMPARE_WITH_TIMEOUT(node.events(u"after").size(), 1, Patience);
}

void TestSioSrvNode::recoveryBeforeAnyStoredEvent()
{
    // socket.io-client sends no offset until it got a stored event; the session still resumes
    // (the reference server would start a new one).
    SocketIoServer server;
    server.setOptions(serverOptions());
    QVERIFY(server.listen());
    connect(&server, &SocketIoServer::clientDisconnected, &server,
            [&server](const QString &nsp, const QString &sid) {
                server.emitToSocket(nsp, sid, u"missed"_s, {});
            });
    NodeClientProcess node;
    QVERIFY2(node.start(), qPrintable(node.errorOutput()));
    node.request(connectCommand(server));
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 1, Patience);
    const QString sid = node.linesWith(u"connect").at(0).value(u"connect").toString();
    node.request({{u"cmd"_s, u"closeTransport"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 2, Patience);
    QCOMPARE(node.linesWith(u"connect").at(1).value(u"connect").toString(), sid);
    QVERIFY(node.linesWith(u"connect").at(1).value(u"recovered").toBool());
    QTRY_COMPARE_WITH_TIMEOUT(node.events(u"missed").size(), 1, Patience);
}

QTEST_GUILESS_MAIN(TestSioSrvNode)
#include "tst_siosrvnode.moc"
