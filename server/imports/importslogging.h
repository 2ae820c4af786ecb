// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLoggingCategory>

// The import category; enable with QT_LOGGING_RULES="livedesk.server.imports.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcServerImports) // livedesk.server.imports: CSV, sessions, jobs
