// SPDX-License-Identifier: MIT
#pragma once

#include "socketio/socketioclient.h"

#include <QtCore/QDateTime>
#include <QtCore/QString>

namespace livedesk {

/**
 * What a person needs to know of the connection at one moment: its state, the host, whether
 * the last connect resumed the session, when the next retry is due and, after a failure, why.
 *
 * A value, so that what shows it (ConnectionIndicator) holds no connection object and can be
 * driven, and tested, by any source: Session::connectionStatus() for the workstation, of()
 * for a window with a client of its own.
 */
class ConnectionStatus
{
public:
    using State = SocketIoClient::State;
    using Failure = SocketIoClient::Failure;

    State state = State::Disconnected;
    QString host;
    /// Connected, and the connect resumed the previous session (no events missed).
    bool recovered = false;
    /// Reconnecting: the attempt under way or next, and when it is due (invalid: at once).
    int attempt = 0;
    QDateTime nextAttemptAt;
    /// Why the server cannot be the one asked for (a wrong Socket.IO path), if known.
    QString diagnosis;
    Failure failure = Failure::None;
    QString failureMessage;

    /// The status of @p client now.
    static ConnectionStatus of(const SocketIoClient &client);
};

} // namespace livedesk
