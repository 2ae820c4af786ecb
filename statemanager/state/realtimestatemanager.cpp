// SPDX-License-Identifier: MIT
#include "state/realtimestatemanager.h"

#include "events/eventnaming.h"
#include "events/realtimechannel.h"
#include "events/realtimeevent.h"
#include "importstatus.h"
#include "livedesklogging.h"
#include "rest/apiclient.h"
#include "rest/restreply.h"
#include "socketio/socketioclient.h"
#include "state/recordidset.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFutureWatcher>
#include <QtCore/QJsonArray>
#include <QtCore/QLocale>
#include <QtCore/QPromise>
#include <QtCore/QScopeGuard>
#include <QtCore/QThreadPool>
#include <QtCore/QUuid>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

// The longest the events of one turn of the event loop are applied; the rest wait (onEvent()).
constexpr qint64 InboxSliceMs = 8;
// HIS mode: the longest run of applying a reload's diff in one turn of the event loop.
constexpr qint64 ReloadSliceMs = 8;
// How often a reload's background diff is worked out again because the rows changed, before
// it is applied at once instead.
constexpr int MaxPlanRecomputes = 3;
// How often one change is sent again on top of a record someone else keeps changing in other
// fields before it is left to the user as a conflict.
constexpr int MaxRebases = 5;

bool isFullRecordAction(const QString &action)
{
    return action == u"created" || action == u"updated" || action == u"status_changed"
        || action == u"activated" || action == u"deactivated";
}

} // namespace

class RealtimeStateManager::Reload
{
public:
    // fetchMore(): one page added to the rows held, instead of everything read again.
    bool appendPage = false;
    // Kept compact as pages arrive: a read of a million records is never held decoded.
    std::vector<CompactRecord> records;
    QPointer<RestReply> reply;
    // Live mode: what events changed while the pages were read, so older pages do not win.
    QHash<QString, QJsonObject> upserted;
    QSet<QString> removed;

    // Once every page is read, with a background diff (HIS mode): the server's records, the
    // diff being worked out or applied, and how often it was dropped.
    bool whole = true;
    std::shared_ptr<const std::vector<CompactRecord>> planRecords;
    std::unique_ptr<QFutureWatcher<void>> planWatcher;
    std::shared_ptr<std::shared_ptr<RowStore::Plan>> planResult;
    quint64 planSerial = 0;
    int planRecomputes = 0;
};

RealtimeStateManager::RealtimeStateManager(ApiClient *api, RealtimeChannel *channel,
                                           const ResourceSchema &schema, const Options &options,
                                           QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_channel(channel)
    , m_schema(schema)
    , m_options(options)
    , m_writes(schema, options.mode == Mode::Live)
{
    // The rows' own signals are the manager's (the model relays them one to one).
    connect(&m_rows, &RowStore::rowsAboutToBeInserted, this,
            &RealtimeStateManager::rowsAboutToBeInserted);
    connect(&m_rows, &RowStore::rowsInserted, this, &RealtimeStateManager::rowsInserted);
    connect(&m_rows, &RowStore::rowsAboutToBeRemoved, this,
            &RealtimeStateManager::rowsAboutToBeRemoved);
    connect(&m_rows, &RowStore::rowsRemoved, this, &RealtimeStateManager::rowsRemoved);
    connect(&m_rows, &RowStore::rowsChanged, this, &RealtimeStateManager::rowsChanged);
    connect(&m_rows, &RowStore::rowsAboutToBeMoved, this,
            &RealtimeStateManager::rowsAboutToBeMoved);
    connect(&m_rows, &RowStore::rowsMoved, this, &RealtimeStateManager::rowsMoved);
    m_criteria = ListCriteria(m_schema, m_options.query);
    updateOrder();
    m_debounce.setSingleShot(true);
    m_maxWait.setSingleShot(true);
    const auto due = [this] {
        m_debounce.stop();
        m_maxWait.stop();
        // After failed reloads the retry decides when to read again: hints do not hurry it.
        if (m_retryReload.isActive())
            return;
        startReload();
    };
    connect(&m_debounce, &QTimer::timeout, this, due);
    connect(&m_maxWait, &QTimer::timeout, this, due);
    m_subscribeFallback.setSingleShot(true);
    m_subscribeFallback.setInterval(2000);
    connect(&m_subscribeFallback, &QTimer::timeout, this, &RealtimeStateManager::onSubscribed);
    m_retryReload.setSingleShot(true);
    connect(&m_retryReload, &QTimer::timeout, this, [this] {
        // A page of fetchMore() on its way is no reload: the whole read follows it.
        if (m_online && (!m_reload || m_reload->appendPage))
            startReload();
    });
    m_heartbeat.setInterval(250);
    connect(&m_heartbeat, &QTimer::timeout, this, &RealtimeStateManager::checkHeartbeat);

    m_writes.setStoragePath(m_options.queuePath);
    m_writes.setErrorHandler([this](const QString &error) { Q_EMIT errorOccurred(error); });
    if (m_channel) {
        // Only the events of this list's feature come here (looked up by name, not offered
        // to every list); onEvent() still checks the entity.
        m_routeId = m_channel->router().addFeatureRoute(
            {m_schema.feature, m_schema.name, m_schema.importModule}, this,
            [this](const RealtimeEvent &event) { onEvent(event); });
        connect(m_channel, &RealtimeChannel::subscriptionConfirmed, this, [this] {
            // Online and read well, a list is stale only for a refused subscription: over now.
            if (m_online && !m_staleByReload && m_staleSince.isValid()) {
                m_staleSince = QDateTime();
                m_staleReason.clear();
                if (rowCount() > 0)
                    Q_EMIT rowsChanged(0, rowCount() - 1, {}, true);
                Q_EMIT stateChanged();
            }
            onSubscribed();
        });
        connect(m_channel, &RealtimeChannel::subscriptionRefused, this,
                [this] { onSubscriptionRefused(); });
        if (SocketIoClient *client = m_channel->client()) {
            connect(client, &SocketIoClient::stateChanged, this,
                    &RealtimeStateManager::onConnectionChanged);
            connect(client, &SocketIoClient::connected, this, &RealtimeStateManager::onConnected);
        }
    }
}

RealtimeStateManager::RealtimeStateManager(ApiClient *api, RealtimeChannel *channel,
                                           const ResourceSchema &schema, QObject *parent)
    : RealtimeStateManager(api, channel, schema, Options(), parent)
{
}

RealtimeStateManager::~RealtimeStateManager()
{
    if (m_channel)
        m_channel->router().removeRoute(m_routeId);
    if (m_reload && m_reload->reply)
        m_reload->reply->disconnect(this);
}

void RealtimeStateManager::start()
{
    if (m_started)
        return;
    m_started = true;
    // Live mode: the operations not confirmed when the last session ended; HIS mode: the
    // conflicts the user had not decided.
    if (QString error; !m_writes.load(&error)) {
        Q_EMIT errorOccurred(error);
    } else if (const int loaded = m_writes.size(); loaded > 0) {
        qCInfo(lcState).noquote() << m_schema.name << ": loaded" << loaded
                                  << "unsettled changes from" << m_writes.storagePath();
    }
    SocketIoClient *client = m_channel ? m_channel->client() : nullptr;
    if (!client) {
        m_online = true;
    } else {
        m_online = client->isConnected();
        if (!m_online) {
            m_staleSince = QDateTime::currentDateTimeUtc();
            m_staleReason = tr("Not connected to the server yet.");
        }
        m_heartbeat.start();
    }
    if (!subscriptionRefusal().isEmpty())
        onSubscriptionRefused();
    startReload();
    scheduleSend();
    Q_EMIT stateChanged();
}

// ---------------------------------------------------------------------------------------
// Rows

QJsonObject RealtimeStateManager::record(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows.shownAt(row).toObject() : QJsonObject();
}

int RealtimeStateManager::eventsWaiting() const
{
    return int(m_inbox.size());
}

QJsonValue RealtimeStateManager::value(int row, const QString &field) const
{
    return row >= 0 && row < rowCount() ? m_rows.shownAt(row).value(field)
                                        : QJsonValue(QJsonValue::Undefined);
}

QString RealtimeStateManager::idAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows.idAt(row) : QString();
}

int RealtimeStateManager::rowOf(const QString &id) const
{
    return m_rows.indexOf(id);
}

RealtimeStateManager::RowState RealtimeStateManager::rowState(int row) const
{
    if (row < 0 || row >= rowCount())
        return RowState::Synced;
    const auto state = RowState(m_rows.stateAt(row));
    return state == RowState::Synced && m_staleSince.isValid() ? RowState::Stale : state;
}

QString RealtimeStateManager::rowReason(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    const QString &id = m_rows.idAt(row);
    switch (rowState(row)) {
    case RowState::Synced:
        return {};
    case RowState::Stale:
        return m_staleReason;
    case RowState::Failed:
        return tr("The server refused the last change: %1").arg(m_failures.value(id));
    case RowState::Locked:
        return tr("Being edited by %1").arg(m_locks.value(id));
    case RowState::Pending:
    case RowState::Conflict:
        break;
    }
    if (const PendingOperation *op = m_writes.conflictOf(id)) {
        QStringList fields;
        for (const QString &f : op->conflictingFields()) {
            const ResourceSchema::Column *c = m_schema.column(f);
            fields.append(c && !c->label.isEmpty() ? c->label : f);
        }
        return fields.isEmpty()
            ? tr("Changed or deleted by someone else while you edited it: choose what to keep")
            : tr("Someone else changed %1 while you edited it: choose what to keep")
                  .arg(QLocale().createSeparatedList(fields));
    }
    return m_online ? tr("Saving…") : tr("Not saved yet: waiting for the connection");
}

void RealtimeStateManager::dismissFailure(const QString &id)
{
    if (!m_failures.remove(id))
        return;
    if (const int row = rowOf(id); row >= 0)
        refreshRow(row);
}

RealtimeStateManager::RowState RealtimeStateManager::overlayState(const QString &id,
                                                                  RowState state) const
{
    if (state != RowState::Synced)
        return state;
    if (!m_failures.isEmpty() && m_failures.contains(id))
        return RowState::Failed;
    if (!m_locks.isEmpty() && m_locks.contains(id))
        return RowState::Locked;
    return state;
}

QJsonObject RealtimeStateManager::serverRecord(const QString &id) const
{
    const int row = rowOf(id);
    if (row >= 0)
        return m_rows.hasServerAt(row) ? m_rows.serverAt(row).toObject() : QJsonObject();
    return m_hidden.value(id);
}

QList<QJsonObject> RealtimeStateManager::records() const
{
    QList<QJsonObject> out;
    out.reserve(rowCount());
    for (int row = 0; row < m_rows.size(); ++row)
        out.append(m_rows.shownAt(row).toObject());
    return out;
}

QList<PendingOperation> RealtimeStateManager::conflicts() const
{
    return m_writes.conflicts();
}

QString RealtimeStateManager::idOf(const QJsonObject &record) const
{
    return m_schema.idOf(record);
}

qint64 RealtimeStateManager::versionOf(const QJsonObject &record) const
{
    return m_schema.versionOf(record);
}

bool RealtimeStateManager::isOlderChange(const QJsonObject &incoming, const QJsonObject &held)
{
    const auto modifiedAt = [](const QJsonObject &record) {
        return QDateTime::fromString(record.value(u"updated_at").toString(), Qt::ISODateWithMs);
    };
    const QDateTime a = modifiedAt(incoming);
    const QDateTime b = modifiedAt(held);
    return a.isValid() && b.isValid() && a < b;
}

bool RealtimeStateManager::hasOperations(const QString &id) const
{
    return m_writes.hasOperations(id);
}

bool RealtimeStateManager::leftOut(const QString &id, const QJsonObject &server) const
{
    return m_options.mode == Mode::Live && membership(server) == Membership::Out
        && !hasOperations(id);
}

void RealtimeStateManager::rememberOutside(const QString &id, const QJsonObject &record)
{
    QJsonObject newest{{m_schema.idField, record.value(m_schema.idField)}};
    if (m_schema.hasVersions())
        newest.insert(m_schema.versionField, record.value(m_schema.versionField));
    newest.insert(u"updated_at"_s, record.value(u"updated_at"));
    if (!m_outside.contains(id)) {
        m_outsideOrder.append(id);
        if (m_outsideOrder.size() > 10000)
            m_outside.remove(m_outsideOrder.takeFirst());
    }
    m_outside.insert(id, newest);
}

QJsonObject RealtimeStateManager::shownFor(const QString &id, const QJsonObject &server,
                                           bool hasServer, RowState *state, bool *visible) const
{
    WriteQueue::Overlay overlay = m_writes.overlay(id, server, hasServer);
    *visible = overlay.visible;
    *state = overlayState(id,
                          overlay.conflict      ? RowState::Conflict
                              : overlay.pending ? RowState::Pending
                                                : RowState::Synced);
    return std::move(overlay.shown);
}

void RealtimeStateManager::updateOrder()
{
    if (!keepsSorted()) {
        m_rows.setOrder({});
        return;
    }
    m_rows.setOrder([this](const CompactRecord &a, const QString &aId, const CompactRecord &b,
                           const QString &bId) { return m_criteria.compare(a, aId, b, bId); });
}

bool RealtimeStateManager::keepsSorted() const
{
    return m_options.mode == Mode::Live && m_criteria.isSorted();
}

void RealtimeStateManager::refreshRow(int row, const QJsonObject *server)
{
    Row r;
    r.id = m_rows.idAt(row);
    r.hasServer = m_rows.hasServerAt(row);
    if (r.hasServer)
        r.server = server ? *server : m_rows.serverAt(row).toObject();
    RowState state;
    bool visible;
    QJsonObject shown = shownFor(r.id, r.server, r.hasServer, &state, &visible);
    if (visible && r.hasServer && leftOut(r.id, r.server)) {
        rememberOutside(r.id, r.server);
        m_rows.remove(row, row);
        return;
    }
    if (!visible) {
        if (r.hasServer)
            m_hidden.insert(r.id, r.server);
        m_rows.remove(row, row);
        return;
    }
    bool fieldsChanged = false;
    // Nothing of the user's on top: the row shows the record the store holds already.
    const bool asServer = r.hasServer && !hasOperations(r.id);
    const QPointer<RealtimeStateManager> self(this);
    if (!(asServer ? m_rows.showServer(row, int(state), &fieldsChanged)
                   : m_rows.update(row, shown, int(state), &fieldsChanged)))
        return;
    // A slot of rowsChanged() may have deleted the manager.
    if (self && fieldsChanged)
        placeChanged(row, r.id);
}

void RealtimeStateManager::placeChanged(int row, const QString &id)
{
    // A slot of rowsChanged() may have changed the rows: only the same row is placed.
    if (row < rowCount() && m_rows.idAt(row) == id)
        m_rows.place(row);
}

// A record id's row, whether or not it is visible now, brought up to date.
void RealtimeStateManager::applyLocal(const QString &recordId)
{
    const int row = rowOf(recordId);
    if (row >= 0) {
        refreshRow(row);
        return;
    }
    Row r;
    r.id = recordId;
    const auto hidden = m_hidden.constFind(recordId);
    if (hidden != m_hidden.cend()) {
        r.server = *hidden;
        r.hasServer = true;
    }
    bool visible;
    RowState state;
    r.shown = shownFor(recordId, r.server, r.hasServer, &state, &visible);
    r.state = int(state);
    if (visible && r.hasServer && leftOut(recordId, r.server)) {
        // Its last operation is settled and the list no longer selects it.
        m_hidden.remove(recordId);
        rememberOutside(recordId, r.server);
        return;
    }
    if (visible) {
        m_hidden.remove(recordId);
        const int at = m_rows.insertPosition(r);
        m_rows.insert(at, std::move(r));
    }
}

RealtimeStateManager::Outcome RealtimeStateManager::upsertServer(const QJsonObject &record,
                                                                 bool fromEvent)
{
    Outcome outcome = Outcome::Applied;
    const QString id = idOf(record);
    if (id.isEmpty())
        return Outcome::Ignored;
    // Whatever arrives while a reload reads its pages is newer than those pages, unless it is
    // older than what is held (below): that must not win when the reload ends either.
    const auto noteForReload = [this, &id, &record] {
        if (m_reload) {
            m_reload->upserted.insert(id, record);
            m_reload->removed.remove(id);
        }
    };
    if (const auto tomb = m_tombstones.constFind(id); tomb != m_tombstones.cend()) {
        const qint64 incoming = versionOf(record);
        if (!m_schema.hasVersions() || incoming <= *tomb)
            return Outcome::Ignored;
        m_tombstones.remove(id);
    }
    const int row = rowOf(id);
    // The newest state known of the record: its row's, a hidden one's, or, for a record the
    // query left out, its version and time of change (an older answer must not bring it back).
    // A row's record is decoded only without versions (the version alone decides otherwise).
    QJsonObject heldRecord;
    bool held = true;
    const bool heldInRow = row >= 0 && m_rows.hasServerAt(row);
    if (heldInRow) {
        if (!m_schema.hasVersions())
            heldRecord = m_rows.serverAt(row).toObject();
    } else if (const auto hidden = m_hidden.constFind(id); hidden != m_hidden.cend())
        heldRecord = *hidden;
    else if (const auto outside = m_outside.constFind(id); outside != m_outside.cend())
        heldRecord = *outside;
    else
        held = false;
    if (held && m_schema.hasVersions() && isNoNewerThanHeld(record)) {
        qCDebug(lcState).noquote()
            << m_schema.name << ": kept the held version of" << id << "over" << versionOf(record);
        return Outcome::Ignored;
    }
    if (fromEvent && !m_schema.hasVersions()) {
        // Without versions, `updated_at` orders the changes of one record. A complete record
        // with a later time than the held one (or for a record not held) is the newer state
        // and is trusted as it is; anything else is shown but read again, because nothing
        // says for sure that it is not an older change, reordered.
        if (held && isOlderChange(record, heldRecord))
            return Outcome::Ignored;
        const auto modifiedAt = [](const QJsonObject &r) {
            return QDateTime::fromString(r.value(u"updated_at").toString(), Qt::ISODateWithMs);
        };
        const bool newer = !held
            || (modifiedAt(record).isValid() && modifiedAt(heldRecord).isValid()
                && modifiedAt(record) > modifiedAt(heldRecord));
        // A read on its way may have been answered before this change: it is repeated.
        if (!newer || !isComplete(record) || m_fetching.contains(id)) {
            fetchRecord(id);
            outcome = Outcome::Fetched;
        }
    }
    noteForReload();
    if (fromEvent)
        checkConflicts(id, record, false);
    qCDebug(lcState).noquote() << m_schema.name << ": record" << id << "version"
                               << versionOf(record) << (fromEvent ? "from an event" : "");
    const Membership member = membership(record);
    // Only the server can say whether its list selects the record: it is read again (once the
    // row is up to date).
    const auto reread = qScopeGuard([this, member] {
        if (member == Membership::Unknown)
            hint();
    });
    if (row >= 0) {
        if (heldInRow && m_failures.contains(id) && m_rows.serverAt(row) != CompactRecord(record))
            m_failures.remove(id); // what was refused is no longer what is shown
        m_rows.setServer(row, record, true);
        refreshRow(row, &record);
        return outcome;
    }
    if (member != Membership::In && !hasOperations(id)) {
        rememberOutside(id, record);
        return outcome;
    }
    m_outside.remove(id);
    Row r;
    r.id = id;
    r.server = record;
    r.hasServer = true;
    bool visible;
    RowState state;
    r.shown = shownFor(id, record, true, &state, &visible);
    r.state = int(state);
    if (visible) {
        m_hidden.remove(id);
        const int at = m_rows.insertPosition(r);
        if (at == rowCount() && canFetchMore())
            return outcome; // past the loaded pages: fetchMore() brings it
        m_rows.insert(at, std::move(r));
    } else {
        m_hidden.insert(id, record);
    }
    return outcome;
}

bool RealtimeStateManager::isComplete(const QJsonObject &record) const
{
    return !idOf(record).isEmpty() && hasEveryField(record).value_or(false);
}

std::optional<bool> RealtimeStateManager::hasEveryField(const QJsonObject &record) const
{
    bool declared = false;
    for (const ResourceSchema::Column &c : m_schema.columns) {
        if (c.system)
            continue;
        declared = true;
        if (!record.contains(c.name))
            return false;
    }
    if (declared)
        return true;
    // Known by name only: a record has what the rows have (the held one's, else any row's).
    int reference = rowOf(idOf(record));
    if (reference >= 0 && !m_rows.hasServerAt(reference))
        reference = -1;
    for (int i = 0; reference < 0 && i < m_rows.size(); ++i) {
        if (m_rows.hasServerAt(i))
            reference = i;
    }
    if (reference < 0)
        return std::nullopt;
    const QStringList keys = m_rows.serverAt(reference).keys();
    return std::all_of(keys.cbegin(), keys.cend(),
                       [&](const QString &key) { return record.contains(key); });
}

bool RealtimeStateManager::isNoNewerThanHeld(const QJsonObject &record) const
{
    const qint64 incoming = versionOf(record);
    if (incoming < 0)
        return false;
    const QString id = idOf(record);
    qint64 held = -1;
    if (const int row = rowOf(id); row >= 0 && m_rows.hasServerAt(row)) {
        const QJsonValue v = m_rows.serverAt(row).value(m_schema.versionField);
        held = v.isDouble() ? v.toInteger() : -1;
    } else if (const auto hidden = m_hidden.constFind(id); hidden != m_hidden.cend()) {
        held = versionOf(*hidden);
    } else if (const auto outside = m_outside.constFind(id); outside != m_outside.cend()) {
        held = versionOf(*outside);
    }
    return held >= 0 && incoming <= held;
}

bool RealtimeStateManager::coversHeld(const QJsonObject &record) const
{
    const QString id = idOf(record);
    const auto covers = [&](const QStringList &keys, const auto &heldValue) {
        return std::all_of(keys.cbegin(), keys.cend(), [&](const QString &key) {
            return record.contains(key) || heldValue(key).isNull();
        });
    };
    if (const int row = rowOf(id); row >= 0 && m_rows.hasServerAt(row)) {
        const CompactRecord &held = m_rows.serverAt(row);
        return covers(held.keys(), [&](const QString &key) { return held.value(key); });
    }
    if (const auto hidden = m_hidden.constFind(id); hidden != m_hidden.cend())
        return covers(hidden->keys(), [&](const QString &key) { return hidden->value(key); });
    // Not held whole (of a record outside the list only its id and version are kept): it must
    // have every field a record of this list has, where that is known (a record moving into
    // the list would otherwise become a row of blanks).
    return hasEveryField(record).value_or(true);
}

void RealtimeStateManager::resyncAfterFailedRead(const QString &id, const RestError &error)
{
    if (!m_resyncForFailedRead) {
        m_resyncForFailedRead = true;
        ++m_counters.resyncs;
        qCInfo(lcState).noquote() << m_schema.name << ": could not read record" << id << "("
                                  << error.toString() << "); reading the list again";
    }
    hint();
}

void RealtimeStateManager::removeServer(const QString &id)
{
    if (m_reload) {
        m_reload->removed.insert(id);
        m_reload->upserted.remove(id);
    }
    checkConflicts(id, {}, true);
    const int row = rowOf(id);
    const QJsonObject last = serverRecord(id);
    if (!m_tombstones.contains(id)) {
        m_tombstoneOrder.append(id);
        if (m_tombstoneOrder.size() > 10000)
            m_tombstones.remove(m_tombstoneOrder.takeFirst());
    }
    m_tombstones.insert(id, std::max(m_tombstones.value(id, -1), versionOf(last)));
    m_hidden.remove(id);
    m_outside.remove(id);
    if (row < 0)
        return;
    m_rows.setServer(row, QJsonObject(), false);
    refreshRow(row);
}

void RealtimeStateManager::fetchRecord(const QString &id)
{
    if (!m_api || id.startsWith(u"local:"))
        return;
    if (m_fetching.contains(id)) {
        // The answer on its way may have been read before this change: ask again after it.
        m_refetch.insert(id);
        return;
    }
    m_fetching.insert(id);
    ++m_counters.recordFetches;
    RestReply *reply = m_api->fetch(m_schema.restPath, id);
    connect(reply, &RestReply::finished, this, [this, reply, id] {
        m_fetching.remove(id);
        if (m_refetch.remove(id)) {
            fetchRecord(id);
        } else if (reply->ok()) {
            upsertServer(reply->data().toObject(), false);
        } else if (reply->error().code == u"NOT_FOUND") {
            removeServer(id);
        } else {
            // Gone or refused? AegisX answers a missing record with 400 VALIDATION_ERROR
            // ("... not found"); a guess either way could show a deleted record or hide one.
            resyncAfterFailedRead(id, reply->error());
        }
        scheduleSend(); // writes of the record waited for this answer
    });
}

// ---------------------------------------------------------------------------------------
// Events

RealtimeStateManager::Claim RealtimeStateManager::concernsUs(const RealtimeEvent &event) const
{
    if (event.dialect == RealtimeEvent::Dialect::Operation) {
        for (const QString &t : event.refreshTargets) {
            if (EventNaming::sameName(t, m_schema.name)
                || EventNaming::sameName(t, m_schema.feature))
                return Claim::Ours;
        }
        return Claim::NotOurs;
    }
    const QString &f = event.feature;
    const bool feature = EventNaming::sameName(f, m_schema.feature)
        || EventNaming::sameName(f, m_schema.name)
        || EventNaming::sameName(f, m_schema.importModule);
    if (!feature)
        return Claim::NotOurs;
    // The entity is checked only where the schema names it, in any spelling and number.
    if (event.dialect == RealtimeEvent::Dialect::Envelope && !m_schema.entity.isEmpty()
        && !event.entity.isEmpty() && !EventNaming::sameEntity(event.entity, m_schema.entity)
        && !EventNaming::sameEntity(event.entity, m_schema.name))
        return Claim::FeatureOnly;
    return Claim::Ours;
}

void RealtimeStateManager::onEvent(const RealtimeEvent &event)
{
    const Claim claim = concernsUs(event);
    if (claim == Claim::NotOurs)
        return;
    if (m_channel)
        m_channel->claim();
    ++m_counters.eventsSeen;
    if (event.seq >= 0 && event.dialect != RealtimeEvent::Dialect::Operation) {
        if (m_lastSeq >= 0 && event.seq > m_lastSeq + 1) {
            ++m_counters.seqGaps;
            qCInfo(lcState).noquote() << m_schema.name << ": events" << m_lastSeq + 1 << "to"
                                      << event.seq - 1 << "were missed; reading everything again";
            ++m_counters.resyncs;
            m_lastSeq = event.seq;
            if (m_options.mode == Mode::His)
                hint();
            else
                startReload();
        } else if (event.seq > m_lastSeq) {
            m_lastSeq = event.seq;
        }
    }
    const QString &action = event.action;
    const bool lock = action == u"lock_acquired" || action == u"lock_released";
    // Progress of work still running changes no row (imports send no per-row events: only
    // their end does).
    bool progress = !lock
        && (action == u"bulk_started" || action == u"bulk_progress"
            || action == u"operation_progress" || action.startsWith(u"lock_"));
    if (action == u"import_progress" || action == u"import_completed") {
        const auto status
            = ImportStatus::fromName(event.data().toObject().value(u"status").toString());
        progress = !status || !ImportStatus::isFinal(*status);
    }
    if (progress) {
        count(Outcome::Ignored);
        return;
    }
    if (claim == Claim::FeatureOnly) {
        // Our feature, another entity as far as the names tell: it may still be a change of
        // this list (a misnamed entity), so the list is read again rather than the event
        // dropped.
        qCDebug(lcState).noquote()
            << m_schema.name << ": reading again for" << event.name << "(entity" << event.entity
            << "is not" << m_schema.entity << ")";
        hint();
        count(Outcome::Reloaded);
        return;
    }
    // Applied at once, inside the socket's delivery of the frame: its time slice is the one
    // that bounds a burst. An event that arrives while another is being applied (a slot of
    // ours re-entered the event loop), behind one that waits, or once this turn has applied
    // events for InboxSliceMs (a backlog drained in one go, as when the transport closes)
    // goes to the inbox instead, so the order holds, nothing is applied half-way into
    // another and no turn runs long.
    if (m_applying || !m_inbox.isEmpty() || turnSpent()) {
        ++m_counters.eventsDeferred;
        m_inbox.append(event);
        scheduleInbox();
        return;
    }
    take(event);
}

bool RealtimeStateManager::turnSpent()
{
    if (m_turnClock.isValid())
        return m_turnClock.elapsed() >= InboxSliceMs;
    // The turn's first event: its end says stateChanged() once, however many events came,
    // and starts the next turn's clock afresh.
    m_turnClock.start();
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_turnClock.invalidate();
            Q_EMIT stateChanged();
        },
        Qt::QueuedConnection);
    return false;
}

void RealtimeStateManager::scheduleInbox()
{
    if (m_inboxScheduled)
        return;
    m_inboxScheduled = true;
    QMetaObject::invokeMethod(this, &RealtimeStateManager::processInbox, Qt::QueuedConnection);
}

bool RealtimeStateManager::take(const RealtimeEvent &event)
{
    // A slot of ours may delete the manager (deleteLater() is the way; a Session closed
    // from a slot does it at once): nothing of it is touched after that.
    const QPointer<RealtimeStateManager> self(this);
    m_applying = true;
    Outcome outcome = Outcome::Applied;
    if (event.action == u"lock_acquired" || event.action == u"lock_released") {
        onLockEvent(event);
    } else if (m_options.mode == Mode::His) {
        outcome = Outcome::Reloaded;
        hint();
    } else {
        outcome = applyEvent(event);
    }
    if (!self)
        return false;
    count(outcome);
    m_applying = false;
    // Events that came while a slot held the loop inside this one.
    if (!m_inbox.isEmpty())
        scheduleInbox();
    Q_EMIT eventApplied();
    return true;
}

void RealtimeStateManager::count(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Applied:
        ++m_counters.eventsApplied;
        return;
    case Outcome::Fetched:
        ++m_counters.eventsFetched;
        return;
    case Outcome::Reloaded:
        ++m_counters.eventsReloaded;
        return;
    case Outcome::Ignored:
        ++m_counters.eventsIgnored;
        return;
    }
}

void RealtimeStateManager::onLockEvent(const RealtimeEvent &event)
{
    const QString user = event.data().toObject().value(u"userId").toVariant().toString();
    const QString me = m_api ? m_api->user().value(u"id").toVariant().toString() : QString();
    // One's own lock is no obstacle: it is not shown as Locked.
    const bool locked = event.action == u"lock_acquired" && (user.isEmpty() || user != me);
    for (const QString &id : event.ids) {
        const bool changed = locked ? m_locks.value(id, u"\n"_s) != user : m_locks.remove(id);
        if (!changed)
            continue;
        if (locked)
            m_locks.insert(id, user);
        if (const int row = rowOf(id); row >= 0)
            refreshRow(row);
    }
}

void RealtimeStateManager::processInbox()
{
    m_inboxScheduled = false;
    if (m_inbox.isEmpty() || m_applying)
        return; // take() schedules them once the event being applied is done
    // Events that waited, within the turn's budget as those applied at once (at least one
    // per turn). One at a time from the front: a slot that re-enters the event loop and lands
    // here again finds m_applying set and leaves them.
    turnSpent(); // starts this turn's clock
    while (!m_inbox.isEmpty() && !m_applying) {
        if (!take(m_inbox.takeFirst()))
            return;
        if (turnSpent())
            break;
    }
    if (!m_inbox.isEmpty())
        scheduleInbox();
}

void RealtimeStateManager::hint()
{
    const bool was = m_refreshPending;
    m_refreshPending = true;
    if (m_reload) {
        m_reloadAgain = true;
    } else {
        m_debounce.start(m_options.debounceMs);
        if (!m_maxWait.isActive())
            m_maxWait.start(m_options.maxWaitMs);
    }
    if (!was)
        Q_EMIT stateChanged();
}

std::optional<RealtimeStateManager::Outcome>
RealtimeStateManager::updateFromText(const RealtimeEvent &event)
{
    // The common change: a newer version of a row the list holds, nobody's edit on it, still
    // selected by the query. It goes from the event's text to the row without a QJsonObject;
    // anything else (no versions, a reload reading its pages, own or pending writes, a
    // record not held or leaving the list) takes the general way, upsertServer().
    if (!m_schema.hasVersions() || m_reload
        || (!event.txnId.isEmpty() && m_writes.find(event.txnId))
        || (event.action == u"created" && event.txnId.isEmpty() && m_writes.createInFlight()))
        return std::nullopt;
    const QByteArray text = event.dataText();
    const std::optional<CompactRecord> record = text.isEmpty()
        ? (event.data().isObject() ? std::optional(CompactRecord(event.data().toObject()))
                                   : std::nullopt)
        : CompactRecord::fromJson(text);
    if (!record)
        return std::nullopt;
    const QJsonValue incomingVersion = record->value(m_schema.versionField);
    const QString id = idOf(*record);
    if (id.isEmpty() || !incomingVersion.isDouble() || incomingVersion.toInteger() < 0
        || record->keys().size() <= 2 || m_tombstones.contains(id) || hasOperations(id))
        return std::nullopt;
    const int row = rowOf(id);
    if (row < 0 || !m_rows.hasServerAt(row))
        return std::nullopt;
    const QJsonValue heldVersion = m_rows.serverAt(row).value(m_schema.versionField);
    if (heldVersion.isDouble() && incomingVersion.toInteger() <= heldVersion.toInteger()) {
        qCDebug(lcState).noquote() << m_schema.name << ": kept version" << heldVersion.toInteger()
                                   << "of" << id << "over" << incomingVersion.toInteger();
        return Outcome::Ignored;
    }
    // Only what may stand for the held row replaces it (coversHeld()): a part is read.
    if (!record->covers(m_rows.serverAt(row))
        || m_criteria.membership(*record) != ListCriteria::Membership::In)
        return std::nullopt;
    qCDebug(lcState).noquote() << m_schema.name << ": record" << id << "version"
                               << incomingVersion.toInteger() << "from an event";
    if (m_failures.contains(id) && m_rows.serverAt(row) != *record)
        m_failures.remove(id); // what was refused is no longer what is shown
    ++m_counters.eventsAppliedFromText;
    m_rows.setServer(row, *record);
    bool fieldsChanged = false;
    const QPointer<RealtimeStateManager> self(this); // a slot of rowsChanged() may delete it
    if (m_rows.showServer(row, int(overlayState(id, RowState::Synced)), &fieldsChanged) && self
        && fieldsChanged)
        placeChanged(row, id);
    return Outcome::Applied;
}

RealtimeStateManager::Outcome RealtimeStateManager::applyEvent(const RealtimeEvent &event)
{
    const QString &action = event.action;
    if (isFullRecordAction(action)) {
        if (const std::optional<Outcome> outcome = updateFromText(event))
            return *outcome;
    }
    const QJsonObject data = event.data().toObject();
    const auto ownOperation = [&]() -> int {
        return m_writes.find(event.txnId) ? 0 : -1;
    };
    // With versions the version guard orders the changes, so a record with its version
    // stands if it has every field the held one has a value for (a part of it is read
    // instead, never shown with the rest blank); without, a record must carry every field.
    const auto isFull = [&](const QJsonObject &record) {
        if (idOf(record).isEmpty() || record.size() <= 2)
            return false;
        return m_schema.hasVersions() ? record.contains(m_schema.versionField) && coversHeld(record)
                                      : isComplete(record);
    };
    const auto fetchAll = [&]() {
        for (const QString &id : event.ids)
            fetchRecord(id);
        if (!event.ids.isEmpty())
            return Outcome::Fetched;
        startReload();
        return Outcome::Reloaded;
    };

    if (isFullRecordAction(action)) {
        if (!isFull(data)) {
            // A part of a change older than the held record (a duplicate, a replay) needs no
            // read.
            if (m_schema.hasVersions() && isNoNewerThanHeld(data))
                return Outcome::Ignored;
            if (event.ids.isEmpty() && !idOf(data).isEmpty()) {
                fetchRecord(idOf(data));
                return Outcome::Fetched;
            }
            return fetchAll();
        }
        if (const int i = ownOperation(); i >= 0) {
            confirm(event.txnId, data);
            return Outcome::Applied;
        }
        if (action == u"created" && event.txnId.isEmpty()) {
            if (m_writes.createInFlight()) {
                // It may be ours, which the server's answer will say: no duplicate row.
                m_heldCreates.append(event);
                return Outcome::Applied;
            }
        }
        return upsertServer(data, true);
    }
    if (action == u"deleted") {
        if (const int i = ownOperation(); i >= 0) {
            confirm(event.txnId, {});
        } else {
            for (const QString &id : event.ids)
                removeServer(id);
        }
        if (event.ids.isEmpty() && ownOperation() < 0) {
            startReload();
            return Outcome::Reloaded;
        }
        return Outcome::Applied;
    }
    if (action == u"bulk_created" || action == u"bulk_updated") {
        const QJsonArray items = data.value(u"items").toArray();
        bool complete = !items.isEmpty();
        Outcome outcome = Outcome::Applied;
        for (const QJsonValue &v : items) {
            const QJsonObject record = v.toObject();
            if (isFull(record)) {
                if (upsertServer(record, true) == Outcome::Fetched)
                    outcome = Outcome::Fetched;
            } else if (const QString id = idOf(record); !id.isEmpty()) {
                fetchRecord(id);
                outcome = Outcome::Fetched;
            } else {
                complete = false;
            }
        }
        if (!complete)
            return fetchAll();
        return outcome;
    }
    if (action == u"bulk_deleted") {
        for (const QString &id : event.ids)
            removeServer(id);
        if (event.ids.isEmpty()) {
            startReload();
            return Outcome::Reloaded;
        }
        return Outcome::Applied;
    }
    // Imports, operations and actions without a record: read what they name, or everything.
    if (!event.ids.isEmpty() && event.operationId.isEmpty()) {
        for (const QString &id : event.ids)
            fetchRecord(id);
        return Outcome::Fetched;
    }
    ++m_counters.resyncs;
    startReload();
    return Outcome::Reloaded;
}

// ---------------------------------------------------------------------------------------
// Connection

void RealtimeStateManager::setOnline(bool online, const QString &reason)
{
    if (online == m_online)
        return;
    m_online = online;
    m_staleByReload = false;
    if (const QString refusal = subscriptionRefusal(); online && !refusal.isEmpty()) {
        // Still deaf to this list's events: stale until a subscription is confirmed.
        m_staleReason = refusal;
    } else if (online) {
        m_staleSince = QDateTime();
        m_staleReason.clear();
    } else {
        if (!m_staleSince.isValid())
            m_staleSince = QDateTime::currentDateTimeUtc();
        m_staleReason = reason;
        qCInfo(lcState).noquote() << m_schema.name << ": data may be out of date:" << reason;
    }
    if (rowCount() > 0)
        Q_EMIT rowsChanged(0, rowCount() - 1, {}, true); // synced rows are stale, or no more
    Q_EMIT stateChanged();
}

void RealtimeStateManager::onConnectionChanged()
{
    SocketIoClient *client = m_channel ? m_channel->client() : nullptr;
    if (!client || client->isConnected())
        return; // onConnected() handles the way up
    const QString since = QDateTime::currentDateTime().toString(u"HH:mm:ss"_s);
    setOnline(false,
              client->state() == SocketIoClient::State::Failed
                  ? tr("The connection was given up at %1: %2").arg(since, client->failureMessage())
                  : tr("The connection to the server was lost."));
}

void RealtimeStateManager::onConnected(bool recovered)
{
    // Set before the state change is announced: until the resync starts, a reload is due
    // (isRefreshPending()), so that nothing takes the rows for current in between.
    if (m_started && (m_options.mode == Mode::His || !recovered)) {
        m_resyncWhenSubscribed = true;
        m_subscribeFallback.start();
    }
    setOnline(true, {});
    if (!m_started)
        return;
    scheduleSend();
}

void RealtimeStateManager::onSubscribed()
{
    m_subscribeFallback.stop();
    if (!m_resyncWhenSubscribed || !m_started)
        return;
    m_resyncWhenSubscribed = false;
    ++m_counters.resyncs;
    m_lastSeq = -1;
    startReload();
}

QString RealtimeStateManager::subscriptionRefusal() const
{
    const QString message = m_channel ? m_channel->subscriptionRefusal() : QString();
    return message.isEmpty()
        ? QString()
        : tr("The server refused to send changes of this list: %1").arg(message);
}

void RealtimeStateManager::onSubscriptionRefused()
{
    // Nothing was subscribed: waiting for a confirmation, or reloading as if one came, would
    // show the rows as current while no change of them can arrive.
    m_subscribeFallback.stop();
    const bool wasStale = m_staleSince.isValid();
    if (!wasStale)
        m_staleSince = QDateTime::currentDateTimeUtc();
    m_staleReason = subscriptionRefusal();
    qCWarning(lcState).noquote() << m_schema.name << ": data may be out of date:" << m_staleReason;
    if (!wasStale && rowCount() > 0)
        Q_EMIT rowsChanged(0, rowCount() - 1, {}, true);
    Q_EMIT stateChanged();
    // The rows as they are now are still worth reading once.
    if (m_resyncWhenSubscribed && m_started) {
        m_resyncWhenSubscribed = false;
        ++m_counters.resyncs;
        m_lastSeq = -1;
        startReload();
    }
}

void RealtimeStateManager::checkHeartbeat()
{
    SocketIoClient *client = m_channel ? m_channel->client() : nullptr;
    if (!client || !client->isConnected())
        return;
    const QDateTime last = client->lastMessageAt();
    if (!last.isValid())
        return;
    const qint64 silentMs = last.msecsTo(QDateTime::currentDateTimeUtc());
    const qint64 limit = client->handshake().pingIntervalMs + m_options.heartbeatGraceMs;
    if (silentMs > limit && m_online) {
        setOnline(false,
                  tr("The server has sent nothing since %1.")
                      .arg(last.toLocalTime().toString(u"HH:mm:ss"_s)));
    } else if (silentMs <= limit && !m_online) {
        // The server is talking again on the same connection: what did we miss?
        setOnline(true, {});
        ++m_counters.resyncs;
        startReload();
        scheduleSend();
    }
}

// ---------------------------------------------------------------------------------------
// Reloads

void RealtimeStateManager::reload()
{
    m_retryReload.stop();
    startReload();
}

void RealtimeStateManager::setQuery(const RestQuery &query)
{
    m_options.query = query;
    m_criteria = ListCriteria(m_schema, m_options.query);
    updateOrder();
    m_pages = 1;
    m_total = -1;
    m_hasMore = false;
    m_reload.reset(); // an answer for the old query is dropped
    m_reloadAgain = false;
    Q_EMIT aboutToReset();
    m_rows.clear();
    m_hidden.clear();
    Q_EMIT resetDone();
    startReload();
}

void RealtimeStateManager::fetchMore()
{
    if (!canFetchMore())
        return;
    ++m_pages;
    if (m_reload) {
        m_reloadAgain = true; // the next reload reads the new page too
        return;
    }
    if (!m_api || !m_started)
        return;
    m_reload = std::make_unique<Reload>();
    m_reload->appendPage = true;
    requestPage(m_pages);
    Q_EMIT stateChanged();
}

void RealtimeStateManager::startReload()
{
    if (!m_api || !m_started)
        return;
    if (m_reload) {
        m_reloadAgain = true;
        return;
    }
    m_debounce.stop();
    m_maxWait.stop();
    m_reloadAgain = false;
    m_resyncForFailedRead = false;
    m_reload = std::make_unique<Reload>();
    ++m_counters.reloads;
    qCDebug(lcState).noquote() << m_schema.name << ": reload" << m_counters.reloads;
    requestPage(1);
    Q_EMIT stateChanged();
}

void RealtimeStateManager::requestPage(int page)
{
    RestQuery query = m_options.query;
    query.page = page;
    query.limit = m_options.pageSize;
    RestReply *reply = m_api->listAsText(m_schema.restPath, query);
    m_reload->reply = reply;
    connect(reply, &RestReply::finished, this, [this, reply, page] {
        if (!m_reload || m_reload->reply != reply)
            return;
        if (!reply->ok()) {
            finishReload(false, reply->error().toString());
            return;
        }
        // The page's records go straight from its text to compact rows where they can.
        std::vector<CompactRecord> taken;
        if (const QByteArray text = reply->dataText();
            !text.isEmpty() && CompactRecord::appendArray(text, &taken)) {
            ++m_counters.pagesFromText;
        } else {
            ++m_counters.pagesFromJson;
            const QJsonValue data = reply->data();
            if (!data.isArray()) {
                // Kept as text but not JSON after all (NaN, 1e999, a leading zero): a page
                // that cannot be read must not read as an empty one.
                finishReload(false, tr("the server's page %1 is not valid JSON").arg(page));
                return;
            }
            const QJsonArray items = data.toArray();
            taken.reserve(size_t(items.size()));
            for (const QJsonValue &v : items)
                taken.emplace_back(v.toObject());
        }
        const auto count = qsizetype(taken.size());
        const QJsonObject pagination = reply->pagination();
        const bool more = pagination.isEmpty() ? count >= m_options.pageSize
                                               : pagination.value(u"hasNext").toBool();
        if (const QJsonValue total = pagination.value(u"total"); total.isDouble()) {
            m_total = total.toInt();
            // Read into one vector from the start, not moved to a larger one page after page.
            if (page == 1 && m_total > 0)
                m_reload->records.reserve(size_t(m_total));
        }
        const bool wanted = m_options.loadAll || (!m_reload->appendPage && page < m_pages);
        const bool next = more && count > 0 && wanted;
        // The next page is asked for before this one is kept: the server writes it meanwhile,
        // instead of waiting for the client.
        if (next)
            requestPage(page + 1);
        std::vector<CompactRecord> &records = m_reload->records;
        if (records.empty() && records.capacity() < taken.size())
            records = std::move(taken);
        else
            records.insert(records.end(), std::make_move_iterator(taken.begin()),
                           std::make_move_iterator(taken.end()));
        if (!next) {
            m_hasMore = more && count > 0;
            finishReload(true, {});
        }
    });
}

void RealtimeStateManager::finishReload(bool ok, const QString &error)
{
    std::unique_ptr<Reload> done = std::move(m_reload);
    if (!ok) {
        qCWarning(lcState).noquote() << m_schema.name << ": reload failed:" << error;
        Q_EMIT errorOccurred(
            tr("Could not read %1 from the server: %2")
                .arg(m_schema.label.isEmpty() ? m_schema.name : m_schema.label, error));
        // The rows are no longer known to be current, whatever the socket says (a refused
        // token, a server answering 500): say so, and try again later and later, 2 s doubling
        // up to a minute, so that a failing server is not asked again for every hint. A
        // reconnect, or reload() after signing in again, reads at once.
        ++m_failedReloads;
        m_retryReload.start(
            int(std::min<qint64>(2000LL << std::min(m_failedReloads - 1, 5), 60000)));
        const bool wasStale = m_staleSince.isValid();
        if (!wasStale)
            m_staleSince = QDateTime::currentDateTimeUtc();
        if (m_online) {
            m_staleByReload = true;
            m_staleReason
                = tr("Could not read %1 from the server: %2")
                      .arg(m_schema.label.isEmpty() ? m_schema.name : m_schema.label, error);
        }
        if (!wasStale && rowCount() > 0)
            Q_EMIT rowsChanged(0, rowCount() - 1, {}, true);
        Q_EMIT stateChanged();
        return;
    }
    const bool whole = !done->appendPage;
    std::vector<CompactRecord> records = std::move(done->records);
    if (done->appendPage) {
        // The rows held, then the new page's records that are not among them.
        std::vector<CompactRecord> all;
        all.reserve(size_t(rowCount() + m_hidden.size()) + records.size());
        QSet<QString> held;
        for (int row = 0; row < m_rows.size(); ++row) {
            if (m_rows.hasServerAt(row)) {
                all.push_back(m_rows.serverAt(row));
                held.insert(m_rows.idAt(row));
            }
        }
        for (auto it = m_hidden.cbegin(); it != m_hidden.cend(); ++it) {
            all.emplace_back(it.value());
            held.insert(it.key());
        }
        for (CompactRecord &r : records) {
            if (!held.contains(idOf(r)))
                all.push_back(std::move(r));
        }
        records = std::move(all);
    }
    if (m_options.mode == Mode::Live && (!done->removed.isEmpty() || !done->upserted.isEmpty())) {
        // Events that came while the pages were read are newer than what the pages say.
        // Whether the query selects those is judged as for any pushed record; one that cannot
        // be judged here is left to the next reload, which its event has asked for.
        QHash<QString, QJsonObject> newer = done->upserted;
        std::vector<CompactRecord> merged;
        merged.reserve(records.size() + size_t(newer.size()));
        for (CompactRecord &r : records) {
            const QString id = idOf(r);
            if (done->removed.contains(id))
                continue;
            const auto it = newer.find(id);
            if (it != newer.end()) {
                const bool replaced = versionOf(*it) >= versionOf(r.toObject());
                if (replaced)
                    r = CompactRecord(*it);
                newer.erase(it);
                if (replaced && leftOut(id, r.toObject()))
                    continue;
            }
            merged.push_back(std::move(r));
        }
        for (auto it = newer.cbegin(); it != newer.cend(); ++it) {
            if (membership(it.value()) == Membership::In)
                merged.emplace_back(it.value());
        }
        records = std::move(merged);
    }
    if (plansInBackground(records.size())) {
        // The rows stay as they are (and the reload in progress) until the diff is applied.
        done->whole = whole;
        done->planRecords = std::make_shared<const std::vector<CompactRecord>>(std::move(records));
        m_reload = std::move(done);
        startPlan();
        Q_EMIT stateChanged();
        return;
    }
    settleReadState(whole);
    applyServerSet(records);
    completeReload(whole);
}

void RealtimeStateManager::settleReadState(bool whole)
{
    // A page added by fetchMore() says nothing of the pages held: only a whole read ends the
    // staleness that failing reads set, and the reload they made due stays due.
    if (whole) {
        m_failedReloads = 0;
        m_retryReload.stop();
    }
    if (whole && m_staleByReload) {
        m_staleByReload = false;
        const QString refusal = subscriptionRefusal();
        if (m_online && refusal.isEmpty()) {
            m_staleSince = QDateTime();
            m_staleReason.clear();
            if (rowCount() > 0)
                Q_EMIT rowsChanged(0, rowCount() - 1, {}, true);
        } else if (m_online) {
            m_staleReason = refusal; // the read works again; the refusal stands
        }
    }
}

void RealtimeStateManager::completeReload(bool whole)
{
    if (whole)
        m_lastSyncAt = QDateTime::currentDateTimeUtc();
    if (m_reloadAgain) {
        startReload();
    } else if (whole) {
        m_refreshPending = false;
    }
    scheduleSend(); // writes wait while a reload runs
    releaseHeldCreates();
    Q_EMIT stateChanged();
}

bool RealtimeStateManager::plansInBackground(size_t records) const
{
    // Live mode applies events to the rows while a diff would be worked out (and its
    // pages must be merged with them); pending operations are rebased by applyServerSet().
    return m_options.mode == Mode::His && m_options.backgroundDiffRows >= 0
        && m_writes.operations().isEmpty() && m_hidden.isEmpty()
        && qint64(records) + rowCount() >= qint64(m_options.backgroundDiffRows);
}

void RealtimeStateManager::startPlan()
{
    // The snapshot is taken on the next turn: the last page took this one.
    const quint64 serial = m_reload->planSerial = ++m_planSerial;
    QMetaObject::invokeMethod(
        this, [this, serial] { launchPlan(serial); }, Qt::QueuedConnection);
}

void RealtimeStateManager::launchPlan(quint64 serial)
{
    if (!m_reload || m_reload->planSerial != serial)
        return;
    Reload &reload = *m_reload;
    ++m_counters.reloadPlans;
    // Read-only shared copies cross to the worker (QJsonObject and QString are implicitly
    // shared with atomic counts); the snapshot is dropped there, not on this thread.
    auto snapshot = std::make_shared<RowStore::Snapshot>(m_rows.snapshot());
    auto result = std::make_shared<std::shared_ptr<RowStore::Plan>>();
    auto promise = std::make_shared<QPromise<void>>();
    reload.planResult = result;
    reload.planWatcher = std::make_unique<QFutureWatcher<void>>();
    connect(reload.planWatcher.get(), &QFutureWatcherBase::finished, this,
            [this, serial] { onPlanReady(serial); });
    reload.planWatcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start(
        [promise, result, snapshot, records = reload.planRecords, idField = m_schema.idField] {
            promise->start();
            // What applyServerSet() makes of records without pending operations: the server's
            // records in its order, each shown as it is (the row state is set as it is applied).
            QList<Row> target;
            target.reserve(qsizetype(records->size()));
            for (const CompactRecord &record : *records) {
                Row row;
                row.id = RealtimeEvent::idText(record.value(idField));
                if (row.id.isEmpty())
                    continue;
                row.record = record;
                row.hasServer = true;
                target.append(std::move(row));
            }
            *result = std::make_shared<RowStore::Plan>(
                RowStore::plan(std::move(*snapshot), std::move(target)));
            promise->finish();
        });
    Q_EMIT stateChanged(); // counters()
}

void RealtimeStateManager::onPlanReady(quint64 serial)
{
    if (!m_reload || m_reload->planSerial != serial)
        return;
    Reload &reload = *m_reload;
    // Not deleted in its own signal.
    reload.planWatcher.release()->deleteLater();
    const RowStore::Plan &plan = **reload.planResult;
    if (plan.generation != m_rows.generation() || !m_writes.operations().isEmpty()) {
        planStale();
        return;
    }
    // As applyServerSet() does for the records it lists.
    m_hidden.clear();
    for (auto it = m_tombstones.begin(); it != m_tombstones.end();)
        it = plan.targetIndex.contains(it.key()) ? m_tombstones.erase(it) : std::next(it);
    for (auto it = m_outside.begin(); it != m_outside.end();)
        it = plan.targetIndex.contains(it.key()) ? m_outside.erase(it) : std::next(it);
    applyPlanSlice(serial);
}

void RealtimeStateManager::applyPlanSlice(quint64 serial)
{
    if (!m_reload || m_reload->planSerial != serial)
        return;
    if (!m_writes.operations().isEmpty()) {
        planStale();
        return;
    }
    ++m_counters.reloadSlices;
    std::shared_ptr<RowStore::Plan> plan = *m_reload->planResult;
    const RowStore::Progress progress = m_rows.applyPlan(
        *plan, [this](const QString &id) { return int(overlayState(id, RowState::Synced)); },
        QDeadlineTimer(ReloadSliceMs), m_options.reloadSliceRows);
    // A slot of a row signal may have dropped the reload (setQuery()).
    if (!m_reload || m_reload->planSerial != serial)
        return;
    switch (progress) {
    case RowStore::Progress::More:
        QMetaObject::invokeMethod(
            this, [this, serial] { applyPlanSlice(serial); }, Qt::QueuedConnection);
        return;
    case RowStore::Progress::Stale:
        planStale();
        return;
    case RowStore::Progress::Done:
        break;
    }
    std::unique_ptr<Reload> done = std::move(m_reload);
    settleReadState(done->whole);
    Q_EMIT synced(plan->changes());
    // What is left of the plan and the records (a hundred thousand strings and field lists,
    // the last references of some) is let go of on a worker thread: freeing it here took
    // longer than a frame.
    done->planResult.reset();
    QThreadPool::globalInstance()->start(
        [plan = std::move(plan), records = std::move(done->planRecords)]() mutable {
            plan.reset();
            records.reset();
        });
    completeReload(done->whole);
}

void RealtimeStateManager::planStale()
{
    Reload &reload = *m_reload;
    reload.planResult.reset();
    if (reload.planWatcher)
        reload.planWatcher.release()->deleteLater();
    if (++reload.planRecomputes <= MaxPlanRecomputes && m_writes.operations().isEmpty()) {
        ++m_counters.planRecomputes;
        qCDebug(lcState).noquote() << m_schema.name
                                   << ": the rows changed while a reload was applied; working "
                                      "its diff out again";
        startPlan();
        return;
    }
    ++m_counters.planFallbacks;
    std::unique_ptr<Reload> done = std::move(m_reload);
    settleReadState(done->whole);
    applyServerSet(*done->planRecords);
    completeReload(done->whole);
}

QString RealtimeStateManager::idOf(const CompactRecord &record) const
{
    return RealtimeEvent::idText(record.value(m_schema.idField));
}

void RealtimeStateManager::applyServerSet(const std::vector<CompactRecord> &records)
{
    // The target: the server's records in its order, then local creates, pending operations
    // applied on top (the rebase), invisible ones (pending deletes) left out.
    QList<Row> target;
    target.reserve(qsizetype(records.size()) + 8);
    RecordIdSet inTarget;
    inTarget.reserve(qsizetype(records.size()) + 8);
    const QHash<QString, QJsonObject> hiddenBefore = std::exchange(m_hidden, {});
    // Only records with pending operations need them applied (a large offline queue must not
    // make every row walk it).
    const QSet<QString> withOps = m_writes.recordsWithOperations();
    // @p inPlace: where a sorted query puts it, rather than after the server's records.
    const auto add = [&](Row row, bool inPlace = false) {
        bool visible = true;
        if (withOps.contains(row.id)) {
            RowState state;
            row.shown = shownFor(row.id, row.server, row.hasServer, &state, &visible);
            row.state = int(state);
        } else {
            row.shown = row.server;
            row.state = int(overlayState(row.id, RowState::Synced));
        }
        if (!visible && row.hasServer)
            m_hidden.insert(row.id, row.server);
        if (!visible || !inTarget.insert(row.id))
            return;
        if (!inPlace || !keepsSorted()) {
            target.append(std::move(row));
            return;
        }
        const CompactRecord shown(row.shown);
        const auto at = std::lower_bound(
            target.begin(), target.end(), row, [this, &shown](const Row &a, const Row &b) {
                return m_criteria.compare(a.isPacked() ? a.record : CompactRecord(a.shown), a.id,
                                          shown, b.id)
                    < 0;
            });
        target.insert(at, std::move(row));
    };
    for (const CompactRecord &record : records) {
        Row row;
        row.id = idOf(record);
        if (row.id.isEmpty())
            continue;
        m_tombstones.remove(row.id); // the server says it exists
        m_outside.remove(row.id);
        row.hasServer = true;
        if (withOps.contains(row.id)) {
            row.server = record.toObject();
            add(std::move(row));
            continue;
        }
        // Shown as the server has it: kept compact.
        if (!inTarget.insert(row.id))
            continue;
        row.record = record;
        row.state = int(overlayState(row.id, RowState::Synced));
        target.append(std::move(row));
    }
    // Records with operations of the user that the server did not list: deleted, or no longer
    // selected by the query (someone else changed them, or the query is new). Which of the two
    // only a read of the record can say; until then (and, if it exists, until the operations
    // settle) the row stays as it was and nothing of it is sent.
    QSet<QString> seen;
    QStringList unlisted;
    for (const PendingOperation &op : m_writes.operations()) {
        const QString &id = op.recordId;
        if (op.kind == PendingOperation::Kind::Create && id.startsWith(u"local:")) {
            Row row;
            row.id = id;
            add(std::move(row));
            continue;
        }
        if (inTarget.contains(id) || m_hidden.contains(id) || seen.contains(id))
            continue;
        seen.insert(id);
        Row row;
        row.id = id;
        if (const int at = rowOf(id); at >= 0 && m_rows.hasServerAt(at)) {
            row.server = m_rows.serverAt(at).toObject();
            row.hasServer = true;
        } else if (const auto hidden = hiddenBefore.constFind(id); hidden != hiddenBefore.cend()) {
            row.server = *hidden;
            row.hasServer = true;
        }
        // Known to be deleted on the server (a conflict shows what the user had): no read.
        if (row.hasServer || op.state != PendingOperation::State::Conflict)
            unlisted.append(id);
        add(std::move(row), true);
    }

    const int changes = m_rows.applyTarget(std::move(target));
    Q_EMIT synced(changes);
    for (const QString &id : std::as_const(unlisted))
        fetchRecord(id);
}

// ---------------------------------------------------------------------------------------
// Writes

QString RealtimeStateManager::createRecord(const QJsonObject &values)
{
    PendingOperation op;
    op.txnId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    op.kind = PendingOperation::Kind::Create;
    op.recordId = PendingOperation::localId(op.txnId);
    op.values = values;
    return enqueue(std::move(op));
}

QString RealtimeStateManager::updateRecord(const QString &id, const QJsonObject &changes)
{
    PendingOperation op;
    op.txnId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    op.kind = PendingOperation::Kind::Update;
    op.recordId = id;
    op.values = changes;
    // The whole record, not only the changed fields: re-creating it after a delete on the
    // server (resolveConflict()) must send every field, required ones included.
    const int row = rowOf(id);
    op.base = row >= 0 ? m_rows.shownAt(row).toObject() : m_hidden.value(id);
    op.baseVersion = versionOf(serverRecord(id));
    return enqueue(std::move(op));
}

QString RealtimeStateManager::updateRecord(const QString &id, const QJsonObject &changes,
                                           const QJsonObject &base)
{
    if (base.isEmpty())
        return updateRecord(id, changes);
    PendingOperation op;
    op.txnId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    op.kind = PendingOperation::Kind::Update;
    op.recordId = id;
    op.values = changes;
    op.base = base;
    op.baseVersion = versionOf(base);
    op.checkBase = true;
    return enqueue(std::move(op));
}

QString RealtimeStateManager::deleteRecord(const QString &id)
{
    PendingOperation op;
    op.txnId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    op.kind = PendingOperation::Kind::Delete;
    op.recordId = id;
    op.base = record(rowOf(id));
    op.baseVersion = versionOf(serverRecord(id));
    return enqueue(std::move(op));
}

RestError RealtimeStateManager::offlineError() const
{
    RestError error;
    error.code = u"OFFLINE"_s;
    error.message
        = tr("%1 Changes cannot be saved until the connection is back.")
              .arg(m_staleReason.isEmpty() ? tr("Not connected to the server.") : m_staleReason);
    return error;
}

void RealtimeStateManager::failLater(const QString &txnId, const RestError &error)
{
    QMetaObject::invokeMethod(
        this, [this, txnId, error] { Q_EMIT operationFailed(txnId, error); }, Qt::QueuedConnection);
}

QString RealtimeStateManager::enqueue(PendingOperation op)
{
    const QString txnId = op.txnId;
    if (m_failures.remove(op.recordId)) {
        if (const int row = rowOf(op.recordId); row >= 0)
            refreshRow(row);
    }
    if (m_options.mode == Mode::His) {
        if (!m_online) {
            failLater(txnId, offlineError());
            return txnId;
        }
        hisWrite(op);
        return txnId;
    }
    const QString recordId = op.recordId;
    m_writes.append(std::move(op));
    // Shown on the next turn, never inside the caller (which may be a slot of ours).
    QMetaObject::invokeMethod(
        this,
        [this, recordId] {
            applyLocal(recordId);
            Q_EMIT stateChanged();
        },
        Qt::QueuedConnection);
    scheduleSend();
    return txnId;
}

RestReply *RealtimeStateManager::request(const PendingOperation &op,
                                         const ApiClient::WriteOptions &options)
{
    switch (op.kind) {
    case PendingOperation::Kind::Create:
        return m_api->create(m_schema.restPath, op.values, options);
    case PendingOperation::Kind::Update:
        return m_api->update(m_schema.restPath, op.recordId, op.values, options);
    case PendingOperation::Kind::Delete:
        break;
    }
    return m_api->remove(m_schema.restPath, op.recordId, options);
}

bool RealtimeStateManager::goesOnto(const PendingOperation &op, const QJsonObject &current)
{
    switch (m_writes.compareWithBase(op, current)) {
    case WriteQueue::BaseCheck::Unchanged:
        return true;
    case WriteQueue::BaseCheck::Clash:
        return false;
    case WriteQueue::BaseCheck::OthersChanged:
        break;
    }
    ++m_counters.merged;
    return true;
}

void RealtimeStateManager::hisWrite(const PendingOperation &op)
{
    if (!m_api)
        return;
    m_writes.addInFlight(op);
    if (op.kind != PendingOperation::Kind::Update || !op.checkBase
        || (m_schema.hasVersions() && op.baseVersion >= 0)) {
        hisSend(op);
        return;
    }
    // No versions (or a base without one, which If-Match cannot check): the server's record
    // now, compared with what the form showed; the write follows at once (see hisSend()).
    ++m_counters.baseChecks;
    RestReply *reply = m_api->fetch(m_schema.restPath, op.recordId);
    connect(reply, &RestReply::finished, this, [this, reply, op] {
        if (!reply->ok()) {
            m_writes.settle(op.txnId);
            Q_EMIT operationFailed(op.txnId, reply->error());
            return;
        }
        const QJsonObject current = reply->data().toObject();
        if (!goesOnto(op, current)) {
            m_writes.settle(op.txnId);
            hisConflict(op, current, {});
            return;
        }
        // With versions, on the one just read: If-Match closes the window until the write.
        PendingOperation checked = op;
        checked.baseVersion = versionOf(current);
        hisSend(checked);
    });
}

void RealtimeStateManager::hisSend(PendingOperation op)
{
    ApiClient::WriteOptions options;
    options.txnId = op.txnId;
    if (op.baseVersion >= 0)
        options.ifMatch = op.baseVersion;
    ++op.attempts;
    RestReply *reply = request(op, options);
    ++m_counters.writesSent;
    announceSent(op.txnId);
    connect(reply, &RestReply::finished, this, [this, reply, op] {
        const QString &txnId = op.txnId;
        const QString &recordId = op.recordId;
        const bool create = op.kind == PendingOperation::Kind::Create;
        if (!reply->ok()) {
            const RestError error = reply->error();
            const QJsonObject theirs = error.currentRecord();
            if (error.code == u"VERSION_CONFLICT" && op.kind == PendingOperation::Kind::Update
                && !theirs.isEmpty()) {
                // Changed since the version the change was made on: a conflict if a field of
                // the change changed, else the change goes on top of their version.
                if (m_writes.clashes(op, theirs) || op.rebases >= MaxRebases) {
                    m_writes.settle(txnId);
                    hisConflict(op, theirs, error);
                    return;
                }
                ++m_counters.merged;
                PendingOperation again = op;
                again.baseVersion = versionOf(theirs);
                ++again.rebases;
                hisSend(again);
                return;
            }
            if (!create && !error.isNetworkError()) {
                m_failures.insert(recordId, error.message);
                if (const int row = rowOf(recordId); row >= 0)
                    refreshRow(row);
            }
            m_writes.settle(txnId);
            Q_EMIT operationFailed(txnId, error);
            return;
        }
        m_writes.settle(txnId);
        ++m_counters.confirmed;
        const QString id = idOf(reply->data().toObject());
        // The rows change only through the reload that follows.
        m_refreshPending = true;
        startReload();
        Q_EMIT operationConfirmed(txnId, id.isEmpty() ? recordId : id);
    });
}

void RealtimeStateManager::hisConflict(const PendingOperation &op, const QJsonObject &theirs,
                                       const RestError &error)
{
    // Held until the user decides; the rows keep showing what the server confirmed.
    ++m_counters.conflicts;
    qCInfo(lcState).noquote() << m_schema.name << ": write" << op.txnId << "of" << op.recordId
                              << "conflicts with a change made meanwhile";
    const QString txnId = op.txnId;
    m_writes.holdConflict(op, theirs, error);
    Q_EMIT conflictDetected(txnId);
    Q_EMIT stateChanged();
}

bool RealtimeStateManager::resolveHisConflict(const QString &txnId, Resolution resolution,
                                              const QJsonObject &merged)
{
    std::optional<PendingOperation> held = m_writes.takeHeld(txnId);
    if (!held)
        return false;
    PendingOperation op = std::move(*held);
    Q_EMIT conflictResolved(txnId, op.recordId, resolution);
    if (resolution == Resolution::Merge)
        op.values = merged;
    if (resolution != Resolution::TakeTheirs && !op.values.isEmpty()) {
        // Mine (or the merge), on top of their record: checked against it as the base.
        op = m_writes.onTheirs(std::move(op));
        if (m_online)
            hisWrite(op);
        else
            failLater(txnId, offlineError());
    }
    QMetaObject::invokeMethod(this, &RealtimeStateManager::stateChanged, Qt::QueuedConnection);
    return true;
}

void RealtimeStateManager::scheduleSend()
{
    if (m_sendScheduled || m_options.mode != Mode::Live)
        return;
    m_sendScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_sendScheduled = false;
            sendNext();
        },
        Qt::QueuedConnection);
}

void RealtimeStateManager::sendNext()
{
    if (m_sending || m_sendHeld || !m_online || !m_api || !m_started || m_reload
        || m_resyncWhenSubscribed)
        return;
    const PendingOperation *next = m_writes.next(m_fetching);
    if (!next)
        return;
    const PendingOperation op = *next;
    ApiClient::WriteOptions options;
    options.txnId = op.txnId;
    if (op.kind != PendingOperation::Kind::Create) {
        const QJsonObject current = serverRecord(op.recordId);
        const bool known = !current.isEmpty();
        if (!known && m_lastSyncAt.isValid()) {
            // Gone from the server since the edit was made.
            if (op.kind == PendingOperation::Kind::Delete) {
                confirm(op.txnId, {});
                scheduleSend();
                return;
            }
            enterConflict(op.txnId, QJsonObject());
            return;
        }
        if (op.kind == PendingOperation::Kind::Update && op.checkBase && !m_schema.hasVersions()) {
            checkThenSend(op.txnId);
            return;
        }
        const qint64 version = versionOf(current);
        // An edit made before anything was read (queued offline from the command line) has no
        // base to compare with: it is sent as it is.
        if (known && version != op.baseVersion && !op.base.isEmpty()) {
            // Changed on the server since the edit was made (read while offline, or by a
            // reload): a conflict if a field the edit changes changed there too.
            if (m_writes.clashes(op, current)) {
                enterConflict(op.txnId, current);
                return;
            }
            if (op.checkBase)
                ++m_counters.merged;
        }
        if (version >= 0)
            options.ifMatch = version;
    }
    transmit(op, options);
}

void RealtimeStateManager::transmit(const PendingOperation &op,
                                    const ApiClient::WriteOptions &options)
{
    if (m_writes.markSent(op.txnId))
        ++m_counters.replayed;
    ++m_counters.writesSent;
    m_sending = true;
    RestReply *reply = request(op, options);
    const QString txnId = op.txnId;
    connect(reply, &RestReply::finished, this,
            [this, reply, txnId] { onWriteFinished(txnId, reply); });
    announceSent(txnId);
}

void RealtimeStateManager::announceSent(const QString &txnId)
{
    // Never inside the caller: in HIS mode a write goes out within createRecord() and friends,
    // before the caller holds its txn id.
    QMetaObject::invokeMethod(
        this, [this, txnId] { Q_EMIT operationSent(txnId); }, Qt::QueuedConnection);
}

void RealtimeStateManager::enterConflict(const QString &txnId, const QJsonObject &theirs)
{
    const PendingOperation *op = m_writes.find(txnId);
    if (!op)
        return;
    // A copy: a slot of the row signals may add operations (and move the list).
    const QString recordId = op->recordId;
    m_writes.markConflict(txnId, theirs);
    ++m_counters.conflicts;
    applyLocal(recordId);
    Q_EMIT conflictDetected(txnId);
    Q_EMIT stateChanged();
    scheduleSend();
}

void RealtimeStateManager::checkThenSend(const QString &txnId)
{
    const PendingOperation *op = m_writes.find(txnId);
    if (!op || !m_api)
        return;
    // Without versions nothing on the server refuses a write made on an old record: read it
    // just before writing and compare what the change was made on. The write follows in the
    // same turn as the answer, so the window in which another change can slip in between is
    // one round trip (see docs/architecture.md).
    const QString recordId = op->recordId;
    m_sending = true;
    ++m_counters.baseChecks;
    RestReply *reply = m_api->fetch(m_schema.restPath, recordId);
    connect(reply, &RestReply::finished, this, [this, reply, txnId, recordId] {
        m_sending = false;
        const auto next = qScopeGuard([this] {
            scheduleSend();
            Q_EMIT stateChanged();
        });
        const auto waiting = [this, &txnId] {
            const PendingOperation *found = m_writes.find(txnId);
            return found && found->state == PendingOperation::State::Pending;
        };
        if (!waiting())
            return; // resolved, or found in conflict meanwhile
        if (!reply->ok()) {
            const RestError error = reply->error();
            if (error.code == u"NOT_FOUND") {
                removeServer(recordId); // deleted meanwhile: a conflict, as after its event
            } else if (error.isNetworkError() || error.httpStatus == 401 || error.httpStatus == 429
                       || error.httpStatus >= 500) {
                // The server failing for a while says nothing about the change: it waits, and
                // nothing is sent meanwhile (no request storm against a failing server).
                m_sendHeld = true;
                QTimer::singleShot(2000, this, [this] {
                    m_sendHeld = false;
                    scheduleSend();
                });
            } else {
                rollBack(txnId, error); // cannot be checked, so not sent
            }
            return;
        }
        const QJsonObject current = reply->data().toObject();
        upsertServer(current, false);
        if (!waiting())
            return;
        const PendingOperation checked = *m_writes.find(txnId);
        if (!goesOnto(checked, current)) {
            enterConflict(txnId, current);
            return;
        }
        ApiClient::WriteOptions options;
        options.txnId = txnId;
        transmit(checked, options);
    });
}

void RealtimeStateManager::rollBack(const QString &txnId, const RestError &error)
{
    const std::optional<PendingOperation> op = m_writes.take(txnId);
    if (!op)
        return;
    if (op->kind != PendingOperation::Kind::Create)
        m_failures.insert(op->recordId, error.message);
    ++m_counters.rolledBack;
    qCInfo(lcState).noquote() << m_schema.name << ": write" << txnId
                              << "refused, rolled back:" << error.toString();
    applyLocal(op->recordId);
    Q_EMIT operationFailed(txnId, error);
}

void RealtimeStateManager::onWriteFinished(const QString &txnId, RestReply *reply)
{
    m_sending = false;
    const PendingOperation *pending = m_writes.find(txnId);
    const QJsonObject record = reply->ok() ? reply->data().toObject() : QJsonObject();
    if (!pending) {
        // Confirmed by its echo already (or resolved meanwhile): versions decide.
        if (reply->ok() && !idOf(record).isEmpty() && record.size() > 2)
            upsertServer(record, false);
    } else if (reply->ok()) {
        confirm(txnId, pending->kind == PendingOperation::Kind::Delete ? QJsonObject() : record);
    } else {
        // A copy: what follows changes the queue.
        const PendingOperation op = *pending;
        const RestError error = reply->error();
        if (error.isNetworkError() || error.httpStatus == 401 || error.httpStatus >= 502) {
            // Not refused, just not heard: it goes again (same txn id) when the server is.
            m_writes.requeue(txnId, error);
            qCInfo(lcState).noquote() << m_schema.name << ": write" << txnId
                                      << "not answered, kept for later:" << error.toString();
            QTimer::singleShot(2000, this, &RealtimeStateManager::scheduleSend);
        } else if (error.code == u"VERSION_CONFLICT" && op.kind == PendingOperation::Kind::Update
                   && !error.currentRecord().isEmpty() && op.rebases < MaxRebases
                   && !m_writes.clashes(op, error.currentRecord())) {
            // Someone else changed other fields since the version sent: sendNext() compares
            // again and sends the change on top of their record.
            m_writes.markRebased(txnId);
            upsertServer(error.currentRecord(), false);
        } else if (error.code == u"VERSION_CONFLICT"
                   || (error.code == u"NOT_FOUND" && op.kind == PendingOperation::Kind::Update)) {
            const QJsonObject theirs = error.currentRecord();
            m_writes.markConflict(txnId, theirs, error);
            ++m_counters.conflicts;
            if (!theirs.isEmpty())
                upsertServer(theirs, false);
            applyLocal(op.recordId);
            Q_EMIT conflictDetected(txnId);
        } else if (error.code == u"NOT_FOUND" && op.kind == PendingOperation::Kind::Delete) {
            confirm(txnId, {});
        } else {
            rollBack(txnId, error);
        }
    }
    releaseHeldCreates();
    scheduleSend();
    Q_EMIT stateChanged();
}

void RealtimeStateManager::releaseHeldCreates()
{
    // Once no write of ours is on its way, a held create that no answer claimed is someone
    // else's (or, if ours, already in place: the version guard keeps one row).
    if (m_heldCreates.isEmpty() || m_sending)
        return;
    const auto held = std::exchange(m_heldCreates, {});
    for (const RealtimeEvent &e : held)
        upsertServer(e.data().toObject(), true);
}

void RealtimeStateManager::confirm(const QString &txnId, const QJsonObject &record)
{
    const std::optional<PendingOperation> op = m_writes.take(txnId);
    if (!op)
        return;
    ++m_counters.confirmed;
    QString id = op->recordId;
    if (op->kind == PendingOperation::Kind::Create) {
        const QString real = idOf(record);
        if (!real.isEmpty()) {
            renameRecord(op->recordId, real);
            id = real;
        }
    }
    if (op->kind == PendingOperation::Kind::Delete) {
        removeServer(id);
    } else if (!idOf(record).isEmpty()) {
        upsertServer(record, false);
    } else if (const int row = rowOf(id); row >= 0) {
        refreshRow(row);
    }
    Q_EMIT operationConfirmed(txnId, id);
}

void RealtimeStateManager::renameRecord(const QString &from, const QString &to)
{
    m_writes.rename(from, to);
    const int row = rowOf(from);
    if (row < 0)
        return;
    if (rowOf(to) >= 0) {
        // The server's row is already there (its event came first): ours goes.
        m_rows.remove(row, row);
        return;
    }
    m_rows.rename(row, to);
    QJsonObject shown = m_rows.shownAt(row).toObject();
    shown.insert(m_schema.idField, to);
    if (!m_rows.update(row, shown, m_rows.stateAt(row)))
        Q_EMIT rowsChanged(row, row, {m_schema.idField}, false); // idAt() changed all the same
}

void RealtimeStateManager::checkConflicts(const QString &id, const QJsonObject &theirs,
                                          bool deleted)
{
    bool deleteDone = false;
    const QStringList found = m_writes.conflictsFrom(id, theirs, deleted, &deleteDone);
    if (deleteDone)
        scheduleSend(); // nothing left to delete: sendNext() confirms it
    if (found.isEmpty())
        return;
    m_counters.conflicts += found.size();
    // After the caller has updated the row: signal from the event loop.
    QMetaObject::invokeMethod(
        this,
        [this, found] {
            for (const QString &txnId : found)
                Q_EMIT conflictDetected(txnId);
            Q_EMIT stateChanged();
        },
        Qt::QueuedConnection);
}

bool RealtimeStateManager::resolveConflict(const QString &txnId, Resolution resolution,
                                           const QJsonObject &merged)
{
    if (m_options.mode == Mode::His)
        return resolveHisConflict(txnId, resolution, merged);
    const PendingOperation *op = m_writes.find(txnId);
    if (!op || op->state != PendingOperation::State::Conflict)
        return false;
    const QString recordId = op->recordId;
    QString shownId = recordId;
    if (resolution == Resolution::TakeTheirs)
        m_writes.take(txnId);
    else
        shownId = *m_writes.keepMine(txnId, resolution == Resolution::Merge ? &merged : nullptr);
    QMetaObject::invokeMethod(
        this,
        [this, recordId, shownId] {
            applyLocal(recordId);
            if (shownId != recordId)
                applyLocal(shownId);
            Q_EMIT stateChanged();
        },
        Qt::QueuedConnection);
    scheduleSend();
    // Once the conflict is over, and last: a slot may call anything, resolveConflict() too.
    Q_EMIT conflictResolved(txnId, recordId, resolution);
    return true;
}

QList<PendingOperation> RealtimeStateManager::discardableOperations() const
{
    return m_writes.discardable();
}

bool RealtimeStateManager::discardOperation(const QString &txnId)
{
    const bool held
        = std::any_of(m_writes.heldConflicts().cbegin(), m_writes.heldConflicts().cend(),
                      [&](const PendingOperation &op) { return op.txnId == txnId; });
    const QList<std::pair<QString, QString>> dropped = m_writes.discard(txnId);
    if (dropped.isEmpty())
        return false;
    const QString recordId = dropped.constFirst().second;
    if (held) {
        // HIS mode: the conflict was never in the rows.
        qCInfo(lcState).noquote() << m_schema.name << ": the user discarded" << txnId;
        Q_EMIT operationDiscarded(txnId, recordId);
        Q_EMIT stateChanged();
        return true;
    }
    qCInfo(lcState).noquote() << m_schema.name << ": the user discarded" << dropped.size()
                              << "change(s) of" << recordId;
    // Shown on the next turn, never inside the caller (which may be a slot of ours).
    QMetaObject::invokeMethod(
        this,
        [this, recordId] {
            applyLocal(recordId);
            Q_EMIT stateChanged();
        },
        Qt::QueuedConnection);
    for (const auto &[txn, record] : std::as_const(dropped))
        Q_EMIT operationDiscarded(txn, record);
    Q_EMIT stateChanged();
    scheduleSend();
    return true;
}

} // namespace livedesk
