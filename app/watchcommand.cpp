// SPDX-License-Identifier: MIT
#include "watchcommand.h"

#include "events/realtimechannel.h"
#include "socketio/socketioclient.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {
QString stateName(SocketIoClient::State s)
{
    switch (s) {
    case SocketIoClient::State::Disconnected:
        return u"disconnected"_s;
    case SocketIoClient::State::Connecting:
        return u"connecting"_s;
    case SocketIoClient::State::Connected:
        return u"connected"_s;
    case SocketIoClient::State::Reconnecting:
        return u"reconnecting"_s;
    case SocketIoClient::State::Failed:
        return u"failed"_s;
    }
    return {};
}
} // namespace

WatchCommand::WatchCommand(QObject *parent)
    : QObject(parent)
    , m_client(new SocketIoClient(this))
    , m_channel(new RealtimeChannel(m_client, this))
{
}

bool WatchCommand::configure(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Connects to an AegisX-style Socket.IO server, subscribes, and prints every change "
        "event and connection state change as one JSON object per line."_s);
    parser.addHelpOption();
    const QCommandLineOption url(u"url"_s, u"Server base URL, e.g. http://localhost:3333."_s,
                                 u"url"_s);
    const QCommandLineOption path(u"path"_s,
                                  u"Socket.IO path (default /api/ws/; plain "
                                  "Socket.IO servers use /socket.io/)."_s,
                                  u"path"_s, u"/api/ws/"_s);
    const QCommandLineOption token(u"token"_s, u"Bearer token (JWT) sent as auth.token."_s,
                                   u"jwt"_s);
    const QCommandLineOption feature(u"feature"_s, u"Feature to subscribe to (repeatable)."_s,
                                     u"name"_s);
    const QCommandLineOption entity(u"entity"_s, u"Entity to subscribe to (repeatable)."_s,
                                    u"name"_s);
    const QCommandLineOption nsp(u"namespace"_s, u"Socket.IO namespace (default /)."_s, u"nsp"_s,
                                 u"/"_s);
    const QCommandLineOption retries(u"retries"_s,
                                     u"Reconnection attempts per outage before "
                                     "giving up, -1 for no limit (default 10)."_s,
                                     u"n"_s, u"10"_s);
    const QCommandLineOption keepalive(
        u"keepalive"_s, u"Seconds between app-level pings, 0 off (default 60)."_s, u"s"_s, u"60"_s);
    const QCommandLineOption raw(u"undecoded"_s,
                                 u"Also print events no dialect explains (kind \"undecoded\")."_s);
    parser.addOptions({url, path, token, feature, entity, nsp, retries, keepalive, raw});

    QStringList args = arguments;
    args.prepend(u"livedesk-cli watch"_s);
    if (!parser.parse(args)) {
        m_err << parser.errorText() << u"\n\n" << parser.helpText();
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        m_out << parser.helpText();
        m_out.flush();
        return false;
    }
    if (!parser.isSet(url)) {
        m_err << "livedesk-cli watch: --url is required\n\n" << parser.helpText();
        return false;
    }
    bool retriesOk = false;
    bool keepaliveOk = false;
    const int retryBudget = parser.value(retries).toInt(&retriesOk);
    const int keepaliveSeconds = parser.value(keepalive).toInt(&keepaliveOk);
    if (!retriesOk || retryBudget < -1 || !keepaliveOk || keepaliveSeconds < 0) {
        m_err << "livedesk-cli watch: --retries takes a whole number >= -1 and --keepalive a "
                 "number of seconds >= 0\n";
        return false;
    }

    SocketIoClient::Options options;
    options.url = QUrl(parser.value(url), QUrl::StrictMode);
    options.path = parser.value(path);
    options.nsp = parser.value(nsp);
    if (parser.isSet(token))
        options.auth = QJsonObject{{u"token"_s, parser.value(token)}};
    options.reconnectionAttempts = retryBudget;
    m_client->setOptions(options);
    if (m_client->engineUrl().isEmpty()) {
        m_err << "livedesk-cli watch: not a usable server URL: " << parser.value(url)
              << " (expected http(s):// or ws(s)://host[:port])\n";
        return false;
    }
    m_channel->setSubscription(parser.values(feature), parser.values(entity));
    m_channel->setKeepaliveInterval(keepaliveSeconds * 1000);

    connect(m_client, &SocketIoClient::stateChanged, this, &WatchCommand::printState);
    connect(m_client, &SocketIoClient::reconnectScheduled, this, [this](int attempt, int delay) {
        print({{u"kind"_s, u"state"_s},
               {u"state"_s, u"reconnecting"_s},
               {u"attempt"_s, attempt},
               {u"delayMs"_s, delay}});
    });
    connect(m_client, &SocketIoClient::disconnected, this, [this](const QString &reason) {
        // A disconnect that leaves the client idle is the server's `41`, unless we are the
        // ones closing (stop() ends the watch itself).
        if (m_client->state() == SocketIoClient::State::Disconnected && !m_stopping) {
            m_err << "livedesk-cli watch: disconnected by the server (" << reason << ")\n";
            m_err.flush();
            Q_EMIT finished(ServerDisconnect);
        }
    });
    connect(m_channel, &RealtimeChannel::eventReceived, this,
            [this](const RealtimeEvent &e) { print(e.toJson()); });
    connect(m_channel, &RealtimeChannel::subscriptionConfirmed, this, [this](const QJsonObject &c) {
        QJsonObject o = c;
        o.insert(u"kind"_s, u"subscribed"_s);
        print(o);
    });
    if (parser.isSet(raw)) {
        connect(m_channel, &RealtimeChannel::undecodableEvent, this,
                [this](const QString &name, const QString &reason, const QJsonArray &a) {
                    print({{u"kind"_s, u"undecoded"_s},
                           {u"name"_s, name},
                           {u"reason"_s, reason},
                           {u"args"_s, a}});
                });
    }
    return true;
}

void WatchCommand::start()
{
    m_client->open();
}

void WatchCommand::stop()
{
    m_stopping = true;
    m_client->close();
    Q_EMIT finished(Ok);
}

void WatchCommand::printState()
{
    const auto state = m_client->state();
    if (state == SocketIoClient::State::Reconnecting)
        return; // printed with its attempt and delay by reconnectScheduled
    QJsonObject o{{u"kind"_s, u"state"_s}, {u"state"_s, stateName(state)}};
    if (state == SocketIoClient::State::Connected) {
        o.insert(u"recovered"_s, m_client->recovered());
        o.insert(u"sid"_s, m_client->sid());
    }
    if (state == SocketIoClient::State::Failed)
        o.insert(u"reason"_s, m_client->failureMessage());
    print(o);
    if (state != SocketIoClient::State::Failed)
        return;
    m_err << "livedesk-cli watch: " << m_client->failureMessage() << "\n";
    m_err.flush();
    switch (m_client->failure()) {
    case SocketIoClient::Failure::ConnectRefused:
        Q_EMIT finished(Refused);
        break;
    case SocketIoClient::Failure::InvalidUrl:
        Q_EMIT finished(Usage);
        break;
    default:
        Q_EMIT finished(Unreachable);
        break;
    }
}

void WatchCommand::print(const QJsonObject &object)
{
    m_out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) << '\n';
    m_out.flush();
}

} // namespace livedesk
