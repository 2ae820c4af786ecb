// SPDX-License-Identifier: MIT
// EventNaming: the spellings of one AegisX name (kebab, snake, camel case; singular and plural
// entities) are one name, and different names stay different.

#include "events/eventnaming.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::EventNaming;

class TestEventNaming : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalized_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("kebab") << u"lab-orders"_s << u"lab_orders"_s;
        QTest::newRow("snake") << u"lab_orders"_s << u"lab_orders"_s;
        QTest::newRow("camel") << u"labOrders"_s << u"lab_orders"_s;
        QTest::newRow("pascal") << u"LabOrders"_s << u"lab_orders"_s;
        QTest::newRow("words") << u"Lab Orders"_s << u"lab_orders"_s;
        QTest::newRow("capitals stay a word") << u"HNCodes"_s << u"hncodes"_s;
        QTest::newRow("digits") << u"icd10Codes"_s << u"icd10_codes"_s;
        QTest::newRow("plain") << u"patients"_s << u"patients"_s;
    }
    void normalized()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QCOMPARE(EventNaming::normalized(name), expected);
    }

    void singular_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("s") << u"patients"_s << u"patient"_s;
        QTest::newRow("already") << u"patient"_s << u"patient"_s;
        QTest::newRow("ies") << u"categories"_s << u"category"_s;
        QTest::newRow("uses") << u"statuses"_s << u"status"_s;
        QTest::newRow("us") << u"status"_s << u"status"_s;
        QTest::newRow("xes") << u"boxes"_s << u"box"_s;
        QTest::newRow("sses") << u"classes"_s << u"class"_s;
        QTest::newRow("ss") << u"class"_s << u"class"_s;
        QTest::newRow("last word only") << u"budget-plans"_s << u"budget_plan"_s;
        QTest::newRow("camel") << u"labOrders"_s << u"lab_order"_s;
    }
    void singular()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QCOMPARE(EventNaming::singular(name), expected);
    }

    void sameName()
    {
        QVERIFY(EventNaming::sameName(u"lab-orders", u"lab_orders"));
        QVERIFY(EventNaming::sameName(u"lab_orders", u"labOrders"));
        QVERIFY(EventNaming::sameName(u"labOrders", u"lab-orders"));
        QVERIFY(EventNaming::sameName(u"patients", u"patients"));
        // A feature is not its entity: the plural matters here.
        QVERIFY(!EventNaming::sameName(u"patients", u"patient"));
        QVERIFY(!EventNaming::sameName(u"lab-orders", u"orders"));
        QVERIFY(!EventNaming::sameName(u"", u""));
        QVERIFY(!EventNaming::sameName(u"patients", u""));
    }

    void sameEntity()
    {
        QVERIFY(EventNaming::sameEntity(u"patient", u"patients"));
        QVERIFY(EventNaming::sameEntity(u"patients", u"patient"));
        QVERIFY(EventNaming::sameEntity(u"lab-order", u"lab_orders"));
        QVERIFY(EventNaming::sameEntity(u"labOrder", u"lab-orders"));
        QVERIFY(EventNaming::sameEntity(u"category", u"categories"));
        QVERIFY(EventNaming::sameEntity(u"budget-plans", u"budget-plans"));
        QVERIFY(!EventNaming::sameEntity(u"patient", u"admission"));
        QVERIFY(!EventNaming::sameEntity(u"order", u"lab-orders"));
        QVERIFY(!EventNaming::sameEntity(u"", u"patients"));
    }
};

QTEST_APPLESS_MAIN(TestEventNaming)
#include "tst_eventnaming.moc"
