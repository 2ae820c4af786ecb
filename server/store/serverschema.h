// SPDX-License-Identifier: MIT
#pragma once

#include "resourcespec.h"
#include "userspec.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace livedesk::server {

/**
 * The schema file: which resources the server offers, which tenants and users exist.
 *
 * The embedded server is schema-driven (docs/architecture.md, "The server"): one JSON file declares
 * everything, the store creates a table per resource and the HTTP and Socket.IO layers derive their
 * routes and event names from it. The client reads the same format (users left out), so the format
 * is a contract and is checked strictly: unknown attributes are errors (a misspelt "requried" must
 * not silently make a field optional); free-form data goes into `ui`, `demo` or `description`.
 *
 * ## Format
 *
 * @code{.json}
 * {
 *   "name": "clinical",              // required, non-empty
 *   "version": 1,                    // integer >= 1, default 1
 *   "description": "...",            // optional
 *   "tenants": ["ward-a", "ward-b"],  // optional, default ["default"]; letters, digits, . _ -
 *   "users": [{                      // optional
 *     "id": "u-nurse",               // required, unique
 *     "email": "nurse@demo.local",   // required, unique without regard to case
 *     "name": "Nurse Joy",           // default: the email
 *     "role": "nurse",               // default: "user"
 *     "tenant": "ward-a",            // default: the first tenant; must be listed in tenants
 *     "passwordHash": "pbkdf2-sha256$100000$<salt b64>$<key b64>"   // see PasswordHash
 *   }],
 *   "resources": [{                  // required, at least one
 *     "name": "patients",            // required; letters, digits, '_'; table name
 *     "label": "Patients",           // default: name
 *     "path": "/api/patients",       // default: /api/<name>; see ResourceSpec::isValidPath
 *     "feature": "patients",         // event names <feature>.<entity>.<action>; default: name
 *     "entity": "patient",           // default: name
 *     "importModule": "patients",    // <importModule>.import.progress; default: name
 *     "description": "...", "ui": {}, "demo": {},   // optional, opaque to the server
 *     "permissions": {               // optional; without it every role may do everything
 *       "auditor": ["read"],         // role -> actions: read, create, update, delete
 *       "*": ["read", "create", "update", "delete"]   // every role not named; none without
 *     },                             // (see Permissions)
 *     "fields": [{                   // required, at least one
 *       "name": "hn",                // required; letters, digits, '_'; not a system name
 *       "type": "string",            // string|text|integer|number|boolean|date|datetime|enum
 *       "label": "HN",               // default: name
 *       "required": true,            // default false
 *       "unique": true,              // default false; unique per tenant
 *       "default": "...",            // optional; must itself be a valid value
 *       "maxLength": 20,             // string and text only
 *       "searchable": true,          // default false; see ResourceSpec::searchFields
 *       "editable": false,           // default true; false: set on create only
 *       "values": ["a", "b"],        // enum only, required there
 *       "description": "...", "ui": {}
 *     }]
 *   }]
 * }
 * @endcode
 *
 * (Comments above are for reading; the file itself is plain JSON.)
 *
 * Reserved field names: id, version, created_at, updated_at, created_by, updated_by, tenant
 * (every record has them; see ResourceSpec::systemFields). Resource names and paths are
 * unique, paths do not nest (`/api/a` and `/api/a/b` would fight over `/api/a/:id`), and no two
 * resources share feature+entity or importModule (their events would be indistinguishable).
 * Names are compared without case where SQLite would.
 */
class ServerSchema
{
public:
    QString name;
    int version = 1;
    QString description;
    QStringList tenants;
    QList<UserSpec> users;
    QList<ResourceSpec> resources;

    /// Reads and checks the file at @p path; on failure @p error says where and what.
    static bool load(const QString &path, ServerSchema *out, QString *error);
    /// Checks and takes @p json; on failure @p out is untouched and @p error says where
    /// (`resources[0].fields[2] ("sex"): ...`) and what.
    static bool fromJson(const QJsonObject &json, ServerSchema *out, QString *error);

    const ResourceSpec *resourceByName(QStringView name) const;
    /// The resource whose base path is @p path (a trailing '/' is ignored).
    const ResourceSpec *resourceByPath(QStringView path) const;
    /// Compared without case.
    const UserSpec *userByEmail(QStringView email) const;
    const UserSpec *userById(QStringView id) const;

    /// What a client may see: name, version, description, tenants and resources (without
    /// demo); never users.
    QJsonObject toPublicJson() const;
    /// What `GET /api/schema` answers a user with @p role: toPublicJson() with the `role`,
    /// and each resource's `permissions` replaced by `allowed`, the actions of that role
    /// (other roles' rights are none of the client's business).
    QJsonObject toClientJson(const QString &role) const;
};

} // namespace livedesk::server
