// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace livedesk {

/**
 * CSV as the workstation writes it (Export CSV, an import's problems), one way for every
 * file a person opens in a spreadsheet: RFC 4180 quoting, CRLF line ends, UTF-8 with a byte
 * order mark so that Thai names are not read as Latin-1.
 */
class CsvText
{
public:
    /// @p text as one field: quoted when it holds a separator (`,` or `;`), a quote, a line
    /// break or leading/trailing space, with quotes doubled.
    static QString field(const QString &text);
    /// @p fields as one line, each through field(), ending in CRLF.
    static QString line(const QStringList &fields);
    /// @p lines (from line()) as file content: UTF-8 with a byte order mark.
    static QByteArray file(const QString &lines);
};

} // namespace livedesk
