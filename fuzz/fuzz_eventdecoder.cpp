// SPDX-License-Identifier: MIT
// libFuzzer target: a Socket.IO EVENT's JSON array, `["name", arg...]`, through the event
// decoder the way the realtime channel hands it over.
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
    if (!event) {
        if (error.isEmpty())
            std::abort(); // every refusal says why
        return 0;
    }
    (void)event->toJson();
    (void)EventDecoder::normalizeAction(event->action);
    return 0;
}
