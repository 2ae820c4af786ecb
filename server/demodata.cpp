// SPDX-License-Identifier: MIT
#include "demodata.h"

#include "resourcespec.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

const QStringList firstNames{
    u"Somchai"_s, u"Malee"_s,     u"Anan"_s,   u"Kanya"_s,     u"Preecha"_s, u"Wilai"_s,
    u"Narong"_s,  u"Sunee"_s,     u"Arthit"_s, u"Pimchanok"_s, u"Ratana"_s,  u"Somsak"_s,
    u"Suda"_s,    u"Thanakorn"_s, u"Lamai"_s,  u"Kittipong"_s, u"Orathai"_s, u"Weerachai"_s,
    u"Nattaya"_s, u"Chaiwat"_s,   u"Emily"_s,  u"James"_s,     u"Maria"_s,   u"Ahmed"_s};
const QStringList lastNames{u"Saetang"_s,    u"Wongsa"_s,     u"Chaiyaporn"_s, u"Srisuk"_s,
                            u"Boonmee"_s,    u"Rattanakul"_s, u"Kaewmanee"_s,  u"Phromma"_s,
                            u"Suwannarat"_s, u"Thongdee"_s,   u"Jaidee"_s,     u"Inthasorn"_s,
                            u"Smith"_s,      u"Garcia"_s,     u"Rahman"_s};

QString pick(QRandomGenerator &rng, const QStringList &list)
{
    return list.isEmpty() ? QString() : list.at(int(rng.bounded(quint32(list.size()))));
}

QString expandPattern(const QString &pattern, qint64 seq, QRandomGenerator &rng)
{
    static const QRegularExpression part(u"\\{(seq|int|pick):([^}]*)\\}"_s);
    QString out;
    qsizetype last = 0;
    auto it = part.globalMatch(pattern);
    while (it.hasNext()) {
        const auto m = it.next();
        out += pattern.mid(last, m.capturedStart() - last);
        const QString kind = m.captured(1);
        const QString arg = m.captured(2);
        if (kind == u"seq") {
            out += QString::number(seq).rightJustified(arg.size(), u'0');
        } else if (kind == u"int") {
            const auto bounds = arg.split(u':');
            const int lo = bounds.value(0).toInt();
            const int hi = std::max(lo, bounds.value(1).toInt());
            out += QString::number(lo + int(rng.bounded(quint32(hi - lo + 1))));
        } else {
            out += pick(rng, arg.split(u','));
        }
        last = m.capturedEnd();
    }
    out += pattern.mid(last);
    return out;
}

QDateTime between(QRandomGenerator &rng, const QDateTime &from, const QDateTime &to)
{
    const qint64 span = std::max<qint64>(1, from.secsTo(to));
    return from.addSecs(qint64(rng.bounded(double(span))));
}

QJsonValue valueFor(const FieldSpec &field, const QJsonObject &hint, qint64 index,
                    QRandomGenerator &rng)
{
    if (hint.contains(u"pick")) {
        const auto list = hint.value(u"pick").toArray();
        return list.isEmpty() ? QJsonValue() : list.at(int(rng.bounded(quint32(list.size()))));
    }
    if (hint.contains(u"pattern")) {
        const qint64 modulo = hint.value(u"modulo").toInteger(0);
        const qint64 seq
            = hint.value(u"start").toInteger(1) + (modulo > 0 ? index % modulo : index);
        return expandPattern(hint.value(u"pattern").toString(), seq, rng);
    }
    if (hint.value(u"personName").toBool())
        return QString(pick(rng, firstNames) + u' ' + pick(rng, lastNames));

    const auto now = QDateTime(QDate(2026, 11, 21), QTime(9, 0), Qt::UTC);
    switch (field.type) {
    case FieldSpec::Type::Enum:
        return pick(rng, field.values);
    case FieldSpec::Type::Boolean:
        return rng.bounded(10u) == 0;
    case FieldSpec::Type::Integer:
        return int(rng.bounded(101u));
    case FieldSpec::Type::Number:
        return std::round(rng.bounded(10000.0)) / 100.0;
    case FieldSpec::Type::Date:
    case FieldSpec::Type::DateTime: {
        const auto parse = [](const QJsonValue &v, const QDateTime &fallback) {
            const auto t = QDateTime::fromString(v.toString(), Qt::ISODate);
            if (t.isValid())
                return t;
            const auto d = QDate::fromString(v.toString(), Qt::ISODate);
            return d.isValid() ? QDateTime(d, QTime(0, 0), Qt::UTC) : fallback;
        };
        const auto t = between(rng, parse(hint.value(u"from"), now.addYears(-2)),
                               parse(hint.value(u"to"), now));
        return field.type == FieldSpec::Type::Date ? t.date().toString(Qt::ISODate)
                                                   : t.toUTC().toString(Qt::ISODateWithMs);
    }
    case FieldSpec::Type::String:
    case FieldSpec::Type::Text:
        return QJsonValue();
    }
    return QJsonValue();
}

} // namespace

QList<QJsonObject> DemoData::rows(const ResourceSpec &resource, int salt)
{
    const QJsonObject demo = resource.demo;
    const qint64 count = demo.value(u"count").toInteger(0);
    QRandomGenerator rng(quint32(demo.value(u"seed").toInteger(1) + salt * 7919));
    const QJsonObject hints = demo.value(u"fields").toObject();
    QList<QJsonObject> out;
    out.reserve(count);
    for (qint64 i = 0; i < count; ++i) {
        QJsonObject row;
        for (const auto &field : resource.fields) {
            const QJsonValue v = valueFor(field, hints.value(field.name).toObject(), i, rng);
            if (!v.isNull() && !(v.isString() && v.toString().isEmpty()))
                row.insert(field.name, v);
        }
        out.append(row);
    }
    return out;
}

} // namespace livedesk::server
