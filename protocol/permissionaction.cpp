// SPDX-License-Identifier: MIT
#include "permissionaction.h"

using namespace Qt::StringLiterals;

namespace livedesk {

QString PermissionAction::name(Value action)
{
    switch (action) {
    case Value::Read:
        return u"read"_s;
    case Value::Create:
        return u"create"_s;
    case Value::Update:
        return u"update"_s;
    case Value::Delete:
        return u"delete"_s;
    }
    return {};
}

std::optional<PermissionAction::Value> PermissionAction::fromName(QStringView name)
{
    for (const Value v : {Value::Read, Value::Create, Value::Update, Value::Delete}) {
        if (name == PermissionAction::name(v))
            return v;
    }
    return std::nullopt;
}

} // namespace livedesk
