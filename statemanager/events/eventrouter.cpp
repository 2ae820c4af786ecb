// SPDX-License-Identifier: MIT
#include "events/eventrouter.h"

#include "events/eventnaming.h"

#include <algorithm>

namespace livedesk {

int EventRouter::addRoute(const EventFilter &filter, QObject *context, Handler handler)
{
    const int id = m_nextId++;
    m_routes.append({id, filter, context, context != nullptr, std::move(handler), {}});
    return id;
}

int EventRouter::addFeatureRoute(const QStringList &names, QObject *context, Handler handler)
{
    const int id = m_nextId++;
    QStringList features;
    for (const QString &name : names) {
        const QString key = EventNaming::normalized(name);
        if (key.isEmpty() || features.contains(key))
            continue;
        features.append(key);
        m_byFeature[key].append(id);
    }
    m_routes.append({id, EventFilter(), context, context != nullptr, std::move(handler), features});
    return id;
}

void EventRouter::removeRoute(int id)
{
    const auto it = std::find_if(m_routes.cbegin(), m_routes.cend(),
                                 [id](const Route &r) { return r.id == id; });
    if (it == m_routes.cend())
        return;
    for (const QString &key : it->features) {
        auto ids = m_byFeature.find(key);
        if (ids == m_byFeature.end())
            continue;
        ids->removeAll(id);
        if (ids->isEmpty())
            m_byFeature.erase(ids);
    }
    m_routes.erase(it);
}

void EventRouter::collectFeatureRoutes(QStringView name, QList<int> *ids) const
{
    if (name.isEmpty())
        return;
    const auto it = m_byFeature.constFind(EventNaming::normalized(name));
    if (it != m_byFeature.cend())
        ids->append(*it);
}

int EventRouter::route(const RealtimeEvent &event)
{
    // Handlers may change the routes; work on a snapshot of ids and look each one up again.
    QList<int> ids;
    for (const auto &r : std::as_const(m_routes)) {
        if (r.features.isEmpty() && r.filter.matches(event))
            ids.append(r.id);
    }
    if (!m_byFeature.isEmpty()) {
        if (event.dialect == RealtimeEvent::Dialect::Operation) {
            for (const QString &target : event.refreshTargets)
                collectFeatureRoutes(target, &ids);
        } else {
            collectFeatureRoutes(event.feature, &ids);
        }
        // In the order the routes were added, each once (two targets may name one list).
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    }
    int ran = 0;
    const std::weak_ptr<char> alive = m_alive;
    for (const int id : std::as_const(ids)) {
        if (alive.expired())
            break;
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
