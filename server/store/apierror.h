// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace livedesk::server {

/**
 * An error the server reports to a client, in AegisX terms (docs/protocol.md).
 *
 * The store returns these instead of throwing or logging, so that the HTTP layer can answer
 * with toEnvelope() and the HTTP status without knowing what went wrong. Clients are told to
 * trust `code` over the status, so the codes are the contract:
 *
 * | code               | status | when                                                       |
 * |--------------------|--------|------------------------------------------------------------|
 * | `VALIDATION_ERROR` | 400    | the body or query is invalid; `details` lists every field  |
 * | `BAD_REQUEST`      | 400    | the request is malformed as a whole (not a JSON object...) |
 * | `FORBIDDEN`        | 403    | the user's role may not do this (Permissions); nothing done |
 * | `NOT_FOUND`        | 404    | no such record in this tenant (other tenants' included)    |
 * | `VERSION_CONFLICT` | 409    | `If-Match` is stale; `current` holds the record as it is   |
 * | `DUPLICATE_ENTRY`  | 409    | the only problem is a unique field whose value is taken    |
 * | `INTERNAL_ERROR`   | 500    | the database failed; nothing was changed                   |
 *
 * Field details are `{field, message, code, value}` (value: what the client sent, null when
 * absent) with these detail codes: `REQUIRED`, `INVALID_TYPE`, `MAX_LENGTH`, `INVALID_ENUM`,
 * `INVALID_DATE`, `OUT_OF_RANGE`, `UNIQUE`, `UNKNOWN_FIELD`, `READ_ONLY` (a non-editable field),
 * `INVALID_FILTER` (a list query's `_min`/`_max` on an unordered field), `VERSION_CONFLICT`
 * (field `version`). Bulk operations add `index` (the item's position) to each.
 *
 * Unique violations: when the body has no other problem the answer is 409 `DUPLICATE_ENTRY`
 * (the request was well formed, it collides with what is stored, like AegisX's duplicate
 * answers); when other fields are invalid too, the `UNIQUE` details join the others in one
 * 400 `VALIDATION_ERROR`, so a form can mark every bad field at once. Either way each
 * offending field has a detail with code `UNIQUE`.
 */
class ApiError
{
public:
    ApiError() = default;
    ApiError(QString code, QString message, int httpStatus, QJsonArray details = {});

    // The error codes, as sent on the wire.
    static QString validationErrorCode();
    static QString badRequestCode();
    static QString forbiddenCode();
    static QString notFoundCode();
    static QString versionConflictCode();
    static QString duplicateEntryCode();
    static QString internalErrorCode();

    /// 400 VALIDATION_ERROR with field details (see detail()).
    static ApiError validation(const QJsonArray &details, const QString &message = {});
    /// 400 BAD_REQUEST: the request as a whole makes no sense.
    static ApiError badRequest(const QString &message);
    /// 403 FORBIDDEN: @p message says which role may not do what (Permissions::refusal()).
    static ApiError forbidden(const QString &message);
    /// 404 NOT_FOUND.
    static ApiError notFound(const QString &message);
    /// 409 VERSION_CONFLICT carrying the record as it is now; @p expected is the stale version
    /// the client sent.
    static ApiError versionConflict(const QJsonObject &current, qint64 expected);
    /// 409 DUPLICATE_ENTRY with the `UNIQUE` details.
    static ApiError duplicate(const QJsonArray &details);
    /// 500 INTERNAL_ERROR; @p message should not leak SQL.
    static ApiError internal(const QString &message);

    /// One `{field, message, code, value}` detail.
    static QJsonObject detail(const QString &field, const QString &code, const QString &message,
                              const QJsonValue &value = QJsonValue::Null);

    /// True for a default-constructed (empty) error.
    bool isNull() const { return m_code.isEmpty(); }

    QString code() const { return m_code; }
    QString message() const { return m_message; }
    int httpStatus() const { return m_httpStatus; }
    QJsonArray details() const { return m_details; }
    void setDetails(const QJsonArray &details) { m_details = details; }
    /// The current record, for VERSION_CONFLICT; empty otherwise.
    QJsonObject current() const { return m_current; }
    void setCurrent(const QJsonObject &current) { m_current = current; }

    /// `{success:false, error:{code, message, details?, statusCode, current?}}`: details only
    /// when there are some; `current` (our extension, docs/protocol.md §3) only for conflicts.
    QJsonObject toEnvelope() const;

private:
    QString m_code;
    QString m_message;
    int m_httpStatus = 0;
    QJsonArray m_details;
    QJsonObject m_current;
};

} // namespace livedesk::server
