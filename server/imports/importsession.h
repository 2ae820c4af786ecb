// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QDeadlineTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>

namespace livedesk::server {

/**
 * A validated upload, waiting to be executed: the outcome of `POST import/validate`.
 *
 * Sessions live in memory only and expire (30 minutes by default): they hold every row of
 * the file, typed, and are cheap to recreate by validating the file again, while the job an
 * execution starts is persisted (ImportJobStore). A session is used up by a successful
 * execution.
 */
class ImportSession
{
public:
    /// One data row of the file (blank lines are not rows).
    class Row
    {
    public:
        /// The row number reported to the user (see ImportValidator).
        int row = 0;
        /// The line of the file the row starts on.
        int line = 0;
        bool valid = false;
        /// Valid rows: the values to insert, normalized (RecordStore::validate). Empty for
        /// invalid rows.
        QJsonObject values;
    };

    QString id;
    QString tenant;
    /// The resource's name.
    QString resource;
    QString userId;
    QDeadlineTimer expiry;
    /// Bytes of the upload it was checked from: what the session budget counts.
    qint64 bytes = 0;

    /// Every data row, in file order.
    QList<Row> rows;
    int validRows = 0;
    int invalidRows = 0;
    /// `{row, line, field, code, message, value}` for the first rows in error (at most the
    /// validator's limit); @c errorCount counts them all.
    QJsonArray errors;
    int errorCount = 0;
    /// The first valid rows as they will be stored.
    QJsonArray preview;

    int totalRows() const { return int(rows.size()); }
};

} // namespace livedesk::server
