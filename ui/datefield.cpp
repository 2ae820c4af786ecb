// SPDX-License-Identifier: MIT
#include "datefield.h"

#include <QtCore/QRegularExpression>
#include <QtWidgets/QCalendarWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QWidgetAction>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

// Two-digit years are ambiguous for a date of birth: the locale's short format with four.
QString fourDigitYears(QString format)
{
    if (!format.contains("yyyy"_L1))
        format.replace("yy"_L1, "yyyy"_L1);
    return format;
}

// The parts of a text or a format: runs of letters or digits.
QStringList parts(const QString &text)
{
    static const QRegularExpression run(u"[\\p{L}\\p{N}]+"_s);
    QStringList out;
    for (auto it = run.globalMatch(text); it.hasNext();)
        out.append(it.next().captured());
    return out;
}

} // namespace

DateField::DateField(bool withTime, QWidget *parent)
    : QLineEdit(parent)
    , m_withTime(withTime)
    , m_format(fourDigitYears(withTime ? QLocale().dateTimeFormat(QLocale::ShortFormat)
                                       : QLocale().dateFormat(QLocale::ShortFormat)))
{
    // The format itself, as a person reads it ("d MMM yyyy"), says what to type.
    setPlaceholderText(QLocale().toString(QDateTime(QDate(2099, 2, 28), QTime(8, 30)), m_format));
    setClearButtonEnabled(true);
    QAction *pick = addAction(QIcon(u":/icons/calendar.svg"_s), QLineEdit::TrailingPosition);
    pick->setText(tr("Choose from a calendar"));
    pick->setToolTip(pick->text());
    pick->setObjectName(u"calendar"_s);
    connect(pick, &QAction::triggered, this, &DateField::showCalendar);
}

QDateTime DateField::parse(QString *problem) const
{
    const QString text = this->text().trimmed();
    if (text.isEmpty())
        return {};
    QDateTime dt;
    if (m_withTime) {
        dt = QLocale().toDateTime(text, m_format);
    } else {
        for (const QString &format : dateFormats()) {
            if (const QDate d = QLocale().toDate(text, format); d.isValid()) {
                dt = QDateTime(d, QTime(0, 0));
                break;
            }
        }
    }
    if (!dt.isValid()) {
        // ISO 8601 is never ambiguous: accepted in any locale.
        static const QRegularExpression iso(
            u"^\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,3})?)?)?$"_s);
        if (iso.match(text).hasMatch()) {
            QString t = text;
            if (t.size() > 10)
                t[10] = u'T';
            const bool timed = t.size() > 10;
            if (timed == m_withTime) {
                dt = timed ? QDateTime::fromString(t, Qt::ISODateWithMs)
                           : QDateTime(QDate::fromString(t, Qt::ISODate), QTime(0, 0));
            }
        }
    }
    if (!dt.isValid() && problem) {
        *problem = impossibleDay(text);
        if (problem->isEmpty()) {
            *problem = m_withTime
                ? tr("“%1” is not a date and time. Write it like %2.").arg(text, placeholderText())
                : tr("“%1” is not a date. Write it like %2.").arg(text, placeholderText());
        }
    }
    return dt;
}

// A sentence when @p text is written like a date but names a day its month does not have
// ("31 Feb 2099", "2099-02-31", or a month 13); empty when it is not written like a date.
QString DateField::impossibleDay(const QString &text) const
{
    const QLocale locale;
    const QStringList textParts = parts(text);
    if (textParts.size() < 3)
        return {};
    // The shapes a date is read in (see dateFormats()), the date part of each.
    QList<QStringList> shapes;
    for (const QString &format : dateFormats()) {
        const QStringList p = parts(format);
        if (p.size() >= 3)
            shapes.append(p.mid(0, 3));
    }
    shapes.append({u"yyyy"_s, u"MM"_s, u"dd"_s});
    QString monthProblem;
    QString yearProblem;
    for (const QStringList &shape : std::as_const(shapes)) {
        int day = 0;
        int month = 0;
        int year = 0;
        bool fits = true;
        for (int i = 0; i < 3 && fits; ++i) {
            const QString &f = shape[i];
            const QString &t = textParts[i];
            bool ok = false;
            const int n = t.toInt(&ok);
            if (f.startsWith(u'd') && f.size() <= 2) {
                day = n;
                fits = ok;
            } else if (f.startsWith(u'y')) {
                year = n;
                fits = ok && t.size() == 4;
                if (ok && t.size() < 4 && yearProblem.isEmpty()) {
                    // "5/2/99": the century is not guessed for a date of birth.
                    yearProblem
                        = tr("Write the year with four digits, like %1.").arg(placeholderText());
                }
            } else if (f.startsWith(u'M') && f.size() <= 2) {
                month = n;
                fits = ok;
            } else if (f.startsWith(u'M')) {
                for (int m = 1; m <= 12 && month == 0; ++m) {
                    for (const auto form : {QLocale::ShortFormat, QLocale::LongFormat}) {
                        if (t.compare(locale.monthName(m, form), Qt::CaseInsensitive) == 0
                            || t.compare(locale.standaloneMonthName(m, form), Qt::CaseInsensitive)
                                == 0)
                            month = m;
                    }
                }
                fits = month != 0;
            } else {
                fits = false;
            }
        }
        if (!fits || year < 1)
            continue;
        if (month < 1 || month > 12) {
            if (monthProblem.isEmpty())
                monthProblem = tr("There is no month %1: months go from 1 to 12.").arg(month);
            continue;
        }
        const QDate first(year, month, 1);
        if (day < 1 || day > first.daysInMonth()) {
            return tr("%1 %2 has %3 days: there is no day %4.")
                .arg(locale.standaloneMonthName(month, QLocale::LongFormat))
                .arg(year)
                .arg(first.daysInMonth())
                .arg(day);
        }
    }
    return monthProblem.isEmpty() ? yearProblem : monthProblem;
}

QStringList DateField::dateFormats() const
{
    // The locale's short format first, then its long one and the international "1 Feb 2099".
    const QLocale locale;
    QStringList formats{fourDigitYears(locale.dateFormat(QLocale::ShortFormat)),
                        locale.dateFormat(QLocale::LongFormat), u"d MMM yyyy"_s};
    formats.removeDuplicates();
    return formats;
}

DateField::State DateField::state() const
{
    if (text().trimmed().isEmpty())
        return State::Empty;
    return parse(nullptr).isValid() ? State::Valid : State::Invalid;
}

QDate DateField::date() const
{
    return parse(nullptr).date();
}

QDateTime DateField::dateTime() const
{
    return parse(nullptr);
}

QString DateField::problem() const
{
    QString why;
    if (state() == State::Invalid)
        parse(&why);
    return why;
}

void DateField::setDate(const QDate &date)
{
    if (!date.isValid()) {
        clear();
        return;
    }
    if (m_withTime) {
        const QDateTime had = dateTime();
        setDateTime(QDateTime(date, had.isValid() ? had.time() : QTime(0, 0)));
        return;
    }
    setText(QLocale().toString(date, m_format));
}

void DateField::setDateTime(const QDateTime &dateTime)
{
    if (!dateTime.isValid()) {
        clear();
        return;
    }
    if (!m_withTime) {
        setDate(dateTime.date());
        return;
    }
    setText(QLocale().toString(dateTime.toLocalTime(), m_format));
}

void DateField::showCalendar()
{
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    auto *calendar = new QCalendarWidget(menu);
    calendar->setObjectName(u"calendar"_s);
    const QDate shown = date();
    calendar->setSelectedDate(shown.isValid() ? shown : QDate::currentDate());
    auto *action = new QWidgetAction(menu);
    action->setDefaultWidget(calendar);
    menu->addAction(action);
    connect(calendar, &QCalendarWidget::activated, this, [this, menu](QDate picked) {
        setDate(picked);
        // As if typed: the form hears of it like of a keystroke.
        Q_EMIT textEdited(text());
        menu->close();
    });
    connect(calendar, &QCalendarWidget::clicked, calendar, &QCalendarWidget::activated);
    menu->popup(mapToGlobal(rect().bottomLeft()));
    calendar->setFocus(Qt::PopupFocusReason);
}

} // namespace livedesk
