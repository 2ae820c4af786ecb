// SPDX-License-Identifier: MIT
// livedesk: the workstation.
#include "connectdialog.h"
#include "mainwindow.h"
#include "monitorwindow.h"
#include "resourcelistview.h"
#include "serverthread.h"
#include "state/realtimestatemanager.h"
#include "state/session.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QLibraryInfo>
#include <QtCore/QLocale>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>
#include <QtCore/QTranslator>
#include <QtWidgets/QApplication>
#include <QtWidgets/QMessageBox>

using namespace Qt::StringLiterals;

namespace {

// The context of the workstation's own messages (the command line, start-up errors).
struct Main
{
    Q_DECLARE_TR_FUNCTIONS(main)
};

// The language asked for with --lang, read before the options are built: their help texts
// are translated as they are made. Empty when it is not given.
QString languageArgument(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == u"--")
            break;
        if (a == u"--lang" && i + 1 < arguments.size())
            return arguments.at(i + 1);
        if (a.startsWith(u"--lang="))
            return a.mid(7);
    }
    return {};
}

// The workstation's catalogue for the first of the locale's UI languages that has one, and
// then Qt's own (dialog buttons and the like) for the same language where the system ships
// it. Without a catalogue of ours nothing is installed: the whole window stays in English
// rather than half translated.
void installTranslators(QApplication &app, const QLocale &locale)
{
    auto *own = new QTranslator(&app);
    if (!own->load(locale, u"livedesk"_s, u"_"_s, u":/i18n"_s)) {
        // No catalogue for this language: English, whose catalogue holds only the plural
        // forms ("1 row", "2 rows").
        if (own->load(u"livedesk_en"_s, u":/i18n"_s))
            QApplication::installTranslator(own);
        else
            delete own;
        return;
    }
    QApplication::installTranslator(own);
    auto *qt = new QTranslator(&app);
    // Qt's own texts in the language of the catalogue that loaded, not the locale's first.
    // Else our own catalogue of Qt's standard buttons (Debian ships no qtbase_th).
    const QLocale language(own->language());
    if (qt->load(language, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath))
        || qt->load(language, u"qtstandard"_s, u"_"_s, u":/i18n"_s))
        QApplication::installTranslator(qt);
    else
        delete qt;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"livedesk"_s);
    QApplication::setApplicationName(u"livedesk"_s);
    QApplication::setApplicationVersion(u"0.1.0"_s);

    // --lang overrides the system's language, for the texts and for dates and numbers alike
    // (a code that names no language changes nothing).
    if (const QLocale chosen(languageArgument(QApplication::arguments()));
        chosen.language() != QLocale::C) {
        QLocale::setDefault(chosen);
    }
    installTranslators(app, QLocale());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        Main::tr("Real-time desktop client for clinical systems. Without --url it starts its own "
                 "built-in server with clinical demo data."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption url(u"url"_s, Main::tr("Server base URL, e.g. http://host:3333."),
                                 u"url"_s);
    const QCommandLineOption path(u"path"_s, Main::tr("Socket.IO path (default /api/ws/)."),
                                  u"path"_s, u"/api/ws/"_s);
    const QCommandLineOption token(u"token"_s, Main::tr("Access token (instead of signing in)."),
                                   u"jwt"_s);
    const QCommandLineOption email(u"email"_s, Main::tr("E-mail to sign in with at --url."),
                                   u"email"_s);
    const QCommandLineOption password(
        u"password"_s, Main::tr("Password for --email (otherwise asked for)."), u"password"_s);
    const QCommandLineOption schema(
        u"schema"_s,
        Main::tr("Schema file describing the resources of a server without /api/schema."),
        u"file"_s);
    const QCommandLineOption resource(
        u"resource"_s, Main::tr("A resource to show when the server describes none (repeatable)."),
        u"name"_s);
    const QCommandLineOption user(
        u"user"_s, Main::tr("Demo user of the built-in server (default nurse@demo.local)."),
        u"email"_s, u"nurse@demo.local"_s);
    const QCommandLineOption monitor(u"monitor"_s,
                                     Main::tr("Open the connection monitor (raw events) instead."));
    const QCommandLineOption feature(
        u"feature"_s, Main::tr("With --monitor: feature to subscribe (repeatable)."), u"name"_s);
    const QCommandLineOption screenshot(
        u"screenshot"_s, Main::tr("Save a PNG of the window once it shows data, then quit."),
        u"file"_s);
    const QCommandLineOption lang(
        u"lang"_s,
        Main::tr("Language of the window, e.g. th for Thai or en for English (default: the "
                 "system's). Where there is no translation the window is in English."),
        u"code"_s);
    parser.addOptions({url, path, token, email, password, schema, resource, user, monitor, feature,
                       screenshot, lang});
    parser.process(app);

    // Without --url the workstation brings its own backend: the embedded reference server
    // with the clinical demo, on a thread of its own (database work and imports never stall
    // the UI), reached over loopback like any remote server.
    std::unique_ptr<livedesk::server::ServerThread> embedded;
    QUrl serverUrl(parser.value(url));
    QString accessToken = parser.value(token);
    QString refreshToken; // the built-in server's user keeps its session by refreshing
    if (!parser.isSet(url)) {
        embedded = std::make_unique<livedesk::server::ServerThread>();
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        livedesk::server::LivedeskServer::Options options;
        options.databasePath = dir + u"/embedded-server.sqlite"_s;
        QString error;
        if (!embedded->start(options, &error)) {
            QMessageBox::critical(
                nullptr, Main::tr("livedesk"),
                Main::tr("The built-in server with the demo data could not start. Start livedesk "
                         "with --url to work with another server.\n\nDetails: %1")
                    .arg(error));
            return 1;
        }
        serverUrl = embedded->baseUrl();
        accessToken = embedded->tokenFor(parser.value(user));
        refreshToken = embedded->refreshTokenFor(parser.value(user));
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
            window->setServerDescription(Main::tr("built-in server"));
        window->show();
        window->setSchemaSource(parser.value(schema), parser.values(resource));
        // A refused sign-in is shown in the sign-in dialog, which stays open for another try
        // (MainWindow::askToSignIn()); no message box.
        if (!accessToken.isEmpty()) {
            window->connectWithToken(serverUrl, parser.value(path), accessToken, refreshToken);
        } else if (parser.isSet(email) && parser.isSet(password)) {
            window->connectTo(serverUrl, parser.value(path), parser.value(email),
                              parser.value(password));
        } else {
            window->askToSignIn(serverUrl, parser.value(path),
                                parser.isSet(email)
                                    ? parser.value(email)
                                    : QSettings().value(u"server/email"_s).toString(),
                                {});
            // Cancelled before anything was signed in: nothing to show.
            QObject::connect(window->signInDialog(), &QDialog::rejected, window.get(), [&window] {
                if (!window->session())
                    window->close();
            });
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
            // Once the socket is up and the lists have read their rows, as a person would see
            // the window (or after 20 s whatever is shown): a loaded machine may take seconds.
            QObject::connect(window.get(), &livedesk::MainWindow::ready, shown, [&window, take] {
                auto *poll = new QTimer(window.get());
                poll->setInterval(100);
                QObject::connect(poll, &QTimer::timeout, window.get(), [&window, poll, take] {
                    livedesk::Session *session = window->session();
                    if (!session
                        || session->connectionStatus().state
                            != livedesk::ConnectionStatus::State::Connected)
                        return;
                    for (const livedesk::ResourceSchema &r : session->resources()) {
                        const livedesk::ResourceListView *list = window->listView(r.name);
                        const livedesk::RealtimeStateManager *m = list ? list->manager() : nullptr;
                        if (!m || !m->lastSyncAt().isValid() || m->isLoading())
                            return;
                    }
                    poll->stop();
                    QTimer::singleShot(500, window.get(), take); // painted
                });
                poll->start();
            });
            QTimer::singleShot(20000, shown, take);
        } else {
            QTimer::singleShot(1500, shown, take);
        }
    }
    return app.exec();
}
