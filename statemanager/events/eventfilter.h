// SPDX-License-Identifier: MIT
#pragma once

#include "events/realtimeevent.h"

#include <QtCore/QRegularExpression>

namespace livedesk {

/**
 * Selects events by feature, entity and action, each an exact name or a wildcard pattern
 * (`*` alone matches anything, `pat*`/`*ient` glob within the segment).
 *
 * Written as one string `feature.entity.action`; missing trailing segments mean `*`, so
 * `patients` selects every event of the patients feature. An operation event matches a
 * feature pattern also through its refreshTargets, so a list reloads after a long operation
 * that touched it.
 */
class EventFilter
{
public:
    EventFilter() = default; ///< Matches everything.
    explicit EventFilter(const QString &pattern);
    EventFilter(const QString &feature, const QString &entity, const QString &action);

    bool matches(const RealtimeEvent &event) const;
    QString pattern() const;

private:
    class Segment
    {
    public:
        explicit Segment(const QString &pattern = {});
        bool matches(const QString &value) const;
        QString text;
        bool any = true;
        bool glob = false;
        QRegularExpression re;
    };
    Segment m_feature;
    Segment m_entity;
    Segment m_action;
};

} // namespace livedesk
