// SPDX-License-Identifier: MIT
#include "userspec.h"

#include "passwordhash.h"

#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace livedesk::server {

bool UserSpec::fromJson(const QJsonObject &json, UserSpec *out, QString *error)
{
    static const QSet<QString> known{u"id"_s,   u"email"_s,  u"name"_s,
                                     u"role"_s, u"tenant"_s, u"passwordHash"_s};
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(u"unknown attribute \"%1\""_s.arg(it.key()));
        if (!it.value().isString())
            return fail(u"\"%1\" must be a string"_s.arg(it.key()));
    }
    UserSpec u;
    u.id = json.value("id"_L1).toString().trimmed();
    u.email = json.value("email"_L1).toString().trimmed();
    u.name = json.value("name"_L1).toString().trimmed();
    u.role = json.value("role"_L1).toString(u"user"_s).trimmed();
    u.tenant = json.value("tenant"_L1).toString().trimmed();
    u.passwordHash = json.value("passwordHash"_L1).toString();
    if (u.id.isEmpty())
        return fail(u"\"id\" is missing"_s);
    if (u.email.isEmpty() || !u.email.contains(u'@'))
        return fail(u"\"email\" must be an email address"_s);
    if (u.name.isEmpty())
        u.name = u.email;
    if (u.role.isEmpty())
        return fail(u"\"role\" must not be empty"_s);
    if (!PasswordHash::isWellFormed(u.passwordHash)) {
        return fail(u"\"passwordHash\" must be pbkdf2-sha256$<iterations>$<salt base64>$<hash "
                    "base64> (make one with PasswordHash::hash)"_s);
    }
    *out = std::move(u);
    return true;
}

QJsonObject UserSpec::toPublicJson() const
{
    return QJsonObject{
        {"id"_L1, id},     {"email"_L1, email},   {"name"_L1, name},
        {"role"_L1, role}, {"tenant"_L1, tenant},
    };
}

} // namespace livedesk::server
