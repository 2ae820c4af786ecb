// SPDX-License-Identifier: MIT
#include "importvalidator.h"

#include "fieldspec.h"
#include "recordstore.h"
#include "resourcespec.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

bool isBlank(const QStringList &cells)
{
    for (const QString &c : cells) {
        if (!c.trimmed().isEmpty())
            return false;
    }
    return true;
}

QString shown(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    return {};
}

} // namespace

ImportValidator::ImportValidator(const ResourceSpec &resource, const QString &tenant)
    : m_resource(resource)
    , m_tenant(tenant)
{
}

void ImportValidator::setLimits(int previewRows, int reportedErrors)
{
    m_previewRows = previewRows;
    m_reportedErrors = reportedErrors;
}

QList<const FieldSpec *> ImportValidator::importableFields(const ResourceSpec &resource)
{
    QList<const FieldSpec *> fields;
    for (const FieldSpec &f : resource.fields)
        fields.append(&f);
    return fields;
}

const FieldSpec *ImportValidator::fieldForColumn(const ResourceSpec &resource, QStringView header)
{
    const QStringView h = header.trimmed();
    if (h.isEmpty())
        return nullptr;
    for (const FieldSpec *f : importableFields(resource)) {
        if (h.compare(f->name, Qt::CaseInsensitive) == 0)
            return f;
    }
    for (const FieldSpec *f : importableFields(resource)) {
        if (h.compare(f->label, Qt::CaseInsensitive) == 0)
            return f;
    }
    return nullptr;
}

bool ImportValidator::readFile(const QByteArray &bytes, ApiError *error,
                               const std::atomic_bool *cancelled)
{
    CsvReader reader;
    QString why;
    if (!reader.open(bytes, &why)) {
        *error = ApiError::badRequest(why);
        return false;
    }
    if (auto refused = checkHeader(reader.header())) {
        *error = *refused;
        return false;
    }
    m_session = ImportSession();
    m_session.resource = m_resource.name;
    m_session.tenant = m_tenant;
    m_session.rows.reserve(qsizetype(bytes.size() / 64));
    m_fileErrors.clear();
    m_storedErrors.clear();
    m_seen.clear();
    m_storedCursor = 0;
    CsvReader::Record record;
    int rowNumber = 0;
    while (reader.next(&record)) {
        ++rowNumber;
        if ((rowNumber & 1023) == 0 && cancelled && cancelled->load(std::memory_order_relaxed)) {
            *error = ApiError();
            return false;
        }
        checkRecord(record, rowNumber);
    }
    if (!reader.error().isEmpty()) {
        *error = ApiError::badRequest(reader.error());
        return false;
    }
    m_session.rows.squeeze();
    return true;
}

std::optional<ApiError> ImportValidator::checkHeader(const QStringList &header)
{
    // A wrong header makes every row wrong in the same way.
    QJsonArray headerProblems;
    QHash<const FieldSpec *, int> columnOf;
    QStringList accepted;
    for (const FieldSpec *f : importableFields(m_resource))
        accepted.append(f->name);
    m_columns.clear();
    m_headerSize = header.size();
    for (qsizetype c = 0; c < header.size(); ++c) {
        const QString &h = header[c];
        const FieldSpec *f = fieldForColumn(m_resource, h);
        m_columns.append(f);
        if (h.isEmpty())
            continue;
        if (!f) {
            const QString message = ResourceSpec::isReservedName(h)
                ? u"Column %1 \"%2\" is set by the server and cannot be imported"_s.arg(c + 1).arg(
                    h)
                : u"Column %1 \"%2\" is not a field of %3; the columns can be: %4"_s.arg(c + 1).arg(
                    h, m_resource.label, accepted.join(u", "_s));
            QJsonObject d = ApiError::detail(h, u"UNKNOWN_FIELD"_s, message, h);
            d.insert(u"column"_s, int(c + 1));
            headerProblems.append(d);
            continue;
        }
        if (columnOf.contains(f)) {
            QJsonObject d
                = ApiError::detail(f->name, u"DUPLICATE_COLUMN"_s,
                                   u"Columns %1 and %2 both hold %3"_s.arg(columnOf.value(f) + 1)
                                       .arg(c + 1)
                                       .arg(f->label),
                                   h);
            d.insert(u"column"_s, int(c + 1));
            headerProblems.append(d);
            continue;
        }
        columnOf.insert(f, int(c));
    }
    for (const FieldSpec *f : importableFields(m_resource)) {
        if (f->required && !f->hasDefault() && !columnOf.contains(f)) {
            headerProblems.append(
                ApiError::detail(f->name, u"REQUIRED"_s,
                                 u"The file has no column for %1 (\"%2\"), which is required"_s.arg(
                                     f->label, f->name)));
        }
    }
    if (!headerProblems.isEmpty()) {
        return ApiError::validation(
            headerProblems,
            u"The header row does not match %1: fix the column names and upload again"_s.arg(
                m_resource.label));
    }
    m_uniqueFields.clear();
    for (const FieldSpec &f : m_resource.fields) {
        if (f.unique)
            m_uniqueFields.append(&f);
    }
    return std::nullopt;
}

void ImportValidator::keepError(QList<QJsonObject> *kept, const QJsonObject &error) const
{
    if (kept->size() < m_reportedErrors)
        kept->append(error);
}

void ImportValidator::checkRecord(const CsvReader::Record &record, int rowNumber)
{
    if (isBlank(record.cells))
        return;
    QList<QJsonObject> rowErrors;
    QSet<QString> fieldsInError;
    const auto addError = [&](const QJsonValue &field, const QString &code, const QString &message,
                              const QJsonValue &value) {
        rowErrors.append(QJsonObject{{u"row"_s, rowNumber},
                                     {u"line"_s, record.line},
                                     {u"field"_s, field},
                                     {u"code"_s, code},
                                     {u"message"_s, message},
                                     {u"value"_s, value}});
        if (field.isString())
            fieldsInError.insert(field.toString());
    };

    qsizetype cellCount = record.cells.size();
    while (cellCount > m_headerSize && record.cells[cellCount - 1].trimmed().isEmpty())
        --cellCount;
    if (cellCount != m_headerSize) {
        addError(QJsonValue::Null, u"COLUMN_COUNT"_s,
                 u"This row has %1 values but the header has %2 columns"_s.arg(cellCount).arg(
                     m_headerSize),
                 QJsonValue::Null);
    } else {
        QJsonObject body;
        QHash<QString, QString> textOf;
        for (qsizetype c = 0; c < m_headerSize; ++c) {
            const QString &text = record.cells[c];
            const FieldSpec *f = m_columns[c];
            if (!f) {
                if (!text.trimmed().isEmpty()) {
                    addError(QJsonValue::Null, u"UNKNOWN_FIELD"_s,
                             u"Column %1 has no name in the header, but this row has a value "
                             "in it"_s.arg(c + 1),
                             text);
                }
                continue;
            }
            textOf.insert(f->name, text);
            auto value = RecordStore::coerceFromText(*f, text);
            if (!value) {
                const QJsonObject d = value.error().details().at(0).toObject();
                addError(f->name, d.value(u"code").toString(), d.value(u"message").toString(),
                         text);
                continue;
            }
            body.insert(f->name, value.value());
        }
        auto checked = RecordStore::validate(m_resource, body, false);
        if (!checked) {
            for (const QJsonValue dv : checked.error().details()) {
                const QJsonObject d = dv.toObject();
                const QString field = d.value(u"field").toString();
                if (fieldsInError.contains(field))
                    continue;
                addError(field, d.value(u"code").toString(), d.value(u"message").toString(),
                         textOf.contains(field) ? QJsonValue(textOf.value(field))
                                                : d.value(u"value"));
            }
        } else if (rowErrors.isEmpty()) {
            const QJsonObject values = checked.value();
            for (const FieldSpec *f : std::as_const(m_uniqueFields)) {
                const QJsonValue v = values.value(f->name);
                if (v.isNull() || v.isUndefined())
                    continue;
                const auto &firstRows = m_seen[f];
                const auto it = firstRows.constFind(v);
                if (it != firstRows.cend()) {
                    addError(f->name, u"UNIQUE"_s,
                             u"%1 \"%2\" appears more than once in the file (first in row %3)"_s
                                 .arg(f->label, shown(v))
                                 .arg(*it),
                             textOf.value(f->name, shown(v)));
                }
            }
            if (rowErrors.isEmpty()) {
                for (const FieldSpec *f : std::as_const(m_uniqueFields)) {
                    const QJsonValue v = values.value(f->name);
                    if (!v.isNull() && !v.isUndefined())
                        m_seen[f].insert(v, rowNumber);
                }
                ++m_session.validRows;
                m_session.rows.append({rowNumber, record.line, true, values});
                return;
            }
        }
    }
    ++m_session.invalidRows;
    m_session.rows.append({rowNumber, record.line, false, {}});
    m_session.errorCount += int(rowErrors.size());
    for (const QJsonObject &e : std::as_const(rowErrors))
        keepError(&m_fileErrors, e);
}

StoreResult<bool> ImportValidator::checkStored(RecordStore *store, qsizetype maxRows)
{
    QList<ImportSession::Row> &rows = m_session.rows;
    const qsizetype from = m_storedCursor;
    const qsizetype to = std::min(rows.size(), from + maxRows);
    m_storedCursor = to;
    if (m_uniqueFields.isEmpty()) {
        m_storedCursor = rows.size();
        return true;
    }
    // Per row, the conflicts found, in field order.
    QHash<qsizetype, QList<QJsonObject>> conflicts;
    for (const FieldSpec *f : std::as_const(m_uniqueFields)) {
        QList<qsizetype> at;
        QList<QJsonValue> values;
        for (qsizetype i = from; i < to; ++i) {
            if (!rows[i].valid)
                continue;
            const QJsonValue v = rows[i].values.value(f->name);
            if (v.isNull() || v.isUndefined())
                continue;
            at.append(i);
            values.append(v);
        }
        if (values.isEmpty())
            continue;
        auto taken = store->takenValues(m_resource, m_tenant, f->name, values);
        if (!taken)
            return taken.error();
        for (qsizetype k = 0; k < values.size(); ++k) {
            if (!taken.value()[k])
                continue;
            const ImportSession::Row &row = rows[at[k]];
            conflicts[at[k]].append(QJsonObject{
                {u"row"_s, row.row},
                {u"line"_s, row.line},
                {u"field"_s, f->name},
                {u"code"_s, u"UNIQUE"_s},
                {u"message"_s,
                 u"%1 \"%2\" is already used by another record"_s.arg(f->label, shown(values[k]))},
                {u"value"_s, values[k]}});
        }
    }
    QList<qsizetype> conflicted = conflicts.keys();
    std::sort(conflicted.begin(), conflicted.end());
    for (const qsizetype i : std::as_const(conflicted)) {
        ImportSession::Row &row = rows[i];
        row.valid = false;
        row.values = QJsonObject();
        --m_session.validRows;
        ++m_session.invalidRows;
        const QList<QJsonObject> &errors = conflicts.value(i);
        m_session.errorCount += int(errors.size());
        for (const QJsonObject &e : errors)
            keepError(&m_storedErrors, e);
    }
    return m_storedCursor >= rows.size();
}

StoreResult<ImportSession> ImportValidator::takeSession()
{
    if (m_session.rows.isEmpty()) {
        return ApiError::badRequest(
            u"The file has a header row but no data rows: nothing to import"_s);
    }
    // Both lists are in row order: merge them, a row's file errors before its stored ones.
    const auto rowOf = [](const QJsonObject &e) {
        return e.value(u"row").toInt();
    };
    qsizetype a = 0;
    qsizetype b = 0;
    while (m_session.errors.size() < m_reportedErrors
           && (a < m_fileErrors.size() || b < m_storedErrors.size())) {
        const bool takeFile = b >= m_storedErrors.size()
            || (a < m_fileErrors.size() && rowOf(m_fileErrors[a]) <= rowOf(m_storedErrors[b]));
        m_session.errors.append(takeFile ? m_fileErrors[a++] : m_storedErrors[b++]);
    }
    for (const ImportSession::Row &row : std::as_const(m_session.rows)) {
        if (m_session.preview.size() >= m_previewRows)
            break;
        if (row.valid)
            m_session.preview.append(row.values);
    }
    m_fileErrors.clear();
    m_storedErrors.clear();
    m_seen.clear();
    return std::move(m_session);
}

} // namespace livedesk::server
