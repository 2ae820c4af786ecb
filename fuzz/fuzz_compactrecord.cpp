// SPDX-License-Identifier: MIT
// libFuzzer target: a list page's `data` text read straight into compact records
// (CompactRecord::appendArray) must agree with Qt's reading of the same text: where both read
// it, every record decodes to Qt's object and has the very bytes CompactRecord(object) gives
// it; a page the fast path takes is one Qt takes too; refusing leaves the output as it was.
// The same text read as one event record (CompactRecord::fromJson) agrees with Qt the same way.
#include "state/compactrecord.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <cstdint>
#include <cstdlib>

using namespace livedesk;

namespace {

void checkEventRecord(const QByteArray &text)
{
    const std::optional<CompactRecord> record = CompactRecord::fromJson(text);
    if (!record)
        return;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        std::abort(); // the fast path took what Qt refuses
    if (record->toObject() != doc.object() || *record != CompactRecord(doc.object()))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    checkEventRecord(text);
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
        const std::optional<CompactRecord> alone
            = CompactRecord::fromJson(QJsonDocument(object).toJson(QJsonDocument::Compact));
        if (!alone || *alone != record)
            std::abort();
        for (const QString &key : object.keys()) {
            if (record.value(key) != object.value(key))
                std::abort();
        }
    }
    return 0;
}
