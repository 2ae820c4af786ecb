// SPDX-License-Identifier: MIT
#include "activitymodel.h"

#include "realtimechannel.h"

#include <QtCore/QJsonDocument>
#include <QtGui/QBrush>
#include <QtGui/QColor>

using namespace Qt::StringLiterals;

namespace livedesk {

ActivityModel::ActivityModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ActivityModel::bind(RealtimeChannel *channel)
{
    connect(channel, &RealtimeChannel::eventReceived, this, &ActivityModel::addEvent);
}

void ActivityModel::addEvent(const RealtimeEvent &event)
{
    beginInsertRows({}, 0, 0);
    m_events.push_front({event, QDateTime::currentDateTime()});
    endInsertRows();
    trimTo(m_capacity);
}

void ActivityModel::clear()
{
    trimTo(0);
}

void ActivityModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    trimTo(m_capacity);
}

void ActivityModel::trimTo(int rows)
{
    const int count = int(m_events.size());
    if (count <= rows)
        return;
    beginRemoveRows({}, rows, count - 1);
    m_events.erase(m_events.begin() + rows, m_events.end());
    endRemoveRows();
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_events.at(size_t(index.row()));
    const RealtimeEvent &e = entry.event;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return (e.timestamp.isValid() ? e.timestamp : entry.receivedAt)
                .toLocalTime()
                .toString(u"HH:mm:ss"_s);
        case Feature:
            return e.feature;
        case Entity:
            return e.entity;
        case Action:
            return e.action;
        case Ids:
            return e.ids.isEmpty() ? e.operationId : e.ids.join(u", "_s);
        case User:
            return e.userId;
        case Priority:
            return RealtimeEvent::priorityName(e.priority);
        }
        return {};
    case Qt::ToolTipRole:
        return e.name;
    case Qt::ForegroundRole:
        if (index.column() == Priority && e.priority >= RealtimeEvent::Priority::High)
            return QBrush(QColor(0xb0, 0x20, 0x20));
        return {};
    case EventNameRole:
        return e.name;
    case PriorityRole:
        return int(e.priority);
    case EventJsonRole:
        return QString::fromUtf8(QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact));
    }
    return {};
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Feature:
        return tr("Feature");
    case Entity:
        return tr("Entity");
    case Action:
        return tr("Action");
    case Ids:
        return tr("Records");
    case User:
        return tr("User");
    case Priority:
        return tr("Priority");
    }
    return {};
}

QHash<int, QByteArray> ActivityModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names.insert(EventNameRole, "eventName");
    names.insert(PriorityRole, "priority");
    names.insert(EventJsonRole, "eventJson");
    return names;
}

} // namespace livedesk
