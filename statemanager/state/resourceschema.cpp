// SPDX-License-Identifier: MIT
#include "state/resourceschema.h"

#include "events/eventnaming.h"
#include "events/realtimeevent.h"
#include "livedesklogging.h"
#include "permissionaction.h"

#include <QtCore/QDate>
#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>
#include <QtCore/QTimeZone>

#include <cmath>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

// Strictly YYYY-MM-DD and a real day.
bool isIsoDate(QStringView s)
{
    const auto digits = [](QStringView part) {
        return std::all_of(part.begin(), part.end(),
                           [](QChar c) { return c >= u'0' && c <= u'9'; });
    };
    if (s.size() != 10 || s[4] != u'-' || s[7] != u'-' || !digits(s.first(4))
        || !digits(s.sliced(5, 2)) || !digits(s.sliced(8, 2)))
        return false;
    return QDate(s.first(4).toInt(), s.sliced(5, 2).toInt(), s.sliced(8, 2).toInt()).isValid();
}

using Column = ResourceSchema::Column;

const QStringList &typeNames()
{
    static const QStringList names{u"string"_s,  u"text"_s, u"integer"_s,  u"number"_s,
                                   u"boolean"_s, u"date"_s, u"datetime"_s, u"enum"_s};
    return names;
}

// "a, b and c".
QString listed(const QStringList &items)
{
    if (items.size() < 2)
        return items.join(u""_s);
    return items.mid(0, items.size() - 1).join(u", "_s) + u" and "_s + items.last();
}

QString quoted(const QString &text)
{
    return u"\""_s + text + u"\""_s;
}

// The attributes of the schema format (ServerSchema on the server) plus the two a file for a
// plain AegisX backend may add.
const QSet<QString> &knownResourceKeys()
{
    static const QSet<QString> keys{
        u"name"_s,         u"label"_s,        u"path"_s,        u"feature"_s, u"entity"_s,
        u"importModule"_s, u"fields"_s,       u"description"_s, u"demo"_s,    u"ui"_s,
        u"idField"_s,      u"versionField"_s, u"permissions"_s, u"allowed"_s};
    return keys;
}

const QSet<QString> &knownFieldKeys()
{
    static const QSet<QString> keys{u"name"_s,     u"type"_s,    u"label"_s,       u"required"_s,
                                    u"unique"_s,   u"default"_s, u"maxLength"_s,   u"searchable"_s,
                                    u"editable"_s, u"values"_s,  u"description"_s, u"ui"_s,
                                    u"min"_s,      u"max"_s,     u"notFuture"_s};
    return keys;
}

Column systemColumn(const QString &name, const QString &label, const QString &type)
{
    Column c;
    c.name = name;
    c.label = label;
    c.type = type;
    c.editable = false;
    c.system = true;
    return c;
}

bool isWholeNumber(const QJsonValue &value)
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    return std::isfinite(d) && std::trunc(d) == d && std::abs(d) <= 9007199254740992.0;
}

// Reads one field declaration; on failure the sentence says what is wrong with it (the
// caller names the resource and the field).
std::optional<Column> parseField(const QJsonObject &json, bool strict, QString *why)
{
    auto fail = [why](const QString &message) {
        *why = message;
        return std::nullopt;
    };
    if (strict) {
        for (auto it = json.begin(); it != json.end(); ++it) {
            if (!knownFieldKeys().contains(it.key()))
                return fail(u"has the unknown attribute %1"_s.arg(quoted(it.key())));
        }
    }
    Column c;
    const QJsonValue name = json.value(u"name");
    if (!name.isString() || name.toString().trimmed().isEmpty())
        return fail(u"has no name"_s);
    c.name = name.toString();

    const QJsonValue type = json.value(u"type");
    if (type.isUndefined() || type.isNull()) {
        c.type = u"string"_s;
    } else if (!type.isString() || !typeNames().contains(type.toString())) {
        return fail(u"has the unknown type %1; the types are %2"_s.arg(
            quoted(type.toVariant().toString()), listed(typeNames())));
    } else {
        c.type = type.toString();
    }

    const QJsonValue label = json.value(u"label");
    if (!label.isUndefined() && !label.isString())
        return fail(u"has a label that is not a string"_s);
    c.label = label.toString();
    if (c.label.isEmpty())
        c.label = c.name;

    for (const auto &key : {u"required"_s, u"editable"_s, u"unique"_s, u"searchable"_s}) {
        const QJsonValue v = json.value(key);
        if (!v.isUndefined() && !v.isBool())
            return fail(u"has %1 set to something other than true or false"_s.arg(quoted(key)));
    }
    c.required = json.value(u"required").toBool(false);
    c.editable = json.value(u"editable").toBool(true);

    const QJsonValue maxLength = json.value(u"maxLength");
    if (!maxLength.isUndefined()) {
        if (!isWholeNumber(maxLength) || maxLength.toDouble() < 1 || maxLength.toDouble() > 1e9)
            return fail(u"has a maxLength that is not a positive whole number"_s);
        c.maxLength = maxLength.toInt();
    }

    const QJsonValue values = json.value(u"values");
    if (c.type == u"enum") {
        if (!values.isArray() || values.toArray().isEmpty())
            return fail(u"is an enum without a non-empty \"values\" array"_s);
        const QJsonArray array = values.toArray();
        for (const QJsonValue v : array) {
            if (!v.isString() || v.toString().isEmpty())
                return fail(u"lists enum values that are not non-empty strings"_s);
            if (c.enumValues.contains(v.toString()))
                return fail(u"lists the enum value %1 twice"_s.arg(quoted(v.toString())));
            c.enumValues.append(v.toString());
        }
    } else if (!values.isUndefined() && strict) {
        return fail(u"has \"values\" but is not an enum"_s);
    }

    const bool dated = c.type == u"date" || c.type == u"datetime";
    for (const auto &key : {u"min"_s, u"max"_s}) {
        const QJsonValue bound = json.value(key);
        if (bound.isUndefined() || (!dated && !strict))
            continue;
        if (!dated)
            return fail(u"has %1 but is not a date or datetime"_s.arg(quoted(key)));
        // Kept as records carry it, so that values compare as text.
        const QJsonValue normalized = bound.isString()
            ? ResourceSchema::filterValue(c, bound.toString())
            : QJsonValue(QJsonValue::Undefined);
        if (!normalized.isString())
            return fail(u"has a %1 that is not a %2"_s.arg(quoted(key), c.type));
        (key == u"min" ? c.min : c.max) = normalized.toString();
    }
    const QJsonValue notFuture = json.value(u"notFuture");
    if (!notFuture.isUndefined()) {
        if (!notFuture.isBool())
            return fail(u"has \"notFuture\" set to something other than true or false"_s);
        if (!dated && strict)
            return fail(u"has \"notFuture\" but is not a date or datetime"_s);
        c.notFuture = dated && notFuture.toBool();
    }

    const QJsonValue def = json.value(u"default");
    if (!def.isUndefined() && !def.isNull()) {
        if (c.type == u"enum" && !c.enumValues.contains(def.toString()))
            return fail(u"has the default %1, which is not one of its values"_s.arg(
                quoted(def.toVariant().toString())));
        c.defaultValue = def;
    }
    return c;
}

std::optional<ResourceSchema> parseResource(const QJsonObject &json, const QString &name,
                                            bool strict, QString *error)
{
    const QString where = u"Resource %1"_s.arg(quoted(name));
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (strict) {
        for (auto it = json.begin(); it != json.end(); ++it) {
            if (!knownResourceKeys().contains(it.key())) {
                return fail(u"%1 has the unknown attribute %2."_s.arg(where, quoted(it.key())));
            }
        }
    }

    ResourceSchema s = ResourceSchema::named(name);
    // The server's defaults (ResourceSpec): everything is named after the resource.
    s.importModule = name;
    for (const auto &key :
         {u"label"_s, u"path"_s, u"feature"_s, u"entity"_s, u"importModule"_s, u"idField"_s}) {
        const QJsonValue v = json.value(key);
        if (!v.isUndefined() && (!v.isString() || v.toString().trimmed().isEmpty()))
            return fail(u"%1: %2 must be a non-empty string."_s.arg(where, quoted(key)));
    }
    s.label = json.value(u"label").toString(name);
    s.restPath = json.value(u"path").toString(s.restPath);
    if (!s.restPath.startsWith(u'/'))
        return fail(u"%1: the path %2 does not start with \"/\"."_s.arg(where, quoted(s.restPath)));
    if (s.restPath.size() > 1 && s.restPath.endsWith(u'/'))
        s.restPath.chop(1);
    s.feature = json.value(u"feature").toString(s.feature);
    s.entity = json.value(u"entity").toString(s.entity);
    s.importModule = json.value(u"importModule").toString(s.importModule);
    s.idField = json.value(u"idField").toString(u"id"_s);

    const QJsonValue versionField = json.value(u"versionField");
    if (versionField.isUndefined()) {
        s.versionField = u"version"_s;
    } else if (versionField.isNull()) {
        s.versionField.clear();
    } else if (!versionField.isString() || versionField.toString().trimmed().isEmpty()) {
        return fail(u"%1: \"versionField\" must be a field name, or null when records carry no "
                    "version."_s.arg(where));
    } else {
        s.versionField = versionField.toString();
    }
    if (s.idField == s.versionField)
        return fail(
            u"%1: %2 cannot be both the id and the version field."_s.arg(where, quoted(s.idField)));

    // What the signed-in user may do; a file may say it too (to offer less than a plain
    // AegisX server allows). `permissions` (every role's rights) is the server's business.
    const QJsonValue allowed = json.value(u"allowed");
    if (!allowed.isUndefined()) {
        if (!allowed.isArray())
            return fail(u"%1: \"allowed\" must be an array of actions."_s.arg(where));
        s.allowed.clear();
        for (const QJsonValue v : allowed.toArray()) {
            const QString action = v.toString();
            const bool known = PermissionAction::fromName(action).has_value();
            if (!known && strict) {
                return fail(u"%1: %2 in \"allowed\" is not read, create, update or delete."_s.arg(
                    where, quoted(v.toVariant().toString())));
            }
            if (known && !s.allowed.contains(action))
                s.allowed.append(action);
        }
    }

    const QJsonValue fields = json.value(u"fields");
    if (!fields.isArray())
        return fail(u"%1 has no \"fields\" array."_s.arg(where));
    const QJsonArray fieldArray = fields.toArray();
    QSet<QString> seen;
    for (qsizetype i = 0; i < fieldArray.size(); ++i) {
        const QJsonValue fv = fieldArray.at(i);
        const QString fieldName = fv.toObject().value(u"name").toString();
        const QString which = fieldName.isEmpty()
            ? u"field %1"_s.arg(i + 1)
            : u"field %1 (%2)"_s.arg(i + 1).arg(quoted(fieldName));
        if (!fv.isObject())
            return fail(u"%1: %2 is not an object."_s.arg(where, which));
        QString why;
        auto column = parseField(fv.toObject(), strict, &why);
        if (!column)
            return fail(u"%1: %2 %3."_s.arg(where, which, why));
        if (seen.contains(column->name))
            return fail(u"%1: %2 is declared twice."_s.arg(where, which));
        seen.insert(column->name);
        // An id or version that the file declares itself is still never edited.
        if (column->name == s.idField || column->name == s.versionField)
            column->editable = false;
        s.columns.append(*column);
    }

    // The system fields every record has (ResourceSpec::systemFields() on the server), with
    // the id and version under the names this backend uses.
    QList<Column> system;
    system.append(
        systemColumn(s.idField, u"ID"_s, s.idField == u"id" ? u"integer"_s : u"string"_s));
    if (s.hasVersions())
        system.append(systemColumn(s.versionField, u"Version"_s, u"integer"_s));
    system.append(systemColumn(u"created_at"_s, u"Created at"_s, u"datetime"_s));
    system.append(systemColumn(u"updated_at"_s, u"Updated at"_s, u"datetime"_s));
    system.append(systemColumn(u"created_by"_s, u"Created by"_s, u"string"_s));
    system.append(systemColumn(u"updated_by"_s, u"Updated by"_s, u"string"_s));
    for (const Column &c : std::as_const(system)) {
        if (!seen.contains(c.name))
            s.columns.append(c);
    }
    return s;
}

// The resources of a schema document; the whole `/api/schema` envelope is accepted as well as
// its data.
QJsonValue resourcesOf(const QJsonObject &document)
{
    if (!document.contains(u"resources") && document.value(u"data").isObject())
        return document.value(u"data").toObject().value(u"resources");
    return document.value(u"resources");
}

QString guessType(const QJsonValue &value)
{
    static const QRegularExpression datePattern(u"^\\d{4}-\\d{2}-\\d{2}$"_s);
    static const QRegularExpression dateTimePattern(u"^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}"_s);
    switch (value.type()) {
    case QJsonValue::Bool:
        return u"boolean"_s;
    case QJsonValue::Double:
        return isWholeNumber(value) ? u"integer"_s : u"number"_s;
    case QJsonValue::String: {
        const QString text = value.toString();
        if (datePattern.match(text).hasMatch() && QDate::fromString(text, Qt::ISODate).isValid())
            return u"date"_s;
        if (dateTimePattern.match(text).hasMatch()) {
            QString iso = text;
            iso[10] = u'T';
            if (QDateTime::fromString(iso, Qt::ISODateWithMs).isValid())
                return u"datetime"_s;
        }
        return text.contains(u'\n') ? u"text"_s : u"string"_s;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Array:
    case QJsonValue::Object:
        break;
    }
    return u"string"_s;
}

// The type of a column whose values have the types @p seen.
QString combinedType(const QSet<QString> &seen)
{
    if (seen.isEmpty())
        return u"string"_s;
    if (seen.size() == 1)
        return *seen.cbegin();
    if (seen == QSet<QString>{u"integer"_s, u"number"_s})
        return u"number"_s;
    if (seen == QSet<QString>{u"string"_s, u"text"_s})
        return u"text"_s;
    return u"string"_s;
}

} // namespace

static_assert(int(ResourceSchema::Action::Read) == int(PermissionAction::Value::Read)
              && int(ResourceSchema::Action::Create) == int(PermissionAction::Value::Create)
              && int(ResourceSchema::Action::Update) == int(PermissionAction::Value::Update)
              && int(ResourceSchema::Action::Delete) == int(PermissionAction::Value::Delete));

QString ResourceSchema::actionName(Action action)
{
    return PermissionAction::name(PermissionAction::Value(action));
}

QString ResourceSchema::refusal(Action action) const
{
    if (allows(action))
        return {};
    // The records in a sentence: "patients", "lab orders", but "HN codes".
    QString what = label.isEmpty() ? name : label;
    if (!what.isEmpty() && (what.size() < 2 || !what.at(1).isUpper()))
        what = what.at(0).toLower() + what.mid(1);
    const bool readOnly = allowed.size() == 1 && allows(Action::Read);
    if (role.isEmpty()) {
        if (readOnly)
            return tr("The server lets you only read %1.").arg(what);
        switch (action) {
        case Action::Read:
            return tr("The server does not let you read %1.").arg(what);
        case Action::Create:
            return tr("The server does not let you create %1.").arg(what);
        case Action::Update:
            return tr("The server does not let you change %1.").arg(what);
        case Action::Delete:
            return tr("The server does not let you delete %1.").arg(what);
        }
    }
    if (readOnly)
        return tr("Your role (%1) may only read %2.").arg(role, what);
    switch (action) {
    case Action::Read:
        return tr("Your role (%1) may not read %2.").arg(role, what);
    case Action::Create:
        return tr("Your role (%1) may not create %2.").arg(role, what);
    case Action::Update:
        return tr("Your role (%1) may not change %2.").arg(role, what);
    case Action::Delete:
        return tr("Your role (%1) may not delete %2.").arg(role, what);
    }
    return {};
}

QString ResourceSchema::idOf(const QJsonObject &record) const
{
    return RealtimeEvent::idText(record.value(idField));
}

qint64 ResourceSchema::versionOf(const QJsonObject &record) const
{
    if (!hasVersions())
        return -1;
    const QJsonValue v = record.value(versionField);
    return v.isDouble() ? v.toInteger() : -1;
}

int ResourceSchema::columnIndex(QStringView name) const
{
    for (qsizetype i = 0; i < columns.size(); ++i) {
        if (columns.at(i).name == name)
            return int(i);
    }
    return -1;
}

const ResourceSchema::Column *ResourceSchema::column(QStringView name) const
{
    const int i = columnIndex(name);
    return i < 0 ? nullptr : &columns.at(i);
}

QStringList ResourceSchema::editableColumns() const
{
    QStringList names;
    for (const Column &c : columns) {
        if (c.editable && !c.system)
            names.append(c.name);
    }
    return names;
}

std::pair<const ResourceSchema::Column *, ResourceSchema::FilterOp>
ResourceSchema::filterKey(QStringView key) const
{
    if (const Column *c = column(key))
        return {c, FilterOp::Equals};
    if (key.endsWith(u"_min"))
        return {column(key.chopped(4)), FilterOp::AtLeast};
    if (key.endsWith(u"_max"))
        return {column(key.chopped(4)), FilterOp::AtMost};
    return {nullptr, FilterOp::Equals};
}

QString ResourceSchema::filterKeyFor(const QString &field, FilterOp op)
{
    switch (op) {
    case FilterOp::AtLeast:
        return field + u"_min"_s;
    case FilterOp::AtMost:
        return field + u"_max"_s;
    case FilterOp::Equals:
        break;
    }
    return field;
}

bool ResourceSchema::isOrdered(const Column &column)
{
    return column.type == u"integer" || column.type == u"number" || column.type == u"date"
        || column.type == u"datetime";
}

QJsonValue ResourceSchema::filterValue(const Column &column, const QString &text)
{
    const QString &type = column.type;
    if (type == u"string" || type == u"text")
        return text;
    const QString t = text.trimmed();
    if (type == u"integer") {
        bool ok = false;
        const qint64 n = t.toLongLong(&ok);
        if (!ok || !(t[0].isDigit() || ((t[0] == u'-' || t[0] == u'+') && t.size() > 1)))
            return QJsonValue::Undefined;
        return QJsonValue(n);
    }
    if (type == u"number") {
        bool ok = false;
        const double d = t.toDouble(&ok);
        return ok && std::isfinite(d) ? QJsonValue(d) : QJsonValue(QJsonValue::Undefined);
    }
    if (type == u"boolean") {
        const QString l = t.toLower();
        if (l == u"true" || l == u"yes" || l == u"1")
            return true;
        if (l == u"false" || l == u"no" || l == u"0")
            return false;
        return QJsonValue::Undefined;
    }
    if (type == u"enum") {
        for (const QString &v : column.enumValues) {
            if (v.compare(t, Qt::CaseInsensitive) == 0)
                return v;
        }
        return QJsonValue::Undefined;
    }
    if (type == u"date")
        return isIsoDate(t) ? QJsonValue(t) : QJsonValue(QJsonValue::Undefined);
    if (type == u"datetime") {
        QDateTime dt;
        if (t.size() > 10 && isIsoDate(QStringView(t).first(10)))
            dt = QDateTime::fromString(t, Qt::ISODateWithMs);
        if (!dt.isValid())
            return QJsonValue::Undefined;
        if (dt.timeSpec() == Qt::LocalTime) // no offset given: UTC, as the server reads it
            dt = QDateTime(dt.date(), dt.time(), QTimeZone::utc());
        return dt.toUTC().toString(Qt::ISODateWithMs);
    }
    return QJsonValue::Undefined;
}

ResourceSchema::Bound ResourceSchema::bound(const Column &column, const QJsonValue &value,
                                            const QDateTime &now)
{
    if ((column.type != u"date" && column.type != u"datetime") || !value.isString())
        return Bound::Within;
    // The record's form, so that it compares with the bounds as text (fixed width, UTC).
    const QJsonValue typed = filterValue(column, value.toString());
    if (!typed.isString())
        return Bound::Within;
    const QString v = typed.toString();
    if (!column.min.isEmpty() && v < column.min)
        return Bound::BeforeMin;
    if (!column.max.isEmpty() && v > column.max)
        return Bound::AfterMax;
    if (column.notFuture) {
        const QString latest = column.type == u"date"
            ? now.toLocalTime().date().toString(Qt::ISODate)
            : now.toUTC().toString(Qt::ISODateWithMs);
        if (v > latest)
            return Bound::InFuture;
    }
    return Bound::Within;
}

QString ResourceSchema::displayField() const
{
    for (const QString &preferred : {u"name"_s, u"title"_s, u"label"_s}) {
        if (const Column *c = column(preferred); c && !c->system)
            return c->name;
    }
    for (const Column &c : columns) {
        if (!c.system && c.name != idField && c.type == u"string")
            return c.name;
    }
    return {};
}

ResourceSchema ResourceSchema::named(const QString &name)
{
    ResourceSchema s;
    s.name = name;
    s.label = name;
    s.restPath = u"/api/"_s + name;
    s.feature = name;
    // "budget-plans" and "budget_plans" are the module "budgetPlans".
    bool upper = false;
    for (const QChar c : name) {
        if (c == u'-' || c == u'_' || c == u' ' || c == u'.') {
            upper = !s.importModule.isEmpty();
            continue;
        }
        s.importModule += upper ? c.toUpper() : c;
        upper = false;
    }
    return s;
}

std::optional<ResourceSchema>
ResourceSchema::fromSchemaDocument(const QJsonObject &document, const QString &name, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QJsonValue resources = resourcesOf(document);
    if (!resources.isArray())
        return fail(u"The schema has no \"resources\" array, so it describes no resource, "
                    "not even %1."_s.arg(quoted(name)));
    const QJsonArray array = resources.toArray();
    QStringList names;
    std::optional<QJsonObject> found;
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject())
            return fail(u"The schema's resource number %1 is not an object."_s.arg(i + 1));
        const QJsonObject r = array.at(i).toObject();
        const QString n = r.value(u"name").toString();
        if (n.isEmpty())
            return fail(u"The schema's resource number %1 has no name."_s.arg(i + 1));
        if (names.contains(n))
            return fail(u"The schema lists the resource %1 twice."_s.arg(quoted(n)));
        names.append(n);
        if (n == name || (!found && EventNaming::sameName(n, name)))
            found = r;
    }
    if (!found) {
        if (names.isEmpty())
            return fail(u"The schema has no resource %1; it lists no resources at all."_s.arg(
                quoted(name)));
        return fail(
            u"The schema has no resource %1; it has %2."_s.arg(quoted(name), listed(names)));
    }
    auto parsed = parseResource(*found, found->value(u"name").toString(), false, error);
    if (parsed) {
        const QJsonObject top
            = document.contains(u"resources") ? document : document.value(u"data").toObject();
        parsed->role = top.value(u"role").toString();
    }
    return parsed;
}

std::optional<ResourceSchema> ResourceSchema::fromSchemaFile(const QString &path,
                                                             const QString &name, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(u"Cannot read the schema file %1: %2."_s.arg(path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(u"The schema file %1 is not valid JSON (at offset %2: %3)."_s.arg(
            path, QString::number(parseError.offset), parseError.errorString()));
    }
    if (!doc.isObject())
        return fail(u"The schema file %1 does not hold a JSON object."_s.arg(path));

    // The document is checked as a whole first (names, duplicates), then the one resource,
    // strictly: a file is written by people.
    QString why;
    auto lenient = fromSchemaDocument(doc.object(), name, &why);
    if (!lenient)
        return fail(u"%1: %2"_s.arg(path, why));
    const QJsonArray resources = resourcesOf(doc.object()).toArray();
    for (const QJsonValue r : resources) {
        if (r.toObject().value(u"name").toString() != lenient->name)
            continue;
        auto strict = parseResource(r.toObject(), lenient->name, true, &why);
        if (!strict)
            return fail(u"%1: %2"_s.arg(path, why));
        qCDebug(lcState) << "Read the schema of" << name << "from" << path;
        return strict;
    }
    return lenient;
}

ResourceSchema ResourceSchema::infer(const QString &name, const QJsonArray &records)
{
    ResourceSchema s = named(name);
    QStringList keys;
    QHash<QString, QSet<QString>> types;
    bool allVersioned = !records.isEmpty();
    for (const QJsonValue v : records) {
        const QJsonObject record = v.toObject();
        for (auto it = record.begin(); it != record.end(); ++it) {
            if (!types.contains(it.key()))
                keys.append(it.key());
            QSet<QString> &seen = types[it.key()];
            const QString type = guessType(it.value());
            if (!type.isEmpty())
                seen.insert(type);
        }
        if (!isWholeNumber(record.value(u"version")))
            allVersioned = false;
    }
    for (const QString &key : std::as_const(keys)) {
        Column c;
        c.name = key;
        c.label = key;
        c.type = combinedType(types.value(key));
        c.editable = false;
        s.columns.append(c);
    }
    s.idField = u"id"_s;
    if (allVersioned)
        s.versionField = u"version"_s;
    return s;
}

QJsonObject ResourceSchema::toJson() const
{
    QJsonArray fields;
    for (const Column &c : columns) {
        if (c.system)
            continue;
        QJsonObject f{{u"name"_s, c.name}, {u"type"_s, c.type}};
        if (c.label != c.name)
            f.insert(u"label"_s, c.label);
        if (c.required)
            f.insert(u"required"_s, true);
        if (!c.editable)
            f.insert(u"editable"_s, false);
        if (!c.defaultValue.isUndefined())
            f.insert(u"default"_s, c.defaultValue);
        if (c.maxLength > 0)
            f.insert(u"maxLength"_s, c.maxLength);
        if (c.type == u"enum")
            f.insert(u"values"_s, QJsonArray::fromStringList(c.enumValues));
        if (!c.min.isEmpty())
            f.insert(u"min"_s, c.min);
        if (!c.max.isEmpty())
            f.insert(u"max"_s, c.max);
        if (c.notFuture)
            f.insert(u"notFuture"_s, true);
        fields.append(f);
    }
    QJsonObject json{
        {u"name"_s, name},       {u"label"_s, label},   {u"path"_s, restPath},
        {u"feature"_s, feature}, {u"fields"_s, fields}, {u"importModule"_s, importModule},
    };
    if (!entity.isEmpty())
        json.insert(u"entity"_s, entity);
    // Only what differs from the server's conventions, so that the file suits it too.
    if (idField != u"id")
        json.insert(u"idField"_s, idField);
    if (allowed.size() < 4)
        json.insert(u"allowed"_s, QJsonArray::fromStringList(allowed));
    if (versionField.isEmpty())
        json.insert(u"versionField"_s, QJsonValue::Null);
    else if (versionField != u"version")
        json.insert(u"versionField"_s, versionField);
    return json;
}

} // namespace livedesk
