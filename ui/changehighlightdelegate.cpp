// SPDX-License-Identifier: MIT
#include "changehighlightdelegate.h"

#include <QtGui/QPainter>
#include <QtWidgets/QAbstractItemView>

namespace livedesk {

ChangeHighlightDelegate::ChangeHighlightDelegate(QAbstractItemView *view, int idRole)
    : QStyledItemDelegate(view)
    , m_view(view)
    , m_idRole(idRole)
{
    m_clock.start();
    m_repaint.setInterval(80);
    connect(&m_repaint, &QTimer::timeout, this, &ChangeHighlightDelegate::tick);
}

void ChangeHighlightDelegate::highlight(const QString &id)
{
    m_since.insert(id, m_clock.elapsed());
    if (!m_repaint.isActive())
        m_repaint.start();
    m_view->viewport()->update();
}

bool ChangeHighlightDelegate::isHighlighted(const QString &id) const
{
    const auto it = m_since.constFind(id);
    return it != m_since.cend() && m_clock.elapsed() - it.value() < m_fadeMs;
}

void ChangeHighlightDelegate::tick()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_since.begin(); it != m_since.end();) {
        if (now - it.value() >= m_fadeMs)
            it = m_since.erase(it);
        else
            ++it;
    }
    if (m_since.isEmpty())
        m_repaint.stop();
    m_view->viewport()->update();
}

void ChangeHighlightDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    if (!m_since.isEmpty()) {
        const auto it = m_since.constFind(index.data(m_idRole).toString());
        if (it != m_since.cend()) {
            const qint64 age = m_clock.elapsed() - it.value();
            if (age < m_fadeMs) {
                QColor tint = option.palette.color(QPalette::Highlight);
                tint.setAlphaF(0.28f * float(m_fadeMs - age) / float(m_fadeMs));
                painter->fillRect(option.rect, tint);
            }
        }
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace livedesk
