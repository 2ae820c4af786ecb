// SPDX-License-Identifier: MIT
#include "socketiopacket.h"

#include "eventargs.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

QString toJsonText(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    // QJsonDocument only serialises containers: wrap scalars and strip the brackets.
    const auto wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

bool parseJson(QStringView text, QJsonValue *out)
{
    QJsonParseError pe;
    const QChar first = text.front();
    if (first == u'{' || first == u'[') {
        const auto doc = QJsonDocument::fromJson(text.toUtf8(), &pe);
        if (pe.error != QJsonParseError::NoError)
            return false;
        *out = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
        return true;
    }
    QByteArray wrapped = text.toUtf8();
    wrapped.prepend('[').append(']');
    const auto doc = QJsonDocument::fromJson(wrapped, &pe);
    if (pe.error != QJsonParseError::NoError || doc.array().size() != 1)
        return false;
    *out = doc.array().at(0);
    return true;
}

bool isReservedEventName(const QString &name)
{
    static const QStringList reserved{u"connect"_s,       u"connect_error"_s, u"disconnect"_s,
                                      u"disconnecting"_s, u"newListener"_s,   u"removeListener"_s};
    return reserved.contains(name);
}

} // namespace

QString SocketIoPacket::encode() const
{
    QString out;
    out.reserve(16);
    out += QChar(u'0' + type);
    if (type == BinaryEvent || type == BinaryAck) {
        out += QString::number(attachments);
        out += u'-';
    }
    if (!nsp.isEmpty() && nsp != u"/") {
        out += nsp;
        out += u',';
    }
    if (ackId >= 0)
        out += QString::number(ackId);
    if (!data.isUndefined())
        out += toJsonText(data);
    return out;
}

namespace {

// The packet's type, attachment count, namespace and ack id; @p i is left at the payload.
bool decodeHeader(QStringView text, SocketIoPacket &p, qsizetype &i, QString *error)
{
    using Type = SocketIoPacket::Type;
    if (text.isEmpty()) {
        *error = u"empty packet"_s;
        return false;
    }
    const QChar t = text.at(0);
    if (t < u'0' || t > u'6') {
        *error = u"unknown packet type '%1'"_s.arg(t);
        return false;
    }
    p.type = static_cast<Type>(t.unicode() - u'0');
    i = 1;
    const qsizetype n = text.size();

    if (p.type == SocketIoPacket::BinaryEvent || p.type == SocketIoPacket::BinaryAck) {
        const qsizetype start = i;
        while (i < n && text.at(i).isDigit())
            ++i;
        if (i == start || i >= n || text.at(i) != u'-') {
            *error = u"binary packet without attachment count"_s;
            return false;
        }
        bool ok = false;
        p.attachments = text.sliced(start, i - start).toInt(&ok);
        if (!ok || p.attachments < 0 || p.attachments > SocketIoPacket::maxAttachments) {
            *error = u"invalid attachment count (at most %1)"_s.arg(SocketIoPacket::maxAttachments);
            return false;
        }
        ++i; // '-'
    }

    if (i < n && text.at(i) == u'/') {
        const qsizetype start = i;
        while (i < n && text.at(i) != u',')
            ++i;
        p.nsp = text.sliced(start, i - start).toString();
        if (i < n)
            ++i; // ','
    }

    {
        const qsizetype start = i;
        while (i < n && text.at(i).isDigit())
            ++i;
        if (i > start) {
            bool ok = false;
            p.ackId = text.sliced(start, i - start).toLongLong(&ok);
            if (!ok) {
                *error = u"invalid ack id"_s;
                return false;
            }
        }
    }
    return true;
}

} // namespace

bool SocketIoPacket::decodeEvent(QStringView text, SocketIoPacket *out, QString *name,
                                 EventArgs *args, QString *error)
{
    if (!text.startsWith(QChar(char16_t(u'0' + Event))))
        return decode(text, out, error);
    SocketIoPacket p;
    qsizetype i = 0;
    if (!decodeHeader(text, p, i, error))
        return false;
    const QString notNamed = u"EVENT payload must be an array starting with an event name"_s;
    if (i == text.size()) {
        *error = notNamed;
        return false;
    }
    // The conversion decode() makes (a lone surrogate becomes '?'); it leaves room for three
    // bytes a character, so the scan's padding rarely needs another copy.
    if (!EventArgs::scan(text.sliced(i).toUtf8(), args, name, error))
        return false;
    // A number as the name reads as digits, never as a reserved word.
    if (isReservedEventName(*name)) {
        *error = notNamed;
        return false;
    }
    *out = p;
    return true;
}

bool SocketIoPacket::decode(QStringView text, SocketIoPacket *out, QString *error)
{
    SocketIoPacket p;
    qsizetype i = 0;
    if (!decodeHeader(text, p, i, error))
        return false;
    const qsizetype n = text.size();
    if (i < n && !parseJson(text.sliced(i), &p.data)) {
        *error = u"invalid JSON payload"_s;
        return false;
    }

    switch (p.type) {
    case Connect:
        if (!p.data.isUndefined() && !p.data.isObject()) {
            *error = u"CONNECT payload must be an object"_s;
            return false;
        }
        break;
    case Disconnect:
        if (!p.data.isUndefined()) {
            *error = u"DISCONNECT carries no payload"_s;
            return false;
        }
        break;
    case ConnectError:
        if (!p.data.isObject() && !p.data.isString()) {
            *error = u"CONNECT_ERROR payload must be an object or a string"_s;
            return false;
        }
        break;
    case Event:
    case BinaryEvent: {
        const auto a = p.data.toArray();
        const bool named = !a.isEmpty()
            && ((a.at(0).isString() && !isReservedEventName(a.at(0).toString()))
                || a.at(0).isDouble());
        if (!p.data.isArray() || !named) {
            *error = u"EVENT payload must be an array starting with an event name"_s;
            return false;
        }
        break;
    }
    case Ack:
    case BinaryAck:
        if (!p.data.isArray()) {
            *error = u"ACK payload must be an array"_s;
            return false;
        }
        if (p.ackId < 0) {
            *error = u"ACK without an id"_s;
            return false;
        }
        break;
    }
    *out = p;
    return true;
}

bool SocketIoPacket::isPlaceholder(const QJsonValue &v, int *num)
{
    if (!v.isObject())
        return false;
    const auto o = v.toObject();
    const QJsonValue n = o.value(u"num");
    if (o.value(u"_placeholder") != QJsonValue(true) || !n.isDouble())
        return false;
    const double d = n.toDouble();
    if (d < 0 || d > maxAttachments || d != double(qint64(d)))
        return false;
    if (num)
        *num = int(d);
    return true;
}

} // namespace livedesk
