// SPDX-License-Identifier: MIT
// libFuzzer target: an uploaded file through the CSV reader of the import endpoints.
#include "csvreader.h"

#include <cstdint>
#include <cstdlib>

using namespace livedesk::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    CsvReader reader;
    QString error;
    if (!reader.open(bytes, &error)) {
        if (error.isEmpty())
            std::abort(); // every refusal says why
        return 0;
    }
    if (reader.header().isEmpty() || reader.headerLine() < 1)
        std::abort();
    int line = reader.headerLine();
    CsvReader::Record record;
    while (reader.next(&record)) {
        // Records come in file order and each starts on a later line than the one before.
        if (record.line <= line)
            std::abort();
        line = record.line;
        (void)CsvReader::formatRecord(record.cells, reader.delimiter());
    }
    return 0;
}
