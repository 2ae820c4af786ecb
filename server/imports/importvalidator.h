// SPDX-License-Identifier: MIT
#pragma once

#include "csvreader.h"
#include "importsession.h"
#include "storeresult.h"

#include <QtCore/QList>
#include <QtCore/QString>

namespace livedesk::server {

class FieldSpec;
class RecordStore;
class ResourceSpec;

/**
 * Judges a parsed CSV file against a resource, row by row, without writing anything.
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
 * A valid row is then checked for unique values: against the rows before it in the file
 * that are valid (a later duplicate is the error; the first occurrence stays valid) and
 * against the tenant's stored records (RecordStore::uniqueConflicts). Every problem of a row
 * is reported, one error per field: `{row, line, field, code, message, value}` with `value`
 * the cell text as written (`field` is null for row-wide problems such as a wrong number of
 * cells, code `COLUMN_COUNT`).
 */
class ImportValidator
{
public:
    ImportValidator(RecordStore *store, const ResourceSpec &resource, const QString &tenant);

    /// How many valid rows go into ImportSession::preview (10) and how many errors are kept
    /// in ImportSession::errors (1000; ImportSession::errorCount counts all of them).
    void setLimits(int previewRows, int reportedErrors);

    /// Fills rows, counts, errors and preview of a session (id, owner and expiry are the
    /// caller's), or the error that refuses the file as a whole.
    StoreResult<ImportSession> validate(const CsvReader::Table &table) const;

    /// The fields a file may have columns for, in declaration order.
    static QList<const FieldSpec *> importableFields(const ResourceSpec &resource);
    /// The field a header cell names (name or label, case-insensitive), or nullptr.
    static const FieldSpec *fieldForColumn(const ResourceSpec &resource, QStringView header);

private:
    RecordStore *m_store;
    const ResourceSpec &m_resource;
    QString m_tenant;
    int m_previewRows = 10;
    int m_reportedErrors = 1000;
};

} // namespace livedesk::server
