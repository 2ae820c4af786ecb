// SPDX-License-Identifier: MIT
#include "permissions.h"

#include "permissionaction.h"

#include <algorithm>
#include <bit>
#include <iterator>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

constexpr Permissions::Action actions[]
    = {Permissions::Action::Read, Permissions::Action::Create, Permissions::Action::Update,
       Permissions::Action::Delete};

} // namespace

// Each flag is 1 << the shared vocabulary's value.
static_assert(int(Permissions::Action::Read) == 1 << int(PermissionAction::Value::Read)
              && int(Permissions::Action::Create) == 1 << int(PermissionAction::Value::Create)
              && int(Permissions::Action::Update) == 1 << int(PermissionAction::Value::Update)
              && int(Permissions::Action::Delete) == 1 << int(PermissionAction::Value::Delete));

QString Permissions::actionName(Action action)
{
    return PermissionAction::name(PermissionAction::Value(std::countr_zero(unsigned(action))));
}

QJsonArray Permissions::toJson(Actions allowed)
{
    QJsonArray names;
    for (const Action a : actions) {
        if (allowed & a)
            names.append(actionName(a));
    }
    return names;
}

Permissions::Actions Permissions::allowed(const QString &role) const
{
    if (!m_declared)
        return all();
    const auto it = m_roles.constFind(role);
    if (it != m_roles.cend())
        return *it;
    return m_roles.value(u"*"_s);
}

QString Permissions::refusal(const QString &role, Action action, const QString &what)
{
    return u"Your role (%1) may not %2 %3."_s.arg(role, actionName(action), what);
}

bool Permissions::fromJson(const QJsonValue &json, Permissions *out, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!json.isObject()) {
        return fail(u"\"permissions\" must be an object naming what each role may do, e.g. "
                    "{\"auditor\": [\"read\"], \"*\": [\"read\", \"create\", \"update\", "
                    "\"delete\"]}"_s);
    }
    Permissions p;
    p.m_declared = true;
    const QJsonObject object = json.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString role = it.key().trimmed();
        if (role.isEmpty())
            return fail(u"\"permissions\": a role name must not be empty"_s);
        if (!it.value().isArray())
            return fail(u"\"permissions\" of \"%1\" must be an array of actions"_s.arg(role));
        Actions allowed;
        for (const QJsonValue &v : it.value().toArray()) {
            const auto found = PermissionAction::fromName(v.toString());
            if (!v.isString() || !found) {
                return fail(u"\"permissions\" of \"%1\": \"%2\" is not an action "
                            u"(read, create, "
                            "update, delete)"_s.arg(role, v.toVariant().toString()));
            }
            allowed |= Action(1 << int(*found));
        }
        p.m_roles.insert(role, allowed);
    }
    *out = std::move(p);
    return true;
}

QJsonObject Permissions::toJson() const
{
    QJsonObject json;
    for (auto it = m_roles.cbegin(); it != m_roles.cend(); ++it)
        json.insert(it.key(), toJson(it.value()));
    return json;
}

} // namespace livedesk::server
