// SPDX-License-Identifier: MIT
#pragma once

#include "importstatus.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>

namespace livedesk::server {

/**
 * The state of one import job: what the status endpoint answers and the progress event
 * carries (docs/protocol.md), plus who owns it.
 *
 * Counting: @c totalRecords is every data row of the validated file (blank lines excluded).
 * Rows are processed in file order; a row that failed validation (imported only with
 * `skipErrors`) counts as processed and failed when the job passes it, a row the database
 * refuses at execution (its unique value was taken meanwhile) likewise. So
 * `processedRecords == successCount + failedCount` at all times, and equals
 * `totalRecords` when the job completes.
 *
 * Rows refused at execution are listed (executionErrors) as validation errors are, so that a
 * user can tell which rows of the file are missing and why; rows that failed validation are
 * not repeated there (the validation answer listed them).
 */
class ImportJobState
{
public:
    /// The wire vocabulary (ImportStatus), shared with the client.
    using Status = ImportStatus::Value;

    QString id;
    QString tenant;
    /// The resource's name (not its path).
    QString resource;
    QString userId;
    /// The validation session the rows came from.
    QString sessionId;
    Status status = Status::Pending;
    bool skipErrors = false;
    qint64 totalRecords = 0;
    qint64 processedRecords = 0;
    qint64 successCount = 0;
    qint64 failedCount = 0;
    /// Why the job failed (or what went wrong with some rows); empty means none (`null`).
    QString error;
    /// UTC, ISO 8601 with milliseconds.
    QString createdAt;
    QString updatedAt;
    /// When the first batch ran (same format); empty while pending, and for a job cancelled
    /// or stopped before it.
    QString startedAt;
    /// When the job reached completed, failed or cancelled; empty until then. For a job
    /// found unfinished after a crash, the time of its last stored progress.
    QString finishedAt;
    /// The rows refused by the database at execution, one `{row, line, field, code, message,
    /// value}` per refused field (like the validation errors), in row order: the first ones
    /// only, up to the service's limit (ImportService::Options::reportedErrors).
    QJsonArray executionErrors;
    /// How many entries executionErrors would hold without the limit.
    qint64 executionErrorCount = 0;

    /// Completed, failed or cancelled: the job will not change any more.
    bool isFinished() const;
    /// 0–100, rounded down; 100 once completed (also for an empty job).
    int progress() const;

    /**
     * What a progress event carries: `{jobId, sessionId, status, progress, totalRecords,
     * processedRecords, successCount, failedCount, error}` (the AegisX fields; `error` is null
     * when empty) and ours, `{startedAt, finishedAt, executionErrorCount}` (times null until
     * known). The refused rows themselves are left out: events are sent up to ten times a
     * second, and the list may be long.
     */
    QJsonObject toProgressJson() const;
    /// What the status route answers (execute and cancel too): toProgressJson() plus
    /// `executionErrors` and `executionErrorsTruncated` (true when the list was cut at the
    /// limit).
    QJsonObject toStatusJson() const;

    /// `pending`, `processing`, `completed`, `failed`, `cancelled` (ImportStatus::name()).
    static QString statusName(Status status) { return ImportStatus::name(status); }
    static std::optional<Status> statusFromName(QStringView name)
    {
        return ImportStatus::fromName(name);
    }
};

} // namespace livedesk::server
