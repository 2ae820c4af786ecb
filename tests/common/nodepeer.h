// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QProcess>
#include <QtCore/QStringList>

#include <functional>

namespace livedesk::test {

/**
 * A real Node socket.io server (tests/interop/peer-server.js) in a child process.
 *
 * Commands go to its stdin as JSON lines; everything it reports (connections, received
 * events, acks) is collected from its stdout for the test to inspect.
 */
class NodePeer
{
public:
    NodePeer() = default;
    ~NodePeer();
    NodePeer(const NodePeer &) = delete;
    NodePeer &operator=(const NodePeer &) = delete;

    /// Starts the peer with @p arguments (e.g. --aegisx --path /api/ws/); waits until ready.
    bool start(const QStringList &arguments = {}, int port = 0);
    void stop();
    int port() const { return m_port; }
    QString baseUrl() const;

    void send(const QJsonObject &command);
    /// All output lines so far (after reading whatever is pending).
    QList<QJsonObject> lines();
    /// Waits up to @p timeoutMs for a line matching @p match; returns it (empty if none).
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match,
                        int timeoutMs = 10000);
    /// How many lines so far contain @p key.
    int count(const QString &key);

private:
    void readPending();

    QProcess m_process;
    QByteArray m_buffer;
    QList<QJsonObject> m_lines;
    int m_port = 0;
};

} // namespace livedesk::test
