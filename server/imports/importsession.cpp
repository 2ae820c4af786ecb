// SPDX-License-Identifier: MIT
#include "importsession.h"

#include <QtCore/QCborMap>
#include <QtCore/QCborValue>

namespace livedesk::server {

ImportSession::Row::Row(int rowNumber, int lineNumber, bool isValid)
    : row(rowNumber)
    , line(lineNumber)
    , valid(isValid)
{
}

QJsonObject ImportSession::Row::values() const
{
    return m_packed.isEmpty() ? QJsonObject()
                              : QCborValue::fromCbor(m_packed).toMap().toJsonObject();
}

void ImportSession::Row::setValues(const QJsonObject &values)
{
    m_packed = QCborMap::fromJsonObject(values).toCborValue().toCbor();
}

} // namespace livedesk::server
