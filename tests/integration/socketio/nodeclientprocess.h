// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QProcess>

namespace livedesk::test {

/**
 * One `node siosrv-node-client.js` process: the real socket.io-client 4.8 as a peer of the
 * embedded server. Commands go to its stdin as JSON lines; every line it prints is kept, in
 * order (see the script for both). Killed when destroyed, so a failing test leaves no node
 * process behind.
 */
class NodeClientProcess : public QObject
{
    Q_OBJECT

public:
    explicit NodeClientProcess(QObject *parent = nullptr);
    ~NodeClientProcess() override;

    /// Why the client cannot run here (node or socket.io-client missing), or empty.
    static QString setupProblem();

    /// Starts node and waits for the ready line; on false, errorOutput() says why.
    bool start(int timeoutMs = 20000);
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    void send(const QJsonObject &command);
    /// Sends @p command with a fresh id and waits for its `{"done":id}` line (returned, or an
    /// empty object on timeout).
    QJsonObject request(QJsonObject command, int timeoutMs = 15000);

    const QList<QJsonObject> &lines() const { return m_lines; }
    QList<QJsonObject> linesWith(QStringView key) const;
    qsizetype count(QStringView key) const { return linesWith(key).size(); }
    /// The args of every `{"event":name}` line, in arrival order.
    QList<QJsonArray> events(QStringView name) const;

    QString errorOutput() const { return m_errors; }

private:
    void readOutput();

    QProcess m_process;
    QByteArray m_pending;
    QList<QJsonObject> m_lines;
    QString m_errors;
    bool m_ready = false;
    int m_nextId = 1;
};

} // namespace livedesk::test
