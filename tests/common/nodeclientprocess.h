// SPDX-License-Identifier: MIT
#pragma once

#include "nodeprocess.h"

namespace livedesk::test {

/**
 * `node siosrv-node-client.js`: the real socket.io-client 4.8, driven over stdin, for tests of
 * our server (see the script's header for its commands). Its lines say what the client saw:
 * connects (and whether recovered), connect errors, disconnects, events.
 */
class NodeClientProcess : public NodeProcess
{
    Q_OBJECT

public:
    explicit NodeClientProcess(QObject *parent = nullptr);

    /// Starts the client process (it connects only when told to); false with errorOutput().
    bool start(int timeoutMs = 20000);
    /// The args of every `{"event":name}` line, in arrival order.
    QList<QJsonArray> events(QStringView name) const { return argsWhere(u"event", name); }

protected:
    void lineReceived(const QJsonObject &line) override;

private:
    bool m_ready = false;
};

} // namespace livedesk::test
