// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace livedesk {

/**
 * One Engine.IO v4 packet as carried in one WebSocket frame.
 *
 * A text frame is `<type digit><data>`; a binary frame is always a message (type 4)
 * whose payload is the raw bytes. Decoding never throws: a frame that is not a valid
 * packet yields type Invalid, so the connection can count it and carry on.
 */
class EnginePacket
{
public:
    enum Type : int {
        Invalid = -1,
        Open = 0,
        Close = 1,
        Ping = 2,
        Pong = 3,
        Message = 4,
        Upgrade = 5,
        Noop = 6,
    };

    Type type = Invalid;
    /// Text payload after the type digit (text frames).
    QString text;
    /// Raw payload (binary frames).
    QByteArray binary;
    bool isBinary = false;

    static EnginePacket fromTextFrame(const QString &frame);
    static EnginePacket fromBinaryFrame(const QByteArray &frame);
    static EnginePacket message(const QString &text) { return {Message, text, {}, false}; }

    /// The text frame for this packet (text packets only).
    QString toTextFrame() const;
};

/**
 * The data of an Engine.IO OPEN packet:
 * `{"sid","upgrades","pingInterval","pingTimeout","maxPayload"}`.
 */
class EngineHandshake
{
public:
    QString sid;
    QStringList upgrades;
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 20000;
    qint64 maxPayload = 1000000;

    /// Parses the OPEN packet's JSON; false (and @p error set) when it is not a valid handshake.
    static bool parse(const QString &json, EngineHandshake *out, QString *error);
    QString toJson() const;
};

} // namespace livedesk
