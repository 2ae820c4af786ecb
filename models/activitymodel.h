// SPDX-License-Identifier: MIT
#pragma once

#include "events/realtimeevent.h"
#include "state/resourceschema.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtCore/QTimer>

#include <deque>
#include <functional>

namespace livedesk {

class RealtimeChannel;

/**
 * The most recent change events, newest first: the data behind an activity panel.
 *
 * Bounded (capacity() rows), so a long-running workstation does not grow without limit.
 * Each event is one insert at row 0 and, once full, one removal at the end: the view keeps
 * its selection and scroll position, and no reset is ever emitted for new events.
 *
 * Two audiences read it. A developer's monitor shows the raw columns (feature, entity,
 * action, ids). A workstation's activity panel shows Time and Summary: one sentence a nurse
 * understands ("Patients: 12 (Somchai P.) changed by Dr. Somchai: Ward: ICU → Surgery"),
 * built from the labels given with setResourceLabel(), and notices of its own (addNotice(): a
 * refused write, a finished import) so that a toast that went by can be read again.
 * setMaxAge() keeps only the last minutes.
 *
 * Which fields a change changed, and what a deleted record was called, need the record as it
 * was before: an event carries only the new state (or only the id of a deleted record). With
 * setRecordLookup() the model reads the record as the lists hold it when the event arrives,
 * which is before any list has applied it (the state managers apply events on a later turn
 * of the event loop).
 */
class ActivityModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Feature, Entity, Action, Ids, User, Priority, Summary, ColumnCount };
    enum Role {
        EventNameRole = Qt::UserRole + 1, ///< raw event name
        PriorityRole, ///< RealtimeEvent::Priority as int
        EventJsonRole, ///< the event as JSON text (RealtimeEvent::toJson)
    };

    explicit ActivityModel(QObject *parent = nullptr);

    /// Shows every event @p channel delivers from now on.
    void bind(RealtimeChannel *channel);
    void addEvent(const RealtimeEvent &event);
    /// A line of the application's own (not an event of the server), shown in Summary.
    void addNotice(const QString &text,
                   RealtimeEvent::Priority priority = RealtimeEvent::Priority::Normal);
    /**
     * A line saying that the event @p eventName arrived on a subscribed feature and no list
     * took it (RealtimeChannel::unclaimedEvent(); the workstation's panel connects it, bind()
     * does not: a channel without lists, as in the monitor, takes no event at all). A
     * resource named otherwise than the server names it would else miss every change without
     * a word. One line per event name (until clear()), not one per event.
     */
    void addUnclaimed(const QString &eventName);
    void clear();

    /**
     * How Summary names records of @p feature / @p entity (an empty @p entity: any entity
     * of the feature): @p label ("Patients") and the record field that tells a person which
     * record it is (@p displayField, e.g. "name"; empty: the id alone).
     */
    void setResourceLabel(const QString &feature, const QString &entity, const QString &label,
                          const QString &displayField = {});
    /// The columns of @p feature's records, so that Summary can say which fields a change
    /// changed ("Ward: ICU → Surgery"), by their labels, values as the lists show them.
    void setResourceColumns(const QString &feature, const QList<ResourceSchema::Column> &columns);
    /// Finds a record of a feature by id as it is held now (empty when unknown); see above.
    using RecordLookup = std::function<QJsonObject(const QString &feature, const QString &id)>;
    void setRecordLookup(RecordLookup lookup) { m_lookup = std::move(lookup); }
    /// Names for user ids ("u-doctor" → "Dr. Somchai"), shown in Summary and User; an id
    /// without a name is shown as it is.
    void setUserNames(const QHash<QString, QString> &names);
    /// Entries older than @p seconds are dropped (checked every few seconds); 0 keeps all.
    void setMaxAge(int seconds);
    int maxAge() const { return m_maxAgeSeconds; }
    /// The Summary sentence of row @p row.
    QString summary(int row) const;

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
    struct Entry
    {
        RealtimeEvent event;
        /// Shown when the server sent no timestamp.
        QDateTime receivedAt;
        /// A notice's text (empty for server events).
        QString notice;
        /// The record before the event changed it (see setRecordLookup()); empty if unknown.
        QJsonObject before;
    };
    struct Label
    {
        QString feature;
        QString entity;
        QString label;
        QString displayField;
    };

    void append(Entry entry);
    void trimTo(int rows);
    void dropExpired();
    const Label *labelFor(const RealtimeEvent &event) const;
    QString recordText(const RealtimeEvent &event, const Label *label,
                       const QJsonObject &before) const;
    // "Ward: ICU → Surgery; Status: admitted → discharged" (empty when unknown or none).
    QString changesText(const RealtimeEvent &event, const QJsonObject &before) const;

    std::deque<Entry> m_events;
    int m_capacity = 1000;
    int m_maxAgeSeconds = 0;
    QList<Label> m_labels;
    QHash<QString, QString> m_userNames;
    QSet<QString> m_unclaimedNames;
    QHash<QString, QList<ResourceSchema::Column>> m_columns;
    RecordLookup m_lookup;
    QTimer m_expiry;
};

} // namespace livedesk
