// SPDX-License-Identifier: MIT
#include "importjob.h"

#include "apiclient.h"
#include "livedesklogging.h"
#include "realtimechannel.h"
#include "realtimeevent.h"
#include "restreply.h"
#include "socketioclient.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

using Status = ImportJob::Status;

bool isFinal(Status status)
{
    return status == Status::Completed || status == Status::Failed || status == Status::Cancelled;
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

} // namespace

ImportJob::ImportJob(ApiClient *api, RealtimeChannel *channel, const QString &restPath,
                     const QString &jobId, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_channel(channel)
    , m_restPath(restPath)
    , m_jobId(jobId)
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &ImportJob::poll);

    bool connected = false;
    if (channel) {
        connect(channel, &RealtimeChannel::eventReceived, this, &ImportJob::onEvent);
        if (SocketIoClient *client = channel->client()) {
            connected = client->isConnected();
            connect(client, &SocketIoClient::stateChanged, this,
                    [this, wasConnected = connected](SocketIoClient::State state) mutable {
                        const bool isConnected = state == SocketIoClient::State::Connected;
                        // The final event may be lost with the connection: ask at once.
                        if (wasConnected && !isConnected && !isFinished() && !m_pollReply)
                            m_pollTimer.start(0);
                        wasConnected = isConnected;
                    });
        }
    }
    // With no socket to bring events, the first status request goes out at once (from the
    // event loop, so that the caller can connect to the signals first).
    m_pollTimer.start(connected ? m_pollIntervalMs : 0);
    qCDebug(lcState) << "Following import job" << jobId << "of" << restPath
                     << (connected ? "through events" : "by polling");
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

void ImportJob::cancel()
{
    if (isFinished() || !m_api)
        return;
    qCDebug(lcState) << "Cancelling import job" << m_jobId;
    RestReply *reply = m_api->importCancel(m_restPath, m_jobId);
    connect(reply, &RestReply::finished, this, [this, reply] {
        if (isFinished())
            return;
        if (reply->ok() && reply->data().isObject()) {
            // The job's state after the cancellation, normally `cancelled`.
            const QPointer<ImportJob> self(this);
            apply(reply->data().toObject(), false);
            if (!self || isFinished())
                return;
        } else {
            // Typically JOB_ALREADY_FINISHED: the job ended meanwhile, and its status says how.
            qCDebug(lcState) << "Import job" << m_jobId
                             << "was not cancelled:" << reply->error().toString();
        }
        if (!m_pollReply)
            m_pollTimer.start(0);
    });
}

QString ImportJob::statusName(Status status)
{
    switch (status) {
    case Status::Pending:
        return u"pending"_s;
    case Status::Processing:
        return u"processing"_s;
    case Status::Completed:
        return u"completed"_s;
    case Status::Failed:
        return u"failed"_s;
    case Status::Cancelled:
        return u"cancelled"_s;
    }
    return {};
}

ImportJob::Status ImportJob::statusFromName(const QString &name, bool *ok)
{
    const QString n = name.trimmed();
    for (const Status s : {Status::Pending, Status::Processing, Status::Completed, Status::Failed,
                           Status::Cancelled}) {
        if (n.compare(statusName(s), Qt::CaseInsensitive) == 0) {
            if (ok)
                *ok = true;
            return s;
        }
    }
    // Spellings of older AegisX generations.
    if (n.compare(u"canceled", Qt::CaseInsensitive) == 0) {
        if (ok)
            *ok = true;
        return Status::Cancelled;
    }
    if (ok)
        *ok = false;
    return Status::Pending;
}

void ImportJob::onEvent(const RealtimeEvent &event)
{
    if (isFinished() || !event.action.startsWith(u"import_") || event.operationId != m_jobId)
        return;
    QJsonObject progress = event.data.toObject();
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
    apply(progress, true);
}

void ImportJob::poll()
{
    if (isFinished() || m_pollReply)
        return;
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
    connect(reply, &RestReply::finished, this, [this, reply] {
        m_pollReply = nullptr;
        if (isFinished())
            return;
        const QJsonObject progress = reply->data().toObject();
        bool known = false;
        statusFromName(progress.value(u"status").toString(), &known);
        if (reply->ok() && known) {
            m_failedPolls = 0;
            const QPointer<ImportJob> self(this);
            apply(progress, false);
            if (!self || isFinished())
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
        // Events, if any arrived meanwhile, have already pushed the next poll back.
        if (!m_pollTimer.isActive())
            m_pollTimer.start(m_pollIntervalMs);
    });
}

void ImportJob::apply(const QJsonObject &progress, bool fromEvent)
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

    const int total = count(progress, u"totalRecords", m_total);
    const int success = count(progress, u"successCount", m_success);
    const int failed = count(progress, u"failedCount", m_failed);
    const QString error = progress.value(u"error").toString();
    const bool changed = status != m_status || processed != m_processed || percent != m_progress
        || total != m_total || success != m_success || failed != m_failed || error != m_error;
    m_progress = status == Status::Completed ? 100 : percent;
    m_total = total;
    m_processed = processed;
    m_success = success;
    m_failed = failed;
    m_error = error;
    m_last = progress;
    if (fromEvent)
        ++m_eventUpdates;
    else
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
