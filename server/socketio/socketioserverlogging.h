// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLoggingCategory>

// livedesk.server.socketio: the embedded server's Engine.IO / Socket.IO layer (connections,
// heartbeats, namespaces, recovery). Enable with
// QT_LOGGING_RULES="livedesk.server.socketio.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcServerSocketIo)
