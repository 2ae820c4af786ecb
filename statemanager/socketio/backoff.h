// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QtGlobal>

#include <functional>

namespace livedesk {

/**
 * Reconnection delays: exponential growth with jitter, capped.
 *
 * The same curve as the reference Socket.IO client (min 1 s doubling to a 5 s cap,
 * randomization 0.5 by default), so a fleet of clients spreads its retries after a server
 * restart instead of arriving in one wave. The random source is injectable for tests.
 */
class Backoff
{
public:
    Backoff(int minMs = 1000, int maxMs = 5000, double jitter = 0.5, double factor = 2.0);

    /// The delay before the next attempt; advances the attempt counter.
    int next();
    void reset() { m_attempts = 0; }
    int attempts() const { return m_attempts; }

    /// Replaces the random source (values in [0, 1)).
    void setRandom(std::function<double()> random) { m_random = std::move(random); }

private:
    int m_minMs;
    int m_maxMs;
    double m_jitter;
    double m_factor;
    int m_attempts = 0;
    std::function<double()> m_random;
};

} // namespace livedesk
