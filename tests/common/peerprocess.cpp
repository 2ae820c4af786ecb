// SPDX-License-Identifier: MIT
#include "peerprocess.h"

using namespace Qt::StringLiterals;

namespace livedesk::test {

PeerProcess::PeerProcess(QObject *parent)
    : PeerProcess(u"peer-server.js"_s, parent)
{
}

PeerProcess::PeerProcess(const QString &script, QObject *parent)
    : NodeProcess(QString(script).remove(u".js"_s), parent)
    , m_script(script)
{
}

bool PeerProcess::start(const QStringList &arguments, int timeoutMs)
{
    QStringList args = arguments;
    if (!args.contains(u"--port"_s))
        args << u"--port"_s << u"0"_s;
    m_port = 0;
    return startScript(m_script, args, timeoutMs, [this] { return m_port > 0; });
}

QUrl PeerProcess::url() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_port);
    return url;
}

void PeerProcess::lineReceived(const QJsonObject &line)
{
    if (line.value(u"ready").toBool())
        m_port = line.value(u"port").toInt();
}

} // namespace livedesk::test
