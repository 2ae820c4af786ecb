// SPDX-License-Identifier: MIT
// RealtimeTableModel over a RealtimeStateManager against the embedded server in-process: a real
// ApiClient and Socket.IO connection for the nurse whose list is shown, the doctor writing over
// REST (or, where a test needs one reload to carry several changes, straight into the store).
// Every model runs under QAbstractItemModelTester (fatal; with incremental loading only once
// every page is read, as the tester itself calls fetchMore()), and the model's signals are
// recorded in order so that each test asserts the exact sequence: a change is dataChanged for
// the changed cells only, a sort key change is a move, a create an insert, never a reset or a
// layout change; a QTableView keeps its selection and current index through all of it.
#include "eventpublisher.h"
#include "events/realtimechannel.h"
#include "livedeskserver.h"
#include "realtimetablemodel.h"
#include "recordstore.h"
#include "rest/apiclient.h"
#include "restoutcome.h"
#include "serverschema.h"
#include "socketio/socketioclient.h"
#include "state/realtimestatemanager.h"
#include "state/resourceschema.h"
#include "stateclient.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QLocale>
#include <QtGui/QBrush>
#include <QtGui/QFont>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QTableView>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk;
using Manager = RealtimeStateManager;
using Model = RealtimeTableModel;
using Sort = QList<std::pair<QString, Qt::SortOrder>>;

namespace {

constexpr int Patience = 20000;
const QString Patients = u"/api/patients"_s;

// The model's signals in order, as short strings.
class Recorder : public QObject
{
public:
    explicit Recorder(QAbstractItemModel *model)
    {
        using M = QAbstractItemModel;
        connect(model, &M::dataChanged, this,
                [this](const QModelIndex &tl, const QModelIndex &br, const QList<int> &roles) {
                    events.append(u"dataChanged %1-%2 c%3-%4"_s.arg(tl.row())
                                      .arg(br.row())
                                      .arg(tl.column())
                                      .arg(br.column()));
                    dataChangedRoles.append(roles);
                });
        connect(model, &M::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
            events.append(u"inserted %1-%2"_s.arg(first).arg(last));
        });
        connect(model, &M::rowsRemoved, this, [this](const QModelIndex &, int first, int last) {
            events.append(u"removed %1-%2"_s.arg(first).arg(last));
        });
        connect(model, &M::rowsMoved, this,
                [this](const QModelIndex &, int first, int last, const QModelIndex &, int to) {
                    events.append(u"moved %1-%2->%3"_s.arg(first).arg(last).arg(to));
                });
        connect(model, &M::modelAboutToBeReset, this, [this] { events.append(u"aboutToReset"_s); });
        connect(model, &M::modelReset, this, [this] { events.append(u"reset"_s); });
        connect(model, &M::layoutAboutToBeChanged, this,
                [this] { events.append(u"layoutAboutToBeChanged"_s); });
        connect(model, &M::layoutChanged, this, [this] { events.append(u"layoutChanged"_s); });
        connect(model, &M::headerDataChanged, this,
                [this] { events.append(u"headerDataChanged"_s); });
    }

    void clear()
    {
        events.clear();
        dataChangedRoles.clear();
    }

    QStringList events;
    QList<QList<int>> dataChangedRoles;
};

bool idle(const Manager *m)
{
    return !m->isLoading() && !m->isRefreshPending() && m->pendingCount() == 0;
}

// Waits until the manager has nothing under way, then lets a few more turns pass (longer than
// the HIS debounce) so that a straggler (a held dataChanged, another reload) would show up in
// the recorder before the exact sequence is compared. Nothing is asserted on time.
bool settle(const Manager *m)
{
    if (!QTest::qWaitFor([m] { return idle(m); }, Patience))
        return false;
    QTest::qWait(300);
    return QTest::qWaitFor([m] { return idle(m); }, Patience);
}

// The ids of the tenant's patients (those @p filters select) in the server's order for @p sort.
QStringList serverOrder(ApiClient *api, const Sort &sort,
                        const QList<std::pair<QString, QString>> &filters = {})
{
    QStringList ids;
    for (int page = 1;; ++page) {
        RestQuery q;
        q.page = page;
        q.limit = 1000;
        q.sort = sort;
        q.filters = filters;
        const test::RestOutcome o = test::await(api->list(Patients, q));
        if (!o.ok)
            return {};
        for (const QJsonValue &v : o.data.toArray())
            ids.append(QString::number(v.toObject().value(u"id").toInteger()));
        if (!o.pagination.value(u"hasNext").toBool())
            return ids;
    }
}

QStringList modelOrder(const Model &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(Model::RecordIdRole).toString());
    return ids;
}

QJsonObject recordAt(const Model &model, int row)
{
    return model.index(row, 0).data(Model::RecordRole).toJsonObject();
}

QString valueAt(const Model &model, int row, const QString &field)
{
    return recordAt(model, row).value(field).toString();
}

// "cA-B": the columns a dataChanged for the change @p before → @p after must cover (the
// model sends one rectangle per row: from the first to the last changed column).
QString changedColumns(const Model &model, const QJsonObject &before, const QJsonObject &after)
{
    int low = model.columnCount();
    int high = -1;
    QStringList keys = before.keys() + after.keys();
    keys.removeDuplicates();
    for (const QString &key : std::as_const(keys)) {
        if (before.value(key) == after.value(key))
            continue;
        const int c = model.columnOf(key);
        if (c >= 0) {
            low = std::min(low, c);
            high = std::max(high, c);
        }
    }
    return high < 0 ? u"none"_s : u"c%1-%2"_s.arg(low).arg(high);
}

// The nurse's desk: her REST client and socket, a manager of the patients, the model over it
// (under QAbstractItemModelTester) and a recorder of the model's signals.
class Desk : public test::StateClient
{
public:
    explicit Desk(server::LivedeskServer *server)
        : StateClient(server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s)
    {
    }

    // Connected, started, loaded: the model shows the 300 demo patients, inserted in one go.
    bool start(Manager::Mode mode, const Sort &sort = {{u"id"_s, Qt::AscendingOrder}})
    {
        Manager::Options options;
        options.mode = mode;
        options.query.sort = sort;
        return start(options, 300);
    }

    // The same with any @p options: the first load is one insert of @p firstLoad rows. Without
    // @p tested, no QAbstractItemModelTester (it calls fetchMore() at every change).
    bool start(const Manager::Options &options, int firstLoad, bool tested = true)
    {
        const auto parsed = serverSchema();
        if (!parsed)
            return false;
        // The model exists before the first load, so that the load is one insert.
        const auto putModel = [this, tested] {
            model = std::make_unique<Model>(manager.get());
            if (tested)
                new QAbstractItemModelTester(model.get(),
                                             QAbstractItemModelTester::FailureReportingMode::Fatal,
                                             model.get());
            recorder = std::make_unique<Recorder>(model.get());
        };
        if (!StateClient::start(*parsed, options, true, putModel) || !settle(manager.get()))
            return false;
        // The first load is one insert of every row (no reset: the model was empty).
        if (recorder->events != QStringList{u"inserted 0-%1"_s.arg(firstLoad - 1)}) {
            qWarning() << "first load:" << recorder->events;
            return false;
        }
        recorder->clear();
        return true;
    }

    QModelIndex cell(int row, const QString &field) const
    {
        return model->index(row, model->columnOf(field));
    }
    QString idAt(int row) const
    {
        return model->index(row, 0).data(Model::RecordIdRole).toString();
    }
    int rowOf(const QString &id) const { return model->rowOf(id); }

    std::unique_ptr<Model> model;
    std::unique_ptr<Recorder> recorder;
};

} // namespace

class TestRealtimeTableModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;
    ApiClient m_doctor; // another user, writing over REST

    const server::ResourceSpec &patients() const
    {
        return *m_server->schema().resourceByName(u"patients");
    }

    bool update(const QString &id, const QJsonObject &changes)
    {
        return test::await(m_doctor.update(Patients, id, changes)).ok;
    }

    QString create(const QJsonObject &values)
    {
        const test::RestOutcome o = test::await(m_doctor.create(Patients, values));
        return o.ok ? QString::number(o.data.toObject().value(u"id").toInteger()) : QString();
    }

    // A change written straight into the store, without an event: only a reload shows it.
    bool storeUpdate(const QString &id, const QJsonObject &changes)
    {
        return bool(m_server->store()->update(patients(), u"ward-a"_s, u"u-doctor"_s,
                                              id.toLongLong(), changes));
    }

private Q_SLOTS:
    void initTestCase()
    {
        // DisplayRole is formatted in the default locale: make it a known one.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    }

    void init()
    {
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_doctor.setBaseUrl(m_server->baseUrl());
        QVERIFY(test::await(m_doctor.login(u"doctor@demo.local"_s, u"doctor"_s)).ok);
    }

    void cleanup() { m_server.reset(); }

    // 1. HIS mode: another user's update is, after the reload, one dataChanged for that row
    //    and the changed columns only (ward, version, updated_at, updated_by).
    void hisOtherUsersUpdateIsOneDataChangedOfItsCells()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const int row = 10;
        const QString id = desk.idAt(row);
        const QJsonObject before = recordAt(*desk.model, row);
        QVERIFY(update(id, {{u"ward"_s, u"Ward Z"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(*desk.model, row, u"ward"_s), u"Ward Z"_s, Patience);
        QVERIFY(settle(desk.manager.get()));
        const QJsonObject after = recordAt(*desk.model, row);
        // The server changes the system fields too; the rectangle spans ward .. updated_by.
        for (const QString &field : {u"ward"_s, u"version"_s, u"updated_at"_s, u"updated_by"_s})
            QVERIFY2(before.value(field) != after.value(field), qPrintable(field));
        const QString columns = changedColumns(*desk.model, before, after);
        QCOMPARE(columns,
                 u"c%1-%2"_s.arg(desk.model->columnOf(u"ward"))
                     .arg(desk.model->columnOf(u"updated_by")));
        QCOMPARE(desk.recorder->events,
                 QStringList{u"dataChanged %1-%1 %2"_s.arg(row).arg(columns)});
        QVERIFY(desk.recorder->dataChangedRoles.at(0).contains(Qt::DisplayRole));
        QVERIFY(desk.recorder->dataChangedRoles.at(0).contains(Qt::EditRole));
        QCOMPARE(desk.model->dataChangedEmitted(), 1);
    }

    // 2. Live mode: the same update is applied from its event: one dataChanged, no reload.
    void liveOtherUsersUpdateIsOneDataChanged()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::Live));
        const qint64 reloads = desk.manager->counters().reloads;
        const int row = 42;
        const QString id = desk.idAt(row);
        const QJsonObject before = recordAt(*desk.model, row);
        QVERIFY(update(id, {{u"ward"_s, u"Ward L"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(*desk.model, row, u"ward"_s), u"Ward L"_s, Patience);
        QVERIFY(settle(desk.manager.get()));
        const QString columns = changedColumns(*desk.model, before, recordAt(*desk.model, row));
        QCOMPARE(desk.recorder->events,
                 QStringList{u"dataChanged %1-%1 %2"_s.arg(row).arg(columns)});
        QCOMPARE(desk.manager->counters().reloads, reloads);
        QCOMPARE(desk.model->index(row, 0).data(Model::RowStateRole).toInt(),
                 int(Manager::RowState::Synced));
    }

    // 3. Live mode sorted by ward: a created record is one insert at its place; a record whose
    //    ward changed is its dataChanged (at its old row) and one move, down or up.
    void liveSortedCreateInsertsInPlaceAndSortKeyChangeMoves()
    {
        const Sort byWard{{u"ward"_s, Qt::AscendingOrder}};
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::Live, byWard));
        QCOMPARE(modelOrder(*desk.model), serverOrder(&m_doctor, byWard));

        // Between ICU and Maternity (the demo wards are Cardiology, ICU, Maternity, Medicine 1,
        // Medicine 2, Orthopaedics, Paediatrics, Surgery).
        const QString id = create(
            {{u"hn"_s, u"SORT-K"_s}, {u"name"_s, u"Sorted K"_s}, {u"ward"_s, u"Kidney"_s}});
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(desk.rowOf(id) >= 0, Patience);
        QVERIFY(settle(desk.manager.get()));
        QStringList order = serverOrder(&m_doctor, byWard);
        const int at = int(order.indexOf(id));
        QVERIFY(at > 0 && at < 300);
        QCOMPARE(desk.recorder->events, QStringList{u"inserted %1-%1"_s.arg(at)});
        QCOMPARE(desk.rowOf(id), at);
        QCOMPARE(valueAt(*desk.model, at - 1, u"ward"_s), u"ICU"_s);
        QCOMPARE(valueAt(*desk.model, at + 1, u"ward"_s), u"Maternity"_s);
        QCOMPARE(modelOrder(*desk.model), order);

        // Down: the first row (a Cardiology patient) to between Orthopaedics and Paediatrics.
        // Up: the last row (a Surgery patient) to the top.
        struct Step
        {
            int from;
            QString ward;
        };
        for (const Step &step :
             {Step{0, u"Orthopaedics Z"_s}, Step{desk.model->rowCount() - 1, u"Anaesthesia"_s}}) {
            desk.recorder->clear();
            const QString mover = desk.idAt(step.from);
            const QJsonObject before = recordAt(*desk.model, step.from);
            QVERIFY(update(mover, {{u"ward"_s, step.ward}}));
            QTRY_COMPARE_WITH_TIMEOUT(valueAt(*desk.model, desk.rowOf(mover), u"ward"_s), step.ward,
                                      Patience);
            QVERIFY(settle(desk.manager.get()));
            order = serverOrder(&m_doctor, byWard);
            const int to = int(order.indexOf(mover));
            QVERIFY(to >= 0 && to != step.from);
            const int destination = to > step.from ? to + 1 : to; // beginMoveRows' convention
            const QString columns = changedColumns(*desk.model, before, recordAt(*desk.model, to));
            // The held dataChanged goes out first, for the row where it was.
            QCOMPARE(desk.recorder->events,
                     (QStringList{u"dataChanged %1-%1 %2"_s.arg(step.from).arg(columns),
                                  u"moved %1-%1->%2"_s.arg(step.from).arg(destination)}));
            QCOMPARE(desk.rowOf(mover), to);
            QCOMPARE(modelOrder(*desk.model), order);
        }
        QCOMPARE(valueAt(*desk.model, 0, u"ward"_s), u"Anaesthesia"_s);
    }

    // 4. An HIS reload that brings 3 changed rows (non-adjacent, of the 300 demo rows) is 3
    //    dataChanged. The changes go straight into the store (no events) and one reload()
    //    reads them, so that one reload is sure to carry all three.
    void hisReloadOfThreeChangedRowsIsThreeDataChanged()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const QList<int> rows{20, 100, 250};
        QList<QJsonObject> before;
        for (int row : rows) {
            before.append(recordAt(*desk.model, row));
            QVERIFY(storeUpdate(desk.idAt(row), {{u"ward"_s, u"Three %1"_s.arg(row)}}));
        }
        QSignalSpy synced(desk.manager.get(), &Manager::synced);
        desk.manager->reload();
        QTRY_COMPARE_WITH_TIMEOUT(synced.count(), 1, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(synced.at(0).at(0).toInt(), 3);
        QStringList expected;
        for (int i = 0; i < rows.size(); ++i) {
            QCOMPARE(valueAt(*desk.model, rows[i], u"ward"_s), u"Three %1"_s.arg(rows[i]));
            expected.append(u"dataChanged %1-%1 %2"_s.arg(rows[i]).arg(
                changedColumns(*desk.model, before[i], recordAt(*desk.model, rows[i]))));
        }
        QCOMPARE(desk.recorder->events, expected);
    }

    // 5. A real view keeps its selection and current index on the same record through
    //    another user's update of it, an insert above it, a removal elsewhere, a reload and a
    //    move of the record itself. In HIS mode every step is a reload.
    void selectionAndCurrentIndexSurvive_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("live") << int(Manager::Mode::Live);
        QTest::newRow("his") << int(Manager::Mode::His);
    }
    void selectionAndCurrentIndexSurvive()
    {
        QFETCH(int, mode);
        const Sort byHn{{u"hn"_s, Qt::AscendingOrder}};
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode(mode), byHn));
        Model &model = *desk.model;

        QTableView view;
        view.setSelectionBehavior(QAbstractItemView::SelectRows);
        view.setModel(&model);
        view.resize(1100, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QItemSelectionModel *selection = view.selectionModel();
        QVERIFY(selection);

        const int nameColumn = model.columnOf(u"name");
        int row = 0;
        while (row < model.rowCount() && valueAt(model, row, u"hn"_s) != u"HN100150")
            ++row;
        QVERIFY(row < model.rowCount());
        const QString id = desk.idAt(row);
        selection->setCurrentIndex(model.index(row, nameColumn),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        view.scrollTo(model.index(row, nameColumn));

        const auto holds = [&](const char *step) -> bool {
            const QModelIndexList rows = selection->selectedRows(nameColumn);
            QStringList selected;
            for (const QModelIndex &i : rows)
                selected.append(i.data(Model::RecordIdRole).toString());
            const QModelIndex current = selection->currentIndex();
            const bool ok = selected == QStringList{id}
                && current.data(Model::RecordIdRole).toString() == id
                && current.column() == nameColumn && current.row() == model.rowOf(id)
                && view.currentIndex() == current;
            if (!ok)
                qWarning() << step << ": selected" << selected << "current"
                           << current.data(Model::RecordIdRole) << current.row() << current.column()
                           << "record at" << model.rowOf(id);
            return ok;
        };
        QVERIFY(holds("before"));

        const bool live = mode == int(Manager::Mode::Live);
        const int lastColumn = model.columnOf(u"updated_by");
        // Another user updates the selected record: that row's cells, nothing else.
        int was = model.rowOf(id);
        desk.recorder->clear();
        QVERIFY(update(id, {{u"ward"_s, u"Selected ward"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(model, model.rowOf(id), u"ward"_s), u"Selected ward"_s,
                                  Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events,
                 QStringList{u"dataChanged %1-%1 c%2-%3"_s.arg(was)
                                 .arg(model.columnOf(u"ward"))
                                 .arg(lastColumn)});
        QVERIFY(holds("update"));

        // A record that sorts first is created: the selected one goes down a row.
        desk.recorder->clear();
        const QString above
            = create({{u"hn"_s, u"HN000001"_s}, {u"name"_s, u"Above"_s}, {u"ward"_s, u"ICU"_s}});
        QVERIFY(!above.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowOf(above), 0, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events, QStringList{u"inserted 0-0"_s});
        QCOMPARE(model.rowOf(id), was + 1);
        QVERIFY(holds("insert above"));

        // Another record (above it) is deleted.
        was = model.rowOf(id);
        desk.recorder->clear();
        const QString gone = desk.idAt(5);
        QVERIFY(test::await(m_doctor.remove(Patients, gone)).ok);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowOf(gone), -1, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events, QStringList{u"removed 5-5"_s});
        QCOMPARE(model.rowOf(id), was - 1);
        QVERIFY(holds("removal"));

        // A reload (the HIS path: a keyed diff, here started by hand) that removes a record
        // above and changes the selected one: the removal first, then its cells.
        was = model.rowOf(id);
        desk.recorder->clear();
        const QString alsoGone = desk.idAt(7);
        const QJsonObject beforeReload = recordAt(model, was);
        QVERIFY(storeUpdate(id, {{u"name"_s, u"Reloaded name"_s}}));
        QVERIFY(bool(m_server->store()->remove(patients(), u"ward-a"_s, u"u-doctor"_s,
                                               alsoGone.toLongLong())));
        desk.manager->reload();
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(model, model.rowOf(id), u"name"_s), u"Reloaded name"_s,
                                  Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(model.rowOf(alsoGone), -1);
        QCOMPARE(model.rowOf(id), was - 1);
        QCOMPARE(desk.recorder->events,
                 (QStringList{u"removed 7-7"_s,
                              u"dataChanged %1-%1 %2"_s.arg(was - 1).arg(
                                  changedColumns(model, beforeReload, recordAt(model, was - 1)))}));
        QVERIFY(holds("reload"));

        // The record's own sort key changes: it moves to the top, the selection with it. Live
        // mode moves it after the change (whose dataChanged goes out first, for the row it
        // was on); a reload moves it, then updates it where it now is.
        was = model.rowOf(id);
        const QJsonObject beforeMove = recordAt(model, was);
        desk.recorder->clear();
        QVERIFY(update(id, {{u"hn"_s, u"HN000000"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowOf(id), 0, Patience);
        QVERIFY(settle(desk.manager.get()));
        const QString moved = u"moved %1-%1->0"_s.arg(was);
        const QString changed = u"dataChanged %1-%1 %2"_s.arg(live ? was : 0)
                                    .arg(changedColumns(model, beforeMove, recordAt(model, 0)));
        QCOMPARE(changedColumns(model, beforeMove, recordAt(model, 0)),
                 u"c%1-%2"_s.arg(model.columnOf(u"hn")).arg(model.columnOf(u"updated_at")));
        const QStringList expectedMove
            = live ? QStringList{changed, moved} : QStringList{moved, changed};
        QCOMPARE(desk.recorder->events, expectedMove);
        QVERIFY(holds("move"));
        QCOMPARE(modelOrder(model), serverOrder(&m_doctor, byHn));

        view.resizeColumnsToContents();
        view.scrollTo(selection->currentIndex());
        const QString dir = QStringLiteral(LIVEDESK_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        const QString file = dir
            + (mode == int(Manager::Mode::Live) ? u"/tablemodel.png"_s : u"/tablemodel-his.png"_s);
        QVERIFY(view.grab().save(file));
    }

    // 6. Roles: ids, versions, the row state and its reason, typed and formatted values,
    //    headers from the schema.
    void roles()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::Live));
        Model &model = *desk.model;

        // Header labels are the schema's.
        QCOMPARE(model.columnCount(), int(desk.schema.columns.size()));
        for (int c = 0; c < model.columnCount(); ++c)
            QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), desk.schema.columns[c].label);
        QCOMPARE(model.headerData(model.columnOf(u"hn"), Qt::Horizontal).toString(), u"HN"_s);
        QCOMPARE(model.headerData(model.columnOf(u"date_of_birth"), Qt::Horizontal).toString(),
                 u"Date of birth"_s);
        QCOMPARE(model.headerData(model.columnOf(u"id"), Qt::Horizontal).toString(), u"ID"_s);
        QCOMPARE(model.fieldAt(model.columnOf(u"ward")), u"ward"_s);

        // Id and version.
        const QJsonObject first = recordAt(model, 0);
        const QVariant id = model.index(0, 3).data(Model::RecordIdRole);
        QCOMPARE(id.typeId(), int(QMetaType::QString));
        QCOMPARE(id.toString(), QString::number(first.value(u"id").toInteger()));
        QCOMPARE(id.toString(), desk.manager->idAt(0));
        const QVariant version = model.index(0, 0).data(Model::VersionRole);
        QCOMPARE(version.typeId(), int(QMetaType::LongLong));
        QCOMPARE(version.toLongLong(), first.value(u"version").toInteger());
        QCOMPARE(model.index(0, 0).data(Model::RowStateRole).toInt(),
                 int(Manager::RowState::Synced));
        QVERIFY(!model.index(0, 0).data(Model::RowReasonRole).isValid());

        // A date: typed for editors and sorting, formatted for people.
        const QModelIndex dob = desk.cell(0, u"date_of_birth"_s);
        const QDate date = QDate::fromString(first.value(u"date_of_birth").toString(), Qt::ISODate);
        QVERIFY(date.isValid());
        QCOMPARE(dob.data(Qt::EditRole).typeId(), int(QMetaType::QDate));
        QCOMPARE(dob.data(Qt::EditRole).toDate(), date);
        QCOMPARE(dob.data(Model::SortRole).toDate(), date);
        QCOMPARE(dob.data(Qt::DisplayRole).toString(), date.toString(u"dd/MM/yyyy"_s));
        QCOMPARE(dob.data(Qt::DisplayRole).toString(),
                 QLocale().toString(date, QLocale::ShortFormat));
        // A datetime and an integer, for good measure.
        QCOMPARE(desk.cell(0, u"updated_at"_s).data(Qt::EditRole).typeId(),
                 int(QMetaType::QDateTime));
        QCOMPARE(desk.cell(0, u"version"_s).data(Qt::EditRole).typeId(), int(QMetaType::LongLong));
        QCOMPARE(desk.cell(0, u"version"_s).data(Qt::DisplayRole).toString(), u"1"_s);

        // A local edit while the socket is closed: pending, with a reason, until reconnected.
        desk.client.close();
        QTRY_VERIFY_WITH_TIMEOUT(!desk.manager->isConnected(), Patience);
        QTRY_COMPARE_WITH_TIMEOUT(model.index(3, 0).data(Model::RowStateRole).toInt(),
                                  int(Manager::RowState::Stale), Patience);
        // Every row went stale at once: one dataChanged of the state roles for all of them.
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events,
                 QStringList{u"dataChanged 0-299 c0-%1"_s.arg(model.columnCount() - 1)});
        QVERIFY(desk.recorder->dataChangedRoles.at(0).contains(Model::RowStateRole));
        QVERIFY(desk.recorder->dataChangedRoles.at(0).contains(Qt::ForegroundRole));
        const int row = 2;
        const QString editedId = desk.idAt(row);
        QVERIFY(model.setData(desk.cell(row, u"ward"_s), u"Offline ward"_s));
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(model, row, u"ward"_s), u"Offline ward"_s, Patience);
        QCOMPARE(model.index(row, 0).data(Model::RowStateRole).toInt(),
                 int(Manager::RowState::Pending));
        const QString reason = model.index(row, 0).data(Model::RowReasonRole).toString();
        QVERIFY(!reason.isEmpty());
        QCOMPARE(model.index(row, 4).data(Qt::ToolTipRole).toString(), reason);
        QVERIFY(model.index(row, 0).data(Qt::FontRole).value<QFont>().italic());
        QCOMPARE(desk.manager->pendingCount(), 1);

        desk.client.open();
        QTRY_COMPARE_WITH_TIMEOUT(model.index(row, 0).data(Model::RowStateRole).toInt(),
                                  int(Manager::RowState::Synced), Patience);
        QTRY_COMPARE_WITH_TIMEOUT(desk.manager->pendingCount(), 0, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.rowOf(editedId), row);
        QVERIFY(!model.index(row, 0).data(Model::RowReasonRole).isValid());
        QVERIFY(!model.index(row, 0).data(Qt::ToolTipRole).isValid());
        QCOMPARE(model.index(3, 0).data(Model::RowStateRole).toInt(),
                 int(Manager::RowState::Synced));
        QCOMPARE(test::await(m_doctor.fetch(Patients, editedId))
                     .data.toObject()
                     .value(u"ward")
                     .toString(),
                 u"Offline ward"_s);

        // A write the server refuses (the ward is longer than its 60 characters): rolled back,
        // the row Failed with the server's reason, tinted; dismissing it makes it Synced.
        const int refused = 4;
        const QString wardBefore = valueAt(model, refused, u"ward"_s);
        QSignalSpy failed(desk.manager.get(), &Manager::operationFailed);
        QVERIFY(model.setData(desk.cell(refused, u"ward"_s), QString(61, u'w')));
        QVERIFY(failed.wait(Patience));
        QTRY_COMPARE_WITH_TIMEOUT(model.index(refused, 0).data(Model::RowStateRole).toInt(),
                                  int(Manager::RowState::Failed), Patience);
        QCOMPARE(valueAt(model, refused, u"ward"_s), wardBefore);
        QVERIFY2(model.index(refused, 0).data(Model::RowReasonRole).toString().contains(u"refused"),
                 qPrintable(model.index(refused, 0).data(Model::RowReasonRole).toString()));
        QVERIFY(model.index(refused, 0).data(Qt::BackgroundRole).value<QBrush>().color().isValid());
        desk.manager->dismissFailure(desk.idAt(refused));
        QTRY_COMPARE_WITH_TIMEOUT(model.index(refused, 0).data(Model::RowStateRole).toInt(),
                                  int(Manager::RowState::Synced), Patience);
        QVERIFY(!model.index(refused, 0).data(Qt::BackgroundRole).isValid());

        QCOMPARE(desk.recorder->events.filter(u"reset"_s), QStringList());
        QCOMPARE(desk.recorder->events.filter(u"inserted"_s), QStringList());
        QCOMPARE(desk.recorder->events.filter(u"removed"_s), QStringList());
    }

    // 7a. setData in HIS mode: accepted, but the cell changes only once the server confirmed.
    void hisSetDataWaitsForTheServer()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        Model &model = *desk.model;
        const int row = 7;
        const QModelIndex ward = desk.cell(row, u"ward"_s);
        const QString old = ward.data().toString();
        const QJsonObject before = recordAt(model, row);

        // Not editable or not convertible: refused, nothing sent.
        QVERIFY(!model.setData(desk.cell(row, u"id"_s), 12345));
        QVERIFY(!model.setData(desk.cell(row, u"sex"_s), u"bogus"_s));
        QVERIFY(!model.setData(ward, u"x"_s, Qt::DisplayRole));

        bool confirmed = false;
        QStringList problems;
        connect(desk.manager.get(), &Manager::operationConfirmed, &model,
                [&] { confirmed = true; });
        connect(&model, &QAbstractItemModel::dataChanged, &model, [&] {
            if (model.rowOf(desk.idAt(row)) != row)
                return;
            if (ward.data().toString() == u"HIS edit" && !confirmed)
                problems.append(u"shown before the server confirmed"_s);
            if (model.index(row, 0).data(Model::RowStateRole).toInt()
                != int(Manager::RowState::Synced))
                problems.append(u"a row state other than Synced in HIS mode"_s);
        });
        QVERIFY(model.setData(ward, u"HIS edit"_s));
        QCOMPARE(ward.data().toString(), old);
        QCoreApplication::processEvents();
        QCOMPARE(ward.data().toString(), old);
        QTRY_COMPARE_WITH_TIMEOUT(ward.data().toString(), u"HIS edit"_s, Patience);
        QVERIFY(confirmed);
        QVERIFY(settle(desk.manager.get()));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; "_s)));
        QCOMPARE(desk.recorder->events,
                 QStringList{u"dataChanged %1-%1 %2"_s.arg(row).arg(
                     changedColumns(model, before, recordAt(model, row)))});

        // Offline, HIS mode cannot write: nothing is editable and setData() refuses.
        QVERIFY(model.flags(ward) & Qt::ItemIsEditable);
        desk.client.close();
        QTRY_VERIFY_WITH_TIMEOUT(desk.manager->staleSince().isValid(), Patience);
        QVERIFY(!(model.flags(ward) & Qt::ItemIsEditable));
        QVERIFY(!model.setData(ward, u"Offline"_s));
        QCOMPARE(ward.data().toString(), u"HIS edit"_s);
    }

    // 7b. setData in live mode: shown on the next turn as pending, then synced.
    void liveSetDataShowsPendingThenSynced()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::Live));
        Model &model = *desk.model;
        const int row = 8;
        const QModelIndex ward = desk.cell(row, u"ward"_s);
        const QJsonObject before = recordAt(model, row);
        // What a view would see at each dataChanged of the row: its ward and state.
        QList<std::pair<QString, int>> seen;
        connect(&model, &QAbstractItemModel::dataChanged, &model,
                [&](const QModelIndex &tl, const QModelIndex &br) {
                    if (tl.row() <= row && br.row() >= row)
                        seen.append({ward.data().toString(),
                                     model.index(row, 0).data(Model::RowStateRole).toInt()});
                });
        // The view hears of the confirmed row only once the manager has said whose change it
        // is (a list view tells the user's own saves from someone else's by it).
        qsizetype toldWhenConfirmed = -1;
        connect(desk.manager.get(), &Manager::operationConfirmed, &model,
                [&] { toldWhenConfirmed = seen.size(); });
        QVERIFY(model.setData(ward, u"Live edit"_s));
        QTRY_COMPARE_WITH_TIMEOUT(ward.data().toString(), u"Live edit"_s, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(desk.manager->pendingCount(), 0, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(model.index(row, 0).data(Model::RowStateRole).toInt(),
                 int(Manager::RowState::Synced));
        QVERIFY(seen.size() >= 2);
        const int pending = int(Manager::RowState::Pending);
        const int synced = int(Manager::RowState::Synced);
        QCOMPARE(seen.first(), std::make_pair(u"Live edit"_s, pending));
        QCOMPARE(seen.last(), std::make_pair(u"Live edit"_s, synced));
        for (const auto &s : std::as_const(seen))
            QCOMPARE(s.first, u"Live edit"_s);
        QVERIFY(toldWhenConfirmed >= 1);
        for (qsizetype i = 0; i < toldWhenConfirmed; ++i)
            QCOMPARE(seen.at(i).second, pending);

        // The local edit (state, then the ward cell), then the server's confirmation (state,
        // then the system fields it set). Nothing structural.
        const QJsonObject after = recordAt(model, row);
        QJsonObject edited = before;
        edited.insert(u"ward"_s, u"Live edit"_s);
        const QString all = u"c0-%1"_s.arg(model.columnCount() - 1);
        QCOMPARE(
            desk.recorder->events,
            (QStringList{
                u"dataChanged %1-%1 %2"_s.arg(row).arg(all),
                u"dataChanged %1-%1 %2"_s.arg(row).arg(changedColumns(model, before, edited)),
                u"dataChanged %1-%1 %2"_s.arg(row).arg(all),
                u"dataChanged %1-%1 %2"_s.arg(row).arg(changedColumns(model, edited, after))}));
        QVERIFY(desk.recorder->dataChangedRoles.at(0).contains(Model::RowStateRole));
        QVERIFY(desk.recorder->dataChangedRoles.at(1).contains(Qt::DisplayRole));
    }

    // 8a. Merging, deterministically: one HIS reload changes 50 adjacent rows the same way
    //     (one dataChanged for all of them), an adjacent row in other columns (its own) and
    //     10 further rows in yet other columns (one more).
    void hisReloadMergesAdjacentChanges()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        Model &model = *desk.model;
        for (int row = 100; row < 150; ++row)
            QVERIFY(storeUpdate(desk.idAt(row), {{u"ward"_s, u"Merged"_s}}));
        const QString sex = valueAt(model, 150, u"sex"_s) == u"other" ? u"female"_s : u"other"_s;
        QVERIFY(storeUpdate(desk.idAt(150), {{u"sex"_s, sex}}));
        for (int row = 200; row < 210; ++row)
            QVERIFY(storeUpdate(desk.idAt(row), {{u"name"_s, u"Merged %1"_s.arg(row)}}));
        const int last = model.columnOf(u"updated_by");
        const qint64 emitted = model.dataChangedEmitted();
        desk.manager->reload();
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(model, 209, u"name"_s), u"Merged 209"_s, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(
            desk.recorder->events,
            (QStringList{u"dataChanged 100-149 c%1-%2"_s.arg(model.columnOf(u"ward")).arg(last),
                         u"dataChanged 150-150 c%1-%2"_s.arg(model.columnOf(u"sex")).arg(last),
                         u"dataChanged 200-209 c%1-%2"_s.arg(model.columnOf(u"name")).arg(last)}));
        QCOMPARE(model.dataChangedEmitted() - emitted, 3);
    }

    // 8b. A burst of 200 updates of adjacent rows by the other user, in live mode. The events
    //     come over the socket in however many turns; the manager applies each as it comes,
    //     and the model tells the first change of a turn at once and merges the rest of the
    //     turn's: at most two dataChanged per turn that changed rows (the rows of a turn are
    //     adjacent and change the same columns), never one per event unless every event came
    //     in a turn of its own. Together they cover exactly the 200 rows.
    void liveBurstIsAtMostTwoDataChangedPerTurn()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::Live));
        Model &model = *desk.model;
        // Turns in which the manager changed rows: the first rowsChanged of a turn posts a
        // marker that ends the turn (after the model's own flush, posted before it).
        int turns = 0;
        bool inTurn = false;
        QObject turnEnds; // context of the markers: none outlives the test
        connect(desk.manager.get(), &Manager::rowsChanged, &turnEnds, [&] {
            if (inTurn)
                return;
            inTurn = true;
            ++turns;
            QMetaObject::invokeMethod(
                &turnEnds, [&] { inTurn = false; }, Qt::QueuedConnection);
        });
        const int first = 50;
        const int count = 200;
        server::EventPublisher::Origin origin{u"ward-a"_s, u"u-doctor"_s, {}, {}};
        for (int row = first; row < first + count; ++row) {
            const auto record
                = m_server->store()->update(patients(), u"ward-a"_s, u"u-doctor"_s,
                                            desk.idAt(row).toLongLong(), {{u"ward"_s, u"Burst"_s}});
            QVERIFY(record);
            m_server->publisher()->publish(patients(), u"updated"_s, record.value(), origin,
                                           record.value().value(u"version").toInteger());
        }
        QTRY_VERIFY_WITH_TIMEOUT(valueAt(model, first + count - 1, u"ward"_s) == u"Burst",
                                 Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.manager->counters().eventsApplied, qint64(count));

        const QString columns
            = u"c%1-%2"_s.arg(model.columnOf(u"ward")).arg(model.columnOf(u"updated_by"));
        QList<int> covered;
        for (const QString &e : std::as_const(desk.recorder->events)) {
            const QStringList parts = e.split(u' ');
            QVERIFY2(parts.size() == 3 && parts[0] == u"dataChanged" && parts[2] == columns,
                     qPrintable(e));
            const QStringList range = parts[1].split(u'-');
            for (int r = range[0].toInt(); r <= range[1].toInt(); ++r)
                covered.append(r);
        }
        std::sort(covered.begin(), covered.end());
        QList<int> expected;
        for (int r = first; r < first + count; ++r)
            expected.append(r);
        QCOMPARE(covered, expected);
        const int signalCount = int(desk.recorder->events.size());
        qInfo().noquote() << count << "updates:" << signalCount << "dataChanged in" << turns
                          << "turns";
        QVERIFY(signalCount >= turns);
        QVERIFY(signalCount <= 2 * turns);
        QVERIFY(signalCount <= count);
    }

    // Live mode: a dataChanged held for the end of the turn goes out before the next
    // structural change, for the row as it was then; changes after it use the new rows. The
    // sequence is the same whether the events arrive in one turn or several.
    void liveHeldChangesGoOutBeforeStructuralChanges()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::Live));
        Model &model = *desk.model;
        server::RecordStore *store = m_server->store();
        server::EventPublisher *publisher = m_server->publisher();
        const server::EventPublisher::Origin origin{u"ward-a"_s, u"u-doctor"_s, {}, {}};
        const auto updated = [&](int row) {
            const auto record
                = store->update(patients(), u"ward-a"_s, u"u-doctor"_s, desk.idAt(row).toLongLong(),
                                {{u"ward"_s, u"Held %1"_s.arg(row)}});
            if (record)
                publisher->publish(patients(), u"updated"_s, record.value(), origin,
                                   record.value().value(u"version").toInteger());
            return bool(record);
        };
        const QString gone = desk.idAt(5);
        QVERIFY(updated(20));
        const auto removed
            = store->remove(patients(), u"ward-a"_s, u"u-doctor"_s, gone.toLongLong());
        QVERIFY(removed);
        publisher->publish(patients(), u"deleted"_s, QJsonObject{{u"id"_s, gone}}, origin,
                           removed.value().value(u"version").toInteger());
        QVERIFY(updated(30));
        const auto created = store->create(patients(), u"ward-a"_s, u"u-doctor"_s,
                                           {{u"hn"_s, u"HELD-1"_s}, {u"name"_s, u"Held"_s}});
        QVERIFY(created);
        publisher->publish(patients(), u"created"_s, created.value(), origin,
                           created.value().value(u"version").toInteger());

        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 300, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(model, 299, u"hn"_s), u"HELD-1"_s, Patience);
        QVERIFY(settle(desk.manager.get()));
        const QString columns
            = u"c%1-%2"_s.arg(model.columnOf(u"ward")).arg(model.columnOf(u"updated_by"));
        QCOMPARE(desk.recorder->events,
                 (QStringList{u"dataChanged 20-20 %1"_s.arg(columns), u"removed 5-5"_s,
                              u"dataChanged 29-29 %1"_s.arg(columns), u"inserted 299-299"_s}));
        QCOMPARE(valueAt(model, 19, u"ward"_s), u"Held 20"_s); // up a row since the removal
        QCOMPARE(valueAt(model, 29, u"ward"_s), u"Held 30"_s);
    }

    // The manager goes away while a view shows the model: the model empties (a reset) and
    // the view copes.
    void managerDeletedWhileShown()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        QTableView view;
        view.setModel(desk.model.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.selectionModel()->setCurrentIndex(desk.model->index(3, 1),
                                               QItemSelectionModel::ClearAndSelect);
        desk.manager.reset();
        QCOMPARE(desk.recorder->events, (QStringList{u"aboutToReset"_s, u"reset"_s}));
        QCOMPARE(desk.model->rowCount(), 0);
        QCOMPARE(desk.model->columnCount(), 0);
        QVERIFY(desk.model->manager() == nullptr);
        QVERIFY(!view.currentIndex().isValid());
        QVERIFY(!desk.model->canFetchMore({}));
        desk.model->sort(0);
        QCOMPARE(desk.recorder->events.size(), 2);
        QTest::qWait(50); // a repaint of the empty view
        QVERIFY(view.grab().size().isValid());
    }

    // 9. sort(): server-side, one reset (the manager's query changes) and the rows come back,
    //    in the server's order, as one insert.
    void sortResetsOnceAndComesBackSorted()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        Model &model = *desk.model;
        struct Step
        {
            QString field;
            Qt::SortOrder order;
        };
        for (const Step &step :
             {Step{u"name"_s, Qt::DescendingOrder}, Step{u"date_of_birth"_s, Qt::AscendingOrder}}) {
            desk.recorder->clear();
            model.sort(model.columnOf(step.field), step.order);
            QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 300, Patience);
            QVERIFY(settle(desk.manager.get()));
            QCOMPARE(desk.recorder->events,
                     (QStringList{u"aboutToReset"_s, u"reset"_s, u"inserted 0-299"_s}));
            const Sort sort{{step.field, step.order}};
            QCOMPARE(desk.manager->query().sort, sort);
            QCOMPARE(modelOrder(model), serverOrder(&m_doctor, sort));
            for (int row = 1; row < model.rowCount(); ++row) {
                const QVariant a
                    = model.index(row - 1, model.columnOf(step.field)).data(Model::SortRole);
                const QVariant b
                    = model.index(row, model.columnOf(step.field)).data(Model::SortRole);
                const int c = step.field == u"name"
                    ? a.toString().compare(b.toString(), Qt::CaseInsensitive)
                    : (a.toDate() < b.toDate() ? -1 : (a.toDate() > b.toDate() ? 1 : 0));
                QVERIFY2(step.order == Qt::AscendingOrder ? c <= 0 : c >= 0,
                         qPrintable(u"row %1"_s.arg(row)));
            }
            // The same sort again changes nothing.
            desk.recorder->clear();
            model.sort(model.columnOf(step.field), step.order);
            QVERIFY(settle(desk.manager.get()));
            QCOMPARE(desk.recorder->events, QStringList());
        }
    }

    // 10. Incremental loading (Options::loadAll false): the model shows the first page and can
    //     fetch more; each fetchMore() is one insert of the next page at the end, never a
    //     reset; a reload keeps the pages read. After a sort (a reset to the first page) a
    //     view scrolled to the bottom fetches the next page by itself.
    void incrementalLoadingThroughTheModel()
    {
        // 70 patients (ids up to 70), 20 a page: pages of 20, 20, 20 and 10.
        const QList<std::pair<QString, QString>> filters{{u"id_max"_s, u"70"_s}};
        const int page = 20;
        RestQuery count;
        count.limit = 1;
        count.filters = filters;
        const test::RestOutcome counted = test::await(m_doctor.list(Patients, count));
        QVERIFY(counted.ok);
        const int total = counted.pagination.value(u"total").toInt();
        QCOMPARE(total, 70);

        Manager::Options options;
        options.mode = Manager::Mode::His;
        options.pageSize = page;
        options.loadAll = false;
        options.query.sort = {{u"id"_s, Qt::AscendingOrder}};
        options.query.filters = filters;
        // No QAbstractItemModelTester until everything is read: it calls fetchMore() at every
        // change of the model (and so would read every page at once).
        Desk desk(m_server.get());
        QVERIFY(desk.start(options, page, false));
        Model &model = *desk.model;
        QCOMPARE(model.rowCount(), page);
        QVERIFY(model.canFetchMore({}));
        QCOMPARE(desk.manager->total(), total);
        QCOMPARE(modelOrder(model),
                 serverOrder(&m_doctor, options.query.sort, filters).mid(0, page));

        // fetchMore() by hand: one insert of the next page each time.
        QVERIFY(!model.canFetchMore(model.index(0, 0))); // a table: rows have no children
        model.fetchMore({});
        QVERIFY(desk.manager->isLoading());
        QVERIFY(!model.canFetchMore({})); // one page at a time
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events, QStringList{u"inserted 20-39"_s});
        QCOMPARE(model.rowCount(), 2 * page);
        QVERIFY(model.canFetchMore({}));

        // Another user's update of a row of the second page: the reload reads both pages
        // again and the model shows the change as that row's dataChanged, nothing more.
        desk.recorder->clear();
        const int row = 30;
        const QJsonObject before = recordAt(model, row);
        QVERIFY(update(desk.idAt(row), {{u"ward"_s, u"Page two"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(model, row, u"ward"_s), u"Page two"_s, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events,
                 QStringList{u"dataChanged %1-%1 %2"_s.arg(row).arg(
                     changedColumns(model, before, recordAt(model, row)))});
        QCOMPARE(model.rowCount(), 2 * page);
        QVERIFY(model.canFetchMore({}));
        QCOMPARE(desk.manager->total(), total);

        while (model.canFetchMore({})) {
            desk.recorder->clear();
            const int old = model.rowCount();
            model.fetchMore({});
            QVERIFY(settle(desk.manager.get()));
            const int added = std::min(page, total - old);
            QCOMPARE(desk.recorder->events,
                     QStringList{u"inserted %1-%2"_s.arg(old).arg(old + added - 1)});
            QCOMPARE(model.rowCount(), old + added);
        }
        QCOMPARE(model.rowCount(), total);
        QCOMPARE(desk.manager->total(), total);
        QCOMPARE(modelOrder(model), serverOrder(&m_doctor, options.query.sort, filters));
        // Everything read: fetchMore() does nothing.
        desk.recorder->clear();
        model.fetchMore({});
        QVERIFY(!desk.manager->isLoading());
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events, QStringList());

        // A sort (a new query) starts from the first page again.
        const Sort byIdDown{{u"id"_s, Qt::DescendingOrder}};
        model.sort(model.columnOf(u"id"), Qt::DescendingOrder);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events,
                 (QStringList{u"aboutToReset"_s, u"reset"_s, u"inserted 0-19"_s}));
        QVERIFY(model.canFetchMore({}));
        QCOMPARE(model.rowCount(), page);

        // A view shorter than a page: from the top it fetches nothing; scrolled to the bottom
        // it fetches the next page (QAbstractItemView calls fetchMore() itself), each time.
        desk.recorder->clear();
        QTableView view;
        view.setModel(&model);
        view.resize(600, 240);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(settle(desk.manager.get()));
        QVERIFY(view.rowAt(view.viewport()->height() - 1) < page - 1); // the last row is below
        QCOMPARE(model.rowCount(), page);
        QCOMPARE(desk.recorder->events, QStringList());
        int scrolls = 0;
        while (model.rowCount() < total) {
            desk.recorder->clear();
            const int old = model.rowCount();
            QVERIFY2(QTest::qWaitFor(
                         [&] {
                             if (model.rowCount() > old)
                                 return true;
                             view.scrollToBottom(); // again once the scroll bar knows the rows
                             return false;
                         },
                         Patience),
                     qPrintable(u"the view did not fetch after %1 rows"_s.arg(old)));
            QVERIFY(settle(desk.manager.get()));
            const int added = std::min(page, total - old);
            QCOMPARE(desk.recorder->events,
                     QStringList{u"inserted %1-%2"_s.arg(old).arg(old + added - 1)});
            QCOMPARE(model.rowCount(), old + added);
            QVERIFY(++scrolls <= 3);
        }
        QCOMPARE(scrolls, 3);
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(modelOrder(model), serverOrder(&m_doctor, byIdDown, filters));
        // At the bottom of everything: scrolling fetches nothing more.
        desk.recorder->clear();
        view.scrollToBottom();
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events, QStringList());
        QCOMPARE(model.rowCount(), total);
        // Everything read: the tester's fetchMore() changes nothing and the model passes it.
        new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal,
                                     &model);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events, QStringList());
        QCOMPARE(model.rowCount(), total);
    }

    // 11. Conflict and Locked through the model (live mode). An edit made offline on a record
    //     the other user changed meanwhile: on reconnect the row is in Conflict (a state
    //     dataChanged over the whole row, a reason, tinted, not editable); resolving it brings
    //     the row back to Synced the same way. Someone else's lock: Locked, naming the holder,
    //     and the release clears it: one dataChanged of the whole row each.
    void conflictAndLockedStatesThroughTheModel()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::Live));
        Model &model = *desk.model;
        const QString all = u"c0-%1"_s.arg(model.columnCount() - 1);
        const auto stateAt = [&](int row) {
            return Manager::RowState(model.index(row, 0).data(Model::RowStateRole).toInt());
        };

        // What a view sees of the conflict row at each dataChanged that covers it: the row's
        // state then, and whether the signal was a state change (the whole row, state roles).
        const int row = 10;
        const QString id = desk.idAt(row);
        const QModelIndex ward = desk.cell(row, u"ward"_s);
        QList<std::pair<Manager::RowState, bool>> seen;
        connect(&model, &QAbstractItemModel::dataChanged, &model,
                [&](const QModelIndex &tl, const QModelIndex &br, const QList<int> &roles) {
                    if (tl.row() > row || br.row() < row)
                        return;
                    const bool wholeRow = tl.column() == 0 && br.column() == model.columnCount() - 1
                        && roles.contains(Model::RowStateRole);
                    seen.append({stateAt(row), wholeRow});
                });

        desk.client.close();
        QTRY_VERIFY_WITH_TIMEOUT(!desk.manager->isConnected(), Patience);
        QTRY_COMPARE_WITH_TIMEOUT(stateAt(row), Manager::RowState::Stale, Patience);
        QVERIFY(model.setData(ward, u"Mine"_s));
        QTRY_COMPARE_WITH_TIMEOUT(stateAt(row), Manager::RowState::Pending, Patience);
        QCOMPARE(ward.data().toString(), u"Mine"_s);
        // The other user changes the same field meanwhile.
        QVERIFY(update(id, {{u"ward"_s, u"Theirs"_s}}));

        seen.clear();
        desk.recorder->clear();
        QSignalSpy conflict(desk.manager.get(), &Manager::conflictDetected);
        desk.client.open();
        QVERIFY(conflict.wait(Patience));
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains(std::make_pair(Manager::RowState::Conflict, true)),
                                 Patience);
        QCOMPARE(desk.rowOf(id), row);
        QCOMPARE(stateAt(row), Manager::RowState::Conflict);
        QCOMPARE(desk.manager->conflicts().size(), 1);
        const PendingOperation op = desk.manager->conflicts().first();
        QCOMPARE(op.recordId, id);
        QCOMPARE(op.theirs.value(u"ward").toString(), u"Theirs"_s);
        // Until the user decides, the row shows what they wanted.
        QCOMPARE(ward.data().toString(), u"Mine"_s);
        const QString reason = model.index(row, 0).data(Model::RowReasonRole).toString();
        QVERIFY(!reason.isEmpty());
        QVERIFY2(reason.contains(u"Ward"_s), qPrintable(reason));
        QCOMPARE(model.index(row, model.columnCount() - 1).data(Qt::ToolTipRole).toString(),
                 reason);
        QVERIFY(model.index(row, 0).data(Qt::BackgroundRole).value<QBrush>().color().isValid());
        QVERIFY(!(model.flags(ward) & Qt::ItemIsEditable));
        QVERIFY(!model.setData(ward, u"Another"_s));
        // Other rows are not touched by it.
        QCOMPARE(stateAt(row + 1), Manager::RowState::Synced);
        QVERIFY(!model.index(row + 1, 0).data(Model::RowReasonRole).isValid());
        QVERIFY(model.flags(desk.cell(row + 1, u"ward"_s)) & Qt::ItemIsEditable);
        for (const QString &e : std::as_const(desk.recorder->events))
            QVERIFY2(e.startsWith(u"dataChanged"_s), qPrintable(e));

        // Keep mine: sent again on top of their version; pending, then synced.
        seen.clear();
        desk.recorder->clear();
        QVERIFY(desk.manager->resolveConflict(op.txnId, Manager::Resolution::KeepMine));
        QTRY_COMPARE_WITH_TIMEOUT(desk.manager->pendingCount(), 0, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(stateAt(row), Manager::RowState::Synced);
        QCOMPARE(ward.data().toString(), u"Mine"_s);
        QVERIFY(!model.index(row, 0).data(Model::RowReasonRole).isValid());
        QVERIFY(!model.index(row, 0).data(Qt::ToolTipRole).isValid());
        QVERIFY(!model.index(row, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(model.flags(ward) & Qt::ItemIsEditable);
        QVERIFY(!seen.isEmpty());
        QCOMPARE(seen.first(), std::make_pair(Manager::RowState::Pending, true));
        QVERIFY(seen.contains(std::make_pair(Manager::RowState::Synced, true)));
        QCOMPARE(seen.last().first, Manager::RowState::Synced);
        for (const QString &e : std::as_const(desk.recorder->events))
            QVERIFY2(e.startsWith(u"dataChanged %1-%1 "_s.arg(row)), qPrintable(e));
        QCOMPARE(test::await(m_doctor.fetch(Patients, id)).data.toObject().value(u"ward"),
                 QJsonValue(u"Mine"_s));

        // Someone else's lock: one state dataChanged of the whole row, the holder named.
        const int locked = 12;
        const QString lockedId = desk.idAt(locked);
        const server::EventPublisher::Origin origin{u"ward-a"_s, u"u-doctor"_s, {}, {}};
        const auto lock = [&](const QString &action) {
            m_server->publisher()->publish(
                patients(), action, QJsonObject{{u"id"_s, lockedId}, {u"userId"_s, u"u-doctor"_s}},
                origin);
        };
        desk.recorder->clear();
        lock(u"lock_acquired"_s);
        QTRY_COMPARE_WITH_TIMEOUT(stateAt(locked), Manager::RowState::Locked, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events,
                 QStringList{u"dataChanged %1-%1 %2"_s.arg(locked).arg(all)});
        QVERIFY(desk.recorder->dataChangedRoles.at(0).contains(Model::RowStateRole));
        QVERIFY(desk.recorder->dataChangedRoles.at(0).contains(Model::RowReasonRole));
        QVERIFY(desk.recorder->dataChangedRoles.at(0).contains(Qt::ToolTipRole));
        const QString holder = model.index(locked, 0).data(Model::RowReasonRole).toString();
        QVERIFY2(holder.contains(u"u-doctor"_s), qPrintable(holder));
        QCOMPARE(desk.cell(locked, u"name"_s).data(Qt::ToolTipRole).toString(), holder);
        QVERIFY(model.index(locked, 0).data(Qt::BackgroundRole).value<QBrush>().color().isValid());
        QVERIFY(!(model.flags(desk.cell(locked, u"ward"_s)) & Qt::ItemIsEditable));
        QVERIFY(!model.setData(desk.cell(locked, u"ward"_s), u"Locked out"_s));
        QCOMPARE(stateAt(row), Manager::RowState::Synced);

        desk.recorder->clear();
        lock(u"lock_released"_s);
        QTRY_COMPARE_WITH_TIMEOUT(stateAt(locked), Manager::RowState::Synced, Patience);
        QVERIFY(settle(desk.manager.get()));
        QCOMPARE(desk.recorder->events,
                 QStringList{u"dataChanged %1-%1 %2"_s.arg(locked).arg(all)});
        QVERIFY(desk.recorder->dataChangedRoles.at(0).contains(Model::RowStateRole));
        QVERIFY(!model.index(locked, 0).data(Model::RowReasonRole).isValid());
        QVERIFY(!model.index(locked, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(model.flags(desk.cell(locked, u"ward"_s)) & Qt::ItemIsEditable);
        QVERIFY(desk.manager->lockedBy(lockedId).isEmpty());
    }

    // 12. Switching managers: one reset, even while a change of the first manager's is held
    //     for the end of the turn (it is not delivered against the second's rows); then the
    //     model shows the second (its rows, its columns) and follows it alone: a change only
    //     the first shows emits nothing, one in the second's list its dataChanged. Deleting
    //     the first manager afterwards emits nothing either.
    void switchingManagersResetsOnce()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::Live));
        Model &model = *desk.model;
        // The same nurse's lab orders, in a second manager on its own connection.
        test::StateClient orders(m_server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s);
        orders.channel.setSubscription({u"lab-orders"_s});
        const auto schema = orders.serverSchema(u"lab_orders"_s);
        QVERIFY(schema);
        Manager::Options options;
        options.mode = Manager::Mode::Live;
        options.query.sort = {{u"id"_s, Qt::AscendingOrder}};
        QVERIFY(orders.start(*schema, options));
        QVERIFY(settle(orders.manager.get()));
        Manager *second = orders.manager.get();
        const int orderRows = second->rowCount();
        QVERIFY(orderRows > 0 && orderRows != model.rowCount());
        QVERIFY(schema->columns.size() != desk.schema.columns.size());

        QTableView view;
        view.setModel(&model);
        view.resize(900, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setCurrentIndex(desk.cell(5, u"name"_s));

        // The other user updates a patient; the first manager applies it (its dataChanged is
        // held for the end of the turn) and, in that same turn, the model switches.
        const QString patient = desk.idAt(20);
        bool switched = false;
        QMetaObject::Connection once;
        once = connect(desk.manager.get(), &Manager::rowsChanged, &model, [&] {
            disconnect(once);
            model.setManager(second);
            switched = true;
        });
        QVERIFY(update(patient, {{u"ward"_s, u"Switched"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(switched, Patience);
        QVERIFY(settle(desk.manager.get()));
        QVERIFY(settle(second));
        QCOMPARE(desk.recorder->events, (QStringList{u"aboutToReset"_s, u"reset"_s}));
        QCOMPARE(desk.manager->record(20).value(u"ward").toString(), u"Switched"_s);

        // The second manager's rows and columns.
        QVERIFY(model.manager() == second);
        QCOMPARE(model.rowCount(), orderRows);
        QCOMPARE(model.columnCount(), int(schema->columns.size()));
        for (int c = 0; c < model.columnCount(); ++c) {
            QCOMPARE(model.fieldAt(c), schema->columns[c].name);
            QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), schema->columns[c].label);
        }
        QVERIFY(model.columnOf(u"priority") >= 0);
        QCOMPARE(model.columnOf(u"date_of_birth"), -1);
        for (int row : {0, orderRows / 2, orderRows - 1}) {
            QCOMPARE(desk.idAt(row), second->idAt(row));
            QCOMPARE(recordAt(model, row), second->record(row));
        }
        QCOMPARE(view.horizontalHeader()->count(), int(schema->columns.size()));
        QVERIFY(!view.currentIndex().isValid());

        // A change only the first manager's list shows: nothing from the model.
        desk.recorder->clear();
        const QString otherPatient = desk.manager->idAt(40);
        QVERIFY(update(otherPatient, {{u"ward"_s, u"Not shown"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(
            desk.manager->record(desk.manager->rowOf(otherPatient)).value(u"ward").toString(),
            u"Not shown"_s, Patience);
        QVERIFY(settle(desk.manager.get()));
        QVERIFY(settle(second));
        QCOMPARE(desk.recorder->events, QStringList());

        // A change in the second manager's list: its dataChanged, for its row and cells.
        const auto orderChange = [&](int row, const QString &result) -> bool {
            desk.recorder->clear();
            const QJsonObject before = recordAt(model, row);
            if (!test::await(
                     m_doctor.update(schema->restPath, desk.idAt(row), {{u"result"_s, result}}))
                     .ok)
                return false;
            if (!QTest::qWaitFor([&] { return valueAt(model, row, u"result"_s) == result; },
                                 Patience)
                || !settle(second) || (desk.manager && !settle(desk.manager.get())))
                return false;
            const QStringList expected{u"dataChanged %1-%1 %2"_s.arg(row).arg(
                changedColumns(model, before, recordAt(model, row)))};
            if (desk.recorder->events != expected) {
                qWarning() << "order change:" << desk.recorder->events << "expected" << expected;
                return false;
            }
            return true;
        };
        QVERIFY(orderChange(7, u"Switched to orders"_s));

        // The first manager goes: nothing from the model, which keeps showing the second.
        desk.recorder->clear();
        desk.manager.reset();
        QCoreApplication::processEvents();
        QCOMPARE(desk.recorder->events, QStringList());
        QVERIFY(model.manager() == second);
        QCOMPARE(model.rowCount(), orderRows);
        QVERIFY(orderChange(8, u"After the first went"_s));
        QTest::qWait(50); // a repaint
        QVERIFY(view.grab().size().isValid());
    }
};

QTEST_MAIN(TestRealtimeTableModel)
#include "tst_realtimetablemodel.moc"
