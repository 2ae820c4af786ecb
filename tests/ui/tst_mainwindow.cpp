// SPDX-License-Identifier: MIT
// The workstation's window against the embedded server in-process: lists for every resource,
// another user's change appearing (HIS and live mode) as a tint, never a reset; the offline
// state (server stopped) and the recovery (server back on the same port with the same data);
// deleting the selection; CSV export; toasts and the activity panel; filters; an import picked
// up again; unsaved changes that belong to a server and a user; signing in again when the
// server stops accepting the sign-in, and a wrong password shown in the sign-in dialog.
// Screenshots go to the build tree.
#include "activitymodel.h"
#include "activitypanel.h"
#include "changehighlightdelegate.h"
#include "conflictdialog.h"
#include "connectdialog.h"
#include "connectionindicator.h"
#include "importfilepage.h"
#include "importwizard.h"
#include "livedeskserver.h"
#include "mainwindow.h"
#include "realtimetablemodel.h"
#include "recorddialog.h"
#include "resourcelistview.h"
#include "rest/apiclient.h"
#include "restoutcome.h"
#include "signedinwindow.h"
#include "state/session.h"
#include "toastarea.h"

#include <QtCore/QDir>
#include <QtCore/QPointer>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtCore/QTranslator>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk;
using Manager = RealtimeStateManager;

namespace {

constexpr int Patience = 20000;
const QString Patients = u"/api/patients"_s;

void screenshot(QWidget *w, const QString &name)
{
    QDir().mkpath(QStringLiteral(LIVEDESK_SCREENSHOT_DIR));
    // Layouts catch up with the last text changes before the picture is taken.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    w->grab().save(QStringLiteral(LIVEDESK_SCREENSHOT_DIR) + u'/' + name + u".png"_s);
}

int rowOf(ResourceListView *view, const QString &id)
{
    return view->model()->rowOf(id);
}

QString valueAt(ResourceListView *view, const QString &id, const QString &field)
{
    const int row = rowOf(view, id);
    return row < 0 ? QString()
                   : view->model()->index(row, view->model()->columnOf(field)).data().toString();
}

// Replaces the text of a record dialog's line edit as a user does: select all, type.
void retype(RecordDialog *dialog, const QString &field, const QString &text)
{
    auto *edit = qobject_cast<QLineEdit *>(dialog->editorFor(field));
    QVERIFY(edit);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, text);
}

QStringList activityLines(MainWindow *window)
{
    QStringList lines;
    for (int r = 0; r < window->activityPanel()->model()->rowCount(); ++r)
        lines.append(window->activityPanel()->model()->summary(r));
    return lines;
}

// Types @p password into the sign-in dialog and presses Connect.
bool signInThrough(ConnectDialog *dialog, const QString &password)
{
    if (!dialog)
        return false;
    const auto edits = dialog->findChildren<QLineEdit *>();
    for (QLineEdit *edit : edits) {
        if (edit->accessibleName() == u"Password")
            edit->setText(password);
    }
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    if (!buttons)
        return false;
    buttons->button(QDialogButtonBox::Ok)->click();
    return true;
}

QString queueRoot()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/queues"_s;
}

// The patients list of @p window once read and connected.
ResourceListView *settledPatients(MainWindow *window)
{
    ResourceListView *view = window->listView(u"patients"_s);
    if (!view
        || !QTest::qWaitFor(
            [view] {
                return view->manager() && view->manager()->lastSyncAt().isValid()
                    && !view->manager()->isLoading() && view->manager()->isConnected();
            },
            Patience))
        return nullptr;
    return view;
}

// Presses @p button of the next message box to open (they block in exec()) and returns its
// text through @p text.
void answerNextMessageBox(QMessageBox::StandardButton button, QString *text)
{
    // Gives up after the test's patience, so that a box that never opens cannot leave a timer
    // behind to answer some later test's box.
    auto *poll = new QTimer(qApp);
    poll->setInterval(20);
    auto tries = std::make_shared<int>(Patience / 20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, button, text, tries] {
        if (--*tries < 0) {
            poll->deleteLater();
            return;
        }
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || !box->button(button))
            return;
        *text = box->text();
        poll->deleteLater();
        box->button(button)->click();
    });
    poll->start();
}

// @p window's patients list switched to live mode, its socket closed and @p changes of @p id
// made meanwhile, waiting in the list's queue; null when a step does not happen.
ResourceListView *changeWaitingOffline(MainWindow *window, const QString &id,
                                       const QJsonObject &changes)
{
    window->setMode(u"patients"_s, Manager::Mode::Live);
    ResourceListView *patients = settledPatients(window);
    if (!patients)
        return nullptr;
    Manager *manager = patients->manager();
    window->session()->socket()->close();
    if (!QTest::qWaitFor([manager] { return !manager->isConnected(); }, Patience))
        return nullptr;
    manager->updateRecord(id, changes);
    if (!QTest::qWaitFor([manager] { return manager->pendingCount() == 1; }, Patience))
        return nullptr;
    return patients;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    server::LivedeskServer::Options m_options;
    std::unique_ptr<server::LivedeskServer> m_server;
    ApiClient m_doctor;

    bool startServer()
    {
        m_server = std::make_unique<server::LivedeskServer>(m_options);
        QString error;
        if (!m_server->start(&error)) {
            qWarning() << error;
            return false;
        }
        m_options.port = m_server->port();
        m_options.seedDemoData = false; // a restart keeps the data it has
        return true;
    }

    std::unique_ptr<MainWindow> openWindow()
    {
        return test::signedInWindow(m_server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s,
                                    Patience);
    }

    // The nurse's and the doctor's windows on the same server, the nurse's patients list in
    // @p mode, both with the user directory read.
    bool openTwoWindows(Manager::Mode mode, std::unique_ptr<MainWindow> *nurse,
                        std::unique_ptr<MainWindow> *doctor)
    {
        *nurse = openWindow();
        *doctor = test::signedInWindow(m_server->baseUrl(), u"doctor@demo.local"_s, u"doctor"_s,
                                       Patience);
        if (!*nurse || !*doctor)
            return false;
        if (mode == Manager::Mode::Live)
            (*nurse)->setMode(u"patients"_s, Manager::Mode::Live);
        Manager *manager = (*nurse)->listView(u"patients"_s)->manager();
        return manager->mode() == mode
            && QTest::qWaitFor(
                   [&] {
                       return manager->lastSyncAt().isValid() && !manager->isLoading()
                           && !(*nurse)->session()->userNames().isEmpty()
                           && !(*doctor)->session()->userNames().isEmpty();
                   },
                   Patience);
    }

    // The doctor changes @p field of @p id to @p value in his window's record dialog.
    bool doctorEditsInHisWindow(MainWindow *doctor, const QString &id, const QString &field,
                                const QString &value)
    {
        auto *dialog = qobject_cast<RecordDialog *>(doctor->openRecord(u"patients"_s, id));
        if (!dialog)
            return false;
        QSignalSpy saved(dialog, &RecordDialog::saved);
        retype(dialog, field, value);
        dialog->save();
        return QTest::qWaitFor([&] { return saved.size() == 1; }, Patience);
    }

    QJsonObject onTheServer(const QString &id)
    {
        return test::await(m_doctor.fetch(Patients, id)).data.toObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        // English as the app shows it: with its plural forms ("300 rows").
        auto *english = new QTranslator(this);
        QVERIFY(english->load(QStringLiteral(LIVEDESK_EN_QM)));
        QCoreApplication::installTranslator(english);
    }

    void init()
    {
        QVERIFY(m_dir.isValid());
        m_options = {};
        // One database per data row too: a row must not find the changes of the one before.
        m_options.databasePath = m_dir.filePath(
            u"server-%1-%2.sqlite"_s.arg(QString::fromLatin1(QTest::currentTestFunction()),
                                         QString::fromLatin1(QTest::currentDataTag())));
        m_options.jwtSecret = "main-window-test"; // tokens outlive a restart
        QVERIFY(startServer());
        m_doctor.setBaseUrl(m_server->baseUrl());
        QVERIFY(test::await(m_doctor.login(u"doctor@demo.local"_s, u"doctor"_s)).ok);
    }

    void cleanup()
    {
        m_server.reset();
        QSettings().clear();
        QDir(queueRoot()).removeRecursively();
    }

    // HIS mode does not send queued changes: switching a list with changes still waiting for
    // the server to HIS would leave them unsent and unannounced. The switch is refused with a
    // toast saying why, and the change goes out when the server is back.
    void switchToHisKeepsWaitingChanges()
    {
        QDir(queueRoot()).removeRecursively();
        auto window = openWindow();
        QVERIFY(window);
        window->toasts()->setDurationScale(100);
        ResourceListView *patients
            = changeWaitingOffline(window.get(), u"4"_s, {{u"ward"_s, u"Waiting ward"_s}});
        QVERIFY(patients);

        QPointer<Manager> live = patients->manager();
        window->setMode(u"patients"_s, Manager::Mode::His);
        QVERIFY2(live, "the live manager, and with it the waiting change, was dropped");
        QCOMPARE(patients->manager(), live.data());
        QCOMPARE(live->mode(), Manager::Mode::Live);
        QCOMPARE(live->pendingCount(), 1);
        const QStringList told = window->toasts()->texts().filter(u"wait"_s);
        QVERIFY2(told.size() == 1 && told.constFirst().contains(u"HIS"_s),
                 qPrintable(told.join(u'|')));

        window->session()->socket()->open();
        QTRY_COMPARE_WITH_TIMEOUT(live->counters().confirmed, 1, Patience);
        QCOMPARE(
            test::await(m_doctor.fetch(Patients, u"4"_s)).data.toObject().value(u"ward").toString(),
            u"Waiting ward"_s);
        window->setMode(u"patients"_s, Manager::Mode::His);
        QCOMPARE(patients->manager()->mode(), Manager::Mode::His);
    }

    // Live mode, an edit made offline: it belongs to this server and this user. Another user
    // signing in at the workstation does not send it and is told whose it is; the same user
    // signing in again (File > Connect…) sends it, once.
    void unsavedChangesBelongToTheirUser()
    {
        QDir(queueRoot()).removeRecursively();
        auto window = openWindow();
        QVERIFY(window);
        window->toasts()->setDurationScale(100);
        QVERIFY(changeWaitingOffline(window.get(), u"3"_s, {{u"ward"_s, u"Offline ward"_s}}));
        const QString queueFile = window->session()->queueDirectory() + u"/patients.queue.json"_s;
        QVERIFY(queueFile.startsWith(queueRoot()));
        QVERIFY(QFile::exists(queueFile));

        QSignalSpy ready(window.get(), &MainWindow::ready);
        window->connectTo(m_server->baseUrl(), u"/api/ws/"_s, u"doctor@demo.local"_s, u"doctor"_s);
        QVERIFY(ready.wait(Patience));
        ResourceListView *doctors = settledPatients(window.get());
        QVERIFY(doctors);
        QCOMPARE(doctors->manager()->mode(), Manager::Mode::Live);
        QTRY_VERIFY_WITH_TIMEOUT(
            window->toasts()->texts().filter(u"nurse@demo.local"_s).size() == 1, Patience);
        const QString told = window->toasts()->texts().filter(u"nurse@demo.local"_s).constFirst();
        QVERIFY2(told.contains(u"1 change"_s) && told.contains(u"of nurse@demo.local wait"_s)
                     && told.contains(u"to sign in"_s),
                 qPrintable(told));
        QCOMPARE(doctors->manager()->pendingCount(), 0);
        QCOMPARE(doctors->manager()->counters().writesSent, 0);
        QVERIFY(QFile::exists(queueFile));
        QCOMPARE(
            test::await(m_doctor.fetch(Patients, u"3"_s)).object().value(u"version").toInteger(),
            1);

        window->connectTo(m_server->baseUrl(), u"/api/ws/"_s, u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(ready.wait(Patience));
        ResourceListView *again = window->listView(u"patients"_s);
        QVERIFY(again);
        QTRY_COMPARE_WITH_TIMEOUT(again->manager()->counters().confirmed, 1, Patience);
        QCOMPARE(again->manager()->counters().writesSent, 1);
        const QJsonObject three = test::await(m_doctor.fetch(Patients, u"3"_s)).object();
        QCOMPARE(three.value(u"ward").toString(), u"Offline ward"_s);
        QCOMPARE(three.value(u"version").toInteger(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(queueFile), Patience);
        QVERIFY(window->session()->waitingForOthers().isEmpty());
    }

    // The server restarts with a new signing secret: the refused token asks the person to
    // sign in again (the dialog, with the reason), the rows stay and say they may be out of
    // date, and the change made meanwhile is kept and sent after signing in.
    void refusedTokenAsksToSignInAgain()
    {
        auto window = openWindow();
        QVERIFY(window);
        window->setMode(u"patients"_s, Manager::Mode::Live);
        ResourceListView *patients = settledPatients(window.get());
        QVERIFY(patients);
        const int rows = patients->model()->rowCount();
        m_server.reset();
        QTRY_VERIFY_WITH_TIMEOUT(!patients->manager()->isConnected(), Patience);
        patients->manager()->updateRecord(u"4"_s, {{u"ward"_s, u"Kept ward"_s}});
        m_options.jwtSecret = "another-secret";
        QVERIFY(startServer());

        QTRY_VERIFY_WITH_TIMEOUT(window->signInDialog() && window->signInDialog()->isVisible(),
                                 Patience);
        const QString reason = window->signInDialog()->errorText();
        QVERIFY2(reason.contains(u"Sign in again"_s), qPrintable(reason));
        QVERIFY(patients->manager()->staleSince().isValid());
        QCOMPARE(patients->model()->rowCount(), rows);
        QCOMPARE(patients->manager()->pendingCount(), 1);

        QSignalSpy ready(window.get(), &MainWindow::ready);
        QVERIFY(signInThrough(window->signInDialog(), u"nurse"_s));
        QVERIFY(ready.wait(Patience));
        QTRY_VERIFY_WITH_TIMEOUT(!window->signInDialog(), Patience);
        ResourceListView *again = window->listView(u"patients"_s);
        QTRY_COMPARE_WITH_TIMEOUT(again->manager()->counters().confirmed, 1, Patience);
        QVERIFY(test::await(m_doctor.login(u"doctor@demo.local"_s, u"doctor"_s)).ok);
        QCOMPARE(
            test::await(m_doctor.fetch(Patients, u"4"_s)).data.toObject().value(u"ward").toString(),
            u"Kept ward"_s);
        QVERIFY(window->connectionIndicator());
        QVERIFY(window->statusBar()->currentMessage().isEmpty());
    }

    // Live mode, offline: the person drops their own changes still waiting for the server,
    // after confirming; the rows show the server's records again and nothing is sent later.
    // Cancel keeps them.
    void discardMyWaitingChanges()
    {
        QDir(queueRoot()).removeRecursively();
        auto window = openWindow();
        QVERIFY(window);
        window->toasts()->setDurationScale(100);
        window->setMode(u"patients"_s, Manager::Mode::Live);
        ResourceListView *patients = settledPatients(window.get());
        QVERIFY(patients);
        Manager *manager = patients->manager();
        const QString wardOf5 = valueAt(patients, u"5"_s, u"ward"_s);
        QVERIFY(patients->discardButton()->isHidden());
        window->session()->socket()->close();
        QTRY_VERIFY_WITH_TIMEOUT(!manager->isConnected(), Patience);
        manager->updateRecord(u"5"_s, {{u"ward"_s, u"Ward to drop"_s}});
        manager->updateRecord(u"6"_s, {{u"ward"_s, u"Another ward to drop"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(patients, u"5"_s, u"ward"_s), u"Ward to drop"_s,
                                  Patience);
        QTRY_VERIFY_WITH_TIMEOUT(patients->discardButton()->isVisible(), Patience);
        QCOMPARE(patients->discardButton()->text(), u"Discard 2 waiting changes…"_s);

        QString asked;
        answerNextMessageBox(QMessageBox::Cancel, &asked);
        QVERIFY(!window->discardMyChanges(u"patients"_s));
        QCOMPARE(manager->pendingCount(), 2);

        answerNextMessageBox(QMessageBox::Discard, &asked);
        patients->discardButton()->click();
        QVERIFY2(asked.startsWith(u"Discard 2 changes you made to Patients"_s)
                     && asked.contains(u"5 ("_s) && asked.contains(u"6 ("_s),
                 qPrintable(asked));
        QCOMPARE(manager->pendingCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(patients, u"5"_s, u"ward"_s), wardOf5, Patience);
        QTRY_VERIFY_WITH_TIMEOUT(patients->discardButton()->isHidden(), Patience);
        QVERIFY2(activityLines(window.get()).filter(u"2 of your changes to Patients"_s).size() == 1,
                 qPrintable(activityLines(window.get()).join(u'|')));
        QVERIFY(!QFile::exists(window->session()->queueDirectory() + u"/patients.queue.json"_s));

        window->session()->socket()->open();
        QTRY_VERIFY_WITH_TIMEOUT(manager->isConnected() && !manager->isLoading(), Patience);
        QCOMPARE(manager->counters().writesSent, 0);
        QCOMPARE(onTheServer(u"5"_s).value(u"version").toInteger(), 1);
    }

    // A form left open while the person signs in again (File > Connect…, or after a refused
    // token) and then switches the list's mode goes on with the new manager: what was typed
    // stays, Save is offered, and the save is still based on the record as the form showed it:
    // the doctor's change to the same field made meanwhile is a conflict, not overwritten.
    void openFormSurvivesSigningInAgain_data() { twoPeopleSameFieldIsAConflict_data(); }
    void openFormSurvivesSigningInAgain()
    {
        QFETCH(int, mode);
        std::unique_ptr<MainWindow> nurse;
        std::unique_ptr<MainWindow> doctor;
        QVERIFY(openTwoWindows(Manager::Mode(mode), &nurse, &doctor));
        const QString id = u"7"_s;
        QPointer<RecordDialog> form
            = qobject_cast<RecordDialog *>(nurse->openRecord(u"patients"_s, id));
        QVERIFY(form);
        retype(form, u"ward"_s, u"Ward typed before"_s);
        QVERIFY(doctorEditsInHisWindow(doctor.get(), id, u"ward"_s, u"Ward of the doctor"_s));

        QPointer<Manager> old = nurse->listView(u"patients"_s)->manager();
        QSignalSpy ready(nurse.get(), &MainWindow::ready);
        nurse->connectTo(m_server->baseUrl(), u"/api/ws/"_s, u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(ready.wait(Patience));
        QVERIFY(!old);
        ResourceListView *patients = settledPatients(nurse.get());
        QVERIFY(patients);
        QVERIFY2(form, "the form was closed with what the nurse typed");
        QCOMPARE(form->manager(), patients->manager());
        QVERIFY(form->saveButton()->isEnabled());
        QCOMPARE(qobject_cast<QLineEdit *>(form->editorFor(u"ward"_s))->text(),
                 u"Ward typed before"_s);

        const auto other
            = Manager::Mode(mode) == Manager::Mode::His ? Manager::Mode::Live : Manager::Mode::His;
        nurse->setMode(u"patients"_s, other);
        QCOMPARE(patients->manager()->mode(), other);
        QVERIFY2(form, "the form was closed by the mode switch");
        QCOMPARE(form->manager(), patients->manager());
        QVERIFY(form->saveButton()->isEnabled());
        QCOMPARE(qobject_cast<QLineEdit *>(form->editorFor(u"ward"_s))->text(),
                 u"Ward typed before"_s);
        QTRY_VERIFY_WITH_TIMEOUT(settledPatients(nurse.get()), Patience);

        form->save();
        QTRY_VERIFY_WITH_TIMEOUT(!form || form->hasConflict(), Patience);
        QVERIFY2(form, "saved over the doctor's change");
        QCOMPARE(patients->manager()->conflicts().size(), 1);
        QCOMPARE(onTheServer(id).value(u"ward").toString(), u"Ward of the doctor"_s);
    }

    // HIS mode: a conflict the nurse has not decided yet is kept for her through another
    // person's sign-in at the window (whose form of hers stays readable but cannot be saved)
    // and is there again when she signs in.
    void hisConflictIsKeptForItsPerson()
    {
        QDir(queueRoot()).removeRecursively();
        auto window = openWindow();
        QVERIFY(window);
        ResourceListView *patients = settledPatients(window.get());
        QVERIFY(patients);
        const QJsonObject form = patients->manager()->serverRecord(u"8"_s);
        QVERIFY(test::await(m_doctor.update(Patients, u"8"_s, {{u"ward"_s, u"Doctor's"_s}})).ok);
        QSignalSpy conflict(patients->manager(), &Manager::conflictDetected);
        const QString txn
            = patients->manager()->updateRecord(u"8"_s, {{u"ward"_s, u"Nurse's"_s}}, form);
        QVERIFY(conflict.wait(Patience));
        QTRY_VERIFY_WITH_TIMEOUT(patients->conflictsButton()->isVisible(), Patience);
        QPointer<RecordDialog> open
            = qobject_cast<RecordDialog *>(window->openRecord(u"patients"_s, u"9"_s));
        QVERIFY(open);
        retype(open, u"ward"_s, u"Typed by the nurse"_s);

        QSignalSpy ready(window.get(), &MainWindow::ready);
        window->connectTo(m_server->baseUrl(), u"/api/ws/"_s, u"doctor@demo.local"_s, u"doctor"_s);
        QVERIFY(ready.wait(Patience));
        ResourceListView *doctors = settledPatients(window.get());
        QVERIFY(doctors);
        QVERIFY(doctors->manager()->conflicts().isEmpty());
        QVERIFY2(open, "the nurse's form was closed with what she typed");
        QVERIFY(!open->manager());
        QVERIFY(!open->saveButton()->isEnabled());
        QVERIFY2(open->bannerText().contains(u"doctor@demo.local signed in"_s),
                 qPrintable(open->bannerText()));
        QCOMPARE(qobject_cast<QLineEdit *>(open->editorFor(u"ward"_s))->text(),
                 u"Typed by the nurse"_s);
        open->close();

        window->connectTo(m_server->baseUrl(), u"/api/ws/"_s, u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(ready.wait(Patience));
        ResourceListView *again = settledPatients(window.get());
        QVERIFY(again);
        QCOMPARE(again->manager()->conflicts().size(), 1);
        QCOMPARE(again->manager()->conflicts().constFirst().txnId, txn);
        QTRY_VERIFY_WITH_TIMEOUT(again->conflictsButton()->isVisible(), Patience);
        auto *dialog = qobject_cast<ConflictDialog *>(window->resolveConflicts(u"patients"_s));
        QVERIFY(dialog);
        QCOMPARE(dialog->choiceButton(u"ward"_s, ConflictDialog::Choice::Mine)->text(),
                 u"Nurse's"_s);
        dialog->close();
    }

    // A wrong password: the reason in the sign-in dialog, which stays open; the title and the
    // status bar say what is true, and the next try in the same dialog signs in.
    void wrongPasswordIsShownInTheSignInDialog()
    {
        MainWindow window;
        window.show();
        QSignalSpy failed(&window, &MainWindow::connectionFailed);
        QSignalSpy ready(&window, &MainWindow::ready);
        window.connectTo(m_server->baseUrl(), u"/api/ws/"_s, u"nurse@demo.local"_s, u"wrong"_s);
        QVERIFY(window.windowTitle().contains(u"signing in"_s));
        QVERIFY(failed.wait(Patience));
        ConnectDialog *dialog = window.signInDialog();
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY2(dialog->errorText().contains(u"not right"_s), qPrintable(dialog->errorText()));
        QVERIFY2(!window.windowTitle().contains(u"signing in"_s), qPrintable(window.windowTitle()));
        QCOMPARE(window.identityText(), u"Not connected"_s);
        QVERIFY(window.statusBar()->currentMessage().isEmpty());

        QVERIFY(signInThrough(dialog, u"nurse"_s));
        QVERIFY(ready.wait(Patience));
        QTRY_VERIFY_WITH_TIMEOUT(!window.signInDialog(), Patience);
        QVERIFY2(window.windowTitle().contains(u"nurse@demo.local"_s),
                 qPrintable(window.windowTitle()));
        QVERIFY(window.statusBar()->currentMessage().isEmpty());
        QVERIFY(window.connectionIndicator() && window.connectionIndicator()->isVisible());
        ResourceListView *patients = window.listView(u"patients"_s);
        QVERIFY(patients);
        QTRY_VERIFY_WITH_TIMEOUT(patients->manager()->isConnected(), Patience);
        QTRY_VERIFY_WITH_TIMEOUT(patients->model()->rowCount() > 0, Patience);
    }

    void opensEveryResourceWithItsData()
    {
        auto window = openWindow();
        QVERIFY(window);
        QCOMPARE(window->session()->resources().size(), 3);
        for (const QString &name : {u"patients"_s, u"admissions"_s, u"lab_orders"_s})
            QVERIFY2(window->listView(name), qPrintable(name));
        ResourceListView *patients = window->listView(u"patients"_s);
        QAbstractItemModelTester tester(patients->model(),
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        const test::RestOutcome page = test::await(m_doctor.list(Patients, RestQuery{}));
        QVERIFY(page.ok);
        QCOMPARE(patients->model()->rowCount(), page.pagination.value(u"total").toInt());
        QVERIFY(patients->manager()->mode() == Manager::Mode::His); // the default
        QVERIFY(window->identityText().contains(u"nurse@demo.local"_s));
        QVERIFY(window->windowTitle().contains(u"nurse@demo.local"_s));
        QTRY_VERIFY_WITH_TIMEOUT(patients->statusText().contains(u"synced"_s), Patience);
        QVERIFY(patients->newButton()->isEnabled());
        QVERIFY(patients->staleText().isEmpty());
        QCOMPARE(window->connectionIndicator()->level(), ConnectionIndicator::Level::Ok);
        screenshot(window.get(), u"mainwindow"_s);
    }

    void othersChangeIsTintedNeverReset_data()
    {
        QTest::addColumn<bool>("live");
        QTest::newRow("his") << false;
        QTest::newRow("live") << true;
    }

    void othersChangeIsTintedNeverReset()
    {
        QFETCH(bool, live);
        auto window = openWindow();
        QVERIFY(window);
        if (live) {
            window->setMode(u"patients"_s, Manager::Mode::Live);
            QTRY_VERIFY_WITH_TIMEOUT(
                window->listView(u"patients"_s)->manager()->lastSyncAt().isValid(), Patience);
        }
        ResourceListView *patients = window->listView(u"patients"_s);
        QCOMPARE(patients->manager()->mode(), live ? Manager::Mode::Live : Manager::Mode::His);
        QTRY_VERIFY_WITH_TIMEOUT(!patients->manager()->isLoading(), Patience);
        QAbstractItemModelTester tester(patients->model(),
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        // The user is reading row 5: it stays selected and current.
        const QString readingId
            = patients->model()->index(5, 0).data(RealtimeTableModel::RecordIdRole).toString();
        patients->tableView()->selectRow(5);
        QSignalSpy resets(patients->model(), &QAbstractItemModel::modelReset);
        const QString id
            = patients->model()->index(2, 0).data(RealtimeTableModel::RecordIdRole).toString();
        QVERIFY(!patients->highlighter()->isHighlighted(id));
        patients->highlighter()->setFadeMs(60000); // long enough to be seen by the check
        QVERIFY(test::await(
                    m_doctor.update(Patients, id,
                                    {{u"ward"_s, u"ICU"_s}, {u"name"_s, u"Changed Elsewhere"_s}}))
                    .ok);
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(patients, id, u"name"_s), u"Changed Elsewhere"_s,
                                  Patience);
        // The model may hold a change until the end of the turn (merging a burst).
        QTRY_VERIFY_WITH_TIMEOUT(patients->highlighter()->isHighlighted(id), Patience);
        QVERIFY(!patients->highlighter()->isHighlighted(readingId));
        QCOMPARE(resets.size(), 0);
        QCOMPARE(patients->selectedIds(), QStringList{readingId});
        screenshot(window.get(), live ? u"mainwindow-change-live"_s : u"mainwindow-change-his"_s);
    }

    void offlineIsPlainAndRecovers()
    {
        auto window = openWindow();
        QVERIFY(window);
        ResourceListView *patients = window->listView(u"patients"_s);
        const int rows = patients->model()->rowCount();
        patients->tableView()->selectRow(0);
        QVERIFY(patients->deleteButton()->isEnabled());
        m_server.reset(); // the server goes away
        QTRY_VERIFY_WITH_TIMEOUT(!patients->staleText().isEmpty(), Patience);
        QVERIFY(patients->staleText().contains(u"Offline since"_s));
        QVERIFY(window->connectionIndicator()->level() != ConnectionIndicator::Level::Ok);
        // The rows stay (what was last known) but look stale, and HIS writes are refused
        // with a reason.
        QCOMPARE(patients->model()->rowCount(), rows);
        QCOMPARE(patients->model()->index(0, 0).data(RealtimeTableModel::RowStateRole).toInt(),
                 int(Manager::RowState::Stale));
        QVERIFY(!patients->newButton()->isEnabled());
        QVERIFY(!patients->deleteButton()->isEnabled());
        QVERIFY(patients->newButton()->toolTip().contains(u"cannot be reached"_s));
        QVERIFY(!patients->deleteSelected());
        screenshot(window.get(), u"mainwindow-offline"_s);

        // The server comes back, someone changes a record at once: the list recovers and
        // shows it.
        QVERIFY(startServer());
        const QString id
            = patients->model()->index(1, 0).data(RealtimeTableModel::RecordIdRole).toString();
        QVERIFY(
            test::await(m_doctor.update(Patients, id, {{u"name"_s, u"After The Outage"_s}})).ok);
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(patients, id, u"name"_s), u"After The Outage"_s,
                                  Patience);
        QTRY_VERIFY_WITH_TIMEOUT(patients->staleText().isEmpty(), Patience);
        QTRY_VERIFY_WITH_TIMEOUT(patients->newButton()->isEnabled(), Patience);
        QCOMPARE(window->connectionIndicator()->level(), ConnectionIndicator::Level::Ok);
        QTRY_COMPARE_WITH_TIMEOUT(
            patients->model()->index(0, 0).data(RealtimeTableModel::RowStateRole).toInt(),
            int(Manager::RowState::Synced), Patience);
    }

    // The list asks, the window opens: Edit and New open the record dialog on that list's
    // manager, File > Import… the wizard on the list's resource, the same wizard again later.
    void dialogsOpenFromTheList()
    {
        auto window = openWindow();
        QVERIFY(window);
        ResourceListView *patients = window->listView(u"patients"_s);
        const QString id
            = patients->model()->index(0, 0).data(RealtimeTableModel::RecordIdRole).toString();
        QSignalSpy edit(patients, &ResourceListView::editRequested);
        patients->tableView()->selectRow(0);
        QTRY_VERIFY(patients->editButton()->isEnabled());
        patients->editButton()->click();
        QCOMPARE(edit.size(), 1);
        auto *dialog = window->findChild<RecordDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->recordId(), id);
        dialog->close();
        QTRY_VERIFY(!window->findChild<RecordDialog *>()); // deleted on close
        patients->newButton()->click();
        dialog = window->findChild<RecordDialog *>();
        QVERIFY(dialog && dialog->isNewRecord());
        dialog->close();
        QVERIFY(!window->resolveConflicts(u"patients"_s)); // none to resolve

        window->showResource(u"lab_orders"_s);
        window->openImport();
        ImportWizard *wizard = window->importWizard();
        QVERIFY(wizard && wizard->isVisible());
        QCOMPARE(wizard->filePage()->resource().name, u"lab_orders"_s);
        wizard->close();
        window->openImport();
        QCOMPARE(window->importWizard(), wizard);
        screenshot(wizard, u"mainwindow-import"_s);
    }

    void deleteSelectionAndExport()
    {
        auto window = openWindow();
        QVERIFY(window);
        ResourceListView *patients = window->listView(u"patients"_s);
        patients->setConfirmDeletes(false);
        const int rows = patients->model()->rowCount();
        patients->tableView()->selectRow(3);
        patients->tableView()->selectionModel()->select(patients->model()->index(4, 0),
                                                        QItemSelectionModel::Select
                                                            | QItemSelectionModel::Rows);
        const QStringList ids = patients->selectedIds();
        QCOMPARE(ids.size(), 2);
        QVERIFY(patients->deleteSelected());
        QTRY_COMPARE_WITH_TIMEOUT(patients->model()->rowCount(), rows - 2, Patience);
        for (const QString &id : ids) {
            QCOMPARE(rowOf(patients, id), -1);
            QCOMPARE(test::await(m_doctor.fetch(Patients, id)).error.code, u"NOT_FOUND"_s);
        }
        const QString csv = m_dir.filePath(u"patients.csv"_s);
        QVERIFY(window->exportCsv(csv));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(content.startsWith("\xEF\xBB\xBFHN,")); // UTF-8 with a byte order mark
        const QList<QByteArray> lines = content.split('\n');
        QCOMPARE(lines.size(), rows - 2 + 2); // header, rows, final newline
        QVERIFY(lines.at(0).endsWith('\r'));
        // One's own deletes are no news: no toast, nothing "deleted by someone else".
        QVERIFY(window->toasts()->texts().isEmpty());
    }

    // A toast when someone else changes or deletes the record the user is looking at, none
    // for other records; the activity panel keeps both the changes and the toasts.
    void viewedRecordNewsIsToasted()
    {
        auto window = openWindow();
        QVERIFY(window);
        ToastArea *toasts = window->toasts();
        toasts->setDurationScale(100); // stays up for the checks
        ResourceListView *patients = window->listView(u"patients"_s);
        const QString viewed
            = patients->model()->index(3, 0).data(RealtimeTableModel::RecordIdRole).toString();
        const QString other
            = patients->model()->index(7, 0).data(RealtimeTableModel::RecordIdRole).toString();
        QVERIFY(patients->showRecord(viewed));
        QCOMPARE(patients->currentId(), viewed);

        QVERIFY(test::await(m_doctor.update(Patients, other, {{u"ward"_s, u"ICU"_s}})).ok);
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(patients, other, u"ward"_s), u"ICU"_s, Patience);
        QTRY_VERIFY_WITH_TIMEOUT(patients->highlighter()->isHighlighted(other), Patience);
        QVERIFY2(toasts->texts().isEmpty(), qPrintable(toasts->texts().join(u'|')));

        QVERIFY(
            test::await(m_doctor.update(Patients, viewed, {{u"name"_s, u"Viewed Changed"_s}})).ok);
        QTRY_COMPARE_WITH_TIMEOUT(toasts->texts().size(), 1, Patience);
        const QString changed = toasts->texts().constFirst();
        QVERIFY2(changed.contains(u"which you are viewing"_s), qPrintable(changed));
        QVERIFY2(changed.contains(u"Viewed Changed"_s), qPrintable(changed)); // the name
        QVERIFY2(changed.contains(u"Dr. Somchai"_s), qPrintable(changed)); // who, by name
        QCOMPARE(valueAt(patients, viewed, u"updated_by"_s), u"Dr. Somchai"_s); // in the list too
        screenshot(window.get(), u"mainwindow-toast"_s);

        // "Show" brings the record back into view after the user moved away.
        patients->tableView()->selectRow(0);
        QVERIFY(toasts->triggerAction(changed));
        QCOMPARE(patients->currentId(), viewed);
        QVERIFY(toasts->texts().isEmpty());

        // The activity panel: both changes by the doctor, and the toast.
        const QStringList activity = [&] {
            QStringList lines;
            for (int r = 0; r < window->activityPanel()->model()->rowCount(); ++r)
                lines.append(window->activityPanel()->model()->summary(r));
            return lines;
        }();
        QVERIFY2(activity.filter(u"changed by Dr. Somchai"_s).size() >= 2,
                 qPrintable(activity.join(u'|')));
        QVERIFY2(activity.contains(changed), qPrintable(activity.join(u'|')));

        // Deleted by someone else while it is the current row.
        QVERIFY(test::await(m_doctor.remove(Patients, viewed)).ok);
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(patients, viewed), -1, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(toasts->texts().size(), 1, Patience);
        const QString deleted = toasts->texts().constFirst();
        QVERIFY2(deleted.contains(u"was deleted by Dr. Somchai"_s), qPrintable(deleted));
    }

    // Two people, one record. The nurse opens it; the doctor changes Ward in his window; the
    // nurse's form says who changed what; she changes Ward too and saves: a conflict, named,
    // with mine and theirs, and the doctor's value is not replaced. She takes his: nothing is
    // written, and no toast then claims that someone else changed the record.
    void twoPeopleSameFieldIsAConflict_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("his") << int(Manager::Mode::His);
        QTest::newRow("live") << int(Manager::Mode::Live);
    }
    void twoPeopleSameFieldIsAConflict()
    {
        QFETCH(int, mode);
        std::unique_ptr<MainWindow> nurse;
        std::unique_ptr<MainWindow> doctor;
        QVERIFY(openTwoWindows(Manager::Mode(mode), &nurse, &doctor));
        nurse->toasts()->setDurationScale(100);
        ResourceListView *patients = nurse->listView(u"patients"_s);
        Manager *manager = patients->manager();
        const QString id
            = patients->model()->index(4, 0).data(RealtimeTableModel::RecordIdRole).toString();
        QVERIFY(patients->showRecord(id));
        const QString wardBefore = onTheServer(id).value(u"ward").toString();
        // It deletes itself once closed.
        QPointer<RecordDialog> form
            = qobject_cast<RecordDialog *>(nurse->openRecord(u"patients"_s, id));
        QVERIFY(form);

        QVERIFY(doctorEditsInHisWindow(doctor.get(), id, u"ward"_s, u"Surgery"_s));
        QTRY_VERIFY_WITH_TIMEOUT(form->hasExternalChange(), Patience);
        QVERIFY2(form->bannerText().startsWith(u"Dr. Somchai changed Ward"_s),
                 qPrintable(form->bannerText()));
        QCOMPARE(form->externallyChangedFields(), QStringList{u"ward"_s});

        const qint64 writes = manager->counters().writesSent;
        retype(form, u"ward"_s, u"ICU Nurse"_s);
        form->save();
        QTRY_VERIFY_WITH_TIMEOUT(!form || form->hasConflict(), Patience);
        QVERIFY2(form, "saved over the doctor's change");
        QVERIFY2(form->bannerText().startsWith(u"Dr. Somchai changed Ward while you were"_s),
                 qPrintable(form->bannerText()));
        QCOMPARE(manager->conflicts().size(), 1);
        QCOMPARE(manager->counters().conflicts, 1);
        // HIS: the server refused it (If-Match with the version the form was opened with);
        // live: the list had the doctor's version already, nothing was sent.
        QCOMPARE(manager->counters().writesSent,
                 writes + (Manager::Mode(mode) == Manager::Mode::His ? 1 : 0));
        QCOMPARE(onTheServer(id).value(u"ward").toString(), u"Surgery"_s); // not replaced
        QVERIFY(wardBefore != u"Surgery"_s);
        screenshot(form,
                   u"mainwindow-conflict-form-"_s + QString::fromLatin1(QTest::currentDataTag()));

        form->resolveButton()->click();
        ConflictDialog *conflict = form->conflictDialog();
        QVERIFY(conflict);
        QTRY_VERIFY_WITH_TIMEOUT(conflict->isVisible(), Patience);
        QSignalSpy formAccepted(form, &QDialog::accepted);
        QCOMPARE(conflict->fields(), QStringList{u"ward"_s});
        QVERIFY(conflict->isChangedByBoth(u"ward"_s));
        QVERIFY2(conflict->messageText().startsWith(u"Dr. Somchai changed Ward of"_s),
                 qPrintable(conflict->messageText()));
        QCOMPARE(conflict->choiceButton(u"ward"_s, ConflictDialog::Choice::Mine)->text(),
                 u"ICU Nurse"_s);
        QCOMPARE(conflict->choiceButton(u"ward"_s, ConflictDialog::Choice::Theirs)->text(),
                 u"Surgery"_s);
        screenshot(conflict,
                   u"mainwindow-conflict-"_s + QString::fromLatin1(QTest::currentDataTag()));

        nurse->toasts()->dismissAll(); // the doctor's change was news; what follows is not
        conflict->choiceButton(u"ward"_s, ConflictDialog::Choice::Theirs)->click();
        QVERIFY(conflict->applyButton()->isEnabled());
        conflict->applyButton()->click();
        QCOMPARE(formAccepted.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(manager->pendingCount() == 0, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(patients, id, u"ward"_s), u"Surgery"_s, Patience);
        QTRY_VERIFY_WITH_TIMEOUT(!manager->isLoading() && !manager->isRefreshPending(), Patience);
        QTest::qWait(300); // a toast would come within a turn or two of the row's change
        QCOMPARE(manager->counters().writesSent,
                 writes + (Manager::Mode(mode) == Manager::Mode::His ? 1 : 0));
        QVERIFY2(nurse->toasts()->texts().filter(u"was changed"_s).isEmpty(),
                 qPrintable(nurse->toasts()->texts().join(u'|')));
        QCOMPARE(onTheServer(id).value(u"ward").toString(), u"Surgery"_s);
    }

    // The doctor changes Ward, the nurse Name on a form opened before: merged, no dialog, both
    // on the server.
    void twoPeopleDifferentFieldsMerge_data() { twoPeopleSameFieldIsAConflict_data(); }
    void twoPeopleDifferentFieldsMerge()
    {
        QFETCH(int, mode);
        std::unique_ptr<MainWindow> nurse;
        std::unique_ptr<MainWindow> doctor;
        QVERIFY(openTwoWindows(Manager::Mode(mode), &nurse, &doctor));
        ResourceListView *patients = nurse->listView(u"patients"_s);
        const QString id
            = patients->model()->index(6, 0).data(RealtimeTableModel::RecordIdRole).toString();
        auto *form = qobject_cast<RecordDialog *>(nurse->openRecord(u"patients"_s, id));
        QVERIFY(form);
        QVERIFY(doctorEditsInHisWindow(doctor.get(), id, u"ward"_s, u"Surgery"_s));
        QTRY_VERIFY_WITH_TIMEOUT(form->hasExternalChange(), Patience);
        QSignalSpy saved(form, &RecordDialog::saved);
        QSignalSpy conflictFound(patients->manager(), &Manager::conflictDetected);
        retype(form, u"name"_s, u"Malee Nurse-Named"_s);
        form->save();
        // Saved and closed (the dialog deletes itself), no conflict on the way.
        QTRY_VERIFY_WITH_TIMEOUT(saved.size() == 1 || !conflictFound.isEmpty(), Patience);
        QCOMPARE(saved.size(), 1);
        QVERIFY(conflictFound.isEmpty());
        QVERIFY(nurse->findChildren<ConflictDialog *>().isEmpty());
        QCOMPARE(patients->manager()->conflicts().size(), 0);
        QCOMPARE(patients->manager()->counters().conflicts, 0);
        QCOMPARE(patients->manager()->counters().merged, 1);
        const QJsonObject now = onTheServer(id);
        QCOMPARE(now.value(u"ward").toString(), u"Surgery"_s);
        QCOMPARE(now.value(u"name").toString(), u"Malee Nurse-Named"_s);
    }

    // A conflict found with no form open (live mode: an edit made offline, the doctor's change
    // meanwhile) comes as a toast that says who changed which field; Resolve… opens the
    // conflict dialog, which says it too.
    void conflictToastSaysWhoAndWhichFields()
    {
        std::unique_ptr<MainWindow> nurse;
        std::unique_ptr<MainWindow> doctor;
        QVERIFY(openTwoWindows(Manager::Mode::Live, &nurse, &doctor));
        nurse->toasts()->setDurationScale(100);
        ResourceListView *patients = nurse->listView(u"patients"_s);
        Manager *manager = patients->manager();
        const QString id
            = patients->model()->index(8, 0).data(RealtimeTableModel::RecordIdRole).toString();
        nurse->session()->socket()->close();
        QTRY_VERIFY_WITH_TIMEOUT(!manager->isConnected(), Patience);
        manager->updateRecord(id, {{u"ward"_s, u"Offline Ward"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(patients, id, u"ward"_s), u"Offline Ward"_s, Patience);
        QVERIFY(doctorEditsInHisWindow(doctor.get(), id, u"ward"_s, u"Surgery"_s));
        nurse->toasts()->dismissAll();
        nurse->session()->socket()->open();
        QTRY_COMPARE_WITH_TIMEOUT(manager->conflicts().size(), 1, Patience);
        QTRY_VERIFY_WITH_TIMEOUT(!nurse->toasts()->texts().filter(u"conflicts"_s).isEmpty(),
                                 Patience);
        const QString toast = nurse->toasts()->texts().filter(u"conflicts"_s).constFirst();
        QVERIFY2(toast.contains(u"a change Dr. Somchai made to Ward"_s), qPrintable(toast));
        QVERIFY(nurse->toasts()->triggerAction(toast));
        auto *dialog = nurse->findChild<ConflictDialog *>();
        QVERIFY(dialog);
        QVERIFY2(dialog->messageText().startsWith(u"Dr. Somchai changed Ward of"_s),
                 qPrintable(dialog->messageText()));
        dialog->close();
    }

    // The activity panel says which fields a change changed, and names a deleted record,
    // although the delete event carries its id alone.
    void activitySaysWhatChangedAndWhatWasDeleted()
    {
        auto window = openWindow();
        QVERIFY(window);
        QTRY_VERIFY_WITH_TIMEOUT(!window->session()->userNames().isEmpty(), Patience);
        ResourceListView *patients = window->listView(u"patients"_s);
        // A record with a ward other than Surgery, and another one.
        QString changed;
        QString ward;
        for (int row = 0; row < patients->model()->rowCount() && changed.isEmpty(); ++row) {
            const QString id = patients->model()
                                   ->index(row, 0)
                                   .data(RealtimeTableModel::RecordIdRole)
                                   .toString();
            ward = onTheServer(id).value(u"ward").toString();
            if (!ward.isEmpty() && ward != u"Surgery")
                changed = id;
        }
        QVERIFY(!changed.isEmpty());
        const QString deleted = patients->model()
                                    ->index(rowOf(patients, changed) == 3 ? 4 : 3, 0)
                                    .data(RealtimeTableModel::RecordIdRole)
                                    .toString();
        const QString name = onTheServer(deleted).value(u"name").toString();
        QVERIFY(!name.isEmpty());
        QVERIFY(test::await(m_doctor.update(Patients, changed, {{u"ward"_s, u"Surgery"_s}})).ok);
        QVERIFY(test::await(m_doctor.remove(Patients, deleted)).ok);
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(patients, deleted), -1, Patience);
        const QStringList lines = activityLines(window.get());
        const QString wardLine = u"changed by Dr. Somchai: Ward: %1 → Surgery"_s.arg(ward);
        QVERIFY2(lines.filter(wardLine).size() == 1, qPrintable(lines.join(u'|')));
        const QString deleteLine = u"%1 (%2) deleted by Dr. Somchai"_s.arg(deleted, name);
        QVERIFY2(lines.filter(deleteLine).size() == 1, qPrintable(lines.join(u'|')));
    }

    // A write the server refuses says so in a toast, not a modal box, and the list keeps
    // the server's value.
    void refusedWriteIsToasted()
    {
        auto window = openWindow();
        QVERIFY(window);
        window->toasts()->setDurationScale(100);
        ResourceListView *patients = window->listView(u"patients"_s);
        const QString id
            = patients->model()->index(2, 0).data(RealtimeTableModel::RecordIdRole).toString();
        const QString sex = valueAt(patients, id, u"sex"_s);
        patients->manager()->updateRecord(id, {{u"sex"_s, u"not-a-sex"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(window->toasts()->texts().size(), 1, Patience);
        const QString text = window->toasts()->texts().constFirst();
        QVERIFY2(text.contains(u"not saved"_s), qPrintable(text));
        QVERIFY2(text.contains(u"sex"_s), qPrintable(text)); // the server's reason
        QVERIFY(!text.contains(u"VALIDATION_ERROR"_s)); // no codes for a nurse to decode
        QCOMPARE(valueAt(patients, id, u"sex"_s), sex);
        QVERIFY(!QApplication::activeModalWidget());
    }

    // A refused subscription is said twice: once as a toast, and on every list for as long as
    // it lasts (the lists hear nothing).
    void refusedSubscriptionIsToastedAndShown()
    {
        auto window = openWindow();
        QVERIFY(window);
        window->toasts()->setDurationScale(100);
        ResourceListView *patients = window->listView(u"patients"_s);
        QTRY_VERIFY_WITH_TIMEOUT(patients->staleText().isEmpty(), Patience);
        QStringList tooMany;
        for (int i = 0; i < 150; ++i)
            tooMany.append(u"feature-%1"_s.arg(i));
        window->session()->channel()->setSubscription(tooMany);
        QTRY_COMPARE_WITH_TIMEOUT(window->toasts()->texts().size(), 1, Patience);
        const QString text = window->toasts()->texts().constFirst();
        QVERIFY2(text.contains(u"refused to send changes"_s), qPrintable(text));
        QVERIFY2(text.contains(u"100"_s), qPrintable(text)); // the server's reason, its limit
        QTRY_VERIFY_WITH_TIMEOUT(!patients->staleText().isEmpty(), Patience);
        QVERIFY2(patients->staleText().contains(u"100"_s), qPrintable(patients->staleText()));
    }

    // Filters go to the server: the list is what the server's filtered list is, a bad value
    // is refused with a reason and changes nothing, and clearing brings every row back.
    void filtersNarrowTheListOnTheServer()
    {
        auto window = openWindow();
        QVERIFY(window);
        ResourceListView *patients = window->listView(u"patients"_s);
        const int all = patients->model()->rowCount();
        RestQuery icu;
        icu.filters = {{u"ward"_s, u"ICU"_s}};
        const test::RestOutcome expected = test::await(m_doctor.list(Patients, icu));
        QVERIFY(expected.ok);
        const int icuCount = expected.pagination.value(u"total").toInt();
        QVERIFY(icuCount > 0 && icuCount < all);

        // Through the filter bar, as a user does it.
        patients->filterButton()->click();
        auto *field = patients->findChild<QComboBox *>();
        QVERIFY(field && field->isVisible());
        field->setCurrentIndex(field->findData(u"ward"_s));
        auto *value = patients->findChildren<QComboBox *>().at(2);
        value->setEditText(u"ICU"_s);
        QTest::keyClick(value, Qt::Key_Return);
        QCOMPARE(patients->filterTexts(), QStringList{u"Ward is ICU"_s});
        QTRY_COMPARE_WITH_TIMEOUT(patients->model()->rowCount(), icuCount, Patience);
        // The same list in the other mode: the filter stays.
        window->setMode(u"patients"_s, Manager::Mode::Live);
        QCOMPARE(patients->filterTexts(), QStringList{u"Ward is ICU"_s});
        QTRY_VERIFY_WITH_TIMEOUT(!patients->manager()->isLoading()
                                     && patients->manager()->lastSyncAt().isValid(),
                                 Patience);
        QCOMPARE(patients->model()->rowCount(), icuCount);
        window->setMode(u"patients"_s, Manager::Mode::His);
        QTRY_VERIFY_WITH_TIMEOUT(!patients->manager()->isLoading()
                                     && patients->manager()->lastSyncAt().isValid(),
                                 Patience);
        QCOMPARE(patients->model()->rowCount(), icuCount);
        // One's own change that takes the current record out of the filter is no news.
        window->toasts()->setDurationScale(100);
        const QString moved
            = patients->model()->index(0, 0).data(RealtimeTableModel::RecordIdRole).toString();
        QVERIFY(patients->showRecord(moved));
        QSignalSpy othersRemoved(patients, &ResourceListView::othersRemoved);
        patients->manager()->updateRecord(moved, {{u"ward"_s, u"Surgery"_s}});
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(patients, moved), -1, Patience);
        QCOMPARE(patients->model()->rowCount(), icuCount - 1);
        QCOMPARE(othersRemoved.size(), 0); // the view knows its own write
        QTest::qWait(200);
        QVERIFY2(window->toasts()->texts().isEmpty(),
                 qPrintable(window->toasts()->texts().join(u'|')));
        QVERIFY(test::await(m_doctor.update(Patients, moved, {{u"ward"_s, u"ICU"_s}})).ok);
        QTRY_COMPARE_WITH_TIMEOUT(patients->model()->rowCount(), icuCount, Patience);
        for (int r = 0; r < patients->model()->rowCount(); ++r)
            QCOMPARE(
                patients->model()->index(r, patients->model()->columnOf(u"ward")).data().toString(),
                u"ICU"_s);

        QString error;
        QVERIFY(!patients->addFilter(u"date_of_birth"_s, ResourceListView::FilterOp::AtLeast,
                                     u"31/01/1990"_s, &error));
        QVERIFY2(error.contains(u"year-month-day"_s), qPrintable(error));
        QVERIFY(!patients->addFilter(u"sex"_s, ResourceListView::FilterOp::Equals, u"x"_s, &error));
        QVERIFY2(error.contains(u"female"_s), qPrintable(error)); // says what is allowed
        // The server compares only numbers and dates with _min / _max: text is refused here,
        // before a query the server would answer with an error.
        QVERIFY(
            !patients->addFilter(u"name"_s, ResourceListView::FilterOp::AtLeast, u"M"_s, &error));
        QVERIFY2(error.contains(u"equality"_s), qPrintable(error));
        QCOMPARE(patients->filters().size(), 1);

        QVERIFY(patients->addFilter(u"date_of_birth"_s, ResourceListView::FilterOp::AtLeast,
                                    u"1990-01-01"_s));
        icu.filters.append({u"date_of_birth_min"_s, u"1990-01-01"_s});
        const test::RestOutcome narrower = test::await(m_doctor.list(Patients, icu));
        QTRY_COMPARE_WITH_TIMEOUT(patients->model()->rowCount(),
                                  narrower.pagination.value(u"total").toInt(), Patience);
        QCOMPARE(patients->filterTexts().size(), 2);
        screenshot(window.get(), u"mainwindow-filters"_s);

        patients->clearFilters();
        QTRY_COMPARE_WITH_TIMEOUT(patients->model()->rowCount(), all, Patience);
        QVERIFY(patients->filterTexts().isEmpty());
    }

    // A mode switch replaces the list's manager, but to the person it is the same list: the
    // selection, the current record, the scroll position, the column widths, the sort, the
    // search and the filters all survive, in both directions.
    void modeSwitchKeepsThePlace()
    {
        auto window = openWindow();
        QVERIFY(window);
        ResourceListView *patients = window->listView(u"patients"_s);
        QTableView *table = patients->tableView();
        RealtimeTableModel *model = patients->model();
        const auto settled = [patients] {
            return !patients->manager()->isLoading() && patients->manager()->lastSyncAt().isValid();
        };

        // A list of the person's making: sorted by name, searched, filtered.
        QVERIFY(
            patients->addFilter(u"status"_s, ResourceListView::FilterOp::Equals, u"admitted"_s));
        QTest::keyClicks(patients->searchEdit(), u"a"_s);
        QTest::keyClick(patients->searchEdit(), Qt::Key_Return);
        table->horizontalHeader()->setSortIndicator(model->columnOf(u"name"), Qt::DescendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(patients->manager()->query().search == u"a"_s
                                     && !patients->manager()->query().sort.isEmpty()
                                     && patients->manager()->query().sort.first().first == u"name"_s
                                     && settled(),
                                 Patience);
        const RestQuery query = patients->manager()->query();
        QVERIFY2(model->rowCount() > 60, qPrintable(QString::number(model->rowCount())));

        // A place in it: two rows selected, the keyboard on one of them, scrolled down, a
        // column made wider by hand.
        const auto idAt = [model](int row) {
            return model->index(row, 0).data(RealtimeTableModel::RecordIdRole).toString();
        };
        const QString current = idAt(41);
        const QStringList selected{idAt(40), idAt(41)};
        table->selectionModel()->select(
            QItemSelection(model->index(40, 0), model->index(41, model->columnCount() - 1)),
            QItemSelectionModel::ClearAndSelect);
        table->selectionModel()->setCurrentIndex(model->index(41, 0),
                                                 QItemSelectionModel::NoUpdate);
        table->verticalScrollBar()->setValue(30);
        QHeaderView *header = table->horizontalHeader();
        header->resizeSection(model->columnOf(u"name"), 321);
        header->resizeSection(model->columnOf(u"hn"), 77);
        QList<int> widths;
        for (int c = 0; c < model->columnCount(); ++c)
            widths.append(header->sectionSize(c));
        const int scrolled = table->verticalScrollBar()->value();
        QVERIFY(scrolled > 0);
        QCOMPARE(patients->selectedIds(), selected);
        QCOMPARE(patients->currentId(), current);

        for (const Manager::Mode mode : {Manager::Mode::Live, Manager::Mode::His}) {
            QVERIFY(patients->manager()->mode() != mode);
            window->setMode(u"patients"_s, mode);
            QVERIFY(patients->manager()->mode() == mode);
            // The widths come back with the columns, before any row is read.
            for (int c = 0; c < model->columnCount() - 1; ++c)
                QCOMPARE(header->sectionSize(c), widths.at(c));
            QTRY_VERIFY_WITH_TIMEOUT(settled(), Patience);
            QTRY_COMPARE_WITH_TIMEOUT(patients->currentId(), current, Patience);
            QCOMPARE(patients->selectedIds(), selected);
            QVERIFY2(std::abs(table->verticalScrollBar()->value() - scrolled) <= 1,
                     qPrintable(u"scrolled to %1, was %2"_s.arg(table->verticalScrollBar()->value())
                                    .arg(scrolled)));
            QList<int> now;
            for (int c = 0; c < model->columnCount(); ++c)
                now.append(header->sectionSize(c));
            QCOMPARE(now, widths);
            QCOMPARE(patients->manager()->query().sort, query.sort);
            QCOMPARE(patients->manager()->query().search, query.search);
            QCOMPARE(patients->manager()->query().filters, query.filters);
            QCOMPARE(patients->searchEdit()->text(), u"a"_s);
            QCOMPARE(patients->filterTexts(), QStringList{u"Status is admitted"_s});
            QCOMPARE(header->sortIndicatorSection(), model->columnOf(u"name"));
            QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
        }
    }

    // The session refreshes its token before it expires, and the socket presents the new one:
    // a reconnect after a quiet spell must not be refused.
    void tokenIsRefreshedBeforeItExpires()
    {
        m_server.reset();
        m_options.accessTokenSeconds = 6;
        QVERIFY(startServer());
        auto window = openWindow();
        QVERIFY(window);
        ApiClient *api = window->session()->api();
        const QString first = api->accessToken();
        QSignalSpy refreshed(api, &ApiClient::tokensChanged);
        QVERIFY(refreshed.wait(15000)); // at four fifths of 6 s, without any request
        QVERIFY(api->accessToken() != first);
        QCOMPARE(window->session()->socket()->options().auth.value(u"token"_s).toString(),
                 api->accessToken());
        // Past the first token's expiry: the server restarts, the socket reconnects with the
        // current token and a change made then arrives.
        QTest::qWait(2000);
        m_server.reset();
        QVERIFY(startServer());
        ResourceListView *patients = window->listView(u"patients"_s);
        QTRY_VERIFY_WITH_TIMEOUT(patients->manager()->isConnected(), Patience);
        const QString id
            = patients->model()->index(0, 0).data(RealtimeTableModel::RecordIdRole).toString();
        QVERIFY(test::await(m_doctor.login(u"doctor@demo.local"_s, u"doctor"_s)).ok);
        QVERIFY(test::await(m_doctor.update(Patients, id, {{u"name"_s, u"After Refresh"_s}})).ok);
        QTRY_COMPARE_WITH_TIMEOUT(valueAt(patients, id, u"name"_s), u"After Refresh"_s, Patience);
    }

    // An import that was running when the window went (closed, reconnected, restarted) is
    // picked up again on the same server, and its end is told in a toast.
    void runningImportIsPickedUpAgain()
    {
        QByteArray csv = "hn,name,sex,ward\n";
        for (int i = 0; i < 4000; ++i)
            csv += "RESUME-" + QByteArray::number(i) + ",Resumed Patient,female,ICU\n";
        const test::RestOutcome validated
            = test::await(m_doctor.importValidate(Patients, csv, u"resume.csv"_s));
        QVERIFY(validated.ok);
        const test::RestOutcome executed = test::await(m_doctor.importExecute(
            Patients, validated.object().value(u"sessionId").toString(), true));
        QVERIFY(executed.ok);
        const QString jobId = executed.object().value(u"jobId").toString();
        QVERIFY(!jobId.isEmpty());
        {
            QSettings settings;
            // Which server and which user: another user's import is not theirs to follow.
            settings.setValue(u"import/server"_s,
                              QString(m_server->baseUrl().toString() + u" · nurse@demo.local"_s));
            settings.setValue(u"import/resource"_s, u"patients"_s);
            settings.setValue(u"import/job"_s, jobId);
        }
        auto window = openWindow();
        QVERIFY(window);
        window->toasts()->setDurationScale(100);
        QTRY_VERIFY_WITH_TIMEOUT(window->importWizard(), Patience);
        QTRY_VERIFY_WITH_TIMEOUT(window->toasts()->texts().filter(u"finished"_s).size() == 1,
                                 Patience);
        const QString done = window->toasts()->texts().filter(u"finished"_s).constFirst();
        QVERIFY2(done.contains(u"4,000 imported"_s), qPrintable(done));
        QVERIFY(!QSettings().contains(u"import/job"_s)); // forgotten once ended
        QVERIFY(window->toasts()->triggerAction(done));
        QVERIFY(window->importWizard()->isVisible());
        QCOMPARE(window->importWizard()->currentId(), int(ImportWizard::SummaryPageId));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
