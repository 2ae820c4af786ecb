// SPDX-License-Identifier: MIT
#include "importfilepage.h"

#include "importwizard.h"
#include "rest/apiclient.h"
#include "rest/restreply.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QLocale>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

QString displayName(const ResourceSchema &resource)
{
    return resource.label.isEmpty() ? resource.name : resource.label;
}

QString startDirectory()
{
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return documents.isEmpty() ? QDir::homePath() : documents;
}

} // namespace

ImportFilePage::ImportFilePage(ApiClient *api, const QList<ResourceSchema> &resources,
                               QWidget *parent)
    : QWizardPage(parent)
    , m_api(api)
    , m_resources(resources)
    , m_resource(new QComboBox(this))
    , m_columns(new QLabel(this))
    , m_file(new QLineEdit(this))
    , m_browse(new QPushButton(tr("B&rowse…"), this))
    , m_template(new QPushButton(tr("Download &template…"), this))
    , m_fileInfo(new QLabel(this))
    , m_message(new QLabel(this))
{
    setTitle(tr("Choose a file"));
    setSubTitle(tr("Choose what to import and the CSV file that holds the records. Nothing is "
                   "written until you start the import."));

    for (const ResourceSchema &r : std::as_const(m_resources)) {
        m_resource->addItem(displayName(r), r.name);
        // An import creates records: a role that may not create them is told why here.
        const QString refusal = r.refusal(ResourceSchema::Action::Create);
        if (!refusal.isEmpty())
            m_resource->setItemData(m_resource->count() - 1, refusal, Qt::ToolTipRole);
    }
    m_resource->setAccessibleName(tr("Import into"));
    m_resource->setEnabled(m_resources.size() > 1);

    m_columns->setWordWrap(true);
    m_columns->setTextFormat(Qt::PlainText);
    m_file->setAccessibleName(tr("CSV file"));
    m_file->setPlaceholderText(tr("Path of a .csv file"));
    m_file->setClearButtonEnabled(true);
    m_browse->setAccessibleName(tr("Browse for a CSV file"));
    m_template->setAccessibleName(tr("Download the server's template"));
    m_template->setToolTip(
        tr("Save an example file with the expected columns, to fill in and import."));
    m_fileInfo->setTextFormat(Qt::PlainText);
    m_fileInfo->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    auto *resourceLabel = new QLabel(tr("&Import into:"), this);
    resourceLabel->setBuddy(m_resource);
    form->addRow(resourceLabel, m_resource);
    form->addRow(QString(), m_columns);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    auto *fileLabel = new QLabel(tr("CSV &file:"), this);
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileRow);
    form->addRow(QString(), m_fileInfo);

    auto *templateRow = new QHBoxLayout;
    auto *templateHint = new QLabel(tr("No file yet? Start from the server's template:"), this);
    templateHint->setWordWrap(true);
    templateRow->addWidget(templateHint, 1);
    templateRow->addWidget(m_template);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addSpacing(12);
    layout->addLayout(templateRow);
    layout->addWidget(m_message);
    layout->addStretch(1);

    connect(m_resource, &QComboBox::currentIndexChanged, this, &ImportFilePage::resourceChosen);
    connect(m_file, &QLineEdit::textChanged, this, &ImportFilePage::fileEdited);
    connect(m_browse, &QPushButton::clicked, this, &ImportFilePage::browse);
    connect(m_template, &QPushButton::clicked, this, &ImportFilePage::askTemplateFile);
    resourceChosen();
    fileEdited();
}

ImportFilePage::~ImportFilePage()
{
    if (m_templateReply)
        m_templateReply->abort();
}

ResourceSchema ImportFilePage::resource() const
{
    const int i = m_resource->currentIndex();
    return i >= 0 && i < m_resources.size() ? m_resources.at(i) : ResourceSchema();
}

bool ImportFilePage::selectResource(const QString &name)
{
    const int i = m_resource->findData(name);
    if (i < 0)
        return false;
    m_resource->setCurrentIndex(i);
    return true;
}

QString ImportFilePage::filePath() const
{
    return m_file->text().trimmed();
}

void ImportFilePage::setFilePath(const QString &path)
{
    m_file->setText(QDir::toNativeSeparators(path));
}

bool ImportFilePage::isComplete() const
{
    const QFileInfo info(filePath());
    return resource().isValid() && resource().allows(ResourceSchema::Action::Create)
        && !filePath().isEmpty() && info.isFile() && info.isReadable();
}

void ImportFilePage::resourceChosen()
{
    const ResourceSchema r = resource();
    QStringList columns;
    for (const ResourceSchema::Column &c : r.columns) {
        if (c.system || !c.editable)
            continue;
        columns.append(c.required ? tr("%1 (required)").arg(c.name) : c.name);
    }
    m_columns->setText(columns.isEmpty()
                           ? QString()
                           : tr("Columns of %1: %2.").arg(displayName(r), columns.join(u", "_s)));
    m_columns->setVisible(!columns.isEmpty());
    m_template->setEnabled(r.isValid() && m_api && !m_templateReply);
    const QString refusal = r.refusal(ResourceSchema::Action::Create);
    setMessage(refusal.isEmpty() ? QString() : tr("%1 An import creates records.").arg(refusal),
               !refusal.isEmpty());
    m_resource->setToolTip(refusal);
    Q_EMIT completeChanged();
}

void ImportFilePage::fileEdited()
{
    const QString path = filePath();
    const QFileInfo info(path);
    if (path.isEmpty())
        m_fileInfo->clear();
    else if (!info.exists())
        m_fileInfo->setText(tr("There is no such file."));
    else if (!info.isFile())
        m_fileInfo->setText(tr("This is a folder, not a file."));
    else if (!info.isReadable())
        m_fileInfo->setText(tr("This file cannot be read (no permission)."));
    else
        m_fileInfo->setText(
            tr("%1, %2").arg(info.fileName(), QLocale().formattedDataSize(info.size())));
    Q_EMIT completeChanged();
}

void ImportFilePage::browse()
{
    auto *dialog = new QFileDialog(this, tr("Choose a CSV file"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("CSV files (*.csv *.txt)"), tr("All files (*)")});
    const QFileInfo current(filePath());
    dialog->setDirectory(current.exists() ? current.absolutePath() : startDirectory());
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &file) {
        setFilePath(file);
        m_file->setFocus();
    });
    dialog->open();
}

void ImportFilePage::askTemplateFile()
{
    const ResourceSchema r = resource();
    if (!r.isValid())
        return;
    auto *dialog = new QFileDialog(this, tr("Save the template of %1").arg(displayName(r)));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setNameFilters({tr("CSV files (*.csv)"), tr("All files (*)")});
    dialog->setDefaultSuffix(u"csv"_s);
    dialog->setDirectory(startDirectory());
    dialog->selectFile(tr("%1-template.csv").arg(r.name));
    connect(dialog, &QFileDialog::fileSelected, this, &ImportFilePage::saveTemplate);
    dialog->open();
}

void ImportFilePage::saveTemplate(const QString &fileName)
{
    const ResourceSchema r = resource();
    if (!m_api || !r.isValid() || m_templateReply)
        return;
    m_template->setEnabled(false);
    setMessage(tr("Downloading the template…"), false);
    RestReply *reply = m_api->importTemplate(r.restPath);
    m_templateReply = reply;
    connect(reply, &RestReply::finished, this, [this, reply, fileName] {
        m_templateReply = nullptr;
        m_template->setEnabled(resource().isValid());
        if (!reply->ok()) {
            const QString message = tr("The template could not be downloaded. %1")
                                        .arg(ImportWizard::describeError(reply->error()));
            setMessage(message, true);
            Q_EMIT templateFailed(message);
            return;
        }
        QSaveFile file(fileName);
        if (!file.open(QIODevice::WriteOnly) || file.write(reply->rawBody()) < 0
            || !file.commit()) {
            const QString message
                = tr("The template could not be saved to %1: %2")
                      .arg(QDir::toNativeSeparators(fileName), file.errorString());
            setMessage(message, true);
            Q_EMIT templateFailed(message);
            return;
        }
        setMessage(tr("Template saved to %1. Fill it in, then choose it as the CSV file.")
                       .arg(QDir::toNativeSeparators(fileName)),
                   false);
        Q_EMIT templateSaved(fileName);
    });
}

void ImportFilePage::setMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #b00020;"_s : QString());
    m_message->setVisible(!text.isEmpty());
}

} // namespace livedesk
