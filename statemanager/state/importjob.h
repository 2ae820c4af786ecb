// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QTimer>

namespace livedesk {

class ApiClient;
class RealtimeChannel;
class RealtimeEvent;
class RestReply;

/**
 * Follows one import job (`POST import/execute` gave its id) to its end, so that a progress
 * bar never sticks.
 *
 * Progress comes from the `<camelModule>.import.progress` events on the channel (matched by
 * job id) while the socket is connected and talking; whenever it is not (disconnected, or no
 * progress event for pollIntervalMs()), the job polls `GET import/status/<jobId>` every
 * pollIntervalMs() (1 s) until events flow again or the job ends. Statuses only move forward
 * (an older progress event arriving late does not move the bar back). The job ends once, in
 * completed, failed or cancelled, with its counts and error: finished() is emitted and nothing
 * more happens. A status request that fails is retried at the next interval; after
 * maxFailedPolls() (30) consecutive failures with no event either, the job ends as `failed`
 * with the last error (the job itself may still be running on the server; the message says
 * so).
 *
 * cancel() asks the server to stop (`POST import/cancel/<jobId>`); the job then ends as the
 * server reports.
 */
class ImportJob : public QObject
{
    Q_OBJECT

public:
    enum class Status { Pending, Processing, Completed, Failed, Cancelled };
    Q_ENUM(Status)

    /// Starts following @p jobId of the resource at @p restPath (e.g. `/api/patients`).
    /// @p channel may be null (polling only). Neither is owned; both must outlive the job.
    ImportJob(ApiClient *api, RealtimeChannel *channel, const QString &restPath,
              const QString &jobId, QObject *parent = nullptr);
    ~ImportJob() override;

    QString jobId() const { return m_jobId; }
    Status status() const { return m_status; }
    bool isFinished() const;
    /// 0..100.
    int progress() const { return m_progress; }
    int totalRecords() const { return m_total; }
    int processedRecords() const { return m_processed; }
    int successCount() const { return m_success; }
    int failedCount() const { return m_failed; }
    /// The server's error text for a failed job, or why following it failed.
    QString errorText() const { return m_error; }
    /// The last progress object as received (event data or status response).
    QJsonObject lastProgress() const { return m_last; }
    /// How many progress updates came from events and from polling (diagnostics, tests).
    int eventUpdates() const { return m_eventUpdates; }
    int polledUpdates() const { return m_polledUpdates; }

    void setPollIntervalMs(int ms);
    int pollIntervalMs() const { return m_pollIntervalMs; }
    void setMaxFailedPolls(int count) { m_maxFailedPolls = count; }
    int maxFailedPolls() const { return m_maxFailedPolls; }

    /// Asks the server to cancel the job.
    void cancel();

    static QString statusName(Status status);
    static Status statusFromName(const QString &name, bool *ok = nullptr);

Q_SIGNALS:
    void progressChanged();
    /// Once, when the job reached completed, failed or cancelled.
    void finished(livedesk::ImportJob::Status status);

private:
    void onEvent(const RealtimeEvent &event);
    void poll();
    void apply(const QJsonObject &progress, bool fromEvent);
    void finish(Status status, const QString &error);

    QPointer<ApiClient> m_api;
    QPointer<RealtimeChannel> m_channel;
    QString m_restPath;
    QString m_jobId;
    Status m_status = Status::Pending;
    int m_progress = 0;
    int m_total = 0;
    int m_processed = 0;
    int m_success = 0;
    int m_failed = 0;
    QString m_error;
    QJsonObject m_last;
    int m_eventUpdates = 0;
    int m_polledUpdates = 0;
    int m_pollIntervalMs = 1000;
    int m_maxFailedPolls = 30;
    int m_failedPolls = 0;
    QTimer m_pollTimer;
    QPointer<RestReply> m_pollReply;
};

} // namespace livedesk
