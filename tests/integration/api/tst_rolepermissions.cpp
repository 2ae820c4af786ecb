// SPDX-License-Identifier: MIT
// What a role may do per resource: the schema's permissions, enforced on every REST route,
// on imports and on the Socket.IO subscription, and told to the client by /api/schema.
#include "apitestclient.h"
#include "events/realtimechannel.h"
#include "livedeskserver.h"
#include "socketio/socketioclient.h"
#include "state/session.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;
using Client = test::ApiTestClient;

namespace {

QJsonDocument doc(const QJsonObject &o)
{
    return QJsonDocument(o);
}

// `nurse` in the demo schema's hash; every user of the small schema has this password.
constexpr auto nurseHash = "pbkdf2-sha256$10000$bGl2ZWRlc2stbnVyc2UtMQ==$8nCkJE964udJ7Vd9Ud9vJAmsW0"
                           "Of2rzwUR4HeXCSwQQ=";

QJsonObject user(const QString &id, const QString &role)
{
    return {{u"id"_s, id},
            {u"email"_s, QString(id + u"@small.local"_s)},
            {u"role"_s, role},
            {u"passwordHash"_s, QString::fromLatin1(nurseHash)}};
}

QJsonObject resource(const QString &name, const QJsonValue &permissions = QJsonValue::Undefined)
{
    QJsonObject r{
        {u"name"_s, name},
        {u"fields"_s, QJsonArray{QJsonObject{{u"name"_s, u"title"_s}, {u"type"_s, u"string"_s}}}}};
    if (!permissions.isUndefined())
        r.insert(u"permissions"_s, permissions);
    return r;
}

} // namespace

class TestRolePermissions : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_demo;
    QTemporaryDir m_dir;

    std::unique_ptr<server::LivedeskServer> startSmall(const QJsonArray &resources)
    {
        const QString path = m_dir.filePath(
            u"small-%1.json"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return nullptr;
        file.write(doc({{u"name"_s, u"small"_s},
                        {u"users"_s,
                         QJsonArray{user(u"boss"_s, u"admin"_s), user(u"porter"_s, u"porter"_s)}},
                        {u"resources"_s, resources}})
                       .toJson());
        file.close();
        server::LivedeskServer::Options options;
        options.schemaPath = path;
        options.seedDemoData = false;
        auto server = std::make_unique<server::LivedeskServer>(options);
        QString error;
        if (!server->start(&error)) {
            qWarning().noquote() << error;
            return nullptr;
        }
        return server;
    }

    static QJsonObject schemaResource(Client &client, const QString &name)
    {
        const auto schema = client.get(u"/api/schema"_s);
        for (const QJsonValue &r : schema.data().toObject().value(u"resources").toArray()) {
            if (r.toObject().value(u"name").toString() == name)
                return r.toObject();
        }
        return {};
    }

    static int total(Client &client, const QString &path)
    {
        return int(client.get(path + u"?limit=1"_s)
                       .json.value(u"pagination")
                       .toObject()
                       .value(u"total")
                       .toInteger(-1));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_demo = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_demo->start(&error), qPrintable(error));
    }

    // The demo's auditor reads everything and changes nothing; every refusal is a 403
    // FORBIDDEN in the usual envelope, with a sentence naming the role and what it may not do.
    void demoAuditorIsReadOnly()
    {
        Client auditor(m_demo->baseUrl());
        QVERIFY(auditor.login(u"auditor@demo.local"_s, u"auditor"_s));
        const int before = total(auditor, u"/api/patients"_s);
        QVERIFY(before > 0);
        const auto list = auditor.get(u"/api/patients?limit=1"_s);
        QCOMPARE(list.status, 200);
        const qint64 id = list.data().toArray().first().toObject().value(u"id").toInteger();
        const QString name = list.data().toArray().first().toObject().value(u"name").toString();
        QCOMPARE(auditor.get(u"/api/patients/%1"_s.arg(id)).status, 200);

        const auto created = auditor.post(
            u"/api/patients"_s, doc({{u"hn"_s, u"HN990001"_s}, {u"name"_s, u"Not allowed"_s}}));
        QCOMPARE(created.status, 403);
        QCOMPARE(created.errorCode(), u"FORBIDDEN"_s);
        QCOMPARE(created.json.value(u"success").toBool(true), false);
        QCOMPARE(created.json.value(u"error").toObject().value(u"statusCode").toInt(), 403);
        QCOMPARE(created.json.value(u"error").toObject().value(u"message").toString(),
                 u"Your role (auditor) may not create patients."_s);

        const auto updated
            = auditor.put(u"/api/patients/%1"_s.arg(id), doc({{u"name"_s, u"Changed"_s}}));
        QCOMPARE(updated.status, 403);
        QCOMPARE(updated.errorCode(), u"FORBIDDEN"_s);
        QCOMPARE(updated.json.value(u"error").toObject().value(u"message").toString(),
                 u"Your role (auditor) may not update patients."_s);

        const auto removed = auditor.del(u"/api/patients/%1"_s.arg(id));
        QCOMPARE(removed.status, 403);
        QCOMPARE(removed.json.value(u"error").toObject().value(u"message").toString(),
                 u"Your role (auditor) may not delete patients."_s);

        // Bulk writes, and the other resources, are refused the same way.
        QCOMPARE(
            auditor.raw("POST", u"/api/patients/bulk"_s, R"([{"hn":"HN990002","name":"Bulk"}])")
                .status,
            403);
        QCOMPARE(auditor
                     .raw("PUT", u"/api/patients/bulk"_s,
                          QStringLiteral(R"([{"id":%1,"name":"Bulk"}])").arg(id).toUtf8())
                     .status,
                 403);
        QCOMPARE(auditor
                     .raw("DELETE", u"/api/patients/bulk"_s,
                          QStringLiteral(R"({"ids":[%1]})").arg(id).toUtf8())
                     .errorCode(),
                 u"FORBIDDEN"_s);
        const auto lab = auditor.post(u"/api/lab-orders"_s, doc({{u"test"_s, u"CBC"_s}}));
        QCOMPARE(lab.status, 403);
        QCOMPARE(lab.json.value(u"error").toObject().value(u"message").toString(),
                 u"Your role (auditor) may not create lab orders."_s);

        // Nothing changed.
        QCOMPARE(total(auditor, u"/api/patients"_s), before);
        const auto again = auditor.get(u"/api/patients/%1"_s.arg(id));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.data().toObject().value(u"name").toString(), name);
        QCOMPARE(again.data().toObject().value(u"version").toInteger(), 1);
    }

    // An import creates records: a role that may not create may not validate or run one.
    void demoAuditorMayNotImport()
    {
        Client auditor(m_demo->baseUrl());
        QVERIFY(auditor.login(u"auditor@demo.local"_s, u"auditor"_s));
        const int before = total(auditor, u"/api/patients"_s);
        const auto validate
            = auditor.raw("POST", u"/api/patients/import/validate"_s,
                          "hn,name\nHN990010,Imported\n", {{"Content-Type", "text/csv"}});
        QCOMPARE(validate.status, 403);
        QCOMPARE(validate.errorCode(), u"FORBIDDEN"_s);
        QCOMPARE(validate.json.value(u"error").toObject().value(u"message").toString(),
                 u"Your role (auditor) may not create patients, so it may not import them."_s);
        const auto execute = auditor.post(u"/api/patients/import/execute"_s,
                                          doc({{u"sessionId"_s, u"whatever"_s}}));
        QCOMPARE(execute.status, 403);
        QCOMPARE(total(auditor, u"/api/patients"_s), before);
        // The template is only a description of the columns.
        QCOMPARE(auditor.get(u"/api/patients/import/template?format=csv"_s).status, 200);
    }

    // The nurse still may do all of it.
    void demoNurseStillWrites()
    {
        Client nurse(m_demo->baseUrl());
        QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
        const auto created = nurse.post(u"/api/patients"_s,
                                        doc({{u"hn"_s, u"HN990020"_s}, {u"name"_s, u"Allowed"_s}}));
        QCOMPARE(created.status, 201);
        const qint64 id = created.data().toObject().value(u"id").toInteger();
        QCOMPARE(nurse.put(u"/api/patients/%1"_s.arg(id), doc({{u"ward"_s, u"ICU"_s}})).status,
                 200);
        QCOMPARE(nurse.del(u"/api/patients/%1"_s.arg(id)).status, 200);
        const auto validate
            = nurse.raw("POST", u"/api/patients/import/validate"_s, "hn,name\nHN990021,Imported\n",
                        {{"Content-Type", "text/csv"}});
        QCOMPARE(validate.status, 200);
    }

    // /api/schema tells the signed-in user what their role may do with each resource.
    void schemaSaysWhatTheRoleMayDo()
    {
        Client auditor(m_demo->baseUrl());
        QVERIFY(auditor.login(u"auditor@demo.local"_s, u"auditor"_s));
        QCOMPARE(auditor.get(u"/api/schema"_s).data().toObject().value(u"role").toString(),
                 u"auditor"_s);
        for (const QString &name : {u"patients"_s, u"admissions"_s, u"lab_orders"_s}) {
            const QJsonObject r = schemaResource(auditor, name);
            QCOMPARE(r.value(u"allowed").toArray(), QJsonArray{u"read"_s});
            // Other roles' rights are none of the client's business.
            QVERIFY(!r.contains(u"permissions"));
        }
        Client nurse(m_demo->baseUrl());
        QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
        QCOMPARE(schemaResource(nurse, u"patients"_s).value(u"allowed").toArray(),
                 (QJsonArray{u"read"_s, u"create"_s, u"update"_s, u"delete"_s}));
    }

    // A schema without permissions: everyone may do everything, as before.
    void schemaWithoutPermissionsAllowsEverything()
    {
        auto server = startSmall({resource(u"notes"_s)});
        QVERIFY(server);
        Client porter(server->baseUrl());
        QVERIFY(porter.login(u"porter@small.local"_s, u"nurse"_s));
        const auto created = porter.post(u"/api/notes"_s, doc({{u"title"_s, u"a"_s}}));
        QCOMPARE(created.status, 201);
        const qint64 id = created.data().toObject().value(u"id").toInteger();
        QCOMPARE(porter.put(u"/api/notes/%1"_s.arg(id), doc({{u"title"_s, u"b"_s}})).status, 200);
        QCOMPARE(porter.del(u"/api/notes/%1"_s.arg(id)).status, 200);
        QCOMPARE(schemaResource(porter, u"notes"_s).value(u"allowed").toArray(),
                 (QJsonArray{u"read"_s, u"create"_s, u"update"_s, u"delete"_s}));
    }

    // A role not listed takes "*"; without "*" it may do nothing; a role without read is
    // refused lists and records too.
    void unlistedRolesTakeTheWildcard()
    {
        auto server = startSmall(
            {resource(u"notes"_s,
                      QJsonObject{{u"admin"_s, QJsonArray{u"read"_s, u"create"_s}},
                                  {u"*"_s, QJsonArray{u"read"_s}}}),
             resource(
                 u"secrets"_s,
                 QJsonObject{
                     {u"admin"_s, QJsonArray{u"read"_s, u"create"_s, u"update"_s, u"delete"_s}}})});
        QVERIFY(server);
        Client boss(server->baseUrl());
        QVERIFY(boss.login(u"boss@small.local"_s, u"nurse"_s));
        Client porter(server->baseUrl());
        QVERIFY(porter.login(u"porter@small.local"_s, u"nurse"_s));

        QCOMPARE(boss.post(u"/api/notes"_s, doc({{u"title"_s, u"a"_s}})).status, 201);
        QCOMPARE(boss.del(u"/api/notes/1"_s).status, 403);
        QCOMPARE(porter.get(u"/api/notes"_s).status, 200);
        QCOMPARE(porter.post(u"/api/notes"_s, doc({{u"title"_s, u"b"_s}})).status, 403);

        const auto secret = boss.post(u"/api/secrets"_s, doc({{u"title"_s, u"s"_s}}));
        QCOMPARE(secret.status, 201);
        const auto list = porter.get(u"/api/secrets"_s);
        QCOMPARE(list.status, 403);
        QCOMPARE(list.json.value(u"error").toObject().value(u"message").toString(),
                 u"Your role (porter) may not read secrets."_s);
        QCOMPARE(porter.get(u"/api/secrets/1"_s).status, 403);
        QCOMPARE(schemaResource(porter, u"secrets"_s).value(u"allowed").toArray(), QJsonArray{});
        QCOMPARE(schemaResource(porter, u"notes"_s).value(u"allowed").toArray(),
                 QJsonArray{u"read"_s});
    }

    // A role without read joins no room of the resource: it hears none of its changes, and
    // the confirmation says which subscriptions were refused and why.
    void subscriptionNeedsRead()
    {
        auto server
            = startSmall({resource(u"notes"_s),
                          resource(u"secrets"_s,
                                   QJsonObject{{u"admin"_s, QJsonArray{u"read"_s, u"create"_s}}})});
        QVERIFY(server);
        Client porterRest(server->baseUrl());
        const auto login = porterRest.post(
            u"/api/auth/login"_s,
            doc({{u"email"_s, u"porter@small.local"_s}, {u"password"_s, u"nurse"_s}}));
        QCOMPARE(login.status, 200);

        SocketIoClient client;
        SocketIoClient::Options o;
        o.url = server->baseUrl();
        o.path = u"/api/ws/"_s;
        o.auth = {{u"token"_s, login.data().toObject().value(u"accessToken")}};
        client.setOptions(o);
        RealtimeChannel channel(&client);
        channel.setSubscription({u"secrets"_s, u"notes"_s}, {u"secrets"_s});
        QStringList heard;
        connect(&channel, &RealtimeChannel::eventReceived, this,
                [&heard](const RealtimeEvent &e) { heard.append(e.name); });
        QSignalSpy confirmed(&channel, &RealtimeChannel::subscriptionConfirmed);
        client.open();
        QVERIFY(confirmed.wait(10000));
        const QJsonObject confirmation = confirmed.first().first().toJsonObject();
        QCOMPARE(confirmation.value(u"features").toArray(), QJsonArray{u"notes"_s});
        QCOMPARE(confirmation.value(u"entities").toArray(), QJsonArray{});
        const QJsonArray denied = confirmation.value(u"denied").toArray();
        QCOMPARE(denied.size(), 2);
        QCOMPARE(denied.at(0).toObject().value(u"feature").toString(), u"secrets"_s);
        QCOMPARE(denied.at(0).toObject().value(u"message").toString(),
                 u"Your role (porter) may not read secrets."_s);
        QCOMPARE(denied.at(1).toObject().value(u"entity").toString(), u"secrets"_s);

        Client boss(server->baseUrl());
        QVERIFY(boss.login(u"boss@small.local"_s, u"nurse"_s));
        QCOMPARE(boss.post(u"/api/secrets"_s, doc({{u"title"_s, u"hidden"_s}})).status, 201);
        QCOMPARE(boss.post(u"/api/notes"_s, doc({{u"title"_s, u"open"_s}})).status, 201);
        // Events reach a socket in the order they were sent: once the note's event is here,
        // the secret's would have been too.
        QTRY_COMPARE_WITH_TIMEOUT(heard.size(), 1, 10000);
        QCOMPARE(heard, QStringList{u"notes.notes.created"_s});
    }

    // The client's session knows the role and what it may do; a resource the role may not
    // read is left out (its list would only be refused).
    void sessionKnowsTheRole()
    {
        auto server = startSmall(
            {resource(u"notes"_s, QJsonObject{{u"*"_s, QJsonArray{u"read"_s}}}),
             resource(u"secrets"_s, QJsonObject{{u"admin"_s, QJsonArray{u"read"_s}}})});
        QVERIFY(server);
        Session session;
        session.setServer(server->baseUrl());
        QSignalSpy signedIn(&session, &Session::signedIn);
        session.signIn(u"porter@small.local"_s, u"nurse"_s);
        QVERIFY(signedIn.wait(10000));
        QCOMPARE(session.resources().size(), 1);
        const ResourceSchema &notes = session.resources().constFirst();
        QCOMPARE(notes.name, u"notes"_s);
        QCOMPARE(notes.role, u"porter"_s);
        QCOMPARE(notes.allowed, QStringList{u"read"_s});
        QCOMPARE(notes.refusal(ResourceSchema::Action::Create),
                 u"Your role (porter) may only read notes."_s);
    }

    // Permissions name known actions only: a misspelt one is an error, not a silent refusal.
    void malformedPermissionsAreRefused()
    {
        QVERIFY(!startSmall({resource(u"notes"_s, QJsonObject{{u"*"_s, QJsonArray{u"raed"_s}}})}));
        QVERIFY(!startSmall({resource(u"notes"_s, QJsonArray{u"read"_s})}));
        QVERIFY(!startSmall({resource(u"notes"_s, QJsonObject{{u"*"_s, u"read"_s}})}));
    }
};

QTEST_GUILESS_MAIN(TestRolePermissions)
#include "tst_rolepermissions.moc"
