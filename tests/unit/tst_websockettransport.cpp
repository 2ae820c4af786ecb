// SPDX-License-Identifier: MIT
// WebSocketTransport against a real QWebSocketServer that runs on a thread of its own, so the
// test's thread can stop running its event loop (as a window busy with a burst does) while the
// server goes on sending.

#include "socketio/websockettransport.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <algorithm>
#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using livedesk::WebSocketTransport;
using Kind = WebSocketTransport::Item::Kind;

namespace {

constexpr int Patience = 10000; // only reached on failure

// A WebSocket server on its own thread. When a client connects it sends `frames` text frames
// ("0", "1", ...), one binary frame if asked, and closes with `closeReason` if that is set.
// What the client sends is kept in `received` (read after the client is done).
class ServerThread
{
public:
    int frames = 0;
    bool binary = false;
    QString closeReason;

    ~ServerThread()
    {
        m_thread.quit();
        m_thread.wait();
    }

    QUrl start()
    {
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread.start();
        QUrl url;
        QMetaObject::invokeMethod(
            m_context,
            [this, &url] {
                auto *server
                    = new QWebSocketServer(u"test"_s, QWebSocketServer::NonSecureMode, m_context);
                server->listen(QHostAddress::LocalHost);
                url = QUrl(u"ws://127.0.0.1:%1/"_s.arg(server->serverPort()));
                QObject::connect(server, &QWebSocketServer::newConnection, m_context,
                                 [this, server] { serve(server->nextPendingConnection()); });
            },
            Qt::BlockingQueuedConnection);
        return url;
    }

    QStringList received() const
    {
        QStringList copy;
        QMetaObject::invokeMethod(
            m_context, [&] { copy = m_received; }, Qt::BlockingQueuedConnection);
        return copy;
    }
    bool peerClosed() const { return m_peerClosed; }
    /// Sends @p count frames of @p text to the client connected last, from the server's thread.
    void send(const QString &text, int count = 1)
    {
        QMetaObject::invokeMethod(m_context, [this, text, count] {
            for (int i = 0; i < count && m_socket; ++i)
                m_socket->sendTextMessage(text);
        });
    }

private:
    void serve(QWebSocket *socket)
    {
        socket->setParent(m_context);
        m_socket = socket;
        QObject::connect(socket, &QWebSocket::textMessageReceived, m_context,
                         [this](const QString &text) { m_received.append(text); });
        QObject::connect(socket, &QWebSocket::disconnected, m_context,
                         [this] { m_peerClosed = true; });
        for (int i = 0; i < frames; ++i)
            socket->sendTextMessage(QString::number(i));
        if (binary)
            socket->sendBinaryMessage(QByteArray("\x00\x01\x02", 3));
        if (!closeReason.isEmpty())
            socket->close(QWebSocketProtocol::CloseCodeNormal, closeReason);
    }

    QThread m_thread;
    QObject *m_context = nullptr;
    QStringList m_received;
    QPointer<QWebSocket> m_socket;
    std::atomic<bool> m_peerClosed = false;
};

// Takes items, running the event loop while none waits, until @p count were taken or
// Patience ran out.
QList<WebSocketTransport::Item> takeItems(WebSocketTransport *transport, int count)
{
    QList<WebSocketTransport::Item> items;
    QDeadlineTimer deadline(Patience);
    while (items.size() < count && !deadline.hasExpired()) {
        if (auto item = transport->take())
            items.append(std::move(*item));
        else
            QTest::qWait(5);
    }
    return items;
}

} // namespace

class TestWebSocketTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Opening, frames, and the close come in the order they happened, the close with its
    // reason after every frame before it.
    void itemsComeInOrder()
    {
        ServerThread server;
        server.frames = 500;
        server.binary = true;
        server.closeReason = u"going away"_s;
        const QUrl url = server.start();
        WebSocketTransport transport;
        transport.open(url);
        const QList<WebSocketTransport::Item> items = takeItems(&transport, 503);
        QCOMPARE(items.size(), 503);
        QCOMPARE(items.first().kind, Kind::Opened);
        for (int i = 0; i < 500; ++i) {
            QCOMPARE(items.at(i + 1).kind, Kind::Text);
            QCOMPARE(items.at(i + 1).text, QString::number(i));
        }
        QCOMPARE(items.at(501).kind, Kind::Binary);
        QCOMPARE(items.at(501).binary, QByteArray("\x00\x01\x02", 3));
        QCOMPARE(items.at(502).kind, Kind::Closed);
        QCOMPARE(items.at(502).text, u"going away"_s);
        QVERIFY(!transport.take());
    }

    // The frames are read while the owner's thread runs no event loop at all: they wait, read
    // and parsed, and the owner takes every one of them without reading a socket itself.
    void framesAreReadWhileTheOwnerIsBusy()
    {
        ServerThread server;
        server.frames = 2000;
        const QUrl url = server.start();
        WebSocketTransport transport;
        QSignalSpy available(&transport, &WebSocketTransport::itemsAvailable);
        transport.open(url);
        // Busy: no event of this thread is processed from here on.
        QDeadlineTimer deadline(Patience);
        int taken = 0;
        while (taken < 2001 && !deadline.hasExpired()) {
            if (transport.take())
                ++taken;
            else
                QThread::msleep(1);
        }
        QCOMPARE(taken, 2001);
        // Notices are posted to this thread and wait for its loop.
        QCOMPARE(available.size(), 0);
        QVERIFY(available.wait(Patience));
    }

    // A notice is sent when items wait where none did, and again only once take() found the
    // queue empty: not one per frame.
    void noticesAreNotOnePerFrame()
    {
        ServerThread server;
        server.frames = 1000;
        const QUrl url = server.start();
        WebSocketTransport transport;
        QSignalSpy available(&transport, &WebSocketTransport::itemsAvailable);
        int taken = 0;
        int notices = 0;
        connect(&transport, &WebSocketTransport::itemsAvailable, this, [&] {
            ++notices;
            while (transport.take())
                ++taken;
        });
        transport.open(url);
        QTRY_COMPARE_WITH_TIMEOUT(taken, 1001, Patience);
        QVERIFY(notices >= 1);
        QVERIFY2(notices < 1001, qPrintable(QString::number(notices)));
    }

    // The owner takes the last waiting item and stops there, without finding the queue empty
    // (its slice ran out just then): what arrives next is announced all the same, not left
    // until something else makes it look.
    void theNextItemAfterTheLastTakenIsAnnounced()
    {
        ServerThread server;
        server.frames = 1;
        const QUrl url = server.start();
        WebSocketTransport transport;
        QSignalSpy available(&transport, &WebSocketTransport::itemsAvailable);
        transport.open(url);
        QTRY_VERIFY_WITH_TIMEOUT(!available.isEmpty(), Patience);
        int taken = 0;
        while (taken < 2) { // the opening and the frame; never a take() that finds nothing
            QTRY_VERIFY_WITH_TIMEOUT(transport.hasItems(), Patience);
            QVERIFY(transport.take());
            ++taken;
        }
        QCoreApplication::processEvents(); // notices posted before this point are delivered
        available.clear();
        server.send(u"later"_s);
        QVERIFY(available.wait(Patience));
        const std::optional<WebSocketTransport::Item> item = transport.take();
        QVERIFY(item);
        QCOMPARE(item->text, u"later"_s);
    }

    // A server that sends faster than the owner takes is held back: the queue stops growing
    // past its high-water mark (and one frame), and nothing is lost once the owner catches up.
    void aFullQueueHoldsTheServerBack()
    {
        ServerThread server;
        const QUrl url = server.start();
        WebSocketTransport transport;
        const qsizetype highWater = 64 * 1024;
        transport.setHighWater(highWater);
        transport.open(url);
        const QList<WebSocketTransport::Item> opened = takeItems(&transport, 1);
        QCOMPARE(opened.size(), 1);
        const QString frame(1000, u'x'); // 2,000 bytes as held
        const int count = 1000; // 2 MB in all, 30 times the mark
        server.send(frame, count);
        QTRY_VERIFY_WITH_TIMEOUT(transport.waitingBytes() >= highWater, Patience);
        QTest::qWait(300); // the server goes on sending meanwhile, the reader does not read
        QVERIFY2(transport.waitingBytes() <= highWater + 2000,
                 qPrintable(QString::number(transport.waitingBytes())));
        const QList<WebSocketTransport::Item> items = takeItems(&transport, count);
        QCOMPARE(items.size(), count);
        QVERIFY(std::all_of(items.cbegin(), items.cend(), [&](const auto &item) {
            return item.kind == Kind::Text && item.text == frame;
        }));
        QCOMPARE(transport.waitingBytes(), 0);
    }

    // Dropped while the reader waits for room: it stops waiting, and a new connection works.
    void abortWhileTheQueueIsFull()
    {
        ServerThread server;
        const QUrl url = server.start();
        WebSocketTransport transport;
        transport.setHighWater(16 * 1024);
        transport.open(url);
        QCOMPARE(takeItems(&transport, 1).size(), 1);
        server.send(QString(1000, u'y'), 500);
        QTRY_VERIFY_WITH_TIMEOUT(transport.waitingBytes() >= 16 * 1024, Patience);
        transport.abort();
        QCOMPARE(transport.waitingBytes(), 0);
        server.frames = 2;
        transport.open(url);
        const QList<WebSocketTransport::Item> items = takeItems(&transport, 3);
        QCOMPARE(items.size(), 3);
        QCOMPARE(items.at(1).text, u"0"_s);
    }

    // abort() drops what waits and anything the connection still sends; a new connection
    // afterwards starts clean.
    void abortDropsTheConnectionsItems()
    {
        ServerThread server;
        server.frames = 300;
        const QUrl url = server.start();
        WebSocketTransport transport;
        transport.open(url);
        QTRY_VERIFY_WITH_TIMEOUT(transport.hasItems(), Patience);
        transport.abort();
        QVERIFY(!transport.hasItems());
        QTest::qWait(200);
        QVERIFY(!transport.take());

        transport.open(url);
        const QList<WebSocketTransport::Item> items = takeItems(&transport, 301);
        QCOMPARE(items.size(), 301);
        QCOMPARE(items.first().kind, Kind::Opened);
        QCOMPARE(items.at(1).text, u"0"_s);
        QCOMPARE(items.last().text, u"299"_s);
    }

    // What is sent reaches the server in order, and a close after it ends the connection
    // with the closing handshake; the owner hears nothing more of it.
    void sentFramesThenClose()
    {
        ServerThread server;
        const QUrl url = server.start();
        WebSocketTransport transport;
        transport.open(url);
        const QList<WebSocketTransport::Item> opened = takeItems(&transport, 1);
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().kind, Kind::Opened);
        for (int i = 0; i < 50; ++i)
            transport.sendText(u"m%1"_s.arg(i));
        transport.close();
        QTRY_VERIFY_WITH_TIMEOUT(server.peerClosed(), Patience);
        const QStringList received = server.received();
        QCOMPARE(received.size(), 50);
        QCOMPARE(received.first(), u"m0"_s);
        QCOMPARE(received.last(), u"m49"_s);
        QTest::qWait(100);
        QVERIFY(!transport.take());
    }

    // A connection that cannot be made ends without opening, the socket's reason told.
    void refusedConnectionFails()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        WebSocketTransport transport;
        transport.open(QUrl(u"ws://127.0.0.1:%1/"_s.arg(port)));
        const QList<WebSocketTransport::Item> items = takeItems(&transport, 2);
        QCOMPARE(items.size(), 2);
        QList<Kind> kinds{items.at(0).kind, items.at(1).kind};
        QVERIFY(kinds.contains(Kind::Closed));
        QVERIFY(kinds.contains(Kind::Failed));
        const auto failed = kinds.indexOf(Kind::Failed);
        QVERIFY(items.at(failed).text.contains(u"refused"_s, Qt::CaseInsensitive));
    }

    // Destroyed with a connection open and items waiting: the reading thread ends cleanly.
    void destroyedWhileReading()
    {
        ServerThread server;
        server.frames = 5000;
        const QUrl url = server.start();
        auto transport = std::make_unique<WebSocketTransport>();
        transport->setHighWater(4096); // the reader waits for room as it is destroyed
        transport->open(url);
        QTRY_VERIFY_WITH_TIMEOUT(transport->waitingBytes() >= 4096, Patience);
        transport.reset();
        QTest::qWait(50); // a notice posted before the end must not reach a deleted object
    }
};

QTEST_GUILESS_MAIN(TestWebSocketTransport)
#include "tst_websockettransport.moc"
