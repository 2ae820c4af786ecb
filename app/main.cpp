// SPDX-License-Identifier: MIT
// livedesk: the workstation.
#include "connectdialog.h"
#include "mainwindow.h"
#include "monitorwindow.h"
#include "serverthread.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QDir>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QMessageBox>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QApplication::translate("main", text);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"livedesk"_s);
    QApplication::setApplicationName(u"livedesk"_s);
    QApplication::setApplicationVersion(u"0.1.0"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Real-time desktop client for AegisX-style servers. Without --url it starts its own "
           "built-in server with clinical demo data."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption url(u"url"_s, tr("Server base URL, e.g. http://host:3333."), u"url"_s);
    const QCommandLineOption path(u"path"_s, tr("Socket.IO path (default /api/ws/)."), u"path"_s,
                                  u"/api/ws/"_s);
    const QCommandLineOption token(u"token"_s, tr("Access token (instead of signing in)."),
                                   u"jwt"_s);
    const QCommandLineOption email(u"email"_s, tr("E-mail to sign in with at --url."), u"email"_s);
    const QCommandLineOption password(
        u"password"_s, tr("Password for --email (otherwise asked for)."), u"password"_s);
    const QCommandLineOption schema(
        u"schema"_s, tr("Schema file describing the resources of a server without /api/schema."),
        u"file"_s);
    const QCommandLineOption resource(
        u"resource"_s, tr("A resource to show when the server describes none (repeatable)."),
        u"name"_s);
    const QCommandLineOption user(
        u"user"_s, tr("Demo user of the built-in server (default nurse@demo.local)."), u"email"_s,
        u"nurse@demo.local"_s);
    const QCommandLineOption monitor(u"monitor"_s,
                                     tr("Open the connection monitor (raw events) instead."));
    const QCommandLineOption feature(
        u"feature"_s, tr("With --monitor: feature to subscribe (repeatable)."), u"name"_s);
    const QCommandLineOption screenshot(
        u"screenshot"_s, tr("Save a PNG of the window once it shows data, then quit."), u"file"_s);
    parser.addOptions(
        {url, path, token, email, password, schema, resource, user, monitor, feature, screenshot});
    parser.process(app);

    // Without --url the workstation brings its own backend: the embedded reference server
    // with the clinical demo, on a thread of its own (database work and imports never stall
    // the UI), reached over loopback like any remote server.
    std::unique_ptr<livedesk::server::ServerThread> embedded;
    QUrl serverUrl(parser.value(url));
    QString accessToken = parser.value(token);
    if (!parser.isSet(url)) {
        embedded = std::make_unique<livedesk::server::ServerThread>();
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        livedesk::server::LivedeskServer::Options options;
        options.databasePath = dir + u"/embedded-server.sqlite"_s;
        // The demo user's token is handed over without a refresh token, and a socket
        // presents it again on every reconnect: a day-long token keeps a session usable.
        options.accessTokenSeconds = 24 * 3600;
        QString error;
        if (!embedded->start(options, &error)) {
            QMessageBox::critical(nullptr, tr("livedesk"),
                                  tr("The built-in server could not start: %1").arg(error));
            return 1;
        }
        serverUrl = embedded->baseUrl();
        accessToken = embedded->tokenFor(parser.value(user));
    }

    QWidget *shown = nullptr;
    std::unique_ptr<livedesk::MonitorWindow> monitorWindow;
    std::unique_ptr<livedesk::MainWindow> window;
    if (parser.isSet(monitor)) {
        monitorWindow = std::make_unique<livedesk::MonitorWindow>();
        auto settings = monitorWindow->currentSettings();
        settings.url = serverUrl.toString();
        settings.path = parser.value(path);
        settings.token = accessToken;
        settings.features = parser.isSet(feature)
            ? parser.values(feature)
            : QStringList{u"patients"_s, u"admissions"_s, u"lab-orders"_s};
        monitorWindow->applySettings(settings);
        monitorWindow->show();
        monitorWindow->connectToServer();
        shown = monitorWindow.get();
    } else {
        window = std::make_unique<livedesk::MainWindow>();
        if (embedded)
            window->setServerDescription(tr("built-in server"));
        window->show();
        window->setSchemaSource(parser.value(schema), parser.values(resource));
        QObject::connect(window.get(), &livedesk::MainWindow::connectionFailed, window.get(),
                         [&window](const QString &message) {
                             QMessageBox::warning(window.get(), tr("livedesk"), message);
                         });
        if (!accessToken.isEmpty()) {
            window->connectWithToken(serverUrl, parser.value(path), accessToken);
        } else if (parser.isSet(email) && parser.isSet(password)) {
            window->connectTo(serverUrl, parser.value(path), parser.value(email),
                              parser.value(password));
        } else {
            livedesk::ConnectDialog dialog(window.get());
            dialog.setUrl(serverUrl.toString());
            dialog.setPath(parser.value(path));
            dialog.setEmail(parser.isSet(email) ? parser.value(email)
                                                : QSettings().value(u"server/email"_s).toString());
            if (dialog.exec() != QDialog::Accepted)
                return 0;
            window->connectTo(QUrl(dialog.url()), dialog.path(), dialog.email(), dialog.password());
        }
        shown = window.get();
    }
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        const auto take = [shown, file] {
            shown->grab().save(file);
            QApplication::quit();
        };
        if (window) {
            // Once the lists have data (or after 20 s whatever is shown).
            QObject::connect(window.get(), &livedesk::MainWindow::ready, shown,
                             [&window, take] { QTimer::singleShot(1500, window.get(), take); });
            QTimer::singleShot(20000, shown, take);
        } else {
            QTimer::singleShot(1500, shown, take);
        }
    }
    return app.exec();
}
