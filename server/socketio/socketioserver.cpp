// SPDX-License-Identifier: MIT
#include "socketioserver.h"

#include "engineioconnection.h"
#include "socketiopacket.h"
#include "socketioserverlogging.h"
#include "websocketlistener.h"

#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QUrlQuery>
#include <QtWebSockets/QWebSocket>

#include <deque>
#include <unordered_map>
#include <utility>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The reasons after which the reference server keeps the session for recovery.
bool isRecoverable(const QString &reason)
{
    static const QStringList recoverable{u"transport error"_s,      u"transport close"_s,
                                         u"forced close"_s,         u"ping timeout"_s,
                                         u"server shutting down"_s, u"forced server close"_s};
    return recoverable.contains(reason);
}

QString normalizedNamespace(const QString &nsp)
{
    if (nsp.isEmpty())
        return u"/"_s;
    return nsp.startsWith(u'/') ? nsp : u'/' + nsp;
}

// Whether @p name may head an EVENT. The codec owns the rule: ask it with a minimal packet.
bool isValidEventName(const QString &name)
{
    SocketIoPacket probe;
    probe.data = QJsonArray{name};
    SocketIoPacket decoded;
    QString error;
    return SocketIoPacket::decode(probe.encode(), &decoded, &error);
}

// Every `_placeholder` object in @p v must name one of the @p count attachments, as the
// reference parser requires before it rebuilds a binary packet.
bool placeholdersValid(const QJsonValue &v, int count)
{
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        return std::all_of(a.begin(), a.end(),
                           [count](const QJsonValue &e) { return placeholdersValid(e, count); });
    }
    if (!v.isObject())
        return true;
    const QJsonObject o = v.toObject();
    if (o.contains(u"_placeholder")) {
        int num = -1;
        return SocketIoPacket::isPlaceholder(v, &num) && num < count;
    }
    return std::all_of(o.begin(), o.end(),
                       [count](const QJsonValue &e) { return placeholdersValid(e, count); });
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

struct SocketIoServer::PendingAck
{
    QPointer<QObject> context;
    bool hasContext = false;
    AckCallback callback;
    QTimer *timer = nullptr;
};

struct SocketIoServer::Socket
{
    QString sid;
    QString pid;
    QJsonObject data;
    // What the authenticator answered the CONNECT that started the session: only a client it
    // answers the same may resume it.
    QJsonObject owner;
    // The CONNECT payload that connected it (without pid and offset), as handshake.auth.
    QJsonObject auth;
    QSet<QString> rooms;
    EngineIoConnection *engine = nullptr;
    qint64 nextAckId = 0;
    QHash<qint64, PendingAck> acks;
    // Stored packets up to this sequence number never need replaying to this session: they
    // were sent before it existed, or the client has confirmed them with its offset.
    qint64 floorSeq = 0;
};

struct SocketIoServer::StoredPacket
{
    qint64 seq = 0;
    qint64 storedAtMs = 0;
    // The encoded Socket.IO packet (offset included), sent as is on replay.
    QString text;
    QByteArrayList attachments;
    bool toAll = false;
    QSet<QString> rooms;
    QString exceptSid;

    bool reaches(const QSet<QString> &socketRooms) const
    {
        return (toAll || socketRooms.intersects(rooms)) && !socketRooms.contains(exceptSid);
    }
};

struct SocketIoServer::Namespace
{
    struct Session
    {
        QString sid;
        QString pid;
        QSet<QString> rooms;
        QJsonObject data;
        QJsonObject owner;
        qint64 floorSeq = 0;
        qint64 lostAtMs = 0;
    };

    QString name;
    // Offsets are this prefix plus the packet's sequence number: an offset from another
    // namespace or an earlier server run does not parse.
    QString offsetPrefix;
    std::unordered_map<QString, Socket> sockets;
    QHash<QString, QSet<QString>> rooms;
    std::deque<StoredPacket> packets;
    qint64 lastSeq = 0;
    // Every packet up to this sequence number has left the buffer.
    qint64 evictedUpTo = 0;
    QHash<QString, Session> sessions;
    // The pids of the connected sockets, to their sids.
    QHash<QString, QString> sidByPid;

    QString offsetFor(qint64 seq) const { return offsetPrefix + QString::number(seq, 36); }
    std::optional<qint64> seqOf(const QString &offset) const
    {
        if (!offset.startsWith(offsetPrefix))
            return std::nullopt;
        bool ok = false;
        const qint64 seq = QStringView(offset).sliced(offsetPrefix.size()).toLongLong(&ok, 36);
        return ok && seq >= 0 ? std::optional<qint64>(seq) : std::nullopt;
    }
};

struct SocketIoServer::Client
{
    EngineIoConnection *engine = nullptr;
    // The peer's address, as counted in m_perAddress.
    QString address;
    // Namespaces connected on this Engine.IO connection, and their socket ids.
    QHash<QString, QString> sidByNsp;
    // A child of the engine, so that it never dies inside its own timeout.
    QTimer *connectTimer = nullptr;
    // A binary packet waiting for its attachments.
    std::optional<SocketIoPacket> partial;
    QByteArrayList partialAttachments;
};

SocketIoServer::SocketIoServer(QObject *parent)
    : QObject(parent)
{
    addNamespace(u"/"_s);
    connect(&m_pruneTimer, &QTimer::timeout, this, &SocketIoServer::pruneAllRecovery);
    setOptions(m_options);
}

SocketIoServer::~SocketIoServer()
{
    // Refused sockets still closing go first, before anything they may refer to.
    const QSet<QWebSocket *> refused = std::exchange(m_refusedSockets, {});
    for (QWebSocket *socket : refused) {
        socket->disconnect(this);
        delete socket;
    }
    // No signals and no callbacks from a server being destroyed.
    for (auto &[engine, client] : m_clients) {
        engine->disconnect(this);
        delete engine;
    }
    m_clients.clear();
}

void SocketIoServer::setOptions(const Options &options)
{
    m_options = options;
    if (m_options.recovery)
        m_pruneTimer.start(qBound(1000, m_options.recoveryWindowMs, 60000));
    else
        m_pruneTimer.stop();
}

void SocketIoServer::setAuthenticator(Authenticator authenticator)
{
    m_authenticator = std::move(authenticator);
}

void SocketIoServer::addNamespace(const QString &nsp)
{
    const QString name = normalizedNamespace(nsp);
    if (m_namespaces.count(name))
        return;
    auto ns = std::make_unique<Namespace>();
    ns->name = name;
    ns->offsetPrefix = EngineIoConnection::generateId().left(8) + u'-';
    m_namespaces.emplace(name, std::move(ns));
}

bool SocketIoServer::hasNamespace(const QString &nsp) const
{
    return findNamespace(nsp) != nullptr;
}

bool SocketIoServer::acceptsUpgrade(const QUrl &requestUrl) const
{
    QString bare = m_options.path;
    if (!bare.startsWith(u'/'))
        bare.prepend(u'/');
    while (bare.endsWith(u'/'))
        bare.chop(1);
    const QString path = requestUrl.path();
    if (path != bare && path != bare + u'/')
        return false;
    const QUrlQuery query(requestUrl);
    return query.queryItemValue(u"EIO"_s) == u"4"
        && query.queryItemValue(u"transport"_s) == u"websocket" && !query.hasQueryItem(u"sid"_s);
}

void SocketIoServer::handleConnection(std::unique_ptr<QWebSocket> socket)
{
    if (!socket)
        return;
    const QString address = socket->peerAddress().toString();
    const bool tooMany
        = m_options.maxConnections > 0 && connectionCount() >= m_options.maxConnections;
    const bool tooManyHere = m_options.maxConnectionsPerAddress > 0
        && m_perAddress.value(address) >= m_options.maxConnectionsPerAddress;
    if (tooMany || tooManyHere) {
        ++m_refusedConnections;
        qCWarning(lcServerSocketIo).noquote()
            << "refusing a connection from" << address
            << (tooMany ? "(server full)" : "(too many from this address)");
        QWebSocket *raw = socket.release();
        // A refused socket costs next to nothing while it closes: no message may grow in it,
        // it lingers 5 s at most, and beyond 64 of them the rest are cut off without a word.
        if (m_refusedSockets.size() >= 64) {
            raw->abort();
            raw->deleteLater();
            return;
        }
        raw->setMaxAllowedIncomingFrameSize(125);
        raw->setMaxAllowedIncomingMessageSize(125);
        m_refusedSockets.insert(raw);
        connect(raw, &QObject::destroyed, this, [this, raw] { m_refusedSockets.remove(raw); });
        connect(raw, &QWebSocket::disconnected, raw, &QObject::deleteLater);
        // Closed on the next turn: Qt has queued its first read of the new socket, which
        // would complain about a socket closed under it.
        const QString why
            = tooMany ? u"Server full"_s : u"Too many connections from this address"_s;
        QTimer::singleShot(0, raw, [raw, why] {
            // 1013 (try again later) would say it best, but Qt's client refuses it as a
            // protocol error; 1008 (policy) is understood by every client, the reason says which.
            raw->close(QWebSocketProtocol::CloseCodePolicyViolated, why);
        });
        // A peer that never answers the close handshake is dropped anyway.
        QTimer::singleShot(5000, raw, [raw] {
            raw->abort();
            raw->deleteLater();
        });
        return;
    }
    EngineIoConnection::Options engineOptions;
    engineOptions.pingIntervalMs = m_options.pingIntervalMs;
    engineOptions.pingTimeoutMs = m_options.pingTimeoutMs;
    engineOptions.maxPayload = m_options.maxPayload;
    engineOptions.writeBatchMs = m_options.writeBatchMs;
    engineOptions.maxBufferedBytes = m_options.maxBufferedBytes;
    auto *engine = new EngineIoConnection(std::move(socket), engineOptions, this);

    auto client = std::make_unique<Client>();
    client->engine = engine;
    client->address = address;
    ++m_perAddress[address];
    client->connectTimer = new QTimer(engine);
    client->connectTimer->setSingleShot(true);
    connect(client->connectTimer, &QTimer::timeout, this, [this, engine] {
        const auto it = m_clients.find(engine);
        if (it == m_clients.end() || !it->second->sidByNsp.isEmpty())
            return;
        qCInfo(lcServerSocketIo) << "engine" << engine->id() << "connected no namespace in time";
        engine->close(u"forced server close"_s);
    });
    connect(engine, &EngineIoConnection::messageReceived, this,
            [this, engine](const QString &text) { onMessage(engine, text); });
    connect(engine, &EngineIoConnection::binaryReceived, this,
            [this, engine](const QByteArray &data) { onBinary(engine, data); });
    connect(engine, &EngineIoConnection::closed, this,
            [this, engine](const QString &reason) { onEngineClosed(engine, reason); });
    Client &c = *client;
    m_clients.emplace(engine, std::move(client));
    armConnectTimeout(c);
    engine->open();
}

bool SocketIoServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_listener) {
        m_listener = new WebSocketListener(this);
        m_listener->addRoute(
            [this](const QUrl &url) { return acceptsUpgrade(url); },
            [this](std::unique_ptr<QWebSocket> socket) { handleConnection(std::move(socket)); });
    }
    if (m_listener->isListening())
        m_listener->close();
    if (!m_listener->listen(address, port)) {
        qCWarning(lcServerSocketIo)
            << "cannot listen on" << address << port << ":" << m_listener->errorString();
        return false;
    }
    return true;
}

quint16 SocketIoServer::port() const
{
    return m_listener ? m_listener->port() : 0;
}

void SocketIoServer::close()
{
    if (m_listener)
        m_listener->close();
    QList<EngineIoConnection *> engines;
    for (const auto &[engine, client] : m_clients)
        engines.append(engine);
    for (EngineIoConnection *engine : std::as_const(engines)) {
        // A slot reacting to an earlier disconnection may have closed it already.
        if (m_clients.count(engine))
            engine->close(u"server shutting down"_s);
    }
}

bool SocketIoServer::join(const QString &nsp, const QString &sid, const QString &room)
{
    Namespace *ns = findNamespace(nsp);
    Socket *socket = findSocket(nsp, sid);
    if (!socket)
        return false;
    if (socket->rooms.contains(room))
        return true;
    if (m_options.maxRoomsPerSocket > 0 && socket->rooms.size() >= m_options.maxRoomsPerSocket) {
        qCInfo(lcServerSocketIo) << "socket" << sid << "is in" << socket->rooms.size()
                                 << "rooms already; not joining" << room.left(60);
        return false;
    }
    socket->rooms.insert(room);
    ns->rooms[room].insert(sid);
    return true;
}

bool SocketIoServer::leave(const QString &nsp, const QString &sid, const QString &room)
{
    Namespace *ns = findNamespace(nsp);
    Socket *socket = findSocket(nsp, sid);
    if (!socket || !socket->rooms.remove(room))
        return false;
    auto it = ns->rooms.find(room);
    if (it != ns->rooms.end()) {
        it->remove(sid);
        if (it->isEmpty())
            ns->rooms.erase(it);
    }
    return true;
}

QStringList SocketIoServer::rooms(const QString &nsp, const QString &sid) const
{
    const Socket *socket = findSocket(nsp, sid);
    return socket ? sorted(socket->rooms.values()) : QStringList();
}

QStringList SocketIoServer::socketsInRoom(const QString &nsp, const QString &room) const
{
    const Namespace *ns = findNamespace(nsp);
    return ns ? sorted(ns->rooms.value(room).values()) : QStringList();
}

int SocketIoServer::emitToRooms(const QString &nsp, const QStringList &rooms, const QString &event,
                                const QJsonArray &args, const QString &exceptSid,
                                const QByteArrayList &attachments)
{
    Namespace *ns = findNamespace(nsp);
    if (!ns) {
        qCWarning(lcServerSocketIo) << "emit to unknown namespace" << nsp;
        return 0;
    }
    if (rooms.isEmpty())
        return 0;
    return broadcast(*ns, false, rooms, event, args, exceptSid, attachments);
}

int SocketIoServer::emitToNamespace(const QString &nsp, const QString &event,
                                    const QJsonArray &args, const QString &exceptSid,
                                    const QByteArrayList &attachments)
{
    Namespace *ns = findNamespace(nsp);
    if (!ns) {
        qCWarning(lcServerSocketIo) << "emit to unknown namespace" << nsp;
        return 0;
    }
    return broadcast(*ns, true, {}, event, args, exceptSid, attachments);
}

bool SocketIoServer::emitToSocket(const QString &nsp, const QString &sid, const QString &event,
                                  const QJsonArray &args, const QByteArrayList &attachments)
{
    if (sid.isEmpty())
        return false;
    return emitToRooms(nsp, {sid}, event, args, {}, attachments) > 0;
}

bool SocketIoServer::emitWithAck(const QString &nsp, const QString &sid, const QString &event,
                                 const QJsonArray &args, QObject *context, AckCallback callback,
                                 int timeoutMs, const QByteArrayList &attachments)
{
    Socket *socket = findSocket(nsp, sid);
    if (!socket || !callback)
        return false;
    if (!isValidEventName(event)) {
        qCWarning(lcServerSocketIo) << "refusing to emit reserved or empty event name" << event;
        return false;
    }
    const qint64 id = socket->nextAckId++;
    QJsonArray data = args;
    data.prepend(event);
    SocketIoPacket packet{attachments.isEmpty() ? SocketIoPacket::Event
                                                : SocketIoPacket::BinaryEvent,
                          normalizedNamespace(nsp), id, int(attachments.size()), data};

    PendingAck pending;
    pending.context = context;
    pending.hasContext = context != nullptr;
    pending.callback = std::move(callback);
    pending.timer = new QTimer(this);
    pending.timer->setSingleShot(true);
    connect(pending.timer, &QTimer::timeout, this, [this, nsp, sid, id] {
        resolveAck(nsp, sid, id, {false, {}, {}, u"timeout"_s});
    });
    pending.timer->start(timeoutMs);
    socket->acks.insert(id, pending);
    sendPacket(socket->engine, packet, attachments);
    return true;
}

bool SocketIoServer::sendAck(const QString &nsp, const QString &sid, qint64 ackId,
                             const QJsonArray &args, const QByteArrayList &attachments)
{
    const Socket *socket = findSocket(nsp, sid);
    if (!socket || ackId < 0)
        return false;
    SocketIoPacket packet{attachments.isEmpty() ? SocketIoPacket::Ack : SocketIoPacket::BinaryAck,
                          normalizedNamespace(nsp), ackId, int(attachments.size()), args};
    sendPacket(socket->engine, packet, attachments);
    return true;
}

bool SocketIoServer::disconnectSocket(const QString &nsp, const QString &sid)
{
    Namespace *ns = findNamespace(nsp);
    Socket *socket = findSocket(nsp, sid);
    if (!socket)
        return false;
    EngineIoConnection *engine = socket->engine;
    sendPacket(engine, SocketIoPacket{SocketIoPacket::Disconnect, ns->name}, {});
    const QString reason = u"server namespace disconnect"_s;
    const auto acks = removeSocket(*ns, sid, reason);
    if (const auto it = m_clients.find(engine); it != m_clients.end()) {
        it->second->sidByNsp.remove(ns->name);
        armConnectTimeout(*it->second);
    }
    const QString name = ns->name;
    Q_EMIT clientDisconnected(name, sid, reason);
    failAcks(acks, reason);
    return true;
}

QJsonObject SocketIoServer::socketData(const QString &nsp, const QString &sid) const
{
    const Socket *socket = findSocket(nsp, sid);
    return socket ? socket->data : QJsonObject();
}

bool SocketIoServer::setSocketData(const QString &nsp, const QString &sid, const QJsonObject &data)
{
    Socket *socket = findSocket(nsp, sid);
    if (!socket)
        return false;
    socket->data = data;
    return true;
}

QStringList SocketIoServer::sockets(const QString &nsp) const
{
    const Namespace *ns = findNamespace(nsp);
    QStringList out;
    if (!ns)
        return out;
    for (const auto &[sid, socket] : ns->sockets)
        out.append(sid);
    return sorted(out);
}

bool SocketIoServer::isConnected(const QString &nsp, const QString &sid) const
{
    return findSocket(nsp, sid) != nullptr;
}

int SocketIoServer::connectionCount() const
{
    return int(m_clients.size());
}

int SocketIoServer::connectionsFrom(const QHostAddress &address) const
{
    return m_perAddress.value(address.toString());
}

int SocketIoServer::storedPacketCount(const QString &nsp) const
{
    const Namespace *ns = findNamespace(nsp);
    return ns ? int(ns->packets.size()) : 0;
}

int SocketIoServer::roomCount(const QString &nsp) const
{
    const Namespace *ns = findNamespace(nsp);
    return ns ? int(ns->rooms.size()) : 0;
}

QJsonObject SocketIoServer::handshakeAuth(const QString &nsp, const QString &sid) const
{
    const Socket *socket = findSocket(nsp, sid);
    return socket ? socket->auth : QJsonObject();
}

int SocketIoServer::keptSessionCount(const QString &nsp) const
{
    const Namespace *ns = findNamespace(nsp);
    return ns ? int(ns->sessions.size()) : 0;
}

SocketIoServer::Namespace *SocketIoServer::findNamespace(const QString &nsp)
{
    const auto it = m_namespaces.find(normalizedNamespace(nsp));
    return it == m_namespaces.end() ? nullptr : it->second.get();
}

const SocketIoServer::Namespace *SocketIoServer::findNamespace(const QString &nsp) const
{
    const auto it = m_namespaces.find(normalizedNamespace(nsp));
    return it == m_namespaces.end() ? nullptr : it->second.get();
}

SocketIoServer::Socket *SocketIoServer::findSocket(const QString &nsp, const QString &sid)
{
    Namespace *ns = findNamespace(nsp);
    if (!ns)
        return nullptr;
    const auto it = ns->sockets.find(sid);
    return it == ns->sockets.end() ? nullptr : &it->second;
}

const SocketIoServer::Socket *SocketIoServer::findSocket(const QString &nsp,
                                                         const QString &sid) const
{
    const Namespace *ns = findNamespace(nsp);
    if (!ns)
        return nullptr;
    const auto it = ns->sockets.find(sid);
    return it == ns->sockets.end() ? nullptr : &it->second;
}

void SocketIoServer::onMessage(EngineIoConnection *engine, const QString &text)
{
    const auto it = m_clients.find(engine);
    if (it == m_clients.end())
        return;
    Client &client = *it->second;
    if (client.partial) {
        protocolViolation(engine, u"parse error"_s,
                          u"text message while binary attachments were expected"_s);
        return;
    }
    SocketIoPacket packet;
    QString error;
    if (!SocketIoPacket::decode(text, &packet, &error)) {
        if (text.startsWith(u'0')) {
            refuseMalformedConnect(engine, text, error);
            return;
        }
        protocolViolation(engine, u"parse error"_s, u"%1: %2"_s.arg(error, text.left(60)));
        return;
    }
    if ((packet.type == SocketIoPacket::BinaryEvent || packet.type == SocketIoPacket::BinaryAck)
        && packet.attachments > 0) {
        client.partial = packet;
        client.partialAttachments.clear();
        return;
    }
    dispatch(engine, packet, {});
}

void SocketIoServer::onBinary(EngineIoConnection *engine, const QByteArray &data)
{
    const auto it = m_clients.find(engine);
    if (it == m_clients.end())
        return;
    Client &client = *it->second;
    if (!client.partial) {
        protocolViolation(engine, u"parse error"_s,
                          u"binary message with no binary packet awaiting it"_s);
        return;
    }
    client.partialAttachments.append(data);
    if (client.partialAttachments.size() < client.partial->attachments)
        return;
    const SocketIoPacket packet = *std::exchange(client.partial, std::nullopt);
    const QByteArrayList attachments = std::exchange(client.partialAttachments, {});
    if (!placeholdersValid(packet.data, int(attachments.size()))) {
        protocolViolation(engine, u"parse error"_s, u"illegal attachments"_s);
        return;
    }
    dispatch(engine, packet, attachments);
}

void SocketIoServer::dispatch(EngineIoConnection *engine, const SocketIoPacket &packet,
                              const QByteArrayList &attachments)
{
    Client &client = *m_clients.at(engine);
    if (packet.type == SocketIoPacket::Connect) {
        if (client.sidByNsp.contains(packet.nsp)) {
            protocolViolation(engine, u"forced server close"_s,
                              u"CONNECT to the already connected namespace %1"_s.arg(packet.nsp));
            return;
        }
        handleConnect(engine, packet);
        return;
    }
    const QString sid = client.sidByNsp.value(packet.nsp);
    if (sid.isEmpty() || packet.type == SocketIoPacket::ConnectError) {
        protocolViolation(
            engine, u"forced server close"_s,
            u"packet type %1 for namespace %2, which is not connected"_s.arg(int(packet.type))
                .arg(packet.nsp));
        return;
    }
    switch (packet.type) {
    case SocketIoPacket::Disconnect: {
        Namespace &ns = *findNamespace(packet.nsp);
        const QString reason = u"client namespace disconnect"_s;
        const auto acks = removeSocket(ns, sid, reason);
        client.sidByNsp.remove(packet.nsp);
        armConnectTimeout(client);
        Q_EMIT clientDisconnected(ns.name, sid, reason);
        failAcks(acks, reason);
        return;
    }
    case SocketIoPacket::Event:
    case SocketIoPacket::BinaryEvent: {
        QJsonArray args = packet.data.toArray();
        const QJsonValue name = args.takeAt(0);
        Q_EMIT eventReceived(packet.nsp, sid,
                             name.isString() ? name.toString() : QString::number(name.toDouble()),
                             args, packet.ackId, attachments);
        return;
    }
    case SocketIoPacket::Ack:
    case SocketIoPacket::BinaryAck:
        resolveAck(packet.nsp, sid, packet.ackId, {true, packet.data.toArray(), attachments});
        return;
    case SocketIoPacket::Connect:
    case SocketIoPacket::ConnectError:
        return; // handled above
    }
}

void SocketIoServer::handleConnect(EngineIoConnection *engine, const SocketIoPacket &packet)
{
    Namespace *ns = findNamespace(packet.nsp);
    if (!ns) {
        qCInfo(lcServerSocketIo) << "CONNECT to unknown namespace" << packet.nsp;
        SocketIoPacket reply{SocketIoPacket::ConnectError, packet.nsp};
        reply.data = QJsonObject{{u"message"_s, u"Invalid namespace"_s}};
        sendPacket(engine, reply, {});
        return;
    }
    QJsonObject auth = packet.data.toObject();
    const QJsonValue pid = auth.take(u"pid"_s);
    const QJsonValue offset = auth.take(u"offset"_s);
    bool resuming = m_options.recovery && pid.isString();
    const QString nspName = ns->name;

    // Authentication comes first, so that a refused client neither resumes nor learns what
    // it missed, nor ends a live socket by presenting its pid.
    Refusal refusal;
    const std::optional<QJsonObject> data
        = m_authenticator ? m_authenticator(nspName, auth, &refusal) : QJsonObject();
    // The authenticator is foreign code: make sure the connection is still there.
    if (!m_clients.count(engine) || !engine->isOpen())
        return;
    if (!data) {
        qCInfo(lcServerSocketIo) << "CONNECT to" << nspName << "refused:" << refusal.message;
        // A refused resume ends the kept session: the client will start afresh anyway.
        if (resuming)
            ns->sessions.remove(pid.toString());
        QJsonObject error{{u"message"_s, refusal.message}};
        if (!refusal.data.isUndefined())
            error.insert(u"data"_s, refusal.data);
        SocketIoPacket reply{SocketIoPacket::ConnectError, nspName};
        reply.data = error;
        sendPacket(engine, reply, {});
        return;
    }

    // The pid of a socket that is connected: never taken over, whoever asks. Its own client
    // back on a new connection (a half-open link the heartbeat has not caught yet) starts
    // a new session and resyncs, as with the reference server.
    if (resuming && ns->sidByPid.contains(pid.toString())) {
        qCInfo(lcServerSocketIo) << "CONNECT names the pid of the connected socket"
                                 << ns->sidByPid.value(pid.toString()) << "; a new session instead";
        resuming = false;
    }

    // A kept session is taken out of the store whatever happens next (one attempt per pid),
    // unless it belongs to someone else: it stays for its owner then.
    std::optional<Namespace::Session> session;
    qint64 replayFrom = 0;
    if (resuming) {
        const qint64 now = nowMs();
        pruneRecovery(*ns, now, false);
        const auto it = ns->sessions.find(pid.toString());
        if (it != ns->sessions.end() && it->owner != *data) {
            qCWarning(lcServerSocketIo)
                << "CONNECT with the pid of session" << it->sid
                << "by another user; a new session instead (the kept one stays for its owner)";
        } else if (it != ns->sessions.end()) {
            const Namespace::Session kept = *it;
            ns->sessions.erase(it);
            // Resumable when every packet after the client's position is still stored. Without
            // an offset, its position is the floor: it has had no stored packet since then.
            std::optional<qint64> from;
            if (offset.isString()) {
                const auto seq = ns->seqOf(offset.toString());
                if (seq && *seq >= ns->evictedUpTo && *seq <= ns->lastSeq)
                    from = std::max(*seq, kept.floorSeq);
            } else if (offset.isUndefined() && kept.floorSeq >= ns->evictedUpTo) {
                from = kept.floorSeq;
            }
            // The periodic pruning may not have got to an expired session yet.
            const bool expired = kept.lostAtMs < now - m_options.recoveryWindowMs;
            if (from && !expired) {
                session = kept;
                replayFrom = *from;
            } else {
                qCInfo(lcServerSocketIo)
                    << "session" << kept.sid << "not resumed:"
                    << (expired ? "expired" : "its offset is no longer covered by the buffer");
            }
        }
    }
    Client &client = *m_clients.at(engine);
    if (client.sidByNsp.contains(ns->name))
        return; // the authenticator connected it meanwhile (re-entrantly): nothing to add

    Socket socket;
    socket.engine = engine;
    if (session) {
        socket.sid = session->sid;
        socket.pid = session->pid;
        socket.data = session->data;
        socket.owner = session->owner;
        socket.rooms = session->rooms;
        socket.floorSeq = replayFrom;
    } else {
        socket.sid = EngineIoConnection::generateId();
        if (m_options.recovery)
            socket.pid = EngineIoConnection::generateId();
        socket.data = *data;
        socket.owner = *data;
        socket.floorSeq = ns->lastSeq;
    }
    socket.auth = auth;
    socket.rooms.insert(socket.sid);
    const QString sid = socket.sid;
    const QString pidText = socket.pid;
    for (const QString &room : std::as_const(socket.rooms))
        ns->rooms[room].insert(sid);
    const QSet<QString> rooms = socket.rooms;
    ns->sockets.insert_or_assign(sid, std::move(socket));
    if (!pidText.isEmpty())
        ns->sidByPid.insert(pidText, sid);
    client.sidByNsp.insert(ns->name, sid);
    client.connectTimer->stop();

    int replayed = 0;
    if (session) {
        for (const StoredPacket &stored : ns->packets) {
            if (stored.seq > replayFrom && stored.reaches(rooms)) {
                sendPacket(engine, stored.text, stored.attachments);
                ++replayed;
            }
        }
    }
    QJsonObject reply{{u"sid"_s, sid}};
    if (!pidText.isEmpty())
        reply.insert(u"pid"_s, pidText);
    SocketIoPacket connectReply{SocketIoPacket::Connect, ns->name};
    connectReply.data = reply;
    sendPacket(engine, connectReply, {});
    qCDebug(lcServerSocketIo) << "socket" << sid << "connected to" << ns->name << "on engine"
                              << engine->id()
                              << (session ? u"(recovered, %1 replayed)"_s.arg(replayed)
                                          : QString());
    Q_EMIT clientConnected(ns->name, sid, session.has_value());
}

void SocketIoServer::refuseMalformedConnect(EngineIoConnection *engine, const QString &text,
                                            const QString &error)
{
    // The namespace as the codec would read it, so that the refusal reaches the right one.
    QString nsp = u"/"_s;
    if (text.size() > 1 && text.at(1) == u'/') {
        const qsizetype comma = text.indexOf(u',', 1);
        nsp = text.mid(1, comma < 0 ? -1 : comma - 1);
    }
    qCInfo(lcServerSocketIo) << "engine" << engine->id() << "sent a malformed CONNECT:" << error;
    SocketIoPacket reply{SocketIoPacket::ConnectError, nsp};
    reply.data = QJsonObject{{u"message"_s, u"Invalid CONNECT: %1"_s.arg(error)}};
    sendPacket(engine, reply, {});
}

void SocketIoServer::protocolViolation(EngineIoConnection *engine, const QString &reason,
                                       const QString &what)
{
    qCWarning(lcServerSocketIo) << "closing engine" << engine->id() << "from" << engine->peerName()
                                << "(" << reason << "):" << what;
    engine->close(reason);
}

void SocketIoServer::armConnectTimeout(Client &client)
{
    if (client.sidByNsp.isEmpty())
        client.connectTimer->start(m_options.connectTimeoutMs);
}

void SocketIoServer::onEngineClosed(EngineIoConnection *engine, const QString &reason)
{
    const auto it = m_clients.find(engine);
    if (it == m_clients.end())
        return;
    const std::unique_ptr<Client> client = std::move(it->second);
    m_clients.erase(it);
    client->connectTimer->stop();
    if (const auto count = m_perAddress.find(client->address);
        count != m_perAddress.end() && --count.value() <= 0)
        m_perAddress.erase(count);

    QList<std::pair<QString, QString>> gone;
    QList<PendingAck> acks;
    for (auto s = client->sidByNsp.cbegin(); s != client->sidByNsp.cend(); ++s) {
        if (Namespace *ns = findNamespace(s.key())) {
            acks += removeSocket(*ns, s.value(), reason);
            gone.append({ns->name, s.value()});
        }
    }
    engine->deleteLater();
    qCDebug(lcServerSocketIo) << "engine" << engine->id() << "closed:" << reason;
    for (const auto &[nsp, sid] : std::as_const(gone))
        Q_EMIT clientDisconnected(nsp, sid, reason);
    failAcks(acks, u"disconnected"_s);
}

int SocketIoServer::broadcast(Namespace &ns, bool toAll, const QStringList &rooms,
                              const QString &event, const QJsonArray &args,
                              const QString &exceptSid, const QByteArrayList &attachments)
{
    if (!isValidEventName(event)) {
        qCWarning(lcServerSocketIo) << "refusing to emit reserved or empty event name" << event;
        return 0;
    }
    QJsonArray data = args;
    data.prepend(event);
    const bool store = m_options.recovery;
    qint64 seq = 0;
    if (store) {
        seq = ++ns.lastSeq;
        // As the reference adapter does: the offset travels as the last argument.
        data.append(ns.offsetFor(seq));
    }
    SocketIoPacket packet{attachments.isEmpty() ? SocketIoPacket::Event
                                                : SocketIoPacket::BinaryEvent,
                          ns.name, -1, int(attachments.size()), data};
    const QString text = packet.encode();

    const QSet<QString> roomSet(rooms.cbegin(), rooms.cend());
    if (store) {
        ns.packets.push_back({seq, nowMs(), text, attachments, toAll, roomSet, exceptSid});
        pruneRecovery(ns, ns.packets.back().storedAtMs, false);
    }

    // Each socket once, however many of the rooms it is in.
    QList<EngineIoConnection *> targets;
    if (toAll) {
        for (const auto &[sid, socket] : ns.sockets) {
            if (sid != exceptSid)
                targets.append(socket.engine);
        }
    } else {
        QSet<QString> seen;
        for (const QString &room : rooms) {
            const auto members = ns.rooms.constFind(room);
            if (members == ns.rooms.cend())
                continue;
            for (const QString &sid : *members) {
                if (sid == exceptSid || seen.contains(sid))
                    continue;
                seen.insert(sid);
                if (const auto s = ns.sockets.find(sid); s != ns.sockets.end())
                    targets.append(s->second.engine);
            }
        }
    }
    for (EngineIoConnection *engine : std::as_const(targets))
        sendPacket(engine, text, attachments);
    return int(targets.size());
}

void SocketIoServer::sendPacket(EngineIoConnection *engine, const QString &text,
                                const QByteArrayList &attachments)
{
    if (!engine->sendMessage(text))
        return;
    for (const QByteArray &attachment : attachments)
        engine->sendBinary(attachment);
}

void SocketIoServer::sendPacket(EngineIoConnection *engine, const SocketIoPacket &packet,
                                const QByteArrayList &attachments)
{
    sendPacket(engine, packet.encode(), attachments);
}

void SocketIoServer::pruneRecovery(Namespace &ns, qint64 now, bool sessions)
{
    const qint64 threshold = now - m_options.recoveryWindowMs;
    while (!ns.packets.empty()
           && (qsizetype(ns.packets.size()) > qMax(0, m_options.recoveryBufferSize)
               || ns.packets.front().storedAtMs < threshold)) {
        ns.evictedUpTo = ns.packets.front().seq;
        ns.packets.pop_front();
    }
    if (sessions) {
        ns.sessions.removeIf(
            [threshold](const auto &it) { return it.value().lostAtMs < threshold; });
    }
}

void SocketIoServer::pruneAllRecovery()
{
    const qint64 now = nowMs();
    for (auto &[name, ns] : m_namespaces)
        pruneRecovery(*ns, now, true);
}

QList<SocketIoServer::PendingAck> SocketIoServer::removeSocket(Namespace &ns, const QString &sid,
                                                               const QString &reason)
{
    const auto it = ns.sockets.find(sid);
    if (it == ns.sockets.end())
        return {};
    Socket socket = std::move(it->second);
    ns.sockets.erase(it);
    if (!socket.pid.isEmpty())
        ns.sidByPid.remove(socket.pid);
    for (const QString &room : std::as_const(socket.rooms)) {
        auto r = ns.rooms.find(room);
        if (r == ns.rooms.end())
            continue;
        r->remove(sid);
        if (r->isEmpty())
            ns.rooms.erase(r);
    }
    if (m_options.recovery && !socket.pid.isEmpty() && isRecoverable(reason)) {
        ns.sessions.insert(socket.pid,
                           {socket.sid, socket.pid, socket.rooms, socket.data, socket.owner,
                            socket.floorSeq, nowMs()});
    }
    qCDebug(lcServerSocketIo) << "socket" << sid << "left" << ns.name << ":" << reason;
    QList<PendingAck> acks = socket.acks.values();
    for (const PendingAck &ack : std::as_const(acks)) {
        ack.timer->stop();
        ack.timer->deleteLater();
    }
    return acks;
}

void SocketIoServer::failAcks(const QList<PendingAck> &acks, const QString &why)
{
    for (const PendingAck &ack : acks) {
        if (!ack.hasContext || ack.context)
            ack.callback({false, {}, {}, why});
    }
}

void SocketIoServer::resolveAck(const QString &nsp, const QString &sid, qint64 id, const Ack &ack)
{
    Socket *socket = findSocket(nsp, sid);
    if (!socket)
        return;
    const auto it = socket->acks.find(id);
    if (it == socket->acks.end()) {
        qCDebug(lcServerSocketIo) << "ack" << id << "from" << sid << "matches no pending emit";
        return;
    }
    const PendingAck pending = *it;
    socket->acks.erase(it);
    pending.timer->stop();
    pending.timer->deleteLater();
    if (!pending.hasContext || pending.context)
        pending.callback(ack);
}

} // namespace livedesk::server
