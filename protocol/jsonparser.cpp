// SPDX-License-Identifier: MIT
#include "jsonparser.h"

namespace livedesk {

namespace {
constexpr qsizetype sharedLimit = 1 << 20;
}

JsonParser::JsonParser(qsizetype size)
{
    if (size > sharedLimit)
        m_own = std::make_unique<simdjson::ondemand::parser>();
}

bool JsonParser::number(std::string_view token, QJsonValue *out)
{
    qsizetype n = qsizetype(token.size());
    while (n > 0
           && (token[n - 1] == ' ' || token[n - 1] == '\t' || token[n - 1] == '\n'
               || token[n - 1] == '\r'))
        --n;
    const QByteArray text = QByteArray::fromRawData(token.data(), n);
    // The grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    qsizetype i = 0;
    auto digits = [&] {
        const qsizetype start = i;
        while (i < n && text[i] >= '0' && text[i] <= '9')
            ++i;
        return i - start;
    };
    if (i < n && text[i] == '-')
        ++i;
    const bool leadingZero = i < n && text[i] == '0';
    const qsizetype whole = digits();
    if (whole == 0 || (leadingZero && whole > 1))
        return false;
    if (i < n && text[i] == '.') {
        ++i;
        if (digits() == 0)
            return false;
    }
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < n && (text[i] == '+' || text[i] == '-'))
            ++i;
        if (digits() == 0)
            return false;
    }
    if (i != n)
        return false;
    bool ok = false;
    if (!text.contains('.') && !text.contains('e') && !text.contains('E')) {
        const qlonglong integer = text.toLongLong(&ok);
        if (ok) {
            *out = qint64(integer);
            return true;
        }
    }
    const double d = text.toDouble(&ok);
    if (!ok)
        return false;
    *out = d;
    return true;
}

simdjson::ondemand::parser &JsonParser::shared()
{
    thread_local simdjson::ondemand::parser parser;
    return parser;
}

} // namespace livedesk
