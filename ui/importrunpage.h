// SPDX-License-Identifier: MIT
#pragma once

#include "importvalidatepage.h"
#include "state/importjob.h"
#include "state/resourceschema.h"

#include <QtCore/QDateTime>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtWidgets/QWizardPage>

class QLabel;
class QProgressBar;
class QPushButton;

namespace livedesk {

class ApiClient;
class RestReply;
class Session;

/**
 * Third page of the ImportWizard: the import running on the server.
 *
 * start() asks the server to execute a checked file (`POST import/execute`); follow() picks
 * up a job that is already running, by its id (the wizard reopened on it). Either way an
 * ImportJob follows the job (Session::followImport()): a progress bar, rows processed of the
 * total, imported and failed counts and the elapsed time, updated from the `import.progress`
 * events on the session's channel while its socket is connected, and by polling the job's
 * status while it is not. The page says which of the two it uses (updateSource()), from the
 * session's connectionStatus(): it holds no connection of its own.
 *
 * Cancel import asks the server to stop (`POST import/cancel`); a server without that route
 * is told apart from other failures, and the page then says the import cannot be cancelled
 * here. Rows of batches already committed stay imported.
 *
 * The page never cancels by itself: closing the wizard leaves the job running on the server
 * (see ImportWizard for how it stays followed).
 */
class ImportRunPage : public QWizardPage
{
    Q_OBJECT

public:
    /** Where the progress shown comes from. */
    enum class UpdateSource {
        /// No job followed yet.
        None,
        /// Progress events pushed over the socket.
        Live,
        /// The job's status, asked for every second (the socket is down or silent).
        Polling,
    };
    Q_ENUM(UpdateSource)

    /// @p session (its REST client, the job's progress, the connection's state) is not owned
    /// and must outlive the page.
    explicit ImportRunPage(Session *session, QWidget *parent = nullptr);
    ~ImportRunPage() override;

    /// Starts importing the file of @p validation, skipping its invalid rows if @p skipInvalid.
    void start(const ImportValidatePage::Result &validation, bool skipInvalid);
    /// Follows the running (or finished) job @p jobId of @p resource. @p startedAt, when
    /// known, is when it was started, for the elapsed time.
    void follow(const ResourceSchema &resource, const QString &jobId,
                const QDateTime &startedAt = {});
    /// Stops following (the job itself goes on) and empties the page.
    void clear();

    /// The job being followed, null before the server has answered start().
    ImportJob *job() const { return m_job; }
    QString jobId() const;
    ResourceSchema resource() const { return m_resource; }
    /// The check the job was started from; invalid for a job picked up by follow().
    const ImportValidatePage::Result &validation() const { return m_validation; }
    /// Starting, or following a job that has not ended.
    bool isRunning() const;
    /// When the job was started (or began to be followed, when that is unknown).
    QDateTime startedAt() const { return m_startedAt; }
    /// Whether startedAt() is when the job was started rather than when it was picked up.
    bool knowsStartTime() const { return m_knowsStart; }
    /// Time from startedAt() to the end of the job (or to now while it runs).
    qint64 elapsedMs() const;
    /// Why the import could not be started or cancelled (empty otherwise).
    QString errorText() const { return m_errorText; }

    UpdateSource updateSource() const { return m_source; }
    /// The sentence on the page that says where the progress comes from.
    QString updateSourceText() const;

    /// Asks the server to cancel the job (the Cancel import button).
    void cancelImport();

    bool isComplete() const override;

Q_SIGNALS:
    /// The server accepted the import (after start()) or the job is followed (follow()).
    void jobStarted(const QString &jobId);
    /// The job ended (completed, failed or cancelled).
    void jobFinished(livedesk::ImportJob::Status status);

private:
    void sendExecute();
    void followJob(const QString &jobId);
    void refresh();
    void updateSourceFromJob();
    void jobEnded(ImportJob::Status status);

    ApiClient *api() const;

    QPointer<Session> m_session;
    ResourceSchema m_resource;
    ImportValidatePage::Result m_validation;
    bool m_skipInvalid = false;
    QPointer<RestReply> m_executeReply;
    QPointer<RestReply> m_cancelReply;
    ImportJob *m_job = nullptr;
    QDateTime m_startedAt;
    bool m_knowsStart = false;
    // The job was picked up by follow(): its state is unknown until the first update.
    bool m_pickedUp = false;
    QDateTime m_finishedAt;
    QTimer m_tick;
    UpdateSource m_source = UpdateSource::None;
    int m_seenEventUpdates = 0;
    int m_seenPolledUpdates = 0;
    bool m_cancelUnsupported = false;
    QString m_errorText;

    QLabel *m_status;
    QProgressBar *m_progress;
    QWidget *m_counts;
    QLabel *m_processed;
    QLabel *m_imported;
    QLabel *m_failed;
    QLabel *m_elapsed;
    QLabel *m_sourceLabel;
    QLabel *m_note;
    QPushButton *m_cancel;
    QPushButton *m_retry;
};

} // namespace livedesk
