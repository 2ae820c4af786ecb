// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QProcess>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

namespace livedesk::test {

/**
 * One `node peer-server.js` process: a real Socket.IO 4.8 server for interop tests.
 *
 * Commands go to the peer's stdin as JSON lines; every JSON line it prints is kept, in order,
 * so a test can assert what the server saw (connections and their auth, received events,
 * acknowledgements, disconnections). The process is killed when this object is destroyed, so
 * a failing test leaves no node process behind.
 */
class PeerProcess : public QObject
{
    Q_OBJECT

public:
    explicit PeerProcess(QObject *parent = nullptr);
    ~PeerProcess() override;

    /// Why no peer can run on this machine (node missing at configure time, npm packages not
    /// installed), or an empty string when peers can run.
    static QString setupProblem();

    /// Starts the peer with @p arguments (see peer-server.js) on port 0 unless `--port` is
    /// among them, and waits for its ready line. On false, errorOutput() says why.
    bool start(const QStringList &arguments = {}, int timeoutMs = 20000);
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    int port() const { return m_port; }
    /// `http://127.0.0.1:<port>`: what a client is configured with.
    QUrl url() const;

    /// Writes @p command without waiting.
    void send(const QJsonObject &command);
    /// Writes @p command with a fresh id and waits for its `{"done":id}` line (returned, or an
    /// empty object on timeout).
    QJsonObject request(QJsonObject command, int timeoutMs = 15000);

    const QList<QJsonObject> &lines() const { return m_lines; }
    /// The lines that have @p key, e.g. "connection", "engine", "subscribed", "ack".
    QList<QJsonObject> linesWith(QStringView key) const;
    qsizetype count(QStringView key) const { return linesWith(key).size(); }
    /// The args of every `{"received":event}` line, in arrival order.
    QList<QJsonArray> received(QStringView event) const;

    /// SIGKILL, as a crash or `kill -9` would, and waits for the process to end.
    void kill();
    /// What the peer wrote on stderr, plus start failures.
    QString errorOutput() const { return m_errors; }

private:
    void readOutput();

    QProcess m_process;
    QByteArray m_pending;
    QList<QJsonObject> m_lines;
    QString m_errors;
    int m_port = 0;
    int m_nextId = 1;
};

} // namespace livedesk::test
