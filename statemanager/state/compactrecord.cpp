// SPDX-License-Identifier: MIT
#include "state/compactrecord.h"

#include "jsonparser.h"
#include "livedesklogging.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QMutex>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace livedesk {

class CompactRecord::Shape
{
public:
    QStringList keys;
    // The keys as UTF-8, to match keys read from JSON text without converting them.
    std::vector<std::string> utf8Keys;
};

namespace {

using Shape = CompactRecord::Shape;

// The first byte of a record: how the rest is kept.
constexpr char Shaped = 'S';
constexpr char JsonText = 'J';
constexpr qsizetype Header = 1 + qsizetype(sizeof(const Shape *));

// Value tags. Text in the shapes servers write on every row (an ISO date, or a UTC time with
// or without milliseconds, as JavaScript's toISOString() and PostgreSQL's JSON give them) is
// kept as a number when it reads back as the very same text.
// Text that is not valid UTF-16 (a lone surrogate, which Qt's parser lets through from an
// escape) is kept as its UTF-16 code units: UTF-8 would fold every such string into one.
enum Tag : char {
    Null,
    False,
    True,
    Integer,
    Double,
    String,
    Array,
    Object,
    Date,
    Time,
    TimeMs,
    Utf16
};

// Days since 1970-01-01 of a proleptic Gregorian date (and back): H. Hinnant's algorithm.
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

void civilFromDays(qint64 z, qint64 *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = qint64(yoe) + era * 400 + (*m <= 2);
}

bool isLeap(qint64 y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Reads @p count digits at @p at of @p text; -1 if any is not one.
int digits(QStringView text, qsizetype at, int count)
{
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const char16_t c = text[at + i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        v = v * 10 + (c - u'0');
    }
    return v;
}

// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS.mmmZ" with every field in
// range: the tag and the days, or milliseconds or seconds since the epoch. Anything else
// (another zone, a fraction of other length, a 24:00) stays text.
bool parseTime(QStringView text, Tag *tag, qint64 *value)
{
    const qsizetype n = text.size();
    if (n != 10 && n != 20 && n != 24)
        return false;
    if (text[4] != u'-' || text[7] != u'-')
        return false;
    const int y = digits(text, 0, 4);
    const int mo = digits(text, 5, 2);
    const int d = digits(text, 8, 2);
    static constexpr int monthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 0 || mo < 1 || mo > 12 || d < 1
        || d > monthDays[mo - 1] + (mo == 2 && isLeap(y) ? 1 : 0))
        return false;
    const qint64 days = daysFromCivil(y, unsigned(mo), unsigned(d));
    if (n == 10) {
        *tag = Date;
        *value = days;
        return true;
    }
    if (text[10] != u'T' || text[13] != u':' || text[16] != u':' || text[n - 1] != u'Z')
        return false;
    const int h = digits(text, 11, 2);
    const int mi = digits(text, 14, 2);
    const int s = digits(text, 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
        return false;
    const qint64 seconds = ((days * 24 + h) * 60 + mi) * 60 + s;
    if (n == 20) {
        *tag = Time;
        *value = seconds;
        return true;
    }
    const int ms = text[19] == u'.' ? digits(text, 20, 3) : -1;
    if (ms < 0)
        return false;
    *tag = TimeMs;
    *value = seconds * 1000 + ms;
    return true;
}

QString formatTime(Tag tag, qint64 value)
{
    const auto floorDiv = [](qint64 a, qint64 b) {
        return a / b - (a % b != 0 && (a < 0) != (b < 0));
    };
    qint64 ms = 0;
    qint64 seconds = value;
    if (tag == TimeMs) {
        seconds = floorDiv(value, 1000);
        ms = value - seconds * 1000;
    }
    const qint64 days = tag == Date ? value : floorDiv(seconds, 86400);
    const qint64 inDay = tag == Date ? 0 : seconds - days * 86400;
    qint64 y;
    unsigned m;
    unsigned d;
    civilFromDays(days, &y, &m, &d);
    char16_t out[24];
    const auto put = [&out](int at, qint64 v, int count) {
        for (int i = count - 1; i >= 0; --i, v /= 10)
            out[at + i] = char16_t(u'0' + v % 10);
    };
    put(0, y, 4);
    out[4] = u'-';
    put(5, m, 2);
    out[7] = u'-';
    put(8, d, 2);
    if (tag == Date)
        return QString(reinterpret_cast<const QChar *>(out), 10);
    out[10] = u'T';
    put(11, inDay / 3600, 2);
    out[13] = u':';
    put(14, inDay / 60 % 60, 2);
    out[16] = u':';
    put(17, inDay % 60, 2);
    if (tag == Time) {
        out[19] = u'Z';
        return QString(reinterpret_cast<const QChar *>(out), 20);
    }
    out[19] = u'.';
    put(20, ms, 3);
    out[23] = u'Z';
    return QString(reinterpret_cast<const QChar *>(out), 24);
}

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 z)
{
    return qint64((z >> 1) ^ (~(z & 1) + 1));
}

// Shapes are few (one per key set a server sends) and live as long as the process: records
// point at them from any thread without a lock. Past this many, records keep their JSON.
constexpr qsizetype MaxShapes = 4096;

class ShapeTable
{
public:
    QMutex mutex;
    QHash<QStringList, const Shape *> shapes;
    std::vector<std::unique_ptr<Shape>> owned;
    bool full = false;
};

ShapeTable &shapeTable()
{
    static ShapeTable *table = new ShapeTable; // never destroyed: records may outlive statics
    return *table;
}

thread_local const Shape *lastShape = nullptr;

const Shape *internShape(QStringList keys)
{
    ShapeTable &table = shapeTable();
    QMutexLocker lock(&table.mutex);
    const Shape *found = table.shapes.value(keys);
    if (!found) {
        if (table.shapes.size() >= MaxShapes) {
            if (!std::exchange(table.full, true)) {
                qCWarning(lcState) << "more than" << MaxShapes
                                   << "different key sets: records with new ones are kept as "
                                      "JSON text from now on (slower to read)";
            }
            return nullptr;
        }
        auto shape = std::make_unique<Shape>();
        shape->keys = std::move(keys);
        for (const QString &key : std::as_const(shape->keys))
            shape->utf8Keys.push_back(key.toStdString());
        found = shape.get();
        table.shapes.insert(shape->keys, found);
        table.owned.push_back(std::move(shape));
    }
    lastShape = found;
    return found;
}

const Shape *shapeOf(const QJsonObject &object)
{
    // Rows of one list nearly always have the keys of the record before.
    if (const Shape *last = lastShape; last && last->keys.size() == object.size()) {
        qsizetype i = 0;
        auto it = object.constBegin();
        for (; it != object.constEnd(); ++it, ++i) {
            if (it.key() != last->keys[i])
                break;
        }
        if (it == object.constEnd())
            return last;
    }
    return internShape(object.keys());
}

// Starts a record of @p shape in @p out: its kind, then the shape.
void startShaped(std::string &out, const Shape *shape)
{
    out.clear();
    out.push_back(Shaped);
    char pointer[sizeof shape];
    std::memcpy(pointer, &shape, sizeof shape);
    out.append(pointer, sizeof shape);
}

void appendVarint(std::string &out, quint64 v)
{
    while (v >= 0x80) {
        out.push_back(char(v | 0x80));
        v >>= 7;
    }
    out.push_back(char(v));
}

quint64 readVarint(const char *&p)
{
    quint64 v = 0;
    int shift = 0;
    for (;;) {
        const auto byte = quint8(*p++);
        v |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return v;
        shift += 7;
    }
}

void appendBytes(std::string &out, Tag tag, const QByteArray &bytes)
{
    out.push_back(tag);
    appendVarint(out, quint64(bytes.size()));
    out.append(bytes.constData(), size_t(bytes.size()));
}

void appendNumber(std::string &out, const QJsonValue &value)
{
    const double d = value.toDouble();
    const qint64 i = value.toInteger();
    // Integers (the parser keeps them exact, beyond 2^53 too) as varints; -0.0 stays a
    // double so that the bytes stay one per value.
    if (double(i) == d && !(i == 0 && std::signbit(d))) {
        out.push_back(Integer);
        appendVarint(out, zigzag(i));
    } else {
        out.push_back(Double);
        char bytes[sizeof d];
        std::memcpy(bytes, &d, sizeof d);
        out.append(bytes, sizeof d);
    }
}

void appendValue(std::string &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.push_back(Null);
        return;
    case QJsonValue::Bool:
        out.push_back(value.toBool() ? True : False);
        return;
    case QJsonValue::Double:
        appendNumber(out, value);
        return;
    case QJsonValue::String: {
        const QString text = value.toString();
        Tag tag;
        qint64 time;
        if (parseTime(text, &tag, &time)) {
            out.push_back(tag);
            appendVarint(out, zigzag(time));
        } else if (text.isValidUtf16()) {
            appendBytes(out, String, text.toUtf8());
        } else {
            appendBytes(out, Utf16,
                        QByteArray(reinterpret_cast<const char *>(text.utf16()),
                                   text.size() * qsizetype(sizeof(char16_t))));
        }
        return;
    }
    case QJsonValue::Array:
        appendBytes(out, Array, QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        return;
    case QJsonValue::Object:
        appendBytes(out, Object, QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        return;
    }
}

QJsonValue readValue(const char *&p)
{
    const auto tag = Tag(*p++);
    switch (tag) {
    case Null:
        return QJsonValue(QJsonValue::Null);
    case False:
        return false;
    case True:
        return true;
    case Integer:
        return unzigzag(readVarint(p));
    case Date:
    case Time:
    case TimeMs:
        return formatTime(tag, unzigzag(readVarint(p)));
    case Double: {
        double d;
        std::memcpy(&d, p, sizeof d);
        p += sizeof d;
        return d;
    }
    case String:
    case Utf16:
    case Array:
    case Object: {
        const auto length = qsizetype(readVarint(p));
        const char *text = p;
        p += length;
        if (tag == String)
            return QString::fromUtf8(text, length);
        if (tag == Utf16) {
            QString wide(length / 2, Qt::Uninitialized);
            std::memcpy(wide.data(), text, size_t(length));
            return wide;
        }
        const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text, length));
        return tag == Array ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    }
    return {};
}

void skipValue(const char *&p)
{
    const auto tag = Tag(*p++);
    switch (tag) {
    case Null:
    case False:
    case True:
        return;
    case Integer:
    case Date:
    case Time:
    case TimeMs:
        readVarint(p);
        return;
    case Double:
        p += sizeof(double);
        return;
    case String:
    case Utf16:
    case Array:
    case Object:
        p += qsizetype(readVarint(p));
        return;
    }
}

namespace od = simdjson::ondemand;

// Qt's parser refuses a document nested deeper than this.
constexpr int MaxNesting = 1024;

// How deeply the containers of @p json (one value's text) nest, brackets in strings aside.
int nestingOf(std::string_view json)
{
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    for (size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

// Encodes @p v (a value of the object being read, inside @p depth containers) at the end of
// @p out as appendValue() would its QJsonValue. False where it cannot, or where Qt would
// refuse the whole document.
bool appendJsonValue(std::string &out, od::value v, int depth)
{
    od::json_type type;
    if (v.type().get(type))
        return false;
    switch (type) {
    case od::json_type::null: {
        bool isNull = false;
        if (v.is_null().get(isNull) || !isNull)
            return false;
        out.push_back(Null);
        return true;
    }
    case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b))
            return false;
        out.push_back(b ? True : False);
        return true;
    }
    case od::json_type::number: {
        QJsonValue number;
        if (!JsonParser::number(JsonParser::trimmed(v.raw_json_token()), &number))
            return false;
        appendNumber(out, number);
        return true;
    }
    case od::json_type::string: {
        std::string_view text;
        if (v.get_string().get(text))
            return false;
        if (text.size() == 10 || text.size() == 20 || text.size() == 24) {
            char16_t wide[24];
            bool ascii = true;
            for (size_t i = 0; i < text.size(); ++i) {
                ascii = ascii && quint8(text[i]) < 0x80;
                wide[i] = char16_t(quint8(text[i]));
            }
            Tag tag;
            qint64 time;
            if (ascii && parseTime(QStringView(wide, qsizetype(text.size())), &tag, &time)) {
                out.push_back(tag);
                appendVarint(out, zigzag(time));
                return true;
            }
        }
        out.push_back(String);
        appendVarint(out, quint64(text.size()));
        out.append(text);
        return true;
    }
    case od::json_type::array:
    case od::json_type::object: {
        const bool isArray = type == od::json_type::array;
        std::string_view raw;
        od::array array;
        od::object object;
        if (isArray ? v.get_array().get(array) || array.raw_json().get(raw)
                    : v.get_object().get(object) || object.raw_json().get(raw))
            return false;
        // Read apart, the value would pass Qt's nesting limit that the document it is in
        // does not.
        // (Each level takes two bytes: shorter text cannot reach the limit, nor needs the scan.)
        if (qsizetype(raw.size()) >= 2 * (MaxNesting - depth)
            && depth + nestingOf(raw) > MaxNesting)
            return false;
        // Made canonical the way the QJsonObject path makes it.
        const QJsonDocument nested
            = QJsonDocument::fromJson(QByteArray(raw.data(), qsizetype(raw.size())));
        if (isArray ? !nested.isArray() : !nested.isObject())
            return false;
        appendBytes(out, isArray ? Array : Object, nested.toJson(QJsonDocument::Compact));
        return true;
    }
    }
    return false;
}

// One field read from JSON text: its key and where its encoded value is in the scratch.
class FieldText
{
public:
    std::string_view key;
    size_t begin = 0;
    size_t end = 0;
};

} // namespace

CompactRecord::CompactRecord(const QJsonObject &object)
{
    if (object.isEmpty())
        return;
    const Shape *shape = shapeOf(object);
    if (!shape) {
        m_bytes = JsonText + QJsonDocument(object).toJson(QJsonDocument::Compact);
        return;
    }
    thread_local std::string out;
    startShaped(out, shape);
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        appendValue(out, it.value());
    m_bytes = QByteArray(out.data(), qsizetype(out.size()));
}

const CompactRecord::Shape *CompactRecord::shape() const
{
    if (m_bytes.size() < Header || m_bytes.at(0) != Shaped)
        return nullptr;
    const Shape *shape;
    std::memcpy(&shape, m_bytes.constData() + 1, sizeof shape);
    return shape;
}

namespace {

// Encodes @p object (being read, itself at nesting @p depth) into @p bytes as
// CompactRecord(QJsonObject) would: empty for an object without keys. False where it cannot
// (see CompactRecord::appendArray()).
bool encodeObject(od::object object, std::string &bytes, int depth)
{
    thread_local std::string values;
    thread_local std::vector<FieldText> fields;
    values.clear();
    fields.clear();
    bytes.clear();
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key))
            return false;
        for (const char c : key) {
            if (quint8(c) >= 0x80)
                return false;
        }
        FieldText f;
        f.key = key;
        f.begin = values.size();
        od::value value;
        if (field.value().get(value) || !appendJsonValue(values, value, depth))
            return false;
        f.end = values.size();
        fields.push_back(f);
    }
    if (fields.empty())
        return true;
    // In key order, as a QJsonObject keeps them (the same for ASCII keys).
    std::sort(fields.begin(), fields.end(),
              [](const FieldText &a, const FieldText &b) { return a.key < b.key; });
    for (size_t i = 1; i < fields.size(); ++i) {
        if (fields[i].key == fields[i - 1].key)
            return false;
    }
    const Shape *shape = lastShape;
    bool same = shape && shape->utf8Keys.size() == fields.size();
    for (size_t i = 0; same && i < fields.size(); ++i)
        same = fields[i].key == shape->utf8Keys[i];
    if (!same) {
        QStringList keys;
        keys.reserve(qsizetype(fields.size()));
        for (const FieldText &f : fields)
            keys.append(QString::fromLatin1(f.key.data(), qsizetype(f.key.size())));
        shape = internShape(std::move(keys));
        if (!shape)
            return false;
    }
    startShaped(bytes, shape);
    for (const FieldText &f : fields)
        bytes.append(values, f.begin, f.end - f.begin);
    return true;
}

} // namespace

bool CompactRecord::appendArray(const QByteArray &json, std::vector<CompactRecord> *out)
{
    const size_t before = out->size();
    const auto fail = [&] {
        out->resize(before);
        return false;
    };
    JsonParser parser(json.size());
    od::document document;
    od::array array;
    std::string_view whole;
    if (!parser.iterate(json, &document) || document.get_array().get(array)
        || array.raw_json().get(whole) || array.reset().error() || !parser.onlySpaceAfter(whole))
        return fail();
    thread_local std::string bytes;
    for (auto element : array) {
        od::object object;
        if (element.get_object().get(object) || !encodeObject(object, bytes, 2))
            return fail();
        CompactRecord record;
        record.m_bytes = QByteArray(bytes.data(), qsizetype(bytes.size()));
        out->push_back(std::move(record));
    }
    return true;
}

std::optional<CompactRecord> CompactRecord::fromJson(const QByteArray &json)
{
    JsonParser parser(json.size());
    od::document document;
    od::object object;
    std::string_view whole;
    thread_local std::string bytes;
    if (!parser.iterate(json, &document) || document.get_object().get(object)
        || object.raw_json().get(whole) || object.reset().error() || !parser.onlySpaceAfter(whole)
        || !encodeObject(object, bytes, 1))
        return std::nullopt;
    CompactRecord record;
    record.m_bytes = QByteArray(bytes.data(), qsizetype(bytes.size()));
    return record;
}

QJsonObject CompactRecord::toObject() const
{
    if (m_bytes.isEmpty())
        return {};
    const Shape *s = shape();
    if (!s)
        return QJsonDocument::fromJson(m_bytes.sliced(1)).object();
    QJsonObject object;
    const char *p = m_bytes.constData() + Header;
    for (const QString &key : s->keys)
        object.insert(key, readValue(p));
    return object;
}

QJsonValue CompactRecord::value(QStringView key) const
{
    if (m_bytes.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    const Shape *s = shape();
    if (!s)
        return toObject().value(key);
    const qsizetype at = s->keys.indexOf(key);
    if (at < 0)
        return QJsonValue(QJsonValue::Undefined);
    const char *p = m_bytes.constData() + Header;
    for (qsizetype i = 0; i < at; ++i)
        skipValue(p);
    return readValue(p);
}

QStringList CompactRecord::keys() const
{
    if (const Shape *s = shape())
        return s->keys;
    return toObject().keys();
}

bool CompactRecord::covers(const CompactRecord &other) const
{
    const Shape *mine = shape();
    if (mine && mine == other.shape())
        return true;
    const QStringList own = keys();
    const QStringList theirs = other.keys();
    return std::all_of(theirs.cbegin(), theirs.cend(), [&](const QString &key) {
        return own.contains(key) || other.value(key).isNull();
    });
}

QStringList CompactRecord::changedFields(const CompactRecord &a, const CompactRecord &b)
{
    QStringList fields;
    const Shape *shape = a.shape();
    if (shape && shape == b.shape()) {
        const char *p = a.m_bytes.constData() + Header;
        const char *q = b.m_bytes.constData() + Header;
        for (const QString &key : shape->keys) {
            const char *pStart = p;
            const char *qStart = q;
            skipValue(p);
            skipValue(q);
            if (p - pStart != q - qStart || std::memcmp(pStart, qStart, size_t(p - pStart)) != 0)
                fields.append(key);
        }
        return fields;
    }
    return changedFields(a.toObject(), b.toObject());
}

QStringList CompactRecord::changedFields(const QJsonObject &a, const QJsonObject &b)
{
    QStringList fields;
    if (a.size() == b.size()) {
        // Nearly always the same keys (a record's next version): both iterate in key order,
        // so they are compared in step, without a lookup per key.
        bool sameKeys = true;
        for (auto ia = a.constBegin(), ib = b.constBegin(); ia != a.constEnd(); ++ia, ++ib) {
            const QString key = ib.key();
            if (ia.key() != key) {
                sameKeys = false;
                break;
            }
            if (QJsonValue(ia.value()) != QJsonValue(ib.value()))
                fields.append(key);
        }
        if (sameKeys)
            return fields;
        fields.clear();
    }
    for (auto it = b.begin(); it != b.end(); ++it) {
        if (a.value(it.key()) != it.value())
            fields.append(it.key());
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
        if (!b.contains(it.key()))
            fields.append(it.key());
    }
    return fields;
}

} // namespace livedesk
