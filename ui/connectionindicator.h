// SPDX-License-Identifier: MIT
#pragma once

#include "socketio/connectionstatus.h"

#include <QtCore/QDateTime>
#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QLabel;

namespace livedesk {

/**
 * An always-visible statement of the connection: connected, reconnecting (with the retry
 * countdown), offline since HH:MM:SS, or why it gave up.
 *
 * Its first job is the clinical one: when the data on screen may be out of date, say so,
 * with the time it started, within a second of the loss. It shows the ConnectionStatus it is
 * given (setStatus()) and holds no connection: the window feeds it from its Session.
 */
class ConnectionIndicator : public QWidget
{
    Q_OBJECT

public:
    enum class Level { Ok, Busy, Offline, Error };
    Q_ENUM(Level)

    explicit ConnectionIndicator(QWidget *parent = nullptr);

    /// Shows @p status (at once; a retry countdown keeps counting by itself).
    void setStatus(const ConnectionStatus &status);
    const ConnectionStatus &status() const { return m_status; }

    /// The sentence currently shown.
    QString statusText() const;
    Level level() const { return m_level; }
    /// When the connection was last lost (invalid while connected or never connected).
    QDateTime offlineSince() const { return m_offlineSince; }

Q_SIGNALS:
    /// Emitted whenever the data shown elsewhere becomes or stops being possibly stale.
    void staleChanged(bool stale);

private:
    void refresh();

    ConnectionStatus m_status;
    QLabel *m_dot;
    QLabel *m_text;
    QTimer m_tick;
    QDateTime m_offlineSince;
    bool m_everConnected = false;
    bool m_stale = false;
    Level m_level = Level::Offline;
};

} // namespace livedesk
