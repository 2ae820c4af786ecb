// SPDX-License-Identifier: MIT
#include "realtimesortfilterproxymodel.h"

#include <QtCore/QDateTime>
#include <QtCore/QTime>

#include <algorithm>
#include <cmath>
#include <utility>

namespace livedesk {

namespace {

/// Up to this many rows with changed keys, each finds its place by binary search among the
/// rows known to be in order; above, one sort and a longest increasing subsequence decide
/// which rows move (fewest moves, O(n log n)).
constexpr size_t kBinarySearchLimit = 16;

/// Kinds of sort values, in their order against each other.
enum class Kind { Null, Number, Temporal, String, Other };

Kind kindOf(const QVariant &v)
{
    if (!v.isValid() || v.isNull())
        return Kind::Null;
    switch (v.typeId()) {
    case QMetaType::Bool:
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::UChar:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return Kind::Number;
    case QMetaType::Float:
    case QMetaType::Double:
        return std::isnan(v.toDouble()) ? Kind::Null : Kind::Number;
    case QMetaType::QDate:
        return v.toDate().isValid() ? Kind::Temporal : Kind::Null;
    case QMetaType::QDateTime:
        return v.toDateTime().isValid() ? Kind::Temporal : Kind::Null;
    case QMetaType::QTime:
        return v.toTime().isValid() ? Kind::Other : Kind::Null;
    case QMetaType::QString:
        return static_cast<const QString *>(v.constData())->isNull() ? Kind::Null : Kind::String;
    case QMetaType::QChar:
    case QMetaType::QByteArray:
        return Kind::String;
    default:
        return Kind::Other;
    }
}

template<typename T> int threeWay(const T &left, const T &right)
{
    return left < right ? -1 : (right < left ? 1 : 0);
}

bool isFloating(int type)
{
    return type == QMetaType::Float || type == QMetaType::Double;
}

bool isUnsigned(int type)
{
    return type == QMetaType::UChar || type == QMetaType::UShort || type == QMetaType::UInt
        || type == QMetaType::ULong || type == QMetaType::ULongLong;
}

int compareNumbers(const QVariant &left, const QVariant &right)
{
    const int lt = left.typeId();
    const int rt = right.typeId();
    if (isFloating(lt) || isFloating(rt))
        return threeWay(left.toDouble(), right.toDouble());
    const bool lu = isUnsigned(lt);
    const bool ru = isUnsigned(rt);
    if (lu && ru)
        return threeWay(left.toULongLong(), right.toULongLong());
    if (!lu && !ru)
        return threeWay(left.toLongLong(), right.toLongLong());
    if (lu) {
        const qlonglong r = right.toLongLong();
        return r < 0 ? 1 : threeWay(left.toULongLong(), qulonglong(r));
    }
    const qlonglong l = left.toLongLong();
    return l < 0 ? -1 : threeWay(qulonglong(l), right.toULongLong());
}

int compareTemporal(const QVariant &left, const QVariant &right)
{
    if (left.typeId() == QMetaType::QDate && right.typeId() == QMetaType::QDate)
        return threeWay(left.toDate(), right.toDate());
    const auto toDateTime = [](const QVariant &v) {
        return v.typeId() == QMetaType::QDate ? v.toDate().startOfDay() : v.toDateTime();
    };
    return threeWay(toDateTime(left), toDateTime(right));
}

int compareOther(const QVariant &left, const QVariant &right)
{
    const QPartialOrdering order = QVariant::compare(left, right);
    if (order == QPartialOrdering::Less)
        return -1;
    if (order == QPartialOrdering::Greater)
        return 1;
    if (order == QPartialOrdering::Equivalent)
        return 0;
    if (left.typeId() != right.typeId())
        return threeWay(left.typeId(), right.typeId());
    return QString::compare(left.toString(), right.toString());
}

} // namespace

RealtimeSortFilterProxyModel::RealtimeSortFilterProxyModel(QObject *parent)
    : QAbstractProxyModel(parent)
{
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
}

RealtimeSortFilterProxyModel::~RealtimeSortFilterProxyModel() = default;

void RealtimeSortFilterProxyModel::setSourceModel(QAbstractItemModel *model)
{
    if (model == sourceModel())
        return;
    beginResetModel();
    for (const QMetaObject::Connection &c : std::as_const(m_sourceConnections))
        disconnect(c);
    m_sourceConnections.clear();
    m_layoutProxyIndexes.clear();
    m_layoutSourceIndexes.clear();
    m_layoutChangeIgnored = false;
    m_movingOut = false;
    m_columnMoveAsReset = false;

    QAbstractProxyModel::setSourceModel(model);
    if (model) {
        using Self = RealtimeSortFilterProxyModel;
        using Model = QAbstractItemModel;
        m_sourceConnections = {
            connect(model, &Model::dataChanged, this, &Self::onSourceDataChanged),
            connect(model, &Model::headerDataChanged, this, &Self::onSourceHeaderDataChanged),
            connect(model, &Model::rowsInserted, this, &Self::onSourceRowsInserted),
            connect(model, &Model::rowsAboutToBeRemoved, this, &Self::onSourceRowsAboutToBeRemoved),
            connect(model, &Model::rowsRemoved, this, &Self::onSourceRowsRemoved),
            connect(model, &Model::rowsAboutToBeMoved, this, &Self::onSourceRowsAboutToBeMoved),
            connect(model, &Model::rowsMoved, this, &Self::onSourceRowsMoved),
            connect(model, &Model::columnsAboutToBeInserted, this,
                    &Self::onSourceColumnsAboutToBeInserted),
            connect(model, &Model::columnsInserted, this, &Self::onSourceColumnsInserted),
            connect(model, &Model::columnsAboutToBeRemoved, this,
                    &Self::onSourceColumnsAboutToBeRemoved),
            connect(model, &Model::columnsRemoved, this, &Self::onSourceColumnsRemoved),
            connect(model, &Model::columnsAboutToBeMoved, this,
                    &Self::onSourceColumnsAboutToBeMoved),
            connect(model, &Model::columnsMoved, this, &Self::onSourceColumnsMoved),
            connect(model, &Model::layoutAboutToBeChanged, this,
                    &Self::onSourceLayoutAboutToBeChanged),
            connect(model, &Model::layoutChanged, this, &Self::onSourceLayoutChanged),
            connect(model, &Model::modelAboutToBeReset, this, &Self::onSourceModelAboutToBeReset),
            connect(model, &Model::modelReset, this, &Self::onSourceModelReset),
            // After QAbstractProxyModel's own handler, which drops the dying model.
            connect(model, &QObject::destroyed, this, &Self::onSourceDestroyed),
        };
    }
    rebuild();
    endResetModel();
}

// --- sort and filter settings -----------------------------------------------------------

void RealtimeSortFilterProxyModel::sort(int column, Qt::SortOrder order)
{
    column = std::max(column, -1);
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    // Source order has no direction: -1 to -1 changes nothing.
    const bool rearranges = column >= 0 || m_sortColumn >= 0;
    m_sortColumn = column;
    m_sortOrder = order;
    if (rearranges)
        resortWithLayoutChange();
}

void RealtimeSortFilterProxyModel::setSortRole(int role)
{
    if (role == m_sortRole)
        return;
    m_sortRole = role;
    if (m_sortColumn >= 0)
        resortWithLayoutChange();
}

void RealtimeSortFilterProxyModel::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    const QString old = std::exchange(m_filterText, text);
    // A longer needle can only hide rows, a shorter one only show rows.
    FilterScope scope = FilterScope::AllRows;
    if (text.contains(old, Qt::CaseInsensitive))
        scope = FilterScope::VisibleRows;
    else if (old.contains(text, Qt::CaseInsensitive))
        scope = FilterScope::HiddenRows;
    applyFilter(scope);
}

void RealtimeSortFilterProxyModel::setFilterColumns(const QList<int> &columns)
{
    if (columns == m_filterColumns)
        return;
    m_filterColumns = columns;
    if (!m_filterText.isEmpty())
        applyFilter();
}

void RealtimeSortFilterProxyModel::setFilterPredicate(FilterPredicate predicate)
{
    m_filterPredicate = std::move(predicate);
    applyFilter();
}

void RealtimeSortFilterProxyModel::invalidateFilter()
{
    applyFilter();
}

// --- QAbstractItemModel -----------------------------------------------------------------

QModelIndex RealtimeSortFilterProxyModel::mapToSource(const QModelIndex &proxyIndex) const
{
    const QAbstractItemModel *source = sourceModel();
    if (!source || !proxyIndex.isValid() || proxyIndex.model() != this)
        return {};
    const int row = proxyIndex.row();
    if (row < 0 || size_t(row) >= m_proxyToSource.size())
        return {};
    return source->index(m_proxyToSource[size_t(row)], proxyIndex.column());
}

QModelIndex RealtimeSortFilterProxyModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    const QAbstractItemModel *source = sourceModel();
    if (!source || !sourceIndex.isValid() || sourceIndex.model() != source
        || sourceIndex.parent().isValid())
        return {};
    const int row = sourceIndex.row();
    if (row < 0 || size_t(row) >= m_sourceToProxy.size())
        return {};
    const int proxyRow = m_sourceToProxy[size_t(row)];
    return proxyRow < 0 ? QModelIndex() : index(proxyRow, sourceIndex.column());
}

QModelIndex RealtimeSortFilterProxyModel::index(int row, int column,
                                                const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || size_t(row) >= m_proxyToSource.size()
        || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex RealtimeSortFilterProxyModel::parent(const QModelIndex &child) const
{
    Q_UNUSED(child);
    return {};
}

int RealtimeSortFilterProxyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_proxyToSource.size());
}

int RealtimeSortFilterProxyModel::columnCount(const QModelIndex &parent) const
{
    const QAbstractItemModel *source = sourceModel();
    return parent.isValid() || !source ? 0 : source->columnCount();
}

bool RealtimeSortFilterProxyModel::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_proxyToSource.empty() && columnCount() > 0;
}

QVariant RealtimeSortFilterProxyModel::headerData(int section, Qt::Orientation orientation,
                                                  int role) const
{
    const QAbstractItemModel *source = sourceModel();
    if (!source)
        return {};
    if (orientation == Qt::Horizontal)
        return source->headerData(section, orientation, role);
    if (section < 0 || size_t(section) >= m_proxyToSource.size())
        return {};
    return source->headerData(m_proxyToSource[size_t(section)], orientation, role);
}

bool RealtimeSortFilterProxyModel::setHeaderData(int section, Qt::Orientation orientation,
                                                 const QVariant &value, int role)
{
    QAbstractItemModel *source = sourceModel();
    if (!source)
        return false;
    if (orientation == Qt::Horizontal)
        return source->setHeaderData(section, orientation, value, role);
    if (section < 0 || size_t(section) >= m_proxyToSource.size())
        return false;
    return source->setHeaderData(m_proxyToSource[size_t(section)], orientation, value, role);
}

// --- source signals ---------------------------------------------------------------------

void RealtimeSortFilterProxyModel::onSourceDataChanged(const QModelIndex &topLeft,
                                                       const QModelIndex &bottomRight,
                                                       const QList<int> &roles)
{
    if (!topLeft.isValid() || !bottomRight.isValid() || topLeft.parent().isValid())
        return;
    DataChange change{topLeft.row(),
                      std::min(bottomRight.row(), int(m_sourceToProxy.size()) - 1),
                      topLeft.column(),
                      bottomRight.column(),
                      roles,
                      {}};
    if (change.bottom < change.top)
        return;
    change.handled.assign(size_t(change.bottom - change.top + 1), 0);

    // Display and edit roles are the same value in most models: either one counts for both.
    const auto touches = [&roles](int role) {
        if (roles.isEmpty() || roles.contains(role))
            return true;
        const bool textual = role == Qt::DisplayRole || role == Qt::EditRole;
        return textual && (roles.contains(Qt::DisplayRole) || roles.contains(Qt::EditRole));
    };
    const bool sortAffected
        = m_sortColumn >= change.left && m_sortColumn <= change.right && touches(m_sortRole);
    bool filterAffected = bool(m_filterPredicate);
    if (!filterAffected && !m_filterText.isEmpty() && touches(Qt::DisplayRole)) {
        filterAffected = m_filterColumns.isEmpty()
            || std::any_of(m_filterColumns.cbegin(), m_filterColumns.cend(), [&](int column) {
                             return column >= change.left && column <= change.right;
                         });
    }
    if (!sortAffected && !filterAffected) {
        forwardDataChanged(change);
        return;
    }

    // Fresh keys for the whole range; rows whose key compares equal to the old one keep
    // their place whatever happens around them.
    std::vector<int> keyChanged;
    if (sortAffected) {
        for (int r = change.top; r <= change.bottom; ++r) {
            QVariant key = fetchSortKey(r);
            if (compareValues(key, m_sortKeys[size_t(r)]) != 0)
                keyChanged.push_back(r);
            m_sortKeys[size_t(r)] = std::move(key);
        }
    }

    std::vector<int> removals;
    std::vector<int> insertions;
    if (filterAffected) {
        for (int r = change.top; r <= change.bottom; ++r) {
            const int proxyRow = m_sourceToProxy[size_t(r)];
            const bool accepted = acceptsRow(r);
            if (proxyRow >= 0 && !accepted)
                removals.push_back(proxyRow);
            else if (proxyRow < 0 && accepted)
                insertions.push_back(r);
            else
                continue;
            change.handled[size_t(r - change.top)] = 1;
        }
    }
    removeProxyRows(std::move(removals));

    std::vector<int> pending;
    for (int r : keyChanged) {
        if (m_sourceToProxy[size_t(r)] >= 0)
            pending.push_back(r);
    }
    reposition(pending, &change);

    insertSourceRows(std::move(insertions), false);
    forwardDataChanged(change);
}

void RealtimeSortFilterProxyModel::onSourceHeaderDataChanged(Qt::Orientation orientation, int first,
                                                             int last)
{
    if (orientation == Qt::Horizontal) {
        Q_EMIT headerDataChanged(orientation, first, last);
        return;
    }
    int low = -1;
    int high = -1;
    for (int r = std::max(first, 0); r <= last && size_t(r) < m_sourceToProxy.size(); ++r) {
        const int proxyRow = m_sourceToProxy[size_t(r)];
        if (proxyRow < 0)
            continue;
        low = low < 0 ? proxyRow : std::min(low, proxyRow);
        high = std::max(high, proxyRow);
    }
    if (low >= 0)
        Q_EMIT headerDataChanged(orientation, low, high);
}

void RealtimeSortFilterProxyModel::onSourceRowsInserted(const QModelIndex &parent, int first,
                                                        int last)
{
    if (parent.isValid() || first < 0 || last < first || size_t(first) > m_sourceToProxy.size())
        return;
    const int count = last - first + 1;
    for (int &sourceRow : m_proxyToSource) {
        if (sourceRow >= first)
            sourceRow += count;
    }
    m_sourceToProxy.insert(m_sourceToProxy.begin() + first, size_t(count), -1);
    m_sortKeys.insert(m_sortKeys.begin() + first, size_t(count), QVariant());

    std::vector<int> accepted;
    for (int r = first; r <= last; ++r) {
        m_sortKeys[size_t(r)] = fetchSortKey(r);
        if (acceptsRow(r))
            accepted.push_back(r);
    }
    insertSourceRows(std::move(accepted), false);
}

void RealtimeSortFilterProxyModel::onSourceRowsAboutToBeRemoved(const QModelIndex &parent,
                                                                int first, int last)
{
    if (parent.isValid() || first < 0)
        return;
    std::vector<int> proxyRows;
    for (int r = first; r <= last && size_t(r) < m_sourceToProxy.size(); ++r) {
        if (m_sourceToProxy[size_t(r)] >= 0)
            proxyRows.push_back(m_sourceToProxy[size_t(r)]);
    }
    removeProxyRows(std::move(proxyRows));
}

void RealtimeSortFilterProxyModel::onSourceRowsRemoved(const QModelIndex &parent, int first,
                                                       int last)
{
    if (parent.isValid() || first < 0 || last < first || size_t(first) >= m_sourceToProxy.size())
        return;
    last = std::min(last, int(m_sourceToProxy.size()) - 1);
    const int count = last - first + 1;
    m_sourceToProxy.erase(m_sourceToProxy.begin() + first, m_sourceToProxy.begin() + last + 1);
    m_sortKeys.erase(m_sortKeys.begin() + first, m_sortKeys.begin() + last + 1);
    for (int &sourceRow : m_proxyToSource) {
        if (sourceRow > last)
            sourceRow -= count;
    }
}

void RealtimeSortFilterProxyModel::onSourceRowsAboutToBeMoved(const QModelIndex &sourceParent,
                                                              int start, int end,
                                                              const QModelIndex &destinationParent,
                                                              int destinationRow)
{
    Q_UNUSED(destinationRow);
    // Rows leaving the top level are removed rows for us.
    m_movingOut = !sourceParent.isValid() && destinationParent.isValid();
    if (m_movingOut)
        onSourceRowsAboutToBeRemoved({}, start, end);
}

void RealtimeSortFilterProxyModel::onSourceRowsMoved(const QModelIndex &sourceParent, int start,
                                                     int end, const QModelIndex &destinationParent,
                                                     int destinationRow)
{
    if (m_movingOut) {
        m_movingOut = false;
        onSourceRowsRemoved({}, start, end);
        return;
    }
    if (sourceParent.isValid() && !destinationParent.isValid()) {
        onSourceRowsInserted({}, destinationRow, destinationRow + end - start);
        return;
    }
    const int n = int(m_sourceToProxy.size());
    if (sourceParent.isValid() || destinationParent.isValid() || start < 0 || end < start
        || end >= n || destinationRow < 0 || destinationRow > n
        || (destinationRow >= start && destinationRow <= end + 1))
        return;

    // The proxy rows stay where they are; only their source rows change.
    const int count = end - start + 1;
    const int newFirst = destinationRow > end ? destinationRow - count : destinationRow;
    const auto rotateBlock = [&](auto &rows) {
        if (destinationRow > end)
            std::rotate(rows.begin() + start, rows.begin() + end + 1,
                        rows.begin() + destinationRow);
        else
            std::rotate(rows.begin() + destinationRow, rows.begin() + start,
                        rows.begin() + end + 1);
    };
    rotateBlock(m_sourceToProxy);
    rotateBlock(m_sortKeys);
    for (int r = 0; r < n; ++r) {
        if (m_sourceToProxy[size_t(r)] >= 0)
            m_proxyToSource[size_t(m_sourceToProxy[size_t(r)])] = r;
    }

    // Only the moved block changed its source order against the other rows; it matters
    // for ties and for the source order (sortColumn() -1).
    std::vector<int> pending;
    for (int r = newFirst; r < newFirst + count; ++r) {
        if (m_sourceToProxy[size_t(r)] >= 0)
            pending.push_back(r);
    }
    reposition(pending, nullptr);
}

void RealtimeSortFilterProxyModel::onSourceColumnsAboutToBeInserted(const QModelIndex &parent,
                                                                    int first, int last)
{
    if (!parent.isValid())
        beginInsertColumns({}, first, last);
}

void RealtimeSortFilterProxyModel::onSourceColumnsInserted(const QModelIndex &parent, int first,
                                                           int last)
{
    if (parent.isValid())
        return;
    // Columns that exist follow their data; a number beyond the last column (set before the
    // source had it) stays and takes effect once the column exists.
    const int count = last - first + 1;
    const int oldCount = columnCount() - count;
    const bool sortColumnExisted = m_sortColumn < oldCount;
    if (m_sortColumn >= first && sortColumnExisted)
        m_sortColumn += count;
    for (int &column : m_filterColumns) {
        if (column >= first && column < oldCount)
            column += count;
    }
    endInsertColumns();
    if (m_sortColumn >= 0 && !sortColumnExisted && m_sortColumn < columnCount()) {
        if (m_proxyToSource.empty())
            refreshSortKeys();
        else
            resortWithLayoutChange();
    }
    if (!m_filterText.isEmpty())
        applyFilter(FilterScope::HiddenRows);
}

void RealtimeSortFilterProxyModel::onSourceColumnsAboutToBeRemoved(const QModelIndex &parent,
                                                                   int first, int last)
{
    if (!parent.isValid())
        beginRemoveColumns({}, first, last);
}

void RealtimeSortFilterProxyModel::onSourceColumnsRemoved(const QModelIndex &parent, int first,
                                                          int last)
{
    if (parent.isValid())
        return;
    const int count = last - first + 1;
    const int oldCount = columnCount() + count;
    const bool sortColumnGone = m_sortColumn >= first && m_sortColumn <= last;
    if (m_sortColumn > last && m_sortColumn < oldCount)
        m_sortColumn -= count;
    QList<int> columns;
    for (int column : std::as_const(m_filterColumns)) {
        if (column < first || column >= oldCount)
            columns.append(column);
        else if (column > last)
            columns.append(column - count);
    }
    m_filterColumns = columns;
    endRemoveColumns();
    if (sortColumnGone) {
        m_sortColumn = -1;
        resortWithLayoutChange();
    }
    if (!m_filterText.isEmpty())
        applyFilter();
}

void RealtimeSortFilterProxyModel::onSourceColumnsAboutToBeMoved(
    const QModelIndex &sourceParent, int start, int end, const QModelIndex &destinationParent,
    int destination)
{
    if (sourceParent.isValid() && destinationParent.isValid())
        return;
    m_columnMoveAsReset = sourceParent.isValid() || destinationParent.isValid()
        || !beginMoveColumns({}, start, end, {}, destination);
    if (m_columnMoveAsReset)
        beginResetModel();
}

void RealtimeSortFilterProxyModel::onSourceColumnsMoved(const QModelIndex &sourceParent, int start,
                                                        int end,
                                                        const QModelIndex &destinationParent,
                                                        int destination)
{
    if (m_columnMoveAsReset) {
        m_columnMoveAsReset = false;
        rebuild();
        endResetModel();
        return;
    }
    if (sourceParent.isValid() || destinationParent.isValid())
        return;
    const int count = end - start + 1;
    const auto moved = [&](int column) {
        if (column >= start && column <= end)
            return column - start + (destination > end ? destination - count : destination);
        if (destination > end && column > end && column < destination)
            return column - count;
        if (destination < start && column >= destination && column < start)
            return column + count;
        return column;
    };
    if (m_sortColumn >= 0)
        m_sortColumn = moved(m_sortColumn);
    for (int &column : m_filterColumns)
        column = moved(column);
    endMoveColumns();
}

void RealtimeSortFilterProxyModel::onSourceLayoutAboutToBeChanged(
    const QList<QPersistentModelIndex> &parents, QAbstractItemModel::LayoutChangeHint hint)
{
    Q_UNUSED(hint);
    // A layout change below the top level does not reach our rows.
    m_layoutChangeIgnored = !parents.isEmpty()
        && std::all_of(parents.cbegin(), parents.cend(),
                       [](const QPersistentModelIndex &p) { return p.isValid(); });
    if (m_layoutChangeIgnored)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    m_layoutProxyIndexes = persistentIndexList();
    m_layoutSourceIndexes.clear();
    m_layoutSourceIndexes.reserve(m_layoutProxyIndexes.size());
    for (const QModelIndex &proxyIndex : std::as_const(m_layoutProxyIndexes))
        m_layoutSourceIndexes.append(QPersistentModelIndex(mapToSource(proxyIndex)));
}

void RealtimeSortFilterProxyModel::onSourceLayoutChanged(
    const QList<QPersistentModelIndex> &parents, QAbstractItemModel::LayoutChangeHint hint)
{
    Q_UNUSED(parents);
    Q_UNUSED(hint);
    if (m_layoutChangeIgnored) {
        m_layoutChangeIgnored = false;
        return;
    }
    rebuild();
    QModelIndexList to;
    to.reserve(m_layoutSourceIndexes.size());
    for (const QPersistentModelIndex &sourceIndex : std::as_const(m_layoutSourceIndexes))
        to.append(mapFromSource(sourceIndex));
    changePersistentIndexList(m_layoutProxyIndexes, to);
    m_layoutProxyIndexes.clear();
    m_layoutSourceIndexes.clear();
    Q_EMIT layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);
}

void RealtimeSortFilterProxyModel::onSourceModelAboutToBeReset()
{
    beginResetModel();
}

void RealtimeSortFilterProxyModel::onSourceModelReset()
{
    rebuild();
    endResetModel();
}

void RealtimeSortFilterProxyModel::onSourceDestroyed()
{
    beginResetModel();
    m_sourceConnections.clear();
    m_proxyToSource.clear();
    m_sourceToProxy.clear();
    m_sortKeys.clear();
    endResetModel();
}

// --- order and filter -------------------------------------------------------------------

int RealtimeSortFilterProxyModel::sourceRowCount() const
{
    const QAbstractItemModel *source = sourceModel();
    return source ? source->rowCount() : 0;
}

bool RealtimeSortFilterProxyModel::acceptsRow(int sourceRow) const
{
    if (m_filterPredicate && !m_filterPredicate(sourceRow, QModelIndex()))
        return false;
    if (m_filterText.isEmpty())
        return true;
    const QAbstractItemModel *source = sourceModel();
    const int columns = source->columnCount();
    const auto matches = [&](int column) {
        return column >= 0 && column < columns
            && source->index(sourceRow, column)
                   .data(Qt::DisplayRole)
                   .toString()
                   .contains(m_filterText, Qt::CaseInsensitive);
    };
    if (!m_filterColumns.isEmpty())
        return std::any_of(m_filterColumns.cbegin(), m_filterColumns.cend(), matches);
    for (int column = 0; column < columns; ++column) {
        if (matches(column))
            return true;
    }
    return false;
}

QVariant RealtimeSortFilterProxyModel::fetchSortKey(int sourceRow) const
{
    const QAbstractItemModel *source = sourceModel();
    if (m_sortColumn < 0 || !source)
        return {};
    return source->index(sourceRow, m_sortColumn).data(m_sortRole);
}

int RealtimeSortFilterProxyModel::compareValues(const QVariant &left, const QVariant &right) const
{
    const Kind lk = kindOf(left);
    const Kind rk = kindOf(right);
    if (lk != rk)
        return lk < rk ? -1 : 1;
    switch (lk) {
    case Kind::Null:
        return 0;
    case Kind::Number:
        return compareNumbers(left, right);
    case Kind::Temporal:
        return compareTemporal(left, right);
    case Kind::String:
        if (left.typeId() == QMetaType::QString && right.typeId() == QMetaType::QString)
            return m_collator.compare(*static_cast<const QString *>(left.constData()),
                                      *static_cast<const QString *>(right.constData()));
        return m_collator.compare(left.toString(), right.toString());
    case Kind::Other:
        break;
    }
    return compareOther(left, right);
}

bool RealtimeSortFilterProxyModel::lessThan(int sourceLeft, int sourceRight) const
{
    if (sourceLeft == sourceRight)
        return false;
    if (m_sortColumn >= 0) {
        const int c
            = compareValues(m_sortKeys[size_t(sourceLeft)], m_sortKeys[size_t(sourceRight)]);
        if (c != 0)
            return m_sortOrder == Qt::AscendingOrder ? c < 0 : c > 0;
    }
    return sourceLeft < sourceRight;
}

// --- the mapping ------------------------------------------------------------------------

void RealtimeSortFilterProxyModel::rebuild()
{
    const int n = sourceRowCount();
    m_sourceToProxy.assign(size_t(n), -1);
    m_proxyToSource.clear();
    refreshSortKeys();
    for (int r = 0; r < n; ++r) {
        if (acceptsRow(r))
            m_proxyToSource.push_back(r);
    }
    if (m_sortColumn >= 0) {
        std::sort(m_proxyToSource.begin(), m_proxyToSource.end(),
                  [this](int a, int b) { return lessThan(a, b); });
    }
    reindex(0, int(m_proxyToSource.size()));
}

void RealtimeSortFilterProxyModel::refreshSortKeys()
{
    const size_t n = m_sourceToProxy.size();
    m_sortKeys.assign(n, QVariant());
    if (m_sortColumn < 0)
        return;
    for (size_t r = 0; r < n; ++r)
        m_sortKeys[r] = fetchSortKey(int(r));
}

void RealtimeSortFilterProxyModel::resortWithLayoutChange()
{
    if (!sourceModel()) {
        refreshSortKeys();
        return;
    }
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList from = persistentIndexList();
    std::vector<int> sourceRows;
    sourceRows.reserve(size_t(from.size()));
    for (const QModelIndex &proxyIndex : from) {
        const int row = proxyIndex.row();
        sourceRows.push_back(
            row >= 0 && size_t(row) < m_proxyToSource.size() ? m_proxyToSource[size_t(row)] : -1);
    }

    refreshSortKeys();
    std::sort(m_proxyToSource.begin(), m_proxyToSource.end(),
              [this](int a, int b) { return lessThan(a, b); });
    reindex(0, int(m_proxyToSource.size()));

    QModelIndexList to;
    to.reserve(from.size());
    for (qsizetype i = 0; i < from.size(); ++i) {
        const int sourceRow = sourceRows[size_t(i)];
        to.append(sourceRow < 0 ? QModelIndex()
                                : index(m_sourceToProxy[size_t(sourceRow)], from.at(i).column()));
    }
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void RealtimeSortFilterProxyModel::applyFilter(FilterScope scope)
{
    std::vector<int> removals;
    std::vector<int> insertions;
    for (int r = 0; size_t(r) < m_sourceToProxy.size(); ++r) {
        const int proxyRow = m_sourceToProxy[size_t(r)];
        if ((proxyRow >= 0 && scope == FilterScope::HiddenRows)
            || (proxyRow < 0 && scope == FilterScope::VisibleRows))
            continue;
        const bool accepted = acceptsRow(r);
        if (proxyRow >= 0 && !accepted)
            removals.push_back(proxyRow);
        else if (proxyRow < 0 && accepted)
            insertions.push_back(r);
    }
    if (removals.empty() && insertions.empty())
        return;

    // Count the signals the fine-grained way takes: contiguous removals, then the gaps
    // between remaining rows that receive insertions.
    std::sort(removals.begin(), removals.end());
    int steps = 0;
    for (size_t i = 0; i < removals.size(); ++i) {
        if (i == 0 || removals[i] != removals[i - 1] + 1)
            ++steps;
    }
    std::sort(insertions.begin(), insertions.end(),
              [this](int a, int b) { return lessThan(a, b); });
    std::vector<char> removed(m_proxyToSource.size(), 0);
    for (int proxyRow : removals)
        removed[size_t(proxyRow)] = 1;
    size_t position = 0;
    int keptBefore = 0;
    int lastGap = -1;
    for (int sourceRow : insertions) {
        while (position < m_proxyToSource.size()
               && (removed[position] || lessThan(m_proxyToSource[position], sourceRow))) {
            if (!removed[position])
                ++keptBefore;
            ++position;
        }
        if (keptBefore != lastGap) {
            ++steps;
            lastGap = keptBefore;
        }
        if (steps > maxFilterSteps())
            break;
    }

    if (steps > maxFilterSteps()) {
        beginResetModel();
        rebuild();
        endResetModel();
        return;
    }
    removeProxyRows(std::move(removals));
    insertSourceRows(std::move(insertions), true);
}

void RealtimeSortFilterProxyModel::forwardDataChanged(const DataChange &change)
{
    std::vector<int> proxyRows;
    for (int r = change.top; r <= change.bottom; ++r) {
        if (change.handled[size_t(r - change.top)])
            continue;
        const int proxyRow = m_sourceToProxy[size_t(r)];
        if (proxyRow >= 0)
            proxyRows.push_back(proxyRow);
    }
    std::sort(proxyRows.begin(), proxyRows.end());
    size_t begin = 0;
    while (begin < proxyRows.size()) {
        size_t end = begin + 1;
        while (end < proxyRows.size() && proxyRows[end] == proxyRows[end - 1] + 1)
            ++end;
        Q_EMIT dataChanged(index(proxyRows[begin], change.left),
                           index(proxyRows[end - 1], change.right), change.roles);
        begin = end;
    }
}

void RealtimeSortFilterProxyModel::reindex(int from, int to)
{
    for (int p = from; p < to; ++p)
        m_sourceToProxy[size_t(m_proxyToSource[size_t(p)])] = p;
}

void RealtimeSortFilterProxyModel::removeProxyRows(std::vector<int> proxyRows)
{
    std::sort(proxyRows.begin(), proxyRows.end());
    // Bottom up, so that the rows above keep their numbers.
    size_t end = proxyRows.size();
    while (end > 0) {
        size_t begin = end - 1;
        while (begin > 0 && proxyRows[begin - 1] == proxyRows[begin] - 1)
            --begin;
        const int first = proxyRows[begin];
        const int last = proxyRows[end - 1];
        beginRemoveRows({}, first, last);
        for (int p = first; p <= last; ++p)
            m_sourceToProxy[size_t(m_proxyToSource[size_t(p)])] = -1;
        m_proxyToSource.erase(m_proxyToSource.begin() + first, m_proxyToSource.begin() + last + 1);
        reindex(first, int(m_proxyToSource.size()));
        endRemoveRows();
        end = begin;
    }
}

void RealtimeSortFilterProxyModel::insertSourceRows(std::vector<int> sourceRows, bool sorted)
{
    if (!sorted) {
        std::sort(sourceRows.begin(), sourceRows.end(),
                  [this](int a, int b) { return lessThan(a, b); });
    }
    size_t i = 0;
    int low = 0;
    while (i < sourceRows.size()) {
        const int size = int(m_proxyToSource.size());
        int a = low;
        int b = size;
        while (a < b) {
            const int mid = a + (b - a) / 2;
            if (lessThan(sourceRows[i], m_proxyToSource[size_t(mid)]))
                b = mid;
            else
                a = mid + 1;
        }
        const int position = a;
        // The following new rows that land before the same existing row.
        size_t j = i + 1;
        while (j < sourceRows.size()
               && (position == size || lessThan(sourceRows[j], m_proxyToSource[size_t(position)])))
            ++j;
        const int count = int(j - i);
        beginInsertRows({}, position, position + count - 1);
        m_proxyToSource.insert(m_proxyToSource.begin() + position,
                               sourceRows.begin() + qsizetype(i),
                               sourceRows.begin() + qsizetype(j));
        reindex(position, int(m_proxyToSource.size()));
        endInsertRows();
        low = position + count;
        i = j;
    }
}

void RealtimeSortFilterProxyModel::moveProxyRow(int from, int destinationChild)
{
    if (!beginMoveRows({}, from, from, {}, destinationChild))
        return;
    const auto rows = m_proxyToSource.begin();
    if (destinationChild > from) {
        std::rotate(rows + from, rows + from + 1, rows + destinationChild);
        reindex(from, destinationChild);
    } else {
        std::rotate(rows + destinationChild, rows + from, rows + from + 1);
        reindex(destinationChild, from + 1);
    }
    endMoveRows();
}

void RealtimeSortFilterProxyModel::moveAfterChange(int from, int destinationChild,
                                                   DataChange *change)
{
    const int sourceRow = m_proxyToSource[size_t(from)];
    moveProxyRow(from, destinationChild);
    if (!change || sourceRow < change->top || sourceRow > change->bottom)
        return;
    change->handled[size_t(sourceRow - change->top)] = 1;
    const int row = m_sourceToProxy[size_t(sourceRow)];
    Q_EMIT dataChanged(index(row, change->left), index(row, change->right), change->roles);
}

void RealtimeSortFilterProxyModel::reposition(const std::vector<int> &pendingSourceRows,
                                              DataChange *change)
{
    if (pendingSourceRows.empty())
        return;

    if (pendingSourceRows.size() <= kBinarySearchLimit) {
        // The rows not pending are in order among themselves. Each pending row looks for
        // its place among them, skipping the other pending rows, and moves only if it is
        // not already between the right neighbours.
        std::vector<int> open = pendingSourceRows;
        const auto isOpen = [&open](int sourceRow) {
            return std::find(open.cbegin(), open.cend(), sourceRow) != open.cend();
        };
        for (int sourceRow : pendingSourceRows) {
            int low = 0;
            int high = int(m_proxyToSource.size());
            while (low < high) {
                const int mid = low + (high - low) / 2;
                int settled = mid;
                while (settled < high && isOpen(m_proxyToSource[size_t(settled)]))
                    ++settled;
                if (settled == high) {
                    settled = mid - 1;
                    while (settled >= low && isOpen(m_proxyToSource[size_t(settled)]))
                        --settled;
                    if (settled < low)
                        break; // [low, high) holds pending rows only: any place in it fits
                }
                if (lessThan(sourceRow, m_proxyToSource[size_t(settled)]))
                    high = settled;
                else
                    low = settled + 1;
            }
            open.erase(std::find(open.begin(), open.end(), sourceRow));
            const int current = m_sourceToProxy[size_t(sourceRow)];
            if (current < low)
                moveAfterChange(current, low, change);
            else if (current >= high)
                moveAfterChange(current, high, change);
        }
        return;
    }

    // Many rows: the rows on a longest increasing subsequence of the target order stay, every
    // other row moves once, in target order, right behind its predecessor.
    const size_t n = m_proxyToSource.size();
    std::vector<int> target = m_proxyToSource;
    std::sort(target.begin(), target.end(), [this](int a, int b) { return lessThan(a, b); });
    std::vector<int> rank(m_sourceToProxy.size(), -1);
    for (size_t t = 0; t < n; ++t)
        rank[size_t(target[t])] = int(t);

    std::vector<int> tails; // proxy positions ending the increasing runs, by length
    std::vector<int> previous(n, -1);
    const auto rankAt = [&](int position) {
        return rank[size_t(m_proxyToSource[size_t(position)])];
    };
    for (size_t p = 0; p < n; ++p) {
        const int value = rankAt(int(p));
        const auto it
            = std::lower_bound(tails.begin(), tails.end(), value,
                               [&](int position, int wanted) { return rankAt(position) < wanted; });
        if (it != tails.begin())
            previous[p] = *(it - 1);
        if (it == tails.end())
            tails.push_back(int(p));
        else
            *it = int(p);
    }
    std::vector<char> keep(m_sourceToProxy.size(), 0);
    for (int p = tails.empty() ? -1 : tails.back(); p >= 0; p = previous[size_t(p)])
        keep[size_t(m_proxyToSource[size_t(p)])] = 1;

    for (size_t t = 0; t < n; ++t) {
        const int sourceRow = target[t];
        if (keep[size_t(sourceRow)])
            continue;
        const int destination = t == 0 ? 0 : m_sourceToProxy[size_t(target[t - 1])] + 1;
        const int current = m_sourceToProxy[size_t(sourceRow)];
        if (destination != current && destination != current + 1)
            moveAfterChange(current, destination, change);
    }
}

} // namespace livedesk
