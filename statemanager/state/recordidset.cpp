// SPDX-License-Identifier: MIT
#include "state/recordidset.h"

namespace livedesk {

bool RecordIdSet::contains(QStringView id) const
{
    qint64 n;
    return plainNumber(id, &n) ? m_numbers.contains(n) : m_names.contains(id.toString());
}

bool RecordIdSet::insert(const QString &id)
{
    qint64 n;
    if (plainNumber(id, &n)) {
        const qsizetype before = m_numbers.size();
        m_numbers.insert(n);
        return m_numbers.size() > before;
    }
    const qsizetype before = m_names.size();
    m_names.insert(id);
    return m_names.size() > before;
}

bool RecordIdSet::plainNumber(QStringView id, qint64 *number)
{
    const qsizetype n = id.size();
    const qsizetype start = n > 0 && id[0] == u'-' ? 1 : 0;
    if (n == start || n - start > 18 || (id[start] == u'0' && (n - start > 1 || start == 1)))
        return false;
    qint64 v = 0;
    for (qsizetype i = start; i < n; ++i) {
        const char16_t c = id[i].unicode();
        if (c < u'0' || c > u'9')
            return false;
        v = v * 10 + (c - u'0');
    }
    *number = start ? -v : v;
    return true;
}

} // namespace livedesk
