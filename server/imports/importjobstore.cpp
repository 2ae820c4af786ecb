// SPDX-License-Identifier: MIT
#include "importjobstore.h"

#include "importslogging.h"
#include "recordstore.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QSet>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <utility>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

bool exec(QSqlQuery &q, const char *what)
{
    if (q.exec())
        return true;
    qCWarning(lcServerImports).noquote() << what << "failed:" << q.lastError().text();
    return false;
}

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

QString errorsText(const QJsonArray &errors)
{
    return QString::fromUtf8(QJsonDocument(errors).toJson(QJsonDocument::Compact));
}

// Columns added after the first release of the table, with their definitions.
const std::pair<const char16_t *, const char16_t *> addedColumns[] = {
    {u"started_at", u"TEXT"},
    {u"finished_at", u"TEXT"},
    {u"execution_error_count", u"INTEGER NOT NULL DEFAULT 0"},
    {u"execution_errors", u"TEXT"},
};

} // namespace

ImportJobStore::ImportJobStore(RecordStore *store)
    : m_store(store)
{
}

QString ImportJobStore::interruptedMessage()
{
    return u"interrupted by a server restart"_s;
}

bool ImportJobStore::open(QString *error, int *recovered)
{
    int count = 0;
    QString why;
    const bool ok = m_store->transaction([&] {
        QSqlQuery q(m_store->database());
        if (!q.exec(u"CREATE TABLE IF NOT EXISTS \"livedesk_import_jobs\" ("
                    "\"id\" TEXT PRIMARY KEY, "
                    "\"tenant\" TEXT NOT NULL, "
                    "\"resource\" TEXT NOT NULL, "
                    "\"user_id\" TEXT, "
                    "\"session_id\" TEXT NOT NULL, "
                    "\"status\" TEXT NOT NULL, "
                    "\"skip_errors\" INTEGER NOT NULL DEFAULT 0, "
                    "\"total\" INTEGER NOT NULL DEFAULT 0, "
                    "\"processed\" INTEGER NOT NULL DEFAULT 0, "
                    "\"success\" INTEGER NOT NULL DEFAULT 0, "
                    "\"failed\" INTEGER NOT NULL DEFAULT 0, "
                    "\"error\" TEXT, "
                    "\"created_at\" TEXT NOT NULL, "
                    "\"updated_at\" TEXT NOT NULL)"_s)) {
            why = q.lastError().text();
            return false;
        }
        QSet<QString> columns;
        if (!q.exec(u"PRAGMA table_info(\"livedesk_import_jobs\")"_s)) {
            why = q.lastError().text();
            return false;
        }
        while (q.next())
            columns.insert(q.value(1).toString());
        for (const auto &[name, definition] : addedColumns) {
            const QString column = QString::fromUtf16(name);
            if (columns.contains(column))
                continue;
            if (!q.exec(u"ALTER TABLE \"livedesk_import_jobs\" ADD COLUMN \"%1\" %2"_s.arg(
                    column, QString::fromUtf16(definition)))) {
                why = q.lastError().text();
                return false;
            }
        }
        // A job that was running when the process ended will never finish: say so. Its
        // counts are those of its last committed batch, which are the rows really stored,
        // and it stopped when that batch was stored.
        QSqlQuery fix(m_store->database());
        fix.prepare(u"UPDATE \"livedesk_import_jobs\" SET \"status\" = 'failed', \"error\" = ?, "
                    "\"finished_at\" = COALESCE(\"finished_at\", \"updated_at\"), "
                    "\"updated_at\" = ? WHERE \"status\" IN ('pending', 'processing')"_s);
        fix.addBindValue(interruptedMessage());
        fix.addBindValue(nowUtc());
        if (!fix.exec()) {
            why = fix.lastError().text();
            return false;
        }
        count = fix.numRowsAffected();
        return true;
    });
    if (!ok) {
        if (error)
            *error = u"cannot set up the import job table: %1"_s.arg(
                why.isEmpty() ? u"transaction failed"_s : why);
        return false;
    }
    if (count > 0)
        qCInfo(lcServerImports).noquote() << count << "import job(s) were interrupted by a restart";
    if (recovered)
        *recovered = count;
    return true;
}

bool ImportJobStore::insert(const ImportJobState &job)
{
    return m_store->transaction([&] {
        QSqlQuery q(m_store->database());
        q.prepare(
            u"INSERT INTO \"livedesk_import_jobs\" (\"id\", \"tenant\", \"resource\", "
            "\"user_id\", \"session_id\", \"status\", \"skip_errors\", \"total\", "
            "\"processed\", \"success\", \"failed\", \"error\", \"created_at\", "
            "\"updated_at\", \"started_at\", \"finished_at\", \"execution_error_count\", "
            "\"execution_errors\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?)"_s);
        q.addBindValue(job.id);
        q.addBindValue(job.tenant);
        q.addBindValue(job.resource);
        q.addBindValue(job.userId);
        q.addBindValue(job.sessionId);
        q.addBindValue(ImportJobState::statusName(job.status));
        q.addBindValue(job.skipErrors ? 1 : 0);
        q.addBindValue(job.totalRecords);
        q.addBindValue(job.processedRecords);
        q.addBindValue(job.successCount);
        q.addBindValue(job.failedCount);
        q.addBindValue(textOrNull(job.error));
        q.addBindValue(job.createdAt);
        q.addBindValue(job.updatedAt);
        q.addBindValue(textOrNull(job.startedAt));
        q.addBindValue(textOrNull(job.finishedAt));
        q.addBindValue(job.executionErrorCount);
        q.addBindValue(errorsText(job.executionErrors));
        return exec(q, "Storing an import job");
    });
}

bool ImportJobStore::update(const ImportJobState &job, bool withExecutionErrors)
{
    return m_store->transaction([&] {
        QSqlQuery q(m_store->database());
        q.prepare(u"UPDATE \"livedesk_import_jobs\" SET \"status\" = ?, \"total\" = ?, "
                  "\"processed\" = ?, \"success\" = ?, \"failed\" = ?, \"error\" = ?, "
                  "\"updated_at\" = ?, \"started_at\" = ?, \"finished_at\" = ?, "
                  "\"execution_error_count\" = ?%1 WHERE \"id\" = ?"_s.arg(
                      withExecutionErrors ? u", \"execution_errors\" = ?"_s : QString()));
        q.addBindValue(ImportJobState::statusName(job.status));
        q.addBindValue(job.totalRecords);
        q.addBindValue(job.processedRecords);
        q.addBindValue(job.successCount);
        q.addBindValue(job.failedCount);
        q.addBindValue(textOrNull(job.error));
        q.addBindValue(job.updatedAt);
        q.addBindValue(textOrNull(job.startedAt));
        q.addBindValue(textOrNull(job.finishedAt));
        q.addBindValue(job.executionErrorCount);
        if (withExecutionErrors)
            q.addBindValue(errorsText(job.executionErrors));
        q.addBindValue(job.id);
        return exec(q, "Updating an import job");
    });
}

std::optional<ImportJobState> ImportJobStore::find(const QString &id, const QString &tenant,
                                                   const QString &resource) const
{
    QSqlQuery q(m_store->database());
    q.setForwardOnly(true);
    q.prepare(u"SELECT \"user_id\", \"session_id\", \"status\", \"skip_errors\", \"total\", "
              "\"processed\", \"success\", \"failed\", \"error\", \"created_at\", \"updated_at\", "
              "\"started_at\", \"finished_at\", \"execution_error_count\", \"execution_errors\" "
              "FROM \"livedesk_import_jobs\" WHERE \"id\" = ? AND \"tenant\" = ? AND "
              "\"resource\" = ?"_s);
    q.addBindValue(id);
    q.addBindValue(tenant);
    q.addBindValue(resource);
    if (!exec(q, "Reading an import job") || !q.next())
        return std::nullopt;
    ImportJobState job;
    job.id = id;
    job.tenant = tenant;
    job.resource = resource;
    job.userId = q.value(0).toString();
    job.sessionId = q.value(1).toString();
    job.status = ImportJobState::statusFromName(q.value(2).toString())
                     .value_or(ImportJobState::Status::Failed);
    job.skipErrors = q.value(3).toInt() != 0;
    job.totalRecords = q.value(4).toLongLong();
    job.processedRecords = q.value(5).toLongLong();
    job.successCount = q.value(6).toLongLong();
    job.failedCount = q.value(7).toLongLong();
    job.error = q.value(8).toString();
    job.createdAt = q.value(9).toString();
    job.updatedAt = q.value(10).toString();
    job.startedAt = q.value(11).toString();
    job.finishedAt = q.value(12).toString();
    job.executionErrorCount = q.value(13).toLongLong();
    job.executionErrors = QJsonDocument::fromJson(q.value(14).toString().toUtf8()).array();
    return job;
}

} // namespace livedesk::server
