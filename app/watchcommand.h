// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>

#include <cstdio>

namespace livedesk {

class SocketIoClient;
class RealtimeChannel;

/**
 * `livedesk-cli watch`: connect, subscribe, and print one JSON object per line for every
 * normalised event and every connection state change, until interrupted.
 *
 * The output format is documented in README.md and kept stable: integrators script against it.
 * Exit codes: 0 interrupted, 2 usage or bad URL, 3 connection refused by the server (auth),
 * 4 unreachable after the retry budget, 5 disconnected by the server.
 */
class WatchCommand : public QObject
{
    Q_OBJECT

public:
    enum ExitCode { Ok = 0, Usage = 2, Refused = 3, Unreachable = 4, ServerDisconnect = 5 };

    explicit WatchCommand(QObject *parent = nullptr);

    /// Parses the arguments after `watch`; on error prints usage and returns false.
    bool configure(const QStringList &arguments);
    void start();
    /// Stops on a signal (Ctrl-C): closes the connection and quits with Ok.
    void stop();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void print(const QJsonObject &object);
    void printState();

    SocketIoClient *m_client = nullptr;
    RealtimeChannel *m_channel = nullptr;
    bool m_stopping = false;
    QTextStream m_out{stdout};
    QTextStream m_err{stderr};
};

} // namespace livedesk
