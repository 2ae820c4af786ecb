// SPDX-License-Identifier: MIT
// livedesk-server: the embedded reference backend as a standalone program.
#include "livedeskserver.h"
#include "serverschema.h"
#include "socketioconformance.h"
#include "userspec.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QSocketNotifier>
#include <QtCore/QStandardPaths>
#include <QtCore/QTextStream>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
int signalPipe[2] = {-1, -1};
void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(signalPipe[1], &c, 1);
}
} // namespace

int main(int argc, char **argv)
{
    // Qt's GLib event dispatcher re-registers a socket's write notifier per frame at a cost
    // that grows with the number of sockets: at 1000 clients it doubles the fan-out latency.
    // A server has no GLib integration to keep; an empty QT_NO_GLIB in the environment keeps it.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"livedesk"_s);
    QCoreApplication::setApplicationName(u"livedesk-server"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"The AegisX-compatible reference backend: REST CRUD, Socket.IO change events, "
        "imports, on SQLite."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption schema(u"schema"_s,
                                    u"Schema file (JSON; default: the built-in clinical demo)."_s,
                                    u"path"_s, u":/livedesk/schema/clinical.json"_s);
    const QCommandLineOption port(u"port"_s, u"TCP port (default 3333; 0 picks a free one)."_s,
                                  u"port"_s, u"3333"_s);
    const QCommandLineOption address(u"address"_s, u"Address to listen on (default 127.0.0.1)."_s,
                                     u"addr"_s, u"127.0.0.1"_s);
    const QCommandLineOption db(u"db"_s,
                                u"SQLite database file, or :memory: (default: in the user's "
                                "data directory)."_s,
                                u"path"_s);
    const QCommandLineOption secret(u"jwt-secret"_s,
                                    u"HS256 secret (default: $LIVEDESK_JWT_SECRET, else random "
                                    "per start)."_s,
                                    u"secret"_s);
    const QCommandLineOption noDemo(u"no-demo"_s, u"Do not seed empty tables with demo rows."_s);
    const QCommandLineOption conformance(
        u"conformance"_s,
        u"Serve only Socket.IO, configured like the reference server of the official Socket.IO "
        "v5 / Engine.IO v4 protocol test suites (path /socket.io/, pingInterval 300 ms, "
        "namespaces / and /custom, raw Engine.IO echo at /engine.io/)."_s);
    const QCommandLineOption perAddress(
        u"max-connections-per-address"_s,
        u"Open HTTP connections, and separately Socket.IO connections, one client address may "
        "hold (default 256; 0: no cap, e.g. behind a reverse proxy)."_s,
        u"n"_s, u"256"_s);
    const QCommandLineOption maxSockets(
        u"max-sockets"_s, u"Open Socket.IO connections in all (default 10000; 0: no cap)."_s,
        u"n"_s, u"10000"_s);
    parser.addOptions(
        {schema, port, address, db, secret, noDemo, perAddress, maxSockets, conformance});
    parser.process(app);

    livedesk::server::LivedeskServer::Options options;
    options.schemaPath = parser.value(schema);
    bool portOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    if (!portOk || portValue > 65535) {
        err << "livedesk-server: --port takes a number from 0 to 65535\n";
        return 2;
    }
    options.port = quint16(portValue);
    options.address = QHostAddress(parser.value(address));
    if (options.address.isNull()) {
        err << "livedesk-server: not an address: " << parser.value(address) << "\n";
        return 2;
    }
    if (parser.isSet(db)) {
        options.databasePath = parser.value(db);
    } else {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        options.databasePath = dir + u"/livedesk-server.sqlite"_s;
    }
    options.jwtSecret
        = parser.isSet(secret) ? parser.value(secret).toUtf8() : qgetenv("LIVEDESK_JWT_SECRET");
    options.seedDemoData = !parser.isSet(noDemo);
    const auto count = [&](const QCommandLineOption &option, int *value) {
        bool ok = false;
        const int n = parser.value(option).toInt(&ok);
        if (!ok || n < 0) {
            err << "livedesk-server: --" << option.names().constFirst()
                << " takes a whole number, 0 or more\n";
            return false;
        }
        *value = n;
        return true;
    };
    if (!count(perAddress, &options.http.maxConnectionsPerAddress)
        || !count(perAddress, &options.maxSocketsPerAddress)
        || !count(maxSockets, &options.maxSockets))
        return 2;

    if (parser.isSet(conformance)) {
        livedesk::server::SocketIoConformance reference;
        if (!reference.listen(options.address, options.port)) {
            err << "livedesk-server: " << reference.errorString() << "\n";
            return 1;
        }
        out << "livedesk-server (conformance mode) listening on " << options.address.toString()
            << ":" << reference.port() << "\n";
        out.flush();
        return app.exec();
    }

    livedesk::server::LivedeskServer server(options);
    QString error;
    if (!server.start(&error)) {
        err << "livedesk-server: " << error << "\n";
        return 1;
    }
    out << "livedesk-server listening on " << server.baseUrl().toString() << "\n"
        << "  REST:      " << server.baseUrl().toString() << "/api\n"
        << "  Socket.IO: " << server.baseUrl().toString() << options.socketIoPath << "\n"
        << "  database:  " << options.databasePath << "\n"
        << "  schema:    " << options.schemaPath << "\n"
        << "  users:";
    for (const auto &user : server.schema().users)
        out << "  " << user.email << " (" << user.tenant << ", " << user.role << ")";
    out << "\n";
    out.flush();

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&server, &out] {
            char c;
            [[maybe_unused]] const auto n = ::read(signalPipe[0], &c, 1);
            out << "livedesk-server: shutting down\n";
            out.flush();
            server.stop();
            QCoreApplication::quit();
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    return app.exec();
}
