// SPDX-License-Identifier: MIT
// libFuzzer target: a list page's `data` text read straight into compact records
// (CompactRecord::appendArray) must agree with Qt's reading of the same text: where both read
// it, every record decodes to Qt's object and has the very bytes CompactRecord(object) gives
// it; a page the fast path takes is one Qt takes too; refusing leaves the output as it was.
#include "state/compactrecord.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <cstdint>
#include <cstdlib>

using namespace livedesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    std::vector<CompactRecord> records(1); // something before, kept either way
    const bool read = CompactRecord::appendArray(text, &records);
    if (!read) {
        if (records.size() != 1)
            std::abort();
        return 0;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        std::abort(); // the fast path took what Qt refuses
    const QJsonArray array = doc.array();
    if (qsizetype(records.size()) != array.size() + 1)
        std::abort();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const CompactRecord &record = records[size_t(i + 1)];
        const QJsonObject object = array.at(i).toObject();
        if (record.toObject() != object || record != CompactRecord(object))
            std::abort();
        for (const QString &key : object.keys()) {
            if (record.value(key) != object.value(key))
                std::abort();
        }
    }
    return 0;
}
