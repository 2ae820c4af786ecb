// SPDX-License-Identifier: MIT
#include "state/listcriteria.h"

#include <QtCore/QSet>
#include <QtCore/QVariant>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk {

ListCriteria::ListCriteria(const ResourceSchema &schema, const RestQuery &query)
{
    static const QSet<QString> queryKeys{u"page"_s,      u"limit"_s,    u"sort"_s,   u"sortBy"_s,
                                         u"sortOrder"_s, u"search"_s,   u"fields"_s, u"fields[]"_s,
                                         u"include"_s,   u"include[]"_s};
    m_exact = query.search.trimmed().isEmpty();
    for (const auto &[key, text] : query.filters) {
        if (key.startsWith(u'_'))
            continue; // the server ignores these (cache busters)
        const auto [column, op] = schema.filterKey(key);
        if (!column || queryKeys.contains(key)) {
            m_exact = false;
            continue;
        }
        if (text.trimmed().isEmpty())
            continue; // an empty form field: no filter, for the server too
        const QJsonValue typed = ResourceSchema::filterValue(*column, text);
        if (typed.isUndefined()
            || (op != ResourceSchema::FilterOp::Equals && !ResourceSchema::isOrdered(*column))) {
            m_exact = false; // the server refuses the query: its answer decides
            continue;
        }
        Filter filter;
        filter.op = op;
        filter.field = column->name;
        filter.numeric = column->type == u"integer" || column->type == u"number";
        filter.values.append(typed);
        const auto same = std::find_if(m_filters.begin(), m_filters.end(), [&](const Filter &f) {
            return f.field == filter.field && f.op == ResourceSchema::FilterOp::Equals
                && filter.op == ResourceSchema::FilterOp::Equals;
        });
        if (same != m_filters.end())
            same->values.append(typed); // a repeated key matches any of its values
        else
            m_filters.push_back(std::move(filter));
    }
    for (const auto &[field, order] : query.sort) {
        SortKey key;
        key.field = field;
        key.descending = order == Qt::DescendingOrder;
        const ResourceSchema::Column *column = schema.column(field);
        key.textual = column
            && (column->type == u"string" || column->type == u"text" || column->type == u"enum");
        m_sort.push_back(std::move(key));
    }
}

ListCriteria::Membership ListCriteria::membership(const QJsonObject &record) const
{
    return membershipAny(record);
}

ListCriteria::Membership ListCriteria::membership(const CompactRecord &record) const
{
    return membershipAny(record);
}

template<typename Record>
ListCriteria::Membership ListCriteria::membershipAny(const Record &record) const
{
    Membership result = m_exact ? Membership::In : Membership::Unknown;
    for (const Filter &filter : m_filters) {
        const Membership m = filter.judge(record.value(filter.field));
        if (m == Membership::Out)
            return m;
        if (m == Membership::Unknown)
            result = m;
    }
    return result;
}

ListCriteria::Membership ListCriteria::Filter::judge(const QJsonValue &value) const
{
    if (value.isUndefined())
        return Membership::Unknown; // the record does not say
    if (value.isNull())
        return Membership::Out; // SQL: null equals and bounds nothing
    // -1, 0, 1; 2 when the two cannot be compared as the server would.
    const auto compare = [this](const QJsonValue &a, const QJsonValue &b) {
        if (numeric) {
            if (!a.isDouble())
                return 2;
            return a.toDouble() < b.toDouble() ? -1 : (a.toDouble() > b.toDouble() ? 1 : 0);
        }
        if (b.isBool())
            return a.isBool() ? int(a.toBool()) - int(b.toBool()) : 2;
        if (!a.isString())
            return 2;
        const int c = a.toString().compare(b.toString());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    };
    bool unknown = false;
    for (const QJsonValue &v : values) {
        const int c = compare(value, v);
        if (c == 2) {
            unknown = true;
            continue;
        }
        const bool ok = op == Op::Equals ? c == 0 : (op == Op::AtLeast ? c >= 0 : c <= 0);
        if (ok && op == Op::Equals)
            return Membership::In; // any of the values
        if (!ok && op != Op::Equals)
            return Membership::Out;
    }
    if (unknown)
        return Membership::Unknown;
    return op == Op::Equals ? Membership::Out : Membership::In;
}

int ListCriteria::compare(const QJsonObject &a, const QString &aId, const QJsonObject &b,
                          const QString &bId) const
{
    return compareAny(a, aId, b, bId);
}

int ListCriteria::compare(const CompactRecord &a, const QString &aId, const CompactRecord &b,
                          const QString &bId) const
{
    return compareAny(a, aId, b, bId);
}

template<typename Record>
int ListCriteria::compareAny(const Record &a, const QString &aId, const Record &b,
                             const QString &bId) const
{
    const auto compareValues = [](const QJsonValue &x, const QJsonValue &y, bool textual) {
        const bool xNull = x.isNull() || x.isUndefined();
        const bool yNull = y.isNull() || y.isUndefined();
        if (xNull || yNull)
            return int(yNull) - int(xNull); // null first
        if (x.isDouble() && y.isDouble())
            return x.toDouble() < y.toDouble() ? -1 : (x.toDouble() > y.toDouble() ? 1 : 0);
        if (x.isBool() && y.isBool())
            return int(x.toBool()) - int(y.toBool());
        const QString xs = x.isString() ? x.toString() : x.toVariant().toString();
        const QString ys = y.isString() ? y.toString() : y.toVariant().toString();
        return xs.compare(ys, textual ? Qt::CaseInsensitive : Qt::CaseSensitive);
    };
    for (const SortKey &key : m_sort) {
        const int c = compareValues(a.value(key.field), b.value(key.field), key.textual);
        if (c != 0)
            return key.descending ? -c : c;
    }
    bool aNumeric = false;
    bool bNumeric = false;
    const qlonglong an = aId.toLongLong(&aNumeric);
    const qlonglong bn = bId.toLongLong(&bNumeric);
    const int c = aNumeric && bNumeric ? (an < bn ? -1 : (an > bn ? 1 : 0)) : aId.compare(bId);
    return !m_sort.empty() && m_sort.back().descending ? -c : c;
}

} // namespace livedesk
