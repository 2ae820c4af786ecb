// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace livedesk::server {

/**
 * Reads the CSV files people actually have: RFC 4180 plus what spreadsheets write.
 *
 * - Text is UTF-8, with or without a byte order mark (Excel's "CSV UTF-8" adds one); anything
 *   else is refused with a message saying so, rather than importing mojibake.
 * - Fields are separated by `,` or `;` (Excel writes `;` where the decimal point is a comma);
 *   the separator is the one that occurs more often, outside quotes, in the first record.
 * - A field in double quotes may contain separators, line breaks and doubled quotes (`""`
 *   for one `"`). Records end with CRLF, LF or a lone CR. A quote inside an unquoted field is
 *   taken literally; text after a closing quote, or a quote that is never closed, is an error
 *   naming the line.
 * - A final line break does not make an empty record; blank lines elsewhere are kept as
 *   records without cells, so that record positions match what a spreadsheet shows.
 *
 * The first record that is not blank is the header. Cells are returned as written (no
 * trimming: whether blanks matter is the field type's business).
 */
class CsvReader
{
public:
    /// One record: its cells and the 1-based line of the file it starts on.
    class Record
    {
    public:
        int line = 0;
        /// Empty for a blank line.
        QStringList cells;
    };

    /// A whole file: the header, the separator found and the records after the header.
    class Table
    {
    public:
        QStringList header;
        int headerLine = 0;
        QChar delimiter = u',';
        QList<Record> records;
    };

    /**
     * Parses @p bytes. Returns false with a sentence for people in @p error when the file is
     * not UTF-8, empty (or blank), or malformed (unterminated quote, text after a closing
     * quote).
     */
    static bool parse(const QByteArray &bytes, Table *out, QString *error);

    /// One line of CSV (no line break) with @p delimiter, quoting the cells that need it.
    static QString formatRecord(const QStringList &cells, QChar delimiter = u',');
};

} // namespace livedesk::server
