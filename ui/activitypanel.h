// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QHash>
#include <QtWidgets/QDockWidget>

class QTableView;

namespace livedesk {

class ActivityModel;
class Session;
class ResourceSchema;

/**
 * The workstation's activity panel: what happened in the last minutes, newest first.
 *
 * Every change the server announced (who added, changed or deleted which record of which
 * list) and the application's own notices (the toasts, so one that went by can be read
 * again), one sentence each. Progress events are left out: an import's thousand progress
 * ticks are not activity, its end is. A dock widget, so the user can place, float or close
 * it; View > Activity brings it back.
 */
class ActivityPanel : public QDockWidget
{
    Q_OBJECT

public:
    /// Entries are kept this long (seconds).
    static constexpr int KeepSeconds = 30 * 60;

    explicit ActivityPanel(QWidget *parent = nullptr);
    ~ActivityPanel() override;

    /// Shows the events of @p session from now on (null: none); entries already shown stay.
    void setSession(Session *session);
    /// Names records of @p resources in the sentences ("Patients: 12 (Somchai P.) …").
    void setResources(const QList<ResourceSchema> &resources);
    /// Names the users of the server's directory instead of their ids.
    void setUserNames(const QHash<QString, QString> &names);
    /// Adds a line of the application's own (a toast's text); @p important lines (warnings,
    /// errors) are shown in red.
    void addNotice(const QString &text, bool important);

    ActivityModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    /// A strip of a few lines: the lists stay the main thing in the window.
    QSize sizeHint() const override;

private:
    ActivityModel *m_model;
    QTableView *m_view;
    QMetaObject::Connection m_channelConnection;
    QMetaObject::Connection m_unclaimedConnection;
};

} // namespace livedesk
