// SPDX-License-Identifier: MIT
// livedesk-cli mirror / update as child processes against the embedded server: the snapshot
// equals the server, and a live-mode edit queued offline survives `kill -9` of the process
// and is applied exactly once by the next run; a write never fails for a reason the user did not
// cause (the socket still connecting, the server down: queued, exit 7); `update --expect`
// makes a change based on what a script read, a conflict when the server holds otherwise.
#include "cliprocess.h"
#include "livedeskserver.h"
#include "rest/apiclient.h"
#include "restoutcome.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
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

    QStringList common(const QString &command, const QString &path = u"/api/ws/"_s,
                       const QUrl &url = {}) const
    {
        return {command,
                u"--url"_s,
                (url.isEmpty() ? m_server->baseUrl() : url).toString(),
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

    // The server is down from the start: the change is stored at once, the command ends with
    // 7 (queued, not confirmed), and the next run sends it once, with its txn id.
    void writesQueuedWhileTheServerIsDownAreSentOnceLater()
    {
        QTemporaryDir dir;
        const QString queue = dir.filePath(u"patients.queue.json"_s);
        QUrl down;
        {
            QTcpServer probe; // a port nobody listens on once it is closed
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            down = QUrl(u"http://127.0.0.1:%1"_s.arg(probe.serverPort()));
        }
        QStringList txnIds;
        for (const QStringList &change :
             {QStringList{u"create"_s, u"--set"_s, u"hn=HN900001"_s, u"--set"_s,
                          u"name=Queued Person"_s},
              QStringList{u"update"_s, u"--id"_s, u"7"_s, u"--set"_s, u"ward=Queued ward"_s}}) {
            CliProcess cli(CliPath);
            cli.start(common(change.first(), u"/api/ws/"_s, down) + change.mid(1)
                      + QStringList{u"--mode"_s, u"live"_s, u"--queue"_s, queue});
            QVERIFY2(cli.finish(Patience), "the command must end by itself");
            QCOMPARE(cli.process.exitStatus(), QProcess::NormalExit);
            QVERIFY2(cli.process.exitCode() == 7, qPrintable(cli.errorText()));
            QCOMPARE(cli.lines().size(), 1);
            const QJsonObject line = cli.lines().constFirst();
            QCOMPARE(line.value(u"status").toString(), u"queued"_s);
            QCOMPARE(line.value(u"queue").toString(), queue);
            txnIds.append(line.value(u"txnId").toString());
            QVERIFY(!txnIds.constLast().isEmpty());
        }
        QFile stored(queue);
        QVERIFY(stored.open(QIODevice::ReadOnly));
        const QJsonArray operations
            = QJsonDocument::fromJson(stored.readAll()).object().value(u"operations").toArray();
        stored.close();
        QCOMPARE(operations.size(), 2);
        QCOMPARE(operations.at(0).toObject().value(u"txnId").toString(), txnIds.at(0));
        QCOMPARE(operations.at(1).toObject().value(u"txnId").toString(), txnIds.at(1));

        // The server is up now: the next run sends both, once each.
        const QString snapshot = dir.filePath(u"snapshot.json"_s);
        for (int run = 0; run < 2; ++run) {
            CliProcess again(CliPath);
            again.start(common(u"mirror"_s)
                        + QStringList{u"--mode"_s, u"live"_s, u"--queue"_s, queue, u"--idle-ms"_s,
                                      u"300"_s, u"--snapshot"_s, snapshot});
            QVERIFY(again.finish(Patience));
            QVERIFY2(again.process.exitCode() == 0, qPrintable(again.errorText()));
            QVERIFY(!QFile::exists(queue));
            QFile file(snapshot);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
            QCOMPARE(doc.value(u"counters").toObject().value(u"writesSent").toInteger(),
                     run == 0 ? 2 : 0);
            QCOMPARE(doc.value(u"counters").toObject().value(u"confirmed").toInteger(),
                     run == 0 ? 2 : 0);
            int created = 0;
            for (const QJsonValue &r : doc.value(u"records").toArray())
                created += r.toObject().value(u"hn").toString() == u"HN900001" ? 1 : 0;
            QCOMPARE(created, 1);
            QCOMPARE(doc.value(u"records").toArray().size(), 301);
        }
        ApiClient api;
        api.setBaseUrl(m_server->baseUrl());
        QVERIFY(test::await(api.login(u"nurse@demo.local"_s, u"nurse"_s)).ok);
        const QJsonObject seven = test::await(api.fetch(u"/api/patients"_s, u"7"_s)).object();
        QCOMPARE(seven.value(u"ward").toString(), u"Queued ward"_s);
        QCOMPARE(seven.value(u"version").toInteger(), 2);
    }

    // HIS mode writes only while connected: a write started while the socket is still
    // connecting waits for it instead of failing OFFLINE (it did in most runs), and prints
    // the record as the server confirmed it.
    void hisWritesWaitForTheSocketAndPrintTheRecord()
    {
        for (int run = 0; run < 6; ++run) {
            CliProcess cli(CliPath);
            cli.start(common(u"update"_s)
                      + QStringList{u"--id"_s, u"5"_s, u"--set"_s, u"ward=Run %1"_s.arg(run)});
            QVERIFY(cli.finish(Patience));
            QVERIFY2(cli.process.exitCode() == 0,
                     qPrintable(cli.errorText() + u" run "_s + QString::number(run)));
            const QJsonObject line = cli.lines().constLast();
            QCOMPARE(line.value(u"status").toString(), u"confirmed"_s);
            QCOMPARE(line.value(u"record").toObject().value(u"ward").toString(),
                     u"Run %1"_s.arg(run));
        }
        CliProcess create(CliPath);
        create.start(common(u"create"_s)
                     + QStringList{u"--set"_s, u"hn=HN900002"_s, u"--set"_s, u"name=His Person"_s});
        QVERIFY(create.finish(Patience));
        QVERIFY2(create.process.exitCode() == 0, qPrintable(create.errorText()));
        const QJsonObject line = create.lines().constLast();
        QCOMPARE(line.value(u"status").toString(), u"confirmed"_s);
        const QJsonObject record = line.value(u"record").toObject();
        QCOMPARE(record.value(u"hn").toString(), u"HN900002"_s);
        QCOMPARE(record.value(u"name").toString(), u"His Person"_s);
        QCOMPARE(record.value(u"version").toInteger(), 1);
        QCOMPARE(record.value(u"id").toVariant().toString(), line.value(u"id").toString());
    }

    // No socket at all (a wrong path): the HIS write is given up after --wait-ms, saying
    // so, and nothing was changed; it is not refused as if the user were offline by choice.
    void hisWriteWithoutSocketGivesUpAfterTheWait()
    {
        CliProcess cli(CliPath);
        cli.start(common(u"update"_s, u"/nowhere/"_s)
                  + QStringList{u"--id"_s, u"5"_s, u"--set"_s, u"ward=Never"_s, u"--wait-ms"_s,
                                u"1500"_s});
        QVERIFY(cli.finish(Patience));
        QVERIFY2(cli.process.exitCode() == 4, qPrintable(cli.errorText()));
        const QJsonObject line = cli.lines().constLast();
        QCOMPARE(line.value(u"status").toString(), u"failed"_s);
        QCOMPARE(line.value(u"code").toString(), u"UNREACHABLE"_s);
        ApiClient api;
        api.setBaseUrl(m_server->baseUrl());
        QVERIFY(test::await(api.login(u"nurse@demo.local"_s, u"nurse"_s)).ok);
        QCOMPARE(test::await(api.fetch(u"/api/patients"_s, u"5"_s))
                     .object()
                     .value(u"version")
                     .toInteger(),
                 1);
    }

    // `update --expect field=value`: the change is based on what the script read. Unchanged
    // since, it is written; a field it sets that someone else changed meanwhile is a conflict
    // (exit 6, mine / theirs / base), and nothing is written; an expected field it does not
    // set only says what the change was made on, and someone else's change to it is kept.
    void updateExpectingValuesIsBasedOnThem_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("his") << u"his"_s;
        QTest::newRow("live") << u"live"_s;
    }
    void updateExpectingValuesIsBasedOnThem()
    {
        QFETCH(QString, mode);
        ApiClient api;
        api.setBaseUrl(m_server->baseUrl());
        QVERIFY(test::await(api.login(u"nurse@demo.local"_s, u"nurse"_s)).ok);
        const auto fetch = [&](const QString &id) {
            return test::await(api.fetch(u"/api/patients"_s, id)).object();
        };
        const QJsonObject five = fetch(u"5"_s);
        const QJsonObject six = fetch(u"6"_s);
        QVERIFY(five.value(u"ward"_s).isString() && six.value(u"ward"_s).isString());
        QVERIFY(six.value(u"ward"_s).toString() != u"Changed meanwhile"_s);

        CliProcess unchanged(CliPath);
        unchanged.start(common(u"update"_s)
                        + QStringList{u"--mode"_s, mode, u"--id"_s, u"5"_s, u"--expect"_s,
                                      u"ward="_s + five.value(u"ward"_s).toString(), u"--set"_s,
                                      u"ward=Expected"_s});
        QVERIFY(unchanged.finish(Patience));
        QVERIFY2(unchanged.process.exitCode() == 0, qPrintable(unchanged.errorText()));
        QCOMPARE(unchanged.lines().constLast().value(u"status"_s).toString(), u"confirmed"_s);
        QCOMPARE(fetch(u"5"_s).value(u"ward"_s).toString(), u"Expected"_s);

        QVERIFY(test::await(
                    api.update(u"/api/patients"_s, u"6"_s, {{u"ward"_s, u"Changed meanwhile"_s}}))
                    .ok);
        CliProcess clash(CliPath);
        clash.start(common(u"update"_s)
                    + QStringList{u"--mode"_s, mode, u"--id"_s, u"6"_s, u"--expect"_s,
                                  u"ward="_s + six.value(u"ward"_s).toString(), u"--set"_s,
                                  u"ward=Mine"_s});
        QVERIFY(clash.finish(Patience));
        QVERIFY2(clash.process.exitCode() == 6, qPrintable(clash.errorText()));
        const QJsonObject conflict = clash.lines().constLast();
        QCOMPARE(conflict.value(u"status"_s).toString(), u"conflict"_s);
        QCOMPARE(conflict.value(u"fields"_s).toArray(), QJsonArray{u"ward"_s});
        QCOMPARE(conflict.value(u"mine"_s).toObject().value(u"ward"_s).toString(), u"Mine"_s);
        QCOMPARE(conflict.value(u"theirs"_s).toObject().value(u"ward"_s).toString(),
                 u"Changed meanwhile"_s);
        QCOMPARE(conflict.value(u"base"_s).toObject().value(u"ward"_s), six.value(u"ward"_s));
        QCOMPARE(fetch(u"6"_s).value(u"ward"_s).toString(), u"Changed meanwhile"_s);
        QCOMPARE(fetch(u"6"_s).value(u"version"_s).toInteger(), 2);

        CliProcess merged(CliPath);
        merged.start(common(u"update"_s)
                     + QStringList{u"--mode"_s, mode, u"--id"_s, u"6"_s, u"--expect"_s,
                                   u"ward="_s + six.value(u"ward"_s).toString(), u"--set"_s,
                                   u"name=Renamed"_s});
        QVERIFY(merged.finish(Patience));
        QVERIFY2(merged.process.exitCode() == 0, qPrintable(merged.errorText()));
        QCOMPARE(merged.lines().constLast().value(u"status"_s).toString(), u"confirmed"_s);
        const QJsonObject result = fetch(u"6"_s);
        QCOMPARE(result.value(u"name"_s).toString(), u"Renamed"_s);
        QCOMPARE(result.value(u"ward"_s).toString(), u"Changed meanwhile"_s);
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
