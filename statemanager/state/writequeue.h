// SPDX-License-Identifier: MIT
#pragma once

#include "state/pendingoperation.h"
#include "state/resourceschema.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QString>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace livedesk {

class OfflineQueue;

/**
 * The user's unsettled writes to one list, and the rules that decide what becomes of them
 * (docs/architecture.md, "The state manager", "Writes").
 *
 * RealtimeStateManager sends requests and shows rows; this class holds the operations and
 * answers the questions in between, without a server, a socket or a row:
 * - which operation goes out next (the first of each record, in order; next());
 * - what a record shows with the user's operations on top of the server's version (the
 *   rebase; overlay()), and whether the record is visible at all;
 * - whether an event or a read that brings someone else's version clashes with an edit
 *   (clashes(), compareWithBase(), conflictsFrom()), and what "keep mine" turns an operation
 *   into (keepMine());
 * - which operation an event with a txn id echoes (find());
 * - what the user may drop (discard()).
 *
 * Every change of the queue is written to the offline queue file at once (OfflineQueue),
 * when one is set: live mode stores its operations, HIS mode the conflicts the user has not
 * decided (HIS writes on their way are not stored: HIS never shows or replays them). A file
 * that cannot be written is reported through the error handler, never silently skipped.
 *
 * Operations are few (what one user changed), so lookups walk the list. A pointer or
 * reference it returns holds until the next change of the queue: a caller copies what it
 * keeps across anything that may change it (a signal, a request, a slot of ours).
 */
class WriteQueue
{
public:
    /// @p live: live mode's queue; else HIS mode's (held conflicts and writes on their way).
    WriteQueue(const ResourceSchema &schema, bool live);
    ~WriteQueue();
    WriteQueue(const WriteQueue &) = delete;
    WriteQueue &operator=(const WriteQueue &) = delete;

    // Storage.
    /// Stores the queue in @p path from now on (empty: memory only).
    void setStoragePath(const QString &path);
    QString storagePath() const;
    /// Called with a sentence when the queue cannot be written.
    void setErrorHandler(std::function<void(const QString &)> handler);
    /**
     * Takes what the file holds, replacing the queue: live mode's operations, of which one
     * that was on its way when the last session ended becomes Pending (its answer was lost;
     * it goes again with the same txn id, which the server does not apply twice); in HIS
     * mode the conflicts. False with a sentence when the file cannot be read (then it is left
     * alone and the queue stays as it was). Nothing is written.
     */
    bool load(QString *error);

    // The live queue.
    const QList<PendingOperation> &operations() const { return m_ops; }
    /// The operation of @p txnId (an echo of ours, or an answer), or null.
    const PendingOperation *find(const QString &txnId) const;
    bool hasOperations(const QString &recordId) const;
    QSet<QString> recordsWithOperations() const;
    /// A create of ours is on its way (a `created` event without txn id may be ours).
    bool createInFlight() const;
    /// The first conflict on @p recordId, or null.
    const PendingOperation *conflictOf(const QString &recordId) const;
    void append(PendingOperation op);
    /// Removes @p txnId's operation (confirmed, rolled back, taken theirs).
    std::optional<PendingOperation> take(const QString &txnId);
    /**
     * The operation to send next: the first of each record only (a record's changes go out
     * in order), when it is Pending, and not of a record in @p reading (whose answer may say
     * that it is gone or changed). Null when none may go.
     */
    const PendingOperation *next(const QSet<QString> &reading = {}) const;
    /// Marks @p txnId as sent (once more); true when this is a replay of an earlier send
    /// whose answer was lost, rather than a first send or one after a rebase.
    bool markSent(const QString &txnId);
    /// Not answered (the network, the server failing): Pending again, to go with the same
    /// txn id.
    void requeue(const QString &txnId, const RestError &error);
    /// To be sent again on top of a newer record of the server (another field changed).
    void markRebased(const QString &txnId);
    /// Puts @p txnId in conflict with @p theirs (empty: deleted on the server).
    bool markConflict(const QString &txnId, const QJsonObject &theirs, const RestError &error = {});
    /**
     * Someone else's version @p theirs of @p recordId arrived (@p deleted: it was deleted):
     * every pending update or delete of the record that it clashes with is put in conflict
     * and its txn id returned. A pending delete of a deleted record clashes with nothing: it
     * is done, which @p deleteDone reports (sending it confirms it).
     */
    QStringList conflictsFrom(const QString &recordId, const QJsonObject &theirs, bool deleted,
                              bool *deleteDone = nullptr);
    /// The server gave the local create @p from the id @p to: its operations follow.
    void rename(const QString &from, const QString &to);
    /**
     * Ends the conflict of @p txnId by keeping the user's change (with @p merged: those
     * values instead), Pending again: on top of their record, or, when theirs was deleted,
     * as a create of the whole record as the user last saw it plus the change (the server
     * refuses a record without its required fields). Returns the record id it now shows
     * under (a new local id for a create again), or nothing when @p txnId is no conflict.
     */
    std::optional<QString> keepMine(const QString &txnId, const QJsonObject *merged = nullptr);
    /// What discard() may drop now: the changes not on their way, held conflicts included.
    QList<PendingOperation> discardable() const;
    /**
     * Drops the change @p txnId that has not gone out (Pending or Conflict), and, for a
     * create of a record that exists nowhere else, the changes queued after it: their
     * (txn id, record id), first the one asked for. Empty when it may not be dropped.
     */
    QList<std::pair<QString, QString>> discard(const QString &txnId);

    /// What a record shows: the server's version with the user's operations on top.
    class Overlay
    {
    public:
        QJsonObject shown;
        /// False when the record is not to be shown (a pending delete, no create).
        bool visible = false;
        bool pending = false;
        bool conflict = false;
    };
    /// @p server: the server's record, if @p hasServer.
    Overlay overlay(const QString &recordId, const QJsonObject &server, bool hasServer) const;

    // The rules.
    /// Whether @p theirs changed a field that @p op changes (or deletes) since its base.
    bool clashes(const PendingOperation &op, const QJsonObject &theirs) const;
    enum class BaseCheck {
        Unchanged, ///< @p current is the record the change was made on
        OthersChanged, ///< changed since, in fields the change leaves alone: it goes on top
        Clash, ///< a field of the change changed since: a conflict
    };
    /// @p op's base compared with the server's @p current: by version, else by `updated_at`
    /// (a weak version), else field by field.
    BaseCheck compareWithBase(const PendingOperation &op, const QJsonObject &current) const;
    /// @p op, the user's change, made again on top of @p op.theirs (HIS "keep mine"): its base
    /// is their record, Pending, no error.
    PendingOperation onTheirs(PendingOperation op) const;

    // HIS mode.
    /// Conflicts the server's answers found, held until the user decides; stored.
    const QList<PendingOperation> &heldConflicts() const { return m_held; }
    void holdConflict(PendingOperation op, const QJsonObject &theirs, const RestError &error);
    std::optional<PendingOperation> takeHeld(const QString &txnId);
    /// Writes sent (or being checked before sending) without an answer yet; not stored.
    const QList<PendingOperation> &inFlight() const { return m_inFlight; }
    void addInFlight(const PendingOperation &op);
    void settle(const QString &txnId);

    /// Everything not confirmed: the live queue, HIS writes on their way and held conflicts.
    int size() const { return int(m_ops.size() + m_inFlight.size() + m_held.size()); }
    QList<PendingOperation> all() const { return m_ops + m_inFlight + m_held; }
    /// Every conflict, live and held.
    QList<PendingOperation> conflicts() const;

private:
    int indexOf(const QString &txnId) const;
    void persist();

    ResourceSchema m_schema;
    bool m_live;
    QList<PendingOperation> m_ops;
    QList<PendingOperation> m_held;
    QList<PendingOperation> m_inFlight;
    std::unique_ptr<OfflineQueue> m_store;
    std::function<void(const QString &)> m_onError;
};

} // namespace livedesk
