// SPDX-License-Identifier: MIT
#pragma once

#include "rest/apiclient.h"
#include "rest/restquery.h"
#include "state/listcriteria.h"
#include "state/pendingoperation.h"
#include "state/resourceschema.h"
#include "state/rowstore.h"
#include "state/writequeue.h"

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QTimer>

#include <optional>

#include <memory>
#include <vector>

namespace livedesk {

class RealtimeChannel;
class RealtimeEvent;
class RestReply;

/**
 * A live mirror of one resource of an AegisX-style backend: the heart of livedesk
 * (docs/architecture.md, "The state manager"). One manager per resource, configured by a
 * ResourceSchema, fed by the Socket.IO channel (events) and the REST API (reads and writes); no
 * per-resource code.
 *
 * ## Rows
 * The manager holds the records the list query selects (Options::query; every page is read),
 * in the server's order, as rows. Row signals follow QAbstractItemModel's rules so that a model
 * can forward them one to one: `aboutTo...` while the old state is still in place, the
 * matching signal once the new state is. A reload is applied as a keyed diff (rows removed,
 * moved, inserted, changed: the rows outside the longest run already in order are moved, each
 * once), never as a reset; rows keep their identity by id. In live mode with a sorted query
 * (Options::query.sort) a created record is inserted at its place and a record whose sort key
 * changed is moved there, compared the way livedesk-server sorts (text without case, null
 * first, ties by id in the direction of the last key); a server that sorts otherwise is
 * followed at the next reload. rowsChanged() names the fields whose shown value changed, so
 * that a model can limit dataChanged to those cells. An event is applied as its frame is
 * delivered (the socket's time slice bounds a burst); one that arrives while another is being
 * applied (a slot re-entered the event loop) waits, in order, until that one is done.
 * Slots may call any method, including writes: those are queued and take effect on a later
 * turn.
 *
 * ## HIS mode (default)
 * Events are hints: the manager marks itself as having a refresh pending and reloads after
 * Options::debounceMs without further events, but no later than Options::maxWaitMs after the
 * first one, so a steady stream still refreshes. One reload at a time; an event that arrives
 * while a reload runs causes exactly one more. Writes go to the server and the data changes
 * only when the reload after the server's answer brings the change: nothing unconfirmed is
 * ever in the rows. A write the server refuses because someone else changed the same field
 * since the change's base (updateRecord() with a base) is held by the manager as a conflict
 * (conflicts(), conflictDetected(), resolveConflict()), outside the rows. Without a connection (or
 * when the server's heartbeat is overdue) staleSince() is set within a second and writes are
 * refused with a sentence saying why; on reconnect the manager reloads at once.
 *
 * ## Live mode
 * Events with a full record are applied in place: created/updated upsert the record unless
 * it carries a version not newer than the one held (ResourceSchema::versionField); deleted
 * removes it; bulk events do the same for each item; an event without a full record fetches
 * the record (or reloads when it names none). Without versions (plain AegisX), an event whose
 * `updated_at` is older than the held record's is a reordered one and is not shown; a record
 * with every field of the schema (of the rows held, for a resource known by name only) and a
 * later `updated_at` than the held one, or for a record not held, is applied as it is; a
 * partial record is not applied but read, and an ambiguous one (the same or no `updated_at`)
 * is shown and read again, so that whatever order the events came in, the row ends as the
 * server has it; an event that arrives while its record is being fetched causes one more
 * fetch after that one, whose answer alone is applied. A read that fails other than with
 * NOT_FOUND (AegisX answers a missing record with 400 VALIDATION_ERROR) reads the list again,
 * once for a burst of such failures.
 *
 * ## Which events are this list's
 * Those of its feature (or import module), in any spelling (EventNaming); the entity is
 * checked only when the schema names one, singular and plural alike. An event of the feature
 * whose entity is another is not dropped: the list is read again (both modes). Each event
 * taken is claimed on the channel (RealtimeChannel::claim()); see Counters for where it is
 * counted.
 *
 * The rows stay what the server's list would return for the query's filters and search.
 * Filters `col=value`, `col_min`, `col_max` on a column of the schema are judged here against
 * every record an event, a read or a write's answer brings, the way livedesk-server judges
 * them: the value is typed by the column (an enum's matched without case, a datetime's taken
 * to UTC), then numbers compare as numbers, booleans as booleans, and dates, datetimes and
 * text as text, with case; a null never matches; a repeated `col=` key matches any of its
 * values. A record that does not match is not inserted, a row whose record no longer matches
 * is removed, and one that starts to match is inserted at its place. A search, or a filter
 * that cannot be judged here (a column the schema does not know, a value the server would
 * refuse), makes a pushed record untrustworthy: which fields the server searches and how it
 * matches are its business, and a guess would show rows the list does not have or hide rows
 * it has. Such a record still updates the row it is in, but is not inserted, and the list is
 * read again, debounced as in HIS mode (isRefreshPending() meanwhile). A server that filters
 * otherwise than livedesk-server is followed at the next reload.
 *
 * A record with operations of the user (pending, sent or in conflict) keeps its row whatever
 * the query says, until they settle: an edit must not vanish under the user's hands, whether
 * their own change or someone else's takes it out of the list, and a conflict must stay there
 * to be resolved. Then the record's last version decides. Likewise a reload that no longer
 * lists such a record (deleted, or taken out of the query by someone else) leaves its row in
 * place and reads the record; its operations wait for that answer, which tells a record gone
 * (a conflict, as after a deleted event) from one that is only out of the list.
 *
 * Local writes become PendingOperation: shown at once (the row's state is Pending), sent in
 * order, one at a time, with `X-Client-Txn-Id` and, with versions, `If-Match`. Confirmed by
 * the REST answer or by the event that echoes the txn id, whichever comes first; a created row
 * keeps its place when its local id becomes the server's. Refused → rolled back, with the
 * server's reason (operationFailed()). Every reload is rebased: pending operations are applied
 * again on top of what the server sent, so a stale read never overwrites a local edit.
 *
 * Conflicts: a 409 `VERSION_CONFLICT` whose current record changed a field of the edit (one
 * that changed other fields only is merged: the edit is sent again on top of it), a record
 * read before the write that did so (servers without versions, updateRecord() with a base), or
 * an event that changes a field a pending (unsent) edit also changes, or deletes the record
 * being edited, puts the operation in Conflict with
 * base / mine / theirs per field (PendingOperation); nothing more is sent for that record until
 * resolveConflict(): keep mine (sent again on top of their version), take theirs (dropped),
 * or merge per field. For a record deleted on the server, the row shows the whole record as
 * the user last saw it (id included) with their change, and keeping mine or merging creates it
 * again with every field of that record plus the change (the server refuses a record without
 * its required fields); a pending delete of a record deleted on the server is simply done.
 *
 * Offline: writes keep being accepted and queue in order; with Options::queuePath set they are
 * stored on disk after every change (OfflineQueue) and loaded by start(), so a crash loses
 * nothing. They are sent on reconnect; a request whose answer was lost is sent again with the
 * same txn id, which livedesk-server recognises and does not apply twice. The user can drop
 * a change that has not gone out yet (discardOperation()), never one on its way.
 *
 * ## Both modes
 * Re-subscription is the channel's job. After a reconnect the manager resyncs (reloads)
 * unless the session was recovered, once the server has confirmed the subscription (or after
 * two seconds without a confirmation): reading earlier could miss a change announced before
 * the connection was back in its rooms. A gap in `meta.seq` (livedesk-server) also resyncs.
 * Duplicates are dropped by the channel; the manager ignores what versions say is old.
 */
class RealtimeStateManager : public QObject
{
    Q_OBJECT

public:
    enum class Mode { His, Live };
    Q_ENUM(Mode)
    /**
     * What a row shows, for a delegate to paint and a tooltip to explain (rowReason()).
     * Pending: a local write not confirmed yet (live mode). Conflict: a write that needs the
     * user's decision. Failed: the server refused the last write of this record (the row
     * shows the server's values; dismissFailure() or the next change clears it). Locked:
     * someone else holds the record's lock (`lock_acquired`). Stale: nothing local is
     * pending, but the data may be out of date (staleSince()).
     */
    enum class RowState { Synced, Pending, Conflict, Failed, Locked, Stale };
    Q_ENUM(RowState)
    enum class Resolution { KeepMine, TakeTheirs, Merge };
    Q_ENUM(Resolution)

    class Options
    {
    public:
        Mode mode = Mode::His;
        /// HIS mode: quiet time before a reload, and the longest wait after the first hint.
        int debounceMs = 150;
        int maxWaitMs = 1000;
        /// Records per list request while reloading (AegisX allows up to 1000).
        int pageSize = 1000;
        /// Read every page (the default), or only as many as fetchMore() asked for:
        /// incremental loading of a large list. A reload then re-reads those pages; in live
        /// mode a created record that sorts past the last loaded row is left for fetchMore().
        bool loadAll = true;
        /// Sort, search, filters, fields of the list (page and limit are the manager's).
        RestQuery query;
        /// Where the user's unsettled changes are kept across sign-ins and restarts (empty:
        /// memory only): live mode's pending operations; HIS mode's conflicts not decided yet.
        QString queuePath;
        /// How late the server's ping may be before the data counts as stale.
        int heartbeatGraceMs = 1000;
        /// HIS mode: a reload that reads or holds at least this many rows works out its diff
        /// on a worker thread and applies it in slices (at most 8 ms and reloadSliceRows rows
        /// per turn of the event loop), so that the window keeps repainting; a smaller one is
        /// applied at once. Negative: never.
        int backgroundDiffRows = 4096;
        int reloadSliceRows = 4096;
    };

    /**
     * What happened so far, for diagnostics, `livedesk-cli mirror` and tests.
     *
     * Every event this list takes (its feature, see below) is counted once in eventsSeen and,
     * once handled, in exactly one of eventsApplied, eventsFetched, eventsReloaded and
     * eventsIgnored, so that seen = applied + fetched + reloaded + ignored once the inbox is
     * empty. Duplicate deliveries never get here (RealtimeChannel drops them).
     */
    class Counters
    {
    public:
        qint64 reloads = 0;
        qint64 resyncs = 0;
        /// Events for this list.
        qint64 eventsSeen = 0;
        /// Live mode: the event's record (or deletion, lock) was applied in place.
        qint64 eventsApplied = 0;
        /// Of those, the updates of a held row read from the event's text straight into the
        /// row's compact form (no QJsonObject in between; or from the record an observer had
        /// decoded already): the common case, and the quick one.
        qint64 eventsAppliedFromText = 0;
        /// Live mode: the event was partial or ambiguous, and the record was read instead.
        qint64 eventsFetched = 0;
        /// The event made the list be read again: every event in HIS mode; in live mode one
        /// that names no record or that could not be matched to this list's entity.
        qint64 eventsReloaded = 0;
        /// Nothing to do: older than what is held (version, `updated_at`), about a deleted
        /// record, or progress of a bulk operation or import still running.
        qint64 eventsIgnored = 0;
        /// GETs of one record (live mode).
        qint64 recordFetches = 0;
        /// Events that arrived while another was being applied (a slot of the row signals
        /// re-entered the event loop) and waited for the next turn, in order; every other
        /// event is applied as its frame is delivered.
        qint64 eventsDeferred = 0;
        qint64 seqGaps = 0;
        qint64 writesSent = 0;
        qint64 confirmed = 0;
        qint64 rolledBack = 0;
        qint64 conflicts = 0;
        qint64 replayed = 0;
        /// Records read just before a write to compare them with the base the change was
        /// made on (servers without versions).
        qint64 baseChecks = 0;
        /// Writes whose record had changed on the server in other fields only since their
        /// base: sent on top of the server's record without asking.
        qint64 merged = 0;
        /// Reload diffs worked out on a worker thread (Options::backgroundDiffRows), each try.
        qint64 reloadPlans = 0;
        /// List pages read: those whose records went from the answer's text straight to
        /// compact rows, and those read as Qt JSON first (an answer simdjson did not take).
        qint64 pagesFromText = 0;
        qint64 pagesFromJson = 0;
        /// Such diffs dropped because the rows changed while they were worked out or applied,
        /// and worked out again from the rows as they are then.
        qint64 planRecomputes = 0;
        /// Such diffs dropped, with the reload applied at once instead (the rows kept changing).
        qint64 planFallbacks = 0;
        /// Turns of the event loop that applied a slice of a diff.
        qint64 reloadSlices = 0;
    };

    /// @p api and @p channel are not owned and must outlive the manager; @p channel may be
    /// null (no events: reload() by hand).
    RealtimeStateManager(ApiClient *api, RealtimeChannel *channel, const ResourceSchema &schema,
                         const Options &options, QObject *parent = nullptr);
    /// HIS mode with the default options.
    RealtimeStateManager(ApiClient *api, RealtimeChannel *channel, const ResourceSchema &schema,
                         QObject *parent = nullptr);
    ~RealtimeStateManager() override;

    /// Loads the offline queue (live mode) and starts the first reload.
    void start();

    const ResourceSchema &schema() const { return m_schema; }
    Mode mode() const { return m_options.mode; }
    const Options &options() const { return m_options; }

    // Rows.
    int rowCount() const { return m_rows.size(); }
    /// The record as shown: the server's values with pending operations applied.
    QJsonObject record(int row) const;
    /// Events taken for this list and not applied yet: a burst larger than one turn's budget
    /// waits here, in order, and is applied over the next turns (0 almost always).
    int eventsWaiting() const;
    /// One field of record(row), read without decoding the rest (what a view asks for per cell).
    QJsonValue value(int row, const QString &field) const;
    QString idAt(int row) const;
    /// The row of @p id, or -1. O(1).
    int rowOf(const QString &id) const;
    RowState rowState(int row) const;
    /// Why the row is in its state, in a sentence for a tooltip (empty when synced).
    QString rowReason(int row) const;
    /// The user id holding @p id's lock, if someone else does.
    QString lockedBy(const QString &id) const { return m_locks.value(id); }
    /// Clears the Failed state of @p id (the user has seen it).
    void dismissFailure(const QString &id);
    /// The server's record for @p id, without local changes (empty when unknown).
    QJsonObject serverRecord(const QString &id) const;
    /// Every shown record in row order.
    QList<QJsonObject> records() const;

    // State.
    bool isConnected() const { return m_online; }
    /// When the data stopped being known to be current (offline, heartbeat overdue, reads
    /// failing: a refused token, a server error; retried with a back-off, and only a whole
    /// reload ends it, not a page of fetchMore()); null while it is.
    /// staleReason() says why, in a sentence.
    QDateTime staleSince() const { return m_staleSince; }
    QString staleReason() const { return m_staleReason; }
    /// An event announced a change the rows may not show yet, and a reload is due: in HIS mode
    /// after any event, in live mode when the query has a search or a filter that cannot be
    /// judged here.
    /// Also true after a reconnect until the resync has started (it waits for the
    /// subscription): the rows may miss what changed while the connection was down.
    bool isRefreshPending() const { return m_refreshPending || m_resyncWhenSubscribed; }
    bool isLoading() const { return m_reload != nullptr; }
    /// When the last reload completed (a page added by fetchMore() is not one).
    QDateTime lastSyncAt() const { return m_lastSyncAt; }
    /// Operations not confirmed yet, in conflict included (HIS mode: the writes on their way
    /// and the conflicts, which wait for the user outside the rows).
    int pendingCount() const { return m_writes.size(); }
    /// Those operations: live mode's queue; in HIS mode the writes on their way (state Sent)
    /// and the conflicts.
    QList<PendingOperation> pendingOperations() const { return m_writes.all(); }
    QList<PendingOperation> conflicts() const;
    const Counters &counters() const { return m_counters; }

    // Writes. Each returns the operation's txn id at once; the outcome comes as
    // operationConfirmed() or operationFailed() (in live mode also conflictDetected()).
    QString createRecord(const QJsonObject &values);
    /// Changes @p changes of @p id on whatever the record is when the change is sent (the
    /// version shown now, in live mode with later changes of the server's compared field by
    /// field first).
    QString updateRecord(const QString &id, const QJsonObject &changes);
    /**
     * Changes @p changes of @p id, made on a form that showed @p base (the whole record as it
     * was loaded): the change is checked against @p base, not against the record as it is
     * now, so that someone else's change made while the form was open is never silently
     * overwritten. With versions, the write carries `If-Match` with @p base's version; the
     * server's 409 is compared field by field. Without versions (or when @p base carries none:
     * a base put together rather than read, such as what a script expects) the server's
     * current record is read just before the write and compared with @p base (its
     * `updated_at`, where present, tells at once that nothing changed). Either way, someone else's
     * change to a field of
     * @p changes is a conflict (conflictDetected(), in both modes); changes to other fields
     * are kept and the change is sent on top of them (Counters::merged).
     *
     * In HIS mode a conflict is held by the manager, never shown in the rows (conflicts(),
     * resolveConflict()): the rows keep showing what the server confirmed.
     */
    QString updateRecord(const QString &id, const QJsonObject &changes, const QJsonObject &base);
    QString deleteRecord(const QString &id);
    /// Ends the conflict of @p txnId; @p merged: for Merge, the value to keep per field.
    /// False when there is no such conflict. conflictResolved() is emitted before this returns,
    /// once the conflict is over (conflicts() no longer lists it), and before the rows show
    /// the outcome (on the next turn, as for every write).
    bool resolveConflict(const QString &txnId, Resolution resolution,
                         const QJsonObject &merged = {});
    /**
     * Drops the user's own change @p txnId that the server has not received: one waiting to
     * be sent (live mode, offline or queued) or one in conflict (either mode). The row shows
     * the server's record again and the change leaves the stored queue. Dropping a waiting
     * create drops the later changes of the record it made too (they could never be sent).
     * A change already on its way (Sent) cannot be taken back, as the server may apply it:
     * false, and nothing changes. operationDiscarded() is emitted for each change dropped
     * once pendingOperations() no longer has it; the row shows the server's record from the
     * next turn of the event loop (never inside the caller, which may be a slot of ours).
     */
    bool discardOperation(const QString &txnId);
    /// The changes discardOperation() would drop now (the pending ones not on their way).
    QList<PendingOperation> discardableOperations() const;
    /// Reads everything again now (coalesced with one already running).
    void reload();
    /// Switches to another list query (sort, search, filters): the rows are reset (the one
    /// time aboutToReset() / resetDone() are emitted) and read again from the first page.
    void setQuery(const RestQuery &query);
    const RestQuery &query() const { return m_options.query; }
    /// Records the server says the query selects (its pagination `total`), -1 when unknown.
    int total() const { return m_total; }
    /// Options::loadAll false: the server has more pages than those read.
    bool canFetchMore() const { return !m_options.loadAll && m_hasMore; }
    /// Reads the next page and appends its rows.
    void fetchMore();

Q_SIGNALS:
    void rowsAboutToBeInserted(int first, int last);
    void rowsInserted(int first, int last);
    void rowsAboutToBeRemoved(int first, int last);
    void rowsRemoved(int first, int last);
    /// Rows first..last changed: @p fields are the fields whose shown value changed (empty
    /// when only the state did), @p stateChanged whether rowState() or rowReason() did.
    void rowsChanged(int first, int last, const QStringList &fields, bool stateChanged);
    /// Row @p first..last is about to move before row @p destination (QAbstractItemModel's
    /// beginMoveRows() convention: @p destination counts rows before the move).
    void rowsAboutToBeMoved(int first, int last, int destination);
    void rowsMoved(int first, int last, int destination);
    void aboutToReset();
    void resetDone();
    /// Any of the state getters changed.
    void stateChanged();
    /// An event has been applied (or taken as a hint), and everything it caused has been
    /// signalled, operationConfirmed() of an echo included: a model may tell the view now
    /// rather than at the end of the turn (RealtimeTableModel tells the first of a turn).
    void eventApplied();
    /// A reload completed (@p changedRows: rows inserted, removed or changed by it).
    void synced(int changedRows);
    /// The request of @p txnId went out (again), on the turn after: from then on the server
    /// may have applied it, whatever becomes of its answer.
    void operationSent(const QString &txnId);
    void operationConfirmed(const QString &txnId, const QString &recordId);
    void operationFailed(const QString &txnId, const livedesk::RestError &error);
    void conflictDetected(const QString &txnId);
    /// The user ended the conflict of @p txnId (resolveConflict()): what the row shows next
    /// is the user's decision, not news from someone else.
    void conflictResolved(const QString &txnId, const QString &recordId,
                          livedesk::RealtimeStateManager::Resolution resolution);
    /// The user dropped the change @p txnId to @p recordId (discardOperation()).
    void operationDiscarded(const QString &txnId, const QString &recordId);
    /// Something the user should know (a reload failed, the queue cannot be stored, ...).
    void errorOccurred(const QString &message);

private:
    // Its state is a RowState.
    using Row = RowStore::Row;
    class Reload;
    // Live mode: whether the list query selects a record, as far as can be told here.
    using Membership = ListCriteria::Membership;

    // Events. Which bucket of Counters an event ends in.
    enum class Outcome { Applied, Fetched, Reloaded, Ignored };
    // Whether an event is this list's: its feature and, where the schema names one, its
    // entity (EventNaming); FeatureOnly: the feature is ours but the entity another.
    enum class Claim { NotOurs, Ours, FeatureOnly };
    void onEvent(const RealtimeEvent &event);
    Claim concernsUs(const RealtimeEvent &event) const;
    void processInbox();
    // Applies (live; a lock in both modes) or hints (HIS) one event taken by onEvent(); false
    // when a slot deleted the manager meanwhile.
    bool take(const RealtimeEvent &event);
    // This turn of the event loop has applied events for InboxSliceMs. The turn's first call
    // starts its clock and posts its end: stateChanged() once for all its events.
    bool turnSpent();
    void scheduleInbox();
    Outcome applyEvent(const RealtimeEvent &event);
    std::optional<Outcome> updateFromText(const RealtimeEvent &event);
    // After row @p row (record @p id) showed changed fields: a sort key may be among them.
    void placeChanged(int row, const QString &id);
    void count(Outcome outcome);
    void hint();
    // Without versions: whether @p record has every field a record of this list has (the
    // schema's declared fields, else those of the rows held), so that it may stand for the
    // whole record.
    bool isComplete(const QJsonObject &record) const;
    // Whether @p record has every field a record of this list has (the schema's declared
    // fields, else those of the rows held); nothing when there is nothing to compare with.
    std::optional<bool> hasEveryField(const QJsonObject &record) const;
    // Whether the record of @p record's id held here has its version or a later one.
    bool isNoNewerThanHeld(const QJsonObject &record) const;
    // Whether @p record may stand for the record of its id held here (in a row or hidden): it
    // has every field the held one has a value for, so that nothing shown goes blank; for a
    // record not held whole, every field of the list's records (hasEveryField()), where known.
    // A server that sends only the fields that changed sends a part.
    bool coversHeld(const QJsonObject &record) const;
    // A read failed in a way that cannot tell "gone" from "refused": the list is read again
    // (once for a burst of such failures).
    void resyncAfterFailedRead(const QString &id, const RestError &error);
    // Connection.
    void onConnectionChanged();
    void onConnected(bool recovered);
    void onSubscribed();
    void onSubscriptionRefused();
    /// Why no event of this list can arrive (the channel's refused subscription), as the
    /// stale reason says it; empty while the subscription stands.
    QString subscriptionRefusal() const;
    void checkHeartbeat();
    void setOnline(bool online, const QString &reason);
    // Reloads.
    void startReload();
    void requestPage(int page);
    void finishReload(bool ok, const QString &error);
    // A whole read succeeded: failed reads no longer make the rows stale.
    void settleReadState(bool whole);
    // The rows are the reload's: what follows a reload (the next one, writes held back).
    void completeReload(bool whole);
    void applyServerSet(const std::vector<CompactRecord> &records);
    // HIS mode: the diff of m_reload's records, worked out on a worker thread from a snapshot
    // of the rows and applied in slices; dropped and worked out again (or applied at once) if
    // the rows change meanwhile (RowStore::generation()).
    bool plansInBackground(size_t records) const;
    void startPlan();
    void launchPlan(quint64 serial);
    void onPlanReady(quint64 serial);
    void applyPlanSlice(quint64 serial);
    void planStale();
    // Rows.
    QString idOf(const QJsonObject &record) const;
    QString idOf(const CompactRecord &record) const;
    qint64 versionOf(const QJsonObject &record) const;
    // Without versions: true when @p incoming's `updated_at` is older than @p held's.
    static bool isOlderChange(const QJsonObject &incoming, const QJsonObject &held);
    Outcome upsertServer(const QJsonObject &record, bool fromEvent);
    void removeServer(const QString &id);
    // @p server: the row's server record when the caller has it decoded already.
    void refreshRow(int row, const QJsonObject *server = nullptr);
    // Live mode with a sorted query: the rows keep its order (RowStore::setOrder()).
    bool keepsSorted() const;
    void updateOrder();
    // Failed / Locked on top of what pending operations say.
    RowState overlayState(const QString &id, RowState state) const;
    void onLockEvent(const RealtimeEvent &event);
    QJsonObject shownFor(const QString &id, const QJsonObject &server, bool hasServer,
                         RowState *state, bool *visible) const;
    Membership membership(const QJsonObject &record) const { return m_criteria.membership(record); }
    bool hasOperations(const QString &id) const;
    // Live mode: the query leaves out @p server and no operation keeps @p id's row.
    bool leftOut(const QString &id, const QJsonObject &server) const;
    void rememberOutside(const QString &id, const QJsonObject &record);
    void fetchRecord(const QString &id);
    // Operations.
    QString enqueue(PendingOperation op);
    void applyLocal(const QString &recordId);
    void sendNext();
    void onWriteFinished(const QString &txnId, RestReply *reply);
    void confirm(const QString &txnId, const QJsonObject &record);
    void releaseHeldCreates();
    void renameRecord(const QString &from, const QString &to);
    void scheduleSend();
    void checkConflicts(const QString &id, const QJsonObject &theirs, bool deleted);
    void enterConflict(const QString &txnId, const QJsonObject &theirs);
    // Live mode: reads the record of @p txnId's update before sending it (no versions).
    void checkThenSend(const QString &txnId);
    void transmit(const PendingOperation &op, const ApiClient::WriteOptions &options);
    void announceSent(const QString &txnId);
    // HIS mode: reads the record first where a base must be checked without versions.
    void hisWrite(const PendingOperation &op);
    void hisSend(PendingOperation op);
    void hisConflict(const PendingOperation &op, const QJsonObject &theirs, const RestError &error);
    bool resolveHisConflict(const QString &txnId, Resolution resolution, const QJsonObject &merged);
    // Without versions, read just before writing: whether @p op may go out on @p current.
    // False when a field it changes changed since its base (a conflict); a change to other
    // fields only is merged (Counters::merged).
    bool goesOnto(const PendingOperation &op, const QJsonObject &current);
    RestReply *request(const PendingOperation &op, const ApiClient::WriteOptions &options);
    void failLater(const QString &txnId, const RestError &error);
    void rollBack(const QString &txnId, const RestError &error);
    RestError offlineError() const;

    QPointer<ApiClient> m_api;
    QPointer<RealtimeChannel> m_channel;
    /// This list's feature route on the channel's router.
    int m_routeId = 0;
    ResourceSchema m_schema;
    Options m_options;
    Counters m_counters;

    // Rows by pointer, so that the id index survives moves and a deletion costs a memmove
    // plus, at the next lookup, one int per following row (no hashing).
    RowStore m_rows;
    // Server records not shown because a pending operation hides them (a delete not yet
    // confirmed): kept so that a rollback can show them again and sends know their version.
    QHash<QString, QJsonObject> m_hidden;
    // Deleted ids → the version they had: a late answer or reordered event about a deleted
    // record must not bring it back (ids are not reused). Bounded, oldest first out.
    QHash<QString, qint64> m_tombstones;
    // Records whose last write was refused → the server's reason.
    QHash<QString, QString> m_failures;
    // Records locked by someone else → their user id.
    QHash<QString, QString> m_locks;
    QList<QString> m_tombstoneOrder;
    // What the query selects and its order, as far as a record tells.
    ListCriteria m_criteria;
    // Records the query leaves out → their newest version and time of change, so that an
    // older answer or event does not bring them back. Bounded, oldest first out.
    QHash<QString, QJsonObject> m_outside;
    QList<QString> m_outsideOrder;

    // Events that arrived while another was being applied (a slot re-entered the event
    // loop), in order, for the next turn.
    QList<RealtimeEvent> m_inbox;
    bool m_inboxScheduled = false;
    // An event is being applied: one arriving now waits in the inbox.
    bool m_applying = false;
    // Since the turn's first event (invalid between turns).
    QElapsedTimer m_turnClock;
    qint64 m_lastSeq = -1;

    // HIS refresh scheduling.
    bool m_refreshPending = false;
    QTimer m_debounce;
    QTimer m_maxWait;

    // Reloads.
    std::unique_ptr<Reload> m_reload;
    bool m_reloadAgain = false;
    // Tells a background diff's answer (and its slices) from those of a diff dropped since.
    quint64 m_planSerial = 0;
    // Failed reloads in a row, and the back-off before the next try.
    int m_failedReloads = 0;
    QTimer m_retryReload;
    // Stale because reads fail while the socket is up (cleared by the next good read).
    bool m_staleByReload = false;
    QDateTime m_lastSyncAt;

    // Connection.
    bool m_online = false;
    QDateTime m_staleSince;
    QString m_staleReason;
    QTimer m_heartbeat;
    // A resync waits for the subscription: a read made before the server has put us back in
    // the rooms could miss a change whose event went out before we were in them.
    bool m_resyncWhenSubscribed = false;
    // A failed read has asked for a reload that has not started yet.
    bool m_resyncForFailedRead = false;
    QTimer m_subscribeFallback;

    // The user's unsettled writes: live mode's queue (shown in the rows), HIS mode's writes
    // on their way and its conflicts (never in the rows: HIS shows nothing unconfirmed).
    WriteQueue m_writes;
    bool m_sending = false;
    bool m_sendScheduled = false;
    // A check before sending failed for a reason of the server's: sending waits a while.
    bool m_sendHeld = false;
    QSet<QString> m_fetching;
    // Pages read (Options::loadAll false), the server's total and whether it has more.
    int m_pages = 1;
    int m_total = -1;
    bool m_hasMore = false;
    // Fetches to start again when the one in flight ends (an event came meanwhile).
    QSet<QString> m_refetch;
    // Created events held while a create of ours without txn echo is on its way.
    QList<RealtimeEvent> m_heldCreates;
    bool m_started = false;
};

} // namespace livedesk
