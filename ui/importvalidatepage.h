// SPDX-License-Identifier: MIT
#pragma once

#include "state/resourceschema.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtWidgets/QWizardPage>

class QCheckBox;
class QLabel;
class QProgressBar;
class QStandardItemModel;
class QTabWidget;
class QTableView;

namespace livedesk {

class ApiClient;
class RestReply;

/**
 * Second page of the ImportWizard: the chosen file checked by the server
 * (`POST <resource>/import/validate`), before anything is written.
 *
 * It shows the server's counts (rows, valid, invalid, problems), a table of the problems
 * (row, field, message, value) and a preview of the first valid rows as they will be stored,
 * and offers to skip the invalid rows. Without that option the server refuses a file with any
 * invalid row, so the page lets the import start only when every row is valid or the option
 * is checked; Back returns to the file page to choose a corrected file.
 *
 * The file is read on a worker thread and uploaded asynchronously, so a large file never
 * holds up the window; going Back while it is read or checked abandons the check.
 */
class ImportValidatePage : public QWizardPage
{
    Q_OBJECT

public:
    /** What the server said about one file: its import session, counts and problems. */
    class Result
    {
    public:
        /// The resource the file was checked for.
        ResourceSchema resource;
        /// The file as chosen by the user (a local path).
        QString filePath;
        /// Handed to `import/execute`; empty until a check succeeded.
        QString sessionId;
        int totalRows = 0;
        int validRows = 0;
        int invalidRows = 0;
        /// Problems found (a row may have several); errors holds at most the server's limit.
        int errorCount = 0;
        bool errorsTruncated = false;
        /// `{row, line, field, code, message, value}` as sent, sorted by row.
        QList<QJsonObject> errors;
        /// The first valid rows, typed as they will be stored.
        QJsonArray preview;

        bool isValid() const { return !sessionId.isEmpty(); }
    };

    explicit ImportValidatePage(ApiClient *api, QWidget *parent = nullptr);
    ~ImportValidatePage() override;

    /// Reads @p filePath and has the server check it for @p resource; checked() when done.
    /// Abandons a check still running.
    void check(const ResourceSchema &resource, const QString &filePath);
    /// Abandons a check still running and forgets the last result.
    void clear();

    bool isChecking() const;
    /// The last successful check (invalid while checking or after a failure).
    const Result &result() const { return m_result; }
    /// Why the file could not be checked, in a sentence for the user (empty otherwise).
    QString errorText() const { return m_errorText; }

    bool skipInvalidRows() const;
    void setSkipInvalidRows(bool skip);

    /// The problems and preview tables, for tests and accessibility tools.
    QTableView *errorsView() const { return m_errorsView; }
    QTableView *previewView() const { return m_previewView; }

    bool isComplete() const override;
    void cleanupPage() override;

Q_SIGNALS:
    /// A check ended, successfully (result() is valid) or not (errorText()).
    void checked();

private:
    // Drops the check in progress, without a word (also from the destructor).
    void abandon();
    void upload(const QByteArray &contents);
    void showResult(const QJsonObject &data);
    void showFailure(const QString &message);
    void updateNotes();

    QPointer<ApiClient> m_api;
    Result m_result;
    ResourceSchema m_resource;
    QString m_filePath;
    QString m_errorText;
    // Bumped by every check() and clear(): answers of an abandoned check are dropped.
    quint64 m_generation = 0;
    bool m_reading = false;
    QPointer<RestReply> m_reply;

    QLabel *m_status;
    QProgressBar *m_busy;
    QLabel *m_summary;
    QTabWidget *m_tabs;
    QStandardItemModel *m_errors;
    QTableView *m_errorsView;
    QStandardItemModel *m_preview;
    QTableView *m_previewView;
    QLabel *m_truncated;
    QCheckBox *m_skip;
    QLabel *m_note;
};

} // namespace livedesk
