// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>
#include <utility>

namespace livedesk::server {

/**
 * The request line and headers of one HTTP/1.x request, read before its body.
 *
 * HttpListener parses this from the bytes it has peeked at, so that a request can be judged
 * (size, authorization) before a byte of its body is read. Header names are lower case.
 */
class HttpRequestHead
{
public:
    QByteArray method;
    /// The decoded path of the request target, without the query.
    QString path;
    int majorVersion = 1;
    int minorVersion = 1;
    QList<std::pair<QByteArray, QByteArray>> headers;
    /// Content-Length, or -1 when absent.
    qint64 contentLength = -1;
    bool chunked = false;

    /// The first value of header @p name (lower case), empty when absent.
    QByteArray value(const QByteArray &name) const;
    /// Whether the client wants the connection kept after the response: HTTP/1.1 unless it
    /// says `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    bool keepAlive() const;
    /// A WebSocket upgrade request.
    bool isUpgrade() const;
    /// Whether a body follows the head.
    bool hasBody() const { return chunked || contentLength > 0; }

    /**
     * Parses @p head (request line and header lines, up to and including the blank line);
     * nullopt when it is not HTTP/1.x or a Content-Length is not a number.
     */
    static std::optional<HttpRequestHead> parse(const QByteArray &head);
};

} // namespace livedesk::server
