// SPDX-License-Identifier: MIT
// A 100 000-row file: it completes, the server answers other requests meanwhile, and the
// progress events respect the throttle (≤ 10 per second per job, plus the final one).
// Checking a large upload does not hold up the server either, and a client that leaves or a
// server that stops in the middle of it loses nothing else.
#include "importeventsubscriber.h"
#include "importservice.h"
#include "importtestclient.h"
#include "livedeskserver.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace livedesk;
using test::ImportEventSubscriber;
using test::ImportTestClient;

namespace {

// @p rowCount valid patient rows "<prefix>-000001"...
QByteArray patientCsv(const QByteArray &prefix, int rowCount)
{
    QByteArray csv = "hn,name,date_of_birth,sex,ward,status\n";
    csv.reserve(rowCount * 64);
    for (int i = 1; i <= rowCount; ++i) {
        csv += prefix + "-" + QByteArray::number(i).rightJustified(6, '0') + ",Patient "
            + QByteArray::number(i) + ",19" + QByteArray::number(30 + i % 70) + "-0"
            + QByteArray::number(1 + i % 9) + "-1" + QByteArray::number(i % 9)
            + (i % 2 ? ",female" : ",male") + ",Ward " + QByteArray::number(i % 12) + ",admitted\n";
    }
    return csv;
}

// Starts `POST /api/patients/import/validate` with @p csv as a text/csv body, unanswered.
QNetworkReply *startUpload(QNetworkAccessManager *nam, const QUrl &base, const QString &token,
                           const QByteArray &csv)
{
    QNetworkRequest request(base.resolved(QUrl(u"/api/patients/import/validate"_s)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("text/csv"));
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setTransferTimeout(0);
    return nam->post(request, csv);
}

} // namespace

class TestImportLarge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validationDoesNotHoldUpTheServer()
    {
        server::LivedeskServer server(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        ImportTestClient nurse(server.baseUrl());
        QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
        ImportEventSubscriber events;
        QVERIFY(events.connect(server.baseUrl(), nurse.token(), {u"patients"_s}));

        // Stored before the upload: row 7 of the file conflicts with it.
        QCOMPARE(nurse.rest()
                     .post(u"/api/patients"_s,
                           QJsonDocument(QJsonObject{{u"hn"_s, u"VAL-000007"_s},
                                                     {u"name"_s, u"Already here"_s}}))
                     .status,
                 201);
        constexpr int rowCount = 200000;
        QNetworkAccessManager nam;
        std::unique_ptr<QNetworkReply> upload(
            startUpload(&nam, server.baseUrl(), nurse.token(), patientCsv("VAL", rowCount)));
        QTRY_COMPARE_WITH_TIMEOUT(server.imports()->validationCount(), 1, 30000);

        // While the file is being checked, writes are answered and their events delivered.
        const auto created = nurse.rest().post(
            u"/api/patients"_s,
            QJsonDocument(QJsonObject{{u"hn"_s, u"VAL-DURING"_s}, {u"name"_s, u"Meanwhile"_s}}));
        QCOMPARE(created.status, 201);
        QTRY_VERIFY(events.hasEventFor(u"VAL-DURING"_s));
        QVERIFY2(!upload->isFinished(), "the upload was answered before the write");
        QCOMPARE(server.imports()->validationCount(), 1);

        QVERIFY(QTest::qWaitFor([&] { return upload->isFinished(); }, 120000));
        QCOMPARE(upload->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject data
            = QJsonDocument::fromJson(upload->readAll()).object().value(u"data").toObject();
        const QJsonObject summary = data.value(u"summary").toObject();
        QCOMPARE(summary.value(u"totalRows").toInt(), rowCount);
        QCOMPARE(summary.value(u"validRows").toInt(), rowCount - 1);
        const QJsonArray errors = data.value(u"errors").toArray();
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0).toObject().value(u"row").toInt(), 7);
        QCOMPARE(errors.at(0).toObject().value(u"code").toString(), u"UNIQUE"_s);
        QCOMPARE(server.imports()->validationCount(), 0);
    }

    void clientLeavingMidValidationLosesNothingElse()
    {
        server::LivedeskServer server(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        ImportTestClient nurse(server.baseUrl());
        QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
        const int sessionsBefore = server.imports()->sessionCount();

        QNetworkAccessManager nam;
        std::unique_ptr<QNetworkReply> upload(
            startUpload(&nam, server.baseUrl(), nurse.token(), patientCsv("GONE", 100000)));
        QTRY_COMPARE_WITH_TIMEOUT(server.imports()->validationCount(), 1, 30000);
        upload->abort();
        upload.reset();
        // The check runs to its end; its answer has nobody to go to and is dropped.
        QTRY_COMPARE_WITH_TIMEOUT(server.imports()->validationCount(), 0, 120000);
        QCOMPARE(server.imports()->sessionCount(), sessionsBefore + 1);
        QCOMPARE(nurse.rest().get(u"/api/health"_s).status, 200);
        const auto small = nurse.upload(u"/api/patients"_s, "hn,name\nGONE-X,Next\n");
        QCOMPARE(small.status, 200);
    }

    void stoppingMidValidationAnswersOrCloses()
    {
        auto server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(server->start(&error), qPrintable(error));
        ImportTestClient nurse(server->baseUrl());
        QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
        QNetworkAccessManager nam;
        std::unique_ptr<QNetworkReply> upload(
            startUpload(&nam, server->baseUrl(), nurse.token(), patientCsv("STOP", 200000)));
        QTRY_COMPARE_WITH_TIMEOUT(server->imports()->validationCount(), 1, 30000);
        server->stop();
        // The client learns at once: a 503 saying why, or the closed connection.
        QVERIFY(QTest::qWaitFor([&] { return upload->isFinished(); }, 10000));
        const int status = upload->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QVERIFY2(status == 503 || upload->error() != QNetworkReply::NoError,
                 qPrintable(QString::number(status)));
        server.reset();
    }

    void hundredThousandRows_data()
    {
        QTest::addColumn<bool>("onDisk");
        QTest::newRow("in memory") << false;
        QTest::newRow("file (WAL)") << true;
    }
    void hundredThousandRows()
    {
        QFETCH(bool, onDisk);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        server::LivedeskServer::Options options;
        if (onDisk)
            options.databasePath = dir.filePath(u"large.sqlite"_s);
        server::LivedeskServer server(options);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        ImportTestClient nurse(server.baseUrl());
        QVERIFY(nurse.login(u"nurse@demo.local"_s, u"nurse"_s));
        ImportEventSubscriber events;
        QVERIFY(events.connect(server.baseUrl(), nurse.token(), {u"patients"_s}));

        constexpr int rowCount = 100000;
        QByteArray csv = "hn,name,date_of_birth,sex,ward,status\n";
        csv.reserve(rowCount * 64);
        for (int i = 1; i <= rowCount; ++i) {
            csv += "BIG-" + QByteArray::number(i).rightJustified(6, '0') + ",Patient "
                + QByteArray::number(i) + ",19" + QByteArray::number(30 + i % 70) + "-0"
                + QByteArray::number(1 + i % 9) + "-1" + QByteArray::number(i % 9)
                + (i % 2 ? ",female" : ",male") + ",Ward " + QByteArray::number(i % 12)
                + ",admitted\n";
        }

        QElapsedTimer clock;
        clock.start();
        const auto v = nurse.upload(u"/api/patients"_s, csv, u"big.csv"_s);
        const qint64 validateMs = clock.elapsed();
        QCOMPARE(v.status, 200);
        const QJsonObject summary = v.data().toObject().value(u"summary").toObject();
        QCOMPARE(summary.value(u"validRows").toInt(), rowCount);
        QCOMPARE(summary.value(u"invalidRows").toInt(), 0);

        clock.restart();
        const auto x
            = nurse.execute(u"/api/patients"_s, v.data().toObject().value(u"sessionId").toString());
        QCOMPARE(x.status, 202);
        const QString jobId = x.data().toObject().value(u"jobId").toString();

        // The server keeps answering while the job runs.
        const auto health = nurse.rest().get(u"/api/health"_s);
        QCOMPARE(health.status, 200);
        const QString during
            = nurse.status(u"/api/patients"_s, jobId).data().toObject().value(u"status").toString();
        QVERIFY2(during == u"pending" || during == u"processing", qPrintable(during));

        QTRY_COMPARE_WITH_TIMEOUT(events.lastStatus(jobId), u"completed"_s, 300000);
        const double seconds = clock.elapsed() / 1000.0;
        const auto received = events.progressOf(jobId);
        const QJsonObject last = received.last().event.data().toObject();
        QCOMPARE(last.value(u"successCount").toInt(), rowCount);
        QCOMPARE(last.value(u"processedRecords").toInt(), rowCount);
        QCOMPARE(last.value(u"progress").toInt(), 100);
        QCOMPARE(nurse.count(u"/api/patients"_s, u"BIG-"_s), rowCount);

        // A throttle, not a timing assertion: the bound is loose on purpose.
        const qsizetype eventCount = received.size();
        QVERIFY2(eventCount <= 10 * std::ceil(seconds) + 5,
                 qPrintable(u"%1 events in %2 s"_s.arg(eventCount).arg(seconds)));
        QVERIFY(eventCount >= 2); // at least the start and the end
        qInfo().nospace().noquote()
            << QTest::currentDataTag() << ": imported " << rowCount << " rows in " << seconds
            << " s: " << qRound(rowCount / seconds) << " rows/s (validation " << validateMs
            << " ms, " << qRound(rowCount * 1000.0 / validateMs) << " rows/s); " << eventCount
            << " progress events";
    }
};

QTEST_GUILESS_MAIN(TestImportLarge)
#include "tst_importlarge.moc"
