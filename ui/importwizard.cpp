// SPDX-License-Identifier: MIT
#include "importwizard.h"

#include "importfilepage.h"
#include "importrunpage.h"
#include "importsummarypage.h"
#include "importvalidatepage.h"
#include "rest/resterror.h"
#include "state/session.h"

#include <QtCore/QJsonArray>
#include <QtWidgets/QAbstractButton>

using namespace Qt::StringLiterals;

namespace livedesk {

ImportWizard::ImportWizard(Session *session, QWidget *parent)
    : QWizard(parent)
    , m_resources(session->resources())
    , m_filePage(new ImportFilePage(session->api(), m_resources, this))
    , m_validatePage(new ImportValidatePage(session->api(), this))
    , m_runPage(new ImportRunPage(session, this))
    , m_summaryPage(new ImportSummaryPage(this))
{
    setWindowTitle(tr("Import records"));
    setAccessibleName(tr("Import records"));
    setOptions(options() | QWizard::NoCancelButtonOnLastPage | QWizard::NoBackButtonOnLastPage);
    setButtonText(QWizard::CommitButton, tr("&Import"));
    setPage(FilePageId, m_filePage);
    setPage(ValidatePageId, m_validatePage);
    setPage(RunPageId, m_runPage);
    setPage(SummaryPageId, m_summaryPage);
    setStartId(FilePageId);

    connect(m_runPage, &ImportRunPage::jobStarted, this, [this](const QString &jobId) {
        Q_EMIT importStarted(m_runPage->resource().name, jobId, m_runPage->startedAt());
    });
    connect(m_runPage, &ImportRunPage::jobFinished, this, &ImportWizard::jobFinished);
    resize(820, 600);
}

ImportWizard::~ImportWizard() = default;

bool ImportWizard::selectResource(const QString &name)
{
    return m_filePage->selectResource(name);
}

bool ImportWizard::resumeJob(const QString &resourceName, const QString &jobId,
                             const QDateTime &startedAt)
{
    if (isImportRunning() || jobId.isEmpty())
        return false;
    for (const ResourceSchema &r : std::as_const(m_resources)) {
        if (r.name != resourceName)
            continue;
        m_filePage->selectResource(resourceName);
        m_resume = Resume{r, jobId, startedAt};
        setStartId(RunPageId);
        restart();
        return true;
    }
    return false;
}

bool ImportWizard::isImportRunning() const
{
    return m_runPage->isRunning();
}

ImportJob *ImportWizard::job() const
{
    return m_runPage->job();
}

QString ImportWizard::describeError(const RestError &error)
{
    if (error.isNull())
        return {};
    if (error.isNetworkError()) {
        if (error.code == u"TIMEOUT")
            return tr("The server did not answer in time. Try again later.");
        return tr("The server could not be reached (%1). Check the connection and try again.")
            .arg(error.message);
    }
    if (error.code == u"BAD_RESPONSE")
        return tr("The server sent an answer that could not be understood.");
    QString text = error.message.isEmpty() ? tr("The server refused the request.") : error.message;
    if (!text.endsWith(u'.'))
        text += u'.';
    QStringList lines{text};
    const QJsonArray details = error.fieldErrors();
    for (const QJsonValue &v : details) {
        const QJsonObject d = v.toObject();
        const QString field = d.value(u"field").toString();
        const QString message = d.value(u"message").toString();
        if (message.isEmpty())
            continue;
        lines.append(field.isEmpty() ? tr("• %1").arg(message)
                                     : tr("• %1: %2").arg(field, message));
    }
    return lines.join(u'\n');
}

void ImportWizard::done(int result)
{
    if (result == QDialog::Rejected && currentId() == RunPageId && m_runPage->isRunning()) {
        // Closing is not cancelling: QWizard::done() would reset the pages and drop the job.
        // Hidden, the wizard keeps following it; showing it again shows it.
        QDialog::done(result);
        return;
    }
    QWizard::done(result);
    if (isVisible())
        return; // the page refused to finish
    m_resume.reset();
    setStartId(FilePageId);
    // QWizard resets itself only when rejected; the next opening starts afresh either way.
    if (result == QDialog::Accepted)
        restart();
}

void ImportWizard::initializePage(int id)
{
    QWizard::initializePage(id);
    switch (id) {
    case ValidatePageId:
        m_validatePage->check(m_filePage->resource(), m_filePage->filePath());
        break;
    case RunPageId:
        if (m_resume) {
            const Resume resume = *m_resume;
            m_resume.reset();
            m_runPage->follow(resume.resource, resume.jobId, resume.startedAt);
        } else {
            m_runPage->start(m_validatePage->result(), m_validatePage->skipInvalidRows());
        }
        break;
    case SummaryPageId:
        m_summaryPage->showOutcome(*m_runPage);
        break;
    default:
        break;
    }
}

void ImportWizard::cleanupPage(int id)
{
    QWizard::cleanupPage(id);
    // ImportValidatePage cleans up after itself. Emptying the run page stops following its job
    // (the server's job goes on); done() does not get here while an import runs.
    if (id == RunPageId)
        m_runPage->clear();
}

void ImportWizard::jobFinished(ImportJob::Status status)
{
    const QString resourceName = m_runPage->resource().name;
    const QString jobId = m_runPage->jobId();
    // The summary is the page to see now, whether the wizard is shown or hidden.
    if (currentId() == RunPageId)
        next();
    Q_EMIT importFinished(resourceName, jobId, status);
}

} // namespace livedesk
