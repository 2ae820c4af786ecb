// SPDX-License-Identifier: MIT
#include "activitymodel.h"

#include "events/eventnaming.h"
#include "events/realtimechannel.h"
#include "realtimetablemodel.h"

#include <QtCore/QJsonDocument>
#include <QtGui/QBrush>
#include <QtGui/QColor>

using namespace Qt::StringLiterals;

namespace livedesk {

ActivityModel::ActivityModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_expiry.setInterval(5000);
    connect(&m_expiry, &QTimer::timeout, this, &ActivityModel::dropExpired);
}

void ActivityModel::bind(RealtimeChannel *channel)
{
    connect(channel, &RealtimeChannel::eventReceived, this, &ActivityModel::addEvent);
}

void ActivityModel::addEvent(const RealtimeEvent &event)
{
    QJsonObject before;
    if (m_lookup && event.ids.size() == 1 && !event.action.startsWith(u"bulk_")
        && !event.action.startsWith(u"import") && !event.action.startsWith(u"operation"))
        before = m_lookup(event.feature, event.ids.constFirst());
    append({event, QDateTime::currentDateTimeUtc(), {}, before});
}

void ActivityModel::setResourceColumns(const QString &feature,
                                       const QList<ResourceSchema::Column> &columns)
{
    m_columns.insert(feature, columns);
}

void ActivityModel::addNotice(const QString &text, RealtimeEvent::Priority priority)
{
    RealtimeEvent event;
    event.action = u"notice"_s;
    event.priority = priority;
    append({event, QDateTime::currentDateTimeUtc(), text, {}});
}

void ActivityModel::addUnclaimed(const QString &eventName)
{
    if (m_unclaimedNames.contains(eventName))
        return;
    m_unclaimedNames.insert(eventName);
    RealtimeEvent event;
    event.name = eventName;
    event.action = u"unclaimed"_s;
    event.priority = RealtimeEvent::Priority::High;
    append({event,
            QDateTime::currentDateTimeUtc(),
            tr("The server announced %1, but no list took it: a list may be named otherwise "
               "than the server names it, and miss changes.")
                .arg(eventName),
            {}});
}

void ActivityModel::append(Entry entry)
{
    beginInsertRows({}, 0, 0);
    m_events.push_front(std::move(entry));
    endInsertRows();
    trimTo(m_capacity);
    dropExpired();
}

void ActivityModel::setResourceLabel(const QString &feature, const QString &entity,
                                     const QString &label, const QString &displayField)
{
    m_labels.removeIf([&](const Label &l) { return l.feature == feature && l.entity == entity; });
    m_labels.append({feature, entity, label, displayField});
    if (!m_events.empty())
        Q_EMIT dataChanged(index(0, Summary), index(rowCount() - 1, Summary));
}

void ActivityModel::setUserNames(const QHash<QString, QString> &names)
{
    m_userNames = names;
    if (!m_events.empty())
        Q_EMIT dataChanged(index(0, User), index(rowCount() - 1, Summary));
}

void ActivityModel::setMaxAge(int seconds)
{
    m_maxAgeSeconds = std::max(0, seconds);
    if (m_maxAgeSeconds > 0)
        m_expiry.start();
    else
        m_expiry.stop();
    dropExpired();
}

void ActivityModel::dropExpired()
{
    if (m_maxAgeSeconds <= 0 || m_events.empty())
        return;
    const QDateTime limit = QDateTime::currentDateTimeUtc().addSecs(-m_maxAgeSeconds);
    // Newest first: the expired ones are a tail. Arrival time, not the server's clock.
    int keep = int(m_events.size());
    while (keep > 0 && m_events[size_t(keep - 1)].receivedAt < limit)
        --keep;
    trimTo(keep);
}

const ActivityModel::Label *ActivityModel::labelFor(const RealtimeEvent &event) const
{
    const Label *featureOnly = nullptr;
    for (const Label &l : m_labels) {
        if (!EventNaming::sameName(l.feature, event.feature))
            continue;
        if (!l.entity.isEmpty() && EventNaming::sameEntity(l.entity, event.entity))
            return &l;
        if (l.entity.isEmpty() && !featureOnly)
            featureOnly = &l;
    }
    return featureOnly;
}

QString ActivityModel::recordText(const RealtimeEvent &event, const Label *label,
                                  const QJsonObject &before) const
{
    if (event.ids.isEmpty())
        return event.operationId;
    QString text = event.ids.mid(0, 3).join(u", "_s);
    if (event.ids.size() > 3)
        text += u"…"_s;
    if (event.ids.size() == 1 && label && !label->displayField.isEmpty()) {
        // A deleted record's event often carries its id alone: the name it had, then.
        QString shown = event.data().toObject().value(label->displayField).toVariant().toString();
        if (shown.isEmpty())
            shown = before.value(label->displayField).toVariant().toString();
        if (!shown.isEmpty())
            text = tr("%1 (%2)", "record id (what the record is called)").arg(text, shown);
    }
    return text;
}

QString ActivityModel::changesText(const RealtimeEvent &event, const QJsonObject &before) const
{
    const auto columns = m_columns.constFind(event.feature);
    if (before.isEmpty() || columns == m_columns.cend())
        return {};
    const QJsonObject after = event.data().toObject();
    const auto shown = [](const ResourceSchema::Column &c, const QJsonValue &v) {
        const QString text = RealtimeTableModel::displayText(c, v);
        return text.isEmpty() ? tr("(empty)") : text;
    };
    QStringList changes;
    int more = 0;
    for (const ResourceSchema::Column &c : *columns) {
        // Timestamps and versions change with every write: not news.
        if (c.system || !after.contains(c.name) || !before.contains(c.name))
            continue;
        const QJsonValue was = before.value(c.name);
        const QJsonValue now = after.value(c.name);
        if (shown(c, was) == shown(c, now))
            continue;
        if (changes.size() == 3) {
            ++more;
            continue;
        }
        changes.append(
            tr("%1: %2 → %3", "field: old value → new value")
                .arg(c.label.isEmpty() ? c.name : c.label, shown(c, was), shown(c, now)));
    }
    QString text = changes.join(u"; "_s);
    if (more > 0)
        text = tr("%1 and %n more field(s)", nullptr, more).arg(text);
    return text;
}

QString ActivityModel::summary(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    const Entry &entry = m_events.at(size_t(row));
    if (!entry.notice.isEmpty())
        return entry.notice;
    const RealtimeEvent &e = entry.event;
    const Label *label = labelFor(e);
    const QString list = label ? label->label : (e.entity.isEmpty() ? e.feature : e.entity);
    const QString record = recordText(e, label, entry.before);
    const QString by = m_userNames.value(e.userId, e.userId);
    QString action = e.action;
    QString what = record;
    if (action.startsWith(u"bulk_")) {
        action = action.mid(5);
        const qsizetype n = e.ids.size();
        what = tr("%n record(s)", nullptr, int(n));
    }
    // Whole sentences per case, so that a translation can order them as its language wants.
    if (action == u"created")
        return by.isEmpty() ? tr("%1: %2 added").arg(list, what)
                            : tr("%1: %2 added by %3").arg(list, what, by);
    if (action == u"updated") {
        const QString changes = what == record ? changesText(e, entry.before) : QString();
        if (!changes.isEmpty())
            return by.isEmpty() ? tr("%1: %2 changed: %3").arg(list, what, changes)
                                : tr("%1: %2 changed by %3: %4").arg(list, what, by, changes);
        return by.isEmpty() ? tr("%1: %2 changed").arg(list, what)
                            : tr("%1: %2 changed by %3").arg(list, what, by);
    }
    if (action == u"deleted")
        return by.isEmpty() ? tr("%1: %2 deleted").arg(list, what)
                            : tr("%1: %2 deleted by %3").arg(list, what, by);
    if (e.action == u"import_progress")
        return tr("%1: import in progress").arg(list);
    if (e.action == u"import_completed")
        return tr("%1: import finished").arg(list);
    if (e.action == u"operation_progress")
        return tr("%1: operation in progress").arg(list);
    if (e.action == u"operation_completed")
        return tr("%1: operation finished").arg(list);
    if (e.action == u"operation_failed")
        return tr("%1: operation failed").arg(list);
    // A server's own word (activated, status_changed, ...): shown as it came.
    QString word = e.action;
    word.replace(u'_', u' ');
    return record.isEmpty() ? tr("%1: %2").arg(list, word)
                            : tr("%1: %2 %3").arg(list, record, word);
}

void ActivityModel::clear()
{
    trimTo(0);
    m_unclaimedNames.clear();
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
            return m_userNames.value(e.userId, e.userId);
        case Priority:
            return RealtimeEvent::priorityName(e.priority);
        case Summary:
            return summary(index.row());
        }
        return {};
    case Qt::ToolTipRole:
        return entry.notice.isEmpty() ? e.name : entry.notice;
    case Qt::ForegroundRole:
        if ((index.column() == Priority || index.column() == Summary)
            && e.priority >= RealtimeEvent::Priority::High)
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
    case Summary:
        return tr("What happened");
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
