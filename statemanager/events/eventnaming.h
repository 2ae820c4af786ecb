// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

namespace livedesk {

/**
 * The one place for how AegisX spells the names of a resource, so that a list hears the
 * events meant for it whichever spelling a server, a schema file or a person used.
 *
 * AegisX backends are inconsistent by construction: a resource called `lab_orders` in the
 * database is `lab-orders` in its URL, `labOrders` in import and bulk events, and its events
 * name the entity in the singular (`users.user.created`, `patients.patient.updated`) while
 * the feature is plural. So:
 *
 * - sameName(): kebab, snake and camel case are one name (`lab-orders` = `lab_orders` =
 *   `labOrders` = `Lab Orders`);
 * - sameEntity(): the same, and singular and plural are one name as well (`patient` ~
 *   `patients`, `category` ~ `categories`, `status` ~ `statuses`).
 *
 * Matching is done on words, not on raw text, and only the last word is singularised: that
 * is where English puts the plural of a compound name (`lab-orders`, `budget-plans`).
 */
class EventNaming
{
public:
    /// The words of @p name, lower case, joined by `_`: `labOrders` and `lab-orders` are both
    /// `lab_orders`.
    static QString normalized(QStringView name);
    /// normalized() with the last word in the singular: `lab_orders` → `lab_order`.
    static QString singular(QStringView name);
    /// Whether @p a and @p b name the same thing, case and separators aside. Empty names are
    /// never the same as anything.
    static bool sameName(QStringView a, QStringView b);
    /// sameName(), with singular and plural taken as one.
    static bool sameEntity(QStringView a, QStringView b);
};

} // namespace livedesk
