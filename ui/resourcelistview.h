// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace livedesk {

class ChangeHighlightDelegate;
class RealtimeStateManager;
class RealtimeTableModel;

/**
 * The list of one resource as a person works with it: a search box, the table (server-side
 * sort by header click, incremental loading when the list is large), a status strip (mode,
 * last sync, pending operations, conflicts), and New / Edit / Delete.
 *
 * Its first duty is that the screen never claims more than it knows: while the data may be
 * out of date a banner above the table says since when and why, and the rows turn grey (the
 * model's Stale state); in HIS mode writes are refused while the server cannot be reached,
 * and the buttons say so in their tooltips. Rows that someone else changed get a brief tint
 * instead of jumping (ChangeHighlightDelegate).
 *
 * The view does not open dialogs itself: it asks (createRequested(), editRequested(),
 * conflictsRequested()) and the window decides, so that the dialogs can be tested alone.
 * Deleting asks for confirmation here, unless setConfirmDeletes(false).
 */
class ResourceListView : public QWidget
{
    Q_OBJECT
public:
    explicit ResourceListView(QWidget *parent = nullptr);
    ~ResourceListView() override;

    /// Shows @p manager (not owned; it may be deleted first, and may be null).
    void setManager(RealtimeStateManager *manager);
    RealtimeStateManager *manager() const;

    RealtimeTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_table; }
    QLineEdit *searchEdit() const { return m_search; }
    QPushButton *newButton() const { return m_new; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *conflictsButton() const { return m_conflicts; }
    ChangeHighlightDelegate *highlighter() const { return m_highlight; }

    /// The record ids of the selected rows, in row order.
    QStringList selectedIds() const;
    /// The status strip's sentence (mode, last sync, pending, conflicts).
    QString statusText() const;
    /// The banner's sentence while the data may be out of date; empty otherwise.
    QString staleText() const;
    /// Why writes are refused right now (empty when they are allowed).
    QString writeBlockedReason() const;

    /// Restores column widths and order saved from tableView()'s header; without a saved
    /// state the columns are fitted to their contents after the first load.
    void restoreHeaderState(const QByteArray &state);

    /// Ask before deleting (the default); tests turn it off.
    void setConfirmDeletes(bool confirm) { m_confirmDeletes = confirm; }

    /// Deletes the selected records (after confirmation); false when nothing was deleted.
    bool deleteSelected();

Q_SIGNALS:
    void createRequested();
    void editRequested(const QString &id);
    void conflictsRequested();

private:
    void refresh();
    void applySearch();
    void noteChanged(int first, int last);

    QPointer<RealtimeStateManager> m_manager;
    RealtimeTableModel *m_model;
    QLineEdit *m_search;
    QLabel *m_mode;
    QLabel *m_stale;
    QTableView *m_table;
    QLabel *m_status;
    QPushButton *m_new;
    QPushButton *m_edit;
    QPushButton *m_delete;
    QPushButton *m_conflicts;
    ChangeHighlightDelegate *m_highlight;
    QTimer m_searchDelay;
    QTimer m_clock;
    // Records this user wrote lately: their reload is no news to them.
    QHash<QString, QDateTime> m_ownWrites;
    bool m_confirmDeletes = true;
    bool m_columnsSized = false;
    // The list has been read since the manager or the query was set: later changes are news.
    bool m_loaded = false;
};

} // namespace livedesk
