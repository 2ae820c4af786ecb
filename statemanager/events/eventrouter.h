// SPDX-License-Identifier: MIT
#pragma once

#include "eventfilter.h"

#include <QtCore/QList>
#include <QtCore/QPointer>

#include <functional>

namespace livedesk {

/**
 * Dispatches events to handlers by EventFilter.
 *
 * A handler may add or remove routes (its own included) while it runs: dispatch works on a
 * snapshot and skips routes removed meanwhile. A route bound to a context object disappears
 * with it.
 */
class EventRouter
{
public:
    using Handler = std::function<void(const RealtimeEvent &)>;

    /// Adds a route; returns its id for removeRoute().
    int addRoute(const EventFilter &filter, QObject *context, Handler handler);
    void removeRoute(int id);
    /// Calls every matching handler in the order routes were added; returns how many ran.
    int route(const RealtimeEvent &event);
    int routeCount() const { return int(m_routes.size()); }

private:
    struct Route
    {
        int id;
        EventFilter filter;
        QPointer<QObject> context;
        bool hasContext;
        Handler handler;
    };
    QList<Route> m_routes;
    int m_nextId = 1;
};

} // namespace livedesk
