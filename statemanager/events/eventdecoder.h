// SPDX-License-Identifier: MIT
#pragma once

#include "events/realtimeevent.h"

#include <QtCore/QJsonArray>

#include <optional>

namespace livedesk {

class EventArgs;

/**
 * Turns a received Socket.IO event into a RealtimeEvent, for every AegisX dialect in
 * docs/protocol.md: `feature.entity.action` envelopes, `<camelModule>.import.progress`,
 * `<camelModule>.bulk.bulk*`, `resource:action`, `module.action` and `operation:*`.
 *
 * A shape it does not know is reported with a reason, never guessed at: a wrong guess would
 * route a change to the wrong list.
 */
class EventDecoder
{
public:
    /// Decodes @p name with its arguments; std::nullopt and @p error set when unknown.
    static std::optional<RealtimeEvent> decode(const QString &name, const QJsonArray &args,
                                               QString *error = nullptr);
    /**
     * The same for arguments as received: an AegisX envelope is read from its text without
     * building Qt JSON (its data and meta decoded only when asked for), every other form
     * as decode() with a QJsonArray does. Both give the same event.
     */
    static std::optional<RealtimeEvent> decode(const QString &name, const EventArgs &args,
                                               QString *error = nullptr);

    /// Protocol chatter that is not a change notification (`pong`, `subscribe:confirmed`,
    /// AegisX's `connection:established` and `connection:timeout`, ...).
    static bool isControlEvent(const QString &name);

    /// `bulk-deleted` → `bulk_deleted`, `bulkCreated` → `bulk_created`, `complete` → ...
    static QString normalizeAction(const QString &action);
};

} // namespace livedesk
