// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <functional>

namespace livedesk {

/**
 * Who is who, for the sentences of the dialogs that say who changed a record ("Dr. Somchai
 * changed Ward while you were editing it"): the server's user directory (user id → name, the
 * same names the lists show in their author columns) and, for servers whose records do not say
 * who changed them last, who the change events said did.
 *
 * A person the directory does not know is named by their id, as the lists do; an author
 * nobody knows is an empty string, and the sentence then says "someone else".
 */
class People
{
public:
    /// User id → name (Session::userNames()).
    QHash<QString, QString> names;
    /// Who made the last change to a record, by record id, according to the change events
    /// (empty when unknown). Optional.
    std::function<QString(const QString &recordId)> lastAuthor;

    /// @p userId as a person reads it: the directory's name, else the id itself
    /// (Session::displayNameOf(), the rule of every name shown).
    QString nameOf(const QString &userId) const;
    /// Who made @p record (of @p recordId) what it is, by name: its `updated_by` (livedesk-
    /// server and AegisX tables with audit columns), else the author of the last change event
    /// about it; empty when neither says.
    QString authorOf(const QString &recordId, const QJsonObject &record) const;
};

} // namespace livedesk
