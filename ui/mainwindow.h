// SPDX-License-Identifier: MIT
#pragma once

#include "state/realtimestatemanager.h"

#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QUrl>
#include <QtWidgets/QMainWindow>

#include <memory>

class QAction;
class QDialog;
class QActionGroup;
class QLabel;
class QTabWidget;

namespace livedesk {

class ActivityPanel;
class ConnectDialog;
class ConnectionIndicator;
class ImportWizard;
class People;
class ResourceListView;
class RestError;
class Session;
class ToastArea;

/**
 * The workstation's window: one tab per resource of the server (a ResourceListView each), a
 * menu (File: Connect…, Import…, Export CSV; Mode: HIS or live for the list shown; Help:
 * About), and a status bar that always says whether the data is current (a
 * ConnectionIndicator) and which server and user this is.
 *
 * The window owns its Session; connecting again replaces it. What a person arranged (window
 * geometry, each list's mode and column widths and order, the last server and e-mail)
 * persists with QSettings; the password and tokens never do.
 *
 * ## Notifications
 * Routine events never open a modal box. What deserves attention comes as a toast
 * (ToastArea): someone else changed or deleted the record the user is looking at (the current
 * row of the list shown, or a record dialog that is open), an import ended, a write was
 * refused, a conflict needs a decision. The activity panel (View > Activity) lists the
 * changes of the last 30 minutes and every toast, so nothing that went by is lost.
 *
 * ## An import outlives the window
 * A running import's job is remembered (QSettings, with the server it runs on). Connecting
 * again to that server, now or after a restart of the application, picks the job up in a new
 * wizard and says so in a toast; the import is never shown as lost while the server runs it.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Signs in at @p url with a password; ready() or connectionFailed() follows. The session
    /// in use (if any) stays until the new one has signed in; a failure is shown in the
    /// sign-in dialog (signInDialog()), which opens for another try.
    void connectTo(const QUrl &url, const QString &socketPath, const QString &email,
                   const QString &password);
    /// Uses an access token issued elsewhere (`--token`, the built-in server's demo user); with
    /// @p refreshToken the session renews it before it expires.
    void connectWithToken(const QUrl &url, const QString &socketPath, const QString &token,
                          const QString &refreshToken = {});
    /// For servers that do not describe their resources (`GET /api/schema`): a schema file,
    /// or resource names with default conventions. Applies to the next connection.
    void setSchemaSource(const QString &schemaFile, const QStringList &resources);
    /// A few words naming the server in the title (e.g. "built-in server"); the URL otherwise.
    void setServerDescription(const QString &description);

    Session *session() const { return m_session.get(); }
    ConnectionIndicator *connectionIndicator() const { return m_indicator; }
    /// The list of @p resource, or null.
    ResourceListView *listView(const QString &resource) const;
    ResourceListView *currentListView() const;
    /// Shows @p resource's list and makes it current.
    void showResource(const QString &resource);
    /// Switches @p resource's list to @p mode (HIS is the default) and remembers it. Refused,
    /// with a toast saying why, while the list has changes waiting for the server or for a
    /// decision (RealtimeStateManager::pendingCount()): the other mode would not send them.
    void setMode(const QString &resource, RealtimeStateManager::Mode mode);
    /// Writes the current list, as shown (columns in view order, display text), as CSV.
    bool exportCsv(const QString &path, QString *error = nullptr) const;
    /// The status bar's "server · user" text.
    QString identityText() const;

    /// Opens the connect dialog (File > Connect…).
    void askToConnect();
    /// Opens the sign-in dialog filled with @p url, @p socketPath and @p email, saying
    /// @p reason (why signing in is needed, or why the last try failed). Non-modal; it stays
    /// open until a sign-in succeeds or the person cancels, and shows every failure inline.
    void askToSignIn(const QUrl &url, const QString &socketPath, const QString &email,
                     const QString &reason);
    /// The sign-in dialog while it is open, or null.
    ConnectDialog *signInDialog() const;
    /// Where unsaved live-mode changes are kept, per server and user (default: the app data
    /// directory's `queues`). Applies to the next connection.
    void setQueueRoot(const QString &directory) { m_queueRoot = directory; }
    /// Asks for confirmation, then removes the unsaved changes @p user left in @p directory
    /// (Session::waitingForOthers()). True when they were removed.
    bool discardWaitingChanges(const QString &user, const QString &directory, int count);
    /// Asks for confirmation, then drops the person's own changes to @p resource that wait
    /// for the server (the list's "Discard N waiting change(s)…"). True when any was dropped.
    bool discardMyChanges(const QString &resource);
    /// Opens the import wizard (File > Import…) on the current list's resource; the same
    /// wizard, still following its job, when an import runs.
    void openImport();
    /// Opens the record dialog of @p id in @p resource (empty @p id: a new record); non-modal,
    /// so the list stays in view. Returns the dialog.
    QDialog *openRecord(const QString &resource, const QString &id);
    /// Opens the conflict dialog of the first conflict of @p resource, if any.
    QDialog *resolveConflicts(const QString &resource);
    /// The import wizard, while one exists.
    ImportWizard *importWizard() const;
    /// The toasts shown over the lists (see Notifications).
    ToastArea *toasts() const { return m_toasts; }
    /// The dock with the changes of the last 30 minutes and every toast.
    ActivityPanel *activityPanel() const { return m_activity; }

Q_SIGNALS:
    /// Signed in; the lists exist.
    void ready();
    void connectionFailed(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // A new session signs in beside the one in use, and replaces it once it has.
    Session *beginSession(const QUrl &url, const QString &socketPath);
    void startSession(std::unique_ptr<Session> session);
    void signInFailed(const QString &message);
    void announceWaitingChanges();
    void buildLists();
    void clearLists();
    static QString modeName(RealtimeStateManager::Mode mode);
    void updateModeActions();
    void updateTitle();
    void saveLists();
    void about();
    // Gives the open record dialogs of @p resource the list's manager now in use.
    void rebindRecordDialogs(const QString &resource);
    void watchManager(const QString &resource, RealtimeStateManager *manager);
    void othersChanged(const QString &resource, const QStringList &ids);
    void othersRemoved(const QString &resource, const QStringList &ids, const QStringList &titles);
    void writeRefused(const QString &resource, const QString &txnId, const RestError &error);
    void conflictFound(const QString &resource, const QString &txnId);
    void ensureWizard();
    void resumeRememberedImport();
    QString resourceLabel(const QString &resource) const;
    static QString actorKey(const QString &feature, const QString &id);
    QString featureOf(const QString &resource) const;
    /// Names people for the dialogs of @p resource: the user directory, and the authors of the
    /// change events for records that do not say who changed them.
    People peopleOf(const QString &resource) const;
    /// Which server and user a remembered import belongs to.
    QString importKey() const;
    /// The open record dialog of @p id in @p resource, or null.
    QDialog *recordDialogFor(const QString &resource, const QString &id) const;

    std::unique_ptr<Session> m_session;
    std::unique_ptr<Session> m_signingIn;
    QPointer<ConnectDialog> m_connectDialog;
    QString m_queueRoot;
    QTabWidget *m_tabs;
    ConnectionIndicator *m_indicator = nullptr;
    QLabel *m_identity;
    ToastArea *m_toasts;
    ActivityPanel *m_activity;
    // The last announced change per record (feature and id): who did it, whether a delete.
    struct Actor
    {
        QString userId;
        bool deleted = false;
    };
    QHash<QString, Actor> m_actors;
    QAction *m_his;
    QAction *m_live;
    QActionGroup *m_modes;
    QAction *m_importAction;
    QPointer<ImportWizard> m_import;
    QAction *m_export;
    QString m_serverDescription;
    QString m_schemaFile;
    QStringList m_fallbackResources;
    QString m_lastEmail;
};

} // namespace livedesk
