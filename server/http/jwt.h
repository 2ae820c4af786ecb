// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>

#include <optional>

namespace livedesk::server {

/**
 * HS256 JSON Web Tokens: what AegisX issues at login and verifies on every request and
 * socket CONNECT.
 *
 * Only HS256 is accepted on verification (a token claiming `alg: none` or another
 * algorithm is refused, never "verified" with it), the signature is compared in constant
 * time, and `exp` is required and enforced.
 */
class Jwt
{
public:
    /// Signs @p claims; adds `iat` and `exp` (now + @p lifetimeSeconds).
    static QString sign(QJsonObject claims, const QByteArray &secret, qint64 lifetimeSeconds,
                        const QDateTime &now = QDateTime::currentDateTimeUtc());

    /// The claims of a valid, unexpired token; std::nullopt and @p error otherwise.
    static std::optional<QJsonObject>
    verify(const QString &token, const QByteArray &secret, QString *error = nullptr,
           const QDateTime &now = QDateTime::currentDateTimeUtc());
};

} // namespace livedesk::server
