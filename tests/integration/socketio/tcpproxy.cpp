// SPDX-License-Identifier: MIT
#include "tcpproxy.h"

#include <QtNetwork/QHostAddress>

namespace livedesk::test {

TcpProxy::TcpProxy(quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
}

bool TcpProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void TcpProxy::dropAll()
{
    const auto pairs = std::exchange(m_pairs, {});
    for (const Pair &pair : pairs) {
        for (QTcpSocket *socket : {pair.client.data(), pair.upstream.data()}) {
            if (!socket)
                continue;
            socket->disconnect(this);
            socket->abort();
            socket->deleteLater();
        }
    }
}

int TcpProxy::connectionCount() const
{
    int n = 0;
    for (const Pair &pair : m_pairs) {
        if (pair.client && pair.upstream)
            ++n;
    }
    return n;
}

void TcpProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *upstream = new QTcpSocket(this);
        client->setParent(this);
        // Bytes from the client wait in its buffer until the upstream side is connected.
        const auto pump = [](QTcpSocket *from, QTcpSocket *to) {
            if (to->state() == QAbstractSocket::ConnectedState)
                to->write(from->readAll());
        };
        connect(client, &QTcpSocket::readyRead, this, [=] { pump(client, upstream); });
        connect(upstream, &QTcpSocket::readyRead, this, [=] { pump(upstream, client); });
        connect(upstream, &QTcpSocket::connected, this, [=] { pump(client, upstream); });
        const auto closeBoth = [this, client, upstream] {
            for (QTcpSocket *s : {client, upstream}) {
                s->disconnect(this);
                s->disconnectFromHost();
                s->deleteLater();
            }
            m_pairs.removeIf([client](const Pair &p) { return p.client == client; });
        };
        connect(client, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::disconnected, this, closeBoth);
        m_pairs.append(Pair{client, upstream});
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

} // namespace livedesk::test
