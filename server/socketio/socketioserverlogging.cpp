// SPDX-License-Identifier: MIT
#include "socketioserverlogging.h"

Q_LOGGING_CATEGORY(lcServerSocketIo, "livedesk.server.socketio", QtInfoMsg)
