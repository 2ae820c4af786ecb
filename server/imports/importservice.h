// SPDX-License-Identifier: MIT
#pragma once

#include "eventpublisher.h"
#include "httpresponse.h"
#include "importjobstate.h"
#include "importjobstore.h"
#include "importsession.h"
#include "importvalidator.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QThreadPool>
#include <QtCore/QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QHttpServerRequest;

namespace livedesk::server {

class RecordStore;
class ResourceSpec;
class ServerSchema;

/**
 * CSV imports for every resource of the schema: the AegisX import routes (docs/protocol.md;
 * docs/architecture.md, "The server").
 *
 * ApiServer hands over every request under `<resource base>/import/...` after checking the
 * bearer token; handle() answers it. Routes, relative to the resource's base path:
 *
 * - `GET import/template[?format=csv]`: a CSV file (`text/csv`, as an attachment named
 *   `<resource>-template.csv`) with a header row of the importable field names and one
 *   example row that itself validates. Only `csv` exists.
 * - `POST import/validate`: the file as `multipart/form-data` (form field `file`; the first
 *   part with a file name otherwise) or as a raw `text/csv` body. The CSV dialect is
 *   CsvReader's, the column and row rules ImportValidator's. A file that cannot be read at
 *   all (not UTF-8, empty, unterminated quote, header without rows) is 400 `BAD_REQUEST`; a
 *   header that does not fit the resource is 400 `VALIDATION_ERROR` with a detail per column.
 *   Otherwise 200 with `{sessionId, expiresAt, summary:{totalRows, validRows, invalidRows,
 *   errorCount}, errors:[{row, line, field, code, message, value}], errorsTruncated,
 *   preview}`: `errors` holds at most Options::reportedErrors entries, `preview` the first
 *   10 *valid* rows, typed, as they will be stored. Nothing is written. A large file takes
 *   seconds: the file is read and checked on a worker thread (at most two at a time), the
 *   rows then checked against the stored records a few thousand per event-loop turn, so the
 *   server goes on answering requests and sending events meanwhile; the answer comes when
 *   both are done.
 * - `POST import/execute {sessionId, options:{skipErrors}}`: 202 with the new job's status
 *   (`{jobId, status:"pending", ...}`, the fields of the status route). An unknown,
 *   expired or already executed session is 404 `NOT_FOUND`; its message names no ids (it
 *   is shown to users), the session id is in `details` (field `sessionId`). Without
 *   `skipErrors`, a session with any invalid row is refused with 400 `VALIDATION_ERROR` (its
 *   first 100 errors as details) and nothing is imported, as AegisX does; the session stays
 *   usable, so the client may execute again with `skipErrors`. With it, the valid rows are
 *   imported and the invalid ones count as failed.
 * - `GET import/status/:jobId`: the job's status (ImportJobState::toStatusJson()): the
 *   progress fields, when it started and ended (`startedAt`, `finishedAt`, ISO 8601 UTC,
 *   null until known) and the rows refused while importing (`executionErrors`, at most
 *   Options::reportedErrors, `executionErrorCount`, `executionErrorsTruncated`). From memory
 *   while it runs, from the job table afterwards, across restarts.
 * - `POST import/cancel/:jobId`: stops a pending or processing job before its next batch and
 *   answers 200 with its final state, `cancelled`. Rows of batches already committed stay
 *   imported (each batch is its own transaction); the counts say how many. A finished job
 *   is 409 `JOB_ALREADY_FINISHED` with the job in `error.current`.
 *
 * A job or session of another tenant (or of another resource) does not exist: 404.
 *
 * ## Sessions and jobs
 * Sessions (ImportSession) are kept in memory for Options::sessionLifetimeMs (30 minutes)
 * and used up by a successful execute; at most Options::maxSessionsPerTenant per tenant (the
 * oldest goes first). They hold every row in memory (several times the file), so the uploads
 * they come from, together with the uploads being checked, are budgeted: at most
 * Options::maxSessionBytesPerTenant bytes per tenant and Options::maxSessionBytes in all. A
 * validate that would exceed its tenant's budget is refused before anything is read: 413
 * `PAYLOAD_TOO_LARGE` when the file alone is larger than the budget, 429 `TOO_MANY_REQUESTS`
 * when the tenant's waiting files fill it, 503 `SERVICE_UNAVAILABLE` when all tenants' do;
 * the message says the sizes and what to do, `Retry-After` when the oldest session expires. Jobs
 * are persisted (ImportJobStore) when created and after each batch; a job found unfinished at
 * start-up (the process died) is marked `failed` with "interrupted by a server restart", and
 * shutdown() fails the running ones with "interrupted: the server stopped", so no status is ever
 * left at `processing`.
 *
 * Jobs run in the server's thread, one batch (Options::batchSize rows, 1000) per event-loop
 * turn, driven by a zero-delay timer and taking turns when several run, so requests keep
 * being answered during a long import. Each batch is one transaction with RecordStore::
 * importRows() and the job's new counts. Rows refused by the database at execution (a unique
 * value taken since validation) count as failed with `skipErrors`; without it that batch is
 * not imported (it counts as failed), the job stops as `failed` with the reason, and rows
 * of earlier batches stay. Either way the refused rows are listed in the job's
 * `executionErrors` like validation errors (row, line, field, code, message, value).
 *
 * ## Events
 * One stream only: `<importModule>.import.progress` with the progress fields
 * (ImportJobState::toProgressJson(): the status without the list of refused rows, which
 * only their count announces), published through the ProgressPublisher
 * (EventPublisher::publishImportProgress in the server) with the executing request's origin,
 * so it reaches the tenant's feature and entity rooms and the user's room. At most one event
 * per Options::progressIntervalMs (100 ms: ≤ 10 per second) per job, plus always the final
 * state. No per-record or bulk events are sent for imported rows: a client reloads when it
 * sees the job complete.
 */
class ImportService : public QObject
{
    Q_OBJECT

public:
    class Options
    {
    public:
        /// Rows per batch, and so per transaction.
        int batchSize = 1000;
        /// Delay between two batches (0: the next event-loop turn). Tests slow jobs down.
        int batchIntervalMs = 0;
        /// Least time between two progress events of one job (the final one excepted).
        int progressIntervalMs = 100;
        int sessionLifetimeMs = 30 * 60 * 1000;
        int maxSessionsPerTenant = 16;
        /// Upload bytes held by one tenant's sessions and validations (a million-row file,
        /// ~70 MB, fits).
        qint64 maxSessionBytesPerTenant = 128 * 1024 * 1024;
        /// Upload bytes held by all sessions and validations.
        qint64 maxSessionBytes = 256 * 1024 * 1024;
        int previewRows = 10;
        int reportedErrors = 1000;
    };

    /// Sends a progress object for @p resource on behalf of @p origin.
    using ProgressPublisher
        = std::function<void(const ResourceSpec &resource, const QJsonObject &progress,
                             const EventPublisher::Origin &origin)>;

    /// @p schema and @p store must outlive the service; the store must be open.
    ImportService(const ServerSchema &schema, RecordStore *store, QObject *parent = nullptr);
    ~ImportService() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    void setProgressPublisher(ProgressPublisher publisher) { m_publish = std::move(publisher); }

    /// Sets up the job table and fails the jobs a previous process left unfinished.
    bool open(QString *error);
    /// Stops every running job (persisted and announced as failed) and drops the sessions.
    /// Call before the store closes.
    void shutdown();

    /**
     * Answers an import request. @p rest is the path after the resource's base path
     * (`import/validate`, `import/status/<id>`, ...); @p origin names the caller's tenant
     * and user (already authenticated) and the socket session and client transaction the
     * request gave, which progress events carry.
     */
    HttpResponse handle(const ResourceSpec &resource, const QString &rest,
                        const QHttpServerRequest &request, const EventPublisher::Origin &origin);

    int runningJobCount() const { return int(m_running.size()); }
    int sessionCount() const { return int(m_sessions.size()); }
    /// Upload bytes held by the sessions and validations of @p tenant (all when empty).
    qint64 sessionBytes(const QString &tenant = {}) const;
    /// Uploads being checked right now (POST import/validate not answered yet).
    int validationCount() const { return int(m_validations.size()); }

Q_SIGNALS:
    /// A job reached completed, failed or cancelled; @p progress is its final state.
    void jobFinished(const QString &jobId, const QJsonObject &progress);

private:
    class RunningJob
    {
    public:
        ImportJobState job;
        const ResourceSpec *resource = nullptr;
        EventPublisher::Origin origin;
        QList<ImportSession::Row> rows;
        qsizetype cursor = 0;
        QElapsedTimer lastPublished;
    };

    // One upload being checked: read on a worker thread, then against the store here.
    class Validation
    {
    public:
        Validation(const ResourceSpec &spec, const EventPublisher::Origin &from)
            : resource(&spec)
            , origin(from)
            , validator(spec, from.tenant)
        {
        }
        const ResourceSpec *resource;
        EventPublisher::Origin origin;
        ImportValidator validator;
        QByteArray contentType;
        QByteArray body;
        qint64 bytes = 0;
        QElapsedTimer clock;
        HttpResponse::Reply reply;
        std::atomic_bool cancelled = false;
        bool fileRead = false;
        ApiError error;
    };

    HttpResponse templateCsv(const ResourceSpec &resource, const QHttpServerRequest &request);
    HttpResponse validate(const ResourceSpec &resource, const QHttpServerRequest &request,
                          const EventPublisher::Origin &origin);
    HttpResponse execute(const ResourceSpec &resource, const QHttpServerRequest &request,
                         const EventPublisher::Origin &origin);
    HttpResponse status(const ResourceSpec &resource, const QString &jobId,
                        const EventPublisher::Origin &origin);
    HttpResponse cancel(const ResourceSpec &resource, const QString &jobId,
                        const EventPublisher::Origin &origin);

    // Worker thread: multipart and CSV, then the file-only checks.
    static void readUpload(Validation &task);
    // Server thread: the rows against the stored records, a slice per event-loop turn.
    void checkStoredRows(const std::shared_ptr<Validation> &task);
    void finishValidation(const std::shared_ptr<Validation> &task, const HttpResponse &response);
    void purgeSessions();
    /// The refusal of an upload of @p bytes for @p tenant over the budget, or nullopt.
    std::optional<HttpResponse> overBudget(const QString &tenant, qint64 bytes) const;
    RunningJob *runningJob(const QString &jobId, const ResourceSpec &resource,
                           const QString &tenant);
    void runNextBatch();
    /// Imports the next batch of @p run; true when the job is finished.
    bool runBatch(RunningJob &run);
    /// Ends @p run in @p status (persisted, announced, signalled); the caller removes it.
    void finish(RunningJob &run, ImportJobState::Status status, const QString &error);
    void publish(RunningJob &run, bool force);

    const ServerSchema &m_schema;
    RecordStore *m_store;
    ImportJobStore m_jobs;
    Options m_options;
    ProgressPublisher m_publish;
    QHash<QString, ImportSession> m_sessions;
    QList<std::shared_ptr<Validation>> m_validations;
    QThreadPool m_validationPool;
    // Running jobs in start order; they take turns, one batch each.
    std::vector<std::unique_ptr<RunningJob>> m_running;
    size_t m_nextJob = 0;
    QTimer m_batchTimer;
};

} // namespace livedesk::server
