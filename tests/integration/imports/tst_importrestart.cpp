// SPDX-License-Identifier: MIT
// Import jobs outlive the process that ran them: a status never stays "processing".
#include "importjobstore.h"
#include "importservice.h"
#include "importtestclient.h"
#include "livedeskserver.h"

#include <QtCore/QJsonArray>
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

    std::unique_ptr<server::LivedeskServer> start()
    {
        server::LivedeskServer::Options o;
        o.databasePath = m_dir.filePath(u"livedesk.sqlite"_s);
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
        int importedBeforeStop = 0;
        {
            auto server = start();
            QVERIFY(server);
            ImportTestClient nurse(server->baseUrl());
            QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));

            completedJob = execute(nurse, file(u"RSA"_s, 50));
            QVERIFY(!completedJob.isEmpty());
            QCOMPARE(nurse.waitForJob(patients, completedJob).value(u"status").toString(),
                     u"completed"_s);

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
        }
    }
};

QTEST_GUILESS_MAIN(TestImportRestart)
#include "tst_importrestart.moc"
