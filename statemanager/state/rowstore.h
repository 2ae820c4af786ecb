// SPDX-License-Identifier: MIT
#pragma once

#include "state/compactrecord.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace livedesk {

/**
 * The rows of one list: what each shows, found by record id, kept in order, changed with the
 * fewest row signals.
 *
 * Rows are kept compact (CompactRecord, about the size of their JSON): what a row shows is
 * stored only where it differs from the server's record.
 *
 * RealtimeStateManager decides what a row shows (the server's record with the user's pending
 * changes on top, or nothing); this class holds the result and knows everything positional:
 * the id index (kept lazily, so an insert near the top does not renumber a million rows at
 * once), sorted placement under an order the owner gives, and the keyed diff that turns the
 * rows into a reloaded list with removes, moves, changes and inserts only where they differ.
 * It emits QAbstractItemModel's row protocol as it goes, so a model can relay the signals one
 * to one. It knows nothing of the server, modes or operations, and is unit-tested alone
 * (tst_rowstore).
 */
class RowStore : public QObject
{
    Q_OBJECT

public:
    /// A row as it goes in or comes out whole; the store keeps it compact (CompactRecord).
    class Row
    {
    public:
        QString id;
        /// The server's record, where there is one (a local create has none).
        QJsonObject server;
        bool hasServer = false;
        /// What the row shows.
        QJsonObject shown;
        /// The owner's row state (opaque here: compared only to tell a change; 0 to 32767).
        int state = 0;
        /// When not empty: the server's record, shown as it is, already compact; server and
        /// shown are not read (hasServer is taken as true). What a reload's rows without the
        /// user's changes use, so that a large read is never held decoded.
        CompactRecord record;

        bool isPacked() const { return !record.isEmpty(); }
    };
    /// Compares what two rows show: <0, 0, >0. The ids break ties.
    using Order = std::function<int(const CompactRecord &a, const QString &aId,
                                    const CompactRecord &b, const QString &bId)>;

    explicit RowStore(QObject *parent = nullptr);
    ~RowStore() override;

    int size() const { return int(m_rows.size()); }
    /// Row @p row, decoded whole (the accessors below read one part without decoding).
    Row at(int row) const;
    QString idAt(int row) const;
    /// Whether row @p row is record @p id's (without spelling the row's id).
    bool rowHasId(int row, const QString &id) const;
    int stateAt(int row) const;
    bool hasServerAt(int row) const;
    /// What row @p row shows; valid until the row next changes.
    const CompactRecord &shownAt(int row) const;
    /// What row @p row holds of the server (empty when it holds nothing).
    const CompactRecord &serverAt(int row) const;
    /// The row of record @p id, or -1.
    int indexOf(const QString &id) const;
    /// Sets what row @p row holds of the server without a signal (nothing shown changes).
    void setServer(int row, const QJsonObject &server, bool hasServer);
    /// The same with a record already encoded (read from an event's text).
    void setServer(int row, CompactRecord server);
    /// Sets what row @p row shows; rowsChanged() with the fields that differ, when any or the
    /// state does. False when nothing changed; @p fieldsChanged: whether any field did.
    bool update(int row, const QJsonObject &shown, int state, bool *fieldsChanged = nullptr);
    /// update() with what row @p row holds of the server, shown as it is (the owner knows
    /// nothing of the user's is on top): nothing is encoded again. The row must hold one.
    bool showServer(int row, int state, bool *fieldsChanged = nullptr);
    /// Row @p row's record id becomes @p id (a local create the server confirmed).
    void rename(int row, const QString &id);

    void insert(int at, Row row);
    void move(int from, int to);
    void remove(int first, int last);
    /// Empties the store without signals (the owner resets its model around it).
    void clear();

    /// The order rows keep (an empty one: none, rows stay where they are put).
    void setOrder(Order order);
    bool isSorted() const { return bool(m_order); }
    /// Where a row showing @p shown belongs among the rows other than @p skip.
    int sortedPosition(const CompactRecord &shown, const QString &id, int skip = -1) const;
    /// Where @p row goes when it comes in: in order, or at the end when unsorted.
    int insertPosition(const Row &row) const;
    /// Moves row @p row where the order puts it, if it is out of place.
    void place(int row);

    /**
     * Makes the rows @p target (ids unique), with the fewest signals: rows it does not have
     * are removed in contiguous ranges, the longest run already in target order stays and
     * every other row moves once, changed rows are updated and missing ones inserted in runs.
     * Returns how many rows were removed, moved, changed or inserted.
     */
    int applyTarget(QList<Row> target);

    /**
     * Counts every change made to the rows (what they hold, show or where they are). A Plan
     * worked out from a Snapshot is valid only while the generation it was made at stands.
     */
    quint64 generation() const { return m_generation; }

    /// What a Plan needs of the rows: their ids and what they show, in order. Implicitly shared
    /// copies, so another thread may read them while the rows change.
    class Snapshot
    {
    public:
        std::vector<QString> ids;
        std::vector<CompactRecord> shown;
        quint64 generation = 0;
    };
    Snapshot snapshot() const;

    /**
     * applyTarget() worked out ahead, so that the costly part (indexing the target, comparing
     * every row) can run on a worker thread and the rest be applied in slices (applyPlan()).
     * Made by plan() from a Snapshot; valid for the rows of that snapshot's generation only.
     */
    class Plan
    {
    public:
        /// The rows to end with (ids and whether they hold a server record; what they hold and
        /// show is in compact form below); their state is asked for when they are applied.
        QList<Row> target;
        /// Target ids → position in target.
        QHash<QString, int> targetIndex;
        /// The generation of the rows the plan is for.
        quint64 generation = 0;
        /// Rows removed, moved, changed or inserted so far (applyTarget()'s count once Done).
        int changes() const { return m_changes; }

    private:
        friend class RowStore;
        enum class Phase { Remove, Move, Walk, Done };
        // Ranges of rows to remove, bottom up (each valid once those before it are gone).
        std::vector<std::pair<int, int>> removals;
        // Target positions of the rows to move, in target order, each with the target position
        // of the row it is to follow (-1: the top).
        std::vector<std::pair<int, int>> moves;
        // Per target row: whether it is a row already, and if so whether what it shows changed
        // and in which fields.
        std::vector<char> held;
        std::vector<char> same;
        std::vector<QStringList> fields;
        // Per target row, what it holds and shows, encoded on the planning thread.
        std::vector<CompactRecord> server;
        std::vector<CompactRecord> shown;
        Phase phase = Phase::Remove;
        size_t cursor = 0; // in removals, moves, or target (Walk)
        int row = 0; // Walk: the row the target position at cursor is to be
        int m_changes = 0;
    };
    /// Works out the plan that makes @p rows into @p target (a repeated id is left out, the
    /// first standing). Reads nothing but its arguments: safe on any thread.
    static Plan plan(Snapshot rows, QList<Row> target);

    enum class Progress { Done, More, Stale };
    /**
     * Applies @p plan until it is done or @p deadline has passed or about @p maxRows rows were
     * touched; the same signals as applyTarget(), except that neighbouring changed rows share
     * one rowsChanged(). Each target row's state is @p stateOf(id) as it is applied.
     * More: call again (on a later turn). Stale: the rows changed since the plan was made (or
     * between two calls) other than by the plan: it must not be applied further; what it
     * applied so far is consistent (each row shows one record), and applyTarget() or a new plan
     * finishes the work. Done: plan.changes says how many rows were removed, moved, changed or
     * inserted, as applyTarget() returns.
     */
    Progress applyPlan(Plan &plan, const std::function<int(const QString &id)> &stateOf,
                       QDeadlineTimer deadline, int maxRows);

Q_SIGNALS:
    void rowsAboutToBeInserted(int first, int last);
    void rowsInserted(int first, int last);
    void rowsAboutToBeRemoved(int first, int last);
    void rowsRemoved(int first, int last);
    void rowsChanged(int first, int last, const QStringList &fields, bool stateChanged);
    void rowsAboutToBeMoved(int first, int last, int destination);
    void rowsMoved(int first, int last, int destination);

private:
    class Slot;
    // Rows from @p row on have moved: their index is brought up to date when next asked for.
    void movedFrom(int row);
    void reindex() const;
    void setServerRecord(int row, CompactRecord server, bool hasServer);
    bool updateRecord(int row, CompactRecord shown, int state, bool *fieldsChanged = nullptr);

    Slot *find(const QString &id) const;
    void addToIndex(Slot *r);
    void unindex(const Slot *r);

    std::vector<std::unique_ptr<Slot>> m_rows;
    // The id index: ids that are plain numbers (most servers') by number, others by text.
    QHash<qint64, Slot *> m_numbered;
    QHash<QString, Slot *> m_named;
    mutable int m_indexedBelow = 0;
    Order m_order;
    quint64 m_generation = 0;
};

} // namespace livedesk
