// SPDX-License-Identifier: MIT
// libFuzzer target: one WebSocket frame through the Engine.IO and Socket.IO decoders, as
// both the client and the server see it. A packet that decodes must survive an encode and
// decode round trip unchanged (client and server re-encode what they decoded), and the
// client's scanning decoder (decodeEvent) must accept and refuse exactly what decode() does,
// with the same name and arguments.
#include "enginepacket.h"
#include "eventargs.h"
#include "socketiopacket.h"

#include <cstdint>
#include <cstdlib>

using namespace livedesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)EnginePacket::fromBinaryFrame(bytes);

    const EnginePacket frame = EnginePacket::fromTextFrame(QString::fromUtf8(bytes));
    if (frame.type == EnginePacket::Invalid)
        return 0;
    if (frame.type == EnginePacket::Open) {
        EngineHandshake handshake;
        QString error;
        if (EngineHandshake::parse(frame.text, &handshake, &error)) {
            if (handshake.pingIntervalMs <= 0 || handshake.pingTimeoutMs <= 0
                || handshake.maxPayload <= 0)
                std::abort();
            (void)handshake.toJson();
        }
        return 0;
    }
    if (frame.type != EnginePacket::Message)
        return 0;

    SocketIoPacket packet;
    QString error;
    const bool decoded = SocketIoPacket::decode(frame.text, &packet, &error);
    SocketIoPacket scanned;
    QString name, scanError;
    EventArgs args;
    if (SocketIoPacket::decodeEvent(frame.text, &scanned, &name, &args, &scanError) != decoded)
        std::abort();
    if (!decoded) {
        if (error.isEmpty() || scanError.isEmpty())
            std::abort(); // every refusal says why
        return 0;
    }
    if (scanned.type != packet.type || scanned.nsp != packet.nsp || scanned.ackId != packet.ackId)
        std::abort();
    if (packet.type == SocketIoPacket::Event) {
        QJsonArray expected = packet.data.toArray();
        const QJsonValue first = expected.takeAt(0);
        const QString expectedName
            = first.isString() ? first.toString() : QString::number(first.toDouble());
        if (name != expectedName || args.toArray() != expected || args.size() != expected.size())
            std::abort();
        for (qsizetype i = 0; i < args.size(); ++i) {
            if (args.isString(i) != expected.at(i).isString()
                || (expected.at(i).isString() && args.stringAt(i) != expected.at(i).toString()))
                std::abort();
        }
    } else if (scanned.data != packet.data) {
        std::abort();
    }
    SocketIoPacket again;
    if (!SocketIoPacket::decode(packet.encode(), &again, &error) || again.type != packet.type
        || again.nsp != packet.nsp || again.ackId != packet.ackId
        || again.attachments != packet.attachments || again.data != packet.data)
        std::abort();
    int num = 0;
    (void)SocketIoPacket::isPlaceholder(packet.data, &num);
    return 0;
}
