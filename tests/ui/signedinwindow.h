// SPDX-License-Identifier: MIT
#pragma once

#include "mainwindow.h"
#include "resourcelistview.h"
#include "state/realtimestatemanager.h"

#include <QtCore/QUrl>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

namespace livedesk::test {

/// A shown workstation window signed in at @p server as @p email, once its patients list
/// has been read and its socket is up; null when that does not happen within @p patienceMs.
inline std::unique_ptr<MainWindow> signedInWindow(const QUrl &server, const QString &email,
                                                  const QString &password, int patienceMs)
{
    auto window = std::make_unique<MainWindow>();
    window->resize(1100, 700);
    window->show();
    QSignalSpy ready(window.get(), &MainWindow::ready);
    window->connectTo(server, QStringLiteral("/api/ws/"), email, password);
    if (!ready.wait(patienceMs))
        return nullptr;
    ResourceListView *patients = window->listView(QStringLiteral("patients"));
    if (!patients
        || !QTest::qWaitFor(
            [patients] {
                return patients->manager()->lastSyncAt().isValid()
                    && !patients->manager()->isLoading() && patients->manager()->isConnected();
            },
            patienceMs))
        return nullptr;
    return window;
}

} // namespace livedesk::test
