// SPDX-License-Identifier: MIT
#include "stateclient.h"

#include "restoutcome.h"

#include <QtCore/QJsonArray>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace livedesk::test {

namespace {
constexpr int Patience = 20000;
}

StateClient::StateClient(const QUrl &url, const QString &email, const QString &password,
                         const QStringList &entities)
{
    api.setBaseUrl(url);
    loggedIn = await(api.login(email, password)).ok;
    SocketIoClient::Options o;
    o.url = url;
    o.path = u"/api/ws/"_s;
    o.auth = {{u"token"_s, api.accessToken()}};
    o.reconnectionDelayMs = 100;
    o.reconnectionDelayMaxMs = 300;
    client.setOptions(o);
    channel.setSubscription({u"patients"_s}, entities);
}

StateClient::~StateClient() = default;

std::optional<ResourceSchema> StateClient::serverSchema(const QString &name)
{
    const RestOutcome reply = await(api.get(u"/api/schema"_s));
    QString error;
    auto parsed = ResourceSchema::fromSchemaDocument(reply.data.toObject(), name, &error);
    if (!parsed)
        qWarning() << "schema:" << error;
    return parsed;
}

bool StateClient::start(const ResourceSchema &resource,
                        const RealtimeStateManager::Options &options, bool connect,
                        const std::function<void()> &made)
{
    if (!loggedIn)
        return false;
    schema = resource;
    manager = std::make_unique<RealtimeStateManager>(&api, &channel, schema, options);
    if (made)
        made();
    if (connect) {
        QSignalSpy confirmed(&channel, &RealtimeChannel::subscriptionConfirmed);
        client.open();
        if (!confirmed.wait(Patience))
            return false;
    }
    manager->start();
    return QTest::qWaitFor([&] { return manager->lastSyncAt().isValid() && !manager->isLoading(); },
                           Patience);
}

bool StateClient::settlesTo(const std::function<QList<QJsonObject>()> &expectedRecords)
{
    QList<QJsonObject> expected;
    const bool same = QTest::qWaitFor(
        [&] {
            if (manager->isLoading() || manager->isRefreshPending() || manager->pendingCount() > 0)
                return false;
            expected = sortedById(expectedRecords());
            return sortedById(manager->records()) == expected;
        },
        Patience);
    if (!same) {
        qWarning() << "mirror" << manager->rowCount() << "rows, server" << expected.size()
                   << "pending" << manager->pendingCount() << "loading" << manager->isLoading();
        const QList<QJsonObject> mine = sortedById(manager->records());
        for (const QJsonObject &r : std::as_const(expected)) {
            if (!mine.contains(r))
                qWarning() << "  server has" << r;
        }
        for (const QJsonObject &r : mine) {
            if (!expected.contains(r))
                qWarning() << "  mirror has" << r;
        }
    }
    return same;
}

QList<QJsonObject> StateClient::serverRecords(ApiClient *reader, const QString &path)
{
    QList<QJsonObject> all;
    for (int page = 1;; ++page) {
        RestQuery q;
        q.page = page;
        q.limit = 1000;
        q.sort = {{u"id"_s, Qt::AscendingOrder}};
        const RestOutcome o = await(reader->list(path, q));
        if (!o.ok)
            return {};
        for (const QJsonValue &v : o.data.toArray())
            all.append(v.toObject());
        if (!o.pagination.value(u"hasNext").toBool())
            return all;
    }
}

QList<QJsonObject> StateClient::sortedById(QList<QJsonObject> records)
{
    std::sort(records.begin(), records.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(u"id").toInteger() < b.value(u"id").toInteger();
    });
    return records;
}

} // namespace livedesk::test
