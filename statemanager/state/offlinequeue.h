// SPDX-License-Identifier: MIT
#pragma once

#include "state/pendingoperation.h"

#include <QtCore/QList>
#include <QtCore/QString>

namespace livedesk {

/**
 * The live mode's unconfirmed operations on disk, so that a crash, a kill or a power cut
 * loses no edit (docs/architecture.md, "The state manager" "Offline").
 *
 * The whole list is written on every change with QSaveFile: to a temporary file in the same
 * directory, flushed to disk, then renamed over the old file, so the file on disk is always
 * either the old list or the new one, never half of each. Operations are few (what one user
 * changed while offline), so rewriting the list is cheap. The file is JSON
 * (`{"version":1, "resource":..., "operations":[PendingOperation::toJson()...]}`).
 */
class OfflineQueue
{
public:
    /// @p path: the file; @p resource: the resource name, checked on load.
    OfflineQueue(const QString &path, const QString &resource);

    QString path() const { return m_path; }
    /// Writes @p operations (an empty list removes the file); false with a sentence.
    bool save(const QList<PendingOperation> &operations, QString *error) const;
    /// The stored operations; empty when there is no file. False with a sentence when the
    /// file exists but cannot be read (it is then left alone, never overwritten silently).
    bool load(QList<PendingOperation> *operations, QString *error) const;

private:
    QString m_path;
    QString m_resource;
};

} // namespace livedesk
