// SPDX-License-Identifier: MIT
#include "sockettokenguard.h"

#include "socketioserver.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcServerTokens, "livedesk.server.tokens", QtInfoMsg)

namespace livedesk::server {

namespace {

QString key(const QString &nsp, const QString &sid)
{
    return nsp + u'\n' + sid;
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

struct SocketTokenGuard::Watch
{
    QJsonValue userId;
    QJsonValue tenant;
    qint64 expiresAtMs = 0;
    qint64 askAtMs = 0;
    bool asked = false;
    // A child of the guard; deleted later, since a watch can end inside its timer's timeout.
    QTimer *timer = nullptr;

    ~Watch()
    {
        if (timer) {
            timer->stop();
            timer->deleteLater();
        }
    }
};

SocketTokenGuard::SocketTokenGuard(SocketIoServer *socketIo, Verifier verifier, QObject *parent)
    : QObject(parent)
    , m_socketIo(socketIo)
    , m_verifier(std::move(verifier))
{
    connect(m_socketIo, &SocketIoServer::clientConnected, this, &SocketTokenGuard::onConnected);
    connect(m_socketIo, &SocketIoServer::clientDisconnected, this,
            [this](const QString &nsp, const QString &sid) { onDisconnected(nsp, sid); });
    connect(m_socketIo, &SocketIoServer::eventReceived, this,
            [this](const QString &nsp, const QString &sid, const QString &event,
                   const QJsonArray &args,
                   qint64 ackId) { onEvent(nsp, sid, event, args, ackId); });
}

SocketTokenGuard::~SocketTokenGuard() = default;

qint64 SocketTokenGuard::leadMs(qint64 lifetimeMs)
{
    return std::clamp<qint64>(lifetimeMs / 2, 0, 60 * 1000);
}

QDateTime SocketTokenGuard::expiresAt(const QString &nsp, const QString &sid) const
{
    const auto watch = m_watches.value(key(nsp, sid));
    return watch ? QDateTime::fromMSecsSinceEpoch(watch->expiresAtMs, Qt::UTC) : QDateTime();
}

void SocketTokenGuard::onConnected(const QString &nsp, const QString &sid, bool)
{
    // The authenticator has just accepted this token (a resumed session presents a new one).
    const QString token = m_socketIo->handshakeAuth(nsp, sid).value(u"token").toString();
    QString error;
    const auto claims = m_verifier(token, &error);
    if (!claims) {
        qCWarning(lcServerTokens) << "socket" << sid << "connected with a token that does not"
                                  << "verify:" << error;
        m_socketIo->disconnectSocket(nsp, sid);
        return;
    }
    watch(nsp, sid, *claims);
}

void SocketTokenGuard::onDisconnected(const QString &nsp, const QString &sid)
{
    m_watches.remove(key(nsp, sid));
}

void SocketTokenGuard::watch(const QString &nsp, const QString &sid, const QJsonObject &claims)
{
    auto &slot = m_watches[key(nsp, sid)];
    if (!slot) {
        slot = std::make_shared<Watch>();
        slot->timer = new QTimer(this);
        slot->timer->setSingleShot(true);
        connect(slot->timer, &QTimer::timeout, this, [this, nsp, sid] { onTimer(nsp, sid); });
    }
    Watch &w = *slot;
    w.userId = claims.value(u"sub");
    w.tenant = claims.value(u"tenant");
    w.expiresAtMs = claims.value(u"exp").toInteger() * 1000;
    const qint64 issuedAtMs = claims.value(u"iat").toInteger() * 1000;
    w.askAtMs = w.expiresAtMs - leadMs(w.expiresAtMs - issuedAtMs);
    w.asked = false;
    onTimer(nsp, sid);
}

void SocketTokenGuard::onTimer(const QString &nsp, const QString &sid)
{
    const auto watch = m_watches.value(key(nsp, sid));
    if (!watch)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now >= watch->expiresAtMs) {
        qCInfo(lcServerTokens) << "socket" << sid << "outlived its token; disconnecting it";
        m_watches.remove(key(nsp, sid));
        m_socketIo->emitToSocket(nsp, sid, u"auth:expired"_s,
                                 {QJsonObject{{u"code"_s, u"TOKEN_EXPIRED"_s},
                                              {u"message"_s,
                                               u"The access token expired and no fresh one came; "
                                               "renew it and connect again"_s}}});
        m_socketIo->disconnectSocket(nsp, sid);
        return;
    }
    if (now >= watch->askAtMs && !watch->asked) {
        watch->asked = true;
        m_socketIo->emitToSocket(nsp, sid, u"auth:expiring"_s,
                                 {QJsonObject{{u"expiresAt"_s, iso(watch->expiresAtMs)},
                                              {u"message"_s,
                                               u"The access token expires soon; send a fresh one "
                                               "with auth:renew"_s}}});
    }
    // The event's handlers may have ended the watch.
    if (const auto still = m_watches.value(key(nsp, sid)); still == watch) {
        const qint64 next = watch->asked ? watch->expiresAtMs : watch->askAtMs;
        watch->timer->start(int(std::clamp<qint64>(next - now, 0, 24 * 3600 * 1000)));
    }
}

void SocketTokenGuard::onEvent(const QString &nsp, const QString &sid, const QString &event,
                               const QJsonArray &args, qint64 ackId)
{
    if (event != u"auth:renew")
        return;
    const auto current = m_watches.value(key(nsp, sid));
    if (!current)
        return;
    const auto refuse = [&](const QString &code, const QString &message) {
        qCInfo(lcServerTokens) << "socket" << sid << "renewal refused:" << message;
        if (ackId >= 0)
            m_socketIo->sendAck(
                nsp, sid, ackId,
                {QJsonObject{{u"ok"_s, false}, {u"code"_s, code}, {u"message"_s, message}}});
    };
    QString error;
    const auto claims = m_verifier(args.at(0).toObject().value(u"token").toString(), &error);
    if (!claims) {
        refuse(u"INVALID_TOKEN"_s, u"Invalid token: %1"_s.arg(error));
        return;
    }
    if (claims->value(u"sub") != current->userId || claims->value(u"tenant") != current->tenant) {
        refuse(u"OTHER_USER"_s, u"The token belongs to another user"_s);
        return;
    }
    ++m_renewals;
    watch(nsp, sid, *claims);
    if (ackId >= 0)
        m_socketIo->sendAck(
            nsp, sid, ackId,
            {QJsonObject{{u"ok"_s, true},
                         {u"expiresAt"_s, iso(claims->value(u"exp").toInteger() * 1000)}}});
}

} // namespace livedesk::server
