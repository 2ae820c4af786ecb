// SPDX-License-Identifier: MIT
#include "state/compactrecord.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QMutex>

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
};

namespace {

using Shape = CompactRecord::Shape;

// The first byte of a record: how the rest is kept.
constexpr char Shaped = 'S';
constexpr char JsonText = 'J';
constexpr qsizetype Header = 1 + qsizetype(sizeof(const Shape *));

// Value tags.
enum Tag : char { Null, False, True, Integer, Double, String, Array, Object };

// Shapes are few (one per key set a server sends) and live as long as the process: records
// point at them from any thread without a lock. Past this many, records keep their JSON.
constexpr qsizetype MaxShapes = 4096;

class ShapeTable
{
public:
    QMutex mutex;
    QHash<QStringList, const Shape *> shapes;
    std::vector<std::unique_ptr<Shape>> owned;
};

ShapeTable &shapeTable()
{
    static ShapeTable *table = new ShapeTable; // never destroyed: records may outlive statics
    return *table;
}

thread_local const Shape *lastShape = nullptr;

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
    QStringList keys = object.keys();
    ShapeTable &table = shapeTable();
    QMutexLocker lock(&table.mutex);
    const Shape *found = table.shapes.value(keys);
    if (!found) {
        if (table.shapes.size() >= MaxShapes)
            return nullptr;
        auto shape = std::make_unique<Shape>();
        shape->keys = std::move(keys);
        found = shape.get();
        table.shapes.insert(shape->keys, found);
        table.owned.push_back(std::move(shape));
    }
    lastShape = found;
    return found;
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
    case QJsonValue::Double: {
        const double d = value.toDouble();
        const qint64 i = value.toInteger();
        // Integers (the parser keeps them exact, beyond 2^53 too) as varints; -0.0 stays a
        // double so that the bytes stay one per value.
        if (double(i) == d && !(i == 0 && std::signbit(d))) {
            out.push_back(Integer);
            appendVarint(out, (quint64(i) << 1) ^ quint64(i >> 63));
        } else {
            out.push_back(Double);
            char bytes[sizeof d];
            std::memcpy(bytes, &d, sizeof d);
            out.append(bytes, sizeof d);
        }
        return;
    }
    case QJsonValue::String:
        appendBytes(out, String, value.toString().toUtf8());
        return;
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
    case Integer: {
        const quint64 z = readVarint(p);
        return qint64((z >> 1) ^ (~(z & 1) + 1));
    }
    case Double: {
        double d;
        std::memcpy(&d, p, sizeof d);
        p += sizeof d;
        return d;
    }
    case String:
    case Array:
    case Object: {
        const auto length = qsizetype(readVarint(p));
        const char *text = p;
        p += length;
        if (tag == String)
            return QString::fromUtf8(text, length);
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
        readVarint(p);
        return;
    case Double:
        p += sizeof(double);
        return;
    case String:
    case Array:
    case Object:
        p += qsizetype(readVarint(p));
        return;
    }
}

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
    out.clear();
    out.push_back(Shaped);
    char pointer[sizeof shape];
    std::memcpy(pointer, &shape, sizeof shape);
    out.append(pointer, sizeof shape);
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
    const QJsonObject x = a.toObject();
    const QJsonObject y = b.toObject();
    for (auto it = y.begin(); it != y.end(); ++it) {
        if (x.value(it.key()) != it.value())
            fields.append(it.key());
    }
    for (auto it = x.begin(); it != x.end(); ++it) {
        if (!y.contains(it.key()))
            fields.append(it.key());
    }
    return fields;
}

} // namespace livedesk
