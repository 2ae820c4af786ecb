// SPDX-License-Identifier: MIT
#pragma once

#include "importvalidatepage.h"
#include "state/importjob.h"

#include <QtCore/QList>
#include <QtWidgets/QWizardPage>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace livedesk {

class ImportRunPage;

/**
 * Last page of the ImportWizard: how the import ended.
 *
 * The counts are the server's (the job's final status): rows processed, imported, not
 * imported, and the time it took. The rows the server found invalid when the file was
 * checked (skipped by the import) are listed and can be exported to a CSV file
 * (`row,field,message,value`, RFC 4180 quoting, UTF-8) for whoever corrects the file. Rows
 * the database refused during the import itself (a value taken meanwhile) are counted by the
 * server but not listed by it; the page says so when there are any.
 */
class ImportSummaryPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit ImportSummaryPage(QWidget *parent = nullptr);
    ~ImportSummaryPage() override;

    /// Shows the outcome of the job @p run followed (its job has ended).
    void showOutcome(const ImportRunPage &run);

    ImportJob::Status status() const { return m_status; }
    int totalRecords() const { return m_total; }
    int processedRecords() const { return m_processed; }
    int successCount() const { return m_success; }
    int failedCount() const { return m_failed; }
    /// The rows listed as not imported (the check's problems), sorted by row.
    const QList<QJsonObject> &errors() const { return m_errors; }
    QTableView *errorsView() const { return m_errorsView; }

    /// Writes errors() to @p fileName as CSV; false with a message on the page if it cannot.
    bool exportErrors(const QString &fileName);
    /// The CSV exportErrors() writes: a `row,field,message,value` header and one line per
    /// problem, fields quoted when they hold a comma, quote, line break or edge space.
    static QByteArray errorsCsv(const QList<QJsonObject> &errors);

Q_SIGNALS:
    /// The problems were written to @p fileName.
    void errorsExported(const QString &fileName);

private:
    void askExportFile();

    ImportJob::Status m_status = ImportJob::Status::Pending;
    int m_total = 0;
    int m_processed = 0;
    int m_success = 0;
    int m_failed = 0;
    QList<QJsonObject> m_errors;
    QString m_resourceName;

    QLabel *m_headline;
    QLabel *m_processedLabel;
    QLabel *m_importedLabel;
    QLabel *m_failedLabel;
    QLabel *m_timeLabel;
    QLabel *m_details;
    QLabel *m_errorsLabel;
    QStandardItemModel *m_errorsModel;
    QTableView *m_errorsView;
    QPushButton *m_export;
    QLabel *m_message;
};

} // namespace livedesk
