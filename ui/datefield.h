// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QDateTime>
#include <QtWidgets/QLineEdit>

namespace livedesk {

/**
 * A date, or a date and time, typed as text and read as a whole, strictly: what the person
 * sees is what is saved, or the field says why it cannot be.
 *
 * QDateEdit is a spin box of sections that keeps its value valid after every keystroke: typed
 * over, "31 Feb 2099" came out as 5 Feb 2099 or 28 Feb 2026, depending on the date shown
 * before (a day that does not fit the month is replaced by another, a section typed while the
 * date would be impossible is dropped), and even a real date typed in one go can lose its day;
 * on focus out, text it cannot read is silently put back to the last value. A record form cannot
 * accept either, so this field keeps the text as typed and reads it only when asked: in the
 * locale's short format with four-digit years (the placeholder shows it), its long format, as "28
 * Feb 2099", or as ISO 8601 (`2099-02-28`, `2099-02-28 08:30`); a date and time in the short format
 * or ISO 8601. Text that names no real day is Invalid with a sentence saying why ("February 2099
 * has 28 days."). Empty text is no value. The calendar button beside the text picks a date with the
 * mouse.
 */
class DateField : public QLineEdit
{
    Q_OBJECT
public:
    /// A date field, or a date-and-time field when @p withTime (times in local time).
    explicit DateField(bool withTime, QWidget *parent = nullptr);

    bool hasTime() const { return m_withTime; }
    /// The format the field shows values in and reads them in (besides ISO 8601).
    QString displayFormat() const { return m_format; }

    /// What the text says.
    enum class State { Empty, Valid, Invalid };
    State state() const;
    /// The date typed (invalid unless Valid); for a date-and-time field, its date.
    QDate date() const;
    /// The date and time typed, in local time (invalid unless Valid).
    QDateTime dateTime() const;
    /// Why the text is no date (or date and time), in a sentence; empty unless Invalid.
    QString problem() const;

    /// Shows @p date in the display format (an invalid date empties the field).
    void setDate(const QDate &date);
    /// Shows @p dateTime in local time (an invalid one empties the field).
    void setDateTime(const QDateTime &dateTime);

    /// Opens the calendar below the field, as its button does.
    void showCalendar();

private:
    QDateTime parse(QString *problem) const;
    QString impossibleDay(const QString &text) const;
    // The formats a date is read in, besides ISO 8601.
    QStringList dateFormats() const;

    bool m_withTime;
    QString m_format;
};

} // namespace livedesk
