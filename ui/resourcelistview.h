// SPDX-License-Identifier: MIT
#pragma once

#include "state/resourceschema.h"

#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

#include <optional>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QToolButton;

namespace livedesk {

class ChangeHighlightDelegate;
class RealtimeStateManager;
class RealtimeTableModel;

/**
 * The list of one resource as a person works with it: a search box and filters (both
 * server-side: the list shows what the server's list query returns), the table (server-side
 * sort by header click, incremental loading when the list is large), a status strip (mode,
 * last sync, pending operations, conflicts), and New / Edit / Delete.
 *
 * Its first duty is that the screen never claims more than it knows: while the data may be
 * out of date a banner above the table says since when and why, and the rows turn grey (the
 * model's Stale state); in HIS mode writes are refused while the server cannot be reached,
 * and the buttons say so in their tooltips. What the user's role may not do
 * (ResourceSchema::allowed) is not offered either: New, Edit or Delete is disabled with the
 * reason as tooltip ("Your role (auditor) may only read patients."); a double click still
 * opens the record, to read. Rows that someone else changed get a brief tint
 * instead of jumping (ChangeHighlightDelegate).
 *
 * The view does not open dialogs itself: it asks (createRequested(), editRequested(),
 * conflictsRequested()) and the window decides, so that the dialogs can be tested alone.
 * Deleting asks for confirmation here, unless setConfirmDeletes(false). What someone else did
 * to the list is reported with othersChanged() and othersRemoved(), so that the window can
 * tell the user when it concerns the record they are looking at.
 */
class ResourceListView : public QWidget
{
    Q_OBJECT
public:
    explicit ResourceListView(QWidget *parent = nullptr);
    ~ResourceListView() override;

    /**
     * Shows @p manager (not owned; it may be deleted first, and may be null).
     *
     * A new manager for the same resource (a mode switch: the window lets go of the old one
     * first, by setting null) is the same list to the person: the selection, the current
     * record, the scroll position and the column widths and order are taken over, the rows
     * found again by record id once the new manager has read them (reading further pages
     * while a remembered record is not listed yet). Sort, search and filters are the
     * manager's query, which the session carries over itself.
     */
    void setManager(RealtimeStateManager *manager);
    RealtimeStateManager *manager() const;

    RealtimeTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_table; }
    QLineEdit *searchEdit() const { return m_search; }
    QPushButton *newButton() const { return m_new; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *conflictsButton() const { return m_conflicts; }
    /// "Discard N waiting change(s)…": shown while the user's changes wait to be sent.
    QPushButton *discardButton() const { return m_discard; }
    ChangeHighlightDelegate *highlighter() const { return m_highlight; }

    /// The record ids of the selected rows, in row order.
    QStringList selectedIds() const;
    /// The record of the current row (the one the keyboard is on); empty when none.
    QString currentId() const;
    /// How a person would name record @p id: its id and its display field ("12 (Somchai P.)",
    /// ResourceSchema::displayField()); the id alone when the record is not listed.
    QString recordTitle(const QString &id) const;
    /// Makes record @p id the current, selected row and scrolls to it; false when not listed.
    bool showRecord(const QString &id);

    using FilterOp = ResourceSchema::FilterOp;
    /// Adds the condition "@p field @p op @p value" to the list query (the server filters);
    /// false with @p error set when the server would refuse it (ResourceSchema::filterValue(),
    /// isOrdered()): nothing changes then.
    bool addFilter(const QString &field, FilterOp op, const QString &value,
                   QString *error = nullptr);
    /// Removes every filter condition.
    void clearFilters();
    /// The conditions in force, as the list query has them (`ward` = ICU, `age_min` = 18).
    QList<std::pair<QString, QString>> filters() const;
    /// One sentence per condition ("Ward is ICU"), as the filter bar shows them.
    QStringList filterTexts() const;
    /// Shows and hides the filter bar (checkable; the View menu's Filters toggles it).
    QToolButton *filterButton() const { return m_filterToggle; }
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
    /// The user wants to drop their changes still waiting for the server (the window asks).
    void discardRequested();
    /// Someone else changed these records after the list was read (they got the tint).
    void othersChanged(const QStringList &ids);
    /// These records left the list without this user deleting them: deleted by someone else,
    /// or (with a search or filters) changed so that they no longer match.
    /// @p titles: recordTitle() of each, taken before the rows went.
    void othersRemoved(const QStringList &ids, const QStringList &titles);

private:
    // Where the person was in the list, kept while the manager changes.
    struct Place
    {
        QString resource;
        QByteArray header;
        QStringList selected;
        QString current;
        // The record at the top of the viewport, and the scroll values as a fallback.
        QString top;
        int vertical = 0;
        int horizontal = 0;
    };
    void rememberPlace();
    void restorePlace();

    void refresh();
    void applySearch();
    void noteChanged(int first, int last);
    void noteRemoved(int first, int last);
    bool isOwnRecentWrite(const QString &id, const QDateTime &now) const;
    void setQueryFilters(const QList<std::pair<QString, QString>> &filters);
    void rebuildFilterBar();
    void rebuildChips();
    void addFilterFromBar();
    QString filterText(const QString &key, const QString &value) const;

    QPointer<RealtimeStateManager> m_manager;
    RealtimeTableModel *m_model;
    QLineEdit *m_search;
    QToolButton *m_filterToggle;
    QWidget *m_filterBar;
    QComboBox *m_filterField;
    QComboBox *m_filterOp;
    QComboBox *m_filterValue;
    QPushButton *m_filterAdd;
    QLabel *m_filterError;
    QHBoxLayout *m_chips;
    QLabel *m_mode;
    QLabel *m_stale;
    QTableView *m_table;
    QLabel *m_status;
    QPushButton *m_new;
    QPushButton *m_edit;
    QPushButton *m_delete;
    QPushButton *m_conflicts;
    QPushButton *m_discard;
    ChangeHighlightDelegate *m_highlight;
    QTimer m_searchDelay;
    QTimer m_clock;
    // Records this user wrote or deleted lately: their reload is no news to them.
    QHash<QString, QDateTime> m_ownWrites;
    std::optional<Place> m_place;
    // The header is back; the rows of m_place are still to be found in the new manager's list.
    bool m_placePending = false;
    bool m_confirmDeletes = true;
    bool m_columnsSized = false;
    // The list has been read since the manager or the query was set: later changes are news.
    bool m_loaded = false;
};

} // namespace livedesk
