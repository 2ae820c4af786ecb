// SPDX-License-Identifier: MIT
// livedesk-server's HTTP connections under abuse: raw sockets against the in-process server,
// with short timeouts so that nothing here waits long.
#include "livedeskserver.h"

#include "apiserver.h"
#include "httplistener.h"
#include "socketioserver.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QScopeGuard>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using namespace livedesk;

namespace {

// A client that speaks HTTP by hand and keeps everything the server sends.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        QObject::connect(&socket, &QIODevice::readyRead, &socket,
                         [this] { received += socket.readAll(); });
        QObject::connect(&socket, &QAbstractSocket::disconnected, &socket,
                         [this] { closed = true; });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }
    bool waitConnected() { return socket.waitForConnected(5000); }
    void send(const QByteArray &bytes)
    {
        socket.write(bytes);
        socket.flush();
    }
    // Whether a whole response (head and Content-Length body) has arrived.
    bool hasResponse(int index = 0) const { return response(index).has_value(); }
    std::optional<std::pair<QByteArray, QByteArray>> response(int index = 0) const
    {
        qsizetype from = 0;
        for (int i = 0;; ++i) {
            const qsizetype end = received.indexOf("\r\n\r\n", from);
            if (end < 0)
                return std::nullopt;
            const QByteArray head = received.mid(from, end - from);
            qint64 length = 0;
            for (const QByteArray &line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (received.size() < end + 4 + length)
                return std::nullopt;
            if (head.startsWith("HTTP/1.1 100 ")) {
                from = end + 4;
                --i;
                continue;
            }
            if (i == index)
                return std::make_pair(head, received.mid(end + 4, length));
            from = end + 4 + length;
        }
    }
    int status(int index = 0) const
    {
        const auto r = response(index);
        return r ? r->first.mid(9, 3).toInt() : 0;
    }
    QString errorCode(int index = 0) const
    {
        const auto r = response(index);
        return r ? QJsonDocument::fromJson(r->second)
                       .object()
                       .value(u"error")
                       .toObject()
                       .value(u"code")
                       .toString()
                 : QString();
    }
    bool headerSays(const QByteArray &header, int index = 0) const
    {
        const auto r = response(index);
        return r && r->first.toLower().contains(header.toLower());
    }

    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
};

QByteArray get(const QByteArray &path, const QByteArray &extra = {},
               const QByteArray &version = "HTTP/1.1")
{
    return "GET " + path + ' ' + version + "\r\nHost: localhost\r\n" + extra + "\r\n";
}

} // namespace

class TestHttpConnections : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;
    QByteArray m_token;

    // A server whose timeouts are short (or long, for tests that must not hit them).
    bool start(int timeoutMs, int perAddress = 256, int socketsPerAddress = 256,
               int sockets = 10000)
    {
        m_server.reset();
        server::LivedeskServer::Options options;
        options.seedDemoData = false;
        options.http.headerTimeoutMs = timeoutMs;
        options.http.bodyTimeoutMs = timeoutMs;
        options.http.idleTimeoutMs = timeoutMs;
        options.http.lingerMs = 1000;
        options.http.acceptPauseMs = 100;
        options.http.maxConnectionsPerAddress = perAddress;
        options.maxSocketsPerAddress = socketsPerAddress;
        options.maxSockets = sockets;
        m_server = std::make_unique<server::LivedeskServer>(options);
        QString error;
        if (!m_server->start(&error)) {
            qWarning() << error;
            return false;
        }
        m_token = m_server->api()->issueAccessToken(u"nurse@demo.local"_s).toLatin1();
        return true;
    }
    quint16 port() const { return m_server->port(); }

private Q_SLOTS:
    void cleanup() { m_server.reset(); }

    void oversizedContentLengthIsRefusedBeforeTheBody()
    {
        QVERIFY(start(60000));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        // 50 MiB announced, not a byte of it sent: the answer comes anyway, and the
        // connection is closed (the body is never read).
        c.send("POST /api/patients HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + m_token
               + "\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n");
        QTRY_VERIFY(c.hasResponse());
        QCOMPARE(c.status(), 413);
        QCOMPARE(c.errorCode(), u"PAYLOAD_TOO_LARGE"_s);
        QVERIFY(c.headerSays("connection: close"));
        QTRY_VERIFY(c.closed);
    }

    void bodyOnARouteThatTakesNoneIsRefused()
    {
        QVERIFY(start(60000));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        c.send("POST /api/health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 52428800\r\n\r\n");
        QTRY_VERIFY(c.hasResponse());
        QCOMPARE(c.status(), 413);
        QTRY_VERIFY(c.closed);
    }

    void uploadsHaveTheirOwnLimit()
    {
        QVERIFY(start(60000));
        // Above the JSON limit, below the upload limit: admitted (and told to go on).
        RawClient upload(port());
        QVERIFY(upload.waitConnected());
        upload.send("POST /api/patients/import/validate HTTP/1.1\r\nHost: localhost\r\n"
                    "Authorization: Bearer "
                    + m_token
                    + "\r\nContent-Type: text/csv\r\nExpect: 100-continue\r\n"
                      "Content-Length: 10485760\r\n\r\n");
        QTRY_VERIFY(upload.received.startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
        QVERIFY(!upload.closed);
        // Above the upload limit: refused.
        RawClient tooBig(port());
        QVERIFY(tooBig.waitConnected());
        tooBig.send("POST /api/patients/import/validate HTTP/1.1\r\nHost: localhost\r\n"
                    "Authorization: Bearer "
                    + m_token + "\r\nContent-Type: text/csv\r\nContent-Length: 1073741824\r\n\r\n");
        QTRY_VERIFY(tooBig.hasResponse());
        QCOMPARE(tooBig.status(), 413);
    }

    void unauthenticatedBodyIsRefusedUnread_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("invalid") << QByteArray("Authorization: Bearer not.a.token\r\n");
    }

    void unauthenticatedBodyIsRefusedUnread()
    {
        QFETCH(QByteArray, authorization);
        QVERIFY(start(60000));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        // A body within the JSON limit, announced but not sent: 401 without waiting for it.
        c.send("POST /api/patients HTTP/1.1\r\nHost: localhost\r\n" + authorization
               + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n");
        QTRY_VERIFY(c.hasResponse());
        QCOMPARE(c.status(), 401);
        QCOMPARE(c.errorCode(), u"UNAUTHORIZED"_s);
        QTRY_VERIFY(c.closed);
    }

    void endlessChunkedBodyIsCapped()
    {
        QVERIFY(start(60000));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        c.send("POST /api/patients HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + m_token
               + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        // 3 MiB of chunks and no last chunk: more than any JSON body may be.
        const QByteArray chunk = "10000\r\n" + QByteArray(0x10000, ' ') + "\r\n";
        for (int i = 0; i < 48 && !c.closed; ++i)
            c.send(chunk);
        QTRY_VERIFY(c.hasResponse());
        QCOMPARE(c.status(), 413);
        QTRY_VERIFY(c.closed);
    }

    void oversizedHeadIsRefused()
    {
        QVERIFY(start(60000));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        c.send("GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Padding: "
               + QByteArray(100 * 1024, 'x'));
        QTRY_VERIFY(c.hasResponse());
        QCOMPARE(c.status(), 431);
        QTRY_VERIFY(c.closed);
    }

    void incompleteHeadIsClosedAfterTheHeaderTimeout()
    {
        QVERIFY(start(300));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        c.send("GET /api/health HTTP/1.1\r\nHost: loc");
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 10000);
        QCOMPARE(c.status(), 408);
        QCOMPARE(m_server->api()->listener()->timedOutCount(), 1);
    }

    void silentConnectionIsClosedAfterTheHeaderTimeout()
    {
        QVERIFY(start(300));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 10000);
    }

    void incompleteBodyIsClosedAfterTheBodyTimeout()
    {
        QVERIFY(start(300));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        c.send("POST /api/patients HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + m_token
               + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"hn\":");
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 10000);
        QCOMPARE(c.status(), 408);
    }

    void idleKeepAliveConnectionIsClosed()
    {
        QVERIFY(start(300));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        c.send(get("/api/health"));
        QTRY_VERIFY(c.hasResponse());
        QCOMPARE(c.status(), 200);
        QVERIFY(!c.headerSays("connection: close"));
        QTRY_VERIFY_WITH_TIMEOUT(c.closed, 10000);
        // Quietly: an idle connection gets no answer.
        QVERIFY(!c.hasResponse(1));
    }

    void keepAliveServesSeveralRequests()
    {
        QVERIFY(start(60000));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        c.send(get("/api/health"));
        QTRY_VERIFY(c.hasResponse(0));
        // Two at once (pipelined), the second split across writes.
        c.send(get("/api/health") + "GET /api/sch");
        c.send("ema HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + m_token + "\r\n\r\n");
        QTRY_VERIFY(c.hasResponse(2));
        QCOMPARE(c.status(1), 200);
        QCOMPARE(c.status(2), 200);
        QVERIFY(!c.closed);
    }

    void connectionCloseIsHonoured()
    {
        QVERIFY(start(60000));
        RawClient c(port());
        QVERIFY(c.waitConnected());
        c.send(get("/api/health", "Connection: close\r\n"));
        QTRY_VERIFY(c.closed);
        QCOMPARE(c.status(), 200);
        QVERIFY(c.headerSays("connection: close"));
    }

    void http10ClosesUnlessKeepAlive()
    {
        QVERIFY(start(60000));
        RawClient plain(port());
        QVERIFY(plain.waitConnected());
        plain.send(get("/api/health", {}, "HTTP/1.0"));
        QTRY_VERIFY(plain.closed);
        QCOMPARE(plain.status(), 200);

        RawClient kept(port());
        QVERIFY(kept.waitConnected());
        kept.send(get("/api/health", "Connection: keep-alive\r\n", "HTTP/1.0"));
        QTRY_VERIFY(kept.hasResponse(0));
        kept.send(get("/api/health", "Connection: keep-alive\r\n", "HTTP/1.0"));
        QTRY_VERIFY(kept.hasResponse(1));
        QCOMPARE(kept.status(1), 200);
        QVERIFY(!kept.closed);
    }

    void connectionsPerAddressAreCapped()
    {
        QVERIFY(start(60000, 3));
        server::HttpListener *listener = m_server->api()->listener();
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<RawClient>(port()));
            QVERIFY(clients.back()->waitConnected());
        }
        QTRY_COMPARE(listener->connectionsFrom(QHostAddress::LocalHost), 3);
        RawClient fourth(port());
        QVERIFY(fourth.waitConnected());
        QTRY_VERIFY(fourth.hasResponse());
        QCOMPARE(fourth.status(), 503);
        QTRY_VERIFY(fourth.closed);
        QCOMPARE(listener->refusedCount(), 1);

        // The others are served, and a place freed is a place for someone else.
        clients.front()->send(get("/api/health"));
        QTRY_VERIFY(clients.front()->hasResponse());
        QCOMPARE(clients.front()->status(), 200);
        clients.back()->socket.disconnectFromHost();
        QTRY_COMPARE(listener->connectionsFrom(QHostAddress::LocalHost), 2);
        RawClient again(port());
        QVERIFY(again.waitConnected());
        again.send(get("/api/health"));
        QTRY_VERIFY(again.hasResponse());
        QCOMPARE(again.status(), 200);
    }

    void descriptorExhaustionShedsIdleConnections()
    {
#ifdef Q_OS_UNIX
        QVERIFY(start(60000));
        server::HttpListener *listener = m_server->api()->listener();
        std::vector<std::unique_ptr<RawClient>> idle;
        for (int i = 0; i < 3; ++i) {
            idle.push_back(std::make_unique<RawClient>(port()));
            QVERIFY(idle.back()->waitConnected());
            idle.back()->send(get("/api/health"));
            QTRY_VERIFY(idle.back()->hasResponse());
        }

        // Use up every descriptor but one, which the next client takes: the server's
        // accept() then fails for want of a descriptor.
        rlimit saved{};
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &saved), 0);
        rlimit low = saved;
        low.rlim_cur = std::min<rlim_t>(saved.rlim_max, 1024);
        QCOMPARE(setrlimit(RLIMIT_NOFILE, &low), 0);
        std::vector<int> filler;
        for (int fd; (fd = ::open("/dev/null", O_RDONLY)) >= 0;)
            filler.push_back(fd);
        QVERIFY(!filler.empty());
        ::close(filler.back());
        filler.pop_back();
        auto restore = qScopeGuard([&] {
            for (int fd : filler)
                ::close(fd);
            setrlimit(RLIMIT_NOFILE, &saved);
        });

        RawClient late(port());
        QVERIFY(late.waitConnected());
        late.send(get("/api/health"));
        // The server closes the longest-idle connections, accepts again, and serves it.
        QTRY_VERIFY(late.hasResponse());
        QCOMPARE(late.status(), 200);
        QVERIFY(listener->shedCount() >= 1);
        QTRY_VERIFY(idle.front()->closed);
#else
        QSKIP("descriptor limits are a POSIX matter");
#endif
    }

    void socketIoStillConnectsAndOutlivesTheIdleTimeout()
    {
        QVERIFY(start(300));
        QWebSocket ws;
        QStringList frames;
        connect(&ws, &QWebSocket::textMessageReceived, &ws,
                [&frames](const QString &frame) { frames.append(frame); });
        ws.open(QUrl(u"ws://127.0.0.1:%1/api/ws/?EIO=4&transport=websocket"_s.arg(port())));
        QTRY_VERIFY(!frames.isEmpty());
        QVERIFY(frames.constFirst().startsWith(u'0'));
        // Upgraded: no longer an HTTP connection.
        QTRY_COMPARE(m_server->api()->listener()->connectionsFrom(QHostAddress::LocalHost), 0);
        // Well past the HTTP timeouts, the socket is still there and answers.
        QTest::qWait(1200);
        QCOMPARE(ws.state(), QAbstractSocket::ConnectedState);
        ws.sendTextMessage(u"40{\"token\":\"%1\"}"_s.arg(QString::fromLatin1(m_token)));
        QTRY_VERIFY(frames.size() >= 2 && frames.last().startsWith(u"40{"));
        QCOMPARE(m_server->api()->listener()->timedOutCount(), 0);
    }

    // Upgraded WebSockets leave the HTTP count; Socket.IO counts them itself.
    void socketIoConnectionsAreCapped_data()
    {
        QTest::addColumn<int>("perAddress");
        QTest::addColumn<int>("total");
        QTest::addColumn<QString>("reason");
        QTest::newRow("per address") << 2 << 0 << u"Too many connections from this address"_s;
        QTest::newRow("in all") << 0 << 2 << u"Server full"_s;
    }
    void socketIoConnectionsAreCapped()
    {
        QFETCH(int, perAddress);
        QFETCH(int, total);
        QFETCH(QString, reason);
        QVERIFY(start(60000, 256, perAddress, total));
        server::SocketIoServer *sio = m_server->socketIo();
        const QUrl url(u"ws://127.0.0.1:%1/api/ws/?EIO=4&transport=websocket"_s.arg(port()));
        struct Peer
        {
            QWebSocket ws;
            QStringList frames;
            QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeNormal;
            QString closeReason;
            bool closed = false;
        };
        const auto open = [&url] {
            auto peer = std::make_unique<Peer>();
            Peer *p = peer.get();
            QObject::connect(&p->ws, &QWebSocket::textMessageReceived, &p->ws,
                             [p](const QString &frame) { p->frames.append(frame); });
            QObject::connect(&p->ws, &QWebSocket::disconnected, &p->ws, [p] {
                p->closed = true;
                p->closeCode = p->ws.closeCode();
                p->closeReason = p->ws.closeReason();
            });
            p->ws.open(url);
            return peer;
        };
        auto first = open();
        auto second = open();
        QTRY_VERIFY(!first->frames.isEmpty() && !second->frames.isEmpty());
        QCOMPARE(sio->connectionsFrom(QHostAddress::LocalHost), 2);

        auto third = open();
        QTRY_VERIFY(third->closed);
        QCOMPARE(third->closeCode, QWebSocketProtocol::CloseCodePolicyViolated);
        QCOMPARE(third->closeReason, reason);
        QVERIFY(third->frames.isEmpty()); // no Engine.IO handshake
        QCOMPARE(sio->refusedConnectionCount(), 1);
        QCOMPARE(sio->connectionCount(), 2);

        // A place freed is a place for someone else.
        first->ws.close();
        QTRY_COMPARE(sio->connectionsFrom(QHostAddress::LocalHost), 1);
        auto fourth = open();
        QTRY_VERIFY(!fourth->frames.isEmpty());
        QVERIFY(fourth->frames.constFirst().startsWith(u'0'));
        QVERIFY(!fourth->closed);
        QCOMPARE(sio->refusedConnectionCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestHttpConnections)
#include "tst_httpconnections.moc"
