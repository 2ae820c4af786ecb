// SPDX-License-Identifier: MIT
#pragma once

#include "importjobstate.h"

#include <QtCore/QString>

#include <optional>

namespace livedesk::server {

class RecordStore;

/**
 * Import jobs on disk: the table `livedesk_import_jobs` in the record store's database.
 *
 * Jobs are persisted so that a status survives a restart and a job is never left hanging:
 * open() marks every job still `pending` or `processing` (the process died mid-import) as
 * `failed`. Writes go through RecordStore::transaction(), so an update made while a batch
 * of rows is being inserted commits or rolls back together with those rows: the stored
 * counts always match the rows that are really there.
 *
 * A table written by an older server (without the start and end times or the refused rows)
 * gets the missing columns at open(); its jobs report those as unknown (null, none).
 *
 * Like the store, it must be used in the store's thread only.
 */
class ImportJobStore
{
public:
    explicit ImportJobStore(RecordStore *store);

    /// The error text given to jobs found unfinished by open().
    static QString interruptedMessage();

    /**
     * Creates the table when missing and fails the jobs a previous process left unfinished
     * (with interruptedMessage()); @p recovered tells how many.
     */
    bool open(QString *error, int *recovered = nullptr);

    bool insert(const ImportJobState &job);
    /**
     * Writes status, counts, error and times of @p job, and with @p withExecutionErrors its
     * list of refused rows as well (rewriting a long list after every batch would cost more
     * than the batch: pass it only when the list changed).
     */
    bool update(const ImportJobState &job, bool withExecutionErrors = false);
    /// The job @p id if it belongs to @p tenant and @p resource (another tenant's job does
    /// not exist), nullopt otherwise or on a database error.
    std::optional<ImportJobState> find(const QString &id, const QString &tenant,
                                       const QString &resource) const;

private:
    RecordStore *m_store;
};

} // namespace livedesk::server
