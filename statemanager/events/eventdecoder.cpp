// SPDX-License-Identifier: MIT
#include "events/eventdecoder.h"

#include "livedesklogging.h"

#include <QtCore/QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

using Dialect = RealtimeEvent::Dialect;

// Ids arrive as numbers or strings; AegisX compares them as strings.
QString idString(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        const qint64 i = v.toInteger();
        return double(i) == d ? QString::number(i) : QString::number(d, 'g', 17);
    }
    return {};
}

void appendId(QStringList *ids, const QJsonValue &v)
{
    const QString id = idString(v);
    if (!id.isEmpty())
        ids->append(id);
}

void appendIdsOfRecords(QStringList *ids, const QJsonValue &records)
{
    const auto array = records.toArray();
    for (const auto &r : array)
        appendId(ids, r.isObject() ? r.toObject().value(u"id") : r);
}

// The ids a data payload names: a record or `{id}`, a list of records, or `{ids}`.
void collectIds(QStringList *ids, const QJsonValue &data)
{
    if (data.isArray()) {
        appendIdsOfRecords(ids, data);
        return;
    }
    const auto o = data.toObject();
    if (o.contains(u"id"))
        appendId(ids, o.value(u"id"));
    if (o.value(u"ids").isArray()) {
        const auto list = o.value(u"ids").toArray();
        for (const auto &v : list)
            appendId(ids, v);
    }
    if (o.value(u"items").isArray())
        appendIdsOfRecords(ids, o.value(u"items"));
}

QDateTime parseTimestamp(const QJsonValue &v)
{
    if (v.isDouble())
        return QDateTime::fromMSecsSinceEpoch(qint64(std::trunc(v.toDouble())),
                                              Qt::UTC); // as JS Date does
    if (v.isString()) {
        auto t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
        if (!t.isValid())
            t = QDateTime::fromString(v.toString(), Qt::ISODate);
        return t.isValid() ? t.toUTC() : QDateTime();
    }
    return {};
}

RealtimeEvent::Priority parsePriority(const QJsonValue &v)
{
    const QString p = v.toString().toLower();
    if (p == u"low")
        return RealtimeEvent::Priority::Low;
    if (p == u"high")
        return RealtimeEvent::Priority::High;
    if (p == u"critical")
        return RealtimeEvent::Priority::Critical;
    return RealtimeEvent::Priority::Normal;
}

QString userOf(const QJsonValue &v)
{
    if (v.isObject()) {
        const auto o = v.toObject();
        return idString(o.contains(u"id") ? o.value(u"id") : o.value(u"userId"));
    }
    return idString(v);
}

void applyMeta(RealtimeEvent *e, const QJsonObject &meta)
{
    e->meta = meta;
    e->timestamp = parseTimestamp(meta.value(u"timestamp"));
    e->userId = userOf(meta.value(u"userId"));
    e->sessionId = meta.value(u"sessionId").toString();
    e->priority = parsePriority(meta.value(u"priority"));
    e->eventId = idString(meta.value(u"eventId"));
    e->seq = meta.value(u"seq").isDouble() ? meta.value(u"seq").toInteger() : -1;
    e->txnId = meta.value(u"txnId").toString();
    e->version = meta.value(u"version").isDouble() ? meta.value(u"version").toInteger() : -1;
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

// The payload of the progress-like dialects: either the bare object or an envelope around it.
QJsonObject unwrap(const QJsonObject &payload, QStringView marker)
{
    if (!payload.contains(marker) && payload.value(u"data").isObject())
        return payload.value(u"data").toObject();
    return payload;
}

bool decodeThreePart(const QStringList &parts, const QJsonObject &payload, RealtimeEvent *e,
                     QString *error)
{
    e->feature = parts.at(0);
    if (parts.at(1) == u"import" && parts.at(2) == u"progress") {
        e->dialect = Dialect::ImportProgress;
        e->entity = u"import"_s;
        e->action = u"import_progress"_s;
        const QJsonObject progress = unwrap(payload, u"jobId");
        if (!progress.contains(u"jobId"))
            return fail(error, u"import progress without jobId"_s);
        e->data = progress;
        e->operationId = idString(progress.value(u"jobId"));
        applyMeta(e, payload.value(u"meta").toObject());
        if (!e->timestamp.isValid())
            e->timestamp = parseTimestamp(progress.value(u"timestamp"));
        return true;
    }
    if (parts.at(1) == u"bulk" && parts.at(2).startsWith(u"bulk")) {
        e->dialect = Dialect::GeneratedBulk;
        e->entity = parts.at(0);
        e->action = EventDecoder::normalizeAction(parts.at(2));
        if (e->action != u"bulk_created" && e->action != u"bulk_updated"
            && e->action != u"bulk_deleted")
            return fail(error, u"unknown generated bulk action '%1'"_s.arg(parts.at(2)));
        const QJsonObject body = unwrap(payload, u"count");
        e->data = body;
        collectIds(&e->ids, body);
        applyMeta(e, payload.value(u"meta").toObject());
        return true;
    }

    // feature.entity.action with the AegisX envelope.
    const bool envelope = payload.contains(u"data") || payload.contains(u"meta")
        || payload.contains(u"feature") || payload.contains(u"action");
    if (!envelope)
        return fail(error, u"'%1' has no AegisX envelope (data/meta)"_s.arg(parts.join(u'.')));
    e->dialect = Dialect::Envelope;
    e->entity = parts.at(1);
    e->action = EventDecoder::normalizeAction(parts.at(2));
    e->data = payload.value(u"data");
    applyMeta(e, payload.value(u"meta").toObject());
    if (e->action.startsWith(u"bulk_") || e->action == u"import_progress") {
        const auto o = e->data.toObject();
        e->operationId
            = idString(o.contains(u"operationId") ? o.value(u"operationId") : o.value(u"jobId"));
    }
    if (e->operationId.isEmpty() || e->action == u"bulk_deleted")
        collectIds(&e->ids, e->data);
    if (payload.value(u"feature").isString() && payload.value(u"feature").toString() != e->feature)
        qCDebug(lcEvents) << "envelope feature" << payload.value(u"feature")
                          << "differs from the event name" << parts.join(u'.');
    return true;
}

bool decodeColon(const QString &prefix, const QString &suffix, const QJsonObject &payload,
                 RealtimeEvent *e, QString *error)
{
    if (prefix == u"operation") {
        e->dialect = Dialect::Operation;
        e->feature = u"operation"_s;
        const QJsonObject data = payload.value(u"data").toObject();
        if (!data.contains(u"operationId"))
            return fail(error, u"operation event without data.operationId"_s);
        if (suffix == u"progress")
            e->action = u"operation_progress"_s;
        else if (suffix == u"complete" || suffix == u"completed")
            e->action = u"operation_completed"_s;
        else if (suffix == u"error" || suffix == u"failed")
            e->action = u"operation_failed"_s;
        else
            return fail(error, u"unknown operation event '%1'"_s.arg(suffix));
        e->entity = data.value(u"operationType").toString();
        e->operationId = idString(data.value(u"operationId"));
        e->data = data;
        const auto metadata = payload.value(u"metadata").toObject();
        const auto tables = metadata.value(u"tablesToRefresh").toArray();
        for (const auto &t : tables)
            e->refreshTargets.append(t.toString());
        e->meta = metadata;
        e->timestamp
            = parseTimestamp(payload.contains(u"timestamp") ? payload.value(u"timestamp")
                                                            : metadata.value(u"timestamp"));
        return true;
    }

    e->dialect = Dialect::ResourceColon;
    e->feature = prefix;
    e->entity = payload.value(u"resource").toString(prefix);
    e->action = EventDecoder::normalizeAction(suffix);
    if (payload.contains(u"data"))
        e->data = payload.value(u"data");
    else if (payload.contains(u"ids"))
        e->data = QJsonObject{{u"ids"_s, payload.value(u"ids")}};
    else if (payload.contains(u"id"))
        e->data = QJsonObject{{u"id"_s, payload.value(u"id")}};
    else if (!e->action.startsWith(u"import_"))
        return fail(error, u"'%1:%2' carries none of data, id, ids"_s.arg(prefix, suffix));
    if (e->action.startsWith(u"import_")) {
        e->operationId = idString(e->data.toObject().value(u"jobId"));
        if (e->operationId.isEmpty())
            return fail(error, u"'%1:%2' without data.jobId"_s.arg(prefix, suffix));
    } else {
        collectIds(&e->ids, e->data);
    }
    if (payload.contains(u"id") && e->ids.isEmpty())
        appendId(&e->ids, payload.value(u"id"));
    e->timestamp = parseTimestamp(payload.value(u"timestamp"));
    e->userId = userOf(payload.value(u"user"));
    return true;
}

} // namespace

bool EventDecoder::isControlEvent(const QString &name)
{
    return name == u"pong" || name == u"ping" || name.startsWith(u"subscribe:")
        || name.startsWith(u"unsubscribe:") || name == u"error"
        || name.startsWith(u"connection:") // AegisX: established, timeout
        // livedesk-server asking for the socket's token (the Session answers)
        || name == u"auth:expiring" || name == u"auth:expired" || name == u"auth:renew";
}

QString EventDecoder::normalizeAction(const QString &action)
{
    if (action == u"complete")
        return u"completed"_s;
    QString out;
    out.reserve(action.size() + 4);
    for (const QChar c : action) {
        if (c == u'-' || c == u' ') {
            out += u'_';
        } else if (c.isUpper()) {
            if (!out.isEmpty() && !out.endsWith(u'_'))
                out += u'_';
            out += c.toLower();
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<RealtimeEvent> EventDecoder::decode(const QString &name, const QJsonArray &args,
                                                  QString *error)
{
    if (args.isEmpty() || !args.at(0).isObject()) {
        fail(error, u"'%1' has no object payload"_s.arg(name));
        return std::nullopt;
    }
    const QJsonObject payload = args.at(0).toObject();
    RealtimeEvent e;
    e.name = name;

    bool ok = false;
    const qsizetype colon = name.indexOf(u':');
    if (colon > 0 && colon < name.size() - 1 && !name.contains(u'.')) {
        ok = decodeColon(name.left(colon), name.mid(colon + 1), payload, &e, error);
    } else {
        const QStringList parts = name.split(u'.');
        bool empty = false;
        for (const auto &p : parts)
            empty |= p.isEmpty();
        if (empty) {
            fail(error, u"'%1' is not a known event name form"_s.arg(name));
        } else if (parts.size() == 3) {
            ok = decodeThreePart(parts, payload, &e, error);
        } else if (parts.size() == 2) {
            if (!payload.contains(u"data") && !payload.contains(u"action")) {
                fail(error, u"'%1' has neither action nor data"_s.arg(name));
            } else {
                e.dialect = Dialect::ModuleAction;
                e.feature = parts.at(0);
                e.entity = parts.at(0);
                e.action = normalizeAction(payload.value(u"action").toString(parts.at(1)));
                e.data = payload.value(u"data");
                collectIds(&e.ids, e.data);
                e.timestamp = parseTimestamp(payload.value(u"timestamp"));
                ok = true;
            }
        } else {
            fail(error, u"'%1' is not a known event name form"_s.arg(name));
        }
    }
    if (!ok)
        return std::nullopt;
    return e;
}

} // namespace livedesk
