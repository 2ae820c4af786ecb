// SPDX-License-Identifier: MIT
#include "rest/restreply.h"

#include <QtCore/QJsonDocument>

namespace livedesk {

RestReply::RestReply(const QString &description, QObject *parent)
    : QObject(parent)
    , m_description(description)
{
}

QJsonValue RestReply::data() const
{
    if (!m_dataText.isEmpty() && !m_dataDecoded) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(m_dataText, &error);
        m_data = error.error == QJsonParseError::NoError && document.isArray()
            ? QJsonValue(document.array())
            : QJsonValue(QJsonValue::Undefined);
        m_dataDecoded = true;
        m_dataText.clear(); // held once
    }
    return m_data;
}

RestReply::~RestReply() = default;

QByteArray RestReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : m_headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

void RestReply::abort()
{
    if (m_finished || m_completing || m_aborted)
        return;
    m_aborted = true;
    if (m_abortHook)
        m_abortHook();
}

void RestReply::complete()
{
    if (m_completing || m_finished)
        return;
    m_completing = true;
    m_abortHook = {};
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_finished = true;
            // Scheduled first, so that a slot may still delete the reply itself.
            deleteLater();
            Q_EMIT finished();
        },
        Qt::QueuedConnection);
}

} // namespace livedesk
