// SPDX-License-Identifier: MIT
// The import routes end to end: the whole server in-process, real HTTP uploads and a real
// Socket.IO client receiving the progress events.
#include "importeventsubscriber.h"
#include "importservice.h"
#include "importtestclient.h"
#include "livedeskserver.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QUuid>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace livedesk;
using test::ImportEventSubscriber;
using test::ImportTestClient;

namespace {
const QString patients = u"/api/patients"_s;

// The fields of every progress event (the AegisX ones, then ours).
QStringList progressKeys()
{
    return {u"jobId"_s,        u"sessionId"_s,        u"status"_s,       u"progress"_s,
            u"totalRecords"_s, u"processedRecords"_s, u"successCount"_s, u"failedCount"_s,
            u"error"_s,        u"startedAt"_s,        u"finishedAt"_s,   u"executionErrorCount"_s};
}

// The status adds the list of the rows refused while importing.
QStringList statusKeys()
{
    return progressKeys() + QStringList{u"executionErrors"_s, u"executionErrorsTruncated"_s};
}

// An ISO 8601 UTC time as the server writes them; invalid otherwise.
QDateTime utcTime(const QJsonValue &value)
{
    const QString text = value.toString();
    if (!text.endsWith(u'Z'))
        return {};
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    return t.isValid() && t.timeSpec() == Qt::UTC ? t : QDateTime();
}

// Rows "<prefix>-00001".. with valid values.
QStringList rows(const QString &prefix, int count, int first = 1)
{
    QStringList lines;
    for (int i = first; i < first + count; ++i) {
        lines.append(u"%1-%2,Patient %2,1980-01-%3,%4,Ward %5,admitted"_s.arg(prefix)
                         .arg(i, 5, 10, QChar(u'0'))
                         .arg(1 + i % 28, 2, 10, QChar(u'0'))
                         .arg(i % 2 ? u"female"_s : u"male"_s)
                         .arg(i % 7));
    }
    return lines;
}
const QString header = u"hn,name,date_of_birth,sex,ward,status"_s;
} // namespace

class TestImportApi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<server::LivedeskServer> m_server;
    std::unique_ptr<ImportTestClient> m_nurse;

    // Validates @p csv and checks the summary; the session id.
    QString validated(const QByteArray &csv, int total, int valid)
    {
        const auto r = m_nurse->upload(patients, csv);
        if (r.status != 200) {
            qWarning() << r.status << r.body.left(2000);
            return {};
        }
        const QJsonObject summary = r.data().toObject().value(u"summary").toObject();
        if (summary.value(u"totalRows").toInt() != total
            || summary.value(u"validRows").toInt() != valid
            || summary.value(u"invalidRows").toInt() != total - valid) {
            qWarning() << "unexpected summary" << summary << r.body.left(2000);
            return {};
        }
        return r.data().toObject().value(u"sessionId").toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<server::LivedeskServer>(server::LivedeskServer::Options{});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_nurse = std::make_unique<ImportTestClient>(m_server->baseUrl());
        QVERIFY(m_nurse->login(u"nurse@demo.local"_s, u"nurse"_s));
    }

    void cleanupTestCase()
    {
        m_nurse.reset();
        m_server.reset();
    }

    void templateListsTheFieldsAndValidates()
    {
        const auto r = m_nurse->rest().get(patients + u"/import/template?format=csv"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Content-Type").startsWith("text/csv"));
        QCOMPARE(r.header("Content-Disposition"),
                 QByteArray("attachment; filename=\"patients-template.csv\""));
        const QList<QByteArray> lines = r.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].trimmed(), header.toUtf8());

        // The example row is itself importable.
        const auto v = m_nurse->upload(patients, r.body, u"patients-template.csv"_s);
        QCOMPARE(v.status, 200);
        QCOMPARE(v.data().toObject().value(u"summary").toObject().value(u"validRows").toInt(), 1);

        QCOMPARE(m_nurse->rest().get(patients + u"/import/template"_s).status, 200);
        const auto xlsx = m_nurse->rest().get(patients + u"/import/template?format=xlsx"_s);
        QCOMPARE(xlsx.status, 400);
        QCOMPARE(xlsx.errorCode(), u"BAD_REQUEST"_s);
        QCOMPARE(m_nurse->rest().post(patients + u"/import/template"_s, {}).status, 405);
        QCOMPARE(m_nurse->rest().get(patients + u"/import/nothing"_s).status, 404);
    }

    void validFileImportsWithProgressEvents()
    {
        ImportEventSubscriber events;
        QVERIFY(events.connect(m_server->baseUrl(), m_nurse->token(), {u"patients"_s}));

        // Labels and names in any case; values that need normalizing.
        QStringList lines{u"HN,Name,Date of birth,SEX,ward,Status"_s};
        lines += rows(u"IMPA"_s, 2500);
        lines[1] = u"IMPA-00001,Patient 00001,1980-01-02,FEMALE,Ward 1,Admitted"_s;
        const auto v = m_nurse->upload(patients, ImportTestClient::csv(lines));
        QCOMPARE(v.status, 200);
        const QJsonObject data = v.data().toObject();
        QCOMPARE(data.value(u"summary").toObject().value(u"totalRows").toInt(), 2500);
        QCOMPARE(data.value(u"summary").toObject().value(u"validRows").toInt(), 2500);
        QCOMPARE(data.value(u"errors").toArray().size(), 0);
        const QJsonArray preview = data.value(u"preview").toArray();
        QCOMPARE(preview.size(), 10);
        const QJsonObject first = preview.at(0).toObject();
        QCOMPARE(first.value(u"hn").toString(), u"IMPA-00001"_s);
        QCOMPARE(first.value(u"sex").toString(), u"female"_s); // the declared spelling
        QCOMPARE(first.value(u"status").toString(), u"admitted"_s);
        QCOMPARE(first.value(u"date_of_birth").toString(), u"1980-01-02"_s);
        // Validation writes nothing.
        QCOMPARE(m_nurse->count(patients, u"IMPA-"_s), 0);

        const auto x = m_nurse->execute(patients, data.value(u"sessionId").toString());
        QCOMPARE(x.status, 202);
        const QString jobId = x.data().toObject().value(u"jobId").toString();
        QVERIFY(!jobId.isEmpty());
        QCOMPARE(x.data().toObject().value(u"status").toString(), u"pending"_s);

        QTRY_COMPARE_WITH_TIMEOUT(events.lastStatus(jobId), u"completed"_s, 30000);
        const auto received = events.progressOf(jobId);
        int lastProcessed = -1;
        for (const auto &r : received) {
            QCOMPARE(r.event.name, u"patients.import.progress"_s);
            const QJsonObject p = r.event.data().toObject();
            for (const QString &key : progressKeys())
                QVERIFY2(p.contains(key), qPrintable(key));
            QCOMPARE(p.value(u"jobId").toString(), jobId);
            QCOMPARE(p.value(u"totalRecords").toInt(), 2500);
            QVERIFY(p.value(u"processedRecords").toInt() >= lastProcessed);
            lastProcessed = p.value(u"processedRecords").toInt();
            QCOMPARE(r.event.userId, u"u-nurse"_s);
        }
        const QJsonObject last = received.last().event.data().toObject();
        QCOMPARE(last.value(u"progress").toInt(), 100);
        QCOMPARE(last.value(u"processedRecords").toInt(), 2500);
        QCOMPARE(last.value(u"successCount").toInt(), 2500);
        QCOMPARE(last.value(u"failedCount").toInt(), 0);
        QVERIFY(last.value(u"error").isNull());

        // The status endpoint says the same, with the event's fields and the refused rows.
        const QJsonObject status = m_nurse->status(patients, jobId).data().toObject();
        QStringList keys = status.keys();
        QStringList expected = statusKeys();
        keys.sort();
        expected.sort();
        QCOMPARE(keys, expected);
        QCOMPARE(status.value(u"status").toString(), u"completed"_s);
        QCOMPARE(status.value(u"successCount").toInt(), 2500);

        // The rows are there over REST, typed.
        QCOMPARE(m_nurse->count(patients, u"IMPA-"_s), 2500);
        const auto one = m_nurse->rest().get(patients + u"?hn=IMPA-00001"_s);
        const QJsonObject record = one.data().toArray().at(0).toObject();
        QCOMPARE(record.value(u"name").toString(), u"Patient 00001"_s);
        QCOMPARE(record.value(u"sex").toString(), u"female"_s);
        QCOMPARE(record.value(u"created_by").toString(), u"u-nurse"_s);

        // A session is used up by its execution.
        QCOMPARE(m_nurse->execute(patients, data.value(u"sessionId").toString()).status, 404);
    }

    void invalidRowsImportNothingWithoutSkipErrors()
    {
        QStringList lines{header};
        lines += rows(u"IMPB"_s, 5);
        lines[2] = u"IMPB-00002,Bad Date,1990-02-30,male,W,admitted"_s;
        lines[4] = u"IMPB-00004,,1990-01-01,robot,W,admitted"_s;
        const auto v = m_nurse->upload(patients, ImportTestClient::csv(lines));
        QCOMPARE(v.status, 200);
        const QJsonObject data = v.data().toObject();
        const QJsonObject summary = data.value(u"summary").toObject();
        QCOMPARE(summary.value(u"totalRows").toInt(), 5);
        QCOMPARE(summary.value(u"validRows").toInt(), 3);
        QCOMPARE(summary.value(u"invalidRows").toInt(), 2);
        const QJsonArray errors = data.value(u"errors").toArray();
        QCOMPARE(errors.size(), 3); // row 4 has two bad fields
        // Row numbers: the first data row is row 1 (the header is not counted).
        const QJsonObject dateError = errors.at(0).toObject();
        QCOMPARE(dateError.value(u"row").toInt(), 2);
        QCOMPARE(dateError.value(u"line").toInt(), 3);
        QCOMPARE(dateError.value(u"field").toString(), u"date_of_birth"_s);
        QCOMPARE(dateError.value(u"value").toString(), u"1990-02-30"_s);
        QVERIFY(!dateError.value(u"message").toString().isEmpty());
        QSet<QString> row4;
        for (const auto &e : errors) {
            if (e.toObject().value(u"row").toInt() == 4)
                row4.insert(e.toObject().value(u"field").toString());
        }
        QCOMPARE(row4, (QSet<QString>{u"name"_s, u"sex"_s}));
        QCOMPARE(data.value(u"preview").toArray().size(), 3);

        const QString sessionId = data.value(u"sessionId").toString();
        const auto refused = m_nurse->execute(patients, sessionId);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), u"VALIDATION_ERROR"_s);
        QCOMPARE(refused.json.value(u"error").toObject().value(u"details").toArray().size(), 3);
        QTest::qWait(100);
        QCOMPARE(m_nurse->count(patients, u"IMPB-"_s), 0);

        // The same session, now skipping the bad rows.
        const auto x = m_nurse->execute(patients, sessionId, true);
        QCOMPARE(x.status, 202);
        const QJsonObject done
            = m_nurse->waitForJob(patients, x.data().toObject().value(u"jobId").toString());
        QCOMPARE(done.value(u"status").toString(), u"completed"_s);
        QCOMPARE(done.value(u"totalRecords").toInt(), 5);
        QCOMPARE(done.value(u"processedRecords").toInt(), 5);
        QCOMPARE(done.value(u"successCount").toInt(), 3);
        QCOMPARE(done.value(u"failedCount").toInt(), 2);
        QCOMPARE(m_nurse->count(patients, u"IMPB-"_s), 3);
    }

    void spreadsheetDialect()
    {
        // Excel in a comma-decimal locale: BOM, ';', CRLF, quotes around separators, line
        // breaks and doubled quotes.
        const QByteArray csv
            = "\xEF\xBB\xBFHN;Name;Ward;Date of birth\r\n"
              "IMPC-1;\"Doe; \"\"JJ\"\", Jr.\r\nsecond line\";\"Ward, East\";\r\n"
              "\r\n"
              "IMPC-2;\"\xE0\xB8\xAA\xE0\xB8\xA1\xE0\xB8\x8A\xE0\xB8\xB2\xE0\xB8\xA2\";ICU;2001-12-"
              "31\r\n";
        const auto v = m_nurse->upload(patients, csv);
        QCOMPARE(v.status, 200);
        const QJsonObject data = v.data().toObject();
        QCOMPARE(data.value(u"summary").toObject().value(u"totalRows").toInt(), 2);
        QCOMPARE(data.value(u"summary").toObject().value(u"validRows").toInt(), 2);
        const QJsonObject first = data.value(u"preview").toArray().at(0).toObject();
        QCOMPARE(first.value(u"name").toString(), u"Doe; \"JJ\", Jr.\nsecond line"_s);
        QCOMPARE(first.value(u"ward").toString(), u"Ward, East"_s);
        QVERIFY(first.value(u"date_of_birth").isNull());
        QCOMPARE(first.value(u"sex").toString(), u"unknown"_s); // the default

        const auto x = m_nurse->execute(patients, data.value(u"sessionId").toString());
        QCOMPARE(x.status, 202);
        QCOMPARE(m_nurse->waitForJob(patients, x.data().toObject().value(u"jobId").toString())
                     .value(u"successCount")
                     .toInt(),
                 2);
        const auto stored = m_nurse->rest().get(patients + u"?hn=IMPC-2"_s);
        QCOMPARE(stored.data().toArray().at(0).toObject().value(u"name").toString(),
                 QString::fromUtf8("\xE0\xB8\xAA\xE0\xB8\xA1\xE0\xB8\x8A\xE0\xB8\xB2\xE0\xB8\xA2"));

        // The same kind of file as a raw text/csv body.
        const auto raw = m_nurse->uploadRaw(patients, "hn,name\nIMPC-3,\"Raw, body\"\n");
        QCOMPARE(raw.status, 200);
        QCOMPARE(raw.data().toObject().value(u"preview").toArray().at(0).toObject().value(u"name"),
                 QJsonValue(u"Raw, body"_s));
    }

    void unreadableFilesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("empty") << QByteArray() << u"BAD_REQUEST"_s << u"empty"_s;
        QTest::newRow("header only")
            << QByteArray("hn,name\n") << u"BAD_REQUEST"_s << u"no data rows"_s;
        QTest::newRow("unterminated quote")
            << QByteArray("hn,name\nX1,\"never closed\n") << u"BAD_REQUEST"_s << u"Line 2"_s;
        QTest::newRow("latin-1") << QByteArray("hn,name\nX1,Ren\xE9\n") << u"BAD_REQUEST"_s
                                 << u"UTF-8"_s;
        QTest::newRow("unknown column")
            << QByteArray("hn,name,colour\nX1,A,red\n") << u"VALIDATION_ERROR"_s << u"colour"_s;
        QTest::newRow("system column") << QByteArray("id,hn,name\n1,X1,A\n")
                                       << u"VALIDATION_ERROR"_s << u"set by the server"_s;
        QTest::newRow("missing required column")
            << QByteArray("hn,ward\nX1,ICU\n") << u"VALIDATION_ERROR"_s << u"Name"_s;
        QTest::newRow("same field twice")
            << QByteArray("hn,name,Name\nX1,A,B\n") << u"VALIDATION_ERROR"_s << u"both hold"_s;
    }
    void unreadableFilesAreRefused()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, code);
        QFETCH(QString, fragment);
        const auto r = m_nurse->upload(patients, csv);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), code);
        QVERIFY2(r.body.contains(fragment.toUtf8()), r.body.constData());
    }

    void unknownColumnIsNamedInTheDetails()
    {
        const auto r = m_nurse->upload(patients, "hn,name,colour\nX1,A,red\n");
        QCOMPARE(r.status, 400);
        const QJsonArray details = r.json.value(u"error").toObject().value(u"details").toArray();
        QCOMPARE(details.size(), 1);
        QCOMPARE(details.at(0).toObject().value(u"field").toString(), u"colour"_s);
        QCOMPARE(details.at(0).toObject().value(u"code").toString(), u"UNKNOWN_FIELD"_s);
        QCOMPARE(details.at(0).toObject().value(u"column").toInt(), 3);

        const auto json = m_nurse->rest().post(patients + u"/import/validate"_s,
                                               QJsonDocument(QJsonObject{{u"hn"_s, 1}}));
        QCOMPARE(json.status, 400);
        QVERIFY(json.body.contains("multipart/form-data"));
    }

    void duplicatesInTheFileAndAgainstStoredRows()
    {
        QCOMPARE(m_nurse->rest()
                     .post(patients,
                           QJsonDocument(
                               QJsonObject{{u"hn"_s, u"IMPD-EXIST"_s}, {u"name"_s, u"Stored"_s}}))
                     .status,
                 201);
        const QByteArray csv = ImportTestClient::csv({u"hn,name"_s, u"IMPD-1,One"_s,
                                                      u"IMPD-2,Two"_s, u"IMPD-1,One again"_s,
                                                      u"IMPD-EXIST,Exists"_s, u"IMPD-3,Three"_s});
        const auto v = m_nurse->upload(patients, csv);
        QCOMPARE(v.status, 200);
        const QJsonObject data = v.data().toObject();
        QCOMPARE(data.value(u"summary").toObject().value(u"validRows").toInt(), 3);
        const QJsonArray errors = data.value(u"errors").toArray();
        QCOMPARE(errors.size(), 2);
        const QJsonObject inFile = errors.at(0).toObject();
        QCOMPARE(inFile.value(u"row").toInt(), 3);
        QCOMPARE(inFile.value(u"field").toString(), u"hn"_s);
        QCOMPARE(inFile.value(u"code").toString(), u"UNIQUE"_s);
        QVERIFY2(inFile.value(u"message").toString().contains(u"more than once"_s),
                 qPrintable(inFile.value(u"message").toString()));
        QVERIFY(inFile.value(u"message").toString().contains(u"row 1"_s));
        const QJsonObject stored = errors.at(1).toObject();
        QCOMPARE(stored.value(u"row").toInt(), 4);
        QCOMPARE(stored.value(u"code").toString(), u"UNIQUE"_s);
        QCOMPARE(stored.value(u"value").toString(), u"IMPD-EXIST"_s);

        // Another tenant's HN is not a duplicate.
        ImportTestClient wardB(m_server->baseUrl());
        QVERIFY(wardB.login(u"nurse-b@demo.local"_s, u"nurse-b"_s));
        const auto other = wardB.upload(patients, "hn,name\nIMPD-EXIST,Elsewhere\n");
        QCOMPARE(other.data().toObject().value(u"summary").toObject().value(u"validRows").toInt(),
                 1);
    }

    void errorsComeInRowOrderWhateverFoundThem()
    {
        // Row 1 conflicts with a stored record (found last, against the database), row 2 has
        // a bad date (found first, from the file alone): the list is still in row order.
        QCOMPARE(m_nurse->rest()
                     .post(patients,
                           QJsonDocument(
                               QJsonObject{{u"hn"_s, u"IMPO-EXIST"_s}, {u"name"_s, u"Stored"_s}}))
                     .status,
                 201);
        const auto v = m_nurse->upload(
            patients,
            ImportTestClient::csv({u"hn,name,date_of_birth"_s, u"IMPO-EXIST,Taken,1990-01-01"_s,
                                   u"IMPO-2,Bad date,1990-13-01"_s, u"IMPO-3,Fine,1990-01-03"_s}));
        QCOMPARE(v.status, 200);
        const QJsonObject data = v.data().toObject();
        const QJsonArray errors = data.value(u"errors").toArray();
        QCOMPARE(errors.size(), 2);
        QCOMPARE(errors.at(0).toObject().value(u"row").toInt(), 1);
        QCOMPARE(errors.at(0).toObject().value(u"code").toString(), u"UNIQUE"_s);
        QCOMPARE(errors.at(0).toObject().value(u"line").toInt(), 2);
        QCOMPARE(errors.at(1).toObject().value(u"row").toInt(), 2);
        QCOMPARE(errors.at(1).toObject().value(u"field").toString(), u"date_of_birth"_s);
        const QJsonObject summary = data.value(u"summary").toObject();
        QCOMPARE(summary.value(u"validRows").toInt(), 1);
        QCOMPARE(summary.value(u"invalidRows").toInt(), 2);
        QCOMPARE(summary.value(u"errorCount").toInt(), 2);
        // The preview holds valid rows only.
        const QJsonArray preview = data.value(u"preview").toArray();
        QCOMPARE(preview.size(), 1);
        QCOMPARE(preview.at(0).toObject().value(u"hn").toString(), u"IMPO-3"_s);
    }

    void rowsTakenAfterValidationFailTheBatch()
    {
        const QString sessionId = validated(
            ImportTestClient::csv({u"hn,name"_s, u"IMPE-1,One"_s, u"IMPE-2,Two"_s}), 2, 2);
        QVERIFY(!sessionId.isEmpty());
        // Someone stores IMPE-2 between validation and execution.
        QCOMPARE(
            m_nurse->rest()
                .post(patients,
                      QJsonDocument(QJsonObject{{u"hn"_s, u"IMPE-2"_s}, {u"name"_s, u"Faster"_s}}))
                .status,
            201);
        const auto x = m_nurse->execute(patients, sessionId);
        QCOMPARE(x.status, 202);
        const QJsonObject done
            = m_nurse->waitForJob(patients, x.data().toObject().value(u"jobId").toString());
        QCOMPARE(done.value(u"status").toString(), u"failed"_s);
        QVERIFY2(done.value(u"error").toString().contains(u"Row 2"_s),
                 qPrintable(done.value(u"error").toString()));
        QCOMPARE(done.value(u"successCount").toInt(), 0);
        QCOMPARE(m_nurse->count(patients, u"IMPE-1"_s), 0); // its batch was not imported
        // The refused row is listed like a validation error.
        QCOMPARE(done.value(u"executionErrorCount").toInt(), 1);
        QCOMPARE(done.value(u"executionErrorsTruncated").toBool(true), false);
        const QJsonArray refused = done.value(u"executionErrors").toArray();
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.at(0).toObject().value(u"row").toInt(), 2);
        QCOMPARE(refused.at(0).toObject().value(u"field").toString(), u"hn"_s);
        QCOMPARE(refused.at(0).toObject().value(u"value").toString(), u"IMPE-2"_s);
    }

    void rowsRefusedAtExecutionAreListed()
    {
        auto *imports = m_server->imports();
        const auto saved = imports->options();
        auto limited = saved;
        limited.reportedErrors = 2;
        imports->setOptions(limited);
        const QString sessionId
            = validated(ImportTestClient::csv({u"hn,name"_s, u"IMPR-1,One"_s, u"IMPR-2,Two"_s,
                                               u"IMPR-3,Three"_s, u"IMPR-4,Four"_s}),
                        4, 4);
        QVERIFY(!sessionId.isEmpty());
        // Someone stores rows 2 to 4's HNs between validation and execution.
        for (const QString &hn : {u"IMPR-2"_s, u"IMPR-3"_s, u"IMPR-4"_s}) {
            QCOMPARE(m_nurse->rest()
                         .post(patients,
                               QJsonDocument(QJsonObject{{u"hn"_s, hn}, {u"name"_s, u"Faster"_s}}))
                         .status,
                     201);
        }
        ImportEventSubscriber events;
        QVERIFY(events.connect(m_server->baseUrl(), m_nurse->token(), {u"patients"_s}));
        const auto x = m_nurse->execute(patients, sessionId, true);
        QCOMPARE(x.status, 202);
        QCOMPARE(x.data().toObject().value(u"executionErrors").toArray().size(), 0);
        QCOMPARE(x.data().toObject().value(u"executionErrorCount").toInt(-1), 0);
        const QString jobId = x.data().toObject().value(u"jobId").toString();
        const QJsonObject done = m_nurse->waitForJob(patients, jobId);
        imports->setOptions(saved);

        QCOMPARE(done.value(u"status").toString(), u"completed"_s);
        QCOMPARE(done.value(u"successCount").toInt(), 1);
        QCOMPARE(done.value(u"failedCount").toInt(), 3);
        QCOMPARE(done.value(u"executionErrorCount").toInt(), 3);
        // Listed up to the limit of reported errors, in row order, and said to be cut short.
        QCOMPARE(done.value(u"executionErrorsTruncated").toBool(), true);
        const QJsonArray refused = done.value(u"executionErrors").toArray();
        QCOMPARE(refused.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject e = refused.at(i).toObject();
            QCOMPARE(e.value(u"row").toInt(), i + 2);
            QCOMPARE(e.value(u"line").toInt(), i + 3);
            QCOMPARE(e.value(u"field").toString(), u"hn"_s);
            QCOMPARE(e.value(u"code").toString(), u"UNIQUE"_s);
            QCOMPARE(e.value(u"value").toString(), u"IMPR-%1"_s.arg(i + 2));
            QVERIFY(!e.value(u"message").toString().isEmpty());
        }

        // Events carry the count only; the list is the status's.
        QTRY_COMPARE_WITH_TIMEOUT(events.lastStatus(jobId), u"completed"_s, 10000);
        const QJsonObject last = events.progressOf(jobId).last().event.data().toObject();
        QCOMPARE(last.value(u"executionErrorCount").toInt(), 3);
        QVERIFY(!last.contains(u"executionErrors"));
    }

    void statusSaysWhenTheJobStartedAndEnded()
    {
        auto *imports = m_server->imports();
        const auto saved = imports->options();
        auto slow = saved;
        slow.batchSize = 1;
        slow.batchIntervalMs = 400;
        imports->setOptions(slow);
        const QString sessionId = validated(
            ImportTestClient::csv({u"hn,name"_s, u"IMPT-1,One"_s, u"IMPT-2,Two"_s}), 2, 2);
        QVERIFY(!sessionId.isEmpty());
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const auto x = m_nurse->execute(patients, sessionId);
        QCOMPARE(x.status, 202);
        const QJsonObject accepted = x.data().toObject();
        // Pending: nothing is known yet, and it says so with nulls.
        QVERIFY(accepted.contains(u"startedAt"));
        QVERIFY(accepted.value(u"startedAt").isNull());
        QVERIFY(accepted.contains(u"finishedAt"));
        QVERIFY(accepted.value(u"finishedAt").isNull());
        const QString jobId = accepted.value(u"jobId").toString();

        QJsonObject running;
        QTRY_VERIFY_WITH_TIMEOUT((running = m_nurse->status(patients, jobId).data().toObject())
                                         .value(u"status")
                                         .toString()
                                     != u"pending",
                                 10000);
        QCOMPARE(running.value(u"status").toString(), u"processing"_s);
        const QDateTime started = utcTime(running.value(u"startedAt"));
        QVERIFY2(started.isValid(), qPrintable(running.value(u"startedAt").toString()));
        QVERIFY(running.value(u"finishedAt").isNull());

        const QJsonObject done = m_nurse->waitForJob(patients, jobId);
        const QDateTime after = QDateTime::currentDateTimeUtc();
        imports->setOptions(saved);
        QCOMPARE(done.value(u"status").toString(), u"completed"_s);
        QCOMPARE(utcTime(done.value(u"startedAt")), started);
        const QDateTime finished = utcTime(done.value(u"finishedAt"));
        QVERIFY2(finished.isValid(), qPrintable(done.value(u"finishedAt").toString()));
        QVERIFY(before <= started);
        QVERIFY(started < finished); // a batch interval lies between them
        QVERIFY(finished <= after);
    }

    void cancelledWhilePendingHasAnEndButNoStart()
    {
        auto *imports = m_server->imports();
        const auto saved = imports->options();
        auto slow = saved;
        slow.batchIntervalMs = 2000;
        imports->setOptions(slow);
        const QString sessionId
            = validated(ImportTestClient::csv({u"hn,name"_s, u"IMPU-1,One"_s}), 1, 1);
        QVERIFY(!sessionId.isEmpty());
        const auto x = m_nurse->execute(patients, sessionId);
        QCOMPARE(x.status, 202);
        const QString jobId = x.data().toObject().value(u"jobId").toString();
        const auto c = m_nurse->cancel(patients, jobId);
        imports->setOptions(saved);
        QCOMPARE(c.status, 200);
        const QJsonObject cancelled = c.data().toObject();
        QCOMPARE(cancelled.value(u"status").toString(), u"cancelled"_s);
        QVERIFY(cancelled.value(u"startedAt").isNull());
        QVERIFY(utcTime(cancelled.value(u"finishedAt")).isValid());
        QCOMPARE(m_nurse->status(patients, jobId).data().toObject().value(u"finishedAt"),
                 cancelled.value(u"finishedAt"));
    }

    void jobsAndSessionsBelongToTheirTenant()
    {
        const QString sessionId
            = validated(ImportTestClient::csv({u"hn,name"_s, u"IMPF-1,One"_s}), 1, 1);
        QVERIFY(!sessionId.isEmpty());
        ImportTestClient wardB(m_server->baseUrl());
        QVERIFY(wardB.login(u"nurse-b@demo.local"_s, u"nurse-b"_s));
        QCOMPARE(wardB.execute(patients, sessionId).status, 404);
        // ...nor under another resource.
        QCOMPARE(m_nurse->execute(u"/api/admissions"_s, sessionId).status, 404);

        const auto x = m_nurse->execute(patients, sessionId);
        QCOMPARE(x.status, 202);
        const QString jobId = x.data().toObject().value(u"jobId").toString();
        QCOMPARE(m_nurse->waitForJob(patients, jobId).value(u"status").toString(), u"completed"_s);

        QCOMPARE(wardB.status(patients, jobId).status, 404);
        QCOMPARE(wardB.status(patients, jobId).errorCode(), u"NOT_FOUND"_s);
        QCOMPARE(wardB.cancel(patients, jobId).status, 404);
        QCOMPARE(m_nurse->status(u"/api/admissions"_s, jobId).status, 404);
        QCOMPARE(m_nurse->status(patients, u"no-such-job"_s).status, 404);
        QCOMPARE(wardB.count(patients, u"IMPF-"_s), 0);

        // A colleague of the same tenant sees it.
        ImportTestClient doctor(m_server->baseUrl());
        QVERIFY(doctor.login(u"doctor@demo.local"_s, u"doctor"_s));
        QCOMPARE(doctor.status(patients, jobId).status, 200);

        // Without a token there is nothing at all.
        test::ApiTestClient anonymous(m_server->baseUrl());
        QCOMPARE(anonymous.get(patients + u"/import/status/"_s + jobId).status, 401);
    }

    void cancelStopsBetweenBatches()
    {
        auto *imports = m_server->imports();
        QVERIFY(imports);
        const auto saved = imports->options();
        auto slow = saved;
        slow.batchSize = 100;
        slow.batchIntervalMs = 20;
        imports->setOptions(slow);

        ImportEventSubscriber events;
        QVERIFY(events.connect(m_server->baseUrl(), m_nurse->token(), {u"patients"_s}));
        QStringList lines{header};
        lines += rows(u"IMPG"_s, 5000);
        const QString sessionId = validated(ImportTestClient::csv(lines), 5000, 5000);
        QVERIFY(!sessionId.isEmpty());
        const auto x = m_nurse->execute(patients, sessionId);
        QCOMPARE(x.status, 202);
        const QString jobId = x.data().toObject().value(u"jobId").toString();

        QTRY_VERIFY_WITH_TIMEOUT(
            m_nurse->status(patients, jobId).data().toObject().value(u"processedRecords").toInt()
                >= 300,
            20000);
        const auto c = m_nurse->cancel(patients, jobId);
        QCOMPARE(c.status, 200);
        const QJsonObject cancelled = c.data().toObject();
        QCOMPARE(cancelled.value(u"status").toString(), u"cancelled"_s);
        const int imported = cancelled.value(u"successCount").toInt();
        QVERIFY(imported >= 300);
        QVERIFY(imported < 5000);
        QCOMPARE(imported % 100, 0); // whole batches only

        QTest::qWait(200);
        const QJsonObject later = m_nurse->status(patients, jobId).data().toObject();
        QCOMPARE(later.value(u"status").toString(), u"cancelled"_s);
        QCOMPARE(later.value(u"successCount").toInt(), imported);
        // Rows of the committed batches stay.
        QCOMPARE(m_nurse->count(patients, u"IMPG-"_s), imported);
        QTRY_COMPARE_WITH_TIMEOUT(events.lastStatus(jobId), u"cancelled"_s, 10000);

        const auto again = m_nurse->cancel(patients, jobId);
        QCOMPARE(again.status, 409);
        QCOMPARE(again.errorCode(), u"JOB_ALREADY_FINISHED"_s);
        QCOMPARE(m_nurse->rest().get(patients + u"/import/cancel/"_s + jobId).status, 405);
        imports->setOptions(saved);
    }

    void executeOfAnUnknownSessionKeepsItsIdOutOfTheMessage()
    {
        const QString unknown = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const auto x = m_nurse->execute(patients, unknown);
        QCOMPARE(x.status, 404);
        QCOMPARE(x.errorCode(), u"NOT_FOUND"_s);
        const QJsonObject error = x.json.value(u"error").toObject();
        const QString message = error.value(u"message").toString();
        QVERIFY2(!message.contains(unknown), qPrintable(message));
        QVERIFY2(message.contains(u"validation session"_s), qPrintable(message));
        QVERIFY2(message.contains(u"expired"_s), qPrintable(message));
        QVERIFY2(message.contains(u"unknown"_s), qPrintable(message));
        // The id is still there for whoever debugs it, as a detail of the field.
        const QJsonArray details = error.value(u"details").toArray();
        QCOMPARE(details.size(), 1);
        const QJsonObject detail = details.at(0).toObject();
        QCOMPARE(detail.value(u"field").toString(), u"sessionId"_s);
        QCOMPARE(detail.value(u"value").toString(), unknown);
        QVERIFY(!detail.value(u"code").toString().isEmpty());
        QVERIFY(!detail.value(u"message").toString().contains(unknown));
    }

    // Checked files wait in memory: a tenant may keep only so many bytes of them, and is told.
    void sessionsAreBoundedByBytesPerTenant()
    {
        auto *imports = m_server->imports();
        const auto saved = imports->options();
        QStringList lines{u"hn,name"_s};
        for (int i = 0; i < 100; ++i)
            lines.append(u"IMPB-%1,Budget patient"_s.arg(i, 4, 10, QChar(u'0')));
        const QByteArray file = ImportTestClient::csv(lines);
        auto limited = saved;
        // Room for two uploads of this file (with their multipart wrapping), not three.
        limited.maxSessionBytesPerTenant
            = imports->sessionBytes(u"ward-a"_s) + 2 * file.size() + 1000;
        imports->setOptions(limited);

        QVERIFY(!validated(file, 100, 100).isEmpty());
        QVERIFY(!validated(file, 100, 100).isEmpty());
        const auto refused = m_nurse->upload(patients, file);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.errorCode(), u"TOO_MANY_REQUESTS"_s);
        const QString message
            = refused.json.value(u"error").toObject().value(u"message").toString();
        QVERIFY2(message.contains(u"Checked files waiting to be imported"_s), qPrintable(message));
        QVERIFY(refused.header("Retry-After").toInt() >= 1);

        // Another tenant has a budget of its own.
        ImportTestClient wardB(m_server->baseUrl());
        QVERIFY(wardB.login(u"nurse-b@demo.local"_s, u"nurse-b"_s));
        QCOMPARE(wardB.upload(patients, file).status, 200);

        // A file larger than the whole budget is refused as such.
        limited.maxSessionBytesPerTenant = file.size() / 2;
        imports->setOptions(limited);
        QCOMPARE(wardB.upload(patients, file).status, 413);
        imports->setOptions(saved);
    }

    void sessionsExpire()
    {
        auto *imports = m_server->imports();
        const auto saved = imports->options();
        auto brief = saved;
        brief.sessionLifetimeMs = 100;
        imports->setOptions(brief);
        const QString sessionId
            = validated(ImportTestClient::csv({u"hn,name"_s, u"IMPH-1,One"_s}), 1, 1);
        imports->setOptions(saved);
        QVERIFY(!sessionId.isEmpty());
        QTest::qWait(150);
        const auto x = m_nurse->execute(patients, sessionId);
        QCOMPARE(x.status, 404);
        QVERIFY(x.body.contains("expired"));
        QVERIFY(
            !x.json.value(u"error"_s).toObject().value(u"message").toString().contains(sessionId));
        QCOMPARE(m_nurse->execute(patients, QString()).errorCode(), u"VALIDATION_ERROR"_s);
    }
};

QTEST_GUILESS_MAIN(TestImportApi)
#include "tst_importapi.moc"
