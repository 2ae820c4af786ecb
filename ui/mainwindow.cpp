// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "activitymodel.h"
#include "activitypanel.h"
#include "conflictdialog.h"
#include "connectdialog.h"
#include "connectionindicator.h"
#include "csvtext.h"
#include "importwizard.h"
#include "people.h"
#include "realtimetablemodel.h"
#include "recorddialog.h"
#include "resourcelistview.h"
#include "state/session.h"
#include "toastarea.h"

#include <QtCore/QLocale>
#include <QtCore/QSaveFile>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>
#include <QtGui/QActionGroup>
#include <QtGui/QCloseEvent>
#include <QtGui/QIcon>
#include <QtWidgets/QApplication>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>

using namespace Qt::StringLiterals;

namespace livedesk {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_identity(new QLabel(this))
    , m_toasts(new ToastArea(m_tabs))
    , m_activity(new ActivityPanel(this))
{
    setWindowIcon(QIcon(u":/icons/livedesk.svg"_s));
    setCentralWidget(m_tabs);
    addDockWidget(Qt::BottomDockWidgetArea, m_activity);
    connect(m_toasts, &ToastArea::toastShown, this,
            [this](ToastArea::Level level, const QString &text) {
                m_activity->addNotice(text, level != ToastArea::Level::Info);
            });
    m_tabs->setDocumentMode(true);
    m_tabs->setAccessibleName(tr("Lists"));
    statusBar()->addPermanentWidget(m_identity);
    m_identity->setAccessibleName(tr("Server and user"));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectAction = file->addAction(tr("&Connect…"), this, &MainWindow::askToConnect);
    connectAction->setShortcut(QKeySequence(u"Ctrl+Shift+C"_s));
    connectAction->setIcon(QIcon(u":/icons/connect.svg"_s));
    m_importAction = file->addAction(tr("&Import…"), this, &MainWindow::openImport);
    m_importAction->setShortcut(QKeySequence(u"Ctrl+I"_s));
    m_importAction->setIcon(QIcon(u":/icons/import.svg"_s));
    m_importAction->setEnabled(false);
    m_export = file->addAction(tr("&Export CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), QString(),
                                                          tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            QMessageBox::warning(this, tr("Export CSV"), error);
    });
    m_export->setShortcut(QKeySequence(u"Ctrl+E"_s));
    m_export->setIcon(QIcon(u":/icons/export.svg"_s));
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
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *activity = m_activity->toggleViewAction();
    activity->setText(tr("&Activity"));
    activity->setShortcut(QKeySequence(u"Ctrl+Shift+A"_s));
    activity->setIcon(QIcon(u":/icons/activity.svg"_s));
    view->addAction(activity);
    QAction *filters = view->addAction(tr("&Filters"), this, [this] {
        if (ResourceListView *list = currentListView())
            list->filterButton()->toggle();
    });
    filters->setShortcut(QKeySequence(u"Ctrl+Shift+F"_s));
    filters->setIcon(QIcon(u":/icons/filter.svg"_s));
    QAction *search = view->addAction(tr("&Search"), this, [this] {
        if (ResourceListView *list = currentListView())
            list->searchEdit()->setFocus(Qt::ShortcutFocusReason);
    });
    search->setShortcut(QKeySequence::Find);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About livedesk"), this, &MainWindow::about);

    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateModeActions);
    updateModeActions();
    updateTitle();
    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    if (!restoreState(settings.value(u"window/state"_s).toByteArray())) {
        // A strip of a few lines under the lists, once the window has its size.
        QTimer::singleShot(0, this, [this] {
            resizeDocks({m_activity}, {m_activity->sizeHint().height()}, Qt::Vertical);
        });
    }
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
    m_lastEmail = email;
    beginSession(url, socketPath)->signIn(email, password);
}

void MainWindow::connectWithToken(const QUrl &url, const QString &socketPath, const QString &token,
                                  const QString &refreshToken)
{
    beginSession(url, socketPath)->useToken(token, refreshToken);
}

Session *MainWindow::beginSession(const QUrl &url, const QString &socketPath)
{
    // The session in use stays until the new one has signed in: a wrong password must not
    // leave the window empty.
    if (m_signingIn)
        m_signingIn.release()->deleteLater();
    m_signingIn = std::make_unique<Session>();
    Session *session = m_signingIn.get();
    session->setServer(url, socketPath);
    session->setSchemaFile(m_schemaFile);
    session->setFallbackResources(m_fallbackResources);
    session->setQueueRoot(m_queueRoot.isEmpty()
                              ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                  + u"/queues"_s
                              : m_queueRoot,
                          m_serverDescription.isEmpty() ? url.toString() : m_serverDescription);
    connect(session, &Session::signedIn, this, [this, session] {
        if (m_signingIn.get() == session)
            startSession(std::exchange(m_signingIn, {}));
    });
    connect(session, &Session::failed, this, [this, session](const QString &message) {
        if (m_signingIn.get() == session)
            signInFailed(message);
    });
    updateTitle();
    return session;
}

void MainWindow::signInFailed(const QString &message)
{
    const QUrl url = m_signingIn->url();
    const QString path = m_signingIn->socketPath();
    // Not deleted here: this runs in its signal.
    m_signingIn.release()->deleteLater();
    // The reason in the sign-in dialog, which stays open (or opens) for another try.
    askToSignIn(url, path, m_lastEmail, message);
    updateTitle();
    Q_EMIT connectionFailed(message);
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

void MainWindow::startSession(std::unique_ptr<Session> session)
{
    // Forms left open go on with the new session when it is the same person at the same
    // server (their typed values and the record they were opened on stay).
    const bool samePerson = m_session && session && m_session->url() == session->url()
        && m_session->userName() == session->userName();
    const QString previousUser = m_session ? m_session->userName() : QString();
    clearLists();
    if (m_indicator) {
        statusBar()->removeWidget(m_indicator);
        delete m_indicator;
        m_indicator = nullptr;
    }
    delete m_import; // it works on the old session's client
    m_session = std::move(session);
    m_indicator = new ConnectionIndicator(this);
    m_indicator->setStatus(m_session->connectionStatus());
    connect(m_session.get(), &Session::connectionStatusChanged, m_indicator,
            [indicator = m_indicator, session = m_session.get()] {
                indicator->setStatus(session->connectionStatus());
            });
    statusBar()->addWidget(m_indicator, 1);
    m_actors.clear();
    m_toasts->dismissAll(); // their records and actions belong to the old session
    m_activity->setSession(m_session.get());
    // The record as the lists hold it when its event arrives, i.e. before they apply it: what
    // a change changed, and what a deleted record was called.
    m_activity->model()->setRecordLookup([this](const QString &feature, const QString &id) {
        if (!m_session)
            return QJsonObject();
        for (const ResourceSchema &r : m_session->resources()) {
            if (r.feature != feature)
                continue;
            if (RealtimeStateManager *manager = m_session->existingManager(r.name)) {
                const QJsonObject record = manager->serverRecord(id);
                if (!record.isEmpty())
                    return record;
            }
        }
        return QJsonObject();
    });
    connect(m_session.get(), &Session::userNamesChanged, this, [this] {
        m_activity->setUserNames(m_session->userNames());
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (auto *view = qobject_cast<ResourceListView *>(m_tabs->widget(i)))
                view->model()->setUserNames(m_session->userNames());
        }
    });
    connect(m_session.get(), &Session::subscriptionRefused, this, [this](const QString &message) {
        m_toasts->showToast(ToastArea::Level::Error,
                            tr("The server refused to send changes: %1. The lists may "
                               "be out of date until you connect again.")
                                .arg(message));
    });
    connect(m_session.get(), &Session::eventReceived, this, [this](const RealtimeEvent &event) {
        if (m_actors.size() > 5000)
            m_actors.clear(); // only the last minutes matter
        const bool deleted = event.action.endsWith(u"deleted");
        for (const QString &id : event.ids)
            m_actors.insert(actorKey(event.feature, id), {event.userId, deleted});
    });
    connect(m_session.get(), &Session::signInRequired, this, [this](const QString &reason) {
        askToSignIn(m_session->url(), m_session->socketPath(),
                    m_lastEmail.isEmpty() ? m_session->userName() : m_lastEmail,
                    tr("%1 Sign in again to go on. Until then the lists show what was last read, "
                       "marked as possibly out of date, and your unsaved changes are kept.")
                        .arg(reason));
    });
    // Signed in already (see beginSession()).
    if (m_connectDialog)
        m_connectDialog->accept();
    statusBar()->clearMessage();
    QSettings settings;
    settings.setValue(u"server/url"_s, m_session->url().toString());
    settings.setValue(u"server/path"_s, m_session->socketPath());
    if (!m_lastEmail.isEmpty())
        settings.setValue(u"server/email"_s, m_lastEmail);
    m_activity->setResources(m_session->resources());
    buildLists();
    const auto dialogs = findChildren<RecordDialog *>(Qt::FindDirectChildrenOnly);
    for (RecordDialog *d : dialogs) {
        if (samePerson) {
            rebindRecordDialogs(d->resourceName());
        } else {
            d->detach(tr("%1 signed in at this window, so this form of %2 can no longer be "
                         "saved. Copy what you need, then close it.")
                          .arg(m_session->userName(), previousUser));
        }
    }
    updateTitle();
    resumeRememberedImport();
    announceWaitingChanges();
    Q_EMIT ready();
}

void MainWindow::announceWaitingChanges()
{
    // Changes another user made here offline: kept for them, and said so.
    for (const Session::WaitingChanges &waiting : m_session->waitingForOthers()) {
        const QString user = waiting.user;
        const QString directory = waiting.directory;
        const int count = waiting.count;
        m_toasts->showToast(
            ToastArea::Level::Info,
            tr("%n change(s) of %1 wait for them to sign in; they are kept for them.", nullptr,
               count)
                .arg(user),
            tr("Discard…"),
            [this, user, directory, count] { discardWaitingChanges(user, directory, count); });
    }
}

bool MainWindow::discardWaitingChanges(const QString &user, const QString &directory, int count)
{
    const auto answer = QMessageBox::warning(
        this, tr("Discard unsaved changes"),
        tr("Discard %n change(s) that %1 made and the server has not received? They cannot be "
           "recovered.",
           nullptr, count)
            .arg(user),
        QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Discard)
        return false;
    if (!Session::discardWaiting(directory)) {
        m_toasts->showToast(
            ToastArea::Level::Error,
            tr("The changes of %1 could not be removed from %2.").arg(user, directory));
        return false;
    }
    m_activity->addNotice(tr("%n change(s) of %1 were discarded.", nullptr, count).arg(user), true);
    return true;
}

bool MainWindow::discardMyChanges(const QString &resource)
{
    ResourceListView *view = listView(resource);
    RealtimeStateManager *manager = view ? view->manager() : nullptr;
    if (!manager)
        return false;
    QList<PendingOperation> waiting;
    QStringList records;
    for (const PendingOperation &op : manager->pendingOperations()) {
        if (op.state != PendingOperation::State::Pending)
            continue;
        waiting.append(op);
        const QString title
            = op.isLocalCreate() ? tr("a new record") : view->recordTitle(op.recordId);
        if (!records.contains(title))
            records.append(title);
    }
    if (waiting.isEmpty())
        return false;
    const int count = int(waiting.size());
    const auto answer = QMessageBox::warning(
        this, tr("Discard your waiting changes"),
        tr("Discard %n change(s) you made to %1 that the server has not received (%2)? The list "
           "will show the server's records again. This cannot be undone.",
           nullptr, count)
            .arg(resourceLabel(resource), QLocale().createSeparatedList(records)),
        QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Discard || !view->manager())
        return false;
    int discarded = 0;
    for (const PendingOperation &op : std::as_const(waiting))
        discarded += manager->discardOperation(op.txnId) ? 1 : 0;
    if (discarded > 0)
        m_activity->addNotice(tr("%n of your changes to %1 were discarded.", nullptr, discarded)
                                  .arg(resourceLabel(resource)),
                              true);
    if (discarded < count)
        // Sent while the question was open: their answer decides now.
        m_toasts->showToast(ToastArea::Level::Info,
                            tr("%n change(s) had already gone to the server and could not be "
                               "discarded; the list shows whether it took them.",
                               nullptr, count - discarded));
    return discarded > 0;
}

void MainWindow::buildLists()
{
    clearLists();
    QSettings settings;
    for (const ResourceSchema &resource : m_session->resources()) {
        auto *view = new ResourceListView(m_tabs);
        view->setObjectName(resource.name);
        const bool live = settings.value(u"modes/"_s + resource.name).toString() == u"live";
        RealtimeStateManager *manager = m_session->manager(resource.name,
                                                           live ? RealtimeStateManager::Mode::Live
                                                                : RealtimeStateManager::Mode::His);
        watchManager(resource.name, manager);
        view->setManager(manager);
        view->restoreHeaderState(settings.value(u"headers/"_s + resource.name).toByteArray());
        view->model()->setUserNames(m_session->userNames());
        const QString name = resource.name;
        connect(view, &ResourceListView::createRequested, this,
                [this, name] { openRecord(name, {}); });
        connect(view, &ResourceListView::editRequested, this,
                [this, name](const QString &id) { openRecord(name, id); });
        connect(view, &ResourceListView::conflictsRequested, this,
                [this, name] { resolveConflicts(name); });
        connect(view, &ResourceListView::discardRequested, this,
                [this, name] { discardMyChanges(name); });
        connect(view, &ResourceListView::othersChanged, this,
                [this, name](const QStringList &ids) { othersChanged(name, ids); });
        connect(view, &ResourceListView::othersRemoved, this,
                [this, name](const QStringList &ids, const QStringList &titles) {
                    othersRemoved(name, ids, titles);
                });
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
    // Changes waiting for the server (live mode's queue) or for the person's decision (a
    // conflict, in either mode) belong to this manager: the other mode would neither send nor
    // show them. The list keeps its mode until they are settled.
    if (const int waiting = view->manager() ? view->manager()->pendingCount() : 0; waiting > 0) {
        m_toasts->showToast(
            ToastArea::Level::Warning,
            tr("%1 stays in %2 mode: %n change(s) still wait for the server or for your "
               "decision, and %3 mode would not send them. Switch once they are sent or "
               "resolved.",
               nullptr, waiting)
                .arg(resourceLabel(resource), modeName(view->manager()->mode()), modeName(mode)));
        updateModeActions();
        return;
    }
    // The old manager goes when the session makes the new one: let go of it first.
    view->setManager(nullptr);
    RealtimeStateManager *manager = m_session->manager(resource, mode);
    watchManager(resource, manager);
    view->setManager(manager);
    rebindRecordDialogs(resource);
    QSettings().setValue(u"modes/"_s + resource,
                         mode == RealtimeStateManager::Mode::Live ? u"live"_s : u"his"_s);
    updateModeActions();
}

QString MainWindow::modeName(RealtimeStateManager::Mode mode)
{
    return mode == RealtimeStateManager::Mode::Live ? tr("live") : tr("HIS");
}

void MainWindow::updateModeActions()
{
    ResourceListView *view = currentListView();
    const bool has = view && view->manager();
    m_his->setEnabled(has);
    m_live->setEnabled(has);
    m_export->setEnabled(has);
    // An import creates records: the current list's resource decides (the wizard offers the
    // others too, each saying whether the role may import into it).
    const QString importRefusal
        = has ? view->manager()->schema().refusal(ResourceSchema::Action::Create) : QString();
    m_importAction->setEnabled(has && importRefusal.isEmpty());
    m_importAction->setToolTip(importRefusal.isEmpty() ? tr("Import…") : importRefusal);
    m_importAction->setStatusTip(importRefusal);
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
    if (!m_session && m_signingIn) {
        const QString at = server.isEmpty() ? m_signingIn->url().toString() : server;
        setWindowTitle(tr("livedesk — %1 — signing in…").arg(at));
        m_identity->setText(tr("Signing in at %1…").arg(m_signingIn->url().toString()));
        return;
    }
    if (!m_session) {
        setWindowTitle(tr("livedesk — not connected"));
        m_identity->setText(tr("Not connected"));
        return;
    }
    const QString user = m_session->userName();
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
    QSettings settings;
    askToSignIn(QUrl(settings.value(u"server/url"_s).toString()),
                settings.value(u"server/path"_s, u"/api/ws/"_s).toString(), m_lastEmail, {});
}

void MainWindow::askToSignIn(const QUrl &url, const QString &socketPath, const QString &email,
                             const QString &reason)
{
    if (!m_connectDialog) {
        m_connectDialog = new ConnectDialog(this);
        m_connectDialog->setAttribute(Qt::WA_DeleteOnClose);
        m_connectDialog->setUrl(url.toString());
        m_connectDialog->setPath(socketPath);
        m_connectDialog->setEmail(email);
        connect(m_connectDialog, &ConnectDialog::connectRequested, this, [this] {
            const QUrl chosen(m_connectDialog->url());
            // Another server than the one in use: it is named by its address from now on.
            if (!m_session || m_session->url() != chosen)
                m_serverDescription.clear();
            m_connectDialog->setBusy(true);
            connectTo(chosen, m_connectDialog->path(), m_connectDialog->email(),
                      m_connectDialog->password());
        });
        connect(m_connectDialog, &QDialog::rejected, this, [this] {
            // Cancelled: a sign-in on its way is abandoned, the session in use stays.
            if (m_signingIn)
                m_signingIn.release()->deleteLater();
            updateTitle();
        });
    }
    m_connectDialog->setBusy(false);
    m_connectDialog->setError(reason);
    m_connectDialog->show();
    m_connectDialog->raise();
    m_connectDialog->activateWindow();
}

ConnectDialog *MainWindow::signInDialog() const
{
    return m_connectDialog;
}

QDialog *MainWindow::openRecord(const QString &resource, const QString &id)
{
    ResourceListView *view = listView(resource);
    if (!view || !view->manager())
        return nullptr;
    if (QDialog *open = recordDialogFor(resource, id); open && !id.isEmpty()) {
        open->show();
        open->raise();
        open->activateWindow();
        return open;
    }
    auto *dialog = new RecordDialog(view->manager(), id, this);
    dialog->setPeople(peopleOf(resource));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // A mode switch or a new sign-in gives it the list's new manager (rebindRecordDialogs()).
    dialog->show();
    return dialog;
}

QDialog *MainWindow::resolveConflicts(const QString &resource)
{
    ResourceListView *view = listView(resource);
    if (!view || !view->manager() || view->manager()->conflicts().isEmpty())
        return nullptr;
    auto *dialog = new ConflictDialog(
        view->manager(), view->manager()->conflicts().constFirst().txnId, peopleOf(resource), this);
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
    ensureWizard();
    if (!m_import->isImportRunning()) {
        if (ResourceListView *view = currentListView())
            m_import->selectResource(view->objectName());
    }
    m_import->show();
    m_import->raise();
}

void MainWindow::ensureWizard()
{
    if (m_import)
        return;
    m_import = new ImportWizard(m_session.get(), this);
    const QString server = importKey();
    connect(m_import, &ImportWizard::importStarted, this,
            [server](const QString &resource, const QString &jobId, const QDateTime &startedAt) {
                QSettings settings;
                settings.setValue(u"import/server"_s, server);
                settings.setValue(u"import/resource"_s, resource);
                settings.setValue(u"import/job"_s, jobId);
                settings.setValue(u"import/started"_s, startedAt);
            });
    connect(m_import, &ImportWizard::importFinished, this,
            [this](const QString &resource, const QString &jobId, ImportJob::Status status) {
                QSettings settings;
                if (settings.value(u"import/job"_s).toString() == jobId)
                    settings.remove(u"import"_s);
                if (ResourceListView *view = listView(resource); view && view->manager())
                    view->manager()->reload();
                const QString list = resourceLabel(resource);
                const ImportJob *job = m_import ? m_import->job() : nullptr;
                const auto show = [this] {
                    openImport();
                };
                const QLocale locale;
                switch (status) {
                case ImportJob::Status::Completed:
                    m_toasts->showToast(job && job->failedCount() > 0 ? ToastArea::Level::Warning
                                                                      : ToastArea::Level::Info,
                                        job ? tr("Import into %1 finished: %2 imported, %3 failed.")
                                                  .arg(list, locale.toString(job->successCount()),
                                                       locale.toString(job->failedCount()))
                                            : tr("Import into %1 finished.").arg(list),
                                        tr("Show"), show);
                    break;
                case ImportJob::Status::Failed:
                    m_toasts->showToast(
                        ToastArea::Level::Error,
                        job && !job->errorText().isEmpty()
                            ? tr("Import into %1 failed: %2").arg(list, job->errorText())
                            : tr("Import into %1 failed.").arg(list),
                        tr("Show"), show);
                    break;
                case ImportJob::Status::Cancelled:
                    m_toasts->showToast(ToastArea::Level::Info,
                                        tr("Import into %1 was cancelled.").arg(list), tr("Show"),
                                        show);
                    break;
                case ImportJob::Status::Pending:
                case ImportJob::Status::Processing:
                    break;
                }
            });
}

void MainWindow::resumeRememberedImport()
{
    QSettings settings;
    const QString jobId = settings.value(u"import/job"_s).toString();
    if (jobId.isEmpty() || settings.value(u"import/server"_s).toString() != importKey())
        return;
    const QString resource = settings.value(u"import/resource"_s).toString();
    ensureWizard();
    if (m_import->isImportRunning()
        || !m_import->resumeJob(resource, jobId,
                                settings.value(u"import/started"_s).toDateTime())) {
        if (!m_import->isImportRunning())
            settings.remove(u"import"_s); // the resource is gone from this server
        return;
    }
    m_toasts->showToast(ToastArea::Level::Info,
                        tr("An import into %1 started earlier is still running; its progress is "
                           "shown here again.")
                            .arg(resourceLabel(resource)),
                        tr("Show"), [this] { openImport(); });
}

QString MainWindow::actorKey(const QString &feature, const QString &id)
{
    return feature + u'\n' + id;
}

QString MainWindow::featureOf(const QString &resource) const
{
    const ResourceSchema *schema = m_session ? m_session->resource(resource) : nullptr;
    return schema ? schema->feature : resource;
}

People MainWindow::peopleOf(const QString &resource) const
{
    People people;
    if (!m_session)
        return people;
    people.names = m_session->userNames();
    const QString feature = featureOf(resource);
    people.lastAuthor = [this, feature](const QString &id) {
        return m_actors.value(actorKey(feature, id)).userId;
    };
    return people;
}

QString MainWindow::importKey() const
{
    // The built-in server has a new port on every start but is the same server; a shared
    // workstation must not pick up another user's import.
    const QString server
        = m_serverDescription.isEmpty() ? m_session->url().toString() : m_serverDescription;
    return server + u" · "_s + m_session->userName();
}

QString MainWindow::resourceLabel(const QString &resource) const
{
    if (m_session) {
        if (const ResourceSchema *schema = m_session->resource(resource))
            return schema->label.isEmpty() ? schema->name : schema->label;
    }
    return resource;
}

QDialog *MainWindow::recordDialogFor(const QString &resource, const QString &id) const
{
    const auto dialogs = findChildren<RecordDialog *>(Qt::FindDirectChildrenOnly);
    for (RecordDialog *d : dialogs) {
        if (!id.isEmpty() && d->recordId() == id && d->manager() && d->resourceName() == resource)
            return d;
    }
    return nullptr;
}

void MainWindow::rebindRecordDialogs(const QString &resource)
{
    ResourceListView *view = listView(resource);
    const auto dialogs = findChildren<RecordDialog *>(Qt::FindDirectChildrenOnly);
    for (RecordDialog *d : dialogs) {
        if (d->resourceName() != resource)
            continue;
        if (view && view->manager()) {
            d->setPeople(peopleOf(resource));
            d->setManager(view->manager());
        } else {
            d->detach(tr("%1 is no longer offered by the server, so this form can no longer be "
                         "saved. Copy what you need, then close it.")
                          .arg(resourceLabel(resource)));
        }
    }
}

void MainWindow::watchManager(const QString &resource, RealtimeStateManager *manager)
{
    if (!manager)
        return;
    connect(manager, &RealtimeStateManager::operationFailed, this,
            [this, resource](const QString &txnId, const RestError &error) {
                writeRefused(resource, txnId, error);
            });
    connect(manager, &RealtimeStateManager::conflictDetected, this,
            [this, resource](const QString &txnId) { conflictFound(resource, txnId); });
}

void MainWindow::othersChanged(const QString &resource, const QStringList &ids)
{
    ResourceListView *view = listView(resource);
    if (!view)
        return;
    for (const QString &id : ids) {
        // The current row of the list in view; an open record dialog says it in its banner.
        if (view != currentListView() || view->currentId() != id)
            continue;
        QDialog *dialog = recordDialogFor(resource, id);
        const Actor actor = m_actors.value(actorKey(featureOf(resource), id));
        if (!actor.userId.isEmpty() && actor.userId == m_session->userId())
            continue; // the same user elsewhere (an import, another window)
        const QString who = m_session->displayNameOf(actor.userId);
        const QString record = view->recordTitle(id);
        const QString list = resourceLabel(resource);
        const QString text = who.isEmpty()
            ? tr("%1: %2, which you are viewing, was changed by someone else.").arg(list, record)
            : tr("%1: %2, which you are viewing, was changed by %3.").arg(list, record, who);
        QPointer<QDialog> open = dialog;
        m_toasts->showToast(ToastArea::Level::Info, text, tr("Show"), [this, resource, id, open] {
            showResource(resource);
            if (ResourceListView *v = listView(resource))
                v->showRecord(id);
            if (open) {
                open->raise();
                open->activateWindow();
            }
        });
    }
}

void MainWindow::othersRemoved(const QString &resource, const QStringList &ids,
                               const QStringList &titles)
{
    ResourceListView *view = listView(resource);
    if (!view)
        return;
    // The current row is being removed now: its id is the view's current one until it goes.
    const QString current = view == currentListView() ? view->currentId() : QString();
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const QString &id = ids[i];
        if (id != current && !recordDialogFor(resource, id))
            continue;
        const Actor actor = m_actors.value(actorKey(featureOf(resource), id));
        if (!actor.userId.isEmpty() && actor.userId == m_session->userId())
            continue;
        const QString list = resourceLabel(resource);
        const QString record = titles.value(i, id);
        QString text;
        if (actor.deleted)
            text = actor.userId.isEmpty()
                ? tr("%1: %2, which you were viewing, was deleted by someone else.")
                      .arg(list, record)
                : tr("%1: %2, which you were viewing, was deleted by %3.")
                      .arg(list, record, m_session->displayNameOf(actor.userId));
        else
            text = tr("%1: %2, which you were viewing, is no longer in the list: it was deleted "
                      "or changed so that it no longer matches the search or filters.")
                       .arg(list, record);
        m_toasts->showToast(ToastArea::Level::Warning, text);
    }
}

void MainWindow::writeRefused(const QString &resource, const QString &txnId, const RestError &error)
{
    // A record dialog that sent this write shows the refusal next to its fields.
    const auto dialogs = findChildren<RecordDialog *>(Qt::FindDirectChildrenOnly);
    for (RecordDialog *d : dialogs) {
        if (d->savingTxnId() == txnId)
            return;
    }
    m_toasts->showToast(ToastArea::Level::Error,
                        tr("%1: your change was not saved. %2")
                            .arg(resourceLabel(resource), ImportWizard::describeError(error)),
                        tr("Show"), [this, resource] { showResource(resource); });
}

void MainWindow::conflictFound(const QString &resource, const QString &txnId)
{
    ResourceListView *view = listView(resource);
    if (!view || !view->manager())
        return;
    PendingOperation conflict;
    for (const PendingOperation &op : view->manager()->conflicts()) {
        if (op.txnId == txnId)
            conflict = op;
    }
    const QString &recordId = conflict.recordId;
    if (recordDialogFor(resource, recordId))
        return; // its dialog shows the conflict
    // Who changed which of the fields the user changed too.
    const QString who = peopleOf(resource).authorOf(recordId, conflict.theirs);
    QStringList labels;
    const ResourceSchema &schema = view->manager()->schema();
    for (const QString &name : conflict.conflictingFields()) {
        const ResourceSchema::Column *c = schema.column(name);
        labels.append(c && !c->label.isEmpty() ? c->label : name);
    }
    const QString list = resourceLabel(resource);
    const QString record = view->recordTitle(recordId);
    QString text;
    if (conflict.theirs.isEmpty())
        text = who.isEmpty() ? tr("%1: %2, which you changed, was deleted by someone else. "
                                  "Choose what to keep.")
                                   .arg(list, record)
                             : tr("%1: %2, which you changed, was deleted by %3. Choose what to "
                                  "keep.")
                                   .arg(list, record, who);
    else if (who.isEmpty() || labels.isEmpty())
        text = tr("%1: your change to %2 conflicts with a change made by someone else. Choose "
                  "what to keep.")
                   .arg(list, record);
    else
        text = tr("%1: your change to %2 conflicts with a change %3 made to %4. Choose what to "
                  "keep.")
                   .arg(list, record, who, QLocale().createSeparatedList(labels));
    m_toasts->showToast(ToastArea::Level::Warning, text, tr("Resolve…"),
                        [this, resource] { resolveConflicts(resource); });
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
    settings.setValue(u"window/state"_s, saveState());
    saveLists();
    QMainWindow::closeEvent(event);
}

} // namespace livedesk
