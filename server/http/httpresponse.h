// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>

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

    static HttpResponse json(const QJsonObject &object, int status = 200);
    void addHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({name, value});
    }
    void writeTo(QHttpServerResponder &responder) const;
};

} // namespace livedesk::server
