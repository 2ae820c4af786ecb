// SPDX-License-Identifier: MIT
// bench_import: CSV import throughput of livedesk-server through its real HTTP routes, with a
// SQLite file database: validate (multipart upload) → execute → status polling until the job
// completes, while a subscribed Socket.IO client counts the job's progress events.
// bench/README.md explains the figures.
//
//   bench_import [--quick] [--rows N] [--keep]
//
// Prints JSON lines on stdout. Exits 1 when the import failed, imported the wrong number of
// rows or sent more than 10 progress events in a second, 2 when it could not be set up.
#include "livedeskhost.h"
#include "socketio/socketioclient.h"
#include "socketio/socketioevent.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDate>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QHttpMultiPart>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace livedesk::bench;

namespace {

constexpr auto benchName = "import";
constexpr auto userEmail = "nurse@demo.local";
constexpr auto importBase = "/api/patients/import";
constexpr auto progressEvent = "patients.import.progress";
// The server validates a whole file in one request; a million rows take a while.
constexpr int requestTimeoutMs = 15 * 60 * 1000;
constexpr int statusPollMs = 100;
// The throttle docs/protocol.md §3 promises: at most this many progress events per second per job.
constexpr int maxProgressPerSecond = 10;

void complain(const QString &message)
{
    std::fprintf(stderr, "bench_import: %s\n", qPrintable(message));
}

/**
 * Writes @p rows patients to @p path, deterministically: hn IMP0000001.. (unique, unlike any
 * demo row), names with the odd comma (quoted) and Thai text, dates, and enum values of the
 * clinical schema. Returns the file's size, or -1.
 */
qint64 writeCsv(const QString &path, qint64 rows)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return -1;
    static const char *const first[]
        = {"Somchai", "Malee", "Anong", "Kittisak", "Siriporn", "Prasert", "Wanida", "Chai",
           "Ratana",  "Niran", "Pim",   "Arthit",   "Dao",      "Boon",    "Kanya"};
    static const char *const last[]
        = {"Srisuk",    "Chaiyaporn", "Thongdee", "Wongsawat", "Rattanakul", "Suwannarat",
           "Kaewmanee", "Phromma",    "Saetang",  "Inthachai", "Boonmee",    "Jaidee"};
    static const char *const thai[] = {"สมชาย ใจดี", "มาลี ศรีสุข", "อนงค์ ทองดี", "กิตติศักดิ์ วงศ์สวัสดิ์"};
    static const char *const sexes[] = {"male", "female", "other", "unknown"};
    static const char *const wards[] = {"Medicine 1",  "Medicine 2", "Surgery",    "Orthopaedics",
                                        "Paediatrics", "ICU",        "Cardiology", "Maternity"};
    static const char *const statuses[] = {"admitted", "transferred", "discharged"};
    // Every date from 1935-01-01 on, formatted once.
    std::vector<QByteArray> dates;
    for (QDate d(1935, 1, 1); d < QDate(2024, 12, 31); d = d.addDays(1))
        dates.push_back(d.toString(Qt::ISODate).toLatin1());

    quint64 state = 42;
    const auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return quint32(state >> 33);
    };
    QByteArray chunk = "hn,name,date_of_birth,sex,ward,status\r\n";
    qint64 size = 0;
    char hn[32];
    for (qint64 i = 1; i <= rows; ++i) {
        std::snprintf(hn, sizeof hn, "IMP%07lld", static_cast<long long>(i));
        chunk += hn;
        chunk += ',';
        const quint32 r = next();
        if (i % 10 == 0) {
            chunk += thai[r % std::size(thai)];
        } else if (i % 97 == 0) {
            chunk += '"';
            chunk += last[r % std::size(last)];
            chunk += ", ";
            chunk += first[(r >> 8) % std::size(first)];
            chunk += '"';
        } else {
            chunk += first[r % std::size(first)];
            chunk += ' ';
            chunk += last[(r >> 8) % std::size(last)];
        }
        chunk += ',';
        chunk += dates[next() % dates.size()];
        chunk += ',';
        chunk += sexes[r % std::size(sexes)];
        chunk += ',';
        chunk += wards[(r >> 4) % std::size(wards)];
        chunk += ',';
        chunk += statuses[(r >> 12) % std::size(statuses)];
        chunk += "\r\n";
        if (chunk.size() > (1 << 20) || i == rows) {
            if (file.write(chunk) != chunk.size())
                return -1;
            size += chunk.size();
            chunk.clear();
        }
    }
    return file.flush() ? size : -1;
}

/// The answer to one request: HTTP status and the parsed AegisX envelope.
class Answer
{
public:
    int status = 0;
    QJsonObject envelope;
    QString networkError;
    double ms = 0;
    /// When the request's body had been sent (ms after it started), for uploads.
    double uploadedMs = 0;

    bool ok() const { return envelope.value(u"success").toBool(); }
    QJsonObject data() const { return envelope.value(u"data").toObject(); }
    QString why() const
    {
        if (!networkError.isEmpty() && status == 0)
            return networkError;
        const QJsonObject e = envelope.value(u"error").toObject();
        return u"HTTP %1 %2: %3"_s.arg(status).arg(e.value(u"code").toString(),
                                                   e.value(u"message").toString());
    }
};

class ImportBench
{
public:
    qint64 rows = 1000000;
    bool keep = false;

    int run()
    {
        if (!m_dir.isValid()) {
            complain(u"no temporary directory: %1"_s.arg(m_dir.errorString()));
            return 2;
        }
        m_dir.setAutoRemove(!keep);
        const QString csvPath = m_dir.filePath(u"patients.csv"_s);
        const QString dbPath = m_dir.filePath(u"livedesk.db"_s);

        const auto generateStart = Clock::now();
        const qint64 csvBytes = writeCsv(csvPath, rows);
        if (csvBytes < 0) {
            complain(u"cannot write %1"_s.arg(csvPath));
            return 2;
        }
        const double generateMs = msSince(generateStart);

        livedesk::server::LivedeskServer::Options options;
        options.databasePath = dbPath;
        QString error;
        if (!m_server.start(options, QString::fromLatin1(userEmail), &error)) {
            complain(u"livedesk-server did not start: %1"_s.arg(error));
            return 2;
        }
        m_base = m_server.baseUrl();
        m_token = m_server.token().toLatin1();
        const qint64 before = patientCount();
        if (before < 0)
            return 2;
        if (!subscribe())
            return 2;

        JsonLine setup;
        setup.add("bench", QString::fromLatin1(benchName))
            .add("setup", true)
            .add("rows", rows)
            .add("csvBytes", csvBytes)
            .add("generateMs", std::round(generateMs))
            .add("database", u"sqlite file (WAL)"_s)
            .add("existingPatients", before);
        if (keep)
            setup.add("dir", m_dir.path());
        printLine(setup.toJson());

        // Validate: the upload, then parsing and checking every row, in one request.
        const double cpuValidate0 = m_server.cpuMs();
        const Answer validated = validate(csvPath);
        const double cpuValidate = m_server.cpuMs() - cpuValidate0;
        if (!validated.ok())
            return fail("validate", validated);
        const QJsonObject summary = validated.data().value(u"summary").toObject();
        const QString sessionId = validated.data().value(u"sessionId").toString();
        if (summary.value(u"validRows").toInteger() != rows
            || summary.value(u"invalidRows").toInteger() != 0) {
            const QString why
                = u"validation found %1 valid and %2 invalid rows, expected %3 valid; first "
                  "errors: %4"_s.arg(summary.value(u"validRows").toInteger())
                      .arg(summary.value(u"invalidRows").toInteger())
                      .arg(rows)
                      .arg(QString::fromUtf8(
                          QJsonDocument(validated.data().value(u"errors").toArray())
                              .toJson(QJsonDocument::Compact)
                              .left(600)));
            return fail("validate", validated, why);
        }

        // Execute: 202 with the job, then the job runs in batches until it completes.
        m_progress.clear();
        const double cpuExecute0 = m_server.cpuMs();
        const auto executeStart = Clock::now();
        const Answer started = request(
            "POST", u"/execute"_s,
            QJsonDocument(QJsonObject{{u"sessionId"_s, sessionId},
                                      {u"options"_s, QJsonObject{{u"skipErrors"_s, false}}}})
                .toJson(QJsonDocument::Compact));
        if (!started.ok() || started.status != 202)
            return fail("execute", started);
        m_jobId = started.data().value(u"jobId").toString();

        // Poll the status until the job is over; the progress event may say so first.
        QJsonObject last;
        std::vector<double> pollMs;
        std::optional<double> polledDoneMs;
        while (msSince(executeStart) < requestTimeoutMs) {
            const auto pollStart = Clock::now();
            const Answer status = request("GET", u"/status/"_s + m_jobId);
            pollMs.push_back(msSince(pollStart));
            if (!status.ok())
                return fail("status", status);
            last = status.data();
            const QString state = last.value(u"status").toString();
            if (state != u"pending" && state != u"processing") {
                polledDoneMs = msSince(executeStart);
                break;
            }
            waitUntil([&pollStart] { return msSince(pollStart) >= statusPollMs; }, statusPollMs, 5);
        }
        const double cpuExecute = m_server.cpuMs() - cpuExecute0;
        if (!polledDoneMs) {
            complain(u"the job did not finish within %1 minutes"_s.arg(requestTimeoutMs / 60000));
            return 1;
        }
        // The final progress event, if it has not come yet.
        waitUntil([this] { return finalEventMs().has_value(); }, 3000);
        // Done when the client first learnt it, from the status route or from the event.
        const double executeMs = std::min(polledDoneMs.value(),
                                          finalEventMs().value_or(1e300) - epochAt(executeStart));

        const qint64 after = patientCount();
        const qint64 imported = last.value(u"successCount").toInteger();
        const bool completed = last.value(u"status").toString() == u"completed";
        const bool counted = imported == rows && after - before == rows;
        const auto progress = progressFigures();
        const bool throttled = progress.maxPerSecond <= maxProgressPerSecond;

        std::sort(pollMs.begin(), pollMs.end());
        JsonLine validateFigures;
        validateFigures.add("ms", std::round(validated.ms))
            .add("uploadMs", std::round(validated.uploadedMs))
            .add("rowsPerSec", std::round(double(rows) / (validated.ms / 1000.0)))
            .add("serverCpuMs", std::round(cpuValidate));
        JsonLine executeFigures;
        executeFigures.add("ms", std::round(executeMs))
            .add("rowsPerSec", std::round(double(rows) / (executeMs / 1000.0)))
            .add("serverCpuMs", std::round(cpuExecute))
            .add("statusPolls", qint64(pollMs.size()))
            .add("statusP50Ms", round3(pollMs[pollMs.size() / 2]))
            .add("statusMaxMs", round3(pollMs.back()));
        JsonLine progressLine;
        progressLine.add("events", progress.events)
            .add("perSec", round3(progress.events / (executeMs / 1000.0)))
            .add("maxIn1s", progress.maxPerSecond)
            .add("final", progress.finalStatus)
            .add("socketReconnects", m_client.stats().connects - 1);
        const double totalMs = validated.ms + executeMs;
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName))
            .add("rows", rows)
            .add("csvBytes", csvBytes)
            .addRaw("validate", validateFigures.toJson())
            .addRaw("execute", executeFigures.toJson())
            .add("totalMs", std::round(totalMs))
            .add("rowsPerSec", std::round(double(rows) / (totalMs / 1000.0)))
            .add("status", last.value(u"status"))
            .add("imported", imported)
            .add("failed", last.value(u"failedCount"))
            .add("patientsAdded", after - before)
            .addRaw("progressEvents", progressLine.toJson())
            .add("dbBytes", QFileInfo(dbPath).size() + QFileInfo(dbPath + u"-wal"_s).size())
            .add("peakRssMB", std::round(peakRssMB()));
        printLine(line.toJson());

        if (!completed)
            complain(u"the job ended %1: %2"_s.arg(last.value(u"status").toString(),
                                                   last.value(u"error").toString()));
        if (!counted)
            complain(
                u"%1 rows were reported imported and %2 patients added, expected %3"_s.arg(imported)
                    .arg(after - before)
                    .arg(rows));
        if (!throttled)
            complain(u"%1 progress events arrived within one second (at most %2 expected)"_s
                         .arg(progress.maxPerSecond)
                         .arg(maxProgressPerSecond));
        return completed && counted && throttled ? 0 : 1;
    }

private:
    class ProgressFigures
    {
    public:
        qint64 events = 0;
        int maxPerSecond = 0;
        QString finalStatus;
    };

    class Progress
    {
    public:
        double atEpochMs = 0;
        QString status;
    };

    /// @p start (steady clock) on the epoch clock: progress events are stamped with
    /// epochMsNow(), the execute phase is timed on the steady clock.
    static double epochAt(Clock::time_point start) { return epochMsNow() - msSince(start); }

    std::optional<double> finalEventMs() const
    {
        for (const Progress &p : m_progress) {
            if (p.status != u"pending" && p.status != u"processing")
                return p.atEpochMs;
        }
        return std::nullopt;
    }

    ProgressFigures progressFigures() const
    {
        ProgressFigures f;
        f.events = qint64(m_progress.size());
        // Most events within any one second, the final state excepted: it is always sent,
        // however soon after the last one (docs/protocol.md §3).
        std::vector<double> times;
        for (const Progress &p : m_progress) {
            if (p.status == u"pending" || p.status == u"processing")
                times.push_back(p.atEpochMs);
            else
                f.finalStatus = p.status;
        }
        size_t begin = 0;
        for (size_t end = 0; end < times.size(); ++end) {
            while (times[end] - times[begin] >= 1000.0)
                ++begin;
            f.maxPerSecond = std::max(f.maxPerSecond, int(end - begin + 1));
        }
        return f;
    }

    /// Prints where the import failed and why (@p why, else the answer's error); returns 1.
    int fail(const char *phase, const Answer &answer, const QString &why = {})
    {
        JsonLine line;
        line.add("bench", QString::fromLatin1(benchName))
            .add("rows", rows)
            .add("failedAt", QString::fromLatin1(phase))
            .add("httpStatus", answer.status)
            .add("error", why.isEmpty() ? answer.why() : why)
            .add("ms", std::round(answer.ms));
        printLine(line.toJson());
        return 1;
    }

    QNetworkRequest makeRequest(const QString &path) const
    {
        QUrl url = m_base;
        const qsizetype query = path.indexOf(u'?');
        url.setPath(query < 0 ? path : path.left(query));
        if (query >= 0)
            url.setQuery(path.mid(query + 1));
        QNetworkRequest r(url);
        r.setRawHeader("Authorization", "Bearer " + m_token);
        r.setTransferTimeout(requestTimeoutMs);
        return r;
    }

    Answer await(QNetworkReply *reply, Clock::time_point start)
    {
        Answer a;
        QObject::connect(reply, &QNetworkReply::uploadProgress, reply,
                         [&a, start](qint64 sent, qint64 total) {
                             if (total > 0 && sent == total && a.uploadedMs == 0)
                                 a.uploadedMs = msSince(start);
                         });
        waitUntil([reply] { return reply->isFinished(); }, requestTimeoutMs, 1);
        a.ms = msSince(start);
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.envelope = QJsonDocument::fromJson(reply->readAll()).object();
        if (reply->error() != QNetworkReply::NoError)
            a.networkError = reply->errorString();
        reply->deleteLater();
        return a;
    }

    /// A JSON request under the import routes.
    Answer request(const QByteArray &verb, const QString &route, const QByteArray &body = {})
    {
        QNetworkRequest r = makeRequest(QString::fromLatin1(importBase) + route);
        const auto start = Clock::now();
        QNetworkReply *reply = nullptr;
        if (verb == "GET") {
            reply = m_http.get(r);
        } else {
            r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
            reply = m_http.post(r, body);
        }
        return await(reply, start);
    }

    /// `POST import/validate` with the file as multipart/form-data, field "file".
    Answer validate(const QString &csvPath)
    {
        auto *form = new QHttpMultiPart(QHttpMultiPart::FormDataType);
        QHttpPart part;
        part.setHeader(QNetworkRequest::ContentDispositionHeader,
                       u"form-data; name=\"file\"; filename=\"patients.csv\""_s);
        part.setHeader(QNetworkRequest::ContentTypeHeader, u"text/csv"_s);
        auto *file = new QFile(csvPath, form);
        if (!file->open(QIODevice::ReadOnly)) {
            delete form;
            Answer a;
            a.networkError = u"cannot read %1"_s.arg(csvPath);
            return a;
        }
        part.setBodyDevice(file);
        form->append(part);
        const auto start = Clock::now();
        QNetworkReply *reply
            = m_http.post(makeRequest(QString::fromLatin1(importBase) + u"/validate"_s), form);
        form->setParent(reply);
        return await(reply, start);
    }

    /// Patients the token's tenant has, from the list's pagination; -1 on failure.
    qint64 patientCount()
    {
        QNetworkReply *reply = m_http.get(makeRequest(u"/api/patients?limit=1"_s));
        const Answer a = await(reply, Clock::now());
        if (!a.ok()) {
            complain(u"cannot list patients: %1"_s.arg(a.why()));
            return -1;
        }
        return a.envelope.value(u"pagination").toObject().value(u"total").toInteger(-1);
    }

    /// Connects the progress listener: subscribed to the patients feature, as the
    /// workstation's import wizard is.
    bool subscribe()
    {
        livedesk::SocketIoClient::Options o;
        o.url = m_base;
        o.path = u"/api/ws/"_s;
        o.auth = {{u"token"_s, QString::fromLatin1(m_token)}};
        m_client.setOptions(o);
        QObject::connect(&m_client, &livedesk::SocketIoClient::connected, &m_client, [this] {
            m_client.emitEvent(u"subscribe:features"_s,
                               {QJsonObject{{u"features"_s, QJsonArray{u"patients"_s}}}});
        });
        QObject::connect(&m_client, &livedesk::SocketIoClient::eventReceived, &m_client,
                         [this](const livedesk::SocketIoEvent &e) {
                             if (e.name == u"subscribe:confirmed") {
                                 m_subscribed = true;
                                 return;
                             }
                             if (e.name != QLatin1StringView(progressEvent))
                                 return;
                             const QJsonObject data = e.args.at(0).toObject();
                             // Events of the pending job come before its id is known.
                             if (!m_jobId.isEmpty() && data.value(u"jobId").toString() != m_jobId)
                                 return;
                             m_progress.push_back({epochMsNow(), data.value(u"status").toString()});
                         });
        m_client.open();
        if (!waitUntil([this] { return m_subscribed; }, 10000)) {
            complain(
                u"the progress listener could not subscribe: %1"_s.arg(m_client.failureMessage()));
            return false;
        }
        return true;
    }

    QTemporaryDir m_dir;
    LivedeskHost m_server;
    QNetworkAccessManager m_http;
    livedesk::SocketIoClient m_client;
    QUrl m_base;
    QByteArray m_token;
    QString m_jobId;
    bool m_subscribed = false;
    std::vector<Progress> m_progress;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"bench_import"_s);
    QLoggingCategory::setFilterRules(u"livedesk.*.info=false"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"CSV import throughput of livedesk-server through its HTTP import routes (validate, "
        "execute, status) with a SQLite file database. Prints JSON lines."_s);
    parser.addHelpOption();
    const QCommandLineOption quick(u"quick"_s, u"100000 rows instead of 1000000."_s);
    const QCommandLineOption rowsOption(u"rows"_s, u"Rows in the CSV file (default 1000000)."_s,
                                        u"n"_s);
    const QCommandLineOption keep(u"keep"_s,
                                  u"Keep the temporary directory (CSV file and database)."_s);
    parser.addOptions({quick, rowsOption, keep});
    parser.process(app);

    qint64 rows = parser.isSet(quick) ? 100000 : 1000000;
    if (parser.isSet(rowsOption)) {
        bool ok = false;
        rows = parser.value(rowsOption).toLongLong(&ok);
        if (!ok || rows < 1 || rows > 9999999) {
            complain(u"--rows must be between 1 and 9999999"_s);
            return 2;
        }
    }

    int status = 2;
    QTimer::singleShot(0, &app, [&] {
        ImportBench bench;
        bench.rows = rows;
        bench.keep = parser.isSet(keep);
        status = bench.run();
        QCoreApplication::exit(status);
    });
    app.exec();
    return status;
}
