// SPDX-License-Identifier: MIT
// libFuzzer target: bearer tokens through Jwt::verify.
//
// A random token almost never carries a valid signature, so half of the inputs are signed
// here first: the first byte chooses, and for signed inputs the rest is `header \n claims`
// (the JSON texts, any bytes). That way the header and claim checks behind the signature are
// fuzzed too.
#include "jwt.h"

#include <QtCore/QMessageAuthenticationCode>

#include <cstdint>
#include <cstdlib>

using namespace livedesk::server;

namespace {

const QByteArray secret = QByteArrayLiteral("fuzz-secret");

QByteArray signedToken(const QByteArray &header, const QByteArray &claims)
{
    constexpr auto b64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
    const QByteArray input = header.toBase64(b64) + '.' + claims.toBase64(b64);
    return input + '.'
        + QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256).toBase64(b64);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    QByteArray token = rest;
    if (data[0] & 1) {
        const qsizetype cut = rest.indexOf('\n');
        token = cut < 0 ? signedToken(rest, {}) : signedToken(rest.left(cut), rest.mid(cut + 1));
    }
    QString error;
    const auto claims = Jwt::verify(QString::fromLatin1(token), secret, &error, now);
    if (!claims) {
        if (error.isEmpty())
            std::abort(); // every refusal says why
        return 0;
    }
    // Whatever is accepted has an expiry in the future.
    if (!claims->value(u"exp").isDouble() || claims->value(u"exp").toInteger() <= 1'800'000'000)
        std::abort();
    // A token signed with another secret never verifies.
    if (Jwt::verify(QString::fromLatin1(token), QByteArrayLiteral("other"), nullptr, now))
        std::abort();
    return 0;
}
