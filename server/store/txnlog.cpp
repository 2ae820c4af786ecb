// SPDX-License-Identifier: MIT
#include "txnlog.h"

#include "recordstore.h"
#include "storelogging.h"

#include <QtCore/QDateTime>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

using namespace Qt::StringLiterals;

namespace livedesk::server {

TxnLog::TxnLog(RecordStore *store)
    : m_store(store)
{
}

bool TxnLog::open(QString *error)
{
    QSqlQuery q(m_store->database());
    if (!q.exec(u"CREATE TABLE IF NOT EXISTS \"livedesk_txns\" ("
                "\"tenant\" TEXT NOT NULL, "
                "\"txn_id\" TEXT NOT NULL, "
                "\"method\" TEXT NOT NULL, "
                "\"path\" TEXT NOT NULL, "
                "\"status\" INTEGER NOT NULL, "
                "\"body\" BLOB, "
                "\"created_at\" TEXT NOT NULL, "
                "PRIMARY KEY (\"tenant\", \"txn_id\"))"_s)) {
        *error = u"cannot create the transaction log: %1"_s.arg(q.lastError().text());
        return false;
    }
    q.prepare(u"DELETE FROM \"livedesk_txns\" WHERE \"created_at\" < ?"_s);
    q.addBindValue(QDateTime::currentDateTimeUtc()
                       .addSecs(-retentionSeconds())
                       .toString(Qt::ISODateWithMs));
    if (!q.exec()) {
        *error = u"cannot purge the transaction log: %1"_s.arg(q.lastError().text());
        return false;
    }
    return true;
}

std::optional<TxnLog::Entry> TxnLog::find(const QString &tenant, const QString &txnId) const
{
    QSqlQuery q(m_store->database());
    q.prepare(u"SELECT \"method\", \"path\", \"status\", \"body\" FROM \"livedesk_txns\" "
              "WHERE \"tenant\" = ? AND \"txn_id\" = ?"_s);
    q.addBindValue(tenant);
    q.addBindValue(txnId);
    if (!q.exec()) {
        qCWarning(lcServerStore) << "Transaction log lookup failed:" << q.lastError().text();
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return Entry{q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(),
                 q.value(3).toByteArray()};
}

bool TxnLog::remember(const QString &tenant, const QString &txnId, const Entry &entry)
{
    QSqlQuery q(m_store->database());
    q.prepare(u"INSERT OR REPLACE INTO \"livedesk_txns\" (\"tenant\", \"txn_id\", \"method\", "
              "\"path\", \"status\", \"body\", \"created_at\") VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(tenant);
    q.addBindValue(txnId);
    q.addBindValue(entry.method);
    q.addBindValue(entry.path);
    q.addBindValue(entry.status);
    q.addBindValue(entry.body);
    q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    if (!q.exec()) {
        qCWarning(lcServerStore) << "Transaction log write failed:" << q.lastError().text();
        return false;
    }
    return true;
}

} // namespace livedesk::server
