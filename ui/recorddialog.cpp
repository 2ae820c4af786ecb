// SPDX-License-Identifier: MIT
#include "recorddialog.h"

#include "conflictdialog.h"
#include "datefield.h"
#include "rest/resterror.h"
#include "state/realtimestatemanager.h"
#include "textlength.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QLocale>
#include <QtCore/QRegularExpression>
#include <QtGui/QAccessible>
#include <QtGui/QKeySequence>
#include <QtGui/QRegularExpressionValidator>
#include <QtGui/QShortcut>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QFrame>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

constexpr double maxSafeInteger = 9007199254740991.0; // 2^53 - 1: what the server accepts

// Letters the dialog's own buttons use as mnemonics: Save, Reload, Keep editing, Cancel.
const QList<QChar> buttonMnemonics{u's', u'r', u'k', u'c'};

// The label with an '&' before its first letter no other label of the dialog uses yet.
QString withMnemonic(const QString &label, QSet<QChar> *used)
{
    QString out;
    bool placed = false;
    for (const QChar c : label) {
        if (!placed && c.isLetterOrNumber() && !used->contains(c.toLower())) {
            used->insert(c.toLower());
            out += u'&';
            placed = true;
        }
        out += c;
        if (c == u'&')
            out += u'&';
    }
    return out;
}

QLocale numberLocale()
{
    QLocale locale;
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    return locale;
}

bool isEmptyValue(const QJsonValue &v)
{
    return v.isNull() || v.isUndefined();
}

// Error text: dark red on the window colour, readable on light and dark themes alike.
void styleAsError(QLabel *label)
{
    label->setStyleSheet(u"color: #b00020;"_s);
}

} // namespace

RecordDialog::RecordDialog(RealtimeStateManager *manager, const QString &recordId, QWidget *parent)
    : QDialog(parent)
    , m_manager(manager)
    , m_schema(manager ? manager->schema() : ResourceSchema())
    , m_recordId(recordId)
    , m_newRecord(recordId.isEmpty())
{
    auto *layout = new QVBoxLayout(this);

    m_banner = new QFrame(this);
    m_banner->setObjectName(u"banner"_s);
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setAccessibleName(tr("Notice"));
    auto *bannerLayout = new QHBoxLayout(m_banner);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bannerText->setStyleSheet(u"color: #1f1f1f;"_s);
    bannerLayout->addWidget(m_bannerText, 1);
    m_reload = new QPushButton(tr("&Reload"), m_banner);
    m_reload->setToolTip(tr("Show their values in the fields you have not changed"));
    m_reload->setAccessibleDescription(m_reload->toolTip());
    m_keepEditing = new QPushButton(tr("&Keep editing"), m_banner);
    m_keepEditing->setToolTip(tr("Leave the form as it is; only your changes will be saved"));
    m_keepEditing->setAccessibleDescription(m_keepEditing->toolTip());
    m_resolve = new QPushButton(m_banner); // its mnemonic: a letter no field took
    m_resolve->setToolTip(tr("Compare your values with theirs and choose which to keep"));
    m_resolve->setAccessibleDescription(m_resolve->toolTip());
    bannerLayout->addWidget(m_reload);
    bannerLayout->addWidget(m_keepEditing);
    bannerLayout->addWidget(m_resolve);
    m_banner->hide();
    layout->addWidget(m_banner);

    m_generalError = new QLabel(this);
    m_generalError->setWordWrap(true);
    m_generalError->setAccessibleName(tr("Problem"));
    m_generalError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    styleAsError(m_generalError);
    m_generalError->hide();
    layout->addWidget(m_generalError);

    QSet<QChar> mnemonics(buttonMnemonics.begin(), buttonMnemonics.end());
    buildForm(layout, &mnemonics);
    m_resolve->setText(withMnemonic(tr("Resolve…"), &mnemonics));

    auto *bottom = new QHBoxLayout;
    m_status = new QLabel(this);
    m_status->setAccessibleName(tr("Status"));
    bottom->addWidget(m_status, 1);
    m_buttons = new QDialogButtonBox(this);
    m_save = m_buttons->addButton(tr("&Save"), QDialogButtonBox::AcceptRole);
    m_save->setDefault(true);
    m_save->setToolTip(
        tr("Save (%1)").arg(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText)));
    QPushButton *cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setText(tr("&Cancel"));
    bottom->addWidget(m_buttons);
    layout->addLayout(bottom);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &RecordDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &RecordDialog::reject);
    connect(m_reload, &QPushButton::clicked, this, &RecordDialog::reloadFromServer);
    connect(m_keepEditing, &QPushButton::clicked, this, &RecordDialog::keepEditing);
    connect(m_resolve, &QPushButton::clicked, this, &RecordDialog::resolveConflict);
    auto *saveShortcut = new QShortcut(QKeySequence::Save, this);
    connect(saveShortcut, &QShortcut::activated, this, [this] {
        if (m_save->isEnabled())
            save();
    });

    // Tab order: banner, fields top to bottom, then the buttons.
    QList<QWidget *> chain{m_reload, m_keepEditing, m_resolve};
    for (const Field &f : m_fields) {
        chain.append(f.editor);
        if (f.useTheirs)
            chain.append(f.useTheirs);
    }
    chain.append(m_save);
    chain.append(cancel);
    for (qsizetype i = 1; i < chain.size(); ++i)
        setTabOrder(chain[i - 1], chain[i]);

    QJsonObject initial;
    if (m_newRecord) {
        for (const ResourceSchema::Column &c : std::as_const(m_schema.columns)) {
            if (!c.defaultValue.isUndefined())
                initial.insert(c.name, c.defaultValue);
        }
        setWindowTitle(tr("New record — %1").arg(m_schema.label));
    } else if (m_manager) {
        initial = m_manager->record(m_manager->rowOf(m_recordId));
        m_seenServer = m_manager->serverRecord(m_recordId);
        QStringList summary;
        for (const ResourceSchema::Column &c : std::as_const(m_schema.columns)) {
            const QJsonValue v = initial.value(c.name);
            if (c.required && !c.system && v.isString() && summary.size() < 2)
                summary.append(v.toString());
        }
        setWindowTitle(summary.isEmpty()
                           ? tr("Record %1 — %2").arg(m_recordId, m_schema.label)
                           : tr("%1 — %2").arg(summary.join(u" · "_s), m_schema.label));
    }
    m_base = initial;
    load(initial);

    watchManager();
    updateSaveEnabled();

    const QSize hint = m_formWidget->sizeHint();
    resize(std::max(520, hint.width() + 60), std::min(hint.height() + 170, 720));
}

void RecordDialog::watchManager()
{
    if (!m_manager)
        return;
    using M = RealtimeStateManager;
    connect(m_manager, &M::operationConfirmed, this, &RecordDialog::onConfirmed);
    connect(m_manager, &M::operationFailed, this, &RecordDialog::onFailed);
    connect(m_manager, &M::conflictDetected, this, &RecordDialog::onConflict);
    if (!m_newRecord) {
        connect(m_manager, &M::rowsChanged, this,
                [this](int first, int last, const QStringList &, bool) {
                    const int row = m_manager->rowOf(m_recordId);
                    if (row < 0 || (row >= first && row <= last))
                        scheduleCheck();
                });
        connect(m_manager, &M::rowsRemoved, this, &RecordDialog::scheduleCheck);
        connect(m_manager, &M::rowsInserted, this, &RecordDialog::scheduleCheck);
        connect(m_manager, &M::synced, this, &RecordDialog::scheduleCheck);
        connect(m_manager, &M::resetDone, this, &RecordDialog::scheduleCheck);
        // The record may already be gone, or have changed since the caller read it.
        scheduleCheck();
    }
    connect(m_manager, &QObject::destroyed, this, &RecordDialog::updateSaveEnabled);
}

void RecordDialog::setManager(RealtimeStateManager *manager)
{
    if (manager == m_manager || m_done)
        return;
    if (m_manager)
        m_manager->disconnect(this);
    // Its conflict dialog worked on the old manager; Resolve opens one on the new.
    if (m_conflictDialog)
        m_conflictDialog->close();
    m_manager = manager;
    if (!m_manager) {
        updateSaveEnabled();
        return;
    }
    watchManager();
    if (m_saving || m_conflict) {
        PendingOperation held;
        for (const PendingOperation &op : m_manager->pendingOperations()) {
            if (op.txnId == m_txnId)
                held = op;
        }
        if (held.txnId.isEmpty()) {
            const bool wasSaving = m_saving;
            if (m_saving)
                setSaving(false);
            m_conflict = false;
            m_txnId.clear();
            hideBanner();
            if (wasSaving) {
                setGeneralError(
                    tr("Your save went out just before the connection changed, and its answer "
                       "was lost: it may or may not be stored. The list shows what the server "
                       "has; check it, then save again if your change is not there."));
            }
            // A conflict not kept anywhere: the form still has the values, and saving
            // again on the same base finds the conflict again.
        } else if (held.state == PendingOperation::State::Conflict && !m_conflict) {
            onConflict(m_txnId);
        }
    }
    updateSaveEnabled();
    scheduleCheck();
}

void RecordDialog::detach(const QString &reason)
{
    if (m_manager)
        m_manager->disconnect(this);
    if (m_conflictDialog)
        m_conflictDialog->close();
    m_manager = nullptr;
    if (m_saving)
        setSaving(false);
    showBanner(reason, false, false, true);
    updateSaveEnabled();
}

RecordDialog::~RecordDialog() = default;

ConflictDialog *RecordDialog::conflictDialog() const
{
    return m_conflictDialog;
}

void RecordDialog::buildForm(QVBoxLayout *layout, QSet<QChar> *mnemonics)
{
    bool anyRequired = false;
    for (const ResourceSchema::Column &c : std::as_const(m_schema.columns))
        anyRequired = anyRequired || (c.required && !c.system && (m_newRecord || c.editable));
    if (anyRequired) {
        auto *legend = new QLabel(tr("Fields marked * must be filled in."), this);
        layout->addWidget(legend);
    }

    auto *scroll = new QScrollArea(this);
    scroll->setAccessibleName(tr("Fields of the record"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_formWidget = new QWidget(scroll);
    auto *formLayout = new QVBoxLayout(m_formWidget);
    formLayout->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    formLayout->addLayout(form);
    // A role that may not save this form reads it: fields that look editable would invite
    // typing that can only be thrown away.
    const bool mayNotSave = !saveRefusal().isEmpty();
    for (const ResourceSchema::Column &c : std::as_const(m_schema.columns)) {
        if (c.system)
            continue;
        addField(c, mayNotSave || (!m_newRecord && !c.editable), form, m_formWidget, mnemonics);
    }
    if (!m_newRecord) {
        // Who changed the record and when: for reading, never for editing.
        auto *details = new QGroupBox(tr("About this record"), m_formWidget);
        auto *detailsForm = new QFormLayout(details);
        bool any = false;
        for (const ResourceSchema::Column &c : std::as_const(m_schema.columns)) {
            if (!c.system)
                continue;
            addField(c, true, detailsForm, details, mnemonics);
            any = true;
        }
        if (any)
            formLayout->addWidget(details);
        else
            delete details;
    }
    formLayout->addStretch(1);
    scroll->setWidget(m_formWidget);
    layout->addWidget(scroll, 1);
}

void RecordDialog::addField(const ResourceSchema::Column &column, bool readOnly, QFormLayout *form,
                            QWidget *formParent, QSet<QChar> *mnemonics)
{
    Field f;
    f.column = column;
    f.readOnly = readOnly;
    const QString name = column.name;
    const QString labelText = column.label.isEmpty() ? column.name : column.label;
    const bool required = column.required && !readOnly;

    auto *cell = new QWidget(formParent);
    auto *cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->setSpacing(2);
    auto *editorRow = new QHBoxLayout;
    cellLayout->addLayout(editorRow);

    const auto markChanged = [this, name] {
        if (Field *changed = field(name); changed && !changed->error->isHidden())
            setFieldError(*changed, {});
    };

    if (readOnly) {
        auto *edit = new QLineEdit(cell);
        edit->setReadOnly(true);
        edit->setFrame(false);
        edit->setFocusPolicy(Qt::TabFocus);
        f.editor = edit;
    } else if (column.type == u"text") {
        auto *edit = new QPlainTextEdit(cell);
        edit->setTabChangesFocus(true);
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 4 + 12);
        connect(edit, &QPlainTextEdit::textChanged, this, markChanged);
        f.editor = edit;
    } else if (column.type == u"boolean") {
        auto *box = new QCheckBox(cell);
        connect(box, &QCheckBox::toggled, this, markChanged);
        f.editor = box;
    } else if (column.type == u"enum") {
        auto *combo = new QComboBox(cell);
        if (!required)
            combo->addItem(tr("(none)"), QVariant());
        for (const QString &v : column.enumValues)
            combo->addItem(v, v);
        combo->setPlaceholderText(tr("Choose…"));
        connect(combo, &QComboBox::currentIndexChanged, this, markChanged);
        f.editor = combo;
    } else if (column.type == u"date" || column.type == u"datetime") {
        // Typed text read as a whole (see DateField: QDateEdit silently changes what is typed);
        // empty text is no date.
        auto *edit = new DateField(column.type == u"datetime", cell);
        connect(edit, &QLineEdit::textEdited, this, markChanged);
        f.editor = edit;
    } else {
        auto *edit = new QLineEdit(cell);
        if (column.type == u"integer") {
            edit->setValidator(
                new QRegularExpressionValidator(QRegularExpression(u"[+-]?[0-9]{0,16}"_s), edit));
            edit->setPlaceholderText(tr("Whole number"));
        } else if (column.type == u"number") {
            edit->setValidator(new QRegularExpressionValidator(
                QRegularExpression(u"[+-]?[0-9]*([.,][0-9]*)?([eE][+-]?[0-9]*)?"_s), edit));
            edit->setPlaceholderText(tr("Number"));
        }
        connect(edit, &QLineEdit::textEdited, this, markChanged);
        f.editor = edit;
    }
    f.editor->setObjectName(name);
    f.editor->setAccessibleName(labelText);
    if (required)
        f.editor->setAccessibleDescription(tr("Required"));
    if (qobject_cast<QCheckBox *>(f.editor)) {
        // Only the box itself reacts to a click: not stretched over empty space.
        editorRow->addWidget(f.editor);
        editorRow->addStretch(1);
    } else {
        editorRow->addWidget(f.editor, 1);
    }

    f.error = new QLabel(cell);
    f.error->setObjectName(name + u"_error"_s);
    f.error->setWordWrap(true);
    f.error->setAccessibleName(tr("Problem with %1").arg(labelText));
    styleAsError(f.error);
    f.error->hide();
    cellLayout->addWidget(f.error);

    if (!readOnly && !m_newRecord) {
        f.note = new QWidget(cell);
        auto *noteLayout = new QHBoxLayout(f.note);
        noteLayout->setContentsMargins(0, 0, 0, 0);
        f.noteText = new QLabel(f.note);
        f.noteText->setWordWrap(true);
        // A wrapped label asks for more width than it needs; it shares the row with a button.
        f.noteText->setMinimumWidth(120);
        f.noteText->setTextInteractionFlags(Qt::TextSelectableByMouse);
        f.useTheirs = new QPushButton(tr("Use their value"), f.note);
        f.useTheirs->setAccessibleName(tr("Use their value for %1").arg(labelText));
        noteLayout->addWidget(f.noteText, 1);
        noteLayout->addWidget(f.useTheirs);
        f.note->hide();
        cellLayout->addWidget(f.note);
        connect(f.useTheirs, &QPushButton::clicked, this, [this, name] { useTheirValue(name); });
    }

    const QString shown = required ? tr("%1 *").arg(labelText) : labelText;
    f.label = new QLabel(withMnemonic(shown, mnemonics) + u':', formParent);
    f.label->setBuddy(f.editor);
    form->addRow(f.label, cell);
    m_fields.push_back(std::move(f));
}

RecordDialog::Field *RecordDialog::field(const QString &name)
{
    for (Field &f : m_fields) {
        if (f.column.name == name)
            return &f;
    }
    return nullptr;
}

const RecordDialog::Field *RecordDialog::field(const QString &name) const
{
    for (const Field &f : m_fields) {
        if (f.column.name == name)
            return &f;
    }
    return nullptr;
}

RealtimeStateManager *RecordDialog::manager() const
{
    return m_manager;
}

QWidget *RecordDialog::editorFor(const QString &name) const
{
    const Field *f = field(name);
    return f ? f->editor : nullptr;
}

QString RecordDialog::errorTextFor(const QString &name) const
{
    const Field *f = field(name);
    return f && !f->error->isHidden() ? f->error->text() : QString();
}

QString RecordDialog::theirValueNoteFor(const QString &name) const
{
    const Field *f = field(name);
    return f && f->note && !f->note->isHidden() ? f->noteText->text() : QString();
}

QString RecordDialog::generalErrorText() const
{
    return m_generalError->isHidden() ? QString() : m_generalError->text();
}

QString RecordDialog::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_bannerText->text();
}

std::optional<QJsonValue> RecordDialog::editorValue(const Field &f, QString *problem) const
{
    const QString &type = f.column.type;
    if (f.readOnly)
        return m_base.value(f.column.name);
    if (auto *plain = qobject_cast<QPlainTextEdit *>(f.editor)) {
        const QString text = plain->toPlainText();
        return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
    }
    if (auto *box = qobject_cast<QCheckBox *>(f.editor))
        return QJsonValue(box->isChecked());
    if (auto *combo = qobject_cast<QComboBox *>(f.editor)) {
        const QVariant data = combo->currentIndex() < 0 ? QVariant() : combo->currentData();
        return data.isValid() ? QJsonValue(data.toString()) : QJsonValue(QJsonValue::Null);
    }
    if (auto *dt = qobject_cast<DateField *>(f.editor)) {
        switch (dt->state()) {
        case DateField::State::Empty:
            return QJsonValue(QJsonValue::Null);
        case DateField::State::Invalid:
            if (problem)
                *problem = dt->problem();
            return std::nullopt;
        case DateField::State::Valid:
            break;
        }
        if (type == u"date")
            return QJsonValue(dt->date().toString(Qt::ISODate));
        return QJsonValue(dt->dateTime().toUTC().toString(Qt::ISODateWithMs));
    }
    auto *edit = qobject_cast<QLineEdit *>(f.editor);
    if (!edit)
        return std::nullopt;
    if (type == u"integer" || type == u"number") {
        const QString text = edit->text().trimmed();
        if (text.isEmpty())
            return QJsonValue(QJsonValue::Null);
        bool ok = false;
        if (type == u"integer") {
            const qint64 n = text.toLongLong(&ok);
            if (!ok) {
                if (problem)
                    *problem = tr("Enter a whole number, for example 42.");
                return std::nullopt;
            }
            if (std::fabs(double(n)) > maxSafeInteger) {
                if (problem)
                    *problem = tr("This number is too large.");
                return std::nullopt;
            }
            return QJsonValue(n);
        }
        double d = numberLocale().toDouble(text, &ok);
        if (!ok)
            d = QLocale::c().toDouble(text, &ok);
        if (!ok || !std::isfinite(d)) {
            if (problem) {
                *problem = tr("Enter a number, for example %1.")
                               .arg(numberLocale().toString(72.5, 'g', 3));
            }
            return std::nullopt;
        }
        return QJsonValue(d);
    }
    const QString text = edit->text();
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

void RecordDialog::setEditorValue(Field &f, const QJsonValue &value)
{
    const QString &type = f.column.type;
    if (f.readOnly) {
        auto *edit = static_cast<QLineEdit *>(f.editor);
        edit->setText(ConflictDialog::displayText(f.column, value));
        edit->setCursorPosition(0);
        return;
    }
    if (auto *plain = qobject_cast<QPlainTextEdit *>(f.editor)) {
        plain->setPlainText(value.isString() ? value.toString() : value.toVariant().toString());
    } else if (auto *box = qobject_cast<QCheckBox *>(f.editor)) {
        box->setChecked(value.toBool());
    } else if (auto *combo = qobject_cast<QComboBox *>(f.editor)) {
        if (isEmptyValue(value)) {
            combo->setCurrentIndex(combo->findData(QVariant()));
        } else {
            const QString v = value.isString() ? value.toString() : value.toVariant().toString();
            int index = combo->findData(v);
            if (index < 0) {
                // Not one of the values the schema lists: kept, so that nothing is lost.
                combo->addItem(v, v);
                index = combo->count() - 1;
            }
            combo->setCurrentIndex(index);
        }
    } else if (auto *dt = qobject_cast<DateField *>(f.editor)) {
        if (type == u"date")
            dt->setDate(QDate::fromString(value.toString().left(10), Qt::ISODate));
        else
            dt->setDateTime(QDateTime::fromString(value.toString(), Qt::ISODateWithMs));
        dt->setCursorPosition(0);
    } else if (auto *edit = qobject_cast<QLineEdit *>(f.editor)) {
        QString text;
        if (value.isDouble() && type == u"integer")
            text = numberLocale().toString(value.toInteger());
        else if (value.isDouble() && type == u"number")
            text = numberLocale().toString(value.toDouble(), 'g', QLocale::FloatingPointShortest);
        else if (!isEmptyValue(value))
            text = value.isString() ? value.toString() : value.toVariant().toString();
        edit->setText(text);
        edit->setCursorPosition(0);
    }
}

bool RecordDialog::isTouched(const Field &f) const
{
    if (f.readOnly)
        return false;
    const std::optional<QJsonValue> now = editorValue(f);
    return !now || *now != f.loaded;
}

void RecordDialog::load(const QJsonObject &record)
{
    for (Field &f : m_fields) {
        setEditorValue(f, record.value(f.column.name));
        f.loaded = editorValue(f).value_or(QJsonValue());
        if (f.note)
            f.note->hide();
    }
}

QJsonObject RecordDialog::values() const
{
    QJsonObject out;
    for (const Field &f : m_fields) {
        if (const std::optional<QJsonValue> v = editorValue(f))
            out.insert(f.column.name, *v);
    }
    return out;
}

QJsonObject RecordDialog::changes() const
{
    QJsonObject out;
    for (const Field &f : m_fields) {
        if (f.readOnly)
            continue;
        const std::optional<QJsonValue> v = editorValue(f);
        if (!v)
            continue;
        if (m_newRecord ? !isEmptyValue(*v) : *v != f.loaded)
            out.insert(f.column.name, *v);
    }
    return out;
}

void RecordDialog::setFieldError(Field &f, const QString &text)
{
    f.error->setText(text);
    f.error->setVisible(!text.isEmpty());
    const bool required = f.column.required && !f.readOnly;
    QString description = required ? tr("Required") : QString();
    if (!text.isEmpty())
        description = description.isEmpty() ? text : tr("%1. %2").arg(description, text);
    f.editor->setAccessibleDescription(description);
}

void RecordDialog::setGeneralError(const QString &text)
{
    m_generalError->setText(text);
    m_generalError->setVisible(!text.isEmpty());
    if (!text.isEmpty())
        announce(m_generalError, text);
}

void RecordDialog::clearErrors()
{
    for (Field &f : m_fields)
        setFieldError(f, {});
    setGeneralError({});
}

bool RecordDialog::validate()
{
    clearErrors();
    Field *first = nullptr;
    for (Field &f : m_fields) {
        if (f.readOnly)
            continue;
        QString problem;
        const std::optional<QJsonValue> v = editorValue(f, &problem);
        // An edit is judged on what the user changed: an old record may lack a value that is
        // required today, and that must not block saving another field.
        if (!m_newRecord && v && *v == f.loaded)
            continue;
        if (v && isEmptyValue(*v) && f.column.required) {
            problem = tr("This field is required.");
        } else if (v && v->isString() && f.column.required && v->toString().trimmed().isEmpty()) {
            problem = tr("This field must not be blank.");
        } else if (v && v->isString() && f.column.maxLength > 0
                   && (f.column.type == u"string" || f.column.type == u"text")) {
            const qsizetype length = TextLength::codePoints(v->toString());
            if (length > f.column.maxLength) {
                problem = (f.column.maxLength == 1 ? tr("At most one character; this has %1.")
                                                   : tr("At most %n characters; this has %1.",
                                                        nullptr, f.column.maxLength))
                              .arg(length);
            }
        } else if (v) {
            problem = boundProblem(f.column, *v);
        }
        if (!problem.isEmpty()) {
            setFieldError(f, problem);
            if (!first)
                first = &f;
        }
    }
    if (first) {
        setGeneralError(tr("Some fields need attention; see the messages below them."));
        first->editor->setFocus(Qt::OtherFocusReason);
        return false;
    }
    return true;
}

void RecordDialog::save()
{
    if (!m_manager || m_saving || m_done || m_deleted || m_conflict)
        return;
    if (!validate())
        return;
    const QJsonObject values = changes();
    if (!m_newRecord && values.isEmpty()) {
        // Nothing changed: nothing to send.
        m_done = true;
        accept();
        return;
    }
    m_sending = values;
    setSaving(true);
    // An edit is based on what the form was loaded with (or reloaded with): a field someone
    // else changed since then is theirs to keep unless the user decides otherwise.
    m_txnId = m_newRecord ? m_manager->createRecord(values)
                          : m_manager->updateRecord(m_recordId, values, m_base);
    if (m_manager->mode() == RealtimeStateManager::Mode::Live && !m_manager->isConnected()) {
        // Live mode queues the change (the list shows it as waiting) and sends it when the
        // connection is back; the user need not wait here for that.
        m_done = true;
        accept();
    }
}

void RecordDialog::setSaving(bool saving)
{
    m_saving = saving;
    if (saving)
        m_focusBeforeSave = focusWidget();
    m_formWidget->setEnabled(!saving);
    if (!saving && m_focusBeforeSave)
        m_focusBeforeSave->setFocus(Qt::OtherFocusReason);
    m_status->setText(saving ? tr("Saving…") : QString());
    if (saving)
        announce(m_status, m_status->text());
    updateSaveEnabled();
}

void RecordDialog::updateSaveEnabled()
{
    const QString refusal = saveRefusal();
    m_save->setEnabled(m_manager && !m_saving && !m_deleted && !m_conflict && !m_done
                       && refusal.isEmpty());
    m_save->setToolTip(
        refusal.isEmpty()
            ? tr("Save (%1)")
                  .arg(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText))
            : refusal);
}

QString RecordDialog::saveRefusal() const
{
    return m_schema.refusal(m_newRecord ? ResourceSchema::Action::Create
                                        : ResourceSchema::Action::Update);
}

void RecordDialog::announce(QWidget *widget, const QString &text)
{
    widget->setAccessibleDescription(text);
    QAccessibleEvent event(widget, QAccessible::Alert);
    QAccessible::updateAccessibility(&event);
}

void RecordDialog::showBanner(const QString &text, bool offerReload, bool offerResolve, bool severe)
{
    // Where the user was typing: the banner's buttons take the focus when pressed, and it goes
    // back there once the banner has been dealt with.
    if (QWidget *focus = focusWidget(); focus && m_formWidget->isAncestorOf(focus))
        m_focusBeforeBanner = focus;
    m_bannerText->setText(text);
    m_reload->setVisible(offerReload);
    m_keepEditing->setVisible(offerReload);
    m_resolve->setVisible(offerResolve);
    m_banner->setStyleSheet(severe ? u"QFrame#banner { background: #fde7e9; border: 1px solid "
                                     u"#c50f1f; border-radius: 4px; }"_s
                                   : u"QFrame#banner { background: #fff4ce; border: 1px solid "
                                     u"#d4a300; border-radius: 4px; }"_s);
    m_banner->show();
    announce(m_bannerText, text);
}

void RecordDialog::hideBanner()
{
    const bool hadFocus = m_banner->isAncestorOf(focusWidget());
    m_banner->hide();
    m_bannerText->clear();
    if (hadFocus && m_focusBeforeBanner && m_focusBeforeBanner->isEnabled())
        m_focusBeforeBanner->setFocus(Qt::OtherFocusReason);
}

QString RecordDialog::serverFieldMessage(const Field &f, const QJsonObject &detail) const
{
    const QString code = detail.value(u"code").toString();
    const QString said = detail.value(u"message").toString();
    if (code == u"REQUIRED")
        return tr("This field is required.");
    if (code == u"UNIQUE") {
        const QJsonValue value = detail.value(u"value");
        return isEmptyValue(value) ? tr("Another record already has this value.")
                                   : tr("Another record already has “%1”.")
                                         .arg(ConflictDialog::displayText(f.column, value));
    }
    if (code == u"MAX_LENGTH" && f.column.maxLength > 0)
        return f.column.maxLength == 1 ? tr("At most one character.")
                                       : tr("At most %n characters.", nullptr, f.column.maxLength);
    if (code == u"INVALID_ENUM")
        return tr("Choose one of the listed values.");
    if (code == u"INVALID_DATE")
        return tr("Enter a real date.");
    if (code == u"IN_FUTURE" || code == u"OUT_OF_RANGE") {
        if (const QString bound = boundProblem(f.column, detail.value(u"value")); !bound.isEmpty())
            return bound;
        if (code == u"IN_FUTURE")
            return tr("This cannot be in the future.");
    }
    return said.isEmpty() ? tr("The server did not accept this value.") : said;
}

QString RecordDialog::boundProblem(const ResourceSchema::Column &column,
                                   const QJsonValue &value) const
{
    const auto shown = [&column](const QString &bound) {
        return ConflictDialog::displayText(column, bound);
    };
    switch (ResourceSchema::bound(column, value)) {
    case ResourceSchema::Bound::Within:
        break;
    case ResourceSchema::Bound::BeforeMin:
        return tr("This is too early: the earliest allowed is %1.").arg(shown(column.min));
    case ResourceSchema::Bound::AfterMax:
        return tr("This is too late: the latest allowed is %1.").arg(shown(column.max));
    case ResourceSchema::Bound::InFuture:
        return column.type == u"date" ? tr("This cannot be in the future: today is %1.")
                                            .arg(shown(QDate::currentDate().toString(Qt::ISODate)))
                                      : tr("This cannot be in the future.");
    }
    return {};
}

QString RecordDialog::generalMessage(const RestError &error) const
{
    if (error.code == u"OFFLINE")
        return tr("Not connected to the server, so the change cannot be saved now. Try again "
                  "when the connection is back.");
    if (error.isNetworkError())
        return tr("The server did not answer. Check the connection and try again.");
    if (error.code == u"VERSION_CONFLICT")
        return tr("Someone else saved this record after you opened it. Their version is being "
                  "loaded; check it, then save again.");
    if (error.code == u"NOT_FOUND")
        return tr("This record no longer exists on the server.");
    if (error.httpStatus == 401 || error.httpStatus == 403)
        return tr("You are not allowed to make this change.");
    if (error.message.isEmpty())
        return tr("The server refused the change.");
    return tr("The server refused the change: %1").arg(error.message);
}

void RecordDialog::onConfirmed(const QString &txnId, const QString &recordId)
{
    if (txnId != m_txnId || m_done)
        return;
    m_saving = false;
    m_done = true;
    if (m_newRecord)
        m_recordId = recordId;
    Q_EMIT saved(recordId);
    accept();
}

void RecordDialog::onFailed(const QString &txnId, const RestError &error)
{
    if (txnId != m_txnId || m_done)
        return;
    m_txnId.clear();
    setSaving(false);
    clearErrors();

    Field *first = nullptr;
    QStringList unplaced;
    const QJsonArray details = error.fieldErrors();
    for (const QJsonValue &v : details) {
        const QJsonObject detail = v.toObject();
        Field *f = field(detail.value(u"field").toString());
        if (!f || f->readOnly) {
            const QString said = detail.value(u"message").toString();
            if (!said.isEmpty())
                unplaced.append(said);
            continue;
        }
        const QString text = serverFieldMessage(*f, detail);
        setFieldError(*f, f->error->isHidden() ? text : tr("%1 %2").arg(f->error->text(), text));
        if (!first)
            first = f;
    }
    if (!unplaced.isEmpty()) {
        setGeneralError(tr("The server did not accept the values: %1").arg(unplaced.join(u" "_s)));
    } else if (first) {
        setGeneralError(tr("Some values were not accepted; see the messages below the fields."));
    } else {
        setGeneralError(generalMessage(error));
    }
    if (first)
        first->editor->setFocus(Qt::OtherFocusReason);

    if (error.code == u"VERSION_CONFLICT" && m_manager)
        m_manager->reload();
    scheduleCheck();
}

QString RecordDialog::authorOf(const QJsonObject &record) const
{
    return m_people.authorOf(m_recordId, record);
}

QString RecordDialog::fieldList(const QStringList &fields) const
{
    QStringList labels;
    for (const QString &name : fields) {
        const ResourceSchema::Column *c = m_schema.column(name);
        labels.append(c && !c->label.isEmpty() ? c->label : name);
    }
    return QLocale().createSeparatedList(labels);
}

void RecordDialog::onConflict(const QString &txnId)
{
    if (txnId != m_txnId || m_done)
        return;
    setSaving(false);
    m_conflict = true;
    updateSaveEnabled();
    PendingOperation op;
    if (m_manager) {
        const QList<PendingOperation> conflicts = m_manager->conflicts();
        for (const PendingOperation &c : conflicts) {
            if (c.txnId == txnId)
                op = c;
        }
    }
    const QString who = authorOf(op.theirs);
    const QString fields = fieldList(op.conflictingFields());
    QString text;
    if (op.theirs.isEmpty() && !op.txnId.isEmpty())
        text = tr("Someone else deleted this record while you were editing it. Choose whether to "
                  "create it again with your values.");
    else if (who.isEmpty() || fields.isEmpty())
        text = tr("Someone else changed the same fields while you were editing this record. "
                  "Choose which values to keep.");
    else
        text = tr("%1 changed %2 while you were editing this record. Choose which values to "
                  "keep.")
                   .arg(who, fields);
    showBanner(text, false, true, false);
}

void RecordDialog::resolveConflict()
{
    if (!m_conflict || !m_manager)
        return;
    if (m_conflictDialog) {
        m_conflictDialog->raise();
        m_conflictDialog->activateWindow();
        return;
    }
    m_conflictDialog = new ConflictDialog(m_manager, m_txnId, m_people, this);
    m_conflictDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_conflictDialog, &QDialog::accepted, this, [this] {
        // The user has decided; the list shows how the change fares from here.
        m_done = true;
        accept();
    });
    m_conflictDialog->open();
}

void RecordDialog::scheduleCheck()
{
    if (m_newRecord || m_checkScheduled || m_done)
        return;
    m_checkScheduled = true;
    // Once the manager's batch is complete: a reload may remove and insert the same row.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_checkScheduled = false;
            checkServerRecord();
        },
        Qt::QueuedConnection);
}

void RecordDialog::checkServerRecord()
{
    // While saving, the record changes because of this very save; look after the answer.
    if (!m_manager || m_done || m_saving || m_conflict)
        return;
    const int row = m_manager->rowOf(m_recordId);
    const QJsonObject server = m_manager->serverRecord(m_recordId);
    if (row < 0 && server.isEmpty()) {
        // A reset or first load shows no rows until the read ends: wait for it.
        if (m_manager->isLoading())
            return;
        if (!m_deleted) {
            m_deleted = true;
            m_externalChange = false;
            m_externalFields.clear();
            for (Field &f : m_fields) {
                if (f.note)
                    f.note->hide();
            }
            showBanner(tr("This record was deleted by someone else. Your changes can no longer "
                          "be saved."),
                       false, false, true);
            updateSaveEnabled();
        }
        return;
    }
    if (m_deleted) {
        m_deleted = false;
        hideBanner();
        updateSaveEnabled();
    }
    if (server.isEmpty() || server == m_seenServer)
        return;

    QStringList changed;
    for (const ResourceSchema::Column &c : std::as_const(m_schema.columns)) {
        if (c.system || c.name == m_schema.idField || c.name == m_schema.versionField)
            continue;
        const QJsonValue now = server.value(c.name);
        // A server value the form started from (an earlier change of this user, confirmed
        // now) is no news.
        if (now != m_seenServer.value(c.name) && now != m_base.value(c.name))
            changed.append(c.name);
    }
    if (changed.isEmpty()) {
        if (!m_externalChange) {
            m_seenServer = server;
            for (Field &f : m_fields) {
                if (f.readOnly)
                    setEditorValue(f, server.value(f.column.name));
            }
        }
        return;
    }
    if (m_externalChange && changed == m_externalFields)
        return;
    m_externalChange = true;
    m_externalFields = changed;
    const QString who = authorOf(server);
    const QString fields = fieldList(changed);
    showBanner(who.isEmpty()
                   ? tr("Someone else changed %1 while you were editing this record. Reload to "
                        "see their values, or keep editing; if you change a field they changed "
                        "too, you will be asked which value to keep.")
                         .arg(fields)
                   : tr("%1 changed %2 while you were editing this record. Reload to see the new "
                        "values, or keep editing; if you change a field they changed too, you "
                        "will be asked which value to keep.")
                         .arg(who, fields),
               true, false, false);
}

void RecordDialog::reloadFromServer()
{
    if (!m_manager || m_saving || m_done)
        return;
    const int row = m_manager->rowOf(m_recordId);
    if (row < 0)
        return;
    const QJsonObject shown = m_manager->record(row);
    const QString who = authorOf(m_manager->serverRecord(m_recordId));
    QWidget *firstNote = nullptr;
    for (Field &f : m_fields) {
        const QJsonValue now = shown.value(f.column.name);
        if (f.readOnly) {
            setEditorValue(f, now);
            continue;
        }
        if (now == m_base.value(f.column.name))
            continue;
        if (!isTouched(f)) {
            setEditorValue(f, now);
            f.loaded = editorValue(f).value_or(QJsonValue());
            if (f.note)
                f.note->hide();
            continue;
        }
        // Changed on both sides: the user's value stays, theirs is offered beside it.
        f.loaded = now;
        const std::optional<QJsonValue> mine = editorValue(f);
        if (mine && *mine == now) {
            if (f.note)
                f.note->hide();
            continue;
        }
        f.theirs = now;
        if (f.note) {
            const QString value = ConflictDialog::displayText(f.column, now);
            f.noteText->setText(who.isEmpty() ? tr("Someone else changed this to “%1”.").arg(value)
                                              : tr("%1 changed this to “%2”.").arg(who, value));
            f.note->show();
            if (!firstNote)
                firstNote = f.useTheirs;
        }
    }
    m_base = shown;
    m_seenServer = m_manager->serverRecord(m_recordId);
    m_externalChange = false;
    m_externalFields.clear();
    hideBanner();
    if (firstNote)
        announce(firstNote, tr("Some fields you changed were also changed by someone else."));
}

void RecordDialog::keepEditing()
{
    if (!m_manager)
        return;
    m_seenServer = m_manager->serverRecord(m_recordId);
    m_externalChange = false;
    m_externalFields.clear();
    hideBanner();
}

void RecordDialog::useTheirValue(const QString &name)
{
    Field *f = field(name);
    if (!f || f->readOnly || !f->note || f->note->isHidden())
        return;
    setEditorValue(*f, f->theirs);
    f->loaded = editorValue(*f).value_or(QJsonValue());
    f->note->hide();
    f->editor->setFocus(Qt::OtherFocusReason);
}

} // namespace livedesk
