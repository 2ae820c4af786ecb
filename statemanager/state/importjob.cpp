// SPDX-License-Identifier: MIT
#include "state/importjob.h"

#include "events/realtimechannel.h"
#include "events/realtimeevent.h"
#include "importstatus.h"
#include "livedesklogging.h"
#include "rest/apiclient.h"
#include "rest/restreply.h"
#include "socketio/socketioclient.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

using Status = ImportJob::Status;

// Events kept while execute() waits for the job id: enough for any real wait (the server
// sends at most ten a second per job), bounded against a flood of other imports' events.
constexpr qsizetype maxEarlyEvents = 256;

bool isFinal(Status status)
{
    return ImportStatus::isFinal(ImportStatus::Value(status));
}

// Statuses only move forward along this order; the three final ones are never left.
int rank(Status status)
{
    switch (status) {
    case Status::Pending:
        return 0;
    case Status::Processing:
        return 1;
    case Status::Completed:
    case Status::Failed:
    case Status::Cancelled:
        return 2;
    }
    return 0;
}

int count(const QJsonObject &progress, QStringView key, int current)
{
    const QJsonValue v = progress.value(key);
    return v.isDouble() ? std::max(0, v.toInt()) : current;
}

// A time the server reported; @p current while it reports none (null means "not yet").
QDateTime reportedTime(const QJsonObject &progress, QStringView key, const QDateTime &current)
{
    const QDateTime t = QDateTime::fromString(progress.value(key).toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : current;
}

} // namespace

ImportJob::ImportJob(ApiClient *api, RealtimeChannel *channel, const QString &restPath,
                     QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_channel(channel)
    , m_restPath(restPath)
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &ImportJob::poll);

    if (!channel)
        return;
    connect(channel, &RealtimeChannel::eventReceived, this, &ImportJob::onEvent);
    if (SocketIoClient *client = channel->client()) {
        connect(client, &SocketIoClient::stateChanged, this,
                [this, wasConnected = client->isConnected()](SocketIoClient::State state) mutable {
                    const bool isConnected = state == SocketIoClient::State::Connected;
                    // The final event may be lost with the connection: ask at once.
                    if (wasConnected && !isConnected && !isFinished() && !m_pollReply)
                        m_pollTimer.start(0);
                    wasConnected = isConnected;
                });
    }
}

ImportJob::ImportJob(ApiClient *api, RealtimeChannel *channel, const QString &restPath,
                     const QString &jobId, QObject *parent)
    : ImportJob(api, channel, restPath, parent)
{
    m_jobId = jobId;
    qCDebug(lcState) << "Following import job" << jobId << "of" << restPath;
    // The job may have ended long ago, and then no event will ever come. The answer arrives
    // from the event loop, after the caller has connected to the signals.
    refresh();
}

ImportJob *ImportJob::execute(ApiClient *api, RealtimeChannel *channel, const QString &restPath,
                              const QString &sessionId, bool skipErrors, QObject *parent)
{
    auto *job = new ImportJob(api, channel, restPath, parent);
    job->sendExecute(sessionId, skipErrors);
    return job;
}

ImportJob::~ImportJob()
{
    if (m_pollReply) {
        disconnect(m_pollReply, nullptr, this, nullptr);
        m_pollReply->abort();
    }
}

bool ImportJob::isFinished() const
{
    return isFinal(m_status);
}

void ImportJob::setPollIntervalMs(int ms)
{
    m_pollIntervalMs = std::max(1, ms);
    if (m_pollTimer.isActive() && m_pollTimer.remainingTime() > m_pollIntervalMs)
        m_pollTimer.start(m_pollIntervalMs);
}

void ImportJob::refresh()
{
    if (isFinished() || m_jobId.isEmpty() || !m_endedByEvent.isEmpty())
        return;
    if (m_pollReply) {
        // That answer may tell of a state older than this call.
        m_refreshAgain = true;
        return;
    }
    requestStatus(Source::Answer);
}

void ImportJob::sendExecute(const QString &sessionId, bool skipErrors)
{
    m_sessionId = sessionId;
    if (!m_api) {
        // Ends from the event loop, after the caller has connected to the signals.
        m_startError = {u"NETWORK_ERROR"_s, u"There is no connection to the server."_s, 0, {}, {}};
        QMetaObject::invokeMethod(
            this,
            [this] {
                finish(Status::Failed,
                       u"The import could not be started: there is no connection to the "
                       "server."_s);
            },
            Qt::QueuedConnection);
        return;
    }
    qCDebug(lcState) << "Starting the import of validation session" << sessionId << "of"
                     << m_restPath << (skipErrors ? "(skipping invalid rows)" : "");
    RestReply *reply = m_api->importExecute(m_restPath, sessionId, skipErrors);
    m_executeReply = reply;
    connect(reply, &RestReply::finished, this, [this, reply] { onExecuted(reply); });
}

void ImportJob::onExecuted(RestReply *reply)
{
    m_executeReply = nullptr;
    if (isFinished())
        return;
    const QJsonObject state = reply->data().toObject();
    const QString jobId = RealtimeEvent::idText(state.value(u"jobId"));
    if (!reply->ok() || jobId.isEmpty()) {
        m_early.clear();
        m_startError = reply->ok()
            ? RestError{u"BAD_RESPONSE"_s,
                        u"The server accepted the import but did not say which job it "
                        "started."_s,
                        reply->httpStatus(),
                        {},
                        {}}
            : reply->error();
        const QString why
            = m_startError.message.isEmpty() ? m_startError.toString() : m_startError.message;
        qCDebug(lcState) << "Import of validation session" << m_sessionId
                         << "not started:" << m_startError.toString();
        finish(Status::Failed, u"The import could not be started: %1"_s.arg(why));
        return;
    }

    m_jobId = jobId;
    qCDebug(lcState) << "Import of validation session" << m_sessionId << "started as job" << jobId
                     << "after" << m_early.size() << "early events";
    const QList<RealtimeEvent> early = std::exchange(m_early, {});
    const QPointer<ImportJob> self(this);
    bool known = false;
    statusFromName(state.value(u"status").toString(), &known);
    if (known) {
        apply(state, Source::Answer);
        if (!self || isFinished())
            return;
    }
    Q_EMIT started(jobId);
    if (!self || isFinished())
        return;
    for (const RealtimeEvent &event : early) {
        if (event.operationId != jobId)
            continue;
        applyEvent(event);
        if (!self || isFinished() || !m_endedByEvent.isEmpty())
            return;
    }
    if (std::exchange(m_cancelWanted, false)) {
        cancel();
        if (!self || isFinished())
            return;
    }
    if (!m_pollTimer.isActive() && !m_pollReply)
        m_pollTimer.start(m_pollIntervalMs);
}

void ImportJob::cancel()
{
    if (isFinished() || !m_endedByEvent.isEmpty() || m_cancelReply)
        return;
    if (m_jobId.isEmpty()) {
        // Sent once the server has named the job.
        m_cancelWanted = isStarting();
        return;
    }
    if (!m_api) {
        m_cancelError = {u"NETWORK_ERROR"_s, u"There is no connection to the server."_s, 0, {}, {}};
        Q_EMIT cancelFailed(u"The import could not be cancelled: there is no connection to the "
                            "server. It may still be running."_s);
        return;
    }
    qCDebug(lcState) << "Cancelling import job" << m_jobId;
    RestReply *reply = m_api->importCancel(m_restPath, m_jobId);
    m_cancelReply = reply;
    connect(reply, &RestReply::finished, this, [this, reply] { onCancelled(reply); });
}

void ImportJob::onCancelled(RestReply *reply)
{
    m_cancelReply = nullptr;
    if (isFinished())
        return;
    const QPointer<ImportJob> self(this);
    if (reply->ok()) {
        m_cancelError = {};
        // The job's state after the cancellation, normally `cancelled`.
        if (reply->data().isObject()) {
            apply(reply->data().toObject(), Source::Answer);
            if (!self || isFinished())
                return;
        }
    } else {
        m_cancelError = reply->error();
        // JOB_ALREADY_FINISHED: the job ended meanwhile; livedesk-server says how in
        // `current`, others leave it to the next status request.
        const QJsonObject current = m_cancelError.current;
        bool ended = false;
        const Status endedAs = statusFromName(current.value(u"status").toString(), &ended);
        ended = ended && isFinal(endedAs);
        QString message;
        if (m_cancelError.code == u"JOB_ALREADY_FINISHED") {
            message = ended
                ? u"The import could not be cancelled: it had already ended (%1)."_s.arg(
                    statusName(endedAs))
                : u"The import could not be cancelled: it had already ended."_s;
        } else if (m_cancelError.isNetworkError()) {
            message = u"The import could not be cancelled: the server could not be reached (%1). "
                      "It may still be running."_s.arg(m_cancelError.message);
        } else {
            const QString said = m_cancelError.message.isEmpty() ? m_cancelError.toString()
                                                                 : m_cancelError.message;
            message = u"The server did not cancel the import: %1"_s.arg(said);
        }
        qCDebug(lcState) << "Import job" << m_jobId
                         << "was not cancelled:" << m_cancelError.toString();
        Q_EMIT cancelFailed(message);
        if (!self || isFinished())
            return;
        if (ended) {
            apply(current, Source::Answer);
            if (!self || isFinished())
                return;
        }
    }
    if (!m_pollReply && m_endedByEvent.isEmpty())
        m_pollTimer.start(0);
}

// The job's own enum (a Q_ENUM, for signals and debug output) in the wire's order.
static_assert(int(ImportJob::Status::Pending) == int(ImportStatus::Value::Pending)
              && int(ImportJob::Status::Processing) == int(ImportStatus::Value::Processing)
              && int(ImportJob::Status::Completed) == int(ImportStatus::Value::Completed)
              && int(ImportJob::Status::Failed) == int(ImportStatus::Value::Failed)
              && int(ImportJob::Status::Cancelled) == int(ImportStatus::Value::Cancelled));

QString ImportJob::statusName(Status status)
{
    return ImportStatus::name(ImportStatus::Value(status));
}

ImportJob::Status ImportJob::statusFromName(const QString &name, bool *ok)
{
    const auto status = ImportStatus::fromName(name);
    if (ok)
        *ok = status.has_value();
    return status ? Status(*status) : Status::Pending;
}

void ImportJob::onEvent(const RealtimeEvent &event)
{
    if (isFinished() || !m_endedByEvent.isEmpty() || !event.action.startsWith(u"import_"))
        return;
    if (m_jobId.isEmpty()) {
        if (!isStarting())
            return;
        // Another import's events are dropped now when they say so; the rest wait for the id.
        const QJsonValue session = event.data().toObject().value(u"sessionId");
        if (session.isString() && session.toString() != m_sessionId)
            return;
        if (m_early.size() >= maxEarlyEvents)
            m_early.removeFirst();
        m_early.append(event);
        return;
    }
    if (event.operationId == m_jobId)
        applyEvent(event);
}

void ImportJob::applyEvent(const RealtimeEvent &event)
{
    QJsonObject progress = event.data().toObject();
    if (!progress.contains(u"status")) {
        // Dialects that name the outcome in the event rather than in its data.
        QString status = u"processing"_s;
        if (event.action == u"import_completed")
            status = u"completed"_s;
        else if (event.action == u"import_failed")
            status = u"failed"_s;
        else if (event.action == u"import_cancelled")
            status = u"cancelled"_s;
        progress.insert(u"status"_s, status);
    }
    // Events flow: polling waits for the next silence.
    m_failedPolls = 0;
    m_pollTimer.start(m_pollIntervalMs);
    apply(progress, Source::Event);
}

void ImportJob::poll()
{
    requestStatus(Source::Poll);
}

void ImportJob::requestStatus(Source source)
{
    if (isFinished() || m_pollReply || m_jobId.isEmpty())
        return;
    m_pollTimer.stop();
    if (!m_api) {
        ++m_failedPolls;
        if (m_failedPolls >= m_maxFailedPolls) {
            finish(Status::Failed,
                   u"Lost track of import job %1: there is no connection to the server any "
                   "more. The import may still be running on the server."_s.arg(m_jobId));
        } else {
            m_pollTimer.start(m_pollIntervalMs);
        }
        return;
    }
    RestReply *reply = m_api->importStatus(m_restPath, m_jobId);
    m_pollReply = reply;
    connect(reply, &RestReply::finished, this, [this, reply, source] { onStatus(reply, source); });
}

void ImportJob::onStatus(RestReply *reply, Source source)
{
    m_pollReply = nullptr;
    if (isFinished())
        return;
    const QPointer<ImportJob> self(this);
    const QJsonObject progress = reply->data().toObject();
    bool known = false;
    const Status status = statusFromName(progress.value(u"status").toString(), &known);
    const bool answered = reply->ok() && known;

    if (!m_endedByEvent.isEmpty()) {
        // The job has ended; this answer was to bring its list of refused rows. Without a
        // final answer, it ends as the event said.
        const QJsonObject ended = std::exchange(m_endedByEvent, {});
        apply(answered && isFinal(status) ? progress : ended, Source::Answer);
        return;
    }

    if (answered) {
        m_failedPolls = 0;
        apply(progress, source);
        if (!self || isFinished())
            return;
    } else if (!reply->ok() && reply->error().code == u"NOT_FOUND") {
        // Asking again will not make it exist.
        finish(Status::Failed,
               u"Import job %1 does not exist on the server (or not for this account and "
               "resource), so there is no import to follow."_s.arg(m_jobId));
        return;
    } else {
        ++m_failedPolls;
        const QString why = reply->ok() ? u"the server's answer has no known status (%1)"_s.arg(
                                progress.value(u"status").toVariant().toString())
                                        : reply->error().toString();
        qCDebug(lcState) << "Status of import job" << m_jobId << "unavailable" << m_failedPolls
                         << "times in a row:" << why;
        if (m_failedPolls >= m_maxFailedPolls) {
            finish(Status::Failed,
                   u"Lost track of import job %1 after %2 failed status requests: %3. The "
                   "import may still be running on the server."_s.arg(
                       m_jobId, QString::number(m_failedPolls), why));
            return;
        }
    }
    if (std::exchange(m_refreshAgain, false)) {
        requestStatus(Source::Answer);
        return;
    }
    // Events, if any arrived meanwhile, have already pushed the next poll back.
    if (!m_pollTimer.isActive())
        m_pollTimer.start(m_pollIntervalMs);
}

void ImportJob::apply(const QJsonObject &progress, Source source)
{
    bool known = false;
    const Status status = statusFromName(progress.value(u"status").toString(), &known);
    if (!known) {
        qCWarning(lcState) << "Import job" << m_jobId << "reported the unknown status"
                           << progress.value(u"status");
        return;
    }
    const int processed = count(progress, u"processedRecords", m_processed);
    const int percent = std::clamp(count(progress, u"progress", m_progress), 0, 100);
    // A late, older update (an event overtaken by a status request, or the other way round)
    // must not move anything back.
    if (rank(status) < rank(m_status)
        || (status == m_status && (processed < m_processed || percent < m_progress))) {
        qCDebug(lcState) << "Ignoring an older update of import job" << m_jobId << progress;
        return;
    }

    const int errorCount = count(progress, u"executionErrorCount", m_executionErrorCount);
    if (isFinal(status) && source == Source::Event && !m_fetchedEndDetails && m_api
        && errorCount > 0 && !progress.value(u"executionErrors").isArray()) {
        // Events count the refused rows, the status lists them: fetch it before ending.
        m_fetchedEndDetails = true;
        m_endedByEvent = progress;
        ++m_eventUpdates;
        m_pollTimer.stop();
        if (m_pollReply) {
            // Asked before the end: its answer may not list them all yet.
            disconnect(m_pollReply, nullptr, this, nullptr);
            m_pollReply->abort();
            m_pollReply = nullptr;
        }
        m_refreshAgain = false;
        requestStatus(Source::Answer);
        return;
    }

    const int total = count(progress, u"totalRecords", m_total);
    const int success = count(progress, u"successCount", m_success);
    const int failed = count(progress, u"failedCount", m_failed);
    const QString error = progress.value(u"error").toString();
    const QDateTime startedAt = reportedTime(progress, u"startedAt", m_startedAt);
    const QDateTime finishedAt = reportedTime(progress, u"finishedAt", m_finishedAt);
    const QJsonValue listed = progress.value(u"executionErrors");
    const QJsonArray executionErrors = listed.isArray() ? listed.toArray() : m_executionErrors;
    const bool changed = status != m_status || processed != m_processed || percent != m_progress
        || total != m_total || success != m_success || failed != m_failed || error != m_error
        || startedAt != m_startedAt || finishedAt != m_finishedAt
        || errorCount != m_executionErrorCount || executionErrors != m_executionErrors;
    m_progress = status == Status::Completed ? 100 : percent;
    m_total = total;
    m_processed = processed;
    m_success = success;
    m_failed = failed;
    m_error = error;
    m_startedAt = startedAt;
    m_finishedAt = finishedAt;
    m_executionErrors = executionErrors;
    m_executionErrorCount = std::max(errorCount, int(executionErrors.size()));
    m_last = progress;
    if (source == Source::Event)
        ++m_eventUpdates;
    else if (source == Source::Poll)
        ++m_polledUpdates;

    if (isFinal(status)) {
        QString why = error;
        if (why.isEmpty() && status == Status::Failed)
            why = u"The server reported import job %1 as failed without giving a reason."_s.arg(
                m_jobId);
        finish(status, why);
        return;
    }
    m_status = status;
    if (changed)
        Q_EMIT progressChanged();
}

void ImportJob::finish(Status status, const QString &error)
{
    if (isFinished())
        return;
    m_status = status;
    m_error = error;
    m_early.clear();
    m_endedByEvent = {};
    m_pollTimer.stop();
    if (m_pollReply) {
        disconnect(m_pollReply, nullptr, this, nullptr);
        m_pollReply->abort();
        m_pollReply = nullptr;
    }
    if (m_channel) {
        disconnect(m_channel, nullptr, this, nullptr);
        if (SocketIoClient *client = m_channel->client())
            disconnect(client, nullptr, this, nullptr);
    }
    qCDebug(lcState) << "Import job" << m_jobId << "ended" << statusName(status) << m_success
                     << "imported," << m_failed << "failed" << error
                     << "(updates:" << m_eventUpdates << "from events," << m_polledUpdates
                     << "polled)";
    const QPointer<ImportJob> self(this);
    Q_EMIT progressChanged();
    if (self)
        Q_EMIT finished(status);
}

} // namespace livedesk
