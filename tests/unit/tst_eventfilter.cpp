// SPDX-License-Identifier: MIT
// EventFilter: `feature.entity.action` patterns with `*` segments, omitted trailing segments
// and globs, and operation events matched through their refreshTargets.

#include "events/eventfilter.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::EventFilter;
using livedesk::RealtimeEvent;

namespace {

RealtimeEvent makeEvent(const QString &feature, const QString &entity, const QString &action,
                        const QStringList &refreshTargets = {})
{
    RealtimeEvent e;
    e.name = feature + u'.' + entity + u'.' + action;
    e.feature = feature;
    e.entity = entity;
    e.action = action;
    e.refreshTargets = refreshTargets;
    return e;
}

RealtimeEvent operationEvent(const QString &action, const QStringList &refreshTargets)
{
    RealtimeEvent e = makeEvent(u"operation"_s, u"patient-import"_s, action, refreshTargets);
    e.name = u"operation:progress"_s;
    e.dialect = RealtimeEvent::Dialect::Operation;
    e.operationId = u"op-42"_s;
    return e;
}

} // namespace

class TestEventFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matches_data();
    void matches();
    void segmentConstructor_data();
    void segmentConstructor();
    void pattern_data();
    void pattern();
};

void TestEventFilter::matches_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<RealtimeEvent>("event");
    QTest::addColumn<bool>("matches");

    const auto created = makeEvent(u"users"_s, u"user"_s, u"created"_s);
    const auto deleted = makeEvent(u"budget-plans"_s, u"budget-plans"_s, u"deleted"_s);
    const auto bulkDeleted = makeEvent(u"patients"_s, u"patients"_s, u"bulk_deleted"_s);
    const auto progress = makeEvent(u"patients"_s, u"import"_s, u"import_progress"_s);
    const auto archive = makeEvent(u"patients-archive"_s, u"patient"_s, u"created"_s);
    const auto op = operationEvent(u"operation_completed"_s, {u"patients"_s, u"admissions"_s});
    const auto opNoTargets = operationEvent(u"operation_completed"_s, {});

    // clang-format off
    QTest::newRow("exact") << u"users.user.created"_s << created << true;
    QTest::newRow("exact, other action") << u"users.user.updated"_s << created << false;
    QTest::newRow("exact, other entity") << u"users.role.created"_s << created << false;
    QTest::newRow("exact, other feature") << u"roles.user.created"_s << created << false;
    QTest::newRow("exact is case-sensitive") << u"Users.user.created"_s << created << false;
    QTest::newRow("exact is not a prefix") << u"user.user.created"_s << created << false;
    QTest::newRow("star") << u"*"_s << created << true;
    QTest::newRow("empty pattern") << QString() << created << true;
    QTest::newRow("star star star") << u"*.*.*"_s << deleted << true;
    QTest::newRow("feature only") << u"patients"_s << progress << true;
    QTest::newRow("feature only, bulk") << u"patients"_s << bulkDeleted << true;
    QTest::newRow("feature only is not a prefix") << u"patients"_s << archive << false;
    QTest::newRow("feature and entity") << u"patients.import"_s << progress << true;
    QTest::newRow("feature and entity, other entity") << u"patients.patient"_s << progress << false;
    QTest::newRow("empty middle segment is any") << u"patients..import_progress"_s << progress << true;
    QTest::newRow("feature glob") << u"pat*"_s << progress << true;
    QTest::newRow("feature glob matches archive too") << u"pat*"_s << archive << true;
    QTest::newRow("feature glob is anchored") << u"pat*"_s << makeEvent(u"compat"_s, u"x"_s, u"created"_s) << false;
    QTest::newRow("suffix glob") << u"*ients"_s << progress << true;
    QTest::newRow("suffix glob is anchored") << u"*ients"_s << archive << false;
    QTest::newRow("question mark") << u"?sers"_s << created << true;
    QTest::newRow("question mark is one char") << u"?sers"_s << makeEvent(u"xusers"_s, u"user"_s, u"created"_s) << false;
    QTest::newRow("any action deleted") << u"*.*.deleted"_s << deleted << true;
    QTest::newRow("any action deleted is anchored") << u"*.*.deleted"_s << bulkDeleted << false;
    QTest::newRow("any action deleted, created") << u"*.*.deleted"_s << created << false;
    QTest::newRow("action glob") << u"*.*.bulk_*"_s << bulkDeleted << true;
    QTest::newRow("action glob suffix") << u"*.*.*deleted"_s << bulkDeleted << true;
    QTest::newRow("action glob, plain") << u"*.*.bulk_*"_s << deleted << false;
    QTest::newRow("entity glob") << u"budget-*.budget-*.deleted"_s << deleted << true;
    QTest::newRow("glob is case-sensitive") << u"PAT*"_s << progress << false;
    // Operation events: a feature pattern also matches a table the operation touched.
    QTest::newRow("op: feature via refreshTargets") << u"patients"_s << op << true;
    QTest::newRow("op: second refreshTarget") << u"admissions"_s << op << true;
    QTest::newRow("op: untouched table") << u"billing"_s << op << false;
    QTest::newRow("op: glob via refreshTargets") << u"adm*"_s << op << true;
    QTest::newRow("op: its own feature") << u"operation"_s << op << true;
    QTest::newRow("op: no targets") << u"patients"_s << opNoTargets << false;
    QTest::newRow("op: entity must still match") << u"patients.patient"_s << op << false;
    QTest::newRow("op: action must still match") << u"patients.*.created"_s << op << false;
    QTest::newRow("op: action matches") << u"patients.*.operation_completed"_s << op << true;
    QTest::newRow("op: targets are not entities") << u"*.patients"_s << op << false;
    // clang-format on
}

void TestEventFilter::matches()
{
    QFETCH(QString, pattern);
    QFETCH(RealtimeEvent, event);
    QFETCH(bool, matches);

    QCOMPARE(EventFilter(pattern).matches(event), matches);
}

void TestEventFilter::segmentConstructor_data()
{
    QTest::addColumn<QString>("feature");
    QTest::addColumn<QString>("entity");
    QTest::addColumn<QString>("action");
    QTest::addColumn<bool>("matches");

    // Against users.user.created.
    QTest::newRow("all exact") << u"users"_s << u"user"_s << u"created"_s << true;
    QTest::newRow("all empty") << QString() << QString() << QString() << true;
    QTest::newRow("action only") << QString() << QString() << u"created"_s << true;
    QTest::newRow("action only, other") << QString() << QString() << u"deleted"_s << false;
    QTest::newRow("entity glob") << u"*"_s << u"us*"_s << u"*"_s << true;
    // Segments are taken literally: a dot inside a segment is not a separator.
    QTest::newRow("dot inside segment") << u"users.user"_s << QString() << QString() << false;
}

void TestEventFilter::segmentConstructor()
{
    QFETCH(QString, feature);
    QFETCH(QString, entity);
    QFETCH(QString, action);
    QFETCH(bool, matches);

    QCOMPARE(EventFilter(feature, entity, action)
                 .matches(makeEvent(u"users"_s, u"user"_s, u"created"_s)),
             matches);
}

void TestEventFilter::pattern_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("pattern");

    QTest::newRow("exact") << u"users.user.created"_s << u"users.user.created"_s;
    QTest::newRow("feature only") << u"patients"_s << u"patients.*.*"_s;
    QTest::newRow("two segments") << u"patients.import"_s << u"patients.import.*"_s;
    QTest::newRow("star") << u"*"_s << u"*.*.*"_s;
    QTest::newRow("empty") << QString() << u"*.*.*"_s;
    QTest::newRow("empty segment") << u"a..c"_s << u"a.*.c"_s;
    QTest::newRow("globs kept") << u"pat*.*.bulk_?"_s << u"pat*.*.bulk_?"_s;
}

void TestEventFilter::pattern()
{
    QFETCH(QString, input);
    QFETCH(QString, pattern);

    const EventFilter filter(input);
    QCOMPARE(filter.pattern(), pattern);
    // The canonical pattern selects exactly what the original does.
    const EventFilter again(filter.pattern());
    QCOMPARE(again.pattern(), pattern);
    for (const auto &e :
         {makeEvent(u"users"_s, u"user"_s, u"created"_s),
          makeEvent(u"patients"_s, u"import"_s, u"import_progress"_s),
          makeEvent(u"a"_s, u"b"_s, u"c"_s), makeEvent(u"patx"_s, u"y"_s, u"bulk_z"_s)})
        QCOMPARE(again.matches(e), filter.matches(e));

    QCOMPARE(EventFilter().pattern(), u"*.*.*"_s);
    QCOMPARE(EventFilter(u"users"_s, {}, u"deleted"_s).pattern(), u"users.*.deleted"_s);
    QVERIFY(EventFilter().matches(makeEvent(u"x"_s, u"y"_s, u"z"_s)));
}

QTEST_GUILESS_MAIN(TestEventFilter)
#include "tst_eventfilter.moc"
