// SPDX-License-Identifier: MIT
#pragma once

#include "nodeprocess.h"

#include <QtCore/QUrl>

namespace livedesk::test {

/**
 * A Node server from tests/interop in a child process: by default `peer-server.js`, a real
 * socket.io 4.8 server for interop tests; `aegisx-backend.js`, a plain AegisX backend (REST
 * and Socket.IO) for the state manager. See each script's header for its flags and commands.
 * Their lines say what the server saw: connections and their auth, received events,
 * acknowledgements, disconnections.
 */
class PeerProcess : public NodeProcess
{
    Q_OBJECT

public:
    explicit PeerProcess(QObject *parent = nullptr);
    /// The server in tests/interop/@p script, which prints `{"ready":true,"port":N}`.
    explicit PeerProcess(const QString &script, QObject *parent = nullptr);

    /// Starts the peer with @p arguments on port 0 unless `--port` is among them, and waits
    /// for its ready line. On false, errorOutput() says why.
    bool start(const QStringList &arguments = {}, int timeoutMs = 20000);
    int port() const { return m_port; }
    /// `http://127.0.0.1:<port>`: what a client is configured with.
    QUrl url() const;
    /// The args of every `{"received":event}` line, in arrival order.
    QList<QJsonArray> received(QStringView event) const { return argsWhere(u"received", event); }

protected:
    void lineReceived(const QJsonObject &line) override;

private:
    QString m_script;
    int m_port = 0;
};

} // namespace livedesk::test
