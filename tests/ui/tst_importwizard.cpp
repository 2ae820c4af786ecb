// SPDX-License-Identifier: MIT
// The import wizard, offscreen, against livedesk-server on a thread of its own (as the
// workstation runs it), on a signed-in Session as the workstation makes it: a 10,000-row file
// with invalid rows from choosing it to exporting its problems, progress by events and by
// polling (a session whose socket is down, one whose socket drops and comes back mid-run),
// Back, closing and reopening mid-run, cancel. Each test saves screenshots of the wizard.
#include "importfilepage.h"
#include "importrunpage.h"
#include "importservice.h"
#include "importsummarypage.h"
#include "importvalidatepage.h"
#include "importwizard.h"
#include "livedeskserver.h"
#include "restoutcome.h"
#include "serverthread.h"
#include "signedinsession.h"
#include "state/importjob.h"
#include "state/session.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QLocale>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk;
using test::await;

namespace {

constexpr int Patience = 60000;
const QString Patients = u"/api/patients"_s;

/** The longest turn of the event loop since reset(), seen by a 5 ms timer. */
class StallWatch
{
public:
    StallWatch()
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer,
                         [this] { m_longest = std::max(m_longest, m_since.restart()); });
        reset();
        m_timer.start();
    }
    void reset()
    {
        m_longest = 0;
        m_since.start();
    }
    qint64 longestMs() const { return std::max(m_longest, m_since.elapsed()); }

private:
    QTimer m_timer;
    QElapsedTimer m_since;
    qint64 m_longest = 0;
};

/** The rows of a generated file that the server must find invalid, and why. */
class Expected
{
public:
    QList<int> invalidRows;
    QHash<int, QString> fieldOf;
};

// @p rowCount patient rows "<prefix>-000001"...: every 200th row has a sex the schema does
// not know, every 333rd row no name, and row rowCount - 1 repeats the hn of row 1.
QByteArray patientCsv(const QByteArray &prefix, int rowCount, Expected *expected)
{
    QByteArray csv = "hn,name,date_of_birth,sex,ward,status\n";
    csv.reserve(rowCount * 64);
    for (int i = 1; i <= rowCount; ++i) {
        const bool badSex = i % 200 == 0;
        const bool noName = i % 333 == 0;
        const bool duplicate = i == rowCount - 1 && rowCount > 2;
        csv += prefix + "-" + QByteArray::number(duplicate ? 1 : i).rightJustified(6, '0') + ","
            + (noName ? QByteArray() : "Patient " + QByteArray::number(i)) + ",19"
            + QByteArray::number(30 + i % 70) + "-0" + QByteArray::number(1 + i % 9) + "-1"
            + QByteArray::number(i % 9) + (badSex ? ",maybe" : (i % 2 ? ",female" : ",male"))
            + ",Ward " + QByteArray::number(i % 12) + ",admitted\n";
        if (expected && (badSex || noName || duplicate)) {
            expected->invalidRows.append(i);
            expected->fieldOf.insert(i, badSex ? u"sex"_s : noName ? u"name"_s : u"hn"_s);
        }
    }
    return csv;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &contents)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        return {};
    return path;
}

// RFC 4180, enough to read back what the wizard exports (quotes, doubled quotes, CRLF).
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row.append(field);
            field.clear();
        } else if (c == u'\r') {
            continue;
        } else if (c == u'\n') {
            row.append(field);
            rows.append(row);
            row.clear();
            field.clear();
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty()) {
        row.append(field);
        rows.append(row);
    }
    return rows;
}

// Every control of @p page that takes focus has a name for assistive technology.
bool controlsAreNamed(QWidget *page)
{
    bool ok = true;
    const auto widgets = page->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(page))
            continue;
        const bool control = qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w)
            || qobject_cast<QAbstractButton *>(w) || qobject_cast<QProgressBar *>(w)
            || qobject_cast<QTableView *>(w) || qobject_cast<QTabWidget *>(w);
        if (!control || qobject_cast<QLineEdit *>(w->parentWidget()))
            continue;
        const auto *button = qobject_cast<QAbstractButton *>(w);
        if (w->accessibleName().isEmpty() && !(button && !button->text().isEmpty())) {
            qWarning() << "no accessible name:" << w;
            ok = false;
        }
    }
    return ok;
}

} // namespace

class TestImportWizard : public QObject
{
    Q_OBJECT

private:
    static void saveScreenshot(QWidget *w, const QString &name)
    {
        const QString dir = QStringLiteral(LIVEDESK_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        QVERIFY(w->grab().save(dir + u'/' + name));
    }

    // Slows the server's jobs down so that a test sees them run: @p batchSize rows per
    // batch, @p intervalMs between batches.
    // Checks @p path in @p wizard and starts importing its valid rows.
    static void startImport(ImportWizard &wizard, const QString &path)
    {
        validate(wizard, path);
        wizard.validatePage()->setSkipInvalidRows(true);
        wizard.button(QWizard::CommitButton)->click();
    }

    void setJobPace(int batchSize, int intervalMs)
    {
        m_server->call([=](server::LivedeskServer *s) {
            server::ImportService::Options o = s->imports()->options();
            o.batchSize = batchSize;
            o.batchIntervalMs = intervalMs;
            s->imports()->setOptions(o);
        });
    }

    // The nurse's session; with @p connect, its socket is connected and subscribed to every
    // resource's feature, else it is closed (signedInSession()).
    std::unique_ptr<Session> signIn(bool connect)
    {
        return test::signedInSession(m_server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s,
                                     connect, Patience);
    }

    static QJsonObject serverStatus(Session &user, const QString &jobId)
    {
        return await(user.api()->importStatus(Patients, jobId)).object();
    }

    // Chooses @p path on the file page and goes to the validation page; waits for its check.
    static void validate(ImportWizard &wizard, const QString &path)
    {
        QCOMPARE(wizard.currentId(), int(ImportWizard::FilePageId));
        wizard.filePage()->setFilePath(path);
        QTRY_VERIFY(wizard.button(QWizard::NextButton)->isEnabled());
        wizard.button(QWizard::NextButton)->click();
        QCOMPARE(wizard.currentId(), int(ImportWizard::ValidatePageId));
        QTRY_VERIFY_WITH_TIMEOUT(!wizard.validatePage()->isChecking(), Patience);
    }

    // The wizard as the main window makes it (MainWindow::ensureWizard()), shown on patients.
    static std::unique_ptr<ImportWizard> makeWizard(Session &user)
    {
        auto wizard = std::make_unique<ImportWizard>(&user);
        wizard->selectResource(u"patients"_s);
        wizard->show();
        // Active, so that keyboard shortcuts reach it.
        wizard->activateWindow();
        if (!QTest::qWaitForWindowActive(wizard.get()))
            return nullptr;
        return wizard;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void init()
    {
        m_server = std::make_unique<server::ServerThread>();
        QString error;
        QVERIFY2(m_server->start(server::LivedeskServer::Options{}, &error), qPrintable(error));
        QVERIFY(m_dir.isValid());
    }

    void cleanup() { m_server.reset(); }

    void tenThousandRowsWithLiveProgress()
    {
        auto nurse = signIn(true);
        QVERIFY(nurse);
        setJobPace(250, 25);
        Expected expected;
        const QString path
            = writeFile(m_dir, u"patients-10000.csv"_s, patientCsv("LIVE", 10000, &expected));
        QVERIFY(!path.isEmpty());
        QCOMPARE(expected.invalidRows.size(), 81);

        // The window's event loop is watched while the file is checked and imported: the
        // longest turn is reported (not asserted: this is no benchmark).
        StallWatch stalls;

        auto wizard = makeWizard(*nurse);
        QVERIFY(wizard);
        QSignalSpy started(wizard.get(), &ImportWizard::importStarted);
        QSignalSpy finished(wizard.get(), &ImportWizard::importFinished);
        QCOMPARE(wizard->filePage()->resource().name, u"patients"_s);
        wizard->filePage()->setFilePath(path);
        QTRY_VERIFY(wizard->button(QWizard::NextButton)->isEnabled());
        QVERIFY(controlsAreNamed(wizard->currentPage()));
        saveScreenshot(wizard.get(), u"importwizard-file.png"_s);

        // 2. The server's check: counts, problem rows, preview; invalid rows block the import
        // until they are skipped.
        stalls.reset();
        wizard->button(QWizard::NextButton)->click();
        QCOMPARE(wizard->currentId(), int(ImportWizard::ValidatePageId));
        QVERIFY(wizard->validatePage()->isChecking());
        QTRY_VERIFY_WITH_TIMEOUT(!wizard->validatePage()->isChecking(), Patience);
        const qint64 checkStallMs = stalls.longestMs();
        const ImportValidatePage::Result &result = wizard->validatePage()->result();
        QVERIFY2(result.isValid(), qPrintable(wizard->validatePage()->errorText()));
        QCOMPARE(result.totalRows, 10000);
        QCOMPARE(result.invalidRows, 81);
        QCOMPARE(result.validRows, 9919);
        QCOMPARE(result.errorCount, 81);
        QTableView *errors = wizard->validatePage()->errorsView();
        QCOMPARE(errors->model()->rowCount(), 81);
        for (int i = 0; i < 81; ++i) {
            const int row = errors->model()->index(i, 0).data().toInt();
            QCOMPARE(row, expected.invalidRows.at(i));
            QCOMPARE(errors->model()->index(i, 1).data().toString(), expected.fieldOf.value(row));
            QVERIFY(!errors->model()->index(i, 2).data().toString().isEmpty());
        }
        QCOMPARE(errors->model()->index(0, 3).data().toString(), u"maybe"_s);
        QCOMPARE(wizard->validatePage()->previewView()->model()->rowCount(), 10);
        QString summary;
        for (const QLabel *l : wizard->validatePage()->findChildren<QLabel *>())
            summary += l->text() + u'\n';
        QVERIFY2(summary.contains(u"10,000"_s) && summary.contains(u"9,919"_s)
                     && summary.contains(u"81"_s),
                 qPrintable(summary));
        QAbstractButton *import = wizard->button(QWizard::CommitButton);
        QVERIFY(import->isVisible());
        QVERIFY(!import->isEnabled());
        auto *skip = wizard->validatePage()->findChild<QCheckBox *>();
        QVERIFY(skip && skip->isVisible());
        QVERIFY(controlsAreNamed(wizard->currentPage()));
        skip->click();
        QVERIFY(wizard->validatePage()->skipInvalidRows());
        QVERIFY(import->isEnabled());
        saveScreenshot(wizard.get(), u"importwizard-validate.png"_s);

        // 3. The run, followed through the socket's progress events.
        stalls.reset();
        import->click();
        QCOMPARE(wizard->currentId(), int(ImportWizard::RunPageId));
        QTRY_VERIFY_WITH_TIMEOUT(wizard->job(), Patience);
        ImportJob *job = wizard->job();
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.at(0).at(0).toString(), u"patients"_s);
        QCOMPARE(started.at(0).at(1).toString(), job->jobId());
        QCOMPARE(wizard->runPage()->updateSource(), ImportRunPage::UpdateSource::Live);
        QVERIFY2(wizard->runPage()->updateSourceText().startsWith(u"Live updates"_s),
                 qPrintable(wizard->runPage()->updateSourceText()));
        QVERIFY(!wizard->button(QWizard::BackButton)->isVisible()
                || !wizard->button(QWizard::BackButton)->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(job->processedRecords() > 0 || job->isFinished(), Patience);
        qint64 runStallMs = stalls.longestMs();
        if (!job->isFinished()) {
            QVERIFY(controlsAreNamed(wizard->currentPage()));
            saveScreenshot(wizard.get(), u"importwizard-run.png"_s);
            stalls.reset();
        }

        // 4. The summary: the server's counts, the problems exportable.
        QTRY_COMPARE_WITH_TIMEOUT(wizard->currentId(), int(ImportWizard::SummaryPageId), Patience);
        runStallMs = std::max(runStallMs, stalls.longestMs());
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(1).toString(), job->jobId());
        QCOMPARE(finished.at(0).at(2).value<ImportJob::Status>(), ImportJob::Status::Completed);
        QVERIFY2(job->eventUpdates() > 0, "no progress came from the socket");
        qInfo() << "progress updates:" << job->eventUpdates() << "from events,"
                << job->polledUpdates() << "polled";
        const QJsonObject status = serverStatus(*nurse, job->jobId());
        QCOMPARE(status.value(u"status").toString(), u"completed"_s);
        QCOMPARE(status.value(u"successCount").toInt(), 9919);
        QCOMPARE(status.value(u"failedCount").toInt(), 81);
        ImportSummaryPage *page = wizard->summaryPage();
        QCOMPARE(page->status(), ImportJob::Status::Completed);
        QCOMPARE(page->successCount(), status.value(u"successCount").toInt());
        QCOMPARE(page->failedCount(), status.value(u"failedCount").toInt());
        QCOMPARE(page->totalRecords(), status.value(u"totalRecords").toInt());
        QCOMPARE(page->processedRecords(), status.value(u"processedRecords").toInt());
        QHash<QString, QString> shown;
        for (const QLabel *l : page->findChildren<QLabel *>())
            shown.insert(l->accessibleName(), l->text());
        QCOMPARE(shown.value(u"Rows imported"_s), u"9,919"_s);
        QCOMPARE(shown.value(u"Rows not imported"_s), u"81"_s);
        QCOMPARE(shown.value(u"Rows processed"_s), u"10,000 of 10,000 rows"_s);
        QCOMPARE(page->errorsView()->model()->rowCount(), 81);
        QVERIFY(controlsAreNamed(wizard->currentPage()));

        // Export through the button and its file dialog.
        const QString exported = m_dir.filePath(u"problems.csv"_s);
        QSignalSpy written(page, &ImportSummaryPage::errorsExported);
        auto *exportButton = page->findChild<QPushButton *>();
        QVERIFY(exportButton && exportButton->isEnabled());
        exportButton->click();
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = wizard->findChild<QFileDialog *>()));
        dialog->selectFile(exported);
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), as its Save button
        QTRY_COMPARE(written.size(), 1);
        QCOMPARE(written.at(0).at(0).toString(), exported);
        QFile file(exported);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
        const QString text = QString::fromUtf8(bytes.mid(3));
        const QList<QStringList> rows = parseCsv(text);
        QCOMPARE(rows.size(), 82);
        QCOMPARE(rows.at(0), (QStringList{u"row"_s, u"field"_s, u"message"_s, u"value"_s}));
        for (int i = 1; i < rows.size(); ++i) {
            QCOMPARE(rows.at(i).size(), 4);
            const int row = rows.at(i).at(0).toInt();
            QCOMPARE(row, expected.invalidRows.at(i - 1));
            QCOMPARE(rows.at(i).at(1), expected.fieldOf.value(row));
            QCOMPARE(rows.at(i).at(2), page->errors().at(i - 1).value(u"message").toString());
        }
        // The duplicate's message quotes the hn: quoted and read back intact.
        const QStringList duplicate = rows.at(expected.invalidRows.indexOf(9999) + 1);
        QVERIFY2(duplicate.at(2).contains(u"\"LIVE-000001\""_s), qPrintable(duplicate.at(2)));
        QCOMPARE(duplicate.at(3), u"LIVE-000001"_s);
        QVERIFY(bytes.contains("\"\"LIVE-000001\"\""));
        saveScreenshot(wizard.get(), u"importwizard-summary.png"_s);

        // The rows are there, and Finish resets the wizard for the next file.
        RestQuery q;
        q.search = u"LIVE-"_s;
        q.limit = 1;
        QCOMPARE(await(nurse->api()->list(Patients, q)).pagination.value(u"total").toInt(), 9919);
        wizard->button(QWizard::FinishButton)->click();
        QVERIFY(!wizard->isVisible());
        wizard->show();
        QCOMPARE(wizard->currentId(), int(ImportWizard::FilePageId));
        qInfo() << "longest event-loop turn while checking:" << checkStallMs
                << "ms, while importing:" << runStallMs << "ms";
    }

    void pollingWhenTheSocketIsDown()
    {
        auto nurse = signIn(false);
        QVERIFY(nurse);
        // The list a main window would show, refreshed when the import says it is done.
        RealtimeStateManager *patients
            = nurse->manager(u"patients"_s, RealtimeStateManager::Mode::His);
        QVERIFY(patients);
        QTRY_VERIFY_WITH_TIMEOUT(patients->lastSyncAt().isValid() && !patients->isLoading(),
                                 Patience);
        QCOMPARE(nurse->connectionStatus().state, ConnectionStatus::State::Disconnected);
        const int rowsBefore = patients->rowCount();
        setJobPace(250, 100);
        const QString path = writeFile(m_dir, u"poll.csv"_s, patientCsv("POLL", 3000, nullptr));

        auto wizard = makeWizard(*nurse);
        QVERIFY(wizard);
        connect(wizard.get(), &ImportWizard::importFinished, patients,
                &RealtimeStateManager::reload);
        validate(*wizard, path);
        QVERIFY(wizard->validatePage()->result().isValid());
        wizard->validatePage()->setSkipInvalidRows(true);
        wizard->button(QWizard::CommitButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(wizard->job(), Patience);
        ImportJob *job = wizard->job();
        QCOMPARE(wizard->runPage()->updateSource(), ImportRunPage::UpdateSource::Polling);
        QVERIFY2(wizard->runPage()->updateSourceText().contains(u"polling the server"_s),
                 qPrintable(wizard->runPage()->updateSourceText()));
        QTRY_VERIFY_WITH_TIMEOUT(job->polledUpdates() > 0, Patience);
        if (!job->isFinished())
            saveScreenshot(wizard.get(), u"importwizard-polling.png"_s);
        QTRY_COMPARE_WITH_TIMEOUT(wizard->currentId(), int(ImportWizard::SummaryPageId), Patience);
        QCOMPARE(job->eventUpdates(), 0);
        const QJsonObject status = serverStatus(*nurse, job->jobId());
        QCOMPARE(status.value(u"status").toString(), u"completed"_s);
        QCOMPARE(wizard->summaryPage()->status(), ImportJob::Status::Completed);
        QCOMPARE(wizard->summaryPage()->successCount(), status.value(u"successCount").toInt());
        QCOMPARE(wizard->summaryPage()->failedCount(), status.value(u"failedCount").toInt());
        saveScreenshot(wizard.get(), u"importwizard-polling-summary.png"_s);
        QTRY_COMPARE_WITH_TIMEOUT(patients->rowCount(),
                                  rowsBefore + status.value(u"successCount").toInt(), Patience);
    }

    void droppedConnectionIsPolledUntilItIsBack()
    {
        auto nurse = signIn(true);
        QVERIFY(nurse);
        setJobPace(50, 100);
        const QString path = writeFile(m_dir, u"drop.csv"_s, patientCsv("DROP", 8000, nullptr));
        auto wizard = makeWizard(*nurse);
        QVERIFY(wizard);
        startImport(*wizard, path);
        QTRY_VERIFY_WITH_TIMEOUT(wizard->job() && wizard->job()->eventUpdates() > 0, Patience);
        const QPointer<ImportJob> job = wizard->job();
        QCOMPARE(wizard->runPage()->updateSource(), ImportRunPage::UpdateSource::Live);

        // The connection drops: the page says so at once, and the job asks the server.
        nurse->socket()->close();
        QCOMPARE(nurse->connectionStatus().state, ConnectionStatus::State::Disconnected);
        QCOMPARE(wizard->runPage()->updateSource(), ImportRunPage::UpdateSource::Polling);
        QVERIFY2(wizard->runPage()->updateSourceText().contains(u"polling the server"_s),
                 qPrintable(wizard->runPage()->updateSourceText()));
        const int polled = job->polledUpdates();
        QTRY_VERIFY_WITH_TIMEOUT(job->polledUpdates() > polled || job->isFinished(), Patience);
        QVERIFY2(!job->isFinished(), "the job ended before the connection came back");
        QCOMPARE(wizard->runPage()->updateSource(), ImportRunPage::UpdateSource::Polling);
        saveScreenshot(wizard.get(), u"importwizard-connection-lost.png"_s);

        // Back: progress is pushed again, and the page says so.
        const int events = job->eventUpdates();
        nurse->socket()->open();
        QTRY_VERIFY_WITH_TIMEOUT(job->eventUpdates() > events || job->isFinished(), Patience);
        QVERIFY2(!job->isFinished(), "the job ended before events came again");
        QTRY_COMPARE_WITH_TIMEOUT(wizard->runPage()->updateSource(),
                                  ImportRunPage::UpdateSource::Live, Patience);

        QTRY_COMPARE_WITH_TIMEOUT(wizard->currentId(), int(ImportWizard::SummaryPageId), Patience);
        const QJsonObject status = serverStatus(*nurse, job->jobId());
        QCOMPARE(status.value(u"status").toString(), u"completed"_s);
        QCOMPARE(wizard->summaryPage()->status(), ImportJob::Status::Completed);
        QCOMPARE(wizard->summaryPage()->successCount(), status.value(u"successCount").toInt());
        QCOMPARE(wizard->summaryPage()->failedCount(), status.value(u"failedCount").toInt());
    }

    void backToChooseAnotherFile()
    {
        auto nurse = signIn(true);
        QVERIFY(nurse);
        const QString wrong
            = writeFile(m_dir, u"wrong.csv"_s, "hn,name,shoe_size\nBACK-1,Somchai,42\n");
        const QString bad
            = writeFile(m_dir, u"bad.csv"_s, "hn,name,sex\nBACK-2,Malee,female\nBACK-3,,female\n");
        const QString good = writeFile(m_dir, u"good.csv"_s,
                                       "hn,name,sex\nBACK-2,Malee,female\nBACK-3,Anong,female\n");
        auto wizard = makeWizard(*nurse);
        QVERIFY(wizard);

        // A header the resource does not fit: the server's reason, no way forward.
        validate(*wizard, wrong);
        QVERIFY(!wizard->validatePage()->result().isValid());
        QVERIFY2(wizard->validatePage()->errorText().contains(u"shoe_size"_s),
                 qPrintable(wizard->validatePage()->errorText()));
        QVERIFY(!wizard->validatePage()->errorText().contains(u"VALIDATION_ERROR"_s));
        QVERIFY(!wizard->button(QWizard::CommitButton)->isEnabled());
        saveScreenshot(wizard.get(), u"importwizard-header-error.png"_s);

        // Back by keyboard (the button's mnemonic, which clicks after a short animation),
        // another file, Next by keyboard.
        QTest::keyClick(wizard.get(), Qt::Key_B, Qt::AltModifier);
        QTRY_COMPARE(wizard->currentId(), int(ImportWizard::FilePageId));
        validate(*wizard, bad);
        QCOMPARE(wizard->validatePage()->result().invalidRows, 1);
        QCOMPARE(wizard->validatePage()->errorsView()->model()->rowCount(), 1);
        QVERIFY(!wizard->button(QWizard::CommitButton)->isEnabled());

        QTest::keyClick(wizard.get(), Qt::Key_B, Qt::AltModifier);
        QTRY_COMPARE(wizard->currentId(), int(ImportWizard::FilePageId));
        auto *fileEdit = wizard->filePage()->findChild<QLineEdit *>();
        QVERIFY(fileEdit);
        fileEdit->clear();
        fileEdit->setFocus();
        QTest::keyClicks(fileEdit, QDir::toNativeSeparators(good));
        QTest::keyClick(wizard.get(), Qt::Key_N, Qt::AltModifier);
        QTRY_COMPARE(wizard->currentId(), int(ImportWizard::ValidatePageId));
        QTRY_VERIFY_WITH_TIMEOUT(!wizard->validatePage()->isChecking(), Patience);
        const ImportValidatePage::Result &result = wizard->validatePage()->result();
        QVERIFY(result.isValid());
        QCOMPARE(result.filePath, QDir::toNativeSeparators(good));
        QCOMPARE(result.totalRows, 2);
        QCOMPARE(result.invalidRows, 0);
        QCOMPARE(wizard->validatePage()->errorsView()->model()->rowCount(), 0);
        QVERIFY(wizard->button(QWizard::CommitButton)->isEnabled());
        saveScreenshot(wizard.get(), u"importwizard-back-good.png"_s);
    }

    void templateIsSaved()
    {
        auto nurse = signIn(true);
        QVERIFY(nurse);
        auto wizard = makeWizard(*nurse);
        QVERIFY(wizard);
        QVERIFY(wizard->selectResource(u"lab_orders"_s));
        QSignalSpy saved(wizard->filePage(), &ImportFilePage::templateSaved);
        QPushButton *download = nullptr;
        for (QPushButton *b : wizard->filePage()->findChildren<QPushButton *>()) {
            if (b->text().contains(u"template"_s))
                download = b;
        }
        QVERIFY(download);
        download->click();
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = wizard->findChild<QFileDialog *>()));
        const QString target = m_dir.filePath(u"lab-template.csv"_s);
        dialog->selectFile(target);
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), as its Save button
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Patience);
        QFile file(target);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readLine().startsWith("hn,test"));
        saveScreenshot(wizard.get(), u"importwizard-template.png"_s);
    }

    void closingMidRunKeepsTheJob()
    {
        auto nurse = signIn(true);
        QVERIFY(nurse);
        setJobPace(100, 40);
        const QString path = writeFile(m_dir, u"close.csv"_s, patientCsv("CLOSE", 6000, nullptr));
        auto wizard = makeWizard(*nurse);
        QVERIFY(wizard);
        QSignalSpy finished(wizard.get(), &ImportWizard::importFinished);
        startImport(*wizard, path);
        QTRY_VERIFY_WITH_TIMEOUT(wizard->job() && wizard->job()->processedRecords() > 0, Patience);
        const QPointer<ImportJob> job = wizard->job();
        const QString jobId = job->jobId();

        // Closed as a user closes it: the job is neither cancelled nor forgotten.
        QVERIFY(wizard->button(QWizard::CancelButton)->text().contains(u"Close"_s));
        wizard->close();
        QVERIFY(!wizard->isVisible());
        QVERIFY(wizard->isImportRunning());
        QCOMPARE(serverStatus(*nurse, jobId).value(u"status").toString(), u"processing"_s);
        const int seen = job->processedRecords();
        QTRY_VERIFY_WITH_TIMEOUT(job->processedRecords() > seen, Patience);

        // Reopened: the same job, further on.
        wizard->show();
        QVERIFY(QTest::qWaitForWindowExposed(wizard.get()));
        QCOMPARE(wizard->currentId(), int(ImportWizard::RunPageId));
        QCOMPARE(wizard->job(), job.data());
        QVERIFY(wizard->runPage()->findChild<QProgressBar *>()->value() > 0 || job->isFinished());
        saveScreenshot(wizard.get(), u"importwizard-reopened.png"_s);

        // Closed again until it ends: the summary waits for the next opening.
        wizard->close();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Patience);
        QCOMPARE(finished.at(0).at(1).toString(), jobId);
        QCOMPARE(wizard->currentId(), int(ImportWizard::SummaryPageId));
        wizard->show();
        QCOMPARE(wizard->currentId(), int(ImportWizard::SummaryPageId));
        const QJsonObject status = serverStatus(*nurse, jobId);
        QCOMPARE(status.value(u"status").toString(), u"completed"_s);
        QCOMPARE(wizard->summaryPage()->successCount(), status.value(u"successCount").toInt());
        QCOMPARE(wizard->summaryPage()->failedCount(), status.value(u"failedCount").toInt());
    }

    void reopeningByJobIdAfterTheWizardIsGone()
    {
        auto nurse = signIn(true);
        QVERIFY(nurse);
        setJobPace(100, 40);
        const QString path = writeFile(m_dir, u"gone.csv"_s, patientCsv("GONE", 6000, nullptr));
        auto wizard = makeWizard(*nurse);
        QVERIFY(wizard);
        QSignalSpy started(wizard.get(), &ImportWizard::importStarted);
        startImport(*wizard, path);
        QTRY_VERIFY_WITH_TIMEOUT(wizard->job() && wizard->job()->processedRecords() > 0, Patience);
        QCOMPARE(started.size(), 1);
        const QString resource = started.at(0).at(0).toString();
        const QString jobId = started.at(0).at(1).toString();
        const QDateTime startedAt = started.at(0).at(2).toDateTime();
        wizard.reset();
        QCOMPARE(serverStatus(*nurse, jobId).value(u"status").toString(), u"processing"_s);

        auto again = std::make_unique<ImportWizard>(nurse.get());
        QSignalSpy finished(again.get(), &ImportWizard::importFinished);
        QVERIFY(!again->resumeJob(u"nothing"_s, jobId));
        QVERIFY(again->resumeJob(resource, jobId, startedAt));
        again->show();
        QVERIFY(QTest::qWaitForWindowExposed(again.get()));
        QCOMPARE(again->currentId(), int(ImportWizard::RunPageId));
        QVERIFY(again->job());
        QCOMPARE(again->job()->jobId(), jobId);
        QVERIFY(again->isImportRunning());
        QTRY_VERIFY_WITH_TIMEOUT(again->job()->processedRecords() > 0, Patience);
        if (!again->job()->isFinished())
            saveScreenshot(again.get(), u"importwizard-resumed.png"_s);
        QTRY_COMPARE_WITH_TIMEOUT(again->currentId(), int(ImportWizard::SummaryPageId), Patience);
        QCOMPARE(finished.size(), 1);
        const QJsonObject status = serverStatus(*nurse, jobId);
        QCOMPARE(status.value(u"status").toString(), u"completed"_s);
        QCOMPARE(again->summaryPage()->successCount(), status.value(u"successCount").toInt());
        QCOMPARE(again->summaryPage()->failedCount(), status.value(u"failedCount").toInt());
        saveScreenshot(again.get(), u"importwizard-resumed-summary.png"_s);

        // Long after: a job that ended is shown as it ended, without waiting for events.
        again.reset();
        ImportWizard late(nurse.get());
        QVERIFY(late.resumeJob(resource, jobId));
        QTRY_COMPARE_WITH_TIMEOUT(late.currentId(), int(ImportWizard::SummaryPageId), Patience);
        QCOMPARE(late.summaryPage()->status(), ImportJob::Status::Completed);
        QCOMPARE(late.summaryPage()->successCount(), status.value(u"successCount").toInt());
        QVERIFY(late.summaryPage()->errors().isEmpty());
    }

    void refusedStartIsExplained()
    {
        auto nurse = signIn(true);
        QVERIFY(nurse);
        const QString path = writeFile(m_dir, u"twice.csv"_s, "hn,name\nTWICE-1,Somchai\n");
        auto wizard = makeWizard(*nurse);
        QVERIFY(wizard);
        validate(*wizard, path);
        const QString sessionId = wizard->validatePage()->result().sessionId;
        QVERIFY(!sessionId.isEmpty());
        // Someone else used the check meanwhile: the server no longer knows the session.
        QVERIFY(await(nurse->api()->importExecute(Patients, sessionId, false)).ok);
        wizard->button(QWizard::CommitButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!wizard->runPage()->errorText().isEmpty(), Patience);
        QVERIFY(!wizard->job());
        QVERIFY(!wizard->isImportRunning());
        QVERIFY(!wizard->runPage()->errorText().contains(u"NOT_FOUND"_s));
        QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
        saveScreenshot(wizard.get(), u"importwizard-refused.png"_s);
        // Nothing runs: closing resets the wizard for another try.
        wizard->close();
        wizard->show();
        QCOMPARE(wizard->currentId(), int(ImportWizard::FilePageId));
    }

    void cancelStopsTheJob()
    {
        auto nurse = signIn(true);
        QVERIFY(nurse);
        setJobPace(100, 50);
        const QString path = writeFile(m_dir, u"cancel.csv"_s, patientCsv("CANCEL", 8000, nullptr));
        auto wizard = makeWizard(*nurse);
        QVERIFY(wizard);
        startImport(*wizard, path);
        QTRY_VERIFY_WITH_TIMEOUT(wizard->job() && wizard->job()->processedRecords() > 0, Patience);
        const QString jobId = wizard->job()->jobId();
        QPushButton *cancel = nullptr;
        for (QPushButton *b : wizard->runPage()->findChildren<QPushButton *>()) {
            if (b->text().contains(u"Cancel"_s))
                cancel = b;
        }
        QVERIFY(cancel && cancel->isVisible() && cancel->isEnabled());
        cancel->click();
        QTRY_COMPARE_WITH_TIMEOUT(wizard->currentId(), int(ImportWizard::SummaryPageId), Patience);
        QCOMPARE(wizard->summaryPage()->status(), ImportJob::Status::Cancelled);
        const QJsonObject status = serverStatus(*nurse, jobId);
        QCOMPARE(status.value(u"status").toString(), u"cancelled"_s);
        QCOMPARE(wizard->summaryPage()->successCount(), status.value(u"successCount").toInt());
        QVERIFY(status.value(u"successCount").toInt() < wizard->runPage()->validation().validRows);
        saveScreenshot(wizard.get(), u"importwizard-cancelled.png"_s);
    }

private:
    std::unique_ptr<server::ServerThread> m_server;
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestImportWizard)
#include "tst_importwizard.moc"
