// SPDX-License-Identifier: MIT
#include "events/eventdeduplicator.h"

#include <QtCore/QJsonDocument>

namespace livedesk {

EventDeduplicator::EventDeduplicator(int windowMs, int capacity)
    : m_windowMs(windowMs)
    , m_capacity(std::max(16, capacity))
{
    m_clock.start();
}

bool EventDeduplicator::isDuplicate(const RealtimeEvent &event, const QJsonArray &rawArgs)
{
    // QJsonObject keys are sorted, so equal payloads serialise equally.
    const QString text = event.name + QChar(0)
        + QString::fromUtf8(QJsonDocument(rawArgs).toJson(QJsonDocument::Compact));
    return isDuplicateText(event, text);
}

bool EventDeduplicator::isDuplicateText(const RealtimeEvent &event, QStringView packetText)
{
    if (!event.eventId.isEmpty()) {
        if (m_ids.contains(event.eventId))
            return true;
        m_ids.insert(event.eventId);
        m_idOrder.push_back(event.eventId);
        if (int(m_idOrder.size()) > m_capacity) {
            m_ids.remove(m_idOrder.front());
            m_idOrder.pop_front();
        }
        return false;
    }

    const qint64 now = m_clock.elapsed();
    prune(now);
    // A 64-bit digest keeps memory per entry small whatever the payload; with at most
    // `capacity` live keys a false match is vanishingly unlikely (~capacity / 2^64).
    const size_t key = qHash(packetText, size_t(0x6c69766564657368ULL));
    if (m_payloadKeys.contains(key))
        return true;
    m_payloadKeys.insert(key);
    m_byTime.push_back({now, key});
    return false;
}

void EventDeduplicator::clear()
{
    m_byTime.clear();
    m_payloadKeys.clear();
    m_idOrder.clear();
    m_ids.clear();
}

void EventDeduplicator::prune(qint64 nowMs)
{
    while (!m_byTime.empty()
           && (nowMs - m_byTime.front().atMs > m_windowMs || int(m_byTime.size()) > m_capacity)) {
        m_payloadKeys.remove(m_byTime.front().key);
        m_byTime.pop_front();
    }
}

} // namespace livedesk
