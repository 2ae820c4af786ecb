// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QStringList>

#include <optional>
#include <vector>

namespace livedesk {

/**
 * One record held in a few bytes: what a list keeps per row instead of a QJsonObject
 * (docs/architecture.md, "Rows in few bytes").
 *
 * A QJsonObject spends seven times its JSON on the heap (an element per key and per value,
 * strings widened, a container per object); a ward list of a million rows cannot afford that.
 * A CompactRecord is one byte array: a pointer to the record's *shape* (its keys, in order,
 * interned once for the whole process, so the rows of one list share them), then each value
 * in key order: a tag byte, then a varint integer, an 8-byte double, or UTF-8 text with its
 * length (nested arrays and objects as their compact JSON). A record whose keys would make
 * too many shapes (a server that sends arbitrary keys) is kept as its compact JSON text
 * instead, so memory stays bounded and nothing is lost.
 *
 * The encoding is canonical: two records with the same keys and values have the same bytes,
 * so equality is a byte compare and the changed fields of two versions are found by walking
 * them in step, with nothing decoded. It is stricter than QJsonObject's ==, which takes an
 * integer past 2^53 and the double nearest it as equal: here they differ, as their JSON does.
 * value() reads one field without decoding the rest; toObject() gives the QJsonObject back, equal
 * to the one it was made from.
 *
 * A value type, implicitly shared, safe to copy and read from any thread.
 */
class CompactRecord
{
public:
    /// The empty record (no keys).
    CompactRecord() = default;
    /// @p object, encoded.
    explicit CompactRecord(const QJsonObject &object);

    /// The record decoded: equal to the object it was made from, value for value.
    QJsonObject toObject() const;
    /// The value of @p key, or undefined when the record has no such key.
    QJsonValue value(QStringView key) const;
    bool isEmpty() const { return m_bytes.isEmpty(); }
    /// The record's keys, in order.
    QStringList keys() const;
    /**
     * Whether this record has every key @p other has a value other than null for: whether it
     * can stand for the whole of @p other rather than a part of it (a server that sends only
     * the fields that changed), with nothing of @p other going blank. Records of one shape
     * answer without looking at a key.
     */
    bool covers(const CompactRecord &other) const;

    /**
     * Appends the records of @p json, the text of a JSON array of objects (a list page's
     * `data`), to @p out, each with the bytes CompactRecord(object) would give it, read with
     * simdjson without a QJsonObject in between: the page of a large read costs its parse and
     * little more. False, with @p out as it was, for anything it does not read (not an array
     * of objects, a key that is not ASCII or comes twice, a string simdjson refuses, the shape
     * table full); the caller reads the text the Qt way then.
     */
    static bool appendArray(const QByteArray &json, std::vector<CompactRecord> *out);
    /**
     * The record of @p json, the text of one JSON object (an event's record), read as
     * appendArray() reads each of its objects; nothing for what it does not read.
     */
    static std::optional<CompactRecord> fromJson(const QByteArray &json);

    /// The keys whose values differ between @p a and @p b (a key only one has differs).
    static QStringList changedFields(const CompactRecord &a, const CompactRecord &b);
    /// The same for two decoded records.
    static QStringList changedFields(const QJsonObject &a, const QJsonObject &b);

    /// The size of the encoding in bytes (the heap holds this plus an array header).
    qsizetype byteSize() const { return m_bytes.size(); }

    friend bool operator==(const CompactRecord &a, const CompactRecord &b)
    {
        return a.m_bytes == b.m_bytes;
    }
    friend bool operator!=(const CompactRecord &a, const CompactRecord &b) { return !(a == b); }

    /// A record's keys, interned (internal to the encoding; public only to its helpers).
    class Shape;

private:
    const Shape *shape() const;

    QByteArray m_bytes;
};

} // namespace livedesk
