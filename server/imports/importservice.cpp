// SPDX-License-Identifier: MIT
#include "importservice.h"

#include "apierror.h"
#include "csvreader.h"
#include "fieldspec.h"
#include "importslogging.h"
#include "importvalidator.h"
#include "multipartform.h"
#include "recordstore.h"
#include "resourcespec.h"
#include "serverschema.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QUrlQuery>
#include <QtCore/QUuid>
#include <QtHttpServer/QHttpServerRequest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk::server {

namespace {

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// HttpResponse::json lives in the server library, which links this one; a response is plain
// data, so build it here rather than depend on it.
HttpResponse jsonResponse(const QJsonObject &object, int status)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    r.addHeader("Content-Type", "application/json; charset=utf-8");
    return r;
}

HttpResponse success(const QJsonValue &data, int status = 200, const QString &message = {})
{
    QJsonObject o{{u"success"_s, true}, {u"data"_s, data}};
    if (!message.isEmpty())
        o.insert(u"message"_s, message);
    return jsonResponse(o, status);
}

HttpResponse failure(const ApiError &error)
{
    return jsonResponse(error.toEnvelope(), error.httpStatus());
}

HttpResponse methodNotAllowed(const QHttpServerRequest &request)
{
    return failure(ApiError(u"METHOD_NOT_ALLOWED"_s,
                            u"This method is not allowed on %1."_s.arg(request.url().path()), 405));
}

HttpResponse noRoute(const QHttpServerRequest &request)
{
    return failure(ApiError::notFound(u"No route for %1."_s.arg(request.url().path())));
}

// A value for the template's example row that passes the field's own checks.
QString exampleText(const FieldSpec &f)
{
    if (f.hasDefault() && !f.defaultValue.isNull()) {
        const QJsonValue d = f.defaultValue;
        if (d.isBool())
            return d.toBool() ? u"true"_s : u"false"_s;
        if (d.isDouble())
            return QString::number(d.toDouble(), 'g', 17);
        return d.toString();
    }
    switch (f.type) {
    case FieldSpec::Type::Enum:
        return f.values.value(0);
    case FieldSpec::Type::Integer:
        return u"1"_s;
    case FieldSpec::Type::Number:
        return u"1.5"_s;
    case FieldSpec::Type::Boolean:
        return u"true"_s;
    case FieldSpec::Type::Date:
        return u"1980-01-31"_s;
    case FieldSpec::Type::DateTime:
        return u"2024-01-31T08:30:00.000Z"_s;
    case FieldSpec::Type::String:
    case FieldSpec::Type::Text:
        break;
    }
    QString text = u"Example "_s + f.label;
    if (f.maxLength > 0 && text.size() > f.maxLength)
        text.truncate(f.maxLength);
    return text;
}

// Counts the refused @p row in @p job, one entry per refused field, and lists it while the
// list holds fewer than @p limit entries; true when the list grew.
bool listRefusedRow(ImportJobState &job, const ImportSession::Row &row,
                    const RecordStore::RowError &refused, int limit)
{
    const QJsonArray details
        = refused.details.isEmpty() ? QJsonArray{QJsonObject{}} : refused.details;
    bool listed = false;
    for (const QJsonValue d : details) {
        const QJsonObject detail = d.toObject();
        ++job.executionErrorCount;
        if (job.executionErrors.size() >= limit)
            continue;
        const QJsonValue field = detail.value(u"field");
        const QJsonValue value = detail.value(u"value");
        const QString message = detail.value(u"message").toString();
        job.executionErrors.append(QJsonObject{
            {u"row"_s, row.row},
            {u"line"_s, row.line},
            {u"field"_s, field.isString() ? field : QJsonValue(QJsonValue::Null)},
            {u"code"_s, detail.value(u"code").toString(u"REFUSED"_s)},
            {u"message"_s, message.isEmpty() ? u"The database refused this row"_s : message},
            {u"value"_s, value.isUndefined() ? QJsonValue(QJsonValue::Null) : value}});
        listed = true;
    }
    return listed;
}

} // namespace

ImportService::ImportService(const ServerSchema &schema, RecordStore *store, QObject *parent)
    : QObject(parent)
    , m_schema(schema)
    , m_store(store)
    , m_jobs(store)
{
    m_batchTimer.setSingleShot(true);
    m_validationPool.setMaxThreadCount(2);
    connect(&m_batchTimer, &QTimer::timeout, this, &ImportService::runNextBatch);
}

ImportService::~ImportService()
{
    shutdown();
}

bool ImportService::open(QString *error)
{
    return m_jobs.open(error);
}

void ImportService::shutdown()
{
    // Validations first: their worker threads call back into this object.
    for (const auto &task : std::as_const(m_validations))
        task->cancelled = true;
    m_validationPool.waitForDone();
    const auto validations = std::exchange(m_validations, {});
    for (const auto &task : validations) {
        if (const HttpResponse::Reply reply = std::exchange(task->reply, {})) {
            reply(failure(ApiError(
                u"SERVICE_UNAVAILABLE"_s,
                u"The server is stopping: upload the file again once it is back."_s, 503)));
        }
    }
    m_batchTimer.stop();
    // Take the list first: finish() emits, and a slot must not see a half-stopped job.
    auto running = std::move(m_running);
    m_running.clear();
    m_nextJob = 0;
    for (auto &run : running) {
        qCInfo(lcServerImports).noquote()
            << "Stopping import job" << run->job.id << "after" << run->job.processedRecords << "of"
            << run->job.totalRecords << "rows";
        finish(*run, ImportJobState::Status::Failed, u"interrupted: the server stopped"_s);
    }
    m_sessions.clear();
}

HttpResponse ImportService::handle(const ResourceSpec &resource, const QString &rest,
                                   const QHttpServerRequest &request,
                                   const EventPublisher::Origin &origin)
{
    using Method = QHttpServerRequest::Method;
    purgeSessions();
    const QStringList parts = rest.split(u'/');
    if (parts.size() < 2 || parts[0] != u"import")
        return noRoute(request);
    const QString &action = parts[1];
    const auto method = request.method();

    if (parts.size() == 2) {
        if (action == u"template")
            return method == Method::Get ? templateCsv(resource, request)
                                         : methodNotAllowed(request);
        if (action == u"validate")
            return method == Method::Post ? validate(resource, request, origin)
                                          : methodNotAllowed(request);
        if (action == u"execute")
            return method == Method::Post ? execute(resource, request, origin)
                                          : methodNotAllowed(request);
    }
    if (parts.size() == 3 && !parts[2].isEmpty()) {
        if (action == u"status")
            return method == Method::Get ? status(resource, parts[2], origin)
                                         : methodNotAllowed(request);
        if (action == u"cancel")
            return method == Method::Post ? cancel(resource, parts[2], origin)
                                          : methodNotAllowed(request);
    }
    return noRoute(request);
}

HttpResponse ImportService::templateCsv(const ResourceSpec &resource,
                                        const QHttpServerRequest &request)
{
    const QString format = QUrlQuery(request.url()).queryItemValue(u"format"_s);
    if (!format.isEmpty() && format.compare(u"csv", Qt::CaseInsensitive) != 0)
        return failure(
            ApiError::badRequest(u"Templates come as format=csv only, not \"%1\"."_s.arg(format)));
    QStringList names;
    QStringList example;
    for (const FieldSpec *f : ImportValidator::importableFields(resource)) {
        names.append(f->name);
        example.append(exampleText(*f));
    }
    const QString csv
        = CsvReader::formatRecord(names) + u"\r\n"_s + CsvReader::formatRecord(example) + u"\r\n"_s;
    HttpResponse r;
    r.status = 200;
    r.body = csv.toUtf8();
    r.addHeader("Content-Type", "text/csv; charset=utf-8");
    r.addHeader("Content-Disposition",
                "attachment; filename=\"" + resource.name.toUtf8() + "-template.csv\"");
    return r;
}

HttpResponse ImportService::validate(const ResourceSpec &resource,
                                     const QHttpServerRequest &request,
                                     const EventPublisher::Origin &origin)
{
    const QByteArray contentType = request.value("content-type");
    const QByteArray mediaType = contentType.split(';').first().trimmed().toLower();
    if (mediaType == "application/json") {
        return failure(ApiError::badRequest(
            u"Send the CSV file as multipart/form-data (field \"file\") or as a text/csv body."_s));
    }
    if (auto refused = overBudget(origin.tenant, request.body().size()))
        return *refused;
    auto task = std::make_shared<Validation>(resource, origin);
    task->bytes = request.body().size();
    task->validator.setLimits(m_options.previewRows, m_options.reportedErrors);
    task->contentType = contentType;
    // text/csv, application/csv, text/plain, application/vnd.ms-excel (what Windows browsers
    // call .csv files), application/octet-stream or no type at all: the body is the file.
    task->body = request.body();
    task->clock.start();
    return HttpResponse::deferred([this, task](HttpResponse::Reply reply) {
        task->reply = std::move(reply);
        m_validations.append(task);
        m_validationPool.start([this, task] {
            readUpload(*task);
            QMetaObject::invokeMethod(
                this, [this, task] { checkStoredRows(task); }, Qt::QueuedConnection);
        });
    });
}

void ImportService::readUpload(Validation &task)
{
    QByteArray bytes = std::exchange(task.body, {});
    if (MultipartForm::isMultipart(task.contentType)) {
        MultipartForm form;
        QString why;
        if (!MultipartForm::parse(task.contentType, bytes, &form, &why)) {
            task.error = ApiError::badRequest(why);
            return;
        }
        const MultipartForm::Part *file = form.part("file");
        if (!file)
            file = form.firstFile();
        if (!file) {
            task.error = ApiError::badRequest(
                u"The upload has no file: send the CSV in the form field \"file\"."_s);
            return;
        }
        bytes = file->body;
    }
    task.fileRead = task.validator.readFile(bytes, &task.error, &task.cancelled);
}

void ImportService::checkStoredRows(const std::shared_ptr<Validation> &task)
{
    if (task->cancelled)
        return;
    if (!task->fileRead) {
        finishValidation(task, failure(task->error));
        return;
    }
    // A few thousand rows per turn of the event loop: other requests and events go between.
    auto done = task->validator.checkStored(m_store, 2048);
    if (!done) {
        finishValidation(task, failure(done.error()));
        return;
    }
    if (!done.value()) {
        QMetaObject::invokeMethod(
            this, [this, task] { checkStoredRows(task); }, Qt::QueuedConnection);
        return;
    }
    auto checked = task->validator.takeSession();
    if (!checked) {
        finishValidation(task, failure(checked.error()));
        return;
    }
    ImportSession session = checked.takeValue();
    const EventPublisher::Origin &origin = task->origin;
    session.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    session.userId = origin.userId;
    session.expiry = QDeadlineTimer(m_options.sessionLifetimeMs);
    session.bytes = task->bytes;
    const QString expiresAt = QDateTime::currentDateTimeUtc()
                                  .addMSecs(m_options.sessionLifetimeMs)
                                  .toString(Qt::ISODateWithMs);
    qCInfo(lcServerImports).nospace().noquote()
        << "Validated " << session.totalRows() << " " << task->resource->name << " rows for "
        << origin.tenant << " in " << task->clock.elapsed() << " ms: " << session.validRows
        << " valid, " << session.invalidRows << " invalid (session " << session.id << ")";

    const QJsonObject data{{u"sessionId"_s, session.id},
                           {u"expiresAt"_s, expiresAt},
                           {u"summary"_s,
                            QJsonObject{{u"totalRows"_s, session.totalRows()},
                                        {u"validRows"_s, session.validRows},
                                        {u"invalidRows"_s, session.invalidRows},
                                        {u"errorCount"_s, session.errorCount}}},
                           {u"errors"_s, session.errors},
                           {u"errorsTruncated"_s, session.errorCount > session.errors.size()},
                           {u"preview"_s, session.preview}};

    // Keep at most maxSessionsPerTenant: the one closest to expiry makes room.
    purgeSessions();
    QString oldest;
    QDeadlineTimer oldestExpiry = QDeadlineTimer::Forever;
    int ofTenant = 0;
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it) {
        if (it->tenant != origin.tenant)
            continue;
        ++ofTenant;
        if (oldest.isEmpty() || it->expiry < oldestExpiry) {
            oldest = it.key();
            oldestExpiry = it->expiry;
        }
    }
    if (ofTenant >= m_options.maxSessionsPerTenant && !oldest.isEmpty())
        m_sessions.remove(oldest);
    m_sessions.insert(session.id, std::move(session));
    finishValidation(task, success(data));
}

void ImportService::finishValidation(const std::shared_ptr<Validation> &task,
                                     const HttpResponse &response)
{
    m_validations.removeOne(task);
    const HttpResponse::Reply reply = std::exchange(task->reply, {});
    if (reply)
        reply(response);
}

HttpResponse ImportService::execute(const ResourceSpec &resource, const QHttpServerRequest &request,
                                    const EventPublisher::Origin &origin)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return failure(ApiError::badRequest(
            u"The body must be a JSON object {sessionId, options:{skipErrors}}."_s));
    const QJsonObject body = doc.object();
    const QString sessionId = body.value(u"sessionId").toString();
    if (sessionId.isEmpty()) {
        return failure(ApiError::validation({ApiError::detail(
            u"sessionId"_s, u"REQUIRED"_s,
            u"sessionId is required: validate the file first (POST import/validate)"_s)}));
    }
    const bool skipErrors = body.value(u"options").toObject().value(u"skipErrors").toBool();

    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end() || it->tenant != origin.tenant || it->resource != resource.name) {
        // The message is for people; the id, for whoever traces the request, is a detail.
        ApiError error = ApiError::notFound(
            u"The validation session has expired or is unknown (a checked file is kept for %1 "
            "minutes and can be imported once). Validate the file again."_s.arg(
                std::max(1, m_options.sessionLifetimeMs / 60000)));
        error.setDetails({ApiError::detail(
            u"sessionId"_s, ApiError::notFoundCode(),
            u"No validation session with this id: it expired, was already executed, or never "
            "existed"_s,
            sessionId)});
        return failure(error);
    }
    ImportSession &session = *it;
    if (session.invalidRows > 0 && !skipErrors) {
        QJsonArray details;
        for (const QJsonValue e : std::as_const(session.errors)) {
            if (details.size() >= 100)
                break;
            details.append(e);
        }
        return failure(ApiError::validation(
            details,
            u"%1 of %2 rows are invalid, so nothing was imported: fix the file, or execute "
            "with options.skipErrors to import only the %3 valid rows"_s.arg(session.invalidRows)
                .arg(session.totalRows())
                .arg(session.validRows)));
    }

    auto run = std::make_unique<RunningJob>();
    ImportJobState &job = run->job;
    job.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    job.tenant = origin.tenant;
    job.resource = resource.name;
    job.userId = origin.userId;
    job.sessionId = session.id;
    job.skipErrors = skipErrors;
    job.totalRecords = session.totalRows();
    job.createdAt = job.updatedAt = nowUtc();
    if (!m_jobs.insert(job))
        return failure(ApiError::internal(u"The import job could not be stored"_s));
    run->resource = m_schema.resourceByName(resource.name);
    run->origin = origin;
    run->rows = std::move(session.rows);
    m_sessions.erase(it);
    qCInfo(lcServerImports).nospace().noquote()
        << "Import job " << job.id << " started: " << job.totalRecords << " " << resource.name
        << " rows for " << job.tenant << (skipErrors ? " (skipping invalid rows)" : "");

    const QJsonObject state = job.toStatusJson();
    publish(*run, false);
    m_running.push_back(std::move(run));
    if (!m_batchTimer.isActive())
        m_batchTimer.start(m_options.batchIntervalMs);
    return success(state, 202, u"Import started"_s);
}

HttpResponse ImportService::status(const ResourceSpec &resource, const QString &jobId,
                                   const EventPublisher::Origin &origin)
{
    if (RunningJob *run = runningJob(jobId, resource, origin.tenant))
        return success(run->job.toStatusJson());
    const auto job = m_jobs.find(jobId, origin.tenant, resource.name);
    if (!job)
        return failure(ApiError::notFound(u"Import job %1 not found"_s.arg(jobId)));
    return success(job->toStatusJson());
}

HttpResponse ImportService::cancel(const ResourceSpec &resource, const QString &jobId,
                                   const EventPublisher::Origin &origin)
{
    // Batches run to completion inside one event-loop turn, so a request is always handled
    // between two batches: the job can stop right now.
    for (auto it = m_running.begin(); it != m_running.end(); ++it) {
        RunningJob &run = **it;
        if (run.job.id != jobId || run.job.tenant != origin.tenant
            || run.job.resource != resource.name || run.job.isFinished())
            continue;
        std::unique_ptr<RunningJob> taken = std::move(*it);
        const size_t index = size_t(it - m_running.begin());
        m_running.erase(it);
        if (m_nextJob > index)
            --m_nextJob;
        qCInfo(lcServerImports).noquote()
            << "Import job" << jobId << "cancelled after" << taken->job.processedRecords << "of"
            << taken->job.totalRecords << "rows";
        finish(*taken, ImportJobState::Status::Cancelled, {});
        return success(taken->job.toStatusJson(), 200, u"Import cancelled"_s);
    }
    const auto job = m_jobs.find(jobId, origin.tenant, resource.name);
    if (!job)
        return failure(ApiError::notFound(u"Import job %1 not found"_s.arg(jobId)));
    ApiError error(u"JOB_ALREADY_FINISHED"_s,
                   u"Import job %1 is already %2; only pending or processing jobs can be "
                   "cancelled."_s.arg(jobId, ImportJobState::statusName(job->status)),
                   409);
    error.setCurrent(job->toStatusJson());
    return failure(error);
}

void ImportService::purgeSessions()
{
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->expiry.hasExpired())
            it = m_sessions.erase(it);
        else
            ++it;
    }
}

qint64 ImportService::sessionBytes(const QString &tenant) const
{
    qint64 bytes = 0;
    for (const ImportSession &session : m_sessions) {
        if (tenant.isEmpty() || session.tenant == tenant)
            bytes += session.bytes;
    }
    for (const auto &task : m_validations) {
        if (tenant.isEmpty() || task->origin.tenant == tenant)
            bytes += task->bytes;
    }
    return bytes;
}

std::optional<HttpResponse> ImportService::overBudget(const QString &tenant, qint64 bytes) const
{
    const auto mb = [](qint64 n) {
        return QString::number(double(n) / (1024 * 1024), 'f', 1);
    };
    const qint64 perTenant = m_options.maxSessionBytesPerTenant;
    if (bytes > perTenant) {
        return failure(
            ApiError(u"PAYLOAD_TOO_LARGE"_s,
                     u"This file (%1 MB) is larger than the %2 MB of checked files "
                     "the server keeps per organisation: split it into smaller files."_s.arg(
                         mb(bytes), mb(perTenant)),
                     413));
    }
    const qint64 held = sessionBytes(tenant);
    const qint64 all = sessionBytes();
    const bool tenantFull = held + bytes > perTenant;
    if (!tenantFull && all + bytes <= m_options.maxSessionBytes)
        return std::nullopt;
    // The oldest session that makes room when it expires.
    qint64 waitMs = m_options.sessionLifetimeMs;
    for (const ImportSession &session : m_sessions) {
        if (!tenantFull || session.tenant == tenant)
            waitMs = std::min(waitMs, session.expiry.remainingTime());
    }
    HttpResponse r = tenantFull
        ? failure(ApiError(
            u"TOO_MANY_REQUESTS"_s,
            u"Checked files waiting to be imported already take %1 of the %2 MB the server keeps "
            "per organisation, and this one has %3 MB: import those first, or try again once they "
            "expire (%4 minutes after their check)."_s.arg(mb(held), mb(perTenant), mb(bytes))
                .arg(std::max(1, m_options.sessionLifetimeMs / 60000)),
            429))
        : failure(
            ApiError(u"SERVICE_UNAVAILABLE"_s,
                     u"The server holds as many checked files as it can (%1 MB): try again "
                     "once some are imported or expired."_s.arg(mb(m_options.maxSessionBytes)),
                     503));
    r.addHeader("Retry-After", QByteArray::number(std::max<qint64>(1, (waitMs + 999) / 1000)));
    return r;
}

ImportService::RunningJob *
ImportService::runningJob(const QString &jobId, const ResourceSpec &resource, const QString &tenant)
{
    for (const auto &run : m_running) {
        if (run->job.id == jobId && run->job.tenant == tenant && run->job.resource == resource.name)
            return run.get();
    }
    return nullptr;
}

void ImportService::runNextBatch()
{
    if (m_running.empty())
        return;
    if (m_nextJob >= m_running.size())
        m_nextJob = 0;
    RunningJob *current = m_running[m_nextJob].get();
    const bool done = runBatch(*current);
    // runBatch() may have emitted jobFinished, and a slot may have changed the list.
    const auto it = std::find_if(m_running.begin(), m_running.end(),
                                 [current](const auto &r) { return r.get() == current; });
    if (done && it != m_running.end()) {
        std::unique_ptr<RunningJob> finished = std::move(*it);
        m_running.erase(it);
    } else if (it != m_running.end()) {
        m_nextJob = size_t(it - m_running.begin()) + 1;
    }
    if (!m_running.empty() && !m_batchTimer.isActive())
        m_batchTimer.start(m_options.batchIntervalMs);
}

bool ImportService::runBatch(RunningJob &run)
{
    const ImportJobState before = run.job;
    ImportJobState next = before;
    next.status = ImportJobState::Status::Processing;
    const QString now = nowUtc();
    if (next.startedAt.isEmpty())
        next.startedAt = now;
    const qsizetype end
        = std::min<qsizetype>(run.cursor + std::max(1, m_options.batchSize), run.rows.size());
    QList<QJsonObject> batch;
    // Where each row of the batch is in run.rows.
    QList<qsizetype> batchSource;
    batch.reserve(end - run.cursor);
    batchSource.reserve(end - run.cursor);
    qint64 invalid = 0;
    for (qsizetype i = run.cursor; i < end; ++i) {
        ImportSession::Row &row = run.rows[i];
        if (row.valid) {
            batch.append(std::move(row.values));
            batchSource.append(i);
        } else {
            ++invalid;
        }
    }

    const auto mode = run.job.skipErrors ? RecordStore::ImportMode::SkipInvalidRows
                                         : RecordStore::ImportMode::AllOrNothing;
    ApiError batchError;
    QString refusal;
    bool listed = false;
    const bool committed = m_store->transaction([&] {
        RecordStore::ImportOutcome outcome;
        if (!batch.isEmpty()) {
            auto result
                = m_store->importRows(*run.resource, run.job.tenant, run.job.userId, batch, mode);
            if (!result) {
                batchError = result.error();
                return false;
            }
            outcome = result.takeValue();
        }
        next.processedRecords += end - run.cursor;
        for (const RecordStore::RowError &refused : std::as_const(outcome.errors))
            listed |= listRefusedRow(next, run.rows.at(batchSource.at(refused.index)), refused,
                                     m_options.reportedErrors);
        if (!run.job.skipErrors && !outcome.errors.isEmpty()) {
            // The database refused rows that were valid at validation (their unique value was
            // taken since): this batch is not imported, the job stops here.
            const RecordStore::RowError &first = outcome.errors.first();
            const QString why = first.details.at(0).toObject().value(u"message").toString();
            refusal = u"Row %1 was refused: %2. Nothing of rows %3 to %4 was imported; rows "
                      "before them were. Validate the file again."_s
                          .arg(run.rows.at(batchSource.at(first.index)).row)
                          .arg(why)
                          .arg(run.rows[run.cursor].row)
                          .arg(run.rows[end - 1].row);
            next.failedCount += end - run.cursor;
            next.status = ImportJobState::Status::Failed;
            next.error = refusal;
        } else {
            next.successCount += outcome.inserted;
            next.failedCount += invalid + outcome.errors.size();
            if (!outcome.errors.isEmpty()) {
                qCDebug(lcServerImports).noquote()
                    << "Import job" << run.job.id << ":" << outcome.errors.size()
                    << "rows refused at execution";
            }
            if (end >= run.rows.size())
                next.status = ImportJobState::Status::Completed;
        }
        next.updatedAt = now;
        if (next.isFinished())
            next.finishedAt = now;
        return m_jobs.update(next, listed);
    });

    if (!committed) {
        // Nothing of this batch was stored, the job row included: end it where it stood.
        qCWarning(lcServerImports).noquote()
            << "Import job" << run.job.id << "batch failed:"
            << (batchError.isNull() ? u"transaction failed"_s : batchError.message());
        finish(run, ImportJobState::Status::Failed,
               u"The database failed while importing rows %1 to %2; rows before them were "
               "imported."_s.arg(run.rows[run.cursor].row)
                   .arg(run.rows[end - 1].row));
        return true;
    }
    run.job = next;
    run.cursor = end;
    if (next.isFinished()) {
        // Free the rows before announcing the end.
        run.rows.clear();
        qCInfo(lcServerImports).nospace().noquote()
            << "Import job " << next.id << " " << ImportJobState::statusName(next.status) << ": "
            << next.successCount << " imported, " << next.failedCount << " failed";
        publish(run, true);
        Q_EMIT jobFinished(next.id, next.toStatusJson());
        return true;
    }
    publish(run, false);
    return false;
}

void ImportService::finish(RunningJob &run, ImportJobState::Status status, const QString &error)
{
    run.job.status = status;
    run.job.error = error;
    run.job.updatedAt = run.job.finishedAt = nowUtc();
    run.rows.clear();
    if (!m_jobs.update(run.job))
        qCWarning(lcServerImports).noquote()
            << "Could not store the end of import job" << run.job.id;
    publish(run, true);
    Q_EMIT jobFinished(run.job.id, run.job.toStatusJson());
}

void ImportService::publish(RunningJob &run, bool force)
{
    if (!m_publish || !run.resource)
        return;
    if (!force && run.lastPublished.isValid()
        && run.lastPublished.elapsed() < m_options.progressIntervalMs)
        return;
    run.lastPublished.start();
    m_publish(*run.resource, run.job.toProgressJson(), run.origin);
}

} // namespace livedesk::server
