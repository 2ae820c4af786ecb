// SPDX-License-Identifier: MIT
#include "httpresponse.h"

#include <QtCore/QJsonDocument>
#include <QtHttpServer/QHttpServerResponder>

namespace livedesk::server {

HttpResponse HttpResponse::json(const QJsonObject &object, int status)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    r.addHeader("Content-Type", "application/json; charset=utf-8");
    return r;
}

void HttpResponse::writeTo(QHttpServerResponder &responder) const
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    for (const auto &[name, value] : headers)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}

} // namespace livedesk::server
