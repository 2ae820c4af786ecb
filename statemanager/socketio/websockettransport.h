// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QThread>
#include <QtCore/QUrl>

#include <memory>
#include <optional>

namespace livedesk {

/**
 * One WebSocket connection, read on a thread of its own: the transport under SocketIoClient
 * (docs/architecture.md, "From frame to pixel").
 *
 * QWebSocket reads everything the socket holds and parses every frame of it in one call. On
 * the thread that shows the rows, a burst of events that has piled up in the kernel's buffer
 * (twenty thousand frames after a busy moment) stops the window for tens of milliseconds
 * before the first of them is even handled, and no slicing of the handling can help. Here the
 * QWebSocket lives on its own thread: it reads and parses there, and what it reads waits in
 * one queue, in order, for the owner to take() at its own pace. The owner's thread never reads
 * a socket, so how long it spends per turn is up to it alone.
 *
 * Everything that happens to the connection is an Item in that one queue: frames, and its
 * opening, close and failure after the frames that came before them, so the owner sees them in
 * the order they happened. open() and abort() start afresh: what the previous connection left
 * in the queue is dropped, and nothing of it arrives later.
 *
 * Used from the thread it was created in; sendText() and close() reach the socket after what
 * was asked before them. A frame sent while the connection is closing is dropped (the owner
 * learns of the close from the queue, after the frames before it).
 */
class WebSocketTransport : public QObject
{
    Q_OBJECT

public:
    /** What happened to the connection, in the order it happened. */
    class Item
    {
    public:
        enum class Kind {
            Opened, ///< The WebSocket handshake succeeded.
            Text, ///< A text frame (text).
            Binary, ///< A binary frame (binary).
            Closed, ///< The connection closed; text is the peer's close reason, if any.
            Failed, ///< A socket error; text says which. The connection is done.
        };
        Kind kind = Kind::Text;
        QString text;
        QByteArray binary;
    };

    explicit WebSocketTransport(QObject *parent = nullptr);
    /// Drops the connection (no closing handshake) and stops the reading thread.
    ~WebSocketTransport() override;

    /// Drops any connection and its waiting items, then connects to @p url.
    void open(const QUrl &url);
    /// Drops the connection at once, without a closing handshake; nothing of it arrives later.
    void abort();
    /// Ends the connection with the closing handshake, after everything sent before. Nothing
    /// more of it arrives (as abort()), so a deliberate close needs no answer.
    void close();
    /// Sends @p frame as a text frame once the connection is open; dropped otherwise.
    void sendText(const QString &frame);

    /// The next item, or nothing when none is waiting.
    std::optional<Item> take();
    /// Whether an item is waiting.
    bool hasItems() const;
    /// The size of the frames waiting, in bytes as held (UTF-16 text, binary as it is).
    qsizetype waitingBytes() const;
    /**
     * Past @p bytes waiting (64 MiB unless set), the socket is not read until the owner has
     * taken some: a server that sends faster than the owner handles is held back by TCP
     * rather than filling memory. One frame always gets in, whatever its size.
     */
    void setHighWater(qsizetype bytes);

Q_SIGNALS:
    /// Items wait where none did: take() them. Not emitted again until take() has left or
    /// found the queue empty.
    void itemsAvailable();

private:
    class Inbox;
    class Reader;

    std::shared_ptr<Inbox> m_inbox;
    QThread m_thread;
    Reader *m_reader = nullptr;
};

} // namespace livedesk
