// SPDX-License-Identifier: MIT
#pragma once

#include "rest/restquery.h"
#include "rest/restreply.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QUrl>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace livedesk {

/**
 * The REST side of an AegisX backend (docs/protocol.md), for any resource: one
 * QNetworkAccessManager, a base URL, a bearer token, and the AegisX envelopes decoded into
 * RestReply.
 *
 * Paths are absolute on the server (`/api/patients`, from ResourceSchema::restPath) and are
 * resolved against the base URL, keeping its own path as a prefix (a backend behind
 * `https://host/his/` gets `https://host/his/api/patients`).
 *
 * ## Tokens
 * login() stores the access and refresh tokens it receives; setTokens() sets them directly
 * (e.g. a token given on the command line, without refresh token). When a call is answered
 * 401 and a refresh token is known, the client refreshes once (`POST /api/auth/refresh`,
 * one refresh shared by every call waiting for it) and retries the call once with the new
 * token; if the refresh fails, the call fails with the original 401 and authenticationFailed()
 * tells the application to ask for a new sign-in. A refresh token the server refuses is
 * forgotten (tokensChanged()), so later 401s do not try it again.
 *
 * ## Writes
 * WriteOptions::txnId goes out as `X-Client-Txn-Id` (livedesk-server echoes it in the event
 * the write causes; AegisX ignores it) and WriteOptions::ifMatch as `If-Match: "<version>"`
 * (livedesk-server answers a stale version with 409 `VERSION_CONFLICT` and the current
 * record). The caller decides whether to send them (ResourceSchema knows whether records have
 * versions).
 *
 * ## Time limits
 * Every call has a transfer timeout (timeoutMs(), 30 s; 0 for none): a server that accepts
 * the connection and never answers ends the call with `TIMEOUT`, not a hang. Import uploads
 * use uploadTimeoutMs() (10 min): checking a large file takes a while.
 */
class ApiClient : public QObject
{
    Q_OBJECT

public:
    /** Headers for writes; see the class description. */
    class WriteOptions
    {
    public:
        QString txnId;
        std::optional<qint64> ifMatch;
    };

    explicit ApiClient(QObject *parent = nullptr);
    ~ApiClient() override;

    void setBaseUrl(const QUrl &url);
    QUrl baseUrl() const { return m_baseUrl; }
    void setTokens(const QString &accessToken, const QString &refreshToken = {});
    QString accessToken() const { return m_accessToken; }
    QString refreshToken() const { return m_refreshToken; }
    /// The signed-in user as login() returned it (`{id, email, name, role, tenant}`).
    QJsonObject user() const { return m_user; }

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    void setUploadTimeoutMs(int ms) { m_uploadTimeoutMs = ms; }
    int uploadTimeoutMs() const { return m_uploadTimeoutMs; }

    /// `POST /api/auth/login`; on success the tokens and user are stored (tokensChanged()).
    RestReply *login(const QString &email, const QString &password);
    /// `POST /api/auth/refresh` with the stored refresh token; stores the new tokens.
    RestReply *refresh();
    /// Renews the tokens now, or joins the renewal already on its way (the one a 401 started):
    /// one refresh at a time, however many ask, so that a server issuing one-use refresh
    /// tokens never sees the same token twice. The reply of that refresh.
    RestReply *renewTokens();

    /// Any `GET` (e.g. `/api/schema`, `/api/health`).
    RestReply *get(const QString &path);
    /// `GET <path>?<query>`: data is the array of records, pagination is filled.
    RestReply *list(const QString &path, const RestQuery &query);
    /**
     * list() for a reader that takes the records apart itself: a successful answer's `data`
     * is kept as its JSON text (RestReply::dataText()), read with simdjson only as far as
     * the envelope, so that a page is not built as Qt JSON just to be taken apart again. The
     * text is not checked beyond its brackets: the reader must refuse the page if it cannot
     * read it (data() is then undefined). An envelope simdjson does not take is read the Qt
     * way, as list() reads it, with dataText() empty.
     */
    RestReply *listAsText(const QString &path, const RestQuery &query);
    /// `GET <path>/<id>`.
    RestReply *fetch(const QString &path, const QString &id);
    /// `POST <path>` (201 with the created record).
    RestReply *create(const QString &path, const QJsonObject &body,
                      const WriteOptions &options = {});
    /// `PUT <path>/<id>` with a partial body.
    RestReply *update(const QString &path, const QString &id, const QJsonObject &patch,
                      const WriteOptions &options = {});
    /// `DELETE <path>/<id>`.
    RestReply *remove(const QString &path, const QString &id, const WriteOptions &options = {});
    /// `POST <path>/bulk {items}`, `PUT <path>/bulk {items}`, `DELETE <path>/bulk {ids}`.
    RestReply *bulkCreate(const QString &path, const QJsonArray &items,
                          const WriteOptions &options = {});
    RestReply *bulkUpdate(const QString &path, const QJsonArray &items,
                          const WriteOptions &options = {});
    RestReply *bulkDelete(const QString &path, const QStringList &ids,
                          const WriteOptions &options = {});

    /// `GET <path>/import/template?format=csv`: the CSV in rawBody().
    RestReply *importTemplate(const QString &path);
    /// `POST <path>/import/validate`, @p csv as the multipart form field `file`.
    RestReply *importValidate(const QString &path, const QByteArray &csv,
                              const QString &fileName = QStringLiteral("import.csv"));
    /// `POST <path>/import/execute {sessionId, options:{skipErrors}}` (202 `{jobId, status}`).
    RestReply *importExecute(const QString &path, const QString &sessionId, bool skipErrors);
    /// `GET <path>/import/status/<jobId>`.
    RestReply *importStatus(const QString &path, const QString &jobId);
    /// `POST <path>/import/cancel/<jobId>` (livedesk-server).
    RestReply *importCancel(const QString &path, const QString &jobId);

    /// Calls not finished yet.
    int pendingCount() const;

Q_SIGNALS:
    void tokensChanged();
    /// A refresh failed (or there was no refresh token) after a 401: sign in again.
    void authenticationFailed(const livedesk::RestError &error);

private:
    class Call;

    Call *newCall(const QByteArray &verb, const QString &path);
    RestReply *send(Call *call);
    RestReply *sendJson(const QByteArray &verb, const QString &path, const QJsonValue &body,
                        const WriteOptions &options = {});
    QUrl urlFor(const QString &path, const QUrlQuery &query) const;
    void transmit(Call *call);
    void received(Call *call, QNetworkReply *network);
    void decode(Call *call, QNetworkReply *network);
    bool keepListAsText(const QByteArray &body, RestReply *r);
    void storeTokens(Call *call);
    void finish(Call *call);
    void cancel(Call *call);
    void forget(Call *call);
    void startRefresh();
    void refreshFinished(RestReply *refresh);

    QNetworkAccessManager *m_nam;
    QUrl m_baseUrl;
    QString m_accessToken;
    QString m_refreshToken;
    QJsonObject m_user;
    int m_timeoutMs = 30000;
    int m_uploadTimeoutMs = 600000;
    // Calls whose finished() has not been emitted yet.
    QList<Call *> m_calls;
    // Calls answered 401, waiting for m_refreshing to retry.
    QList<Call *> m_waitingForRefresh;
    RestReply *m_refreshing = nullptr;
};

} // namespace livedesk
