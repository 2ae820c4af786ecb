// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QList>

namespace livedesk::server {

class ResourceSpec;

/**
 * Deterministic demo rows for a resource, from the `demo` object of its schema entry, so a
 * fresh `./dev run` shows a realistic ward the same way every time.
 *
 * `demo`: `{"count": N, "seed": S, "fields": {field: hint}}`. Hints: `{"pick": [..]}`,
 * `{"pattern": "HN{seq:000000}", "start": 100001, "modulo": 300}` (pattern parts
 * `{seq:000}`, `{int:lo:hi}`, `{pick:a,b,c}`), `{"personName": true}`, `{"from": date,
 * "to": date}` for dates and datetimes. Fields without a hint get a value by type (enums
 * pick among their values, booleans are mostly false, dates fall in the last two years);
 * plain strings without a hint are left empty.
 */
class DemoData
{
public:
    /// The rows for @p resource; @p salt varies the data per tenant.
    static QList<QJsonObject> rows(const ResourceSpec &resource, int salt = 0);
};

} // namespace livedesk::server
