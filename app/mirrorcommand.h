// SPDX-License-Identifier: MIT
#pragma once

#include "state/realtimestatemanager.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>

#include <cstdio>
#include <memory>

namespace livedesk {

class ApiClient;
class RealtimeChannel;
class RestError;
class SocketIoClient;

/**
 * `livedesk-cli mirror` and `livedesk-cli create|update|delete`: the state manager without a
 * window, for scripts, tests and operators (README.md documents both).
 *
 * `mirror` keeps a copy of one resource through RealtimeStateManager and writes a snapshot
 * (`{"records":[...sorted by id...], "counters":{...}, "state":{...}}`) to a file after the
 * stream has been quiet for --idle-ms and on SIGTERM/Ctrl-C, then exits 0. The write commands
 * make one change through the same manager (so live mode's pending operation, conflicts and
 * offline queue apply) and print its outcome as one JSON line.
 *
 * Exit codes: 0 done, 1 the server refused the change, 2 usage, 3 sign-in or schema refused,
 * 4 unreachable (nothing was changed), 5 the change was sent but not answered within
 * --wait-ms (it may or may not have been applied), 6 the change is in conflict (mine / theirs /
 * base are printed), 7 the change is queued (live mode with --queue) but was never sent, 8 the
 * mirror ended with data that may be out of date (the snapshot's `staleSince` says since when).
 *
 * A write never fails for a reason the user did not cause: it waits for the connection (at
 * most --wait-ms) before it goes out. In live mode with --queue it is stored at once when the
 * server cannot be reached, and the next run with the same file sends it, with its txn id; an
 * unanswered one stays there too. `update --expect field=value` bases the change on what the
 * script read: a field it sets that the server holds otherwise is a conflict.
 *
 * `mirror --idle-ms` waits for a lost connection, but not for ever: once it has been down for
 * the idle time (and at least for a server restart, ReconnectGraceMs) the snapshot is written
 * as it is and the command ends with 8.
 *
 * With --user and --password the command signs in again by itself when the server stops
 * accepting the token and cannot renew it (a refresh answered 500, a token refused at a
 * reconnect); with --token the data is marked stale instead and the command ends with 8.
 */
class MirrorCommand : public QObject
{
    Q_OBJECT

public:
    enum ExitCode {
        Ok = 0,
        Refused = 1,
        Usage = 2,
        AuthFailed = 3,
        Unreachable = 4,
        Unconfirmed = 5,
        Conflict = 6,
        Queued = 7,
        Stale = 8,
    };

    explicit MirrorCommand(QObject *parent = nullptr);
    ~MirrorCommand() override;

    /// Parses the arguments after the command word (@p command: mirror, create, update or
    /// delete); prints usage and returns false on error.
    bool configure(const QString &command, const QStringList &arguments);
    void start();
    /// SIGTERM / Ctrl-C: writes the snapshot (mirror) and finishes with Ok, or Stale when
    /// the mirror's data may be out of date.
    void stop();

Q_SIGNALS:
    void finished(int exitCode);

private:
    // mirror --idle-ms: a lost connection is waited for at least this long, whatever the idle
    // time: a server restart takes seconds, and reconnection attempts back off to 5 s apart.
    static constexpr int ReconnectGraceMs = 10000;

    void signIn();
    void loadSchema();
    void startManager(const ResourceSchema &schema);
    // --rest-path, --feature and --entity over @p schema.
    ResourceSchema adjusted(ResourceSchema schema) const;
    void onSynced();
    // Writes once the rows are read and (HIS mode) the socket is up, or when --wait-ms ends.
    void maybeWrite();
    void writeDeadline();
    // The server cannot be reached before anything was read: queue the write (live mode with
    // --queue) on the schema at hand, or give up.
    void unreachable(const QString &message);
    // The token is refused and cannot be renewed: sign in again with --user / --password.
    void signInAgain(const QString &why, bool reopenSocket);
    void runWrite();
    // update --expect: the held record with the expected values put in.
    QJsonObject expectedBase() const;
    void printConfirmed(const QString &txnId, const QString &id);
    void writeFailed(const QString &txnId, const RestError &error);
    // Sent, no answer: it may have been applied.
    void printUnconfirmed(const QString &why);
    // The idle timer while the connection is down: false while it may still come back.
    bool waitedForTheConnection();
    void writeSnapshot();
    void finish(int code);
    void print(const QJsonObject &line);

    QString m_command;
    QUrl m_url;
    QString m_path = QStringLiteral("/api/ws/");
    QString m_token;
    QString m_user;
    // The server asks the socket for fresh tokens (auth:expiring): hand it every new one.
    bool m_socketRenews = false;
    QString m_password;
    QString m_resource;
    QString m_schemaFile;
    QString m_restPath;
    QString m_feature;
    QString m_entity;
    QString m_snapshot;
    QString m_queue;
    QString m_recordId;
    QJsonObject m_values;
    QJsonObject m_expected;
    int m_idleMs = -1;
    int m_waitMs = 15000;
    RealtimeStateManager::Mode m_mode = RealtimeStateManager::Mode::His;

    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<SocketIoClient> m_client;
    std::unique_ptr<RealtimeChannel> m_channel;
    std::unique_ptr<RealtimeStateManager> m_manager;
    QTimer m_idle;
    QTimer m_deadline;
    QTimer m_signInRetry;
    // Since when the socket is not connected (invalid while it is).
    QElapsedTimer m_downSince;
    int m_signInFailures = 0;
    bool m_signingIn = false;
    bool m_synced = false;
    QString m_txnId;
    bool m_wrote = false;
    // The write went out at least once (the server may have applied it).
    bool m_sent = false;
    bool m_reportedQueued = false;
    bool m_done = false;
    QTextStream m_out{stdout};
    QTextStream m_err{stderr};
};

} // namespace livedesk
