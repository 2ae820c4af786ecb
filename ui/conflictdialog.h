// SPDX-License-Identifier: MIT
#pragma once

#include "people.h"
#include "state/pendingoperation.h"
#include "state/realtimestatemanager.h"
#include "state/resourceschema.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

class QAbstractButton;
class QButtonGroup;
class QGridLayout;
class QLabel;
class QPushButton;

namespace livedesk {

/**
 * Lets the user end a conflict (the user chooses and nothing is silently lost:
 * docs/architecture.md, "The state manager"): a change of the user's that the server's record
 * overtook, found by the state manager (RealtimeStateManager::conflictDetected(); live mode, or HIS
 * mode for a change made on a form). The sentence at the top says who changed which fields
 * (People).
 *
 * For an edit against an edit, a grid shows each field of the user's change side by side:
 * the value before (base), yours (mine) and theirs (the server's now), and the user picks
 * yours or theirs per field, or all at once. The starting choice follows who changed what:
 * yours where only you changed the field, theirs where only they did; a field both changed is
 * marked and has no choice until the user makes one. A field where both sides hold the same
 * value is shown but not asked. Apply hands the result to RealtimeStateManager::resolveConflict()
 * (keep mine, take theirs, or merge with the chosen values), which sends it on top of the
 * server's current version.
 *
 * When one side deleted the record (you deleted it and they changed it, or they deleted it and
 * you changed it), fields cannot be mixed: the grid shows what each side has and the user
 * chooses for the whole record (delete anyway / keep theirs; create it again / leave it
 * deleted).
 *
 * If the conflict ends elsewhere while the dialog is open (another window resolved it), the
 * dialog says so and Apply is disabled. Nothing here waits: Apply returns at once and the
 * outcome shows in the list.
 *
 * Keyboard: every choice is a radio button reachable with Tab (arrow keys move between yours
 * and theirs of one field); Keep all mine, Take all theirs and Apply have mnemonics.
 */
class ConflictDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Choice { Undecided, Mine, Theirs };
    Q_ENUM(Choice)

    /// The conflict of the operation @p txnId of @p manager (not owned).
    ConflictDialog(RealtimeStateManager *manager, const QString &txnId, QWidget *parent = nullptr);
    /// The same, naming the author of their change with @p people.
    ConflictDialog(RealtimeStateManager *manager, const QString &txnId, const People &people,
                   QWidget *parent = nullptr);
    ~ConflictDialog() override;

    QString txnId() const { return m_txnId; }
    /// False when one side deleted the record: then there is one choice for the whole record,
    /// addressed below with an empty field name.
    bool isPerField() const { return m_perField; }
    /// The fields shown, in the schema's order.
    QStringList fields() const;
    /// Whether the user is asked about @p field (yours and theirs differ).
    bool isAsked(const QString &field) const;
    /// Whether both sides changed @p field (to different values): marked, no starting choice.
    bool isChangedByBoth(const QString &field) const;
    Choice choice(const QString &field) const;
    void setChoice(const QString &field, Choice choice);
    /// The radio button that chooses @p choice for @p field (Mine or Theirs), or null.
    QAbstractButton *choiceButton(const QString &field, Choice choice) const;
    /// Every asked field has a choice.
    bool isComplete() const;
    /// What Apply would do with the current choices.
    RealtimeStateManager::Resolution resolution() const;
    /// For RealtimeStateManager::Resolution::Merge: the fields for which yours is kept, with
    /// your values (the fields for which theirs is kept are left out: the server has them).
    QJsonObject merged() const;
    /// The conflict ended while the dialog was open (Apply is then disabled).
    bool isResolvedElsewhere() const { return m_gone; }
    /// The sentence at the top.
    QString messageText() const;

    QPushButton *applyButton() const { return m_apply; }
    QPushButton *keepAllMineButton() const { return m_allMine; }
    QPushButton *takeAllTheirsButton() const { return m_allTheirs; }

    /// A value as people read it, in both this dialog and the RecordDialog: "(empty)" for
    /// none, Yes / No, numbers and dates in the locale (four-digit years), date-times in local
    /// time.
    static QString displayText(const ResourceSchema::Column &column, const QJsonValue &value);

public Q_SLOTS:
    /// Sets every asked field to @p choice.
    void chooseAll(livedesk::ConflictDialog::Choice choice);
    /// Resolves the conflict with the current choices and closes the dialog (accepted).
    void apply();

private:
    class Row
    {
    public:
        ResourceSchema::Column column;
        QJsonValue base;
        QJsonValue mine;
        QJsonValue theirs;
        bool asked = false;
        bool both = false;
        QButtonGroup *group = nullptr;
    };

    void build();
    void addRow(QGridLayout *grid, int gridRow, Row &row);
    const Row *row(const QString &field) const;
    void updateApply();
    void onManagerStateChanged();

    QPointer<RealtimeStateManager> m_manager;
    QString m_txnId;
    People m_people;
    PendingOperation m_op;
    bool m_found = false;
    bool m_perField = true;
    bool m_gone = false;
    QList<Row> m_rows;
    // Whole-record mode: one choice.
    QButtonGroup *m_recordGroup = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_gonePanel = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_allMine = nullptr;
    QPushButton *m_allTheirs = nullptr;
    QPushButton *m_later = nullptr;
    QWidget *m_choices = nullptr;
};

} // namespace livedesk
