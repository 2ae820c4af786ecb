// SPDX-License-Identifier: MIT
#include "multipartform.h"

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

// The value of parameter @p name in a header value like `form-data; name="file"; x=y`.
QByteArray parameter(QByteArrayView header, QByteArrayView name)
{
    qsizetype i = header.indexOf(';');
    while (i >= 0 && i < header.size()) {
        ++i;
        while (i < header.size() && (header[i] == ' ' || header[i] == '\t'))
            ++i;
        const qsizetype eq = header.indexOf('=', i);
        if (eq < 0)
            return {};
        const QByteArrayView key = header.sliced(i, eq - i).trimmed();
        qsizetype j = eq + 1;
        QByteArray value;
        if (j < header.size() && header[j] == '"') {
            ++j;
            while (j < header.size() && header[j] != '"') {
                if (header[j] == '\\' && j + 1 < header.size())
                    ++j;
                value += header[j];
                ++j;
            }
            ++j; // closing quote
            const qsizetype next = header.indexOf(';', j);
            i = next;
        } else {
            const qsizetype next = header.indexOf(';', j);
            value = header.sliced(j, (next < 0 ? header.size() : next) - j).trimmed().toByteArray();
            i = next;
        }
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
        if (i < 0)
            break;
    }
    return {};
}

} // namespace

bool MultipartForm::isMultipart(const QByteArray &contentType)
{
    return contentType.trimmed().toLower().startsWith("multipart/form-data");
}

bool MultipartForm::parse(const QByteArray &contentType, const QByteArray &body, MultipartForm *out,
                          QString *error)
{
    const QByteArray boundary = parameter(contentType, "boundary");
    if (!isMultipart(contentType) || boundary.isEmpty() || boundary.size() > 200) {
        *error = u"The upload is not multipart/form-data with a boundary."_s;
        return false;
    }
    const QByteArray delimiter = QByteArray("--" + boundary);
    const QByteArray crlfDelimiter = QByteArray("\r\n" + delimiter);
    const QByteArray lfDelimiter = QByteArray("\n" + delimiter);
    qsizetype pos = body.indexOf(delimiter);
    if (pos < 0) {
        *error = u"The multipart body does not contain its boundary."_s;
        return false;
    }
    MultipartForm form;
    for (;;) {
        pos += delimiter.size();
        if (body.mid(pos, 2) == "--")
            break; // close delimiter
        // Rest of the delimiter line (transport padding), then the part's headers.
        const qsizetype lineEnd = body.indexOf('\n', pos);
        if (lineEnd < 0) {
            *error = u"The multipart body ends inside a boundary line."_s;
            return false;
        }
        qsizetype headersEnd = body.indexOf("\r\n\r\n", lineEnd + 1);
        qsizetype bodyStart = headersEnd + 4;
        const qsizetype lfEnd = body.indexOf("\n\n", lineEnd + 1);
        if (headersEnd < 0 || (lfEnd >= 0 && lfEnd < headersEnd)) {
            headersEnd = lfEnd;
            bodyStart = lfEnd + 2;
        }
        // A part without headers starts with the blank line right away.
        if (body.mid(lineEnd + 1, 2) == "\r\n") {
            headersEnd = lineEnd + 1;
            bodyStart = lineEnd + 3;
        } else if (body.mid(lineEnd + 1, 1) == "\n") {
            headersEnd = lineEnd + 1;
            bodyStart = lineEnd + 2;
        }
        if (headersEnd < 0) {
            *error = u"A part of the multipart body has no end of headers."_s;
            return false;
        }
        Part part;
        const QByteArray headers = body.mid(lineEnd + 1, headersEnd - lineEnd - 1);
        for (const QByteArray &rawLine : headers.split('\n')) {
            const QByteArray headerLine = rawLine.trimmed();
            const qsizetype colon = headerLine.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = headerLine.left(colon).trimmed().toLower();
            const QByteArray value = headerLine.mid(colon + 1).trimmed();
            if (name == "content-disposition") {
                part.name = parameter(value, "name");
                part.fileName = parameter(value, "filename");
            } else if (name == "content-type") {
                part.contentType = value;
            }
        }
        // The line break before the next delimiter belongs to the delimiter.
        qsizetype next = body.indexOf(crlfDelimiter, bodyStart);
        qsizetype breakSize = 2;
        const qsizetype lfNext = body.indexOf(lfDelimiter, bodyStart);
        if (next < 0 || (lfNext >= 0 && lfNext < next)) {
            next = lfNext;
            breakSize = 1;
        }
        if (next < 0) {
            *error = u"The multipart body is truncated: the closing boundary is missing."_s;
            return false;
        }
        part.body = body.mid(bodyStart, next - bodyStart);
        form.m_parts.append(std::move(part));
        pos = next + breakSize;
    }
    *out = std::move(form);
    return true;
}

const MultipartForm::Part *MultipartForm::part(QByteArrayView name) const
{
    for (const Part &p : m_parts) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

const MultipartForm::Part *MultipartForm::firstFile() const
{
    for (const Part &p : m_parts) {
        if (!p.fileName.isEmpty())
            return &p;
    }
    return nullptr;
}

} // namespace livedesk::server
