// SPDX-License-Identifier: MIT
#include "nodepeer.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QThread>

using namespace Qt::StringLiterals;

namespace livedesk::test {

NodePeer::~NodePeer()
{
    stop();
}

bool NodePeer::start(const QStringList &arguments, int port)
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.setWorkingDirectory(QStringLiteral(LIVEDESK_PEER_DIR));
    m_process.start(QStringLiteral(LIVEDESK_NODE),
                    QStringList {QStringLiteral(LIVEDESK_PEER_DIR "/peer-server.js"), u"--port"_s,
                                 QString::number(port)}
                        + arguments);
    if (!m_process.waitForStarted(10000))
        return false;
    const auto ready
        = waitFor([](const QJsonObject &o) { return o.value(u"ready").toBool(); }, 20000);
    m_port = ready.value(u"port").toInt();
    return m_port > 0;
}

void NodePeer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

QString NodePeer::baseUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_port);
}

void NodePeer::send(const QJsonObject &command)
{
    m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
    m_process.waitForBytesWritten(2000);
}

void NodePeer::readPending()
{
    m_buffer += m_process.readAllStandardOutput();
    qsizetype nl;
    while ((nl = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(nl);
        m_buffer.remove(0, nl + 1);
        const auto doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            m_lines.append(doc.object());
    }
}

QList<QJsonObject> NodePeer::lines()
{
    readPending();
    return m_lines;
}

QJsonObject NodePeer::waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    qsizetype checked = 0;
    while (true) {
        readPending();
        for (; checked < m_lines.size(); ++checked) {
            if (match(m_lines.at(checked)))
                return m_lines.at(checked);
        }
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return {};
        // Keep the test's own event loop turning: the client under test lives in it.
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        m_process.waitForReadyRead(10);
    }
}

int NodePeer::count(const QString &key)
{
    readPending();
    return int(std::count_if(m_lines.cbegin(), m_lines.cend(),
                             [&key](const QJsonObject &o) { return o.contains(key); }));
}

} // namespace livedesk::test
