// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>
#include <utility>

namespace livedesk {

/**
 * What the state manager and the views need to know about one resource of any AegisX-style
 * backend, so that no per-resource code exists (docs/architecture.md, "The state manager"): where
 * it lives (REST path), what its events are called (feature, entity), how records are keyed and
 * versioned, and its columns.
 *
 * Three sources, best first:
 * - the server's own description, `GET /api/schema` on livedesk-server (fromSchemaDocument());
 * - a JSON file in the same format the embedded server reads (fromSchemaFile()), for a plain
 *   AegisX backend; a resource there may add `"idField"` and `"versionField"` (`null`: records
 *   carry no version);
 * - inferred from records (infer()), the last resort: every key becomes a read-only column.
 *
 * In the schema format (resources/schema/clinical.json), a resource has `name`, `label`,
 * `path`, `feature`, `entity` and `fields` (`name`, `label`, `type`, `required`, `values` for
 * enums, `default`, `maxLength`, and `min`, `max`, `notFuture` for dates); records also carry the
 * system fields `id`, `version`, `created_at`, `updated_at`, `created_by`, `updated_by`, which
 * become read-only columns.
 *
 * What the signed-in user may do with the records comes with the server's description:
 * livedesk-server's `/api/schema` names the user's `role` and, per resource, `allowed`
 * (`["read"]` for a read-only role). A server that says nothing (AegisX has no such answer)
 * allows everything as far as the client knows; the server still decides, and a refusal
 * (403 FORBIDDEN) is shown with its reason. The views offer only what is allowed and say
 * why the rest is not (refusal()).
 */
class ResourceSchema
{
    Q_DECLARE_TR_FUNCTIONS(ResourceSchema)

public:
    class Column
    {
    public:
        QString name;
        QString label;
        /// string, text, integer, number, boolean, date, datetime, enum
        QString type = QStringLiteral("string");
        QStringList enumValues;
        bool editable = true;
        bool required = false;
        /// What a new record gets when the field is left out; Undefined when none is declared.
        QJsonValue defaultValue = QJsonValue::Undefined;
        /// Longest allowed text (string, text); 0 for no limit.
        int maxLength = 0;
        /// A system field (id, version, timestamps, authors) that the schema adds after the
        /// declared fields: shown, never edited.
        bool system = false;
        /// The earliest and latest allowed value of a date or datetime (inclusive), as records
        /// carry it (`YYYY-MM-DD`, a datetime in UTC with milliseconds); empty when unbounded.
        QString min;
        QString max;
        /// A date or datetime that may not lie in the future (a date of birth).
        bool notFuture = false;
    };

    QString name;
    QString label;
    /// REST base path, e.g. `/api/patients`.
    QString restPath;
    /// Event names are `<feature>.<entity>.<action>`.
    QString feature;
    /// Empty when the schema does not name it: events are then matched by feature only.
    QString entity;
    /// The camelCase module name of import progress and generated bulk events.
    QString importModule;
    QString idField = QStringLiteral("id");
    /// Empty when records carry no version (plain AegisX).
    QString versionField;
    /// Declared fields first, in order, then the system fields present.
    QList<Column> columns;

    /// What a user may do with records, as `allowed` names it.
    enum class Action { Read, Create, Update, Delete };
    /// The actions the signed-in user's role may take (actionName() spelling); all four when
    /// the server does not say.
    QStringList allowed{QStringLiteral("read"), QStringLiteral("create"), QStringLiteral("update"),
                        QStringLiteral("delete")};
    /// The signed-in user's role as the server names it (`role` of `/api/schema`); empty when
    /// the server does not say.
    QString role;

    /// Whether the server lets the signed-in user do @p action.
    bool allows(Action action) const { return allowed.contains(actionName(action)); }
    /// Why @p action is not offered ("Your role (auditor) may only read patients."); empty
    /// when it is allowed.
    QString refusal(Action action) const;
    /// read, create, update, delete.
    static QString actionName(Action action);

    bool isValid() const { return !name.isEmpty() && !restPath.isEmpty(); }
    bool hasVersions() const { return !versionField.isEmpty(); }
    /// The id of @p record as text (a number id written in decimal); empty when it has none.
    QString idOf(const QJsonObject &record) const;
    /// The version of @p record; -1 without versions or when it carries none.
    qint64 versionOf(const QJsonObject &record) const;
    /// Index of the column @p name, or -1.
    int columnIndex(QStringView name) const;
    const Column *column(QStringView name) const;
    /// The names of the editable columns.
    QStringList editableColumns() const;
    /// A list filter condition, as AegisX query keys name it: `col`, `col_min`, `col_max`.
    enum class FilterOp { Equals, AtLeast, AtMost };
    /// The column and condition of the list query key @p key (`ward`, `age_min`); a null
    /// column when the key names no field.
    std::pair<const Column *, FilterOp> filterKey(QStringView key) const;
    /// The query key of "@p field @p op" (`age_min` for age, AtLeast).
    static QString filterKeyFor(const QString &field, FilterOp op);
    /// Whether @p column takes `_min` / `_max` (integer, number, date, datetime).
    static bool isOrdered(const Column &column);
    /**
     * A filter's @p text as an AegisX list query reads it for @p column: integers and numbers
     * as numbers, booleans from true/yes/1 and false/no/0, an enum in its declared spelling
     * (any case), a strict YYYY-MM-DD date, a datetime in UTC with milliseconds (how records
     * carry it; no offset means UTC), text as typed. Undefined when the server would refuse
     * the value. The one place these rules live: the list view checks a filter before
     * sending it, and live mode judges pushed records with the same typed values.
     */
    static QJsonValue filterValue(const Column &column, const QString &text);

    /// Where a value stands against its column's bounds (min, max, notFuture).
    enum class Bound { Within, BeforeMin, AfterMax, InFuture };
    /**
     * Judges @p value (as records carry it) of a date or datetime @p column against the
     * schema's bounds, the rule livedesk-server applies to every write, so that a form can
     * refuse it before anything is sent. "The future" is judged by this machine's clock and
     * calendar (@p now, local): after today's date for a date, after @p now for a datetime.
     * Null, other types and values that are no date are Within (typing is checked elsewhere).
     */
    static Bound bound(const Column &column, const QJsonValue &value,
                       const QDateTime &now = QDateTime::currentDateTime());

    /// The field that tells a person which record this is, to name it in messages: `name`,
    /// `title` or `label` when declared, else the first declared text field (empty: none,
    /// the id alone names it).
    QString displayField() const;

    /// Defaults for a resource known only by name: path `/api/<name>`, feature `<name>`, no
    /// entity (AegisX names it in the singular, `patients.patient.created`, and a guess from
    /// the name would be wrong as often as right: events are matched by feature alone), import
    /// module camelCase of the name, id `id`, no version, no columns.
    static ResourceSchema named(const QString &name);
    /// @p name from a schema document (`{resources:[...]}`, what `/api/schema` returns in its
    /// `data` and what a schema file holds); std::nullopt with a sentence in @p error when
    /// the document is malformed or has no such resource (the sentence lists those it has).
    /// Any spelling of the name finds the resource (`lab-orders` finds `lab_orders`,
    /// EventNaming::sameName()); the schema then carries the document's spelling.
    static std::optional<ResourceSchema> fromSchemaDocument(const QJsonObject &document,
                                                            const QString &name, QString *error);
    /// The same from the file at @p path. A file is written by people, so it is read more
    /// strictly than the server's answer: an attribute the format does not know (a misspelt
    /// `"requried"`) is an error rather than ignored.
    static std::optional<ResourceSchema> fromSchemaFile(const QString &path, const QString &name,
                                                        QString *error);
    /// A schema for @p name whose columns are the keys of @p records (in first-seen order
    /// across records, each record's keys in QJsonObject's sorted order; types guessed from
    /// the values), all read-only; `id` is the id field, `version` the version field when
    /// every record has an integer one.
    static ResourceSchema infer(const QString &name, const QJsonArray &records);

    /// The resource in the schema format (for `--schema` files and diagnostics).
    QJsonObject toJson() const;
};

} // namespace livedesk
