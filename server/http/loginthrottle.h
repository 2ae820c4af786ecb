// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QDeadlineTimer>
#include <QtCore/QHash>
#include <QtCore/QString>
#include <QtNetwork/QHostAddress>

#include <optional>

namespace livedesk::server {

/**
 * Slows down password guessing at `POST /api/auth/login`, per account and per client address.
 *
 * Every sign-in attempt counts as a failure of its account (the e-mail as given, known or not,
 * so that the answers never tell which accounts exist) and of its address until it succeeds.
 * Once an account has had Options::accountFailures failures, or an address
 * Options::addressFailures, each further attempt is refused (429, without checking the
 * password) until a lock ends: Options::baseLockMs after the failure that reached the limit,
 * doubling with every further failure, at most Options::maxLockMs. A success forgets the
 * account's failures (not the address's: one known password must not buy unlimited guesses at
 * other accounts). Failures are forgotten Options::forgetAfterMs after the last one or the end
 * of the lock, whichever is later.
 *
 * IPv6 addresses count per /64 (one host usually owns a whole /64); IPv4-mapped addresses as
 * IPv4. At most Options::maxTracked accounts and as many addresses are remembered; beyond
 * that the ones forgotten soonest make room.
 */
class LoginThrottle
{
public:
    class Options
    {
    public:
        /// Failures of one account before it is locked.
        int accountFailures = 5;
        /// Failures from one address (any accounts) before it is locked.
        int addressFailures = 20;
        /// The first lock; each further failure doubles it.
        qint64 baseLockMs = 30 * 1000;
        qint64 maxLockMs = 15 * 60 * 1000;
        /// Failures are forgotten this long after the last one (or the lock's end).
        qint64 forgetAfterMs = 15 * 60 * 1000;
        /// Accounts, and addresses, remembered at most.
        int maxTracked = 10000;
    };

    explicit LoginThrottle(const Options &options);

    /**
     * Asks whether an attempt for @p account from @p address may check its password now.
     * nullopt: yes, and the attempt is counted as a failure until succeeded() says otherwise.
     * Otherwise the milliseconds until the next attempt may be made (nothing is counted).
     */
    std::optional<qint64> admit(const QString &account, const QHostAddress &address);
    /// The attempt admitted for @p account from @p address had a wrong password: a lock it
    /// caused runs from now, when the client learns of the failure.
    void failed(const QString &account, const QHostAddress &address);
    /// The attempt admitted for @p account from @p address had the right password.
    void succeeded(const QString &account, const QHostAddress &address);

    /// Attempts refused so far because of a lock (for logs and tests).
    qint64 refusedCount() const { return m_refused; }

private:
    class Entry
    {
    public:
        int failures = 0;
        QDeadlineTimer lockedUntil;
        QDeadlineTimer forgetAt;
    };

    static QString addressKey(const QHostAddress &address);
    static std::optional<qint64> lockRemaining(const Entry &entry);
    void countFailure(QHash<QString, Entry> &table, const QString &key, int limit);
    void lock(Entry &entry, int limit) const;
    void makeRoom(QHash<QString, Entry> &table);

    Options m_options;
    QHash<QString, Entry> m_accounts;
    QHash<QString, Entry> m_addresses;
    qint64 m_refused = 0;
};

} // namespace livedesk::server
