// SPDX-License-Identifier: MIT
#include "serverschema.h"

#include "storelogging.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>
#include <QtCore/QSet>

#include <cmath>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

bool isValidTenant(QStringView tenant)
{
    if (tenant.isEmpty() || tenant.size() > 64)
        return false;
    for (const QChar c : tenant) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z')
            || (u >= u'0' && u <= u'9') || u == u'-' || u == u'_' || u == u'.';
        if (!ok)
            return false;
    }
    return true;
}

// "/api/a" is a segment prefix of "/api/a/b" (but not of "/api/ab").
bool nests(QStringView outer, QStringView inner)
{
    return inner.size() > outer.size() && inner.startsWith(outer) && inner[outer.size()] == u'/';
}

} // namespace

bool ServerSchema::load(const QString &path, ServerSchema *out, QString *error)
{
    auto fail = [error, &path](const QString &message) {
        if (error)
            *error = u"%1: %2"_s.arg(path, message);
        return false;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(u"not valid JSON at offset %1: %2"_s.arg(parseError.offset)
                        .arg(parseError.errorString()));
    }
    if (!doc.isObject())
        return fail(u"the top level must be a JSON object"_s);
    QString why;
    if (!fromJson(doc.object(), out, &why))
        return fail(why);
    qCDebug(lcServerStore) << "Loaded schema" << out->name << "version" << out->version << "from"
                           << path << "with" << out->resources.size() << "resources";
    return true;
}

bool ServerSchema::fromJson(const QJsonObject &json, ServerSchema *out, QString *error)
{
    static const QSet<QString> known{u"name"_s,    u"version"_s, u"description"_s,
                                     u"tenants"_s, u"users"_s,   u"resources"_s};
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(u"unknown top-level attribute \"%1\""_s.arg(it.key()));
    }

    ServerSchema s;
    const QJsonValue name = json.value("name"_L1);
    if (!name.isString() || name.toString().trimmed().isEmpty())
        return fail(u"\"name\" must be a non-empty string"_s);
    s.name = name.toString().trimmed();

    const QJsonValue version = json.value("version"_L1);
    if (!version.isUndefined()) {
        const double v = version.toDouble(0);
        if (!version.isDouble() || v < 1 || v > 2147483647.0 || std::trunc(v) != v)
            return fail(u"\"version\" must be a whole number of at least 1"_s);
        s.version = static_cast<int>(v);
    }
    const QJsonValue description = json.value("description"_L1);
    if (!description.isUndefined() && !description.isString())
        return fail(u"\"description\" must be a string"_s);
    s.description = description.toString();

    const QJsonValue tenants = json.value("tenants"_L1);
    if (tenants.isUndefined()) {
        s.tenants = {u"default"_s};
    } else {
        if (!tenants.isArray() || tenants.toArray().isEmpty())
            return fail(u"\"tenants\" must be a non-empty array of strings"_s);
        const QJsonArray array = tenants.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString t = array.at(i).toString();
            if (!array.at(i).isString() || !isValidTenant(t)) {
                return fail(u"tenants[%1]: a tenant is 1 to 64 letters, digits, '-', '_' or "
                            "'.'"_s.arg(i));
            }
            if (s.tenants.contains(t))
                return fail(u"tenants[%1]: \"%2\" is listed twice"_s.arg(i).arg(t));
            s.tenants.append(t);
        }
    }

    const QJsonValue users = json.value("users"_L1);
    if (!users.isUndefined() && !users.isArray())
        return fail(u"\"users\" must be an array"_s);
    QSet<QString> userIds;
    QSet<QString> emails;
    const QJsonArray userArray = users.toArray();
    for (qsizetype i = 0; i < userArray.size(); ++i) {
        const QString where = u"users[%1]"_s.arg(i);
        if (!userArray.at(i).isObject())
            return fail(where + u": must be an object"_s);
        UserSpec u;
        QString why;
        if (!UserSpec::fromJson(userArray.at(i).toObject(), &u, &why))
            return fail(u"%1: %2"_s.arg(where, why));
        if (u.tenant.isEmpty())
            u.tenant = s.tenants.first();
        if (!s.tenants.contains(u.tenant)) {
            return fail(u"%1 (\"%2\"): tenant \"%3\" is not listed in \"tenants\""_s.arg(
                where, u.email, u.tenant));
        }
        if (userIds.contains(u.id))
            return fail(u"%1: duplicate user id \"%2\""_s.arg(where, u.id));
        if (emails.contains(u.email.toLower()))
            return fail(u"%1: duplicate email \"%2\""_s.arg(where, u.email));
        userIds.insert(u.id);
        emails.insert(u.email.toLower());
        s.users.append(std::move(u));
    }

    const QJsonValue resources = json.value("resources"_L1);
    if (!resources.isArray() || resources.toArray().isEmpty())
        return fail(u"\"resources\" must be a non-empty array"_s);
    const QJsonArray resourceArray = resources.toArray();
    for (qsizetype i = 0; i < resourceArray.size(); ++i) {
        const QJsonValue rv = resourceArray.at(i);
        const QString rname = rv.toObject().value("name"_L1).toString();
        const QString where = rname.isEmpty() ? u"resources[%1]"_s.arg(i)
                                              : u"resources[%1] (\"%2\")"_s.arg(i).arg(rname);
        if (!rv.isObject())
            return fail(where + u": must be an object"_s);
        ResourceSpec r;
        QString why;
        if (!ResourceSpec::fromJson(rv.toObject(), &r, &why))
            return fail(u"%1: %2"_s.arg(where, why));
        for (const ResourceSpec &other : std::as_const(s.resources)) {
            if (other.name.compare(r.name, Qt::CaseInsensitive) == 0)
                return fail(u"%1: duplicate resource name"_s.arg(where));
            if (other.path == r.path)
                return fail(
                    u"%1: path %2 is already used by \"%3\""_s.arg(where, r.path, other.name));
            if (nests(other.path, r.path) || nests(r.path, other.path)) {
                return fail(u"%1: path %2 nests with %3 of \"%4\""_s.arg(where, r.path, other.path,
                                                                         other.name));
            }
            if (other.feature == r.feature && other.entity == r.entity) {
                return fail(u"%1: feature and entity \"%2.%3\" are already used by \"%4\""_s.arg(
                    where, r.feature, r.entity, other.name));
            }
            if (other.importModule == r.importModule) {
                return fail(u"%1: importModule \"%2\" is already used by \"%3\""_s.arg(
                    where, r.importModule, other.name));
            }
        }
        s.resources.append(std::move(r));
    }

    *out = std::move(s);
    return true;
}

const ResourceSpec *ServerSchema::resourceByName(QStringView name) const
{
    for (const ResourceSpec &r : resources) {
        if (r.name == name)
            return &r;
    }
    return nullptr;
}

const ResourceSpec *ServerSchema::resourceByPath(QStringView path) const
{
    if (path.size() > 1 && path.endsWith(u'/'))
        path.chop(1);
    for (const ResourceSpec &r : resources) {
        if (r.path == path)
            return &r;
    }
    return nullptr;
}

const UserSpec *ServerSchema::userByEmail(QStringView email) const
{
    email = email.trimmed();
    for (const UserSpec &u : users) {
        if (u.email.compare(email, Qt::CaseInsensitive) == 0)
            return &u;
    }
    return nullptr;
}

const UserSpec *ServerSchema::userById(QStringView id) const
{
    for (const UserSpec &u : users) {
        if (u.id == id)
            return &u;
    }
    return nullptr;
}

QJsonObject ServerSchema::toPublicJson() const
{
    QJsonArray resourceArray;
    for (const ResourceSpec &r : resources)
        resourceArray.append(r.toJson(false));
    QJsonObject json{
        {"name"_L1, name},
        {"version"_L1, version},
        {"tenants"_L1, QJsonArray::fromStringList(tenants)},
        {"resources"_L1, resourceArray},
    };
    if (!description.isEmpty())
        json.insert("description"_L1, description);
    return json;
}

QJsonObject ServerSchema::toClientJson(const QString &role) const
{
    QJsonObject json = toPublicJson();
    QJsonArray resourceArray;
    for (const ResourceSpec &r : resources) {
        QJsonObject resource = r.toJson(false);
        resource.remove("permissions"_L1);
        resource.insert("allowed"_L1, Permissions::toJson(r.permissions.allowed(role)));
        resourceArray.append(resource);
    }
    json.insert("resources"_L1, resourceArray);
    json.insert("role"_L1, role);
    return json;
}

} // namespace livedesk::server
