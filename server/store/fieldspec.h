// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace livedesk::server {

/**
 * One field of a resource, as declared in the schema file (see ServerSchema for the format).
 *
 * Besides the declaration, a FieldSpec owns the rules for a single value of its type, so the
 * JSON body of a request, a CSV cell and a list filter are all judged by one piece of code:
 * normalized() for JSON values, fromText() for text.
 *
 * Types and their JSON form:
 *  - `string`, `text`: a JSON string (`text` is the long, multi-line kind; both honour
 *    `maxLength`, counted in Unicode code points as JSON Schema does);
 *  - `integer`: a JSON number without fraction, within ±2^53 (exact in every JSON parser);
 *  - `number`: any finite JSON number;
 *  - `boolean`: `true` / `false`;
 *  - `date`: a string `YYYY-MM-DD` naming a real calendar day;
 *  - `datetime`: an ISO 8601 string with a time; stored and returned in UTC with
 *    milliseconds (`2024-05-01T08:30:00.000Z`), so that text order is time order. A value
 *    without an offset is taken as UTC (the server's meaning must not depend on its host);
 *  - `enum`: one of `values`, exactly (case matters in JSON; text input matches without case
 *    and yields the declared spelling).
 *
 * A `date` or `datetime` can be bounded: `min` and `max` (inclusive, in the field's own form)
 * and `notFuture` (a date of birth cannot lie ahead). Bounds judge stored values only
 * (withinBounds(), applied by RecordStore::validate() to writes and imports alike), never
 * list filters: "born before 2100" is a fair question.
 */
class FieldSpec
{
public:
    enum class Type { String, Text, Integer, Number, Boolean, Date, DateTime, Enum };

    /// Why a value was refused: a detail code (ApiError) and a sentence for people.
    struct Problem
    {
        QString code;
        QString message;
    };

    QString name;
    /// Human label; the name when the schema gives none.
    QString label;
    Type type = Type::String;
    /// Must be present and not null (strings: not blank) on create, and cannot be cleared.
    bool required = false;
    /// No two records of one tenant share a non-null value.
    bool unique = false;
    /// Included in the list query's `search` (LIKE) match.
    bool searchable = false;
    /// False: set on create, never changed by an update (sending the same value is fine).
    bool editable = true;
    /// The value used on create when the field is absent or null; Undefined when none.
    QJsonValue defaultValue = QJsonValue::Undefined;
    /// Longest allowed string (`string`, `text`); 0 means no limit.
    int maxLength = 0;
    /// The allowed values of an `enum`.
    QStringList values;
    /// The earliest and latest allowed value of a `date` or `datetime`, in stored form
    /// (`YYYY-MM-DD`, or UTC with milliseconds); empty when unbounded.
    QString min;
    QString max;
    /// A `date` or `datetime` that may not lie in the future.
    bool notFuture = false;
    /// Free text for people, and an opaque object of client hints; the server ignores both.
    QString description;
    QJsonObject ui;

    bool hasDefault() const { return !defaultValue.isUndefined(); }
    /// Stored as text and compared without case when sorting (string, text, enum).
    bool isTextual() const;
    /// Has an order that `_min` / `_max` filters can use (integer, number, date, datetime).
    bool isOrdered() const;

    static QString typeName(Type type);
    static std::optional<Type> typeFromName(QStringView name);

    /**
     * Checks a JSON value against type, enum values and maxLength and returns it in its stored
     * form (integers as integers, datetimes in UTC). Null passes as null: whether a value may be
     * missing is the record's business (RecordStore::validate). On refusal returns Undefined
     * and fills @p problem.
     */
    QJsonValue normalized(const QJsonValue &value, Problem *problem) const;

    /**
     * Checks a value returned by normalized() against min, max and notFuture, at @p nowUtc.
     * Null passes. Refusals: `OUT_OF_RANGE` (before min, after max) and `IN_FUTURE`.
     *
     * "The future" is judged generously, because the server's clock and time zone are not
     * the writer's: a date is in the future only when it is after today's date everywhere on
     * earth (UTC+14), a date and time only when it is more than five minutes ahead of the
     * server's clock. Clients judge by their own clock, strictly, before sending.
     */
    bool withinBounds(const QJsonValue &value, const QDateTime &nowUtc, Problem *problem) const;

    /**
     * Turns text (a CSV cell, a query parameter) into the typed value, then applies
     * normalized(). Empty text is null. Integers and numbers use '.' as decimal point and no
     * grouping; booleans accept true/false, yes/no, 1/0 in any case; surrounding blanks are
     * ignored for every type but string and text.
     */
    QJsonValue fromText(const QString &text, Problem *problem) const;

    /// Reads one field declaration; @p error says what is wrong (without location).
    static bool fromJson(const QJsonObject &json, FieldSpec *out, QString *error);
    /// The declaration in the schema file's format (defaults left out).
    QJsonObject toJson() const;

    /// Letters, digits and '_', not starting with a digit, at most 63 characters: safe as a
    /// SQLite column name and as a query parameter.
    static bool isValidName(QStringView name);
};

} // namespace livedesk::server
