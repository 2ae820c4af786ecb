// SPDX-License-Identifier: MIT
#include "csvtext.h"

using namespace Qt::StringLiterals;

namespace livedesk {

QString CsvText::field(const QString &text)
{
    const bool quote = text.contains(u',') || text.contains(u';') || text.contains(u'"')
        || text.contains(u'\n') || text.contains(u'\r')
        || (!text.isEmpty() && (text.front().isSpace() || text.back().isSpace()));
    if (!quote)
        return text;
    return u'"' + QString(text).replace(u"\""_s, u"\"\""_s) + u'"';
}

QString CsvText::line(const QStringList &fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const QString &f : fields)
        quoted.append(field(f));
    return quoted.join(u',') + u"\r\n"_s;
}

QByteArray CsvText::file(const QString &lines)
{
    return QByteArray("\xEF\xBB\xBF") + lines.toUtf8();
}

} // namespace livedesk
