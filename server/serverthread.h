// SPDX-License-Identifier: MIT
#pragma once

#include "livedeskserver.h"

#include <QtCore/QThread>
#include <QtCore/QUrl>

#include <functional>

namespace livedesk::server {

/**
 * LivedeskServer on a thread of its own.
 *
 * The server is single-threaded and lives in the thread it is created in; a host that must
 * stay responsive (the workstation's UI, a benchmark's clients) runs it here instead, and
 * talks to it over loopback HTTP and WebSocket exactly as to a remote server. The server is
 * created, started, stopped and deleted inside its thread.
 */
class ServerThread
{
public:
    ServerThread();
    ~ServerThread();
    Q_DISABLE_COPY_MOVE(ServerThread)

    /// Starts the server with @p options; false with @p error on failure.
    bool start(const LivedeskServer::Options &options, QString *error);
    QUrl baseUrl() const { return m_baseUrl; }
    /// An access token for a user of the schema, as a login would issue (empty if unknown).
    QString tokenFor(const QString &email) const;
    /// A refresh token for the same user, so that the app can keep its session going.
    QString refreshTokenFor(const QString &email) const;
    /// Runs @p work in the server's thread and waits for it.
    void call(const std::function<void(LivedeskServer *)> &work) const;

private:
    QThread m_thread;
    LivedeskServer *m_server = nullptr;
    QUrl m_baseUrl;
};

} // namespace livedesk::server
