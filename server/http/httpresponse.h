// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>

#include <functional>
#include <utility>

class QHttpServerResponder;

namespace livedesk::server {

/**
 * An HTTP response built by value and written in one go.
 *
 * Qt 6.4's QHttpServerResponder only takes header lists known at compile time; this type
 * collects headers at run time (ETag, Location, ...) and writes them line by line.
 */
class HttpResponse
{
public:
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    /// Sends the real response of a deferred() one; call it on the server's thread, once.
    using Reply = std::function<void(const HttpResponse &response)>;
    /// Set by deferred(): the server hands it the Reply for this request instead of writing.
    std::function<void(Reply)> start;

    static HttpResponse json(const QJsonObject &object, int status = 200);
    /**
     * A response that takes a while (a large upload to check): nothing is written now; the
     * server calls @p start with a Reply, and the request is answered when that is called.
     * If the client has gone by then, the answer is dropped. The server keeps serving others
     * meanwhile; a client that sends another request on the same connection before the
     * answer (HTTP pipelining, which browsers and Qt do not do) is not supported.
     */
    static HttpResponse deferred(std::function<void(Reply)> start)
    {
        HttpResponse r;
        r.status = 0;
        r.start = std::move(start);
        return r;
    }
    bool isDeferred() const { return bool(start); }
    void addHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({name, value});
    }
    void writeTo(QHttpServerResponder &responder) const;
};

} // namespace livedesk::server
