// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>

namespace livedesk::server {

class ResourceSpec;
class ServerSchema;
class SocketIoServer;

/**
 * The AegisX application layer of the server's socket: subscriptions and change events.
 *
 * Rooms are scoped by tenant (`t:<tenant>:feature:<f>`, `t:<tenant>:entity:<e>`), so a socket
 * can only ever join rooms of the tenant its token names: a client never receives another
 * tenant's events. A change is emitted once to the union of the feature and entity rooms,
 * so a subscriber in both gets one copy (unlike real AegisX, which emits twice).
 *
 * A socket joins the room of a feature or entity only when its role (from its token) may read
 * every resource of that name (ResourceSpec::permissions); `subscribe:confirmed` lists what
 * was joined, and what was not under `denied: [{feature | entity, message}]`.
 *
 * Every event's meta carries, beyond AegisX's `timestamp, userId, sessionId,
 * featureVersion, priority`: `eventId` (unique), `seq` (strictly increasing per tenant and
 * feature — per tenant so that a client never sees gaps caused by other tenants), `txnId`
 * (echo of X-Client-Txn-Id) and `version` (the record's, when there is one).
 *
 * A subscription is bounded, since every room costs memory for as long as the socket stays:
 * at most MaxNamesPerSubscribe features and entities per `subscribe:features`, names of at
 * most MaxNameLength characters, and no more rooms per socket than the Socket.IO server's
 * `maxRoomsPerSocket`. Beyond that the whole subscription is refused (nothing joined) with
 * `subscribe:error {code: "SUBSCRIPTION_LIMIT", message, limits, timestamp}` (and the same
 * as `{error}` in the ack, when one was asked for).
 */
class EventPublisher : public QObject
{
    Q_OBJECT

public:
    /// Most features and entities one subscribe:features may name (the clinical schema has a
    /// handful; a large AegisX deployment some dozens).
    static constexpr int MaxNamesPerSubscribe = 100;
    /// Longest feature or entity name, in characters.
    static constexpr int MaxNameLength = 100;

    EventPublisher(const ServerSchema &schema, SocketIoServer *socketIo, QObject *parent = nullptr);

    /// Who caused a change, and the client transaction it belongs to.
    class Origin
    {
    public:
        QString tenant;
        QString userId;
        QString sessionId;
        QString txnId;
    };

    /// `feature.entity.action` with the AegisX envelope; @p version < 0 when not a record.
    void publish(const ResourceSpec &resource, const QString &action, const QJsonValue &data,
                 const Origin &origin, qint64 version = -1,
                 const QString &priority = QStringLiteral("normal"));
    /// `<camelModule>.bulk.bulkCreated|bulkUpdated|bulkDeleted` with `{count, items|ids}`.
    void publishBulk(const ResourceSpec &resource, const QString &bulkAction,
                     const QJsonObject &data, const Origin &origin);
    /// `<camelModule>.import.progress` with the job's status fields.
    void publishImportProgress(const ResourceSpec &resource, const QJsonObject &progress,
                               const Origin &origin);

    /// Events emitted so far (all kinds).
    qint64 published() const { return m_published; }

private:
    void onEvent(const QString &nsp, const QString &sid, const QString &event,
                 const QJsonArray &args, qint64 ackId);
    void onConnected(const QString &nsp, const QString &sid, bool recovered);
    QJsonObject meta(const QString &feature, const Origin &origin, const QString &priority,
                     qint64 version);
    void emitScoped(const QString &tenant, const QStringList &rooms, const QString &name,
                    const QJsonObject &payload);

    const ServerSchema &m_schema;
    SocketIoServer *m_socketIo;
    QHash<QString, qint64> m_seq; // "<tenant>\n<feature>" → last seq
    qint64 m_published = 0;
};

} // namespace livedesk::server
