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

bool CsvReader::parse(const QByteArray &bytes, Table *out, QString *error)
{
    QByteArrayView view(bytes);
    if (view.startsWith("\xEF\xBB\xBF"))
        view = view.sliced(3);
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(view);
    if (decoder.hasError()) {
        *error = u"The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again."_s;
        return false;
    }
    if (text.trimmed().isEmpty()) {
        *error = u"The file is empty: expected a header row naming the columns, then data rows."_s;
        return false;
    }

    const QChar delimiter = detectDelimiter(text);
    const qsizetype n = text.size();
    QList<Record> records;
    qsizetype i = 0;
    int line = 1;
    while (i < n) {
        Record record;
        record.line = line;
        for (;;) {
            if (i < n && text[i] == u'"') {
                const int quoteLine = line;
                ++i;
                QString cell;
                for (;;) {
                    if (i >= n) {
                        *error = u"Line %1: a quoted field is never closed (missing '\"')."_s.arg(
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
                    *error = u"Line %1: unexpected text after the closing quote of a field "
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
        records.append(std::move(record));
    }

    qsizetype first = 0;
    while (first < records.size() && records[first].cells.isEmpty())
        ++first;
    if (first == records.size()) {
        *error = u"The file is empty: expected a header row naming the columns, then data rows."_s;
        return false;
    }
    Table table;
    table.delimiter = delimiter;
    table.headerLine = records[first].line;
    table.header = records[first].cells;
    for (QString &h : table.header)
        h = h.trimmed();
    table.records = records.mid(first + 1);
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
