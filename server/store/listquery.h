// SPDX-License-Identifier: MIT
#pragma once

#include "resourcespec.h"
#include "storeresult.h"

#include <QtCore/QJsonArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

QT_BEGIN_NAMESPACE
class QUrlQuery;
QT_END_NAMESPACE

namespace livedesk::server {

/**
 * An AegisX list query (docs/protocol.md), parsed and checked against one resource.
 *
 * Parameters:
 *  - `page`: 1-based, default 1. `limit`: 1..1000, default 20. Anything else is an error,
 *    not silently clamped: a client asking for 5000 rows must learn it gets fewer.
 *  - `sort=field:asc,other:desc` (direction optional, asc by default); several `sort` keys
 *    append. Declared and system fields (id, version, created_at, ...) can be sorted on; text
 *    sorts without case; id ascending always breaks ties so that paging is stable. The legacy
 *    AegisX pair `sortBy` + `sortOrder` is understood when `sort` is absent.
 *  - `search`: a substring matched (case-insensitively for ASCII) in the search fields
 *    (ResourceSpec::searchFields); `%`, `_` and `\` in it are literal.
 *  - `fields=a&fields=b` or `fields=a,b`: the columns to return; `id` is always included.
 *  - `col=value`: equality, the value read as FieldSpec::fromText does (booleans true/false,
 *    dates YYYY-MM-DD, ...). Repeating the key matches any of the values. An empty value
 *    means "no filter", as forms send it.
 *  - `col_min=v`, `col_max=v`: inclusive bounds, for integer, number, date and datetime
 *    columns (id, version, created_at and updated_at too).
 *
 * Unknown parameters are a `VALIDATION_ERROR` with code `UNKNOWN_FIELD`, not ignored as
 * AegisX does: a misspelt filter that is silently dropped returns the wrong rows, which on a
 * ward list is worse than an error. Ignored are AegisX's `include` (related records; there are
 * no relations here) and parameters starting with `_` (cache busters such as jQuery's `_=`).
 * A field named like a query key (page, limit, sort, ...) cannot be filtered on. All problems
 * are reported at once in the error's details.
 *
 * Limits, each a `VALIDATION_ERROR` with code `MAX_LENGTH` that names the limit: `search` at
 * most maxSearchLength characters (longer than any searchable value, and far below what
 * SQLite refuses as a too complex LIKE pattern), each other value at most maxValueLength, the
 * whole query string (still encoded) at most maxQueryLength bytes (detail field `query`). A NUL
 * character in a key or value is refused (`INVALID_TYPE`): SQLite would end the text there
 * and answer another question than the one asked.
 *
 * In the URL, `+` means a space (HTML form encoding, as Fastify reads it); a literal plus
 * must be sent as `%2B`.
 */
class ListQuery
{
public:
    static constexpr int defaultLimit = 20;
    static constexpr int maxLimit = 1000;
    /// Characters of `search`.
    static constexpr int maxSearchLength = 200;
    /// Characters of any other parameter's value (a filter, sort or fields list).
    static constexpr int maxValueLength = 1000;
    /// Characters of the whole query string, percent-encoded as sent.
    static constexpr int maxQueryLength = 8192;

    struct SortKey
    {
        QString field;
        bool descending = false;
    };

    enum class FilterOp {
        Equals, ///< column equals one of values
        Min, ///< column >= values[0]
        Max, ///< column <= values[0]
    };

    struct Filter
    {
        QString field;
        FilterOp op = FilterOp::Equals;
        /// Typed, normalized values (FieldSpec::normalized); one for Min and Max.
        QJsonArray values;
    };

    int page = 1;
    int limit = defaultLimit;
    QList<SortKey> sort;
    QString search;
    /// Requested columns (id first); empty means all.
    QStringList fields;
    QList<Filter> filters;

    /// Rows to skip: (page - 1) * limit.
    qint64 offset() const { return qint64(page - 1) * limit; }

    /// Parses @p query for @p resource; a `VALIDATION_ERROR` lists every bad parameter.
    static StoreResult<ListQuery> fromUrlQuery(const QUrlQuery &query,
                                               const ResourceSpec &resource);
    /// The same from the query part of a URL (without '?'), still percent-encoded.
    static StoreResult<ListQuery> fromQueryString(QStringView encodedQuery,
                                                  const ResourceSpec &resource);
};

} // namespace livedesk::server
