// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QProcess>
#include <QtCore/QStringList>

namespace livedesk::test {

/**
 * A Node.js script from tests/interop (whose npm packages are pinned by its lockfile) in a
 * child process, talked to in JSON lines: commands go to its stdin, and every JSON object it
 * prints is kept in order, so a test can assert on what the other side saw.
 *
 * The common part of the test peers (PeerProcess, a socket.io server; NodeClientProcess, a
 * socket.io-client). The process is killed when this object is destroyed, so a failing test
 * leaves no node process behind.
 */
class NodeProcess : public QObject
{
    Q_OBJECT

public:
    ~NodeProcess() override;

    /// Why Node peers cannot run here (node missing at configure time, npm packages not
    /// installed), or an empty string when they can.
    static QString setupProblem();

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    /// Writes @p command without waiting.
    void send(const QJsonObject &command);
    /// Writes @p command with a fresh id and waits for its `{"done":id}` line (returned, or an
    /// empty object on timeout).
    QJsonObject request(QJsonObject command, int timeoutMs = 15000);
    const QList<QJsonObject> &lines() const { return m_lines; }
    /// The lines that have @p key.
    QList<QJsonObject> linesWith(QStringView key) const;
    qsizetype count(QStringView key) const { return linesWith(key).size(); }
    /// The `args` of every line whose @p key is @p value (e.g. `received` = an event name).
    QList<QJsonArray> argsWhere(QStringView key, QStringView value) const;
    /// SIGKILL, as a crash or `kill -9` would, and waits for the process to end.
    void kill();
    /// What the script wrote on stderr, plus start failures.
    QString errorOutput() const { return m_errors; }

protected:
    explicit NodeProcess(const QString &label, QObject *parent = nullptr);

    /// Starts `node tests/interop/<script> arguments` and waits until @p ready says so (or
    /// the process ends); false with errorOutput() set otherwise.
    bool startScript(const QString &script, const QStringList &arguments, int timeoutMs,
                     const std::function<bool()> &ready);
    /// Called for every line before it is stored.
    virtual void lineReceived(const QJsonObject &line) { Q_UNUSED(line) }

private:
    void readOutput();

    QString m_label;
    QProcess m_process;
    QByteArray m_pending;
    QList<QJsonObject> m_lines;
    QString m_errors;
    int m_nextId = 1;
};

} // namespace livedesk::test
