// SPDX-License-Identifier: MIT
#pragma once

#include "events/eventfilter.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <functional>
#include <memory>

namespace livedesk {

/**
 * Dispatches events to handlers, by feature name or by EventFilter.
 *
 * A feature route (addFeatureRoute()) is how a list hears its events: the event's feature is
 * looked up once by its normalized name, so an event reaches the lists of its feature and no
 * others, however many lists there are. Filter routes are tried one by one, for the rarer
 * observers that want patterns.
 *
 * A handler may add or remove routes (its own included) while it runs: dispatch works on a
 * snapshot and skips routes removed meanwhile. A route bound to a context object disappears
 * with it. Matching routes run in the order they were added.
 */
class EventRouter
{
public:
    using Handler = std::function<void(const RealtimeEvent &)>;

    /// Adds a route; returns its id for removeRoute().
    int addRoute(const EventFilter &filter, QObject *context, Handler handler);
    /**
     * Adds a route for the events of the features called @p names, in any spelling
     * (EventNaming::sameName(): `lab-orders` = `labOrders`); an operation event (a long
     * operation's end) reaches it when one of its refreshTargets is among the names.
     * Returns its id for removeRoute().
     */
    int addFeatureRoute(const QStringList &names, QObject *context, Handler handler);
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
        /// Normalized feature names of a feature route; empty for a filter route.
        QStringList features;
    };
    void collectFeatureRoutes(QStringView name, QList<int> *ids) const;

    QList<Route> m_routes;
    /// Feature routes by normalized feature name.
    QHash<QString, QList<int>> m_byFeature;
    int m_nextId = 1;
    // Expires with the router: a handler may delete it (the lists apply events as they come,
    // and a slot of theirs may close the session), and route() must then stop at once.
    std::shared_ptr<char> m_alive = std::make_shared<char>();
};

} // namespace livedesk
