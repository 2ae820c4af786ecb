// SPDX-License-Identifier: MIT
#include "state/rowstore.h"

#include "state/recordidset.h"

#include <QtCore/QSet>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace livedesk {

class RowStore::Slot
{
public:
    Slot(const QString &id, bool hasServer, CompactRecord server, CompactRecord shown, int state)
        : state(qint16(state))
        , hasServer(hasServer)
    {
        setId(id);
        if (hasServer)
            this->server = std::move(server);
        setShown(std::move(shown));
    }
    explicit Slot(const Row &row)
        : state(qint16(row.state))
        , hasServer(row.hasServer || row.isPacked())
    {
        Q_ASSERT(row.state >= 0 && row.state <= std::numeric_limits<qint16>::max());
        setId(row.id);
        if (row.isPacked()) {
            server = row.record;
            return;
        }
        if (hasServer)
            server = CompactRecord(row.server);
        // Compared as bytes: QJsonObject's == takes 0 and -0.0, or an integer and a double
        // near it, as equal, and the user's value must not be folded into the server's.
        setShown(CompactRecord(row.shown));
    }

    const CompactRecord &shown() const { return shownOwn ? *shownOwn : server; }
    void setShown(CompactRecord record)
    {
        if (hasServer && record == server)
            shownOwn.reset();
        else
            shownOwn = std::make_unique<CompactRecord>(std::move(record));
    }

    QString id() const { return idText.isNull() ? QString::number(idNumber) : idText; }
    bool hasId(const QString &id) const
    {
        if (idText.isNull()) {
            qint64 n;
            return RecordIdSet::plainNumber(id, &n) && n == idNumber;
        }
        return idText == id;
    }
    void setId(const QString &id)
    {
        if (RecordIdSet::plainNumber(id, &idNumber))
            idText = QString();
        else
            idText = id.isNull() ? QString(u""_s) : id;
    }

    // The record id: idText, or idNumber when that is null.
    QString idText;
    qint64 idNumber = 0;
    CompactRecord server; // empty unless hasServer
    std::unique_ptr<CompactRecord> shownOwn; // null: the row shows server
    // Position in m_rows; trusted below m_indexedBelow only.
    int index = -1;
    qint16 state = 0;
    bool hasServer = false;
};

namespace {

// Indices (into @p seq) of one longest strictly increasing subsequence.
QList<int> longestIncreasing(const QList<int> &seq)
{
    QList<int> tails; // index into seq of the smallest tail of each length
    QList<int> previous(seq.size(), -1);
    for (int i = 0; i < seq.size(); ++i) {
        const auto it = std::lower_bound(tails.begin(), tails.end(), seq[i],
                                         [&](int index, int value) { return seq[index] < value; });
        const int length = int(it - tails.begin());
        if (length > 0)
            previous[i] = tails[length - 1];
        if (it == tails.end())
            tails.append(i);
        else
            *it = i;
    }
    QList<int> out;
    for (int i = tails.isEmpty() ? -1 : tails.last(); i >= 0; i = previous[i])
        out.prepend(i);
    return out;
}

} // namespace

RowStore::RowStore(QObject *parent)
    : QObject(parent)
{
}

RowStore::~RowStore() = default;

RowStore::Row RowStore::at(int row) const
{
    const Slot &r = *m_rows[size_t(row)];
    Row out;
    out.id = r.id();
    out.hasServer = r.hasServer;
    out.server = r.server.toObject();
    out.shown = r.shownOwn ? r.shownOwn->toObject() : out.server;
    out.state = r.state;
    return out;
}

QString RowStore::idAt(int row) const
{
    return m_rows[size_t(row)]->id();
}

bool RowStore::rowHasId(int row, const QString &id) const
{
    return m_rows[size_t(row)]->hasId(id);
}

RowStore::Slot *RowStore::find(const QString &id) const
{
    qint64 n;
    return RecordIdSet::plainNumber(id, &n) ? m_numbered.value(n) : m_named.value(id);
}

void RowStore::addToIndex(Slot *r)
{
    if (r->idText.isNull())
        m_numbered.insert(r->idNumber, r);
    else
        m_named.insert(r->idText, r);
}

void RowStore::unindex(const Slot *r)
{
    if (r->idText.isNull())
        m_numbered.remove(r->idNumber);
    else
        m_named.remove(r->idText);
}

int RowStore::stateAt(int row) const
{
    return m_rows[size_t(row)]->state;
}

bool RowStore::hasServerAt(int row) const
{
    return m_rows[size_t(row)]->hasServer;
}

const CompactRecord &RowStore::shownAt(int row) const
{
    return m_rows[size_t(row)]->shown();
}

const CompactRecord &RowStore::serverAt(int row) const
{
    return m_rows[size_t(row)]->server;
}

int RowStore::indexOf(const QString &id) const
{
    const Slot *r = find(id);
    if (!r)
        return -1;
    if (r->index >= m_indexedBelow)
        reindex();
    return r->index;
}

void RowStore::movedFrom(int row)
{
    m_indexedBelow = std::min(m_indexedBelow, row);
}

void RowStore::reindex() const
{
    for (int i = m_indexedBelow; i < size(); ++i)
        m_rows[size_t(i)]->index = i;
    m_indexedBelow = size();
}

void RowStore::setServer(int row, const QJsonObject &server, bool hasServer)
{
    setServerRecord(row, hasServer ? CompactRecord(server) : CompactRecord(), hasServer);
}

void RowStore::setServer(int row, CompactRecord server)
{
    setServerRecord(row, std::move(server), true);
}

void RowStore::setServerRecord(int row, CompactRecord server, bool hasServer)
{
    Slot &r = *m_rows[size_t(row)];
    CompactRecord shown = r.shown();
    r.hasServer = hasServer;
    r.server = hasServer ? std::move(server) : CompactRecord();
    r.setShown(std::move(shown));
    ++m_generation;
}

bool RowStore::update(int row, const QJsonObject &shown, int state, bool *fieldsChanged)
{
    return updateRecord(row, CompactRecord(shown), state, fieldsChanged);
}

bool RowStore::showServer(int row, int state, bool *fieldsChanged)
{
    const Slot &r = *m_rows[size_t(row)];
    Q_ASSERT(r.hasServer);
    return updateRecord(row, r.server, state, fieldsChanged);
}

bool RowStore::updateRecord(int row, CompactRecord record, int state, bool *fieldsChanged)
{
    Slot &r = *m_rows[size_t(row)];
    Q_ASSERT(state >= 0 && state <= std::numeric_limits<qint16>::max());
    const bool same = record == r.shown();
    if (fieldsChanged)
        *fieldsChanged = !same;
    if (same && state == r.state)
        return false;
    const QStringList fields
        = same ? QStringList() : CompactRecord::changedFields(r.shown(), record);
    const bool stateChanged = state != r.state;
    if (!same)
        r.setShown(std::move(record));
    r.state = qint16(state);
    ++m_generation;
    Q_EMIT rowsChanged(row, row, fields, stateChanged);
    return true;
}

void RowStore::rename(int row, const QString &id)
{
    Slot *r = m_rows[size_t(row)].get();
    unindex(r);
    r->setId(id);
    addToIndex(r);
    ++m_generation;
}

void RowStore::insert(int at, Row row)
{
    Q_EMIT rowsAboutToBeInserted(at, at);
    auto r = std::make_unique<Slot>(row);
    r->index = at;
    addToIndex(r.get());
    m_rows.insert(m_rows.begin() + at, std::move(r));
    movedFrom(at);
    ++m_generation;
    Q_EMIT rowsInserted(at, at);
}

void RowStore::move(int from, int to)
{
    if (from == to)
        return;
    const int destination = to > from ? to + 1 : to;
    Q_EMIT rowsAboutToBeMoved(from, from, destination);
    const auto begin = m_rows.begin();
    if (from < to)
        std::rotate(begin + from, begin + from + 1, begin + to + 1);
    else
        std::rotate(begin + to, begin + from, begin + from + 1);
    // Only the rows in between moved: their positions are set now (those past the watermark
    // were not trusted anyway).
    for (int i = std::min(from, to); i <= std::max(from, to); ++i)
        m_rows[size_t(i)]->index = i;
    ++m_generation;
    Q_EMIT rowsMoved(from, from, destination);
}

void RowStore::remove(int first, int last)
{
    Q_EMIT rowsAboutToBeRemoved(first, last);
    for (int i = first; i <= last; ++i)
        unindex(m_rows[size_t(i)].get());
    m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
    movedFrom(first);
    ++m_generation;
    Q_EMIT rowsRemoved(first, last);
}

void RowStore::clear()
{
    m_rows.clear();
    m_numbered.clear();
    m_named.clear();
    m_indexedBelow = 0;
    ++m_generation;
}

void RowStore::setOrder(Order order)
{
    m_order = std::move(order);
}

int RowStore::sortedPosition(const CompactRecord &shown, const QString &id, int skip) const
{
    // Binary search over the rows without @p skip; the answer is a position in that list,
    // which is the row's index once it is there.
    int low = 0;
    int high = size() - (skip >= 0 ? 1 : 0);
    while (low < high) {
        const int mid = (low + high) / 2;
        const Slot &r = *m_rows[size_t(skip >= 0 && mid >= skip ? mid + 1 : mid)];
        if (m_order(r.shown(), r.id(), shown, id) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

int RowStore::insertPosition(const Row &row) const
{
    if (!isSorted())
        return size();
    return sortedPosition(row.isPacked() ? row.record : CompactRecord(row.shown), row.id);
}

void RowStore::place(int row)
{
    if (!isSorted())
        return;
    const Slot &r = *m_rows[size_t(row)];
    const auto inOrder = [this](const Slot &a, const Slot &b) {
        return m_order(a.shown(), a.id(), b.shown(), b.id()) <= 0;
    };
    const bool afterPrevious = row == 0 || inOrder(*m_rows[size_t(row - 1)], r);
    const bool beforeNext = row + 1 >= size() || inOrder(r, *m_rows[size_t(row + 1)]);
    if (afterPrevious && beforeNext)
        return;
    move(row, sortedPosition(r.shown(), r.id(), row));
}

int RowStore::applyTarget(QList<Row> target)
{
    // Steps 1 and 2 look rows up in the target: none to look up in an empty store (a first
    // read), where building the index would be a third of the work.
    QHash<QString, int> targetIndex;
    if (!m_rows.empty()) {
        targetIndex.reserve(target.size());
        for (int i = 0; i < target.size(); ++i)
            targetIndex.insert(target[i].id, i);
    }

    int changes = 0;
    // 1. Rows the target does not have, from the bottom up, in contiguous ranges.
    for (int i = size() - 1; i >= 0;) {
        if (targetIndex.contains(m_rows[size_t(i)]->id())) {
            --i;
            continue;
        }
        int first = i;
        while (first > 0 && !targetIndex.contains(m_rows[size_t(first - 1)]->id()))
            --first;
        changes += i - first + 1;
        remove(first, i);
        i = first - 1;
    }
    // 2. Rows out of order: keep the longest run already in target order and move each other
    //    row once, in target order, to just after the row that precedes it in the target.
    QList<int> positions;
    positions.reserve(size());
    for (const auto &r : m_rows)
        positions.append(targetIndex.value(r->id()));
    // Nearly always (a reload with nothing moved) the rows are in order already.
    const bool inOrder = std::is_sorted(positions.cbegin(), positions.cend());
    const QList<int> keep = inOrder ? QList<int>() : longestIncreasing(positions);
    if (!inOrder && keep.size() != positions.size()) {
        QSet<QString> movers;
        {
            QList<bool> kept(positions.size(), false);
            for (int k : keep)
                kept[k] = true;
            for (int i = 0; i < size(); ++i) {
                if (!kept[i])
                    movers.insert(m_rows[size_t(i)]->id());
            }
        }
        QString previous; // the last target row that is already a row
        for (const Row &t : std::as_const(target)) {
            const int from = indexOf(t.id);
            if (from < 0)
                continue; // new: inserted below
            if (movers.contains(t.id)) {
                const int after = previous.isEmpty() ? -1 : indexOf(previous);
                const int to = from > after ? after + 1 : after;
                move(from, to);
                ++changes;
            }
            previous = t.id;
        }
    }
    // 3. Walk the target: insert what is missing (in runs), update what changed.
    int j = 0;
    for (int i = 0; i < target.size();) {
        if (j < size() && m_rows[size_t(j)]->hasId(target[i].id)) {
            const Row &t = target[i];
            if (t.isPacked()) {
                setServerRecord(j, t.record, true);
                if (updateRecord(j, t.record, t.state))
                    ++changes;
            } else {
                setServer(j, t.server, t.hasServer);
                if (update(j, t.shown, t.state))
                    ++changes;
            }
            ++i;
            ++j;
            continue;
        }
        int end = i;
        while (end < target.size() && (j >= size() || !m_rows[size_t(j)]->hasId(target[end].id)))
            ++end;
        const int count = end - i;
        Q_EMIT rowsAboutToBeInserted(j, j + count - 1);
        std::vector<std::unique_ptr<Slot>> run;
        run.reserve(size_t(count));
        for (int k = 0; k < count; ++k) {
            run.push_back(std::make_unique<Slot>(target[i + k]));
            run.back()->index = j + k;
            addToIndex(run.back().get());
        }
        m_rows.insert(m_rows.begin() + j, std::make_move_iterator(run.begin()),
                      std::make_move_iterator(run.end()));
        movedFrom(j);
        ++m_generation;
        Q_EMIT rowsInserted(j, j + count - 1);
        changes += count;
        i = end;
        j += count;
    }
    return changes;
}

RowStore::Snapshot RowStore::snapshot() const
{
    Snapshot s;
    s.ids.reserve(m_rows.size());
    s.shown.reserve(m_rows.size());
    for (const auto &r : m_rows) {
        s.ids.push_back(r->id());
        s.shown.push_back(r->shown());
    }
    s.generation = m_generation;
    return s;
}

RowStore::Plan RowStore::plan(Snapshot rows, QList<Row> target)
{
    // The same steps as applyTarget(), worked out on the snapshot.
    Plan p;
    p.generation = rows.generation;
    p.targetIndex.reserve(target.size());
    // A repeated id is left out, the first standing (as the owner's target building does).
    QList<Row> unique;
    unique.reserve(target.size());
    for (Row &r : target) {
        const qsizetype before = p.targetIndex.size();
        int &position = p.targetIndex[r.id];
        if (p.targetIndex.size() == before)
            continue;
        position = int(unique.size());
        unique.append(std::move(r));
    }
    target = std::move(unique);
    const int n = int(rows.ids.size());
    std::vector<int> where(size_t(n), -1); // each row's target position; -1: removed
    for (int i = 0; i < n; ++i)
        where[size_t(i)] = p.targetIndex.value(rows.ids[size_t(i)], -1);
    for (int i = n - 1; i >= 0;) {
        if (where[size_t(i)] >= 0) {
            --i;
            continue;
        }
        int first = i;
        while (first > 0 && where[size_t(first - 1)] < 0)
            --first;
        p.removals.emplace_back(first, i);
        i = first - 1;
    }
    p.held.assign(size_t(target.size()), 0);
    p.same.assign(size_t(target.size()), 0);
    p.fields.resize(size_t(target.size()));
    p.server.resize(size_t(target.size()));
    p.shown.resize(size_t(target.size()));
    for (qsizetype t = 0; t < target.size(); ++t) {
        Row &r = target[t];
        if (r.isPacked()) {
            r.hasServer = true;
            p.server[size_t(t)] = p.shown[size_t(t)] = std::exchange(r.record, {});
            continue;
        }
        if (r.hasServer)
            p.server[size_t(t)] = CompactRecord(r.server);
        // Compared as bytes where it matters (Slot::setShown()), as in the Slot made from a
        // Row: QJsonObject's == may fold the user's value into the server's.
        p.shown[size_t(t)] = CompactRecord(r.shown);
        // Only the compact form is kept from here on.
        r.server = QJsonObject();
        r.shown = QJsonObject();
    }
    QList<int> positions;
    positions.reserve(n);
    for (int i = 0; i < n; ++i) {
        const int t = where[size_t(i)];
        if (t < 0)
            continue;
        positions.append(t);
        p.held[size_t(t)] = 1;
        const CompactRecord &before = rows.shown[size_t(i)];
        if (before == p.shown[size_t(t)])
            p.same[size_t(t)] = 1;
        else
            p.fields[size_t(t)] = CompactRecord::changedFields(before, p.shown[size_t(t)]);
    }
    if (!std::is_sorted(positions.cbegin(), positions.cend())) {
        const QList<int> keep = longestIncreasing(positions);
        std::vector<char> mover(size_t(target.size()), 1);
        for (int k : keep)
            mover[size_t(positions[k])] = 0;
        int previous = -1; // the last target row that is already a row
        for (int t = 0; t < target.size(); ++t) {
            if (!p.held[size_t(t)])
                continue;
            if (mover[size_t(t)])
                p.moves.emplace_back(t, previous);
            previous = t;
        }
    }
    p.target = std::move(target);
    return p;
}

RowStore::Progress RowStore::applyPlan(Plan &plan,
                                       const std::function<int(const QString &id)> &stateOf,
                                       QDeadlineTimer deadline, int maxRows)
{
    using Phase = Plan::Phase;
    if (plan.generation != m_generation)
        return Progress::Stale;
    // Runs longer than this (or than the budget left) are removed or inserted in pieces.
    constexpr int Piece = 1024;
    int budget = std::max(1, maxRows);
    int sinceClock = 0;
    const auto exhausted = [&](int rows) {
        budget -= rows;
        sinceClock += rows;
        if (budget <= 0)
            return true;
        if (sinceClock < 64)
            return false;
        sinceClock = 0;
        return deadline.hasExpired();
    };
    // A public mutator bumps the generation once; more means a slot changed the rows too.
    const auto ownChange = [&] {
        if (m_generation != plan.generation + 1)
            return false;
        plan.generation = m_generation;
        return true;
    };

    while (plan.phase == Phase::Remove) {
        if (plan.cursor == plan.removals.size()) {
            plan.phase = Phase::Move;
            plan.cursor = 0;
            break;
        }
        auto &range = plan.removals[plan.cursor];
        const int first = std::max(range.first, range.second - std::min(Piece, budget) + 1);
        const int last = range.second;
        if (last >= size())
            return Progress::Stale;
        remove(first, last);
        if (!ownChange())
            return Progress::Stale;
        plan.m_changes += last - first + 1;
        if (first == range.first)
            ++plan.cursor;
        else
            range.second = first - 1;
        if (exhausted(last - first + 1))
            return Progress::More;
    }

    while (plan.phase == Phase::Move) {
        if (plan.cursor == plan.moves.size()) {
            plan.phase = Phase::Walk;
            plan.cursor = 0;
            plan.row = 0;
            break;
        }
        const auto [t, previous] = plan.moves[plan.cursor];
        const int from = indexOf(plan.target[t].id);
        const int after = previous < 0 ? -1 : indexOf(plan.target[previous].id);
        if (from < 0 || (previous >= 0 && after < 0))
            return Progress::Stale;
        const int to = from > after ? after + 1 : after;
        if (from != to) {
            move(from, to);
            if (!ownChange())
                return Progress::Stale;
        }
        ++plan.m_changes;
        ++plan.cursor;
        if (exhausted(1))
            return Progress::More;
    }

    if (plan.phase != Phase::Walk)
        return Progress::Done;
    // Changed rows are set silently and announced together: one rowsChanged() per run of
    // neighbouring rows with the same fields and state flag.
    int pendingFirst = -1;
    int pendingLast = -1;
    QStringList pendingFields;
    bool pendingState = false;
    const auto flush = [&] {
        if (pendingFirst < 0)
            return true;
        const int first = std::exchange(pendingFirst, -1);
        Q_EMIT rowsChanged(first, pendingLast, pendingFields, pendingState);
        return m_generation == plan.generation;
    };
    const int count = int(plan.target.size());
    while (plan.cursor < size_t(count)) {
        const int i = int(plan.cursor);
        int j = plan.row;
        if (plan.held[size_t(i)]) {
            if (j >= size() || !m_rows[size_t(j)]->hasId(plan.target[i].id)) {
                flush();
                return Progress::Stale;
            }
            Slot &r = *m_rows[size_t(j)];
            Row &t = plan.target[i];
            const int state = stateOf ? stateOf(t.id) : t.state;
            {
                CompactRecord shown = r.shown();
                r.hasServer = t.hasServer;
                r.server = std::move(plan.server[size_t(i)]);
                r.setShown(std::move(shown));
            }
            const bool same = plan.same[size_t(i)];
            const bool stateChanged = state != r.state;
            plan.generation = ++m_generation;
            if (!same || stateChanged) {
                if (!same)
                    r.setShown(std::move(plan.shown[size_t(i)]));
                r.state = qint16(state);
                ++plan.m_changes;
                const QStringList &fields = plan.fields[size_t(i)];
                if (pendingFirst >= 0 && pendingLast == j - 1 && pendingState == stateChanged
                    && pendingFields == fields) {
                    pendingLast = j;
                } else {
                    if (!flush())
                        return Progress::Stale;
                    pendingFirst = pendingLast = j;
                    pendingFields = fields;
                    pendingState = stateChanged;
                }
            }
            ++plan.cursor;
            plan.row = j + 1;
            if (exhausted(1)) {
                if (!flush())
                    return Progress::Stale;
                if (plan.cursor < size_t(count))
                    return Progress::More;
            }
            continue;
        }
        if (!flush())
            return Progress::Stale;
        int end = i;
        while (end < count && !plan.held[size_t(end)] && end - i < std::min(Piece, budget))
            ++end;
        const int n = end - i;
        Q_EMIT rowsAboutToBeInserted(j, j + n - 1);
        if (m_generation != plan.generation || j > size())
            return Progress::Stale;
        std::vector<std::unique_ptr<Slot>> run;
        run.reserve(size_t(n));
        for (int k = 0; k < n; ++k) {
            Row &t = plan.target[i + k];
            if (stateOf)
                t.state = stateOf(t.id);
            run.push_back(std::make_unique<Slot>(t.id, t.hasServer,
                                                 std::move(plan.server[size_t(i + k)]),
                                                 std::move(plan.shown[size_t(i + k)]), t.state));
            run.back()->index = j + k;
            addToIndex(run.back().get());
        }
        m_rows.insert(m_rows.begin() + j, std::make_move_iterator(run.begin()),
                      std::make_move_iterator(run.end()));
        movedFrom(j);
        plan.generation = ++m_generation;
        Q_EMIT rowsInserted(j, j + n - 1);
        if (m_generation != plan.generation)
            return Progress::Stale;
        plan.m_changes += n;
        plan.cursor = size_t(end);
        plan.row = j + n;
        if (exhausted(n) && plan.cursor < size_t(count))
            return Progress::More;
    }
    if (!flush())
        return Progress::Stale;
    plan.phase = Phase::Done;
    return Progress::Done;
}

} // namespace livedesk
