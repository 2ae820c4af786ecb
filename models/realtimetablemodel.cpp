// SPDX-License-Identifier: MIT
#include "realtimetablemodel.h"

#include <QtCore/QJsonObject>
#include <QtCore/QLocale>
#include <QtGui/QBrush>
#include <QtGui/QColor>
#include <QtGui/QFont>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

using RowState = RealtimeStateManager::RowState;

bool isNumeric(const ResourceSchema::Column &column)
{
    return column.type == u"integer" || column.type == u"number";
}

QString fourDigitYears(QString format)
{
    if (!format.contains("yyyy"_L1))
        format.replace("yy"_L1, "yyyy"_L1);
    return format;
}

const QList<int> &valueRoles()
{
    static const QList<int> roles{Qt::DisplayRole, Qt::EditRole, RealtimeTableModel::SortRole,
                                  RealtimeTableModel::RecordRole};
    return roles;
}

const QList<int> &stateRoles()
{
    static const QList<int> roles{RealtimeTableModel::RowStateRole,
                                  RealtimeTableModel::RowReasonRole,
                                  Qt::ToolTipRole,
                                  Qt::FontRole,
                                  Qt::ForegroundRole,
                                  Qt::BackgroundRole};
    return roles;
}

} // namespace

RealtimeTableModel::RealtimeTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

RealtimeTableModel::RealtimeTableModel(RealtimeStateManager *manager, QObject *parent)
    : QAbstractTableModel(parent)
{
    setManager(manager);
}

void RealtimeTableModel::setManager(RealtimeStateManager *manager)
{
    beginResetModel();
    if (m_manager)
        disconnect(m_manager, nullptr, this, nullptr);
    m_manager = manager;
    m_changes.clear();
    m_structural = 0;
    m_columns.clear();
    m_columnOf.clear();
    if (m_manager) {
        m_columns = m_manager->schema().columns;
        for (int c = 0; c < m_columns.size(); ++c)
            m_columnOf.insert(m_columns[c].name, c);
        connectManager();
    }
    endResetModel();
}

void RealtimeTableModel::connectManager()
{
    using M = RealtimeStateManager;
    M *m = m_manager;
    // Every structural signal first delivers the dataChanged held for rows as they were.
    connect(m, &M::rowsAboutToBeInserted, this, [this](int first, int last) {
        flushChanges();
        ++m_structural;
        beginInsertRows({}, first, last);
    });
    connect(m, &M::rowsInserted, this, [this] {
        endInsertRows();
        --m_structural;
    });
    connect(m, &M::rowsAboutToBeRemoved, this, [this](int first, int last) {
        flushChanges();
        ++m_structural;
        beginRemoveRows({}, first, last);
    });
    connect(m, &M::rowsRemoved, this, [this] {
        endRemoveRows();
        --m_structural;
    });
    connect(m, &M::rowsAboutToBeMoved, this, [this](int first, int last, int destination) {
        flushChanges();
        ++m_structural;
        beginMoveRows({}, first, last, {}, destination);
    });
    connect(m, &M::rowsMoved, this, [this] {
        endMoveRows();
        --m_structural;
    });
    connect(m, &M::eventApplied, this, &RealtimeTableModel::onEventApplied);
    connect(m, &M::aboutToReset, this, [this] {
        m_changes.clear();
        ++m_structural;
        beginResetModel();
    });
    connect(m, &M::resetDone, this, [this] {
        endResetModel();
        --m_structural;
    });
    connect(m, &M::rowsChanged, this, &RealtimeTableModel::onRowsChanged);
    connect(m, &QObject::destroyed, this, [this] { setManager(nullptr); });
}

void RealtimeTableModel::onRowsChanged(int first, int last, const QStringList &fields,
                                       bool stateChanged)
{
    if (stateChanged)
        queueChange({first, last, 0, int(m_columns.size()) - 1, true});
    int low = int(m_columns.size());
    int high = -1;
    for (const QString &field : fields) {
        const int c = m_columnOf.value(field, -1);
        if (c >= 0) {
            low = std::min(low, c);
            high = std::max(high, c);
        }
    }
    if (high >= 0)
        queueChange({first, last, low, high, false});
}

void RealtimeTableModel::onEventApplied()
{
    // The turn's first event is told at once (a lone update reaches the view inside its
    // frame's delivery); the rest of the turn's changes are held and merged, and told at its
    // end (a burst costs a few signals). Never between a begin and an end of a structural
    // change (a slot of one may have spun the event loop into here).
    if (m_toldEarly || m_structural > 0 || m_changes.isEmpty())
        return;
    m_toldEarly = true;
    flushChanges();
}

void RealtimeTableModel::queueChange(const Change &change)
{
    if (m_columns.isEmpty())
        return;
    // Merge with a recent held change that covers neighbouring rows the same way (values and
    // states of one burst interleave, hence a few to look at).
    for (qsizetype i = m_changes.size() - 1; i >= 0 && i >= m_changes.size() - 4; --i) {
        Change &previous = m_changes[i];
        if (previous.state == change.state && previous.firstColumn == change.firstColumn
            && previous.lastColumn == change.lastColumn && change.first <= previous.last + 1
            && change.last >= previous.first - 1) {
            previous.first = std::min(previous.first, change.first);
            previous.last = std::max(previous.last, change.last);
            return;
        }
    }
    m_changes.append(change);
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_flushScheduled = false;
                m_toldEarly = false;
                flushChanges();
            },
            Qt::QueuedConnection);
    }
}

void RealtimeTableModel::flushChanges()
{
    const QList<Change> changes = std::exchange(m_changes, {});
    for (const Change &c : changes) {
        ++m_dataChangedEmitted;
        Q_EMIT dataChanged(index(c.first, c.firstColumn), index(c.last, c.lastColumn),
                           c.state ? stateRoles() : valueRoles());
    }
}

QString RealtimeTableModel::fieldAt(int column) const
{
    return column >= 0 && column < m_columns.size() ? m_columns[column].name : QString();
}

int RealtimeTableModel::columnOf(QStringView field) const
{
    return m_columnOf.value(field.toString(), -1);
}

int RealtimeTableModel::rowOf(const QString &id) const
{
    return m_manager ? m_manager->rowOf(id) : -1;
}

int RealtimeTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_manager ? 0 : m_manager->rowCount();
}

int RealtimeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant RealtimeTableModel::typedValue(const ResourceSchema::Column &column,
                                        const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return {};
    if (column.type == u"integer")
        return value.isDouble() ? QVariant(value.toInteger()) : value.toVariant();
    if (column.type == u"number")
        return value.isDouble() ? QVariant(value.toDouble()) : value.toVariant();
    if (column.type == u"boolean")
        return value.isBool() ? QVariant(value.toBool()) : value.toVariant();
    if (column.type == u"date") {
        const QDate date = QDate::fromString(value.toString().left(10), Qt::ISODate);
        return date.isValid() ? QVariant(date) : value.toVariant();
    }
    if (column.type == u"datetime") {
        const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        return time.isValid() ? QVariant(time) : value.toVariant();
    }
    return value.isString() ? QVariant(value.toString()) : value.toVariant();
}

QString RealtimeTableModel::displayText(const ResourceSchema::Column &column,
                                        const QJsonValue &value)
{
    const QVariant typed = typedValue(column, value);
    const QLocale locale;
    switch (typed.typeId()) {
    case QMetaType::UnknownType:
        return {};
    case QMetaType::Bool:
        return typed.toBool() ? tr("Yes") : tr("No");
    case QMetaType::LongLong:
        return locale.toString(typed.toLongLong());
    case QMetaType::Double:
        return locale.toString(typed.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QMetaType::QDate:
        return locale.toString(typed.toDate(),
                               fourDigitYears(locale.dateFormat(QLocale::ShortFormat)));
    case QMetaType::QDateTime:
        return locale.toString(typed.toDateTime().toLocalTime(),
                               fourDigitYears(locale.dateTimeFormat(QLocale::ShortFormat)));
    default:
        return typed.toString();
    }
}

bool RealtimeTableModel::isAuthorColumn(QStringView name)
{
    return name == u"created_by" || name == u"updated_by";
}

void RealtimeTableModel::setUserNames(const QHash<QString, QString> &names)
{
    m_userNames = names;
    if (rowCount() == 0)
        return;
    for (int c = 0; c < m_columns.size(); ++c) {
        if (m_columns[c].system && isAuthorColumn(m_columns[c].name))
            Q_EMIT dataChanged(index(0, c), index(rowCount() - 1, c), {Qt::DisplayRole});
    }
}

QVariant RealtimeTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid) || !m_manager)
        return {};
    const int row = index.row();
    const ResourceSchema::Column &column = m_columns[index.column()];
    switch (role) {
    case Qt::DisplayRole: {
        const QString text = displayText(column, m_manager->value(row, column.name));
        if (column.system && !m_userNames.isEmpty() && isAuthorColumn(column.name))
            return m_userNames.value(text, text);
        return text;
    }
    case Qt::EditRole:
    case SortRole:
        return typedValue(column, m_manager->value(row, column.name));
    case Qt::TextAlignmentRole:
        return isNumeric(column) ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                 : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case RecordIdRole:
        return m_manager->idAt(row);
    case VersionRole: {
        const QString &field = m_manager->schema().versionField;
        const QJsonValue v = field.isEmpty() ? QJsonValue() : m_manager->value(row, field);
        return v.isDouble() ? QVariant(v.toInteger()) : QVariant();
    }
    case RowStateRole:
        return int(m_manager->rowState(row));
    case RowReasonRole:
    case Qt::ToolTipRole: {
        const QString reason = m_manager->rowReason(row);
        return reason.isEmpty() ? QVariant() : QVariant(reason);
    }
    case RecordRole:
        return m_manager->record(row);
    case Qt::FontRole:
        if (m_manager->rowState(row) == RowState::Pending) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        switch (m_manager->rowState(row)) {
        case RowState::Stale:
        case RowState::Pending:
            return QBrush(QColor(0x70, 0x70, 0x70));
        default:
            return {};
        }
    case Qt::BackgroundRole:
        switch (m_manager->rowState(row)) {
        case RowState::Conflict:
            return QBrush(QColor(0xfd, 0xe2, 0xe1));
        case RowState::Failed:
            return QBrush(QColor(0xfd, 0xef, 0xd8));
        case RowState::Locked:
            return QBrush(QColor(0xea, 0xec, 0xf0));
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant RealtimeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    const ResourceSchema::Column &column = m_columns[section];
    switch (role) {
    case Qt::DisplayRole:
        return column.label.isEmpty() ? column.name : column.label;
    case Qt::TextAlignmentRole:
        return isNumeric(column) ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                 : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        return column.required ? tr("%1 (required)").arg(column.label) : column.label;
    default:
        return {};
    }
}

Qt::ItemFlags RealtimeTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid) || !m_manager)
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    const ResourceSchema::Column &column = m_columns[index.column()];
    const RowState state = m_manager->rowState(index.row());
    const bool writable
        = m_manager->mode() == RealtimeStateManager::Mode::Live || m_manager->staleSince().isNull();
    if (column.editable && !column.system && writable && state != RowState::Conflict
        && state != RowState::Locked)
        f |= Qt::ItemIsEditable;
    return f;
}

QJsonValue RealtimeTableModel::toJson(const QString &field, const QVariant &value) const
{
    const int c = m_columnOf.value(field, -1);
    if (c < 0)
        return QJsonValue::Undefined;
    const ResourceSchema::Column &column = m_columns[c];
    if (!value.isValid() || value.isNull())
        return QJsonValue::Null;
    if (column.type == u"integer") {
        bool ok = false;
        const qlonglong n = value.toLongLong(&ok);
        return ok ? QJsonValue(n) : QJsonValue(QJsonValue::Undefined);
    }
    if (column.type == u"number") {
        bool ok = false;
        const double n = value.toDouble(&ok);
        return ok ? QJsonValue(n) : QJsonValue(QJsonValue::Undefined);
    }
    if (column.type == u"boolean")
        return value.toBool();
    if (column.type == u"date") {
        const QDate date = value.typeId() == QMetaType::QDate
            ? value.toDate()
            : QDate::fromString(value.toString(), Qt::ISODate);
        return date.isValid() ? QJsonValue(date.toString(Qt::ISODate))
                              : QJsonValue(QJsonValue::Undefined);
    }
    if (column.type == u"datetime") {
        const QDateTime time = value.typeId() == QMetaType::QDateTime
            ? value.toDateTime()
            : QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs))
                              : QJsonValue(QJsonValue::Undefined);
    }
    if (column.type == u"enum" && !column.enumValues.isEmpty()
        && !column.enumValues.contains(value.toString()))
        return QJsonValue::Undefined;
    return value.toString();
}

bool RealtimeTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const QString field = m_columns[index.column()].name;
    const QJsonValue json = toJson(field, value);
    if (json.isUndefined())
        return false;
    if (m_manager->value(index.row(), field) == json)
        return true;
    // The manager decides what shows: a pending edit (live) or nothing until confirmed (HIS).
    m_manager->updateRecord(m_manager->idAt(index.row()), {{field, json}});
    return true;
}

void RealtimeTableModel::sort(int column, Qt::SortOrder order)
{
    if (!m_manager || column < 0 || column >= m_columns.size())
        return;
    RestQuery query = m_manager->query();
    query.sort = {{m_columns[column].name, order}};
    if (query.sort == m_manager->query().sort)
        return;
    m_manager->setQuery(query);
}

bool RealtimeTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_manager && m_manager->canFetchMore() && !m_manager->isLoading();
}

void RealtimeTableModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        m_manager->fetchMore();
}

QHash<int, QByteArray> RealtimeTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(RecordIdRole, "recordId");
    names.insert(VersionRole, "version");
    names.insert(RowStateRole, "rowState");
    names.insert(RowReasonRole, "rowReason");
    names.insert(SortRole, "sortValue");
    names.insert(RecordRole, "record");
    return names;
}

} // namespace livedesk
