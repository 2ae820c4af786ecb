// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <optional>

namespace livedesk {

/**
 * What a role may do with a resource, as the schema's `permissions` and `/api/schema`'s
 * `allowed` name it: `read`, `create`, `update`, `delete`.
 *
 * The server reads these names from its schema file and writes them to clients; the client
 * reads them back. Both use this class, so the two cannot spell an action differently.
 */
class PermissionAction
{
public:
    enum class Value { Read, Create, Update, Delete };

    static QString name(Value action);
    /// The action named exactly @p name, nullopt for any other text.
    static std::optional<Value> fromName(QStringView name);
};

} // namespace livedesk
