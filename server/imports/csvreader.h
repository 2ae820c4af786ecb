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
     * Starts reading @p bytes record by record (see next()): decodes the text, finds the
     * separator and reads the header. Returns false with a sentence for people in @p error
     * when the file is not UTF-8, is empty (or blank), or its header is malformed. The text is
     * decoded once; records are produced one at a time, so a large file is never held twice.
     */
    bool open(const QByteArray &bytes, QString *error);

    const QStringList &header() const { return m_header; }
    int headerLine() const { return m_headerLine; }
    QChar delimiter() const { return m_delimiter; }

    /**
     * Reads the next record after the header into @p record. Returns false at the end of the
     * file, or on a malformed record (unterminated quote, text after a closing quote): then
     * error() names the line. Blank lines come back as records without cells.
     */
    bool next(Record *record);
    /// Why next() stopped early; empty at a clean end of file.
    QString error() const { return m_error; }

    /// Parses @p bytes as a whole, for small files: open() and every next() in one call.
    static bool parse(const QByteArray &bytes, Table *out, QString *error);

    /// One line of CSV (no line break) with @p delimiter, quoting the cells that need it.
    static QString formatRecord(const QStringList &cells, QChar delimiter = u',');

private:
    QString m_text;
    qsizetype m_pos = 0;
    int m_line = 1;
    QChar m_delimiter = u',';
    QStringList m_header;
    int m_headerLine = 0;
    QString m_error;
};

} // namespace livedesk::server
