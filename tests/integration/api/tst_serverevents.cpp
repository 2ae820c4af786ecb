// SPDX-License-Identifier: MIT
// Writes over REST become Socket.IO events for the right sockets, with our meta extensions.
#include "apitestclient.h"
#include "events/realtimechannel.h"
#include "livedeskserver.h"
#include "rawengineclient.h"
#include "socketio/socketioclient.h"
#include "socketioserver.h"
#include "sockettokenguard.h"
#include "state/session.h"

#include <QtCore/QJsonArray>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;
using Client = test::ApiTestClient;
using test::RawEngineClient;

namespace {

// An upper bound for things that normally take milliseconds; nothing asserts a duration.
constexpr int Patience = 15000;

// The JSON of a frame after its @p prefix (e.g. "40", "42").
QJsonValue payload(const QString &frame, const QString &prefix)
{
    if (!frame.startsWith(prefix))
        return QJsonValue::Undefined;
    QByteArray wrapped = QStringView(frame).sliced(prefix.size()).toUtf8();
    wrapped.prepend('[').append(']');
    return QJsonDocument::fromJson(wrapped).array().at(0);
}

QString accessToken(const QUrl &base, const QString &email, const QString &password)
{
    Client rest(base);
    return rest
        .post(u"/api/auth/login"_s,
              QJsonDocument(QJsonObject{{u"email"_s, email}, {u"password"_s, password}}))
        .data()
        .toObject()
        .value(u"accessToken")
        .toString();
}

// The next text frame that is an EVENT named @p name (others are skipped), or empty.
QString takeEvent(RawEngineClient &raw, const QString &name, int timeoutMs = Patience)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const auto frame = raw.take(int(deadline.remainingTime()));
        if (!frame)
            break;
        if (!frame->binary && payload(frame->text, u"42"_s)[0].toString() == name)
            return frame->text;
    }
    return {};
}

// The next frame that starts with @p prefix (an ack: "431"), skipping others, or empty.
QString takeFrame(RawEngineClient &raw, const QString &prefix, int timeoutMs = Patience)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const auto frame = raw.take(int(deadline.remainingTime()));
        if (!frame)
            break;
        if (!frame->binary && frame->text.startsWith(prefix))
            return frame->text;
    }
    return {};
}

// A CONNECT to "/" on a fresh Engine.IO connection that asks to resume session @p pid at
// @p offset with @p token; the frames the server answers with.
QStringList resume(RawEngineClient &raw, const QUrl &url, const QString &token,
                   const QJsonValue &pid, const QString &offset)
{
    if (raw.open(url).isEmpty())
        return {};
    return raw.connectNamespace(u"/"_s,
                                {{u"token"_s, token}, {u"pid"_s, pid}, {u"offset"_s, offset}});
}

// More feature names than one subscribe:features may carry (the server allows 100).
QStringList tooManyFeatures()
{
    QStringList features;
    for (int i = 0; i < 150; ++i)
        features.append(u"feature-%1"_s.arg(i));
    return features;
}

} // namespace

class TestServerEvents : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;

    struct Subscriber
    {
        std::unique_ptr<SocketIoClient> client = std::make_unique<SocketIoClient>();
        std::unique_ptr<RealtimeChannel> channel;
        QList<RealtimeEvent> events;
    };

    std::unique_ptr<Subscriber> subscribe(const QString &email, const QString &password,
                                          const QStringList &features, const QStringList &entities)
    {
        Client rest(m_server->baseUrl());
        if (!rest.login(email, password))
            return nullptr;
        const auto login
            = rest.post(u"/api/auth/login"_s,
                        QJsonDocument(QJsonObject{{u"email"_s, email}, {u"password"_s, password}}));
        auto s = std::make_unique<Subscriber>();
        SocketIoClient::Options o;
        o.url = m_server->baseUrl();
        o.path = u"/api/ws/"_s;
        o.auth = {{u"token"_s, login.data().toObject().value(u"accessToken")}};
        o.reconnectionDelayMs = 100;
        s->client->setOptions(o);
        s->channel = std::make_unique<RealtimeChannel>(s->client.get());
        s->channel->setSubscription(features, entities);
        auto *raw = s.get();
        QObject::connect(s->channel.get(), &RealtimeChannel::eventReceived, s->channel.get(),
                         [raw](const RealtimeEvent &e) { raw->events.append(e); });
        QSignalSpy confirmed(s->channel.get(), &RealtimeChannel::subscriptionConfirmed);
        s->client->open();
        if (!confirmed.wait(10000))
            return nullptr;
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }

    void writesBecomeEventsOncePerSubscriber()
    {
        auto nurse = subscribe(u"nurse@demo.local"_s, u"nurse"_s, {u"patients"_s}, {u"patient"_s});
        QVERIFY(nurse);
        Client rest(m_server->baseUrl());
        QVERIFY(rest.login(u"doctor@demo.local"_s, u"doctor"_s));

        const auto created = rest.post(
            u"/api/patients"_s,
            QJsonDocument(QJsonObject{{u"hn"_s, u"HN930001"_s}, {u"name"_s, u"Evented"_s}}),
            {{"X-Client-Txn-Id", "txn-create-1"}});
        QCOMPARE(created.status, 201);
        const qint64 id = created.data().toObject().value(u"id").toInteger();
        QTRY_COMPARE_WITH_TIMEOUT(nurse->events.size(), 1, 10000);
        // A copy: events grows while the QTRY_ below spins the event loop, which may move it.
        const RealtimeEvent e = nurse->events.at(0);
        QCOMPARE(e.name, u"patients.patient.created"_s);
        QCOMPARE(e.action, u"created"_s);
        QCOMPARE(e.ids, QStringList{QString::number(id)});
        QCOMPARE(e.txnId, u"txn-create-1"_s);
        QCOMPARE(e.version, 1);
        QCOMPARE(e.userId, u"u-doctor"_s);
        QVERIFY(!e.eventId.isEmpty());
        QVERIFY(e.seq > 0);
        QCOMPARE(e.data().toObject().value(u"name").toString(), u"Evented"_s);

        QCOMPARE(rest.put(u"/api/patients/%1"_s.arg(id),
                          QJsonDocument(QJsonObject{{u"ward"_s, u"ICU"_s}}))
                     .status,
                 200);
        QCOMPARE(rest.del(u"/api/patients/%1"_s.arg(id)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(nurse->events.size(), 3, 10000);
        QCOMPARE(nurse->events.at(1).action, u"updated"_s);
        QCOMPARE(nurse->events.at(1).version, 2);
        QCOMPARE(nurse->events.at(1).seq, e.seq + 1);
        QCOMPARE(nurse->events.at(2).action, u"deleted"_s);
        QCOMPARE(nurse->events.at(2).ids, QStringList{QString::number(id)});
        QVERIFY(nurse->events.at(2).data().toObject().value(u"id").isString());
        QCOMPARE(nurse->events.at(2).seq, e.seq + 2);
        // One copy per subscriber even though it is in the feature and the entity room.
        QTest::qWait(200);
        QCOMPARE(nurse->events.size(), 3);
        QCOMPARE(nurse->channel->stats().duplicates, 0);
    }

    void otherTenantsHearNothing()
    {
        auto nurse = subscribe(u"nurse@demo.local"_s, u"nurse"_s, {u"patients"_s}, {});
        auto auditor
            = subscribe(u"auditor@demo.local"_s, u"auditor"_s, {u"patients"_s}, {u"patient"_s});
        QVERIFY(nurse && auditor);
        Client rest(m_server->baseUrl());
        QVERIFY(rest.login(u"nurse@demo.local"_s, u"nurse"_s));
        QCOMPARE(
            rest.post(u"/api/patients"_s,
                      QJsonDocument(QJsonObject{{u"hn"_s, u"HN930002"_s}, {u"name"_s, u"A"_s}}))
                .status,
            201);
        QTRY_COMPARE_WITH_TIMEOUT(nurse->events.size(), 1, 10000);
        QTest::qWait(300);
        QCOMPARE(auditor->events.size(), 0);
        QCOMPARE(auditor->client->stats().eventsDelivered, 1); // only subscribe:confirmed
    }

    void bulkWritesUseTheGeneratedBulkEvents()
    {
        auto nurse = subscribe(u"nurse@demo.local"_s, u"nurse"_s, {u"patients"_s}, {});
        QVERIFY(nurse);
        Client rest(m_server->baseUrl());
        QVERIFY(rest.login(u"nurse@demo.local"_s, u"nurse"_s));
        const QJsonArray items{QJsonObject{{u"hn"_s, u"HN940001"_s}, {u"name"_s, u"B1"_s}},
                               QJsonObject{{u"hn"_s, u"HN940002"_s}, {u"name"_s, u"B2"_s}}};
        QCOMPARE(rest.post(u"/api/patients/bulk"_s, QJsonDocument(items)).status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(nurse->events.size(), 1, 10000);
        QCOMPARE(nurse->events.at(0).name, u"patients.bulk.bulkCreated"_s);
        QCOMPARE(nurse->events.at(0).action, u"bulk_created"_s);
        QCOMPARE(nurse->events.at(0).ids.size(), 2);
    }

    void socketNeedsAValidToken()
    {
        SocketIoClient client;
        SocketIoClient::Options o;
        o.url = m_server->baseUrl();
        o.path = u"/api/ws/"_s;
        o.auth = {{u"token"_s, u"not-a-token"_s}};
        client.setOptions(o);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), SocketIoClient::State::Failed, 10000);
        QCOMPARE(client.failure(), SocketIoClient::Failure::ConnectRefused);
        QVERIFY(client.failureMessage().contains(u"token"_s, Qt::CaseInsensitive));

        SocketIoClient wrongPath;
        o.path = u"/socket.io/"_s;
        o.reconnectionAttempts = 0;
        wrongPath.setOptions(o);
        wrongPath.open();
        QTRY_COMPARE_WITH_TIMEOUT(wrongPath.state(), SocketIoClient::State::Failed, 10000);
        QCOMPARE(wrongPath.failure(), SocketIoClient::Failure::RetriesExhausted);
    }

    void keepaliveIsAnswered()
    {
        auto nurse = subscribe(u"nurse@demo.local"_s, u"nurse"_s, {u"patients"_s}, {});
        QVERIFY(nurse);
        QSignalSpy events(nurse->client.get(), &SocketIoClient::eventReceived);
        QVERIFY(nurse->client->emitEvent(u"ping"_s));
        QVERIFY(events.wait(5000));
        QCOMPARE(events.at(0).at(0).value<SocketIoEvent>().name, u"pong"_s);
    }

    // Connection state recovery belongs to the user and tenant who started the session: a
    // ward-a token with a ward-b socket's pid neither takes over the live socket nor resumes
    // the kept session, and learns none of ward-b's events.
    void sessionsCannotBeTakenAcrossTenants()
    {
        const QUrl base = m_server->baseUrl();
        const QUrl url = RawEngineClient::engineUrl(m_server->port(), u"/api/ws/"_s);
        const QString auditorToken = accessToken(base, u"auditor@demo.local"_s, u"auditor"_s);
        const QString nurseToken = accessToken(base, u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(!auditorToken.isEmpty() && !nurseToken.isEmpty());
        server::SocketIoServer *sio = m_server->socketIo();

        RawEngineClient victim;
        QVERIFY(!victim.open(url).isEmpty());
        const QJsonObject hello
            = payload(victim.connectNamespace(u"/"_s, {{u"token"_s, auditorToken}}).last(), u"40"_s)
                  .toObject();
        const QString victimSid = hello.value(u"sid").toString();
        QVERIFY(!victimSid.isEmpty());
        victim.sendText(u"42[\"subscribe:features\",{\"features\":[\"patients\"]}]"_s);
        const QString confirmed = takeEvent(victim, u"subscribe:confirmed"_s);
        const QString offset = payload(confirmed, u"42"_s).toArray().last().toString();
        QVERIFY(!offset.isEmpty());

        // The live socket: a new session for the intruder, the victim keeps its own.
        RawEngineClient live;
        const QStringList liveFrames = resume(live, url, nurseToken, hello.value(u"pid"), offset);
        QCOMPARE(liveFrames.size(), 1);
        const QJsonObject liveReply = payload(liveFrames.at(0), u"40"_s).toObject();
        QVERIFY(liveReply.value(u"sid").toString() != victimSid);
        QVERIFY(liveReply.value(u"pid") != hello.value(u"pid"));
        QVERIFY(sio->isConnected(u"/"_s, victimSid));
        QCOMPARE(sio->socketData(u"/"_s, liveReply.value(u"sid").toString()).value(u"tenant"),
                 u"ward-a"_s);

        // The kept session: not resumed, nothing replayed.
        victim.abort();
        QTRY_VERIFY_WITH_TIMEOUT(!sio->isConnected(u"/"_s, victimSid), Patience);
        Client wardB(base);
        // The auditor only reads; a ward-b nurse writes.
        wardB.setToken(accessToken(base, u"nurse-b@demo.local"_s, u"nurse-b"_s));
        QCOMPARE(
            wardB
                .post(u"/api/patients"_s,
                      QJsonDocument(QJsonObject{{u"hn"_s, u"HN950001"_s}, {u"name"_s, u"B"_s}}))
                .status,
            201);
        RawEngineClient kept;
        const QStringList keptFrames = resume(kept, url, nurseToken, hello.value(u"pid"), offset);
        QCOMPARE(keptFrames.size(), 1);
        const QJsonObject keptReply = payload(keptFrames.at(0), u"40"_s).toObject();
        QVERIFY(keptReply.value(u"sid").toString() != victimSid);
        QVERIFY(keptReply.value(u"pid") != hello.value(u"pid"));
        QCOMPARE(sio->rooms(u"/"_s, keptReply.value(u"sid").toString()).filter(u"ward-b"_s),
                 QStringList());
        QCOMPARE(
            wardB
                .post(u"/api/patients"_s,
                      QJsonDocument(QJsonObject{{u"hn"_s, u"HN950002"_s}, {u"name"_s, u"B"_s}}))
                .status,
            201);
        QVERIFY(takeEvent(kept, u"patients.patient.created"_s, 500).isEmpty());
        QVERIFY(takeEvent(live, u"patients.patient.created"_s, 100).isEmpty());

        // Its owner still resumes it, with what it missed.
        RawEngineClient back;
        const QStringList backFrames = resume(back, url, auditorToken, hello.value(u"pid"), offset);
        QVERIFY(!backFrames.isEmpty());
        QCOMPARE(payload(backFrames.last(), u"40"_s)[u"sid"].toString(), victimSid);
        QCOMPARE(backFrames.size(), 3); // both creations, then the reply
    }

    // A subscription is bounded: too many names in one subscribe:features, or more rooms than
    // a socket may be in, is refused with subscribe:error and joins nothing; the rooms go
    // when the socket goes.
    void subscriptionsAreBounded()
    {
        const QUrl url = RawEngineClient::engineUrl(m_server->port(), u"/api/ws/"_s);
        const QString token = accessToken(m_server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s);
        server::SocketIoServer *sio = m_server->socketIo();
        RawEngineClient raw;
        QVERIFY(!raw.open(url).isEmpty());
        const QString sid
            = payload(raw.connectNamespace(u"/"_s, {{u"token"_s, token}}).last(), u"40"_s)[u"sid"]
                  .toString();
        const qsizetype roomsAtStart = sio->rooms(u"/"_s, sid).size();

        const auto subscribe = [&raw](int from, int count) {
            QJsonArray features;
            for (int i = from; i < from + count; ++i)
                features.append(u"feature-%1"_s.arg(i));
            raw.sendText(u"42"_s
                         + QString::fromUtf8(
                             QJsonDocument(QJsonArray{u"subscribe:features"_s,
                                                      QJsonObject{{u"features"_s, features}}})
                                 .toJson(QJsonDocument::Compact)));
        };
        // One packet with far too many names (the attack: 650 KB of them).
        subscribe(0, 5000);
        const QString refused = takeEvent(raw, u"subscribe:error"_s);
        QVERIFY2(!refused.isEmpty(), "no subscribe:error");
        const QJsonObject error = payload(refused, u"42"_s)[1].toObject();
        QCOMPARE(error.value(u"code").toString(), u"SUBSCRIPTION_LIMIT"_s);
        QVERIFY(!error.value(u"message").toString().isEmpty());
        QCOMPARE(sio->rooms(u"/"_s, sid).size(), roomsAtStart);

        // Many small packets: accepted up to the cap on rooms, then refused.
        int accepted = 0;
        bool wasRefused = false;
        for (int i = 0; i < 50 && !wasRefused; ++i) {
            subscribe(i * 50, 50);
            for (;;) {
                const auto frame = raw.take(Patience);
                QVERIFY(frame);
                const QString name = payload(frame->text, u"42"_s)[0].toString();
                if (name == u"subscribe:confirmed") {
                    ++accepted;
                    break;
                }
                if (name == u"subscribe:error") {
                    wasRefused = true;
                    break;
                }
            }
        }
        QVERIFY(wasRefused);
        QVERIFY(accepted > 0);
        QVERIFY(sio->rooms(u"/"_s, sid).size() < 50 * 50);
        QVERIFY(!sio->socketsInRoom(u"/"_s, u"t:ward-a:feature:feature-0"_s).isEmpty());

        raw.abort();
        QTRY_VERIFY_WITH_TIMEOUT(!sio->isConnected(u"/"_s, sid), Patience);
        QVERIFY(sio->socketsInRoom(u"/"_s, u"t:ward-a:feature:feature-0"_s).isEmpty());
    }

    // A socket does not outlive its access token: shortly before the token expires the
    // server asks for a fresh one (auth:expiring); a socket that answers (auth:renew) with a
    // valid token of the same user stays, one that does not is told why (auth:expired) and
    // disconnected (41) when the token expires, and hears nothing more.
    void socketsDoNotOutliveTheirToken()
    {
        server::LivedeskServer::Options options;
        options.accessTokenSeconds = 3;
        server::LivedeskServer shortLived(options);
        QString startError;
        QVERIFY2(shortLived.start(&startError), qPrintable(startError));
        const QUrl url = RawEngineClient::engineUrl(shortLived.port(), u"/api/ws/"_s);
        const QString token = accessToken(shortLived.baseUrl(), u"nurse@demo.local"_s, u"nurse"_s);

        RawEngineClient silent;
        QVERIFY(!silent.open(url).isEmpty());
        QVERIFY(silent.connectNamespace(u"/"_s, {{u"token"_s, token}}).last().startsWith(u"40"));
        RawEngineClient renewing;
        QVERIFY(!renewing.open(url).isEmpty());
        const QString renewingSid
            = payload(renewing.connectNamespace(u"/"_s, {{u"token"_s, token}}).last(),
                      u"40"_s)[u"sid"]
                  .toString();
        for (RawEngineClient *raw : {&silent, &renewing}) {
            raw->sendText(u"42[\"subscribe:features\",{\"features\":[\"patients\"]}]"_s);
            QVERIFY(!takeEvent(*raw, u"subscribe:confirmed"_s).isEmpty());
        }

        const QString asked = takeEvent(renewing, u"auth:expiring"_s);
        QVERIFY2(!asked.isEmpty(), "not asked for a fresh token");
        const QJsonObject ask = payload(asked, u"42"_s)[1].toObject();
        const QDateTime expiresAt
            = QDateTime::fromString(ask.value(u"expiresAt").toString(), Qt::ISODateWithMs);
        QVERIFY(expiresAt.isValid());
        // Another user's token is no renewal.
        const QString other
            = accessToken(shortLived.baseUrl(), u"doctor@demo.local"_s, u"doctor"_s);
        renewing.sendText(u"421[\"auth:renew\",{\"token\":\"%1\"}]"_s.arg(other));
        const QJsonObject no = payload(takeFrame(renewing, u"431"_s), u"431"_s)[0].toObject();
        QCOMPARE(no.value(u"ok"), false);
        QVERIFY(!no.value(u"message").toString().isEmpty());
        // The same user's fresh token is.
        const QString fresh = accessToken(shortLived.baseUrl(), u"nurse@demo.local"_s, u"nurse"_s);
        renewing.sendText(u"422[\"auth:renew\",{\"token\":\"%1\"}]"_s.arg(fresh));
        const QJsonObject yes = payload(takeFrame(renewing, u"432"_s), u"432"_s)[0].toObject();
        QCOMPARE(yes.value(u"ok"), true);
        QVERIFY(QDateTime::fromString(yes.value(u"expiresAt").toString(), Qt::ISODateWithMs)
                > expiresAt);

        // The silent one is told, then dropped, at its token's expiry.
        QVERIFY(!takeEvent(silent, u"auth:expiring"_s).isEmpty());
        const QString expired = takeEvent(silent, u"auth:expired"_s);
        QVERIFY2(!expired.isEmpty(), "not told that the token expired");
        QVERIFY(!payload(expired, u"42"_s)[1][u"message"].toString().isEmpty());
        QCOMPARE(silent.takeText(), u"41"_s);

        // After the first token's expiry the renewed socket is still there; renewed once more
        // (this client renews by hand), a change reaches it and not the dropped one.
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc() > expiresAt, Patience);
        QVERIFY(shortLived.socketIo()->isConnected(u"/"_s, renewingSid));
        const QString again = accessToken(shortLived.baseUrl(), u"nurse@demo.local"_s, u"nurse"_s);
        renewing.sendText(u"423[\"auth:renew\",{\"token\":\"%1\"}]"_s.arg(again));
        QCOMPARE(payload(takeFrame(renewing, u"433"_s), u"433"_s)[0][u"ok"], true);
        QCOMPARE(shortLived.tokenGuard()->renewals(), 2);
        Client rest(shortLived.baseUrl());
        rest.setToken(again);
        QCOMPARE(
            rest.post(u"/api/patients"_s,
                      QJsonDocument(QJsonObject{{u"hn"_s, u"HN960001"_s}, {u"name"_s, u"T"_s}}))
                .status,
            201);
        QVERIFY(!takeEvent(renewing, u"patients.patient.created"_s).isEmpty());
        QVERIFY(takeEvent(silent, u"patients.patient.created"_s, 300).isEmpty());
    }

    // The workstation's session over a server whose tokens live 3 s: the server asks the
    // socket for fresh tokens, the session renews and hands them over, and the list keeps
    // hearing changes long after the first token expired, without ever going stale.
    void sessionKeepsItsSocketAcrossTokenExpiry()
    {
        server::LivedeskServer::Options options;
        options.accessTokenSeconds = 3;
        server::LivedeskServer shortLived(options);
        QString startError;
        QVERIFY2(shortLived.start(&startError), qPrintable(startError));

        Session session;
        session.setServer(shortLived.baseUrl(), u"/api/ws/"_s);
        QSignalSpy signedIn(&session, &Session::signedIn);
        QSignalSpy signInRequired(&session, &Session::signInRequired);
        session.signIn(u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(signedIn.wait(Patience));
        RealtimeStateManager *patients
            = session.manager(u"patients"_s, RealtimeStateManager::Mode::His);
        QVERIFY(patients);
        QTRY_VERIFY_WITH_TIMEOUT(patients->isConnected() && patients->rowCount() > 0, Patience);
        QTRY_VERIFY_WITH_TIMEOUT(!patients->staleSince().isValid(), Patience);
        bool everStale = false;
        connect(patients, &RealtimeStateManager::stateChanged, this, [&] {
            everStale = everStale || patients->staleSince().isValid() || !patients->isConnected();
        });
        QSignalSpy dropped(session.socket(), &SocketIoClient::disconnected);
        const QDateTime firstExpiry
            = shortLived.tokenGuard()->expiresAt(u"/"_s, session.socket()->sid());
        QVERIFY(firstExpiry.isValid());

        // Two token lifetimes on: the socket has been asked and has answered at least twice.
        QTRY_VERIFY_WITH_TIMEOUT(shortLived.tokenGuard()->renewals() >= 2
                                     && QDateTime::currentDateTimeUtc() > firstExpiry,
                                 Patience);
        Client doctor(shortLived.baseUrl());
        QVERIFY(doctor.login(u"doctor@demo.local"_s, u"doctor"_s));
        const qint64 seen = patients->counters().eventsSeen;
        QCOMPARE(
            doctor
                .post(u"/api/patients"_s,
                      QJsonDocument(QJsonObject{{u"hn"_s, u"HN970001"_s}, {u"name"_s, u"R"_s}}))
                .status,
            201);
        QTRY_VERIFY_WITH_TIMEOUT(patients->counters().eventsSeen > seen, Patience);
        QCOMPARE(dropped.size(), 0);
        QVERIFY(!everStale);
        QVERIFY(session.socket()->isConnected());
        QCOMPARE(signInRequired.size(), 0);
        QVERIFY(shortLived.tokenGuard()->expiresAt(u"/"_s, session.socket()->sid()) > firstExpiry);
        session.close();
    }

    // A client is told when its subscription is refused, with a reason it can show.
    void refusedSubscriptionIsReported()
    {
        SocketIoClient client;
        SocketIoClient::Options o;
        o.url = m_server->baseUrl();
        o.path = u"/api/ws/"_s;
        o.auth
            = {{u"token"_s, accessToken(m_server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s)}};
        client.setOptions(o);
        RealtimeChannel channel(&client);
        channel.setSubscription(tooManyFeatures());
        QSignalSpy refused(&channel, &RealtimeChannel::subscriptionRefused);
        client.open();
        QVERIFY(refused.wait(Patience));
        QVERIFY(refused.at(0).at(0).toString().contains(u"100"_s));
        QCOMPARE(refused.at(0).at(1).toJsonObject().value(u"code").toString(),
                 u"SUBSCRIPTION_LIMIT"_s);
    }

    // A list whose subscription the server refused hears nothing: it says so (stale, with the
    // server's reason) for as long as that lasts, whatever the connected socket suggests.
    void listWithARefusedSubscriptionIsStale()
    {
        Session session;
        session.setServer(m_server->baseUrl(), u"/api/ws/"_s);
        QSignalSpy signedIn(&session, &Session::signedIn);
        session.signIn(u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(signedIn.wait(Patience));
        RealtimeStateManager *patients
            = session.manager(u"patients"_s, RealtimeStateManager::Mode::His);
        QVERIFY(patients);
        QTRY_VERIFY_WITH_TIMEOUT(patients->isConnected() && patients->rowCount() > 0, Patience);
        QTRY_VERIFY_WITH_TIMEOUT(!patients->staleSince().isValid(), Patience);

        RealtimeChannel *channel = session.channel();
        QSignalSpy refused(channel, &RealtimeChannel::subscriptionRefused);
        channel->setSubscription(tooManyFeatures());
        QVERIFY(refused.wait(Patience));
        QVERIFY(patients->staleSince().isValid());
        QVERIFY(patients->staleReason().contains(refused.at(0).at(0).toString()));
        QCOMPARE(patients->rowState(0), RealtimeStateManager::RowState::Stale);
        // The socket is up and talking (heartbeats), yet the list stays stale.
        QTest::qWait(1000);
        QVERIFY(session.socket()->isConnected());
        QVERIFY(patients->staleSince().isValid());
        // A list opened meanwhile hears nothing either: it starts stale, with the reason.
        RealtimeStateManager *labs
            = session.manager(u"lab_orders"_s, RealtimeStateManager::Mode::His);
        QVERIFY(labs);
        QTRY_VERIFY_WITH_TIMEOUT(labs->rowCount() > 0, Patience);
        QVERIFY(labs->staleSince().isValid());
        QVERIFY(labs->staleReason().contains(refused.at(0).at(0).toString()));

        // Subscribed again: current again.
        QSignalSpy confirmed(channel, &RealtimeChannel::subscriptionConfirmed);
        channel->setSubscription({u"patients"_s});
        QVERIFY(confirmed.wait(Patience));
        QVERIFY(!patients->staleSince().isValid());
        QCOMPARE(patients->rowState(0), RealtimeStateManager::RowState::Synced);
        QVERIFY(!labs->staleSince().isValid());
        session.close();
    }
};

QTEST_GUILESS_MAIN(TestServerEvents)
#include "tst_serverevents.moc"
