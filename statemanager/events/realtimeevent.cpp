// SPDX-License-Identifier: MIT
#include "events/realtimeevent.h"

#include <QtCore/QJsonArray>

using namespace Qt::StringLiterals;

namespace livedesk {

QJsonObject RealtimeEvent::toJson() const
{
    QJsonObject metaOut = meta;
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
                  {u"data"_s, data.isUndefined() ? QJsonValue() : data},
                  {u"meta"_s, metaOut}};
    if (!operationId.isEmpty())
        o.insert(u"operationId"_s, operationId);
    if (!refreshTargets.isEmpty())
        o.insert(u"refreshTargets"_s, QJsonArray::fromStringList(refreshTargets));
    return o;
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
