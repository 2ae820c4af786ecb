// SPDX-License-Identifier: MIT
// livedesk-cli: the headless tool. `livedesk-cli watch ...` streams events as JSON lines.
#include "watchcommand.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>
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

void usage(QTextStream &out)
{
    out << "Usage: livedesk-cli <command> [options]\n\n"
           "Commands:\n"
           "  watch    connect, subscribe and print events as JSON lines (see watch --help)\n";
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"livedesk-cli"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);
    QStringList args = QCoreApplication::arguments().mid(1);
    QTextStream err(stderr);
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h") {
        QTextStream out(stdout);
        usage(out);
        return args.isEmpty() ? 2 : 0;
    }
    const QString command = args.takeFirst();
    if (command != u"watch") {
        err << "livedesk-cli: unknown command '" << command << "'\n\n";
        usage(err);
        return 2;
    }

    livedesk::WatchCommand watch;
    if (!watch.configure(args))
        return args.contains(u"--help"_s) || args.contains(u"-h"_s) ? 0 : 2;

    // Ctrl-C and SIGTERM end the stream cleanly (exit 0) through the event loop.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &watch, [&watch] {
            char c;
            [[maybe_unused]] const auto n = ::read(signalPipe[0], &c, 1);
            watch.stop();
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    QObject::connect(
        &watch, &livedesk::WatchCommand::finished, &app,
        [](int code) { QCoreApplication::exit(code); }, Qt::QueuedConnection);
    watch.start();
    return app.exec();
}
