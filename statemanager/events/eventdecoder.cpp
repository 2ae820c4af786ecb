// SPDX-License-Identifier: MIT
#include "events/eventdecoder.h"

#include "livedesklogging.h"

#include "eventargs.h"
#include "jsonparser.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

using Dialect = RealtimeEvent::Dialect;

void appendId(QStringList *ids, const QJsonValue &v)
{
    const QString id = RealtimeEvent::idText(v);
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

// Days from 1970-01-01 to @p y-@p m-@p d of the proleptic Gregorian calendar.
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = int(y - era * 400);
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// What JavaScript's toISOString() writes, `2026-12-07T10:00:00.000Z` (the milliseconds
// optional), read without QDateTime's general parser: every AegisX event carries one.
// Anything else is left to Qt (invalid here).
QDateTime parseUtcIso(QStringView s)
{
    if ((s.size() != 24 && s.size() != 20) || s.back() != u'Z')
        return {};
    auto digits = [s](qsizetype at, qsizetype n, int *out) {
        int v = 0;
        for (qsizetype i = at; i < at + n; ++i) {
            const char16_t c = s[i].unicode();
            if (c < u'0' || c > u'9')
                return false;
            v = v * 10 + (c - u'0');
        }
        *out = v;
        return true;
    };
    int y, mo, d, h, mi, sec, ms = 0;
    if (!digits(0, 4, &y) || s[4] != u'-' || !digits(5, 2, &mo) || s[7] != u'-' || !digits(8, 2, &d)
        || s[10] != u'T' || !digits(11, 2, &h) || s[13] != u':' || !digits(14, 2, &mi)
        || s[16] != u':' || !digits(17, 2, &sec))
        return {};
    if (s.size() == 24 && (s[19] != u'.' || !digits(20, 3, &ms)))
        return {};
    static constexpr int monthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y == 0 || mo < 1 || mo > 12 || d < 1 || d > monthDays[mo - 1]
        || (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 59)
        return {};
    const qint64 msecs = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60'000 + sec * 1000 + ms;
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
}

QDateTime parseTimestampText(const QString &text)
{
    if (QDateTime fast = parseUtcIso(text); fast.isValid())
        return fast;
    auto t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.isValid() ? t.toUTC() : QDateTime();
}

QDateTime parseTimestamp(const QJsonValue &v)
{
    if (v.isDouble())
        return QDateTime::fromMSecsSinceEpoch(qint64(std::trunc(v.toDouble())),
                                              Qt::UTC); // as JS Date does
    return v.isString() ? parseTimestampText(v.toString()) : QDateTime();
}

RealtimeEvent::Priority parsePriorityText(const QString &text)
{
    if (text == u"normal")
        return RealtimeEvent::Priority::Normal; // nearly always, without a lower-case copy
    const QString p = text.toLower();
    if (p == u"low")
        return RealtimeEvent::Priority::Low;
    if (p == u"high")
        return RealtimeEvent::Priority::High;
    if (p == u"critical")
        return RealtimeEvent::Priority::Critical;
    return RealtimeEvent::Priority::Normal;
}

RealtimeEvent::Priority parsePriority(const QJsonValue &v)
{
    return parsePriorityText(v.toString());
}

QString userOf(const QJsonValue &v)
{
    if (v.isObject()) {
        const auto o = v.toObject();
        return RealtimeEvent::idText(o.contains(u"id") ? o.value(u"id") : o.value(u"userId"));
    }
    return RealtimeEvent::idText(v);
}

void applyMeta(RealtimeEvent *e, const QJsonObject &meta)
{
    e->setMeta(meta);
    e->timestamp = parseTimestamp(meta.value(u"timestamp"));
    e->userId = userOf(meta.value(u"userId"));
    e->sessionId = meta.value(u"sessionId").toString();
    e->priority = parsePriority(meta.value(u"priority"));
    e->eventId = RealtimeEvent::idText(meta.value(u"eventId"));
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
        e->setData(progress);
        e->operationId = RealtimeEvent::idText(progress.value(u"jobId"));
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
        e->setData(body);
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
    e->setData(payload.value(u"data"));
    applyMeta(e, payload.value(u"meta").toObject());
    if (e->action.startsWith(u"bulk_") || e->action == u"import_progress") {
        const auto o = e->data().toObject();
        e->operationId = RealtimeEvent::idText(o.contains(u"operationId") ? o.value(u"operationId")
                                                                          : o.value(u"jobId"));
    }
    if (e->operationId.isEmpty() || e->action == u"bulk_deleted")
        collectIds(&e->ids, e->data());
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
        e->operationId = RealtimeEvent::idText(data.value(u"operationId"));
        e->setData(data);
        const auto metadata = payload.value(u"metadata").toObject();
        const auto tables = metadata.value(u"tablesToRefresh").toArray();
        for (const auto &t : tables)
            e->refreshTargets.append(t.toString());
        e->setMeta(metadata);
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
        e->setData(payload.value(u"data"));
    else if (payload.contains(u"ids"))
        e->setData(QJsonObject{{u"ids"_s, payload.value(u"ids")}});
    else if (payload.contains(u"id"))
        e->setData(QJsonObject{{u"id"_s, payload.value(u"id")}});
    else if (!e->action.startsWith(u"import_"))
        return fail(error, u"'%1:%2' carries none of data, id, ids"_s.arg(prefix, suffix));
    if (e->action.startsWith(u"import_")) {
        e->operationId = RealtimeEvent::idText(e->data().toObject().value(u"jobId"));
        if (e->operationId.isEmpty())
            return fail(error, u"'%1:%2' without data.jobId"_s.arg(prefix, suffix));
    } else {
        collectIds(&e->ids, e->data());
    }
    if (payload.contains(u"id") && e->ids.isEmpty())
        appendId(&e->ids, payload.value(u"id"));
    e->timestamp = parseTimestamp(payload.value(u"timestamp"));
    e->userId = userOf(payload.value(u"user"));
    return true;
}

// The AegisX envelope read straight from its JSON text (EventArgs), the path nearly every
// event takes: the meta fields are read as they pass, the data is kept as text (with its id
// noted) and decoded only when someone reads it. Whatever this path does not handle is
// decoded by the Qt JSON path instead (std::nullopt and no error here): the two must agree
// (fuzz_eventdecoder checks that they do).
namespace od = simdjson::ondemand;

// A scalar as Qt's parser would have made it; containers by their text.
bool toQt(od::value v, QJsonValue *out)
{
    od::json_type type;
    if (v.type().get(type))
        return false;
    switch (type) {
    case od::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s))
            return false;
        *out = QString::fromUtf8(s.data(), qsizetype(s.size()));
        return true;
    }
    case od::json_type::number:
        return JsonParser::number(v.raw_json_token(), out);
    case od::json_type::boolean: {
        bool b;
        if (v.get_bool().get(b))
            return false;
        *out = b;
        return true;
    }
    case od::json_type::null:
        *out = QJsonValue::Null;
        return true;
    case od::json_type::object: {
        od::object o;
        std::string_view raw;
        if (v.get_object().get(o) || o.raw_json().get(raw))
            return false;
        *out = QJsonDocument::fromJson(QByteArray(raw.data(), qsizetype(raw.size()))).object();
        return true;
    }
    case od::json_type::array: {
        od::array a;
        std::string_view raw;
        if (v.get_array().get(a) || a.raw_json().get(raw))
            return false;
        *out = QJsonDocument::fromJson(QByteArray(raw.data(), qsizetype(raw.size()))).array();
        return true;
    }
    }
    return false;
}

// Object @p v's JSON text (to @p text), with @p o left at its first field to be read.
bool objectWithText(od::value v, od::object *o, QByteArray *text)
{
    std::string_view raw;
    bool reset = false;
    if (v.get_object().get(*o) || o->raw_json().get(raw) || o->reset().get(reset))
        return false;
    *text = QByteArray(raw.data(), qsizetype(raw.size()));
    return true;
}

// The envelope's `data`: its text, and the id of a record. False (decode the Qt way) for a
// list, `{ids}` or `{items}`, a repeated key, or anything malformed.
bool readData(od::value v, RealtimeEvent *e)
{
    od::json_type type;
    if (v.type().get(type) || type == od::json_type::array)
        return false;
    if (type != od::json_type::object) {
        const std::string_view token = JsonParser::trimmed(v.raw_json_token());
        e->setDataText(QByteArray(token.data(), qsizetype(token.size())));
        return true;
    }
    od::object o;
    QByteArray text;
    if (!objectWithText(v, &o, &text))
        return false;
    e->setDataText(text);
    QJsonValue id(QJsonValue::Undefined);
    bool seenId = false;
    for (auto field : o) {
        od::field f;
        std::string_view key;
        if (std::move(field).get(f) || f.unescaped_key().get(key))
            return false;
        if (key == "ids" || key == "items")
            return false;
        if (key == "id") {
            if (seenId || !toQt(f.value(), &id))
                return false;
            seenId = true;
        }
    }
    if (seenId)
        appendId(&e->ids, id);
    return true;
}

// The envelope's `meta`: kept as text, the fields this class names read on the way.
bool readMeta(od::value v, RealtimeEvent *e)
{
    od::json_type type;
    if (v.type().get(type))
        return false;
    if (type != od::json_type::object)
        return true; // read as {} by the Qt path too
    od::object o;
    QByteArray text;
    if (!objectWithText(v, &o, &text))
        return false;
    e->setMetaText(text);
    // Strings (nearly every field) are read as QString, the rest as Qt JSON values.
    struct Field
    {
        bool seen = false;
        bool isString = false;
        QString text;
        QJsonValue value = QJsonValue::Undefined;
    };
    Field timestamp, userId, sessionId, priority, eventId, seq, txnId, version;
    for (auto field : o) {
        od::field f;
        std::string_view key;
        if (std::move(field).get(f) || f.unescaped_key().get(key))
            return false;
        Field *target = key == "timestamp" ? &timestamp
            : key == "userId"              ? &userId
            : key == "sessionId"           ? &sessionId
            : key == "priority"            ? &priority
            : key == "eventId"             ? &eventId
            : key == "seq"                 ? &seq
            : key == "txnId"               ? &txnId
            : key == "version"             ? &version
                                           : nullptr;
        if (!target)
            continue;
        if (target->seen)
            return false; // a repeated key: Qt's rules decide
        target->seen = true;
        od::value fieldValue = f.value();
        od::json_type fieldType;
        if (fieldValue.type().get(fieldType))
            return false;
        if (fieldType == od::json_type::string) {
            std::string_view chars;
            if (fieldValue.get_string().get(chars))
                return false;
            target->isString = true;
            target->text = QString::fromUtf8(chars.data(), qsizetype(chars.size()));
        } else if (!toQt(fieldValue, &target->value)) {
            return false;
        }
    }
    e->timestamp
        = timestamp.isString ? parseTimestampText(timestamp.text) : parseTimestamp(timestamp.value);
    e->userId = userId.isString ? userId.text : userOf(userId.value);
    e->sessionId = sessionId.text;
    e->priority = parsePriorityText(priority.text);
    e->eventId = eventId.isString ? eventId.text : RealtimeEvent::idText(eventId.value);
    e->seq = seq.value.isDouble() ? seq.value.toInteger() : -1;
    e->txnId = txnId.text;
    e->version = version.value.isDouble() ? version.value.toInteger() : -1;
    return true;
}

// An event name of the envelope form, split and normalised once per name (a server uses a
// handful of names, each for thousands of events).
class EnvelopeName
{
public:
    bool textPath = false; // an envelope the text path reads
    QString feature;
    QString entity;
    QString action;
};

const EnvelopeName &envelopeName(const QString &name)
{
    thread_local QHash<QString, EnvelopeName> cache;
    if (const auto it = cache.constFind(name); it != cache.cend())
        return *it;
    if (cache.size() >= 4096)
        cache.clear(); // a server inventing names: bounded all the same
    EnvelopeName n;
    if (!name.contains(u':')) {
        const QStringList parts = name.split(u'.');
        if (parts.size() == 3 && !parts.contains(QString())
            && !(parts.at(1) == u"import" && parts.at(2) == u"progress")
            && !(parts.at(1) == u"bulk" && parts.at(2).startsWith(u"bulk"))) {
            n.feature = parts.at(0);
            n.entity = parts.at(1);
            n.action = EventDecoder::normalizeAction(parts.at(2));
            // Operation ids and id lists: the Qt path.
            n.textPath = !n.action.startsWith(u"bulk_") && n.action != u"import_progress";
        }
    }
    return *cache.insert(name, n);
}

std::optional<RealtimeEvent> decodeEnvelopeText(const QString &name, const EnvelopeName &parts,
                                                QByteArrayView text)
{
    RealtimeEvent e;
    e.name = name;
    e.dialect = Dialect::Envelope;
    e.feature = parts.feature;
    e.entity = parts.entity;
    e.action = parts.action;
    JsonParser parser(text.size());
    const simdjson::padded_string_view view(text.data(), size_t(text.size()),
                                            size_t(text.size() + EventArgs::padding()));
    od::document doc;
    od::object o;
    if (parser.get().iterate(view).get(doc) || doc.get_object().get(o))
        return std::nullopt;
    bool envelope = false, seenData = false, seenMeta = false;
    QString feature;
    for (auto field : o) {
        od::field f;
        std::string_view key;
        if (std::move(field).get(f) || f.unescaped_key().get(key))
            return std::nullopt;
        if (key == "data") {
            if (seenData || !readData(f.value(), &e))
                return std::nullopt;
            seenData = envelope = true;
        } else if (key == "meta") {
            if (seenMeta || !readMeta(f.value(), &e))
                return std::nullopt;
            seenMeta = envelope = true;
        } else if (key == "feature" || key == "action") {
            envelope = true;
            std::string_view chars;
            if (key == "feature" && !f.value().get_string().get(chars)) {
                const QUtf8StringView named(chars.data(), qsizetype(chars.size()));
                if (!QAnyStringView::equal(named, e.feature))
                    feature = named.toString();
            }
        }
    }
    if (!envelope)
        return std::nullopt; // the Qt path says why
    if (!feature.isEmpty() && feature != e.feature)
        qCDebug(lcEvents) << "envelope feature" << feature << "differs from the event name" << name;
    return e;
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

std::optional<RealtimeEvent> EventDecoder::decode(const QString &name, const EventArgs &args,
                                                  QString *error)
{
    if (args.hasText() && !args.isEmpty()) {
        const QByteArrayView envelope = args.text(0);
        if (!envelope.isEmpty() && envelope.front() == '{') {
            const EnvelopeName &parts = envelopeName(name);
            if (parts.textPath) {
                if (auto e = decodeEnvelopeText(name, parts, envelope))
                    return e;
            }
        }
    }
    return decode(name, args.toArray(), error);
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
                e.setData(payload.value(u"data"));
                collectIds(&e.ids, e.data());
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
