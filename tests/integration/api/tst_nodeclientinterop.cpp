// SPDX-License-Identifier: MIT
// The real npm socket.io-client against the whole livedesk-server: REST login, socket with the
// token, subscription, and the events of REST writes.
#include "apitestclient.h"
#include "livedeskserver.h"
#include "nodeclientprocess.h"

#include <QtCore/QJsonArray>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;

class TestNodeClientInterop : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;
    static constexpr int Patience = 15000;

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = test::NodeClientProcess::setupProblem();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }

    void logsInSubscribesAndReceivesRestWrites()
    {
        test::ApiTestClient rest(m_server->baseUrl());
        const auto login = rest.post(u"/api/auth/login"_s,
                                     QJsonDocument(QJsonObject{{u"email"_s, u"nurse@demo.local"_s},
                                                               {u"password"_s, u"nurse"_s}}));
        QCOMPARE(login.status, 200);
        const QString token = login.data().toObject().value(u"accessToken").toString();
        rest.setToken(token);

        test::NodeClientProcess node;
        QVERIFY2(node.start(), qPrintable(node.errorOutput()));
        node.send({{u"cmd"_s, u"connect"_s},
                   {u"url"_s, m_server->baseUrl().toString()},
                   {u"path"_s, u"/api/ws/"_s},
                   {u"nsp"_s, u"/"_s},
                   {u"auth"_s, QJsonObject{{u"token"_s, token}}}});
        QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect"), 1, Patience);
        node.send(
            {{u"cmd"_s, u"emit"_s},
             {u"event"_s, u"subscribe:features"_s},
             {u"args"_s, QJsonArray{QJsonObject{{u"features"_s, QJsonArray{u"patients"_s}}}}}});
        QTRY_COMPARE_WITH_TIMEOUT(node.events(u"subscribe:confirmed").size(), 1, Patience);

        const auto created = rest.post(
            u"/api/patients"_s,
            QJsonDocument(QJsonObject{{u"hn"_s, u"HN950001"_s}, {u"name"_s, u"From REST"_s}}),
            {{"X-Client-Txn-Id", "node-1"}});
        QCOMPARE(created.status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(node.events(u"patients.patient.created").size(), 1, Patience);
        const QJsonArray args = node.events(u"patients.patient.created").at(0);
        const QJsonObject envelope = args.at(0).toObject();
        QCOMPARE(envelope.value(u"feature").toString(), u"patients"_s);
        QCOMPARE(envelope.value(u"entity").toString(), u"patient"_s);
        QCOMPARE(envelope.value(u"action").toString(), u"created"_s);
        QCOMPARE(envelope.value(u"data").toObject().value(u"hn").toString(), u"HN950001"_s);
        const QJsonObject meta = envelope.value(u"meta").toObject();
        QCOMPARE(meta.value(u"txnId").toString(), u"node-1"_s);
        QCOMPARE(meta.value(u"userId").toString(), u"u-nurse"_s);
        QCOMPARE(meta.value(u"version").toInteger(), 1);
        // With recovery on, a stored event carries its offset as the last argument.
        QCOMPARE(args.size(), 2);
        QVERIFY(args.at(1).isString());

        const qint64 id = created.data().toObject().value(u"id").toInteger();
        QCOMPARE(rest.del(u"/api/patients/%1"_s.arg(id)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(node.events(u"patients.patient.deleted").size(), 1, Patience);
        QCOMPARE(node.events(u"patients.patient.deleted").at(0).at(0).toObject().value(u"data"),
                 QJsonValue(QJsonObject{{u"id"_s, QString::number(id)}}));
    }

    void badTokenIsRefused()
    {
        test::NodeClientProcess node;
        QVERIFY2(node.start(), qPrintable(node.errorOutput()));
        node.send({{u"cmd"_s, u"connect"_s},
                   {u"url"_s, m_server->baseUrl().toString()},
                   {u"path"_s, u"/api/ws/"_s},
                   {u"nsp"_s, u"/"_s},
                   {u"auth"_s, QJsonObject{{u"token"_s, u"forged"_s}}}});
        QTRY_COMPARE_WITH_TIMEOUT(node.count(u"connect_error"), 1, Patience);
        QVERIFY(node.linesWith(u"connect_error")
                    .at(0)
                    .value(u"connect_error")
                    .toString()
                    .contains(u"token"_s, Qt::CaseInsensitive));
        QCOMPARE(node.count(u"connect"), 0);
    }
};

QTEST_GUILESS_MAIN(TestNodeClientInterop)
#include "tst_nodeclientinterop.moc"
