// SPDX-License-Identifier: MIT
#pragma once

#include "enginepacket.h"
#include "socketio/backoff.h"
#include "socketio/socketioevent.h"
#include "socketiopacket.h"

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

#include <deque>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QWebSocket;

namespace livedesk {

/**
 * A Socket.IO v5 client over Engine.IO v4, WebSocket transport only.
 *
 * It owns one Engine.IO connection and one namespace on it, and keeps that connection
 * alive for as long as it should be: it answers server pings and declares the link dead
 * after pingInterval + pingTimeout without one (even if TCP still looks alive), reconnects
 * with backoff after a transport error or silence, and never reconnects after the server
 * refused the CONNECT (bad token: not a network fault) or disconnected it on purpose (`41`).
 *
 * Connection state recovery is used whenever the server offers it (a `pid` in the CONNECT
 * reply): the pid and last offset go back with the next CONNECT, events replayed before the
 * reply are held until connected() has been emitted, and connected(recovered) tells
 * consumers whether they must resync.
 *
 * Malformed frames are logged (category livedesk.socketio), counted in stats(), and dropped;
 * they never take the connection down.
 *
 * Signals are emitted only when the client's state is consistent, and slots may call back
 * into the client (close(), open(), emitEvent(), even delete it via deleteLater()).
 */
class SocketIoClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)

public:
    enum class State {
        Disconnected, ///< Not connected and not trying to be (initial, or closed on purpose).
        Connecting, ///< First attempt in progress.
        Connected, ///< Namespace connected; events flow.
        Reconnecting, ///< Lost; waiting for or making a further attempt.
        Failed, ///< Gave up: refused by the server, invalid URL, or out of retries.
    };
    Q_ENUM(State)

    enum class Failure {
        None,
        InvalidUrl,
        ConnectRefused, ///< CONNECT_ERROR: usually authentication; see failureMessage().
        RetriesExhausted,
    };
    Q_ENUM(Failure)

    /** What the client connects to and how it behaves. */
    class Options
    {
    public:
        /// Server base URL, http(s):// or ws(s)://; the path below is appended to it.
        QUrl url;
        /// Socket.IO mount path: `/socket.io/` for plain servers, `/api/ws/` for AegisX.
        QString path = QStringLiteral("/socket.io/");
        QString nsp = QStringLiteral("/");
        /// Sent in CONNECT, e.g. `{"token": "<JWT>"}`.
        QJsonObject auth;
        bool reconnection = true;
        /// Attempts after a loss before giving up; -1 means never give up.
        int reconnectionAttempts = -1;
        int reconnectionDelayMs = 1000;
        int reconnectionDelayMaxMs = 5000;
        double randomizationFactor = 0.5;
        /// Limit for the WebSocket handshake plus the namespace CONNECT reply.
        int connectTimeoutMs = 20000;
        /// Default for emitWithAck().
        int ackTimeoutMs = 10000;
        /// Safety cap on one incoming frame. The handshake's maxPayload limits what the
        /// *server* accepts, not what it sends, so it is not used here. A larger frame is
        /// dropped and reported through malformedFrame(): consumers must treat that as a gap.
        qint64 maxFrameBytes = 16 * 1024 * 1024;
    };

    /** Counters for diagnostics and tests. */
    class Stats
    {
    public:
        qint64 framesReceived = 0;
        qint64 framesSent = 0;
        qint64 malformedFrames = 0;
        qint64 eventsDelivered = 0;
        qint64 connects = 0;
        qint64 recoveries = 0;
    };

    explicit SocketIoClient(QObject *parent = nullptr);
    ~SocketIoClient() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    /// Replaces the auth object for the next CONNECT (e.g. a refreshed token).
    void setAuth(const QJsonObject &auth) { m_options.auth = auth; }

    /// The ws(s):// URL actually dialled, or an empty URL when options().url is unusable.
    QUrl engineUrl() const;

    /// Starts connecting (no-op when already connected or connecting).
    void open();
    /// Disconnects on purpose: sends DISCONNECT when connected and cancels any retry.
    void close();

    /// Sends an event; false when not connected (nothing is queued behind the caller's back)
    /// or when the packet exceeds the server's maxPayload (the server would drop the link).
    bool emitEvent(const QString &name, const QJsonArray &args = {});
    using AckCallback = std::function<void(const SocketIoAck &)>;
    /// Sends an event asking for an acknowledgement; @p callback runs exactly once, in
    /// @p context's thread, with the ack, a timeout, or a disconnection (unless @p context
    /// is destroyed first). @p timeoutMs < 0 uses options().ackTimeoutMs.
    void emitWithAck(const QString &name, const QJsonArray &args, QObject *context,
                     AckCallback callback, int timeoutMs = -1);
    /// Acknowledges a server event that asked for it (SocketIoEvent::ackId).
    bool sendAck(qint64 ackId, const QJsonArray &args = {});

    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    /// When a frame last arrived: how fresh the data derived from this connection can be.
    QDateTime lastMessageAt() const { return m_lastMessageAt; }
    /// Whether the latest connect resumed the previous session (no events missed).
    bool recovered() const { return m_recovered; }
    QString sid() const { return m_sid; }
    EngineHandshake handshake() const { return m_handshake; }
    Failure failure() const { return m_failure; }
    /// The server's message for ConnectRefused, or a description of the failure.
    QString failureMessage() const { return m_failureMessage; }
    /// What is known about why connecting fails, beyond "unreachable": when an attempt timed
    /// out before the Engine.IO handshake, the HTTP server at the base URL is asked once
    /// (`GET /`); if it answers, this says that the server is up but nothing answers
    /// Socket.IO at the path tried, and which path that was. Empty otherwise, and once
    /// connected. The failure message of a client that gives up uses it.
    QString diagnosis() const { return m_pathDiagnosis; }
    /// The attempt number of the pending or running reconnection (1-based), 0 otherwise.
    int reconnectAttempt() const { return m_reconnectAttempt; }
    /// When the next reconnection attempt starts (invalid when none is scheduled).
    QDateTime nextReconnectAt() const { return m_nextReconnectAt; }
    const Stats &stats() const { return m_stats; }

    /// Replaces the backoff's random source (tests).
    void setBackoffRandom(std::function<double()> random)
    {
        m_backoff.setRandom(std::move(random));
    }

Q_SIGNALS:
    void stateChanged(livedesk::SocketIoClient::State state);
    /// The namespace is connected; when @p recovered is false, events may have been missed.
    void connected(bool recovered);
    /// The connection was lost or closed; @p reason is human-readable.
    void disconnected(const QString &reason);
    void eventReceived(const livedesk::SocketIoEvent &event);
    /// The server refused the namespace CONNECT (typically authentication). No retry follows.
    void connectError(const QString &message, const QJsonValue &data);
    void reconnectScheduled(int attempt, int delayMs);
    void malformedFrame(const QString &reason);

private:
    void startAttempt();
    void onTransportClosed();
    void onTextFrame(const QString &frame);
    void onBinaryFrame(const QByteArray &frame);
    void takeFrame(QString text, QByteArray binary, bool isBinary);
    void processFrames(bool all);
    void handleTextFrame(const QString &frame);
    void handleBinaryFrame(const QByteArray &frame);
    void completeBinaryPacket();
    void handleEngineOpen(const QString &json);
    void handleSocketIoPacket(const QString &text);
    void handleConnectReply(const SocketIoPacket &packet);
    void handleEventPacket(SocketIoEvent event);
    void deliver(const SocketIoEvent &event, const QString &offset);
    void handleAck(qint64 id, const QJsonArray &args, const QByteArrayList &attachments = {});
    void flushBufferedEvents();
    void lost(const QString &reason);
    void scheduleReconnect();
    void fail(Failure failure, const QString &message);
    void setState(State state);
    void dropTransport();
    bool sendPacket(const SocketIoPacket &packet);
    bool sendEngineText(const QString &frame);
    void failPendingAcks(const QString &why);
    void noteMalformed(const QString &reason);

    Options m_options;
    State m_state = State::Disconnected;
    QPointer<QWebSocket> m_socket;
    EngineHandshake m_handshake;
    bool m_engineOpen = false;
    QString m_sid;
    QString m_pid;
    QString m_lastOffset;
    QString m_previousSid;
    bool m_recovered = false;
    bool m_namespaceConnected = false;
    QDateTime m_lastMessageAt;
    Failure m_failure = Failure::None;
    QString m_failureMessage;
    // A wrong Socket.IO path: see diagnosis().
    void probePath();
    QString m_pathDiagnosis;
    QPointer<QNetworkReply> m_probe;
    QNetworkAccessManager *m_probeNetwork = nullptr;

    Backoff m_backoff;
    int m_reconnectAttempt = 0;
    QDateTime m_nextReconnectAt;
    QTimer m_reconnectTimer;
    QTimer m_heartbeatTimer;
    QTimer m_connectTimer;

    // Frames of the current transport not handled yet: a backlog is handled in slices of a
    // few milliseconds (the rest waits for the next slice, a millisecond after), so that a
    // burst does not hold up the user interface. m_sliceSpentNs is the current slice's time so
    // far, on m_clock; m_nextSlice runs the slice after a spent one.
    class QueuedFrame
    {
    public:
        QString text;
        QByteArray binary;
        bool isBinary = false;
    };
    std::deque<QueuedFrame> m_frames;
    QElapsedTimer m_clock;
    qint64 m_sliceSpentNs = 0;
    QTimer m_nextSlice;

    // Events that arrive before the CONNECT reply (replayed missed events), each with its
    // recovery offset: the offset counts as reached only once the event is delivered.
    QList<std::pair<SocketIoEvent, QString>> m_preConnectBuffer;
    // A binary packet waiting for its attachments.
    std::optional<SocketIoPacket> m_partialBinary;
    QByteArrayList m_partialAttachments;

    struct PendingAck
    {
        QPointer<QObject> context;
        bool hasContext = false;
        AckCallback callback;
        QTimer *timer = nullptr;
    };
    QHash<qint64, PendingAck> m_pendingAcks;
    qint64 m_nextAckId = 0;

    Stats m_stats;
};

} // namespace livedesk
