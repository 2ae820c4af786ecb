// SPDX-License-Identifier: MIT
#include "storelogging.h"

Q_LOGGING_CATEGORY(lcServerStore, "livedesk.server.store", QtInfoMsg)
