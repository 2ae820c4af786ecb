// SPDX-License-Identifier: MIT
#pragma once

#include "rest/restreply.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>

#include <memory>

namespace livedesk::test {

/**
 * What a RestReply said, copied in its finished() slot (the reply deletes itself right after),
 * so that a test can call and then look at the answer in plain sequence.
 */
class RestOutcome
{
public:
    bool finished = false;
    bool ok = false;
    RestError error;
    int httpStatus = 0;
    QJsonValue data;
    QByteArray dataText;
    QJsonObject pagination;
    QJsonObject meta;
    QString message;
    QByteArray rawBody;
    QByteArray etag;
    QByteArray contentType;
    QString description;

    QJsonObject object() const { return data.toObject(); }
    QJsonArray array() const { return data.toArray(); }
};

/// Collects the outcome of @p reply once it finishes; returns at once.
std::shared_ptr<RestOutcome> watch(RestReply *reply);
/// Waits, the event loop turning, for @p reply to finish (the limit only bounds a hang: after
/// it, `finished` is false and a warning says so).
RestOutcome await(RestReply *reply, int timeoutMs = 60000);

} // namespace livedesk::test
