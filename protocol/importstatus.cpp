// SPDX-License-Identifier: MIT
#include "importstatus.h"

using namespace Qt::StringLiterals;

namespace livedesk {

QString ImportStatus::name(Value status)
{
    switch (status) {
    case Value::Pending:
        return u"pending"_s;
    case Value::Processing:
        return u"processing"_s;
    case Value::Completed:
        return u"completed"_s;
    case Value::Failed:
        return u"failed"_s;
    case Value::Cancelled:
        return u"cancelled"_s;
    }
    return {};
}

std::optional<ImportStatus::Value> ImportStatus::fromName(QStringView name)
{
    const QStringView n = name.trimmed();
    for (const Value s :
         {Value::Pending, Value::Processing, Value::Completed, Value::Failed, Value::Cancelled}) {
        if (n.compare(ImportStatus::name(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    // The spelling of older AegisX generations.
    if (n.compare(u"canceled", Qt::CaseInsensitive) == 0)
        return Value::Cancelled;
    return std::nullopt;
}

bool ImportStatus::isFinal(Value status)
{
    return status == Value::Completed || status == Value::Failed || status == Value::Cancelled;
}

} // namespace livedesk
