// SPDX-License-Identifier: MIT
#include "livedesklogging.h"

Q_LOGGING_CATEGORY(lcSocketIo, "livedesk.socketio", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEvents, "livedesk.events", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRest, "livedesk.rest", QtInfoMsg)
Q_LOGGING_CATEGORY(lcState, "livedesk.state", QtInfoMsg)
