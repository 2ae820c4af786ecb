// SPDX-License-Identifier: MIT
// ListCriteria alone: which records a list query selects and in what order, judged the way
// livedesk-server's list query judges them, without a server.
#include "state/listcriteria.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::ListCriteria;
using livedesk::ResourceSchema;
using livedesk::RestQuery;
using Membership = ListCriteria::Membership;

Q_DECLARE_METATYPE(Membership)

namespace {

ResourceSchema schema()
{
    ResourceSchema s;
    s.name = u"patients"_s;
    s.restPath = u"/api/patients"_s;
    const auto add = [&](const QString &name, const QString &type, QStringList values = {}) {
        ResourceSchema::Column c;
        c.name = name;
        c.type = type;
        c.enumValues = values;
        s.columns.append(c);
    };
    add(u"name"_s, u"string"_s);
    add(u"ward"_s, u"string"_s);
    add(u"age"_s, u"integer"_s);
    add(u"weight"_s, u"number"_s);
    add(u"admitted"_s, u"date"_s);
    add(u"active"_s, u"boolean"_s);
    add(u"triage"_s, u"enum"_s, {u"Red"_s, u"Yellow"_s, u"Green"_s});
    return s;
}

RestQuery filtered(QList<std::pair<QString, QString>> filters, const QString &search = {})
{
    RestQuery q;
    q.filters = std::move(filters);
    q.search = search;
    return q;
}

} // namespace

class TestListCriteria : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void membership_data()
    {
        QTest::addColumn<RestQuery>("query");
        QTest::addColumn<QJsonObject>("record");
        QTest::addColumn<Membership>("expected");
        QTest::addColumn<bool>("exact");
        const QJsonObject ann{{u"name"_s, u"Ann"_s},
                              {u"ward"_s, u"A"_s},
                              {u"age"_s, 40},
                              {u"weight"_s, 61.5},
                              {u"admitted"_s, u"2026-03-04"_s},
                              {u"active"_s, true},
                              {u"triage"_s, u"Yellow"_s},
                              {u"note"_s, QJsonValue::Null}};
        QTest::newRow("no filter") << RestQuery() << ann << Membership::In << true;
        QTest::newRow("equals") << filtered({{u"ward"_s, u"A"_s}}) << ann << Membership::In << true;
        QTest::newRow("equals, other")
            << filtered({{u"ward"_s, u"B"_s}}) << ann << Membership::Out << true;
        QTest::newRow("text has case")
            << filtered({{u"ward"_s, u"a"_s}}) << ann << Membership::Out << true;
        QTest::newRow("repeated key: any of")
            << filtered({{u"ward"_s, u"B"_s}, {u"ward"_s, u"A"_s}}) << ann << Membership::In
            << true;
        QTest::newRow("two keys: both") << filtered({{u"ward"_s, u"A"_s}, {u"age"_s, u"41"_s}})
                                        << ann << Membership::Out << true;
        QTest::newRow("numbers as numbers")
            << filtered({{u"age_min"_s, u"9"_s}}) << ann << Membership::In << true;
        QTest::newRow("max below")
            << filtered({{u"weight_max"_s, u"60"_s}}) << ann << Membership::Out << true;
        QTest::newRow("min and max") << filtered({{u"age_min"_s, u"40"_s}, {u"age_max"_s, u"40"_s}})
                                     << ann << Membership::In << true;
        QTest::newRow("date as text")
            << filtered({{u"admitted_min"_s, u"2026-03-05"_s}}) << ann << Membership::Out << true;
        QTest::newRow("boolean") << filtered({{u"active"_s, u"yes"_s}}) << ann << Membership::In
                                 << true;
        QTest::newRow("enum in any case")
            << filtered({{u"triage"_s, u"yellow"_s}}) << ann << Membership::In << true;
        QTest::newRow("null never matches")
            << filtered({{u"ward"_s, u"A"_s}}) << QJsonObject{{u"ward"_s, QJsonValue::Null}}
            << Membership::Out << true;
        QTest::newRow("field missing")
            << filtered({{u"ward"_s, u"A"_s}}) << QJsonObject{{u"name"_s, u"Bo"_s}}
            << Membership::Unknown << true;
        QTest::newRow("a number where text is")
            << filtered({{u"ward"_s, u"A"_s}}) << QJsonObject{{u"ward"_s, 1}} << Membership::Unknown
            << true;
        QTest::newRow("empty value: no filter")
            << filtered({{u"ward"_s, u" "_s}}) << ann << Membership::In << true;
        QTest::newRow("cache buster ignored")
            << filtered({{u"_t"_s, u"123"_s}}) << ann << Membership::In << true;
        // Only the server can say.
        QTest::newRow("search") << filtered({}, u"ann"_s) << ann << Membership::Unknown << false;
        QTest::newRow("search, filter out")
            << filtered({{u"ward"_s, u"B"_s}}, u"ann"_s) << ann << Membership::Out << false;
        QTest::newRow("unknown column")
            << filtered({{u"colour"_s, u"red"_s}}) << ann << Membership::Unknown << false;
        QTest::newRow("value refused")
            << filtered({{u"age"_s, u"forty"_s}}) << ann << Membership::Unknown << false;
        QTest::newRow("bound on text refused")
            << filtered({{u"name_min"_s, u"A"_s}}) << ann << Membership::Unknown << false;
    }

    void membership()
    {
        QFETCH(RestQuery, query);
        QFETCH(QJsonObject, record);
        QFETCH(Membership, expected);
        QFETCH(bool, exact);
        const ListCriteria criteria(schema(), query);
        QCOMPARE(criteria.membership(record), expected);
        QCOMPARE(criteria.isExact(), exact);
    }

    void order()
    {
        RestQuery q;
        q.sort = {{u"ward"_s, Qt::AscendingOrder}, {u"age"_s, Qt::DescendingOrder}};
        const ListCriteria criteria(schema(), q);
        QVERIFY(criteria.isSorted());
        QVERIFY(!ListCriteria(schema(), RestQuery()).isSorted());
        const auto before = [&](const QJsonObject &a, const QString &aId, const QJsonObject &b,
                                const QString &bId) {
            return criteria.compare(a, aId, b, bId) < 0 && criteria.compare(b, bId, a, aId) > 0;
        };
        const QJsonObject a40{{u"ward"_s, u"a"_s}, {u"age"_s, 40}};
        const QJsonObject A30{{u"ward"_s, u"A"_s}, {u"age"_s, 30}};
        const QJsonObject b99{{u"ward"_s, u"b"_s}, {u"age"_s, 99}};
        const QJsonObject none{{u"age"_s, 1}};
        // Text without case, then the second key descending.
        QVERIFY(before(a40, u"1"_s, A30, u"2"_s));
        QVERIFY(before(A30, u"2"_s, b99, u"3"_s));
        // Null (or missing) first.
        QVERIFY(before(none, u"9"_s, a40, u"1"_s));
        // Ties by id, numerically, in the direction of the last key (descending here).
        QVERIFY(before(a40, u"10"_s, a40, u"9"_s));
        QCOMPARE(criteria.compare(a40, u"7"_s, a40, u"7"_s), 0);

        RestQuery up;
        up.sort = {{u"age"_s, Qt::AscendingOrder}};
        const ListCriteria byAge(schema(), up);
        QVERIFY(byAge.compare(QJsonObject{{u"age"_s, 9}}, u"1"_s, QJsonObject{{u"age"_s, 10}},
                              u"2"_s)
                < 0); // numbers as numbers, not as text
        QVERIFY(byAge.compare(a40, u"9"_s, a40, u"10"_s) < 0);
        // Not numbers: ids as text.
        QVERIFY(byAge.compare(a40, u"b"_s, a40, u"a"_s) > 0);
    }
};

QTEST_GUILESS_MAIN(TestListCriteria)
#include "tst_listcriteria.moc"
