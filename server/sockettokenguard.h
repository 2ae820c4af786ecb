// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>

#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace livedesk::server {

class SocketIoServer;

/**
 * Keeps every socket within the lifetime of its access token: a socket is only as good as the
 * token it presented, so that a revoked or lapsed sign-in stops receiving events.
 *
 * The token is read from the socket's handshake auth (`{"token":..}`) when it connects or
 * resumes. Shortly before it expires (leadMs(): half its lifetime, at most a minute) the
 * server asks for a fresh one with the event `auth:expiring {expiresAt, message}`; the client
 * answers `auth:renew {token}` asking for an ack, which is `{ok:true, expiresAt}` for a valid
 * access token of the same user and tenant, and `{ok:false, code, message}` otherwise. A
 * socket whose token expires without such an answer gets `auth:expired {code:
 * "TOKEN_EXPIRED", message}` and is disconnected on purpose (`41`, its session is not kept):
 * the client renews its token over REST and connects again, or asks the person to sign in.
 *
 * Why an event and not a silent drop at expiry: a client that renews its tokens on time (the
 * workstation does) then never sees its socket go, so its lists never turn stale for a token
 * renewal; and one that cannot renew is told why it was dropped.
 */
class SocketTokenGuard : public QObject
{
    Q_OBJECT

public:
    /// Checks an access token; its claims (`sub`, `tenant`, `iat`, `exp`) or std::nullopt
    /// with @p error.
    using Verifier
        = std::function<std::optional<QJsonObject>(const QString &token, QString *error)>;

    SocketTokenGuard(SocketIoServer *socketIo, Verifier verifier, QObject *parent = nullptr);
    ~SocketTokenGuard() override;

    /// When the token of socket @p sid expires; invalid when the socket is not watched.
    QDateTime expiresAt(const QString &nsp, const QString &sid) const;
    /// Tokens renewed over sockets so far (auth:renew accepted).
    qint64 renewals() const { return m_renewals; }
    /// How long before its token's expiry a socket is asked for a fresh one.
    static qint64 leadMs(qint64 lifetimeMs);

private:
    struct Watch;

    void onConnected(const QString &nsp, const QString &sid, bool recovered);
    void onDisconnected(const QString &nsp, const QString &sid);
    void onEvent(const QString &nsp, const QString &sid, const QString &event,
                 const QJsonArray &args, qint64 ackId);
    void watch(const QString &nsp, const QString &sid, const QJsonObject &claims);
    void onTimer(const QString &nsp, const QString &sid);

    SocketIoServer *m_socketIo;
    Verifier m_verifier;
    QHash<QString, std::shared_ptr<Watch>> m_watches; // "<nsp>\n<sid>"
    qint64 m_renewals = 0;
};

} // namespace livedesk::server
