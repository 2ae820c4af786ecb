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

namespace {

class NumberShape
{
public:
    bool negative = false;
    bool fraction = false;
    bool exponent = false;
};

// JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool grammar(const QByteArray &text, NumberShape *shape)
{
    const qsizetype n = text.size();
    qsizetype i = 0;
    auto digits = [&] {
        const qsizetype start = i;
        while (i < n && text[i] >= '0' && text[i] <= '9')
            ++i;
        return i - start;
    };
    shape->negative = n > 0 && text[0] == '-';
    if (shape->negative)
        ++i;
    const bool leadingZero = i < n && text[i] == '0';
    const qsizetype whole = digits();
    if (whole == 0 || (leadingZero && whole > 1))
        return false;
    shape->fraction = i < n && text[i] == '.';
    if (shape->fraction) {
        ++i;
        if (digits() == 0)
            return false;
    }
    shape->exponent = i < n && (text[i] == 'e' || text[i] == 'E');
    if (shape->exponent) {
        ++i;
        if (i < n && (text[i] == '+' || text[i] == '-'))
            ++i;
        if (digits() == 0)
            return false;
    }
    return i == n;
}

QByteArray numberText(std::string_view token)
{
    const std::string_view t = JsonParser::trimmed(token);
    return QByteArray::fromRawData(t.data(), qsizetype(t.size()));
}

} // namespace

std::string_view JsonParser::trimmed(std::string_view token)
{
    while (!token.empty() && isSpace(token.back()))
        token.remove_suffix(1);
    return token;
}

namespace {

// Bytes allocated after @p a's end (data_ptr() is not const, but does not detach).
qsizetype roomAfter(const QByteArray &a)
{
    return const_cast<QByteArray &>(a).data_ptr().freeSpaceAtEnd();
}

} // namespace

bool JsonParser::iterate(const QByteArray &text, simdjson::ondemand::document *document)
{
    const auto padding = qsizetype(simdjson::SIMDJSON_PADDING);
    m_text = &text;
    if (text.isEmpty() || roomAfter(text) < padding) {
        m_copy.reserve(text.size() + padding);
        m_copy.append(text);
        m_text = &m_copy;
    }
    const simdjson::padded_string_view view(m_text->constData(), size_t(m_text->size()),
                                            size_t(m_text->size() + roomAfter(*m_text)));
    return !get().iterate(view).get(*document);
}

bool JsonParser::onlySpaceAfter(std::string_view part) const
{
    Q_ASSERT(m_text);
    const QByteArray &text = *m_text;
    for (const char *c = part.data() + part.size(); c < text.constData() + text.size(); ++c) {
        if (!isSpace(*c))
            return false;
    }
    return true;
}

bool JsonParser::isNumber(std::string_view token)
{
    const QByteArray text = numberText(token);
    NumberShape shape;
    if (!grammar(text, &shape))
        return false;
    // Without an exponent and under 300 characters a number can neither overflow nor
    // underflow a double, the only numbers Qt refuses.
    if (!shape.exponent && text.size() < 300)
        return true;
    bool ok = false;
    (void)text.toDouble(&ok);
    return ok;
}

bool JsonParser::number(std::string_view token, QJsonValue *out)
{
    const QByteArray text = numberText(token);
    NumberShape shape;
    if (!grammar(text, &shape))
        return false;
    const qsizetype n = text.size();
    if (!shape.fraction && !shape.exponent && n - shape.negative <= 18) {
        // An integer of up to 18 digits: exact in 64 bits, no need of the general routine.
        qint64 v = 0;
        for (qsizetype k = shape.negative; k < n; ++k)
            v = v * 10 + (text[k] - '0');
        *out = shape.negative ? -v : v;
        return true;
    }
    bool ok = false;
    if (!shape.fraction && !shape.exponent) {
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
