// SPDX-License-Identifier: MIT
#pragma once

#include "events/realtimeevent.h"
#include "rest/resterror.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QTimer>

namespace livedesk {

class ApiClient;
class RealtimeChannel;
class RestReply;

/**
 * Follows one import job to its end, so that a progress bar never sticks.
 *
 * The job is either started here (execute(): `POST import/execute` for a validation session)
 * or picked up by the id the server gave it (the constructor: a wizard reopened on a running
 * import). A job picked up by id asks for its status at once, since it may have ended long
 * ago and then no event will ever come.
 *
 * Progress comes from the `<camelModule>.import.progress` events on the channel (matched by
 * job id) while the socket is connected and talking; whenever it is not (disconnected, or no
 * progress event for pollIntervalMs()), the job polls `GET import/status/<jobId>` every
 * pollIntervalMs() (1 s) until events flow again or the job ends; refresh() asks at once.
 * Statuses only move forward (an older progress event arriving late does not move the bar
 * back). The job ends once, in completed, failed or cancelled, with its counts and error:
 * finished() is emitted and nothing more happens. A status request that fails is retried at
 * the next interval; after maxFailedPolls() (30) consecutive failures with no event either,
 * the job ends as `failed` with the last error (the job itself may still be running on the
 * server; the message says so). A server that answers `NOT_FOUND` has no such job: that
 * ends it as `failed` at once.
 *
 * cancel() asks the server to stop (`POST import/cancel/<jobId>`); the job then ends as the
 * server reports. When the server refuses or the request fails, cancelFailed() says why and
 * the job goes on as the server reports it.
 *
 * Where the server offers them (livedesk-server does), the job also knows when it started
 * and ended (startedAt(), finishedAt()) and which rows the database refused while importing
 * (executionErrors()). The progress events only count those rows; when a job that has any
 * ends by an event, the job fetches its status once more for the list before it reports the
 * end.
 */
class ImportJob : public QObject
{
    Q_OBJECT

public:
    enum class Status { Pending, Processing, Completed, Failed, Cancelled };
    Q_ENUM(Status)

    /// Starts following @p jobId of the resource at @p restPath (e.g. `/api/patients`), and
    /// asks for its status at once. @p channel may be null (polling only). Neither is owned;
    /// both must outlive the job.
    ImportJob(ApiClient *api, RealtimeChannel *channel, const QString &restPath,
              const QString &jobId, QObject *parent = nullptr);
    ~ImportJob() override;

    /**
     * Starts importing the validation session @p sessionId (`POST import/execute
     * {sessionId, options:{skipErrors}}`) and follows the job the server creates.
     *
     * The job listens on @p channel before the request goes out: the server may announce
     * the new job's progress, even its end, before its answer arrives with the job id. Such
     * events (the last 256 of those that may be this job's) are kept and, once the id is
     * known, those of this job are applied and the others dropped. jobId() is empty and
     * isStarting() true until the answer; started() then gives the id. When the server
     * refuses (an expired session, invalid rows not skipped) or the request fails, no job
     * exists: this one ends as failed at once, with the reason in errorText() and
     * startError(). A cancel() meanwhile is sent as soon as the id is known.
     */
    static ImportJob *execute(ApiClient *api, RealtimeChannel *channel, const QString &restPath,
                              const QString &sessionId, bool skipErrors, QObject *parent = nullptr);

    /// Empty while execute() waits for the server's answer (and for good if it refused).
    QString jobId() const { return m_jobId; }
    /// An execute() whose answer has not come yet.
    bool isStarting() const { return !m_executeReply.isNull(); }
    /// Why execute() failed: the server's error or a network one (null otherwise). Its code
    /// tells a refusal (`NOT_FOUND`: the validation session expired; `VALIDATION_ERROR`:
    /// invalid rows not skipped) from a request that did not get through and may be retried.
    RestError startError() const { return m_startError; }
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
    /// How many progress updates came from events and from polling, the periodic status
    /// requests that stand in for events when they do not flow (diagnostics, tests). The
    /// answers to the job's own requests count in neither: execute(), cancel(), refresh()
    /// and so the first status request of a job picked up by id (lastProgress() shows
    /// whether anything came at all).
    int eventUpdates() const { return m_eventUpdates; }
    int polledUpdates() const { return m_polledUpdates; }

    /// When the server began importing the rows (UTC): invalid until it says so (a pending
    /// job, a job cancelled before it began, or a server that does not report it).
    QDateTime startedAt() const { return m_startedAt; }
    /// When the job ended on the server (UTC): invalid until then, or when the server does
    /// not report it. Unlike the moment finished() is emitted, this is the server's time,
    /// also for a job that ended long before it was picked up.
    QDateTime finishedAt() const { return m_finishedAt; }

    /**
     * The rows the database refused while importing (valid at validation, refused when
     * stored: typically a unique value taken meanwhile), as the server lists them, like the
     * validation errors: `{row, line, field, code, message, value}`, one per refused field,
     * in row order. The server lists only the first ones (1,000 for livedesk-server); see
     * executionErrorCount(). The list comes with status answers, not with events: it is
     * complete (as far as the server lists it) once the job has finished.
     */
    QJsonArray executionErrors() const { return m_executionErrors; }
    /// How many entries executionErrors() would have without the server's limit.
    int executionErrorCount() const { return m_executionErrorCount; }
    /// executionErrors() lists fewer than executionErrorCount(): more rows were refused than
    /// the server lists (or, while the job runs, than the last status answer listed).
    bool executionErrorsTruncated() const
    {
        return m_executionErrorCount > m_executionErrors.size();
    }

    void setPollIntervalMs(int ms);
    int pollIntervalMs() const { return m_pollIntervalMs; }
    void setMaxFailedPolls(int count) { m_maxFailedPolls = count; }
    int maxFailedPolls() const { return m_maxFailedPolls; }

    /// Asks the server for the job's status now rather than at the next poll (a view that
    /// is shown again, a user who asks). Nothing happens once the job has finished or
    /// before its id is known; if a status request is on its way, another follows its
    /// answer.
    void refresh();

    /**
     * Asks the server to cancel the job; it then ends as the server reports (normally
     * cancelled, with the rows of batches already stored counted). When the server refuses
     * (the job had already ended, a server that cannot cancel) or the request fails,
     * cancelFailed() says so and nothing changes here but what the server reports: a job
     * that ended meanwhile ends as it did, a running one goes on. Calls while a cancellation
     * is on its way, or after the end, do nothing.
     */
    void cancel();
    /// Why the last cancel() failed (null when it did not). A server without the route
    /// answers 404, 405 or 501 (`NOT_IMPLEMENTED`).
    RestError cancelError() const { return m_cancelError; }

    static QString statusName(Status status);
    static Status statusFromName(const QString &name, bool *ok = nullptr);

Q_SIGNALS:
    void progressChanged();
    /// After execute(): the server accepted the import and gave the job's id.
    void started(const QString &jobId);
    /// Once, when the job reached completed, failed or cancelled.
    void finished(livedesk::ImportJob::Status status);
    /// cancel() did not cancel the job: @p message says why, in a sentence for people.
    void cancelFailed(const QString &message);

private:
    // Where an update came from: a progress event, a periodic status request (both counted),
    // or the answer to a request of this job's own (execute, cancel, refresh()).
    enum class Source { Event, Poll, Answer };

    // Common set-up of both ways in; follows nothing yet.
    ImportJob(ApiClient *api, RealtimeChannel *channel, const QString &restPath, QObject *parent);

    void sendExecute(const QString &sessionId, bool skipErrors);
    void onExecuted(RestReply *reply);
    void onEvent(const RealtimeEvent &event);
    void applyEvent(const RealtimeEvent &event);
    void poll();
    void requestStatus(Source source);
    void onStatus(RestReply *reply, Source source);
    void onCancelled(RestReply *reply);
    void apply(const QJsonObject &progress, Source source);
    void finish(Status status, const QString &error);

    QPointer<ApiClient> m_api;
    QPointer<RealtimeChannel> m_channel;
    QString m_restPath;
    QString m_jobId;
    QString m_sessionId;
    Status m_status = Status::Pending;
    int m_progress = 0;
    int m_total = 0;
    int m_processed = 0;
    int m_success = 0;
    int m_failed = 0;
    QString m_error;
    QJsonObject m_last;
    QDateTime m_startedAt;
    QDateTime m_finishedAt;
    QJsonArray m_executionErrors;
    int m_executionErrorCount = 0;
    int m_eventUpdates = 0;
    int m_polledUpdates = 0;
    int m_pollIntervalMs = 1000;
    int m_maxFailedPolls = 30;
    int m_failedPolls = 0;
    QTimer m_pollTimer;
    QPointer<RestReply> m_pollReply;
    bool m_refreshAgain = false;
    QPointer<RestReply> m_executeReply;
    RestError m_startError;
    // Events that came while execute() waited for the job id.
    QList<RealtimeEvent> m_early;
    bool m_cancelWanted = false;
    QPointer<RestReply> m_cancelReply;
    RestError m_cancelError;
    // The final state an event announced, held while the status is fetched for the list of
    // refused rows; the job ends with whichever comes.
    QJsonObject m_endedByEvent;
    bool m_fetchedEndDetails = false;
};

} // namespace livedesk
