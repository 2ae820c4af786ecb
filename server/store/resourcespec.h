// SPDX-License-Identifier: MIT
#pragma once

#include "fieldspec.h"
#include "permissions.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>

namespace livedesk::server {

/**
 * One resource of the schema: a REST collection, a SQLite table and a realtime feature.
 *
 * Every record also has the system columns listed by systemFields() (id, version, created_at,
 * updated_at, created_by, updated_by) and a tenant that never leaves the server; their names,
 * and `tenant`, cannot be used for declared fields.
 */
class ResourceSpec
{
public:
    /// Table name and default of the other names; letters, digits, '_' (FieldSpec::isValidName).
    QString name;
    QString label;
    /// REST base path, e.g. `/api/patients`; `/api/<name>` when not given.
    QString path;
    /// Realtime naming: events are `<feature>.<entity>.<action>`; both default to the name.
    QString feature;
    QString entity;
    /// The module name of import events (`<importModule>.import.progress`); defaults to name.
    QString importModule;
    QString description;
    QList<FieldSpec> fields;
    /// Demo data and settings for seeding, kept as written; the store does not read it.
    QJsonObject demo;
    /// Opaque client hints.
    QJsonObject ui;
    /// What each role may do with these records; everything for everyone when not declared.
    Permissions permissions;

    /// The declared field called @p name, or nullptr.
    const FieldSpec *field(QStringView name) const;
    /// A declared field or a system field (for sorting, filtering and projection).
    const FieldSpec *column(QStringView name) const;

    /// The records named in a sentence ("patients", "lab orders"): the label, its first
    /// letter in lower case unless the label starts with an acronym ("HN codes").
    QString nameInSentence() const;

    /// Fields that take part in `search`: the searchable ones, or every string and text
    /// field when none is marked searchable.
    QList<const FieldSpec *> searchFields() const;

    /// id and version (integer), created_at and updated_at (datetime), created_by and
    /// updated_by (string), in this order; none of them editable.
    static const QList<FieldSpec> &systemFields();
    /// True for the system field names and `tenant` (compared without case, as SQLite does).
    static bool isReservedName(QStringView name);

    /// Reads one resource declaration; @p error says what is wrong, prefixed with the field
    /// position when a field is at fault.
    static bool fromJson(const QJsonObject &json, ResourceSpec *out, QString *error);
    /// The declaration in the schema file's format; @p withDemo includes the demo object.
    QJsonObject toJson(bool withDemo = true) const;

    /// A well-formed REST path: `/api/` followed by segments of letters, digits and `-._~`,
    /// no trailing slash, not under `/api/auth` or `/api/ws`.
    static bool isValidPath(QStringView path, QString *why = nullptr);
};

} // namespace livedesk::server
