// SPDX-License-Identifier: MIT
// The server the official socket.io-protocol and engine.io-protocol test suites expect
// (SocketIoConformance): Socket.IO at /socket.io/, an Engine.IO echo at /engine.io/.
//
//   siosrv-conformance-server [--port 3000] [--host 127.0.0.1|::1|any]
//
// Prints "listening on <port>" once ready; runs until killed.
#include "socketioconformance.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"port"_s, u"Port to listen on."_s, u"port"_s, u"3000"_s});
    parser.addOption(
        {u"host"_s, u"Address to listen on (any: all interfaces)."_s, u"host"_s, u"127.0.0.1"_s});
    parser.process(app);

    const QString host = parser.value(u"host"_s);
    const QHostAddress address(host == u"any" ? QHostAddress(QHostAddress::Any)
                                              : QHostAddress(host));
    livedesk::server::SocketIoConformance server;
    if (!server.listen(address, quint16(parser.value(u"port"_s).toUInt()))) {
        QTextStream(stderr) << "cannot listen: " << server.errorString() << Qt::endl;
        return 1;
    }
    QTextStream(stdout) << "listening on " << server.port() << Qt::endl;
    return app.exec();
}
