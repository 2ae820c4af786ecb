// SPDX-License-Identifier: MIT
#pragma once

#include "listquery.h"
#include "serverschema.h"
#include "storeresult.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

namespace livedesk::server {

/**
 * The server's records: one SQLite table per schema resource, every record scoped to a tenant.
 *
 * This is the one place that reads and writes resource data, so the rules that make the server
 * trustworthy live here: every write runs in a transaction and either happens completely or
 * not at all; a refused request (bad value, taken unique value, stale version, unknown id)
 * changes nothing; a record of another tenant does not exist (NOT_FOUND, never listed).
 *
 * ## Records
 * A record is a JSON object with the declared fields, typed (FieldSpec), `null` when empty,
 * plus the system fields: `id` (integer, assigned by the store), `version` (1 on create, +1 on
 * every change), `created_at` / `updated_at` (UTC, ISO 8601 with milliseconds), `created_by` /
 * `updated_by` (user ids). The tenant is never part of a record.
 *
 * ## Writes
 * - Bodies are validated by validate(): all problems are reported at once in the error's
 *   details. System fields in a body (`id`, `version`, timestamps, `tenant`) are ignored, since
 *   clients often send a whole record back; `If-Match` (@p ifMatchVersion) is the only
 *   precondition. Unknown fields are an error (`UNKNOWN_FIELD`).
 * - create: absent or null fields take their default.
 * - update: a partial body; null clears a field (refused for required fields); a non-editable
 *   field may be sent only with its current value. An update that changes nothing writes
 *   nothing and returns the record as it is (same version), so clients that save an unchanged
 *   form do not cause conflicts for others.
 * - Unique values are per tenant; nulls never collide. See ApiError for how a collision is
 *   reported.
 * - Bulk operations are all-or-nothing; their error carries every failing item's details,
 *   each with `index`, and the code and status of the first failing item.
 *
 * ## Database
 * The store keeps its own copy of the schema. The connection is made by open(), in the
 * calling thread, and must be used and closed (or the store destroyed) only there (Qt SQL
 * connections are per thread); the store may be constructed anywhere. A file database runs in WAL
 * mode with `synchronous=NORMAL`; `:memory:` gives a private in-memory database (tests). Each store
 * has its own connection name, so several stores can coexist. Statements are prepared once and
 * cached. Identifiers in SQL come only from the validated schema; values are always bound.
 *
 * Tables are created when missing; fields added to the schema later become new columns, and
 * the unique index of a field that is no longer unique is dropped (columns are never dropped
 * or retyped). A table of a resource's name that the store did not make fails open().
 * The table `livedesk_meta` (key/value) holds the schema name and version and is free for
 * small settings (metaValue()); other parts of the server may create tables of their own
 * through database() and transaction() (resource names cannot start with `livedesk_`).
 */
class RecordStore
{
public:
    /// One page of a list and the number of rows matching the query in all pages.
    struct Page
    {
        QJsonArray rows;
        qint64 total = 0;
    };

    /// Why one row of an import batch was refused: field details as in ApiError.
    struct RowError
    {
        int index = 0; ///< position in the batch
        QJsonArray details;
    };

    enum class ImportMode {
        SkipInvalidRows, ///< insert the valid rows, report the others
        AllOrNothing, ///< insert nothing if any row is refused (still report every one)
    };

    struct ImportOutcome
    {
        int inserted = 0;
        /// Ids of the inserted rows, in batch order.
        QList<qint64> ids;
        QList<RowError> errors;
    };

    /// @p dbPath is a file (its directory is created) or `:memory:`. Nothing is opened yet.
    RecordStore(const ServerSchema &schema, const QString &dbPath);
    ~RecordStore();
    Q_DISABLE_COPY_MOVE(RecordStore)

    /// Connects, sets up WAL and creates missing tables, columns and indexes.
    bool open(QString *error = nullptr);
    bool isOpen() const;
    /// Drops cached statements and the connection; open() may be called again.
    void close();

    const ServerSchema &schema() const { return m_schema; }
    QString databasePath() const { return m_path; }
    /// The connection, for tables of other parts of the server (import jobs). Do not keep a
    /// copy beyond the store's life, use it in the store's thread only, and open transactions
    /// with transaction() (not QSqlDatabase::transaction()) so that store operations can join.
    QSqlDatabase database() const { return m_db; }

    /**
     * Runs @p work in a transaction: commits when it returns true, rolls back when it returns
     * false or throws. Nests: an inner call becomes a savepoint, so store operations called
     * from @p work join the outer transaction and roll back with it. Returns true when
     * committed.
     */
    bool transaction(const std::function<bool()> &work);
    bool inTransaction() const { return m_transactionDepth > 0; }

    /// A value of the `livedesk_meta` table.
    QString metaValue(const QString &key, const QString &fallback = {});
    bool setMetaValue(const QString &key, const QString &value);

    // Records. @p resource is found by name among the store's schema (a spec of another
    // schema with the same name is fine; the store's own declaration is used); an unknown one
    // is NOT_FOUND. @p tenant must not be empty (BAD_REQUEST). @p userId goes into
    // created_by / updated_by.

    StoreResult<Page> list(const ResourceSpec &resource, const QString &tenant,
                           const ListQuery &query);
    StoreResult<QJsonObject> get(const ResourceSpec &resource, const QString &tenant, qint64 id);
    StoreResult<QJsonObject> create(const ResourceSpec &resource, const QString &tenant,
                                    const QString &userId, const QJsonObject &body);
    StoreResult<QJsonObject> update(const ResourceSpec &resource, const QString &tenant,
                                    const QString &userId, qint64 id, const QJsonObject &patch,
                                    std::optional<qint64> ifMatchVersion = std::nullopt);
    /// Deletes and returns the record as it was.
    StoreResult<QJsonObject> remove(const ResourceSpec &resource, const QString &tenant,
                                    const QString &userId, qint64 id,
                                    std::optional<qint64> ifMatchVersion = std::nullopt);

    /// Creates every item (objects, as for create()) or none; returns the records in order.
    StoreResult<QJsonArray> bulkCreate(const ResourceSpec &resource, const QString &tenant,
                                       const QString &userId, const QJsonArray &items);
    /// Items are `{id, ...patch}` (id a number or a numeric string); all or none.
    StoreResult<QJsonArray> bulkUpdate(const ResourceSpec &resource, const QString &tenant,
                                       const QString &userId, const QJsonArray &items);
    /// @p ids are numbers or numeric strings; all or none; returns the deleted records.
    StoreResult<QJsonArray> bulkDelete(const ResourceSpec &resource, const QString &tenant,
                                       const QString &userId, const QJsonArray &ids);

    /**
     * Inserts one batch of an import in one transaction. Rows are typed JSON (coerceFromText()
     * turns CSV cells into values) and validated exactly like create(), including uniqueness
     * against the table and the earlier rows of the batch. Refused rows are reported in the
     * outcome, not as an error; the error is for the batch as a whole (unknown resource,
     * database failure), in which case nothing was inserted. Builds no record objects: about
     * 100k rows/s for a six-field resource (tst_storebulk prints the rate).
     */
    StoreResult<ImportOutcome> importRows(const ResourceSpec &resource, const QString &tenant,
                                          const QString &userId, const QList<QJsonObject> &rows,
                                          ImportMode mode = ImportMode::SkipInvalidRows);

    /**
     * Checks @p body against @p resource without touching the database (uniqueness needs it:
     * see uniqueConflicts()). @p partial: an update patch, absent fields are fine and no
     * defaults are applied. Returns the normalized values (known fields only; with @p partial
     * false every field, defaults applied) or a VALIDATION_ERROR with every problem.
     */
    static StoreResult<QJsonObject> validate(const ResourceSpec &resource, const QJsonObject &body,
                                             bool partial);

    /// `UNIQUE` details for the unique fields of @p values (normalized) already used by another
    /// record of @p tenant than @p excludeId. Empty when none (or on a database error).
    QJsonArray uniqueConflicts(const ResourceSpec &resource, const QString &tenant,
                               const QJsonObject &values, qint64 excludeId = 0);

    /**
     * Which of @p values (normalized values of the unique field @p field) some record of
     * @p tenant already holds: one flag per value, in order. One query per 256 values, so a
     * large import checks its rows in a few thousand statements rather than one per row.
     */
    StoreResult<QList<bool>> takenValues(const ResourceSpec &resource, const QString &tenant,
                                         const QString &field, const QList<QJsonValue> &values);

    /// The typed value of a CSV cell or form text for @p field (FieldSpec::fromText), or a
    /// VALIDATION_ERROR with one detail whose `value` is the text.
    static StoreResult<QJsonValue> coerceFromText(const FieldSpec &field, const QString &text);

private:
    struct Table
    {
        const ResourceSpec *spec = nullptr;
        QString quotedName;
        /// Record columns in select order: id, declared fields, version, created_at,
        /// updated_at, created_by, updated_by.
        QList<const FieldSpec *> columns;
        QString selectList;
        QString insertSql;
        QString selectByIdSql;
        QString updateSql;
        QString deleteSql;
        QHash<QString, QString> uniqueCheckSql;
    };

    const Table *table(const ResourceSpec &resource, const QString &tenant, ApiError *error) const;
    QSqlQuery *statement(const QString &sql, ApiError *error, bool listQuery = false);
    bool execSql(const QString &sql, QString *error);
    bool createTable(const Table &t, QString *error);

    StoreResult<QJsonObject> fetch(const Table &t, const QString &tenant, qint64 id);
    /// Validates and inserts; a null error on success. @p values receives the normalized
    /// field values by position.
    ApiError insertOne(const Table &t, const QString &tenant, const QString &userId,
                       const QJsonObject &body, const QString &now, QList<QJsonValue> *values,
                       qint64 *id);
    StoreResult<QJsonObject> createOne(const Table &t, const QString &tenant, const QString &userId,
                                       const QJsonObject &body, const QString &now);
    StoreResult<QJsonObject> updateOne(const Table &t, const QString &tenant, const QString &userId,
                                       qint64 id, const QJsonObject &patch,
                                       std::optional<qint64> ifMatchVersion, const QString &now);
    StoreResult<QJsonObject> removeOne(const Table &t, const QString &tenant, qint64 id,
                                       std::optional<qint64> ifMatchVersion);
    QJsonArray uniqueConflicts(const Table &t, const QString &tenant, const QJsonObject &values,
                               qint64 excludeId, ApiError *error);
    template<typename T, typename Work> StoreResult<T> inTransaction(Work &&work);

    struct StringHash
    {
        size_t operator()(const QString &s) const noexcept { return qHash(s); }
    };
    // Prepared statements by SQL text; owned through pointers so that a statement in use stays
    // put when the map grows.
    using StatementCache = std::unordered_map<QString, std::unique_ptr<QSqlQuery>, StringHash>;

    ServerSchema m_schema;
    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QString, Table> m_tables;
    StatementCache m_statements; // fixed per table: insert, select by id, ...
    StatementCache m_listStatements; // list queries, bounded
    int m_transactionDepth = 0;
};

} // namespace livedesk::server
