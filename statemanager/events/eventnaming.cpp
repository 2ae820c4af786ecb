// SPDX-License-Identifier: MIT
#include "events/eventnaming.h"

using namespace Qt::StringLiterals;

namespace livedesk {

QString EventNaming::normalized(QStringView name)
{
    QString out;
    out.reserve(name.size() + 4);
    QChar previous;
    for (const QChar c : name) {
        if (c == u'-' || c == u'_' || c == u' ' || c == u'.') {
            if (!out.isEmpty() && !out.endsWith(u'_'))
                out += u'_';
        } else if (c.isUpper()) {
            // A word starts at an upper-case letter after a lower-case one or a digit
            // (`labOrders`); a run of capitals (`HNCode`) stays one word.
            if (!out.isEmpty() && !out.endsWith(u'_') && (previous.isLower() || previous.isDigit()))
                out += u'_';
            out += c.toLower();
        } else {
            out += c;
        }
        previous = c;
    }
    while (out.endsWith(u'_'))
        out.chop(1);
    return out;
}

QString EventNaming::singular(QStringView name)
{
    QString s = normalized(name);
    const qsizetype wordStart = s.lastIndexOf(u'_') + 1;
    const QStringView word = QStringView(s).sliced(wordStart);
    const auto endsWith = [&](QStringView suffix) {
        return word.size() > suffix.size() + 1 && word.endsWith(suffix);
    };
    if (endsWith(u"ies")) {
        s.chop(3);
        s += u'y';
    } else if (endsWith(u"sses") || endsWith(u"xes") || endsWith(u"ches") || endsWith(u"shes")
               || endsWith(u"uses") || endsWith(u"zes")) {
        s.chop(2);
    } else if (word.size() > 2 && word.endsWith(u's') && !word.endsWith(u"ss")
               && !word.endsWith(u"us") && !word.endsWith(u"is")) {
        s.chop(1);
    }
    return s;
}

bool EventNaming::sameName(QStringView a, QStringView b)
{
    if (a.isEmpty() || b.isEmpty())
        return false;
    return a == b || normalized(a) == normalized(b);
}

bool EventNaming::sameEntity(QStringView a, QStringView b)
{
    if (a.isEmpty() || b.isEmpty())
        return false;
    return sameName(a, b) || singular(a) == singular(b);
}

} // namespace livedesk
