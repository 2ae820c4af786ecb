// SPDX-License-Identifier: MIT
#include "importslogging.h"

Q_LOGGING_CATEGORY(lcServerImports, "livedesk.server.imports", QtInfoMsg)
