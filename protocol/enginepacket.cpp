// SPDX-License-Identifier: MIT
#include "enginepacket.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace livedesk {

EnginePacket EnginePacket::fromTextFrame(const QString &frame)
{
    EnginePacket p;
    if (frame.isEmpty())
        return p;
    const QChar c = frame.at(0);
    if (c < u'0' || c > u'6')
        return p;
    p.type = static_cast<Type>(c.unicode() - u'0');
    p.text = frame.mid(1);
    return p;
}

EnginePacket EnginePacket::fromBinaryFrame(const QByteArray &frame)
{
    return {Message, {}, frame, true};
}

QString EnginePacket::toTextFrame() const
{
    return QString(QChar(u'0' + type)) + text;
}

bool EngineHandshake::parse(const QString &json, EngineHandshake *out, QString *error)
{
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(json.toUtf8(), &pe);
    if (!doc.isObject()) {
        *error = QStringLiteral("handshake is not a JSON object: %1").arg(pe.errorString());
        return false;
    }
    const auto o = doc.object();
    const auto sid = o.value(u"sid");
    if (!sid.isString() || sid.toString().isEmpty()) {
        *error = QStringLiteral("handshake has no sid");
        return false;
    }
    EngineHandshake h;
    h.sid = sid.toString();
    const auto upgrades = o.value(u"upgrades").toArray();
    for (const auto &u : upgrades)
        h.upgrades.append(u.toString());
    // Missing or nonsensical timings fall back to the protocol defaults rather than
    // producing a heartbeat that fires at once.
    // Timings are bounded at one day so that the client's interval + timeout sum fits in an int.
    const auto positive = [&o](QStringView key, qint64 fallback, double max) {
        const double v = o.value(key).toDouble(-1);
        return v >= 1 && v <= max ? qint64(v) : fallback;
    };
    h.pingIntervalMs = int(positive(u"pingInterval", 25000, 86400000.0));
    h.pingTimeoutMs = int(positive(u"pingTimeout", 20000, 86400000.0));
    h.maxPayload = positive(u"maxPayload", 1000000, 9e15);
    *out = h;
    return true;
}

QString EngineHandshake::toJson() const
{
    QJsonObject o{{u"sid"_s, sid},
                  {u"upgrades"_s, QJsonArray::fromStringList(upgrades)},
                  {u"pingInterval"_s, pingIntervalMs},
                  {u"pingTimeout"_s, pingTimeoutMs},
                  {u"maxPayload"_s, maxPayload}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace livedesk
