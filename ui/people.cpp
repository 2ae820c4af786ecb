// SPDX-License-Identifier: MIT
#include "people.h"

#include "state/session.h"

#include <QtCore/QJsonValue>

namespace livedesk {

QString People::nameOf(const QString &userId) const
{
    return Session::displayNameOf(names, userId);
}

QString People::authorOf(const QString &recordId, const QJsonObject &record) const
{
    QString id = record.value(u"updated_by").toVariant().toString();
    if (id.isEmpty() && lastAuthor)
        id = lastAuthor(recordId);
    return id.isEmpty() ? QString() : nameOf(id);
}

} // namespace livedesk
