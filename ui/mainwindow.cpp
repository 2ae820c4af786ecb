// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "conflictdialog.h"
#include "connectdialog.h"
#include "connectionindicator.h"
#include "csvtext.h"
#include "importwizard.h"
#include "realtimetablemodel.h"
#include "recorddialog.h"
#include "resourcelistview.h"
#include "session.h"

#include <QtCore/QSaveFile>
#include <QtCore/QSettings>
#include <QtGui/QActionGroup>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;

namespace livedesk {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_identity(new QLabel(this))
{
    setCentralWidget(m_tabs);
    m_tabs->setDocumentMode(true);
    m_tabs->setAccessibleName(tr("Lists"));
    statusBar()->addPermanentWidget(m_identity);
    m_identity->setAccessibleName(tr("Server and user"));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectAction = file->addAction(tr("&Connect…"), this, &MainWindow::askToConnect);
    connectAction->setShortcut(QKeySequence(u"Ctrl+Shift+C"_s));
    m_importAction = file->addAction(tr("&Import…"), this, &MainWindow::openImport);
    m_importAction->setShortcut(QKeySequence(u"Ctrl+I"_s));
    m_importAction->setEnabled(false);
    m_export = file->addAction(tr("&Export CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), QString(),
                                                          tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            QMessageBox::warning(this, tr("Export CSV"), error);
    });
    m_export->setShortcut(QKeySequence(u"Ctrl+E"_s));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *mode = menuBar()->addMenu(tr("&Mode"));
    m_modes = new QActionGroup(this);
    m_his = mode->addAction(tr("&HIS: show only what the server confirmed"));
    m_live = mode->addAction(tr("&Live: show changes at once"));
    for (QAction *a : {m_his, m_live}) {
        a->setCheckable(true);
        m_modes->addAction(a);
    }
    m_his->setShortcut(QKeySequence(u"Ctrl+Shift+H"_s));
    m_live->setShortcut(QKeySequence(u"Ctrl+Shift+L"_s));
    connect(m_modes, &QActionGroup::triggered, this, [this](QAction *a) {
        if (ResourceListView *view = currentListView())
            setMode(view->objectName(),
                    a == m_live ? RealtimeStateManager::Mode::Live
                                : RealtimeStateManager::Mode::His);
    });
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About livedesk"), this, &MainWindow::about);

    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateModeActions);
    updateModeActions();
    updateTitle();
    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    m_lastEmail = settings.value(u"server/email"_s).toString();
    if (!settings.contains(u"window/geometry"_s))
        resize(1100, 700);
}

MainWindow::~MainWindow()
{
    clearLists();
    // The wizard and the dialogs use the session's clients: they go before it does.
    delete m_import;
    qDeleteAll(findChildren<QDialog *>(Qt::FindDirectChildrenOnly));
}

void MainWindow::connectTo(const QUrl &url, const QString &socketPath, const QString &email,
                           const QString &password)
{
    startSession(url, socketPath);
    m_lastEmail = email;
    m_session->signIn(email, password);
}

void MainWindow::connectWithToken(const QUrl &url, const QString &socketPath, const QString &token)
{
    startSession(url, socketPath);
    m_session->useToken(token);
}

void MainWindow::setSchemaSource(const QString &schemaFile, const QStringList &resources)
{
    m_schemaFile = schemaFile;
    m_fallbackResources = resources;
}

void MainWindow::setServerDescription(const QString &description)
{
    m_serverDescription = description;
    updateTitle();
}

void MainWindow::startSession(const QUrl &url, const QString &socketPath)
{
    clearLists();
    if (m_indicator) {
        statusBar()->removeWidget(m_indicator);
        delete m_indicator;
        m_indicator = nullptr;
    }
    delete m_import; // it works on the old session's client
    m_session = std::make_unique<Session>();
    m_session->setServer(url, socketPath);
    m_session->setSchemaFile(m_schemaFile);
    m_session->setFallbackResources(m_fallbackResources);
    m_indicator = new ConnectionIndicator(m_session->socket(), this);
    statusBar()->addWidget(m_indicator, 1);
    connect(m_session.get(), &Session::signedIn, this, [this] {
        QSettings settings;
        settings.setValue(u"server/url"_s, m_session->url().toString());
        settings.setValue(u"server/path"_s, m_session->socket()->options().path);
        if (!m_lastEmail.isEmpty())
            settings.setValue(u"server/email"_s, m_lastEmail);
        buildLists();
        updateTitle();
        Q_EMIT ready();
    });
    connect(m_session.get(), &Session::failed, this, [this](const QString &message) {
        statusBar()->showMessage(message);
        updateTitle();
        Q_EMIT connectionFailed(message);
    });
    updateTitle();
}

void MainWindow::buildLists()
{
    clearLists();
    QSettings settings;
    for (const ResourceSchema &resource : m_session->resources()) {
        auto *view = new ResourceListView(m_tabs);
        view->setObjectName(resource.name);
        const bool live = settings.value(u"modes/"_s + resource.name).toString() == u"live";
        view->setManager(m_session->manager(resource.name,
                                            live ? RealtimeStateManager::Mode::Live
                                                 : RealtimeStateManager::Mode::His));
        view->restoreHeaderState(settings.value(u"headers/"_s + resource.name).toByteArray());
        const QString name = resource.name;
        connect(view, &ResourceListView::createRequested, this,
                [this, name] { openRecord(name, {}); });
        connect(view, &ResourceListView::editRequested, this,
                [this, name](const QString &id) { openRecord(name, id); });
        connect(view, &ResourceListView::conflictsRequested, this,
                [this, name] { resolveConflicts(name); });
        m_tabs->addTab(view, resource.label.isEmpty() ? resource.name : resource.label);
    }
    updateModeActions();
}

void MainWindow::saveLists()
{
    QSettings settings;
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *view = qobject_cast<ResourceListView *>(m_tabs->widget(i));
        if (view && view->model()->columnCount() > 0)
            settings.setValue(u"headers/"_s + view->objectName(),
                              view->tableView()->horizontalHeader()->saveState());
    }
}

void MainWindow::clearLists()
{
    saveLists();
    while (m_tabs->count() > 0) {
        QWidget *w = m_tabs->widget(0);
        m_tabs->removeTab(0);
        if (auto *view = qobject_cast<ResourceListView *>(w))
            view->setManager(nullptr);
        delete w;
    }
}

ResourceListView *MainWindow::listView(const QString &resource) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->widget(i)->objectName() == resource)
            return qobject_cast<ResourceListView *>(m_tabs->widget(i));
    }
    return nullptr;
}

ResourceListView *MainWindow::currentListView() const
{
    return qobject_cast<ResourceListView *>(m_tabs->currentWidget());
}

void MainWindow::showResource(const QString &resource)
{
    if (ResourceListView *view = listView(resource))
        m_tabs->setCurrentWidget(view);
}

void MainWindow::setMode(const QString &resource, RealtimeStateManager::Mode mode)
{
    ResourceListView *view = listView(resource);
    if (!view || !m_session)
        return;
    if (view->manager() && view->manager()->mode() == mode)
        return;
    // The old manager goes when the session makes the new one: let go of it first.
    view->setManager(nullptr);
    view->setManager(m_session->manager(resource, mode));
    QSettings().setValue(u"modes/"_s + resource,
                         mode == RealtimeStateManager::Mode::Live ? u"live"_s : u"his"_s);
    updateModeActions();
}

void MainWindow::updateModeActions()
{
    ResourceListView *view = currentListView();
    const bool has = view && view->manager();
    m_his->setEnabled(has);
    m_live->setEnabled(has);
    m_export->setEnabled(has);
    m_importAction->setEnabled(has);
    if (has) {
        const bool live = view->manager()->mode() == RealtimeStateManager::Mode::Live;
        (live ? m_live : m_his)->setChecked(true);
    }
}

void MainWindow::updateTitle()
{
    QString server = m_serverDescription;
    if (m_session && server.isEmpty())
        server = m_session->url().toString();
    if (!m_session) {
        setWindowTitle(tr("livedesk — not connected"));
        m_identity->setText(tr("Not connected"));
        return;
    }
    const QString user = m_session->isSignedIn() ? m_session->userName() : tr("signing in…");
    setWindowTitle(tr("livedesk — %1 — %2").arg(server, user));
    m_identity->setText(tr("%1 · %2").arg(m_session->url().toString(), user));
}

QString MainWindow::identityText() const
{
    return m_identity->text();
}

bool MainWindow::exportCsv(const QString &path, QString *error) const
{
    ResourceListView *view = currentListView();
    if (!view || !view->manager()) {
        if (error)
            *error = tr("There is no list to export.");
        return false;
    }
    const QAbstractItemModel *model = view->model();
    const QHeaderView *header = view->tableView()->horizontalHeader();
    QList<int> columns;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical))
            columns.append(logical);
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    QStringList cells;
    for (const int c : std::as_const(columns))
        cells.append(model->headerData(c, Qt::Horizontal).toString());
    QString out = CsvText::line(cells);
    for (int row = 0; row < model->rowCount(); ++row) {
        cells.clear();
        for (const int c : std::as_const(columns))
            cells.append(model->index(row, c).data().toString());
        out += CsvText::line(cells);
    }
    file.write(CsvText::file(out));
    if (!file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void MainWindow::askToConnect()
{
    ConnectDialog dialog(this);
    QSettings settings;
    dialog.setUrl(settings.value(u"server/url"_s).toString());
    dialog.setPath(settings.value(u"server/path"_s, u"/api/ws/"_s).toString());
    dialog.setEmail(m_lastEmail);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_serverDescription.clear();
    connectTo(QUrl(dialog.url()), dialog.path(), dialog.email(), dialog.password());
}

QDialog *MainWindow::openRecord(const QString &resource, const QString &id)
{
    ResourceListView *view = listView(resource);
    if (!view || !view->manager())
        return nullptr;
    auto *dialog = new RecordDialog(view->manager(), id, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // A mode switch deletes the manager the dialog works on.
    connect(m_session.get(), &Session::managerAboutToBeReplaced, dialog,
            [dialog, resource](const QString &name) {
                if (name == resource)
                    dialog->close();
            });
    dialog->show();
    return dialog;
}

QDialog *MainWindow::resolveConflicts(const QString &resource)
{
    ResourceListView *view = listView(resource);
    if (!view || !view->manager() || view->manager()->conflicts().isEmpty())
        return nullptr;
    auto *dialog = new ConflictDialog(view->manager(),
                                      view->manager()->conflicts().constFirst().txnId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_session.get(), &Session::managerAboutToBeReplaced, dialog,
            [dialog, resource](const QString &name) {
                if (name == resource)
                    dialog->close();
            });
    dialog->show();
    return dialog;
}

ImportWizard *MainWindow::importWizard() const
{
    return m_import;
}

void MainWindow::openImport()
{
    if (!m_session || !m_session->isSignedIn())
        return;
    if (!m_import) {
        m_import = new ImportWizard(m_session->api(), m_session->channel(), m_session->resources(),
                                    this);
        connect(m_import, &ImportWizard::importFinished, this,
                [this](const QString &resource, const QString &, ImportJob::Status) {
                    if (ResourceListView *view = listView(resource); view && view->manager())
                        view->manager()->reload();
                });
    }
    if (!m_import->isImportRunning()) {
        if (ResourceListView *view = currentListView())
            m_import->selectResource(view->objectName());
    }
    m_import->show();
    m_import->raise();
}

void MainWindow::about()
{
    QMessageBox::about(
        this, tr("About livedesk"),
        tr("<p><b>livedesk</b> %1</p><p>A real-time desktop client for clinical and "
           "enterprise systems with a REST API and a Socket.IO change channel.</p><p>In HIS "
           "mode a list shows only what the server confirmed and says plainly when it may be "
           "out of date; in live mode changes show at once and are confirmed or rolled "
           "back.</p>")
            .arg(QApplication::applicationVersion()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    saveLists();
    QMainWindow::closeEvent(event);
}

} // namespace livedesk
