// SPDX-License-Identifier: MIT
#pragma once

#include "csvreader.h"
#include "importsession.h"
#include "storeresult.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QString>

#include <atomic>
#include <optional>

namespace livedesk::server {

class FieldSpec;
class RecordStore;
class ResourceSpec;

/**
 * Judges an uploaded CSV file against a resource, row by row, without writing anything.
 *
 * ## Columns
 * The header row names the columns: a field's name or its label, without regard to case or
 * surrounding blanks. Every declared field is importable (system fields such as `id` or
 * `version` are not). The file as a whole is refused (400 `VALIDATION_ERROR`, one detail per
 * problem) when a column names no field (`UNKNOWN_FIELD`), two columns name the same field
 * (`DUPLICATE_COLUMN`), or a required field without default has no column (`REQUIRED`):
 * every row would fail the same way. Column order is free; absent optional columns take
 * their defaults. A column with an empty header is ignored if it holds nothing.
 *
 * ## Rows
 * Row numbers count data records from 1: the header is not counted, the first record after
 * it is row 1, so row N is spreadsheet row N + 1. Blank records (no cell holds anything but
 * blanks) are skipped but keep their number, so the numbers stay true to the file. Each
 * error also names the `line` of the file the record starts on (records can span lines).
 *
 * Each cell goes through RecordStore::coerceFromText() (empty text is null, so the field's
 * default applies), then the row through RecordStore::validate() exactly as a create would.
 * A row that passes is checked for unique values against the earlier passing rows of the
 * file (a later duplicate is the error; the first occurrence stays valid), then against the
 * tenant's stored records. Every problem of a row is reported, one error per field:
 * `{row, line, field, code, message, value}` with `value` the cell text as written (the
 * stored value for a conflict with a stored record; `field` is null for row-wide problems
 * such as a wrong number of cells, code `COLUMN_COUNT`). Errors come in row order.
 *
 * ## Two steps, two threads
 * A million-row file takes seconds to check, and the server must keep answering meanwhile.
 * readFile() needs no database and runs on a worker thread; checkStored() asks the store
 * (which lives on the server's thread) about a few hundred rows per call, so the server can
 * handle other work between calls. takeSession() then gives the outcome.
 */
class ImportValidator
{
public:
    ImportValidator(const ResourceSpec &resource, const QString &tenant);

    /// How many valid rows go into ImportSession::preview (10) and how many errors are kept
    /// in ImportSession::errors (1000; ImportSession::errorCount counts all of them).
    void setLimits(int previewRows, int reportedErrors);

    /**
     * Reads @p bytes (CSV, see CsvReader) and checks everything the file alone decides:
     * columns, cell counts, types, required values and duplicates within the file. Touches
     * no database; may run on any thread. Returns false with the error that refuses the file
     * as a whole, or when @p cancelled became true (the error is then empty).
     */
    bool readFile(const QByteArray &bytes, ApiError *error,
                  const std::atomic_bool *cancelled = nullptr);

    /**
     * Checks up to @p maxRows more rows against the records @p store holds for the tenant
     * (unique fields, one query per field and a few hundred values). Returns true once every
     * row has been checked, false while rows remain, or the database's error.
     */
    StoreResult<bool> checkStored(RecordStore *store, qsizetype maxRows);

    /// The outcome after readFile() and checkStored(): rows, counts, errors and preview; or
    /// the error for a file without data rows.
    StoreResult<ImportSession> takeSession();

    /// The fields a file may have columns for, in declaration order.
    static QList<const FieldSpec *> importableFields(const ResourceSpec &resource);
    /// The field a header cell names (name or label, case-insensitive), or nullptr.
    static const FieldSpec *fieldForColumn(const ResourceSpec &resource, QStringView header);

private:
    std::optional<ApiError> checkHeader(const QStringList &header);
    void checkRecord(const CsvReader::Record &record, int rowNumber);
    void keepError(QList<QJsonObject> *kept, const QJsonObject &error) const;

    const ResourceSpec &m_resource;
    QString m_tenant;
    int m_previewRows = 10;
    int m_reportedErrors = 1000;

    QList<const FieldSpec *> m_columns;
    qsizetype m_headerSize = 0;
    QList<const FieldSpec *> m_uniqueFields;
    // Unique values of the rows that passed so far → their row number.
    QHash<const FieldSpec *, QHash<QJsonValue, int>> m_seen;
    ImportSession m_session;
    // The first errors of each step, in row order; merged by takeSession().
    QList<QJsonObject> m_fileErrors;
    QList<QJsonObject> m_storedErrors;
    qsizetype m_storedCursor = 0;
};

} // namespace livedesk::server
