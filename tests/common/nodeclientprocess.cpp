// SPDX-License-Identifier: MIT
#include "nodeclientprocess.h"

using namespace Qt::StringLiterals;

namespace livedesk::test {

NodeClientProcess::NodeClientProcess(QObject *parent)
    : NodeProcess(u"node client"_s, parent)
{
}

bool NodeClientProcess::start(int timeoutMs)
{
    m_ready = false;
    return startScript(u"siosrv-node-client.js"_s, {}, timeoutMs, [this] { return m_ready; });
}

void NodeClientProcess::lineReceived(const QJsonObject &line)
{
    if (line.value(u"ready").toBool())
        m_ready = true;
}

} // namespace livedesk::test
