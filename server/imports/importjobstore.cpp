// SPDX-License-Identifier: MIT
#include "importjobstore.h"

#include "importslogging.h"
#include "recordstore.h"

#include <QtCore/QDateTime>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

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
        // A job that was running when the process ended will never finish: say so. Its
        // counts are those of its last committed batch, which are the rows really stored.
        QSqlQuery fix(m_store->database());
        fix.prepare(u"UPDATE \"livedesk_import_jobs\" SET \"status\" = 'failed', \"error\" = ?, "
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
        q.prepare(u"INSERT INTO \"livedesk_import_jobs\" (\"id\", \"tenant\", \"resource\", "
                  "\"user_id\", \"session_id\", \"status\", \"skip_errors\", \"total\", "
                  "\"processed\", \"success\", \"failed\", \"error\", \"created_at\", "
                  "\"updated_at\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
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
        q.addBindValue(job.error.isEmpty() ? QVariant() : QVariant(job.error));
        q.addBindValue(job.createdAt);
        q.addBindValue(job.updatedAt);
        return exec(q, "Storing an import job");
    });
}

bool ImportJobStore::update(const ImportJobState &job)
{
    return m_store->transaction([&] {
        QSqlQuery q(m_store->database());
        q.prepare(u"UPDATE \"livedesk_import_jobs\" SET \"status\" = ?, \"total\" = ?, "
                  "\"processed\" = ?, \"success\" = ?, \"failed\" = ?, \"error\" = ?, "
                  "\"updated_at\" = ? WHERE \"id\" = ?"_s);
        q.addBindValue(ImportJobState::statusName(job.status));
        q.addBindValue(job.totalRecords);
        q.addBindValue(job.processedRecords);
        q.addBindValue(job.successCount);
        q.addBindValue(job.failedCount);
        q.addBindValue(job.error.isEmpty() ? QVariant() : QVariant(job.error));
        q.addBindValue(job.updatedAt);
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
              "\"processed\", \"success\", \"failed\", \"error\", \"created_at\", \"updated_at\" "
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
    return job;
}

} // namespace livedesk::server
