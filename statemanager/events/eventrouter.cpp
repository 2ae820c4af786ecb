// SPDX-License-Identifier: MIT
#include "eventrouter.h"

namespace livedesk {

int EventRouter::addRoute(const EventFilter &filter, QObject *context, Handler handler)
{
    const int id = m_nextId++;
    m_routes.append({id, filter, context, context != nullptr, std::move(handler)});
    return id;
}

void EventRouter::removeRoute(int id)
{
    m_routes.removeIf([id](const Route &r) { return r.id == id; });
}

int EventRouter::route(const RealtimeEvent &event)
{
    // Handlers may change the routes; work on a snapshot of ids and look each one up again.
    QList<int> ids;
    ids.reserve(m_routes.size());
    for (const auto &r : std::as_const(m_routes)) {
        if (r.filter.matches(event))
            ids.append(r.id);
    }
    int ran = 0;
    for (const int id : std::as_const(ids)) {
        auto it = std::find_if(m_routes.cbegin(), m_routes.cend(),
                               [id](const Route &r) { return r.id == id; });
        if (it == m_routes.cend())
            continue;
        if (it->hasContext && !it->context) {
            removeRoute(id);
            continue;
        }
        const Handler handler = it->handler; // the route may be removed while it runs
        handler(event);
        ++ran;
    }
    return ran;
}

} // namespace livedesk
