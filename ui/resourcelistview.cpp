// SPDX-License-Identifier: MIT
#include "resourcelistview.h"

#include "changehighlightdelegate.h"
#include "realtimetablemodel.h"
#include "state/pendingoperation.h"
#include "state/realtimestatemanager.h"

#include <QtCore/QLocale>
#include <QtGui/QIcon>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

#include <algorithm>

namespace livedesk {

namespace {
// How long a record one wrote counts as one's own change when the reload brings it.
constexpr int OwnWriteMs = 5000;
} // namespace

ResourceListView::ResourceListView(QWidget *parent)
    : QWidget(parent)
    , m_model(new RealtimeTableModel(this))
    , m_search(new QLineEdit(this))
    , m_filterToggle(new QToolButton(this))
    , m_filterBar(new QWidget(this))
    , m_filterField(new QComboBox(m_filterBar))
    , m_filterOp(new QComboBox(m_filterBar))
    , m_filterValue(new QComboBox(m_filterBar))
    , m_filterAdd(new QPushButton(tr("&Add filter"), m_filterBar))
    , m_filterError(new QLabel(m_filterBar))
    , m_chips(new QHBoxLayout)
    , m_mode(new QLabel(this))
    , m_stale(new QLabel(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
    , m_new(new QPushButton(tr("&New…"), this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_delete(new QPushButton(tr("&Delete"), this))
    , m_conflicts(new QPushButton(this))
    , m_discard(new QPushButton(this))
    , m_highlight(new ChangeHighlightDelegate(m_table, RealtimeTableModel::RecordIdRole))
{
    m_search->setPlaceholderText(tr("Search"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the list"));
    m_filterToggle->setText(tr("F&ilters"));
    m_filterToggle->setCheckable(true);
    m_filterToggle->setAccessibleName(tr("Show the filter bar"));
    m_filterToggle->setToolTip(tr("Show only the records that meet conditions (the server "
                                  "filters the list)"));
    m_filterField->setAccessibleName(tr("Filter field"));
    m_filterOp->setAccessibleName(tr("Filter condition"));
    m_filterValue->setAccessibleName(tr("Filter value"));
    m_filterValue->setEditable(true);
    m_filterValue->setInsertPolicy(QComboBox::NoInsert);
    m_filterValue->setMinimumContentsLength(14);
    m_filterAdd->setAccessibleName(tr("Add the filter condition"));
    m_filterError->setStyleSheet(u"QLabel { color: #b00020; }"_s);
    auto *filterRow = new QHBoxLayout(m_filterBar);
    filterRow->setContentsMargins(0, 0, 0, 0);
    auto *fieldLabel = new QLabel(tr("Show records where"), m_filterBar);
    fieldLabel->setBuddy(m_filterField);
    filterRow->addWidget(fieldLabel);
    filterRow->addWidget(m_filterField);
    filterRow->addWidget(m_filterOp);
    filterRow->addWidget(m_filterValue, 1);
    filterRow->addWidget(m_filterAdd);
    filterRow->addWidget(m_filterError, 1);
    m_filterBar->hide();
    m_chips->setContentsMargins(0, 0, 0, 0);
    m_mode->setAccessibleName(tr("Mode"));
    m_stale->setWordWrap(true);
    m_stale->setAccessibleName(tr("Data may be out of date"));
    m_stale->setStyleSheet(u"QLabel { background: #fff3cd; color: #5c4400; padding: 6px; "
                           "border: 1px solid #e0c36a; }"_s);
    m_stale->hide();
    m_table->setModel(m_model);
    m_table->setItemDelegate(m_highlight);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicatorShown(true);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setAccessibleName(tr("Records"));
    m_status->setAccessibleName(tr("List status"));
    m_conflicts->setAccessibleName(tr("Resolve conflicts"));
    m_discard->setAccessibleName(tr("Discard your changes waiting for the server"));
    m_discard->setToolTip(tr("Your changes that have not reached the server yet: drop them, "
                             "after confirmation, so the list shows the server's records"));
    m_discard->hide();
    m_new->setAccessibleName(tr("New record"));
    m_edit->setAccessibleName(tr("Edit the selected record"));
    m_delete->setAccessibleName(tr("Delete the selected records"));
    m_delete->setShortcut(QKeySequence::Delete);
    m_new->setIcon(QIcon(u":/icons/new.svg"_s));
    m_edit->setIcon(QIcon(u":/icons/edit.svg"_s));
    m_delete->setIcon(QIcon(u":/icons/delete.svg"_s));
    m_conflicts->setIcon(QIcon(u":/icons/conflict.svg"_s));
    m_filterToggle->setIcon(QIcon(u":/icons/filter.svg"_s));
    m_filterToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_filterToggle);
    top->addWidget(m_mode);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_new);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_delete);
    buttons->addWidget(m_conflicts);
    buttons->addWidget(m_discard);
    buttons->addStretch(1);
    buttons->addWidget(m_status);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_filterBar);
    layout->addLayout(m_chips);
    layout->addWidget(m_stale);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(300);
    connect(&m_searchDelay, &QTimer::timeout, this, &ResourceListView::applySearch);
    connect(m_search, &QLineEdit::textEdited, this, [this] { m_searchDelay.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &ResourceListView::applySearch);
    connect(m_filterToggle, &QToolButton::toggled, this, [this](bool on) {
        m_filterBar->setVisible(on);
        if (on)
            m_filterField->setFocus();
    });
    connect(m_filterField, &QComboBox::currentIndexChanged, this,
            &ResourceListView::rebuildFilterBar);
    connect(m_filterAdd, &QPushButton::clicked, this, &ResourceListView::addFilterFromBar);
    connect(m_filterValue->lineEdit(), &QLineEdit::returnPressed, this,
            &ResourceListView::addFilterFromBar);
    connect(m_new, &QPushButton::clicked, this, &ResourceListView::createRequested);
    connect(m_edit, &QPushButton::clicked, this, [this] {
        const QStringList ids = selectedIds();
        if (!ids.isEmpty())
            Q_EMIT editRequested(ids.constFirst());
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT editRequested(index.data(RealtimeTableModel::RecordIdRole).toString());
    });
    connect(m_delete, &QPushButton::clicked, this, &ResourceListView::deleteSelected);
    connect(m_conflicts, &QPushButton::clicked, this, &ResourceListView::conflictsRequested);
    connect(m_discard, &QPushButton::clicked, this, &ResourceListView::discardRequested);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ResourceListView::refresh);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &tl, const QModelIndex &br, const QList<int> &roles) {
                // Values, not states (going offline greys every row).
                if (roles.isEmpty() || roles.contains(Qt::DisplayRole))
                    noteChanged(tl.row(), br.row());
            });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_loaded = false; });
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { noteChanged(first, last); });
    // The times in the strip and the banner ("since 10:42:01") need no tick, but "synced
    // 12 s ago" would; a slow tick keeps the state honest if a signal was missed.
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &ResourceListView::refresh);
    m_clock.start();
    refresh();
}

ResourceListView::~ResourceListView() = default;

void ResourceListView::setManager(RealtimeStateManager *manager)
{
    if (m_manager) {
        rememberPlace();
        m_manager->disconnect(this);
    }
    if (manager && m_place && m_place->resource != manager->schema().name)
        m_place.reset();
    m_manager = manager;
    m_loaded = false;
    // Before the model is connected: the table's selection model moves the current row away
    // from rows being removed, and the window needs to know it was the current one.
    if (manager)
        connect(manager, &RealtimeStateManager::rowsAboutToBeRemoved, this,
                &ResourceListView::noteRemoved);
    m_model->setManager(manager);
    if (manager && m_place) {
        // The columns are the same: their widths and order come back at once (without asking
        // the server to sort: the query's order is set from the manager just below).
        const QSignalBlocker block(m_table->horizontalHeader());
        m_table->horizontalHeader()->restoreState(m_place->header);
        m_placePending = true;
    }
    if (manager && !manager->query().sort.isEmpty()) {
        // Show the list's own order without asking the server for it again.
        const auto &key = manager->query().sort.constFirst();
        const QSignalBlocker block(m_table->horizontalHeader());
        m_table->horizontalHeader()->setSortIndicator(m_model->columnOf(key.first), key.second);
    }
    if (manager) {
        connect(manager, &RealtimeStateManager::stateChanged, this, &ResourceListView::refresh);
        connect(manager, &RealtimeStateManager::synced, this, [this] {
            m_loaded = true;
            if (m_placePending) {
                restorePlace();
            } else if (!m_columnsSized && m_model->rowCount() > 0) {
                m_columnsSized = true;
                m_table->resizeColumnsToContents();
            }
            refresh();
        });
        connect(manager, &RealtimeStateManager::operationConfirmed, this,
                [this](const QString &, const QString &recordId) {
                    m_ownWrites.insert(recordId, QDateTime::currentDateTimeUtc());
                });
        // Taking their values in a conflict changes the row by the user's own decision.
        connect(manager, &RealtimeStateManager::conflictResolved, this,
                [this](const QString &, const QString &recordId) {
                    m_ownWrites.insert(recordId, QDateTime::currentDateTimeUtc());
                });
        m_search->setText(manager->query().search);
    }
    {
        const QSignalBlocker block(m_filterField);
        m_filterField->clear();
        if (manager) {
            for (const ResourceSchema::Column &c : manager->schema().columns)
                m_filterField->addItem(c.label.isEmpty() ? c.name : c.label, c.name);
        }
    }
    rebuildFilterBar();
    rebuildChips();
    refresh();
    if (m_placePending && m_model->rowCount() > 0)
        restorePlace(); // a manager that has its rows already
}

void ResourceListView::rememberPlace()
{
    if (m_placePending || m_model->columnCount() == 0)
        return; // still restoring: the place remembered before is the true one
    Place place;
    place.resource = m_manager->schema().name;
    place.header = m_table->horizontalHeader()->saveState();
    place.selected = selectedIds();
    place.current = currentId();
    const QModelIndex top = m_table->indexAt(QPoint(0, 0));
    if (top.isValid())
        place.top = top.data(RealtimeTableModel::RecordIdRole).toString();
    place.vertical = m_table->verticalScrollBar()->value();
    place.horizontal = m_table->horizontalScrollBar()->value();
    m_place = place;
}

void ResourceListView::restorePlace()
{
    if (!m_place || !m_manager) {
        m_placePending = false;
        return;
    }
    const Place &place = *m_place;
    // A remembered record beyond the pages read so far: read on, then try again.
    for (const QString &id : {place.current, place.top}) {
        if (!id.isEmpty() && m_model->rowOf(id) < 0 && m_manager->canFetchMore()) {
            m_manager->fetchMore();
            return;
        }
    }
    m_placePending = false;
    QItemSelection selection;
    for (const QString &id : place.selected) {
        const int row = m_model->rowOf(id);
        if (row >= 0)
            selection.select(m_model->index(row, 0),
                             m_model->index(row, m_model->columnCount() - 1));
    }
    QItemSelectionModel *selectionModel = m_table->selectionModel();
    const int current = m_model->rowOf(place.current);
    if (current >= 0) {
        selectionModel->setCurrentIndex(m_model->index(current, 0), QItemSelectionModel::NoUpdate);
    }
    selectionModel->select(selection, QItemSelectionModel::ClearAndSelect);
    // The scroll bars know the new rows only after the view's layout, which is delayed.
    m_table->doItemsLayout();
    if (const int top = m_model->rowOf(place.top); top >= 0)
        m_table->scrollTo(m_model->index(top, 0), QAbstractItemView::PositionAtTop);
    else
        m_table->verticalScrollBar()->setValue(place.vertical);
    m_table->horizontalScrollBar()->setValue(place.horizontal);
    m_place.reset();
}

void ResourceListView::restoreHeaderState(const QByteArray &state)
{
    if (!state.isEmpty() && m_table->horizontalHeader()->restoreState(state))
        m_columnsSized = true;
}

RealtimeStateManager *ResourceListView::manager() const
{
    return m_manager;
}

QStringList ResourceListView::selectedIds() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    QStringList ids;
    for (const int row : std::as_const(rows))
        ids.append(m_model->index(row, 0).data(RealtimeTableModel::RecordIdRole).toString());
    return ids;
}

QString ResourceListView::statusText() const
{
    return m_status->text();
}

QString ResourceListView::staleText() const
{
    return m_stale->isHidden() ? QString() : m_stale->text();
}

QString ResourceListView::writeBlockedReason() const
{
    if (!m_manager)
        return tr("Not connected to a server.");
    if (m_manager->mode() == RealtimeStateManager::Mode::His && !m_manager->isConnected())
        return tr("The server cannot be reached. In HIS mode nothing is changed until the "
                  "server can confirm it; switch to live mode to queue changes.");
    return {};
}

bool ResourceListView::deleteSelected()
{
    const QStringList ids = selectedIds();
    if (!m_manager || ids.isEmpty() || !writeBlockedReason().isEmpty()
        || !m_manager->schema().allows(ResourceSchema::Action::Delete))
        return false;
    if (m_confirmDeletes) {
        const QString question = ids.size() == 1
            ? tr("Delete the selected record? This cannot be undone.")
            : tr("Delete the %n selected records? This cannot be undone.", nullptr,
                 int(ids.size()));
        if (QMessageBox::question(this, tr("Delete"), question,
                                  QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            != QMessageBox::Yes)
            return false;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString &id : ids) {
        m_ownWrites.insert(id, now);
        m_manager->deleteRecord(id);
    }
    return true;
}

void ResourceListView::applySearch()
{
    m_searchDelay.stop();
    if (!m_manager || m_manager->query().search == m_search->text().trimmed())
        return;
    RestQuery query = m_manager->query();
    query.search = m_search->text().trimmed();
    m_manager->setQuery(query);
}

QString ResourceListView::currentId() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(RealtimeTableModel::RecordIdRole).toString()
                             : QString();
}

QString ResourceListView::recordTitle(const QString &id) const
{
    const int row = m_model->rowOf(id);
    const QString field = m_manager ? m_manager->schema().displayField() : QString();
    const int column = field.isEmpty() ? -1 : m_model->columnOf(field);
    const QString shown
        = row < 0 || column < 0 ? QString() : m_model->index(row, column).data().toString();
    return shown.isEmpty() ? id
                           : tr("%1 (%2)", "record id (what the record is called)").arg(id, shown);
}

bool ResourceListView::showRecord(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, 0);
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

namespace {

const ResourceSchema::Column *columnOf(const RealtimeStateManager *manager, QStringView name)
{
    return manager ? manager->schema().column(name) : nullptr;
}
} // namespace

bool ResourceListView::addFilter(const QString &field, FilterOp op, const QString &value,
                                 QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    const ResourceSchema::Column *c = columnOf(m_manager, field);
    if (!c)
        return fail(tr("This list has no field %1.").arg(field));
    const QString label = c->label.isEmpty() ? c->name : c->label;
    const QString v = value.trimmed();
    if (v.isEmpty())
        return fail(tr("Enter a value to filter by."));
    if (op != FilterOp::Equals && !ResourceSchema::isOrdered(*c))
        return fail(tr("%1 can only be compared for equality.").arg(label));
    if (ResourceSchema::filterValue(*c, v).isUndefined()) {
        if (c->type == u"integer")
            return fail(tr("%1 needs a whole number.").arg(label));
        if (c->type == u"number")
            return fail(tr("%1 needs a number (like 12.5).").arg(label));
        if (c->type == u"date" || c->type == u"datetime")
            return fail(
                tr("%1 needs a date written as year-month-day, like 2026-01-31.").arg(label));
        if (c->type == u"enum")
            return fail(tr("%1 must be one of: %2.")
                            .arg(label, QLocale().createSeparatedList(c->enumValues)));
        return fail(tr("%1 needs yes or no.").arg(label));
    }
    const QString key = ResourceSchema::filterKeyFor(c->name, op);
    QList<std::pair<QString, QString>> list = filters();
    // A second condition of the same kind replaces the first (ward = ICU, then ward = CCU).
    list.removeIf([&key](const auto &f) { return f.first == key; });
    list.append({key, v});
    setQueryFilters(list);
    return true;
}

void ResourceListView::clearFilters()
{
    setQueryFilters({});
}

QList<std::pair<QString, QString>> ResourceListView::filters() const
{
    return m_manager ? m_manager->query().filters : QList<std::pair<QString, QString>>();
}

QStringList ResourceListView::filterTexts() const
{
    QStringList texts;
    for (const auto &[key, value] : filters())
        texts.append(filterText(key, value));
    return texts;
}

QString ResourceListView::filterText(const QString &key, const QString &value) const
{
    const auto [c, op] = m_manager ? m_manager->schema().filterKey(key)
                                   : std::pair<const ResourceSchema::Column *, FilterOp>{};
    const QString field = c ? c->name : key;
    const QString label = c && !c->label.isEmpty() ? c->label : field;
    QString shown = value;
    if (c && c->type == u"boolean")
        shown = value == u"true" ? tr("yes") : tr("no");
    switch (op) {
    case FilterOp::AtLeast:
        return tr("%1 at least %2").arg(label, shown);
    case FilterOp::AtMost:
        return tr("%1 at most %2").arg(label, shown);
    case FilterOp::Equals:
        break;
    }
    return tr("%1 is %2").arg(label, shown);
}

void ResourceListView::setQueryFilters(const QList<std::pair<QString, QString>> &filters)
{
    if (!m_manager || m_manager->query().filters == filters)
        return;
    RestQuery query = m_manager->query();
    query.filters = filters;
    m_manager->setQuery(query);
    rebuildChips();
    refresh();
}

void ResourceListView::rebuildFilterBar()
{
    const ResourceSchema::Column *c = columnOf(m_manager, m_filterField->currentData().toString());
    const FilterOp previous = FilterOp(m_filterOp->currentData().toInt());
    m_filterOp->clear();
    m_filterOp->addItem(tr("is"), int(FilterOp::Equals));
    if (c && ResourceSchema::isOrdered(*c)) {
        m_filterOp->addItem(tr("is at least"), int(FilterOp::AtLeast));
        m_filterOp->addItem(tr("is at most"), int(FilterOp::AtMost));
    }
    m_filterOp->setCurrentIndex(std::max(0, m_filterOp->findData(int(previous))));
    m_filterValue->clear();
    m_filterValue->lineEdit()->setPlaceholderText(QString());
    if (c && c->type == u"enum") {
        m_filterValue->addItems(c->enumValues);
    } else if (c && c->type == u"boolean") {
        m_filterValue->addItem(tr("yes"), u"true"_s);
        m_filterValue->addItem(tr("no"), u"false"_s);
    } else if (c && (c->type == u"date" || c->type == u"datetime")) {
        m_filterValue->lineEdit()->setPlaceholderText(tr("year-month-day"));
    }
    if (m_filterValue->count() == 0)
        m_filterValue->setEditText(QString());
    m_filterError->clear();
    const bool has = c != nullptr;
    for (QWidget *w : {static_cast<QWidget *>(m_filterOp), static_cast<QWidget *>(m_filterValue),
                       static_cast<QWidget *>(m_filterAdd)})
        w->setEnabled(has);
}

void ResourceListView::rebuildChips()
{
    // A chip may be removing itself from its own clicked(): delete later.
    const bool hadFocus = focusWidget() && m_chips->indexOf(focusWidget()) >= 0;
    while (QLayoutItem *item = m_chips->takeAt(0)) {
        if (QWidget *w = item->widget()) {
            w->hide();
            w->deleteLater();
        }
        delete item;
    }
    const auto list = filters();
    for (const auto &filter : list) {
        const QString key = filter.first;
        auto *chip = new QPushButton(filterText(filter.first, filter.second) + u"  ✕"_s, this);
        chip->setFlat(true);
        chip->setStyleSheet(u"QPushButton { background: #e3edf9; border: 1px solid #9bb8de; "
                            "border-radius: 9px; padding: 2px 10px; }"_s);
        chip->setToolTip(tr("Remove this condition"));
        chip->setAccessibleName(tr("Remove the filter %1").arg(filterText(key, filter.second)));
        connect(chip, &QPushButton::clicked, this, [this, key] {
            auto next = filters();
            next.removeIf([&key](const auto &f) { return f.first == key; });
            setQueryFilters(next);
        });
        m_chips->addWidget(chip);
    }
    if (!list.isEmpty()) {
        auto *clear = new QPushButton(tr("Clear filters"), this);
        clear->setFlat(true);
        connect(clear, &QPushButton::clicked, this, &ResourceListView::clearFilters);
        m_chips->addWidget(clear);
        m_chips->addStretch(1);
    }
    m_filterToggle->setText(list.isEmpty() ? tr("F&ilters") : tr("F&ilters (%1)").arg(list.size()));
    if (hadFocus)
        m_filterToggle->setFocus(Qt::OtherFocusReason);
}

void ResourceListView::addFilterFromBar()
{
    QString error;
    const QString field = m_filterField->currentData().toString();
    QString value = m_filterValue->currentText();
    // A yes/no field offers words; the server wants true or false.
    if (const int i = m_filterValue->findText(value);
        i >= 0 && m_filterValue->itemData(i).isValid())
        value = m_filterValue->itemData(i).toString();
    if (addFilter(field, FilterOp(m_filterOp->currentData().toInt()), value, &error)) {
        m_filterError->clear();
        if (m_filterValue->isEditable() && m_filterValue->count() == 0)
            m_filterValue->setEditText(QString());
    } else {
        m_filterError->setText(error);
    }
}

bool ResourceListView::isOwnRecentWrite(const QString &id, const QDateTime &now) const
{
    const auto own = m_ownWrites.constFind(id);
    return own != m_ownWrites.cend() && own.value().msecsTo(now) < OwnWriteMs;
}

void ResourceListView::noteRemoved(int first, int last)
{
    if (!m_manager)
        return;
    QStringList gone;
    QStringList titles;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int row = first; row <= last; ++row) {
        const QString id = m_model->index(row, 0).data(RealtimeTableModel::RecordIdRole).toString();
        // One's own delete, or one's own change that took the record out of the filter.
        if (isOwnRecentWrite(id, now) || !m_loaded || id.startsWith(u"local:"))
            continue;
        gone.append(id);
        titles.append(recordTitle(id));
    }
    if (!gone.isEmpty())
        Q_EMIT othersRemoved(gone, titles);
}

void ResourceListView::noteChanged(int first, int last)
{
    // The first load and a new query are not news; a change after them is.
    if (!m_manager || !m_loaded)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList changed;
    for (int row = first; row <= last && row - first < 200; ++row) {
        const QString id = m_model->index(row, 0).data(RealtimeTableModel::RecordIdRole).toString();
        if (isOwnRecentWrite(id, now))
            continue;
        if (m_manager->rowState(row) == RealtimeStateManager::RowState::Synced) {
            m_highlight->highlight(id);
            changed.append(id);
        }
    }
    if (!changed.isEmpty())
        Q_EMIT othersChanged(changed);
}

void ResourceListView::refresh()
{
    const QLocale locale;
    if (!m_manager) {
        m_mode->setText(QString());
        m_status->setText(tr("Not connected"));
        m_stale->hide();
        for (QPushButton *b : {m_new, m_edit, m_delete})
            b->setEnabled(false);
        m_conflicts->hide();
        m_discard->hide();
        return;
    }
    const bool his = m_manager->mode() == RealtimeStateManager::Mode::His;
    m_mode->setText(his ? tr("HIS mode: only what the server confirmed")
                        : tr("Live mode: changes show at once"));
    m_mode->setToolTip(his ? tr("Every change is read again from the server before it is "
                                "shown. Your own edits appear once the server has saved them.")
                           : tr("Changes from others are applied as they are announced; your "
                                "edits show at once, marked as pending until the server "
                                "confirms them."));

    QStringList parts;
    const int total = m_manager->total();
    parts.append(total > m_manager->rowCount()
                     ? tr("%1 of %2 rows")
                           .arg(locale.toString(m_manager->rowCount()), locale.toString(total))
                     : tr("%n row(s)", nullptr, m_manager->rowCount()));
    if (m_manager->isLoading())
        parts.append(tr("loading…"));
    else if (m_manager->lastSyncAt().isValid())
        parts.append(
            tr("synced %1")
                .arg(locale.toString(m_manager->lastSyncAt().toLocalTime().time(), u"HH:mm:ss"_s)));
    if (his && m_manager->isRefreshPending() && !m_manager->isLoading())
        parts.append(tr("changes announced, refreshing"));
    const int conflicts = int(m_manager->conflicts().size());
    const int pending = m_manager->pendingCount() - conflicts;
    if (pending > 0)
        parts.append(tr("%n change(s) waiting for the server", nullptr, pending));
    if (conflicts > 0)
        parts.append(tr("%n conflict(s)", nullptr, conflicts));
    m_status->setText(parts.join(u" · "_s));

    m_conflicts->setText(tr("Resolve %n conflict(s)…", nullptr, conflicts));
    m_conflicts->setVisible(conflicts > 0);
    // Conflicts have their own way out (take theirs); these are the changes still to go.
    const QList<PendingOperation> ops = m_manager->pendingOperations();
    const int waiting = int(std::count_if(ops.cbegin(), ops.cend(), [](const PendingOperation &op) {
        return op.state == PendingOperation::State::Pending;
    }));
    m_discard->setText(tr("Discard %n waiting change(s)…", nullptr, waiting));
    m_discard->setVisible(waiting > 0);

    const QDateTime staleSince = m_manager->staleSince();
    if (staleSince.isValid()) {
        m_stale->setText(tr("Offline since %1: the list may be out of date. %2")
                             .arg(locale.toString(staleSince.toLocalTime().time(), u"HH:mm:ss"_s),
                                  m_manager->staleReason()));
        m_stale->show();
    } else {
        m_stale->hide();
    }

    const QString blocked = writeBlockedReason();
    const bool selected = !selectedIds().isEmpty();
    // What the user's role may not do stays so; the connection's reason comes and goes.
    using Action = ResourceSchema::Action;
    const ResourceSchema &schema = m_manager->schema();
    const std::pair<QPushButton *, Action> buttons[]
        = {{m_new, Action::Create}, {m_edit, Action::Update}, {m_delete, Action::Delete}};
    for (const auto &[button, action] : buttons) {
        const QString refusal = schema.refusal(action);
        button->setEnabled(refusal.isEmpty() && blocked.isEmpty() && (button == m_new || selected));
        button->setToolTip(refusal.isEmpty() ? blocked : refusal);
    }
}

} // namespace livedesk
