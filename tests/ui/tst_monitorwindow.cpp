// SPDX-License-Identifier: MIT
// The monitor window against a real socket.io peer, offscreen, looked at through screenshots.
#include "activitymodel.h"
#include "connectionindicator.h"
#include "events/realtimechannel.h"
#include "monitorwindow.h"
#include "peerprocess.h"
#include "socketio/socketioclient.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;
using namespace livedesk;

class TestMonitorWindow : public QObject
{
    Q_OBJECT

private:
    static void saveScreenshot(QWidget *w, const QString &name)
    {
        const QString dir = QStringLiteral(LIVEDESK_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        QVERIFY(w->grab().save(dir + u'/' + name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a throwaway place
    }

    void showsEventsAndSaysWhenOffline()
    {
        test::PeerProcess peer;
        QVERIFY2(peer.start({u"--aegisx"_s, u"--path"_s, u"/api/ws/"_s}),
                 qPrintable(peer.errorOutput()));

        MonitorWindow window;
        window.applySettings({peer.url().toString(), u"/api/ws/"_s, {}, {u"patients"_s}});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.indicator()->statusText(), u"Not connected."_s);

        window.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), SocketIoClient::State::Connected,
                                  10000);
        QTRY_VERIFY_WITH_TIMEOUT(peer.count(u"subscribed") > 0, 10000);
        QCOMPARE(window.indicator()->level(), ConnectionIndicator::Level::Ok);

        for (int id = 1; id <= 3; ++id) {
            peer.send({{u"cmd"_s, u"aegis"_s},
                       {u"feature"_s, u"patients"_s},
                       {u"entity"_s, u"patient"_s},
                       {u"action"_s, u"updated"_s},
                       {u"data"_s, QJsonObject{{u"id"_s, id}, {u"ward"_s, u"A"_s}}}});
        }
        QTRY_COMPARE_WITH_TIMEOUT(window.activity()->rowCount(), 3, 10000);
        QCOMPARE(window.activity()->index(0, ActivityModel::Ids).data().toString(), u"3"_s);
        saveScreenshot(&window, u"monitor-connected.png"_s);

        // The server goes away: within a second the window says offline since when, and the
        // list itself looks stale.
        QSignalSpy stale(window.indicator(), &ConnectionIndicator::staleChanged);
        peer.kill();
        QTRY_VERIFY_WITH_TIMEOUT(window.indicator()->statusText().startsWith(u"Offline since"_s),
                                 5000);
        QCOMPARE(window.indicator()->level(), ConnectionIndicator::Level::Offline);
        QVERIFY(window.indicator()->offlineSince().isValid());
        QVERIFY(!stale.isEmpty());
        QCOMPARE(stale.last().at(0).toBool(), true);
        QVERIFY(window.findChild<QTableView *>()->styleSheet().contains(u"color"_s));
        QTRY_VERIFY_WITH_TIMEOUT(window.indicator()->statusText().contains(u"Reconnecting"_s),
                                 5000);
        saveScreenshot(&window, u"monitor-offline.png"_s);

        window.disconnectFromServer();
        QCOMPARE(window.client()->state(), SocketIoClient::State::Disconnected);
        QVERIFY(window.indicator()->statusText().startsWith(u"Offline since"_s));
    }

    void refusedTokenIsExplained()
    {
        test::PeerProcess peer;
        QVERIFY2(peer.start({u"--token"_s, u"good"_s}), qPrintable(peer.errorOutput()));
        MonitorWindow window;
        window.applySettings({peer.url().toString(), u"/socket.io/"_s, u"bad"_s, {u"patients"_s}});
        window.show();
        window.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), SocketIoClient::State::Failed, 10000);
        QVERIFY2(window.indicator()->statusText().contains(u"refused"_s),
                 qPrintable(window.indicator()->statusText()));
        QVERIFY(window.indicator()->statusText().contains(u"invalid token"_s));
        QCOMPARE(window.indicator()->level(), ConnectionIndicator::Level::Error);
        saveScreenshot(&window, u"monitor-refused.png"_s);
    }

    // A wrong Socket.IO path on a server that leaves the upgrade hanging (as AegisX does): the
    // indicator says that the HTTP server answers and nothing answers Socket.IO at the path
    // tried, while it keeps trying, instead of "cannot reach".
    void wrongPathIsExplainedWhileRetrying()
    {
        test::PeerProcess backend(u"aegisx-backend.js"_s);
        QVERIFY2(backend.start({u"--seed"_s, u"1"_s}), qPrintable(backend.errorOutput()));
        MonitorWindow window;
        window.applySettings({backend.url().toString(), u"/socket.io/"_s, {}, {u"patients"_s}});
        window.show();
        window.connectToServer();
        auto options = window.client()->options();
        options.connectTimeoutMs = 500; // the default waits 20 s for the handshake
        window.client()->close();
        window.client()->setOptions(options);
        window.client()->open();
        QTRY_VERIFY2_WITH_TIMEOUT(window.indicator()->statusText().contains(
                                      u"nothing answers Socket.IO at /socket.io/"_s),
                                  qPrintable(window.indicator()->statusText()), 20000);
        QCOMPARE(window.client()->state(), SocketIoClient::State::Reconnecting);
        QCOMPARE(window.indicator()->level(), ConnectionIndicator::Level::Offline);
    }
};

QTEST_MAIN(TestMonitorWindow)
#include "tst_monitorwindow.moc"
