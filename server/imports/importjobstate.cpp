// SPDX-License-Identifier: MIT
#include "importjobstate.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk::server {

bool ImportJobState::isFinished() const
{
    return status == Status::Completed || status == Status::Failed || status == Status::Cancelled;
}

int ImportJobState::progress() const
{
    if (status == Status::Completed || totalRecords <= 0)
        return status == Status::Completed ? 100 : 0;
    return int(std::clamp<qint64>(processedRecords * 100 / totalRecords, 0, 100));
}

namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QJsonObject ImportJobState::toProgressJson() const
{
    return {{u"jobId"_s, id},
            {u"sessionId"_s, sessionId},
            {u"status"_s, statusName(status)},
            {u"progress"_s, progress()},
            {u"totalRecords"_s, totalRecords},
            {u"processedRecords"_s, processedRecords},
            {u"successCount"_s, successCount},
            {u"failedCount"_s, failedCount},
            {u"error"_s, textOrNull(error)},
            {u"startedAt"_s, textOrNull(startedAt)},
            {u"finishedAt"_s, textOrNull(finishedAt)},
            {u"executionErrorCount"_s, executionErrorCount}};
}

QJsonObject ImportJobState::toStatusJson() const
{
    QJsonObject o = toProgressJson();
    o.insert(u"executionErrors"_s, executionErrors);
    o.insert(u"executionErrorsTruncated"_s, executionErrorCount > executionErrors.size());
    return o;
}

} // namespace livedesk::server
