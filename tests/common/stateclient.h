// SPDX-License-Identifier: MIT
#pragma once

#include "events/realtimechannel.h"
#include "rest/apiclient.h"
#include "socketio/socketioclient.h"
#include "state/realtimestatemanager.h"
#include "state/resourceschema.h"

#include <QtCore/QJsonObject>
#include <QtCore/QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace livedesk::test {

/**
 * One user of a backend in a state manager test: a signed-in ApiClient, a socket (path
 * `/api/ws/`, reconnecting within 100–300 ms) with its channel subscribed to `patients` (and
 * @p entities: with an entity room an AegisX server sends every event twice), and, once made,
 * a RealtimeStateManager. The tests of the manager, of the table model and against the plain
 * AegisX backend all drive their users through it.
 */
class StateClient
{
public:
    StateClient(const QUrl &url, const QString &email, const QString &password,
                const QStringList &entities = {});
    virtual ~StateClient();

    /// The resource @p name from the server's `/api/schema` (std::nullopt with a warning).
    std::optional<ResourceSchema> serverSchema(const QString &name = QStringLiteral("patients"));
    /// Makes the manager, calls @p made (e.g. to put a model on it before the first load),
    /// opens the socket and waits for the subscription (unless @p connect is false), starts
    /// the manager and waits for its first load.
    bool start(const ResourceSchema &schema, const RealtimeStateManager::Options &options,
               bool connect = true, const std::function<void()> &made = {});
    /// Waits until the manager is idle (no reload, none due, nothing pending) and its records,
    /// sorted by id, equal @p expected() (sorted by id); lists the differences when they do
    /// not.
    bool settlesTo(const std::function<QList<QJsonObject>()> &expected);
    /// Every record @p reader can list at @p path, sorted by id (empty when a page fails).
    static QList<QJsonObject> serverRecords(ApiClient *reader, const QString &path);
    static QList<QJsonObject> sortedById(QList<QJsonObject> records);

    bool loggedIn = false;
    ApiClient api;
    SocketIoClient client;
    RealtimeChannel channel{&client};
    ResourceSchema schema;
    std::unique_ptr<RealtimeStateManager> manager;
};

} // namespace livedesk::test
