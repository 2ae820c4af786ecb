// SPDX-License-Identifier: MIT
#include "importsummarypage.h"

#include "csvtext.h"

#include "importrunpage.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QLocale>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>
#include <QtGui/QStandardItemModel>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

QString number(qsizetype n)
{
    return QLocale().toString(qint64(n));
}

QString duration(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    const QString mmss = u"%1:%2"_s.arg(s / 60 % 60).arg(s % 60, 2, 10, QChar(u'0'));
    return s >= 3600 ? u"%1:%2"_s.arg(s / 3600).arg(mmss.rightJustified(5, QChar(u'0'))) : mmss;
}

// The value as it was in the file: text as is, anything else in its JSON spelling.
QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
    }
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

} // namespace

ImportSummaryPage::ImportSummaryPage(QWidget *parent)
    : QWizardPage(parent)
    , m_headline(new QLabel(this))
    , m_processedLabel(new QLabel(this))
    , m_importedLabel(new QLabel(this))
    , m_failedLabel(new QLabel(this))
    , m_timeLabel(new QLabel(this))
    , m_details(new QLabel(this))
    , m_errorsLabel(new QLabel(this))
    , m_errorsModel(new QStandardItemModel(this))
    , m_errorsView(new QTableView(this))
    , m_export(new QPushButton(tr("&Export rows with problems…"), this))
    , m_message(new QLabel(this))
{
    setTitle(tr("Summary"));
    setSubTitle(tr("How the import ended, in the server's counts."));

    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);
    for (QLabel *l : {m_headline, m_processedLabel, m_importedLabel, m_failedLabel, m_timeLabel,
                      m_details, m_errorsLabel, m_message}) {
        l->setWordWrap(true);
        l->setTextFormat(Qt::PlainText);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_headline->setAccessibleName(tr("Outcome of the import"));
    m_processedLabel->setAccessibleName(tr("Rows processed"));
    m_importedLabel->setAccessibleName(tr("Rows imported"));
    m_failedLabel->setAccessibleName(tr("Rows not imported"));
    m_timeLabel->setAccessibleName(tr("Time taken"));
    auto *counts = new QFormLayout;
    counts->addRow(tr("Processed:"), m_processedLabel);
    counts->addRow(tr("Imported:"), m_importedLabel);
    counts->addRow(tr("Not imported:"), m_failedLabel);
    counts->addRow(tr("Time:"), m_timeLabel);

    m_errorsModel->setHorizontalHeaderLabels({tr("Row"), tr("Field"), tr("Problem"), tr("Value")});
    m_errorsView->setModel(m_errorsModel);
    m_errorsView->setAccessibleName(tr("Rows with problems"));
    m_errorsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_errorsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_errorsView->setAlternatingRowColors(true);
    m_errorsView->setTabKeyNavigation(false);
    m_errorsView->setWordWrap(false);
    m_errorsView->verticalHeader()->hide();
    m_errorsView->horizontalHeader()->setStretchLastSection(true);
    m_errorsView->verticalHeader()->setDefaultSectionSize(m_errorsView->fontMetrics().height() + 8);
    m_errorsLabel->setBuddy(m_errorsView);
    m_export->setAccessibleName(tr("Export the rows with problems to a CSV file"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_message, 1);
    buttons->addWidget(m_export);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addLayout(counts);
    layout->addWidget(m_details);
    layout->addWidget(m_errorsLabel);
    layout->addWidget(m_errorsView, 1);
    layout->addLayout(buttons);

    connect(m_export, &QPushButton::clicked, this, &ImportSummaryPage::askExportFile);
}

ImportSummaryPage::~ImportSummaryPage() = default;

void ImportSummaryPage::showOutcome(const ImportRunPage &run)
{
    const ImportJob *job = run.job();
    const ResourceSchema resource = run.resource();
    m_resourceName = resource.name;
    const QString name = resource.label.isEmpty() ? resource.name : resource.label;
    m_status = job ? job->status() : ImportJob::Status::Failed;
    m_total = job ? job->totalRecords() : 0;
    m_processed = job ? job->processedRecords() : 0;
    m_success = job ? job->successCount() : 0;
    m_failed = job ? job->failedCount() : 0;
    const ImportValidatePage::Result &validation = run.validation();
    m_errors = validation.errors;
    m_message->clear();

    switch (m_status) {
    case ImportJob::Status::Completed:
        m_headline->setText(tr("The import into %1 is complete.").arg(name));
        break;
    case ImportJob::Status::Cancelled:
        m_headline->setText(tr("The import into %1 was cancelled. Rows imported before it "
                               "stopped stay.")
                                .arg(name));
        break;
    case ImportJob::Status::Failed: {
        const QString why = job ? job->errorText() : run.errorText();
        m_headline->setText(why.isEmpty() ? tr("The import into %1 failed.").arg(name)
                                          : tr("The import into %1 failed: %2").arg(name, why));
        break;
    }
    case ImportJob::Status::Pending:
    case ImportJob::Status::Processing:
        m_headline->setText(tr("The import into %1 has not ended yet.").arg(name));
        break;
    }
    m_processedLabel->setText(tr("%1 of %2 rows").arg(number(m_processed), number(m_total)));
    m_importedLabel->setText(number(m_success));
    m_failedLabel->setText(number(m_failed));
    m_timeLabel->setText(duration(run.elapsedMs()));

    QStringList details;
    if (m_status != ImportJob::Status::Completed && m_total > m_processed)
        details.append(tr("%1 rows were not processed because the import stopped.")
                           .arg(number(m_total - m_processed)));
    if (validation.isValid()) {
        details.append(tr("File: %1").arg(QDir::toNativeSeparators(validation.filePath)));
        // The server counts skipped invalid rows as failed; more than those were refused
        // while storing, and the server does not list them.
        const int refusedWhileStoring
            = m_failed - (m_status == ImportJob::Status::Completed ? validation.invalidRows : 0);
        if (m_status == ImportJob::Status::Completed && refusedWhileStoring > 0)
            details.append(tr("%1 rows were refused while being stored (for example a value "
                              "another user took since the check); the server does not list "
                              "them.")
                               .arg(number(refusedWhileStoring)));
        if (validation.errorsTruncated || validation.errors.size() < validation.errorCount)
            details.append(
                tr("The server listed the first %1 of %2 problems; the list and the "
                   "export hold those.")
                    .arg(number(validation.errors.size()), number(validation.errorCount)));
    } else if (m_failed > 0) {
        details.append(tr("This import was reopened: the rows with problems are listed only in "
                          "the window that checked the file."));
    }
    m_details->setText(details.join(u'\n'));
    m_details->setVisible(!details.isEmpty());

    m_errorsModel->removeRows(0, m_errorsModel->rowCount());
    for (const QJsonObject &e : std::as_const(m_errors)) {
        auto *row = new QStandardItem;
        row->setData(e.value(u"row").toInt(), Qt::DisplayRole);
        const QString field = e.value(u"field").toString();
        auto *message = new QStandardItem(e.value(u"message").toString());
        message->setToolTip(message->text());
        auto *value = new QStandardItem(valueText(e.value(u"value")));
        value->setToolTip(value->text());
        m_errorsModel->appendRow(
            {row, new QStandardItem(field.isEmpty() ? tr("(whole row)") : field), message, value});
    }
    m_errorsView->resizeColumnToContents(0);
    m_errorsView->setColumnWidth(1, 120);
    m_errorsView->setColumnWidth(2, 360);
    const bool listed = !m_errors.isEmpty();
    m_errorsLabel->setText(tr("Rows with problems, found when the file was checked (never "
                              "imported):"));
    m_errorsLabel->setVisible(listed);
    m_errorsView->setVisible(listed);
    m_export->setVisible(listed);
    m_export->setEnabled(listed);
}

void ImportSummaryPage::askExportFile()
{
    auto *dialog = new QFileDialog(this, tr("Export the rows with problems"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setNameFilters({tr("CSV files (*.csv)"), tr("All files (*)")});
    dialog->setDefaultSuffix(u"csv"_s);
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    dialog->setDirectory(documents.isEmpty() ? QDir::homePath() : documents);
    dialog->selectFile(tr("%1-import-problems.csv").arg(m_resourceName));
    connect(dialog, &QFileDialog::fileSelected, this, &ImportSummaryPage::exportErrors);
    dialog->open();
}

bool ImportSummaryPage::exportErrors(const QString &fileName)
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(errorsCsv(m_errors)) < 0 || !file.commit()) {
        m_message->setText(tr("The list could not be saved to %1: %2")
                               .arg(QDir::toNativeSeparators(fileName), file.errorString()));
        m_message->setStyleSheet(u"color: #b00020;"_s);
        return false;
    }
    m_message->setStyleSheet(QString());
    m_message->setText(tr("%1 problems saved to %2.")
                           .arg(number(m_errors.size()), QDir::toNativeSeparators(fileName)));
    Q_EMIT errorsExported(fileName);
    return true;
}

QByteArray ImportSummaryPage::errorsCsv(const QList<QJsonObject> &errors)
{
    QString out = CsvText::line({u"row"_s, u"field"_s, u"message"_s, u"value"_s});
    for (const QJsonObject &e : errors) {
        out += CsvText::line({QString::number(e.value(u"row").toInt()),
                              e.value(u"field").toString(), e.value(u"message").toString(),
                              valueText(e.value(u"value"))});
    }
    return CsvText::file(out);
}

} // namespace livedesk
