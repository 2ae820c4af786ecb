// SPDX-License-Identifier: MIT
#include "socketio/socketioclient.h"

#include "livedesklogging.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtWebSockets/QWebSocket>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {
// The most frame handling the window's thread does before it lets the event loop turn.
constexpr qint64 FrameSliceNs = 8'000'000;
} // namespace

SocketIoClient::SocketIoClient(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    // The loop is about to wait for events: it has been through everything it had, so the
    // next frame starts a new slice.
    if (QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(thread()))
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this,
                [this] { m_sliceSpentNs = 0; });
    m_nextSlice.setSingleShot(true);
    m_nextSlice.setTimerType(Qt::PreciseTimer);
    connect(&m_nextSlice, &QTimer::timeout, this, [this] {
        m_sliceSpentNs = 0;
        if (!m_frames.empty())
            processFrames(false);
    });
    m_reconnectTimer.setSingleShot(true);
    m_heartbeatTimer.setSingleShot(true);
    m_connectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        m_nextReconnectAt = {};
        startAttempt();
    });
    connect(&m_heartbeatTimer, &QTimer::timeout, this, [this] {
        // The ping may be waiting in the backlog.
        if (!m_frames.empty()) {
            const QPointer<SocketIoClient> self(this); // a slot may delete the client
            processFrames(true);
            if (!self || m_heartbeatTimer.isActive() || !m_socket)
                return;
        }
        qCInfo(lcSocketIo) << "no ping from the server for"
                           << m_handshake.pingIntervalMs + m_handshake.pingTimeoutMs << "ms";
        lost(u"ping timeout"_s);
    });
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (!m_engineOpen)
            probePath();
        lost(u"connect timeout"_s);
    });
}

void SocketIoClient::probePath()
{
    // A server that leaves the WebSocket upgrade hanging looks unreachable from here. Asking
    // its HTTP side tells "down" from "up, but not at this path".
    if (m_probe)
        return;
    QUrl base = m_options.url;
    const QString scheme = base.scheme().toLower();
    base.setScheme(scheme == u"wss" || scheme == u"https" ? u"https"_s : u"http"_s);
    base.setPath(u"/"_s);
    base.setQuery(QString());
    if (!m_probeNetwork)
        m_probeNetwork = new QNetworkAccessManager(this);
    QNetworkRequest request(base);
    request.setTransferTimeout(5000);
    QNetworkReply *reply = m_probeNetwork->get(request);
    m_probe = reply;
    const QString tried = engineUrl().path();
    const int waitedMs = m_options.connectTimeoutMs;
    connect(reply, &QNetworkReply::finished, this, [this, reply, base, tried, waitedMs] {
        reply->deleteLater();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!status.isValid()) {
            m_pathDiagnosis.clear(); // nothing answers at all: unreachable is the truth
            return;
        }
        const QString diagnosis
            = tr("the HTTP server at %1 answers (status %2), but nothing answers Socket.IO at "
                 "%3 (no reply to the WebSocket upgrade within %4 ms): check the Socket.IO path")
                  .arg(base.toString(QUrl::RemovePath | QUrl::StripTrailingSlash),
                       status.toString(), tried, QString::number(waitedMs));
        if (diagnosis != m_pathDiagnosis)
            qCWarning(lcSocketIo).noquote() << diagnosis;
        m_pathDiagnosis = diagnosis;
    });
}

SocketIoClient::~SocketIoClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

QUrl SocketIoClient::engineUrl() const
{
    QUrl url = m_options.url;
    if (!url.isValid() || url.host().isEmpty())
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme == u"http" || scheme == u"ws")
        url.setScheme(u"ws"_s);
    else if (scheme == u"https" || scheme == u"wss")
        url.setScheme(u"wss"_s);
    else
        return {};
    QString path = m_options.path.isEmpty() ? u"/socket.io/"_s : m_options.path;
    if (!path.startsWith(u'/'))
        path.prepend(u'/');
    // A path in the base URL is a prefix (a server behind a reverse proxy at /his/), unless the
    // URL already names the Socket.IO path itself.
    QString prefix = url.path();
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    const QString bare = path.endsWith(u'/') ? path.chopped(1) : path;
    if (!prefix.isEmpty() && !prefix.endsWith(bare))
        path = prefix + path;
    else if (!prefix.isEmpty())
        path = prefix + (path.endsWith(u'/') ? u"/"_s : QString());
    url.setPath(path);
    QUrlQuery query(url);
    query.removeAllQueryItems(u"EIO"_s);
    query.removeAllQueryItems(u"transport"_s);
    query.addQueryItem(u"EIO"_s, u"4"_s);
    query.addQueryItem(u"transport"_s, u"websocket"_s);
    url.setQuery(query);
    url.setFragment({});
    return url;
}

void SocketIoClient::open()
{
    switch (m_state) {
    case State::Connected:
    case State::Connecting:
        return;
    case State::Reconnecting:
        // "Retry now": skip the rest of the backoff wait, but never stack attempts.
        if (m_reconnectTimer.isActive()) {
            m_reconnectTimer.stop();
            m_nextReconnectAt = {};
            startAttempt();
        }
        return;
    case State::Disconnected:
    case State::Failed:
        break;
    }
    m_failure = Failure::None;
    m_failureMessage.clear();
    m_backoff = Backoff(m_options.reconnectionDelayMs, m_options.reconnectionDelayMaxMs,
                        m_options.randomizationFactor);
    m_reconnectAttempt = 0;
    if (engineUrl().isEmpty()) {
        fail(Failure::InvalidUrl,
             u"not a usable server URL: '%1' (expected http(s):// or ws(s)://host[:port])"_s.arg(
                 m_options.url.toString()));
        return;
    }
    setState(State::Connecting);
    startAttempt();
}

void SocketIoClient::close()
{
    m_reconnectTimer.stop();
    m_nextReconnectAt = {};
    m_reconnectAttempt = 0;
    const bool wasConnected = m_namespaceConnected;
    if (wasConnected)
        sendPacket({SocketIoPacket::Disconnect, m_options.nsp});
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    dropTransport();
    // A deliberate close ends the session: the next open() starts a fresh one.
    m_pid.clear();
    m_lastOffset.clear();
    m_preConnectBuffer.clear();
    failPendingAcks(u"client disconnect"_s);
    if (m_state == State::Disconnected)
        return;
    QPointer<SocketIoClient> self(this);
    setState(State::Disconnected);
    if (self && wasConnected)
        Q_EMIT disconnected(u"io client disconnect"_s);
}

bool SocketIoClient::emitEvent(const QString &name, const QJsonArray &args)
{
    if (!isConnected())
        return false;
    QJsonArray data = args;
    data.prepend(name);
    SocketIoPacket p{SocketIoPacket::Event, m_options.nsp};
    p.data = data;
    return sendPacket(p);
}

void SocketIoClient::emitWithAck(const QString &name, const QJsonArray &args, QObject *context,
                                 AckCallback callback, int timeoutMs)
{
    if (!isConnected()) {
        // Queued, so the callback never runs inside the caller's own frame.
        QMetaObject::invokeMethod(
            context ? context : this,
            [callback] {
                callback({false, {}, {}, u"not connected"_s});
            },
            Qt::QueuedConnection);
        return;
    }
    const qint64 id = m_nextAckId++;
    QJsonArray data = args;
    data.prepend(name);
    SocketIoPacket p{SocketIoPacket::Event, m_options.nsp, id};
    p.data = data;

    PendingAck pending;
    pending.context = context;
    pending.hasContext = context != nullptr;
    pending.callback = std::move(callback);
    pending.timer = new QTimer(this);
    pending.timer->setSingleShot(true);
    connect(pending.timer, &QTimer::timeout, this, [this, id] {
        const auto pendingAck = m_pendingAcks.take(id);
        pendingAck.timer->deleteLater();
        if (!pendingAck.hasContext || pendingAck.context)
            pendingAck.callback({false, {}, {}, u"timeout"_s});
    });
    pending.timer->start(timeoutMs < 0 ? m_options.ackTimeoutMs : timeoutMs);
    m_pendingAcks.insert(id, pending);
    sendPacket(p);
}

bool SocketIoClient::sendAck(qint64 ackId, const QJsonArray &args)
{
    if (!isConnected() || ackId < 0)
        return false;
    SocketIoPacket p{SocketIoPacket::Ack, m_options.nsp, ackId};
    p.data = args;
    return sendPacket(p);
}

void SocketIoClient::startAttempt()
{
    dropTransport();
    m_engineOpen = false;
    m_namespaceConnected = false;
    m_preConnectBuffer.clear();

    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::textMessageReceived, this, &SocketIoClient::onTextFrame);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &SocketIoClient::onBinaryFrame);
    connect(socket, &QWebSocket::disconnected, this, &SocketIoClient::onTransportClosed);
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                if (socket == m_socket)
                    lost(socket->errorString());
            });
    m_connectTimer.start(m_options.connectTimeoutMs);
    const QUrl url = engineUrl();
    qCDebug(lcSocketIo) << "connecting to" << url.toDisplayString();
    socket->open(url);
}

void SocketIoClient::onTransportClosed()
{
    if (sender() != m_socket)
        return;
    const QPointer<QWebSocket> socket = m_socket;
    const QString reason = socket->closeReason();
    // What arrived before the close is delivered first.
    const QPointer<SocketIoClient> self(this); // a slot may delete the client
    processFrames(true);
    if (!self || m_socket != socket)
        return; // a frame ended this transport already
    lost(reason.isEmpty() ? u"transport close"_s : u"transport close: %1"_s.arg(reason));
}

void SocketIoClient::onTextFrame(const QString &frame)
{
    if (sender() != m_socket)
        return;
    takeFrame(frame, {}, false);
}

void SocketIoClient::onBinaryFrame(const QByteArray &frame)
{
    if (sender() != m_socket)
        return;
    takeFrame({}, frame, true);
}

void SocketIoClient::takeFrame(QString text, QByteArray binary, bool isBinary)
{
    ++m_stats.framesReceived;
    m_lastMessageAt = QDateTime::currentDateTimeUtc();
    m_frames.push_back({std::move(text), std::move(binary), isBinary});
    // Handled as it arrives, unless frames wait before it: then a slice is armed for them
    // (a spent slice left them, or a slot re-entered the event loop in the middle of one).
    if (m_nextSlice.isActive())
        return;
    if (m_frames.size() == 1)
        processFrames(false);
    else
        m_nextSlice.start(1);
}

// Handles queued frames in order: all of them, or until the slice is used up. A slice is the
// time spent here since the event loop last waited for events (or since the last slice's
// timer), so frames that arrive one by one in a busy loop add up rather than each getting a
// fresh budget. A spent slice leaves the rest for a slice a millisecond later, by a timer: a
// posted call ran before the event loop had painted or taken input, so two slices ran back to
// back and held the window for twice the budget. While a frame is handled with others
// waiting, that timer is armed too, so that a slot that re-enters the event loop does not
// leave them stranded. A lone frame arms nothing: it costs its handling and no more.
void SocketIoClient::processFrames(bool all)
{
    const QPointer<SocketIoClient> self(this);
    while (!m_frames.empty() && (all || m_sliceSpentNs < FrameSliceNs)) {
        const QueuedFrame frame = std::move(m_frames.front());
        m_frames.pop_front();
        if (!m_frames.empty() && !m_nextSlice.isActive())
            m_nextSlice.start(1);
        const qint64 before = m_sliceSpentNs;
        const qint64 start = m_clock.nsecsElapsed();
        if (frame.isBinary)
            handleBinaryFrame(frame.binary);
        else
            handleTextFrame(frame.text);
        if (!self)
            return;
        // Unless a slot re-entered the loop meanwhile, which began a slice of its own (and
        // counted its own frames): then this one's time is spent, not this slice's.
        if (m_sliceSpentNs == before)
            m_sliceSpentNs += m_clock.nsecsElapsed() - start;
    }
    if (m_frames.empty())
        m_nextSlice.stop();
    else
        m_nextSlice.start(1);
}

void SocketIoClient::handleTextFrame(const QString &frame)
{
    // Characters never outnumber UTF-8 bytes, so this only rejects frames that are surely over.
    if (frame.size() > m_options.maxFrameBytes) {
        noteMalformed(u"oversized frame (%1 characters, limit %2 bytes)"_s.arg(frame.size())
                          .arg(m_options.maxFrameBytes));
        return;
    }
    const EnginePacket packet = EnginePacket::fromTextFrame(frame);
    if (m_partialBinary && packet.type != EnginePacket::Ping) {
        noteMalformed(u"text frame while %1 binary attachment(s) were still expected"_s.arg(
            m_partialBinary->attachments - m_partialAttachments.size()));
        m_partialBinary.reset();
        m_partialAttachments.clear();
    }
    switch (packet.type) {
    case EnginePacket::Invalid:
        noteMalformed(u"not an Engine.IO packet: %1"_s.arg(frame.left(40)));
        return;
    case EnginePacket::Open:
        handleEngineOpen(packet.text);
        return;
    case EnginePacket::Ping:
        m_heartbeatTimer.start(m_handshake.pingIntervalMs + m_handshake.pingTimeoutMs);
        sendEngineText(u"3"_s + packet.text);
        return;
    case EnginePacket::Close:
        lost(u"transport close (server)"_s);
        return;
    case EnginePacket::Message:
        handleSocketIoPacket(packet.text);
        return;
    case EnginePacket::Pong:
    case EnginePacket::Upgrade:
    case EnginePacket::Noop:
        return;
    }
}

void SocketIoClient::handleBinaryFrame(const QByteArray &frame)
{
    if (frame.size() > m_options.maxFrameBytes) {
        noteMalformed(u"oversized binary frame (%1 bytes)"_s.arg(frame.size()));
        m_partialBinary.reset();
        m_partialAttachments.clear();
        return;
    }
    if (!m_partialBinary) {
        noteMalformed(
            u"binary frame with no binary packet awaiting it (%1 bytes)"_s.arg(frame.size()));
        return;
    }
    m_partialAttachments.append(frame);
    completeBinaryPacket();
}

void SocketIoClient::completeBinaryPacket()
{
    if (!m_partialBinary || m_partialAttachments.size() < m_partialBinary->attachments)
        return;
    const SocketIoPacket packet = *m_partialBinary;
    const QByteArrayList attachments = std::exchange(m_partialAttachments, {});
    m_partialBinary.reset();
    if (packet.type == SocketIoPacket::BinaryAck) {
        handleAck(packet.ackId, packet.data.toArray(), attachments);
        return;
    }
    QJsonArray args = packet.data.toArray();
    const QJsonValue name = args.takeAt(0);
    SocketIoEvent event{packet.nsp,
                        name.isString() ? name.toString() : QString::number(name.toDouble()), args,
                        attachments, packet.ackId};
    handleEventPacket(event);
}

void SocketIoClient::handleEngineOpen(const QString &json)
{
    if (m_engineOpen) {
        noteMalformed(u"second Engine.IO OPEN on one connection"_s);
        return;
    }
    QString error;
    EngineHandshake handshake;
    if (!EngineHandshake::parse(json, &handshake, &error)) {
        noteMalformed(error);
        lost(u"invalid Engine.IO handshake"_s);
        return;
    }
    m_handshake = handshake;
    m_engineOpen = true;
    m_pathDiagnosis.clear();
    m_heartbeatTimer.start(m_handshake.pingIntervalMs + m_handshake.pingTimeoutMs);

    QJsonObject data = m_options.auth;
    m_previousSid = m_sid;
    if (!m_pid.isEmpty()) {
        data.insert(u"pid"_s, m_pid);
        if (!m_lastOffset.isEmpty())
            data.insert(u"offset"_s, m_lastOffset);
    }
    SocketIoPacket connectPacket{SocketIoPacket::Connect, m_options.nsp};
    if (!data.isEmpty() || m_options.nsp != u"/")
        connectPacket.data = data;
    sendPacket(connectPacket);
}

void SocketIoClient::handleSocketIoPacket(const QString &text)
{
    SocketIoPacket packet;
    QString name;
    EventArgs args;
    QString error;
    if (!SocketIoPacket::decodeEvent(text, &packet, &name, &args, &error)) {
        noteMalformed(u"%1: %2"_s.arg(error, text.left(60)));
        return;
    }
    if (packet.nsp != m_options.nsp) {
        qCDebug(lcSocketIo) << "ignoring packet for namespace" << packet.nsp;
        return;
    }
    switch (packet.type) {
    case SocketIoPacket::Connect:
        handleConnectReply(packet);
        return;
    case SocketIoPacket::ConnectError: {
        const QString message = packet.data.isString()
            ? packet.data.toString()
            : packet.data.toObject().value(u"message").toString();
        const QJsonValue details = packet.data.toObject().value(u"data");
        qCWarning(lcSocketIo) << "server refused the connection:" << message;
        QPointer<SocketIoClient> self(this);
        fail(Failure::ConnectRefused, message.isEmpty() ? u"connection refused"_s : message);
        if (self)
            Q_EMIT connectError(m_failureMessage, details);
        return;
    }
    case SocketIoPacket::Disconnect: {
        qCInfo(lcSocketIo) << "disconnected by the server";
        const bool wasConnected = m_namespaceConnected;
        dropTransport();
        m_pid.clear();
        m_lastOffset.clear();
        failPendingAcks(u"server disconnect"_s);
        QPointer<SocketIoClient> self(this);
        setState(State::Disconnected);
        if (self && wasConnected)
            Q_EMIT disconnected(u"io server disconnect"_s);
        return;
    }
    case SocketIoPacket::Event:
        handleEventPacket({packet.nsp, std::move(name), std::move(args), {}, packet.ackId, text});
        return;
    case SocketIoPacket::Ack:
        handleAck(packet.ackId, packet.data.toArray());
        return;
    case SocketIoPacket::BinaryEvent:
    case SocketIoPacket::BinaryAck:
        m_partialBinary = packet;
        m_partialAttachments.clear();
        completeBinaryPacket(); // at once when it announced no attachments
        return;
    }
}

void SocketIoClient::handleConnectReply(const SocketIoPacket &packet)
{
    if (m_namespaceConnected) {
        noteMalformed(u"CONNECT reply on a connected namespace"_s);
        return;
    }
    const QJsonObject data = packet.data.toObject();
    const QString sentPid = m_pid;
    const QString newPid = data.value(u"pid").toString();
    m_connectTimer.stop();
    m_sid = data.value(u"sid").toString();
    m_recovered = !sentPid.isEmpty() && newPid == sentPid;
    if (!m_recovered)
        m_lastOffset.clear();
    m_pid = newPid;
    m_namespaceConnected = true;
    m_reconnectAttempt = 0;
    m_nextReconnectAt = {};
    m_backoff.reset();
    ++m_stats.connects;
    if (m_recovered)
        ++m_stats.recoveries;
    qCInfo(lcSocketIo) << "connected, sid" << m_sid << (m_recovered ? "(session recovered)" : "");

    QPointer<SocketIoClient> self(this);
    setState(State::Connected);
    if (!self || m_state != State::Connected)
        return;
    Q_EMIT connected(m_recovered);
    if (self)
        flushBufferedEvents();
}

void SocketIoClient::handleEventPacket(SocketIoEvent event)
{
    // On a recovering server every stored event ends with its offset (events that ask for an
    // ack are never stored, so they carry none).
    QString offset;
    if (!m_pid.isEmpty() && event.ackId < 0 && !event.args.isEmpty()
        && event.args.isString(event.args.size() - 1)) {
        offset = event.args.stringAt(event.args.size() - 1);
        event.args.removeLast();
        // The copies of one event carry different offsets; keep the text comparable.
        const QString suffix = u",\""_s + offset + u"\"]"_s;
        if (event.packetText.endsWith(suffix))
            event.packetText = event.packetText.chopped(suffix.size()) + u']';
        else
            event.packetText.clear();
    }
    if (!m_namespaceConnected) {
        m_preConnectBuffer.append({std::move(event), offset});
        return;
    }
    deliver(event, offset);
}

void SocketIoClient::deliver(const SocketIoEvent &event, const QString &offset)
{
    // Only a delivered event moves the offset: if the link dies with replayed events still
    // buffered, the next CONNECT asks for them again.
    if (!offset.isEmpty())
        m_lastOffset = offset;
    ++m_stats.eventsDelivered;
    Q_EMIT eventReceived(event);
}

void SocketIoClient::flushBufferedEvents()
{
    QPointer<SocketIoClient> self(this);
    while (self && m_namespaceConnected && !m_preConnectBuffer.isEmpty()) {
        const auto [event, offset] = m_preConnectBuffer.takeFirst();
        deliver(event, offset);
    }
}

void SocketIoClient::handleAck(qint64 id, const QJsonArray &args, const QByteArrayList &attachments)
{
    auto it = m_pendingAcks.find(id);
    if (it == m_pendingAcks.end()) {
        qCDebug(lcSocketIo) << "ack" << id << "arrived after its timeout";
        return;
    }
    const PendingAck pending = *it;
    m_pendingAcks.erase(it);
    delete pending.timer;
    if (!pending.hasContext || pending.context)
        pending.callback({true, args, attachments});
}

void SocketIoClient::lost(const QString &reason)
{
    if (m_state == State::Disconnected || m_state == State::Failed)
        return;
    const bool wasConnected = m_namespaceConnected;
    qCInfo(lcSocketIo) << "connection lost:" << reason;
    dropTransport();
    failPendingAcks(u"disconnected"_s);
    QPointer<SocketIoClient> self(this);
    if (!m_options.reconnection)
        setState(State::Disconnected);
    else
        scheduleReconnect();
    if (self && wasConnected)
        Q_EMIT disconnected(reason);
}

void SocketIoClient::scheduleReconnect()
{
    if (m_options.reconnectionAttempts >= 0
        && m_backoff.attempts() >= m_options.reconnectionAttempts) {
        fail(
            Failure::RetriesExhausted,
            m_pathDiagnosis.isEmpty()
                ? tr("server unreachable after %n attempt(s)", nullptr, m_backoff.attempts() + 1)
                : tr("%1 (%n attempt(s))", nullptr, m_backoff.attempts() + 1).arg(m_pathDiagnosis));
        return;
    }
    const int delay = m_backoff.next();
    m_reconnectAttempt = m_backoff.attempts();
    m_nextReconnectAt = QDateTime::currentDateTimeUtc().addMSecs(delay);
    m_reconnectTimer.start(delay);
    QPointer<SocketIoClient> self(this);
    setState(State::Reconnecting);
    if (self)
        Q_EMIT reconnectScheduled(m_reconnectAttempt, delay);
}

void SocketIoClient::fail(Failure failure, const QString &message)
{
    m_reconnectTimer.stop();
    m_nextReconnectAt = {};
    dropTransport();
    failPendingAcks(u"connection failed"_s);
    m_reconnectAttempt = 0;
    m_failure = failure;
    m_failureMessage = message;
    setState(State::Failed);
}

void SocketIoClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void SocketIoClient::dropTransport()
{
    m_heartbeatTimer.stop();
    m_connectTimer.stop();
    m_engineOpen = false;
    m_namespaceConnected = false;
    m_partialBinary.reset();
    m_partialAttachments.clear();
    m_frames.clear();
    m_nextSlice.stop();
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

bool SocketIoClient::sendPacket(const SocketIoPacket &packet)
{
    const QString frame = u"4"_s + packet.encode();
    // The server closes a connection that sends more than its maxPayload; refusing here keeps
    // an oversized emit from turning into a reconnect loop.
    if (m_engineOpen && frame.size() * 3 > m_handshake.maxPayload
        && frame.toUtf8().size() > m_handshake.maxPayload) {
        qCWarning(lcSocketIo) << "not sent: a" << frame.toUtf8().size()
                              << "byte packet exceeds the server's maxPayload"
                              << m_handshake.maxPayload;
        return false;
    }
    return sendEngineText(frame);
}

bool SocketIoClient::sendEngineText(const QString &frame)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    m_socket->sendTextMessage(frame);
    ++m_stats.framesSent;
    return true;
}

void SocketIoClient::failPendingAcks(const QString &why)
{
    if (m_pendingAcks.isEmpty())
        return;
    const auto pending = std::exchange(m_pendingAcks, {});
    for (const auto &p : pending) {
        delete p.timer;
        if (!p.hasContext || p.context)
            p.callback({false, {}, {}, why});
    }
}

void SocketIoClient::noteMalformed(const QString &reason)
{
    ++m_stats.malformedFrames;
    qCWarning(lcSocketIo) << "malformed frame dropped:" << reason;
    Q_EMIT malformedFrame(reason);
}

} // namespace livedesk
