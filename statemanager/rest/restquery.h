// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrlQuery>

#include <utility>

namespace livedesk {

/**
 * The parameters of an AegisX list request (docs/protocol.md): `page` (1-based), `limit` (at most
 * 1000), `sort=field:asc,other:desc`, `search`, `fields` as repeated keys, and filters
 * `col=value`, `col_min`, `col_max`.
 */
class RestQuery
{
public:
    int page = 1;
    int limit = 100;
    /// Sort keys in order: field name and direction.
    QList<std::pair<QString, Qt::SortOrder>> sort;
    QString search;
    /// Only these fields (empty: all).
    QStringList fields;
    /// `col=value`, `col_min=value`, `col_max=value`, in order.
    QList<std::pair<QString, QString>> filters;

    /// The query string; empty members are left out, `page` and `limit` always present.
    QUrlQuery toUrlQuery() const;
};

} // namespace livedesk
