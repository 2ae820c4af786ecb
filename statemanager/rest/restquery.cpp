// SPDX-License-Identifier: MIT
#include "rest/restquery.h"

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

// QUrlQuery takes values half-encoded: it keeps "%XX" sequences and never encodes '+', which
// servers decode as a space. Encode both so that "a+b" and "50%" arrive as typed.
QString queryValue(const QString &value)
{
    QString v = value;
    v.replace(u'%', u"%25"_s);
    v.replace(u'+', u"%2B"_s);
    return v;
}

} // namespace

QUrlQuery RestQuery::toUrlQuery() const
{
    QUrlQuery q;
    q.addQueryItem(u"page"_s, QString::number(page));
    q.addQueryItem(u"limit"_s, QString::number(limit));
    if (!sort.isEmpty()) {
        QStringList keys;
        for (const auto &[field, order] : sort)
            keys.append(field + (order == Qt::DescendingOrder ? u":desc"_s : u":asc"_s));
        q.addQueryItem(u"sort"_s, queryValue(keys.join(u',')));
    }
    if (!search.isEmpty())
        q.addQueryItem(u"search"_s, queryValue(search));
    for (const QString &field : fields)
        q.addQueryItem(u"fields"_s, queryValue(field));
    for (const auto &[key, value] : filters)
        q.addQueryItem(queryValue(key), queryValue(value));
    return q;
}

} // namespace livedesk
