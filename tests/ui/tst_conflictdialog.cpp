// SPDX-License-Identifier: MIT
// The conflict dialog on real conflicts: the nurse's manager (live mode) against the embedded
// server in-process. She edits a patient while offline, the doctor changes the same patient
// over REST, and her reconnect turns her edit into a conflict; the dialog resolves it and the
// server's record is read back over REST. Every test leaves a screenshot of the dialog.
#include "conflictdialog.h"
#include "livedeskserver.h"
#include "rest/apiclient.h"
#include "restoutcome.h"
#include "state/realtimestatemanager.h"
#include "state/resourceschema.h"
#include "stateclient.h"

#include <QtCore/QDir>
#include <QtCore/QLocale>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QApplication>
#include <QtWidgets/QPushButton>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk;
using Manager = RealtimeStateManager;
using Choice = ConflictDialog::Choice;

namespace {

constexpr int Patience = 20000;
const QString Patients = u"/api/patients"_s;

bool idle(const Manager *m)
{
    return !m->isLoading() && !m->isRefreshPending() && m->pendingCount() == 0;
}

void saveScreenshot(QWidget *w, const QString &name)
{
    const QString dir = QStringLiteral(LIVEDESK_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    QTest::qWait(50); // pending relayouts first
    QVERIFY(w->grab().save(dir + u'/' + name));
}

// A value of @p values that is not @p not.
QString otherThan(const QString &value, const QStringList &values)
{
    for (const QString &v : values) {
        if (v != value)
            return v;
    }
    return {};
}

class Nurse : public test::StateClient
{
public:
    explicit Nurse(server::LivedeskServer *server)
        : StateClient(server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s)
    {
    }

    bool start()
    {
        const auto parsed = serverSchema();
        if (!parsed)
            return false;
        Manager::Options options;
        options.mode = Manager::Mode::Live;
        options.query.sort = {{u"id"_s, Qt::AscendingOrder}};
        return StateClient::start(*parsed, options)
            && QTest::qWaitFor([this] { return idle(manager.get()); }, Patience);
    }

    QJsonObject shown(const QString &id) const { return manager->record(manager->rowOf(id)); }
};

} // namespace

class TestConflictDialog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;
    ApiClient m_doctor;

    QJsonObject serverRecord(const QString &id)
    {
        const test::RestOutcome o = test::await(m_doctor.fetch(Patients, id));
        return o.ok ? o.object() : QJsonObject();
    }

    // The nurse changes @p mine (deletes the record when @p mine is empty) while offline, the
    // doctor @p theirs (deletes the record when @p theirs is empty); the nurse's reconnect
    // finds the conflict. Its txn id.
    QString makeConflict(Nurse &nurse, const QString &id, const QJsonObject &mine,
                         const QJsonObject &theirs)
    {
        nurse.client.close();
        if (!QTest::qWaitFor([&] { return !nurse.manager->isConnected(); }, Patience))
            return {};
        const QString txn = mine.isEmpty() ? nurse.manager->deleteRecord(id)
                                           : nurse.manager->updateRecord(id, mine);
        const bool shown = QTest::qWaitFor(
            [&] {
                return mine.isEmpty()
                    ? nurse.manager->rowOf(id) < 0
                    : nurse.shown(id).value(mine.begin().key()) == mine.begin().value();
            },
            Patience);
        if (!shown)
            return {};
        const bool written = theirs.isEmpty()
            ? test::await(m_doctor.remove(Patients, id)).ok
            : test::await(m_doctor.update(Patients, id, theirs)).ok;
        if (!written)
            return {};
        QSignalSpy conflict(nurse.manager.get(), &Manager::conflictDetected);
        nurse.client.open();
        if (!conflict.wait(Patience) || conflict.at(0).at(0).toString() != txn)
            return {};
        return txn;
    }

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom)); }

    void init()
    {
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_doctor.setBaseUrl(m_server->baseUrl());
        QVERIFY(test::await(m_doctor.login(u"doctor@demo.local"_s, u"doctor"_s)).ok);
    }

    void cleanup() { m_server.reset(); }

    // Both changed ward and name, only the nurse changed sex, both set the same status. The
    // grid asks about ward and name (no starting choice), starts sex at hers, does not ask
    // about status. She takes their ward and keeps her name: the server ends with exactly
    // that, on top of the doctor's version, and the conflict is gone.
    void perFieldChoicesAreMergedAndSent()
    {
        Nurse nurse(m_server.get());
        QVERIFY(nurse.start());
        const QString id = nurse.manager->idAt(10);
        const QJsonObject base = serverRecord(id);
        const QString sex = otherThan(base.value(u"sex").toString(), {u"female"_s, u"male"_s});
        const QString status
            = otherThan(base.value(u"status").toString(), {u"transferred"_s, u"discharged"_s});
        const QString txn = makeConflict(nurse, id,
                                         {{u"ward"_s, u"Ward of the nurse"_s},
                                          {u"name"_s, u"Name by the nurse"_s},
                                          {u"sex"_s, sex},
                                          {u"status"_s, status}},
                                         {{u"ward"_s, u"Ward of the doctor"_s},
                                          {u"name"_s, u"Name by the doctor"_s},
                                          {u"status"_s, status}});
        QVERIFY(!txn.isEmpty());
        const qint64 theirVersion = serverRecord(id).value(u"version").toInteger();

        ConflictDialog dialog(nurse.manager.get(), txn);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.isPerField());
        QCOMPARE(dialog.fields(), (QStringList{u"name"_s, u"sex"_s, u"ward"_s, u"status"_s}));
        QVERIFY(dialog.isChangedByBoth(u"ward"_s));
        QVERIFY(dialog.isChangedByBoth(u"name"_s));
        QVERIFY(!dialog.isChangedByBoth(u"sex"_s));
        QVERIFY(!dialog.isAsked(u"status"_s));
        QVERIFY(!dialog.choiceButton(u"status"_s, Choice::Mine));
        QCOMPARE(dialog.choice(u"ward"_s), Choice::Undecided);
        QCOMPARE(dialog.choice(u"name"_s), Choice::Undecided);
        QCOMPARE(dialog.choice(u"sex"_s), Choice::Mine);
        QVERIFY(!dialog.applyButton()->isEnabled()); // both-changed fields need a decision
        QCOMPARE(dialog.choiceButton(u"ward"_s, Choice::Mine)->text(), u"Ward of the nurse"_s);
        QCOMPARE(dialog.choiceButton(u"ward"_s, Choice::Theirs)->text(), u"Ward of the doctor"_s);
        QVERIFY(!dialog.choiceButton(u"ward"_s, Choice::Theirs)->accessibleName().isEmpty());

        QTest::mouseClick(dialog.choiceButton(u"ward"_s, Choice::Theirs), Qt::LeftButton);
        QVERIFY(!dialog.applyButton()->isEnabled());
        QTest::mouseClick(dialog.choiceButton(u"name"_s, Choice::Mine), Qt::LeftButton);
        QVERIFY(dialog.applyButton()->isEnabled());
        QCOMPARE(dialog.resolution(), Manager::Resolution::Merge);
        QCOMPARE(dialog.merged(),
                 (QJsonObject{{u"name"_s, u"Name by the nurse"_s}, {u"sex"_s, sex}}));
        saveScreenshot(&dialog, u"conflict-per-field.png"_s);

        QTest::mouseClick(dialog.applyButton(), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QTRY_VERIFY_WITH_TIMEOUT(idle(nurse.manager.get()), Patience);
        QVERIFY(nurse.manager->conflicts().isEmpty());
        const QJsonObject after = serverRecord(id);
        QCOMPARE(after.value(u"ward").toString(), u"Ward of the doctor"_s);
        QCOMPARE(after.value(u"name").toString(), u"Name by the nurse"_s);
        QCOMPARE(after.value(u"sex").toString(), sex);
        QCOMPARE(after.value(u"status").toString(), status);
        QCOMPARE(after.value(u"hn"), base.value(u"hn"));
        QCOMPARE(after.value(u"version").toInteger(), theirVersion + 1);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.shown(id), after, Patience);
        QCOMPARE(nurse.manager->rowState(nurse.manager->rowOf(id)), Manager::RowState::Synced);
    }

    // Take all theirs: the nurse's change is dropped; the server keeps the doctor's record.
    void takeAllTheirsDropsMine()
    {
        Nurse nurse(m_server.get());
        QVERIFY(nurse.start());
        const QString id = nurse.manager->idAt(20);
        const QJsonObject base = serverRecord(id);
        const QString sex = otherThan(base.value(u"sex").toString(), {u"female"_s, u"male"_s});
        const QString txn
            = makeConflict(nurse, id, {{u"ward"_s, u"Ward of the nurse"_s}, {u"sex"_s, sex}},
                           {{u"ward"_s, u"Ward of the doctor"_s}});
        QVERIFY(!txn.isEmpty());
        const QJsonObject theirs = serverRecord(id);

        ConflictDialog dialog(nurse.manager.get(), txn);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.choice(u"sex"_s), Choice::Mine);
        QTest::mouseClick(dialog.takeAllTheirsButton(), Qt::LeftButton);
        QCOMPARE(dialog.choice(u"ward"_s), Choice::Theirs);
        QCOMPARE(dialog.choice(u"sex"_s), Choice::Theirs);
        QCOMPARE(dialog.resolution(), Manager::Resolution::TakeTheirs);
        saveScreenshot(&dialog, u"conflict-take-theirs.png"_s);
        QTest::mouseClick(dialog.applyButton(), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));

        QTRY_VERIFY_WITH_TIMEOUT(idle(nurse.manager.get()), Patience);
        QVERIFY(nurse.manager->conflicts().isEmpty());
        QCOMPARE(serverRecord(id), theirs);
        QTRY_COMPARE_WITH_TIMEOUT(nurse.shown(id), theirs, Patience);
    }

    // Keep all mine: every field of hers is sent on top of the doctor's version.
    void keepAllMineSendsMine()
    {
        Nurse nurse(m_server.get());
        QVERIFY(nurse.start());
        const QString id = nurse.manager->idAt(30);
        const QString txn = makeConflict(nurse, id, {{u"ward"_s, u"Ward of the nurse"_s}},
                                         {{u"ward"_s, u"Ward of the doctor"_s}});
        QVERIFY(!txn.isEmpty());
        ConflictDialog dialog(nurse.manager.get(), txn);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::mouseClick(dialog.keepAllMineButton(), Qt::LeftButton);
        QCOMPARE(dialog.resolution(), Manager::Resolution::KeepMine);
        QTest::mouseClick(dialog.applyButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(idle(nurse.manager.get()), Patience);
        QVERIFY(nurse.manager->conflicts().isEmpty());
        QCOMPARE(serverRecord(id).value(u"ward").toString(), u"Ward of the nurse"_s);
    }

    // Deleted by the doctor while she edited: one choice for the whole record.
    // Creating it again needs the required values (HN, name): an edit that did not touch them
    // leaves this side without them (the manager keeps the values before the change of the
    // changed fields only), and then the dialog does not offer it.
    void deletedOnTheServer_data()
    {
        QTest::addColumn<bool>("createAgain");
        QTest::addColumn<bool>("withRequired");
        QTest::addColumn<bool>("lookOnly");
        QTest::newRow("leave it deleted") << false << false << false;
        QTest::newRow("create it again") << true << true << false;
        QTest::newRow("required values unknown") << false << false << true;
    }
    void deletedOnTheServer()
    {
        QFETCH(bool, createAgain);
        QFETCH(bool, withRequired);
        QFETCH(bool, lookOnly);
        Nurse nurse(m_server.get());
        QVERIFY(nurse.start());
        const QString id = nurse.manager->idAt(40);
        const QJsonObject base = serverRecord(id);
        QJsonObject mine{{u"ward"_s, u"Ward of the nurse"_s}};
        if (withRequired) {
            mine.insert(u"name"_s, u"Name by the nurse"_s);
            mine.insert(u"hn"_s, base.value(u"hn"));
        }
        const QString txn = makeConflict(nurse, id, mine, {});
        QVERIFY(!txn.isEmpty());
        const PendingOperation op = nurse.manager->conflicts().value(0);
        const bool requiredKnown = (op.base.contains(u"hn"_s) || op.values.contains(u"hn"_s))
            && (op.base.contains(u"name"_s) || op.values.contains(u"name"_s));
        QCOMPARE(requiredKnown, withRequired || op.base.size() > 1);

        ConflictDialog dialog(nurse.manager.get(), txn);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.isPerField());
        QVERIFY(dialog.messageText().contains(u"deleted"_s));
        QVERIFY(!dialog.applyButton()->isEnabled());
        QVERIFY(!dialog.takeAllTheirsButton()->isVisible());
        QCOMPARE(dialog.choiceButton({}, Choice::Mine)->isEnabled(), requiredKnown);
        if (lookOnly) {
            saveScreenshot(&dialog, u"conflict-deleted-unknown.png"_s);
            return;
        }
        QAbstractButton *choose
            = dialog.choiceButton({}, createAgain ? Choice::Mine : Choice::Theirs);
        QVERIFY(choose);
        QTest::mouseClick(choose, Qt::LeftButton);
        QVERIFY(dialog.applyButton()->isEnabled());
        saveScreenshot(&dialog,
                       createAgain ? u"conflict-deleted-create-again.png"_s
                                   : u"conflict-deleted-leave.png"_s);
        QSignalSpy failed(nurse.manager.get(), &Manager::operationFailed);
        QTest::mouseClick(dialog.applyButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(idle(nurse.manager.get()), Patience);
        QVERIFY(nurse.manager->conflicts().isEmpty());
        if (!failed.isEmpty())
            qWarning() << failed.at(0).at(1).value<RestError>().toString();
        QVERIFY(failed.isEmpty());
        QVERIFY(serverRecord(id).isEmpty());

        // Created again: a new record with her values; otherwise no such patient any more.
        RestQuery query;
        query.filters.append({u"hn"_s, base.value(u"hn").toString()});
        const test::RestOutcome found = test::await(m_doctor.list(Patients, query));
        QVERIFY(found.ok);
        QCOMPARE(found.array().size(), createAgain ? 1 : 0);
        if (createAgain) {
            const QJsonObject again = found.array().at(0).toObject();
            QCOMPARE(again.value(u"ward").toString(), u"Ward of the nurse"_s);
            QCOMPARE(again.value(u"name").toString(), u"Name by the nurse"_s);
        }
    }

    // She deleted the patient while the doctor changed it: delete anyway, or keep theirs.
    void deletedByMeChangedByThem_data()
    {
        QTest::addColumn<bool>("deleteAnyway");
        QTest::newRow("delete anyway") << true;
        QTest::newRow("keep theirs") << false;
    }
    void deletedByMeChangedByThem()
    {
        QFETCH(bool, deleteAnyway);
        Nurse nurse(m_server.get());
        QVERIFY(nurse.start());
        const QString id = nurse.manager->idAt(60);
        const QString txn = makeConflict(nurse, id, {}, {{u"ward"_s, u"Ward of the doctor"_s}});
        QVERIFY(!txn.isEmpty());
        const QJsonObject theirs = serverRecord(id);

        ConflictDialog dialog(nurse.manager.get(), txn);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.isPerField());
        QVERIFY(dialog.fields().contains(u"ward"_s));
        QVERIFY(dialog.messageText().startsWith(u"You deleted"_s));
        QTest::mouseClick(dialog.choiceButton({}, deleteAnyway ? Choice::Mine : Choice::Theirs),
                          Qt::LeftButton);
        QCOMPARE(dialog.resolution(),
                 deleteAnyway ? Manager::Resolution::KeepMine : Manager::Resolution::TakeTheirs);
        if (deleteAnyway)
            saveScreenshot(&dialog, u"conflict-deleted-by-me.png"_s);
        QTest::mouseClick(dialog.applyButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(idle(nurse.manager.get()), Patience);
        QVERIFY(nurse.manager->conflicts().isEmpty());
        if (deleteAnyway) {
            QVERIFY(serverRecord(id).isEmpty());
            QTRY_VERIFY_WITH_TIMEOUT(nurse.manager->rowOf(id) < 0, Patience);
        } else {
            QCOMPARE(serverRecord(id), theirs);
            QTRY_COMPARE_WITH_TIMEOUT(nurse.shown(id), theirs, Patience);
        }
    }

    // Resolved elsewhere while the dialog is open: it says so and Apply stays disabled.
    void resolvedElsewhereDisablesApply()
    {
        Nurse nurse(m_server.get());
        QVERIFY(nurse.start());
        const QString id = nurse.manager->idAt(50);
        const QString txn = makeConflict(nurse, id, {{u"ward"_s, u"Ward of the nurse"_s}},
                                         {{u"ward"_s, u"Ward of the doctor"_s}});
        QVERIFY(!txn.isEmpty());
        ConflictDialog dialog(nurse.manager.get(), txn);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.setChoice(u"ward"_s, Choice::Mine);
        QVERIFY(dialog.applyButton()->isEnabled());
        QVERIFY(nurse.manager->resolveConflict(txn, Manager::Resolution::TakeTheirs));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isResolvedElsewhere(), Patience);
        QVERIFY(!dialog.applyButton()->isEnabled());
        QVERIFY(dialog.messageText().contains(u"resolved elsewhere"_s));
        QVERIFY(!dialog.choiceButton(u"ward"_s, Choice::Theirs)->isEnabled());
        saveScreenshot(&dialog, u"conflict-resolved-elsewhere.png"_s);
        dialog.apply(); // nothing happens
        QVERIFY(dialog.isVisible());
    }
};

QTEST_MAIN(TestConflictDialog)
#include "tst_conflictdialog.moc"
