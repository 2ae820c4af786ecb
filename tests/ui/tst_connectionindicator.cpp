// SPDX-License-Identifier: MIT
// ConnectionIndicator alone, fed ConnectionStatus values: no client, no server. What it says
// and when it tells the window that the data on screen may be stale.
#include "connectionindicator.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::ConnectionIndicator;
using livedesk::ConnectionStatus;
using State = ConnectionStatus::State;
using Failure = ConnectionStatus::Failure;

class TestConnectionIndicator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectedThenLostThenBack();
    void reconnectCountdown();
    void failures();
    void neverConnectedIsNotStale();
};

namespace {

ConnectionStatus status(State state)
{
    ConnectionStatus s;
    s.state = state;
    s.host = u"ward.example"_s;
    return s;
}

} // namespace

void TestConnectionIndicator::connectedThenLostThenBack()
{
    ConnectionIndicator indicator;
    QSignalSpy stale(&indicator, &ConnectionIndicator::staleChanged);
    indicator.setStatus(status(State::Connecting));
    QCOMPARE(indicator.level(), ConnectionIndicator::Level::Busy);
    QCOMPARE(indicator.statusText(), u"Connecting to ward.example…"_s);

    ConnectionStatus up = status(State::Connected);
    up.recovered = true;
    indicator.setStatus(up);
    QCOMPARE(indicator.level(), ConnectionIndicator::Level::Ok);
    QVERIFY(indicator.statusText().contains(u"session resumed"_s));
    QVERIFY(!indicator.offlineSince().isValid());
    QCOMPARE(stale.size(), 0);

    indicator.setStatus(status(State::Reconnecting));
    QCOMPARE(indicator.level(), ConnectionIndicator::Level::Offline);
    QVERIFY(indicator.offlineSince().isValid());
    QVERIFY2(indicator.statusText().startsWith(u"Offline since "_s),
             qPrintable(indicator.statusText()));
    QCOMPARE(stale.size(), 1);
    QCOMPARE(stale.at(0).at(0).toBool(), true);
    const QDateTime since = indicator.offlineSince();
    // A retry scheduled while still offline keeps the time it started.
    ConnectionStatus retrying = status(State::Reconnecting);
    retrying.attempt = 2;
    indicator.setStatus(retrying);
    QCOMPARE(indicator.offlineSince(), since);
    QCOMPARE(stale.size(), 1);

    indicator.setStatus(status(State::Connected));
    QCOMPARE(indicator.statusText(), u"Connected to ward.example."_s);
    QVERIFY(!indicator.offlineSince().isValid());
    QCOMPARE(stale.size(), 2);
    QCOMPARE(stale.at(1).at(0).toBool(), false);
}

void TestConnectionIndicator::reconnectCountdown()
{
    ConnectionIndicator indicator;
    ConnectionStatus s = status(State::Reconnecting);
    s.attempt = 3;
    s.nextAttemptAt = QDateTime::currentDateTimeUtc().addSecs(30);
    indicator.setStatus(s);
    QVERIFY2(indicator.statusText().contains(u"Cannot reach ward.example."_s),
             qPrintable(indicator.statusText()));
    QVERIFY2(indicator.statusText().contains(u"(attempt 3)"_s), qPrintable(indicator.statusText()));
    QVERIFY2(indicator.statusText().contains(u"Reconnecting in 30 s"_s)
                 || indicator.statusText().contains(u"Reconnecting in 29 s"_s),
             qPrintable(indicator.statusText()));
    // A wrong path is said as such, not as an unreachable server.
    s.diagnosis = u"Nothing answers Socket.IO at /wrong/."_s;
    indicator.setStatus(s);
    QVERIFY2(indicator.statusText().startsWith(s.diagnosis), qPrintable(indicator.statusText()));
}

void TestConnectionIndicator::failures()
{
    ConnectionIndicator indicator;
    ConnectionStatus refused = status(State::Failed);
    refused.failure = Failure::ConnectRefused;
    refused.failureMessage = u"invalid token"_s;
    indicator.setStatus(refused);
    QCOMPARE(indicator.level(), ConnectionIndicator::Level::Error);
    QVERIFY2(indicator.statusText().contains(u"refused the connection: invalid token"_s),
             qPrintable(indicator.statusText()));
    ConnectionStatus gaveUp = status(State::Failed);
    gaveUp.failure = Failure::RetriesExhausted;
    gaveUp.failureMessage = u"10 attempts"_s;
    indicator.setStatus(gaveUp);
    QCOMPARE(indicator.statusText(), u"Gave up: 10 attempts."_s);
    QCOMPARE(indicator.toolTip(), indicator.statusText());
}

void TestConnectionIndicator::neverConnectedIsNotStale()
{
    ConnectionIndicator indicator;
    QSignalSpy stale(&indicator, &ConnectionIndicator::staleChanged);
    indicator.setStatus(status(State::Reconnecting));
    indicator.setStatus(status(State::Disconnected));
    QCOMPARE(indicator.statusText(), u"Not connected."_s);
    QCOMPARE(stale.size(), 0); // nothing was shown that could be out of date
}

QTEST_MAIN(TestConnectionIndicator)
#include "tst_connectionindicator.moc"
