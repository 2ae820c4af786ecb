// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QTimer>

#include <memory>

class QWebSocket;

namespace livedesk::server {

/**
 * The server side of one Engine.IO v4 connection over an already upgraded WebSocket.
 *
 * It speaks the Engine.IO layer only: it sends the OPEN handshake, pings the client every
 * pingInterval and closes the connection when no pong comes back within pingTimeout (in v4
 * the *server* pings), closes it when a client message exceeds maxPayload (WebSocket close
 * code 1009, as the reference server's `ws` does) or is not an Engine.IO packet, and hands
 * every message on: text messages without their `4` prefix, binary frames as they are.
 * SocketIoServer builds Socket.IO on top of it; EngineIoEchoServer uses it bare.
 *
 * closed() is emitted exactly once, with the reason the reference server gives
 * (`transport close`, `ping timeout`, `parse error`, `transport error`, or the one passed to
 * close()); nothing is received or sent after it. The owner may delete the object from a slot
 * connected to closed() only with deleteLater(). The WebSocket lingers briefly after closed()
 * so that frames already queued (a final `41`, a close frame) still reach the client.
 *
 * Frames go to the WebSocket as they are sent, and what accumulates during one event-loop turn
 * reaches the network in one write. Options::writeBatchMs > 0 paces the writes instead, the
 * way the reference server's write callbacks do: a frame goes out at once when nothing is
 * pending, and frames sent after it wait that long and go out together. Then a client that
 * handles its socket one read at a time sees the CONNECT reply and the first event in separate
 * reads, as it mostly does with the reference server. The official protocol test suite relies
 * on that (SocketIoConformance uses 5 ms); nothing else needs it.
 *
 * A client that stops reading (a frozen process, a dead link the kernel has not noticed yet)
 * would make the server buffer everything sent to it. Once more than
 * Options::maxBufferedBytes are unsent (counted as frames are written, less what the socket
 * reports written; UTF-16 length for text, so a lower bound), the connection is dropped
 * without waiting for the buffer to drain and closed() says `transport error`. The client
 * reconnects and catches up through recovery or a reload, as after any dropped link.
 *
 * Single-threaded: the object lives in the thread of its WebSocket.
 */
class EngineIoConnection : public QObject
{
    Q_OBJECT

public:
    /** Heartbeat and size limits, announced to the client in the OPEN packet. */
    class Options
    {
    public:
        int pingIntervalMs = 25000;
        int pingTimeoutMs = 20000;
        /// Largest message (in bytes, type digit included) the client may send.
        qint64 maxPayload = 1000000;
        /// > 0: paced writes, see the class description. 0: plain writes.
        int writeBatchMs = 0;
        /// A client that leaves more than this many bytes unread is cut off (0: no limit).
        qint64 maxBufferedBytes = 16 * 1024 * 1024;
    };

    /// Takes ownership of an open WebSocket. Nothing is sent before open().
    EngineIoConnection(std::unique_ptr<QWebSocket> socket, const Options &options,
                       QObject *parent = nullptr);
    ~EngineIoConnection() override;

    /// Sends the OPEN packet and starts the heartbeat. Separate from the constructor so that
    /// the owner can connect to the signals first. Emits closed() (queued) when the WebSocket
    /// is already gone.
    void open();

    /// The Engine.IO session id (also in the OPEN packet); never reused as a Socket.IO sid.
    QString id() const { return m_id; }
    bool isOpen() const { return m_state == State::Open; }
    const Options &options() const { return m_options; }
    /// The WebSocket request URL (path and query of the upgrade), for logging and routing.
    QUrl requestUrl() const;
    /// The peer's address as text, for logging.
    QString peerName() const;

    /// Sends a message packet (`4` + @p text). False when the connection is not open.
    bool sendMessage(const QString &text);
    /// Sends a binary message (one binary WebSocket frame). False when not open.
    bool sendBinary(const QByteArray &data);

    /// Closes the connection from the server side; emits closed(@p reason) unless already
    /// closed. Frames sent before still go out first.
    void close(const QString &reason = QStringLiteral("forced close"));

    /// A random URL-safe id of 20 characters (120 bits), like the reference server's base64id:
    /// used for Engine.IO sids, Socket.IO sids and private session ids.
    static QString generateId();

Q_SIGNALS:
    /// A text message from the client, without the Engine.IO `4`.
    void messageReceived(const QString &text);
    /// A binary frame from the client (for Socket.IO: an attachment).
    void binaryReceived(const QByteArray &data);
    /// The connection is over; see the class description for the reasons.
    void closed(const QString &reason);

private:
    enum class State { Created, Open, Closed };

    void onTextFrame(const QString &frame);
    void onBinaryFrame(const QByteArray &frame);
    void onDisconnected();
    void sendPing();
    /// Writes @p frame now, or queues it while earlier frames are being written.
    void write(const QString &text, const QByteArray &binary, bool isBinary);
    void drain();
    void flushBatch();
    void flushQueue();
    /// Counts @p bytes as unsent and schedules the cut-off once there are too many.
    void countUnsent(qint64 bytes);
    bool oversized(qint64 bytes) const { return bytes > m_options.maxPayload; }
    /// Ends the connection: @p closeCode goes to the client (when still connected), the
    /// WebSocket is released to linger, closed(@p reason) is emitted.
    void finish(const QString &reason, int closeCode, const QString &closeMessage);

    Options m_options;
    QString m_id;
    State m_state = State::Created;
    QPointer<QWebSocket> m_socket;
    QTimer m_pingIntervalTimer;
    QTimer m_pingTimeoutTimer;
    QTimer m_batchTimer;

    class Frame
    {
    public:
        QString text;
        QByteArray binary;
        bool isBinary = false;
    };
    QList<Frame> m_queue;
    bool m_writing = false;
    qint64 m_unsent = 0;
    bool m_cuttingOff = false;
};

} // namespace livedesk::server
