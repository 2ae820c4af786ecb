// SPDX-License-Identifier: MIT
#include "rawengineclient.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QUrlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace livedesk::test {

RawEngineClient::RawEngineClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        if (text == u"2") {
            ++pings;
            if (autoPong)
                m_socket.sendTextMessage(u"3"_s);
            return;
        }
        frames.append({false, text, {}});
    });
    connect(&m_socket, &QWebSocket::connected, this, [this] { m_wasConnected = true; });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        frames.append({true, {}, data});
    });
}

QUrl RawEngineClient::engineUrl(quint16 port, const QString &path)
{
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(port);
    url.setPath(path);
    url.setQuery(u"EIO=4&transport=websocket"_s);
    return url;
}

bool RawEngineClient::openSocket(const QUrl &url, int timeoutMs)
{
    m_socket.open(url);
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                           timeoutMs)
        && isConnected();
}

QJsonObject RawEngineClient::open(const QUrl &url, int timeoutMs)
{
    if (!openSocket(url, timeoutMs))
        return {};
    const auto frame = take(timeoutMs);
    if (!frame || frame->binary || !frame->text.startsWith(u'0'))
        return {};
    return QJsonDocument::fromJson(frame->text.mid(1).toUtf8()).object();
}

std::optional<RawEngineClient::Frame> RawEngineClient::take(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return !frames.isEmpty(); }, timeoutMs) && frames.isEmpty())
        return std::nullopt;
    return frames.takeFirst();
}

QString RawEngineClient::takeText(int timeoutMs)
{
    const auto frame = take(timeoutMs);
    if (!frame) {
        qWarning("RawEngineClient: no frame within %d ms", timeoutMs);
        return {};
    }
    if (frame->binary) {
        qWarning("RawEngineClient: expected a text frame, got %lld binary bytes",
                 qint64(frame->data.size()));
        return {};
    }
    return frame->text;
}

QStringList RawEngineClient::connectNamespace(const QString &nsp, const QJsonObject &auth,
                                              int timeoutMs)
{
    QString packet = u"40"_s;
    if (nsp != u"/")
        packet += nsp + u',';
    if (!auth.isEmpty())
        packet += QString::fromUtf8(QJsonDocument(auth).toJson(QJsonDocument::Compact));
    sendText(packet);
    const QString prefix = nsp == u"/" ? QString() : nsp + u',';
    QStringList out;
    while (true) {
        const auto frame = take(timeoutMs);
        if (!frame)
            return out;
        out.append(frame->binary ? u"<binary>"_s : frame->text);
        if (!frame->binary
            && (frame->text.startsWith(u"40"_s + prefix)
                || frame->text.startsWith(u"44"_s + prefix)))
            return out;
    }
}

bool RawEngineClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                           timeoutMs)
        || m_socket.state() == QAbstractSocket::UnconnectedState;
}

} // namespace livedesk::test
