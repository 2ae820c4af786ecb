// SPDX-License-Identifier: MIT
#include "recordstore.h"

#include "storelogging.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>
#include <QtSql/QSqlError>

#include <atomic>
#include <cmath>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

std::atomic<int> connectionCounter{0};

constexpr qsizetype maxCachedListStatements = 64;

QString quoted(const QString &identifier)
{
    QString s = identifier;
    s.replace(u'"', u"\"\""_s);
    return u'"' + s + u'"';
}

QString sqlType(const FieldSpec &f)
{
    switch (f.type) {
    case FieldSpec::Type::Integer:
    case FieldSpec::Type::Boolean:
        return u"INTEGER"_s;
    case FieldSpec::Type::Number:
        return u"REAL"_s;
    default:
        return u"TEXT"_s;
    }
}

QVariant toSql(const FieldSpec &f, const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QVariant();
    switch (f.type) {
    case FieldSpec::Type::Integer:
        return QVariant(v.toInteger());
    case FieldSpec::Type::Number:
        return QVariant(v.toDouble());
    case FieldSpec::Type::Boolean:
        return QVariant(v.toBool() ? 1 : 0);
    default:
        return QVariant(v.toString());
    }
}

QJsonValue fromSql(const FieldSpec &f, const QVariant &v)
{
    if (v.isNull())
        return QJsonValue::Null;
    switch (f.type) {
    case FieldSpec::Type::Integer:
        return QJsonValue(v.toLongLong());
    case FieldSpec::Type::Number:
        return QJsonValue(v.toDouble());
    case FieldSpec::Type::Boolean:
        return QJsonValue(v.toLongLong() != 0);
    default:
        return QJsonValue(v.toString());
    }
}

QJsonObject readRecord(const QSqlQuery &q, const QList<const FieldSpec *> &columns)
{
    QJsonObject record;
    for (qsizetype i = 0; i < columns.size(); ++i)
        record.insert(columns[i]->name, fromSql(*columns[i], q.value(int(i))));
    return record;
}

QJsonValue userValue(const QString &userId)
{
    return userId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(userId);
}

QString displayValue(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    return u"null"_s;
}

bool isUniqueViolation(const QSqlError &e)
{
    return e.nativeErrorCode() == "19"_L1 || e.nativeErrorCode() == "2067"_L1
        || e.databaseText().contains("UNIQUE constraint"_L1);
}

bool isSystemKey(const QString &key)
{
    if (key == "tenant"_L1)
        return true;
    for (const FieldSpec &f : ResourceSpec::systemFields()) {
        if (f.name == key)
            return true;
    }
    return false;
}

std::optional<qint64> idFromJson(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d >= 1 && d <= 9007199254740991.0 && std::trunc(d) == d)
            return v.toInteger(static_cast<qint64>(d));
        return std::nullopt;
    }
    if (v.isString()) {
        bool ok = false;
        const qint64 id = v.toString().toLongLong(&ok);
        if (ok && id >= 1 && v.toString() == QString::number(id))
            return id;
    }
    return std::nullopt;
}

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString escapeLike(const QString &term)
{
    QString out;
    out.reserve(term.size() + 8);
    for (const QChar c : term) {
        if (c == u'\\' || c == u'%' || c == u'_')
            out.append(u'\\');
        out.append(c);
    }
    return out;
}

// The store's validation, shared by validate(), create, update and import: the normalized
// value of each declared field, by position (Undefined when a patch leaves it out or when it
// was refused), every problem appended to @p details. Positional so that an import row costs
// no JSON object building.
void checkFields(const ResourceSpec &resource, const QJsonObject &body, bool partial,
                 QList<QJsonValue> *values, QJsonArray *details)
{
    values->clear();
    values->reserve(resource.fields.size());
    qsizetype known = 0; // keys of @p body that are declared fields
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const FieldSpec &f : resource.fields) {
        const auto it = body.constFind(f.name);
        known += it != body.constEnd();
        const bool present = it != body.constEnd() && !it->isUndefined();
        const QJsonValue value = present ? *it : QJsonValue(QJsonValue::Undefined);
        if (!present || value.isNull()) {
            if (!partial && f.hasDefault()) {
                values->append(f.defaultValue);
            } else if (f.required && (!partial || present)) {
                details->append(ApiError::detail(f.name, u"REQUIRED"_s,
                                                 u"%1 is required"_s.arg(f.label), value));
                values->append(QJsonValue::Undefined);
            } else {
                values->append(!partial || present ? QJsonValue(QJsonValue::Null)
                                                   : QJsonValue(QJsonValue::Undefined));
            }
            continue;
        }
        FieldSpec::Problem problem;
        const QJsonValue normalized = f.normalized(value, &problem);
        if (normalized.isUndefined()) {
            details->append(ApiError::detail(f.name, problem.code, problem.message, value));
            values->append(QJsonValue::Undefined);
            continue;
        }
        if (!f.withinBounds(normalized, now, &problem)) {
            details->append(ApiError::detail(f.name, problem.code, problem.message, value));
            values->append(QJsonValue::Undefined);
            continue;
        }
        if (f.required && normalized.isString() && normalized.toString().trimmed().isEmpty()) {
            details->append(ApiError::detail(f.name, u"REQUIRED"_s,
                                             u"%1 must not be blank"_s.arg(f.label), value));
            values->append(QJsonValue::Undefined);
            continue;
        }
        values->append(normalized);
    }
    if (known == body.size())
        return;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (resource.field(it.key()) || isSystemKey(it.key()))
            continue;
        details->append(ApiError::detail(it.key(), u"UNKNOWN_FIELD"_s,
                                         u"%1 has no field \"%2\""_s.arg(resource.label, it.key()),
                                         it.value()));
    }
}

// The defined values of @p values as an object.
QJsonObject toObject(const ResourceSpec &resource, const QList<QJsonValue> &values)
{
    QJsonObject out;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (!values[i].isUndefined())
            out.insert(resource.fields[i].name, values[i]);
    }
    return out;
}

QJsonObject check(const ResourceSpec &resource, const QJsonObject &body, bool partial,
                  QJsonArray *details)
{
    QList<QJsonValue> values;
    checkFields(resource, body, partial, &values, details);
    return toObject(resource, values);
}

// Collects the errors of a bulk operation: every item's details with its index, and the code
// of the first failing item.
class BulkErrors
{
public:
    void add(int index, const ApiError &error, const QString &field, const QJsonValue &value)
    {
        if (m_first.isNull())
            m_first = error;
        ++m_items;
        const QJsonArray itemDetails = error.details().isEmpty()
            ? QJsonArray{ApiError::detail(field, error.code(), error.message(), value)}
            : error.details();
        for (const QJsonValue d : itemDetails) {
            QJsonObject o = d.toObject();
            o.insert("index"_L1, index);
            m_details.append(o);
        }
        if (m_firstIndex < 0)
            m_firstIndex = index;
    }

    bool isEmpty() const { return m_items == 0; }

    ApiError toError(qsizetype total) const
    {
        const QString message = m_items == 1
            ? u"Item %1: %2 (nothing was changed)"_s.arg(m_firstIndex).arg(m_first.message())
            : u"%1 of %2 items were refused, the first (item %3): %4 (nothing was changed)"_s
                  .arg(m_items)
                  .arg(total)
                  .arg(m_firstIndex)
                  .arg(m_first.message());
        return ApiError(m_first.code(), message, m_first.httpStatus(), m_details);
    }

private:
    ApiError m_first;
    int m_firstIndex = -1;
    int m_items = 0;
    QJsonArray m_details;
};

// The loop every bulk operation shares: @p step applied to each item; an internal error
// aborts at once, any other refusal is collected (with @p field and @p valueOf(item) when the
// refusal has no details of its own), and one refused item refuses the whole batch.
template<typename Step>
StoreResult<QJsonArray> eachItem(const QJsonArray &items, const QString &field,
                                 const std::function<QJsonValue(const QJsonValue &)> &valueOf,
                                 Step step)
{
    QJsonArray done;
    BulkErrors errors;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue item = items.at(i);
        StoreResult<QJsonObject> r = step(item);
        if (r)
            done.append(r.value());
        else if (r.error().httpStatus() >= 500)
            return r.error();
        else
            errors.add(int(i), r.error(), field, valueOf(item));
    }
    if (!errors.isEmpty())
        return errors.toError(items.size());
    return done;
}

QJsonValue itself(const QJsonValue &v)
{
    return v;
}

QJsonValue idOf(const QJsonValue &v)
{
    return v.toObject().value("id"_L1);
}

ApiError badId(const QJsonValue &value, const QString &message)
{
    return ApiError::validation({ApiError::detail(u"id"_s, u"INVALID_TYPE"_s, message, value)});
}

} // namespace

RecordStore::RecordStore(const ServerSchema &schema, const QString &dbPath)
    : m_schema(schema)
    , m_path(dbPath)
{
}

RecordStore::~RecordStore()
{
    close();
}

bool RecordStore::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

void RecordStore::close()
{
    m_statements.clear();
    m_listStatements.clear();
    m_tables.clear();
    m_transactionDepth = 0;
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    if (!m_connectionName.isEmpty()) {
        QSqlDatabase::removeDatabase(m_connectionName);
        m_connectionName.clear();
    }
}

bool RecordStore::execSql(const QString &sql, QString *error)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql)) {
        if (error)
            *error = u"%1 (%2)"_s.arg(q.lastError().text(), sql);
        return false;
    }
    return true;
}

bool RecordStore::open(QString *error)
{
    if (isOpen())
        return true;
    auto fail = [this, error](const QString &message) {
        qCWarning(lcServerStore).noquote() << "Cannot open" << m_path << ":" << message;
        if (error)
            *error = message;
        close();
        return false;
    };
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s))
        return fail(u"the Qt SQLite driver (QSQLITE) is not available"_s);

    const bool memory = m_path == ":memory:"_L1;
    if (!memory) {
        const QFileInfo info(m_path);
        if (!QDir().mkpath(info.absolutePath()))
            return fail(u"cannot create the directory %1"_s.arg(info.absolutePath()));
    }
    m_connectionName = u"livedesk.server.store.%1"_s.arg(++connectionCounter);
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!m_db.open())
        return fail(m_db.lastError().text());

    QString why;
    if (!memory) {
        QString mode;
        {
            QSqlQuery q(m_db);
            if (!q.exec(u"PRAGMA journal_mode=WAL"_s) || !q.next())
                why = u"cannot switch to WAL: %1"_s.arg(q.lastError().text());
            else
                mode = q.value(0).toString();
        }
        if (why.isEmpty() && mode.compare("wal"_L1, Qt::CaseInsensitive) != 0)
            why = u"SQLite refused WAL mode (got %1)"_s.arg(mode);
        if (!why.isEmpty() || !execSql(u"PRAGMA synchronous=NORMAL"_s, &why))
            return fail(why);
    }

    for (const ResourceSpec &r : std::as_const(m_schema.resources)) {
        Table t;
        t.spec = &r;
        t.quotedName = quoted(r.name);
        const auto &system = ResourceSpec::systemFields();
        t.columns.append(&system[0]); // id
        for (const FieldSpec &f : r.fields)
            t.columns.append(&f);
        for (qsizetype i = 1; i < system.size(); ++i)
            t.columns.append(&system[i]);
        QStringList names;
        for (const FieldSpec *f : std::as_const(t.columns))
            names.append(quoted(f->name));
        t.selectList = names.join(u", "_s);

        QStringList insertColumns{u"\"tenant\""_s,     u"\"version\""_s,    u"\"created_at\""_s,
                                  u"\"updated_at\""_s, u"\"created_by\""_s, u"\"updated_by\""_s};
        QStringList setters;
        for (const FieldSpec &f : r.fields) {
            insertColumns.append(quoted(f.name));
            setters.append(quoted(f.name) + u" = ?"_s);
        }
        setters << u"\"version\" = ?"_s << u"\"updated_at\" = ?"_s << u"\"updated_by\" = ?"_s;
        QStringList placeholders(insertColumns.size(), u"?"_s);
        t.insertSql = u"INSERT INTO %1 (%2) VALUES (%3)"_s.arg(
            t.quotedName, insertColumns.join(u", "_s), placeholders.join(u", "_s));
        t.selectByIdSql = u"SELECT %1 FROM %2 WHERE \"id\" = ? AND \"tenant\" = ?"_s.arg(
            t.selectList, t.quotedName);
        t.updateSql
            = u"UPDATE %1 SET %2 WHERE \"id\" = ? AND \"tenant\" = ? AND \"version\" = ?"_s.arg(
                t.quotedName, setters.join(u", "_s));
        t.deleteSql = u"DELETE FROM %1 WHERE \"id\" = ? AND \"tenant\" = ?"_s.arg(t.quotedName);
        for (const FieldSpec &f : r.fields) {
            if (f.unique) {
                t.uniqueCheckSql.insert(
                    f.name,
                    u"SELECT \"id\" FROM %1 WHERE \"tenant\" = ? AND %2 = ? AND \"id\" <> ? LIMIT 1"_s
                        .arg(t.quotedName, quoted(f.name)));
            }
        }
        m_tables.insert(r.name, t);
    }

    const bool created = transaction([&] {
        if (!execSql(u"CREATE TABLE IF NOT EXISTS \"livedesk_meta\" (\"key\" TEXT PRIMARY KEY, "
                     "\"value\" TEXT)"_s,
                     &why))
            return false;
        for (const Table &t : std::as_const(m_tables)) {
            if (!createTable(t, &why))
                return false;
        }
        return true;
    });
    if (!created)
        return fail(why.isEmpty() ? m_db.lastError().text() : why);

    const QString storedName = metaValue(u"schema.name"_s);
    if (!storedName.isEmpty() && storedName != m_schema.name) {
        qCWarning(lcServerStore).noquote() << m_path << "was made for schema" << storedName
                                           << "and is now opened with" << m_schema.name;
    }
    if (!setMetaValue(u"schema.name"_s, m_schema.name)
        || !setMetaValue(u"schema.version"_s, QString::number(m_schema.version)))
        return fail(u"cannot write livedesk_meta"_s);
    qCInfo(lcServerStore).noquote() << "Opened" << m_path << "for schema" << m_schema.name << "with"
                                    << m_tables.size() << "resources";
    return true;
}

bool RecordStore::createTable(const Table &t, QString *error)
{
    const ResourceSpec &r = *t.spec;
    QHash<QString, QString> existing; // lower-case column name -> declared type
    {
        QSqlQuery q(m_db);
        if (!q.exec(u"PRAGMA table_info(%1)"_s.arg(t.quotedName))) {
            *error = q.lastError().text();
            return false;
        }
        while (q.next())
            existing.insert(q.value(1).toString().toLower(), q.value(2).toString().toUpper());
    }

    if (existing.isEmpty()) {
        QStringList columns{
            u"\"id\" INTEGER PRIMARY KEY AUTOINCREMENT"_s,
            u"\"tenant\" TEXT NOT NULL"_s,
            u"\"version\" INTEGER NOT NULL DEFAULT 1"_s,
            u"\"created_at\" TEXT NOT NULL"_s,
            u"\"updated_at\" TEXT NOT NULL"_s,
            u"\"created_by\" TEXT"_s,
            u"\"updated_by\" TEXT"_s,
        };
        for (const FieldSpec &f : r.fields)
            columns.append(quoted(f.name) + u' ' + sqlType(f));
        if (!execSql(u"CREATE TABLE %1 (%2)"_s.arg(t.quotedName, columns.join(u", "_s)), error))
            return false;
        qCDebug(lcServerStore).noquote() << "Created table" << r.name;
    } else {
        for (const auto name : {"id"_L1, "tenant"_L1, "version"_L1, "created_at"_L1,
                                "updated_at"_L1, "created_by"_L1, "updated_by"_L1}) {
            if (!existing.contains(name)) {
                *error = u"table %1 exists but has no column %2: it was not made by livedesk"_s.arg(
                    r.name, name);
                return false;
            }
        }
        for (const FieldSpec &f : r.fields) {
            const auto it = existing.constFind(f.name.toLower());
            if (it == existing.cend()) {
                if (!execSql(u"ALTER TABLE %1 ADD COLUMN %2 %3"_s.arg(t.quotedName, quoted(f.name),
                                                                      sqlType(f)),
                             error))
                    return false;
                qCInfo(lcServerStore).noquote() << "Added column" << f.name << "to" << r.name;
            } else if (*it != sqlType(f)) {
                qCWarning(lcServerStore).noquote()
                    << "Column" << r.name + u'.' + f.name << "is" << *it << "in the database but"
                    << FieldSpec::typeName(f.type)
                    << "in the schema; values are converted when read";
            }
        }
    }

    if (!execSql(u"CREATE INDEX IF NOT EXISTS %1 ON %2 (\"tenant\", \"id\")"_s.arg(
                     quoted(r.name + u"__tenant"_s), t.quotedName),
                 error))
        return false;
    // Lists sorted by last change ("what changed recently") page without sorting the table.
    if (!execSql(u"CREATE INDEX IF NOT EXISTS %1 ON %2 (\"tenant\", \"updated_at\")"_s.arg(
                     quoted(r.name + u"__tenant_updated"_s), t.quotedName),
                 error))
        return false;

    // Unique indexes are named <table>__unique__<field>; drop those of fields no longer unique.
    const QString uniquePrefix = r.name + u"__unique__"_s;
    QSet<QString> wanted;
    for (const FieldSpec &f : r.fields) {
        if (!f.unique)
            continue;
        wanted.insert(uniquePrefix + f.name);
        if (!execSql(u"CREATE UNIQUE INDEX IF NOT EXISTS %1 ON %2 (\"tenant\", %3)"_s.arg(
                         quoted(uniquePrefix + f.name), t.quotedName, quoted(f.name)),
                     error)) {
            *error = u"cannot make %1.%2 unique (are there duplicates already?): %3"_s.arg(
                r.name, f.name, *error);
            return false;
        }
    }
    QStringList stale;
    {
        QSqlQuery q(m_db);
        q.prepare(u"SELECT \"name\" FROM \"sqlite_master\" WHERE \"type\" = 'index' AND "
                  "\"tbl_name\" = ?"_s);
        q.addBindValue(r.name);
        if (!q.exec()) {
            *error = q.lastError().text();
            return false;
        }
        while (q.next()) {
            const QString name = q.value(0).toString();
            if (name.startsWith(uniquePrefix) && !wanted.contains(name))
                stale.append(name);
        }
    }
    for (const QString &name : std::as_const(stale)) {
        if (!execSql(u"DROP INDEX %1"_s.arg(quoted(name)), error))
            return false;
        qCInfo(lcServerStore).noquote() << "Dropped unique index" << name;
    }
    return true;
}

QSqlQuery *RecordStore::statement(const QString &sql, ApiError *error, bool listQuery)
{
    StatementCache &cache = listQuery ? m_listStatements : m_statements;
    if (const auto it = cache.find(sql); it != cache.end())
        return it->second.get();
    if (!isOpen()) {
        *error = ApiError::internal(u"The record store is not open"_s);
        return nullptr;
    }
    auto q = std::make_unique<QSqlQuery>(m_db);
    q->setForwardOnly(true);
    if (!q->prepare(sql)) {
        qCWarning(lcServerStore).noquote()
            << "Cannot prepare" << sql << ":" << q->lastError().text();
        *error = ApiError::internal(u"The database refused a statement"_s);
        return nullptr;
    }
    if (listQuery && qsizetype(cache.size()) >= maxCachedListStatements)
        cache.clear();
    return cache.emplace(sql, std::move(q)).first->second.get();
}

bool RecordStore::transaction(const std::function<bool()> &work)
{
    if (!isOpen())
        return false;
    const int depth = m_transactionDepth;
    const QString savepoint = u"\"livedesk_sp%1\""_s.arg(depth);
    auto run = [this](const QString &sql) {
        ApiError error;
        QSqlQuery *q = statement(sql, &error);
        if (!q)
            return false;
        const bool ok = q->exec();
        if (!ok)
            qCWarning(lcServerStore).noquote() << sql << "failed:" << q->lastError().text();
        q->finish();
        return ok;
    };
    auto rollback = [&] {
        if (depth == 0) {
            run(u"ROLLBACK"_s);
        } else {
            run(u"ROLLBACK TO "_s + savepoint);
            run(u"RELEASE "_s + savepoint);
        }
    };

    if (!run(depth == 0 ? u"BEGIN IMMEDIATE"_s : u"SAVEPOINT "_s + savepoint))
        return false;
    ++m_transactionDepth;
    bool ok = false;
    try {
        ok = work();
    } catch (...) {
        --m_transactionDepth;
        rollback();
        throw;
    }
    --m_transactionDepth;
    if (ok && run(depth == 0 ? u"COMMIT"_s : u"RELEASE "_s + savepoint))
        return true;
    rollback();
    return false;
}

template<typename T, typename Work> StoreResult<T> RecordStore::inTransaction(Work &&work)
{
    std::optional<StoreResult<T>> result;
    const bool committed = transaction([&] {
        result.emplace(work());
        return result->ok();
    });
    if (!result)
        return ApiError::internal(u"Could not start a database transaction"_s);
    if (result->ok() && !committed)
        return ApiError::internal(u"Could not commit the database transaction"_s);
    return std::move(*result);
}

QString RecordStore::metaValue(const QString &key, const QString &fallback)
{
    ApiError error;
    QSqlQuery *q
        = statement(u"SELECT \"value\" FROM \"livedesk_meta\" WHERE \"key\" = ?"_s, &error);
    if (!q)
        return fallback;
    q->bindValue(0, key);
    QString value = fallback;
    if (q->exec() && q->next())
        value = q->value(0).toString();
    q->finish();
    return value;
}

bool RecordStore::setMetaValue(const QString &key, const QString &value)
{
    return transaction([&] {
        ApiError error;
        QSqlQuery *q = statement(
            u"INSERT OR REPLACE INTO \"livedesk_meta\" (\"key\", \"value\") VALUES (?, ?)"_s,
            &error);
        if (!q)
            return false;
        q->bindValue(0, key);
        q->bindValue(1, value);
        const bool ok = q->exec();
        q->finish();
        return ok;
    });
}

const RecordStore::Table *RecordStore::table(const ResourceSpec &resource, const QString &tenant,
                                             ApiError *error) const
{
    if (!isOpen()) {
        *error = ApiError::internal(u"The record store is not open"_s);
        return nullptr;
    }
    if (tenant.isEmpty()) {
        *error = ApiError::badRequest(u"No tenant: every record belongs to one"_s);
        return nullptr;
    }
    const auto it = m_tables.constFind(resource.name);
    if (it == m_tables.cend()) {
        *error = ApiError::notFound(u"Unknown resource \"%1\""_s.arg(resource.name));
        return nullptr;
    }
    return &*it;
}

StoreResult<QJsonObject> RecordStore::validate(const ResourceSpec &resource,
                                               const QJsonObject &body, bool partial)
{
    QJsonArray details;
    QJsonObject values = check(resource, body, partial, &details);
    if (!details.isEmpty())
        return ApiError::validation(details);
    return values;
}

StoreResult<QJsonValue> RecordStore::coerceFromText(const FieldSpec &field, const QString &text)
{
    FieldSpec::Problem problem;
    const QJsonValue value = field.fromText(text, &problem);
    if (value.isUndefined())
        return ApiError::validation(
            {ApiError::detail(field.name, problem.code, problem.message, text)});
    return value;
}

QJsonArray RecordStore::uniqueConflicts(const Table &t, const QString &tenant,
                                        const QJsonObject &values, qint64 excludeId,
                                        ApiError *error)
{
    QJsonArray details;
    for (const FieldSpec &f : t.spec->fields) {
        if (!f.unique)
            continue;
        const QJsonValue v = values.value(f.name);
        if (v.isNull() || v.isUndefined())
            continue;
        QSqlQuery *q = statement(t.uniqueCheckSql.value(f.name), error);
        if (!q)
            return details;
        q->bindValue(0, tenant);
        q->bindValue(1, toSql(f, v));
        q->bindValue(2, excludeId);
        if (!q->exec()) {
            qCWarning(lcServerStore) << "Unique check failed:" << q->lastError().text();
            *error = ApiError::internal(u"The database failed to check a unique value"_s);
            q->finish();
            return details;
        }
        const bool taken = q->next();
        q->finish();
        if (taken) {
            details.append(ApiError::detail(
                f.name, u"UNIQUE"_s,
                u"%1 \"%2\" is already used by another record"_s.arg(f.label, displayValue(v)), v));
        }
    }
    return details;
}

StoreResult<QList<bool>> RecordStore::takenValues(const ResourceSpec &resource,
                                                  const QString &tenant, const QString &field,
                                                  const QList<QJsonValue> &values)
{
    constexpr qsizetype chunk = 256;
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    const FieldSpec *spec = resource.field(field);
    if (!spec || !spec->unique)
        return ApiError::internal(u"%1 is not a unique field of %2"_s.arg(field, resource.name));
    QStringList marks;
    for (qsizetype i = 0; i < chunk; ++i)
        marks.append(u"?"_s);
    const QString sql = u"SELECT DISTINCT %1 FROM %2 WHERE \"tenant\" = ? AND %1 IN (%3)"_s.arg(
        quoted(field), t->quotedName, marks.join(u","_s));
    // Values compare by their SQL text: the same for 7 as integer, double or string column.
    QList<bool> taken(values.size(), false);
    for (qsizetype from = 0; from < values.size(); from += chunk) {
        const qsizetype count = std::min(chunk, values.size() - from);
        QSqlQuery *q = statement(sql, &error);
        if (!q)
            return error;
        q->bindValue(0, tenant);
        // A short last chunk repeats its first value: one prepared statement serves all.
        for (qsizetype i = 0; i < chunk; ++i)
            q->bindValue(int(i + 1), toSql(*spec, values[from + (i < count ? i : 0)]));
        if (!q->exec()) {
            qCWarning(lcServerStore) << "Unique check failed:" << q->lastError().text();
            q->finish();
            return ApiError::internal(u"The database failed to check unique values"_s);
        }
        QSet<QString> found;
        while (q->next())
            found.insert(q->value(0).toString());
        q->finish();
        if (found.isEmpty())
            continue;
        for (qsizetype i = 0; i < count; ++i)
            taken[from + i] = found.contains(toSql(*spec, values[from + i]).toString());
    }
    return taken;
}

QJsonArray RecordStore::uniqueConflicts(const ResourceSpec &resource, const QString &tenant,
                                        const QJsonObject &values, qint64 excludeId)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return {};
    return uniqueConflicts(*t, tenant, values, excludeId, &error);
}

StoreResult<QJsonObject> RecordStore::fetch(const Table &t, const QString &tenant, qint64 id)
{
    ApiError error;
    QSqlQuery *q = statement(t.selectByIdSql, &error);
    if (!q)
        return error;
    q->bindValue(0, id);
    q->bindValue(1, tenant);
    if (!q->exec()) {
        qCWarning(lcServerStore) << "Reading" << t.spec->name << id
                                 << "failed:" << q->lastError().text();
        q->finish();
        return ApiError::internal(u"The database failed to read a record"_s);
    }
    if (!q->next()) {
        q->finish();
        return ApiError::notFound(u"%1 %2 not found"_s.arg(t.spec->label).arg(id));
    }
    QJsonObject record = readRecord(*q, t.columns);
    q->finish();
    return record;
}

ApiError RecordStore::insertOne(const Table &t, const QString &tenant, const QString &userId,
                                const QJsonObject &body, const QString &now,
                                QList<QJsonValue> *values, qint64 *id)
{
    const ResourceSpec &spec = *t.spec;
    QJsonArray details;
    checkFields(spec, body, false, values, &details);
    ApiError error;
    if (!details.isEmpty()) {
        const QJsonArray taken = uniqueConflicts(t, tenant, toObject(spec, *values), 0, &error);
        if (!error.isNull())
            return error;
        for (const QJsonValue d : taken)
            details.append(d);
        return ApiError::validation(details);
    }

    QSqlQuery *q = statement(t.insertSql, &error);
    if (!q)
        return error;
    const QVariant user = userId.isEmpty() ? QVariant() : QVariant(userId);
    q->bindValue(0, tenant);
    q->bindValue(1, 1);
    q->bindValue(2, now);
    q->bindValue(3, now);
    q->bindValue(4, user);
    q->bindValue(5, user);
    for (qsizetype i = 0; i < spec.fields.size(); ++i)
        q->bindValue(int(6 + i), toSql(spec.fields[i], values->at(i)));
    if (!q->exec()) {
        const QSqlError sqlError = q->lastError();
        q->finish();
        if (isUniqueViolation(sqlError)) {
            const QJsonArray taken = uniqueConflicts(t, tenant, toObject(spec, *values), 0, &error);
            if (!taken.isEmpty())
                return ApiError::duplicate(taken);
        }
        qCWarning(lcServerStore) << "Insert into" << spec.name << "failed:" << sqlError.text();
        return ApiError::internal(u"The database failed to store the record"_s);
    }
    *id = q->lastInsertId().toLongLong();
    q->finish();
    return {};
}

StoreResult<QJsonObject> RecordStore::createOne(const Table &t, const QString &tenant,
                                                const QString &userId, const QJsonObject &body,
                                                const QString &now)
{
    QList<QJsonValue> values;
    qint64 id = 0;
    const ApiError error = insertOne(t, tenant, userId, body, now, &values, &id);
    if (!error.isNull())
        return error;
    QJsonObject record = toObject(*t.spec, values);
    record.insert("id"_L1, id);
    record.insert("version"_L1, 1);
    record.insert("created_at"_L1, now);
    record.insert("updated_at"_L1, now);
    record.insert("created_by"_L1, userValue(userId));
    record.insert("updated_by"_L1, userValue(userId));
    return record;
}

StoreResult<QJsonObject> RecordStore::updateOne(const Table &t, const QString &tenant,
                                                const QString &userId, qint64 id,
                                                const QJsonObject &patch,
                                                std::optional<qint64> ifMatchVersion,
                                                const QString &now)
{
    auto fetched = fetch(t, tenant, id);
    if (!fetched)
        return fetched.error();
    const QJsonObject current = fetched.takeValue();
    const qint64 version = current.value("version"_L1).toInteger();
    if (ifMatchVersion && *ifMatchVersion != version)
        return ApiError::versionConflict(current, *ifMatchVersion);

    QJsonArray details;
    const QJsonObject changes = check(*t.spec, patch, true, &details);
    QJsonObject merged = current;
    QJsonObject changed;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (current.value(it.key()) == it.value())
            continue;
        const FieldSpec *f = t.spec->field(it.key());
        if (!f->editable) {
            details.append(ApiError::detail(f->name, u"READ_ONLY"_s,
                                            u"%1 cannot be changed once set"_s.arg(f->label),
                                            patch.value(it.key())));
            continue;
        }
        merged.insert(it.key(), it.value());
        changed.insert(it.key(), it.value());
    }
    ApiError error;
    if (!details.isEmpty()) {
        const QJsonArray taken = uniqueConflicts(t, tenant, changed, id, &error);
        if (!error.isNull())
            return error;
        for (const QJsonValue d : taken)
            details.append(d);
        return ApiError::validation(details);
    }
    if (changed.isEmpty())
        return current;

    QSqlQuery *q = statement(t.updateSql, &error);
    if (!q)
        return error;
    const auto &fields = t.spec->fields;
    int i = 0;
    for (const FieldSpec &f : fields)
        q->bindValue(i++, toSql(f, merged.value(f.name)));
    q->bindValue(i++, version + 1);
    q->bindValue(i++, now);
    q->bindValue(i++, userId.isEmpty() ? QVariant() : QVariant(userId));
    q->bindValue(i++, id);
    q->bindValue(i++, tenant);
    q->bindValue(i++, version);
    if (!q->exec()) {
        const QSqlError sqlError = q->lastError();
        q->finish();
        if (isUniqueViolation(sqlError)) {
            const QJsonArray taken = uniqueConflicts(t, tenant, changed, id, &error);
            if (!taken.isEmpty())
                return ApiError::duplicate(taken);
        }
        qCWarning(lcServerStore) << "Update of" << t.spec->name << id
                                 << "failed:" << sqlError.text();
        return ApiError::internal(u"The database failed to update the record"_s);
    }
    const int affected = q->numRowsAffected();
    q->finish();
    if (affected != 1) {
        // Cannot happen inside our write transaction; refuse rather than report a ghost write.
        qCWarning(lcServerStore) << "Update of" << t.spec->name << id << "touched" << affected
                                 << "rows";
        return ApiError::internal(u"The record changed while it was being updated"_s);
    }
    merged.insert("version"_L1, version + 1);
    merged.insert("updated_at"_L1, now);
    merged.insert("updated_by"_L1, userValue(userId));
    return merged;
}

StoreResult<QJsonObject> RecordStore::removeOne(const Table &t, const QString &tenant, qint64 id,
                                                std::optional<qint64> ifMatchVersion)
{
    auto fetched = fetch(t, tenant, id);
    if (!fetched)
        return fetched.error();
    const QJsonObject current = fetched.takeValue();
    if (ifMatchVersion && *ifMatchVersion != current.value("version"_L1).toInteger())
        return ApiError::versionConflict(current, *ifMatchVersion);
    ApiError error;
    QSqlQuery *q = statement(t.deleteSql, &error);
    if (!q)
        return error;
    q->bindValue(0, id);
    q->bindValue(1, tenant);
    const bool ok = q->exec() && q->numRowsAffected() == 1;
    if (!ok)
        qCWarning(lcServerStore) << "Delete of" << t.spec->name << id
                                 << "failed:" << q->lastError().text();
    q->finish();
    if (!ok)
        return ApiError::internal(u"The database failed to delete the record"_s);
    return current;
}

StoreResult<RecordStore::Page> RecordStore::list(const ResourceSpec &resource,
                                                 const QString &tenant, const ListQuery &query)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    const ResourceSpec &spec = *t->spec;
    if (query.page < 1 || query.limit < 1 || query.limit > ListQuery::maxLimit)
        return ApiError::badRequest(
            u"page must be at least 1 and limit between 1 and %1"_s.arg(ListQuery::maxLimit));

    QStringList where{u"\"tenant\" = ?"_s};
    QVariantList binds{tenant};
    if (!query.search.isEmpty()) {
        const auto searchFields = spec.searchFields();
        if (searchFields.isEmpty()) {
            where.append(u"0"_s); // nothing to search in: nothing matches
        } else {
            const QString pattern = u'%' + escapeLike(query.search) + u'%';
            QStringList any;
            for (const FieldSpec *f : searchFields) {
                any.append(quoted(f->name) + u" LIKE ? ESCAPE '\\'"_s);
                binds.append(pattern);
            }
            where.append(u'(' + any.join(u" OR "_s) + u')');
        }
    }
    for (const ListQuery::Filter &filter : query.filters) {
        const FieldSpec *column = spec.column(filter.field);
        if (!column || filter.values.isEmpty())
            return ApiError::badRequest(u"Bad filter on \"%1\""_s.arg(filter.field));
        const QString name = quoted(column->name);
        switch (filter.op) {
        case ListQuery::FilterOp::Equals:
            if (filter.values.size() == 1) {
                where.append(name + u" = ?"_s);
            } else {
                QStringList marks(filter.values.size(), u"?"_s);
                where.append(name + u" IN ("_s + marks.join(u", "_s) + u')');
            }
            for (const QJsonValue v : filter.values)
                binds.append(toSql(*column, v));
            break;
        case ListQuery::FilterOp::Min:
            where.append(name + u" >= ?"_s);
            binds.append(toSql(*column, filter.values.first()));
            break;
        case ListQuery::FilterOp::Max:
            where.append(name + u" <= ?"_s);
            binds.append(toSql(*column, filter.values.first()));
            break;
        }
    }

    QList<const FieldSpec *> columns;
    if (query.fields.isEmpty()) {
        columns = t->columns;
    } else {
        columns.append(&ResourceSpec::systemFields().first());
        for (const QString &name : query.fields) {
            const FieldSpec *column = spec.column(name);
            if (!column)
                return ApiError::badRequest(u"Unknown field \"%1\""_s.arg(name));
            if (column->name != "id"_L1)
                columns.append(column);
        }
    }
    QStringList selected;
    for (const FieldSpec *c : std::as_const(columns))
        selected.append(quoted(c->name));

    QStringList order;
    bool haveId = false;
    for (const ListQuery::SortKey &key : query.sort) {
        const FieldSpec *column = spec.column(key.field);
        if (!column)
            return ApiError::badRequest(u"Cannot sort on \"%1\""_s.arg(key.field));
        haveId = haveId || column->name == "id"_L1;
        order.append(quoted(column->name) + (column->isTextual() ? u" COLLATE NOCASE"_s : QString())
                     + (key.descending ? u" DESC"_s : u" ASC"_s));
    }
    // Ties broken by id in the direction of the last key, so that an index on (tenant, key)
    // (whose entries end with the rowid) serves the whole order, forwards or backwards.
    if (!haveId) {
        const bool descending = !query.sort.isEmpty() && query.sort.constLast().descending;
        order.append(descending ? u"\"id\" DESC"_s : u"\"id\" ASC"_s);
    }

    const QString whereSql = where.join(u" AND "_s);
    const QString rowsSql = u"SELECT %1 FROM %2 WHERE %3 ORDER BY %4 LIMIT ? OFFSET ?"_s.arg(
        selected.join(u", "_s), t->quotedName, whereSql, order.join(u", "_s));

    Page page;
    {
        QSqlQuery *q = statement(rowsSql, &error, true);
        if (!q)
            return error;
        int i = 0;
        for (const QVariant &v : std::as_const(binds))
            q->bindValue(i++, v);
        q->bindValue(i++, query.limit);
        q->bindValue(i++, query.offset());
        if (!q->exec()) {
            qCWarning(lcServerStore)
                << "Listing" << spec.name << "failed:" << q->lastError().text();
            q->finish();
            return ApiError::internal(u"The database failed to list the records"_s);
        }
        while (q->next())
            page.rows.append(readRecord(*q, columns));
        q->finish();
    }

    // A short page tells the total without counting.
    if (page.rows.size() < query.limit && (!page.rows.isEmpty() || query.offset() == 0)) {
        page.total = query.offset() + page.rows.size();
        return page;
    }
    QSqlQuery *q = statement(u"SELECT COUNT(*) FROM %1 WHERE %2"_s.arg(t->quotedName, whereSql),
                             &error, true);
    if (!q)
        return error;
    int i = 0;
    for (const QVariant &v : std::as_const(binds))
        q->bindValue(i++, v);
    if (!q->exec() || !q->next()) {
        qCWarning(lcServerStore) << "Counting" << spec.name << "failed:" << q->lastError().text();
        q->finish();
        return ApiError::internal(u"The database failed to count the records"_s);
    }
    page.total = q->value(0).toLongLong();
    q->finish();
    return page;
}

StoreResult<QJsonObject> RecordStore::get(const ResourceSpec &resource, const QString &tenant,
                                          qint64 id)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    return fetch(*t, tenant, id);
}

StoreResult<QJsonObject> RecordStore::create(const ResourceSpec &resource, const QString &tenant,
                                             const QString &userId, const QJsonObject &body)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    const QString now = nowUtc();
    auto result
        = inTransaction<QJsonObject>([&] { return createOne(*t, tenant, userId, body, now); });
    if (result)
        qCDebug(lcServerStore) << "Created" << resource.name
                               << result.value().value("id"_L1).toInteger() << "in" << tenant
                               << "by" << userId;
    return result;
}

StoreResult<QJsonObject> RecordStore::update(const ResourceSpec &resource, const QString &tenant,
                                             const QString &userId, qint64 id,
                                             const QJsonObject &patch,
                                             std::optional<qint64> ifMatchVersion)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    const QString now = nowUtc();
    auto result = inTransaction<QJsonObject>(
        [&] { return updateOne(*t, tenant, userId, id, patch, ifMatchVersion, now); });
    if (result)
        qCDebug(lcServerStore) << "Updated" << resource.name << id << "in" << tenant << "by"
                               << userId << "to version"
                               << result.value().value("version"_L1).toInteger();
    return result;
}

StoreResult<QJsonObject> RecordStore::remove(const ResourceSpec &resource, const QString &tenant,
                                             const QString &userId, qint64 id,
                                             std::optional<qint64> ifMatchVersion)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    auto result
        = inTransaction<QJsonObject>([&] { return removeOne(*t, tenant, id, ifMatchVersion); });
    if (result)
        qCDebug(lcServerStore) << "Deleted" << resource.name << id << "in" << tenant << "by"
                               << userId;
    return result;
}

StoreResult<QJsonArray> RecordStore::bulkCreate(const ResourceSpec &resource, const QString &tenant,
                                                const QString &userId, const QJsonArray &items)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    const QString now = nowUtc();
    return inTransaction<QJsonArray>([&] {
        return eachItem(items, {}, itself, [&](const QJsonValue &item) -> StoreResult<QJsonObject> {
            if (!item.isObject())
                return ApiError::badRequest(u"An item must be an object"_s);
            return createOne(*t, tenant, userId, item.toObject(), now);
        });
    });
}

StoreResult<QJsonArray> RecordStore::bulkUpdate(const ResourceSpec &resource, const QString &tenant,
                                                const QString &userId, const QJsonArray &items)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    const QString now = nowUtc();
    return inTransaction<QJsonArray>([&] {
        return eachItem(
            items, u"id"_s, idOf, [&](const QJsonValue &item) -> StoreResult<QJsonObject> {
                const auto id = idFromJson(idOf(item));
                if (!item.isObject() || !id)
                    return badId(idOf(item),
                                 u"Each item needs an \"id\" (a positive whole number)"_s);
                // The id (like the other system fields) is ignored by validation.
                return updateOne(*t, tenant, userId, *id, item.toObject(), std::nullopt, now);
            });
    });
}

StoreResult<QJsonArray> RecordStore::bulkDelete(const ResourceSpec &resource, const QString &tenant,
                                                const QString &userId, const QJsonArray &ids)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    auto result = inTransaction<QJsonArray>([&] {
        return eachItem(ids, u"id"_s, itself,
                        [&](const QJsonValue &value) -> StoreResult<QJsonObject> {
                            const auto id = idFromJson(value);
                            if (!id)
                                return badId(value, u"An id must be a positive whole number"_s);
                            return removeOne(*t, tenant, *id, std::nullopt);
                        });
    });
    if (result)
        qCDebug(lcServerStore) << "Deleted" << result.value().size() << resource.name << "in"
                               << tenant << "by" << userId;
    return result;
}

StoreResult<RecordStore::ImportOutcome>
RecordStore::importRows(const ResourceSpec &resource, const QString &tenant, const QString &userId,
                        const QList<QJsonObject> &rows, ImportMode mode)
{
    ApiError error;
    const Table *t = table(resource, tenant, &error);
    if (!t)
        return error;
    const QString now = nowUtc();
    ImportOutcome outcome;
    outcome.ids.reserve(rows.size());
    const bool committed = transaction([&] {
        QList<QJsonValue> values;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            qint64 id = 0;
            const ApiError rowError = insertOne(*t, tenant, userId, rows[i], now, &values, &id);
            if (rowError.isNull()) {
                outcome.ids.append(id);
            } else if (rowError.httpStatus() >= 500) {
                error = rowError;
                return false;
            } else {
                outcome.errors.append({int(i), rowError.details()});
            }
        }
        return mode == ImportMode::SkipInvalidRows || outcome.errors.isEmpty();
    });
    if (!error.isNull())
        return error;
    if (!committed) {
        if (mode == ImportMode::AllOrNothing && !outcome.errors.isEmpty()) {
            outcome.ids.clear();
            outcome.inserted = 0;
            return outcome;
        }
        return ApiError::internal(u"Could not commit the import batch"_s);
    }
    outcome.inserted = int(outcome.ids.size());
    qCDebug(lcServerStore) << "Imported" << outcome.inserted << "of" << rows.size() << resource.name
                           << "in" << tenant << "by" << userId;
    return outcome;
}

} // namespace livedesk::server
