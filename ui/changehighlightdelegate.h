// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QTimer>
#include <QtWidgets/QStyledItemDelegate>

class QAbstractItemView;

namespace livedesk {

/**
 * Paints a brief, fading tint behind rows that someone else just changed, so that a change
 * in a list the user is reading is noticed without anything moving (in HIS mode a reload
 * applies the change; the tint says where).
 *
 * The list view tells it which records changed (highlight()); the tint fades over
 * fadeMs() and the view's viewport is repainted meanwhile. Rows are found by the model's
 * record id role, so the tint follows a row that moves.
 */
class ChangeHighlightDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    /// @p idRole: the model role holding a row's record id.
    ChangeHighlightDelegate(QAbstractItemView *view, int idRole);

    /// Starts the tint of record @p id.
    void highlight(const QString &id);
    /// Records tinted right now.
    bool isHighlighted(const QString &id) const;
    int fadeMs() const { return m_fadeMs; }
    void setFadeMs(int ms) { m_fadeMs = ms; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

private:
    void tick();

    QAbstractItemView *m_view;
    int m_idRole;
    int m_fadeMs = 2500;
    QElapsedTimer m_clock;
    QHash<QString, qint64> m_since;
    QTimer m_repaint;
};

} // namespace livedesk
