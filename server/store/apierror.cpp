// SPDX-License-Identifier: MIT
#include "apierror.h"

using namespace Qt::StringLiterals;

namespace livedesk::server {

ApiError::ApiError(QString code, QString message, int httpStatus, QJsonArray details)
    : m_code(std::move(code))
    , m_message(std::move(message))
    , m_httpStatus(httpStatus)
    , m_details(std::move(details))
{
}

QString ApiError::validationErrorCode()
{
    return u"VALIDATION_ERROR"_s;
}

QString ApiError::badRequestCode()
{
    return u"BAD_REQUEST"_s;
}

QString ApiError::forbiddenCode()
{
    return u"FORBIDDEN"_s;
}

QString ApiError::notFoundCode()
{
    return u"NOT_FOUND"_s;
}

QString ApiError::versionConflictCode()
{
    return u"VERSION_CONFLICT"_s;
}

QString ApiError::duplicateEntryCode()
{
    return u"DUPLICATE_ENTRY"_s;
}

QString ApiError::internalErrorCode()
{
    return u"INTERNAL_ERROR"_s;
}

ApiError ApiError::validation(const QJsonArray &details, const QString &message)
{
    QString text = message;
    if (text.isEmpty()) {
        text = details.size() == 1 ? details.first().toObject().value("message"_L1).toString()
                                   : u"Validation failed (%1 problems)"_s.arg(details.size());
        if (text.isEmpty())
            text = u"Validation failed"_s;
    }
    return ApiError(validationErrorCode(), text, 400, details);
}

ApiError ApiError::badRequest(const QString &message)
{
    return ApiError(badRequestCode(), message, 400);
}

ApiError ApiError::forbidden(const QString &message)
{
    return ApiError(forbiddenCode(), message, 403);
}

ApiError ApiError::notFound(const QString &message)
{
    return ApiError(notFoundCode(), message, 404);
}

ApiError ApiError::versionConflict(const QJsonObject &current, qint64 expected)
{
    const auto actual = current.value("version"_L1).toInteger();
    ApiError e(
        versionConflictCode(),
        u"The record was changed by someone else (version %1, you had %2)"_s.arg(actual).arg(
            expected),
        409,
        {detail(u"version"_s, versionConflictCode(),
                u"Expected version %1, the current version is %2"_s.arg(expected).arg(actual),
                QJsonValue(expected))});
    e.setCurrent(current);
    return e;
}

ApiError ApiError::duplicate(const QJsonArray &details)
{
    const QString text = details.size() == 1
        ? details.first().toObject().value("message"_L1).toString()
        : u"%1 values are already in use"_s.arg(details.size());
    return ApiError(duplicateEntryCode(), text, 409, details);
}

ApiError ApiError::internal(const QString &message)
{
    return ApiError(internalErrorCode(), message, 500);
}

QJsonObject ApiError::detail(const QString &field, const QString &code, const QString &message,
                             const QJsonValue &value)
{
    return QJsonObject{
        {"field"_L1, field},
        {"message"_L1, message},
        {"code"_L1, code},
        {"value"_L1, value.isUndefined() ? QJsonValue(QJsonValue::Null) : value},
    };
}

QJsonObject ApiError::toEnvelope() const
{
    QJsonObject error{
        {"code"_L1, m_code},
        {"message"_L1, m_message},
        {"statusCode"_L1, m_httpStatus},
    };
    if (!m_details.isEmpty())
        error.insert("details"_L1, m_details);
    if (!m_current.isEmpty())
        error.insert("current"_L1, m_current);
    return QJsonObject{{"success"_L1, false}, {"error"_L1, error}};
}

} // namespace livedesk::server
