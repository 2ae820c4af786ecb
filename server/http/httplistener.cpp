// SPDX-License-Identifier: MIT
#include "httplistener.h"

#include "apierror.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHttpConn, "livedesk.server.http.connection", QtInfoMsg)

namespace livedesk::server {

namespace {

// Deleted with its socket (a child of it), so the listener learns of every socket's end,
// however it ends: Qt disconnects every signal of a socket it hands to the WebSocket server.
class ConnectionTicket : public QObject
{
public:
    ConnectionTicket(QTcpSocket *socket, std::function<void()> gone)
        : QObject(socket)
        , m_gone(std::move(gone))
    {
    }
    ~ConnectionTicket() override
    {
        if (m_gone)
            m_gone();
    }
    void disarm() { m_gone = nullptr; }

private:
    std::function<void()> m_gone;
};

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray closingResponse(const HttpResponse &response)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
        + reasonPhrase(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    out += response.body;
    return out;
}

HttpResponse errorResponse(const QString &code, const QString &message, int status)
{
    return HttpResponse::json(ApiError(code, message, status).toEnvelope(), status);
}

} // namespace

class HttpListener::Connection
{
public:
    QTcpSocket *socket = nullptr;
    ConnectionTicket *ticket = nullptr;
    QString address;
    QTimer *timer = nullptr;
    Timer timerKind = Timer::Header;
    // Head bytes are kept from Qt's parser in a read transaction of ours.
    bool hiding = false;
    // A request was admitted and Qt is reading it.
    bool reading = false;
    bool closing = false;
    bool counted = false;
    bool chunked = false;
    qint64 maxBody = 0;
    qint64 bodySeen = 0;
    // Keep-alive wish of every request read or being read and not answered yet, oldest first.
    QList<bool> keepAlive;
    quint64 idleSince = 0;
};

HttpListener::HttpListener(const Options &options, Admit admit, QObject *parent)
    : QTcpServer(parent)
    , m_options(options)
    , m_admit(std::move(admit))
{
}

HttpListener::~HttpListener()
{
    for (Connection *c : std::as_const(m_connections)) {
        if (c->ticket)
            c->ticket->disarm();
        delete c;
    }
    m_connections.clear();
#ifdef Q_OS_UNIX
    if (m_acceptFd >= 0)
        ::close(m_acceptFd);
#endif
}

bool HttpListener::listenAndAccept(const QHostAddress &address, quint16 port)
{
    if (!listen(address, port))
        return false;
#ifdef Q_OS_UNIX
    // QTcpServer keeps the listening socket (and isListening(), serverPort()), but never
    // accepts: with no room for pending connections it turns its notifier off whenever it
    // fires. We accept on a duplicate of the descriptor, with a notifier of our own.
    setMaxPendingConnections(0);
    pauseAccepting();
    m_acceptFd = ::dup(int(socketDescriptor()));
    if (m_acceptFd < 0) {
        close();
        return false;
    }
    m_acceptNotifier = new QSocketNotifier(m_acceptFd, QSocketNotifier::Read, this);
    connect(m_acceptNotifier, &QSocketNotifier::activated, this, &HttpListener::acceptPending);
#endif
    return true;
}

void HttpListener::acceptPending()
{
#ifdef Q_OS_UNIX
    // A bounded batch per wake-up, so that a flood of connections cannot starve the others.
    for (int i = 0; i < 64; ++i) {
        const int fd = ::accept4(m_acceptFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            incomingConnection(fd);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            // Retrying at once would spin: pause, and make room meanwhile.
            qCWarning(lcHttpConn) << "out of descriptors: accepting paused for"
                                  << m_options.acceptPauseMs << "ms";
            shedIdle(16);
            m_acceptNotifier->setEnabled(false);
            QTimer::singleShot(m_options.acceptPauseMs, m_acceptNotifier,
                               [notifier = m_acceptNotifier] { notifier->setEnabled(true); });
        }
        return;
    }
#endif
}

int HttpListener::connectionsFrom(const QHostAddress &address) const
{
    return m_perAddress.value(address.toString());
}

void HttpListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    auto *c = new Connection;
    c->socket = socket;
    c->address = socket->peerAddress().toString();
    c->timer = new QTimer(socket);
    c->timer->setSingleShot(true);
    m_connections.insert(socket, c);
    const QPointer<HttpListener> self(this);
    c->ticket = new ConnectionTicket(socket, [self, socket] {
        if (self)
            self->forget(socket);
    });
    connect(c->timer, &QTimer::timeout, this, [this, socket] { onTimeout(socket); });
    // Before Qt's parser: this slot sees every byte first.
    connect(socket, &QIODevice::readyRead, this, [this, socket] { onReadyRead(socket); });

    int &open = m_perAddress[c->address];
    if (m_options.maxConnectionsPerAddress > 0 && open >= m_options.maxConnectionsPerAddress) {
        ++m_refused;
        qCInfo(lcHttpConn).noquote()
            << "refusing a connection from" << c->address << "with" << open << "open";
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        refuse(socket,
               errorResponse(u"TOO_MANY_CONNECTIONS"_s,
                             u"Too many connections from this address; close some "
                             "and try again."_s,
                             503));
        return;
    }
    ++open;
    c->counted = true;
    arm(*c, Timer::Header);
    addPendingConnection(socket);
}

void HttpListener::arm(Connection &c, Timer which)
{
    c.timerKind = which;
    switch (which) {
    case Timer::Header:
        c.timer->start(m_options.headerTimeoutMs);
        break;
    case Timer::Body:
        c.timer->start(m_options.bodyTimeoutMs);
        break;
    case Timer::Idle:
        c.idleSince = ++m_sequence;
        c.timer->start(m_options.idleTimeoutMs);
        break;
    }
}

void HttpListener::onReadyRead(QTcpSocket *socket)
{
    Connection *c = m_connections.value(socket);
    if (!c)
        return;
    if (c->closing) {
        socket->skip(socket->bytesAvailable());
        return;
    }
    if (c->reading) {
        arm(*c, Timer::Body);
        if (c->chunked) {
            c->bodySeen += socket->bytesAvailable();
            if (c->bodySeen > c->maxBody) {
                refuse(socket,
                       errorResponse(u"PAYLOAD_TOO_LARGE"_s,
                                     u"The request body is larger than %1 bytes."_s.arg(c->maxBody),
                                     413));
            }
        }
        return;
    }

    if (c->hiding) {
        socket->rollbackTransaction();
        c->hiding = false;
    }
    const QByteArray peeked = socket->peek(qint64(m_options.maxHeaderBytes) + 1);
    const qsizetype end = HttpRequestHead::headLength(peeked);
    if (end < 0) {
        if (peeked.size() > m_options.maxHeaderBytes) {
            refuse(socket,
                   errorResponse(
                       u"HEADERS_TOO_LARGE"_s,
                       u"The request head is larger than %1 bytes."_s.arg(m_options.maxHeaderBytes),
                       431));
            return;
        }
        if (c->timerKind == Timer::Idle && !peeked.trimmed().isEmpty())
            arm(*c, Timer::Header);
        // Keep the partial head from Qt's parser until it is complete.
        socket->startTransaction();
        socket->skip(socket->bytesAvailable());
        c->hiding = true;
        return;
    }
    const auto head = HttpRequestHead::parse(peeked.left(end));
    if (!head) {
        refuse(socket,
               errorResponse(u"BAD_REQUEST"_s, u"The request is not valid HTTP/1.1."_s, 400));
        return;
    }
    Verdict verdict = m_admit(*head);
    if (!verdict.refusal && !head->chunked && head->contentLength > verdict.maxBody) {
        verdict.refusal = errorResponse(
            u"PAYLOAD_TOO_LARGE"_s,
            u"The request body is larger than %1 bytes."_s.arg(verdict.maxBody), 413);
    }
    if (verdict.refusal) {
        qCInfo(lcHttpConn).noquote()
            << head->method << head->path << "refused before its body:" << verdict.refusal->status;
        refuse(socket, *verdict.refusal);
        return;
    }
    c->keepAlive.append(head->keepAlive());
    c->reading = true;
    c->chunked = head->chunked;
    c->maxBody = verdict.maxBody;
    c->bodySeen = socket->bytesAvailable() - end;
    arm(*c, Timer::Body);
    if (head->hasBody() && head->value("expect").compare("100-continue", Qt::CaseInsensitive) == 0)
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");
}

void HttpListener::requestRead(QTcpSocket *socket)
{
    Connection *c = m_connections.value(socket);
    if (!c)
        return;
    c->reading = false;
    c->chunked = false;
    c->bodySeen = 0;
    // While the answer is being made no timer runs (a deferred answer may take a while).
    c->timer->stop();
}

bool HttpListener::closesAfterResponse(QTcpSocket *socket) const
{
    const Connection *c = m_connections.value(socket);
    return c && !c->keepAlive.isEmpty() && !c->keepAlive.constFirst();
}

void HttpListener::responded(QTcpSocket *socket)
{
    Connection *c = m_connections.value(socket);
    if (!c || c->closing)
        return;
    const bool keep = c->keepAlive.isEmpty() || c->keepAlive.takeFirst();
    if (!keep) {
        c->closing = true;
        c->hiding = false;
        QObject::disconnect(socket, &QIODevice::readyRead, parent(), nullptr);
        // The answer may be large and the client slow: give up only when it stops reading.
        c->timer->start(m_options.bodyTimeoutMs);
        connect(socket, &QIODevice::bytesWritten, c->timer,
                [timer = c->timer, ms = m_options.bodyTimeoutMs] { timer->start(ms); });
        socket->disconnectFromHost();
        return;
    }
    if (c->reading || !c->keepAlive.isEmpty())
        return;
    arm(*c, socket->bytesAvailable() > 0 ? Timer::Header : Timer::Idle);
}

void HttpListener::upgraded(QTcpSocket *socket)
{
    Connection *c = m_connections.value(socket);
    if (!c)
        return;
    c->ticket->disarm();
    delete c->timer;
    c->timer = nullptr;
    forget(socket);
}

void HttpListener::refuse(QTcpSocket *socket, const HttpResponse &response)
{
    Connection *c = m_connections.value(socket);
    if (!c)
        return;
    c->closing = true;
    c->reading = false;
    // Drop what Qt's parser or we hold of this request; nothing more of it is read.
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    c->hiding = false;
    QObject::disconnect(socket, &QIODevice::readyRead, parent(), nullptr);
    socket->write(closingResponse(response));
    socket->skip(socket->bytesAvailable());
    // Close our side once the answer is out, but read on for a moment: closing with unread
    // data would reset the connection, and the client could lose the answer.
    const auto halfClose = [socket] {
        if (socket->bytesToWrite() > 0 || socket->state() != QAbstractSocket::ConnectedState)
            return;
#ifdef Q_OS_UNIX
        ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
#else
        socket->disconnectFromHost();
#endif
    };
    connect(socket, &QIODevice::bytesWritten, socket, halfClose);
    socket->flush();
    halfClose();
    c->timer->start(m_options.lingerMs);
}

void HttpListener::onTimeout(QTcpSocket *socket)
{
    Connection *c = m_connections.value(socket);
    if (!c)
        return;
    if (c->closing) {
        socket->abort();
        return;
    }
    ++m_timedOut;
    switch (c->timerKind) {
    case Timer::Idle:
        if (socket->bytesToWrite() > 0) {
            // Still sending the last answer: not idle.
            --m_timedOut;
            arm(*c, Timer::Idle);
            return;
        }
        qCDebug(lcHttpConn).noquote() << "closing an idle connection from" << c->address;
        c->closing = true;
        QObject::disconnect(socket, &QIODevice::readyRead, parent(), nullptr);
        c->timer->start(m_options.lingerMs);
        socket->disconnectFromHost();
        return;
    case Timer::Header:
        qCInfo(lcHttpConn).noquote() << "closing a connection from" << c->address
                                     << "whose request head did not arrive in time";
        refuse(socket,
               errorResponse(u"REQUEST_TIMEOUT"_s, u"The request head did not arrive in time."_s,
                             408));
        return;
    case Timer::Body:
        qCInfo(lcHttpConn).noquote()
            << "closing a connection from" << c->address << "whose request body stopped arriving";
        refuse(socket,
               errorResponse(u"REQUEST_TIMEOUT"_s, u"The request body stopped arriving."_s, 408));
        return;
    }
}

void HttpListener::forget(QTcpSocket *socket)
{
    Connection *c = m_connections.take(socket);
    if (!c)
        return;
    if (c->counted) {
        auto it = m_perAddress.find(c->address);
        if (it != m_perAddress.end() && --it.value() <= 0)
            m_perAddress.erase(it);
    }
    delete c;
}

void HttpListener::shedIdle(int count)
{
    QList<Connection *> idle;
    for (Connection *c : std::as_const(m_connections)) {
        if (!c->closing && !c->reading && c->keepAlive.isEmpty() && c->timerKind == Timer::Idle)
            idle.append(c);
    }
    std::sort(idle.begin(), idle.end(),
              [](const Connection *a, const Connection *b) { return a->idleSince < b->idleSince; });
    for (qsizetype i = 0; i < idle.size() && i < count; ++i) {
        ++m_shed;
        // abort() may delete nothing now, but it frees the descriptor at once.
        idle.at(i)->closing = true;
        idle.at(i)->socket->abort();
    }
}

} // namespace livedesk::server
