// SPDX-License-Identifier: MIT
// The workstation offers only what the signed-in user's role may do, and says why the rest is
// not offered: the demo auditor against the embedded server, in-process.
#include "importfilepage.h"
#include "importwizard.h"
#include "livedeskserver.h"
#include "mainwindow.h"
#include "realtimetablemodel.h"
#include "recorddialog.h"
#include "resourcelistview.h"
#include "signedinwindow.h"
#include "state/realtimestatemanager.h"

#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;
using namespace livedesk;

namespace {
constexpr int Patience = 20000;
} // namespace

class TestRoleUi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;

    static QPushButton *saveButton(RecordDialog *dialog)
    {
        for (QPushButton *b : dialog->findChildren<QPushButton *>()) {
            if (b->text() == u"&Save")
                return b;
        }
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }

    // The auditor may only read: New, Edit and Delete are disabled on every list, each saying
    // why; a record opens to be read, with Save disabled for the same reason.
    void auditorIsOfferedNoWrites()
    {
        auto window = test::signedInWindow(m_server->baseUrl(), u"auditor@demo.local"_s,
                                           u"auditor"_s, Patience);
        QVERIFY(window);
        ResourceListView *patients = window->listView(u"patients"_s);
        QVERIFY(patients->model()->rowCount() > 0);
        patients->tableView()->selectRow(0);
        QVERIFY(!patients->selectedIds().isEmpty());
        const QString why = u"Your role (auditor) may only read patients."_s;
        for (QPushButton *b :
             {patients->newButton(), patients->editButton(), patients->deleteButton()}) {
            QVERIFY2(!b->isEnabled(), qPrintable(b->text()));
            QCOMPARE(b->toolTip(), why);
        }
        QVERIFY(!patients->deleteSelected());
        QCOMPARE(window->listView(u"lab_orders"_s)->newButton()->toolTip(),
                 u"Your role (auditor) may only read lab orders."_s);

        const QString id = patients->selectedIds().constFirst();
        auto *dialog = qobject_cast<RecordDialog *>(window->openRecord(u"patients"_s, id));
        QVERIFY(dialog);
        QCOMPARE(dialog->saveRefusal(), why);
        QPushButton *save = saveButton(dialog);
        QVERIFY(save);
        QVERIFY(!save->isEnabled());
        QCOMPARE(save->toolTip(), why);
        // Nothing in the form invites typing.
        auto *name = qobject_cast<QLineEdit *>(dialog->editorFor(u"name"_s));
        QVERIFY(name);
        QVERIFY(name->isReadOnly());
        QVERIFY(!qobject_cast<QComboBox *>(dialog->editorFor(u"sex"_s)));
        dialog->close();

        // An import creates records: the wizard says so and goes no further.
        window->openImport();
        ImportWizard *wizard = window->importWizard();
        QVERIFY(wizard);
        auto *page = qobject_cast<ImportFilePage *>(wizard->page(ImportWizard::FilePageId));
        QVERIFY(page);
        QVERIFY(page->selectResource(u"patients"_s));
        page->setFilePath(QCoreApplication::applicationFilePath());
        QVERIFY(!page->isComplete());
        QCOMPARE(page->findChild<QComboBox *>()->toolTip(), why);
        wizard->hide();
    }

    // The nurse's buttons are not held back by a role (the connection decides alone).
    void nurseIsOfferedWrites()
    {
        auto window = test::signedInWindow(m_server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s,
                                           Patience);
        QVERIFY(window);
        ResourceListView *patients = window->listView(u"patients"_s);
        patients->tableView()->selectRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(patients->deleteButton()->isEnabled(), Patience);
        QVERIFY(patients->newButton()->isEnabled());
        QVERIFY(patients->editButton()->isEnabled());
        QVERIFY(patients->newButton()->toolTip().isEmpty());
        auto *dialog = qobject_cast<RecordDialog *>(
            window->openRecord(u"patients"_s, patients->selectedIds().constFirst()));
        QVERIFY(dialog);
        auto *name = qobject_cast<QLineEdit *>(dialog->editorFor(u"name"_s));
        QVERIFY(name);
        QVERIFY(!name->isReadOnly());
        QVERIFY(qobject_cast<QComboBox *>(dialog->editorFor(u"sex"_s)));
        dialog->close();
    }
};

QTEST_MAIN(TestRoleUi)
#include "tst_roleui.moc"
