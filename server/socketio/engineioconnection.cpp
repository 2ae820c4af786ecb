// SPDX-License-Identifier: MIT
#include "engineioconnection.h"

#include "enginepacket.h"
#include "socketioserverlogging.h"

#include <QtCore/QRandomGenerator>
#include <QtWebSockets/QWebSocket>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {
// How long a closed connection's WebSocket may take to flush its last frames.
constexpr int LingerMs = 2000;
} // namespace

EngineIoConnection::EngineIoConnection(std::unique_ptr<QWebSocket> socket, const Options &options,
                                       QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_id(generateId())
    , m_socket(socket.release())
{
    // TCP_NODELAY is for whoever accepted the TCP connection to set (WebSocketListener does):
    // QWebSocket does not expose its TCP socket.
    if (m_socket)
        m_socket->setParent(this);
    // The WebSocket layer refuses larger messages itself (close code 1009), so an oversized
    // message is never buffered whole; onTextFrame() checks again for sockets whose limit was
    // already reached during the handshake.
    if (m_socket && m_options.maxPayload > 0)
        m_socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxPayload));
    if (m_socket) {
        connect(m_socket, &QWebSocket::bytesWritten, this,
                [this](qint64 written) { m_unsent = std::max<qint64>(0, m_unsent - written); });
    }
    m_pingIntervalTimer.setSingleShot(true);
    m_pingTimeoutTimer.setSingleShot(true);
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_batchTimer, &QTimer::timeout, this, &EngineIoConnection::flushBatch);
    connect(&m_pingIntervalTimer, &QTimer::timeout, this, &EngineIoConnection::sendPing);
    connect(&m_pingTimeoutTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcServerSocketIo) << "engine" << m_id << "no pong within" << m_options.pingTimeoutMs
                                 << "ms from" << peerName();
        finish(u"ping timeout"_s, QWebSocketProtocol::CloseCodeNormal, u"ping timeout"_s);
    });
}

EngineIoConnection::~EngineIoConnection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void EngineIoConnection::open()
{
    if (m_state != State::Created)
        return;
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
        // Already gone: report it from the event loop, never inside the caller's frame.
        QMetaObject::invokeMethod(
            this, [this] { finish(u"transport close"_s, QWebSocketProtocol::CloseCodeNormal, {}); },
            Qt::QueuedConnection);
        return;
    }
    m_state = State::Open;
    connect(m_socket, &QWebSocket::textMessageReceived, this, &EngineIoConnection::onTextFrame);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &EngineIoConnection::onBinaryFrame);
    connect(m_socket, &QWebSocket::disconnected, this, &EngineIoConnection::onDisconnected);

    EngineHandshake handshake;
    handshake.sid = m_id;
    handshake.pingIntervalMs = m_options.pingIntervalMs;
    handshake.pingTimeoutMs = m_options.pingTimeoutMs;
    handshake.maxPayload = m_options.maxPayload;
    write(EnginePacket{EnginePacket::Open, handshake.toJson(), {}, false}.toTextFrame(), {}, false);
    qCDebug(lcServerSocketIo) << "engine" << m_id << "open for" << peerName();
    m_pingIntervalTimer.start(m_options.pingIntervalMs);
}

QUrl EngineIoConnection::requestUrl() const
{
    return m_socket ? m_socket->requestUrl() : QUrl();
}

QString EngineIoConnection::peerName() const
{
    if (!m_socket)
        return {};
    return u"%1:%2"_s.arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
}

bool EngineIoConnection::sendMessage(const QString &text)
{
    if (m_state != State::Open)
        return false;
    write(u'4' + text, {}, false);
    return true;
}

bool EngineIoConnection::sendBinary(const QByteArray &data)
{
    if (m_state != State::Open)
        return false;
    write({}, data, true);
    return true;
}

void EngineIoConnection::close(const QString &reason)
{
    finish(reason, QWebSocketProtocol::CloseCodeNormal, {});
}

QString EngineIoConnection::generateId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    // 15 bytes encode to exactly 20 base64url characters, no padding.
    const QByteArray bytes(reinterpret_cast<const char *>(words), 15);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void EngineIoConnection::onTextFrame(const QString &frame)
{
    if (m_state != State::Open)
        return;
    // A UTF-16 unit is at most three UTF-8 bytes: count exactly only when it may matter.
    if (oversized(frame.size())
        || (oversized(frame.size() * 3) && oversized(frame.toUtf8().size()))) {
        qCWarning(lcServerSocketIo)
            << "engine" << m_id << "message over maxPayload from" << peerName();
        finish(u"transport error"_s, QWebSocketProtocol::CloseCodeTooMuchData,
               u"Max payload size exceeded"_s);
        return;
    }
    const EnginePacket packet = EnginePacket::fromTextFrame(frame);
    switch (packet.type) {
    case EnginePacket::Invalid:
        qCWarning(lcServerSocketIo)
            << "engine" << m_id << "not an Engine.IO packet from" << peerName() << frame.left(40);
        finish(u"parse error"_s, QWebSocketProtocol::CloseCodeNormal, {});
        return;
    case EnginePacket::Pong:
        // The next ping is due one interval after this pong, as in the reference server.
        m_pingTimeoutTimer.stop();
        m_pingIntervalTimer.start(m_options.pingIntervalMs);
        return;
    case EnginePacket::Ping:
        // In v4 only the server pings; the reference server treats a client ping as an error.
        qCWarning(lcServerSocketIo)
            << "engine" << m_id << "invalid heartbeat direction from" << peerName();
        finish(u"transport error"_s, QWebSocketProtocol::CloseCodeNormal, {});
        return;
    case EnginePacket::Close:
        finish(u"transport close"_s, QWebSocketProtocol::CloseCodeNormal, {});
        return;
    case EnginePacket::Message:
        Q_EMIT messageReceived(packet.text);
        return;
    case EnginePacket::Open:
    case EnginePacket::Upgrade:
    case EnginePacket::Noop:
        return;
    }
}

void EngineIoConnection::onBinaryFrame(const QByteArray &frame)
{
    if (m_state != State::Open)
        return;
    if (oversized(frame.size())) {
        qCWarning(lcServerSocketIo)
            << "engine" << m_id << "binary message over maxPayload from" << peerName();
        finish(u"transport error"_s, QWebSocketProtocol::CloseCodeTooMuchData,
               u"Max payload size exceeded"_s);
        return;
    }
    Q_EMIT binaryReceived(frame);
}

void EngineIoConnection::onDisconnected()
{
    if (m_state == State::Closed)
        return;
    // The WebSocket layer closes with 1009 by itself when a message exceeds the limit.
    const bool tooBig
        = m_socket && m_socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData;
    if (tooBig)
        qCWarning(lcServerSocketIo)
            << "engine" << m_id << "message over maxPayload from" << peerName();
    finish(tooBig ? u"transport error"_s : u"transport close"_s,
           QWebSocketProtocol::CloseCodeNormal, {});
}

void EngineIoConnection::sendPing()
{
    if (m_state != State::Open)
        return;
    write(u"2"_s, {}, false);
    m_pingTimeoutTimer.start(m_options.pingTimeoutMs);
}

void EngineIoConnection::countUnsent(qint64 bytes)
{
    m_unsent += bytes;
    if (m_options.maxBufferedBytes <= 0 || m_unsent <= m_options.maxBufferedBytes || m_cuttingOff)
        return;
    m_cuttingOff = true;
    qCWarning(lcServerSocketIo).nospace()
        << "engine " << m_id << ": " << peerName() << " has left " << m_unsent
        << " bytes unread, more than " << m_options.maxBufferedBytes << "; dropping it";
    // Not from inside the caller (a broadcast going through its sockets): from the event loop.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_socket) {
                m_socket->disconnect(this);
                m_socket->abort();
            }
            finish(u"transport error"_s, QWebSocketProtocol::CloseCodeNormal, {});
        },
        Qt::QueuedConnection);
}

void EngineIoConnection::write(const QString &text, const QByteArray &binary, bool isBinary)
{
    if (m_cuttingOff)
        return;
    // Frame header included; text counts its UTF-16 length, a lower bound of its UTF-8 size.
    countUnsent((isBinary ? binary.size() : text.size()) + 2);
    if (m_options.writeBatchMs <= 0) {
        // The socket writes what accumulated during this event-loop turn in one go.
        if (isBinary)
            m_socket->sendBinaryMessage(binary);
        else
            m_socket->sendTextMessage(text);
        return;
    }
    if (m_writing) {
        m_queue.append({text, binary, isBinary});
        return;
    }
    if (isBinary)
        m_socket->sendBinaryMessage(binary);
    else
        m_socket->sendTextMessage(text);
    // QWebSocket would otherwise leave it in its buffer until the event loop polls the socket.
    m_socket->flush();
    m_writing = true;
    QMetaObject::invokeMethod(this, &EngineIoConnection::drain, Qt::QueuedConnection);
}

void EngineIoConnection::drain()
{
    // The event loop has turned since the last write: what was sent meanwhile goes out as one
    // batch after the delay; with nothing queued, the next frame goes out at once again.
    if (!m_socket || m_queue.isEmpty()) {
        m_writing = false;
        return;
    }
    m_batchTimer.start(m_options.writeBatchMs);
}

void EngineIoConnection::flushBatch()
{
    if (!m_socket)
        return;
    flushQueue();
    QMetaObject::invokeMethod(this, &EngineIoConnection::drain, Qt::QueuedConnection);
}

void EngineIoConnection::flushQueue()
{
    const QList<Frame> queue = std::exchange(m_queue, {});
    for (const Frame &frame : queue) {
        if (frame.isBinary)
            m_socket->sendBinaryMessage(frame.binary);
        else
            m_socket->sendTextMessage(frame.text);
    }
    m_socket->flush();
}

void EngineIoConnection::finish(const QString &reason, int closeCode, const QString &closeMessage)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_pingIntervalTimer.stop();
    m_pingTimeoutTimer.stop();
    m_batchTimer.stop();
    if (QWebSocket *socket = m_socket) {
        // What was queued still goes out, before the close frame.
        if (socket->state() == QAbstractSocket::ConnectedState)
            flushQueue();
        m_queue.clear();
        m_socket = nullptr;
        socket->disconnect(this);
        // Let the socket outlive this object until its queued frames and the close frame are
        // written; then it deletes itself.
        socket->setParent(nullptr);
        if (socket->state() == QAbstractSocket::UnconnectedState) {
            socket->deleteLater();
        } else {
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(LingerMs, socket, [socket] {
                socket->abort();
                socket->deleteLater();
            });
            socket->close(QWebSocketProtocol::CloseCode(closeCode), closeMessage);
        }
    }
    qCDebug(lcServerSocketIo) << "engine" << m_id << "closed:" << reason;
    Q_EMIT closed(reason);
}

} // namespace livedesk::server
