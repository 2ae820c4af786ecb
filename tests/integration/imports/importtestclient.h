// SPDX-License-Identifier: MIT
#pragma once

#include "apitestclient.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

namespace livedesk::test {

/**
 * The import routes for integration tests, on top of ApiTestClient: uploads as a browser
 * sends them (QHttpMultiPart, field "file"), execute, status, and waiting for a job to end.
 * Calls block while the event loop turns, so the in-process server keeps running its jobs.
 */
class ImportTestClient
{
public:
    using Reply = ApiTestClient::Reply;

    explicit ImportTestClient(const QUrl &base);

    bool login(const QString &email, const QString &password);
    QString token() const { return m_token; }
    ApiTestClient &rest() { return m_rest; }

    /// `POST <base>/import/validate` with @p csv as the multipart field "file".
    Reply upload(const QString &base, const QByteArray &csv,
                 const QString &fileName = QStringLiteral("import.csv"));
    /// The same with the CSV as the raw body and @p contentType.
    Reply uploadRaw(const QString &base, const QByteArray &csv,
                    const QByteArray &contentType = "text/csv");
    Reply execute(const QString &base, const QString &sessionId, bool skipErrors = false);
    Reply status(const QString &base, const QString &jobId);
    Reply cancel(const QString &base, const QString &jobId);
    /// Polls the status until the job is completed, failed or cancelled (or @p timeoutMs
    /// passes: then the last status); the progress fields.
    QJsonObject waitForJob(const QString &base, const QString &jobId, int timeoutMs = 60000);
    /// Records of @p base whose searchable text contains @p text (the list's `total`).
    qint64 count(const QString &base, const QString &text);

    /// `lines` joined with "\n" (and a final one), as UTF-8.
    static QByteArray csv(const QStringList &lines);

private:
    QUrl m_base;
    QString m_token;
    ApiTestClient m_rest;
};

} // namespace livedesk::test
