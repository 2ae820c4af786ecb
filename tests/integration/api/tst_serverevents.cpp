// SPDX-License-Identifier: MIT
// Writes over REST become Socket.IO events for the right sockets, with our meta extensions.
#include "apitestclient.h"
#include "livedeskserver.h"
#include "realtimechannel.h"
#include "socketioclient.h"

#include <QtCore/QJsonArray>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;
using Client = test::ApiTestClient;

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
        QCOMPARE(e.data.toObject().value(u"name").toString(), u"Evented"_s);

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
        QVERIFY(nurse->events.at(2).data.toObject().value(u"id").isString());
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
};

QTEST_GUILESS_MAIN(TestServerEvents)
#include "tst_serverevents.moc"
