// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QStringView>

namespace livedesk {

/**
 * A set of record ids, with the ids written as plain numbers ("17", "-3") kept as numbers.
 *
 * Nearly every server numbers its records: a reload's set of a million ids then costs a hash
 * of eight bytes per id instead of a string's, and frees nothing per id when dropped. Other
 * ids ("P-17", a UUID, "017") are kept as text; the two never meet, as "17" and "017" are
 * different ids.
 */
class RecordIdSet
{
public:
    void reserve(qsizetype size) { m_numbers.reserve(size); }
    bool contains(QStringView id) const;
    /// False when @p id was in the set already (one lookup for both).
    bool insert(const QString &id);

    /// Whether @p id is a number written plainly (no sign but '-', no leading zero, at most
    /// 18 digits): its value in @p number then. Such an id has exactly one spelling.
    static bool plainNumber(QStringView id, qint64 *number);

private:
    QSet<qint64> m_numbers;
    QSet<QString> m_names;
};

} // namespace livedesk
