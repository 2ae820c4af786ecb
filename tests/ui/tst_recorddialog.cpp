// SPDX-License-Identifier: MIT
// The record dialog against the embedded server in-process, offscreen: the nurse's manager
// (HIS mode unless said otherwise) feeds the dialog, the doctor writes over REST as "someone
// else". The form is filled the way a user does it (typing, clicking) and what the server
// ends up with is read back over REST. Every test leaves a screenshot of the dialog.
//
// The patients resource gets a few more fields than the clinical demo has (a number, an
// integer, a date-time, a text and a boolean), so that every kind of editor is exercised.
#include "conflictdialog.h"
#include "datefield.h"
#include "livedeskserver.h"
#include "recorddialog.h"
#include "rest/apiclient.h"
#include "restoutcome.h"
#include "state/realtimestatemanager.h"
#include "state/resourceschema.h"
#include "stateclient.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QLocale>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimeZone>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCalendarWidget>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk;
using Manager = RealtimeStateManager;

namespace {

constexpr int Patience = 20000;
const QString Patients = u"/api/patients"_s;

bool idle(const Manager *m)
{
    return !m->isLoading() && !m->isRefreshPending() && m->pendingCount() == 0;
}

class Desk : public test::StateClient
{
public:
    explicit Desk(server::LivedeskServer *server)
        : StateClient(server->baseUrl(), u"nurse@demo.local"_s, u"nurse"_s)
    {
    }

    bool start(Manager::Mode mode)
    {
        const auto parsed = serverSchema();
        if (!parsed)
            return false;
        Manager::Options options;
        options.mode = mode;
        options.query.sort = {{u"id"_s, Qt::AscendingOrder}};
        return StateClient::start(*parsed, options)
            && QTest::qWaitFor([this] { return idle(manager.get()); }, Patience);
    }
};

void saveScreenshot(QWidget *w, const QString &name)
{
    const QString dir = QStringLiteral(LIVEDESK_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    QTest::qWait(50); // pending relayouts first
    QVERIFY(w->grab().save(dir + u'/' + name));
}

template<typename T> T *editor(const RecordDialog &dialog, const QString &field)
{
    auto *w = qobject_cast<T *>(dialog.editorFor(field));
    if (!w)
        qWarning() << "no editor of the expected kind for" << field;
    return w;
}

// Replaces the text of a line edit as a user does: select all, type.
void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        QTest::keyClicks(edit, text);
}

} // namespace

class TestRecordDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_schemaPath;
    std::unique_ptr<server::LivedeskServer> m_server;
    ApiClient m_doctor; // someone else, writing over REST

    QJsonObject serverRecord(const QString &id)
    {
        const test::RestOutcome o = test::await(m_doctor.fetch(Patients, id));
        return o.ok ? o.object() : QJsonObject();
    }

    QString hnOf(const QString &id) { return serverRecord(id).value(u"hn").toString(); }

    bool doctorUpdates(const QString &id, const QJsonObject &changes)
    {
        return test::await(m_doctor.update(Patients, id, changes)).ok;
    }

    void show(RecordDialog *dialog)
    {
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        QVERIFY(m_dir.isValid());
        // The clinical demo with one field of every remaining type on patients.
        QFile demo(u":/livedesk/schema/clinical.json"_s);
        QVERIFY(demo.open(QIODevice::ReadOnly));
        QJsonObject schema = QJsonDocument::fromJson(demo.readAll()).object();
        QJsonArray resources = schema.value(u"resources").toArray();
        for (qsizetype i = 0; i < resources.size(); ++i) {
            QJsonObject resource = resources[i].toObject();
            if (resource.value(u"name") != u"patients"_s)
                continue;
            QJsonArray fields = resource.value(u"fields").toArray();
            fields.append(QJsonObject{{u"name"_s, u"weight_kg"_s},
                                      {u"label"_s, u"Weight (kg)"_s},
                                      {u"type"_s, u"number"_s}});
            fields.append(QJsonObject{
                {u"name"_s, u"visits"_s}, {u"label"_s, u"Visits"_s}, {u"type"_s, u"integer"_s}});
            fields.append(QJsonObject{{u"name"_s, u"seen_at"_s},
                                      {u"label"_s, u"Last seen"_s},
                                      {u"type"_s, u"datetime"_s}});
            fields.append(QJsonObject{{u"name"_s, u"notes"_s},
                                      {u"label"_s, u"Notes"_s},
                                      {u"type"_s, u"text"_s},
                                      {u"maxLength"_s, 500}});
            fields.append(QJsonObject{{u"name"_s, u"allergy_alert"_s},
                                      {u"label"_s, u"Allergy alert"_s},
                                      {u"type"_s, u"boolean"_s},
                                      {u"default"_s, false}});
            resource.insert(u"fields"_s, fields);
            resources[i] = resource;
        }
        schema.insert(u"resources"_s, resources);
        m_schemaPath = m_dir.filePath(u"schema.json"_s);
        QFile out(m_schemaPath);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(schema).toJson());
    }

    void init()
    {
        server::LivedeskServer::Options options;
        options.schemaPath = m_schemaPath;
        m_server = std::make_unique<server::LivedeskServer>(options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_doctor.setBaseUrl(m_server->baseUrl());
        QVERIFY(test::await(m_doctor.login(u"doctor@demo.local"_s, u"doctor"_s)).ok);
    }

    void cleanup() { m_server.reset(); }

    // A new record: every kind of editor filled from the keyboard (dates set on the picker),
    // Save disabled while the server has not answered, the record on the server afterwards.
    void createsARecord()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        RecordDialog dialog(desk.manager.get(), {});
        show(&dialog);
        QVERIFY(dialog.isNewRecord());
        QVERIFY(!dialog.editorFor(u"id"_s)); // system fields are the server's business
        QVERIFY(!dialog.editorFor(u"version"_s));

        QTest::keyClicks(editor<QLineEdit>(dialog, u"hn"_s), u"HN900001"_s);
        QTest::keyClicks(editor<QLineEdit>(dialog, u"name"_s), u"Ada Lovelace"_s);
        auto *sex = editor<QComboBox>(dialog, u"sex"_s);
        QCOMPARE(sex->currentText(), u"unknown"_s); // the schema's default
        QTest::keyClicks(sex, u"f"_s);
        QCOMPARE(sex->currentText(), u"female"_s);
        auto *birthday = editor<DateField>(dialog, u"date_of_birth"_s);
        QVERIFY(birthday->text().isEmpty()); // no date until the user gives one
        QCOMPARE(birthday->state(), DateField::State::Empty);
        QTest::keyClicks(birthday, u"03/02/1980"_s); // the locale's format (en_GB)
        QTest::keyClicks(editor<QLineEdit>(dialog, u"ward"_s), u"Ward 7"_s);
        QTest::keyClicks(editor<QLineEdit>(dialog, u"weight_kg"_s), u"72.5"_s);
        QTest::keyClicks(editor<QLineEdit>(dialog, u"visits"_s), u"3x"_s); // x is refused
        QCOMPARE(editor<QLineEdit>(dialog, u"visits"_s)->text(), u"3"_s);
        editor<DateField>(dialog, u"seen_at"_s)
            ->setDateTime(QDateTime(QDate(2026, 11, 20), QTime(8, 30), QTimeZone::utc()));
        QTest::keyClicks(editor<QPlainTextEdit>(dialog, u"notes"_s), u"Prefers the window bed"_s);
        QTest::mouseClick(editor<QCheckBox>(dialog, u"allergy_alert"_s), Qt::LeftButton);
        saveScreenshot(&dialog, u"record-new.png"_s);

        QSignalSpy saved(&dialog, &RecordDialog::saved);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        // Waiting for the server: nothing can be pressed twice or changed under the request.
        QVERIFY(dialog.isSaving());
        QVERIFY(!dialog.saveButton()->isEnabled());
        QVERIFY(!dialog.editorFor(u"name"_s)->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Patience);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
        const QString id = saved.at(0).at(0).toString();
        QCOMPARE(dialog.recordId(), id);

        const QJsonObject record = serverRecord(id);
        QCOMPARE(record.value(u"hn").toString(), u"HN900001"_s);
        QCOMPARE(record.value(u"name").toString(), u"Ada Lovelace"_s);
        QCOMPARE(record.value(u"sex").toString(), u"female"_s);
        QCOMPARE(record.value(u"date_of_birth").toString(), u"1980-02-03"_s);
        QCOMPARE(record.value(u"ward").toString(), u"Ward 7"_s);
        QCOMPARE(record.value(u"weight_kg").toDouble(), 72.5);
        QCOMPARE(record.value(u"visits").toInteger(), 3);
        QCOMPARE(record.value(u"seen_at").toString(), u"2026-11-20T08:30:00.000Z"_s);
        QCOMPARE(record.value(u"notes").toString(), u"Prefers the window bed"_s);
        QCOMPARE(record.value(u"allergy_alert").toBool(), true);
        QCOMPARE(record.value(u"status").toString(), u"admitted"_s);
        // HIS mode: the list shows it after its reload.
        QTRY_VERIFY_WITH_TIMEOUT(desk.manager->rowOf(id) >= 0, Patience);
    }

    // An edit sends the changed fields only; Save is disabled until the answer.
    void editsARecord()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const QString id = desk.manager->idAt(5);
        const QJsonObject before = serverRecord(id);
        RecordDialog dialog(desk.manager.get(), id);
        show(&dialog);
        QVERIFY(!dialog.isNewRecord());
        QCOMPARE(editor<QLineEdit>(dialog, u"hn"_s)->text(), before.value(u"hn").toString());
        QCOMPARE(editor<QLineEdit>(dialog, u"name"_s)->text(), before.value(u"name").toString());
        auto *idField = editor<QLineEdit>(dialog, u"id"_s);
        QVERIFY(idField && idField->isReadOnly());
        QCOMPARE(idField->text(), id);
        QCOMPARE(dialog.changes(), QJsonObject());

        retype(editor<QLineEdit>(dialog, u"ward"_s), u"Cardiology 2"_s);
        QTest::mouseClick(editor<QCheckBox>(dialog, u"allergy_alert"_s), Qt::LeftButton);
        const bool alert = !before.value(u"allergy_alert").toBool();
        QCOMPARE(dialog.changes(),
                 (QJsonObject{{u"ward"_s, u"Cardiology 2"_s}, {u"allergy_alert"_s, alert}}));
        saveScreenshot(&dialog, u"record-edit.png"_s);

        QSignalSpy saved(&dialog, &RecordDialog::saved);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QVERIFY(dialog.isSaving());
        QVERIFY(!dialog.saveButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Patience);
        QCOMPARE(saved.at(0).at(0).toString(), id);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));

        const QJsonObject after = serverRecord(id);
        QCOMPARE(after.value(u"ward").toString(), u"Cardiology 2"_s);
        QCOMPARE(after.value(u"allergy_alert").toBool(), alert);
        for (const QString &field : {u"hn"_s, u"name"_s, u"date_of_birth"_s, u"sex"_s, u"status"_s,
                                     u"weight_kg"_s, u"visits"_s, u"seen_at"_s, u"notes"_s})
            QVERIFY2(after.value(field) == before.value(field), qPrintable(field));
        QCOMPARE(after.value(u"version").toInteger(), before.value(u"version").toInteger() + 1);
    }

    // Missing required values, too-long text and a malformed number are caught before anything
    // is sent, each with a sentence under its field.
    void clientSideValidationBlocksSave()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const qint64 writes = desk.manager->counters().writesSent;
        RecordDialog dialog(desk.manager.get(), {});
        show(&dialog);
        QTest::keyClicks(editor<QLineEdit>(dialog, u"name"_s), u"No HN"_s);
        QTest::keyClicks(editor<QLineEdit>(dialog, u"weight_kg"_s), u"7e"_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);

        QVERIFY(!dialog.isSaving());
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.errorTextFor(u"hn"_s), u"This field is required."_s);
        QVERIFY(dialog.findChild<QLabel *>(u"hn_error"_s)->isVisible());
        QVERIFY(dialog.errorTextFor(u"weight_kg"_s).startsWith(u"Enter a number"_s));
        QVERIFY(dialog.errorTextFor(u"name"_s).isEmpty());
        QVERIFY(!dialog.generalErrorText().isEmpty());
        QCOMPARE(dialog.focusWidget(), dialog.editorFor(u"hn"_s));
        QCOMPARE(dialog.editorFor(u"hn"_s)->accessibleDescription(),
                 u"Required. This field is required."_s);
        saveScreenshot(&dialog, u"record-required.png"_s);

        // Too long (HN allows 20 characters), and the number fixed.
        QTest::keyClicks(editor<QLineEdit>(dialog, u"hn"_s), u"HN-0123456789-ABCDEFG"_s);
        QVERIFY(dialog.errorTextFor(u"hn"_s).isEmpty()); // typing clears the old message
        retype(editor<QLineEdit>(dialog, u"weight_kg"_s), u"70"_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QVERIFY(!dialog.isSaving());
        QCOMPARE(dialog.errorTextFor(u"hn"_s), u"At most 20 characters; this has 21."_s);
        QVERIFY(dialog.errorTextFor(u"weight_kg"_s).isEmpty());
        QTest::qWait(200);
        QCOMPARE(desk.manager->counters().writesSent, writes);

        // Fixed: it saves.
        retype(editor<QLineEdit>(dialog, u"hn"_s), u"HN900002"_s);
        QSignalSpy saved(&dialog, &RecordDialog::saved);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QVERIFY(dialog.isSaving());
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Patience);
        QCOMPARE(hnOf(saved.at(0).at(0).toString()), u"HN900002"_s);
    }

    // A date that does not exist ("31 Feb 2099") is refused as typed, with the reason in words,
    // and nothing is sent; so is a date of birth in the future (the schema's notFuture).
    void impossibleDateIsRefusedBeforeSending()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const qint64 writes = desk.manager->counters().writesSent;
        RecordDialog dialog(desk.manager.get(), {});
        show(&dialog);
        QTest::keyClicks(editor<QLineEdit>(dialog, u"hn"_s), u"HN900003"_s);
        QTest::keyClicks(editor<QLineEdit>(dialog, u"name"_s), u"Born Never"_s);
        auto *born = editor<QLineEdit>(dialog, u"date_of_birth"_s);
        QVERIFY(born);
        born->setFocus();
        QTest::keyClicks(born, u"31 Feb 2099"_s);
        QCOMPARE(born->text(), u"31 Feb 2099"_s); // what is typed stays what is shown
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QVERIFY(!dialog.isSaving());
        QCOMPARE(dialog.errorTextFor(u"date_of_birth"_s),
                 u"February 2099 has 28 days: there is no day 31."_s);
        QCOMPARE(born->text(), u"31 Feb 2099"_s); // not silently made into another day
        QCOMPARE(dialog.focusWidget(), born);
        QVERIFY(!dialog.values().contains(u"date_of_birth"));

        const auto refused = [&](const QString &typed) {
            retype(born, typed);
            QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
            return dialog.isSaving() ? u"sent"_s : dialog.errorTextFor(u"date_of_birth"_s);
        };
        // In the locale's own format and in ISO 8601 alike.
        QCOMPARE(refused(u"31/02/2099"_s), u"February 2099 has 28 days: there is no day 31."_s);
        QCOMPARE(refused(u"2099-13-01"_s), u"There is no month 13: months go from 1 to 12."_s);
        QCOMPARE(refused(u"29/02/2023"_s), u"February 2023 has 28 days: there is no day 29."_s);
        QVERIFY(refused(u"yesterday"_s).startsWith(u"“yesterday” is not a date. Write it like"_s));
        QVERIFY(refused(u"05/02/99"_s).startsWith(u"Write the year with four digits"_s));
        // A real day, but a date of birth cannot lie ahead.
        QVERIFY2(refused(u"05/02/2099"_s).startsWith(u"This cannot be in the future: today is "_s),
                 qPrintable(dialog.errorTextFor(u"date_of_birth"_s)));
        QTest::qWait(200);
        QCOMPARE(desk.manager->counters().writesSent, writes);

        // A real date of the past is saved as typed.
        retype(born, u"05/02/1999"_s);
        QSignalSpy saved(&dialog, &RecordDialog::saved);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QVERIFY(dialog.isSaving());
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Patience);
        QCOMPARE(serverRecord(saved.at(0).at(0).toString()).value(u"date_of_birth").toString(),
                 u"1999-02-05"_s);
    }

    // The calendar beside a date field puts the picked day in the field, as if typed.
    void calendarPicksADate()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        RecordDialog dialog(desk.manager.get(), {});
        show(&dialog);
        auto *born = editor<DateField>(dialog, u"date_of_birth"_s);
        QVERIFY(born);
        QSignalSpy edited(born, &QLineEdit::textEdited);
        born->showCalendar();
        QPointer<QCalendarWidget> calendar = born->findChild<QCalendarWidget *>();
        QVERIFY(calendar);
        QTRY_VERIFY(calendar->isVisible());
        QCOMPARE(calendar->selectedDate(), QDate::currentDate()); // nothing typed yet
        Q_EMIT calendar->clicked(QDate(1980, 2, 3));
        QCOMPARE(born->text(), u"03/02/1980"_s);
        QCOMPARE(edited.size(), 1);
        QCOMPARE(dialog.values().value(u"date_of_birth").toString(), u"1980-02-03"_s);
        QTRY_VERIFY(!calendar); // the popup closed and went
    }

    // The server's refusal (HN must be unique) is shown next to the field; the form is usable
    // again.
    void serverValidationErrorShowsNextToTheField()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const QString taken = desk.manager->record(0).value(u"hn").toString();
        RecordDialog dialog(desk.manager.get(), {});
        show(&dialog);
        QTest::keyClicks(editor<QLineEdit>(dialog, u"hn"_s), taken);
        QTest::keyClicks(editor<QLineEdit>(dialog, u"name"_s), u"Twin"_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QVERIFY(dialog.isSaving());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isSaving(), Patience);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.errorTextFor(u"hn"_s), u"Another record already has “%1”."_s.arg(taken));
        QVERIFY(dialog.errorTextFor(u"name"_s).isEmpty());
        QVERIFY(!dialog.generalErrorText().isEmpty());
        QVERIFY(dialog.saveButton()->isEnabled());
        QVERIFY(dialog.editorFor(u"hn"_s)->isEnabled());
        QCOMPARE(dialog.focusWidget(), dialog.editorFor(u"hn"_s));
        saveScreenshot(&dialog, u"record-server-error.png"_s);
    }

    // Someone else changes the record while it is open: the banner says so without Save being
    // pressed. Reload takes their values where the user changed nothing and offers theirs
    // beside a field both changed; Save then sends the user's fields.
    void changeElsewhereShowsABannerAndReloads()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const QString id = desk.manager->idAt(7);
        RecordDialog dialog(desk.manager.get(), id);
        People people;
        people.names = {{u"u-doctor"_s, u"Dr. Somchai"_s}, {u"u-nurse"_s, u"Nurse Malee"_s}};
        dialog.setPeople(people);
        show(&dialog);
        const qint64 writes = desk.manager->counters().writesSent;
        retype(editor<QLineEdit>(dialog, u"name"_s), u"Name by the nurse"_s);
        QVERIFY(!dialog.hasExternalChange());

        QVERIFY(doctorUpdates(
            id, {{u"ward"_s, u"Ward of the doctor"_s}, {u"name"_s, u"Name by the doctor"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.hasExternalChange(), Patience);
        QCOMPARE(dialog.externallyChangedFields(), (QStringList{u"name"_s, u"ward"_s}));
        QVERIFY2(dialog.bannerText().startsWith(u"Dr. Somchai changed Name and Ward"_s),
                 qPrintable(dialog.bannerText()));
        QVERIFY(dialog.reloadButton()->isVisible());
        QVERIFY(dialog.keepEditingButton()->isVisible());
        QVERIFY(dialog.saveButton()->isEnabled());
        QCOMPARE(desk.manager->counters().writesSent, writes);
        saveScreenshot(&dialog, u"record-changed-elsewhere.png"_s);

        QTest::mouseClick(dialog.reloadButton(), Qt::LeftButton);
        QVERIFY(!dialog.hasExternalChange());
        QVERIFY(dialog.bannerText().isEmpty());
        QCOMPARE(dialog.focusWidget(), dialog.editorFor(u"name"_s)); // back where she typed
        QCOMPARE(editor<QLineEdit>(dialog, u"ward"_s)->text(), u"Ward of the doctor"_s);
        QCOMPARE(editor<QLineEdit>(dialog, u"name"_s)->text(), u"Name by the nurse"_s);
        QCOMPARE(dialog.theirValueNoteFor(u"name"_s),
                 u"Dr. Somchai changed this to “Name by the doctor”."_s);
        QVERIFY(dialog.theirValueNoteFor(u"ward"_s).isEmpty());
        QCOMPARE(dialog.changes(), (QJsonObject{{u"name"_s, u"Name by the nurse"_s}}));
        saveScreenshot(&dialog, u"record-reloaded.png"_s);

        QSignalSpy saved(&dialog, &RecordDialog::saved);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Patience);
        const QJsonObject after = serverRecord(id);
        QCOMPARE(after.value(u"name").toString(), u"Name by the nurse"_s);
        QCOMPARE(after.value(u"ward").toString(), u"Ward of the doctor"_s);
    }

    // "Use their value" beside a field both changed takes theirs.
    void useTheirValueTakesTheirs()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const QString id = desk.manager->idAt(8);
        RecordDialog dialog(desk.manager.get(), id);
        show(&dialog);
        retype(editor<QLineEdit>(dialog, u"ward"_s), u"Ward of the nurse"_s);
        QVERIFY(doctorUpdates(id, {{u"ward"_s, u"Ward of the doctor"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.hasExternalChange(), Patience);
        QTest::mouseClick(dialog.reloadButton(), Qt::LeftButton);
        QVERIFY(!dialog.theirValueNoteFor(u"ward"_s).isEmpty());
        QPushButton *useTheirs = nullptr;
        const QList<QPushButton *> buttons = dialog.findChildren<QPushButton *>();
        for (QPushButton *button : buttons) {
            if (button->accessibleName() == u"Use their value for Ward")
                useTheirs = button;
        }
        QVERIFY(useTheirs && useTheirs->isVisible());
        QTest::mouseClick(useTheirs, Qt::LeftButton);
        QCOMPARE(editor<QLineEdit>(dialog, u"ward"_s)->text(), u"Ward of the doctor"_s);
        QVERIFY(dialog.theirValueNoteFor(u"ward"_s).isEmpty());
        QCOMPARE(dialog.changes(), QJsonObject());
    }

    // Keep editing leaves the form alone; Save still sends only the user's field, so the other
    // user's change to another field survives.
    void keepEditingSendsOnlyTheUsersChanges()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const QString id = desk.manager->idAt(9);
        const QString wardBefore = serverRecord(id).value(u"ward").toString();
        RecordDialog dialog(desk.manager.get(), id);
        show(&dialog);
        retype(editor<QLineEdit>(dialog, u"name"_s), u"Name by the nurse"_s);
        QVERIFY(doctorUpdates(id, {{u"ward"_s, u"Ward of the doctor"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.hasExternalChange(), Patience);
        QCOMPARE(dialog.externallyChangedFields(), QStringList{u"ward"_s});

        QTest::mouseClick(dialog.keepEditingButton(), Qt::LeftButton);
        QVERIFY(!dialog.hasExternalChange());
        QVERIFY(dialog.bannerText().isEmpty());
        QCOMPARE(editor<QLineEdit>(dialog, u"ward"_s)->text(), wardBefore);

        QSignalSpy saved(&dialog, &RecordDialog::saved);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Patience);
        const QJsonObject after = serverRecord(id);
        QCOMPARE(after.value(u"name").toString(), u"Name by the nurse"_s);
        QCOMPARE(after.value(u"ward").toString(), u"Ward of the doctor"_s);
    }

    // Deleted while open: the banner says so and Save is disabled.
    void deletionElsewhereDisablesSave()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const QString id = desk.manager->idAt(11);
        RecordDialog dialog(desk.manager.get(), id);
        show(&dialog);
        retype(editor<QLineEdit>(dialog, u"ward"_s), u"Too late"_s);
        QVERIFY(test::await(m_doctor.remove(Patients, id)).ok);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isDeletedOnServer(), Patience);
        QVERIFY(dialog.bannerText().contains(u"deleted"_s));
        QVERIFY(!dialog.saveButton()->isEnabled());
        QVERIFY(!dialog.reloadButton()->isVisible());
        saveScreenshot(&dialog, u"record-deleted-elsewhere.png"_s);
        dialog.save(); // refused quietly
        QVERIFY(!dialog.isSaving());
    }

    // Live mode: an edit is sent and confirmed; the dialog closes on the confirmation.
    void liveModeEditIsConfirmed()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::Live));
        const QString id = desk.manager->idAt(12);
        RecordDialog dialog(desk.manager.get(), id);
        show(&dialog);
        auto *status = editor<QComboBox>(dialog, u"status"_s);
        status->setFocus();
        const QString target
            = status->currentText() == u"transferred" ? u"discharged"_s : u"transferred"_s;
        QTest::keyClicks(status, target.left(2));
        QCOMPARE(status->currentText(), target);
        QSignalSpy saved(&dialog, &RecordDialog::saved);
        QTest::keyClick(editor<QLineEdit>(dialog, u"ward"_s), Qt::Key_Return); // the default
        QVERIFY(dialog.isSaving());
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Patience);
        QVERIFY(!dialog.hasExternalChange());
        QCOMPARE(serverRecord(id).value(u"status").toString(), target);
        QTRY_VERIFY_WITH_TIMEOUT(idle(desk.manager.get()), Patience);
    }

    // Live mode, and the server says the record moved on (409): the banner offers the conflict
    // dialog; deciding there closes the record dialog.
    void liveModeConflictOffersTheConflictDialog()
    {
        Desk desk(m_server.get());
        const auto schema = desk.serverSchema();
        QVERIFY(schema);
        Manager::Options options;
        options.mode = Manager::Mode::Live;
        // No events: the manager learns of the doctor's change only from the server's 409.
        Manager manager(&desk.api, nullptr, *schema, options);
        manager.start();
        QTRY_VERIFY_WITH_TIMEOUT(manager.lastSyncAt().isValid() && !manager.isLoading(), Patience);
        const QString id = manager.idAt(13);
        RecordDialog dialog(&manager, id);
        show(&dialog);
        QVERIFY(doctorUpdates(id, {{u"ward"_s, u"Ward of the doctor"_s}}));
        retype(editor<QLineEdit>(dialog, u"ward"_s), u"Ward of the nurse"_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.hasConflict(), Patience);
        QVERIFY(!dialog.isSaving());
        QVERIFY(!dialog.saveButton()->isEnabled());
        QVERIFY(dialog.resolveButton()->isVisible());
        saveScreenshot(&dialog, u"record-conflict.png"_s);

        QTest::mouseClick(dialog.resolveButton(), Qt::LeftButton);
        ConflictDialog *conflict = dialog.conflictDialog();
        QVERIFY(conflict);
        QTRY_VERIFY_WITH_TIMEOUT(conflict->isVisible(), Patience);
        QCOMPARE(conflict->fields(), QStringList{u"ward"_s});
        QVERIFY(conflict->isChangedByBoth(u"ward"_s));
        QTest::mouseClick(conflict->choiceButton(u"ward"_s, ConflictDialog::Choice::Mine),
                          Qt::LeftButton);
        QTest::mouseClick(conflict->applyButton(), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QTRY_VERIFY_WITH_TIMEOUT(manager.pendingCount() == 0, Patience);
        QCOMPARE(serverRecord(id).value(u"ward").toString(), u"Ward of the nurse"_s);
    }

    // The doctor changes Ward while the nurse's form is open; she changes Ward too and saves.
    // Her save is based on what the form was opened with, not on the list's record of the
    // moment: a conflict in both modes, the conflict dialog with mine and theirs, and the
    // doctor's value stays on the server until she decides.
    void sameFieldChangedWhileOpenIsAConflict_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("his") << int(Manager::Mode::His);
        QTest::newRow("live") << int(Manager::Mode::Live);
    }
    void sameFieldChangedWhileOpenIsAConflict()
    {
        QFETCH(int, mode);
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode(mode)));
        const QString id = desk.manager->idAt(18);
        RecordDialog dialog(desk.manager.get(), id);
        show(&dialog);
        QVERIFY(doctorUpdates(id, {{u"ward"_s, u"Ward of the doctor"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.hasExternalChange(), Patience);
        // The list shows his value by now; her form still shows what it was opened with.
        QTRY_COMPARE_WITH_TIMEOUT(
            desk.manager->record(desk.manager->rowOf(id)).value(u"ward").toString(),
            u"Ward of the doctor"_s, Patience);
        retype(editor<QLineEdit>(dialog, u"ward"_s), u"Ward of the nurse"_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.hasConflict(), Patience);
        QVERIFY(!dialog.isSaving());
        QVERIFY(!dialog.saveButton()->isEnabled());
        QVERIFY(dialog.resolveButton()->isVisible());
        QVERIFY(dialog.isVisible());
        QCOMPARE(desk.manager->conflicts().size(), 1);
        QCOMPARE(serverRecord(id).value(u"ward").toString(), u"Ward of the doctor"_s);

        QTest::mouseClick(dialog.resolveButton(), Qt::LeftButton);
        ConflictDialog *conflict = dialog.conflictDialog();
        QVERIFY(conflict);
        QTRY_VERIFY_WITH_TIMEOUT(conflict->isVisible(), Patience);
        QCOMPARE(conflict->fields(), QStringList{u"ward"_s});
        QVERIFY(conflict->isChangedByBoth(u"ward"_s));
        QCOMPARE(conflict->choiceButton(u"ward"_s, ConflictDialog::Choice::Mine)->text(),
                 u"Ward of the nurse"_s);
        QCOMPARE(conflict->choiceButton(u"ward"_s, ConflictDialog::Choice::Theirs)->text(),
                 u"Ward of the doctor"_s);
        QTest::mouseClick(conflict->choiceButton(u"ward"_s, ConflictDialog::Choice::Mine),
                          Qt::LeftButton);
        QTest::mouseClick(conflict->applyButton(), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QTRY_VERIFY_WITH_TIMEOUT(desk.manager->pendingCount() == 0, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(serverRecord(id).value(u"ward").toString(),
                                  u"Ward of the nurse"_s, Patience);
    }

    // Without a connection (HIS mode) the change cannot be saved: said at the top, Save back.
    void offlineSaveIsExplained()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        const QString id = desk.manager->idAt(14);
        RecordDialog dialog(desk.manager.get(), id);
        show(&dialog);
        desk.client.close();
        QTRY_VERIFY_WITH_TIMEOUT(!desk.manager->isConnected(), Patience);
        retype(editor<QLineEdit>(dialog, u"ward"_s), u"Offline ward"_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isSaving(), Patience);
        QVERIFY(dialog.generalErrorText().startsWith(u"Not connected to the server"_s));
        QVERIFY(dialog.saveButton()->isEnabled());
        QVERIFY(dialog.isVisible());
    }

    // Labels carry mnemonics and point at their editors; editors have accessible names.
    void keyboardAndAccessibility()
    {
        Desk desk(m_server.get());
        QVERIFY(desk.start(Manager::Mode::His));
        RecordDialog dialog(desk.manager.get(), desk.manager->idAt(3));
        show(&dialog);
        // Save, Reload, Keep editing; every editable field; no letter twice.
        QSet<QChar> mnemonics;
        const auto take = [&mnemonics](const QString &text) {
            const qsizetype amp = text.indexOf(u'&');
            if (amp < 0)
                return false;
            const QChar key = text.at(amp + 1).toLower();
            if (mnemonics.contains(key))
                return false;
            mnemonics.insert(key);
            return true;
        };
        for (const QPushButton *button :
             {dialog.saveButton(), dialog.reloadButton(), dialog.keepEditingButton()})
            QVERIFY2(take(button->text()), qPrintable(button->text()));
        take(dialog.resolveButton()->text()); // a letter if one is left
        const QList<QLabel *> labels = dialog.findChildren<QLabel *>();
        int editable = 0;
        for (const QLabel *label : labels) {
            if (!label->buddy())
                continue;
            QVERIFY(!label->buddy()->accessibleName().isEmpty());
            const auto *readOnly = qobject_cast<const QLineEdit *>(label->buddy());
            if (readOnly && readOnly->isReadOnly()) {
                if (label->text().contains(u'&'))
                    QVERIFY2(take(label->text()), qPrintable(label->text()));
                continue;
            }
            ++editable;
            QVERIFY2(take(label->text()), qPrintable(label->text()));
        }
        QCOMPARE(editable, 11); // the declared fields
        QVERIFY(!dialog.editorFor(u"id"_s)->accessibleName().isEmpty());
        QCOMPARE(dialog.editorFor(u"hn"_s)->accessibleDescription(), u"Required"_s);

        // Tab goes down the form.
        dialog.editorFor(u"hn"_s)->setFocus();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.focusWidget(), dialog.editorFor(u"hn"_s), Patience);
        QTest::keyClick(dialog.editorFor(u"hn"_s), Qt::Key_Tab);
        QCOMPARE(dialog.focusWidget(), dialog.editorFor(u"name"_s));
    }
};

QTEST_MAIN(TestRecordDialog)
#include "tst_recorddialog.moc"
