// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QFlags>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace livedesk::server {

/**
 * What each role may do with one resource: the `permissions` object of a
 * resource in the schema file, `{"auditor": ["read"], "*": ["read", "create",
 * "update", "delete"]}`.
 *
 * A role is a user's `role` (UserSpec); a role not named takes the entry `"*"`,
 * and without one it may do nothing. A resource without `permissions` lets
 * every role do everything, so a schema written before roles existed keeps
 * working. The server refuses what a role may not do with 403 FORBIDDEN and
 * refusal() as the message, and tells a client what its role may do (`allowed`
 * in `/api/schema`), so that a client offers only that.
 */
class Permissions
{
public:
    enum class Action { Read = 0x1, Create = 0x2, Update = 0x4, Delete = 0x8 };
    Q_DECLARE_FLAGS(Actions, Action)

    /// Every action.
    static constexpr Actions all()
    {
        return Actions(Action::Read) | Action::Create | Action::Update | Action::Delete;
    }

    /// False for a resource without `permissions`: everything is allowed to
    /// everyone.
    bool isDeclared() const { return m_declared; }
    /// What @p role may do.
    Actions allowed(const QString &role) const;
    bool allows(const QString &role, Action action) const { return allowed(role) & action; }

    /// The sentence a refused request gets: "Your role (auditor) may not delete
    /// patients."
    /// @p what names the records in a sentence ("patients", "lab orders").
    static QString refusal(const QString &role, Action action, const QString &what);

    /// The wire name of @p action: read, create, update, delete.
    static QString actionName(Action action);
    /// The names of @p actions, in the order read, create, update, delete.
    static QJsonArray toJson(Actions actions);

    /// Reads a `permissions` value; @p error says what is wrong (a misspelt
    /// action is an error: it would otherwise refuse silently what the author
    /// meant to allow).
    static bool fromJson(const QJsonValue &json, Permissions *out, QString *error);
    /// The `permissions` object as the schema file has it (empty when not
    /// declared).
    QJsonObject toJson() const;

private:
    QHash<QString, Actions> m_roles;
    bool m_declared = false;
};

} // namespace livedesk::server

Q_DECLARE_OPERATORS_FOR_FLAGS(livedesk::server::Permissions::Actions)
