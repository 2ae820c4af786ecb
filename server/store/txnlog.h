// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <memory>
#include <optional>

class QSqlQuery;

namespace livedesk::server {

class RecordStore;

/**
 * The answers to writes that carried a client transaction id (`X-Client-Txn-Id`), kept so
 * that sending the same write again does not apply it twice (docs/protocol.md §3).
 *
 * A client that lost the answer to a write (timeout, dropped connection, its own crash)
 * cannot know whether the write happened; it sends it again with the same txn id. The API
 * server then answers from here, exactly as the first time, without writing or announcing
 * anything. Entries live in the table `livedesk_txns` of the store's database, written in the
 * same transaction as the write they record, so a server restart between the two sends
 * changes nothing. Keyed by tenant and txn id; kept for retentionSeconds() (7 days) and
 * purged when the log opens.
 */
class TxnLog
{
public:
    class Entry
    {
    public:
        QString method;
        QString path;
        int status = 0;
        QByteArray body;
    };

    explicit TxnLog(RecordStore *store);
    ~TxnLog();

    /// Creates the table when missing, drops expired entries and prepares the two statements
    /// every logged write uses. False with a sentence.
    bool open(QString *error);
    static int retentionSeconds() { return 7 * 24 * 3600; }

    /// The stored answer for @p txnId of @p tenant.
    std::optional<Entry> find(const QString &tenant, const QString &txnId);
    /// Stores an answer; call inside the write's transaction (RecordStore::transaction()).
    bool remember(const QString &tenant, const QString &txnId, const Entry &entry);

private:
    RecordStore *m_store;
    std::unique_ptr<QSqlQuery> m_find;
    std::unique_ptr<QSqlQuery> m_remember;
};

} // namespace livedesk::server
