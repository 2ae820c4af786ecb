// SPDX-License-Identifier: MIT
#pragma once

#include "rest/resterror.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace livedesk {

/**
 * A local change in live mode, from the moment the user makes it until the server has
 * confirmed or refused it (docs/architecture.md, "The state manager").
 *
 * The change is shown at once; the operation remembers what is needed to send it (kind,
 * record, values, the version it was based on), to recognise its echo (txnId, sent as
 * `X-Client-Txn-Id`), to roll it back, and to explain a conflict field by field: @c base (the
 * values the user started from), @c values (theirs: mine) and @c theirs (the server's record
 * when the conflict was found). Operations are plain data so that the offline queue can store
 * them (toJson() / fromJson()).
 */
class PendingOperation
{
public:
    enum class Kind { Create, Update, Delete };
    enum class State {
        Pending, ///< waiting to be sent (offline, or behind another operation on the record)
        Sent, ///< the request is on its way
        Confirmed, ///< the server accepted it (kept only until the change is applied)
        Failed, ///< the server refused it; rolled back
        Conflict, ///< the record changed on the server meanwhile; the user decides
    };

    /// Client transaction id, unique per operation (a UUID).
    QString txnId;
    Kind kind = Kind::Update;
    State state = State::Pending;
    /// The record's id; for a create, a local id (`local:<txnId>`) until the server gives one.
    QString recordId;
    /// Create: every value given; update: the changed fields only; delete: empty.
    QJsonObject values;
    /// The whole record before the change, as the user saw it (update, delete), so that a
    /// record deleted on the server meanwhile can be shown and created again with every field.
    /// After "keep mine", the server's record the change is sent on top of.
    QJsonObject base;
    /// The record version the change was made on (-1: unknown or no versions).
    qint64 baseVersion = -1;
    /// An edit made on a form that showed @c base (RealtimeStateManager::updateRecord() with a
    /// base): whatever the server has now is compared with @c base before the change is
    /// sent, also against servers without versions (which are read first), so that someone
    /// else's change to the same field made while the form was open becomes a conflict.
    bool checkBase = false;
    /// The server's record when a conflict was found (empty: deleted on the server).
    QJsonObject theirs;
    /// The server's refusal (Failed) or the 409 (Conflict).
    RestError error;
    /// Times sent (a replay after a lost answer counts again).
    int attempts = 0;
    /// Times sent again on top of a newer record of the server that someone else had changed
    /// in other fields only (bounded; not stored).
    int rebases = 0;

    bool isLocalCreate() const { return kind == Kind::Create; }
    /// Fields where mine, theirs and base disagree such that both sides changed them: the
    /// fields to show in a conflict dialog. For a record deleted on the server, every field.
    QStringList conflictingFields() const;

    QJsonObject toJson() const;
    static PendingOperation fromJson(const QJsonObject &json, bool *ok = nullptr);
    static QString kindName(Kind kind);
    static QString stateName(State state);
    static QString localId(const QString &txnId) { return QStringLiteral("local:") + txnId; }
};

} // namespace livedesk
