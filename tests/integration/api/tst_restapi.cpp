// SPDX-License-Identifier: MIT
// The REST API of livedesk-server, in-process, over real HTTP.
#include "apitestclient.h"
#include "livedeskserver.h"

#include <QtCore/QJsonArray>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;
using Client = test::ApiTestClient;

class TestRestApi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;
    std::unique_ptr<Client> m_nurse;

    Client anonymous() { return Client(m_server->baseUrl()); }
    static QJsonDocument doc(const QJsonObject &o) { return QJsonDocument(o); }
    int patientCount()
    {
        return int(m_nurse->get(u"/api/patients?limit=1"_s)
                       .json.value(u"pagination")
                       .toObject()
                       .value(u"total")
                       .toInteger());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_nurse = std::make_unique<Client>(m_server->baseUrl());
        QVERIFY(m_nurse->login(u"nurse@demo.local"_s, u"nurse"_s));
    }

    void healthNeedsNoToken()
    {
        auto c = anonymous();
        const auto r = c.get(u"/api/health"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"success").toBool(), true);
    }

    void loginAnswersAsAegisX()
    {
        auto c = anonymous();
        const auto ok
            = c.post(u"/api/auth/login"_s,
                     doc({{u"email"_s, u"doctor@demo.local"_s}, {u"password"_s, u"doctor"_s}}));
        QCOMPARE(ok.status, 200);
        const auto data = ok.data().toObject();
        QVERIFY(!data.value(u"accessToken").toString().isEmpty());
        QVERIFY(!data.value(u"refreshToken").toString().isEmpty());
        QVERIFY(data.value(u"expiresIn").toInteger() > 0);
        QCOMPARE(data.value(u"user").toObject().value(u"email").toString(), u"doctor@demo.local"_s);
        QVERIFY(!data.value(u"user").toObject().contains(u"passwordHash"));

        const auto wrong
            = c.post(u"/api/auth/login"_s,
                     doc({{u"email"_s, u"doctor@demo.local"_s}, {u"password"_s, u"x"_s}}));
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.errorCode(), u"INVALID_CREDENTIALS"_s);
        QCOMPARE(wrong.json.value(u"success").toBool(true), false);
        QCOMPARE(wrong.json.value(u"error").toObject().value(u"statusCode").toInt(), 401);

        const auto missing = c.post(u"/api/auth/login"_s, doc({{u"email"_s, u""_s}}));
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.errorCode(), u"VALIDATION_ERROR"_s);
        QCOMPARE(missing.json.value(u"error").toObject().value(u"details").toArray().size(), 2);

        const auto malformed = c.raw("POST", u"/api/auth/login"_s, "{\"email\": ");
        QCOMPARE(malformed.status, 400);
        QCOMPARE(malformed.errorCode(), u"INVALID_JSON"_s);
    }

    void refreshIssuesANewAccessToken()
    {
        auto c = anonymous();
        const auto login
            = c.post(u"/api/auth/login"_s,
                     doc({{u"email"_s, u"nurse@demo.local"_s}, {u"password"_s, u"nurse"_s}}));
        const QString refresh = login.data().toObject().value(u"refreshToken").toString();
        const auto r = c.post(u"/api/auth/refresh"_s, doc({{u"refreshToken"_s, refresh}}));
        QCOMPARE(r.status, 200);
        c.setToken(r.data().toObject().value(u"accessToken").toString());
        QCOMPARE(c.get(u"/api/patients?limit=1"_s).status, 200);
        // An access token is not a refresh token, and the reverse.
        const QString access = login.data().toObject().value(u"accessToken").toString();
        QCOMPARE(c.post(u"/api/auth/refresh"_s, doc({{u"refreshToken"_s, access}})).status, 401);
        c.setToken(refresh);
        QCOMPARE(c.get(u"/api/patients"_s).status, 401);
    }

    void everythingElseNeedsAValidToken()
    {
        auto c = anonymous();
        const auto none = c.get(u"/api/patients"_s);
        QCOMPARE(none.status, 401);
        QCOMPARE(none.errorCode(), u"UNAUTHORIZED"_s);
        c.setToken(u"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."_s); // alg none: never accepted
        QCOMPARE(c.get(u"/api/patients"_s).status, 401);
        c.setToken(u"garbage"_s);
        QCOMPARE(c.get(u"/api/schema"_s).status, 401);
    }

    void schemaHasNoCredentials()
    {
        const auto r = m_nurse->get(u"/api/schema"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.contains("passwordHash"));
        QVERIFY(!r.body.contains("pbkdf2"));
        QVERIFY(r.body.contains("\"patients\""));
    }

    // The user directory names the people of one's own tenant, without credentials.
    void userDirectoryIsPerTenant()
    {
        const auto r = m_nurse->get(u"/api/users"_s);
        QCOMPARE(r.status, 200);
        QStringList emails;
        for (const QJsonValue &v : r.data().toArray()) {
            QVERIFY(!v.toObject().value(u"name").toString().isEmpty());
            emails.append(v.toObject().value(u"email").toString());
        }
        emails.sort();
        QCOMPARE(emails, (QStringList{u"doctor@demo.local"_s, u"nurse@demo.local"_s}));
        QVERIFY(!r.body.contains("pbkdf2"));
        QCOMPARE(anonymous().get(u"/api/users"_s).status, 401);
    }

    void listPagesSortsSearches()
    {
        const auto page = m_nurse->get(u"/api/patients?page=2&limit=50&sort=hn:asc"_s);
        QCOMPARE(page.status, 200);
        const auto rows = page.data().toArray();
        QCOMPARE(rows.size(), 50);
        const auto p = page.json.value(u"pagination").toObject();
        QCOMPARE(p.value(u"page").toInt(), 2);
        QCOMPARE(p.value(u"limit").toInt(), 50);
        QVERIFY(p.value(u"total").toInt() >= 300);
        QCOMPARE(p.value(u"totalPages").toInt(), (p.value(u"total").toInt() + 49) / 50);
        QCOMPARE(p.value(u"hasNext").toBool(), true);
        QCOMPARE(p.value(u"hasPrev").toBool(), true);
        for (int i = 1; i < rows.size(); ++i)
            QVERIFY(rows.at(i - 1).toObject().value(u"hn").toString()
                    <= rows.at(i).toObject().value(u"hn").toString());
        const auto first = rows.at(0).toObject();
        const QStringList keys{u"id"_s,         u"version"_s, u"created_at"_s,
                               u"updated_at"_s, u"hn"_s,      u"name"_s};
        for (const auto &key : keys)
            QVERIFY2(first.contains(key), qPrintable(key));
        QVERIFY(!first.contains(u"tenant"));

        const QString hn = first.value(u"hn").toString();
        const auto found = m_nurse->get(u"/api/patients?search="_s + hn);
        QCOMPARE(found.status, 200);
        QVERIFY(found.data().toArray().size() >= 1);
        QCOMPARE(found.data().toArray().at(0).toObject().value(u"hn").toString(), hn);

        const auto fields = m_nurse->get(u"/api/patients?limit=3&fields=hn&fields=name"_s);
        QCOMPARE(fields.status, 200);
        const auto slim = fields.data().toArray().at(0).toObject();
        QVERIFY(slim.contains(u"hn") && slim.contains(u"name") && slim.contains(u"id"));
        QVERIFY(!slim.contains(u"ward"));

        QCOMPARE(m_nurse->get(u"/api/patients?limit=1001"_s).status, 400);
        QCOMPARE(m_nurse->get(u"/api/patients?sort=nonsense:asc"_s).errorCode(),
                 u"VALIDATION_ERROR"_s);
    }

    void crudWithVersionsAndConditionalWrites()
    {
        const auto created = m_nurse->post(u"/api/patients"_s,
                                           doc({{u"hn"_s, u"HN900001"_s},
                                                {u"name"_s, u"Test Patient"_s},
                                                {u"sex"_s, u"female"_s}}));
        QCOMPARE(created.status, 201);
        const auto record = created.data().toObject();
        const qint64 id = record.value(u"id").toInteger();
        QVERIFY(id > 0);
        QCOMPARE(record.value(u"version").toInteger(), 1);
        QCOMPARE(record.value(u"status").toString(), u"admitted"_s); // schema default
        QCOMPARE(record.value(u"created_by").toString(), u"u-nurse"_s);
        QCOMPARE(created.header("ETag"), QByteArray("\"1\""));
        QVERIFY(created.header("Location")
                    .endsWith(QByteArray("/api/patients/" + QByteArray::number(id))));

        const QString path = u"/api/patients/%1"_s.arg(id);
        const auto got = m_nurse->get(path);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.data().toObject().value(u"name").toString(), u"Test Patient"_s);

        const auto updated
            = m_nurse->put(path, doc({{u"ward"_s, u"ICU"_s}}), {{"If-Match", "\"1\""}});
        QCOMPARE(updated.status, 200);
        QCOMPARE(updated.data().toObject().value(u"version").toInteger(), 2);
        QCOMPARE(updated.data().toObject().value(u"ward").toString(), u"ICU"_s);
        QCOMPARE(updated.data().toObject().value(u"name").toString(), u"Test Patient"_s); // partial
        QCOMPARE(updated.header("ETag"), QByteArray("\"2\""));

        const auto stale
            = m_nurse->put(path, doc({{u"ward"_s, u"Surgery"_s}}), {{"If-Match", "\"1\""}});
        QCOMPARE(stale.status, 409);
        QCOMPARE(stale.errorCode(), u"VERSION_CONFLICT"_s);
        QVERIFY(stale.body.contains("\"ICU\"")); // the current record travels with the refusal
        QCOMPARE(m_nurse->get(path).data().toObject().value(u"ward").toString(), u"ICU"_s);

        // Without If-Match, last write wins (as on AegisX).
        QCOMPARE(m_nurse->put(path, doc({{u"ward"_s, u"Surgery"_s}})).status, 200);

        QCOMPARE(m_nurse->del(path, {{"If-Match", "\"2\""}}).status, 409);
        const auto deleted = m_nurse->del(path, {{"If-Match", "\"3\""}});
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.data().toObject().value(u"deleted").toBool(), true);
        QCOMPARE(deleted.data().toObject().value(u"id").toInteger(), id);
        QCOMPARE(m_nurse->get(path).status, 404);
        QCOMPARE(m_nurse->get(path).errorCode(), u"NOT_FOUND"_s);
    }

    // An impossible date and a date of birth in the future (the demo schema's notFuture) are
    // refused with the field named, on create, update and import alike; nothing is stored.
    void impossibleDatesAreRefused()
    {
        const int before = patientCount();
        const auto fieldOf = [](const auto &reply) {
            const auto details = reply.json.value(u"error").toObject().value(u"details").toArray();
            return details.size() == 1 ? details.at(0).toObject().value(u"field").toString() + u':'
                    + details.at(0).toObject().value(u"code").toString()
                                       : QString();
        };
        for (const auto &[value, code] : {std::pair{u"2099-02-31"_s, u"INVALID_DATE"_s},
                                          std::pair{u"2099-02-05"_s, u"IN_FUTURE"_s},
                                          std::pair{u"31 Feb 2099"_s, u"INVALID_DATE"_s}}) {
            const auto created = m_nurse->post(
                u"/api/patients"_s,
                doc({{u"hn"_s, u"HN-DATE"_s}, {u"name"_s, u"X"_s}, {u"date_of_birth"_s, value}}));
            QCOMPARE(created.status, 400);
            QCOMPARE(created.errorCode(), u"VALIDATION_ERROR"_s);
            QCOMPARE(fieldOf(created), u"date_of_birth:"_s + code);
        }
        QCOMPARE(patientCount(), before);

        const auto made = m_nurse->post(u"/api/patients"_s,
                                        doc({{u"hn"_s, u"HN-DATE"_s},
                                             {u"name"_s, u"X"_s},
                                             {u"date_of_birth"_s, u"1980-02-03"_s}}));
        QCOMPARE(made.status, 201);
        const QString path = u"/api/patients/"_s
            + QString::number(made.data().toObject().value(u"id").toInteger());
        const auto updated = m_nurse->put(path, doc({{u"date_of_birth"_s, u"2099-02-05"_s}}));
        QCOMPARE(updated.status, 400);
        QCOMPARE(fieldOf(updated), u"date_of_birth:IN_FUTURE"_s);
        QCOMPARE(m_nurse->get(path).data().toObject().value(u"date_of_birth").toString(),
                 u"1980-02-03"_s);
        QCOMPARE(m_nurse->del(path).status, 200);

        // The import check judges a cell by the same rule.
        const auto checked = m_nurse->raw("POST", u"/api/patients/import/validate"_s,
                                          "hn,name,date_of_birth\r\nHN-I1,A,2099-02-05\r\n"
                                          "HN-I2,B,2099-02-31\r\nHN-I3,C,1980-02-03\r\n",
                                          {{"Content-Type", "text/csv"}});
        QCOMPARE(checked.status, 200);
        const QJsonObject result = checked.data().toObject();
        QCOMPARE(result.value(u"summary").toObject().value(u"validRows").toInt(), 1);
        QStringList codes;
        for (const QJsonValue e : result.value(u"errors").toArray())
            codes.append(e.toObject().value(u"field").toString() + u':'
                         + e.toObject().value(u"code").toString());
        QCOMPARE(codes,
                 (QStringList{u"date_of_birth:IN_FUTURE"_s, u"date_of_birth:INVALID_DATE"_s}));

        const auto schema = m_nurse->get(u"/api/schema"_s);
        bool bounded = false;
        for (const QJsonValue r : schema.data().toObject().value(u"resources").toArray()) {
            for (const QJsonValue f : r.toObject().value(u"fields").toArray()) {
                if (r.toObject().value(u"name") == u"patients"_s
                    && f.toObject().value(u"name") == u"date_of_birth"_s)
                    bounded = f.toObject().value(u"notFuture").toBool();
            }
        }
        QVERIFY(bounded); // clients learn the bound from the schema
    }

    void badInputChangesNothing()
    {
        const int before = patientCount();
        const auto missing = m_nurse->post(u"/api/patients"_s, doc({{u"name"_s, u"No HN"_s}}));
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.errorCode(), u"VALIDATION_ERROR"_s);
        const auto details = missing.json.value(u"error").toObject().value(u"details").toArray();
        QVERIFY(!details.isEmpty());
        QCOMPARE(details.at(0).toObject().value(u"field").toString(), u"hn"_s);

        const auto several = m_nurse->post(u"/api/patients"_s,
                                           doc({{u"hn"_s, 42},
                                                {u"name"_s, u"X"_s},
                                                {u"sex"_s, u"robot"_s},
                                                {u"colour"_s, u"red"_s}}));
        QCOMPARE(several.status, 400);
        QVERIFY(several.json.value(u"error").toObject().value(u"details").toArray().size() >= 3);

        const auto first
            = m_nurse->get(u"/api/patients?limit=1"_s).data().toArray().at(0).toObject();
        const auto duplicate = m_nurse->post(
            u"/api/patients"_s, doc({{u"hn"_s, first.value(u"hn")}, {u"name"_s, u"Dup"_s}}));
        QCOMPARE(duplicate.status, 409);
        QCOMPARE(duplicate.errorCode(), u"DUPLICATE_ENTRY"_s);
        const auto dupDetails
            = duplicate.json.value(u"error").toObject().value(u"details").toArray();
        QCOMPARE(dupDetails.at(0).toObject().value(u"field").toString(), u"hn"_s);
        QCOMPARE(dupDetails.at(0).toObject().value(u"code").toString(), u"UNIQUE"_s);

        QCOMPARE(m_nurse->raw("POST", u"/api/patients"_s, "[1,2").errorCode(), u"INVALID_JSON"_s);
        QCOMPARE(m_nurse->raw("POST", u"/api/patients"_s, "[1,2]").status, 400);
        const QByteArray huge
            = "{\"hn\":\"HN1\",\"name\":\"" + QByteArray(3 * 1024 * 1024, 'x') + "\"}";
        QCOMPARE(m_nurse->raw("POST", u"/api/patients"_s, huge).status, 413);
        QCOMPARE(m_nurse->put(u"/api/patients/999999"_s, doc({{u"name"_s, u"Z"_s}})).status, 404);
        QCOMPARE(m_nurse->raw("PUT", u"/api/patients/1"_s, "{}", {{"If-Match", "\"abc\""}}).status,
                 400);
        QCOMPARE(patientCount(), before);
    }

    void bulkIsAllOrNothing()
    {
        const int before = patientCount();
        QJsonArray items{QJsonObject{{u"hn"_s, u"HN910001"_s}, {u"name"_s, u"Bulk One"_s}},
                         QJsonObject{{u"name"_s, u"Bulk Two, no HN"_s}}};
        const auto refused = m_nurse->post(u"/api/patients/bulk"_s, QJsonDocument(items));
        QCOMPARE(refused.status, 400);
        QCOMPARE(patientCount(), before);
        items.replace(1, QJsonObject{{u"hn"_s, u"HN910002"_s}, {u"name"_s, u"Bulk Two"_s}});
        const auto ok = m_nurse->post(u"/api/patients/bulk"_s, QJsonDocument(items));
        QCOMPARE(ok.status, 201);
        QCOMPARE(ok.data().toObject().value(u"count").toInt(), 2);
        QCOMPARE(patientCount(), before + 2);
        QJsonArray ids;
        const auto created = ok.data().toObject().value(u"items").toArray();
        for (const auto &r : created)
            ids.append(r.toObject().value(u"id"));
        const auto removed = m_nurse->raw("DELETE", u"/api/patients/bulk"_s,
                                          QJsonDocument(QJsonObject{{u"ids"_s, ids}}).toJson());
        QCOMPARE(removed.status, 200);
        QCOMPARE(patientCount(), before);
    }

    void tenantsNeverSeeEachOther()
    {
        Client wardB(m_server->baseUrl());
        QVERIFY(wardB.login(u"nurse-b@demo.local"_s, u"nurse-b"_s));
        const auto mine = m_nurse->post(
            u"/api/patients"_s, doc({{u"hn"_s, u"HN920001"_s}, {u"name"_s, u"Ward A only"_s}}));
        QCOMPARE(mine.status, 201);
        const qint64 id = mine.data().toObject().value(u"id").toInteger();
        QCOMPARE(wardB.get(u"/api/patients/%1"_s.arg(id)).status, 404);
        QCOMPARE(wardB.put(u"/api/patients/%1"_s.arg(id), doc({{u"name"_s, u"x"_s}})).status, 404);
        QCOMPARE(wardB.del(u"/api/patients/%1"_s.arg(id)).status, 404);
        const auto search = wardB.get(u"/api/patients?search=HN920001"_s);
        QCOMPARE(search.status, 200);
        QCOMPARE(search.data().toArray().size(), 0);
        // Uniqueness is per tenant: ward B may use the same HN.
        QCOMPARE(wardB
                     .post(u"/api/patients"_s,
                           doc({{u"hn"_s, u"HN920001"_s}, {u"name"_s, u"Ward B's own"_s}}))
                     .status,
                 201);
    }

    void repeatedTransactionsApplyOnce()
    {
        // A file database, so that the log is tested across a restart too.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        server::LivedeskServer::Options options;
        options.databasePath = dir.filePath(u"txn.sqlite"_s);
        options.jwtSecret = "txn-test-secret";
        auto server = std::make_unique<server::LivedeskServer>(options);
        QString error;
        QVERIFY2(server->start(&error), qPrintable(error));
        Client nurse(server->baseUrl());
        QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
        const auto count = [](Client &client) {
            return client.get(u"/api/patients?limit=1&search=TXN-ONCE"_s)
                .json.value(u"pagination")
                .toObject()
                .value(u"total")
                .toInteger();
        };
        const QList<std::pair<QByteArray, QByteArray>> txn{{"X-Client-Txn-Id", "txn-once-1"}};
        const auto body = doc({{u"hn"_s, u"TXN-ONCE"_s}, {u"name"_s, u"Once"_s}});
        const auto first = nurse.post(u"/api/patients"_s, body, txn);
        QCOMPARE(first.status, 201);
        QVERIFY(first.header("X-Txn-Replayed").isEmpty());
        const auto again = nurse.post(u"/api/patients"_s, body, txn);
        QCOMPARE(again.status, 201);
        QCOMPARE(again.header("X-Txn-Replayed"), QByteArray("true"));
        QCOMPARE(again.data(), first.data());
        QCOMPARE(count(nurse), 1);

        // An update sent twice moves the version once.
        const QString path
            = u"/api/patients/%1"_s.arg(first.data().toObject().value(u"id").toInteger());
        const QList<std::pair<QByteArray, QByteArray>> txn2{{"X-Client-Txn-Id", "txn-once-2"},
                                                            {"If-Match", "\"1\""}};
        QCOMPARE(nurse.put(path, doc({{u"ward"_s, u"Ward 7"_s}}), txn2).status, 200);
        const auto update2 = nurse.put(path, doc({{u"ward"_s, u"Ward 7"_s}}), txn2);
        QCOMPARE(update2.status, 200); // not 409: the answer of the first send
        QCOMPARE(update2.data().toObject().value(u"version").toInteger(), 2);
        QCOMPARE(nurse.get(path).data().toObject().value(u"version").toInteger(), 2);

        // The same id for another request is a client bug, said plainly.
        const auto reused = nurse.del(path, txn);
        QCOMPARE(reused.status, 409);
        QCOMPARE(reused.errorCode(), u"TXN_ID_REUSED"_s);
        // A refused write is not remembered: fixed and sent again, it applies.
        const QList<std::pair<QByteArray, QByteArray>> txn3{{"X-Client-Txn-Id", "txn-once-3"}};
        QCOMPARE(nurse.post(u"/api/patients"_s, doc({{u"hn"_s, u"TXNB-1"_s}}), txn3).status, 400);
        QCOMPARE(
            nurse.post(u"/api/patients"_s, doc({{u"hn"_s, u"TXNB-1"_s}, {u"name"_s, u"B"_s}}), txn3)
                .status,
            201);

        // After a restart the log still answers.
        server.reset();
        server = std::make_unique<server::LivedeskServer>(options);
        QVERIFY2(server->start(&error), qPrintable(error));
        Client after(server->baseUrl());
        QVERIFY(after.login(u"nurse@demo.local"_s, u"nurse"_s));
        const auto replayed = after.post(u"/api/patients"_s, body, txn);
        QCOMPARE(replayed.status, 201);
        QCOMPARE(replayed.header("X-Txn-Replayed"), QByteArray("true"));
        QCOMPARE(count(after), 1);
    }

    // A search or filter value the server will not take is a 400 that says the limit, never a
    // 500 from the database or a silently shortened question.
    void oversizedOrBrokenQueriesAreRefusedPlainly()
    {
        const auto longSearch = m_nurse->get(u"/api/patients?search="_s + QString(201, u'a'));
        QCOMPARE(longSearch.status, 400);
        QCOMPARE(longSearch.errorCode(), u"VALIDATION_ERROR"_s);
        const auto detail = longSearch.json.value(u"error")
                                .toObject()
                                .value(u"details")
                                .toArray()
                                .at(0)
                                .toObject();
        QCOMPARE(detail.value(u"field").toString(), u"search"_s);
        QCOMPARE(detail.value(u"code").toString(), u"MAX_LENGTH"_s);
        QVERIFY2(detail.value(u"message").toString().contains(u"200"_s),
                 qPrintable(detail.value(u"message").toString()));
        QCOMPARE(m_nurse->get(u"/api/patients?search="_s + QString(200, u'a')).status, 200);

        // A NUL would cut the pattern short in SQLite: refused rather than half-answered.
        const auto nul = m_nurse->get(u"/api/patients?search=HN%00zzzz"_s);
        QCOMPARE(nul.status, 400);
        QCOMPARE(nul.errorCode(), u"VALIDATION_ERROR"_s);
        QCOMPARE(m_nurse->get(u"/api/patients?ward=ICU%00x"_s).status, 400);

        const auto longFilter = m_nurse->get(u"/api/patients?name="_s + QString(1001, u'b'));
        QCOMPARE(longFilter.status, 400);
        QCOMPARE(longFilter.errorCode(), u"VALIDATION_ERROR"_s);
    }

    // Only the canonical spelling of an id names a record.
    void idsMustBeCanonical()
    {
        const qint64 id = m_nurse->get(u"/api/patients?limit=1"_s)
                              .data()
                              .toArray()
                              .at(0)
                              .toObject()
                              .value(u"id")
                              .toInteger();
        QCOMPARE(m_nurse->get(u"/api/patients/%1"_s.arg(id)).status, 200);
        for (const QString &spelling : {u"+%1"_s, u"%20%1"_s, u"0%1"_s, u"%1%20"_s, u"%2B%1"_s}) {
            const auto r = m_nurse->get(u"/api/patients/"_s + spelling.arg(id));
            QVERIFY2(r.status == 404,
                     qPrintable(spelling + u" answered "_s + QString::number(r.status)));
        }
        // A version in If-Match likewise.
        const QString path = u"/api/patients/%1"_s.arg(id);
        for (const char *version : {"\"+1\"", "\" 1\"", "\"01\""})
            QCOMPARE(m_nurse->raw("PUT", path, "{}", {{"If-Match", QByteArray(version)}}).status,
                     400);
    }

    void unknownRoutesAndMethods()
    {
        QCOMPARE(m_nurse->get(u"/api/nothing"_s).status, 404);
        QCOMPARE(m_nurse->get(u"/api/patients/abc"_s).status, 404);
        QCOMPARE(m_nurse->raw("PUT", u"/api/patients"_s, "{}").status, 405);
        auto c = anonymous();
        QCOMPARE(c.get(u"/api/auth/login"_s).status, 405);
    }
};

QTEST_GUILESS_MAIN(TestRestApi)
#include "tst_restapi.moc"
