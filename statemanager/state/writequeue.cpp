// SPDX-License-Identifier: MIT
#include "state/writequeue.h"

#include "internal/livedesklogging.h"
#include "state/offlinequeue.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

// A key the record lacks and a null are the same "no value".
bool sameValue(const QJsonValue &a, const QJsonValue &b)
{
    const bool aNone = a.isNull() || a.isUndefined();
    const bool bNone = b.isNull() || b.isUndefined();
    return aNone || bNone ? aNone == bNone : a == b;
}

using State = PendingOperation::State;
using Kind = PendingOperation::Kind;

} // namespace

WriteQueue::WriteQueue(const ResourceSchema &schema, bool live)
    : m_schema(schema)
    , m_live(live)
{
}

WriteQueue::~WriteQueue() = default;

void WriteQueue::setStoragePath(const QString &path)
{
    m_store = path.isEmpty() ? nullptr : std::make_unique<OfflineQueue>(path, m_schema.name);
}

QString WriteQueue::storagePath() const
{
    return m_store ? m_store->path() : QString();
}

void WriteQueue::setErrorHandler(std::function<void(const QString &)> handler)
{
    m_onError = std::move(handler);
}

bool WriteQueue::load(QString *error)
{
    if (!m_store)
        return true;
    QList<PendingOperation> stored;
    if (!m_store->load(&stored, error))
        return false;
    if (!m_live) {
        m_held.clear();
        for (PendingOperation &op : stored) {
            if (op.state == State::Conflict)
                m_held.append(std::move(op));
        }
        return true;
    }
    for (PendingOperation &op : stored) {
        if (op.state == State::Sent)
            op.state = State::Pending;
    }
    m_ops = std::move(stored);
    return true;
}

void WriteQueue::persist()
{
    if (!m_store)
        return;
    QString error;
    if (!m_store->save(m_live ? m_ops : m_held, &error)) {
        qCWarning(lcState).noquote() << m_schema.name << ":" << error;
        if (m_onError)
            m_onError(error);
    }
}

int WriteQueue::indexOf(const QString &txnId) const
{
    if (txnId.isEmpty())
        return -1;
    for (int i = 0; i < m_ops.size(); ++i) {
        if (m_ops[i].txnId == txnId)
            return i;
    }
    return -1;
}

const PendingOperation *WriteQueue::find(const QString &txnId) const
{
    const int i = indexOf(txnId);
    return i < 0 ? nullptr : &m_ops[i];
}

bool WriteQueue::hasOperations(const QString &recordId) const
{
    return std::any_of(m_ops.cbegin(), m_ops.cend(),
                       [&](const PendingOperation &op) { return op.recordId == recordId; });
}

QSet<QString> WriteQueue::recordsWithOperations() const
{
    QSet<QString> ids;
    for (const PendingOperation &op : m_ops)
        ids.insert(op.recordId);
    return ids;
}

bool WriteQueue::createInFlight() const
{
    return std::any_of(m_ops.cbegin(), m_ops.cend(), [](const PendingOperation &op) {
        return op.kind == Kind::Create && op.state == State::Sent;
    });
}

const PendingOperation *WriteQueue::conflictOf(const QString &recordId) const
{
    for (const PendingOperation &op : m_ops) {
        if (op.recordId == recordId && op.state == State::Conflict)
            return &op;
    }
    return nullptr;
}

void WriteQueue::append(PendingOperation op)
{
    m_ops.append(std::move(op));
    persist();
}

std::optional<PendingOperation> WriteQueue::take(const QString &txnId)
{
    const int i = indexOf(txnId);
    if (i < 0)
        return std::nullopt;
    PendingOperation op = m_ops.takeAt(i);
    persist();
    return op;
}

const PendingOperation *WriteQueue::next(const QSet<QString> &reading) const
{
    QSet<QString> busy;
    for (const PendingOperation &op : m_ops) {
        if (busy.contains(op.recordId))
            continue;
        busy.insert(op.recordId);
        if (reading.contains(op.recordId))
            continue;
        if (op.state == State::Pending)
            return &op;
    }
    return nullptr;
}

bool WriteQueue::markSent(const QString &txnId)
{
    const int i = indexOf(txnId);
    if (i < 0)
        return false;
    PendingOperation &op = m_ops[i];
    const bool replay = op.attempts > op.rebases;
    op.state = State::Sent;
    ++op.attempts;
    persist();
    return replay;
}

void WriteQueue::requeue(const QString &txnId, const RestError &error)
{
    const int i = indexOf(txnId);
    if (i < 0)
        return;
    m_ops[i].state = State::Pending;
    m_ops[i].error = error;
    persist();
}

void WriteQueue::markRebased(const QString &txnId)
{
    const int i = indexOf(txnId);
    if (i < 0)
        return;
    m_ops[i].state = State::Pending;
    ++m_ops[i].rebases;
    persist();
}

bool WriteQueue::markConflict(const QString &txnId, const QJsonObject &theirs,
                              const RestError &error)
{
    const int i = indexOf(txnId);
    if (i < 0)
        return false;
    m_ops[i].state = State::Conflict;
    m_ops[i].theirs = theirs;
    m_ops[i].error = error;
    persist();
    return true;
}

QStringList WriteQueue::conflictsFrom(const QString &recordId, const QJsonObject &theirs,
                                      bool deleted, bool *deleteDone)
{
    QStringList found;
    for (PendingOperation &op : m_ops) {
        if (op.recordId != recordId || op.state != State::Pending || op.kind == Kind::Create)
            continue;
        if (deleted && op.kind == Kind::Delete) {
            if (deleteDone)
                *deleteDone = true;
            continue;
        }
        if (!deleted && !clashes(op, theirs))
            continue;
        op.state = State::Conflict;
        op.theirs = theirs;
        found.append(op.txnId);
    }
    if (!found.isEmpty())
        persist();
    return found;
}

void WriteQueue::rename(const QString &from, const QString &to)
{
    bool any = false;
    for (PendingOperation &op : m_ops) {
        if (op.recordId == from) {
            op.recordId = to;
            any = true;
        }
    }
    // Stored at once: after a crash, a later change of the record must not name an id that
    // only this process knew.
    if (any)
        persist();
}

PendingOperation WriteQueue::onTheirs(PendingOperation op) const
{
    op.base = op.theirs;
    op.baseVersion = m_schema.versionOf(op.theirs);
    op.theirs = QJsonObject();
    op.error = RestError();
    op.state = State::Pending;
    op.rebases = 0;
    return op;
}

std::optional<QString> WriteQueue::keepMine(const QString &txnId, const QJsonObject *merged)
{
    const int i = indexOf(txnId);
    if (i < 0 || m_ops[i].state != State::Conflict)
        return std::nullopt;
    PendingOperation &op = m_ops[i];
    if (merged) {
        op.values = *merged;
        if (op.kind == Kind::Delete && !merged->isEmpty())
            op.kind = Kind::Update;
    }
    if (op.theirs.isEmpty() && op.kind == Kind::Update) {
        // Deleted on the server: keeping mine means creating the record again.
        QJsonObject values = op.base;
        for (auto it = op.values.begin(); it != op.values.end(); ++it)
            values.insert(it.key(), it.value());
        for (const ResourceSchema::Column &c : m_schema.columns) {
            if (c.system)
                values.remove(c.name);
        }
        values.remove(m_schema.idField);
        values.remove(m_schema.versionField);
        op.kind = Kind::Create;
        op.values = values;
        op.recordId = PendingOperation::localId(op.txnId);
        op.state = State::Pending;
        op.theirs = QJsonObject();
        op.error = RestError();
    } else {
        op = onTheirs(std::move(op));
    }
    const QString shownId = op.recordId;
    persist();
    return shownId;
}

QList<PendingOperation> WriteQueue::discardable() const
{
    QList<PendingOperation> out = m_held;
    for (const PendingOperation &op : m_ops) {
        if (op.state == State::Pending || op.state == State::Conflict)
            out.append(op);
    }
    return out;
}

QList<std::pair<QString, QString>> WriteQueue::discard(const QString &txnId)
{
    if (std::optional<PendingOperation> held = takeHeld(txnId))
        return {{txnId, held->recordId}};
    const int index = indexOf(txnId);
    if (index < 0
        || (m_ops[index].state != State::Pending && m_ops[index].state != State::Conflict))
        return {};
    const QString recordId = m_ops[index].recordId;
    QList<std::pair<QString, QString>> dropped{{txnId, recordId}};
    m_ops.removeAt(index);
    if (recordId.startsWith(PendingOperation::localId({}))) {
        // The record exists nowhere but here: what was to follow its create goes with it.
        for (int i = m_ops.size() - 1; i >= 0; --i) {
            if (m_ops[i].recordId == recordId && m_ops[i].state != State::Sent) {
                dropped.append({m_ops[i].txnId, recordId});
                m_ops.removeAt(i);
            }
        }
    }
    persist();
    return dropped;
}

WriteQueue::Overlay WriteQueue::overlay(const QString &recordId, const QJsonObject &server,
                                        bool hasServer) const
{
    Overlay out;
    out.shown = hasServer ? server : QJsonObject();
    bool exists = hasServer;
    for (const PendingOperation &op : m_ops) {
        if (op.recordId != recordId)
            continue;
        out.pending = true;
        if (op.state == State::Conflict) {
            out.conflict = true;
            // Until the user decides, the row shows what they wanted, marked as in conflict.
            if (op.kind == Kind::Delete)
                continue;
        }
        switch (op.kind) {
        case Kind::Create:
            out.shown = op.values;
            out.shown.insert(m_schema.idField, recordId);
            exists = true;
            break;
        case Kind::Update:
            if (!exists && op.state == State::Conflict) {
                // Deleted on the server while being edited: show the edit on what it was.
                out.shown = op.base;
                if (!out.shown.contains(m_schema.idField))
                    out.shown.insert(m_schema.idField, recordId);
                exists = true;
            }
            for (auto it = op.values.begin(); it != op.values.end(); ++it)
                out.shown.insert(it.key(), it.value());
            break;
        case Kind::Delete:
            exists = false;
            break;
        }
    }
    out.visible = exists;
    return out;
}

bool WriteQueue::clashes(const PendingOperation &op, const QJsonObject &theirs) const
{
    const QJsonObject fields = op.kind == Kind::Update ? op.values : op.base;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it.key() == m_schema.idField || it.key() == m_schema.versionField)
            continue;
        const QJsonValue now = theirs.value(it.key());
        if (!sameValue(now, op.base.value(it.key()))
            && (op.kind == Kind::Delete || !sameValue(now, it.value())))
            return true;
    }
    return false;
}

WriteQueue::BaseCheck WriteQueue::compareWithBase(const PendingOperation &op,
                                                  const QJsonObject &current) const
{
    bool unchanged = true;
    if (m_schema.hasVersions()) {
        const qint64 now = m_schema.versionOf(current);
        unchanged = now >= 0 && now == m_schema.versionOf(op.base);
    } else if (const QJsonValue then = op.base.value(u"updated_at"),
               now = current.value(u"updated_at");
               then.isString() && now.isString()) {
        unchanged = then == now; // a weak version: the time of the last change
    } else {
        for (auto it = current.begin(); it != current.end(); ++it) {
            if (!sameValue(it.value(), op.base.value(it.key()))) {
                unchanged = false;
                break;
            }
        }
    }
    if (unchanged)
        return BaseCheck::Unchanged;
    return clashes(op, current) ? BaseCheck::Clash : BaseCheck::OthersChanged;
}

void WriteQueue::holdConflict(PendingOperation op, const QJsonObject &theirs,
                              const RestError &error)
{
    op.state = State::Conflict;
    op.theirs = theirs;
    op.error = error;
    m_held.append(std::move(op));
    persist();
}

std::optional<PendingOperation> WriteQueue::takeHeld(const QString &txnId)
{
    const auto it = std::find_if(m_held.begin(), m_held.end(),
                                 [&](const PendingOperation &op) { return op.txnId == txnId; });
    if (it == m_held.end())
        return std::nullopt;
    PendingOperation op = *it;
    m_held.erase(it);
    persist();
    return op;
}

void WriteQueue::addInFlight(const PendingOperation &op)
{
    if (std::any_of(m_inFlight.cbegin(), m_inFlight.cend(),
                    [&](const PendingOperation &o) { return o.txnId == op.txnId; }))
        return;
    PendingOperation sending = op;
    sending.state = State::Sent;
    m_inFlight.append(std::move(sending));
}

void WriteQueue::settle(const QString &txnId)
{
    m_inFlight.removeIf([&](const PendingOperation &op) { return op.txnId == txnId; });
}

QList<PendingOperation> WriteQueue::conflicts() const
{
    QList<PendingOperation> out = m_held;
    for (const PendingOperation &op : m_ops) {
        if (op.state == State::Conflict)
            out.append(op);
    }
    return out;
}

} // namespace livedesk
