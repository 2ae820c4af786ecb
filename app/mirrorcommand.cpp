// SPDX-License-Identifier: MIT
#include "mirrorcommand.h"

#include "events/realtimechannel.h"
#include "rest/apiclient.h"
#include "socketio/socketioclient.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSaveFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

// `--set field=value`: JSON when the value is a JSON number, boolean or null, text otherwise.
QJsonValue cellValue(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QString(u'[' + text + u']').toUtf8());
    if (doc.isArray() && doc.array().size() == 1 && !doc.array().at(0).isObject()
        && !doc.array().at(0).isArray())
        return doc.array().at(0);
    return text;
}

// @p channelOpen: whether the socket under the list is connected at this moment; a list
// whose channel is not open is not reported as connected, whatever it last heard.
QJsonObject stateJson(const RealtimeStateManager &m, bool channelOpen)
{
    return {{u"mode"_s, m.mode() == RealtimeStateManager::Mode::His ? u"his"_s : u"live"_s},
            {u"connected"_s, m.isConnected() && channelOpen},
            {u"staleSince"_s,
             m.staleSince().isValid() ? QJsonValue(m.staleSince().toString(Qt::ISODateWithMs))
                                      : QJsonValue()},
            {u"lastSyncAt"_s, m.lastSyncAt().toString(Qt::ISODateWithMs)},
            {u"pending"_s, m.pendingCount()},
            {u"conflicts"_s, int(m.conflicts().size())},
            {u"rows"_s, m.rowCount()}};
}

QJsonObject countersJson(const RealtimeStateManager::Counters &c,
                         const RealtimeChannel::Stats &channel)
{
    return {{u"reloads"_s, c.reloads},
            {u"resyncs"_s, c.resyncs},
            {u"eventsSeen"_s, c.eventsSeen},
            {u"eventsApplied"_s, c.eventsApplied},
            {u"eventsFetched"_s, c.eventsFetched},
            {u"eventsReloaded"_s, c.eventsReloaded},
            {u"eventsIgnored"_s, c.eventsIgnored},
            {u"unclaimed"_s, channel.unclaimed},
            {u"duplicatesDropped"_s, channel.duplicates},
            {u"recordFetches"_s, c.recordFetches},
            {u"seqGaps"_s, c.seqGaps},
            {u"writesSent"_s, c.writesSent},
            {u"confirmed"_s, c.confirmed},
            {u"rolledBack"_s, c.rolledBack},
            {u"conflicts"_s, c.conflicts},
            {u"replayed"_s, c.replayed},
            {u"baseChecks"_s, c.baseChecks},
            {u"merged"_s, c.merged}};
}

} // namespace

MirrorCommand::MirrorCommand(QObject *parent)
    : QObject(parent)
{
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        // Quiet means nothing is due: not while reading or signing in, and not while the
        // connection is down (the rows may miss what changes meanwhile; the reconnect reads
        // them again), though not for ever either. Data that cannot be brought up to date
        // (a server that stays away, reads failing over an open connection) is written as it
        // is, stale: the exit code says so. Otherwise a reload due (after a reconnect until
        // the resync) or a write on its way is waited for.
        if (!m_manager) {
            m_idle.start(m_idleMs);
            return;
        }
        bool stale = m_manager->staleSince().isValid();
        if (!m_manager->isConnected() || !m_client || !m_client->isConnected()) {
            if (!waitedForTheConnection())
                return;
            stale = true;
        } else if (m_manager->isLoading() || m_signingIn
                   || (!stale
                       && (m_manager->isRefreshPending()
                           || m_manager->pendingCount() > m_manager->conflicts().size()))) {
            m_idle.start(m_idleMs);
            return;
        }
        writeSnapshot();
        if (stale) {
            m_err << "livedesk-cli: the data may be out of date: " << m_manager->staleReason()
                  << "\n";
            m_err.flush();
        }
        finish(stale ? Stale : Ok);
    });
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &MirrorCommand::writeDeadline);
    m_signInRetry.setSingleShot(true);
}

MirrorCommand::~MirrorCommand() = default;

bool MirrorCommand::configure(const QString &command, const QStringList &arguments)
{
    m_command = command;
    QCommandLineParser p;
    p.setApplicationDescription(
        command == u"mirror"
            ? u"Keep a copy of one resource through the state manager and write it to a file.\n\n"
              "Exit codes: 0 done, 2 usage, 3 sign-in refused, 4 unreachable, 8 ended with\n"
              "data that may be out of date (the server stayed away, or reads failed)."_s
            : u"%1 one record through the state manager and print the outcome.\n\n"
              "Exit codes: 0 confirmed, 1 refused by the server, 2 usage, 3 sign-in refused,\n"
              "4 unreachable (nothing was changed), 5 sent but not answered within --wait-ms\n"
              "(it may or may not have been applied: check the record), 6 conflict, 7 queued\n"
              "(live mode with --queue) and not sent yet."_s.arg(command.left(1).toUpper()
                                                                 + command.mid(1)));
    p.addHelpOption();
    p.addOption({u"url"_s, u"Server base URL, e.g. http://localhost:3333"_s, u"url"_s});
    p.addOption({u"path"_s, u"Socket.IO path (default /api/ws/)"_s, u"path"_s, m_path});
    p.addOption({u"token"_s, u"Access token (JWT)"_s, u"token"_s});
    p.addOption({u"user"_s, u"Sign in with this e-mail instead of a token"_s, u"email"_s});
    p.addOption({u"password"_s, u"Password for --user"_s, u"password"_s});
    p.addOption({u"resource"_s, u"Resource name, e.g. patients"_s, u"name"_s});
    p.addOption({u"mode"_s, u"his (default) or live"_s, u"mode"_s, u"his"_s});
    p.addOption({u"schema"_s, u"Schema file (the server's format)"_s, u"file"_s});
    p.addOption({u"rest-path"_s, u"REST base path (default /api/<resource>)"_s, u"path"_s});
    p.addOption({u"feature"_s, u"Event feature (default <resource>)"_s, u"feature"_s});
    p.addOption({u"entity"_s, u"Event entity"_s, u"entity"_s});
    p.addOption({u"queue"_s, u"Live mode: keep unconfirmed changes in this file"_s, u"file"_s});
    if (command != u"mirror")
        p.addOption({u"wait-ms"_s,
                     u"How long a write waits to go out, then for its answer (default 15000); "
                     "then it is queued (--queue), given up, or reported unconfirmed if it was "
                     "sent"_s,
                     u"ms"_s});
    if (command == u"mirror") {
        p.addOption({u"snapshot"_s, u"Write the snapshot here (default: stdout)"_s, u"file"_s});
        p.addOption({u"idle-ms"_s,
                     u"Write and exit after this long without changes; with the connection "
                     "down, after this long (at least 10 s) with exit 8"_s,
                     u"ms"_s});
    } else {
        if (command != u"create")
            p.addOption({u"id"_s, u"The record's id"_s, u"id"_s});
        if (command != u"delete") {
            p.addOption({u"set"_s, u"field=value (repeatable; JSON numbers and booleans)"_s,
                         u"field=value"_s});
        }
        if (command == u"update") {
            p.addOption({u"expect"_s,
                         u"field=value as read before (repeatable, typed as --set): a field of "
                         "--set the server holds otherwise is a conflict (exit 6)"_s,
                         u"field=value"_s});
        }
    }
    if (!p.parse(QStringList{u"livedesk-cli "_s + command} + arguments)) {
        m_err << p.errorText() << "\n\n" << p.helpText();
        m_err.flush();
        return false;
    }
    if (p.isSet(u"help"_s)) {
        m_out << p.helpText();
        m_out.flush();
        return false;
    }
    const auto complain = [&](const QString &why) {
        m_err << "livedesk-cli " << command << ": " << why << "\n\n" << p.helpText();
        m_err.flush();
        return false;
    };
    m_url = QUrl(p.value(u"url"_s), QUrl::StrictMode);
    if (!m_url.isValid() || m_url.scheme().isEmpty() || m_url.host().isEmpty())
        return complain(u"--url must be a server address such as http://localhost:3333"_s);
    m_path = p.value(u"path"_s);
    m_token = p.value(u"token"_s);
    m_user = p.value(u"user"_s);
    m_password = p.value(u"password"_s);
    if (m_token.isEmpty() == m_user.isEmpty())
        return complain(u"give either --token or --user (with --password)"_s);
    m_resource = p.value(u"resource"_s);
    if (m_resource.isEmpty())
        return complain(u"--resource is required"_s);
    const QString mode = p.value(u"mode"_s);
    if (mode != u"his" && mode != u"live")
        return complain(u"--mode is his or live"_s);
    m_mode = mode == u"live" ? RealtimeStateManager::Mode::Live : RealtimeStateManager::Mode::His;
    m_schemaFile = p.value(u"schema"_s);
    m_restPath = p.value(u"rest-path"_s);
    m_feature = p.value(u"feature"_s);
    m_entity = p.value(u"entity"_s);
    m_queue = p.value(u"queue"_s);
    if (command == u"mirror") {
        m_snapshot = p.value(u"snapshot"_s);
        if (p.isSet(u"idle-ms"_s)) {
            bool ok = false;
            m_idleMs = p.value(u"idle-ms"_s).toInt(&ok);
            if (!ok || m_idleMs < 0)
                return complain(u"--idle-ms must be a number of milliseconds"_s);
        }
    } else {
        if (p.isSet(u"wait-ms"_s)) {
            bool ok = false;
            m_waitMs = p.value(u"wait-ms"_s).toInt(&ok);
            if (!ok || m_waitMs < 0)
                return complain(u"--wait-ms must be a number of milliseconds"_s);
        }
        if (command != u"create") {
            m_recordId = p.value(u"id"_s);
            if (m_recordId.isEmpty())
                return complain(u"--id is required"_s);
        }
        const auto fieldValues = [&](const QString &option, QJsonObject *into) {
            for (const QString &pair : p.values(option)) {
                const qsizetype eq = pair.indexOf(u'=');
                if (eq <= 0)
                    return complain(u"--%1 takes field=value, not \"%2\""_s.arg(option, pair));
                into->insert(pair.left(eq), cellValue(pair.mid(eq + 1)));
            }
            return true;
        };
        if (command != u"delete") {
            if (!fieldValues(u"set"_s, &m_values))
                return false;
            if (m_values.isEmpty())
                return complain(u"nothing to write: add --set field=value"_s);
        }
        if (command == u"update" && !fieldValues(u"expect"_s, &m_expected))
            return false;
    }
    return true;
}

void MirrorCommand::start()
{
    m_api = std::make_unique<ApiClient>();
    m_api->setBaseUrl(m_url);
    // A refused token that cannot be renewed (the refresh answered 500, or there is no refresh
    // token): sign in again with the credentials given; with a token alone the reads fail and
    // the manager marks the data stale.
    connect(m_api.get(), &ApiClient::authenticationFailed, this, [this](const RestError &error) {
        if (m_manager)
            signInAgain(error.toString(), false);
    });
    connect(&m_signInRetry, &QTimer::timeout, this, [this] { signInAgain({}, false); });
    if (m_command != u"mirror")
        m_deadline.start(m_waitMs);
    if (!m_token.isEmpty()) {
        m_api->setTokens(m_token);
        loadSchema();
    } else {
        signIn();
    }
}

void MirrorCommand::signIn()
{
    RestReply *reply = m_api->login(m_user, m_password);
    connect(reply, &RestReply::finished, this, [this, reply] {
        if (!reply->ok()) {
            if (reply->error().isNetworkError()) {
                unreachable(u"cannot sign in as %1: %2"_s.arg(m_user, reply->error().toString()));
                return;
            }
            m_err << "livedesk-cli: cannot sign in as " << m_user << ": "
                  << reply->error().toString() << "\n";
            m_err.flush();
            finish(AuthFailed);
            return;
        }
        loadSchema();
    });
}

ResourceSchema MirrorCommand::adjusted(ResourceSchema schema) const
{
    if (!m_restPath.isEmpty())
        schema.restPath = m_restPath;
    if (!m_feature.isEmpty())
        schema.feature = m_feature;
    if (!m_entity.isEmpty())
        schema.entity = m_entity;
    return schema;
}

void MirrorCommand::loadSchema()
{
    const auto adjust = [this](const ResourceSchema &schema) {
        return adjusted(schema);
    };
    if (!m_schemaFile.isEmpty()) {
        QString error;
        const auto schema = ResourceSchema::fromSchemaFile(m_schemaFile, m_resource, &error);
        if (!schema) {
            m_err << "livedesk-cli: " << error << "\n";
            m_err.flush();
            finish(Usage);
            return;
        }
        startManager(adjust(*schema));
        return;
    }
    // The server's own description when it has one; defaults from the name otherwise.
    RestReply *reply = m_api->get(u"/api/schema"_s);
    connect(reply, &RestReply::finished, this, [this, reply, adjust] {
        if (reply->error().isNetworkError()) {
            unreachable(reply->error().toString());
            return;
        }
        QString error;
        std::optional<ResourceSchema> schema;
        if (reply->ok())
            schema
                = ResourceSchema::fromSchemaDocument(reply->data().toObject(), m_resource, &error);
        if (reply->ok() && !schema) {
            m_err << "livedesk-cli: " << error << "\n";
            m_err.flush();
            finish(Usage);
            return;
        }
        startManager(adjust(schema ? *schema : ResourceSchema::named(m_resource)));
    });
}

void MirrorCommand::startManager(const ResourceSchema &schema)
{
    m_client = std::make_unique<SocketIoClient>();
    SocketIoClient::Options o;
    o.url = m_url;
    o.path = m_path;
    o.auth = {{u"token"_s, m_api->accessToken()}};
    m_client->setOptions(o);
    m_channel = std::make_unique<RealtimeChannel>(m_client.get());
    m_channel->setSubscription({schema.feature});
    m_downSince.start();
    connect(m_client.get(), &SocketIoClient::stateChanged, this, [this] {
        if (m_client->isConnected())
            m_downSince.invalidate();
        else if (!m_downSince.isValid())
            m_downSince.start();
    });
    connect(m_client.get(), &SocketIoClient::connectError, this, [this](const QString &message) {
        // A token that expired while the connection was down: sign in again when we can.
        if (!m_user.isEmpty() && m_synced) {
            signInAgain(u"the server refused the connection: %1"_s.arg(message), true);
            return;
        }
        m_err << "livedesk-cli: the server refused the connection: " << message << "\n";
        m_err.flush();
        finish(AuthFailed);
    });
    connect(m_api.get(), &ApiClient::tokensChanged, this, [this] {
        SocketIoClient::Options refreshed = m_client->options();
        refreshed.auth = {{u"token"_s, m_api->accessToken()}};
        m_client->setOptions(refreshed);
        // A server that holds the socket to its token's lifetime asked for the new one.
        if (m_socketRenews && m_client->isConnected())
            m_client->emitWithAck(u"auth:renew"_s,
                                  {QJsonObject{{u"token"_s, m_api->accessToken()}}}, this,
                                  [](const SocketIoAck &) {});
    });
    // livedesk-server asks for a fresh token before the socket's expires (auth:expiring) and
    // drops the socket when it does (auth:expired, then 41): sign in again in time, or after.
    connect(m_client.get(), &SocketIoClient::eventReceived, this, [this](const SocketIoEvent &e) {
        if (e.name == u"auth:expiring") {
            m_socketRenews = true;
            signInAgain(u"the server asks the socket for a fresh token"_s, false);
        } else if (e.name == u"auth:expired") {
            signInAgain(u"the socket's token expired"_s, true);
        }
    });

    RealtimeStateManager::Options options;
    options.mode = m_mode;
    options.queuePath = m_queue;
    options.query.sort = {{schema.idField, Qt::AscendingOrder}};
    m_manager
        = std::make_unique<RealtimeStateManager>(m_api.get(), m_channel.get(), schema, options);
    connect(m_manager.get(), &RealtimeStateManager::errorOccurred, this,
            [this](const QString &message) {
                m_err << "livedesk-cli: " << message << "\n";
                m_err.flush();
            });
    connect(m_manager.get(), &RealtimeStateManager::synced, this, &MirrorCommand::onSynced);
    if (m_command != u"mirror")
        connect(m_manager.get(), &RealtimeStateManager::stateChanged, this,
                &MirrorCommand::maybeWrite);
    if (m_command == u"mirror" && m_idleMs >= 0) {
        const auto busy = [this] {
            m_idle.start(m_idleMs);
        };
        connect(m_manager.get(), &RealtimeStateManager::stateChanged, this, busy);
        connect(m_manager.get(), &RealtimeStateManager::rowsChanged, this, busy);
        connect(m_manager.get(), &RealtimeStateManager::rowsInserted, this, busy);
        connect(m_manager.get(), &RealtimeStateManager::rowsRemoved, this, busy);
        connect(m_channel.get(), &RealtimeChannel::eventReceived, this, busy);
    }
    m_client->open();
    m_manager->start();
}

void MirrorCommand::onSynced()
{
    m_synced = true;
    if (m_command == u"mirror") {
        if (m_idleMs >= 0)
            m_idle.start(m_idleMs);
        return;
    }
    maybeWrite();
}

void MirrorCommand::maybeWrite()
{
    if (m_wrote || m_done || !m_synced || !m_manager)
        return;
    // HIS mode writes to the server at once and refuses while offline: the socket must be up
    // (it is often still connecting when the first read is answered). Live mode stores the
    // change first and sends it when it can.
    if (m_mode == RealtimeStateManager::Mode::His && !m_manager->isConnected())
        return;
    runWrite();
}

void MirrorCommand::writeDeadline()
{
    if (m_done || m_command == u"mirror")
        return;
    const bool queue = m_mode == RealtimeStateManager::Mode::Live && !m_queue.isEmpty();
    if (!m_wrote) {
        if (queue) {
            if (!m_manager) {
                unreachable(u"no answer from the server within %1 ms"_s.arg(m_waitMs));
                return;
            }
            runWrite();
            return;
        }
        print({{u"status"_s, u"failed"_s},
               {u"code"_s, u"UNREACHABLE"_s},
               {u"message"_s,
                u"Nothing was changed: no answer from the server within %1 ms."_s.arg(m_waitMs)}});
        finish(Unreachable);
        return;
    }
    if (m_sent) {
        printUnconfirmed(u"has not answered within %1 ms"_s.arg(m_waitMs));
        return;
    }
    // Never sent: waiting for the connection, or for the read that checks the change first.
    if (queue) {
        if (!m_reportedQueued)
            print({{u"txnId"_s, m_txnId}, {u"status"_s, u"queued"_s}, {u"queue"_s, m_queue}});
        finish(Queued);
        return;
    }
    print({{u"txnId"_s, m_txnId},
           {u"status"_s, u"failed"_s},
           {u"code"_s, u"UNREACHABLE"_s},
           {u"message"_s,
            u"Not sent, so nothing was changed: the server could not be reached within %1 ms%2."_s
                .arg(QString::number(m_waitMs),
                     m_mode == RealtimeStateManager::Mode::Live
                         ? u" (with --queue the change would be kept for the next run)"_s
                         : QString())}});
    finish(Unreachable);
}

void MirrorCommand::printUnconfirmed(const QString &why)
{
    const bool queued = m_mode == RealtimeStateManager::Mode::Live && !m_queue.isEmpty();
    QJsonObject line{
        {u"txnId"_s, m_txnId},
        {u"status"_s, u"unconfirmed"_s},
        {u"message"_s,
         u"Sent to the server, which %1: the change may or may not have been applied; check "
         "the record.%2"_s.arg(why,
                               queued ? u" It stays in the queue: the next run with it sends it "
                                        "again, with the same txn id."_s
                                      : QString())}};
    if (!m_recordId.isEmpty())
        line.insert(u"id"_s, m_recordId);
    if (queued)
        line.insert(u"queue"_s, m_queue);
    print(line);
    finish(Unconfirmed);
}

void MirrorCommand::writeFailed(const QString &txnId, const RestError &error)
{
    if (txnId != m_txnId)
        return;
    // No answer at all (HIS mode; live mode keeps such a change and sends it again): not a
    // refusal. Sent, it may have been applied; not sent, nothing was changed.
    if (error.isNetworkError() || error.code == u"OFFLINE") {
        if (m_sent) {
            printUnconfirmed(u"has not answered (%1)"_s.arg(error.message));
            return;
        }
        print({{u"txnId"_s, txnId},
               {u"status"_s, u"failed"_s},
               {u"code"_s, u"UNREACHABLE"_s},
               {u"message"_s, u"Not sent, so nothing was changed: %1"_s.arg(error.message)}});
        finish(Unreachable);
        return;
    }
    print({{u"txnId"_s, txnId},
           {u"status"_s, u"failed"_s},
           {u"code"_s, error.code},
           {u"message"_s, error.message},
           {u"details"_s, error.details}});
    finish(Refused);
}

bool MirrorCommand::waitedForTheConnection()
{
    if (!m_downSince.isValid())
        m_downSince.start();
    const qint64 left = std::max(m_idleMs, ReconnectGraceMs) - m_downSince.elapsed();
    if (left <= 0)
        return true;
    m_idle.start(int(left));
    return false;
}

void MirrorCommand::unreachable(const QString &message)
{
    m_err << "livedesk-cli: " << message << "\n";
    m_err.flush();
    if (m_command == u"mirror" || m_mode != RealtimeStateManager::Mode::Live || m_queue.isEmpty()) {
        finish(Unreachable);
        return;
    }
    // Nothing can be read: the schema at hand (a file, else defaults from the name), the
    // stored queue, and the change added to it.
    ResourceSchema schema = ResourceSchema::named(m_resource);
    if (!m_schemaFile.isEmpty()) {
        QString error;
        if (const auto fromFile = ResourceSchema::fromSchemaFile(m_schemaFile, m_resource, &error))
            schema = *fromFile;
    }
    if (!m_manager)
        startManager(adjusted(schema));
    if (!m_wrote)
        runWrite();
}

void MirrorCommand::signInAgain(const QString &why, bool reopenSocket)
{
    if (m_done || m_signingIn)
        return;
    if (m_user.isEmpty()) {
        if (!why.isEmpty()) {
            m_err << "livedesk-cli: the server no longer accepts the token and it cannot be "
                     "renewed ("
                  << why << "); the data may be out of date\n";
            m_err.flush();
        }
        return;
    }
    if (m_signInRetry.isActive())
        return; // a retry is due: not before it
    m_signingIn = true;
    if (!why.isEmpty()) {
        m_err << "livedesk-cli: " << why << "; signing in again as " << m_user << "\n";
        m_err.flush();
    }
    RestReply *reply = m_api->login(m_user, m_password);
    connect(reply, &RestReply::finished, this, [this, reply, reopenSocket] {
        m_signingIn = false;
        if (m_done)
            return;
        if (!reply->ok()) {
            if (!reply->error().isNetworkError() && reply->error().httpStatus / 100 == 4) {
                m_err << "livedesk-cli: cannot sign in again as " << m_user << ": "
                      << reply->error().toString() << "\n";
                m_err.flush();
                if (m_manager && m_command == u"mirror")
                    writeSnapshot();
                finish(AuthFailed);
                return;
            }
            // Not reached, or the server is failing: later, and later (1 s doubling to 30 s).
            ++m_signInFailures;
            m_signInRetry.start(std::min(30000, 1000 << std::min(m_signInFailures - 1, 5)));
            return;
        }
        m_signInFailures = 0;
        m_err << "livedesk-cli: signed in again as " << m_user << "\n";
        m_err.flush();
        // The socket presents the new token (tokensChanged); the data is read again.
        // A socket refused at CONNECT stays closed by itself (Failed), also when an earlier try
        // to sign in again failed and this one is its retry.
        if (m_client && !m_client->isConnected()
            && (reopenSocket || m_client->state() == SocketIoClient::State::Failed))
            m_client->open();
        if (m_manager)
            m_manager->reload();
    });
}

void MirrorCommand::printConfirmed(const QString &txnId, const QString &id)
{
    m_deadline.stop();
    const QJsonObject record = m_manager->serverRecord(id);
    if (m_mode == RealtimeStateManager::Mode::Live || id.isEmpty() || m_command == u"delete") {
        print({{u"txnId"_s, txnId},
               {u"status"_s, u"confirmed"_s},
               {u"id"_s, id},
               {u"record"_s, record}});
        finish(Ok);
        return;
    }
    // HIS mode holds only what a reload brought, and the reload after this write is still to
    // come: the confirmed record as the server has it now.
    RestReply *reply = m_api->fetch(m_manager->schema().restPath, id);
    connect(reply, &RestReply::finished, this, [this, reply, txnId, id] {
        print({{u"txnId"_s, txnId},
               {u"status"_s, u"confirmed"_s},
               {u"id"_s, id},
               {u"record"_s, reply->ok() ? reply->data().toObject() : QJsonObject()}});
        finish(Ok);
    });
}

void MirrorCommand::runWrite()
{
    m_wrote = true;
    m_deadline.start(m_waitMs); // for the answer
    connect(m_manager.get(), &RealtimeStateManager::operationSent, this,
            [this](const QString &txnId) { m_sent = m_sent || txnId == m_txnId; });
    connect(m_manager.get(), &RealtimeStateManager::operationConfirmed, this,
            [this](const QString &txnId, const QString &id) {
                if (txnId != m_txnId)
                    return;
                printConfirmed(txnId, id);
            });
    connect(m_manager.get(), &RealtimeStateManager::operationFailed, this,
            &MirrorCommand::writeFailed);
    connect(m_manager.get(), &RealtimeStateManager::conflictDetected, this,
            [this](const QString &txnId) {
                if (txnId != m_txnId)
                    return;
                for (const PendingOperation &op : m_manager->conflicts()) {
                    if (op.txnId != txnId)
                        continue;
                    print({{u"txnId"_s, txnId},
                           {u"status"_s, u"conflict"_s},
                           {u"fields"_s, QJsonArray::fromStringList(op.conflictingFields())},
                           {u"mine"_s, op.values},
                           {u"theirs"_s, op.theirs},
                           {u"base"_s, op.base}});
                }
                finish(Conflict);
            });
    if (m_command == u"create")
        m_txnId = m_manager->createRecord(m_values);
    else if (m_command == u"update" && m_expected.isEmpty())
        m_txnId = m_manager->updateRecord(m_recordId, m_values);
    else if (m_command == u"update")
        m_txnId = m_manager->updateRecord(m_recordId, m_values, expectedBase());
    else
        m_txnId = m_manager->deleteRecord(m_recordId);
    if (m_mode == RealtimeStateManager::Mode::Live && !m_queue.isEmpty()
        && !m_manager->isConnected()) {
        print({{u"txnId"_s, m_txnId}, {u"status"_s, u"queued"_s}, {u"queue"_s, m_queue}});
        m_reportedQueued = true;
        // Stored now (the manager writes the queue on every change). Without even a first
        // read there is no reason to wait: the next run sends it.
        if (!m_synced)
            finish(Queued);
    }
}

QJsonObject MirrorCommand::expectedBase() const
{
    QJsonObject base = m_manager->serverRecord(m_recordId);
    bool asHeld = !base.isEmpty();
    for (auto it = m_expected.begin(); it != m_expected.end(); ++it) {
        asHeld = asHeld && base.value(it.key()) == it.value();
        base.insert(it.key(), it.value());
    }
    // Not the record as held: a state the server may never have had, so it must not claim the
    // held one's version or time of change, which the manager trusts to say "nothing changed
    // since" before it looks at the fields.
    if (!asHeld) {
        base.remove(m_manager->schema().versionField);
        base.remove(u"updated_at"_s);
    }
    return base;
}

void MirrorCommand::writeSnapshot()
{
    if (!m_manager)
        return;
    QList<QJsonObject> records = m_manager->records();
    const QString idField = m_manager->schema().idField;
    std::sort(records.begin(), records.end(), [&](const QJsonObject &a, const QJsonObject &b) {
        const QJsonValue x = a.value(idField);
        const QJsonValue y = b.value(idField);
        if (x.isDouble() && y.isDouble())
            return x.toDouble() < y.toDouble();
        return x.toVariant().toString() < y.toVariant().toString();
    });
    QJsonArray list;
    for (const QJsonObject &r : std::as_const(records))
        list.append(r);
    const QJsonObject snapshot{
        {u"resource"_s, m_manager->schema().name},
        {u"records"_s, list},
        {u"counters"_s,
         countersJson(m_manager->counters(),
                      m_channel ? m_channel->stats() : RealtimeChannel::Stats())},
        {u"state"_s, stateJson(*m_manager, m_client && m_client->isConnected())}};
    const QByteArray bytes = QJsonDocument(snapshot).toJson(QJsonDocument::Compact) + '\n';
    if (m_snapshot.isEmpty()) {
        m_out << QString::fromUtf8(bytes);
        m_out.flush();
        return;
    }
    QSaveFile file(m_snapshot);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        m_err << "livedesk-cli: cannot write " << m_snapshot << ": " << file.errorString() << "\n";
        m_err.flush();
    }
}

void MirrorCommand::stop()
{
    const bool stale = m_command == u"mirror" && m_manager && m_manager->staleSince().isValid();
    if (m_command == u"mirror")
        writeSnapshot();
    finish(stale ? Stale : Ok);
}

void MirrorCommand::print(const QJsonObject &line)
{
    m_out << QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact)) << "\n";
    m_out.flush();
}

void MirrorCommand::finish(int code)
{
    if (m_done)
        return;
    m_done = true;
    m_idle.stop();
    m_deadline.stop();
    m_signInRetry.stop();
    if (m_client) {
        // A deliberate close is not a lost connection: the manager need not say its data may
        // be out of date.
        if (m_manager)
            m_client->disconnect(m_manager.get());
        m_client->close();
    }
    Q_EMIT finished(code);
}

} // namespace livedesk
