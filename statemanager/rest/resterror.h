// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QMetaType>
#include <QtCore/QString>

namespace livedesk {

/**
 * Why a REST call failed, in the server's words when it gave any.
 *
 * AegisX answers errors as `{success:false, error:{code, message, details?, statusCode}}`;
 * the code is what to act on (docs/protocol.md: trust `error.code` over the HTTP status). Errors
 * that never reached the server get codes of our own: `NETWORK_ERROR`, `TIMEOUT`,
 * `CANCELLED`, `BAD_RESPONSE` (not JSON, or not an envelope). Nothing is swallowed: every
 * failed call produces one of these.
 */
class RestError
{
public:
    /// `VALIDATION_ERROR`, `VERSION_CONFLICT`, `NOT_FOUND`, `UNAUTHORIZED`, ... or one of ours.
    QString code;
    /// A sentence for people (the server's message when it sent one).
    QString message;
    /// The HTTP status; 0 when no response arrived.
    int httpStatus = 0;
    /// `error.details` as sent: `[{field, message, code, value}]` for validation errors (and
    /// for `VERSION_CONFLICT`, the version that was expected).
    QJsonValue details;
    /// `error.current`: the record as it is on the server, sent by livedesk-server with
    /// `VERSION_CONFLICT` (empty otherwise).
    QJsonObject current;

    bool isNull() const { return code.isEmpty(); }
    /// No answer from the server at all (network down, refused, timed out).
    bool isNetworkError() const;
    /// The record as it is on the server, for a `VERSION_CONFLICT` (empty otherwise).
    QJsonObject currentRecord() const;
    /// `details` as `{field, message, code, value}` objects (empty when there are none).
    QJsonArray fieldErrors() const;
    /// "message (CODE)" plus the field messages, for logs and the command line.
    QString toString() const;
};

} // namespace livedesk

Q_DECLARE_METATYPE(livedesk::RestError)
