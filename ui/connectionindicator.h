// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QLabel;

namespace livedesk {

class SocketIoClient;

/**
 * An always-visible statement of the connection: connected, reconnecting (with the retry
 * countdown), offline since HH:MM:SS, or why it gave up.
 *
 * Its first job is the clinical one: when the data on screen may be out of date, say so,
 * with the time it started, within a second of the loss.
 */
class ConnectionIndicator : public QWidget
{
    Q_OBJECT

public:
    enum class Level { Ok, Busy, Offline, Error };
    Q_ENUM(Level)

    explicit ConnectionIndicator(SocketIoClient *client, QWidget *parent = nullptr);

    /// The sentence currently shown.
    QString statusText() const;
    Level level() const { return m_level; }
    /// When the connection was last lost (invalid while connected or never connected).
    QDateTime offlineSince() const { return m_offlineSince; }

Q_SIGNALS:
    /// Emitted whenever the data shown elsewhere becomes or stops being possibly stale.
    void staleChanged(bool stale);

private:
    void onStateChanged();
    void refresh();

    SocketIoClient *m_client;
    QLabel *m_dot;
    QLabel *m_text;
    QTimer m_tick;
    QDateTime m_offlineSince;
    bool m_everConnected = false;
    bool m_stale = false;
    Level m_level = Level::Offline;
};

} // namespace livedesk
