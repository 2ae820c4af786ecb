// SPDX-License-Identifier: MIT
// livedesk-cli mirror / update as child processes against the embedded server: the snapshot
// equals the server, and a live-mode edit queued offline survives `kill -9` of the process
// and is applied exactly once by the next run.
#include "apiclient.h"
#include "cliprocess.h"
#include "livedeskserver.h"
#include "restoutcome.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace livedesk;
using livedesk::test::CliProcess;

namespace {

constexpr int Patience = 30000;

const QString CliPath = QString::fromUtf8(LIVEDESK_CLI_EXECUTABLE);

} // namespace

class TestCliMirror : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;

    QStringList common(const QString &command, const QString &path = u"/api/ws/"_s) const
    {
        return {command,
                u"--url"_s,
                m_server->baseUrl().toString(),
                u"--path"_s,
                path,
                u"--user"_s,
                u"nurse@demo.local"_s,
                u"--password"_s,
                u"nurse"_s,
                u"--resource"_s,
                u"patients"_s};
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }
    void cleanup() { m_server.reset(); }

    // The server calls the resource lab_orders (its URL and feature are lab-orders): any of
    // its spellings finds it, and the snapshot names it as the server does.
    void anySpellingOfTheResourceIsAccepted()
    {
        for (const QString &typed : {u"lab-orders"_s, u"labOrders"_s}) {
            QTemporaryDir dir;
            const QString snapshot = dir.filePath(u"snapshot.json"_s);
            QStringList arguments = common(u"mirror"_s);
            arguments.last() = typed;
            CliProcess cli(CliPath);
            cli.start(arguments + QStringList{u"--idle-ms"_s, u"300"_s, u"--snapshot"_s, snapshot});
            QVERIFY(cli.finish());
            QVERIFY2(cli.process.exitCode() == 0, qPrintable(typed + u": "_s + cli.errorText()));
            QFile file(snapshot);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
            QCOMPARE(doc.value(u"resource").toString(), u"lab_orders"_s);
            QVERIFY(!doc.value(u"records").toArray().isEmpty());
        }
    }

    void mirrorWritesTheServersRecords()
    {
        QTemporaryDir dir;
        const QString snapshot = dir.filePath(u"snapshot.json"_s);
        CliProcess cli(CliPath);
        cli.start(common(u"mirror"_s)
                  + QStringList{u"--mode"_s, u"live"_s, u"--idle-ms"_s, u"300"_s, u"--snapshot"_s,
                                snapshot});
        QVERIFY(cli.finish());
        QVERIFY2(cli.process.exitCode() == 0, cli.process.readAllStandardError().constData());
        QFile file(snapshot);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray records = doc.value(u"records").toArray();
        QCOMPARE(records.size(), 300);
        QCOMPARE(records.first().toObject().value(u"id").toInteger(), 1);
        QCOMPARE(records.last().toObject().value(u"id").toInteger(), 300);
        QVERIFY(doc.value(u"counters").toObject().value(u"reloads").toInteger() >= 1);
        QCOMPARE(doc.value(u"state").toObject().value(u"mode").toString(), u"live"_s);
    }

    void queuedEditSurvivesKillAndAppliesOnce()
    {
        QTemporaryDir dir;
        const QString queue = dir.filePath(u"patients.queue.json"_s);
        {
            // The socket path is wrong on purpose: REST works, events never come, so the
            // edit is queued, not sent.
            CliProcess cli(CliPath);
            cli.start(common(u"update"_s, u"/nowhere/"_s)
                      + QStringList{u"--mode"_s, u"live"_s, u"--queue"_s, queue, u"--id"_s, u"7"_s,
                                    u"--set"_s, u"ward=Queued ward"_s});
            QVERIFY(QTest::qWaitFor(
                [&] {
                    const auto lines = cli.lines();
                    return !lines.isEmpty()
                        && lines.last().value(u"status").toString() == u"queued";
                },
                Patience));
            QVERIFY(QFile::exists(queue));
            ::kill(pid_t(cli.process.processId()), SIGKILL);
            QVERIFY(cli.finish());
            QCOMPARE(cli.process.exitStatus(), QProcess::CrashExit);
        }
        ApiClient api;
        api.setBaseUrl(m_server->baseUrl());
        QVERIFY(test::await(api.login(u"nurse@demo.local"_s, u"nurse"_s)).ok);
        QCOMPARE(test::await(api.fetch(u"/api/patients"_s, u"7"_s))
                     .object()
                     .value(u"version")
                     .toInteger(),
                 1);

        // The next run sends it, once.
        const QString snapshot = dir.filePath(u"snapshot.json"_s);
        CliProcess again(CliPath);
        again.start(common(u"mirror"_s)
                    + QStringList{u"--mode"_s, u"live"_s, u"--queue"_s, queue, u"--idle-ms"_s,
                                  u"300"_s, u"--snapshot"_s, snapshot});
        QVERIFY(again.finish());
        QCOMPARE(again.process.exitCode(), 0);
        const QJsonObject record = test::await(api.fetch(u"/api/patients"_s, u"7"_s)).object();
        QCOMPARE(record.value(u"ward").toString(), u"Queued ward"_s);
        QCOMPARE(record.value(u"version").toInteger(), 2);
        QVERIFY(!QFile::exists(queue));
        QFile file(snapshot);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(doc.value(u"counters").toObject().value(u"confirmed").toInteger(), 1);
        const QJsonArray records = doc.value(u"records").toArray();
        QCOMPARE(records.at(6).toObject(), record);
    }
};

QTEST_GUILESS_MAIN(TestCliMirror)
#include "tst_climirror.moc"
