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
     * Length of the head at the start of @p data (just past its blank line), or -1 while it is
     * incomplete. Blank lines before the request line, which Qt's parser skips, count as head.
     */
    static qsizetype headLength(const QByteArray &data);

    /**
     * Parses @p head (request line and header lines, up to and including the blank line);
     * nullopt when it is not HTTP/1.x, or when its body could be framed more than one way:
     * a Content-Length that is not plain digits, two that differ, Content-Length together
     * with Transfer-Encoding, a transfer coding other than chunked alone, a folded header line or
     * a line of blanks inside the head,
     * a header name that is not a token ("Content-Length :"). A server that guessed would
     * read a smuggled request where the peer in front of it saw a body.
     */
    static std::optional<HttpRequestHead> parse(const QByteArray &head);
};

} // namespace livedesk::server
