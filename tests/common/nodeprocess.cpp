// SPDX-License-Identifier: MIT
#include "nodeprocess.h"

#include <QtCore/QDir>
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
QDir scriptDir()
{
    return QDir(QString::fromUtf8(LIVEDESK_NODE_SCRIPT_DIR));
}
} // namespace

NodeProcess::NodeProcess(const QString &label, QObject *parent)
    : QObject(parent)
    , m_label(label)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &NodeProcess::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        const QString text = QString::fromUtf8(m_process.readAllStandardError());
        m_errors += text;
        qInfo().noquote() << m_label << "stderr:" << text.trimmed();
    });
}

NodeProcess::~NodeProcess()
{
    kill();
}

QString NodeProcess::setupProblem()
{
    const QString node = nodeExecutable();
    if (node.isEmpty())
        return u"node was not found when the build was configured; install Node.js (./dev deps) "
               "and re-run cmake"_s;
    if (!QFileInfo(node).isExecutable())
        return u"node (%1, found at configure time) is not an executable"_s.arg(node);
    for (const auto module : {u"socket.io", u"socket.io-client"}) {
        if (!QFileInfo::exists(scriptDir().filePath(u"node_modules/%1/package.json"_s.arg(module))))
            return u"the npm packages of %1 are not installed: run `npm ci` there (./dev test "
                   "does)"_s.arg(scriptDir().path());
    }
    return {};
}

bool NodeProcess::startScript(const QString &script, const QStringList &arguments, int timeoutMs,
                              const std::function<bool()> &ready)
{
    if (const QString problem = setupProblem(); !problem.isEmpty()) {
        m_errors = problem;
        return false;
    }
    m_lines.clear();
    m_pending.clear();
    m_process.setWorkingDirectory(scriptDir().path());
    m_process.start(nodeExecutable(), QStringList{scriptDir().filePath(script)} + arguments);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_errors += u"cannot start node: %1\n"_s.arg(m_process.errorString());
        return false;
    }
    if (!QTest::qWaitFor([&] { return ready() || !isRunning(); }, timeoutMs) || !ready()) {
        m_errors
            += u"%1 did not report ready (arguments: %2)\n"_s.arg(m_label, arguments.join(u' '));
        kill();
        return false;
    }
    return true;
}

void NodeProcess::send(const QJsonObject &command)
{
    m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

QJsonObject NodeProcess::request(QJsonObject command, int timeoutMs)
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

QList<QJsonObject> NodeProcess::linesWith(QStringView key) const
{
    QList<QJsonObject> out;
    for (const auto &line : m_lines) {
        if (line.contains(key))
            out.append(line);
    }
    return out;
}

QList<QJsonArray> NodeProcess::argsWhere(QStringView key, QStringView value) const
{
    QList<QJsonArray> out;
    for (const auto &line : m_lines) {
        if (line.value(key).toString() == value)
            out.append(line.value(u"args").toArray());
    }
    return out;
}

void NodeProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10000);
}

void NodeProcess::readOutput()
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
            qWarning() << m_label << "printed a line that is not a JSON object:" << line;
            continue;
        }
        lineReceived(doc.object());
        m_lines.append(doc.object());
    }
}

} // namespace livedesk::test
