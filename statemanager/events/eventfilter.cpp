// SPDX-License-Identifier: MIT
#include "events/eventfilter.h"

using namespace Qt::StringLiterals;

namespace livedesk {

EventFilter::Segment::Segment(const QString &pattern)
    : text(pattern.isEmpty() ? u"*"_s : pattern)
    , any(pattern.isEmpty() || pattern == u"*")
    , glob(!any && (pattern.contains(u'*') || pattern.contains(u'?')))
{
    if (glob)
        re = QRegularExpression::fromWildcard(pattern, Qt::CaseSensitive);
}

bool EventFilter::Segment::matches(const QString &value) const
{
    if (any)
        return true;
    if (glob)
        return re.match(value).hasMatch();
    return value == text;
}

EventFilter::EventFilter(const QString &pattern)
{
    const QStringList parts = pattern.split(u'.');
    m_feature = Segment(parts.value(0));
    m_entity = Segment(parts.value(1));
    m_action = Segment(parts.value(2));
}

EventFilter::EventFilter(const QString &feature, const QString &entity, const QString &action)
    : m_feature(feature)
    , m_entity(entity)
    , m_action(action)
{
}

bool EventFilter::matches(const RealtimeEvent &event) const
{
    if (!m_entity.matches(event.entity) || !m_action.matches(event.action))
        return false;
    if (m_feature.matches(event.feature))
        return true;
    for (const auto &target : event.refreshTargets) {
        if (m_feature.matches(target))
            return true;
    }
    return false;
}

QString EventFilter::pattern() const
{
    return m_feature.text + u'.' + m_entity.text + u'.' + m_action.text;
}

} // namespace livedesk
