// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QStringView>

namespace livedesk {

/**
 * How the length of a text field is counted: in Unicode code points, not UTF-16 units (a
 * character outside the Basic Multilingual Plane, an emoji say, is one, not two).
 *
 * The server checks `maxLength` with it and the form counts down with it, so a value the form
 * accepts is one the server accepts.
 */
class TextLength
{
public:
    static qsizetype codePoints(QStringView text);
};

} // namespace livedesk
