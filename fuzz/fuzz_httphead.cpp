// SPDX-License-Identifier: MIT
// libFuzzer target: the request head HttpListener reads before any body (HttpRequestHead).
//
// Besides not crashing, what is accepted must be unambiguous: a body length that is plain
// digits or chunked, never both, and a head that reads the same when written out again.
#include "httprequesthead.h"

#include <cstdint>
#include <cstdlib>

using livedesk::server::HttpRequestHead;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype end = HttpRequestHead::headLength(bytes);
    check(end == -1 || (end > 0 && end <= bytes.size() && bytes.at(end - 1) == '\n'));
    // The listener parses a complete head; the fuzzer also tries the bytes as they are.
    const auto head = HttpRequestHead::parse(end < 0 ? bytes : bytes.left(end));
    if (!head)
        return 0;
    check(!head->method.isEmpty());
    check(head->majorVersion == 1 && head->minorVersion >= 0 && head->minorVersion <= 9);
    check(head->contentLength >= -1);
    check(!(head->chunked && head->contentLength >= 0));
    const QByteArray length = head->value("content-length");
    check(length.isEmpty() == (head->contentLength == -1));
    if (!length.isEmpty())
        check(length.toLongLong() == head->contentLength);

    // Written out again, the head parses to the same fields.
    QByteArray again
        = head->method + " / HTTP/1." + QByteArray::number(head->minorVersion) + "\r\n";
    for (const auto &[name, value] : head->headers) {
        check(!name.isEmpty() && name == name.toLower());
        check(!value.contains('\n'));
        again += name + ": " + value + "\r\n";
    }
    again += "\r\n";
    check(HttpRequestHead::headLength(again) == again.size());
    const auto reparsed = HttpRequestHead::parse(again);
    check(reparsed.has_value());
    check(reparsed->method == head->method && reparsed->headers == head->headers);
    check(reparsed->contentLength == head->contentLength && reparsed->chunked == head->chunked);
    check(reparsed->keepAlive() == head->keepAlive() && reparsed->isUpgrade() == head->isUpgrade());
    return 0;
}
