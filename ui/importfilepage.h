// SPDX-License-Identifier: MIT
#pragma once

#include "state/resourceschema.h"

#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtWidgets/QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace livedesk {

class ApiClient;
class RestReply;

/**
 * First page of the ImportWizard: which resource to import into and which CSV file.
 *
 * The page says which columns the resource takes, and offers the server's template
 * (`GET <resource>/import/template`), a header row and an example row that itself
 * validates, as the easiest way to a file the server accepts. The file is only named
 * here; it is read and checked on the next page.
 */
class ImportFilePage : public QWizardPage
{
    Q_OBJECT

public:
    /// @p api (not owned) serves the template; @p resources are those that can be chosen.
    ImportFilePage(ApiClient *api, const QList<ResourceSchema> &resources,
                   QWidget *parent = nullptr);
    ~ImportFilePage() override;

    /// The chosen resource (an invalid schema when there are none).
    ResourceSchema resource() const;
    /// Chooses the resource called @p name; false when there is none.
    bool selectResource(const QString &name);

    QString filePath() const;
    void setFilePath(const QString &path);

    /// Downloads the chosen resource's template and writes it to @p fileName; templateSaved()
    /// or templateFailed() tell how it went. The Download template button asks for the name
    /// first, then calls this.
    void saveTemplate(const QString &fileName);

    bool isComplete() const override;

Q_SIGNALS:
    void templateSaved(const QString &fileName);
    void templateFailed(const QString &message);

private:
    void browse();
    void askTemplateFile();
    void resourceChosen();
    void fileEdited();
    void setMessage(const QString &text, bool error);

    QPointer<ApiClient> m_api;
    QList<ResourceSchema> m_resources;
    QPointer<RestReply> m_templateReply;

    QComboBox *m_resource;
    QLabel *m_columns;
    QLineEdit *m_file;
    QPushButton *m_browse;
    QPushButton *m_template;
    QLabel *m_fileInfo;
    QLabel *m_message;
};

} // namespace livedesk
