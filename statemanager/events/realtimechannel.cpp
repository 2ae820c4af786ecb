// SPDX-License-Identifier: MIT
#include "events/realtimechannel.h"

#include "../socketio/socketioclient.h"
#include "events/eventdecoder.h"
#include "events/eventnaming.h"
#include "livedesklogging.h"

#include <QtCore/QPointer>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace livedesk {

RealtimeChannel::RealtimeChannel(SocketIoClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_keepalive.setInterval(60000);
    connect(&m_keepalive, &QTimer::timeout, this, [this] {
        if (m_client->emitEvent(u"ping"_s))
            ++m_stats.keepalivesSent;
    });
    connect(m_client, &SocketIoClient::connected, this, &RealtimeChannel::onConnected);
    connect(m_client, &SocketIoClient::disconnected, this, [this] { m_keepalive.stop(); });
    connect(m_client, &SocketIoClient::stateChanged, this, [this](SocketIoClient::State s) {
        if (s != SocketIoClient::State::Connected)
            m_keepalive.stop();
    });
    connect(m_client, &SocketIoClient::eventReceived, this, &RealtimeChannel::onEvent);
}

void RealtimeChannel::setSubscription(const QStringList &features, const QStringList &entities)
{
    m_features = features;
    m_entities = entities;
    m_featureKeys.clear();
    for (const QString &f : features)
        m_featureKeys.insert(EventNaming::normalized(f));
    if (m_client->isConnected())
        sendSubscription();
}

void RealtimeChannel::setKeepaliveInterval(int ms)
{
    m_keepalive.setInterval(std::max(0, ms));
    if (ms <= 0)
        m_keepalive.stop();
    else if (m_client->isConnected())
        m_keepalive.start();
}

void RealtimeChannel::onConnected()
{
    if (m_keepalive.interval() > 0)
        m_keepalive.start();
    sendSubscription();
}

void RealtimeChannel::sendSubscription()
{
    if (m_features.isEmpty() && m_entities.isEmpty())
        return;
    QJsonObject body{{u"features"_s, QJsonArray::fromStringList(m_features)}};
    if (!m_entities.isEmpty())
        body.insert(u"entities"_s, QJsonArray::fromStringList(m_entities));
    if (m_client->emitEvent(u"subscribe:features"_s, {body}))
        ++m_stats.subscriptionsSent;
}

void RealtimeChannel::onEvent(const SocketIoEvent &event)
{
    if (event.name == u"subscribe:confirmed") {
        m_subscriptionRefusal.clear();
        Q_EMIT subscriptionConfirmed(event.args.at(0).toObject());
        return;
    }
    if (event.name == u"subscribe:error") {
        // livedesk-server refuses a subscription beyond its limits, whole: nothing of it is
        // heard, which the lists must know (they are not live).
        const QJsonObject error = event.args.at(0).toObject();
        qCWarning(lcEvents).noquote()
            << "the server refused the subscription:" << error.value(u"message").toString();
        m_subscriptionRefusal = error.value(u"message").toString();
        if (m_subscriptionRefusal.isEmpty())
            m_subscriptionRefusal = error.value(u"code").toString(u"refused"_s);
        Q_EMIT subscriptionRefused(m_subscriptionRefusal, error);
        return;
    }
    if (event.name.startsWith(u"connection:")) {
        onSystemEvent(event);
        return;
    }
    if (EventDecoder::isControlEvent(event.name))
        return;
    ++m_stats.received;
    QString error;
    const auto decoded = EventDecoder::decode(event.name, event.args, &error);
    if (!decoded) {
        ++m_stats.undecodable;
        qCWarning(lcEvents) << "undecodable event" << event.name << ":" << error;
        Q_EMIT undecodableEvent(event.name, error, event.args.toArray());
        return;
    }
    const bool duplicate = event.packetText.isEmpty()
        ? m_dedup.isDuplicate(*decoded, event.args.toArray())
        : m_dedup.isDuplicateText(*decoded, event.packetText);
    if (duplicate) {
        ++m_stats.duplicates;
        qCDebug(lcEvents) << "duplicate delivery of" << event.name << "dropped";
        return;
    }
    ++m_stats.delivered;
    QPointer<RealtimeChannel> self(this);
    const bool outer = m_claimed;
    m_claimed = false;
    // Observers first (the activity panel reads the record as the lists hold it before they
    // take the change), then the lists of the event's feature, found by name.
    Q_EMIT eventReceived(*decoded);
    if (!self)
        return;
    m_router.route(*decoded);
    if (!self)
        return;
    const bool claimed = std::exchange(m_claimed, outer);
    if (!claimed && isSubscribedFeature(decoded->feature)) {
        ++m_stats.unclaimed;
        // Debug only: a channel without lists (watch, the monitor) takes no event at all.
        qCDebug(lcEvents) << "no list took the event" << decoded->name;
        Q_EMIT unclaimedEvent(decoded->name);
    }
}

bool RealtimeChannel::isSubscribedFeature(const QString &feature) const
{
    return !feature.isEmpty() && m_featureKeys.contains(EventNaming::normalized(feature));
}

void RealtimeChannel::onSystemEvent(const SocketIoEvent &event)
{
    const QJsonObject data = event.args.at(0).toObject();
    if (event.name == u"connection:established") {
        qCDebug(lcEvents) << "the server confirms the connection:" << data;
        return;
    }
    if (event.name == u"connection:timeout") {
        ++m_stats.serverTimeouts;
        qCInfo(lcEvents).noquote() << "the server is about to drop the connection for inactivity ("
                                   << data.value(u"reason").toString() << "); connecting again";
        // The drop that follows is a server-side disconnect, after which nothing reconnects:
        // start a fresh connection now (the lists go stale and read everything again).
        QPointer<RealtimeChannel> self(this);
        Q_EMIT serverTimeout();
        if (!self)
            return;
        m_client->close();
        m_client->open();
        return;
    }
    qCDebug(lcEvents) << "system event" << event.name << data;
}

} // namespace livedesk
