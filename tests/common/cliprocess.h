// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArrayList>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QProcess>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace livedesk::test {

/**
 * One run of livedesk-cli (or any program printing JSON lines) as a child process, for tests
 * that check what a user of the command line sees: its JSON lines, stderr and exit code. The
 * process is killed when the object goes, so a failing test leaves nothing behind.
 */
class CliProcess
{
public:
    explicit CliProcess(const QString &program);
    ~CliProcess();

    void start(const QStringList &arguments);
    /// The JSON objects printed on stdout so far, one per line; a line that is not one goes
    /// to badLines.
    QList<QJsonObject> &lines();
    /// The lines so far whose `kind` is @p kind.
    QList<QJsonObject> ofKind(QStringView kind);
    /// Waits (the event loop turning) until the process has ended; false after @p timeoutMs.
    bool finish(int timeoutMs = 30000);
    /// Everything on stderr so far.
    QString errorText();

    QProcess process;
    QByteArrayList badLines;

private:
    QString m_program;
    QByteArray m_pending;
    QList<QJsonObject> m_parsed;
    QString m_stderr;
};

} // namespace livedesk::test
