// SPDX-License-Identifier: MIT
#include "activitypanel.h"

#include "activitymodel.h"
#include "state/resourceschema.h"
#include "state/session.h"

#include <QtWidgets/QHeaderView>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;

namespace livedesk {

ActivityPanel::ActivityPanel(QWidget *parent)
    : QDockWidget(tr("Activity"), parent)
    , m_model(new ActivityModel(this))
    , m_view(new QTableView(this))
{
    setObjectName(u"activity"_s);
    setAccessibleName(tr("Activity of the last 30 minutes"));
    m_model->setMaxAge(KeepSeconds);
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Recent activity"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    for (int c = 0; c < ActivityModel::ColumnCount; ++c)
        m_view->setColumnHidden(c, c != ActivityModel::Time && c != ActivityModel::Summary);
    m_view->setColumnWidth(ActivityModel::Time,
                           m_view->fontMetrics().horizontalAdvance(u"00:00:00"_s) + 24);
    m_view->horizontalHeader()->setStretchLastSection(true);
    setWidget(m_view);
}

ActivityPanel::~ActivityPanel() = default;

QSize ActivityPanel::sizeHint() const
{
    return {480, fontMetrics().height() * 8};
}

void ActivityPanel::setSession(Session *session)
{
    disconnect(m_channelConnection);
    disconnect(m_unclaimedConnection);
    if (!session)
        return;
    m_unclaimedConnection
        = connect(session, &Session::unclaimedEvent, m_model, &ActivityModel::addUnclaimed);
    m_channelConnection
        = connect(session, &Session::eventReceived, this, [this](const RealtimeEvent &event) {
              if (event.action.endsWith(u"_progress")) // import, bulk, operation ticks
                  return;
              m_model->addEvent(event);
          });
}

void ActivityPanel::setResources(const QList<ResourceSchema> &resources)
{
    for (const ResourceSchema &r : resources) {
        const QString label = r.label.isEmpty() ? r.name : r.label;
        m_model->setResourceLabel(r.feature, r.entity, label, r.displayField());
        m_model->setResourceColumns(r.feature, r.columns);
        if (!r.importModule.isEmpty() && r.importModule != r.feature)
            m_model->setResourceLabel(r.importModule, {}, label, r.displayField());
    }
}

void ActivityPanel::setUserNames(const QHash<QString, QString> &names)
{
    m_model->setUserNames(names);
}

void ActivityPanel::addNotice(const QString &text, bool important)
{
    m_model->addNotice(text,
                       important ? RealtimeEvent::Priority::High : RealtimeEvent::Priority::Normal);
}

} // namespace livedesk
