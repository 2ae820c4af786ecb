// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

namespace livedesk::test {

/**
 * A TCP relay between a client and the server under test, so that a test can cut the
 * network under a live connection: dropAll() aborts every relayed connection at once, which
 * both ends see as a transport close (nothing like a WebSocket close frame or `41` is sent).
 * New connections are relayed as before, so a reconnecting client gets through.
 */
class TcpProxy : public QObject
{
    Q_OBJECT

public:
    explicit TcpProxy(quint16 targetPort, QObject *parent = nullptr);

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    /// Aborts every relayed connection (both sides).
    void dropAll();
    /// Relayed connections currently open.
    int connectionCount() const;

private:
    class Pair
    {
    public:
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
    };
    void onNewConnection();

    quint16 m_targetPort;
    QTcpServer m_server;
    QList<Pair> m_pairs;
};

} // namespace livedesk::test
