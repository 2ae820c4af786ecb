// SPDX-License-Identifier: MIT
#pragma once

#include "events/realtimechannel.h"
#include "state/session.h"

#include <QtCore/QUrl>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

namespace livedesk::test {

/// A Session made as the workstation makes one (MainWindow::beginSession(): the server, the
/// Socket.IO path `/api/ws/`, a password sign-in), signed in at @p server as @p email; null
/// when that does not happen within @p patienceMs. With @p connected, it is returned once its
/// socket is up and the subscription to every resource's feature is confirmed. Without, its
/// socket is closed the moment it has signed in, before it can connect: a session whose
/// connection is down, which hears no event until someone opens the socket again.
inline std::unique_ptr<Session> signedInSession(const QUrl &server, const QString &email,
                                                const QString &password, bool connected,
                                                int patienceMs)
{
    auto session = std::make_unique<Session>();
    session->setServer(server, QStringLiteral("/api/ws/"));
    QSignalSpy signedIn(session.get(), &Session::signedIn);
    QSignalSpy failed(session.get(), &Session::failed);
    QSignalSpy confirmed(session->channel(), &RealtimeChannel::subscriptionConfirmed);
    if (!connected) {
        // Session::signedIn() comes right after the socket was asked to open.
        QObject::connect(session.get(), &Session::signedIn, session.get(),
                         [s = session.get()] { s->socket()->close(); });
    }
    session->signIn(email, password);
    if (!QTest::qWaitFor([&] { return !signedIn.isEmpty() || !failed.isEmpty(); }, patienceMs)
        || signedIn.isEmpty()) {
        if (!failed.isEmpty())
            qWarning() << "sign-in failed:" << failed.first().first().toString();
        return nullptr;
    }
    if (connected && confirmed.isEmpty() && !confirmed.wait(patienceMs))
        return nullptr;
    return session;
}

} // namespace livedesk::test
