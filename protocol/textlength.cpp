// SPDX-License-Identifier: MIT
#include "textlength.h"

namespace livedesk {

qsizetype TextLength::codePoints(QStringView text)
{
    qsizetype n = 0;
    for (const QChar c : text) {
        // A surrogate pair is one code point: its second half is not counted.
        if (!c.isLowSurrogate())
            ++n;
    }
    return n;
}

} // namespace livedesk
