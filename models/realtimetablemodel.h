// SPDX-License-Identifier: MIT
#pragma once

#include "state/realtimestatemanager.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QHash>
#include <QtCore/QPointer>

namespace livedesk {

/**
 * One resource as a table: the rows of a RealtimeStateManager, the columns of its
 * ResourceSchema. A list that stays still while the data moves.
 *
 * Clinicians keep a row selected while colleagues edit the list; a model that resets on every
 * change loses the selection and scroll position and makes rows jump. This model never
 * resets for data changes: it forwards the manager's row signals one to one (inserts,
 * removals, moves: a record whose sort key changed moves, it is not removed and re-added), and
 * turns a changed record into dataChanged for the changed cells only. What the first event
 * of a turn of the event loop changed is told as soon as the manager is done with it
 * (RealtimeStateManager::eventApplied()), so that a single update reaches the view within its
 * frame's delivery; the turn's other changes are held until its end (or the next structural
 * change) and contiguous rows with the same columns and roles are merged, so a burst of
 * updates costs a few signals, not one per event. modelReset happens only when the manager
 * is switched or its query is (RealtimeStateManager::setQuery()). Row lookup by id is the
 * manager's, O(1).
 *
 * Roles: DisplayRole is formatted for people (dates and numbers in the locale, Yes/No,
 * enum values as they are); EditRole and SortRole hold typed raw values (QDate, QDateTime,
 * qint64, double, bool, QString; null as an invalid QVariant); the custom roles below give the
 * record id, its version, the row state and its reason (also as ToolTipRole). Pending rows are
 * in italics, stale ones greyed, failed / conflict / locked ones tinted, so that a plain
 * QTableView already shows the difference; a delegate can do better from RowStateRole.
 *
 * setData() writes through the manager: in HIS mode the cell changes only once the server has
 * confirmed (and the reload brought it); in live mode the edit shows as pending on the next
 * turn of the event loop (the manager applies local writes there).
 * Sorting by a header is server-side: sort() sets the manager's query. canFetchMore() /
 * fetchMore() are the manager's incremental loading (Options::loadAll false).
 */
class RealtimeTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        RecordIdRole = Qt::UserRole + 1, ///< the record's id (QString)
        VersionRole, ///< the record's version (qint64), invalid without versions
        RowStateRole, ///< RealtimeStateManager::RowState as int
        RowReasonRole, ///< why the row is in its state (QString, empty when synced)
        SortRole, ///< the typed raw value, as EditRole
        RecordRole, ///< the whole record as shown (QJsonObject)
    };
    Q_ENUM(Role)

    explicit RealtimeTableModel(QObject *parent = nullptr);
    /// Shows @p manager (not owned; it may be deleted first).
    explicit RealtimeTableModel(RealtimeStateManager *manager, QObject *parent = nullptr);

    /// Switches to @p manager (a reset). Null shows nothing.
    void setManager(RealtimeStateManager *manager);
    RealtimeStateManager *manager() const { return m_manager; }

    /// The field shown in @p column, or an empty string.
    QString fieldAt(int column) const;
    /// The column of @p field, or -1.
    int columnOf(QStringView field) const;
    /// The row of record @p id, or -1. O(1).
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    /// Server-side: the manager's query gets this sort (a reset and a reload).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QHash<int, QByteArray> roleNames() const override;

    /// The JSON value for @p field from an editor's @p value (typed by the schema); undefined
    /// when it cannot be converted.
    QJsonValue toJson(const QString &field, const QVariant &value) const;

    /// @p value typed by @p column's schema type (qint64, double, bool, QDate, QDateTime,
    /// QString): what EditRole and SortRole hold. Invalid for null or a missing value.
    static QVariant typedValue(const ResourceSchema::Column &column, const QJsonValue &value);
    /// @p value as DisplayRole shows it: the locale's numbers, short dates with four-digit
    /// years (a birth date of 1939 must not read as 39), Yes/No. Dialogs show values with it
    /// so that a value reads the same in the list and in a form; empty for no value.
    static QString displayText(const ResourceSchema::Column &column, const QJsonValue &value);
    /// Names for user ids: the author columns (`created_by`, `updated_by`) show "Dr. Somchai"
    /// instead of "u-doctor" (ids without a name stay as they are; sorting and editing still
    /// use the id).
    void setUserNames(const QHash<QString, QString> &names);

    /// dataChanged signals emitted so far (for diagnostics and benchmarks).
    qint64 dataChangedEmitted() const { return m_dataChangedEmitted; }

private:
    static bool isAuthorColumn(QStringView name);
    class Change
    {
    public:
        int first;
        int last;
        int firstColumn;
        int lastColumn;
        bool state;
    };

    void connectManager();
    void onRowsChanged(int first, int last, const QStringList &fields, bool stateChanged);
    void queueChange(const Change &change);
    void onEventApplied();
    void flushChanges();

    QPointer<RealtimeStateManager> m_manager;
    QHash<QString, QString> m_userNames;
    QList<ResourceSchema::Column> m_columns;
    QHash<QString, int> m_columnOf;
    QList<Change> m_changes;
    bool m_flushScheduled = false;
    // This turn's first event has been told at once (onEventApplied()).
    bool m_toldEarly = false;
    // Inside a begin/end pair of a structural change (or reset).
    int m_structural = 0;
    qint64 m_dataChangedEmitted = 0;
};

} // namespace livedesk
