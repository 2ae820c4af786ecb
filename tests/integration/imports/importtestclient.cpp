// SPDX-License-Identifier: MIT
#include "importtestclient.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QJsonArray>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QHttpMultiPart>
#include <QtNetwork/QNetworkAccessManager>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace livedesk::test {

ImportTestClient::ImportTestClient(const QUrl &base)
    : m_base(base)
    , m_rest(base)
{
}

bool ImportTestClient::login(const QString &email, const QString &password)
{
    m_rest.setToken({});
    const auto r
        = m_rest.post(u"/api/auth/login"_s,
                      QJsonDocument(QJsonObject{{u"email"_s, email}, {u"password"_s, password}}));
    m_token = r.data().toObject().value(u"accessToken").toString();
    m_rest.setToken(m_token);
    return r.status == 200 && !m_token.isEmpty();
}

ImportTestClient::Reply ImportTestClient::upload(const QString &base, const QByteArray &csv,
                                                 const QString &fileName)
{
    QNetworkAccessManager nam;
    auto *multi = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart file;
    file.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/csv"));
    file.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QByteArray("form-data; name=\"file\"; filename=\"" + fileName.toUtf8() + "\""));
    file.setBody(csv);
    QHttpPart note;
    note.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QByteArrayLiteral("form-data; name=\"note\""));
    note.setBody("uploaded by the import tests");
    multi->append(note);
    multi->append(file);

    QUrl url = m_base;
    url.setPath(base + u"/import/validate"_s);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
    QNetworkReply *reply = nam.post(request, multi);
    multi->setParent(reply);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    loop.exec();
    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.json = QJsonDocument::fromJson(out.body).object();
    out.headers = reply->rawHeaderPairs();
    delete reply;
    return out;
}

ImportTestClient::Reply ImportTestClient::uploadRaw(const QString &base, const QByteArray &csv,
                                                    const QByteArray &contentType)
{
    return m_rest.raw("POST", base + u"/import/validate"_s, csv, {{"Content-Type", contentType}});
}

ImportTestClient::Reply ImportTestClient::execute(const QString &base, const QString &sessionId,
                                                  bool skipErrors)
{
    QJsonObject body{{u"sessionId"_s, sessionId}};
    if (skipErrors)
        body.insert(u"options"_s, QJsonObject{{u"skipErrors"_s, true}});
    return m_rest.post(base + u"/import/execute"_s, QJsonDocument(body));
}

ImportTestClient::Reply ImportTestClient::status(const QString &base, const QString &jobId)
{
    return m_rest.get(base + u"/import/status/"_s + jobId);
}

ImportTestClient::Reply ImportTestClient::cancel(const QString &base, const QString &jobId)
{
    return m_rest.post(base + u"/import/cancel/"_s + jobId, QJsonDocument(QJsonObject{}));
}

QJsonObject ImportTestClient::waitForJob(const QString &base, const QString &jobId, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QJsonObject last;
    for (;;) {
        last = status(base, jobId).data().toObject();
        const QString s = last.value(u"status").toString();
        if (s == u"completed" || s == u"failed" || s == u"cancelled" || clock.elapsed() > timeoutMs)
            return last;
        QTest::qWait(20);
    }
}

qint64 ImportTestClient::count(const QString &base, const QString &text)
{
    QUrlQuery q;
    q.addQueryItem(u"search"_s, text);
    q.addQueryItem(u"limit"_s, u"1"_s);
    const auto r = m_rest.get(base + u'?' + q.toString(QUrl::FullyEncoded));
    return r.json.value(u"pagination").toObject().value(u"total").toInteger(-1);
}

QByteArray ImportTestClient::csv(const QStringList &lines)
{
    return QString(lines.join(u'\n') + u'\n').toUtf8();
}

} // namespace livedesk::test
