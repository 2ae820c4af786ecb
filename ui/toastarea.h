// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QWidget>

#include <functional>

class QVBoxLayout;

namespace livedesk {

/**
 * Non-modal notifications ("toasts") in the bottom-right corner of a host widget.
 *
 * For events worth a person's attention that need no answer: a record they are viewing was
 * changed or deleted by someone else, an import ended, a write was refused. A toast never
 * takes the keyboard focus and never blocks: it goes by itself after a while (longer for
 * warnings and errors, paused while the pointer is on it), or with its close button. It may
 * carry one action ("Show", "Resolve…") that runs and closes it.
 *
 * At most MaxShown are on screen, the newest at the bottom (news gives way before errors);
 * a toast with the text of one already shown restarts that one instead of stacking a copy (a
 * burst of the same news is one toast). Its buttons are in the window's Tab order; while one
 * has the focus (or the pointer is on the toast) it stays, and Escape dismisses it. Each new toast
 * is announced to assistive technology as an alert, and toastShown() lets the window keep it in its
 * activity panel for later reading.
 */
class ToastArea : public QWidget
{
    Q_OBJECT

public:
    enum class Level { Info, Warning, Error };
    Q_ENUM(Level)

    static constexpr int MaxShown = 4;

    /// Overlays @p host (its child, following its size).
    explicit ToastArea(QWidget *host);
    ~ToastArea() override;

    /// Shows @p text. With @p actionText, a button that runs @p action and closes the toast.
    void showToast(Level level, const QString &text, const QString &actionText = {},
                   std::function<void()> action = {});
    /// The texts on screen, oldest first (what a test or an assistive tool reads).
    QStringList texts() const;
    /// Runs the action of the toast showing @p text, as its button does; false when none.
    bool triggerAction(const QString &text);
    /// Takes every toast away (a new session: their records and actions belong to the old one).
    void dismissAll();
    /// How long a toast of @p level stays (ms); errors and warnings stay longer than news.
    int durationMs(Level level) const;
    /// Scales every duration (tests use it to keep toasts up, or to see them go).
    void setDurationScale(double scale) { m_scale = scale; }

Q_SIGNALS:
    void toastShown(livedesk::ToastArea::Level level, const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    class Toast;

    void dismiss(Toast *toast);
    void place();
    Toast *find(const QString &text) const;

    QVBoxLayout *m_layout;
    QList<Toast *> m_toasts;
    double m_scale = 1.0;
};

} // namespace livedesk
