// SPDX-License-Identifier: MIT
#include "conflictdialog.h"

#include "realtimetablemodel.h"

#include <QtCore/QDateTime>
#include <QtCore/QLocale>
#include <QtGui/QAccessible>
#include <QtGui/QFontMetrics>
#include <QtWidgets/QButtonGroup>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFrame>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QRadioButton>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace livedesk {

namespace {

// Undefined (a key the record lacks) and null both mean "no value".
QJsonValue valueOf(const QJsonObject &record, const QString &field)
{
    const QJsonValue v = record.value(field);
    return v.isUndefined() ? QJsonValue(QJsonValue::Null) : v;
}

constexpr int ValueWidth = 240;

} // namespace

QString ConflictDialog::displayText(const ResourceSchema::Column &column, const QJsonValue &value)
{
    const QString text = RealtimeTableModel::displayText(column, value);
    return text.isEmpty() ? tr("(empty)") : text;
}

ConflictDialog::ConflictDialog(RealtimeStateManager *manager, const QString &txnId, QWidget *parent)
    : ConflictDialog(manager, txnId, People(), parent)
{
}

ConflictDialog::ConflictDialog(RealtimeStateManager *manager, const QString &txnId,
                               const People &people, QWidget *parent)
    : QDialog(parent)
    , m_manager(manager)
    , m_txnId(txnId)
    , m_people(people)
{
    if (m_manager) {
        const QList<PendingOperation> conflicts = m_manager->conflicts();
        for (const PendingOperation &op : conflicts) {
            if (op.txnId == txnId) {
                m_op = op;
                m_found = true;
                break;
            }
        }
        setWindowTitle(tr("Resolve a conflict — %1").arg(m_manager->schema().label));
    } else {
        setWindowTitle(tr("Resolve a conflict"));
    }
    build();
    if (m_manager) {
        connect(m_manager, &RealtimeStateManager::stateChanged, this,
                &ConflictDialog::onManagerStateChanged);
        connect(m_manager, &QObject::destroyed, this, &ConflictDialog::onManagerStateChanged);
    }
    updateApply();
}

ConflictDialog::~ConflictDialog() = default;

void ConflictDialog::build()
{
    auto *layout = new QVBoxLayout(this);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setAccessibleName(tr("What happened"));
    layout->addWidget(m_message);

    m_gonePanel = new QLabel(this);
    m_gonePanel->setWordWrap(true);
    m_gonePanel->setObjectName(u"gone"_s);
    m_gonePanel->setStyleSheet(u"QLabel#gone { background: #fde7e9; color: #1f1f1f; "
                               u"border: 1px solid #c50f1f; border-radius: 4px; padding: 6px; }"_s);
    m_gonePanel->setAccessibleName(tr("Notice"));
    m_gonePanel->hide();
    layout->addWidget(m_gonePanel);

    auto *buttons = new QDialogButtonBox(this);
    m_allMine = new QPushButton(tr("Keep all &mine"), this);
    m_allTheirs = new QPushButton(tr("Take all &theirs"), this);
    m_apply = new QPushButton(tr("&Apply"), this);
    m_apply->setDefault(true);
    QPushButton *later = buttons->addButton(tr("&Decide later"), QDialogButtonBox::RejectRole);
    m_later = later;
    later->setToolTip(tr("Close; the change keeps waiting for your decision"));
    m_allMine->setToolTip(tr("Choose your value for every field"));
    m_allTheirs->setToolTip(tr("Choose their value for every field"));
    m_apply->setToolTip(tr("Save the chosen values"));
    for (QPushButton *b : {m_allMine, m_allTheirs, m_apply, later})
        b->setAccessibleDescription(b->toolTip());
    connect(m_allMine, &QPushButton::clicked, this, [this] { chooseAll(Choice::Mine); });
    connect(m_allTheirs, &QPushButton::clicked, this, [this] { chooseAll(Choice::Theirs); });
    connect(m_apply, &QPushButton::clicked, this, &ConflictDialog::apply);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConflictDialog::reject);

    if (!m_found) {
        m_gone = true;
        m_message->setText(tr("This conflict has already been resolved, so there is nothing "
                              "left to choose."));
        m_allMine->hide();
        m_allTheirs->hide();
        auto *bottom = new QHBoxLayout;
        bottom->addStretch(1);
        bottom->addWidget(m_apply);
        bottom->addWidget(buttons);
        layout->addLayout(bottom);
        return;
    }

    const ResourceSchema schema = m_manager->schema();
    const bool deletedByThem = m_op.kind != PendingOperation::Kind::Delete && m_op.theirs.isEmpty();
    const bool deletedByMe = m_op.kind == PendingOperation::Kind::Delete;
    m_perField = !deletedByThem && !deletedByMe;

    // Which record: its first required text values, from whichever side still has it.
    const QJsonObject known = m_op.theirs.isEmpty() ? m_op.base : m_op.theirs;
    QStringList summary;
    for (const ResourceSchema::Column &c : schema.columns) {
        const QJsonValue v = known.value(c.name);
        if (c.required && !c.system && v.isString() && summary.size() < 2)
            summary.append(v.toString());
    }
    const QString which
        = summary.isEmpty() ? tr("record %1").arg(m_op.recordId) : summary.join(u" · "_s);
    // Who: their record says, or (deleted) the last change event about it.
    const QString who = m_people.authorOf(m_op.recordId, m_op.theirs);
    if (deletedByThem) {
        m_message->setText(
            who.isEmpty()
                ? tr("Someone else deleted %1 while your change was waiting to be saved. Create "
                     "it again with your values, or leave it deleted?")
                      .arg(which)
                : tr("%1 deleted %2 while your change was waiting to be saved. Create it again "
                     "with your values, or leave it deleted?")
                      .arg(who, which));
    } else if (deletedByMe) {
        m_message->setText(who.isEmpty()
                               ? tr("You deleted %1, but someone else changed it meanwhile. "
                                    "Delete it anyway, or keep it with their changes?")
                                     .arg(which)
                               : tr("You deleted %1, but %2 changed it meanwhile. Delete it "
                                    "anyway, or keep it with their changes?")
                                     .arg(which, who));
    } else {
        // Which of the fields the user changed they changed too.
        QStringList labels;
        for (const QString &name : m_op.conflictingFields()) {
            const ResourceSchema::Column *c = schema.column(name);
            labels.append(c && !c->label.isEmpty() ? c->label : name);
        }
        const QString fields = QLocale().createSeparatedList(labels);
        if (who.isEmpty() || fields.isEmpty())
            m_message->setText(tr("Someone else changed %1 while you were editing it. For each "
                                  "field, choose whether to keep your value or theirs.")
                                   .arg(which));
        else
            m_message->setText(tr("%1 changed %2 of %3 while you were editing it. For each "
                                  "field, choose whether to keep your value or theirs.")
                                   .arg(who, fields, which));
    }

    // The fields: those of my change, in the schema's order (for a delete of mine, those they
    // changed).
    QStringList names;
    const QJsonObject mineFields = deletedByMe ? QJsonObject() : m_op.values;
    for (const ResourceSchema::Column &c : schema.columns) {
        if (c.name == schema.idField || c.name == schema.versionField)
            continue;
        if (deletedByMe) {
            // What they changed; a timestamp only where its shown text changed too.
            const QJsonValue before = valueOf(m_op.base, c.name);
            const QJsonValue now = valueOf(m_op.theirs, c.name);
            if (before != now && (!c.system || displayText(c, before) != displayText(c, now)))
                names.append(c.name);
        } else if (mineFields.contains(c.name)) {
            names.append(c.name);
        }
    }
    for (auto it = mineFields.begin(); it != mineFields.end(); ++it) {
        if (!names.contains(it.key()) && it.key() != schema.idField
            && it.key() != schema.versionField)
            names.append(it.key());
    }

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *gridWidget = new QWidget(scroll);
    m_choices = gridWidget;
    auto *grid = new QGridLayout(gridWidget);
    grid->setHorizontalSpacing(18);
    grid->setVerticalSpacing(10);
    const QStringList headers{tr("Field"), tr("Before"), tr("Yours"),
                              deletedByThem ? tr("Theirs") : tr("Theirs (on the server now)")};
    for (int c = 0; c < headers.size(); ++c) {
        auto *h = new QLabel(headers[c], gridWidget);
        QFont bold = h->font();
        bold.setBold(true);
        h->setFont(bold);
        grid->addWidget(h, 0, c);
    }
    auto *line = new QFrame(gridWidget);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    grid->addWidget(line, 1, 0, 1, 4);

    int gridRow = 2;
    for (const QString &name : std::as_const(names)) {
        Row r;
        const ResourceSchema::Column *column = schema.column(name);
        if (column) {
            r.column = *column;
        } else {
            r.column.name = name;
            r.column.label = name;
        }
        if (r.column.label.isEmpty())
            r.column.label = name;
        r.base = valueOf(m_op.base, name);
        r.mine = deletedByMe ? QJsonValue(QJsonValue::Undefined) : valueOf(m_op.values, name);
        r.theirs = deletedByThem ? QJsonValue(QJsonValue::Undefined) : valueOf(m_op.theirs, name);
        if (m_perField) {
            r.asked = r.mine != r.theirs;
            r.both = r.asked && r.theirs != r.base && r.mine != r.base;
        }
        m_rows.append(r);
        addRow(grid, gridRow, m_rows.last());
        gridRow += 1;
    }
    grid->setColumnStretch(4, 1);
    grid->setRowStretch(gridRow, 1);
    scroll->setWidget(gridWidget);
    layout->addWidget(scroll, 1);

    if (!m_perField) {
        m_recordGroup = new QButtonGroup(this);
        m_recordGroup->setExclusive(true);
        auto *mine = new QRadioButton(
            deletedByMe ? tr("De&lete it anyway") : tr("C&reate it again with my values"), this);
        auto *theirs = new QRadioButton(
            deletedByMe ? tr("&Keep it, with their changes") : tr("&Leave it deleted"), this);
        m_recordGroup->addButton(mine, int(Choice::Mine));
        m_recordGroup->addButton(theirs, int(Choice::Theirs));
        if (deletedByThem) {
            // Created again from what this side knows: the values before the change and the
            // change. A required value missing there would only be refused by the server.
            QJsonObject had = m_op.base;
            for (auto it = m_op.values.begin(); it != m_op.values.end(); ++it)
                had.insert(it.key(), it.value());
            QStringList missing;
            for (const ResourceSchema::Column &c : schema.columns) {
                if (!c.system && c.required && c.defaultValue.isUndefined()
                    && valueOf(had, c.name).isNull())
                    missing.append(c.label.isEmpty() ? c.name : c.label);
            }
            if (!missing.isEmpty()) {
                mine->setEnabled(false);
                auto *why = new QLabel(
                    tr("It cannot be created again from here: this computer does not have its "
                       "%1. If it is still needed, create a new record.")
                        .arg(QLocale().createSeparatedList(missing)),
                    this);
                why->setWordWrap(true);
                mine->setAccessibleDescription(why->text());
                layout->addWidget(why);
            }
        }
        // As wide as their text: a click beside it must not choose.
        layout->addWidget(mine, 0, Qt::AlignLeft);
        layout->addWidget(theirs, 0, Qt::AlignLeft);
        connect(m_recordGroup, &QButtonGroup::idToggled, this, &ConflictDialog::updateApply);
    }

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_allMine);
    bottom->addWidget(m_allTheirs);
    bottom->addStretch(1);
    bottom->addWidget(m_apply);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);
    if (!m_perField) {
        // One choice for the whole record: the two radio buttons say it better.
        m_allMine->hide();
        m_allTheirs->hide();
    }

    const QSize hint = gridWidget->sizeHint();
    resize(std::clamp(hint.width() + 40, 560, 960), std::clamp(hint.height() + 200, 300, 720));
}

void ConflictDialog::addRow(QGridLayout *grid, int gridRow, Row &r)
{
    QWidget *parent = grid->parentWidget();
    const QString label = r.column.label;

    auto *fieldCell = new QWidget(parent);
    auto *fieldLayout = new QVBoxLayout(fieldCell);
    fieldLayout->setContentsMargins(0, 0, 0, 0);
    fieldLayout->setSpacing(0);
    auto *name = new QLabel(label, fieldCell);
    QFont bold = name->font();
    bold.setBold(true);
    name->setFont(bold);
    fieldLayout->addWidget(name);
    QString state;
    if (!m_perField)
        state = QString();
    else if (!r.asked)
        state = tr("Same on both sides");
    else if (r.both)
        state = tr("Changed by both — choose one");
    else if (r.theirs == r.base)
        state = tr("Changed by you");
    else
        state = tr("Changed by them");
    if (!state.isEmpty()) {
        auto *stateLabel = new QLabel(state, fieldCell);
        if (r.both)
            stateLabel->setStyleSheet(u"color: #a04000; font-weight: bold;"_s);
        fieldLayout->addWidget(stateLabel);
    }
    grid->addWidget(fieldCell, gridRow, 0, Qt::AlignTop);

    const auto valueLabel = [parent](const QString &text) {
        auto *l = new QLabel(text, parent);
        l->setWordWrap(true);
        l->setMaximumWidth(ValueWidth);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return l;
    };
    const QString deleted = tr("(deleted)");
    const QString baseText = displayText(r.column, r.base);
    const QString mineText = r.mine.isUndefined() ? deleted : displayText(r.column, r.mine);
    const QString theirsText = r.theirs.isUndefined() ? deleted : displayText(r.column, r.theirs);
    grid->addWidget(valueLabel(baseText), gridRow, 1, Qt::AlignTop);

    if (!r.asked) {
        grid->addWidget(valueLabel(mineText), gridRow, 2, Qt::AlignTop);
        grid->addWidget(valueLabel(theirsText), gridRow, 3, Qt::AlignTop);
        return;
    }
    r.group = new QButtonGroup(this);
    r.group->setExclusive(true);
    const QFontMetrics metrics(font());
    const auto radio = [&](const QString &text, const QString &accessible) {
        QString oneLine = text;
        oneLine.replace(u'\n', u' ');
        auto *b = new QRadioButton(metrics.elidedText(oneLine, Qt::ElideRight, ValueWidth), parent);
        b->setAccessibleName(accessible);
        if (oneLine != b->text())
            b->setToolTip(text);
        return b;
    };
    auto *mine = radio(mineText, tr("%1: keep yours, %2").arg(label, mineText));
    auto *theirs = radio(theirsText, tr("%1: take theirs, %2").arg(label, theirsText));
    r.group->addButton(mine, int(Choice::Mine));
    r.group->addButton(theirs, int(Choice::Theirs));
    grid->addWidget(mine, gridRow, 2, Qt::AlignTop);
    grid->addWidget(theirs, gridRow, 3, Qt::AlignTop);
    if (!r.both)
        (r.theirs == r.base ? mine : theirs)->setChecked(true);
    connect(r.group, &QButtonGroup::idToggled, this, &ConflictDialog::updateApply);
}

const ConflictDialog::Row *ConflictDialog::row(const QString &field) const
{
    for (const Row &r : m_rows) {
        if (r.column.name == field)
            return &r;
    }
    return nullptr;
}

QStringList ConflictDialog::fields() const
{
    QStringList out;
    for (const Row &r : m_rows)
        out.append(r.column.name);
    return out;
}

bool ConflictDialog::isAsked(const QString &field) const
{
    if (!m_perField)
        return field.isEmpty();
    const Row *r = row(field);
    return r && r->asked;
}

bool ConflictDialog::isChangedByBoth(const QString &field) const
{
    const Row *r = row(field);
    return r && r->both;
}

ConflictDialog::Choice ConflictDialog::choice(const QString &field) const
{
    QButtonGroup *group = nullptr;
    if (!m_perField) {
        group = m_recordGroup;
    } else if (const Row *r = row(field)) {
        group = r->group;
    }
    if (!group || group->checkedId() < 0)
        return Choice::Undecided;
    return Choice(group->checkedId());
}

QAbstractButton *ConflictDialog::choiceButton(const QString &field, Choice choice) const
{
    QButtonGroup *group = nullptr;
    if (!m_perField) {
        group = m_recordGroup;
    } else if (const Row *r = row(field)) {
        group = r->group;
    }
    return group ? group->button(int(choice)) : nullptr;
}

void ConflictDialog::setChoice(const QString &field, Choice choice)
{
    if (QAbstractButton *b = choiceButton(field, choice))
        b->setChecked(true);
}

void ConflictDialog::chooseAll(Choice choice)
{
    if (choice == Choice::Undecided)
        return;
    if (!m_perField) {
        setChoice({}, choice);
        return;
    }
    for (const Row &r : std::as_const(m_rows)) {
        if (r.group)
            r.group->button(int(choice))->setChecked(true);
    }
}

bool ConflictDialog::isComplete() const
{
    if (!m_found)
        return false;
    if (!m_perField)
        return choice({}) != Choice::Undecided;
    for (const Row &r : m_rows) {
        if (r.group && r.group->checkedId() < 0)
            return false;
    }
    return true;
}

RealtimeStateManager::Resolution ConflictDialog::resolution() const
{
    using R = RealtimeStateManager::Resolution;
    if (!m_perField)
        return choice({}) == Choice::Mine ? R::KeepMine : R::TakeTheirs;
    bool anyMine = false;
    bool anyTheirs = false;
    for (const Row &r : m_rows) {
        if (!r.group)
            continue;
        const Choice c = Choice(r.group->checkedId());
        anyMine = anyMine || c == Choice::Mine;
        anyTheirs = anyTheirs || c == Choice::Theirs;
    }
    if (anyMine && !anyTheirs)
        return R::KeepMine;
    // Nothing of mine to keep (or the server already holds every value of mine).
    if (!anyMine)
        return R::TakeTheirs;
    return R::Merge;
}

QJsonObject ConflictDialog::merged() const
{
    QJsonObject out;
    for (const Row &r : m_rows) {
        if (r.group && r.group->checkedId() == int(Choice::Mine))
            out.insert(r.column.name, r.mine);
    }
    return out;
}

QString ConflictDialog::messageText() const
{
    return m_gonePanel->isHidden() ? m_message->text() : m_gonePanel->text();
}

void ConflictDialog::updateApply()
{
    m_apply->setEnabled(m_manager && !m_gone && isComplete());
}

void ConflictDialog::apply()
{
    if (!m_manager || m_gone || !isComplete())
        return;
    const RealtimeStateManager::Resolution how = resolution();
    const QJsonObject values
        = how == RealtimeStateManager::Resolution::Merge ? merged() : QJsonObject();
    if (!m_manager->resolveConflict(m_txnId, how, values)) {
        onManagerStateChanged();
        return;
    }
    accept();
}

void ConflictDialog::onManagerStateChanged()
{
    if (m_gone || result() == QDialog::Accepted)
        return;
    bool still = false;
    if (m_manager) {
        const QList<PendingOperation> conflicts = m_manager->conflicts();
        still = std::any_of(conflicts.begin(), conflicts.end(),
                            [this](const PendingOperation &op) { return op.txnId == m_txnId; });
    }
    if (still)
        return;
    m_gone = true;
    m_gonePanel->setText(tr("This conflict was resolved elsewhere meanwhile, so there is nothing "
                            "left to choose here."));
    m_gonePanel->show();
    QAccessibleEvent event(m_gonePanel, QAccessible::Alert);
    QAccessible::updateAccessibility(&event);
    m_allMine->setEnabled(false);
    m_allTheirs->setEnabled(false);
    if (m_choices)
        m_choices->setEnabled(false);
    if (m_recordGroup) {
        const QList<QAbstractButton *> buttons = m_recordGroup->buttons();
        for (QAbstractButton *b : buttons)
            b->setEnabled(false);
    }
    if (m_later) {
        m_later->setText(tr("&Close"));
        m_later->setToolTip({});
        m_later->setAccessibleDescription({});
    }
    updateApply();
}

} // namespace livedesk
