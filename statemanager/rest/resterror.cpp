// SPDX-License-Identifier: MIT
#include "rest/resterror.h"

using namespace Qt::StringLiterals;

namespace livedesk {

bool RestError::isNetworkError() const
{
    return code == u"NETWORK_ERROR" || code == u"TIMEOUT";
}

QJsonObject RestError::currentRecord() const
{
    if (!current.isEmpty())
        return current;
    // Servers that put the record itself in details.
    if (code == u"VERSION_CONFLICT" && details.isObject())
        return details.toObject();
    return {};
}

QJsonArray RestError::fieldErrors() const
{
    QJsonArray out;
    const QJsonArray list = details.toArray();
    for (const QJsonValue &v : list) {
        if (v.isObject())
            out.append(v);
    }
    return out;
}

QString RestError::toString() const
{
    if (isNull())
        return {};
    QString text = message.isEmpty() ? code : QString(message + u" ("_s + code + u')');
    const QJsonArray fields = fieldErrors();
    QStringList parts;
    for (const QJsonValue &v : fields) {
        const QJsonObject o = v.toObject();
        const QString field = o.value(u"field").toString();
        const QString said = o.value(u"message").toString();
        if (field.isEmpty() && said.isEmpty())
            continue;
        parts.append(field.isEmpty() ? said : QString(field + u": "_s + said));
    }
    if (!parts.isEmpty())
        text += u": "_s + parts.join(u"; "_s);
    return text;
}

} // namespace livedesk
