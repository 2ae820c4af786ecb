// SPDX-License-Identifier: MIT
// ImportJob against the whole server in-process: progress from events, from polling when
// there is no socket or it closes mid-job, failed and cancelled jobs, late events, exactly one
// finished(), a job object deleted while it works, jobs started here (execute()), picked up
// by id or unknown, refused cancellations, times and refused rows. A fake HTTP server stands
// in where the order of answers and events, or a refusal, must be the test's choice.
#include "events/realtimechannel.h"
#include "events/realtimeevent.h"
#include "importservice.h"
#include "livedeskserver.h"
#include "rest/apiclient.h"
#include "rest/restreply.h"
#include "restoutcome.h"
#include "socketio/socketioclient.h"
#include "state/importjob.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

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

RealtimeEvent progressEvent(const QString &jobId, const QString &status, int processed, int total,
                            const QJsonValue &sessionId = u"s"_s)
{
    RealtimeEvent e;
    e.name = u"patients.import.progress"_s;
    e.dialect = RealtimeEvent::Dialect::ImportProgress;
    e.feature = u"patients"_s;
    e.entity = u"import"_s;
    e.action = u"import_progress"_s;
    e.operationId = jobId;
    e.setData(QJsonObject{{u"jobId"_s, jobId},
                          {u"sessionId"_s, sessionId},
                          {u"status"_s, status},
                          {u"progress"_s, total > 0 ? processed * 100 / total : 0},
                          {u"totalRecords"_s, total},
                          {u"processedRecords"_s, processed},
                          {u"successCount"_s, processed},
                          {u"failedCount"_s, 0},
                          {u"error"_s, QJsonValue::Null}});
    return e;
}

// What the server's progress fields say for a job of @p total rows, @p processed of them
// imported.
QJsonObject progressFields(const QString &jobId, const QString &status, int processed, int total)
{
    return QJsonObject{{u"jobId"_s, jobId},
                       {u"sessionId"_s, u"s"_s},
                       {u"status"_s, status},
                       {u"progress"_s, total > 0 ? processed * 100 / total : 0},
                       {u"totalRecords"_s, total},
                       {u"processedRecords"_s, processed},
                       {u"successCount"_s, processed},
                       {u"failedCount"_s, 0},
                       {u"error"_s, QJsonValue::Null}};
}

// An HTTP server that answers as the test says: at once, or later (held requests).
class FakeHttpServer : public QObject
{
public:
    class Response
    {
    public:
        int status = 200;
        QJsonObject body;
    };
    /// The answer to "METHOD /path", or nullopt to hold the request until release().
    using Handler = std::function<std::optional<Response>(const QByteArray &request)>;

    explicit FakeHttpServer(Handler handler)
        : m_handler(std::move(handler))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

    static Response ok(const QJsonObject &data, int status = 200)
    {
        return {status, QJsonObject{{u"success"_s, true}, {u"data"_s, data}}};
    }
    static Response error(int status, const QString &code, const QString &message,
                          const QJsonObject &current = {})
    {
        QJsonObject e{{u"code"_s, code}, {u"message"_s, message}, {u"statusCode"_s, status}};
        if (!current.isEmpty())
            e.insert(u"current"_s, current);
        return {status, QJsonObject{{u"success"_s, false}, {u"error"_s, e}}};
    }

    /// "METHOD /path" of every request so far.
    QList<QByteArray> requests;
    int heldCount() const { return int(m_held.size()); }
    /// Answers the held requests with @p response.
    void release(const Response &response)
    {
        for (const QPointer<QTcpSocket> &socket : std::exchange(m_held, {})) {
            if (socket)
                respond(socket, response);
        }
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const auto end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        qsizetype length = 0;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        for (const QByteArray &line : lines) {
            const auto colon = line.indexOf(':');
            if (colon > 0
                && line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return;
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        const QByteArray request = first.value(0) + ' ' + first.value(1);
        m_buffers.remove(socket);
        requests.append(request);
        if (const std::optional<Response> response = m_handler(request))
            respond(socket, *response);
        else
            m_held.append(socket);
    }

    static void respond(QTcpSocket *socket, const Response &response)
    {
        const QByteArray body = QJsonDocument(response.body).toJson(QJsonDocument::Compact);
        socket->write("HTTP/1.1 " + QByteArray::number(response.status)
                      + " Whatever\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    Handler m_handler;
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<QPointer<QTcpSocket>> m_held;
};

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

    // Validates @p body; the session id, empty on failure (with a warning).
    QString validated(const QByteArray &body)
    {
        const RestOutcome v = await(m_api->importValidate(patients, body));
        if (!v.ok)
            qWarning() << "validate:" << v.error.toString();
        return v.data.toObject().value(u"sessionId").toString();
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

    void resumingByIdAsksAtOnce()
    {
        // A job that ended before it is picked up: no event will ever come for it.
        const QString jobId = startJob(csv(u"IJI"_s, 10));
        QVERIFY(!jobId.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(serverStatus(jobId).value(u"status").toString(), u"completed"_s,
                                  longWaitMs);
        auto c = connectChannel();
        QVERIFY(c);

        ImportJob job(m_api.get(), c->channel.get(), patients, jobId);
        QCOMPARE(job.pollIntervalMs(), 1000);
        QSignalSpy finished(&job, &ImportJob::finished);
        // Well before the first poll would have gone out.
        QVERIFY(finished.wait(700));
        QCOMPARE(job.status(), ImportJob::Status::Completed);
        QCOMPARE(job.successCount(), 10);
        QCOMPARE(job.lastProgress().value(u"jobId").toString(), jobId);
        // Its own request, not polling that stands in for events.
        QCOMPARE(job.polledUpdates(), 0);
        QCOMPARE(job.eventUpdates(), 0);
    }

    void unknownJobEndsAtOnce()
    {
        ImportJob job(m_api.get(), nullptr, patients, u"no-such-job"_s);
        job.setPollIntervalMs(300);
        QCOMPARE(job.maxFailedPolls(), 30);
        QSignalSpy finished(&job, &ImportJob::finished);
        // One answer is enough: not 30 polls (9 s) of asking again.
        QVERIFY(finished.wait(3000));
        QCOMPARE(job.status(), ImportJob::Status::Failed);
        QCOMPARE(finished.size(), 1);
        QVERIFY2(job.errorText().contains(u"no-such-job"_s), qPrintable(job.errorText()));
        QVERIFY2(job.errorText().contains(u"does not exist"_s), qPrintable(job.errorText()));
        QVERIFY2(!job.errorText().contains(u"may still be running"_s), qPrintable(job.errorText()));
        QTest::qWait(400);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(m_api->pendingCount(), 0);
    }

    void refreshAsksAtOnce()
    {
        // Each status answer has one more row processed than the one before.
        int asked = 0;
        FakeHttpServer fake(
            [&](const QByteArray &request) -> std::optional<FakeHttpServer::Response> {
                if (!request.startsWith("GET /api/patients/import/status/job-4"))
                    return FakeHttpServer::error(500, u"INTERNAL_ERROR"_s, u"unexpected"_s);
                ++asked;
                return FakeHttpServer::ok(progressFields(
                    u"job-4"_s, asked < 5 ? u"processing"_s : u"completed"_s, asked, 5));
            });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url());
        ImportJob job(&api, nullptr, patients, u"job-4"_s);
        job.setPollIntervalMs(60000);
        // The first answer: asked for at once.
        QTRY_COMPARE(job.processedRecords(), 1);
        job.refresh();
        QTRY_COMPARE(job.processedRecords(), 2);
        // A refresh while a request is on its way: one more follows its answer.
        job.refresh();
        job.refresh();
        QTRY_COMPARE(job.processedRecords(), 4);
        QTest::qWait(300);
        QCOMPARE(asked, 4);
        QCOMPARE(job.polledUpdates(), 0);
        QSignalSpy finished(&job, &ImportJob::finished);
        job.refresh();
        QVERIFY(finished.wait(10000));
        QCOMPARE(job.status(), ImportJob::Status::Completed);
        job.refresh(); // finished: nothing is sent
        QTest::qWait(100);
        QCOMPARE(asked, 5);
        QCOMPARE(api.pendingCount(), 0);
    }

    void executeFollowsTheNewJob()
    {
        auto c = connectChannel();
        QVERIFY(c);
        const QString sessionId = validated(csv(u"IJL"_s, 500));
        QVERIFY(!sessionId.isEmpty());
        std::unique_ptr<ImportJob> job(
            ImportJob::execute(m_api.get(), c->channel.get(), patients, sessionId, false));
        QVERIFY(job->isStarting());
        QVERIFY(job->jobId().isEmpty());
        QSignalSpy started(job.get(), &ImportJob::started);
        QSignalSpy finished(job.get(), &ImportJob::finished);
        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(started.size(), 1);
        QVERIFY(!job->isStarting());
        QCOMPARE(started.at(0).at(0).toString(), job->jobId());
        QCOMPARE(job->status(), ImportJob::Status::Completed);
        QCOMPARE(job->successCount(), 500);
        QVERIFY(job->startError().isNull());
        QCOMPARE(serverStatus(job->jobId()).value(u"status").toString(), u"completed"_s);
    }

    void executeRefusedEndsFailed()
    {
        std::unique_ptr<ImportJob> job(
            ImportJob::execute(m_api.get(), nullptr, patients, u"no-such-session"_s, false));
        QSignalSpy started(job.get(), &ImportJob::started);
        QSignalSpy finished(job.get(), &ImportJob::finished);
        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(job->status(), ImportJob::Status::Failed);
        QCOMPARE(job->startError().code, u"NOT_FOUND"_s);
        QVERIFY2(job->errorText().contains(u"expired"_s), qPrintable(job->errorText()));
        QVERIFY(job->jobId().isEmpty());
        QCOMPARE(started.size(), 0);
        QTest::qWait(100);
        QCOMPARE(finished.size(), 1);
    }

    void executeKeepsEventsThatOvertakeItsAnswer()
    {
        // The answer to execute is held back; the job's events come first, as they may from
        // a server that announces the job before it answers.
        FakeHttpServer fake(
            [](const QByteArray &request) -> std::optional<FakeHttpServer::Response> {
                if (request.startsWith("POST /api/patients/import/execute"))
                    return std::nullopt;
                return FakeHttpServer::error(500, u"INTERNAL_ERROR"_s, u"unexpected"_s);
            });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url());
        SocketIoClient client;
        RealtimeChannel channel(&client);
        std::unique_ptr<ImportJob> job(
            ImportJob::execute(&api, &channel, patients, u"session-1"_s, false));
        job->setPollIntervalMs(60000);
        QSignalSpy started(job.get(), &ImportJob::started);
        QSignalSpy finished(job.get(), &ImportJob::finished);
        QTRY_COMPARE(fake.heldCount(), 1);

        Q_EMIT channel.eventReceived(
            progressEvent(u"job-7"_s, u"processing"_s, 5, 10, u"session-1"_s));
        // Another import of the same user, which says so.
        Q_EMIT channel.eventReceived(
            progressEvent(u"job-8"_s, u"completed"_s, 3, 3, u"session-2"_s));
        // Many of an import that does not say its session: kept within bounds, the oldest
        // dropped first.
        for (int i = 0; i < 1000; ++i) {
            Q_EMIT channel.eventReceived(
                progressEvent(u"job-9"_s, u"processing"_s, i, 1000, QJsonValue::Null));
        }
        Q_EMIT channel.eventReceived(
            progressEvent(u"job-7"_s, u"completed"_s, 10, 10, u"session-1"_s));
        QCOMPARE(job->status(), ImportJob::Status::Pending);
        QCOMPARE(job->processedRecords(), 0);
        QVERIFY(!job->isFinished());

        QJsonObject accepted = progressFields(u"job-7"_s, u"pending"_s, 0, 10);
        accepted.insert(u"sessionId"_s, u"session-1"_s);
        fake.release(FakeHttpServer::ok(accepted, 202));
        QVERIFY(finished.wait(10000));
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.at(0).at(0).toString(), u"job-7"_s);
        QCOMPARE(job->jobId(), u"job-7"_s);
        QCOMPARE(job->status(), ImportJob::Status::Completed);
        QCOMPARE(job->successCount(), 10);
        QCOMPARE(job->totalRecords(), 10);
        QCOMPARE(job->eventUpdates(), 1); // the older event of job-7 was dropped as overflow
        QCOMPARE(job->polledUpdates(), 0);
        QCOMPARE(fake.requests.size(), 1);
    }

    void cancelBeforeTheJobIdIsKnown()
    {
        slowDown();
        auto c = connectChannel();
        QVERIFY(c);
        const QString sessionId = validated(csv(u"IJM"_s, 20000));
        QVERIFY(!sessionId.isEmpty());
        std::unique_ptr<ImportJob> job(
            ImportJob::execute(m_api.get(), c->channel.get(), patients, sessionId, false));
        QSignalSpy cancelFailed(job.get(), &ImportJob::cancelFailed);
        job->cancel();
        QSignalSpy finished(job.get(), &ImportJob::finished);
        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(job->status(), ImportJob::Status::Cancelled);
        QVERIFY(job->successCount() < 20000);
        QCOMPARE(serverStatus(job->jobId()).value(u"status").toString(), u"cancelled"_s);
        QCOMPARE(cancelFailed.size(), 0);
    }

    void cancelFailureIsReported()
    {
        // The server refuses, and the job goes on as the server says.
        const QJsonObject running = progressFields(u"job-1"_s, u"processing"_s, 5, 10);
        FakeHttpServer fake(
            [&](const QByteArray &request) -> std::optional<FakeHttpServer::Response> {
                if (request.startsWith("GET /api/patients/import/status/job-1"))
                    return FakeHttpServer::ok(running);
                if (request.startsWith("POST /api/patients/import/cancel/job-1")) {
                    return FakeHttpServer::error(
                        403, u"FORBIDDEN"_s,
                        u"Only the user who started an import may cancel it"_s);
                }
                return FakeHttpServer::error(500, u"INTERNAL_ERROR"_s, u"unexpected"_s);
            });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url());
        ImportJob job(&api, nullptr, patients, u"job-1"_s);
        job.setPollIntervalMs(60000);
        QTRY_COMPARE(job.status(), ImportJob::Status::Processing);
        QSignalSpy cancelFailed(&job, &ImportJob::cancelFailed);
        job.cancel();
        job.cancel(); // one request at a time
        QVERIFY(cancelFailed.wait(10000));
        const QString message = cancelFailed.at(0).at(0).toString();
        QVERIFY2(message.contains(u"Only the user who started an import may cancel it"_s),
                 qPrintable(message));
        QCOMPARE(job.cancelError().code, u"FORBIDDEN"_s);
        QCOMPARE(job.status(), ImportJob::Status::Processing);
        QVERIFY(!job.isFinished());
        // Asked the server again what it says (the first request was the job's own).
        QTRY_COMPARE(job.polledUpdates(), 1);
        QCOMPARE(job.status(), ImportJob::Status::Processing);
        QCOMPARE(cancelFailed.size(), 1);
        QCOMPARE(fake.requests.count("POST /api/patients/import/cancel/job-1"), 1);
    }

    void cancelOfAnEndedJobSaysSoAndEndsAsItDid()
    {
        const QJsonObject running = progressFields(u"job-2"_s, u"processing"_s, 5, 10);
        const QJsonObject completed = progressFields(u"job-2"_s, u"completed"_s, 10, 10);
        FakeHttpServer fake(
            [&](const QByteArray &request) -> std::optional<FakeHttpServer::Response> {
                if (request.startsWith("GET /api/patients/import/status/job-2"))
                    return FakeHttpServer::ok(running);
                return FakeHttpServer::error(409, u"JOB_ALREADY_FINISHED"_s,
                                             u"Import job job-2 is already completed"_s, completed);
            });
        QVERIFY(fake.listen());
        ApiClient api;
        api.setBaseUrl(fake.url());
        ImportJob job(&api, nullptr, patients, u"job-2"_s);
        job.setPollIntervalMs(60000);
        QTRY_COMPARE(job.status(), ImportJob::Status::Processing);
        QList<QString> order;
        connect(&job, &ImportJob::cancelFailed, this,
                [&](const QString &message) { order.append(u"cancelFailed: "_s + message); });
        connect(&job, &ImportJob::finished, this, [&] { order.append(u"finished"_s); });
        job.cancel();
        QTRY_COMPARE(order.size(), 2);
        QVERIFY2(order.at(0).contains(u"already ended (completed)"_s), qPrintable(order.at(0)));
        QCOMPARE(order.at(1), u"finished"_s);
        QCOMPARE(job.status(), ImportJob::Status::Completed);
        QCOMPARE(job.successCount(), 10);
    }

    void cancelThatCannotReachTheServerIsReported()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        ApiClient unreachable;
        unreachable.setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
        ImportJob job(&unreachable, nullptr, patients, u"job-3"_s);
        job.setPollIntervalMs(60000);
        QSignalSpy cancelFailed(&job, &ImportJob::cancelFailed);
        job.cancel();
        QVERIFY(cancelFailed.wait(10000));
        QVERIFY2(cancelFailed.at(0).at(0).toString().contains(u"could not be cancelled"_s),
                 qPrintable(cancelFailed.at(0).at(0).toString()));
        QVERIFY(job.cancelError().isNetworkError());
        QCOMPARE(job.status(), ImportJob::Status::Pending);
        QVERIFY(!job.isFinished());
    }

    void timesAndRefusedRowsFromTheServer()
    {
        auto limited = m_defaultOptions;
        limited.reportedErrors = 1;
        m_server->imports()->setOptions(limited);
        auto c = connectChannel();
        QVERIFY(c);
        const QString sessionId
            = validated("hn,name\nIJN-000001,One\nIJN-000002,Two\nIJN-000003,Three\n");
        QVERIFY(!sessionId.isEmpty());
        // Rows 2 and 3 are stored by someone else between validation and execution.
        for (const QString &hn : {u"IJN-000002"_s, u"IJN-000003"_s}) {
            const RestOutcome created = await(
                m_api->create(patients, QJsonObject{{u"hn"_s, hn}, {u"name"_s, u"Faster"_s}}));
            QVERIFY2(created.ok, qPrintable(created.error.toString()));
        }
        const QDateTime before = QDateTime::currentDateTimeUtc();
        // No polling: the end comes by event, which counts the refused rows but does not
        // list them.
        std::unique_ptr<ImportJob> job(
            ImportJob::execute(m_api.get(), c->channel.get(), patients, sessionId, true));
        job->setPollIntervalMs(60000);
        QSignalSpy finished(job.get(), &ImportJob::finished);
        QVERIFY(finished.wait(longWaitMs));
        QCOMPARE(job->status(), ImportJob::Status::Completed);
        QCOMPARE(job->successCount(), 1);
        QCOMPARE(job->failedCount(), 2);
        QVERIFY(job->eventUpdates() > 0);

        QCOMPARE(job->executionErrorCount(), 2);
        QVERIFY(job->executionErrorsTruncated());
        const QJsonArray refused = job->executionErrors();
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.at(0).toObject().value(u"row").toInt(), 2);
        QCOMPARE(refused.at(0).toObject().value(u"field").toString(), u"hn"_s);
        QCOMPARE(refused.at(0).toObject().value(u"value").toString(), u"IJN-000002"_s);

        const QJsonObject status = serverStatus(job->jobId());
        QVERIFY(job->startedAt().isValid());
        QVERIFY(job->finishedAt().isValid());
        QCOMPARE(job->startedAt().timeSpec(), Qt::UTC);
        QCOMPARE(job->startedAt().toString(Qt::ISODateWithMs),
                 status.value(u"startedAt").toString());
        QCOMPARE(job->finishedAt().toString(Qt::ISODateWithMs),
                 status.value(u"finishedAt").toString());
        QVERIFY(before <= job->startedAt());
        QVERIFY(job->startedAt() <= job->finishedAt());
        QVERIFY(job->finishedAt() <= QDateTime::currentDateTimeUtc());
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
