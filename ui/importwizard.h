// SPDX-License-Identifier: MIT
#pragma once

#include "state/importjob.h"
#include "state/resourceschema.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtWidgets/QWizard>

#include <optional>

namespace livedesk {

class ImportFilePage;
class ImportRunPage;
class ImportSummaryPage;
class ImportValidatePage;
class RestError;
class Session;

/**
 * The CSV import wizard of AegisX-style resources (docs/protocol.md import routes).
 *
 * 1. ImportFilePage: the resource and the CSV file (or the server's template to start from).
 * 2. ImportValidatePage: the server's check of the file: counts, problem rows, a preview,
 *    the option to skip invalid rows; Back to choose another file. Its Import button commits:
 *    there is no way back once the import has started.
 * 3. ImportRunPage: progress from the socket's progress events, or by polling while the socket
 *    is down (the page says which); Cancel import when the server supports it.
 * 4. ImportSummaryPage: the server's final counts and the problem rows, exportable to CSV.
 *
 * ## A running import survives closing the wizard
 * Closing the wizard (Close, Escape, the window's close button) while an import runs does
 * not cancel it and does not reset the wizard: the dialog is only hidden, its job keeps being
 * followed, and importFinished() still comes when it ends. A main window therefore keeps the
 * wizard object (no Qt::WA_DeleteOnClose) while isImportRunning(), and shows it again to
 * "reopen" the import: it is on the same job, still progressing or already on its summary.
 * If the wizard object is gone (the window that owned it was closed, the application
 * restarted), the job is not lost either: it runs and is persisted on the server. Keep the
 * resource name and job id from importStarted() and call resumeJob() on a new wizard; it
 * picks the job up by its status and follows it to the end like any other.
 *
 * Once the job has ended, Finish (or closing) resets the wizard for the next file.
 *
 * ## Through the session
 * The wizard works on a signed-in Session, as the workstation holds it: its REST client for
 * the checks and the import, Session::followImport() for the job, Session::connectionStatus()
 * for saying whether progress is pushed or polled. It holds no socket or channel, so that a
 * sign-in's rules (fresh tokens for the socket, one subscription for every list) stay the
 * session's, and the wizard is tested with the session the application makes.
 *
 * Every long step is asynchronous (the file is read on a worker thread, every server call
 * is a RestReply), so a large file never holds up the window.
 */
class ImportWizard : public QWizard
{
    Q_OBJECT

public:
    enum PageId { FilePageId, ValidatePageId, RunPageId, SummaryPageId };
    Q_ENUM(PageId)

    /// Offers the resources of @p session (Session::resources(), read now: it must be signed
    /// in). @p session is not owned and must outlive the wizard; a new sign-in is a new
    /// session, and so a new wizard.
    explicit ImportWizard(Session *session, QWidget *parent = nullptr);
    ~ImportWizard() override;

    const QList<ResourceSchema> &resources() const { return m_resources; }
    /// Preselects the resource called @p name on the first page; false when unknown.
    bool selectResource(const QString &name);

    /**
     * Opens the wizard on the job @p jobId of the resource @p resourceName, running or
     * finished, as if it had been started here (the file and its problem rows are not known
     * then). @p startedAt, from importStarted(), makes the elapsed time right. False when the
     * resource is unknown or an import of this wizard is still running.
     */
    bool resumeJob(const QString &resourceName, const QString &jobId,
                   const QDateTime &startedAt = {});

    /// Whether an import is being started or followed and has not ended: closing the wizard
    /// then only hides it.
    bool isImportRunning() const;
    /// The job followed on the run page (null before an import was started).
    ImportJob *job() const;

    ImportFilePage *filePage() const { return m_filePage; }
    ImportValidatePage *validatePage() const { return m_validatePage; }
    ImportRunPage *runPage() const { return m_runPage; }
    ImportSummaryPage *summaryPage() const { return m_summaryPage; }

    /// A server error as a sentence for the user: the server's message and its field
    /// messages, or what kept the request from reaching the server. No error codes.
    static QString describeError(const RestError &error);

Q_SIGNALS:
    /// The server accepted an import (or resumeJob() picked one up): keep @p jobId to find
    /// the job again after the wizard is gone.
    void importStarted(const QString &resourceName, const QString &jobId,
                       const QDateTime &startedAt);
    /// An import ended: lists of @p resourceName should be read again.
    void importFinished(const QString &resourceName, const QString &jobId,
                        livedesk::ImportJob::Status status);

protected:
    /// Closing while an import runs only hides the wizard (see the class description).
    void done(int result) override;
    void initializePage(int id) override;
    void cleanupPage(int id) override;

private:
    class Resume
    {
    public:
        ResourceSchema resource;
        QString jobId;
        QDateTime startedAt;
    };

    void jobFinished(ImportJob::Status status);

    QList<ResourceSchema> m_resources;
    std::optional<Resume> m_resume;
    ImportFilePage *m_filePage;
    ImportValidatePage *m_validatePage;
    ImportRunPage *m_runPage;
    ImportSummaryPage *m_summaryPage;
};

} // namespace livedesk
