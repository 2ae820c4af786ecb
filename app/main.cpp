// SPDX-License-Identifier: MIT
// livedesk: the workstation.
#include "monitorwindow.h"
#include "serverthread.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QMessageBox>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"livedesk"_s);
    QApplication::setApplicationName(u"livedesk"_s);
    QApplication::setApplicationVersion(u"0.1.0"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Real-time desktop client for AegisX-style servers."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption url(u"url"_s, QApplication::translate("main", "Server base URL."),
                                 u"url"_s);
    const QCommandLineOption path(u"path"_s, QApplication::translate("main", "Socket.IO path."),
                                  u"path"_s);
    const QCommandLineOption token(u"token"_s, QApplication::translate("main", "Access token."),
                                   u"jwt"_s);
    const QCommandLineOption feature(
        u"feature"_s, QApplication::translate("main", "Feature (repeatable)."), u"name"_s);
    const QCommandLineOption screenshot(
        u"screenshot"_s,
        QApplication::translate("main", "Save a PNG of the window after it is shown, then quit."),
        u"file"_s);
    const QCommandLineOption user(
        u"user"_s,
        QApplication::translate("main", "Demo user for the embedded server (default nurse)."),
        u"email"_s, u"nurse@demo.local"_s);
    parser.addOptions({url, path, token, feature, user, screenshot});
    parser.process(app);

    livedesk::MonitorWindow window;
    auto settings = window.currentSettings();
    // Without --url the workstation brings its own backend: the embedded reference server
    // with the clinical demo, signed in as a demo user.
    // The server runs on a thread of its own so that database work and imports never stall
    // the UI; the app reaches it over loopback like any remote server.
    std::unique_ptr<livedesk::server::ServerThread> embedded;
    if (!parser.isSet(url)) {
        embedded = std::make_unique<livedesk::server::ServerThread>();
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        livedesk::server::LivedeskServer::Options options;
        options.databasePath = dir + u"/embedded-server.sqlite"_s;
        // The workstation cannot refresh tokens yet, and a socket presents its token again on
        // every reconnect: a day-long token keeps a long-running session usable.
        options.accessTokenSeconds = 24 * 3600;
        QString error;
        if (!embedded->start(options, &error)) {
            QMessageBox::critical(
                nullptr, QApplication::translate("main", "livedesk"),
                QApplication::translate("main", "The built-in server could not start: %1")
                    .arg(error));
            return 1;
        }
        settings.url = embedded->baseUrl().toString();
        settings.path = u"/api/ws/"_s;
        settings.token = embedded->tokenFor(parser.value(user));
        settings.features = {u"patients"_s, u"admissions"_s, u"lab-orders"_s};
        window.setWindowTitle(
            QApplication::translate("main", "livedesk — built-in server (%1) as %2")
                .arg(settings.url, parser.value(user)));
    }
    if (parser.isSet(url))
        settings.url = parser.value(url);
    if (parser.isSet(path))
        settings.path = parser.value(path);
    if (parser.isSet(token))
        settings.token = parser.value(token);
    if (parser.isSet(feature))
        settings.features = parser.values(feature);
    window.applySettings(settings);
    window.show();
    // Given a server on the command line, connect at once; otherwise wait for the user.
    if (parser.isSet(url) || embedded)
        window.connectToServer();
    if (parser.isSet(screenshot)) {
        QTimer::singleShot(1500, &window, [&window, file = parser.value(screenshot)] {
            window.grab().save(file);
            QApplication::quit();
        });
    }
    return app.exec();
}
