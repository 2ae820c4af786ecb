// SPDX-License-Identifier: MIT
// livedesk-cli: the headless tool. `livedesk-cli watch ...` streams events as JSON lines,
// `mirror` keeps a copy of a resource, `create|update|delete` change one record.
#include "mirrorcommand.h"
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
           "  watch    connect, subscribe and print events as JSON lines (see watch --help)\n"
           "  mirror   keep a copy of one resource and write it to a file (see mirror --help)\n"
           "  create   create a record through the state manager (see create --help)\n"
           "  update   change a record through the state manager (see update --help)\n"
           "  delete   delete a record through the state manager (see delete --help)\n";
}
} // namespace

namespace {
template<typename Command> int run(QCoreApplication &app, Command &command)
{
    // Ctrl-C and SIGTERM end the stream cleanly (exit 0) through the event loop.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &command, [&command] {
            char c;
            [[maybe_unused]] const auto n = ::read(signalPipe[0], &c, 1);
            command.stop();
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    QObject::connect(
        &command, &Command::finished, &app, [](int code) { QCoreApplication::exit(code); },
        Qt::QueuedConnection);
    command.start();
    return app.exec();
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
    const QStringList managed{u"mirror"_s, u"create"_s, u"update"_s, u"delete"_s};
    if (command != u"watch" && !managed.contains(command)) {
        err << "livedesk-cli: unknown command '" << command << "'\n\n";
        usage(err);
        return 2;
    }
    const bool help = args.contains(u"--help"_s) || args.contains(u"-h"_s);
    if (managed.contains(command)) {
        livedesk::MirrorCommand mirror;
        if (!mirror.configure(command, args))
            return help ? 0 : 2;
        return run(app, mirror);
    }
    livedesk::WatchCommand watch;
    if (!watch.configure(args))
        return help ? 0 : 2;
    return run(app, watch);
}
