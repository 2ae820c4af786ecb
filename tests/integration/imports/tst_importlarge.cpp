// SPDX-License-Identifier: MIT
// A 100 000-row file: it completes, the server answers other requests meanwhile, and the
// progress events respect the throttle (≤ 10 per second per job, plus the final one).
#include "importeventsubscriber.h"
#include "importtestclient.h"
#include "livedeskserver.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace livedesk;
using test::ImportEventSubscriber;
using test::ImportTestClient;

class TestImportLarge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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
        const QJsonObject last = received.last().event.data.toObject();
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
