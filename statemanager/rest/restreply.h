// SPDX-License-Identifier: MIT
#pragma once

#include "rest/resterror.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QObject>

#include <functional>
#include <utility>

namespace livedesk {

class ApiClient;

/**
 * One REST call of ApiClient, answered asynchronously.
 *
 * finished() is emitted exactly once, from the event loop (never inside the call that
 * created the reply), after the envelope has been decoded; then the reply deletes itself
 * (deleteLater), like a fire-and-forget job: read what you need in the slot. abort() ends the
 * call with `CANCELLED`. A call that needed a token refresh is retried once, transparently,
 * and finishes with the retry's outcome.
 */
class RestReply : public QObject
{
    Q_OBJECT

public:
    ~RestReply() override;

    bool isFinished() const { return m_finished; }
    /// The server said `success:true` (2xx); error() is null.
    bool ok() const { return m_finished && m_error.isNull(); }
    RestError error() const { return m_error; }
    int httpStatus() const { return m_httpStatus; }

    /// The envelope's `data` (a record, a list of records, `{id, deleted}`, ...). For
    /// ApiClient::listAsText(), decoded from dataText() when first asked for (then undefined
    /// if Qt cannot read it).
    QJsonValue data() const;
    /**
     * The `data` of ApiClient::listAsText()'s answer as its JSON text, for a reader that takes
     * the records apart itself; empty for any other call, for an envelope read the Qt way, and
     * once data() has decoded it.
     */
    QByteArray dataText() const { return m_dataText; }
    /// The envelope's `pagination` for lists (`page, limit, total, totalPages, hasNext,
    /// hasPrev`), empty otherwise.
    QJsonObject pagination() const { return m_pagination; }
    /// The envelope's `meta`, and its `message` when present.
    QJsonObject meta() const { return m_meta; }
    QString message() const { return m_message; }
    /// The whole body when it is not JSON (a CSV template), empty otherwise.
    QByteArray rawBody() const { return m_rawBody; }
    /// A response header, e.g. "ETag" (case-insensitive); empty when absent.
    QByteArray header(const QByteArray &name) const;

    /// The method and path, e.g. "PUT /api/patients/12", for logs and messages.
    QString description() const { return m_description; }

    /// Ends the call now with `CANCELLED` (finished() still comes, from the event loop).
    void abort();

Q_SIGNALS:
    void finished();

private:
    friend class ApiClient;
    explicit RestReply(const QString &description, QObject *parent);
    // Marks the outcome final and emits finished() from the event loop.
    void complete();

    bool m_finished = false;
    // complete() was called: the outcome is final, finished() is on its way.
    bool m_completing = false;
    bool m_aborted = false;
    RestError m_error;
    int m_httpStatus = 0;
    // Decoded from m_dataText when first asked for.
    mutable QJsonValue m_data;
    mutable bool m_dataDecoded = false;
    mutable QByteArray m_dataText;
    QJsonObject m_pagination;
    QJsonObject m_meta;
    QString m_message;
    QByteArray m_rawBody;
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    QString m_description;
    // Set by ApiClient: how to abort the network request in flight.
    std::function<void()> m_abortHook;
};

} // namespace livedesk
