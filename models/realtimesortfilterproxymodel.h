// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QAbstractProxyModel>
#include <QtCore/QCollator>
#include <QtCore/QList>
#include <QtCore/QMetaObject>
#include <QtCore/QPersistentModelIndex>
#include <QtCore/QString>
#include <QtCore/QVariant>

#include <functional>
#include <vector>

namespace livedesk {

/**
 * Client-side sort and filter for small, fully loaded sets whose source changes all the time
 * (a ward list that colleagues edit while it is on screen).
 *
 * QSortFilterProxyModel with dynamic sorting turns one source dataChanged that changes a
 * row's sort position into layoutAboutToBeChanged/layoutChanged for the whole set: views
 * re-layout everything, and selection and scroll position are rebuilt from persistent
 * indexes. This proxy answers every source change with the smallest set of row signals:
 *
 * - source dataChanged: a row that starts or stops passing the filter is inserted at its
 *   sorted position or removed; a visible row whose sort key changed and no longer fits
 *   between its neighbours is moved (beginMoveRows, one row per move, then dataChanged for
 *   it); anything else is forwarded as dataChanged, contiguous proxy rows merged, roles kept.
 *   Sort and filter are re-evaluated only when the roles can affect them (an empty roles
 *   list means all roles; Qt::DisplayRole and Qt::EditRole count for each other).
 * - source rowsInserted: the accepted new rows are inserted at their sorted positions, rows
 *   that land next to each other in one beginInsertRows.
 * - source rowsAboutToBeRemoved: their proxy rows are removed, contiguous runs merged.
 * - source rowsMoved: the mapping follows; rows whose position depends on the source order
 *   (ties, or no sort column) are moved one by one.
 * - source layoutChanged: layoutChanged with persistent indexes mapped through the source;
 *   source modelReset: modelReset.
 * - source columns: inserted, removed and moved as in the source; the sort and filter
 *   columns follow their data. Removing the sort column returns to the source order (a
 *   layout change).
 *
 * Only sort() and setSortRole() (the user clicks a header: a legitimate whole-set change)
 * emit layoutAboutToBeChanged/layoutChanged themselves, with persistent indexes updated.
 * Changing the filter (setFilterText(), setFilterColumns(), setFilterPredicate(),
 * invalidateFilter()) removes and inserts rows; it falls back to a model reset only when
 * that would take more than maxFilterSteps() contiguous removals and insertions (a
 * scattered change over a large set, where a reset is cheaper for the views).
 *
 * Order: the sortRole() value of sortColumn() (raw values, Qt::EditRole by default): numbers
 * numerically, strings locale-aware and case-insensitive (QCollator for the default QLocale),
 * dates and date-times chronologically, null or invalid values (and NaN) first in ascending
 * order; values of different kinds order as null < number < date < string < other. Ties are
 * broken by source row in both directions, so the order is total and stable. sortColumn() -1
 * keeps the source order.
 *
 * Filter: a row passes when setFilterText() is empty or the Qt::DisplayRole text of one of
 * filterColumns() (all columns when empty) contains it, case-insensitively, and the
 * optional predicate accepts it.
 *
 * Complexity, for n source rows (meant for n up to about 50,000): mapToSource() and
 * mapFromSource() are O(1) (two vectors, proxy→source and source→proxy rows); one changed,
 * inserted or removed row costs O(log n) comparisons plus O(n) integer moves to keep both
 * vectors dense; a dataChanged over many rows that change their sort keys at once costs
 * O(n log n) plus O(n) per moved row. Sort keys are cached per source row, so comparisons
 * never call the source.
 *
 * Flat sources only (lists and tables): children of source rows are not exposed. Do not
 * change the source from slots connected to this proxy's signals.
 */
class RealtimeSortFilterProxyModel : public QAbstractProxyModel
{
    Q_OBJECT

public:
    using FilterPredicate = std::function<bool(int sourceRow, const QModelIndex &sourceParent)>;

    explicit RealtimeSortFilterProxyModel(QObject *parent = nullptr);
    ~RealtimeSortFilterProxyModel() override;

    void setSourceModel(QAbstractItemModel *sourceModel) override;

    /// Re-sorts the whole set (layoutAboutToBeChanged/layoutChanged); @p column -1 restores
    /// the source order. A no-op when nothing changes.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    int sortRole() const { return m_sortRole; }
    /// The role whose values are compared (Qt::EditRole by default); re-sorts like sort().
    void setSortRole(int role);

    QString filterText() const { return m_filterText; }
    void setFilterText(const QString &text);
    QList<int> filterColumns() const { return m_filterColumns; }
    /// The source columns whose Qt::DisplayRole text is matched; empty means all columns.
    void setFilterColumns(const QList<int> &columns);
    /// An extra condition a row must meet (an empty function accepts every row).
    void setFilterPredicate(FilterPredicate predicate);
    /// Re-evaluates the filter for every row, e.g. after the predicate's inputs changed.
    void invalidateFilter();
    /// Above this many contiguous removals plus insertions, a filter change resets instead.
    static constexpr int maxFilterSteps() { return 256; }

    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    using QObject::parent;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool setHeaderData(int section, Qt::Orientation orientation, const QVariant &value,
                       int role = Qt::EditRole) override;

private:
    /// Where a row signal comes from, when it is the answer to a source dataChanged.
    struct DataChange
    {
        int top;
        int bottom;
        int left;
        int right;
        QList<int> roles;
        /// Per source row of [top, bottom]: already announced (moved, inserted, removed).
        std::vector<char> handled;
    };
    enum class FilterScope { AllRows, VisibleRows, HiddenRows };

    void onSourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                             const QList<int> &roles);
    void onSourceHeaderDataChanged(Qt::Orientation orientation, int first, int last);
    void onSourceRowsInserted(const QModelIndex &parent, int first, int last);
    void onSourceRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onSourceRowsRemoved(const QModelIndex &parent, int first, int last);
    void onSourceRowsAboutToBeMoved(const QModelIndex &sourceParent, int start, int end,
                                    const QModelIndex &destinationParent, int destinationRow);
    void onSourceRowsMoved(const QModelIndex &sourceParent, int start, int end,
                           const QModelIndex &destinationParent, int destinationRow);
    void onSourceColumnsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void onSourceColumnsInserted(const QModelIndex &parent, int first, int last);
    void onSourceColumnsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onSourceColumnsRemoved(const QModelIndex &parent, int first, int last);
    void onSourceColumnsAboutToBeMoved(const QModelIndex &sourceParent, int start, int end,
                                       const QModelIndex &destinationParent, int destination);
    void onSourceColumnsMoved(const QModelIndex &sourceParent, int start, int end,
                              const QModelIndex &destinationParent, int destination);
    void onSourceLayoutAboutToBeChanged(const QList<QPersistentModelIndex> &parents,
                                        QAbstractItemModel::LayoutChangeHint hint);
    void onSourceLayoutChanged(const QList<QPersistentModelIndex> &parents,
                               QAbstractItemModel::LayoutChangeHint hint);
    void onSourceModelAboutToBeReset();
    void onSourceModelReset();
    void onSourceDestroyed();

    int sourceRowCount() const;
    bool filterActive() const { return !m_filterText.isEmpty() || bool(m_filterPredicate); }
    bool acceptsRow(int sourceRow) const;
    QVariant fetchSortKey(int sourceRow) const;
    /// <0, 0, >0 as @p left orders before, with, after @p right (see the class comment).
    int compareValues(const QVariant &left, const QVariant &right) const;
    /// The total order of the proxy, on source rows (cached keys, then source row).
    bool lessThan(int sourceLeft, int sourceRight) const;

    /// Rebuilds keys and both maps from the source, without signals.
    void rebuild();
    void refreshSortKeys();
    /// Sorts m_proxyToSource with layoutAboutToBeChanged/layoutChanged.
    void resortWithLayoutChange();
    /// Re-evaluates the filter of the rows in @p scope: removals and insertions, or a reset.
    void applyFilter(FilterScope scope = FilterScope::AllRows);
    /// dataChanged for the visible rows of @p change not yet handled, contiguous rows merged.
    void forwardDataChanged(const DataChange &change);
    /// m_sourceToProxy for proxy rows [from, to).
    void reindex(int from, int to);
    /// Removes the given proxy rows, contiguous runs in one signal each, bottom up.
    void removeProxyRows(std::vector<int> proxyRows);
    /// Inserts source rows that are not in the proxy, contiguous landings merged.
    void insertSourceRows(std::vector<int> sourceRows, bool sorted);
    /// Moves one proxy row before @p destinationChild (beginMoveRows numbering).
    void moveProxyRow(int from, int destinationChild);
    /// Puts rows back in order when only @p pendingSourceRows may be out of place; emits
    /// dataChanged after each move of a row inside @p change.
    void reposition(const std::vector<int> &pendingSourceRows, DataChange *change);
    void moveAfterChange(int from, int destinationChild, DataChange *change);

    std::vector<int> m_proxyToSource;
    std::vector<int> m_sourceToProxy; ///< -1 where filtered out
    std::vector<QVariant> m_sortKeys; ///< per source row; empty values when unsorted

    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    int m_sortRole = Qt::EditRole;
    QString m_filterText;
    QList<int> m_filterColumns;
    FilterPredicate m_filterPredicate;
    QCollator m_collator;

    QList<QMetaObject::Connection> m_sourceConnections;
    /// Between a source layoutAboutToBeChanged and its layoutChanged.
    QModelIndexList m_layoutProxyIndexes;
    QList<QPersistentModelIndex> m_layoutSourceIndexes;
    bool m_layoutChangeIgnored = false;
    /// Between a source rowsAboutToBeMoved and rowsMoved out of the top level.
    bool m_movingOut = false;
    bool m_columnMoveAsReset = false;
};

} // namespace livedesk
