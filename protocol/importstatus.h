// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <optional>

namespace livedesk {

/**
 * The status of an import job as the wire names it: `pending`, `processing`, `completed`,
 * `failed`, `cancelled` (the job's REST answer and its `import_*` events).
 *
 * The server writes these names and the client reads them; both use this class, so that a
 * status the server sends is always one the client knows.
 */
class ImportStatus
{
public:
    enum class Value { Pending, Processing, Completed, Failed, Cancelled };

    /// The wire name of @p status.
    static QString name(Value status);
    /// The status named @p name; case and surrounding blanks aside, and `canceled` (older
    /// AegisX) taken for `cancelled`: a reader is lenient. nullopt for any other text.
    static std::optional<Value> fromName(QStringView name);
    /// Whether a job in @p status has ended (nothing more will change).
    static bool isFinal(Value status);
};

} // namespace livedesk
