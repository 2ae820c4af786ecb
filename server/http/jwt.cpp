// SPDX-License-Identifier: MIT
#include "jwt.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QMessageAuthenticationCode>
#include <QtCore/QStringList>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

constexpr auto b64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray encodePart(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toBase64(b64);
}

QByteArray hmac(const QByteArray &data, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(data, secret, QCryptographicHash::Sha256);
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

std::optional<QJsonObject> refuse(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

} // namespace

QString Jwt::sign(QJsonObject claims, const QByteArray &secret, qint64 lifetimeSeconds,
                  const QDateTime &now)
{
    const qint64 iat = now.toSecsSinceEpoch();
    claims.insert(u"iat"_s, iat);
    claims.insert(u"exp"_s, iat + lifetimeSeconds);
    const QByteArray signingInput
        = encodePart({{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}}) + '.' + encodePart(claims);
    return QString::fromLatin1(signingInput + '.' + hmac(signingInput, secret).toBase64(b64));
}

std::optional<QJsonObject> Jwt::verify(const QString &token, const QByteArray &secret,
                                       QString *error, const QDateTime &now)
{
    const QByteArray raw = token.toLatin1();
    const QList<QByteArray> parts = raw.split('.');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return refuse(error, u"malformed token"_s);
    const auto decode = [](const QByteArray &part) {
        return QByteArray::fromBase64Encoding(part, b64 | QByteArray::AbortOnBase64DecodingErrors);
    };
    const auto header = decode(parts.at(0));
    const auto payload = decode(parts.at(1));
    const auto signature = decode(parts.at(2));
    if (!header || !payload || !signature)
        return refuse(error, u"malformed token"_s);
    const auto headerDoc = QJsonDocument::fromJson(*header);
    if (headerDoc.object().value(u"alg").toString() != u"HS256")
        return refuse(error, u"unsupported token algorithm"_s);
    const QByteArray signingInput = parts.at(0) + '.' + parts.at(1);
    if (!constantTimeEquals(hmac(signingInput, secret), *signature))
        return refuse(error, u"invalid token signature"_s);
    const auto claimsDoc = QJsonDocument::fromJson(*payload);
    if (!claimsDoc.isObject())
        return refuse(error, u"malformed token"_s);
    const QJsonObject claims = claimsDoc.object();
    const QJsonValue exp = claims.value(u"exp");
    if (!exp.isDouble())
        return refuse(error, u"token without expiry"_s);
    if (now.toSecsSinceEpoch() >= exp.toInteger())
        return refuse(error, u"token expired"_s);
    return claims;
}

} // namespace livedesk::server
