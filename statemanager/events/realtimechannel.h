// SPDX-License-Identifier: MIT
#pragma once

#include "events/eventdeduplicator.h"
#include "events/eventrouter.h"
#include "events/realtimeevent.h"

#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QStringList>
#include <QtCore/QTimer>

namespace livedesk {

class SocketIoClient;
class SocketIoEvent;

/**
 * The AegisX application layer on top of one SocketIoClient.
 *
 * It (re)sends `subscribe:features {features, entities}` on every connect, keeps the
 * socket from being dropped as idle by emitting the app-level `ping` event (AegisX closes a
 * socket that has sent nothing for five minutes), decodes every dialect into RealtimeEvent,
 * drops duplicate deliveries, and hands the rest to eventReceived() and then to its EventRouter
 * (the lists' feature routes).
 *
 * AegisX's own system events are recognised, not reported as undecodable:
 * `connection:established` (sent twice on every connect, by the transport and by the
 * connection manager) is logged; `connection:timeout` says the server is about to drop the
 * socket for inactivity, with a server-side disconnect after which Socket.IO does not
 * reconnect by itself, so the channel opens a fresh connection at once (the lists go stale
 * and resync as after any reconnect) and emits serverTimeout().
 *
 * A list takes the events meant for it by calling claim() from its eventReceived() slot. An
 * event on a subscribed feature that no one claimed is counted (Stats::unclaimed) and
 * reported by unclaimedEvent(): a list whose resource is misnamed then shows up instead of
 * silently missing every change.
 */
class RealtimeChannel : public QObject
{
    Q_OBJECT

public:
    /** Counters for diagnostics and tests. */
    class Stats
    {
    public:
        qint64 received = 0;
        qint64 delivered = 0;
        qint64 duplicates = 0;
        qint64 undecodable = 0;
        qint64 subscriptionsSent = 0;
        qint64 keepalivesSent = 0;
        /// Events on a subscribed feature that no list claimed.
        qint64 unclaimed = 0;
        /// `connection:timeout` notices from the server.
        qint64 serverTimeouts = 0;
    };

    /// Uses @p client (not owned; it must outlive the channel unless parented to it).
    explicit RealtimeChannel(SocketIoClient *client, QObject *parent = nullptr);

    SocketIoClient *client() const { return m_client; }
    EventRouter &router() { return m_router; }

    /// The features (and optionally entities) to subscribe to; sent now if connected.
    void setSubscription(const QStringList &features, const QStringList &entities = {});
    QStringList features() const { return m_features; }
    QStringList entities() const { return m_entities; }

    /// Interval of the app-level keepalive `ping`; 0 disables it. Default 60 s.
    void setKeepaliveInterval(int ms);
    /// Window for recognising duplicates of events without an eventId. Default 2 s.
    void setDedupWindow(int ms) { m_dedup.setWindowMs(ms); }

    const Stats &stats() const { return m_stats; }

    /// Called by a receiver of eventReceived(), during that signal: the event is one of its
    /// own (applied, reloaded for or deliberately ignored), so it is not unclaimed.
    void claim() { m_claimed = true; }
    /// The server's reason for refusing the last subscription (subscriptionRefused()), until a
    /// subscription is confirmed; empty while none is refused. A list made meanwhile starts
    /// stale with it: it hears nothing either.
    QString subscriptionRefusal() const { return m_subscriptionRefusal; }

Q_SIGNALS:
    /// A new (non-duplicate) change notification.
    void eventReceived(const livedesk::RealtimeEvent &event);
    /// An event whose shape no dialect explains: reported, never guessed.
    void undecodableEvent(const QString &name, const QString &reason, const QJsonArray &args);
    /// The server's `subscribe:confirmed` payload.
    void subscriptionConfirmed(const QJsonObject &confirmation);
    /// The server refused the subscription (`subscribe:error`, e.g. beyond livedesk-server's
    /// limits): @p message says why, for a person; @p error is the whole payload.
    void subscriptionRefused(const QString &message, const QJsonObject &error);
    /// An event on a subscribed feature that no list claimed (see claim()).
    void unclaimedEvent(const QString &name);
    /// The server announced it will drop the socket for inactivity (`connection:timeout`); the
    /// channel is reconnecting.
    void serverTimeout();

private:
    void onConnected();
    void onEvent(const SocketIoEvent &event);
    void sendSubscription();
    void onSystemEvent(const SocketIoEvent &event);
    bool isSubscribedFeature(const QString &feature) const;

    SocketIoClient *m_client;
    QStringList m_features;
    QStringList m_entities;
    EventRouter m_router;
    EventDeduplicator m_dedup;
    QTimer m_keepalive;
    Stats m_stats;
    bool m_claimed = false;
    QString m_subscriptionRefusal;
    // m_features, normalized once (EventNaming), for the per-event unclaimed check.
    QSet<QString> m_featureKeys;
};

} // namespace livedesk
