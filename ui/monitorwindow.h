// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QMainWindow>

class QLineEdit;
class QPushButton;
class QTableView;
class QLabel;

namespace livedesk {

class ActivityModel;
class ConnectionIndicator;
class RealtimeChannel;
class SocketIoClient;

/**
 * The live connection monitor: where to connect (server, path, token, features), the state
 * of the connection stated plainly, and every change event as it arrives.
 *
 * It is the first window of the workstation and stays as its activity view; the list
 * views arrive on top of it.
 */
class MonitorWindow : public QMainWindow
{
    Q_OBJECT

public:
    /** Connection settings as given on the command line or restored from the last session. */
    class Settings
    {
    public:
        QString url = QStringLiteral("http://localhost:3333");
        QString path = QStringLiteral("/api/ws/");
        QString token;
        QStringList features;
    };

    explicit MonitorWindow(QWidget *parent = nullptr);
    ~MonitorWindow() override;

    void applySettings(const Settings &settings);
    Settings currentSettings() const;

    SocketIoClient *client() const { return m_client; }
    RealtimeChannel *channel() const { return m_channel; }
    ActivityModel *activity() const { return m_activity; }
    ConnectionIndicator *indicator() const { return m_indicator; }

public Q_SLOTS:
    void connectToServer();
    void disconnectFromServer();

private:
    void updateActions();
    void setStale(bool stale);
    void loadSettings();
    void saveSettings() const;

    SocketIoClient *m_client;
    RealtimeChannel *m_channel;
    ActivityModel *m_activity;
    ConnectionIndicator *m_indicator;
    QLineEdit *m_url;
    QLineEdit *m_path;
    QLineEdit *m_token;
    QLineEdit *m_features;
    QPushButton *m_connect;
    QPushButton *m_disconnect;
    QTableView *m_table;
    QLabel *m_counts;
};

} // namespace livedesk
