// SPDX-License-Identifier: MIT
#include "restoutcome.h"

#include <QtTest/QTest>

namespace livedesk::test {

std::shared_ptr<RestOutcome> watch(RestReply *reply)
{
    auto out = std::make_shared<RestOutcome>();
    QObject::connect(reply, &RestReply::finished, reply, [reply, out] {
        out->finished = true;
        out->ok = reply->ok();
        out->error = reply->error();
        out->httpStatus = reply->httpStatus();
        out->dataText = reply->dataText(); // before data(), which decodes it
        out->data = reply->data();
        out->pagination = reply->pagination();
        out->meta = reply->meta();
        out->message = reply->message();
        out->rawBody = reply->rawBody();
        out->etag = reply->header("etag");
        out->contentType = reply->header("Content-Type");
        out->description = reply->description();
    });
    return out;
}

RestOutcome await(RestReply *reply, int timeoutMs)
{
    const QString what = reply->description();
    const auto out = watch(reply);
    if (!QTest::qWaitFor([&] { return out->finished; }, timeoutMs))
        qWarning().noquote() << what << "never finished";
    return *out;
}

} // namespace livedesk::test
