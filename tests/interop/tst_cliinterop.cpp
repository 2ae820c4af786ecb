// SPDX-License-Identifier: MIT
// `livedesk-cli watch` end to end against a real AegisX-like Socket.IO server: the JSON lines
// it prints, and its exit codes (0 on SIGTERM, 2 usage, 3 refused, 4 unreachable, 5 server
// disconnect). `livedesk-cli mirror` against the plain AegisX backend whose token refresh
// answers 500: it signs in again with the credentials it holds, or ends stale (exit 8); a
// socket refused at CONNECT is opened again once a sign-in succeeds, also on a retry.
#include "cliprocess.h"
#include "peerprocess.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::test::CliProcess;
using livedesk::test::PeerProcess;

namespace {

// An upper bound for things that normally take milliseconds (two cores, parallel tests).
constexpr int Patience = 15000;
const QString Token = u"cli-token"_s;

const QString CliPath = QString::fromUtf8(LIVEDESK_CLI_EXECUTABLE);

QStringList watchArguments(const PeerProcess &peer, const QString &token)
{
    return {u"watch"_s,    u"--url"_s,     peer.url().toString(),
            u"--path"_s,   u"/api/ws/"_s,  u"--token"_s,
            token,         u"--feature"_s, u"patients"_s,
            u"--entity"_s, u"patient"_s,   u"--retries"_s,
            u"2"_s};
}

QJsonObject aegisCommand(const QString &action, const QJsonObject &data, bool twice)
{
    return {{u"cmd"_s, u"aegis"_s},      {u"feature"_s, u"patients"_s},
            {u"entity"_s, u"patient"_s}, {u"action"_s, action},
            {u"data"_s, data},           {u"twice"_s, twice}};
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                          : QJsonObject();
}

// `mirror` of the backend's patients in HIS mode (the backend names the entity in the
// singular; --entity keeps this test about tokens, not event names).
QStringList mirrorArguments(const PeerProcess &backend, const QString &snapshot)
{
    return {u"mirror"_s,   u"--url"_s,     backend.url().toString(),
            u"--path"_s,   u"/api/ws/"_s,  u"--resource"_s,
            u"patients"_s, u"--entity"_s,  u"patient"_s,
            u"--mode"_s,   u"his"_s,       u"--snapshot"_s,
            snapshot,      u"--idle-ms"_s, u"4000"_s};
}

QJsonArray backendRecords(PeerProcess &backend)
{
    return backend.request({{u"cmd"_s, u"records"_s}}).value(u"records").toArray();
}

} // namespace

class TestCliInterop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void watchStreamsEventsUntilSigterm();
    void watchSurvivesServerRestart();
    void badTokenExitsWith3();
    void unreachableServerExitsWith4();
    void invalidUrlExitsWith2();
    void serverDisconnectExitsWith5();
    void watchPlainAegisxBackend();
    void failingRefreshSignsInAgainWithTheCredentials();
    void failingRefreshWithATokenOnlyEndsStale();
    void refusedSocketReopensWhenASignInRetrySucceeds();

private:
    bool startPeer(PeerProcess &peer, const QStringList &extra = {});
};

bool TestCliInterop::startPeer(PeerProcess &peer, const QStringList &extra)
{
    return peer.start(QStringList{u"--aegisx"_s, u"--path"_s, u"/api/ws/"_s, u"--token"_s, Token}
                      + extra);
}

void TestCliInterop::initTestCase()
{
    QVERIFY2(PeerProcess::setupProblem().isEmpty(), qPrintable(PeerProcess::setupProblem()));
    QVERIFY2(QFileInfo(QString::fromUtf8(LIVEDESK_CLI_EXECUTABLE)).isExecutable(),
             LIVEDESK_CLI_EXECUTABLE " is not built");
}

void TestCliInterop::watchStreamsEventsUntilSigterm()
{
    PeerProcess peer;
    QVERIFY2(startPeer(peer), qPrintable(peer.errorOutput()));
    CliProcess cli(CliPath);
    cli.start(watchArguments(peer, Token));
    QTRY_COMPARE_WITH_TIMEOUT(cli.ofKind(u"subscribed").size(), 1, Patience);

    const auto &lines = cli.lines();
    QVERIFY(lines.size() >= 3);
    QCOMPARE(lines.at(0), QJsonObject({{u"kind"_s, u"state"_s}, {u"state"_s, u"connecting"_s}}));
    QCOMPARE(lines.at(1).value(u"kind").toString(), u"state"_s);
    QCOMPARE(lines.at(1).value(u"state").toString(), u"connected"_s);
    QCOMPARE(lines.at(1).value(u"recovered"), QJsonValue(false));
    QCOMPARE(peer.count(u"connection"), 1);
    const QJsonObject connection = peer.linesWith(u"connection").constFirst();
    QCOMPARE(lines.at(1).value(u"sid").toString(), connection.value(u"connection").toString());
    QCOMPARE(connection.value(u"auth"), QJsonValue(QJsonObject{{u"token"_s, Token}}));
    const QJsonObject subscribed = cli.ofKind(u"subscribed").constFirst();
    QCOMPARE(subscribed.value(u"features").toArray(), QJsonArray{u"patients"_s});
    QCOMPARE(subscribed.value(u"entities").toArray(), QJsonArray{u"patient"_s});

    // Two changes, the first delivered twice (feature and entity room): two event lines.
    peer.send(aegisCommand(u"created"_s, {{u"id"_s, 1}, {u"name"_s, u"Ada"_s}}, true));
    peer.send(aegisCommand(u"updated"_s, {{u"id"_s, 2}, {u"name"_s, u"Grace"_s}}, true));
    QTRY_COMPARE_WITH_TIMEOUT(cli.ofKind(u"event").size(), 2, Patience);
    QTest::qWait(500); // room for a duplicate line to show up
    const auto events = cli.ofKind(u"event");
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0).value(u"name").toString(), u"patients.patient.created"_s);
    QCOMPARE(events.at(0).value(u"feature").toString(), u"patients"_s);
    QCOMPARE(events.at(0).value(u"entity").toString(), u"patient"_s);
    QCOMPARE(events.at(0).value(u"action").toString(), u"created"_s);
    QCOMPARE(events.at(0).value(u"ids").toArray(), QJsonArray{u"1"_s});
    QCOMPARE(events.at(0).value(u"data").toObject().value(u"name").toString(), u"Ada"_s);
    QCOMPARE(events.at(1).value(u"action").toString(), u"updated"_s);
    QCOMPARE(events.at(1).value(u"ids").toArray(), QJsonArray{u"2"_s});
    QVERIFY2(cli.badLines.isEmpty(), cli.badLines.join('\n').constData());

    cli.process.terminate(); // SIGTERM
    QVERIFY(cli.finish());
    QCOMPARE(cli.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.process.exitCode(), 0);
    // Our own close on SIGTERM is not the server's doing, and must not be reported as such.
    QVERIFY2(!cli.errorText().contains(u"disconnected by the server"_s),
             qPrintable(cli.errorText()));
    // A clean exit tells the server the client left (DISCONNECT), not a dropped connection.
    QTRY_COMPARE_WITH_TIMEOUT(peer.count(u"disconnect"), 1, Patience);
    QCOMPARE(peer.linesWith(u"disconnect").constFirst().value(u"reason").toString(),
             u"client namespace disconnect"_s);
}

void TestCliInterop::watchSurvivesServerRestart()
{
    auto first = std::make_unique<PeerProcess>();
    QVERIFY2(startPeer(*first), qPrintable(first->errorOutput()));
    const int port = first->port();
    CliProcess cli(CliPath);
    cli.start(watchArguments(*first, Token));
    QTRY_COMPARE_WITH_TIMEOUT(cli.ofKind(u"subscribed").size(), 1, Patience);

    first->kill();
    QTRY_VERIFY_WITH_TIMEOUT(!cli.ofKind(u"state").isEmpty()
                                 && cli.ofKind(u"state").constLast().value(u"state")
                                     == u"reconnecting"_s,
                             Patience);
    const QJsonObject reconnecting = cli.ofKind(u"state").constLast();
    QCOMPARE(reconnecting.value(u"attempt").toInt(), 1);
    QVERIFY(reconnecting.value(u"delayMs").toInt() > 0);

    PeerProcess second;
    QVERIFY2(startPeer(second, {u"--port"_s, QString::number(port)}),
             qPrintable(second.errorOutput()));
    QTRY_COMPARE_WITH_TIMEOUT(cli.ofKind(u"subscribed").size(), 2, Patience);
    QCOMPARE(second.count(u"subscribed"), 1);
    QCOMPARE(cli.ofKind(u"state").constLast().value(u"state").toString(), u"connected"_s);
    QCOMPARE(cli.ofKind(u"state").constLast().value(u"sid").toString(),
             second.linesWith(u"connection").constFirst().value(u"connection").toString());

    second.send(aegisCommand(u"created"_s, {{u"id"_s, 5}}, true));
    QTRY_COMPARE_WITH_TIMEOUT(cli.ofKind(u"event").size(), 1, Patience);
    QCOMPARE(cli.ofKind(u"event").constFirst().value(u"ids").toArray(), QJsonArray{u"5"_s});
    QCOMPARE(cli.process.state(), QProcess::Running);
}

void TestCliInterop::badTokenExitsWith3()
{
    PeerProcess peer;
    QVERIFY2(startPeer(peer, {u"--report-engine"_s}), qPrintable(peer.errorOutput()));
    CliProcess cli(CliPath);
    cli.start(watchArguments(peer, u"not-the-token"_s));
    QVERIFY(cli.finish());
    QCOMPARE(cli.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.process.exitCode(), 3);
    QVERIFY2(cli.errorText().contains(u"invalid token"_s), qPrintable(cli.errorText()));
    const auto states = cli.ofKind(u"state");
    QVERIFY(!states.isEmpty());
    QCOMPARE(states.constLast().value(u"state").toString(), u"failed"_s);
    QCOMPARE(states.constLast().value(u"reason").toString(), u"invalid token"_s);
    QCOMPARE(peer.count(u"engine"), 1); // refused once, never retried
    QCOMPARE(peer.count(u"connection"), 0);
}

void TestCliInterop::unreachableServerExitsWith4()
{
    // A port that was free a moment ago and has no listener now.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const int port = probe.serverPort();
    probe.close();

    CliProcess cli(CliPath);
    cli.start({u"watch"_s, u"--url"_s, u"http://127.0.0.1:%1"_s.arg(port), u"--retries"_s, u"1"_s});
    QVERIFY(cli.finish());
    QCOMPARE(cli.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.process.exitCode(), 4);
    QVERIFY(!cli.errorText().trimmed().isEmpty());
    const auto states = cli.ofKind(u"state");
    QVERIFY(states.size() >= 3);
    QCOMPARE(states.at(0).value(u"state").toString(), u"connecting"_s);
    QCOMPARE(states.at(1).value(u"state").toString(), u"reconnecting"_s);
    QCOMPARE(states.at(1).value(u"attempt").toInt(), 1);
    QCOMPARE(states.constLast().value(u"state").toString(), u"failed"_s);
    QVERIFY(cli.ofKind(u"subscribed").isEmpty());
}

void TestCliInterop::invalidUrlExitsWith2()
{
    CliProcess cli(CliPath);
    cli.start({u"watch"_s, u"--url"_s, u"notaurl"_s});
    QVERIFY(cli.finish());
    QCOMPARE(cli.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.process.exitCode(), 2);
    QVERIFY2(cli.errorText().contains(u"notaurl"_s), qPrintable(cli.errorText()));
    QVERIFY(cli.lines().isEmpty());
}

void TestCliInterop::serverDisconnectExitsWith5()
{
    PeerProcess peer;
    QVERIFY2(startPeer(peer), qPrintable(peer.errorOutput()));
    CliProcess cli(CliPath);
    cli.start(watchArguments(peer, Token));
    QTRY_COMPARE_WITH_TIMEOUT(cli.ofKind(u"subscribed").size(), 1, Patience);

    peer.send({{u"cmd"_s, u"disconnectAll"_s}});
    QVERIFY(cli.finish());
    QCOMPARE(cli.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.process.exitCode(), 5);
    QVERIFY2(cli.errorText().contains(u"disconnected by the server"_s),
             qPrintable(cli.errorText()));
    QCOMPARE(peer.count(u"connection"), 1);
}

// `watch` against the plain AegisX stand-in with what a person types (--feature, --entity):
// AegisX's two `connection:established` events are recognised (not printed as undecoded), the
// event sent to both rooms is printed once, with the singular entity and `meta.userId` "system"
// for a change the server made itself.
void TestCliInterop::watchPlainAegisxBackend()
{
    PeerProcess backend(u"aegisx-backend.js"_s);
    QVERIFY2(backend.start({u"--seed"_s, u"3"_s}), qPrintable(backend.errorOutput()));
    const QString token = u"access."_s
        + QString::fromLatin1(QByteArray("nurse@demo.local")
                                  .toBase64(QByteArray::Base64UrlEncoding
                                            | QByteArray::OmitTrailingEquals));
    CliProcess cli(CliPath);
    cli.start({u"watch"_s, u"--url"_s, backend.url().toString(), u"--token"_s, token,
               u"--feature"_s, u"patients"_s, u"--entity"_s, u"patient"_s, u"--undecoded"_s});
    QTRY_COMPARE_WITH_TIMEOUT(cli.ofKind(u"subscribed").size(), 1, Patience);
    backend.request({{u"cmd"_s, u"burst"_s}, {u"count"_s, 1}, {u"tag"_s, 1}});
    QTRY_COMPARE_WITH_TIMEOUT(cli.ofKind(u"event").size(), 1, Patience);
    QTest::qWait(500); // room for a second copy or an undecoded line to show up
    const auto events = cli.ofKind(u"event");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).value(u"name").toString(), u"patients.patient.updated"_s);
    QCOMPARE(events.at(0).value(u"entity").toString(), u"patient"_s);
    QCOMPARE(events.at(0).value(u"meta").toObject().value(u"userId").toString(), u"system"_s);
    for (const QJsonObject &line : cli.ofKind(u"undecoded"))
        QFAIL(QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    cli.process.terminate();
    QVERIFY(cli.finish());
    QCOMPARE(cli.process.exitCode(), 0);
    QVERIFY2(!cli.errorText().contains(u"undecodable"_s), qPrintable(cli.errorText()));
}

// Access tokens live 2 s and the refresh answers 500: the mirror signs in again with --user /
// --password each time a read is refused, and ends with the server's records, not stale.
void TestCliInterop::failingRefreshSignsInAgainWithTheCredentials()
{
    QTemporaryDir dir;
    PeerProcess backend(u"aegisx-backend.js"_s);
    QVERIFY2(backend.start({u"--seed"_s, u"20"_s, u"--token-ttl"_s, u"2"_s, u"--refresh-fails"_s,
                            u"--data"_s, dir.filePath(u"data.json"_s)}),
             qPrintable(backend.errorOutput()));
    const QString snapshot = dir.filePath(u"snapshot.json"_s);
    CliProcess cli(CliPath);
    cli.start(mirrorArguments(backend, snapshot)
              + QStringList{u"--user"_s, u"nurse@demo.local"_s, u"--password"_s, u"nurse"_s});
    QTRY_COMPARE_WITH_TIMEOUT(backend.count(u"subscribed"), 1, Patience);
    QCOMPARE(backend.count(u"login"), 1);
    QTest::qWait(2500); // the access token has expired
    backend.request({{u"cmd"_s, u"burst"_s}, {u"count"_s, 5}, {u"tag"_s, u"A"_s}});
    QVERIFY2(cli.finish(60000), qPrintable(cli.errorText()));
    QVERIFY2(cli.process.exitCode() == 0, qPrintable(cli.errorText()));
    // The path taken: the refused read, the refresh that failed, a new sign-in.
    QVERIFY2(cli.errorText().contains(u"signing in again as nurse@demo.local"_s),
             qPrintable(cli.errorText()));
    QVERIFY(backend.count(u"login") >= 2);
    const QJsonObject doc = readJson(snapshot);
    QCOMPARE(doc.value(u"records").toArray(), backendRecords(backend));
    const QJsonObject state = doc.value(u"state").toObject();
    QVERIFY2(state.value(u"staleSince").isNull(), qPrintable(cli.errorText()));
    QVERIFY(doc.value(u"counters").toObject().value(u"reloads").toInteger() >= 3);
}

// The same with a token issued elsewhere and nothing to sign in with: the reads fail, the data
// is marked stale with the reason, the retries back off (no reload storm), and the command
// ends by itself with 8 instead of mirroring for ever.
void TestCliInterop::failingRefreshWithATokenOnlyEndsStale()
{
    QTemporaryDir dir;
    PeerProcess backend(u"aegisx-backend.js"_s);
    QVERIFY2(backend.start({u"--seed"_s, u"20"_s, u"--token-ttl"_s, u"2"_s, u"--refresh-fails"_s,
                            u"--data"_s, dir.filePath(u"data.json"_s)}),
             qPrintable(backend.errorOutput()));
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(backend.url().toString() + u"/api/auth/login"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *login = nam.post(
        request,
        QJsonDocument(QJsonObject{{u"email"_s, u"nurse@demo.local"_s}, {u"password"_s, u"nurse"_s}})
            .toJson());
    QTRY_VERIFY_WITH_TIMEOUT(login->isFinished(), Patience);
    const QString token = QJsonDocument::fromJson(login->readAll())
                              .object()
                              .value(u"data")
                              .toObject()
                              .value(u"accessToken")
                              .toString();
    QVERIFY(!token.isEmpty());
    login->deleteLater();

    const QString snapshot = dir.filePath(u"snapshot.json"_s);
    CliProcess cli(CliPath);
    cli.start(mirrorArguments(backend, snapshot) + QStringList{u"--token"_s, token});
    QTRY_COMPARE_WITH_TIMEOUT(backend.count(u"subscribed"), 1, Patience);
    QTest::qWait(2500); // the access token has expired
    for (int i = 0; i < 3; ++i) {
        backend.request({{u"cmd"_s, u"burst"_s}, {u"count"_s, 5}, {u"tag"_s, QString::number(i)}});
        QTest::qWait(300);
    }
    QVERIFY2(cli.finish(60000), "a mirror that cannot read must end, stale");
    QVERIFY2(cli.process.exitCode() == 8, qPrintable(cli.errorText()));
    QVERIFY2(cli.errorText().contains(u"may be out of date"_s), qPrintable(cli.errorText()));
    const QJsonObject doc = readJson(snapshot);
    const QJsonObject state = doc.value(u"state").toObject();
    QVERIFY(!state.value(u"staleSince").isNull());
    QCOMPARE(backend.count(u"login"), 1);
    // Start, resync after subscribing, then failed reads spaced 2 s, 4 s, ... apart: a handful,
    // not one per announced change.
    const qint64 reloads = doc.value(u"counters").toObject().value(u"reloads").toInteger();
    QVERIFY2(reloads >= 3 && reloads <= 8, qPrintable(QString::number(reloads)));
}

// The socket is refused at CONNECT (its token expired while the connection was down) and the
// first try to sign in again fails (the auth service answers 500): the retry that succeeds
// must open the socket again, or the mirror never hears another change.
void TestCliInterop::refusedSocketReopensWhenASignInRetrySucceeds()
{
    QTemporaryDir dir;
    PeerProcess backend(u"aegisx-backend.js"_s);
    QVERIFY2(backend.start({u"--seed"_s, u"20"_s, u"--token-ttl"_s, u"2"_s, u"--data"_s,
                            dir.filePath(u"data.json"_s)}),
             qPrintable(backend.errorOutput()));
    const QString snapshot = dir.filePath(u"snapshot.json"_s);
    CliProcess cli(CliPath);
    cli.start(mirrorArguments(backend, snapshot)
              + QStringList{u"--user"_s, u"nurse@demo.local"_s, u"--password"_s, u"nurse"_s});
    QTRY_COMPARE_WITH_TIMEOUT(backend.count(u"subscribed"), 1, Patience);
    QCOMPARE(backend.count(u"login"), 1);
    QTest::qWait(2500); // the access token has expired
    backend.request({{u"cmd"_s, u"failLogins"_s}, {u"count"_s, 1}});
    backend.request({{u"cmd"_s, u"dropEngines"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(backend.count(u"subscribed"), 2, Patience);
    backend.request({{u"cmd"_s, u"burst"_s}, {u"count"_s, 5}, {u"tag"_s, u"After"_s}});
    QVERIFY2(cli.finish(60000), qPrintable(cli.errorText()));
    QVERIFY2(cli.process.exitCode() == 0, qPrintable(cli.errorText()));
    QVERIFY2(cli.errorText().contains(u"the server refused the connection"_s),
             qPrintable(cli.errorText()));
    QVERIFY2(cli.errorText().contains(u"signed in again as nurse@demo.local"_s),
             qPrintable(cli.errorText()));
    // The first sign-in, the one answered 500, its retry.
    QCOMPARE(backend.count(u"login"), 3);
    const QJsonObject doc = readJson(snapshot);
    QCOMPARE(doc.value(u"records").toArray(), backendRecords(backend));
    const QJsonObject state = doc.value(u"state").toObject();
    QCOMPARE(state.value(u"connected").toBool(), true);
    QVERIFY(state.value(u"staleSince").isNull());
}

QTEST_GUILESS_MAIN(TestCliInterop)
#include "tst_cliinterop.moc"
