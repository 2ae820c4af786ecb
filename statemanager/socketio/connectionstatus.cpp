// SPDX-License-Identifier: MIT
#include "socketio/connectionstatus.h"

namespace livedesk {

ConnectionStatus ConnectionStatus::of(const SocketIoClient &client)
{
    ConnectionStatus s;
    s.state = client.state();
    s.host = client.options().url.host();
    s.recovered = client.recovered();
    s.attempt = client.reconnectAttempt();
    s.nextAttemptAt = client.nextReconnectAt();
    s.diagnosis = client.diagnosis();
    s.failure = client.failure();
    s.failureMessage = client.failureMessage();
    return s;
}

} // namespace livedesk
