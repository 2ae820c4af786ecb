// SPDX-License-Identifier: MIT
#include "state/session.h"

#include "events/eventnaming.h"
#include "livedesklogging.h"
#include "rest/restreply.h"
#include "state/importjob.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSaveFile>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

// The payload of a JWT (`header.payload.signature`), or an empty object.
QJsonObject jwtPayload(const QString &token)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return {};
    const QByteArray json
        = QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding);
    return QJsonDocument::fromJson(json).object();
}

} // namespace

Session::Session(QObject *parent)
    : QObject(parent)
{
    // A reconnect presents the token again: it must be the current one. A server that asks
    // the connected socket for fresh tokens (auth:expiring) gets every new one at once.
    connect(&m_api, &ApiClient::tokensChanged, this, [this] {
        m_socket.setAuth({{u"token"_s, m_api.accessToken()}});
        scheduleRefresh();
        if (m_socketRenews && m_socket.isConnected())
            offerSocketToken();
    });
    connect(&m_socket, &SocketIoClient::eventReceived, this, [this](const SocketIoEvent &event) {
        if (event.name == u"auth:expiring")
            onSocketTokenExpiring(event.args.at(0).toObject());
        else if (event.name == u"auth:expired")
            onSocketTokenExpired(event.args.at(0).toObject());
    });
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] { renewToken(false); });
    // A socket refused at CONNECT (an access token that expired while the connection was
    // down, a laptop that slept past the refresh) gets no retry of its own: renew, then open.
    // Without a refresh token only the person can help.
    connect(&m_socket, &SocketIoClient::stateChanged, this, &Session::connectionStatusChanged);
    connect(&m_channel, &RealtimeChannel::eventReceived, this, &Session::eventReceived);
    connect(&m_channel, &RealtimeChannel::unclaimedEvent, this, &Session::unclaimedEvent);
    connect(&m_channel, &RealtimeChannel::subscriptionRefused, this,
            [this](const QString &message) { Q_EMIT subscriptionRefused(message); });
    connect(&m_socket, &SocketIoClient::reconnectScheduled, this,
            &Session::connectionStatusChanged);
    connect(&m_socket, &SocketIoClient::connectError, this, [this](const QString &message) {
        if (!m_api.refreshToken().isEmpty())
            renewToken(true);
        else
            requireSignIn(tr("The server refused the connection (%1).").arg(message));
    });
    // A 401 that no refresh could repair. Not when the server was not reached: that is an
    // outage, which the connection state already shows and a reconnect ends.
    connect(&m_api, &ApiClient::authenticationFailed, this, [this](const RestError &error) {
        if (error.isNetworkError())
            return;
        requireSignIn(
            error.httpStatus >= 500
                ? tr("Your sign-in expired and the server could not renew it (%1).")
                      .arg(error.message)
                : tr("The server no longer accepts your sign-in (%1).").arg(error.message));
    });
}

void Session::onSocketTokenExpiring(const QJsonObject &request)
{
    m_socketRenews = true;
    const QDateTime serverExpiry
        = QDateTime::fromString(request.value(u"expiresAt").toString(), Qt::ISODateWithMs);
    const qint64 exp = jwtPayload(m_api.accessToken()).value(u"exp").toInteger(0);
    // Renewed already (the timer at four fifths of the lifetime came first): hand it over.
    if (serverExpiry.isValid() && exp * 1000 > serverExpiry.toMSecsSinceEpoch()) {
        offerSocketToken();
        return;
    }
    if (!m_api.refreshToken().isEmpty()) {
        qCInfo(lcState) << "the server asks the socket for a fresh token; renewing it";
        renewToken(false); // tokensChanged() hands the new one over
    }
    // Without a refresh token nothing can be offered: the server drops the socket at the
    // token's expiry and says so (auth:expired), which asks the person to sign in again.
}

void Session::onSocketTokenExpired(const QJsonObject &notice)
{
    // The server drops the socket (`41`, no reconnect of its own) right after this event.
    qCInfo(lcState).noquote() << "the server ended the socket:"
                              << notice.value(u"message").toString();
    if (!m_api.refreshToken().isEmpty())
        renewToken(true);
    else
        requireSignIn(tr("Your sign-in expired (%1).").arg(notice.value(u"message").toString()));
}

void Session::offerSocketToken()
{
    m_socket.emitWithAck(u"auth:renew"_s, {QJsonObject{{u"token"_s, m_api.accessToken()}}}, this,
                         [](const SocketIoAck &ack) {
                             const QJsonObject answer = ack.args.at(0).toObject();
                             if (!ack.ok || !answer.value(u"ok").toBool())
                                 qCInfo(lcState).noquote()
                                     << "the server did not take the renewed token:"
                                     << (ack.ok ? answer.value(u"message").toString() : ack.error);
                         });
}

void Session::requireSignIn(const QString &reason)
{
    if (!m_signedIn || m_signInRequired)
        return;
    m_signInRequired = true;
    qCInfo(lcState).noquote() << "sign-in required:" << reason;
    Q_EMIT signInRequired(reason);
}

void Session::setQueueRoot(const QString &root, const QString &serverKey)
{
    m_queueRoot = root;
    m_serverKey = serverKey;
}

QString Session::queueDirectory() const
{
    if (m_queueRoot.isEmpty() || !m_signedIn)
        return {};
    // A name from server and user that any file system takes; owner.json says whose it is.
    const QByteArray key = QCryptographicHash::hash(
        QString(m_serverKey + u'\n' + userName()).toUtf8(), QCryptographicHash::Sha1);
    return m_queueRoot + u'/' + QString::fromLatin1(key.toHex().left(20));
}

QList<Session::WaitingChanges> Session::waitingForOthers() const
{
    QList<WaitingChanges> waiting;
    if (m_queueRoot.isEmpty())
        return waiting;
    const QString mine = queueDirectory();
    const QDir root(m_queueRoot);
    for (const QString &name : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString directory = root.filePath(name);
        if (directory == mine)
            continue;
        QFile ownerFile(directory + u"/owner.json"_s);
        if (!ownerFile.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject owner = QJsonDocument::fromJson(ownerFile.readAll()).object();
        if (owner.value(u"server").toString() != m_serverKey)
            continue;
        WaitingChanges w;
        w.user = owner.value(u"user").toString();
        w.directory = directory;
        const QDir dir(directory);
        for (const QString &file :
             dir.entryList({u"*.queue.json"_s, u"*.conflicts.json"_s}, QDir::Files)) {
            QFile queue(dir.filePath(file));
            if (queue.open(QIODevice::ReadOnly))
                w.count += int(QJsonDocument::fromJson(queue.readAll())
                                   .object()
                                   .value(u"operations")
                                   .toArray()
                                   .size());
        }
        if (w.count > 0)
            waiting.append(w);
    }
    return waiting;
}

bool Session::discardWaiting(const QString &directory)
{
    return QDir(directory).removeRecursively();
}

void Session::renewToken(bool reopenSocket)
{
    if (m_renewing)
        return;
    m_renewing = true;
    RestReply *reply = m_api.renewTokens();
    connect(reply, &RestReply::finished, this, [this, reply, reopenSocket] {
        m_renewing = false;
        if (reply->ok()) {
            if (reopenSocket && !m_socket.isConnected())
                m_socket.open();
            return;
        }
        const RestError error = reply->error();
        qCInfo(lcState).noquote() << "token refresh failed:" << error.toString();
        // The socket stays shut until someone signs in again (ApiClient::authenticationFailed
        // asks for that unless the server was not reached).
        if (reopenSocket && error.isNetworkError())
            QTimer::singleShot(5000, this, [this] {
                if (!m_socket.isConnected())
                    renewToken(true);
            });
        // Refused (the refresh token expired or was revoked): only signing in again helps
        // (signInRequired() follows). Not reached, or failing: try again later.
        if (!(error.httpStatus >= 400 && error.httpStatus < 500))
            m_refreshTimer.start(30 * 1000);
    });
}

Session::~Session()
{
    close();
}

void Session::setServer(const QUrl &url, const QString &socketPath)
{
    m_url = url;
    m_socketPath = socketPath;
    m_api.setBaseUrl(url);
}

void Session::signIn(const QString &email, const QString &password)
{
    RestReply *reply = m_api.login(email, password);
    connect(reply, &RestReply::finished, this, [this, reply] {
        if (!reply->ok()) {
            Q_EMIT failed(reply->error().httpStatus == 401
                              ? tr("The e-mail address or password is not right.")
                              : tr("Could not sign in: %1").arg(reply->error().message));
            return;
        }
        loadSchema();
    });
}

void Session::scheduleRefresh()
{
    m_refreshTimer.stop();
    const QJsonObject payload = jwtPayload(m_api.accessToken());
    const qint64 exp = payload.value(u"exp").toInteger(0);
    const qint64 iat = payload.value(u"iat").toInteger(0);
    if (exp <= 0 || m_api.refreshToken().isEmpty())
        return;
    // The lifetime from the token's own claims, counted on the local clock from now: a
    // client clock that differs from the server's does not shift the moment.
    const qint64 lifetime
        = iat > 0 && iat < exp ? exp - iat : exp - QDateTime::currentSecsSinceEpoch();
    m_refreshTimer.start(int(std::clamp<qint64>(lifetime * 4 / 5, 5, 24 * 3600) * 1000));
}

void Session::useToken(const QString &accessToken, const QString &refreshToken)
{
    m_api.setTokens(accessToken, refreshToken);
    loadSchema();
}

QString Session::userId() const
{
    const QString id = m_api.user().value(u"id").toVariant().toString();
    return id.isEmpty() ? jwtPayload(m_api.accessToken()).value(u"sub").toVariant().toString() : id;
}

QString Session::userName() const
{
    const QJsonObject user = m_api.user();
    for (const auto key : {u"email", u"name", u"id"}) {
        const QString value = user.value(key).toString();
        if (!value.isEmpty())
            return value;
    }
    const QJsonObject payload = jwtPayload(m_api.accessToken());
    for (const auto key : {u"email", u"name", u"sub"}) {
        const QString value = payload.value(key).toVariant().toString();
        if (!value.isEmpty())
            return value;
    }
    return tr("signed in");
}

const ResourceSchema *Session::resource(const QString &name) const
{
    for (const ResourceSchema &r : m_resources) {
        if (r.name == name)
            return &r;
    }
    // Any spelling of the server's name (`lab-orders` for `lab_orders`).
    for (const ResourceSchema &r : m_resources) {
        if (EventNaming::sameName(r.name, name))
            return &r;
    }
    return nullptr;
}

void Session::loadSchema()
{
    if (!m_schemaFile.isEmpty()) {
        QFile file(m_schemaFile);
        if (!file.open(QIODevice::ReadOnly)) {
            Q_EMIT failed(
                tr("Could not read the schema file %1: %2").arg(m_schemaFile, file.errorString()));
            return;
        }
        finishSchema(QJsonDocument::fromJson(file.readAll()).object(),
                     tr("The schema file %1 describes no resource.").arg(m_schemaFile));
        return;
    }
    RestReply *reply = m_api.get(u"/api/schema"_s);
    connect(reply, &RestReply::finished, this, [this, reply] {
        if (reply->error().httpStatus == 401) {
            Q_EMIT failed(tr("The server did not accept the sign-in (the token may have "
                             "expired)."));
            return;
        }
        // A plain AegisX server has no /api/schema: the fallback resources are used.
        // The whole answer: it names the user's role beside the resources.
        finishSchema(reply->ok() ? reply->data().toObject() : QJsonObject(),
                     tr("The server describes no resources, and none were named "
                        "(--resource or --schema)."));
    });
}

void Session::finishSchema(const QJsonObject &document, const QString &problem)
{
    m_resources.clear();
    const QJsonValue resources = document.value(u"resources").isArray()
        ? document.value(u"resources")
        : document.value(u"data").toObject().value(u"resources");
    for (const QJsonValue &r : resources.toArray()) {
        QString error;
        const auto schema = ResourceSchema::fromSchemaDocument(
            document, r.toObject().value(u"name").toString(), &error);
        if (schema && !schema->allows(ResourceSchema::Action::Read)) {
            // Its list would only ever be refused: the role does not see this resource.
            qCInfo(lcState).noquote() << "schema:" << schema->refusal(ResourceSchema::Action::Read);
        } else if (schema) {
            m_resources.append(*schema);
        } else {
            qCWarning(lcState).noquote() << "schema:" << error;
        }
    }
    if (m_resources.isEmpty()) {
        for (const QString &name : std::as_const(m_fallback))
            m_resources.append(ResourceSchema::named(name));
    }
    if (m_resources.isEmpty()) {
        Q_EMIT failed(problem);
        return;
    }
    m_signedIn = true;
    if (const QString directory = queueDirectory(); !directory.isEmpty()) {
        QDir().mkpath(directory);
        QSaveFile owner(directory + u"/owner.json"_s);
        if (owner.open(QIODevice::WriteOnly)) {
            owner.write(
                QJsonDocument(QJsonObject{{u"server"_s, m_serverKey}, {u"user"_s, userName()}})
                    .toJson(QJsonDocument::Compact));
            owner.commit();
        }
    }
    connectSocket();
    loadUserNames();
    Q_EMIT signedIn();
}

void Session::loadUserNames()
{
    RestReply *reply = m_api.get(u"/api/users"_s);
    connect(reply, &RestReply::finished, this, [this, reply] {
        if (!reply->ok()) {
            qCDebug(lcState).noquote() << "no user directory:" << reply->error().toString();
            return;
        }
        const QJsonArray users = reply->data().toArray();
        for (const QJsonValue &v : users) {
            const QJsonObject u = v.toObject();
            const QString id = u.value(u"id").toVariant().toString();
            const QString name = u.value(u"name").toString();
            if (!id.isEmpty() && !name.isEmpty())
                m_userNames.insert(id, name);
        }
        Q_EMIT userNamesChanged();
    });
}

QString Session::displayNameOf(const QString &id) const
{
    return displayNameOf(m_userNames, id);
}

QString Session::displayNameOf(const QHash<QString, QString> &names, const QString &id)
{
    return names.value(id, id);
}

void Session::connectSocket()
{
    SocketIoClient::Options o = m_socket.options();
    o.url = m_url;
    o.path = m_socketPath;
    o.auth = {{u"token"_s, m_api.accessToken()}};
    m_socket.setOptions(o);
    QStringList features;
    for (const ResourceSchema &r : std::as_const(m_resources)) {
        if (!features.contains(r.feature))
            features.append(r.feature);
    }
    m_channel.setSubscription(features);
    m_socket.open();
}

RealtimeStateManager *Session::existingManager(const QString &name) const
{
    const auto it = m_managers.find(name);
    return it == m_managers.end() ? nullptr : it->second.get();
}

RealtimeStateManager *Session::manager(const QString &name, RealtimeStateManager::Mode mode)
{
    const ResourceSchema *schema = resource(name);
    if (!schema)
        return nullptr;
    RealtimeStateManager::Options options;
    options.mode = mode;
    options.query.sort = {{schema->idField, Qt::AscendingOrder}};
    // Live mode's waiting changes, and HIS mode's conflicts the user has not decided yet: both
    // are typed work that a new sign-in or a restart must find again.
    if (const QString directory = queueDirectory(); !directory.isEmpty())
        options.queuePath = directory + u'/' + name
            + (mode == RealtimeStateManager::Mode::Live ? u".queue.json"_s : u".conflicts.json"_s);
    auto it = m_managers.find(name);
    if (it != m_managers.end()) {
        if (it->second->mode() == mode)
            return it->second.get();
        // The list stays the same list in the other mode: its sort, search and filters.
        options.query = it->second->query();
        Q_EMIT managerAboutToBeReplaced(name);
        m_managers.erase(it);
    }
    auto manager = std::make_unique<RealtimeStateManager>(&m_api, &m_channel, *schema, options);
    RealtimeStateManager *made = manager.get();
    m_managers.emplace(name, std::move(manager));
    made->start();
    return made;
}

ImportJob *Session::followImport(const QString &restPath, const QString &jobId, QObject *parent)
{
    return new ImportJob(&m_api, &m_channel, restPath, jobId, parent);
}

void Session::close()
{
    m_managers.clear();
    m_socket.close();
}

} // namespace livedesk
