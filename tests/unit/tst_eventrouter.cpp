// SPDX-License-Identifier: MIT
// EventRouter: dispatch by filter in insertion order, re-entrant route changes, routes bound
// to a context object.

#include "events/eventrouter.h"

#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using livedesk::EventFilter;
using livedesk::EventRouter;
using livedesk::RealtimeEvent;

namespace {

RealtimeEvent makeEvent(const QString &feature, const QString &entity, const QString &action)
{
    RealtimeEvent e;
    e.name = feature + u'.' + entity + u'.' + action;
    e.feature = feature;
    e.entity = entity;
    e.action = action;
    return e;
}

const RealtimeEvent kDeleted = makeEvent(u"patients"_s, u"patient"_s, u"deleted"_s);
const RealtimeEvent kCreated = makeEvent(u"users"_s, u"user"_s, u"created"_s);

} // namespace

class TestEventRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void routesByFilter();
    void insertionOrder();
    void noRoutes();
    void idsAreUnique();
    void removeRoute();
    void handlerRemovesItself();
    void handlerRemovesLaterRoute();
    void handlerRemovesEarlierRoute();
    void handlerRemovesEveryRoute();
    void handlerAddsRoute();
    void handlerDeletesTheRouter();
    void handlerRoutesReentrantly();
    void contextDeleted();
    void contextDeletedMidDispatch();
    void contextAlive();
    void featureRoutesFindTheirFeatureInAnySpelling();
    void featureRouteTakesOperationsThroughTheirTargets();
    void featureRoutesAndFilterRoutesRunInOrder();
    void removedFeatureRouteIsForgotten();
    void featureRouteContextDeleted();
};

void TestEventRouter::routesByFilter()
{
    EventRouter router;
    QStringList calls;
    router.addRoute(EventFilter(u"users"_s), nullptr,
                    [&](const RealtimeEvent &) { calls << u"users"_s; });
    router.addRoute(EventFilter(u"patients.*.deleted"_s), nullptr,
                    [&](const RealtimeEvent &e) { calls << u"deleted:"_s + e.name; });
    router.addRoute(EventFilter(), nullptr, [&](const RealtimeEvent &) { calls << u"all"_s; });
    router.addRoute(EventFilter(u"*.*.created"_s), nullptr,
                    [&](const RealtimeEvent &) { calls << u"created"_s; });

    QCOMPARE(router.route(kDeleted), 2);
    QCOMPARE(calls, (QStringList{u"deleted:patients.patient.deleted"_s, u"all"_s}));

    calls.clear();
    QCOMPARE(router.route(kCreated), 3);
    QCOMPARE(calls, (QStringList{u"users"_s, u"all"_s, u"created"_s}));

    calls.clear();
    QCOMPARE(router.route(makeEvent(u"wards"_s, u"ward"_s, u"updated"_s)), 1);
    QCOMPARE(calls, QStringList{u"all"_s});
    QCOMPARE(router.routeCount(), 4);
}

void TestEventRouter::insertionOrder()
{
    EventRouter router;
    QList<int> order;
    for (int i = 0; i < 10; ++i)
        router.addRoute(EventFilter(u"patients"_s), nullptr,
                        [&order, i](const RealtimeEvent &) { order << i; });
    QCOMPARE(router.route(kDeleted), 10);
    QCOMPARE(order, (QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

void TestEventRouter::noRoutes()
{
    EventRouter router;
    QCOMPARE(router.routeCount(), 0);
    QCOMPARE(router.route(kDeleted), 0);
    int calls = 0;
    router.addRoute(EventFilter(u"billing"_s), nullptr, [&](const RealtimeEvent &) { ++calls; });
    QCOMPARE(router.route(kDeleted), 0);
    QCOMPARE(calls, 0);
}

void TestEventRouter::idsAreUnique()
{
    EventRouter router;
    const auto noop = [](const RealtimeEvent &) {
    };
    const int a = router.addRoute({}, nullptr, noop);
    const int b = router.addRoute({}, nullptr, noop);
    router.removeRoute(b);
    const int c = router.addRoute({}, nullptr, noop);
    QVERIFY(a != b);
    QVERIFY(c != a);
    QVERIFY(c != b); // an id is never reused, so a stale id cannot remove a newer route
    QVERIFY(a > 0 && b > 0 && c > 0);
}

void TestEventRouter::removeRoute()
{
    EventRouter router;
    QStringList calls;
    const int a = router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"a"_s; });
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"b"_s; });
    router.removeRoute(a);
    QCOMPARE(router.routeCount(), 1);
    QCOMPARE(router.route(kCreated), 1);
    QCOMPARE(calls, QStringList{u"b"_s});
    // Unknown and already removed ids are ignored.
    router.removeRoute(a);
    router.removeRoute(12345);
    router.removeRoute(-1);
    QCOMPARE(router.routeCount(), 1);
}

void TestEventRouter::handlerRemovesItself()
{
    EventRouter router;
    QStringList calls;
    int self = 0;
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"before"_s; });
    self = router.addRoute({}, nullptr, [&](const RealtimeEvent &) {
        calls << u"once"_s;
        router.removeRoute(self);
        // The handler's own captures stay valid after its route is gone.
        calls << u"still alive"_s;
    });
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"after"_s; });

    QCOMPARE(router.route(kCreated), 3);
    QCOMPARE(calls, (QStringList{u"before"_s, u"once"_s, u"still alive"_s, u"after"_s}));
    QCOMPARE(router.routeCount(), 2);

    calls.clear();
    QCOMPARE(router.route(kCreated), 2);
    QCOMPARE(calls, (QStringList{u"before"_s, u"after"_s}));
}

void TestEventRouter::handlerRemovesLaterRoute()
{
    EventRouter router;
    QStringList calls;
    int later = 0;
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) {
        calls << u"first"_s;
        router.removeRoute(later);
    });
    later = router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"later"_s; });
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"last"_s; });

    // The removed route is skipped in the dispatch already under way, and not counted.
    QCOMPARE(router.route(kCreated), 2);
    QCOMPARE(calls, (QStringList{u"first"_s, u"last"_s}));
    QCOMPARE(router.routeCount(), 2);
}

void TestEventRouter::handlerRemovesEarlierRoute()
{
    EventRouter router;
    QStringList calls;
    int earlier = 0;
    earlier = router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"earlier"_s; });
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) {
        calls << u"second"_s;
        router.removeRoute(earlier);
    });
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"third"_s; });

    QCOMPARE(router.route(kCreated), 3);
    QCOMPARE(calls, (QStringList{u"earlier"_s, u"second"_s, u"third"_s}));
    calls.clear();
    QCOMPARE(router.route(kCreated), 2);
    QCOMPARE(calls, (QStringList{u"second"_s, u"third"_s}));
}

void TestEventRouter::handlerRemovesEveryRoute()
{
    EventRouter router;
    QList<int> ids;
    QStringList calls;
    ids << router.addRoute({}, nullptr, [&](const RealtimeEvent &) {
        calls << u"a"_s;
        for (const int id : std::as_const(ids))
            router.removeRoute(id);
    });
    ids << router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"b"_s; });
    ids << router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"c"_s; });

    QCOMPARE(router.route(kCreated), 1);
    QCOMPARE(calls, QStringList{u"a"_s});
    QCOMPARE(router.routeCount(), 0);
    QCOMPARE(router.route(kCreated), 0);
}

// A list applies its events as they come, and a slot of its row signals may close the
// session that owns the router: dispatch stops there, without touching the router again.
void TestEventRouter::handlerDeletesTheRouter()
{
    auto router = std::make_unique<EventRouter>();
    QStringList calls;
    router->addRoute({}, nullptr, [&](const RealtimeEvent &) {
        calls << u"a"_s;
        router.reset();
    });
    router->addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"b"_s; });
    EventRouter *raw = router.get();
    QCOMPARE(raw->route(kCreated), 1);
    QCOMPARE(calls, QStringList{u"a"_s});
    QVERIFY(!router);
}

void TestEventRouter::handlerAddsRoute()
{
    EventRouter router;
    QStringList calls;
    bool added = false;
    router.addRoute({}, nullptr, [&](const RealtimeEvent &e) {
        calls << u"adder:"_s + e.action;
        if (!added) {
            added = true;
            router.addRoute({}, nullptr,
                            [&](const RealtimeEvent &e2) { calls << u"new:"_s + e2.action; });
        }
    });
    router.addRoute({}, nullptr, [&](const RealtimeEvent &e) { calls << u"old:"_s + e.action; });

    // The route added mid-dispatch does not see the event being dispatched...
    QCOMPARE(router.route(kCreated), 2);
    QCOMPARE(calls, (QStringList{u"adder:created"_s, u"old:created"_s}));
    QCOMPARE(router.routeCount(), 3);

    // ...but does see the next one, after the older routes.
    calls.clear();
    QCOMPARE(router.route(kDeleted), 3);
    QCOMPARE(calls, (QStringList{u"adder:deleted"_s, u"old:deleted"_s, u"new:deleted"_s}));
}

void TestEventRouter::handlerRoutesReentrantly()
{
    EventRouter router;
    QStringList calls;
    router.addRoute(EventFilter(u"users"_s), nullptr, [&](const RealtimeEvent &) {
        calls << u"users"_s;
        // A handler that reacts by routing a follow-up event.
        QCOMPARE(router.route(kDeleted), 1);
        calls << u"users done"_s;
    });
    router.addRoute(EventFilter(u"patients"_s), nullptr,
                    [&](const RealtimeEvent &) { calls << u"patients"_s; });

    QCOMPARE(router.route(kCreated), 1);
    QCOMPARE(calls, (QStringList{u"users"_s, u"patients"_s, u"users done"_s}));
}

void TestEventRouter::contextDeleted()
{
    EventRouter router;
    int calls = 0;
    int unbound = 0;
    auto context = std::make_unique<QObject>();
    router.addRoute({}, context.get(), [&](const RealtimeEvent &) { ++calls; });
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) { ++unbound; });

    QCOMPARE(router.route(kCreated), 2);
    QCOMPARE(calls, 1);

    context.reset();
    QCOMPARE(router.route(kCreated), 1);
    QCOMPARE(calls, 1);
    QCOMPARE(unbound, 2);
    // The dead route is dropped, not merely skipped.
    QCOMPARE(router.routeCount(), 1);
}

void TestEventRouter::contextDeletedMidDispatch()
{
    EventRouter router;
    QStringList calls;
    auto *context = new QObject;
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) {
        calls << u"deleter"_s;
        delete context;
        context = nullptr;
    });
    router.addRoute({}, context, [&](const RealtimeEvent &) { calls << u"bound"_s; });
    router.addRoute({}, nullptr, [&](const RealtimeEvent &) { calls << u"last"_s; });

    QCOMPARE(router.route(kCreated), 2);
    QCOMPARE(calls, (QStringList{u"deleter"_s, u"last"_s}));
    QCOMPARE(router.routeCount(), 2);
}

void TestEventRouter::contextAlive()
{
    EventRouter router;
    QObject context;
    int calls = 0;
    router.addRoute(EventFilter(u"users"_s), &context, [&](const RealtimeEvent &) { ++calls; });
    QCOMPARE(router.route(kCreated), 1);
    QCOMPARE(router.route(kCreated), 1);
    QCOMPARE(router.route(kDeleted), 0);
    QCOMPARE(calls, 2);
    QCOMPARE(router.routeCount(), 1);
}

void TestEventRouter::featureRoutesFindTheirFeatureInAnySpelling()
{
    EventRouter router;
    QStringList calls;
    router.addFeatureRoute({u"lab_orders"_s, u"lab-orders"_s}, nullptr,
                           [&](const RealtimeEvent &e) { calls << u"lab:"_s + e.feature; });
    router.addFeatureRoute({u"patients"_s}, nullptr,
                           [&](const RealtimeEvent &e) { calls << u"patients:"_s + e.feature; });
    QCOMPARE(router.route(makeEvent(u"labOrders"_s, u"labOrder"_s, u"created"_s)), 1);
    QCOMPARE(router.route(makeEvent(u"lab-orders"_s, u"lab-order"_s, u"updated"_s)), 1);
    QCOMPARE(router.route(kDeleted), 1);
    // Another feature reaches no list, whatever its entity.
    QCOMPARE(router.route(makeEvent(u"users"_s, u"patient"_s, u"created"_s)), 0);
    QCOMPARE(router.route(makeEvent(u""_s, u""_s, u"created"_s)), 0);
    QCOMPARE(calls, (QStringList{u"lab:labOrders"_s, u"lab:lab-orders"_s, u"patients:patients"_s}));
}

void TestEventRouter::featureRouteTakesOperationsThroughTheirTargets()
{
    EventRouter router;
    int patients = 0;
    int labs = 0;
    router.addFeatureRoute({u"patients"_s}, nullptr, [&](const RealtimeEvent &) { ++patients; });
    router.addFeatureRoute({u"lab_orders"_s, u"labs"_s}, nullptr,
                           [&](const RealtimeEvent &) { ++labs; });
    RealtimeEvent operation = makeEvent(u"operations"_s, {}, u"operation_completed"_s);
    operation.dialect = RealtimeEvent::Dialect::Operation;
    // Two targets naming one list run it once.
    operation.refreshTargets = {u"lab-orders"_s, u"labs"_s};
    QCOMPARE(router.route(operation), 1);
    QCOMPARE(labs, 1);
    QCOMPARE(patients, 0);
    operation.refreshTargets = {u"patients"_s, u"labOrders"_s};
    QCOMPARE(router.route(operation), 2);
    QCOMPARE(labs, 2);
    QCOMPARE(patients, 1);
}

void TestEventRouter::featureRoutesAndFilterRoutesRunInOrder()
{
    EventRouter router;
    QStringList calls;
    router.addFeatureRoute({u"patients"_s}, nullptr,
                           [&](const RealtimeEvent &) { calls << u"a"_s; });
    router.addRoute(EventFilter(), nullptr, [&](const RealtimeEvent &) { calls << u"b"_s; });
    router.addFeatureRoute({u"patients"_s}, nullptr,
                           [&](const RealtimeEvent &) { calls << u"c"_s; });
    QCOMPARE(router.route(kDeleted), 3);
    QCOMPARE(calls, (QStringList{u"a"_s, u"b"_s, u"c"_s}));
}

void TestEventRouter::removedFeatureRouteIsForgotten()
{
    EventRouter router;
    int calls = 0;
    const int id
        = router.addFeatureRoute({u"patients"_s}, nullptr, [&](const RealtimeEvent &) { ++calls; });
    QCOMPARE(router.routeCount(), 1);
    router.removeRoute(id);
    QCOMPARE(router.routeCount(), 0);
    QCOMPARE(router.route(kDeleted), 0);
    QCOMPARE(calls, 0);
}

void TestEventRouter::featureRouteContextDeleted()
{
    EventRouter router;
    int calls = 0;
    auto context = std::make_unique<QObject>();
    router.addFeatureRoute({u"patients"_s}, context.get(), [&](const RealtimeEvent &) { ++calls; });
    QCOMPARE(router.route(kDeleted), 1);
    context.reset();
    QCOMPARE(router.route(kDeleted), 0);
    QCOMPARE(calls, 1);
    QCOMPARE(router.routeCount(), 0);
}

QTEST_GUILESS_MAIN(TestEventRouter)
#include "tst_eventrouter.moc"
