// SPDX-License-Identifier: MIT
// livedesk: the workstation.
#include "monitorwindow.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

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
    parser.addOptions({url, path, token, feature, screenshot});
    parser.process(app);

    livedesk::MonitorWindow window;
    auto settings = window.currentSettings();
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
    if (parser.isSet(url))
        window.connectToServer();
    if (parser.isSet(screenshot)) {
        QTimer::singleShot(1500, &window, [&window, file = parser.value(screenshot)] {
            window.grab().save(file);
            QApplication::quit();
        });
    }
    return app.exec();
}
