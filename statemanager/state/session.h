// SPDX-License-Identifier: MIT
#pragma once

#include "events/realtimechannel.h"
#include "rest/apiclient.h"
#include "socketio/connectionstatus.h"
#include "socketio/socketioclient.h"
#include "state/realtimestatemanager.h"
#include "state/resourceschema.h"

#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <QtCore/QHash>
#include <QtCore/QTimer>
#include <map>

#include <memory>

namespace livedesk {

class ImportJob;

/**
 * One signed-in connection to one server, as the workstation holds it: the REST client, the
 * Socket.IO connection with its channel (subscribed to every resource's feature), the
 * resources the server describes, and one RealtimeStateManager per resource, made when a
 * view first asks for it.
 *
 * Why a class of its own: the socket must present a fresh token whenever the REST client
 * refreshes one (an expired token would make every reconnect fail with 44), the channel must
 * subscribe to the features of all open resources, and switching a resource between HIS and
 * live mode means replacing its manager; keeping those rules in one place keeps the windows
 * simple.
 *
 * Tokens are refreshed before they expire (at four fifths of the access token's lifetime,
 * read from its `exp` claim), not only when a request is refused: a socket that reconnects
 * after a quiet hour must find a valid token, and no REST call may have asked for one.
 *
 * A server that holds sockets to their token's lifetime (livedesk-server) asks the connected
 * socket for a fresh token (`auth:expiring`): the session answers `auth:renew` with its
 * current token, renewing it first when it is the one about to expire, and from then on hands
 * every renewed token to the socket, so the connection never drops for a renewal. If the
 * server drops the socket all the same (`auth:expired`, then `41`), the session renews and
 * connects again, or asks the person to sign in when it cannot renew.
 *
 * The schema comes from the server (`GET /api/schema`, livedesk-server), else from a schema
 * file (setSchemaFile(), for a plain AegisX backend), else each resource named in
 * setFallbackResources() gets default conventions (ResourceSchema::named()).
 *
 * ## Unsaved changes belong to a server and a user
 * With setQueueRoot(), every live-mode manager keeps its unconfirmed changes (and every
 * HIS-mode manager the conflicts its user has not decided yet) in a file under a directory
 * of its own for this server and this user (queueDirectory()): a new sign-in
 * or a restart of the application as the same user at the same server finds them and sends
 * them; another user at the same workstation never sends them, and waitingForOthers() lets
 * the window say whose they are. Only discardWaiting() removes them.
 *
 * ## When the server stops accepting the sign-in
 * A token refused after a reconnect (CONNECT_ERROR with an auth reason) or a REST call
 * refused with 401 that no refresh can repair (the refresh token is refused, the refresh
 * answers 500, there is none) ends in signInRequired(): only the person can sign in again.
 * The managers keep their rows (stale) and their queued changes meanwhile.
 */
class Session : public QObject
{
    Q_OBJECT
public:
    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    /// Server base URL (`http://host:3333`) and Socket.IO path (`/api/ws/` on AegisX).
    void setServer(const QUrl &url, const QString &socketPath = QStringLiteral("/api/ws/"));
    QUrl url() const { return m_url; }
    QString socketPath() const { return m_socketPath; }
    void setSchemaFile(const QString &path) { m_schemaFile = path; }
    /// Resources to offer when neither the server nor a file describes any.
    void setFallbackResources(const QStringList &names) { m_fallback = names; }
    /// Where live mode keeps unsaved changes (e.g. the app data directory's `queues`), and
    /// the name of the server they belong to (its URL, or a stable name for a server whose
    /// address changes, such as the built-in one). Empty @p root: in memory only.
    void setQueueRoot(const QString &root, const QString &serverKey);
    /// This server and user's directory under the queue root (valid once signed in).
    QString queueDirectory() const;

    /** Unsaved changes that another user left at this server. */
    class WaitingChanges
    {
    public:
        QString user;
        QString directory;
        int count = 0;
    };
    /// The changes other users of this server left here (valid once signed in).
    QList<WaitingChanges> waitingForOthers() const;
    /// Removes the changes in @p directory (one of waitingForOthers()); false when it cannot.
    static bool discardWaiting(const QString &directory);

    /// Signs in with a password; signedIn() or failed() follows.
    void signIn(const QString &email, const QString &password);
    /// Uses a token someone else issued (`--token`); the user is read from the token's
    /// payload when it is a JWT. signedIn() follows once the schema is loaded.
    void useToken(const QString &accessToken, const QString &refreshToken = {});
    /// The signed-in user's e-mail or name, for the window title.
    /// The signed-in user's id as events name it (`user.id` of the sign-in, else the token's
    /// `sub`): to tell one's own changes from others'.
    QString userId() const;
    /// How to name the user @p id to a person: the name from the server's user directory
    /// (`GET /api/users`, livedesk-server; read after signing in), else the id itself. A
    /// plain AegisX server may refuse the directory to non-admins: ids are shown then.
    QString displayNameOf(const QString &id) const;
    /// The same rule with the user directory @p names (userNames()): for what names people
    /// without a session at hand (People).
    static QString displayNameOf(const QHash<QString, QString> &names, const QString &id);
    const QHash<QString, QString> &userNames() const { return m_userNames; }
    QString userName() const;
    bool isSignedIn() const { return m_signedIn; }

    /// The resources, in the server's order (valid after signedIn()); those the user's role
    /// may not read (ResourceSchema::allowed) are left out, their lists would only be refused.
    const QList<ResourceSchema> &resources() const { return m_resources; }
    /// The resource called @p name in any spelling (`lab-orders` finds the server's
    /// `lab_orders`), or null.
    const ResourceSchema *resource(const QString &name) const;

    /// The manager of @p name in @p mode, made and started on first use; the same one until
    /// the mode changes (the old manager is deleted: its views must let go first, see
    /// managerAboutToBeReplaced()). The new manager keeps the old one's query (sort, search,
    /// filters): switching modes does not change which records the list shows.
    RealtimeStateManager *manager(const QString &name, RealtimeStateManager::Mode mode);
    /// The current manager of @p name, or null.
    RealtimeStateManager *existingManager(const QString &name) const;

    ApiClient *api() { return &m_api; }
    SocketIoClient *socket() { return &m_socket; }
    /// The connection as a person should see it now (connectionStatusChanged() on change).
    ConnectionStatus connectionStatus() const { return ConnectionStatus::of(m_socket); }
    RealtimeChannel *channel() { return &m_channel; }

    /// Follows the import job @p jobId of the resource at @p restPath (e.g. `/api/patients`)
    /// with this session's REST client and channel: progress from its events while the
    /// socket is connected, its status asked for while it is not (ImportJob). The job is a
    /// child of @p parent and must not outlive the session. Why here: what shows an import
    /// (the wizard) then needs neither the channel nor the socket, only the session.
    ImportJob *followImport(const QString &restPath, const QString &jobId, QObject *parent);

    /// Closes the socket and forgets the managers (views must have let go).
    void close();

Q_SIGNALS:
    /// connectionStatus() changed: the state, or a retry was scheduled.
    void connectionStatusChanged();
    /// A change notification arrived (RealtimeChannel::eventReceived(): before the lists
    /// apply it).
    void eventReceived(const livedesk::RealtimeEvent &event);
    /// No list took an event of a subscribed feature (RealtimeChannel::unclaimedEvent()).
    void unclaimedEvent(const QString &name);
    /// The server refused the subscription: no change can be heard (the lists say so).
    void subscriptionRefused(const QString &message);
    /// Signed in and the resources are known.
    void signedIn();
    /// Signing in or reading the schema failed; @p message says why, for a person.
    void failed(const QString &message);
    /// @p name's manager is about to be deleted and replaced (mode switch).
    void managerAboutToBeReplaced(const QString &name);
    /// The user directory arrived (userNames()).
    void userNamesChanged();
    /// The server no longer accepts this sign-in and it cannot be renewed: @p reason says
    /// why, for a person, who must sign in again. Emitted once until signed in again.
    void signInRequired(const QString &reason);

private:
    void loadSchema();
    void loadUserNames();
    void scheduleRefresh();
    void renewToken(bool reopenSocket);
    void finishSchema(const QJsonObject &document, const QString &problem);
    void connectSocket();
    void requireSignIn(const QString &reason);
    void onSocketTokenExpiring(const QJsonObject &request);
    void onSocketTokenExpired(const QJsonObject &notice);
    void offerSocketToken();

    QUrl m_url;
    QString m_socketPath;
    QString m_schemaFile;
    QStringList m_fallback;
    bool m_signedIn = false;
    ApiClient m_api;
    SocketIoClient m_socket;
    RealtimeChannel m_channel{&m_socket};
    QList<ResourceSchema> m_resources;
    std::map<QString, std::unique_ptr<RealtimeStateManager>> m_managers;
    QTimer m_refreshTimer;
    bool m_renewing = false;
    QHash<QString, QString> m_userNames;
    QString m_queueRoot;
    QString m_serverKey;
    bool m_signInRequired = false;
    // The server asks the socket for fresh tokens (auth:expiring): hand it every new one.
    bool m_socketRenews = false;
};

} // namespace livedesk
