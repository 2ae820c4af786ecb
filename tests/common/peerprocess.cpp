// SPDX-License-Identifier: MIT
#include "peerprocess.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace livedesk::test {

namespace {
QString nodeExecutable()
{
    return QString::fromUtf8(LIVEDESK_NODE_EXECUTABLE);
}

QString peerScript()
{
    return QString::fromUtf8(LIVEDESK_PEER_SCRIPT);
}
} // namespace

PeerProcess::PeerProcess(QObject *parent)
    : QObject(parent)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &PeerProcess::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        const QString text = QString::fromUtf8(m_process.readAllStandardError());
        m_errors += text;
        qInfo().noquote() << "peer stderr:" << text.trimmed();
    });
}

PeerProcess::~PeerProcess()
{
    kill();
}

QString PeerProcess::setupProblem()
{
    const QString node = nodeExecutable();
    if (node.isEmpty())
        return u"node was not found when the build was configured; install Node.js (./dev deps) "
               "and re-run cmake"_s;
    if (!QFileInfo(node).isExecutable())
        return u"node (%1, found at configure time) is not an executable"_s.arg(node);
    const QDir dir = QFileInfo(peerScript()).absoluteDir();
    if (!QFileInfo::exists(dir.filePath(u"node_modules/socket.io/package.json"_s)))
        return u"the npm packages of %1 are not installed: run `npm ci` there (./dev test does)"_s
            .arg(dir.path());
    return {};
}

bool PeerProcess::start(const QStringList &arguments, int timeoutMs)
{
    if (const QString problem = setupProblem(); !problem.isEmpty()) {
        m_errors = problem;
        return false;
    }
    QStringList args {peerScript()};
    if (!arguments.contains(u"--port"_s))
        args << u"--port"_s << u"0"_s;
    args += arguments;
    m_lines.clear();
    m_pending.clear();
    m_port = 0;
    m_process.setWorkingDirectory(QFileInfo(peerScript()).absolutePath());
    m_process.start(nodeExecutable(), args);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_errors += u"cannot start node: %1\n"_s.arg(m_process.errorString());
        return false;
    }
    if (!QTest::qWaitFor([this] { return m_port > 0 || !isRunning(); }, timeoutMs) || m_port == 0) {
        m_errors += u"the peer did not report ready (arguments: %1)\n"_s.arg(args.join(u' '));
        kill();
        return false;
    }
    return true;
}

QUrl PeerProcess::url() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_port);
    return url;
}

void PeerProcess::send(const QJsonObject &command)
{
    m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

QJsonObject PeerProcess::request(QJsonObject command, int timeoutMs)
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

QList<QJsonObject> PeerProcess::linesWith(QStringView key) const
{
    QList<QJsonObject> out;
    for (const auto &line : m_lines) {
        if (line.contains(key))
            out.append(line);
    }
    return out;
}

QList<QJsonArray> PeerProcess::received(QStringView event) const
{
    QList<QJsonArray> out;
    for (const auto &line : m_lines) {
        if (line.value(u"received").toString() == event)
            out.append(line.value(u"args").toArray());
    }
    return out;
}

void PeerProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10000);
}

void PeerProcess::readOutput()
{
    m_pending += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = m_pending.left(newline).trimmed();
        m_pending.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (!doc.isObject()) {
            qWarning() << "peer printed a line that is not a JSON object:" << line;
            continue;
        }
        const QJsonObject object = doc.object();
        if (object.value(u"ready").toBool())
            m_port = object.value(u"port").toInt();
        m_lines.append(object);
    }
}

} // namespace livedesk::test
