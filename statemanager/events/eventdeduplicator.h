// SPDX-License-Identifier: MIT
#pragma once

#include "events/realtimeevent.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QSet>

#include <deque>

namespace livedesk {

/**
 * Recognises the second copy of an event.
 *
 * AegisX delivers one change to the feature room and the entity room, and once per server
 * instance behind Redis, so the same event routinely arrives twice. With an `eventId`
 * (livedesk-server) duplicates are recognised exactly among the last `capacity` ids; without
 * one, an event whose name and payload are identical to one seen within `windowMs` is a
 * duplicate (payloads carry a timestamp, so two real changes rarely collide; a window keeps
 * a genuinely repeated change from being lost for long).
 */
class EventDeduplicator
{
public:
    explicit EventDeduplicator(int windowMs = 2000, int capacity = 8192);

    /// Records the event and tells whether an identical one was already seen; @p packetText is
    /// the event's wire text (SocketIoEvent::packetText), the cheap way to compare payloads.
    bool isDuplicateText(const RealtimeEvent &event, QStringView packetText);
    /// The same, comparing the decoded arguments (when no wire text is at hand).
    bool isDuplicate(const RealtimeEvent &event, const QJsonArray &rawArgs);

    void setWindowMs(int windowMs) { m_windowMs = windowMs; }
    void clear();

private:
    struct Seen
    {
        qint64 atMs;
        size_t key;
    };
    void prune(qint64 nowMs);

    int m_windowMs;
    int m_capacity;
    QElapsedTimer m_clock;
    std::deque<Seen> m_byTime; // payload keys, oldest first
    QSet<size_t> m_payloadKeys;
    std::deque<QString> m_idOrder; // event ids, oldest first
    QSet<QString> m_ids;
};

} // namespace livedesk
