// SPDX-License-Identifier: MIT
#include "state/pendingoperation.h"

#include <QtCore/QJsonArray>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

const QStringList kindNames{u"create"_s, u"update"_s, u"delete"_s};
const QStringList stateNames{u"pending"_s, u"sent"_s, u"confirmed"_s, u"failed"_s, u"conflict"_s};

} // namespace

QString PendingOperation::kindName(Kind kind)
{
    return kindNames.value(int(kind));
}

QString PendingOperation::stateName(State state)
{
    return stateNames.value(int(state));
}

QStringList PendingOperation::conflictingFields() const
{
    QStringList fields;
    const QJsonObject mine = kind == Kind::Update ? values : base;
    for (auto it = mine.begin(); it != mine.end(); ++it) {
        const QJsonValue theirsValue = theirs.value(it.key());
        if (theirs.isEmpty() || (theirsValue != base.value(it.key()) && theirsValue != it.value()))
            fields.append(it.key());
    }
    return fields;
}

QJsonObject PendingOperation::toJson() const
{
    QJsonObject json{{u"txnId"_s, txnId},
                     {u"kind"_s, kindName(kind)},
                     {u"state"_s, stateName(state)},
                     {u"recordId"_s, recordId},
                     {u"values"_s, values},
                     {u"base"_s, base},
                     {u"baseVersion"_s, baseVersion},
                     {u"attempts"_s, attempts}};
    if (checkBase)
        json.insert(u"checkBase"_s, true);
    if (!theirs.isEmpty() || state == State::Conflict)
        json.insert(u"theirs"_s, theirs);
    if (!error.isNull()) {
        json.insert(u"error"_s,
                    QJsonObject{{u"code"_s, error.code},
                                {u"message"_s, error.message},
                                {u"httpStatus"_s, error.httpStatus},
                                {u"details"_s, error.details}});
    }
    return json;
}

PendingOperation PendingOperation::fromJson(const QJsonObject &json, bool *ok)
{
    PendingOperation op;
    op.txnId = json.value(u"txnId").toString();
    const int kind = int(kindNames.indexOf(json.value(u"kind").toString()));
    const int state = int(stateNames.indexOf(json.value(u"state").toString()));
    op.recordId = json.value(u"recordId").toString();
    op.values = json.value(u"values").toObject();
    op.base = json.value(u"base").toObject();
    op.baseVersion = json.value(u"baseVersion").toInteger(-1);
    op.theirs = json.value(u"theirs").toObject();
    op.attempts = json.value(u"attempts").toInt();
    op.checkBase = json.value(u"checkBase").toBool();
    const QJsonObject error = json.value(u"error").toObject();
    op.error.code = error.value(u"code").toString();
    op.error.message = error.value(u"message").toString();
    op.error.httpStatus = error.value(u"httpStatus").toInt();
    op.error.details = error.value(u"details");
    const bool valid = kind >= 0 && state >= 0 && !op.txnId.isEmpty() && !op.recordId.isEmpty();
    if (valid) {
        op.kind = Kind(kind);
        op.state = State(state);
    }
    if (ok)
        *ok = valid;
    return op;
}

} // namespace livedesk
