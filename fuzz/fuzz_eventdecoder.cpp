// SPDX-License-Identifier: MIT
// libFuzzer target: a Socket.IO EVENT's JSON array, `["name", arg...]`, through the event
// decoder the way the realtime channel hands it over: read from its text (EventArgs) and from
// Qt JSON, the two must give the same event or the same refusal.
#include "eventargs.h"
#include "events/eventdecoder.h"

#include <QtCore/QJsonDocument>

#include <cstdint>
#include <cstdlib>

using namespace livedesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    QJsonArray args = doc.array();
    if (args.isEmpty() || !args.at(0).isString())
        return 0;
    const QString name = args.takeAt(0).toString();
    (void)EventDecoder::isControlEvent(name);
    QString error;
    const auto event = EventDecoder::decode(name, args, &error);
    EventArgs text;
    QString scannedName, scanError, textError;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    if (!EventArgs::scan(bytes, &text, &scannedName, &scanError) || scannedName != name)
        std::abort(); // Qt read it as an event array, so must the scan
    const auto fromText = EventDecoder::decode(name, text, &textError);
    if (bool(event) != bool(fromText) || textError != error)
        std::abort();
    if (!event) {
        if (error.isEmpty())
            std::abort(); // every refusal says why
        return 0;
    }
    if (fromText->toJson() != event->toJson() || fromText->ids != event->ids
        || fromText->timestamp != event->timestamp)
        std::abort();
    (void)EventDecoder::normalizeAction(event->action);
    return 0;
}
