// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonValue>
#include <QtCore/QString>

namespace livedesk {

class EventArgs;

/**
 * One Socket.IO v5 packet, the payload of an Engine.IO message:
 * `<type>[<attachments>-][/nsp,][ackId][json]`.
 *
 * This is the only place that knows the packet grammar; the client and the embedded server
 * both use it, so the two cannot drift apart. Decoding validates the payload the way the
 * reference parser does (an EVENT must be a non-empty array headed by an event name, a
 * CONNECT payload an object, ...) and reports why a packet was rejected.
 */
class SocketIoPacket
{
public:
    enum Type : int {
        Connect = 0,
        Disconnect = 1,
        Event = 2,
        Ack = 3,
        ConnectError = 4,
        BinaryEvent = 5,
        BinaryAck = 6,
    };

    Type type = Event;
    QString nsp = QStringLiteral("/");
    /// Acknowledgement id, or -1 when the packet asks for none.
    qint64 ackId = -1;
    /// Binary attachments that follow this packet as separate frames (binary types only).
    int attachments = 0;
    /// The JSON payload; Undefined when the packet carries none.
    QJsonValue data = QJsonValue::Undefined;

    QString encode() const;

    /// Decodes @p text; returns false and sets @p error when it is not a valid packet.
    static bool decode(QStringView text, SocketIoPacket *out, QString *error);
    /**
     * Decodes @p text as decode() does, except that an EVENT's payload is only scanned, not
     * built into Qt JSON: its name goes to @p name, its arguments to @p args (as text, see
     * EventArgs) and `data` stays Undefined. Other packets are decoded whole. This is the
     * client's hot path: the same packets are accepted and refused as by decode().
     */
    static bool decodeEvent(QStringView text, SocketIoPacket *out, QString *name, EventArgs *args,
                            QString *error);

    /// True when @p v is a binary placeholder `{"_placeholder":true,"num":n}`; sets @p num.
    static bool isPlaceholder(const QJsonValue &v, int *num = nullptr);

    /// More attachments than this make a packet invalid (as in the reference parser): a peer
    /// must not make us hold an unbounded number of frames for one packet.
    static constexpr int maxAttachments = 10;
};

} // namespace livedesk
