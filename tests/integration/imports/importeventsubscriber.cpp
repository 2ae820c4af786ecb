// SPDX-License-Identifier: MIT
#include "importeventsubscriber.h"

#include <QtTest/QSignalSpy>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk::test {

bool ImportEventSubscriber::connect(const QUrl &base, const QString &token,
                                    const QStringList &features)
{
    m_clock.start();
    m_client = std::make_unique<SocketIoClient>();
    SocketIoClient::Options o;
    o.url = base;
    o.path = u"/api/ws/"_s;
    o.auth = {{u"token"_s, token}};
    o.reconnectionDelayMs = 100;
    m_client->setOptions(o);
    m_channel = std::make_unique<RealtimeChannel>(m_client.get());
    m_channel->setSubscription(features);
    QObject::connect(m_channel.get(), &RealtimeChannel::eventReceived, m_channel.get(),
                     [this](const RealtimeEvent &e) {
                         if (e.action == u"import_progress")
                             m_events.append({e, m_clock.elapsed()});
                         else
                             m_recordEvents.append(e);
                     });
    QSignalSpy confirmed(m_channel.get(), &RealtimeChannel::subscriptionConfirmed);
    m_client->open();
    return confirmed.wait(10000);
}

QList<ImportEventSubscriber::Received> ImportEventSubscriber::progressOf(const QString &jobId) const
{
    QList<Received> out;
    for (const Received &r : m_events) {
        if (r.event.operationId == jobId)
            out.append(r);
    }
    return out;
}

bool ImportEventSubscriber::hasEventFor(const QString &hn) const
{
    return std::any_of(m_recordEvents.cbegin(), m_recordEvents.cend(), [&](const RealtimeEvent &e) {
        return e.data().toObject().value(u"hn").toString() == hn;
    });
}

QString ImportEventSubscriber::lastStatus(const QString &jobId) const
{
    const auto events = progressOf(jobId);
    return events.isEmpty() ? QString()
                            : events.last().event.data().toObject().value(u"status").toString();
}

} // namespace livedesk::test
