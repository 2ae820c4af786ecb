// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>

namespace livedesk::server {

/**
 * The state of one import job: what the status endpoint answers and the progress event
 * carries (DESIGN.md §2), plus who owns it.
 *
 * Counting: @c totalRecords is every data row of the validated file (blank lines excluded).
 * Rows are processed in file order; a row that failed validation (imported only with
 * `skipErrors`) counts as processed and failed when the job passes it, a row the database
 * refuses at execution (its unique value was taken meanwhile) likewise. So
 * `processedRecords == successCount + failedCount` at all times, and equals
 * `totalRecords` when the job completes.
 */
class ImportJobState
{
public:
    enum class Status { Pending, Processing, Completed, Failed, Cancelled };

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

    /// Completed, failed or cancelled: the job will not change any more.
    bool isFinished() const;
    /// 0–100, rounded down; 100 once completed (also for an empty job).
    int progress() const;

    /// Exactly `{jobId, sessionId, status, progress, totalRecords, processedRecords,
    /// successCount, failedCount, error}`; `error` is null when empty.
    QJsonObject toProgressJson() const;

    /// `pending`, `processing`, `completed`, `failed`, `cancelled`.
    static QString statusName(Status status);
    static std::optional<Status> statusFromName(QStringView name);
};

} // namespace livedesk::server
