// SPDX-License-Identifier: MIT
#include "toastarea.h"

#include <QtCore/QEvent>
#include <QtCore/QTimer>
#include <QtGui/QAccessible>
#include <QtGui/QKeyEvent>
#include <QtWidgets/QFrame>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {
constexpr int Width = 380;
constexpr int Margin = 14;
// Above the host's bottom edge by this much: a list's buttons and status strip stay readable.
constexpr int BottomClearance = 52;
// After the pointer leaves a toast it had paused: time to read the end of it.
constexpr int AfterHoverMs = 3000;
} // namespace

class ToastArea::Toast : public QFrame
{
public:
    Toast(Level level, const QString &text, QWidget *parent)
        : QFrame(parent)
        , level(level)
        , text(text)
        , label(new QLabel(text, this))
        , close(new QToolButton(this))
    {
        setObjectName(u"toast"_s);
        setFocusPolicy(Qt::NoFocus);
        setFrameShape(QFrame::StyledPanel);
        const char *accent = level == Level::Error ? "#c62828"
            : level == Level::Warning              ? "#ef8f00"
                                                   : "#2e6fbf";
        setStyleSheet(
            QStringLiteral("QFrame#toast { background: palette(base); border: 1px solid "
                           "palette(mid); border-left: 5px solid %1; border-radius: 4px; }")
                .arg(QLatin1String(accent)));
        setAccessibleName(text);
        setAccessibleDescription(level == Level::Error         ? ToastArea::tr("Error")
                                     : level == Level::Warning ? ToastArea::tr("Warning")
                                                               : ToastArea::tr("Notification"));
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        close->setText(u"✕"_s);
        close->setAutoRaise(true);
        close->setToolTip(ToastArea::tr("Dismiss"));
        close->setAccessibleName(ToastArea::tr("Dismiss notification"));
        close->setFocusPolicy(Qt::TabFocus);
        row = new QHBoxLayout(this);
        row->setContentsMargins(10, 8, 6, 8);
        row->addWidget(label, 1);
        row->addWidget(close, 0, Qt::AlignTop);
        timer.setSingleShot(true);
    }

    void addAction(const QString &actionText)
    {
        button = new QPushButton(actionText, this);
        button->setFocusPolicy(Qt::TabFocus);
        button->setAccessibleName(actionText);
        row->insertWidget(1, button, 0, Qt::AlignVCenter);
    }

    Level level;
    QString text;
    QLabel *label;
    QToolButton *close;
    QPushButton *button = nullptr;
    QHBoxLayout *row;
    QTimer timer;
    std::function<void()> action;
};

ToastArea::ToastArea(QWidget *host)
    : QWidget(host)
    , m_layout(new QVBoxLayout(this))
{
    setObjectName(u"toasts"_s);
    setAttribute(Qt::WA_ShowWithoutActivating);
    setFocusPolicy(Qt::NoFocus);
    setAccessibleName(tr("Notifications"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(8);
    host->installEventFilter(this);
    hide();
}

ToastArea::~ToastArea() = default;

void ToastArea::showToast(Level level, const QString &text, const QString &actionText,
                          std::function<void()> action)
{
    if (Toast *same = find(text)) {
        same->timer.start(durationMs(same->level));
        return;
    }
    while (m_toasts.size() >= MaxShown) {
        // The oldest news goes first; an error only gives way to another error.
        Toast *oldest = m_toasts.constFirst();
        for (Toast *t : std::as_const(m_toasts)) {
            if (t->level != Level::Error) {
                oldest = t;
                break;
            }
        }
        dismiss(oldest);
    }
    auto *toast = new Toast(level, text, this);
    if (!actionText.isEmpty() && action) {
        toast->addAction(actionText);
        toast->action = std::move(action);
        connect(toast->button, &QPushButton::clicked, this, [this, toast] {
            // The action may show another toast or close the window: take it out first.
            const std::function<void()> run = toast->action;
            dismiss(toast);
            run();
        });
    }
    connect(toast->close, &QToolButton::clicked, this, [this, toast] { dismiss(toast); });
    toast->close->installEventFilter(this);
    if (toast->button)
        toast->button->installEventFilter(this);
    connect(&toast->timer, &QTimer::timeout, this, [this, toast] { dismiss(toast); });
    toast->installEventFilter(this);
    toast->setFixedWidth(Width);
    m_layout->addWidget(toast);
    m_toasts.append(toast);
    toast->timer.start(durationMs(level));
    place();
    show();
    raise();
    QAccessibleEvent alert(toast, QAccessible::Alert);
    QAccessible::updateAccessibility(&alert);
    Q_EMIT toastShown(level, text);
}

QStringList ToastArea::texts() const
{
    QStringList list;
    for (const Toast *t : m_toasts)
        list.append(t->text);
    return list;
}

bool ToastArea::triggerAction(const QString &text)
{
    Toast *toast = find(text);
    if (!toast || !toast->button)
        return false;
    toast->button->click();
    return true;
}

void ToastArea::dismissAll()
{
    while (!m_toasts.isEmpty())
        dismiss(m_toasts.constFirst());
}

int ToastArea::durationMs(Level level) const
{
    const int base = level == Level::Error ? 20000 : level == Level::Warning ? 12000 : 7000;
    return int(base * m_scale);
}

ToastArea::Toast *ToastArea::find(const QString &text) const
{
    for (Toast *t : m_toasts) {
        if (t->text == text)
            return t;
    }
    return nullptr;
}

void ToastArea::dismiss(Toast *toast)
{
    if (!m_toasts.removeOne(toast))
        return;
    toast->timer.stop();
    toast->hide();
    m_layout->removeWidget(toast);
    toast->deleteLater();
    if (m_toasts.isEmpty())
        hide();
    else
        place();
}

void ToastArea::place()
{
    QWidget *host = parentWidget();
    if (!host)
        return;
    m_layout->activate();
    const QSize size(Width, m_layout->sizeHint().height());
    setGeometry(host->width() - size.width() - Margin,
                host->height() - size.height() - BottomClearance, size.width(), size.height());
}

bool ToastArea::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize) {
        place();
    } else if (auto *toast = dynamic_cast<Toast *>(watched)) {
        if (event->type() == QEvent::Enter)
            toast->timer.stop();
        else if (event->type() == QEvent::Leave && !toast->isAncestorOf(focusWidget()))
            toast->timer.start(std::max(AfterHoverMs, toast->timer.remainingTime()));
    } else if (auto *button = qobject_cast<QWidget *>(watched)) {
        // A toast's button: the toast stays while it has the focus; Escape dismisses it.
        auto *owner = dynamic_cast<Toast *>(button->parentWidget());
        if (owner && m_toasts.contains(owner)) {
            if (event->type() == QEvent::FocusIn) {
                owner->timer.stop();
            } else if (event->type() == QEvent::FocusOut && !owner->underMouse()) {
                owner->timer.start(std::max(AfterHoverMs, owner->timer.remainingTime()));
            } else if (event->type() == QEvent::KeyPress
                       && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
                dismiss(owner);
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace livedesk
