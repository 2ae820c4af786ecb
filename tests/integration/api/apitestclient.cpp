// SPDX-License-Identifier: MIT
#include "apitestclient.h"

#include <QtCore/QEventLoop>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkReply>

using namespace Qt::StringLiterals;

namespace livedesk::test {

QByteArray ApiTestClient::Reply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString ApiTestClient::Reply::errorCode() const
{
    return json.value(u"error").toObject().value(u"code").toString();
}

bool ApiTestClient::login(const QString &email, const QString &password)
{
    const auto r = post(u"/api/auth/login"_s,
                        QJsonDocument(QJsonObject{{u"email"_s, email}, {u"password"_s, password}}));
    if (r.status != 200)
        return false;
    m_token = r.data().toObject().value(u"accessToken").toString();
    return !m_token.isEmpty();
}

ApiTestClient::Reply ApiTestClient::raw(const QByteArray &verb, const QString &path,
                                        const QByteArray &body,
                                        const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QUrl url = m_base;
    const qsizetype q = path.indexOf(u'?');
    url.setPath(q < 0 ? path : path.left(q));
    if (q >= 0)
        url.setQuery(path.mid(q + 1));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, verb, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.json = QJsonDocument::fromJson(out.body).object();
    out.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return out;
}

ApiTestClient::Reply ApiTestClient::get(const QString &path)
{
    return raw("GET", path, {});
}

ApiTestClient::Reply ApiTestClient::post(const QString &path, const QJsonDocument &body,
                                         const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    return raw("POST", path, body.toJson(QJsonDocument::Compact), headers);
}

ApiTestClient::Reply ApiTestClient::put(const QString &path, const QJsonDocument &body,
                                        const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    return raw("PUT", path, body.toJson(QJsonDocument::Compact), headers);
}

ApiTestClient::Reply ApiTestClient::del(const QString &path,
                                        const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    return raw("DELETE", path, {}, headers);
}

} // namespace livedesk::test
