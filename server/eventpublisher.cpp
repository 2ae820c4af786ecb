// SPDX-License-Identifier: MIT
#include "eventpublisher.h"

#include "resourcespec.h"
#include "serverschema.h"
#include "socketioserver.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {
QString room(const QString &tenant, const QString &kind, const QString &name)
{
    return u"t:"_s + tenant + u':' + kind + u':' + name;
}
QString nowIso()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}
} // namespace

EventPublisher::EventPublisher(const ServerSchema &schema, SocketIoServer *socketIo,
                               QObject *parent)
    : QObject(parent)
    , m_schema(schema)
    , m_socketIo(socketIo)
{
    connect(m_socketIo, &SocketIoServer::eventReceived, this, &EventPublisher::onEvent);
    connect(m_socketIo, &SocketIoServer::clientConnected, this, &EventPublisher::onConnected);
}

void EventPublisher::onConnected(const QString &nsp, const QString &sid, bool recovered)
{
    if (recovered)
        return; // rooms came back with the session
    const QJsonObject data = m_socketIo->socketData(nsp, sid);
    const QString tenant = data.value(u"tenant").toString();
    if (!tenant.isEmpty())
        m_socketIo->join(nsp, sid, u"t:"_s + tenant);
    const QString user = data.value(u"userId").toString();
    if (!user.isEmpty())
        m_socketIo->join(nsp, sid, u"u:"_s + user);
}

void EventPublisher::onEvent(const QString &nsp, const QString &sid, const QString &event,
                             const QJsonArray &args, qint64 ackId)
{
    if (event == u"ping") {
        m_socketIo->emitToSocket(nsp, sid, u"pong"_s, {QJsonObject{{u"timestamp"_s, nowIso()}}});
        return;
    }
    const bool subscribe = event == u"subscribe:features";
    if (!subscribe && event != u"unsubscribe:features")
        return;
    const QJsonObject data = m_socketIo->socketData(nsp, sid);
    const QString tenant = data.value(u"tenant").toString();
    const QString role = data.value(u"role").toString();
    const QJsonObject body = args.at(0).toObject();
    const QJsonArray requestedFeatures = body.value(u"features").toArray();
    const QJsonArray requestedEntities = body.value(u"entities").toArray();

    // Every room a socket joins costs memory until it leaves: a subscription is refused
    // whole, before joining anything, when it names too much.
    const auto refuse = [&](const QString &message) {
        const QJsonObject error{
            {u"code"_s, u"SUBSCRIPTION_LIMIT"_s},
            {u"message"_s, message},
            {u"limits"_s,
             QJsonObject{{u"namesPerSubscribe"_s, MaxNamesPerSubscribe},
                         {u"nameLength"_s, MaxNameLength},
                         {u"roomsPerSocket"_s, m_socketIo->options().maxRoomsPerSocket}}},
            {u"timestamp"_s, nowIso()}};
        if (ackId >= 0)
            m_socketIo->sendAck(nsp, sid, ackId, {QJsonObject{{u"error"_s, error}}});
        m_socketIo->emitToSocket(
            nsp, sid, subscribe ? u"subscribe:error"_s : u"unsubscribe:error"_s, {error});
    };
    if (requestedFeatures.size() + requestedEntities.size() > MaxNamesPerSubscribe) {
        refuse(u"A subscription names at most %1 features and entities together"_s.arg(
            MaxNamesPerSubscribe));
        return;
    }
    QStringList joining;
    const QStringList current = m_socketIo->rooms(nsp, sid);
    for (const auto &[names, kind] :
         {std::pair{requestedFeatures, u"feature"_s}, std::pair{requestedEntities, u"entity"_s}}) {
        for (const auto &n : names) {
            const QString name = n.toString();
            if (name.size() > MaxNameLength) {
                refuse(u"A feature or entity name has at most %1 characters"_s.arg(MaxNameLength));
                return;
            }
            const QString r = room(tenant, kind, name);
            if (!name.isEmpty() && !current.contains(r) && !joining.contains(r))
                joining.append(r);
        }
    }
    const int roomLimit = m_socketIo->options().maxRoomsPerSocket;
    if (subscribe && roomLimit > 0 && current.size() + joining.size() > roomLimit) {
        refuse(u"A connection may be in at most %1 rooms; it is in %2 and this subscription "
               "would add %3"_s.arg(roomLimit)
                   .arg(current.size())
                   .arg(joining.size()));
        return;
    }

    QJsonArray features;
    QJsonArray entities;
    QJsonArray rooms;
    QJsonArray denied;
    const auto apply = [&](const QJsonArray &names, const QString &kind, QJsonArray *taken) {
        for (const auto &n : names) {
            const QString name = n.toString();
            if (name.isEmpty())
                continue;
            if (subscribe) {
                // A room carries the events of every resource with that feature (entity): the
                // role must be allowed to read each of them.
                const ResourceSpec *unreadable = nullptr;
                for (const ResourceSpec &r : m_schema.resources) {
                    if ((kind == u"feature" ? r.feature : r.entity) == name
                        && !r.permissions.allows(role, Permissions::Action::Read)) {
                        unreadable = &r;
                        break;
                    }
                }
                if (unreadable) {
                    denied.append(
                        QJsonObject{{kind, name},
                                    {u"message"_s,
                                     Permissions::refusal(role, Permissions::Action::Read,
                                                          unreadable->nameInSentence())}});
                    continue;
                }
                m_socketIo->join(nsp, sid, room(tenant, kind, name));
            } else {
                m_socketIo->leave(nsp, sid, room(tenant, kind, name));
            }
            taken->append(name);
            rooms.append(QString(kind + u':' + name));
        }
    };
    apply(requestedFeatures, u"feature"_s, &features);
    apply(requestedEntities, u"entity"_s, &entities);
    QJsonObject reply{{u"features"_s, features},
                      {u"entities"_s, entities},
                      {u"rooms"_s, rooms},
                      {u"timestamp"_s, nowIso()}};
    if (!denied.isEmpty())
        reply.insert(u"denied"_s, denied);
    if (ackId >= 0)
        m_socketIo->sendAck(nsp, sid, ackId, {reply});
    m_socketIo->emitToSocket(
        nsp, sid, subscribe ? u"subscribe:confirmed"_s : u"unsubscribe:confirmed"_s, {reply});
}

QJsonObject EventPublisher::meta(const QString &feature, const Origin &origin,
                                 const QString &priority, qint64 version)
{
    QJsonObject m{{u"timestamp"_s, nowIso()},
                  {u"userId"_s, origin.userId},
                  {u"sessionId"_s, origin.sessionId},
                  {u"featureVersion"_s, u"v1"_s},
                  {u"priority"_s, priority},
                  {u"eventId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                  {u"seq"_s, ++m_seq[origin.tenant + u'\n' + feature]}};
    if (!origin.txnId.isEmpty())
        m.insert(u"txnId"_s, origin.txnId);
    if (version >= 0)
        m.insert(u"version"_s, version);
    return m;
}

void EventPublisher::emitScoped(const QString &tenant, const QStringList &rooms,
                                const QString &name, const QJsonObject &payload)
{
    if (tenant.isEmpty())
        return; // never broadcast outside a tenant
    ++m_published;
    m_socketIo->emitToRooms(u"/"_s, rooms, name, {payload});
}

void EventPublisher::publish(const ResourceSpec &resource, const QString &action,
                             const QJsonValue &data, const Origin &origin, qint64 version,
                             const QString &priority)
{
    const QJsonObject envelope{{u"feature"_s, resource.feature},
                               {u"entity"_s, resource.entity},
                               {u"action"_s, action},
                               {u"data"_s, data},
                               {u"meta"_s, meta(resource.feature, origin, priority, version)}};
    emitScoped(origin.tenant,
               {room(origin.tenant, u"feature"_s, resource.feature),
                room(origin.tenant, u"entity"_s, resource.entity)},
               resource.feature + u'.' + resource.entity + u'.' + action, envelope);
}

void EventPublisher::publishBulk(const ResourceSpec &resource, const QString &bulkAction,
                                 const QJsonObject &data, const Origin &origin)
{
    QJsonObject payload = data;
    payload.insert(u"meta"_s, meta(resource.feature, origin, u"normal"_s, -1));
    emitScoped(origin.tenant,
               {room(origin.tenant, u"feature"_s, resource.feature),
                room(origin.tenant, u"entity"_s, resource.entity)},
               resource.importModule + u".bulk."_s + bulkAction, payload);
}

void EventPublisher::publishImportProgress(const ResourceSpec &resource,
                                           const QJsonObject &progress, const Origin &origin)
{
    QJsonObject payload = progress;
    payload.insert(u"meta"_s, meta(resource.feature, origin, u"normal"_s, -1));
    emitScoped(origin.tenant,
               {room(origin.tenant, u"feature"_s, resource.feature),
                room(origin.tenant, u"entity"_s, resource.entity), u"u:"_s + origin.userId},
               resource.importModule + u".import.progress"_s, payload);
}

} // namespace livedesk::server
