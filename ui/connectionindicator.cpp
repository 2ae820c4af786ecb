// SPDX-License-Identifier: MIT
#include "connectionindicator.h"

#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>

using namespace Qt::StringLiterals;

namespace livedesk {

using State = ConnectionStatus::State;
using Failure = ConnectionStatus::Failure;

ConnectionIndicator::ConnectionIndicator(QWidget *parent)
    : QWidget(parent)
    , m_dot(new QLabel(this))
    , m_text(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_dot);
    layout->addWidget(m_text, 1);
    m_dot->setFixedSize(12, 12);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setAccessibleName(tr("Connection status"));

    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &ConnectionIndicator::refresh);
    refresh();
}

void ConnectionIndicator::setStatus(const ConnectionStatus &status)
{
    const bool stateChanged = status.state != m_status.state;
    m_status = status;
    if (!stateChanged) {
        refresh();
        return;
    }
    const State state = status.state;
    if (state == State::Connected) {
        m_everConnected = true;
        m_offlineSince = {};
    } else if (m_everConnected && !m_offlineSince.isValid()) {
        m_offlineSince = QDateTime::currentDateTime();
    }
    // Counting down needs a clock; a steady state does not.
    if (state == State::Reconnecting)
        m_tick.start();
    else
        m_tick.stop();
    refresh();
}

QString ConnectionIndicator::statusText() const
{
    const QString since = m_offlineSince.isValid()
        ? tr("Offline since %1 — data may be out of date.")
              .arg(m_offlineSince.toString(u"HH:mm:ss"_s))
        : QString();
    const QString host = m_status.host;
    switch (m_status.state) {
    case State::Connected:
        return m_status.recovered
            ? tr("Connected to %1 (session resumed, nothing missed).").arg(host)
            : tr("Connected to %1.").arg(host);
    case State::Connecting:
        return tr("Connecting to %1…").arg(host);
    case State::Reconnecting: {
        const auto next = m_status.nextAttemptAt;
        const QString retry = next.isValid()
            ? tr("Reconnecting in %n s (attempt %1).", nullptr,
                 int(std::max<qint64>(
                     0, (QDateTime::currentDateTimeUtc().msecsTo(next) + 999) / 1000)))
                  .arg(m_status.attempt)
            : tr("Reconnecting (attempt %1)…").arg(m_status.attempt);
        // The server may answer HTTP with nothing at the Socket.IO path: "cannot reach" would
        // send the person to check the network instead of the path.
        const QString why = m_status.diagnosis;
        if (!why.isEmpty())
            return (since.isEmpty() ? why : since + u' ' + why) + u' ' + retry;
        return since.isEmpty() ? tr("Cannot reach %1. %2").arg(host, retry) : since + u' ' + retry;
    }
    case State::Failed:
        switch (m_status.failure) {
        case Failure::ConnectRefused:
            return tr("The server refused the connection: %1. Check the sign-in token.")
                       .arg(m_status.failureMessage)
                + (since.isEmpty() ? QString() : u' ' + since);
        case Failure::RetriesExhausted:
            return tr("Gave up: %1.").arg(m_status.failureMessage)
                + (since.isEmpty() ? QString() : u' ' + since);
        default:
            return m_status.failureMessage;
        }
    case State::Disconnected:
        return since.isEmpty() ? tr("Not connected.") : since;
    }
    return {};
}

void ConnectionIndicator::refresh()
{
    const State state = m_status.state;
    switch (state) {
    case State::Connected:
        m_level = Level::Ok;
        break;
    case State::Connecting:
        m_level = Level::Busy;
        break;
    case State::Reconnecting:
    case State::Disconnected:
        m_level = Level::Offline;
        break;
    case State::Failed:
        m_level = Level::Error;
        break;
    }
    static const char *const colours[] = {"#2e9d4a", "#d9a400", "#9a9a9a", "#c62828"};
    m_dot->setStyleSheet(
        u"border-radius: 6px; background: %1;"_s.arg(QLatin1StringView(colours[int(m_level)])));
    m_text->setText(statusText());
    setToolTip(statusText());

    const bool stale = state != State::Connected && m_everConnected;
    if (stale != m_stale) {
        m_stale = stale;
        Q_EMIT staleChanged(stale);
    }
}

} // namespace livedesk
