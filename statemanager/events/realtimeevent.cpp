// SPDX-License-Identifier: MIT
#include "events/realtimeevent.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

using namespace Qt::StringLiterals;

namespace livedesk {

QJsonObject RealtimeEvent::toJson() const
{
    QJsonObject metaOut = meta();
    if (timestamp.isValid())
        metaOut.insert(u"timestamp"_s, timestamp.toString(Qt::ISODateWithMs));
    if (!userId.isEmpty())
        metaOut.insert(u"userId"_s, userId);
    if (!sessionId.isEmpty())
        metaOut.insert(u"sessionId"_s, sessionId);
    metaOut.insert(u"priority"_s, priorityName(priority));
    if (!eventId.isEmpty())
        metaOut.insert(u"eventId"_s, eventId);
    if (seq >= 0)
        metaOut.insert(u"seq"_s, seq);
    if (!txnId.isEmpty())
        metaOut.insert(u"txnId"_s, txnId);
    if (version >= 0)
        metaOut.insert(u"version"_s, version);

    QJsonObject o{{u"kind"_s, u"event"_s},
                  {u"name"_s, name},
                  {u"dialect"_s, dialectName(dialect)},
                  {u"feature"_s, feature},
                  {u"entity"_s, entity},
                  {u"action"_s, action},
                  {u"ids"_s, QJsonArray::fromStringList(ids)},
                  {u"data"_s, data().isUndefined() ? QJsonValue() : data()},
                  {u"meta"_s, metaOut}};
    if (!operationId.isEmpty())
        o.insert(u"operationId"_s, operationId);
    if (!refreshTargets.isEmpty())
        o.insert(u"refreshTargets"_s, QJsonArray::fromStringList(refreshTargets));
    return o;
}

QJsonValue RealtimeEvent::data() const
{
    if (!m_dataText.isEmpty() && m_dataText.front() == '{') {
        m_data = QJsonDocument::fromJson(m_dataText).object(); // a record: nearly always
        m_dataText.clear();
    } else if (!m_dataText.isEmpty()) {
        // Any other JSON value: wrapped in an array, as Qt's parser reads containers only.
        QByteArray wrapped;
        wrapped.reserve(m_dataText.size() + 2);
        wrapped.append('[').append(m_dataText).append(']');
        const QJsonArray a = QJsonDocument::fromJson(wrapped).array();
        m_data = a.size() == 1 ? a.at(0) : QJsonValue(QJsonValue::Undefined);
        m_dataText.clear();
    }
    return m_data;
}

void RealtimeEvent::setData(const QJsonValue &data)
{
    m_data = data;
    m_dataText.clear();
}

void RealtimeEvent::setDataText(const QByteArray &json)
{
    m_data = QJsonValue::Undefined;
    m_dataText = json;
}

QJsonObject RealtimeEvent::meta() const
{
    if (!m_metaText.isEmpty()) {
        m_meta = QJsonDocument::fromJson(m_metaText).object();
        m_metaText.clear();
    }
    return m_meta;
}

void RealtimeEvent::setMeta(const QJsonObject &meta)
{
    m_meta = meta;
    m_metaText.clear();
}

void RealtimeEvent::setMetaText(const QByteArray &json)
{
    m_meta = {};
    m_metaText = json;
}

QString RealtimeEvent::idText(const QJsonValue &id)
{
    if (id.isString())
        return id.toString();
    if (id.isDouble()) {
        const double d = id.toDouble();
        const qint64 i = id.toInteger();
        return double(i) == d ? QString::number(i) : QString::number(d, 'g', 17);
    }
    return {};
}

QString RealtimeEvent::dialectName(Dialect dialect)
{
    switch (dialect) {
    case Dialect::Envelope:
        return u"envelope"_s;
    case Dialect::ImportProgress:
        return u"import-progress"_s;
    case Dialect::GeneratedBulk:
        return u"generated-bulk"_s;
    case Dialect::ResourceColon:
        return u"resource-colon"_s;
    case Dialect::ModuleAction:
        return u"module-action"_s;
    case Dialect::Operation:
        return u"operation"_s;
    }
    return {};
}

QString RealtimeEvent::priorityName(Priority priority)
{
    switch (priority) {
    case Priority::Low:
        return u"low"_s;
    case Priority::Normal:
        return u"normal"_s;
    case Priority::High:
        return u"high"_s;
    case Priority::Critical:
        return u"critical"_s;
    }
    return {};
}

} // namespace livedesk
