// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtWebSockets/QWebSocket>

#include <optional>

namespace livedesk::test {

/**
 * A bare WebSocket client that records every frame, for asserting the server's exact wire
 * behaviour (handshake fields, frame order, close codes) where a real client library would
 * hide it.
 *
 * Pings (`2`) are answered with `3` and not recorded, unless autoPong is switched off (a
 * silent client, for heartbeat tests); they are counted either way.
 */
class RawEngineClient : public QObject
{
    Q_OBJECT

public:
    class Frame
    {
    public:
        bool binary = false;
        QString text;
        QByteArray data;
    };

    explicit RawEngineClient(QObject *parent = nullptr);

    /// `ws://127.0.0.1:<port><path>?EIO=4&transport=websocket`.
    static QUrl engineUrl(quint16 port, const QString &path = QStringLiteral("/socket.io/"));

    /// Opens the WebSocket and waits for the Engine.IO OPEN packet; returns its JSON, or an
    /// empty object when it did not come.
    QJsonObject open(const QUrl &url, int timeoutMs = 15000);
    /// Opens the WebSocket only; true once connected.
    bool openSocket(const QUrl &url, int timeoutMs = 15000);
    /// Starts opening the WebSocket and returns at once (for a server that closes at once).
    void startOpen(const QUrl &url) { m_socket.open(url); }
    /// Whether the WebSocket handshake ever completed.
    bool wasConnected() const { return m_wasConnected; }

    void sendText(const QString &text) { m_socket.sendTextMessage(text); }
    void sendBinary(const QByteArray &data) { m_socket.sendBinaryMessage(data); }

    /// Waits for and removes the next recorded frame.
    std::optional<Frame> take(int timeoutMs = 15000);
    /// The next text frame, or an empty string (and a test failure message) when none came.
    QString takeText(int timeoutMs = 15000);
    /// Sends `40<nsp,><auth>` and returns the server's reply frames up to and including the
    /// CONNECT reply (or CONNECT_ERROR), in order.
    QStringList connectNamespace(const QString &nsp = QStringLiteral("/"),
                                 const QJsonObject &auth = {}, int timeoutMs = 15000);

    bool waitClosed(int timeoutMs = 15000);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    /// What the server said when it closed the connection.
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    void close() { m_socket.close(); }
    void abort() { m_socket.abort(); }

    bool autoPong = true;
    int pings = 0;
    QList<Frame> frames;

private:
    QWebSocket m_socket;
    bool m_wasConnected = false;
};

} // namespace livedesk::test
