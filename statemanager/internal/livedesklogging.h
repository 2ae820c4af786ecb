// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLoggingCategory>

// One category per area of the state manager; enable with
// QT_LOGGING_RULES="livedesk.socketio.debug=true" and the like.
Q_DECLARE_LOGGING_CATEGORY(lcSocketIo) // livedesk.socketio: transport, packets, heartbeat
Q_DECLARE_LOGGING_CATEGORY(lcEvents) // livedesk.events: dialect decoding, routing, dedup
Q_DECLARE_LOGGING_CATEGORY(lcRest) // livedesk.rest: HTTP requests and envelopes
Q_DECLARE_LOGGING_CATEGORY(lcState) // livedesk.state: state manager policy
