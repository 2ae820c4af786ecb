// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QJsonArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace livedesk {

/**
 * The arguments of one Socket.IO EVENT, kept as the UTF-8 JSON text they arrived in.
 *
 * A client of a busy server receives thousands of events a second and most of what each
 * carries is read once, by one reader, field by field. Building a QJsonArray of every packet
 * (and a QJsonObject of every envelope inside it) was most of the CPU an event cost, so the
 * payload is scanned once instead (validated whole and split into one text per argument) and
 * decoded into Qt JSON only when someone asks for it: at() and toArray() decode on first use
 * and keep the result. EventDecoder reads the AegisX envelope straight from text().
 *
 * Arguments built in code (a binary event's placeholders, an event a test makes up) are held
 * decoded: hasText() is false and text() empty.
 */
class EventArgs
{
public:
    EventArgs() = default;
    /// Arguments that are already decoded.
    EventArgs(const QJsonArray &args); // NOLINT(google-explicit-constructor): a drop-in

    /**
     * Scans @p payload, an EVENT packet's JSON `[name, arg, ...]` in UTF-8: the whole text must
     * be valid JSON, the first element a string or a number (@p name). False with @p error set
     * otherwise.
     */
    static bool scan(QByteArray payload, EventArgs *out, QString *name, QString *error);
    /// The bytes the parser may read past a text's end (text() has them).
    static qsizetype padding();

    qsizetype size() const;
    bool isEmpty() const { return size() == 0; }
    /// Argument @p i, decoded (Undefined when out of range).
    QJsonValue at(qsizetype i) const;
    QJsonValue last() const { return at(size() - 1); }
    /// All arguments, decoded.
    QJsonArray toArray() const;

    /// Whether the arguments are held as text (scan()).
    bool hasText() const { return !m_text.isEmpty(); }
    /// Argument @p i as compact-or-not JSON text, exactly as received; empty when !hasText().
    /// The bytes after it are readable up to padding(), as simdjson needs.
    QByteArrayView text(qsizetype i) const;
    /// Whether argument @p i is a JSON string (without decoding it).
    bool isString(qsizetype i) const;
    /// Argument @p i when it is a string (decoding that argument alone), else a null string.
    QString stringAt(qsizetype i) const;
    /// Drops the last argument (the recovery offset a server appends).
    void removeLast();

private:
    struct Span
    {
        qsizetype offset;
        qsizetype length;
    };
    // The whole payload, name included, followed by padding() zero bytes.
    QByteArray m_text;
    qsizetype m_textSize = 0;
    QList<Span> m_spans;
    mutable std::optional<QJsonArray> m_decoded;
};

} // namespace livedesk
