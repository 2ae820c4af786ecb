// SPDX-License-Identifier: MIT
#include "cliprocess.h"

#include <QtCore/QJsonDocument>
#include <QtTest/QTest>

namespace livedesk::test {

CliProcess::CliProcess(const QString &program)
    : m_program(program)
{
}

CliProcess::~CliProcess()
{
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished(10000);
    }
}

void CliProcess::start(const QStringList &arguments)
{
    process.start(m_program, arguments);
}

QList<QJsonObject> &CliProcess::lines()
{
    m_pending += process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = m_pending.left(newline);
        m_pending.remove(0, newline + 1);
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject())
            badLines.append(line);
        else
            m_parsed.append(doc.object());
    }
    return m_parsed;
}

QList<QJsonObject> CliProcess::ofKind(QStringView kind)
{
    QList<QJsonObject> out;
    for (const auto &o : lines()) {
        if (o.value(u"kind").toString() == kind)
            out.append(o);
    }
    return out;
}

bool CliProcess::finish(int timeoutMs)
{
    return QTest::qWaitFor([this] { return process.state() == QProcess::NotRunning; }, timeoutMs);
}

QString CliProcess::errorText()
{
    return m_stderr += QString::fromUtf8(process.readAllStandardError());
}

} // namespace livedesk::test
