// SPDX-License-Identifier: MIT
// Keyboard and assistive-technology access across the workstation, against the embedded
// server in-process: every control a person can reach has a name a screen reader can say,
// every menu and menu entry can be reached from the keyboard, and Tab walks through a
// dialog's fields in reading order.
#include "connectdialog.h"
#include "importwizard.h"
#include "livedeskserver.h"
#include "mainwindow.h"
#include "realtimetablemodel.h"
#include "recorddialog.h"
#include "resourcelistview.h"
#include "rest/apiclient.h"
#include "restoutcome.h"
#include "signedinwindow.h"

#include <QtCore/QDir>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAccessible>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk;

namespace {

constexpr int Patience = 20000;

// The widgets of @p root a person can reach with Tab (or the mouse) that have no name an
// assistive technology can announce, as "Class objectName" lines.
QStringList unnamedControls(QWidget *root)
{
    QStringList unnamed;
    const auto widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(root) || !(w->focusPolicy() & Qt::TabFocus))
            continue;
        if (w->inherits("QScrollBar") || w->inherits("QTabBar") || w->inherits("QHeaderView"))
            continue;
        // The line edit inside a combo box or spin box is named through its owner.
        if (w->parentWidget()
            && (w->parentWidget()->inherits("QComboBox")
                || w->parentWidget()->inherits("QAbstractSpinBox")))
            continue;
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
        const QString name = iface ? iface->text(QAccessible::Name).trimmed() : QString();
        if (name.isEmpty())
            unnamed.append(QString::fromLatin1(w->metaObject()->className()) + u' '
                           + w->objectName());
    }
    return unnamed;
}

} // namespace

class TestAccessibility : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<server::LivedeskServer> m_server;

    std::unique_ptr<MainWindow> openWindow()
    {
        return test::signedInWindow(m_server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s,
                                    Patience);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        server::LivedeskServer::Options options;
        options.databasePath = m_dir.filePath(u"server.sqlite"_s);
        m_server = std::make_unique<server::LivedeskServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        m_server.reset();
        QSettings().clear();
    }

    void everyControlOfTheWindowHasAName()
    {
        auto window = openWindow();
        QVERIFY(window);
        for (const QString &name : {u"patients"_s, u"admissions"_s, u"lab_orders"_s}) {
            window->showResource(name);
            window->listView(name)->filterButton()->setChecked(true); // the filter bar too
            QTRY_VERIFY(window->listView(name)->tableView()->isVisible());
            const QStringList unnamed = unnamedControls(window.get());
            QVERIFY2(unnamed.isEmpty(), qPrintable(name + u": "_s + unnamed.join(u", "_s)));
        }
        QDir().mkpath(QStringLiteral(LIVEDESK_SCREENSHOT_DIR));
        window->grab().save(QStringLiteral(LIVEDESK_SCREENSHOT_DIR)
                            + u"/accessibility-filters.png"_s);
    }

    // Alt+letter opens every menu; every entry has a mnemonic or a shortcut of its own.
    void everyMenuEntryHasAKey()
    {
        auto window = openWindow();
        QVERIFY(window);
        const auto menus = window->menuBar()->actions();
        QVERIFY(menus.size() >= 4);
        QStringList missing;
        for (QAction *menuAction : menus) {
            if (!menuAction->text().contains(u'&'))
                missing.append(menuAction->text());
            QMenu *menu = menuAction->menu();
            QVERIFY(menu);
            const auto entries = menu->actions();
            for (QAction *a : entries) {
                if (!a->isSeparator() && !a->text().contains(u'&') && a->shortcut().isEmpty())
                    missing.append(menuAction->text() + u" > "_s + a->text());
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u", "_s)));
    }

    void everyControlOfTheDialogsHasAName()
    {
        auto window = openWindow();
        QVERIFY(window);
        ResourceListView *patients = window->listView(u"patients"_s);
        const QString id
            = patients->model()->index(0, 0).data(RealtimeTableModel::RecordIdRole).toString();
        for (const QString &record : {QString(), id}) {
            QDialog *dialog = window->openRecord(u"patients"_s, record);
            QVERIFY(dialog);
            QTRY_VERIFY(dialog->isVisible());
            const QStringList unnamed = unnamedControls(dialog);
            QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", "_s)));
            dialog->close();
        }

        ConnectDialog connect(window.get());
        connect.show();
        QVERIFY2(unnamedControls(&connect).isEmpty(),
                 qPrintable(unnamedControls(&connect).join(u", "_s)));

        window->openImport();
        ImportWizard *wizard = window->importWizard();
        QVERIFY(wizard && wizard->isVisible());
        QVERIFY2(unnamedControls(wizard).isEmpty(),
                 qPrintable(unnamedControls(wizard).join(u", "_s)));
        wizard->close();
    }

    // Tab goes through the record form's fields in the order they are shown.
    void tabWalksTheFormInOrder()
    {
        auto window = openWindow();
        QVERIFY(window);
        auto *dialog = qobject_cast<RecordDialog *>(window->openRecord(u"patients"_s, {}));
        QVERIFY(dialog);
        QApplication::setActiveWindow(dialog);
        QVERIFY(QTest::qWaitForWindowActive(dialog));
        QWidget *first = dialog->editorFor(u"hn"_s);
        QVERIFY(first);
        first->setFocus(Qt::TabFocusReason);
        QTRY_COMPARE(QApplication::focusWidget(), first);
        for (const QString &field : {u"name"_s, u"date_of_birth"_s}) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            QWidget *editor = dialog->editorFor(field);
            QWidget *focused = QApplication::focusWidget();
            QVERIFY2(focused == editor || (editor && editor->isAncestorOf(focused)),
                     qPrintable(field + u": focus on "_s
                                + (focused ? QString::fromLatin1(focused->metaObject()->className())
                                           + u' ' + focused->objectName() + u' '
                                           + focused->accessibleName()
                                           : u"nothing"_s)));
        }
        dialog->close();
    }
};

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
