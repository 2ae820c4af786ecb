// SPDX-License-Identifier: MIT
#include "importrunpage.h"

#include "importwizard.h"
#include "rest/apiclient.h"
#include "rest/resterror.h"
#include "rest/restreply.h"
#include "state/session.h"

#include <QtCore/QLocale>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

QString displayName(const ResourceSchema &resource)
{
    return resource.label.isEmpty() ? resource.name : resource.label;
}

QString duration(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    const QString mmss = u"%1:%2"_s.arg(s / 60 % 60).arg(s % 60, 2, 10, QChar(u'0'));
    return s >= 3600 ? u"%1:%2"_s.arg(s / 3600).arg(mmss.rightJustified(5, QChar(u'0'))) : mmss;
}

QString number(int n)
{
    return QLocale().toString(n);
}

} // namespace

ImportRunPage::ImportRunPage(Session *session, QWidget *parent)
    : QWizardPage(parent)
    , m_session(session)
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_counts(new QWidget(this))
    , m_processed(new QLabel(this))
    , m_imported(new QLabel(this))
    , m_failed(new QLabel(this))
    , m_elapsed(new QLabel(this))
    , m_sourceLabel(new QLabel(this))
    , m_note(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel &import"), this))
    , m_retry(new QPushButton(tr("&Try again"), this))
{
    setTitle(tr("Import"));
    setSubTitle(tr("The server imports the rows in batches and reports its progress."));
    // The wizard's own Cancel only closes the window here: the import goes on.
    setButtonText(QWizard::CancelButton, tr("&Close"));

    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    // Focusable, so that the page opens on what it says rather than on Cancel import.
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_status->setAccessibleName(tr("Import status"));
    m_progress->setRange(0, 100);
    m_progress->setAccessibleName(tr("Import progress"));
    for (QLabel *l : {m_processed, m_imported, m_failed, m_elapsed}) {
        l->setTextFormat(Qt::PlainText);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_processed->setAccessibleName(tr("Rows processed"));
    m_imported->setAccessibleName(tr("Rows imported"));
    m_failed->setAccessibleName(tr("Rows not imported"));
    m_elapsed->setAccessibleName(tr("Time elapsed"));
    m_sourceLabel->setWordWrap(true);
    m_sourceLabel->setTextFormat(Qt::PlainText);
    m_sourceLabel->setAccessibleName(tr("How progress is updated"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setText(tr("You can close this window: the server goes on importing, and opening "
                       "the import again shows how far it got."));
    m_cancel->setAccessibleName(tr("Cancel the import"));
    m_cancel->setToolTip(tr("Stops the import. Rows already imported stay."));
    m_cancel->setAutoDefault(false);
    m_retry->setAccessibleName(tr("Try to start the import again"));

    auto *form = new QFormLayout(m_counts);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Processed:"), m_processed);
    form->addRow(tr("Imported:"), m_imported);
    form->addRow(tr("Not imported:"), m_failed);
    form->addRow(tr("Elapsed:"), m_elapsed);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(m_counts);
    layout->addWidget(m_sourceLabel);
    layout->addStretch(1);
    layout->addWidget(m_note);
    layout->addLayout(buttons);

    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ImportRunPage::refresh);
    connect(m_cancel, &QPushButton::clicked, this, &ImportRunPage::cancelImport);
    connect(m_retry, &QPushButton::clicked, this, &ImportRunPage::sendExecute);
    if (m_session) {
        connect(m_session, &Session::connectionStatusChanged, this,
                &ImportRunPage::updateSourceFromJob);
    }
    clear();
}

ImportRunPage::~ImportRunPage()
{
    // Leaving is not cancelling: the server goes on with the job.
    clear();
}

void ImportRunPage::clear()
{
    if (m_executeReply) {
        disconnect(m_executeReply, nullptr, this, nullptr);
        m_executeReply->abort();
    }
    if (m_cancelReply) {
        disconnect(m_cancelReply, nullptr, this, nullptr);
        m_cancelReply->abort();
    }
    if (m_job) {
        // Possibly called from a slot of the job's own finished(): not deleted under its feet.
        disconnect(m_job, nullptr, this, nullptr);
        m_job->deleteLater();
        m_job = nullptr;
    }
    m_executeReply = nullptr;
    m_cancelReply = nullptr;
    m_resource = ResourceSchema();
    m_validation = ImportValidatePage::Result();
    m_skipInvalid = false;
    m_startedAt = {};
    m_finishedAt = {};
    m_knowsStart = false;
    m_pickedUp = false;
    m_tick.stop();
    m_source = UpdateSource::None;
    m_seenEventUpdates = 0;
    m_seenPolledUpdates = 0;
    m_cancelUnsupported = false;
    m_errorText.clear();
    m_retry->hide();
    refresh();
}

void ImportRunPage::start(const ImportValidatePage::Result &validation, bool skipInvalid)
{
    clear();
    m_resource = validation.resource;
    m_validation = validation;
    m_skipInvalid = skipInvalid;
    sendExecute();
}

void ImportRunPage::sendExecute()
{
    if (m_executeReply || m_job)
        return;
    m_errorText.clear();
    m_retry->hide();
    ApiClient *const api = this->api();
    if (!api || !m_validation.isValid()) {
        m_errorText = tr("There is no checked file to import.");
        refresh();
        return;
    }
    RestReply *reply
        = api->importExecute(m_resource.restPath, m_validation.sessionId, m_skipInvalid);
    m_executeReply = reply;
    refresh();
    connect(reply, &RestReply::finished, this, [this, reply] {
        m_executeReply = nullptr;
        const QString jobId = reply->data().toObject().value(u"jobId").toString();
        if (!reply->ok() || jobId.isEmpty()) {
            const RestError error = reply->error();
            // Only a request that did not get through may work a second time; a refusal (an
            // expired check, invalid rows not skipped) needs the file checked again.
            const bool retryable = !reply->ok()
                && (error.isNetworkError() || error.httpStatus >= 500 || error.httpStatus == 0);
            if (reply->ok())
                m_errorText = tr("The server did not say which import it started.");
            else if (error.code == u"NOT_FOUND")
                m_errorText = tr("The server no longer holds the checked file: the check "
                                 "expired, or the file has been imported already.");
            else
                m_errorText = ImportWizard::describeError(error);
            if (!retryable)
                m_errorText += u'\n'
                    + tr("Close this window and start again to have the file checked anew.");
            m_retry->setVisible(retryable);
            refresh();
            Q_EMIT completeChanged();
            return;
        }
        m_startedAt = QDateTime::currentDateTime();
        m_knowsStart = true;
        followJob(jobId);
    });
}

void ImportRunPage::follow(const ResourceSchema &resource, const QString &jobId,
                           const QDateTime &startedAt)
{
    clear();
    m_resource = resource;
    m_knowsStart = startedAt.isValid();
    m_startedAt = m_knowsStart ? startedAt : QDateTime::currentDateTime();
    m_pickedUp = true;
    // A job made from its id asks for its status at once: one that ended long ago shows so.
    followJob(jobId);
}

void ImportRunPage::followJob(const QString &jobId)
{
    if (!m_session)
        return; // signed out under the page's feet: nothing to follow the job with
    m_job = m_session->followImport(m_resource.restPath, jobId, this);
    connect(m_job, &ImportJob::progressChanged, this, &ImportRunPage::refresh);
    connect(m_job, &ImportJob::finished, this, &ImportRunPage::jobEnded);
    m_tick.start();
    updateSourceFromJob();
    refresh();
    Q_EMIT jobStarted(jobId);
}

ApiClient *ImportRunPage::api() const
{
    return m_session ? m_session->api() : nullptr;
}

QString ImportRunPage::jobId() const
{
    return m_job ? m_job->jobId() : QString();
}

bool ImportRunPage::isRunning() const
{
    return m_executeReply || (m_job && !m_job->isFinished());
}

qint64 ImportRunPage::elapsedMs() const
{
    if (!m_startedAt.isValid())
        return 0;
    const QDateTime end = m_finishedAt.isValid() ? m_finishedAt : QDateTime::currentDateTime();
    return std::max<qint64>(0, m_startedAt.msecsTo(end));
}

bool ImportRunPage::isComplete() const
{
    return m_job && m_job->isFinished();
}

QString ImportRunPage::updateSourceText() const
{
    return m_sourceLabel->text();
}

void ImportRunPage::cancelImport()
{
    ApiClient *const api = this->api();
    if (!m_job || m_job->isFinished() || m_cancelReply || !api)
        return;
    RestReply *reply = api->importCancel(m_resource.restPath, m_job->jobId());
    m_cancelReply = reply;
    m_errorText.clear();
    refresh();
    connect(reply, &RestReply::finished, this, [this, reply] {
        m_cancelReply = nullptr;
        const RestError error = reply->error();
        // Success, or the job ended meanwhile: either way its final status is on its way.
        if (!reply->ok() && error.code != u"JOB_ALREADY_FINISHED") {
            // No such route: a server that cannot cancel imports (AegisX without it).
            m_cancelUnsupported = error.httpStatus == 404 || error.httpStatus == 405
                || error.httpStatus == 501 || error.code == u"NOT_IMPLEMENTED";
            m_errorText = m_cancelUnsupported
                ? tr("This server cannot cancel imports; the import goes on.")
                : tr("The import could not be cancelled. %1")
                      .arg(ImportWizard::describeError(error));
        }
        refresh();
    });
}

void ImportRunPage::updateSourceFromJob()
{
    if (!m_job) {
        m_source = UpdateSource::None;
    } else if (!m_job->isFinished()) {
        const bool connected = m_session
            && m_session->connectionStatus().state == ConnectionStatus::State::Connected;
        const bool polledLast = m_job->polledUpdates() > m_seenPolledUpdates
            && m_job->eventUpdates() == m_seenEventUpdates;
        // Connected but silent: ImportJob asks the server meanwhile, and so says the page.
        m_source = connected && !polledLast ? UpdateSource::Live : UpdateSource::Polling;
        m_seenEventUpdates = m_job->eventUpdates();
        m_seenPolledUpdates = m_job->polledUpdates();
    }
    switch (m_source) {
    case UpdateSource::None:
        m_sourceLabel->clear();
        break;
    case UpdateSource::Live:
        m_sourceLabel->setText(tr("Live updates: the server reports progress as it happens."));
        break;
    case UpdateSource::Polling:
        m_sourceLabel->setText(
            tr("Live updates are unavailable (the connection is down or silent): polling the "
               "server every second for progress."));
        break;
    }
}

void ImportRunPage::jobEnded(ImportJob::Status status)
{
    m_finishedAt = QDateTime::currentDateTime();
    m_tick.stop();
    refresh();
    Q_EMIT completeChanged();
    Q_EMIT jobFinished(status);
}

void ImportRunPage::refresh()
{
    const QString name = displayName(m_resource);
    QString status;
    int percent = 0;
    int processed = 0;
    int total = 0;
    int imported = 0;
    int failed = 0;
    if (m_job) {
        percent = m_job->progress();
        processed = m_job->processedRecords();
        total = m_job->totalRecords();
        imported = m_job->successCount();
        failed = m_job->failedCount();
        const bool unknown = m_pickedUp && m_job->lastProgress().isEmpty();
        switch (m_job->status()) {
        case ImportJob::Status::Pending:
            status = unknown
                ? tr("Asking the server how the import into %1 is going…").arg(name)
                : tr("The import into %1 is waiting to start on the server.").arg(name);
            break;
        case ImportJob::Status::Processing:
            status = m_cancelReply ? tr("Cancelling the import into %1…").arg(name)
                                   : tr("Importing into %1…").arg(name);
            break;
        case ImportJob::Status::Completed:
            status = tr("The import into %1 is complete.").arg(name);
            break;
        case ImportJob::Status::Failed:
            status = tr("The import into %1 failed.").arg(name);
            break;
        case ImportJob::Status::Cancelled:
            status = tr("The import into %1 was cancelled.").arg(name);
            break;
        }
        updateSourceFromJob();
    } else if (m_executeReply) {
        status = tr("Starting the import into %1…").arg(name);
        total = m_skipInvalid ? m_validation.totalRows : m_validation.validRows;
    } else if (!m_errorText.isEmpty()) {
        status = tr("The import could not be started.");
    }
    if (!m_errorText.isEmpty())
        status += u'\n' + m_errorText;
    m_status->setText(status);

    m_progress->setValue(percent);
    // Nothing to count when the import could not be started.
    const bool counting = m_job || m_executeReply;
    m_progress->setVisible(counting);
    m_counts->setVisible(counting);
    m_processed->setText(total > 0 ? tr("%1 of %2 rows").arg(number(processed), number(total))
                                   : number(processed));
    m_imported->setText(number(imported));
    m_failed->setText(number(failed));
    QString elapsed = m_startedAt.isValid() ? duration(elapsedMs()) : QString();
    if (!elapsed.isEmpty() && !m_knowsStart)
        elapsed = tr("%1 (since the import was reopened)").arg(elapsed);
    m_elapsed->setText(elapsed);
    m_progress->setAccessibleDescription(
        tr("%1 of %2 rows processed").arg(number(processed), number(total)));

    const bool running = m_job && !m_job->isFinished();
    m_cancel->setVisible(m_job != nullptr && !m_cancelUnsupported);
    m_cancel->setEnabled(running && !m_cancelReply);
    m_note->setVisible(running || m_executeReply);
}

} // namespace livedesk
