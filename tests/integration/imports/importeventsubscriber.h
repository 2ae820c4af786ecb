// SPDX-License-Identifier: MIT
#pragma once

#include "events/realtimechannel.h"
#include "events/realtimeevent.h"
#include "socketio/socketioclient.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QList>
#include <QtCore/QUrl>

#include <memory>

namespace livedesk::test {

/**
 * A real client's view of import progress: the statemanager's SocketIoClient and
 * RealtimeChannel, subscribed to features, recording every import progress event with the
 * time it arrived, and the other events of those features.
 */
class ImportEventSubscriber
{
public:
    class Received
    {
    public:
        RealtimeEvent event;
        qint64 atMs = 0;
    };

    /// Connects with @p token and subscribes to @p features; false if not confirmed in 10 s.
    bool connect(const QUrl &base, const QString &token, const QStringList &features);

    /// The import progress events of @p jobId so far, in arrival order.
    QList<Received> progressOf(const QString &jobId) const;
    /// The last one's status, empty when none came.
    QString lastStatus(const QString &jobId) const;
    int eventCount() const { return int(m_events.size()); }
    /// Whether a record event (not import progress) carried a record with this `hn`.
    bool hasEventFor(const QString &hn) const;

private:
    std::unique_ptr<SocketIoClient> m_client;
    std::unique_ptr<RealtimeChannel> m_channel;
    QList<Received> m_events;
    QList<RealtimeEvent> m_recordEvents;
    QElapsedTimer m_clock;
};

} // namespace livedesk::test
