// SPDX-License-Identifier: MIT
#include "listquery.h"

#include <QtCore/QSet>
#include <QtCore/QUrl>
#include <QtCore/QUrlQuery>

#include <limits>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

QString decodeComponent(QStringView encoded)
{
    QByteArray bytes = encoded.toUtf8();
    bytes.replace('+', ' ');
    return QUrl::fromPercentEncoding(bytes);
}

struct Parser
{
    const ResourceSpec &resource;
    ListQuery query;
    QJsonArray details;
    QSet<QString> seenOnce;
    bool haveSort = false;
    QString sortBy;
    QString sortOrder;

    void problem(const QString &field, const QString &code, const QString &message,
                 const QString &value)
    {
        details.append(ApiError::detail(field, code, message, value));
    }

    bool once(const QString &key, const QString &value)
    {
        if (seenOnce.contains(key)) {
            problem(key, u"INVALID_TYPE"_s, u"%1 may be given only once"_s.arg(key), value);
            return false;
        }
        seenOnce.insert(key);
        return true;
    }

    void parseInt(const QString &key, const QString &value, int min, int max, int *out)
    {
        if (!once(key, value))
            return;
        bool ok = false;
        const qint64 n = value.trimmed().toLongLong(&ok);
        if (!ok) {
            problem(key, u"INVALID_TYPE"_s, u"%1 must be a whole number"_s.arg(key), value);
        } else if (n < min || n > max) {
            problem(key, u"OUT_OF_RANGE"_s,
                    u"%1 must be between %2 and %3"_s.arg(key).arg(min).arg(max), value);
        } else {
            *out = int(n);
        }
    }

    void addSort(const QString &value)
    {
        const auto parts = QStringView(value).split(u',', Qt::SkipEmptyParts);
        for (QStringView part : parts) {
            part = part.trimmed();
            if (part.isEmpty())
                continue;
            QStringView name = part;
            bool descending = false;
            if (const auto colon = part.indexOf(u':'); colon >= 0) {
                name = part.first(colon).trimmed();
                const QStringView dir = part.sliced(colon + 1).trimmed();
                if (dir.compare(u"desc", Qt::CaseInsensitive) == 0) {
                    descending = true;
                } else if (dir.compare(u"asc", Qt::CaseInsensitive) != 0) {
                    problem(u"sort"_s, u"INVALID_TYPE"_s,
                            u"sort direction must be asc or desc, not \"%1\""_s.arg(dir),
                            part.toString());
                    continue;
                }
            }
            if (!resource.column(name)) {
                problem(u"sort"_s, u"UNKNOWN_FIELD"_s,
                        u"cannot sort on unknown field \"%1\""_s.arg(name), part.toString());
                continue;
            }
            query.sort.append({name.toString(), descending});
        }
    }

    void addFields(const QString &value)
    {
        const auto parts = QStringView(value).split(u',', Qt::SkipEmptyParts);
        for (QStringView part : parts) {
            part = part.trimmed();
            if (part.isEmpty())
                continue;
            if (!resource.column(part)) {
                problem(u"fields"_s, u"UNKNOWN_FIELD"_s, u"unknown field \"%1\""_s.arg(part),
                        part.toString());
                continue;
            }
            if (!query.fields.contains(part))
                query.fields.append(part.toString());
        }
    }

    void addFilter(const QString &key, const QString &value)
    {
        const FieldSpec *column = resource.column(key);
        ListQuery::FilterOp op = ListQuery::FilterOp::Equals;
        if (!column) {
            for (const auto &[suffix, suffixOp] :
                 {std::pair{"_min"_L1, ListQuery::FilterOp::Min},
                  std::pair{"_max"_L1, ListQuery::FilterOp::Max}}) {
                if (key.endsWith(suffix)) {
                    column = resource.column(QStringView(key).chopped(suffix.size()));
                    op = suffixOp;
                    break;
                }
            }
        }
        if (!column) {
            problem(key, u"UNKNOWN_FIELD"_s,
                    u"unknown query parameter \"%1\" (not a field of %2)"_s.arg(key, resource.name),
                    value);
            return;
        }
        if (op != ListQuery::FilterOp::Equals) {
            if (!once(key, value))
                return;
            if (!column->isOrdered()) {
                problem(key, u"INVALID_FILTER"_s,
                        u"%1 is a %2 field: _min and _max need an integer, number, date or "
                        "datetime field"_s.arg(column->name, FieldSpec::typeName(column->type)),
                        value);
                return;
            }
        }
        if (value.trimmed().isEmpty())
            return; // an empty form field: no filter
        FieldSpec::Problem why;
        const QJsonValue typed = column->fromText(value, &why);
        if (typed.isUndefined()) {
            problem(key, why.code, why.message, value);
            return;
        }
        if (op == ListQuery::FilterOp::Equals) {
            for (ListQuery::Filter &f : query.filters) {
                if (f.field == column->name && f.op == op) {
                    f.values.append(typed);
                    return;
                }
            }
        }
        query.filters.append({column->name, op, QJsonArray{typed}});
    }

    void take(const QString &key, const QString &value)
    {
        if (key.startsWith(u'_'))
            return;
        if (key.contains(QChar(0)) || value.contains(QChar(0))) {
            problem(key, u"INVALID_TYPE"_s, u"%1 must not contain a NUL character"_s.arg(key),
                    QString(value).replace(QChar(0), u"\\0"_s));
            return;
        }
        const int limit
            = key == "search"_L1 ? ListQuery::maxSearchLength : ListQuery::maxValueLength;
        if (value.size() > limit) {
            problem(key, u"MAX_LENGTH"_s,
                    u"%1 may be at most %2 characters long"_s.arg(key).arg(limit),
                    value.left(64) + u"…"_s);
            return;
        }
        if (key == "page"_L1) {
            parseInt(key, value, 1, std::numeric_limits<int>::max(), &query.page);
        } else if (key == "limit"_L1) {
            parseInt(key, value, 1, ListQuery::maxLimit, &query.limit);
        } else if (key == "sort"_L1) {
            haveSort = true;
            addSort(value);
        } else if (key == "sortBy"_L1) {
            if (once(key, value))
                sortBy = value.trimmed();
        } else if (key == "sortOrder"_L1) {
            if (once(key, value))
                sortOrder = value.trimmed();
        } else if (key == "search"_L1) {
            if (once(key, value))
                query.search = value.trimmed();
        } else if (key == "fields"_L1 || key == "fields[]"_L1) {
            addFields(value);
        } else if ((key == "include"_L1 || key == "include[]"_L1) && !resource.column(key)) {
            // AegisX's related-record loading; there are no relations here to load.
        } else {
            addFilter(key, value);
        }
    }

    StoreResult<ListQuery> finish()
    {
        if (!haveSort && !sortBy.isEmpty())
            addSort(sortOrder.isEmpty() ? sortBy : sortBy + u':' + sortOrder);
        if (!details.isEmpty())
            return ApiError::validation(details);
        if (!query.fields.isEmpty()) {
            query.fields.removeAll(u"id"_s);
            query.fields.prepend(u"id"_s);
        }
        return query;
    }
};

} // namespace

StoreResult<ListQuery> ListQuery::fromQueryString(QStringView encodedQuery,
                                                  const ResourceSpec &resource)
{
    Parser parser{resource, {}, {}, {}, false, {}, {}};
    if (encodedQuery.size() > ListQuery::maxQueryLength) {
        parser.problem(
            u"query"_s, u"MAX_LENGTH"_s,
            u"the query string may be at most %1 characters long"_s.arg(ListQuery::maxQueryLength),
            QString());
        return parser.finish();
    }
    const auto pairs = encodedQuery.split(u'&', Qt::SkipEmptyParts);
    for (const QStringView pair : pairs) {
        const auto eq = pair.indexOf(u'=');
        const QString key = decodeComponent(eq < 0 ? pair : pair.first(eq));
        const QString value = eq < 0 ? QString() : decodeComponent(pair.sliced(eq + 1));
        if (!key.isEmpty())
            parser.take(key, value);
    }
    return parser.finish();
}

StoreResult<ListQuery> ListQuery::fromUrlQuery(const QUrlQuery &query, const ResourceSpec &resource)
{
    return fromQueryString(query.query(QUrl::FullyEncoded), resource);
}

} // namespace livedesk::server
