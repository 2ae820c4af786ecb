// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

namespace livedesk::test {

/**
 * Blocking HTTP calls for integration tests: real requests over loopback through
 * QNetworkAccessManager, with the event loop turning while they run (the server under test
 * lives in the same thread).
 */
class ApiTestClient
{
public:
    class Reply
    {
    public:
        int status = 0;
        QJsonObject json;
        QByteArray body;
        QList<QNetworkReply::RawHeaderPair> headers;
        QByteArray header(const QByteArray &name) const;
        QJsonValue data() const { return json.value(QStringLiteral("data")); }
        QString errorCode() const;
    };

    explicit ApiTestClient(const QUrl &base)
        : m_base(base)
    {
    }

    void setToken(const QString &token) { m_token = token; }
    /// Logs in and keeps the access token; false when refused.
    bool login(const QString &email, const QString &password);

    Reply get(const QString &path);
    Reply post(const QString &path, const QJsonDocument &body,
               const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    Reply put(const QString &path, const QJsonDocument &body,
              const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    Reply del(const QString &path, const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    Reply raw(const QByteArray &verb, const QString &path, const QByteArray &body,
              const QList<std::pair<QByteArray, QByteArray>> &headers = {});

private:
    QUrl m_base;
    QString m_token;
    QNetworkAccessManager m_nam;
};

} // namespace livedesk::test
