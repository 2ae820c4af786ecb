// SPDX-License-Identifier: MIT
#include "httprequesthead.h"

#include <QtCore/QUrl>

namespace livedesk::server {

namespace {

bool isDigits(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

// RFC 9110 token characters: what a method and a header name are made of.
bool isToken(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

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

qsizetype HttpRequestHead::headLength(const QByteArray &data)
{
    qsizetype start = 0;
    while (start < data.size() && (data.at(start) == '\r' || data.at(start) == '\n'))
        ++start;
    qsizetype from = start;
    while (true) {
        const qsizetype nl = data.indexOf('\n', from);
        if (nl < 0)
            return -1;
        if (nl + 1 < data.size() && data.at(nl + 1) == '\n')
            return nl + 2;
        if (nl + 2 < data.size() && data.at(nl + 1) == '\r' && data.at(nl + 2) == '\n')
            return nl + 3;
        from = nl + 1;
    }
}

std::optional<HttpRequestHead> HttpRequestHead::parse(const QByteArray &head)
{
    HttpRequestHead result;
    const QList<QByteArray> lines = head.split('\n');
    qsizetype i = 0;
    // Qt's parser skips empty lines before a request; so do we (headLength() too).
    while (i < lines.size() && (lines.at(i).isEmpty() || lines.at(i) == "\r"))
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
    if (!isToken(requestLine.at(0)))
        return std::nullopt;
    result.method = requestLine.at(0);
    result.path = QUrl::fromEncoded(requestLine.at(1)).path();
    result.majorVersion = 1;
    result.minorVersion = protocol.at(7) - '0';
    for (; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        // Only an empty line ends the head, as in headLength(): a line of blanks is a folded
        // line to other parsers, and headers after it would escape the checks below.
        if (line.isEmpty())
            break;
        // Folded lines (obsolete) and a space before the colon are refused (RFC 9112 §5): a
        // peer that reads them otherwise would frame the body differently from us.
        if (line.startsWith(' ') || line.startsWith('\t'))
            return std::nullopt;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return std::nullopt;
        result.headers.append({line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
    }
    // The body's length must be read one way only: one Content-Length made of digits (repeated
    // with the same value at most), or chunked, never both.
    bool hasLength = false;
    bool hasTransferEncoding = false;
    for (const auto &[key, v] : std::as_const(result.headers)) {
        if (key == "content-length") {
            if (!isDigits(v) || v.size() > 18)
                return std::nullopt;
            const qint64 length = v.toLongLong();
            if (hasLength && length != result.contentLength)
                return std::nullopt;
            result.contentLength = length;
            hasLength = true;
        } else if (key == "transfer-encoding") {
            if (hasTransferEncoding)
                return std::nullopt;
            hasTransferEncoding = true;
            // Only chunked is understood, alone: a body in another coding could not be read.
            if (v.trimmed().toLower() != "chunked")
                return std::nullopt;
            result.chunked = true;
        }
    }
    if (hasLength && hasTransferEncoding)
        return std::nullopt;
    return result;
}

} // namespace livedesk::server
