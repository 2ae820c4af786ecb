// SPDX-License-Identifier: MIT
#include "importvalidator.h"

#include "fieldspec.h"
#include "recordstore.h"
#include "resourcespec.h"

#include <QtCore/QHash>
#include <QtCore/QSet>

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

ImportValidator::ImportValidator(RecordStore *store, const ResourceSpec &resource,
                                 const QString &tenant)
    : m_store(store)
    , m_resource(resource)
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

StoreResult<ImportSession> ImportValidator::validate(const CsvReader::Table &table) const
{
    // Columns first: a wrong header makes every row wrong in the same way.
    QList<const FieldSpec *> columns;
    QJsonArray headerProblems;
    QHash<const FieldSpec *, int> columnOf;
    QStringList accepted;
    for (const FieldSpec *f : importableFields(m_resource))
        accepted.append(f->name);
    for (qsizetype c = 0; c < table.header.size(); ++c) {
        const QString &h = table.header[c];
        const FieldSpec *f = fieldForColumn(m_resource, h);
        columns.append(f);
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

    ImportSession session;
    session.resource = m_resource.name;
    session.tenant = m_tenant;
    session.rows.reserve(table.records.size());
    QList<const FieldSpec *> uniqueFields;
    for (const FieldSpec &f : m_resource.fields) {
        if (f.unique)
            uniqueFields.append(&f);
    }
    // Unique values of the valid rows so far → their row number.
    QHash<const FieldSpec *, QHash<QJsonValue, int>> seen;

    QJsonArray rowErrors;
    for (qsizetype r = 0; r < table.records.size(); ++r) {
        const CsvReader::Record &record = table.records[r];
        if (isBlank(record.cells))
            continue;
        const int rowNumber = int(r + 1);
        rowErrors = QJsonArray();
        QSet<QString> fieldsInError;
        const auto addError = [&](const QJsonValue &field, const QString &code,
                                  const QString &message, const QJsonValue &value) {
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
        while (cellCount > table.header.size() && record.cells[cellCount - 1].trimmed().isEmpty())
            --cellCount;
        if (cellCount != table.header.size()) {
            addError(QJsonValue::Null, u"COLUMN_COUNT"_s,
                     u"This row has %1 values but the header has %2 columns"_s.arg(cellCount).arg(
                         table.header.size()),
                     QJsonValue::Null);
        } else {
            QJsonObject body;
            QHash<QString, QString> textOf;
            for (qsizetype c = 0; c < table.header.size(); ++c) {
                const QString &text = record.cells[c];
                const FieldSpec *f = columns[c];
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
                QJsonObject toCheck;
                for (const FieldSpec *f : uniqueFields) {
                    const QJsonValue v = values.value(f->name);
                    if (v.isNull() || v.isUndefined())
                        continue;
                    const auto &firstRows = seen[f];
                    const auto it = firstRows.constFind(v);
                    if (it != firstRows.cend()) {
                        addError(f->name, u"UNIQUE"_s,
                                 u"%1 \"%2\" appears more than once in the file (first in row %3)"_s
                                     .arg(f->label, shown(v))
                                     .arg(*it),
                                 textOf.value(f->name, shown(v)));
                    } else {
                        toCheck.insert(f->name, v);
                    }
                }
                if (!toCheck.isEmpty()) {
                    const QJsonArray taken
                        = m_store->uniqueConflicts(m_resource, m_tenant, toCheck);
                    for (const QJsonValue dv : taken) {
                        const QJsonObject d = dv.toObject();
                        const QString field = d.value(u"field").toString();
                        addError(field, d.value(u"code").toString(), d.value(u"message").toString(),
                                 textOf.contains(field) ? QJsonValue(textOf.value(field))
                                                        : d.value(u"value"));
                    }
                }
                if (rowErrors.isEmpty()) {
                    for (const FieldSpec *f : uniqueFields) {
                        const QJsonValue v = values.value(f->name);
                        if (!v.isNull() && !v.isUndefined())
                            seen[f].insert(v, rowNumber);
                    }
                    if (session.preview.size() < m_previewRows)
                        session.preview.append(values);
                    ++session.validRows;
                    session.rows.append({rowNumber, true, values});
                    continue;
                }
            }
        }
        ++session.invalidRows;
        session.rows.append({rowNumber, false, {}});
        session.errorCount += int(rowErrors.size());
        for (const QJsonValue e : std::as_const(rowErrors)) {
            if (session.errors.size() >= m_reportedErrors)
                break;
            session.errors.append(e);
        }
    }
    if (session.rows.isEmpty()) {
        return ApiError::badRequest(
            u"The file has a header row but no data rows: nothing to import"_s);
    }
    return session;
}

} // namespace livedesk::server
