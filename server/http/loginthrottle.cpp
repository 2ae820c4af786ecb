// SPDX-License-Identifier: MIT
#include "loginthrottle.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk::server {

LoginThrottle::LoginThrottle(const Options &options)
    : m_options(options)
{
}

QString LoginThrottle::addressKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4).toString();
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return address.toString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    std::fill(bytes.c + 8, bytes.c + 16, quint8(0));
    return QHostAddress(bytes).toString() + u"/64"_s;
}

std::optional<qint64> LoginThrottle::lockRemaining(const Entry &entry)
{
    if (entry.lockedUntil.isForever() || entry.lockedUntil.hasExpired())
        return std::nullopt;
    return std::max<qint64>(1, entry.lockedUntil.remainingTime());
}

std::optional<qint64> LoginThrottle::admit(const QString &account, const QHostAddress &address)
{
    const QString where = addressKey(address);
    for (auto *table : {&m_accounts, &m_addresses}) {
        const auto it = table->find(table == &m_accounts ? account : where);
        if (it != table->end() && it->forgetAt.hasExpired())
            table->erase(it);
    }
    std::optional<qint64> wait;
    if (const auto it = m_accounts.constFind(account); it != m_accounts.cend())
        wait = lockRemaining(*it);
    if (const auto it = m_addresses.constFind(where); it != m_addresses.cend()) {
        if (const auto more = lockRemaining(*it))
            wait = std::max(wait.value_or(0), *more);
    }
    if (wait) {
        ++m_refused;
        return wait;
    }
    countFailure(m_accounts, account, m_options.accountFailures);
    countFailure(m_addresses, where, m_options.addressFailures);
    return std::nullopt;
}

void LoginThrottle::countFailure(QHash<QString, Entry> &table, const QString &key, int limit)
{
    if (!table.contains(key) && table.size() >= m_options.maxTracked)
        makeRoom(table);
    Entry &entry = table[key];
    ++entry.failures;
    lock(entry, limit);
}

void LoginThrottle::lock(Entry &entry, int limit) const
{
    qint64 lockMs = 0;
    if (entry.failures >= limit) {
        const int doublings = std::min(entry.failures - limit, 30);
        lockMs = std::min(m_options.maxLockMs, m_options.baseLockMs << doublings);
        entry.lockedUntil = QDeadlineTimer(lockMs);
    }
    entry.forgetAt = QDeadlineTimer(lockMs + m_options.forgetAfterMs);
}

void LoginThrottle::failed(const QString &account, const QHostAddress &address)
{
    if (const auto it = m_accounts.find(account); it != m_accounts.end())
        lock(*it, m_options.accountFailures);
    if (const auto it = m_addresses.find(addressKey(address)); it != m_addresses.end())
        lock(*it, m_options.addressFailures);
}

void LoginThrottle::succeeded(const QString &account, const QHostAddress &address)
{
    m_accounts.remove(account);
    // The attempt was counted against the address when admitted; it was no guess after all.
    const auto it = m_addresses.find(addressKey(address));
    if (it != m_addresses.end() && it->failures > 0 && lockRemaining(*it) == std::nullopt)
        --it->failures;
}

void LoginThrottle::makeRoom(QHash<QString, Entry> &table)
{
    for (auto it = table.begin(); it != table.end();)
        it = it->forgetAt.hasExpired() ? table.erase(it) : std::next(it);
    if (table.size() < m_options.maxTracked)
        return;
    auto soonest = table.begin();
    for (auto it = table.begin(); it != table.end(); ++it) {
        if (it->forgetAt < soonest->forgetAt)
            soonest = it;
    }
    table.erase(soonest);
}

} // namespace livedesk::server
