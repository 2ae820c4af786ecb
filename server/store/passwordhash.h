// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>

namespace livedesk::server {

/**
 * Password hashing for the schema's users: PBKDF2-HMAC-SHA256 with a random salt.
 *
 * The encoded form is self-describing, so the work factor can be raised later without
 * invalidating stored hashes:
 *
 *     pbkdf2-sha256$<iterations>$<salt, base64>$<32-byte key, base64>
 *
 * verify() compares in constant time (no early exit on the first differing byte) and refuses
 * malformed strings instead of treating them as a mismatch one could probe.
 */
class PasswordHash
{
public:
    /// Work factor of hash(): about 0.15 s per hash or verify with Qt's implementation here.
    static constexpr int defaultIterations = 100000;
    /// verify() refuses more than this: a schema file must not be able to stall the server.
    static constexpr int maxIterations = 10000000;

    /// A new encoded hash of @p password with a fresh 16-byte salt.
    static QString hash(const QString &password, int iterations = defaultIterations);
    /// True when @p password matches @p encoded; false also when @p encoded is malformed.
    static bool verify(const QString &password, const QString &encoded);
    /// True when @p encoded has the form above (iterations 1..maxIterations, salt ≥ 8 bytes,
    /// key 32 bytes).
    static bool isWellFormed(const QString &encoded);
};

} // namespace livedesk::server
