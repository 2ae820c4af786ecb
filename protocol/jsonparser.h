// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonValue>
#include <QtCore/qglobal.h>

#include <simdjson.h>

#include <memory>
#include <string_view>

namespace livedesk {

/**
 * The simdjson On-Demand parser for one text of @p size bytes.
 *
 * A parser keeps buffers as large as the largest text it parsed, so one per thread serves
 * the small texts of the event path without allocating, and a text beyond a megabyte (a
 * rare, large event) gets a parser of its own that is freed with it.
 */
class JsonParser
{
public:
    explicit JsonParser(qsizetype size);
    simdjson::ondemand::parser &get() { return m_own ? *m_own : shared(); }

    /**
     * The number whose JSON text is @p token (white space after it allowed), read the way Qt's
     * JSON parser reads it: an integer that fits in 64 bits as one, anything else as a double;
     * false where Qt refuses it (out of range). The parser's own reading is not used: simdjson
     * 3.0's portable kernel misreads mantissas of more than 19 digits.
     */
    static bool number(std::string_view token, QJsonValue *out);
    /// @p token without the white space On-Demand leaves after a scalar's text.
    static std::string_view trimmed(std::string_view token);
    static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    /// Whether number() reads @p token, without reading it (cheaper: most numbers need no
    /// conversion to know).
    static bool isNumber(std::string_view token);

    /**
     * Starts reading @p text into @p document: in place when its allocation has simdjson's
     * padding of readable bytes after the end, else from a padded copy this parser keeps.
     * @p text must outlive the reading. False where simdjson refuses it at once.
     */
    bool iterate(const QByteArray &text, simdjson::ondemand::document *document);
    /// Whether only white space follows @p part, a value read from the text being read: the
    /// value is the whole text.
    bool onlySpaceAfter(std::string_view part) const;

private:
    static simdjson::ondemand::parser &shared();
    std::unique_ptr<simdjson::ondemand::parser> m_own;
    QByteArray m_copy;
    const QByteArray *m_text = nullptr;
};

} // namespace livedesk
