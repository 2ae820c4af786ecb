// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QDialog>

class QLineEdit;
class QLabel;
class QPushButton;

namespace livedesk {

/**
 * Asks where to connect and who is signing in: server URL, Socket.IO path, e-mail and
 * password. Used by File > Connect…, when the app is given a server (`--url`) but no token,
 * and when the server stops accepting the sign-in. The password is never stored; the URL and
 * path are offered again next time.
 *
 * Connect does not close the dialog: it emits connectRequested(), and the dialog stays open
 * (setBusy() while the sign-in runs) so that a refusal is shown in it (setError()) for
 * another try; whoever signs in closes it with accept() on success.
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
    /// Shows why the last attempt failed, or why signing in is needed (empty hides it).
    void setError(const QString &message);
    QString errorText() const;
    /// While a sign-in runs: the fields and Connect are disabled, and it says so.
    void setBusy(bool busy);

Q_SIGNALS:
    /// Connect was pressed with an address and an e-mail.
    void connectRequested();

private:
    QLineEdit *m_url;
    QLineEdit *m_path;
    QLineEdit *m_email;
    QLineEdit *m_password;
    QLabel *m_error;
    QPushButton *m_connect;
};

} // namespace livedesk
