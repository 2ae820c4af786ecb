// SPDX-License-Identifier: MIT
#include "socketio/backoff.h"

#include <QtCore/QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace livedesk {

Backoff::Backoff(int minMs, int maxMs, double jitter, double factor)
    : m_minMs(std::max(1, minMs))
    , m_maxMs(std::max(m_minMs, maxMs))
    , m_jitter(std::clamp(jitter, 0.0, 1.0))
    , m_factor(std::max(1.0, factor))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
}

int Backoff::next()
{
    // Cap the exponent so a long outage cannot overflow the double.
    // Capped before the jitter so that a huge factor cannot produce inf - inf = NaN.
    double ms = std::min(m_minMs * std::pow(m_factor, std::min(m_attempts, 40)), 2.0 * m_maxMs);
    ++m_attempts;
    if (m_jitter > 0) {
        const double r = m_random();
        const double deviation = std::floor(r * m_jitter * ms);
        ms = (int(std::floor(r * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
    }
    return int(std::min<double>(ms, m_maxMs));
}

} // namespace livedesk
