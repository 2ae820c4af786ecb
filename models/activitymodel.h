// SPDX-License-Identifier: MIT
#pragma once

#include "realtimeevent.h"

#include <QtCore/QAbstractTableModel>

#include <deque>

namespace livedesk {

class RealtimeChannel;

/**
 * The most recent change events, newest first: the data behind an activity panel.
 *
 * Bounded (capacity() rows), so a long-running workstation does not grow without limit.
 * Each event is one insert at row 0 and, once full, one removal at the end: the view keeps
 * its selection and scroll position, and no reset is ever emitted for new events.
 */
class ActivityModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Feature, Entity, Action, Ids, User, Priority, ColumnCount };
    enum Role {
        EventNameRole = Qt::UserRole + 1, ///< raw event name
        PriorityRole, ///< RealtimeEvent::Priority as int
        EventJsonRole, ///< the event as JSON text (RealtimeEvent::toJson)
    };

    explicit ActivityModel(QObject *parent = nullptr);

    /// Shows every event @p channel delivers from now on.
    void bind(RealtimeChannel *channel);
    void addEvent(const RealtimeEvent &event);
    void clear();

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    const RealtimeEvent &eventAt(int row) const { return m_events.at(size_t(row)).event; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void trimTo(int rows);

    struct Entry
    {
        RealtimeEvent event;
        /// Shown when the server sent no timestamp.
        QDateTime receivedAt;
    };
    std::deque<Entry> m_events;
    int m_capacity = 1000;
};

} // namespace livedesk
