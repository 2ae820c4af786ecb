// SPDX-License-Identifier: MIT
#include "livedeskserver.h"

#include "apiserver.h"
#include "demodata.h"
#include "eventpublisher.h"
#include "importservice.h"
#include "listquery.h"
#include "recordstore.h"
#include "resourcespec.h"
#include "serverschema.h"
#include "socketioserver.h"
#include "sockettokenguard.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QRandomGenerator>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcServer, "livedesk.server", QtInfoMsg)

namespace livedesk::server {

LivedeskServer::LivedeskServer(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_schema(std::make_unique<ServerSchema>())
{
}

LivedeskServer::~LivedeskServer()
{
    stop();
}

const ServerSchema &LivedeskServer::schema() const
{
    return *m_schema;
}

QUrl LivedeskServer::baseUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(m_options.address.toString());
    url.setPort(m_port);
    return url;
}

bool LivedeskServer::start(QString *error)
{
    if (!ServerSchema::load(m_options.schemaPath, m_schema.get(), error))
        return false;

    m_store = std::make_unique<RecordStore>(*m_schema, m_options.databasePath);
    if (!m_store->open(error))
        return false;

    if (m_options.seedDemoData) {
        // Demo rows go to every tenant, different per tenant, and only into empty tables so
        // that a restart never duplicates them.
        int salt = 0;
        for (const auto &tenant : m_schema->tenants) {
            for (const auto &resource : m_schema->resources) {
                ListQuery probe;
                probe.limit = 1;
                const auto page = m_store->list(resource, tenant, probe);
                if (!page || page.value().total > 0)
                    continue;
                const auto rows = DemoData::rows(resource, salt);
                if (rows.isEmpty())
                    continue;
                const auto result = m_store->importRows(resource, tenant, u"system"_s, rows);
                if (!result) {
                    *error = u"demo data for %1 could not be stored: %2"_s.arg(
                        resource.name, result.error().message());
                    return false;
                }
            }
            ++salt;
        }
    }

    if (m_options.jwtSecret.isEmpty()) {
        QByteArray secret(32, Qt::Uninitialized);
        QRandomGenerator::system()->generate(secret.begin(), secret.end());
        m_options.jwtSecret = secret;
    }

    SocketIoServer::Options sio;
    sio.path = m_options.socketIoPath;
    sio.recovery = true;
    sio.recoveryWindowMs = m_options.recoveryWindowMs;
    // Its own room, its tenant's and its user's, and the subscriptions: the clinical demo
    // needs a handful, a large AegisX deployment some dozens of features and entities.
    sio.maxRoomsPerSocket = 256;
    sio.maxConnectionsPerAddress = m_options.maxSocketsPerAddress;
    sio.maxConnections = m_options.maxSockets;
    m_socketIo = std::make_unique<SocketIoServer>();
    m_socketIo->setOptions(sio);
    m_publisher = std::make_unique<EventPublisher>(*m_schema, m_socketIo.get());
    m_imports = std::make_unique<ImportService>(*m_schema, m_store.get());
    if (!m_imports->open(error))
        return false;
    m_imports->setProgressPublisher(
        [publisher = m_publisher.get()](const ResourceSpec &resource, const QJsonObject &progress,
                                        const EventPublisher::Origin &origin) {
            publisher->publishImportProgress(resource, progress, origin);
        });

    ApiServer::Options api;
    api.jwtSecret = m_options.jwtSecret;
    api.accessTokenSeconds = m_options.accessTokenSeconds;
    api.connection = m_options.http;
    api.loginThrottle = m_options.loginThrottle;
    m_api = std::make_unique<ApiServer>(*m_schema, m_store.get(), m_socketIo.get(),
                                        m_publisher.get(), api);
    m_api->setImportService(m_imports.get());
    if (!m_api->openTxnLog(error))
        return false;
    // The socket is refused unless its token is a valid access token; its tenant decides
    // which rooms it may ever join.
    m_socketIo->setAuthenticator(
        [this](const QString &, const QJsonObject &auth,
               SocketIoServer::Refusal *refusal) -> std::optional<QJsonObject> {
            QString why;
            const auto claims = m_api->verifyAccessToken(auth.value(u"token").toString(), &why);
            if (!claims) {
                refusal->message = auth.value(u"token").toString().isEmpty()
                    ? u"Authentication required: no token"_s
                    : u"Invalid token: %1"_s.arg(why);
                return std::nullopt;
            }
            // The role as the schema has it now, as the REST side judges it.
            const UserSpec *user = m_schema->userById(claims->value(u"sub").toString());
            return QJsonObject{{u"userId"_s, claims->value(u"sub")},
                               {u"email"_s, claims->value(u"email")},
                               {u"tenant"_s, claims->value(u"tenant")},
                               {u"role"_s, user ? QJsonValue(user->role) : claims->value(u"role")}};
        });

    // A socket lives no longer than its access token unless the client renews it.
    m_tokenGuard = std::make_unique<SocketTokenGuard>(
        m_socketIo.get(), [api = m_api.get()](const QString &token, QString *why) {
            return api->verifyAccessToken(token, why);
        });

    m_port = m_api->listen(m_options.address, m_options.port);
    if (m_port == 0) {
        *error = u"cannot listen on %1:%2 (port in use?)"_s.arg(m_options.address.toString())
                     .arg(m_options.port);
        return false;
    }
    qCInfo(lcServer) << "listening on" << baseUrl().toString();
    return true;
}

void LivedeskServer::stop()
{
    // Running imports end as failed (persisted, and announced while sockets are still open).
    if (m_imports)
        m_imports->shutdown();
    if (m_socketIo)
        m_socketIo->close();
    m_tokenGuard.reset();
    m_api.reset();
    m_imports.reset();
    m_publisher.reset();
    m_socketIo.reset();
    m_store.reset();
    m_port = 0;
}

} // namespace livedesk::server
