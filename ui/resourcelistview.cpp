// SPDX-License-Identifier: MIT
#include "resourcelistview.h"

#include "changehighlightdelegate.h"
#include "realtimestatemanager.h"
#include "realtimetablemodel.h"

#include <QtCore/QLocale>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {
// How long a record one wrote counts as one's own change when the reload brings it.
constexpr int OwnWriteMs = 5000;
} // namespace

ResourceListView::ResourceListView(QWidget *parent)
    : QWidget(parent)
    , m_model(new RealtimeTableModel(this))
    , m_search(new QLineEdit(this))
    , m_mode(new QLabel(this))
    , m_stale(new QLabel(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
    , m_new(new QPushButton(tr("&New…"), this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_delete(new QPushButton(tr("&Delete"), this))
    , m_conflicts(new QPushButton(this))
    , m_highlight(new ChangeHighlightDelegate(m_table, RealtimeTableModel::RecordIdRole))
{
    m_search->setPlaceholderText(tr("Search"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the list"));
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
    m_new->setAccessibleName(tr("New record"));
    m_edit->setAccessibleName(tr("Edit the selected record"));
    m_delete->setAccessibleName(tr("Delete the selected records"));
    m_delete->setShortcut(QKeySequence::Delete);

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_mode);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_new);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_delete);
    buttons->addWidget(m_conflicts);
    buttons->addStretch(1);
    buttons->addWidget(m_status);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_stale);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(300);
    connect(&m_searchDelay, &QTimer::timeout, this, &ResourceListView::applySearch);
    connect(m_search, &QLineEdit::textEdited, this, [this] { m_searchDelay.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &ResourceListView::applySearch);
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
    if (m_manager)
        m_manager->disconnect(this);
    m_manager = manager;
    m_loaded = false;
    m_model->setManager(manager);
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
            if (!m_columnsSized && m_model->rowCount() > 0) {
                m_columnsSized = true;
                m_table->resizeColumnsToContents();
            }
            refresh();
        });
        connect(manager, &RealtimeStateManager::operationConfirmed, this,
                [this](const QString &, const QString &recordId) {
                    m_ownWrites.insert(recordId, QDateTime::currentDateTimeUtc());
                });
        m_search->setText(manager->query().search);
    }
    refresh();
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
    if (!m_manager || ids.isEmpty() || !writeBlockedReason().isEmpty())
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
    for (const QString &id : ids)
        m_manager->deleteRecord(id);
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

void ResourceListView::noteChanged(int first, int last)
{
    // The first load and a new query are not news; a change after them is.
    if (!m_manager || !m_loaded)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int row = first; row <= last && row - first < 200; ++row) {
        const QString id = m_model->index(row, 0).data(RealtimeTableModel::RecordIdRole).toString();
        const auto own = m_ownWrites.constFind(id);
        if (own != m_ownWrites.cend() && own.value().msecsTo(now) < OwnWriteMs)
            continue;
        if (m_manager->rowState(row) == RealtimeStateManager::RowState::Synced)
            m_highlight->highlight(id);
    }
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
        parts.append(tr("synced %1")
                         .arg(locale.toString(m_manager->lastSyncAt().toLocalTime().time(),
                                              QLocale::LongFormat)));
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

    const QDateTime staleSince = m_manager->staleSince();
    if (staleSince.isValid()) {
        m_stale->setText(
            tr("Offline since %1: the list may be out of date. %2")
                .arg(locale.toString(staleSince.toLocalTime().time(), QLocale::LongFormat),
                     m_manager->staleReason()));
        m_stale->show();
    } else {
        m_stale->hide();
    }

    const QString blocked = writeBlockedReason();
    const bool selected = !selectedIds().isEmpty();
    m_new->setEnabled(blocked.isEmpty());
    m_edit->setEnabled(blocked.isEmpty() && selected);
    m_delete->setEnabled(blocked.isEmpty() && selected);
    for (QPushButton *b : {m_new, m_edit, m_delete})
        b->setToolTip(blocked);
}

} // namespace livedesk
