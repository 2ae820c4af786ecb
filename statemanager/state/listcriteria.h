// SPDX-License-Identifier: MIT
#pragma once

#include "rest/restquery.h"
#include "state/compactrecord.h"
#include "state/resourceschema.h"

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QString>

#include <vector>

namespace livedesk {

/**
 * What a list query selects and in what order, as far as a client can tell from a record
 * (docs/architecture.md, "The state manager", live mode).
 *
 * Live mode puts a pushed record into a list without asking the server, so it must judge the
 * record the way the server's list query would: the filters `col=value` (a repeated key
 * matches any of its values), `col_min` and `col_max` on a column of the schema, with the
 * value typed by the column (ResourceSchema::filterValue()): numbers compare as numbers,
 * booleans as booleans, dates, datetimes and text as text, with case; a null never matches;
 * a record that lacks the field cannot be judged. A search, or a filter the client cannot
 * judge (a column the schema does not know, a value the server would refuse), makes every
 * record Unknown at best: the server decides which fields it searches and how, and a guess
 * would show rows the list does not have or hide rows it has.
 *
 * The order is livedesk-server's: by each sort key in turn, text without case, null first,
 * numbers as numbers; ties by id (numerically when both ids are numbers) in the direction of
 * the last key. A server that sorts otherwise is followed at the next reload.
 *
 * A value: built once per query, then judged against every record an event or a read
 * brings; unit-tested without a server (tst_listcriteria).
 */
class ListCriteria
{
public:
    enum class Membership {
        In, ///< the query selects the record
        Out, ///< it does not
        Unknown, ///< only the server can say (a search, a filter not judged here, a field missing)
    };

    /// Selects everything, in no order.
    ListCriteria() = default;
    ListCriteria(const ResourceSchema &schema, const RestQuery &query);

    Membership membership(const QJsonObject &record) const;
    /// The same, for a record kept compact: reads the filtered fields alone.
    Membership membership(const CompactRecord &record) const;
    /// Every condition of the query can be judged here: a record with every filtered field is
    /// In or Out, never Unknown.
    bool isExact() const { return m_exact; }
    bool isSorted() const { return !m_sort.empty(); }
    /// <0, 0 or >0 as record @p a (id @p aId) comes before, with or after @p b in the
    /// query's order (0 only for the same id).
    int compare(const QJsonObject &a, const QString &aId, const QJsonObject &b,
                const QString &bId) const;
    /// The same, for rows kept compact: reads the sort fields alone.
    int compare(const CompactRecord &a, const QString &aId, const CompactRecord &b,
                const QString &bId) const;

private:
    template<typename Record> Membership membershipAny(const Record &record) const;
    template<typename Record>
    int compareAny(const Record &a, const QString &aId, const Record &b, const QString &bId) const;

    // One `col=value` (any of values), `col_min` or `col_max` filter, values typed as the
    // server reads them.
    class Filter
    {
    public:
        using Op = ResourceSchema::FilterOp;
        QString field;
        Op op = Op::Equals;
        // Compared as numbers (integer, number columns); else booleans or text.
        bool numeric = false;
        QList<QJsonValue> values;

        Membership judge(const QJsonValue &value) const;
    };
    class SortKey
    {
    public:
        QString field;
        bool descending = false;
        // string, text, enum: compared without case.
        bool textual = false;
    };

    std::vector<Filter> m_filters;
    bool m_exact = true;
    std::vector<SortKey> m_sort;
};

} // namespace livedesk
