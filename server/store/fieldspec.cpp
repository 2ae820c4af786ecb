// SPDX-License-Identifier: MIT
#include "fieldspec.h"

#include "textlength.h"

#include <QtCore/QDate>
#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QSet>
#include <QtCore/QTimeZone>

#include <cmath>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

constexpr double maxSafeInteger = 9007199254740991.0; // 2^53 - 1

struct TypeName
{
    FieldSpec::Type type;
    QLatin1StringView name;
};

constexpr TypeName typeNames[] = {
    {FieldSpec::Type::String, "string"_L1},     {FieldSpec::Type::Text, "text"_L1},
    {FieldSpec::Type::Integer, "integer"_L1},   {FieldSpec::Type::Number, "number"_L1},
    {FieldSpec::Type::Boolean, "boolean"_L1},   {FieldSpec::Type::Date, "date"_L1},
    {FieldSpec::Type::DateTime, "datetime"_L1}, {FieldSpec::Type::Enum, "enum"_L1},
};

bool isDigits(QStringView s)
{
    for (const QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

// Strictly YYYY-MM-DD and a real day.
bool isIsoDate(QStringView s)
{
    if (s.size() != 10 || s[4] != u'-' || s[7] != u'-' || !isDigits(s.first(4))
        || !isDigits(s.sliced(5, 2)) || !isDigits(s.sliced(8, 2)))
        return false;
    return QDate(s.first(4).toInt(), s.sliced(5, 2).toInt(), s.sliced(8, 2).toInt()).isValid();
}

QJsonValue refuse(FieldSpec::Problem *problem, QString code, QString message)
{
    if (problem)
        *problem = {std::move(code), std::move(message)};
    return QJsonValue::Undefined;
}

QString typeMismatch(const FieldSpec &f)
{
    switch (f.type) {
    case FieldSpec::Type::String:
    case FieldSpec::Type::Text:
        return u"%1 must be a string"_s.arg(f.label);
    case FieldSpec::Type::Integer:
        return u"%1 must be a whole number"_s.arg(f.label);
    case FieldSpec::Type::Number:
        return u"%1 must be a number"_s.arg(f.label);
    case FieldSpec::Type::Boolean:
        return u"%1 must be true or false"_s.arg(f.label);
    case FieldSpec::Type::Date:
        return u"%1 must be a date (YYYY-MM-DD)"_s.arg(f.label);
    case FieldSpec::Type::DateTime:
        return u"%1 must be a date and time (ISO 8601)"_s.arg(f.label);
    case FieldSpec::Type::Enum:
        return u"%1 must be one of: %2"_s.arg(f.label, f.values.join(u", "_s));
    }
    return {};
}

} // namespace

bool FieldSpec::isTextual() const
{
    return type == Type::String || type == Type::Text || type == Type::Enum;
}

bool FieldSpec::isOrdered() const
{
    return type == Type::Integer || type == Type::Number || type == Type::Date
        || type == Type::DateTime;
}

QString FieldSpec::typeName(Type type)
{
    for (const auto &t : typeNames) {
        if (t.type == type)
            return QString(t.name);
    }
    return {};
}

std::optional<FieldSpec::Type> FieldSpec::typeFromName(QStringView name)
{
    for (const auto &t : typeNames) {
        if (name == t.name)
            return t.type;
    }
    return std::nullopt;
}

bool FieldSpec::isValidName(QStringView name)
{
    if (name.isEmpty() || name.size() > 63)
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        const bool letter = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
        const bool digit = c >= u'0' && c <= u'9';
        if (!letter && !(digit && i > 0))
            return false;
    }
    return true;
}

QJsonValue FieldSpec::normalized(const QJsonValue &value, Problem *problem) const
{
    if (value.isNull() || value.isUndefined())
        return QJsonValue::Null;

    switch (type) {
    case Type::String:
    case Type::Text: {
        if (!value.isString())
            return refuse(problem, u"INVALID_TYPE"_s, typeMismatch(*this));
        if (maxLength > 0) {
            const auto length = TextLength::codePoints(value.toString());
            if (length > maxLength) {
                return refuse(
                    problem, u"MAX_LENGTH"_s,
                    u"%1 must be at most %2 characters (got %3)"_s.arg(label).arg(maxLength).arg(
                        length));
            }
        }
        return value;
    }
    case Type::Integer: {
        if (!value.isDouble())
            return refuse(problem, u"INVALID_TYPE"_s, typeMismatch(*this));
        const double d = value.toDouble();
        if (!std::isfinite(d) || std::trunc(d) != d)
            return refuse(problem, u"INVALID_TYPE"_s, typeMismatch(*this));
        if (std::fabs(d) > maxSafeInteger) {
            return refuse(problem, u"OUT_OF_RANGE"_s,
                          u"%1 is out of range (at most ±2^53)"_s.arg(label));
        }
        // Qt keeps integers read from JSON as qint64; a double got here only when it is exact.
        return QJsonValue(value.toInteger(static_cast<qint64>(d)));
    }
    case Type::Number: {
        if (!value.isDouble() || !std::isfinite(value.toDouble()))
            return refuse(problem, u"INVALID_TYPE"_s, typeMismatch(*this));
        return QJsonValue(value.toDouble());
    }
    case Type::Boolean:
        if (!value.isBool())
            return refuse(problem, u"INVALID_TYPE"_s, typeMismatch(*this));
        return value;
    case Type::Date:
        if (!value.isString())
            return refuse(problem, u"INVALID_TYPE"_s, typeMismatch(*this));
        if (!isIsoDate(value.toString())) {
            return refuse(problem, u"INVALID_DATE"_s,
                          u"%1 must be a real date written YYYY-MM-DD"_s.arg(label));
        }
        return value;
    case Type::DateTime: {
        if (!value.isString())
            return refuse(problem, u"INVALID_TYPE"_s, typeMismatch(*this));
        const QString text = value.toString();
        // A time is required: a bare date would silently mean midnight UTC.
        QDateTime dt;
        if (text.size() > 10 && isIsoDate(QStringView(text).first(10)))
            dt = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!dt.isValid()) {
            return refuse(
                problem, u"INVALID_DATE"_s,
                u"%1 must be an ISO 8601 date and time, e.g. 2024-05-01T08:30:00Z"_s.arg(label));
        }
        if (dt.timeSpec() == Qt::LocalTime)
            dt = QDateTime(dt.date(), dt.time(), QTimeZone::utc());
        return dt.toUTC().toString(Qt::ISODateWithMs);
    }
    case Type::Enum:
        if (!value.isString() || !values.contains(value.toString()))
            return refuse(problem, u"INVALID_ENUM"_s, typeMismatch(*this));
        return value;
    }
    return refuse(problem, u"INVALID_TYPE"_s, typeMismatch(*this));
}

bool FieldSpec::withinBounds(const QJsonValue &value, const QDateTime &nowUtc,
                             Problem *problem) const
{
    if ((type != Type::Date && type != Type::DateTime) || !value.isString())
        return true;
    // Both forms are fixed width with four-digit years: text order is time order.
    const QString v = value.toString();
    if (!min.isEmpty() && v < min) {
        refuse(problem, u"OUT_OF_RANGE"_s, u"%1 must be %2 or later"_s.arg(label, min));
        return false;
    }
    if (!max.isEmpty() && v > max) {
        refuse(problem, u"OUT_OF_RANGE"_s, u"%1 must be %2 or earlier"_s.arg(label, max));
        return false;
    }
    if (!notFuture)
        return true;
    const QDateTime now = nowUtc.toUTC();
    const QString latest = type == Type::Date ? now.addSecs(14 * 3600).date().toString(Qt::ISODate)
                                              : now.addSecs(5 * 60).toString(Qt::ISODateWithMs);
    if (v > latest) {
        refuse(problem, u"IN_FUTURE"_s, u"%1 cannot be in the future"_s.arg(label));
        return false;
    }
    return true;
}

QJsonValue FieldSpec::fromText(const QString &text, Problem *problem) const
{
    if (type == Type::String || type == Type::Text) {
        if (text.isEmpty())
            return QJsonValue::Null;
        return normalized(text, problem);
    }
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QJsonValue::Null;

    switch (type) {
    case Type::Integer: {
        bool ok = false;
        const qint64 n = t.toLongLong(&ok);
        if (!ok || !(t[0].isDigit() || ((t[0] == u'-' || t[0] == u'+') && t.size() > 1))) {
            return refuse(problem, u"INVALID_TYPE"_s,
                          u"%1 must be a whole number, not \"%2\""_s.arg(label, text));
        }
        return normalized(QJsonValue(n), problem);
    }
    case Type::Number: {
        bool ok = false;
        const double d = t.toDouble(&ok);
        if (!ok || !std::isfinite(d)) {
            return refuse(
                problem, u"INVALID_TYPE"_s,
                u"%1 must be a number with '.' as decimal point, not \"%2\""_s.arg(label, text));
        }
        return normalized(QJsonValue(d), problem);
    }
    case Type::Boolean: {
        const QString l = t.toLower();
        if (l == "true"_L1 || l == "yes"_L1 || l == "1"_L1)
            return true;
        if (l == "false"_L1 || l == "no"_L1 || l == "0"_L1)
            return false;
        return refuse(problem, u"INVALID_TYPE"_s,
                      u"%1 must be true/false, yes/no or 1/0, not \"%2\""_s.arg(label, text));
    }
    case Type::Enum:
        for (const QString &v : values) {
            if (v.compare(t, Qt::CaseInsensitive) == 0)
                return v;
        }
        return refuse(problem, u"INVALID_ENUM"_s, typeMismatch(*this));
    case Type::Date:
    case Type::DateTime:
    case Type::String:
    case Type::Text:
        break;
    }
    return normalized(t, problem);
}

bool FieldSpec::fromJson(const QJsonObject &json, FieldSpec *out, QString *error)
{
    static const QSet<QString> known{
        u"name"_s,        u"label"_s,     u"type"_s,       u"required"_s, u"unique"_s,
        u"default"_s,     u"maxLength"_s, u"searchable"_s, u"editable"_s, u"values"_s,
        u"description"_s, u"ui"_s,        u"min"_s,        u"max"_s,      u"notFuture"_s,
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

    FieldSpec f;
    const QJsonValue name = json.value("name"_L1);
    if (!name.isString() || !isValidName(name.toString())) {
        return fail(u"\"name\" must be letters, digits and '_' (not starting with a digit, "
                    "at most 63 characters)"_s);
    }
    f.name = name.toString();

    const QJsonValue type = json.value("type"_L1);
    if (!type.isString())
        return fail(u"\"type\" is missing"_s);
    const auto t = typeFromName(type.toString());
    if (!t) {
        QStringList names;
        for (const auto &tn : typeNames)
            names.append(QString(tn.name));
        return fail(u"unknown type \"%1\" (one of %2)"_s.arg(type.toString(), names.join(u", "_s)));
    }
    f.type = *t;

    auto readBool = [&json](QLatin1StringView key, bool fallback, bool *ok) {
        const QJsonValue v = json.value(key);
        if (v.isUndefined())
            return fallback;
        if (!v.isBool())
            *ok = false;
        return v.toBool();
    };
    auto readString = [&json](QLatin1StringView key, bool *ok) {
        const QJsonValue v = json.value(key);
        if (!v.isUndefined() && !v.isString())
            *ok = false;
        return v.toString();
    };
    bool ok = true;
    f.required = readBool("required"_L1, false, &ok);
    f.unique = readBool("unique"_L1, false, &ok);
    f.searchable = readBool("searchable"_L1, false, &ok);
    f.editable = readBool("editable"_L1, true, &ok);
    if (!ok)
        return fail(u"required, unique, searchable and editable must be true or false"_s);
    f.label = readString("label"_L1, &ok);
    f.description = readString("description"_L1, &ok);
    if (!ok)
        return fail(u"label and description must be strings"_s);
    if (f.label.isEmpty())
        f.label = f.name;
    const QJsonValue ui = json.value("ui"_L1);
    if (!ui.isUndefined() && !ui.isObject())
        return fail(u"\"ui\" must be an object"_s);
    f.ui = ui.toObject();

    const QJsonValue maxLength = json.value("maxLength"_L1);
    if (!maxLength.isUndefined()) {
        if (f.type != Type::String && f.type != Type::Text)
            return fail(u"maxLength applies to string and text fields only"_s);
        const double d = maxLength.toDouble(-1);
        if (!maxLength.isDouble() || d < 1 || d > 1e9 || std::trunc(d) != d)
            return fail(u"maxLength must be a positive whole number"_s);
        f.maxLength = static_cast<int>(d);
    }

    const QJsonValue values = json.value("values"_L1);
    if (f.type == Type::Enum) {
        if (!values.isArray() || values.toArray().isEmpty())
            return fail(u"an enum needs a non-empty \"values\" array of strings"_s);
        for (const QJsonValue v : values.toArray()) {
            if (!v.isString() || v.toString().isEmpty())
                return fail(u"enum values must be non-empty strings"_s);
            if (f.values.contains(v.toString()))
                return fail(u"enum value \"%1\" is listed twice"_s.arg(v.toString()));
            f.values.append(v.toString());
        }
    } else if (!values.isUndefined()) {
        return fail(u"\"values\" applies to enum fields only"_s);
    }

    const bool dated = f.type == Type::Date || f.type == Type::DateTime;
    for (const auto key : {"min"_L1, "max"_L1}) {
        const QJsonValue bound = json.value(key);
        if (bound.isUndefined())
            continue;
        if (!dated)
            return fail(u"\"%1\" applies to date and datetime fields only"_s.arg(key));
        Problem problem;
        const QJsonValue normalizedBound
            = bound.isString() ? f.normalized(bound, &problem) : QJsonValue::Undefined;
        if (!normalizedBound.isString()) {
            return fail(u"\"%1\" must be a %2"_s.arg(
                key,
                f.type == Type::Date ? u"date (YYYY-MM-DD)"_s : u"date and time (ISO 8601)"_s));
        }
        (key == "min"_L1 ? f.min : f.max) = normalizedBound.toString();
    }
    if (!f.min.isEmpty() && !f.max.isEmpty() && f.min > f.max)
        return fail(u"\"min\" is later than \"max\""_s);
    const QJsonValue notFuture = json.value("notFuture"_L1);
    if (!notFuture.isUndefined()) {
        if (!dated)
            return fail(u"\"notFuture\" applies to date and datetime fields only"_s);
        if (!notFuture.isBool())
            return fail(u"\"notFuture\" must be true or false"_s);
        f.notFuture = notFuture.toBool();
    }

    const QJsonValue def = json.value("default"_L1);
    if (!def.isUndefined() && !def.isNull()) {
        Problem problem;
        const QJsonValue normalizedDefault = f.normalized(def, &problem);
        if (normalizedDefault.isUndefined())
            return fail(u"bad default: %1"_s.arg(problem.message));
        if (!f.withinBounds(normalizedDefault, QDateTime::currentDateTimeUtc(), &problem))
            return fail(u"bad default: %1"_s.arg(problem.message));
        f.defaultValue = normalizedDefault;
    }

    *out = std::move(f);
    return true;
}

QJsonObject FieldSpec::toJson() const
{
    QJsonObject json{{"name"_L1, name}, {"type"_L1, typeName(type)}};
    if (label != name)
        json.insert("label"_L1, label);
    if (required)
        json.insert("required"_L1, true);
    if (unique)
        json.insert("unique"_L1, true);
    if (searchable)
        json.insert("searchable"_L1, true);
    if (!editable)
        json.insert("editable"_L1, false);
    if (hasDefault())
        json.insert("default"_L1, defaultValue);
    if (maxLength > 0)
        json.insert("maxLength"_L1, maxLength);
    if (type == Type::Enum)
        json.insert("values"_L1, QJsonArray::fromStringList(values));
    if (!min.isEmpty())
        json.insert("min"_L1, min);
    if (!max.isEmpty())
        json.insert("max"_L1, max);
    if (notFuture)
        json.insert("notFuture"_L1, true);
    if (!description.isEmpty())
        json.insert("description"_L1, description);
    if (!ui.isEmpty())
        json.insert("ui"_L1, ui);
    return json;
}

} // namespace livedesk::server
