// SPDX-License-Identifier: MIT
#include "passwordhash.h"

#include <QtCore/QByteArray>
#include <QtCore/QCryptographicHash>
#include <QtCore/QList>
#include <QtCore/QRandomGenerator>
#include <QtNetwork/QPasswordDigestor>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

constexpr int keyLength = 32;
constexpr int saltLength = 16;
constexpr QLatin1StringView scheme = "pbkdf2-sha256"_L1;

struct Parsed
{
    int iterations = 0;
    QByteArray salt;
    QByteArray key;
};

bool parse(const QString &encoded, Parsed *out)
{
    const auto parts = QStringView(encoded).split(u'$');
    if (parts.size() != 4 || parts[0] != scheme)
        return false;
    bool ok = false;
    out->iterations = parts[1].toInt(&ok);
    if (!ok || out->iterations < 1 || out->iterations > PasswordHash::maxIterations)
        return false;
    const auto decode = [](QStringView text, QByteArray *bytes) {
        const auto result = QByteArray::fromBase64Encoding(
            text.toLatin1(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!result)
            return false;
        *bytes = *result;
        return true;
    };
    return decode(parts[2], &out->salt) && decode(parts[3], &out->key) && out->salt.size() >= 8
        && out->key.size() == keyLength;
}

QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), salt,
                                              iterations, keyLength);
}

} // namespace

QString PasswordHash::hash(const QString &password, int iterations)
{
    iterations = std::clamp(iterations, 1, maxIterations);
    QByteArray salt(saltLength, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()),
                                          saltLength / sizeof(quint32));
    const QByteArray key = derive(password, salt, iterations);
    return QString(scheme) + u'$' + QString::number(iterations) + u'$'
        + QString::fromLatin1(salt.toBase64()) + u'$' + QString::fromLatin1(key.toBase64());
}

bool PasswordHash::verify(const QString &password, const QString &encoded)
{
    Parsed p;
    if (!parse(encoded, &p))
        return false;
    const QByteArray candidate = derive(password, p.salt, p.iterations);
    if (candidate.size() != p.key.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < candidate.size(); ++i)
        diff |= static_cast<unsigned char>(candidate[i] ^ p.key[i]);
    return diff == 0;
}

bool PasswordHash::isWellFormed(const QString &encoded)
{
    Parsed p;
    return parse(encoded, &p);
}

} // namespace livedesk::server
