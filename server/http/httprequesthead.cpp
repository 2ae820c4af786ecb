// SPDX-License-Identifier: MIT
#include "httprequesthead.h"

#include <QtCore/QUrl>

namespace livedesk::server {

QByteArray HttpRequestHead::value(const QByteArray &name) const
{
    for (const auto &[key, v] : headers) {
        if (key == name)
            return v;
    }
    return {};
}

bool HttpRequestHead::keepAlive() const
{
    const QByteArray connection = value("connection").toLower();
    if (majorVersion == 1 && minorVersion == 0)
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

bool HttpRequestHead::isUpgrade() const
{
    return value("connection").toLower().contains("upgrade")
        && value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

std::optional<HttpRequestHead> HttpRequestHead::parse(const QByteArray &head)
{
    HttpRequestHead result;
    const QList<QByteArray> lines = head.split('\n');
    qsizetype i = 0;
    // Qt's parser skips blank lines before a request; so do we.
    while (i < lines.size() && lines.at(i).trimmed().isEmpty())
        ++i;
    if (i == lines.size())
        return std::nullopt;
    const QList<QByteArray> requestLine = lines.at(i++).trimmed().simplified().split(' ');
    if (requestLine.size() != 3)
        return std::nullopt;
    const QByteArray &protocol = requestLine.at(2);
    if (protocol.size() != 8 || !protocol.startsWith("HTTP/1.") || protocol.at(7) < '0'
        || protocol.at(7) > '9')
        return std::nullopt;
    result.method = requestLine.at(0);
    result.path = QUrl::fromEncoded(requestLine.at(1)).path();
    result.majorVersion = 1;
    result.minorVersion = protocol.at(7) - '0';
    for (; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return std::nullopt;
        result.headers.append(
            {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    const QByteArray length = result.value("content-length");
    if (!length.isEmpty()) {
        bool ok = false;
        result.contentLength = length.toLongLong(&ok);
        if (!ok || result.contentLength < 0)
            return std::nullopt;
    }
    result.chunked = result.value("transfer-encoding").toLower().contains("chunked");
    return result;
}

} // namespace livedesk::server
