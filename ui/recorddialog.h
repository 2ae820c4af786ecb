// SPDX-License-Identifier: MIT
#pragma once

#include "people.h"
#include "state/resourceschema.h"

#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtWidgets/QDialog>

#include <optional>
#include <vector>

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QFrame;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace livedesk {

class ConflictDialog;
class RealtimeStateManager;
class RestError;

/**
 * A form for one record of a resource, generated from its schema (docs/architecture.md, "UI"):
 * create a new record or edit an existing one through a RealtimeStateManager.
 *
 * Each declared column gets the editor its type calls for: a line edit (string), a multi-line
 * edit (text), a line edit that accepts only digits (integer, number), a DateField (date,
 * datetime: the text typed, read strictly, with a calendar; empty is no date), a combo box of
 * the allowed values (enum, with a "none" entry when not required) and a check box (boolean).
 * System columns (id, version, timestamps, authors) are shown read-only when editing and left
 * out for a new record; a column that is not editable can be set on create only.
 *
 * Save checks what it can on this side first (required fields, numbers that are numbers,
 * dates that exist, maximum lengths, the schema's date bounds: ResourceSchema::bound()) and
 * says what is wrong next to each field, in words ("February 2099 has 28 days"), sending
 * nothing; then it sends every value given (create) or only the fields the user changed
 * (edit), based on the record as the form showed it (RealtimeStateManager::updateRecord() with
 * a base): another user's change to a field this user did not touch is kept, and one to a
 * field this user changed too is a conflict, never silently overwritten. While the server has
 * not answered, Save
 * and the fields are disabled; nothing waits on the UI thread. The server's answer either
 * closes the dialog (accepted) or is shown: each validation detail next to its field, anything
 * else as a sentence at the top.
 *
 * While an existing record is open, the dialog watches it: when someone else changes it, a
 * banner says so at once (not at save time), naming who (setPeople()) and the fields, with two
 * ways on:
 * - Reload: fields the user has not touched take the new values; a field the user changed that
 *   was also changed by someone else keeps the user's value and shows theirs beside it, with a
 *   button to take it;
 * - Keep editing: nothing on the form changes; Save will still send only the user's changes,
 *   and a field both changed becomes a conflict.
 * When the record is deleted meanwhile, the banner says so and Save is disabled. When the
 * manager reports a conflict for the dialog's own change (either mode), the banner says who
 * changed which fields and offers the ConflictDialog; once the user has decided there, this
 * dialog closes. In live mode without a
 * connection, Save queues the change (the list shows it as waiting) and closes at once: the
 * answer may be hours away. In HIS mode without one, Save says that it cannot save now.
 *
 * Keyboard: each field's label gets a mnemonic (Alt+letter: the first letter of its label that
 * no other label or button of the dialog uses; declared fields first), Tab follows the form
 * from top to bottom, Enter or Ctrl+S saves, Escape cancels. Every control has an accessible
 * name; the banner and errors are announced.
 */
class RecordDialog : public QDialog
{
    Q_OBJECT

public:
    /// Edits @p recordId of @p manager's resource, or creates a new record when it is empty.
    /// @p manager is not owned; the dialog stays usable (Save disabled) if it goes away.
    RecordDialog(RealtimeStateManager *manager, const QString &recordId, QWidget *parent = nullptr);
    ~RecordDialog() override;

    bool isNewRecord() const { return m_newRecord; }
    /// The manager the dialog edits through (null once it is gone).
    RealtimeStateManager *manager() const;
    /**
     * Goes on with @p manager, a new manager of the same resource for the same person (the
     * list switched mode, or the person signed in again): what is typed stays, and Save sends
     * it based on the record as the form showed it, so that a change someone made meanwhile
     * is still a conflict, never overwritten. A save or a conflict the new manager still holds
     * (live mode's stored queue, HIS mode's stored conflicts) is followed there; a save whose
     * answer was lost with the old manager is said to be unknown, and Save is offered again.
     */
    void setManager(RealtimeStateManager *manager);
    /**
     * Lets go of the manager for good (another person signed in at this window): the form
     * stays readable so that nothing typed vanishes, Save is disabled, and the banner says
     * @p reason.
     */
    void detach(const QString &reason);
    /// The name of the resource the record belongs to (ResourceSchema::name).
    QString resourceName() const { return m_schema.name; }
    /// The record edited; for a new record, empty until the server has given it an id.
    QString recordId() const { return m_recordId; }
    /// Names the people the banner and the ConflictDialog speak of (by default by their ids).
    void setPeople(const People &people) { m_people = people; }

    // For tests and for callers that want to prefill or inspect the form.

    /// The input widget of @p field (QLineEdit, QPlainTextEdit, QComboBox, QCheckBox or
    /// DateField; a read-only QLineEdit for system and read-only fields), or null when the form
    /// has no such field.
    QWidget *editorFor(const QString &field) const;
    /// The problem shown next to @p field (empty when none).
    QString errorTextFor(const QString &field) const;
    /// The note shown under @p field after a reload when someone else changed a field the user
    /// had changed too (empty when none).
    QString theirValueNoteFor(const QString &field) const;
    /// Takes the other user's value for @p field, as the button beside the note does.
    void useTheirValue(const QString &field);
    /// The sentence at the top for problems that belong to no field (empty when none).
    QString generalErrorText() const;
    /// The banner's sentence (empty while hidden).
    QString bannerText() const;

    /// Every field of the form as the server wants it typed (null for an empty field); a field
    /// whose text is not a valid value is left out.
    QJsonObject values() const;
    /// What Save would send: every non-empty value (new record) or the changed fields (edit).
    QJsonObject changes() const;

    /// Why the user's role may not save this form (ResourceSchema::refusal(): a new record
    /// needs create, an edit update); empty when it may. Save is disabled with it as tooltip,
    /// and the form can still be read.
    QString saveRefusal() const;
    /// Save was pressed and the server has not answered yet.
    bool isSaving() const { return m_saving; }
    /// The operation of the save waiting for the server's answer (empty when none): its
    /// refusal is shown by the dialog, next to the fields.
    QString savingTxnId() const { return m_txnId; }
    /// The banner says someone else changed the record and the user has not acted on it yet.
    bool hasExternalChange() const { return m_externalChange; }
    /// The fields someone else changed, as named in the banner.
    QStringList externallyChangedFields() const { return m_externalFields; }
    /// The record was deleted by someone else while the dialog was open.
    bool isDeletedOnServer() const { return m_deleted; }
    /// The manager found a conflict with the dialog's own change.
    bool hasConflict() const { return m_conflict; }

    QPushButton *saveButton() const { return m_save; }
    QPushButton *reloadButton() const { return m_reload; }
    QPushButton *keepEditingButton() const { return m_keepEditing; }
    QPushButton *resolveButton() const { return m_resolve; }
    /// The ConflictDialog opened from the banner (null when none is open).
    ConflictDialog *conflictDialog() const;

public Q_SLOTS:
    /// Checks the form and sends it, as the Save button does.
    void save();
    /// Takes the server's current values, as the banner's Reload button does.
    void reloadFromServer();
    /// Hides the banner and leaves the form as it is.
    void keepEditing();
    /// Opens the ConflictDialog for the dialog's own change (live mode, after a conflict).
    void resolveConflict();

Q_SIGNALS:
    /// The server accepted the change; @p recordId is the record's id (the new one for a
    /// create). Emitted just before the dialog is accepted.
    void saved(const QString &recordId);

private:
    class Field
    {
    public:
        ResourceSchema::Column column;
        QWidget *editor = nullptr;
        QLabel *label = nullptr;
        QLabel *error = nullptr;
        QWidget *note = nullptr;
        QLabel *noteText = nullptr;
        QPushButton *useTheirs = nullptr;
        QJsonValue theirs;
        // What the editor read back right after its last load: the baseline for "changed".
        QJsonValue loaded;
        bool readOnly = false;
    };

    void buildForm(QVBoxLayout *layout, QSet<QChar> *mnemonics);
    void addField(const ResourceSchema::Column &column, bool readOnly, QFormLayout *form,
                  QWidget *formParent, QSet<QChar> *mnemonics);
    Field *field(const QString &name);
    const Field *field(const QString &name) const;
    // The editor's value, typed; std::nullopt with @p problem when its text is no valid value.
    std::optional<QJsonValue> editorValue(const Field &field, QString *problem = nullptr) const;
    void setEditorValue(Field &field, const QJsonValue &value);
    bool isTouched(const Field &field) const;
    void load(const QJsonObject &record);
    bool validate();
    void setFieldError(Field &field, const QString &text);
    void setGeneralError(const QString &text);
    void clearErrors();
    void setSaving(bool saving);
    void updateSaveEnabled();
    void showBanner(const QString &text, bool offerReload, bool offerResolve, bool severe);
    void hideBanner();
    void announce(QWidget *widget, const QString &text);
    QString serverFieldMessage(const Field &field, const QJsonObject &detail) const;
    // Why @p value is outside @p column's date bounds, in words; empty when within.
    QString boundProblem(const ResourceSchema::Column &column, const QJsonValue &value) const;
    QString generalMessage(const RestError &error) const;
    // "Dr. Somchai" for the author of @p record, else an empty string.
    QString authorOf(const QJsonObject &record) const;
    // The labels of @p fields, as a list in words ("Name and Ward").
    QString fieldList(const QStringList &fields) const;

    void watchManager();
    void onConfirmed(const QString &txnId, const QString &recordId);
    void onFailed(const QString &txnId, const RestError &error);
    void onConflict(const QString &txnId);
    void scheduleCheck();
    void checkServerRecord();

    QPointer<RealtimeStateManager> m_manager;
    ResourceSchema m_schema;
    People m_people;
    QString m_recordId;
    bool m_newRecord;
    std::vector<Field> m_fields;

    // The record as the form was loaded from it (shown values) and the server's record as last
    // seen: a server change that the form does not reflect is someone else's.
    QJsonObject m_base;
    QJsonObject m_seenServer;

    QFrame *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    QPushButton *m_reload = nullptr;
    QPushButton *m_keepEditing = nullptr;
    QPushButton *m_resolve = nullptr;
    QLabel *m_generalError = nullptr;
    QWidget *m_formWidget = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_save = nullptr;
    QPointer<ConflictDialog> m_conflictDialog;
    QPointer<QWidget> m_focusBeforeSave;
    QPointer<QWidget> m_focusBeforeBanner;

    QString m_txnId;
    QJsonObject m_sending;
    bool m_saving = false;
    bool m_done = false;
    bool m_externalChange = false;
    QStringList m_externalFields;
    bool m_deleted = false;
    bool m_conflict = false;
    bool m_checkScheduled = false;
};

} // namespace livedesk
