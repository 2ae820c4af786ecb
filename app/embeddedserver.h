// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QThread>
#include <QtCore/QUrl>

namespace livedesk::server {
class LivedeskServer;
}

namespace livedesk {

/**
 * livedesk-server running inside the workstation, on a thread of its own.
 *
 * This is what makes `./dev run` work on a fresh machine with no other service: the app
 * starts the reference backend on a free loopback port and talks to it exactly as it would
 * to a remote AegisX server (HTTP and WebSocket over loopback), so the embedded case takes no
 * shortcuts. Its own thread keeps database work and imports off the UI thread.
 */
class EmbeddedServer : public QObject
{
    Q_OBJECT

public:
    explicit EmbeddedServer(QObject *parent = nullptr);
    ~EmbeddedServer() override;

    /// Starts the server with its database at @p databasePath; false with @p error on failure.
    bool start(const QString &databasePath, QString *error);
    QUrl baseUrl() const { return m_baseUrl; }
    /// An access token for a user of the schema, as a login would issue.
    QString tokenFor(const QString &email) const;

private:
    QThread m_thread;
    server::LivedeskServer *m_server = nullptr;
    QUrl m_baseUrl;
};

} // namespace livedesk
