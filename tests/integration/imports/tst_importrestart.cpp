// SPDX-License-Identifier: MIT
// Import jobs outlive the process that ran them: a status never stays "processing".
#include "importjobstore.h"
#include "importservice.h"
#include "importtestclient.h"
#include "livedeskserver.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;
using test::ImportTestClient;

namespace {
const QString patients = u"/api/patients"_s;

QByteArray file(const QString &prefix, int count)
{
    QStringList lines{u"hn,name"_s};
    for (int i = 1; i <= count; ++i)
        lines.append(u"%1-%2,Patient %2"_s.arg(prefix).arg(i));
    return ImportTestClient::csv(lines);
}
} // namespace

class TestImportRestart : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<server::LivedeskServer> start(const QString &file = u"livedesk.sqlite"_s)
    {
        server::LivedeskServer::Options o;
        o.databasePath = m_dir.filePath(file);
        auto server = std::make_unique<server::LivedeskServer>(o);
        QString error;
        if (!server->start(&error)) {
            qWarning() << error;
            return nullptr;
        }
        return server;
    }

    // Validates and executes @p csv; the job id.
    static QString execute(ImportTestClient &client, const QByteArray &csv)
    {
        const auto v = client.upload(patients, csv);
        const auto x = client.execute(patients, v.data().toObject().value(u"sessionId").toString());
        return x.status == 202 ? x.data().toObject().value(u"jobId").toString() : QString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void stoppedMidwayMeansFailedNeverProcessing()
    {
        QString runningJob;
        QString completedJob;
        QJsonObject completedBefore;
        int importedBeforeStop = 0;
        {
            auto server = start();
            QVERIFY(server);
            ImportTestClient nurse(server->baseUrl());
            QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));

            completedJob = execute(nurse, file(u"RSA"_s, 50));
            QVERIFY(!completedJob.isEmpty());
            completedBefore = nurse.waitForJob(patients, completedJob);
            QCOMPARE(completedBefore.value(u"status").toString(), u"completed"_s);
            QVERIFY(completedBefore.value(u"startedAt").isString());
            QVERIFY(completedBefore.value(u"finishedAt").isString());

            auto options = server->imports()->options();
            options.batchSize = 100;
            options.batchIntervalMs = 20;
            server->imports()->setOptions(options);
            runningJob = execute(nurse, file(u"RSB"_s, 5000));
            QVERIFY(!runningJob.isEmpty());
            QTRY_VERIFY_WITH_TIMEOUT(nurse.status(patients, runningJob)
                                             .data()
                                             .toObject()
                                             .value(u"processedRecords")
                                             .toInt()
                                         >= 200,
                                     20000);
            server->stop();
            QCOMPARE(server->port(), 0);
        }
        {
            auto server = start();
            QVERIFY(server);
            ImportTestClient nurse(server->baseUrl());
            QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
            const QJsonObject status = nurse.status(patients, runningJob).data().toObject();
            QCOMPARE(status.value(u"status").toString(), u"failed"_s);
            QVERIFY2(status.value(u"error").toString().contains(u"interrupted"_s),
                     qPrintable(status.value(u"error").toString()));
            importedBeforeStop = status.value(u"successCount").toInt();
            QVERIFY(importedBeforeStop >= 200 && importedBeforeStop < 5000);
            // The stored counts are exactly the rows that are there.
            QCOMPARE(nurse.count(patients, u"RSB-"_s), importedBeforeStop);
            QCOMPARE(nurse.status(patients, completedJob).data().toObject().value(u"status"),
                     QJsonValue(u"completed"_s));
            // When it ran is stored with it.
            const QJsonObject completed = nurse.status(patients, completedJob).data().toObject();
            QCOMPARE(completed.value(u"startedAt"), completedBefore.value(u"startedAt"));
            QCOMPARE(completed.value(u"finishedAt"), completedBefore.value(u"finishedAt"));
            // The stopped one had started, and has ended.
            QVERIFY(status.value(u"startedAt").isString());
            QVERIFY(status.value(u"finishedAt").isString());
            QVERIFY(status.value(u"startedAt").toString()
                    <= status.value(u"finishedAt").toString());
            // The demo rows were not seeded twice.
            QCOMPARE(nurse.count(patients, u"RSA-"_s), 50);
        }
    }

    void aJobLeftProcessingByACrashIsFailedOnStart()
    {
        QString jobId;
        {
            auto server = start();
            QVERIFY(server);
            ImportTestClient nurse(server->baseUrl());
            QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
            jobId = execute(nurse, file(u"RSC"_s, 10));
            QVERIFY(!jobId.isEmpty());
            QCOMPARE(nurse.waitForJob(patients, jobId).value(u"status").toString(), u"completed"_s);
        }
        {
            // What a process killed in the middle of a batch leaves behind.
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"crash"_s);
            db.setDatabaseName(m_dir.filePath(u"livedesk.sqlite"_s));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.prepare(u"UPDATE livedesk_import_jobs SET status = 'processing' "
                              "WHERE id = ?"_s));
            q.addBindValue(jobId);
            QVERIFY(q.exec());
            QCOMPARE(q.numRowsAffected(), 1);
        }
        QSqlDatabase::removeDatabase(u"crash"_s);
        {
            auto server = start();
            QVERIFY(server);
            ImportTestClient nurse(server->baseUrl());
            QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
            const QJsonObject status = nurse.status(patients, jobId).data().toObject();
            QCOMPARE(status.value(u"status").toString(), u"failed"_s);
            QCOMPARE(status.value(u"error").toString(),
                     server::ImportJobStore::interruptedMessage());
            QCOMPARE(status.value(u"successCount").toInt(), 10);
            // Its end is known: no later than the restart.
            QVERIFY(status.value(u"startedAt").isString());
            QVERIFY(status.value(u"finishedAt").isString());
        }
    }

    void refusedRowsSurviveARestart()
    {
        QString jobId;
        QJsonObject before;
        {
            auto server = start();
            QVERIFY(server);
            ImportTestClient nurse(server->baseUrl());
            QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
            const auto v = nurse.upload(patients, file(u"RSD"_s, 3));
            const QString sessionId = v.data().toObject().value(u"sessionId").toString();
            QVERIFY(!sessionId.isEmpty());
            // Row 2's HN is taken between validation and execution.
            QCOMPARE(nurse.rest()
                         .post(patients,
                               QJsonDocument(
                                   QJsonObject{{u"hn"_s, u"RSD-2"_s}, {u"name"_s, u"Faster"_s}}))
                         .status,
                     201);
            const auto x = nurse.execute(patients, sessionId, true);
            QCOMPARE(x.status, 202);
            jobId = x.data().toObject().value(u"jobId").toString();
            before = nurse.waitForJob(patients, jobId);
            QCOMPARE(before.value(u"status").toString(), u"completed"_s);
            QCOMPARE(before.value(u"executionErrorCount").toInt(), 1);
            QCOMPARE(before.value(u"executionErrors").toArray().size(), 1);
        }
        {
            auto server = start();
            QVERIFY(server);
            ImportTestClient nurse(server->baseUrl());
            QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
            const QJsonObject after = nurse.status(patients, jobId).data().toObject();
            QCOMPARE(after, before);
            QCOMPARE(after.value(u"executionErrors").toArray().at(0).toObject().value(u"row"),
                     QJsonValue(2));
        }
    }

    void aJobTableWithoutTheNewerColumnsIsUpgraded()
    {
        const QString dbFile = u"older.sqlite"_s;
        {
            // The job table as servers before the times and the refused rows wrote it.
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"older"_s);
            db.setDatabaseName(m_dir.filePath(dbFile));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE \"livedesk_import_jobs\" (\"id\" TEXT PRIMARY KEY, "
                           "\"tenant\" TEXT NOT NULL, \"resource\" TEXT NOT NULL, "
                           "\"user_id\" TEXT, \"session_id\" TEXT NOT NULL, "
                           "\"status\" TEXT NOT NULL, \"skip_errors\" INTEGER NOT NULL "
                           "DEFAULT 0, \"total\" INTEGER NOT NULL DEFAULT 0, \"processed\" "
                           "INTEGER NOT NULL DEFAULT 0, \"success\" INTEGER NOT NULL DEFAULT 0, "
                           "\"failed\" INTEGER NOT NULL DEFAULT 0, \"error\" TEXT, "
                           "\"created_at\" TEXT NOT NULL, \"updated_at\" TEXT NOT NULL)"_s));
            QVERIFY(q.exec(u"INSERT INTO livedesk_import_jobs VALUES ('old-job', 'ward-a', "
                           "'patients', 'u-nurse', 's', 'completed', 0, 2, 2, 2, 0, NULL, "
                           "'2024-01-31T08:00:00.000Z', '2024-01-31T08:00:01.000Z')"_s));
        }
        QSqlDatabase::removeDatabase(u"older"_s);
        auto server = start(dbFile);
        QVERIFY(server);
        ImportTestClient nurse(server->baseUrl());
        QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
        const auto old = nurse.status(patients, u"old-job"_s);
        QCOMPARE(old.status, 200);
        const QJsonObject status = old.data().toObject();
        QCOMPARE(status.value(u"status").toString(), u"completed"_s);
        QCOMPARE(status.value(u"successCount").toInt(), 2);
        // Not recorded then: unknown, not made up.
        QVERIFY(status.value(u"startedAt").isNull());
        QVERIFY(status.value(u"finishedAt").isNull());
        QCOMPARE(status.value(u"executionErrorCount").toInt(-1), 0);
        QCOMPARE(status.value(u"executionErrors").toArray().size(), 0);
        // And new jobs are stored in full.
        const auto v = nurse.upload(patients, file(u"RSE"_s, 2));
        const auto x = nurse.execute(patients, v.data().toObject().value(u"sessionId").toString());
        QCOMPARE(x.status, 202);
        const QJsonObject done
            = nurse.waitForJob(patients, x.data().toObject().value(u"jobId").toString());
        QCOMPARE(done.value(u"status").toString(), u"completed"_s);
        QVERIFY(done.value(u"finishedAt").isString());
    }
};

QTEST_GUILESS_MAIN(TestImportRestart)
#include "tst_importrestart.moc"
