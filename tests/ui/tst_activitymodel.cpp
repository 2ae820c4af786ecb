// SPDX-License-Identifier: MIT
#include "activitymodel.h"

#include <QtCore/QItemSelectionModel>
#include <QtCore/QJsonObject>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;

class TestActivityModel : public QObject
{
    Q_OBJECT

private:
    static RealtimeEvent event(int id,
                               RealtimeEvent::Priority priority = RealtimeEvent::Priority::Normal)
    {
        RealtimeEvent e;
        e.name = u"patients.patient.updated"_s;
        e.feature = u"patients"_s;
        e.entity = u"patient"_s;
        e.action = u"updated"_s;
        e.ids = {QString::number(id)};
        e.userId = u"nurse-1"_s;
        e.priority = priority;
        e.timestamp = QDateTime(QDate(2026, 11, 21), QTime(10, 42, 5), Qt::UTC);
        return e;
    }

private Q_SLOTS:
    void newestFirstWithOneInsertEach()
    {
        ActivityModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        for (int i = 1; i <= 3; ++i)
            model.addEvent(event(i));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 3);
        for (const auto &args : inserted) {
            QCOMPARE(args.at(1).toInt(), 0);
            QCOMPARE(args.at(2).toInt(), 0);
        }
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model.index(0, ActivityModel::Ids).data().toString(), u"3"_s);
        QCOMPARE(model.index(2, ActivityModel::Ids).data().toString(), u"1"_s);
        QCOMPARE(model.index(0, ActivityModel::Action).data().toString(), u"updated"_s);
        QCOMPARE(model.index(0, ActivityModel::User).data().toString(), u"nurse-1"_s);
        QCOMPARE(model.index(0, ActivityModel::Time).data().toString(),
                 event(1).timestamp.toLocalTime().toString(u"HH:mm:ss"_s));
        QCOMPARE(model.index(0, 0).data(ActivityModel::EventNameRole).toString(),
                 u"patients.patient.updated"_s);
    }

    void boundedByCapacityFromTheOldEnd()
    {
        ActivityModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setCapacity(5);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (int i = 1; i <= 8; ++i)
            model.addEvent(event(i));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(removed.count(), 3);
        for (const auto &args : removed) {
            QCOMPARE(args.at(1).toInt(), 5);
            QCOMPARE(args.at(2).toInt(), 5);
        }
        QCOMPARE(model.eventAt(0).ids, QStringList{u"8"_s});
        QCOMPARE(model.eventAt(4).ids, QStringList{u"4"_s});

        model.setCapacity(2);
        QCOMPARE(model.rowCount(), 2);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void missingTimestampShowsReceiveTime()
    {
        ActivityModel model;
        auto e = event(1);
        e.timestamp = {};
        model.addEvent(e);
        QVERIFY(!model.index(0, ActivityModel::Time).data().toString().isEmpty());
    }

    void highPriorityIsMarked()
    {
        ActivityModel model;
        model.addEvent(event(1, RealtimeEvent::Priority::Critical));
        model.addEvent(event(2));
        QVERIFY(model.index(1, ActivityModel::Priority).data(Qt::ForegroundRole).isValid());
        QVERIFY(!model.index(0, ActivityModel::Priority).data(Qt::ForegroundRole).isValid());
        QCOMPARE(model.index(1, ActivityModel::Priority).data().toString(), u"critical"_s);
    }

    void selectionSurvivesNewEvents()
    {
        ActivityModel model;
        QItemSelectionModel selection(&model);
        for (int i = 1; i <= 3; ++i)
            model.addEvent(event(i));
        selection.setCurrentIndex(model.index(1, 0), QItemSelectionModel::SelectCurrent);
        const QString selectedId = model.eventAt(1).ids.first();
        model.addEvent(event(4));
        model.addEvent(event(5));
        QCOMPARE(selection.currentIndex().row(), 3);
        QCOMPARE(model.eventAt(selection.currentIndex().row()).ids.first(), selectedId);
    }

    // The sentence a person reads: the list's label, the record's id and name, who did it.
    void summaryIsASentence()
    {
        ActivityModel model;
        model.setResourceLabel(u"patients"_s, u"patient"_s, u"Patients"_s, u"name"_s);
        RealtimeEvent changed = event(12);
        changed.setData(QJsonObject{{u"id"_s, 12}, {u"name"_s, u"Somchai P."_s}});
        model.addEvent(changed);
        QCOMPARE(model.summary(0), u"Patients: 12 (Somchai P.) changed by nurse-1"_s);
        QCOMPARE(model.index(0, ActivityModel::Summary).data().toString(), model.summary(0));

        RealtimeEvent deleted = event(13);
        deleted.action = u"deleted"_s;
        deleted.userId.clear();
        model.addEvent(deleted);
        QCOMPARE(model.summary(0), u"Patients: 13 deleted"_s);

        RealtimeEvent bulk = event(1);
        bulk.action = u"bulk_created"_s;
        bulk.ids = {u"1"_s, u"2"_s, u"3"_s, u"4"_s};
        model.addEvent(bulk);
        // "4 records" once the English plural forms are installed (the app does it).
        QVERIFY2(model.summary(0).startsWith(u"Patients: 4 record"_s)
                     && model.summary(0).endsWith(u" added by nurse-1"_s),
                 qPrintable(model.summary(0)));

        // An entity nobody labelled keeps its own name; a server's own word is shown as is.
        RealtimeEvent other = event(7);
        other.feature = u"beds"_s;
        other.entity = u"bed"_s;
        other.action = u"status_changed"_s;
        model.addEvent(other);
        QCOMPARE(model.summary(0), u"bed: 7 status changed"_s);

        model.addNotice(u"Import into Patients finished."_s, RealtimeEvent::Priority::High);
        QCOMPARE(model.summary(0), u"Import into Patients finished."_s);
        QVERIFY(model.index(0, ActivityModel::Summary).data(Qt::ForegroundRole).isValid());
        QCOMPARE(model.rowCount(), 5);
    }

    // An event no list took is one line with the event's name, once per name: a misnamed
    // resource shows up without flooding the panel.
    void unclaimedEventIsOneLinePerName()
    {
        ActivityModel model;
        QAbstractItemModelTester tester(&model);
        model.addUnclaimed(u"patients.patient.created"_s);
        model.addUnclaimed(u"patients.patient.created"_s);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY2(model.summary(0).contains(u"patients.patient.created"_s),
                 qPrintable(model.summary(0)));
        QCOMPARE(model.index(0, 0).data(ActivityModel::EventNameRole).toString(),
                 u"patients.patient.created"_s);
        QVERIFY(model.index(0, ActivityModel::Summary).data(Qt::ForegroundRole).isValid());
        model.addUnclaimed(u"patients.patient.deleted"_s);
        QCOMPARE(model.rowCount(), 2);
    }

    // A label given with the server's spelling names events in any other spelling, and the
    // entity in the singular (`lab-orders.lab_order.updated` is a Lab orders event).
    void labelsMatchAnySpelling()
    {
        ActivityModel model;
        model.setResourceLabel(u"lab_orders"_s, u"lab-orders"_s, u"Lab orders"_s);
        RealtimeEvent e = event(5);
        e.feature = u"lab-orders"_s;
        e.entity = u"lab_order"_s;
        model.addEvent(e);
        QCOMPARE(model.summary(0), u"Lab orders: 5 changed by nurse-1"_s);
    }

    // With the record as the lists held it when the event came: which fields changed, and
    // what a deleted record was called (its event carries the id alone). The lookup is read
    // when the event arrives, not when the sentence is shown.
    void summarySaysWhatChangedAndNamesDeletedRecords()
    {
        ActivityModel model;
        model.setResourceLabel(u"patients"_s, u"patient"_s, u"Patients"_s, u"name"_s);
        ResourceSchema::Column ward;
        ward.name = u"ward"_s;
        ward.label = u"Ward"_s;
        ward.type = u"string"_s;
        ResourceSchema::Column name;
        name.name = u"name"_s;
        name.label = u"Name"_s;
        name.type = u"string"_s;
        ResourceSchema::Column updated;
        updated.name = u"updated_at"_s;
        updated.type = u"datetime"_s;
        updated.system = true;
        model.setResourceColumns(u"patients"_s, {name, ward, updated});
        model.setUserNames({{u"nurse-1"_s, u"Nurse Malee"_s}});
        QHash<QString, QJsonObject> held{
            {u"3"_s,
             QJsonObject{{u"id"_s, 3},
                         {u"name"_s, u"Malee Chaiyaporn"_s},
                         {u"ward"_s, u"ICU"_s},
                         {u"updated_at"_s, u"2026-11-21T10:00:00.000Z"_s}}}};
        QStringList asked;
        model.setRecordLookup([&](const QString &feature, const QString &id) {
            asked.append(feature + u'/' + id);
            return held.value(id);
        });

        RealtimeEvent changed = event(3);
        changed.setData(QJsonObject{{u"id"_s, 3},
                                    {u"name"_s, u"Malee Chaiyaporn"_s},
                                    {u"ward"_s, u"Surgery"_s},
                                    {u"updated_at"_s, u"2026-11-21T10:42:05.000Z"_s}});
        model.addEvent(changed);
        QCOMPARE(asked, QStringList{u"patients/3"_s});
        held.insert(u"3"_s, changed.data().toObject()); // the list applies it afterwards
        QCOMPARE(model.summary(0),
                 u"Patients: 3 (Malee Chaiyaporn) changed by Nurse Malee: Ward: ICU → Surgery"_s);

        RealtimeEvent deleted = event(3);
        deleted.action = u"deleted"_s;
        deleted.setData(QJsonObject{{u"id"_s, u"3"_s}});
        model.addEvent(deleted);
        held.remove(u"3"_s);
        QCOMPARE(model.summary(0), u"Patients: 3 (Malee Chaiyaporn) deleted by Nurse Malee"_s);

        // A record no list holds: no details, no guess.
        RealtimeEvent unknown = event(9);
        unknown.setData(QJsonObject{{u"id"_s, 9}, {u"ward"_s, u"Surgery"_s}});
        model.addEvent(unknown);
        QCOMPARE(model.summary(0), u"Patients: 9 changed by Nurse Malee"_s);
    }

    // Only the last minutes are kept: older entries go at the end, newer ones stay.
    void olderThanMaxAgeIsDropped()
    {
        ActivityModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setMaxAge(1);
        model.addEvent(event(1));
        model.addNotice(u"first"_s);
        QCOMPARE(model.rowCount(), 2);
        QTest::qWait(1200);
        model.addEvent(event(2)); // adding also drops what expired
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.eventAt(0).ids, QStringList{u"2"_s});
        model.setMaxAge(0); // keep everything
        QTest::qWait(1100);
        model.addEvent(event(3));
        QCOMPARE(model.rowCount(), 2);
    }
};

QTEST_GUILESS_MAIN(TestActivityModel)
#include "tst_activitymodel.moc"
