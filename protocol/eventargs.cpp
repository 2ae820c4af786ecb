// SPDX-License-Identifier: MIT
#include "eventargs.h"

#include "jsonparser.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>

#include <simdjson.h>

using namespace Qt::StringLiterals;
namespace od = simdjson::ondemand;

namespace livedesk {

namespace {

// Qt's parser refuses containers nested deeper than this (the outer array is the first);
// On-Demand does not count, so the scan does, which also bounds its recursion.
constexpr int qtNestingLimit = 1024;

// Visits every value below @p v, so that the scan rejects what Qt's parser would (a bad
// literal inside an object the reader skips is still an error). @p level: how deep @p v's
// container would be.
bool validate(od::value v, int level)
{
    od::json_type type;
    if (v.type().get(type))
        return false;
    switch (type) {
    case od::json_type::array: {
        od::array a;
        if (level > qtNestingLimit || v.get_array().get(a))
            return false;
        for (auto element : a) {
            od::value child;
            if (std::move(element).get(child) || !validate(child, level + 1))
                return false;
        }
        return true;
    }
    case od::json_type::object: {
        od::object o;
        if (level > qtNestingLimit || v.get_object().get(o))
            return false;
        for (auto field : o) {
            od::field f;
            std::string_view key;
            if (std::move(field).get(f) || f.unescaped_key().get(key)
                || !validate(f.value(), level + 1))
                return false;
        }
        return true;
    }
    case od::json_type::number:
        return JsonParser::isNumber(v.raw_json_token());
    case od::json_type::string: {
        std::string_view s;
        return !v.get_string().get(s);
    }
    case od::json_type::boolean: {
        bool b;
        return !v.get_bool().get(b);
    }
    case od::json_type::null: {
        bool null = false;
        return !v.is_null().get(null) && null;
    }
    }
    return false;
}

// What Qt's parser makes of @p payload (the arguments after the name), for texts the scan
// turns down: the two parsers must accept the same packets.
bool decodeWithQt(const QByteArray &payload, EventArgs *out, QString *name, QString *error)
{
    const QString notNamed = u"EVENT payload must be an array starting with an event name"_s;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &pe);
    if (pe.error != QJsonParseError::NoError) {
        // Valid JSON all the same when it is a lone scalar (Qt's documents are containers).
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + payload + ']', &pe);
        const bool scalar = pe.error == QJsonParseError::NoError && wrapped.array().size() == 1;
        *error = scalar ? notNamed : u"invalid JSON payload"_s;
        return false;
    }
    if (!doc.isArray()) {
        *error = notNamed;
        return false;
    }
    QJsonArray args = doc.array();
    const QJsonValue first = args.isEmpty() ? QJsonValue() : args.takeAt(0);
    if (!first.isString() && !first.isDouble()) {
        *error = notNamed;
        return false;
    }
    *name = first.isString() ? first.toString() : QString::number(first.toDouble());
    *out = EventArgs(args);
    return true;
}

} // namespace

EventArgs::EventArgs(const QJsonArray &args)
    : m_decoded(args)
{
}

qsizetype EventArgs::padding()
{
    return simdjson::SIMDJSON_PADDING;
}

bool EventArgs::scan(QByteArray payload, EventArgs *out, QString *name, QString *error)
{
    // The padding is part of the array's size: capacity() may count room before the data.
    const qsizetype size = payload.size();
    payload.resize(size + padding(), '\0');
    JsonParser parser(size);
    od::document doc;
    od::array array;
    const char *base = payload.constData();
    const simdjson::padded_string_view view(base, size_t(size), size_t(payload.size()));
    EventArgs args;
    QString eventName;
    bool ok = !parser.get().iterate(view).get(doc) && !doc.get_array().get(array);
    bool first = true;
    if (ok) {
        for (auto element : array) {
            od::value v;
            if (std::move(element).get(v)) {
                ok = false;
                break;
            }
            const std::string_view token = v.raw_json_token();
            const qsizetype start = token.data() - base;
            if (first) {
                first = false;
                od::json_type type;
                if (v.type().get(type)) {
                    ok = false;
                    break;
                }
                if (type == od::json_type::string) {
                    std::string_view s;
                    ok = !v.get_string().get(s);
                    eventName = QString::fromUtf8(s.data(), qsizetype(s.size()));
                } else if (type == od::json_type::number) {
                    QJsonValue number;
                    ok = JsonParser::number(token, &number);
                    eventName = QString::number(number.toDouble());
                } else {
                    *error = u"EVENT payload must be an array starting with an event name"_s;
                    return false;
                }
                if (!ok)
                    break;
                continue;
            }
            if (!validate(v, 2)) {
                ok = false;
                break;
            }
            args.m_spans.append({start, 0});
        }
        // Nothing may follow the array (current_location() fails at the end).
        const char *rest = nullptr;
        ok = ok && doc.current_location().get(rest) != simdjson::SUCCESS;
    }
    if (!ok) {
        payload.truncate(size);
        return decodeWithQt(payload, out, name, error);
    }
    if (first) {
        *error = u"EVENT payload must be an array starting with an event name"_s;
        return false;
    }
    // Each argument ends where the next one's separating comma is (the last one at the
    // closing bracket), less the white space before it.
    qsizetype end = size - 1;
    while (end > 0 && payload.at(end) != ']')
        --end;
    for (qsizetype i = args.m_spans.size() - 1; i >= 0; --i) {
        qsizetype stop = end;
        while (stop > args.m_spans[i].offset && JsonParser::isSpace(payload.at(stop - 1)))
            --stop;
        args.m_spans[i].length = stop - args.m_spans[i].offset;
        end = args.m_spans[i].offset - 1;
        while (end > 0 && payload.at(end) != ',')
            --end;
    }
    args.m_text = std::move(payload);
    args.m_textSize = size;
    *name = std::move(eventName);
    *out = std::move(args);
    return true;
}

qsizetype EventArgs::size() const
{
    return m_decoded ? m_decoded->size() : m_spans.size();
}

QJsonValue EventArgs::at(qsizetype i) const
{
    if (i < 0 || i >= size())
        return QJsonValue::Undefined;
    return toArray().at(i);
}

QJsonArray EventArgs::toArray() const
{
    if (!m_decoded) {
        // Decoded once, whole: the arguments' texts are in one array already.
        QJsonArray all
            = QJsonDocument::fromJson(QByteArray::fromRawData(m_text.constData(), m_textSize))
                  .array();
        QJsonArray args;
        for (qsizetype i = 0; i < m_spans.size() && i + 1 < all.size(); ++i)
            args.append(all.at(i + 1));
        m_decoded = args;
    }
    return *m_decoded;
}

QByteArrayView EventArgs::text(qsizetype i) const
{
    if (i < 0 || i >= m_spans.size())
        return {};
    return QByteArrayView(m_text.constData() + m_spans.at(i).offset, m_spans.at(i).length);
}

bool EventArgs::isString(qsizetype i) const
{
    if (i >= 0 && i < m_spans.size())
        return m_text.at(m_spans.at(i).offset) == '"';
    return at(i).isString();
}

QString EventArgs::stringAt(qsizetype i) const
{
    if (m_decoded || i < 0 || i >= m_spans.size())
        return at(i).isString() ? at(i).toString() : QString();
    const QByteArrayView t = text(i);
    const char *end = m_text.constData() + m_text.size();
    JsonParser parser(t.size());
    od::document doc;
    std::string_view s;
    const simdjson::padded_string_view view(t.data(), size_t(t.size()), size_t(end - t.data()));
    if (parser.get().iterate(view).get(doc) || doc.get_string().get(s))
        return {};
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

void EventArgs::removeLast()
{
    if (size() == 0)
        return;
    if (!m_spans.isEmpty())
        m_spans.removeLast();
    if (m_decoded)
        m_decoded->removeLast();
}

} // namespace livedesk
