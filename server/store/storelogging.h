// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLoggingCategory>

// The record store's category; enable with QT_LOGGING_RULES="livedesk.server.store.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcServerStore) // livedesk.server.store: schema, SQLite, records
