// SPDX-License-Identifier: MIT
#include "csvreader.h"

#include <QtCore/QStringDecoder>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

bool isLineBreak(QChar c)
{
    return c == u'\n' || c == u'\r';
}

// The separator of the first non-blank record: ',' or ';', whichever occurs more often
// outside quotes; ',' when neither does (a single column).
QChar detectDelimiter(const QString &text)
{
    qsizetype i = 0;
    while (i < text.size() && (isLineBreak(text[i]) || text[i].isSpace()))
        ++i;
    int commas = 0;
    int semicolons = 0;
    bool quoted = false;
    for (; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (isLineBreak(c))
            break;
        else if (c == u',')
            ++commas;
        else if (c == u';')
            ++semicolons;
    }
    return semicolons > commas ? u';' : u',';
}

} // namespace

bool CsvReader::open(const QByteArray &bytes, QString *error)
{
    QByteArrayView view(bytes);
    if (view.startsWith("\xEF\xBB\xBF"))
        view = view.sliced(3);
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    m_text = decoder(view);
    m_pos = 0;
    m_line = 1;
    m_error.clear();
    m_header.clear();
    if (decoder.hasError()) {
        m_text.clear();
        *error = u"The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again."_s;
        return false;
    }
    if (m_text.trimmed().isEmpty()) {
        *error = u"The file is empty: expected a header row naming the columns, then data rows."_s;
        return false;
    }
    m_delimiter = detectDelimiter(m_text);
    Record first;
    while (next(&first)) {
        if (first.cells.isEmpty())
            continue;
        m_headerLine = first.line;
        m_header = first.cells;
        for (QString &h : m_header)
            h = h.trimmed();
        return true;
    }
    *error = m_error.isEmpty()
        ? u"The file is empty: expected a header row naming the columns, then data rows."_s
        : m_error;
    return false;
}

bool CsvReader::next(Record *out)
{
    const QString &text = m_text;
    const qsizetype n = text.size();
    qsizetype i = m_pos;
    if (i >= n || !m_error.isEmpty())
        return false;
    Record record;
    record.line = m_line;
    int line = m_line;
    const QChar delimiter = m_delimiter;
    for (;;) {
        if (i < n && text[i] == u'"') {
            const int quoteLine = line;
            ++i;
            QString cell;
            for (;;) {
                if (i >= n) {
                    m_error = u"Line %1: a quoted field is never closed (missing '\"')."_s.arg(
                        quoteLine);
                    return false;
                }
                const QChar c = text[i];
                if (c == u'"') {
                    if (i + 1 < n && text[i + 1] == u'"') {
                        cell += u'"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                // Line breaks inside a cell become '\n', whatever the file uses.
                if (c == u'\r') {
                    if (i + 1 < n && text[i + 1] == u'\n')
                        ++i;
                    cell += u'\n';
                    ++line;
                } else {
                    if (c == u'\n')
                        ++line;
                    cell += c;
                }
                ++i;
            }
            if (i < n && text[i] != delimiter && !isLineBreak(text[i])) {
                m_error = u"Line %1: unexpected text after the closing quote of a field "
                          "(a '\"' inside a quoted field must be doubled)."_s.arg(line);
                return false;
            }
            record.cells.append(cell);
        } else {
            const qsizetype start = i;
            while (i < n && text[i] != delimiter && !isLineBreak(text[i]))
                ++i;
            record.cells.append(text.mid(start, i - start));
        }
        if (i >= n)
            break;
        if (text[i] == delimiter) {
            ++i;
            continue;
        }
        if (text[i] == u'\r' && i + 1 < n && text[i + 1] == u'\n')
            ++i;
        ++i;
        ++line;
        break;
    }
    if (record.cells.size() == 1 && record.cells.first().isEmpty())
        record.cells.clear();
    m_pos = i;
    m_line = line;
    *out = std::move(record);
    return true;
}

bool CsvReader::parse(const QByteArray &bytes, Table *out, QString *error)
{
    CsvReader reader;
    if (!reader.open(bytes, error))
        return false;
    Table table;
    table.delimiter = reader.delimiter();
    table.headerLine = reader.headerLine();
    table.header = reader.header();
    Record record;
    while (reader.next(&record))
        table.records.append(std::move(record));
    if (!reader.error().isEmpty()) {
        *error = reader.error();
        return false;
    }
    *out = std::move(table);
    return true;
}

QString CsvReader::formatRecord(const QStringList &cells, QChar delimiter)
{
    QString line;
    for (qsizetype c = 0; c < cells.size(); ++c) {
        if (c > 0)
            line += delimiter;
        const QString &cell = cells[c];
        const bool quote = cell.contains(delimiter) || cell.contains(u'"') || cell.contains(u'\n')
            || cell.contains(u'\r');
        if (quote) {
            QString escaped = cell;
            escaped.replace(u"\""_s, u"\"\""_s);
            line += u'"' + escaped + u'"';
        } else {
            line += cell;
        }
    }
    return line;
}

} // namespace livedesk::server
