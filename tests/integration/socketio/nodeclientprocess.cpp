// SPDX-License-Identifier: MIT
#include "nodeclientprocess.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace livedesk::test {

namespace {
QString nodeExecutable()
{
    return QString::fromUtf8(LIVEDESK_NODE_EXECUTABLE);
}

QString clientScript()
{
    return QString::fromUtf8(LIVEDESK_SIOSRV_NODE_CLIENT);
}
} // namespace

NodeClientProcess::NodeClientProcess(QObject *parent)
    : QObject(parent)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &NodeClientProcess::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        const QString text = QString::fromUtf8(m_process.readAllStandardError());
        m_errors += text;
        qInfo().noquote() << "node client stderr:" << text.trimmed();
    });
}

NodeClientProcess::~NodeClientProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

QString NodeClientProcess::setupProblem()
{
    const QString node = nodeExecutable();
    if (node.isEmpty() || !QFileInfo(node).isExecutable())
        return u"node was not found when the build was configured; install Node.js (./dev deps) "
               "and re-run cmake"_s;
    const QString module = QFileInfo(clientScript()).absolutePath()
        + u"/../../interop/node_modules/socket.io-client/package.json"_s;
    if (!QFileInfo::exists(module))
        return u"socket.io-client is not installed in tests/interop: run `npm ci` there "
               "(./dev test does)"_s;
    return {};
}

bool NodeClientProcess::start(int timeoutMs)
{
    if (const QString problem = setupProblem(); !problem.isEmpty()) {
        m_errors = problem;
        return false;
    }
    m_process.start(nodeExecutable(), {clientScript()});
    if (!m_process.waitForStarted(timeoutMs)) {
        m_errors += u"cannot start node: %1\n"_s.arg(m_process.errorString());
        return false;
    }
    [[maybe_unused]] const bool settled
        = QTest::qWaitFor([this] { return m_ready || !isRunning(); }, timeoutMs);
    if (!m_ready)
        m_errors += u"the node client did not report ready\n"_s;
    return m_ready;
}

void NodeClientProcess::send(const QJsonObject &command)
{
    m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

QJsonObject NodeClientProcess::request(QJsonObject command, int timeoutMs)
{
    const int id = m_nextId++;
    command.insert(u"id"_s, id);
    send(command);
    QJsonObject reply;
    [[maybe_unused]] const bool done = QTest::qWaitFor(
        [&] {
            for (const auto &line : std::as_const(m_lines)) {
                if (line.value(u"done").toInt(-1) == id) {
                    reply = line;
                    return true;
                }
            }
            return !isRunning();
        },
        timeoutMs);
    return reply;
}

QList<QJsonObject> NodeClientProcess::linesWith(QStringView key) const
{
    QList<QJsonObject> out;
    for (const auto &line : m_lines) {
        if (line.contains(key))
            out.append(line);
    }
    return out;
}

QList<QJsonArray> NodeClientProcess::events(QStringView name) const
{
    QList<QJsonArray> out;
    for (const auto &line : m_lines) {
        if (line.value(u"event").toString() == name)
            out.append(line.value(u"args").toArray());
    }
    return out;
}

void NodeClientProcess::readOutput()
{
    m_pending += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = m_pending.left(newline).trimmed();
        m_pending.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject()) {
            qWarning() << "node client printed a line that is not a JSON object:" << line;
            continue;
        }
        const QJsonObject object = doc.object();
        if (object.value(u"ready").toBool())
            m_ready = true;
        m_lines.append(object);
    }
}

} // namespace livedesk::test
