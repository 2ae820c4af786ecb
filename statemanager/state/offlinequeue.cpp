// SPDX-License-Identifier: MIT
#include "state/offlinequeue.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSaveFile>

using namespace Qt::StringLiterals;

namespace livedesk {

OfflineQueue::OfflineQueue(const QString &path, const QString &resource)
    : m_path(path)
    , m_resource(resource)
{
}

bool OfflineQueue::save(const QList<PendingOperation> &operations, QString *error) const
{
    QJsonArray list;
    for (const PendingOperation &op : operations) {
        if (op.state != PendingOperation::State::Confirmed
            && op.state != PendingOperation::State::Failed)
            list.append(op.toJson());
    }
    if (list.isEmpty()) {
        if (QFile::exists(m_path) && !QFile::remove(m_path)) {
            *error = u"Cannot remove the emptied queue file %1"_s.arg(m_path);
            return false;
        }
        return true;
    }
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = u"Cannot store unsaved changes in %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    const QJsonObject document{
        {u"version"_s, 1}, {u"resource"_s, m_resource}, {u"operations"_s, list}};
    file.write(QJsonDocument(document).toJson(QJsonDocument::Compact));
    if (!file.commit()) {
        *error = u"Cannot store unsaved changes in %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    return true;
}

bool OfflineQueue::load(QList<PendingOperation> *operations, QString *error) const
{
    operations->clear();
    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"Cannot read the unsaved changes in %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject root = document.object();
    if (parseError.error != QJsonParseError::NoError || root.value(u"version").toInt() != 1) {
        *error = u"The unsaved changes in %1 cannot be read (%2); the file is left as it is"_s.arg(
            m_path,
            parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                         : u"unknown format"_s);
        return false;
    }
    if (root.value(u"resource").toString() != m_resource) {
        *error = u"%1 holds changes for \"%2\", not \"%3\"; the file is left as it is"_s.arg(
            m_path, root.value(u"resource").toString(), m_resource);
        return false;
    }
    for (const QJsonValue &v : root.value(u"operations").toArray()) {
        bool ok = false;
        const PendingOperation op = PendingOperation::fromJson(v.toObject(), &ok);
        if (!ok) {
            *error = u"%1 holds an operation that cannot be read; the file is left as it is"_s.arg(
                m_path);
            operations->clear();
            return false;
        }
        operations->append(op);
    }
    return true;
}

} // namespace livedesk
