// SPDX-License-Identifier: MIT
#pragma once

#include "httprequesthead.h"
#include "httpresponse.h"

#include <QtCore/QHash>
#include <QtNetwork/QTcpServer>

#include <functional>
#include <optional>

class QSocketNotifier;
class QTimer;

namespace livedesk::server {

/**
 * The TCP side of livedesk-server's HTTP port: it accepts connections and judges every
 * request by its head before Qt's HTTP parser reads a byte of its body.
 *
 * Qt 6.4's QAbstractHttpServer reads whole requests, body included, before the server sees
 * them, and never closes a connection by itself. This listener is bound to it
 * (QAbstractHttpServer::bind()) and owns each socket first: its readyRead slot runs before
 * Qt's, peeks at the bytes of the next request and keeps them from Qt (in a read transaction
 * it rolls back) until the head is complete. Then the Admit callback decides: a refusal (401,
 * 413, ...) is written at once and the connection closed without reading the body; otherwise
 * Qt parses the request, with the body capped at the admitted size (chunked bodies are
 * counted as they arrive).
 *
 * It also closes connections that hold resources for nothing (see Options): a head that does
 * not complete in time, a body that stops arriving, a keep-alive connection idle too long.
 * It caps connections per client address, closes the connection after the response when the
 * request asks for it (`Connection: close`, HTTP/1.0 without keep-alive), and, when accept()
 * fails for want of file descriptors, pauses accepting for a moment and closes the
 * longest-idle connections instead of spinning.
 *
 * The HTTP server tells it where each request stands: requestRead() when Qt hands over a
 * complete request, responded() once the answer is written, upgraded() when the connection
 * becomes a WebSocket (which then leaves its care: Engine.IO has its own heartbeat).
 */
class HttpListener : public QTcpServer
{
    Q_OBJECT

public:
    class Options
    {
    public:
        /// A request head (request line and headers) must be complete this long after the
        /// connection opened or the request's first byte arrived.
        int headerTimeoutMs = 10000;
        /// A body must keep arriving: no byte for this long closes the connection. An answer
        /// that closes the connection may stall as long before the connection is dropped.
        int bodyTimeoutMs = 30000;
        /// A keep-alive connection with no request in progress is closed after this long.
        int idleTimeoutMs = 60000;
        /// Larger request heads are refused with 431.
        int maxHeaderBytes = 64 * 1024;
        /// Open connections per client address (WebSockets leave the count when upgraded);
        /// the next is answered 503 and closed. 0: no cap.
        int maxConnectionsPerAddress = 256;
        /// After accept() failed for want of descriptors, accepting pauses this long.
        int acceptPauseMs = 500;
        /// A refused connection is read and discarded this long before it is dropped, so
        /// that the client reads the answer instead of a reset.
        int lingerMs = 2000;
    };

    /// What to do with a request, judged by its head.
    class Verdict
    {
    public:
        /// Set: answer this and close the connection without reading the body.
        std::optional<HttpResponse> refusal;
        /// The largest body admitted (bytes on the wire for a chunked body).
        qint64 maxBody = 0;
    };
    using Admit = std::function<Verdict(const HttpRequestHead &head)>;

    explicit HttpListener(const Options &options, Admit admit, QObject *parent = nullptr);
    ~HttpListener() override;

    /**
     * Listens like QTcpServer::listen(), but accepts connections itself: Qt 6.4's QTcpServer
     * retries a failing accept() at once, for ever, when descriptors run out.
     */
    bool listenAndAccept(const QHostAddress &address, quint16 port);

    /// Qt handed a complete request on @p socket to the server: what follows is a new request.
    void requestRead(QTcpSocket *socket);
    /// The oldest unanswered request on @p socket has its answer written; closes the
    /// connection when that request asked for it.
    void responded(QTcpSocket *socket);
    /// Whether the answer to the oldest unanswered request on @p socket closes the connection
    /// (the server then says `Connection: close`).
    bool closesAfterResponse(QTcpSocket *socket) const;
    /// @p socket became a WebSocket: no HTTP timeouts, no longer counted.
    void upgraded(QTcpSocket *socket);

    /// Open HTTP connections (not upgraded) from @p address.
    int connectionsFrom(const QHostAddress &address) const;
    /// Connections closed for a timeout, refused by the per-address cap, and shed when
    /// descriptors ran out, since start.
    int timedOutCount() const { return m_timedOut; }
    int refusedCount() const { return m_refused; }
    int shedCount() const { return m_shed; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    class Connection;
    enum class Timer { Header, Body, Idle };

    void onReadyRead(QTcpSocket *socket);
    void acceptPending();
    void arm(Connection &c, Timer which);
    void onTimeout(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, const HttpResponse &response);
    void forget(QTcpSocket *socket);
    void shedIdle(int count);

    Options m_options;
    // A duplicate of the listening descriptor, which we accept on (see listenAndAccept()).
    int m_acceptFd = -1;
    QSocketNotifier *m_acceptNotifier = nullptr;
    Admit m_admit;
    QHash<QTcpSocket *, Connection *> m_connections;
    QHash<QString, int> m_perAddress;
    quint64 m_sequence = 0;
    int m_timedOut = 0;
    int m_refused = 0;
    int m_shed = 0;
};

} // namespace livedesk::server
