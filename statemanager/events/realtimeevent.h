// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace livedesk {

/**
 * One change notification, whatever AegisX dialect it arrived in.
 *
 * Everything downstream (routing, de-duplication, the state manager) sees only this shape,
 * so the naming quirks of different AegisX generations stay in EventDecoder. Record ids are
 * always strings (AegisX sends `deleted` ids as strings even for integer keys). Fields the
 * server did not send keep their "absent" value: empty strings, -1, an invalid timestamp.
 */
class RealtimeEvent
{
public:
    /// Which wire form the event came in (for diagnostics; routing does not depend on it).
    enum class Dialect {
        Envelope, ///< `feature.entity.action` with `{feature, entity, action, data, meta}`
        ImportProgress, ///< `<camelModule>.import.progress`
        GeneratedBulk, ///< `<camelModule>.bulk.bulkCreated|bulkUpdated|bulkDeleted`
        ResourceColon, ///< `resource:action` with `{type, resource, data|id|ids, timestamp, user}`
        ModuleAction, ///< `module.action` with `{action, data, timestamp}`
        Operation, ///< `operation:progress|complete|error`
    };
    enum class Priority { Low, Normal, High, Critical };

    /// The event name exactly as received.
    QString name;
    Dialect dialect = Dialect::Envelope;
    QString feature;
    QString entity;
    /// Normalised action: created, updated, deleted, bulk_created, bulk_updated, bulk_deleted,
    /// import_progress, import_completed, operation_progress, operation_completed,
    /// operation_failed, or the server's own word for anything else (activated,
    /// status_changed, lock_acquired, bulk_progress, ...).
    QString action;
    /// Ids of the records concerned, as strings.
    QStringList ids;
    /// Import job id or bulk/long operation id, for progress events.
    QString operationId;
    /// Resources an operation event asks to reload (`metadata.tablesToRefresh`).
    QStringList refreshTargets;

    QDateTime timestamp;
    QString userId;
    QString sessionId;
    Priority priority = Priority::Normal;
    /// livedesk-server extensions (docs/protocol.md §3); absent on plain AegisX servers.
    QString eventId;
    qint64 seq = -1;
    QString txnId;
    qint64 version = -1;

    /// The event's data (a record, `{id}`, a progress object, ...). An event read from the
    /// wire keeps its data as the JSON text it came in until this is first called.
    QJsonValue data() const;
    void setData(const QJsonValue &data);
    /// Sets the data as JSON text (UTF-8), decoded when data() is first called; invalid
    /// text reads as Undefined.
    void setDataText(const QByteArray &json);
    /// The data's JSON text while it has not been decoded (setDataText()), else empty.
    QByteArray dataText() const { return m_dataText; }
    /// The meta object as received, for fields this class does not name (decoded on first
    /// use, as the data).
    QJsonObject meta() const;
    void setMeta(const QJsonObject &meta);
    void setMetaText(const QByteArray &json);

    /// A stable JSON form: what `livedesk-cli watch` prints.
    QJsonObject toJson() const;

    static QString dialectName(Dialect dialect);
    static QString priorityName(Priority priority);
    /// An id as text, the one spelling every part of the client compares: ids arrive as
    /// numbers or strings and AegisX compares them as strings. A string as it is, an integral
    /// number in decimal, another number with 17 significant digits; empty for anything else.
    static QString idText(const QJsonValue &id);

private:
    // Decoded from m_dataText / m_metaText on first use (the GUI thread's events are read
    // there only; a copy decodes for itself).
    mutable QJsonValue m_data = QJsonValue::Undefined;
    mutable QByteArray m_dataText;
    mutable QJsonObject m_meta;
    mutable QByteArray m_metaText;
};

} // namespace livedesk

Q_DECLARE_METATYPE(livedesk::RealtimeEvent)
