// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QDialog>

class QLineEdit;
class QLabel;

namespace livedesk {

/**
 * Asks where to connect and who is signing in: server URL, Socket.IO path, e-mail and
 * password. Used by File > Connect… and when the app is given a server (`--url`) but no
 * token. The password is never stored; the URL and path are offered again next time.
 */
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget *parent = nullptr);

    void setUrl(const QString &url);
    QString url() const;
    void setPath(const QString &path);
    QString path() const;
    void setEmail(const QString &email);
    QString email() const;
    QString password() const;
    /// Shows why the last attempt failed (empty hides it).
    void setError(const QString &message);

private:
    QLineEdit *m_url;
    QLineEdit *m_path;
    QLineEdit *m_email;
    QLineEdit *m_password;
    QLabel *m_error;
};

} // namespace livedesk
