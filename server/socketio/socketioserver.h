// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArrayList>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QStringList>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>

#include <functional>
#include <map>
#include <memory>
#include <optional>

class QWebSocket;

namespace livedesk {
class SocketIoPacket;
}

namespace livedesk::server {

class EngineIoConnection;
class WebSocketListener;

/**
 * The server side of Socket.IO v5 over Engine.IO v4, WebSocket transport only: what the
 * embedded server speaks to livedesk, to Node socket.io-client and to AegisX-style clients.
 *
 * It behaves like the reference socket.io 4.8 server with its in-memory adapter:
 * - Engine.IO: OPEN handshake with `"upgrades":[]`, server pings every pingInterval, closes
 *   after pingTimeout without a pong, closes on a client message larger than maxPayload or
 *   on anything that is not an Engine.IO / Socket.IO packet (`parse error`).
 * - Namespaces: `/` always exists, others via addNamespace(); a CONNECT to an unknown one is
 *   answered `44{"message":"Invalid namespace"}`. Every CONNECT goes through the
 *   Authenticator; a refusal is answered `44{"message":..,"data":..}` and the connection stays
 *   open for other namespaces. No CONNECT within connectTimeoutMs closes the connection.
 * - Rooms per namespace; every socket is in the room named by its sid. A broadcast to several
 *   rooms reaches each socket once.
 * - Connection state recovery (Options::recovery): every stored packet (an EVENT without ack,
 *   sent through emitToRooms(), emitToNamespace() or emitToSocket()) carries a fresh offset
 *   as its last argument and is kept in the namespace's buffer, bounded by
 *   recoveryBufferSize packets and recoveryWindowMs. A socket lost to a transport close, ping
 *   timeout, transport error or server shutdown keeps its session (sid, pid, rooms, data) for
 *   recoveryWindowMs. A CONNECT `{"pid","offset",...auth}` naming a kept session and an offset
 *   still covered by the buffer resumes it: same sid, same rooms, same data, and the packets
 *   its rooms missed are sent before the `40{"sid","pid"}` reply. Otherwise it is a new
 *   session. Deliberate disconnects (`41` either way) end the session for good.
 * - A session belongs to whoever started it: it is resumed only by a CONNECT that the
 *   Authenticator answers with the same data as the CONNECT that started it (the same user of
 *   the same tenant, for livedesk-server). Anyone else presenting its pid gets a new session,
 *   is told so (a new pid in the reply), and the kept session stays for its owner. A socket
 *   that is connected is never taken over: a CONNECT naming its pid gets a new session.
 *
 * Deliberate differences from the reference server, all on the safe side:
 * - The Authenticator runs before a session is resumed and before any missed packet is sent
 *   (the reference replays first and runs middlewares after): a revoked token resumes nothing
 *   and learns nothing. A refused or failed resume discards the kept session.
 * - A CONNECT with a kept pid but no offset (the client got no stored packet since it
 *   connected, so its client library had no offset to send) resumes the session too, replaying
 *   everything stored for it since it connected, as long as the buffer still covers that.
 * - A client message that cannot be decoded closes the connection with the reason
 *   `parse error`, which is not recoverable (the reference closes Socket.IO-level garbage with
 *   `forced close`, which is).
 * - A connection left without any namespace (after `41`) gets connectTimeoutMs again to
 *   connect one before it is closed, instead of staying open forever.
 * - A CONNECT whose payload is not an object (or not JSON) is answered
 *   `44{"message":"Invalid CONNECT: .."}` and the connection stays open (the reference
 *   closes it with `parse error`, which tells the client nothing).
 * - A socket joins at most Options::maxRoomsPerSocket rooms; join() refuses more.
 * - emitToRooms() with no rooms sends nothing; emitToNamespace() is the explicit
 *   "everybody" (the reference's empty room set means everybody, an easy way to leak one
 *   tenant's events to all).
 *
 * Connections arrive either from the HTTP server (acceptsUpgrade() then handleConnection()
 * with the upgraded socket) or from the server's own listener (listen(), for tests and the
 * conformance server). A host should switch on QAbstractSocket::LowDelayOption (TCP_NODELAY)
 * on the TCP socket when it accepts the upgrade, as listen() and the reference server do:
 * QWebSocket does not expose its TCP socket, and without it an event that follows another
 * closely can wait for the client's delayed ACK (tens of milliseconds).
 *
 * Signals are emitted only once the server's state is consistent, and slots may call back
 * into the server (emit, join, disconnect, close). Everything happens in the thread the
 * server lives in; the WebSockets handed over must live there too.
 */
class SocketIoServer : public QObject
{
    Q_OBJECT

public:
    /** Protocol settings; they apply to connections accepted after setOptions(). */
    class Options
    {
    public:
        /// Mount path, with or without the trailing slash: `/socket.io/`, `/api/ws/` (AegisX).
        QString path = QStringLiteral("/socket.io/");
        int pingIntervalMs = 25000;
        int pingTimeoutMs = 20000;
        /// A connection without any namespace CONNECT for this long is closed.
        int connectTimeoutMs = 45000;
        /// Largest client message in bytes; announced in the handshake.
        qint64 maxPayload = 1000000;
        /// A client leaving more than this many bytes unread is dropped (see
        /// EngineIoConnection); 0 for no limit.
        qint64 maxBufferedBytes = 16 * 1024 * 1024;
        /// Connection state recovery: pids, offsets, kept sessions, replay.
        bool recovery = true;
        /// How long a lost session and a stored packet are kept.
        int recoveryWindowMs = 120000;
        /// Most packets kept per namespace for replay; the oldest go first.
        int recoveryBufferSize = 10000;
        /// Most rooms one socket may be in, its own room included; join() refuses more. Every
        /// room name a client makes the server join costs memory until the socket leaves;
        /// 0 for no limit.
        int maxRoomsPerSocket = 1000;
        /// Most open Engine.IO connections from one client address; the next is closed at
        /// once with WebSocket code 1008 (policy) and a reason, before the Engine.IO
        /// handshake (clients retry with their backoff). 0 for no limit. Behind a reverse
        /// proxy every client has the proxy's address: raise it or turn it off there.
        int maxConnectionsPerAddress = 0;
        /// Most open Engine.IO connections in all, refused the same way; 0 for no limit.
        int maxConnections = 0;
        /// > 0: pace writes, frames sent right after one wait this long and go out together
        /// (see EngineIoConnection). Only the conformance server needs it.
        int writeBatchMs = 0;
    };

    /** Why a namespace CONNECT was refused: sent as `44{"message":..,"data":..}`. */
    class Refusal
    {
    public:
        QString message = QStringLiteral("Not authorized");
        /// Extra details for the client (e.g. `{"code":"UNAUTHORIZED"}`); omitted when undefined.
        QJsonValue data = QJsonValue::Undefined;
    };

    /**
     * Decides every namespace CONNECT, fresh or resuming a session. @p auth is the CONNECT
     * payload without the recovery fields `pid` and `offset` (e.g. `{"token":"<JWT>"}`).
     * Returns the socket's data (e.g. `{"userId":..,"tenant":..}`, see socketData()), or
     * std::nullopt after filling @p refusal. For a resumed session the data kept with the
     * session is restored and the returned data is not used: the authenticator's job there is
     * to say whether this client may still resume, and who it is: the session is resumed only
     * when the data equals what the authenticator returned for the session's first CONNECT.
     * Return identity only (user, tenant, role), nothing that changes with every token.
     */
    using Authenticator = std::function<std::optional<QJsonObject>(
        const QString &nsp, const QJsonObject &auth, Refusal *refusal)>;

    /** The outcome of emitWithAck(). */
    class Ack
    {
    public:
        bool ok = false;
        QJsonArray args;
        /// Binary attachments of a BINARY_ACK; their placeholders stay in args.
        QByteArrayList attachments;
        /// Why there is no acknowledgement: "timeout", "disconnected", ..., when !ok.
        QString error = {};
    };
    using AckCallback = std::function<void(const Ack &ack)>;

    explicit SocketIoServer(QObject *parent = nullptr);
    ~SocketIoServer() override;

    void setOptions(const Options &options);
    const Options &options() const { return m_options; }

    /// Replaces the authenticator; the default accepts everything with data `{}`.
    void setAuthenticator(Authenticator authenticator);
    /// Makes @p nsp (e.g. `/admin`) connectable. `/` always is.
    void addNamespace(const QString &nsp);
    bool hasNamespace(const QString &nsp) const;

    /// Whether an upgrade request for @p requestUrl is ours: path equal to options().path
    /// (with or without its trailing slash), `EIO=4`, `transport=websocket`, and no `sid`
    /// (an upgrade from long-polling, which this server does not offer).
    bool acceptsUpgrade(const QUrl &requestUrl) const;
    /// Takes an upgraded WebSocket (one acceptsUpgrade() said yes to) and starts Engine.IO on it.
    void handleConnection(std::unique_ptr<QWebSocket> socket);

    /// Listens on a port of its own (tests, conformance); requests for other paths are closed.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    /// The port listen() bound, or 0.
    quint16 port() const;
    /// Ends every connection (reason `server shutting down`, sessions kept for recovery as in
    /// the reference server) and stops listening. The server stays usable.
    void close();

    /// Adds socket @p sid of @p nsp to @p room; false when no such socket is connected.
    bool join(const QString &nsp, const QString &sid, const QString &room);
    bool leave(const QString &nsp, const QString &sid, const QString &room);
    /// The rooms of a connected socket (its sid included), sorted.
    QStringList rooms(const QString &nsp, const QString &sid) const;
    /// The connected sockets in @p room, sorted.
    QStringList socketsInRoom(const QString &nsp, const QString &room) const;

    /// Sends event @p event with @p args to every socket in any of @p rooms, once per socket,
    /// except @p exceptSid. Stored for recovery (offset appended) when recovery is on. With
    /// @p attachments it goes out as a BINARY_EVENT: @p args must then hold the placeholders
    /// `{"_placeholder":true,"num":n}`. Returns how many sockets it was sent to.
    int emitToRooms(const QString &nsp, const QStringList &rooms, const QString &event,
                    const QJsonArray &args, const QString &exceptSid = {},
                    const QByteArrayList &attachments = {});
    /// Like emitToRooms() for every socket of the namespace.
    int emitToNamespace(const QString &nsp, const QString &event, const QJsonArray &args,
                        const QString &exceptSid = {}, const QByteArrayList &attachments = {});
    /// emitToRooms() for the socket's own room: stored for recovery like any broadcast, so
    /// a socket that is briefly away gets it on resume. False when it is not connected now.
    bool emitToSocket(const QString &nsp, const QString &sid, const QString &event,
                      const QJsonArray &args, const QByteArrayList &attachments = {});
    /// Sends an event asking for an acknowledgement (never stored, carries no offset).
    /// @p callback runs exactly once, later, with the ack, a timeout or a disconnection, unless
    /// @p context is given and destroyed first. False (and no callback) when the socket is not
    /// connected.
    bool emitWithAck(const QString &nsp, const QString &sid, const QString &event,
                     const QJsonArray &args, QObject *context, AckCallback callback,
                     int timeoutMs = 10000, const QByteArrayList &attachments = {});
    /// Answers a client event that asked for an ack (eventReceived()'s @p ackId).
    bool sendAck(const QString &nsp, const QString &sid, qint64 ackId, const QJsonArray &args,
                 const QByteArrayList &attachments = {});
    /// Disconnects the socket on purpose: sends `41`, ends its session (no recovery), emits
    /// clientDisconnected(.., "server namespace disconnect"). The Engine.IO connection stays
    /// for the client's other namespaces.
    bool disconnectSocket(const QString &nsp, const QString &sid);

    /// The data the Authenticator gave the socket (restored on resume); `{}` when unknown.
    QJsonObject socketData(const QString &nsp, const QString &sid) const;
    /// Replaces a connected socket's data (kept with its session on a recoverable loss).
    bool setSocketData(const QString &nsp, const QString &sid, const QJsonObject &data);
    /// The connected sockets of @p nsp, sorted.
    QStringList sockets(const QString &nsp) const;
    bool isConnected(const QString &nsp, const QString &sid) const;
    /// Open Engine.IO connections (with or without a namespace).
    int connectionCount() const;
    /// Open Engine.IO connections from @p address.
    int connectionsFrom(const QHostAddress &address) const;
    /// Connections closed on arrival by maxConnectionsPerAddress or maxConnections.
    int refusedConnectionCount() const { return m_refusedConnections; }
    /// Packets currently kept for replay in @p nsp (diagnostics, tests).
    int storedPacketCount(const QString &nsp) const;
    /// Rooms of @p nsp that have a connected socket in them, the sockets' own rooms included
    /// (diagnostics, tests: it returns to its earlier value when sockets leave).
    int roomCount(const QString &nsp) const;
    /// The CONNECT payload (without `pid` and `offset`) with which the socket connected or
    /// last resumed, e.g. `{"token":..}`: what socket.io calls `handshake.auth`. The host
    /// reads the credentials from it, e.g. to know when they expire.
    QJsonObject handshakeAuth(const QString &nsp, const QString &sid) const;
    /// Lost sessions currently kept for recovery in @p nsp (diagnostics, tests).
    int keptSessionCount(const QString &nsp) const;

Q_SIGNALS:
    /// A socket connected to @p nsp; @p recovered: it resumed a kept session (same sid, its
    /// missed packets already sent).
    void clientConnected(const QString &nsp, const QString &sid, bool recovered);
    /// A client event. @p ackId >= 0: the client waits for sendAck(). For a binary event the
    /// placeholders stay in @p args and @p attachments hold the bytes.
    void eventReceived(const QString &nsp, const QString &sid, const QString &event,
                       const QJsonArray &args, qint64 ackId, const QByteArrayList &attachments);
    /// A socket left @p nsp. @p reason as in socket.io: `client namespace disconnect`,
    /// `server namespace disconnect`, `transport close`, `transport error`, `ping timeout`,
    /// `parse error`, `forced server close`, `server shutting down`.
    void clientDisconnected(const QString &nsp, const QString &sid, const QString &reason);

private:
    struct Namespace;
    struct Socket;
    struct Client;
    struct StoredPacket;
    struct PendingAck;

    Namespace *findNamespace(const QString &nsp);
    const Namespace *findNamespace(const QString &nsp) const;
    Socket *findSocket(const QString &nsp, const QString &sid);
    const Socket *findSocket(const QString &nsp, const QString &sid) const;

    void onMessage(EngineIoConnection *engine, const QString &text);
    void onBinary(EngineIoConnection *engine, const QByteArray &data);
    void onEngineClosed(EngineIoConnection *engine, const QString &reason);
    void dispatch(EngineIoConnection *engine, const SocketIoPacket &packet,
                  const QByteArrayList &attachments);
    void handleConnect(EngineIoConnection *engine, const SocketIoPacket &packet);
    void refuseMalformedConnect(EngineIoConnection *engine, const QString &text,
                                const QString &error);
    void protocolViolation(EngineIoConnection *engine, const QString &reason, const QString &what);
    void armConnectTimeout(Client &client);

    int broadcast(Namespace &ns, bool toAll, const QStringList &rooms, const QString &event,
                  const QJsonArray &args, const QString &exceptSid,
                  const QByteArrayList &attachments);
    void sendPacket(EngineIoConnection *engine, const QString &text,
                    const QByteArrayList &attachments);
    void sendPacket(EngineIoConnection *engine, const SocketIoPacket &packet,
                    const QByteArrayList &attachments);
    /// Drops stored packets beyond the buffer's size or age, and (with @p sessions, which costs
    /// a pass over all of them) expired sessions.
    void pruneRecovery(Namespace &ns, qint64 nowMs, bool sessions);
    void pruneAllRecovery();
    /// Removes a socket from its namespace (rooms, acks), keeping its session when @p reason is
    /// recoverable. Returns its pending acks, to be failed once the state is consistent.
    QList<PendingAck> removeSocket(Namespace &ns, const QString &sid, const QString &reason);
    static void failAcks(const QList<PendingAck> &acks, const QString &why);
    void resolveAck(const QString &nsp, const QString &sid, qint64 id, const Ack &ack);

    Options m_options;
    Authenticator m_authenticator;
    std::map<QString, std::unique_ptr<Namespace>> m_namespaces;
    std::map<EngineIoConnection *, std::unique_ptr<Client>> m_clients;
    QHash<QString, int> m_perAddress;
    // Connections refused by the caps, while their close handshake runs.
    QSet<QWebSocket *> m_refusedSockets;
    int m_refusedConnections = 0;
    WebSocketListener *m_listener = nullptr;
    QTimer m_pruneTimer;
};

} // namespace livedesk::server
