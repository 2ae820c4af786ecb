// SPDX-License-Identifier: MIT
#include "importvalidatepage.h"

#include "importwizard.h"
#include "rest/apiclient.h"
#include "rest/restreply.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QFutureWatcher>
#include <QtCore/QJsonDocument>
#include <QtCore/QLocale>
#include <QtCore/QPromise>
#include <QtCore/QThreadPool>
#include <QtGui/QStandardItemModel>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

// Larger files are refused before reading: they would be held in memory twice (the file and
// the upload) and livedesk-server takes at most 256 MiB.
constexpr qint64 MaxFileBytes = 256 * 1024 * 1024;

class FileContents
{
public:
    QByteArray data;
    QString error;
};

// Runs on a worker thread.
FileContents readFile(const QString &path)
{
    FileContents out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error = file.errorString();
        return out;
    }
    if (file.size() > MaxFileBytes) {
        out.error = ImportValidatePage::tr("the file is larger than 256 MB; split it into "
                                           "smaller files");
        return out;
    }
    out.data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        out.error = file.errorString();
    return out;
}

QString cellText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Bool:
        return value.toBool() ? ImportValidatePage::tr("yes") : ImportValidatePage::tr("no");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
    }
    case QJsonValue::String:
        return value.toString();
    default:
        return QString::fromUtf8(
            value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
}

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setAccessibleName(name);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setTabKeyNavigation(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    return view;
}

} // namespace

ImportValidatePage::ImportValidatePage(ApiClient *api, QWidget *parent)
    : QWizardPage(parent)
    , m_api(api)
    , m_status(new QLabel(this))
    , m_busy(new QProgressBar(this))
    , m_summary(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_errors(new QStandardItemModel(this))
    , m_errorsView(makeTable(m_errors, tr("Problems found in the file"), this))
    , m_preview(new QStandardItemModel(this))
    , m_previewView(makeTable(m_preview, tr("Preview of the first valid rows"), this))
    , m_truncated(new QLabel(this))
    , m_skip(new QCheckBox(this))
    , m_note(new QLabel(this))
{
    setTitle(tr("Check the file"));
    setSubTitle(tr("The server checks every row before anything is imported."));
    setCommitPage(true);

    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_busy->setRange(0, 0);
    m_busy->setAccessibleName(tr("Checking the file"));
    m_busy->setTextVisible(false);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setAccessibleName(tr("Result of the check"));

    m_errors->setHorizontalHeaderLabels({tr("Row"), tr("Field"), tr("Problem"), tr("Value")});
    auto *errorsTab = new QWidget(m_tabs);
    auto *errorsLayout = new QVBoxLayout(errorsTab);
    errorsLayout->addWidget(m_errorsView, 1);
    m_truncated->setWordWrap(true);
    m_truncated->setTextFormat(Qt::PlainText);
    errorsLayout->addWidget(m_truncated);
    m_tabs->addTab(errorsTab, tr("&Problems"));
    m_tabs->addTab(m_previewView, tr("Pre&view"));
    m_tabs->setAccessibleName(tr("Problems and preview"));

    m_skip->setAccessibleName(tr("Skip the rows with problems"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_busy);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_skip);
    layout->addWidget(m_note);
    // Takes the room of the tables while they are hidden (a file that could not be checked).
    layout->addStretch(0);

    connect(m_skip, &QCheckBox::toggled, this, [this] {
        updateNotes();
        Q_EMIT completeChanged();
    });
    clear();
}

ImportValidatePage::~ImportValidatePage()
{
    abandon();
}

void ImportValidatePage::abandon()
{
    ++m_generation;
    m_reading = false;
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply = nullptr;
    }
}

void ImportValidatePage::clear()
{
    abandon();
    m_result = Result();
    m_errorText.clear();
    m_status->clear();
    m_status->setStyleSheet(QString());
    m_busy->hide();
    m_summary->clear();
    m_summary->hide();
    m_errors->removeRows(0, m_errors->rowCount());
    m_preview->clear();
    m_tabs->hide();
    m_truncated->hide();
    m_skip->hide();
    m_skip->setChecked(false);
    m_note->hide();
    Q_EMIT completeChanged();
}

void ImportValidatePage::check(const ResourceSchema &resource, const QString &filePath)
{
    clear();
    m_resource = resource;
    m_filePath = filePath;
    if (!m_api || !resource.isValid()) {
        showFailure(tr("There is nothing to import into."));
        return;
    }
    m_reading = true;
    const quint64 generation = m_generation;
    m_status->setText(tr("Reading %1…").arg(QFileInfo(filePath).fileName()));
    m_busy->show();

    auto promise = std::make_shared<QPromise<FileContents>>();
    promise->start();
    auto *watcher = new QFutureWatcher<FileContents>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_reading = false;
        const FileContents contents
            = watcher->future().resultCount() > 0 ? watcher->result() : FileContents();
        if (!contents.error.isEmpty()) {
            showFailure(tr("The file could not be read: %1.").arg(contents.error));
            return;
        }
        upload(contents.data);
    });
    watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, filePath] {
        promise->addResult(readFile(filePath));
        promise->finish();
    });
}

bool ImportValidatePage::isChecking() const
{
    return m_reading || m_reply;
}

bool ImportValidatePage::skipInvalidRows() const
{
    return m_skip->isChecked();
}

void ImportValidatePage::setSkipInvalidRows(bool skip)
{
    m_skip->setChecked(skip);
}

bool ImportValidatePage::isComplete() const
{
    if (!m_result.isValid() || m_result.validRows <= 0)
        return false;
    return m_result.invalidRows == 0 || m_skip->isChecked();
}

void ImportValidatePage::cleanupPage()
{
    clear();
}

void ImportValidatePage::upload(const QByteArray &contents)
{
    const QFileInfo info(m_filePath);
    m_status->setText(tr("The server is checking %1 (%2). Large files take a while.")
                          .arg(info.fileName(), QLocale().formattedDataSize(contents.size())));
    RestReply *reply = m_api->importValidate(m_resource.restPath, contents, info.fileName());
    m_reply = reply;
    const quint64 generation = m_generation;
    connect(reply, &RestReply::finished, this, [this, reply, generation] {
        if (generation != m_generation)
            return;
        m_reply = nullptr;
        if (!reply->ok()) {
            showFailure(tr("The server could not check this file.\n%1")
                            .arg(ImportWizard::describeError(reply->error())));
            return;
        }
        showResult(reply->data().toObject());
    });
}

void ImportValidatePage::showResult(const QJsonObject &data)
{
    Result r;
    r.resource = m_resource;
    r.filePath = m_filePath;
    r.sessionId = data.value(u"sessionId").toString();
    const QJsonObject summary = data.value(u"summary").toObject();
    r.totalRows = summary.value(u"totalRows").toInt();
    r.validRows = summary.value(u"validRows").toInt();
    r.invalidRows = summary.value(u"invalidRows").toInt();
    const QJsonArray errors = data.value(u"errors").toArray();
    r.errorCount = summary.value(u"errorCount").toInt(int(errors.size()));
    r.errorsTruncated = data.value(u"errorsTruncated").toBool();
    r.errors.reserve(errors.size());
    for (const QJsonValue &e : errors)
        r.errors.append(e.toObject());
    std::stable_sort(r.errors.begin(), r.errors.end(),
                     [](const QJsonObject &a, const QJsonObject &b) {
                         return a.value(u"row").toInt() < b.value(u"row").toInt();
                     });
    r.preview = data.value(u"preview").toArray();
    if (!r.isValid()) {
        showFailure(tr("The server's answer could not be understood."));
        return;
    }
    m_result = r;

    m_busy->hide();
    m_status->setText(tr("%1 has been checked.").arg(QFileInfo(m_filePath).fileName()));
    m_summary->setText(tr("Rows in the file: %1. Can be imported: %2. With problems: %3.")
                           .arg(QLocale().toString(r.totalRows), QLocale().toString(r.validRows),
                                QLocale().toString(r.invalidRows)));
    m_summary->show();

    m_errorsView->setSortingEnabled(false);
    m_errors->removeRows(0, m_errors->rowCount());
    for (const QJsonObject &e : std::as_const(r.errors)) {
        auto *row = new QStandardItem;
        row->setData(e.value(u"row").toInt(), Qt::DisplayRole);
        const QString field = e.value(u"field").toString();
        auto *fieldItem = new QStandardItem(field.isEmpty() ? tr("(whole row)") : field);
        auto *message = new QStandardItem(e.value(u"message").toString());
        message->setToolTip(message->text());
        auto *value = new QStandardItem(cellText(e.value(u"value")));
        value->setToolTip(value->text());
        m_errors->appendRow({row, fieldItem, message, value});
    }
    m_errorsView->setSortingEnabled(true);
    m_errorsView->sortByColumn(0, Qt::AscendingOrder);
    m_errorsView->resizeColumnToContents(0);
    m_errorsView->setColumnWidth(1, 120);
    m_errorsView->setColumnWidth(2, 360);

    // The preview's columns: the schema's importable ones that the rows have, in its order.
    QStringList keys;
    for (const ResourceSchema::Column &c : std::as_const(m_resource.columns)) {
        if (!c.system && !r.preview.isEmpty() && r.preview.at(0).toObject().contains(c.name))
            keys.append(c.name);
    }
    if (keys.isEmpty() && !r.preview.isEmpty())
        keys = r.preview.at(0).toObject().keys();
    m_preview->clear();
    QStringList headers;
    for (const QString &k : std::as_const(keys)) {
        const ResourceSchema::Column *c = m_resource.column(k);
        headers.append(c && !c->label.isEmpty() ? c->label : k);
    }
    m_preview->setHorizontalHeaderLabels(headers);
    for (const QJsonValue &v : std::as_const(r.preview)) {
        const QJsonObject record = v.toObject();
        QList<QStandardItem *> row;
        for (const QString &k : std::as_const(keys))
            row.append(new QStandardItem(cellText(record.value(k))));
        m_preview->appendRow(row);
    }
    m_previewView->resizeColumnsToContents();

    m_tabs->setTabText(0, tr("&Problems (%1)").arg(QLocale().toString(r.errorCount)));
    m_tabs->setTabText(1, tr("Pre&view (%1)").arg(QLocale().toString(r.preview.size())));
    m_tabs->setCurrentIndex(r.errors.isEmpty() ? 1 : 0);
    m_tabs->show();
    m_truncated->setText(
        tr("Only the first %1 of %2 problems are listed.")
            .arg(QLocale().toString(r.errors.size()), QLocale().toString(r.errorCount)));
    m_truncated->setVisible(r.errorsTruncated || r.errors.size() < r.errorCount);

    m_skip->setText(tr("&Skip the rows with problems and import the other %1")
                        .arg(QLocale().toString(r.validRows)));
    m_skip->setVisible(r.invalidRows > 0 && r.validRows > 0);
    updateNotes();
    Q_EMIT completeChanged();
    Q_EMIT checked();
}

void ImportValidatePage::showFailure(const QString &message)
{
    m_reading = false;
    m_busy->hide();
    m_errorText = message;
    m_status->setText(message);
    m_status->setStyleSheet(u"color: #b00020;"_s);
    m_note->setText(tr("Go back to choose another file."));
    m_note->show();
    Q_EMIT completeChanged();
    Q_EMIT checked();
}

void ImportValidatePage::updateNotes()
{
    const Result &r = m_result;
    QString note;
    if (r.validRows <= 0)
        note = tr("No row of this file can be imported. Go back to choose a corrected file.");
    else if (r.invalidRows > 0 && !m_skip->isChecked())
        note = tr("Go back to choose a corrected file, or skip the rows with problems.");
    else if (r.invalidRows > 0)
        note = tr("%1 rows will be imported; the %2 rows with problems will not.")
                   .arg(QLocale().toString(r.validRows), QLocale().toString(r.invalidRows));
    else
        note = tr("Every row can be imported. Press Import to start.");
    m_note->setText(note);
    m_note->show();
}

} // namespace livedesk
