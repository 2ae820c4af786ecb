// SPDX-License-Identifier: MIT
#pragma once

#include "eventargs.h"

#include <QtCore/QByteArrayList>
#include <QtCore/QJsonArray>
#include <QtCore/QMetaType>
#include <QtCore/QString>

namespace livedesk {

/**
 * An event received from the server, as delivered by SocketIoClient.
 *
 * `args` holds the event's arguments without the name and, on servers with connection
 * state recovery, without the trailing offset; as received, they are kept as text and decoded
 * on first use (EventArgs). For a binary event, the placeholders
 * `{"_placeholder":true,"num":n}` stay in `args` and `attachments[n]` holds the bytes
 * (JSON cannot hold bytes; see SocketIoPacket::isPlaceholder()).
 */
class SocketIoEvent
{
public:
    QString nsp;
    QString name;
    EventArgs args;
    QByteArrayList attachments;
    /// The server wants an acknowledgement with this id (SocketIoClient::sendAck), or -1.
    qint64 ackId = -1;
    /// The Socket.IO packet text as received, without a recovery offset: two deliveries of
    /// the same event have the same text, which makes identity checks cheap. Empty for
    /// binary events.
    QString packetText = {};
};

/** The outcome of SocketIoClient::emitWithAck(). */
class SocketIoAck
{
public:
    bool ok = false;
    QJsonArray args;
    /// Binary attachments of a BINARY_ACK (placeholders stay in args, as for events).
    QByteArrayList attachments;
    /// Why there is no acknowledgement ("timeout", "disconnected", ...), when !ok.
    QString error = {};
};

} // namespace livedesk

Q_DECLARE_METATYPE(livedesk::SocketIoEvent)
