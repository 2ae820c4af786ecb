// SPDX-License-Identifier: MIT
// ImportJob against the whole server in-process: progress from events, from polling when
// there is no socket or it closes mid-job, failed and cancelled jobs, late events, exactly one
// finished(), and a job object deleted while it works.
#include "apiclient.h"
#include "importjob.h"
#include "importservice.h"
#include "livedeskserver.h"
#include "realtimechannel.h"
#include "realtimeevent.h"
#include "restoutcome.h"
#include "restreply.h"
#include "socketioclient.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QJsonArray>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk;
using livedesk::test::RestOutcome;

namespace {

const QString patients = u"/api/patients"_s;
constexpr int longWaitMs = 120000;

RestOutcome await(RestReply *reply, int timeoutMs = longWaitMs)
{
    return test::await(reply, timeoutMs);
}

// `hn,name` rows "<prefix>-000001"...
QByteArray csv(const QString &prefix, int rowCount)
{
    QByteArray out = "hn,name\n";
    out.reserve(rowCount * 24);
    for (int i = 1; i <= rowCount; ++i) {
        out += prefix.toUtf8() + '-' + QByteArray::number(i).rightJustified(6, '0') + ",Patient "
            + QByteArray::number(i) + '\n';
    }
    return out;
}

RealtimeEvent progressEvent(const QString &jobId, const QString &status, int processed, int total)
{
    RealtimeEvent e;
    e.name = u"patients.import.progress"_s;
    e.dialect = RealtimeEvent::Dialect::ImportProgress;
    e.feature = u"patients"_s;
    e.entity = u"import"_s;
    e.action = u"import_progress"_s;
    e.operationId = jobId;
    e.data = QJsonObject{{u"jobId"_s, jobId},
                         {u"sessionId"_s, u"s"_s},
                         {u"status"_s, status},
                         {u"progress"_s, total > 0 ? processed * 100 / total : 0},
                         {u"totalRecords"_s, total},
                         {u"processedRecords"_s, processed},
                         {u"successCount"_s, processed},
                         {u"failedCount"_s, 0},
                         {u"error"_s, QJsonValue::Null}};
    return e;
}

} // namespace

class TestImportJob : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;
    std::unique_ptr<ApiClient> m_api;
    server::ImportService::Options m_defaultOptions;

    // The socket and channel a workstation has, subscribed to patients.
    class Channel
    {
    public:
        std::unique_ptr<SocketIoClient> client;
        std::unique_ptr<RealtimeChannel> channel;
    };

    std::unique_ptr<Channel> connectChannel()
    {
        auto c = std::make_unique<Channel>();
        c->client = std::make_unique<SocketIoClient>();
        SocketIoClient::Options o;
        o.url = m_server->baseUrl();
        o.path = u"/api/ws/"_s;
        o.auth = {{u"token"_s, m_api->accessToken()}};
        o.reconnectionDelayMs = 100;
        c->client->setOptions(o);
        c->channel = std::make_unique<RealtimeChannel>(c->client.get());
        c->channel->setSubscription({u"patients"_s});
        QSignalSpy confirmed(c->channel.get(), &RealtimeChannel::subscriptionConfirmed);
        c->client->open();
        if (!confirmed.wait(10000))
            return nullptr;
        return c;
    }

    // Batches of 100 rows, 20 ms apart: a job of n rows takes at least n / 5 ms.
    void slowDown()
    {
        auto slow = m_defaultOptions;
        slow.batchSize = 100;
        slow.batchIntervalMs = 20;
        m_server->imports()->setOptions(slow);
    }

    // Validates @p body and executes it; the job id, empty on failure (with a warning).
    QString startJob(const QByteArray &body)
    {
        const RestOutcome v = await(m_api->importValidate(patients, body));
        if (!v.ok) {
            qWarning() << "validate:" << v.error.toString();
            return {};
        }
        const QString sessionId = v.data.toObject().value(u"sessionId").toString();
        const RestOutcome x = await(m_api->importExecute(patients, sessionId, false));
        if (!x.ok) {
            qWarning() << "execute:" << x.error.toString();
            return {};
        }
        return x.data.toObject().value(u"jobId").toString();
    }

    // The job's status as the server says it.
    QJsonObject serverStatus(const QString &jobId)
    {
        return await(m_api->importStatus(patients, jobId)).data.toObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_defaultOptions = m_server->imports()->options();
        m_api = std::make_unique<ApiClient>();
        m_api->setBaseUrl(m_server->baseUrl());
        const RestOutcome login = await(m_api->login(u"nurse@demo.local"_s, u"nurse"_s));
        QVERIFY2(login.ok, qPrintable(login.error.toString()));
        QVERIFY(!m_api->accessToken().isEmpty());
    }

    void cleanup() { m_server->imports()->setOptions(m_defaultOptions); }

    void cleanupTestCase()
    {
        m_api.reset();
        m_server.reset();
    }

    void statusNames()
    {
        using Status = ImportJob::Status;
        for (const Status s : {Status::Pending, Status::Processing, Status::Completed,
                               Status::Failed, Status::Cancelled}) {
            bool ok = false;
            QCOMPARE(ImportJob::statusFromName(ImportJob::statusName(s), &ok), s);
            QVERIFY(ok);
        }
        QCOMPARE(ImportJob::statusName(Status::Cancelled), u"cancelled"_s);
        bool ok = true;
        ImportJob::statusFromName(u"exploded"_s, &ok);
        QVERIFY(!ok);
    }

    void followsEventsToCompletion()
    {
        slowDown();
        auto c = connectChannel();
        QVERIFY(c);
        const QString jobId = startJob(csv(u"IJA"_s, 3000));
        QVERIFY(!jobId.isEmpty());

        ImportJob job(m_api.get(), c->channel.get(), patients, jobId);
        QCOMPARE(job.jobId(), jobId);
        QSignalSpy finished(&job, &ImportJob::finished);
        QList<int> progress;
        QList<int> processed;
        connect(&job, &ImportJob::progressChanged, this, [&] {
            progress.append(job.progress());
            processed.append(job.processedRecords());
        });

        QTRY_VERIFY_WITH_TIMEOUT(job.isFinished(), longWaitMs);
        QCOMPARE(job.status(), ImportJob::Status::Completed);
        QCOMPARE(job.totalRecords(), 3000);
        QCOMPARE(job.processedRecords(), 3000);
        QCOMPARE(job.successCount(), 3000);
        QCOMPARE(job.failedCount(), 0);
        QCOMPARE(job.progress(), 100);
        QVERIFY2(job.errorText().isEmpty(), qPrintable(job.errorText()));
        QVERIFY(job.eventUpdates() > 0);
        QCOMPARE(job.lastProgress().value(u"status").toString(), u"completed"_s);
        QCOMPARE(job.lastProgress().value(u"jobId").toString(), jobId);

        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).value<ImportJob::Status>(), ImportJob::Status::Completed);
        QVERIFY(!progress.isEmpty());
        for (qsizetype i = 1; i < progress.size(); ++i) {
            QVERIFY(progress.at(i) >= progress.at(i - 1));
            QVERIFY(processed.at(i) >= processed.at(i - 1));
        }
        // Nothing more happens after the end.
        const int updates = job.eventUpdates() + job.polledUpdates();
        QTest::qWait(300);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(job.eventUpdates() + job.polledUpdates(), updates);
    }

    void pollsWithoutChannel()
    {
        slowDown();
        const QString jobId = startJob(csv(u"IJB"_s, 2000));
        QVERIFY(!jobId.isEmpty());
        ImportJob job(m_api.get(), nullptr, patients, jobId);
        job.setPollIntervalMs(100);
        QCOMPARE(job.pollIntervalMs(), 100);
        QSignalSpy finished(&job, &ImportJob::finished);

        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(job.status(), ImportJob::Status::Completed);
        QCOMPARE(job.successCount(), 2000);
        QCOMPARE(job.processedRecords(), 2000);
        QCOMPARE(job.progress(), 100);
        QCOMPARE(job.eventUpdates(), 0);
        QVERIFY(job.polledUpdates() > 0);
        QTest::qWait(300);
        QCOMPARE(finished.size(), 1);
    }

    void pollingTakesOverWhenTheSocketCloses()
    {
        slowDown();
        auto c = connectChannel();
        QVERIFY(c);
        const QString jobId = startJob(csv(u"IJC"_s, 10000));
        QVERIFY(!jobId.isEmpty());
        ImportJob job(m_api.get(), c->channel.get(), patients, jobId);
        job.setPollIntervalMs(200);
        QSignalSpy finished(&job, &ImportJob::finished);

        QTRY_VERIFY_WITH_TIMEOUT(job.eventUpdates() > 0, longWaitMs);
        QVERIFY2(!job.isFinished(), "the job ended before the socket could be closed");
        const int polledBefore = job.polledUpdates();
        c->client->close();
        QTRY_COMPARE(c->client->state(), SocketIoClient::State::Disconnected);

        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(job.status(), ImportJob::Status::Completed);
        QCOMPARE(job.successCount(), 10000);
        QCOMPARE(job.processedRecords(), 10000);
        QVERIFY(job.polledUpdates() > polledBefore);
        QCOMPARE(finished.size(), 1);
    }

    void failedJobEndsFailed()
    {
        auto c = connectChannel();
        QVERIFY(c);
        const RestOutcome v
            = await(m_api->importValidate(patients, "hn,name\nIJD-000001,One\nIJD-000002,Two\n"));
        QVERIFY2(v.ok, qPrintable(v.error.toString()));
        // Someone stores row 2's HN between validation and execution: its batch fails.
        const RestOutcome created = await(m_api->create(
            patients, QJsonObject{{u"hn"_s, u"IJD-000002"_s}, {u"name"_s, u"Faster"_s}}));
        QVERIFY2(created.ok, qPrintable(created.error.toString()));
        const RestOutcome x = await(m_api->importExecute(
            patients, v.data.toObject().value(u"sessionId").toString(), false));
        QVERIFY2(x.ok, qPrintable(x.error.toString()));
        const QString jobId = x.data.toObject().value(u"jobId").toString();

        ImportJob job(m_api.get(), c->channel.get(), patients, jobId);
        QSignalSpy finished(&job, &ImportJob::finished);
        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(job.status(), ImportJob::Status::Failed);
        QCOMPARE(finished.at(0).at(0).value<ImportJob::Status>(), ImportJob::Status::Failed);
        QVERIFY2(job.errorText().contains(u"Row 2"_s), qPrintable(job.errorText()));
        QCOMPARE(job.successCount(), 0);
        QCOMPARE(job.totalRecords(), 2);
        QTest::qWait(300);
        QCOMPARE(finished.size(), 1);
    }

    void cancelEndsCancelled()
    {
        slowDown();
        auto c = connectChannel();
        QVERIFY(c);
        const QString jobId = startJob(csv(u"IJE"_s, 20000));
        QVERIFY(!jobId.isEmpty());
        ImportJob job(m_api.get(), c->channel.get(), patients, jobId);
        QSignalSpy finished(&job, &ImportJob::finished);

        QTRY_VERIFY_WITH_TIMEOUT(job.processedRecords() >= 300, longWaitMs);
        QVERIFY2(!job.isFinished(), "the job ended before it could be cancelled");
        job.cancel();
        job.cancel(); // twice is harmless
        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(job.status(), ImportJob::Status::Cancelled);
        QVERIFY(job.successCount() >= 300);
        QVERIFY(job.successCount() < 20000);
        QCOMPARE(job.successCount() % 100, 0); // whole batches
        QCOMPARE(serverStatus(jobId).value(u"status").toString(), u"cancelled"_s);
        QCOMPARE(serverStatus(jobId).value(u"successCount").toInt(), job.successCount());

        // The cancellation's answer, the last event and a poll may all report the end: once.
        QTest::qWait(1500);
        QCOMPARE(finished.size(), 1);
        job.cancel(); // finished: nothing is sent
        QTest::qWait(100);
        QCOMPARE(finished.size(), 1);
    }

    void lateOlderUpdatesDoNotMoveBack()
    {
        slowDown();
        auto c = connectChannel();
        QVERIFY(c);
        const QString jobId = startJob(csv(u"IJF"_s, 5000));
        QVERIFY(!jobId.isEmpty());
        ImportJob job(m_api.get(), c->channel.get(), patients, jobId);
        QSignalSpy finished(&job, &ImportJob::finished);

        QTRY_VERIFY_WITH_TIMEOUT(job.processedRecords() >= 1000, longWaitMs);
        QVERIFY2(!job.isFinished(), "the job ended too early for the test");
        const int processed = job.processedRecords();
        const int progress = job.progress();
        // An older progress event arriving late, as a reordering server may deliver it.
        Q_EMIT c->channel->eventReceived(progressEvent(jobId, u"processing"_s, 100, 5000));
        QVERIFY(job.processedRecords() >= processed);
        QVERIFY(job.progress() >= progress);
        QCOMPARE(job.status(), ImportJob::Status::Processing);
        Q_EMIT c->channel->eventReceived(progressEvent(jobId, u"pending"_s, 0, 5000));
        QCOMPARE(job.status(), ImportJob::Status::Processing);
        QVERIFY(job.processedRecords() >= processed);
        // Another job's events are not this one's.
        Q_EMIT c->channel->eventReceived(progressEvent(u"other-job"_s, u"completed"_s, 7, 7));
        QCOMPARE(job.status(), ImportJob::Status::Processing);

        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(job.status(), ImportJob::Status::Completed);
        QCOMPARE(job.successCount(), 5000);

        // After the end, a straggler changes nothing and signals nothing.
        QSignalSpy changed(&job, &ImportJob::progressChanged);
        Q_EMIT c->channel->eventReceived(progressEvent(jobId, u"processing"_s, 4900, 5000));
        QCOMPARE(job.status(), ImportJob::Status::Completed);
        QCOMPARE(job.processedRecords(), 5000);
        QCOMPARE(job.progress(), 100);
        QCOMPARE(changed.size(), 0);
        QCOMPARE(finished.size(), 1);
    }

    void finishedOnceWhenEventsAndPollsRace()
    {
        slowDown();
        auto c = connectChannel();
        QVERIFY(c);
        const QString jobId = startJob(csv(u"IJG"_s, 2000));
        QVERIFY(!jobId.isEmpty());
        ImportJob job(m_api.get(), c->channel.get(), patients, jobId);
        // Shorter than the gap between two events: polls run between them.
        job.setPollIntervalMs(10);
        int finishedCount = 0;
        connect(&job, &ImportJob::finished, this, [&] { ++finishedCount; });
        QTRY_VERIFY_WITH_TIMEOUT(job.isFinished(), longWaitMs);
        QCOMPARE(job.status(), ImportJob::Status::Completed);
        QCOMPARE(job.successCount(), 2000);
        QTest::qWait(500);
        QCOMPARE(finishedCount, 1);
    }

    void deletingMidJobIsSafe()
    {
        slowDown();
        auto c = connectChannel();
        QVERIFY(c);
        const QString jobId = startJob(csv(u"IJH"_s, 3000));
        QVERIFY(!jobId.isEmpty());

        // Deleted by the test while polls are in flight and events arrive.
        auto *job = new ImportJob(m_api.get(), c->channel.get(), patients, jobId);
        job->setPollIntervalMs(5);
        QTRY_VERIFY_WITH_TIMEOUT(job->eventUpdates() + job->polledUpdates() > 2, longWaitMs);
        delete job;

        // Deleted from its own signal.
        auto *other = new ImportJob(m_api.get(), nullptr, patients, jobId);
        other->setPollIntervalMs(5);
        QPointer<ImportJob> watched(other);
        connect(other, &ImportJob::progressChanged, other, [other] { other->deleteLater(); });
        QTRY_VERIFY_WITH_TIMEOUT(watched.isNull(), longWaitMs);

        // The server's job goes on, and the client side keeps working.
        QTRY_COMPARE_WITH_TIMEOUT(serverStatus(jobId).value(u"status").toString(), u"completed"_s,
                                  longWaitMs);
        QTest::qWait(200);
        QVERIFY(c->client->isConnected());
        QCOMPARE(m_api->pendingCount(), 0);
    }

    void givesUpAfterFailedPolls()
    {
        // A port nobody listens on: every status request fails at once.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        ApiClient unreachable;
        QUrl url;
        url.setScheme(u"http"_s);
        url.setHost(u"127.0.0.1"_s);
        url.setPort(port);
        unreachable.setBaseUrl(url);

        ImportJob job(&unreachable, nullptr, patients, u"job-1"_s);
        job.setPollIntervalMs(10);
        job.setMaxFailedPolls(3);
        QCOMPARE(job.maxFailedPolls(), 3);
        QSignalSpy finished(&job, &ImportJob::finished);
        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(job.status(), ImportJob::Status::Failed);
        QCOMPARE(job.polledUpdates(), 0);
        QVERIFY2(job.errorText().contains(u"job-1"_s), qPrintable(job.errorText()));
        QVERIFY2(job.errorText().contains(u"may still be running"_s), qPrintable(job.errorText()));
        QTest::qWait(100);
        QCOMPARE(finished.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestImportJob)
#include "tst_importjob.moc"
