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

TxnLog::~TxnLog() = default;

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
    q.addBindValue(
        QDateTime::currentDateTimeUtc().addSecs(-retentionSeconds()).toString(Qt::ISODateWithMs));
    if (!q.exec()) {
        *error = u"cannot purge the transaction log: %1"_s.arg(q.lastError().text());
        return false;
    }
    auto find = std::make_unique<QSqlQuery>(m_store->database());
    auto remember = std::make_unique<QSqlQuery>(m_store->database());
    if (!find->prepare(u"SELECT \"method\", \"path\", \"status\", \"body\" FROM \"livedesk_txns\" "
                       "WHERE \"tenant\" = ? AND \"txn_id\" = ?"_s)
        || !remember->prepare(u"INSERT OR REPLACE INTO \"livedesk_txns\" (\"tenant\", \"txn_id\", "
                              "\"method\", \"path\", \"status\", \"body\", \"created_at\") "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)"_s)) {
        *error = u"cannot prepare the transaction log statements: %1"_s.arg(
            find->lastError().isValid() ? find->lastError().text() : remember->lastError().text());
        return false;
    }
    m_find = std::move(find);
    m_remember = std::move(remember);
    return true;
}

std::optional<TxnLog::Entry> TxnLog::find(const QString &tenant, const QString &txnId)
{
    QSqlQuery &q = *m_find;
    q.bindValue(0, tenant);
    q.bindValue(1, txnId);
    if (!q.exec()) {
        qCWarning(lcServerStore) << "Transaction log lookup failed:" << q.lastError().text();
        return std::nullopt;
    }
    std::optional<Entry> entry;
    if (q.next()) {
        entry = Entry{q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(),
                      q.value(3).toByteArray()};
    }
    q.finish();
    return entry;
}

bool TxnLog::remember(const QString &tenant, const QString &txnId, const Entry &entry)
{
    QSqlQuery &q = *m_remember;
    q.bindValue(0, tenant);
    q.bindValue(1, txnId);
    q.bindValue(2, entry.method);
    q.bindValue(3, entry.path);
    q.bindValue(4, entry.status);
    q.bindValue(5, entry.body);
    q.bindValue(6, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    const bool ok = q.exec();
    if (!ok)
        qCWarning(lcServerStore) << "Transaction log write failed:" << q.lastError().text();
    q.finish();
    return ok;
}

} // namespace livedesk::server
