// SPDX-License-Identifier: MIT
// The workstation as `./dev run` starts it: built-in server, demo sign-in, live connection.
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtGui/QImage>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

class TestAppSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsWithItsOwnServerAndConnects()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString shot = home.filePath(u"livedesk.png"_s);
        QProcess app;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"XDG_DATA_HOME"_s, home.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
        env.insert(u"QT_LOGGING_RULES"_s, u"livedesk.socketio.info=true"_s);
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(LIVEDESK_APP), {u"--screenshot"_s, shot});
        QVERIFY(app.waitForFinished(60000));
        const QString err = QString::fromUtf8(app.readAllStandardError());
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains(u"livedesk.socketio: connected"_s), qPrintable(err));
        const QImage image(shot);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 400 && image.height() > 300);
        // The database persists in the user's data directory: a second start reuses it.
        QVERIFY(QFile::exists(home.filePath(u"data/livedesk/livedesk/embedded-server.sqlite"_s)));
    }
};

QTEST_GUILESS_MAIN(TestAppSmoke)
#include "tst_appsmoke.moc"
