// SPDX-License-Identifier: MIT
#include "resourcespec.h"

#include <QtCore/QJsonArray>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

FieldSpec systemField(const QString &name, FieldSpec::Type type)
{
    FieldSpec f;
    f.name = name;
    f.label = name;
    f.type = type;
    f.editable = false;
    return f;
}

bool isPathSegmentChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
        || u == u'-' || u == u'.' || u == u'_' || u == u'~';
}

} // namespace

const QList<FieldSpec> &ResourceSpec::systemFields()
{
    static const QList<FieldSpec> fields{
        systemField(u"id"_s, FieldSpec::Type::Integer),
        systemField(u"version"_s, FieldSpec::Type::Integer),
        systemField(u"created_at"_s, FieldSpec::Type::DateTime),
        systemField(u"updated_at"_s, FieldSpec::Type::DateTime),
        systemField(u"created_by"_s, FieldSpec::Type::String),
        systemField(u"updated_by"_s, FieldSpec::Type::String),
    };
    return fields;
}

bool ResourceSpec::isReservedName(QStringView name)
{
    if (name.compare(u"tenant", Qt::CaseInsensitive) == 0)
        return true;
    for (const FieldSpec &f : systemFields()) {
        if (name.compare(f.name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

const FieldSpec *ResourceSpec::field(QStringView name) const
{
    for (const FieldSpec &f : fields) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

const FieldSpec *ResourceSpec::column(QStringView name) const
{
    if (const FieldSpec *f = field(name))
        return f;
    for (const FieldSpec &f : systemFields()) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

QString ResourceSpec::nameInSentence() const
{
    if (label.size() > 1 && label.at(0).isUpper() && label.at(1).isUpper())
        return label;
    return label.isEmpty() ? name : label.at(0).toLower() + label.mid(1);
}

QList<const FieldSpec *> ResourceSpec::searchFields() const
{
    QList<const FieldSpec *> marked;
    QList<const FieldSpec *> textual;
    for (const FieldSpec &f : fields) {
        if (f.searchable)
            marked.append(&f);
        if (f.type == FieldSpec::Type::String || f.type == FieldSpec::Type::Text)
            textual.append(&f);
    }
    return marked.isEmpty() ? textual : marked;
}

bool ResourceSpec::isValidPath(QStringView path, QString *why)
{
    auto fail = [why](const QString &message) {
        if (why)
            *why = message;
        return false;
    };
    if (!path.startsWith(u"/api/"))
        return fail(u"must start with /api/"_s);
    if (path.endsWith(u'/'))
        return fail(u"must not end with '/'"_s);
    const auto segments = path.sliced(1).split(u'/');
    for (const QStringView segment : segments) {
        if (segment.isEmpty())
            return fail(u"has an empty segment"_s);
        if (segment == u"." || segment == u"..")
            return fail(u"has a '.' or '..' segment"_s);
        for (const QChar c : segment) {
            if (!isPathSegmentChar(c))
                return fail(u"may hold only letters, digits and -._~ between slashes"_s);
        }
    }
    if (segments.size() < 2)
        return fail(u"needs a segment after /api/"_s);
    const QStringView first = segments.at(1);
    if (first == u"auth" || first == u"ws")
        return fail(u"/api/auth and /api/ws are taken by the server"_s);
    return true;
}

bool ResourceSpec::fromJson(const QJsonObject &json, ResourceSpec *out, QString *error)
{
    static const QSet<QString> known{
        u"name"_s,   u"label"_s,       u"path"_s, u"feature"_s, u"entity"_s,      u"importModule"_s,
        u"fields"_s, u"description"_s, u"demo"_s, u"ui"_s,      u"permissions"_s,
    };
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(u"unknown attribute \"%1\""_s.arg(it.key()));
    }

    ResourceSpec r;
    const QJsonValue name = json.value("name"_L1);
    if (!name.isString() || !FieldSpec::isValidName(name.toString())) {
        return fail(u"\"name\" must be letters, digits and '_' (not starting with a digit, "
                    "at most 63 characters)"_s);
    }
    r.name = name.toString();
    if (r.name.startsWith("sqlite_"_L1, Qt::CaseInsensitive)
        || r.name.startsWith("livedesk_"_L1, Qt::CaseInsensitive)) {
        return fail(u"names starting with sqlite_ or livedesk_ are reserved for the server's "
                    "own tables"_s);
    }

    const QLatin1StringView stringKeys[]
        = {"label"_L1, "path"_L1, "feature"_L1, "entity"_L1, "importModule"_L1, "description"_L1};
    for (const auto key : stringKeys) {
        const QJsonValue v = json.value(key);
        if (!v.isUndefined() && !v.isString())
            return fail(u"\"%1\" must be a string"_s.arg(key));
    }
    r.label = json.value("label"_L1).toString(r.name);
    r.path = json.value("path"_L1).toString(u"/api/"_s + r.name);
    r.feature = json.value("feature"_L1).toString(r.name);
    r.entity = json.value("entity"_L1).toString(r.name);
    r.importModule = json.value("importModule"_L1).toString(r.name);
    r.description = json.value("description"_L1).toString();
    if (r.label.isEmpty() || r.feature.isEmpty() || r.entity.isEmpty() || r.importModule.isEmpty())
        return fail(u"label, feature, entity and importModule must not be empty"_s);
    if (QString why; !isValidPath(r.path, &why))
        return fail(u"path \"%1\" %2"_s.arg(r.path, why));

    for (const auto key : {"demo"_L1, "ui"_L1}) {
        const QJsonValue v = json.value(key);
        if (!v.isUndefined() && !v.isObject())
            return fail(u"\"%1\" must be an object"_s.arg(key));
    }
    r.demo = json.value("demo"_L1).toObject();
    r.ui = json.value("ui"_L1).toObject();
    if (const QJsonValue permissions = json.value("permissions"_L1); !permissions.isUndefined()) {
        QString why;
        if (!Permissions::fromJson(permissions, &r.permissions, &why))
            return fail(why);
    }

    const QJsonValue fields = json.value("fields"_L1);
    if (!fields.isArray() || fields.toArray().isEmpty())
        return fail(u"\"fields\" must be a non-empty array"_s);
    QSet<QString> seen;
    const QJsonArray fieldArray = fields.toArray();
    for (qsizetype i = 0; i < fieldArray.size(); ++i) {
        const QJsonValue fv = fieldArray.at(i);
        const QString where = u"fields[%1]"_s.arg(i);
        if (!fv.isObject())
            return fail(where + u": must be an object"_s);
        FieldSpec f;
        QString why;
        if (!FieldSpec::fromJson(fv.toObject(), &f, &why)) {
            const QString fieldName = fv.toObject().value("name"_L1).toString();
            return fail(fieldName.isEmpty() ? u"%1: %2"_s.arg(where, why)
                                            : u"%1 (\"%2\"): %3"_s.arg(where, fieldName, why));
        }
        if (isReservedName(f.name)) {
            return fail(
                u"%1 (\"%2\"): the name is reserved for a system column (id, version, "
                "created_at, updated_at, created_by, updated_by, tenant)"_s.arg(where, f.name));
        }
        // SQLite column names ignore case, so "Name" and "name" would be one column.
        if (seen.contains(f.name.toLower()))
            return fail(u"%1 (\"%2\"): duplicate field name"_s.arg(where, f.name));
        seen.insert(f.name.toLower());
        r.fields.append(std::move(f));
    }
    *out = std::move(r);
    return true;
}

QJsonObject ResourceSpec::toJson(bool withDemo) const
{
    QJsonArray fieldArray;
    for (const FieldSpec &f : fields)
        fieldArray.append(f.toJson());
    QJsonObject json{
        {"name"_L1, name},         {"label"_L1, label},   {"path"_L1, path},
        {"feature"_L1, feature},   {"entity"_L1, entity}, {"importModule"_L1, importModule},
        {"fields"_L1, fieldArray},
    };
    if (!description.isEmpty())
        json.insert("description"_L1, description);
    if (!ui.isEmpty())
        json.insert("ui"_L1, ui);
    if (permissions.isDeclared())
        json.insert("permissions"_L1, permissions.toJson());
    if (withDemo && !demo.isEmpty())
        json.insert("demo"_L1, demo);
    return json;
}

} // namespace livedesk::server
