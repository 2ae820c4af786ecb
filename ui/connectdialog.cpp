// SPDX-License-Identifier: MIT
#include "connectdialog.h"

#include <QtCore/QUrl>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace livedesk {

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
    , m_url(new QLineEdit(this))
    , m_path(new QLineEdit(u"/api/ws/"_s, this))
    , m_email(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Connect to a server"));
    m_url->setPlaceholderText(u"http://localhost:3333"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #a40000;"_s);
    m_error->hide();
    auto *form = new QFormLayout;
    form->addRow(tr("&Server address:"), m_url);
    form->addRow(tr("Socket.IO &path:"), m_path);
    form->addRow(tr("&E-mail:"), m_email);
    form->addRow(tr("Pass&word:"), m_password);
    m_url->setAccessibleName(tr("Server address"));
    m_path->setAccessibleName(tr("Socket.IO path"));
    m_email->setAccessibleName(tr("E-mail"));
    m_password->setAccessibleName(tr("Password"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_connect = buttons->button(QDialogButtonBox::Ok);
    m_connect->setText(tr("&Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
        if (!url.isValid() || url.host().isEmpty()) {
            setError(tr("Enter the server's address, for example http://localhost:3333."));
            m_url->setFocus();
            return;
        }
        if (m_email->text().trimmed().isEmpty()) {
            setError(tr("Enter the e-mail address you sign in with."));
            m_email->setFocus();
            return;
        }
        Q_EMIT connectRequested();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
}

void ConnectDialog::setUrl(const QString &url)
{
    m_url->setText(url);
}

QString ConnectDialog::url() const
{
    return QUrl::fromUserInput(m_url->text().trimmed()).toString();
}

void ConnectDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

QString ConnectDialog::path() const
{
    const QString path = m_path->text().trimmed();
    return path.isEmpty() ? u"/api/ws/"_s : path;
}

void ConnectDialog::setEmail(const QString &email)
{
    m_email->setText(email);
    if (!email.isEmpty())
        m_password->setFocus();
}

QString ConnectDialog::email() const
{
    return m_email->text().trimmed();
}

QString ConnectDialog::password() const
{
    return m_password->text();
}

void ConnectDialog::setError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString ConnectDialog::errorText() const
{
    return m_error->text();
}

void ConnectDialog::setBusy(bool busy)
{
    for (QWidget *w : {static_cast<QWidget *>(m_url), static_cast<QWidget *>(m_path),
                       static_cast<QWidget *>(m_email), static_cast<QWidget *>(m_password),
                       static_cast<QWidget *>(m_connect)})
        w->setEnabled(!busy);
    if (busy)
        setError(tr("Signing in…"));
    else if (!m_password->text().isEmpty())
        m_password->selectAll();
}

} // namespace livedesk
