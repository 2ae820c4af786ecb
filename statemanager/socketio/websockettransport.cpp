// SPDX-License-Identifier: MIT
#include "socketio/websockettransport.h"

#include <QtCore/QMutex>
#include <QtCore/QPointer>
#include <QtCore/QWaitCondition>
#include <QtWebSockets/QWebSocket>

#include <deque>

namespace livedesk {

// The queue between the reading thread and the owner's. Each connection has a generation:
// items of an older one are refused, so a connection that was dropped says nothing more.
class WebSocketTransport::Inbox
{
public:
    static qsizetype sizeOf(const Item &item)
    {
        return item.text.size() * qsizetype(sizeof(QChar)) + item.binary.size();
    }

    // From the reading thread: @p item of connection @p generation. Past the high-water mark
    // the reading thread waits here until the owner has taken enough (or the connection is
    // dropped): the socket is not read meanwhile, so the server is held back by TCP instead of
    // this queue growing without end while the owner is busy.
    void push(quint64 generation, Item item)
    {
        QMutexLocker lock(&mutex);
        if (generation != current)
            return;
        bytes += sizeOf(item);
        items.push_back(std::move(item));
        if (!notified && owner) {
            // Posting is safe from any thread; the owner is not destroyed meanwhile (its
            // destructor clears `owner` under this lock first) and an event posted to it is
            // dropped with it.
            notified = true;
            QMetaObject::invokeMethod(
                owner, [owner = owner] { Q_EMIT owner->itemsAvailable(); }, Qt::QueuedConnection);
        }
        while (bytes > highWater && generation == current)
            roomFreed.wait(&mutex);
    }

    // From the owner's thread, under the lock: @p item was taken.
    void taken(const Item &item)
    {
        bytes -= sizeOf(item);
        if (bytes <= highWater)
            roomFreed.wakeAll();
    }

    // From the owner's thread: a new connection; the older ones' items are dropped.
    quint64 restart()
    {
        const QMutexLocker lock(&mutex);
        items.clear();
        bytes = 0;
        notified = false;
        roomFreed.wakeAll(); // a reader waiting for room stops waiting: its items are refused
        return ++current;
    }

    mutable QMutex mutex;
    QWaitCondition roomFreed;
    std::deque<Item> items;
    qsizetype bytes = 0;
    qsizetype highWater = 64 * 1024 * 1024;
    quint64 current = 0;
    bool notified = false;
    WebSocketTransport *owner = nullptr;
};

// Lives on the reading thread and owns the QWebSocket there.
class WebSocketTransport::Reader : public QObject
{
public:
    explicit Reader(std::shared_ptr<Inbox> inbox)
        : m_inbox(std::move(inbox))
    {
    }

    void open(const QUrl &url, quint64 generation)
    {
        drop(false);
        m_generation = generation;
        auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        m_socket = socket;
        // Frames may be large and many: no copy is made of them on the way to the queue.
        connect(socket, &QWebSocket::connected, this, [this, generation] {
            m_inbox->push(generation, {Item::Kind::Opened, {}, {}});
        });
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, generation](const QString &frame) {
                    m_inbox->push(generation, {Item::Kind::Text, frame, {}});
                });
        connect(socket, &QWebSocket::binaryMessageReceived, this,
                [this, generation](const QByteArray &frame) {
                    m_inbox->push(generation, {Item::Kind::Binary, {}, frame});
                });
        connect(socket, &QWebSocket::disconnected, this, [this, socket, generation] {
            m_inbox->push(generation, {Item::Kind::Closed, socket->closeReason(), {}});
        });
        connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
                [this, socket, generation](QAbstractSocket::SocketError) {
                    m_inbox->push(generation, {Item::Kind::Failed, socket->errorString(), {}});
                });
        socket->open(url);
    }

    void send(const QString &frame, quint64 generation)
    {
        if (generation == m_generation && m_socket
            && m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->sendTextMessage(frame);
    }

    void finish(quint64 generation, bool graceful)
    {
        if (generation == m_generation)
            drop(graceful);
    }

    void drop(bool graceful)
    {
        if (!m_socket)
            return;
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        if (graceful)
            socket->close();
        else
            socket->abort();
        socket->deleteLater();
    }

private:
    std::shared_ptr<Inbox> m_inbox;
    QPointer<QWebSocket> m_socket;
    quint64 m_generation = 0;
};

WebSocketTransport::WebSocketTransport(QObject *parent)
    : QObject(parent)
    , m_inbox(std::make_shared<Inbox>())
{
    m_inbox->owner = this;
    m_reader = new Reader(m_inbox);
    m_reader->moveToThread(&m_thread);
    // The reader and its socket are deleted on their own thread, as it ends.
    connect(&m_thread, &QThread::finished, m_reader, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("livedesk WebSocket"));
    m_thread.start();
}

WebSocketTransport::~WebSocketTransport()
{
    {
        const QMutexLocker lock(&m_inbox->mutex);
        m_inbox->owner = nullptr;
        ++m_inbox->current;
        m_inbox->roomFreed.wakeAll();
    }
    QMetaObject::invokeMethod(
        m_reader, [reader = m_reader] { reader->drop(false); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void WebSocketTransport::open(const QUrl &url)
{
    const quint64 generation = m_inbox->restart();
    QMetaObject::invokeMethod(
        m_reader, [reader = m_reader, url, generation] { reader->open(url, generation); });
}

void WebSocketTransport::abort()
{
    const quint64 generation = m_inbox->restart() - 1;
    QMetaObject::invokeMethod(
        m_reader, [reader = m_reader, generation] { reader->finish(generation, false); });
}

void WebSocketTransport::close()
{
    const quint64 generation = m_inbox->restart() - 1;
    QMetaObject::invokeMethod(
        m_reader, [reader = m_reader, generation] { reader->finish(generation, true); });
}

void WebSocketTransport::sendText(const QString &frame)
{
    quint64 generation;
    {
        const QMutexLocker lock(&m_inbox->mutex);
        generation = m_inbox->current;
    }
    QMetaObject::invokeMethod(
        m_reader, [reader = m_reader, frame, generation] { reader->send(frame, generation); });
}

std::optional<WebSocketTransport::Item> WebSocketTransport::take()
{
    const QMutexLocker lock(&m_inbox->mutex);
    if (m_inbox->items.empty()) {
        m_inbox->notified = false;
        return std::nullopt;
    }
    Item item = std::move(m_inbox->items.front());
    m_inbox->items.pop_front();
    m_inbox->taken(item);
    // The owner stops when this was the last one (or its time is up) and may not call take()
    // again to find the queue empty: the next item must be announced all the same.
    if (m_inbox->items.empty())
        m_inbox->notified = false;
    return item;
}

bool WebSocketTransport::hasItems() const
{
    const QMutexLocker lock(&m_inbox->mutex);
    return !m_inbox->items.empty();
}

qsizetype WebSocketTransport::waitingBytes() const
{
    const QMutexLocker lock(&m_inbox->mutex);
    return m_inbox->bytes;
}

void WebSocketTransport::setHighWater(qsizetype bytes)
{
    const QMutexLocker lock(&m_inbox->mutex);
    m_inbox->highWater = bytes;
    m_inbox->roomFreed.wakeAll();
}

} // namespace livedesk
