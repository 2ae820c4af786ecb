// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace livedesk::server {

/**
 * A user who may log in, as declared in the schema file.
 *
 * The password is kept only as a PasswordHash string; toPublicJson() is what a login answer
 * or a user list may show, and never carries it.
 */
class UserSpec
{
public:
    /// Stable id: goes into JWTs, `created_by` / `updated_by` and event `meta.userId`.
    QString id;
    /// Login name; unique without regard to case.
    QString email;
    /// Display name; the email when not given.
    QString name;
    /// Free-form role name (`nurse`, `admin`, ...); `user` when not given.
    QString role;
    /// The tenant whose records this user sees; must be listed in the schema's tenants.
    QString tenant;
    /// `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>` (see PasswordHash).
    QString passwordHash;

    /// Reads one user declaration (the tenant is checked by ServerSchema).
    static bool fromJson(const QJsonObject &json, UserSpec *out, QString *error);
    /// `{id, email, name, role, tenant}`: no password hash.
    QJsonObject toPublicJson() const;
};

} // namespace livedesk::server
