// SPDX-License-Identifier: MIT
// The Thai translation: the catalogue compiled from resources/translations/livedesk_th.ts is
// not empty and translates the main window; the .ts itself has every entry finished, none
// left over from removed code, and keeps the placeholders, accelerators and markup of its
// sources; the workstation picks the catalogue from its resources by --lang or the system
// locale; the main window against the embedded server shows Thai menus (screenshot in the
// build tree).
#include "livedeskserver.h"
#include "mainwindow.h"
#include "resourcelistview.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTranslator>
#include <QtCore/QXmlStreamReader>
#include <QtGui/QFontDatabase>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QWizard>

#include <memory>

using namespace Qt::StringLiterals;
using namespace livedesk;

namespace {

constexpr int Patience = 20000;

void screenshot(QWidget *w, const QString &name)
{
    QDir().mkpath(QStringLiteral(LIVEDESK_SCREENSHOT_DIR));
    w->grab().save(QStringLiteral(LIVEDESK_SCREENSHOT_DIR) + u'/' + name + u".png"_s);
}

bool hasThai(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(),
                       [](QChar c) { return c.unicode() >= 0x0E00 && c.unicode() <= 0x0E7F; });
}

// One <message> of a .ts file.
struct Entry
{
    QString context;
    QString source;
    QString comment;
    QString type; // of its <translation>: empty when finished
    QStringList translations; // one, or one per numerus form
    bool numerus = false;
};

QList<Entry> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<Entry> entries;
    QString context;
    Entry entry;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"name") {
            context = xml.readElementText();
        } else if (xml.name() == u"message") {
            entry = {};
            entry.context = context;
            entry.numerus = xml.attributes().value(u"numerus"_s) == u"yes";
        } else if (xml.name() == u"source") {
            entry.source = xml.readElementText();
        } else if (xml.name() == u"comment") {
            entry.comment = xml.readElementText();
        } else if (xml.name() == u"translation") {
            entry.type = xml.attributes().value(u"type"_s).toString();
            if (entry.numerus) {
                while (xml.readNextStartElement()) {
                    if (xml.name() == u"numerusform")
                        entry.translations.append(xml.readElementText());
                    else
                        xml.skipCurrentElement();
                }
            } else {
                entry.translations.append(xml.readElementText());
            }
            entries.append(entry);
        }
    }
    if (xml.hasError())
        *error = u"line %1: %2"_s.arg(xml.lineNumber()).arg(xml.errorString());
    return entries;
}

// What tells messages apart: context, source and disambiguating comment.
QSet<QString> keys(const QList<Entry> &entries)
{
    QSet<QString> out;
    for (const Entry &e : entries)
        out.insert(e.context + u": \""_s + e.source + u'"'
                   + (e.comment.isEmpty() ? QString() : u" ("_s + e.comment + u')'));
    return out;
}

// Every match of a pattern, sorted: what a translation has to keep of its source.
QStringList matches(const QRegularExpression &re, const QString &text)
{
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found.append(it.next().captured());
    found.sort();
    return found;
}

// The workstation's process with a clean home and the given language environment.
QString runApp(const QStringList &arguments, const QString &lang = u"C.UTF-8"_s)
{
    QTemporaryDir home;
    QProcess app;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"XDG_DATA_HOME"_s, home.filePath(u"data"_s));
    env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
    for (const char *name : {"LC_ALL", "LC_MESSAGES", "LANGUAGE"})
        env.remove(QString::fromLatin1(name));
    env.insert(u"LANG"_s, lang);
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(LIVEDESK_APP), arguments);
    if (!app.waitForFinished(30000) || app.exitStatus() != QProcess::NormalExit
        || app.exitCode() != 0) {
        app.kill();
        return {};
    }
    return QString::fromUtf8(app.readAllStandardOutput());
}

} // namespace

class TestTranslation : public QObject
{
    Q_OBJECT

private:
    QTranslator m_thai;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY2(m_thai.load(QStringLiteral(LIVEDESK_QM_FILE)), LIVEDESK_QM_FILE);
    }

    void cleanup()
    {
        QCoreApplication::removeTranslator(&m_thai);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        QSettings().clear();
    }

    void catalogueTranslatesTheMainWindow()
    {
        QVERIFY(!m_thai.isEmpty());
        QCOMPARE(m_thai.language(), u"th_TH"_s);
        QCOMPARE(m_thai.translate("livedesk::MainWindow", "&File"), u"ไฟล์ (&F)"_s);
        QCOMPARE(m_thai.translate("livedesk::MainWindow", "&Mode"), u"โหมด (&M)"_s);
        QCOMPARE(m_thai.translate("livedesk::MainWindow", "&Help"), u"ช่วยเหลือ (&H)"_s);
        QCOMPARE(m_thai.translate("livedesk::MainWindow", "&Import…"), u"นำเข้า (&I)…"_s);
        QCOMPARE(m_thai.translate("livedesk::MainWindow", "Not connected"), u"ไม่ได้เชื่อมต่อ"_s);
        // Numerus forms: Thai has one, and %n is filled in.
        QVERIFY(QCoreApplication::installTranslator(&m_thai));
        QCOMPARE(QCoreApplication::translate("livedesk::ResourceListView", "%n row(s)", nullptr, 5),
                 u"5 แถว"_s);
        QCOMPARE(
            QCoreApplication::translate("livedesk::ResourceListView", "%n conflict(s)", nullptr, 1),
            u"ข้อขัดแย้ง 1 รายการ"_s);
        // Something the catalogue does not know stays as it is.
        QCOMPARE(QCoreApplication::translate("livedesk::MainWindow", "No such text"),
                 u"No such text"_s);
    }

    // Qt's own buttons in Thai from our catalogue of them: the contexts and source texts
    // must be Qt's exactly, which only real Qt widgets can tell.
    void qtStandardButtonsInThai()
    {
        QTranslator standard;
        const QString file
            = QFileInfo(QStringLiteral(LIVEDESK_QM_FILE)).dir().filePath(u"qtstandard_th.qm"_s);
        QVERIFY2(standard.load(file), qPrintable(file));
        QVERIFY(QCoreApplication::installTranslator(&standard));
        QDialogButtonBox box(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        QCOMPARE(box.button(QDialogButtonBox::Ok)->text(), u"ตกลง"_s);
        QCOMPARE(box.button(QDialogButtonBox::Cancel)->text(), u"ยกเลิก"_s);
        QWizard wizard;
        wizard.addPage(new QWizardPage);
        wizard.addPage(new QWizardPage);
        QCOMPARE(wizard.buttonText(QWizard::NextButton), u"ถัดไป (&N) >"_s);
        QCOMPARE(wizard.buttonText(QWizard::BackButton), u"< ย้อนกลับ (&B)"_s);
        QCOMPARE(wizard.buttonText(QWizard::FinishButton), u"เสร็จสิ้น (&F)"_s);
        QCoreApplication::removeTranslator(&standard);
    }

    // The source file: what a refresh from the code left to do, and what a translator may
    // have broken.
    void tsFileIsCompleteAndKeepsItsPlaceholders()
    {
        QString error;
        const QList<Entry> entries = readTs(QStringLiteral(LIVEDESK_TS_FILE), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(entries.size() > 300);
        const QRegularExpression placeholder(u"%(?:L?[1-9][0-9]?|n)"_s);
        // &X marks the accelerator; "&&" is an ampersand and "&amp;"-like words are entities.
        const QRegularExpression accelerator(u"(?<!&)&(?![&\\s]|[a-z]+;)(.)"_s);
        const QRegularExpression tag(u"</?[a-zA-Z][^>]*>"_s);
        QStringList problems;
        int thai = 0;
        for (const Entry &e : entries) {
            const QString where = e.context + u": \""_s + e.source + u"\" "_s;
            if (e.type == u"unfinished") {
                problems.append(where + u"is unfinished"_s);
                continue;
            }
            if (!e.type.isEmpty()) {
                problems.append(where + u"is "_s + e.type + u" (no longer in the code)"_s);
                continue;
            }
            if (e.numerus && e.translations.size() != 1)
                problems.append(where + u"needs exactly one numerus form for Thai"_s);
            for (const QString &t : e.translations) {
                if (t.trimmed().isEmpty()) {
                    problems.append(where + u"has an empty translation"_s);
                    continue;
                }
                if (hasThai(t))
                    ++thai;
                if (matches(placeholder, e.source) != matches(placeholder, t))
                    problems.append(where + u"has other placeholders in \""_s + t + u'"');
                if (matches(tag, e.source) != matches(tag, t))
                    problems.append(where + u"has other markup in \""_s + t + u'"');
                const auto key = accelerator.match(e.source);
                if (key.hasMatch() && !t.contains(u'&' + key.captured(1), Qt::CaseInsensitive))
                    problems.append(where + u"lost its accelerator in \""_s + t + u'"');
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // Nearly everything is Thai (product names and file names stay as they are).
        QVERIFY2(thai > entries.size() * 9 / 10, qPrintable(QString::number(thai)));
    }

    // A refresh from the code (what `./dev translations` does) would change nothing: every
    // tr() of the workstation's layers is in the .ts, and nothing in it is gone from the code.
    void tsFileCoversTheSources()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fresh = dir.filePath(u"livedesk_th.ts"_s);
        QProcess lupdate;
        lupdate.setWorkingDirectory(QStringLiteral(LIVEDESK_SOURCE_DIR));
        lupdate.start(QStringLiteral(LIVEDESK_LUPDATE),
                      {u"-silent"_s, u"-no-obsolete"_s, u"-locations"_s, u"none"_s, u"app"_s,
                       u"ui"_s, u"models"_s, u"statemanager"_s, u"-ts"_s, fresh});
        QVERIFY2(lupdate.waitForFinished(60000), qPrintable(lupdate.errorString()));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
        QString error;
        const QSet<QString> code = keys(readTs(fresh, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QSet<QString> translated = keys(readTs(QStringLiteral(LIVEDESK_TS_FILE), &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QStringList missing = (code - translated).values();
        missing.sort();
        QStringList gone = (translated - code).values();
        gone.sort();
        QVERIFY2(missing.isEmpty(),
                 qPrintable(u"Not in the Thai translation yet (run ./dev translations, then "
                            "translate them):\n"_s
                            + missing.join(u'\n')));
        QVERIFY2(
            gone.isEmpty(),
            qPrintable(u"No longer in the code (run ./dev translations):\n"_s + gone.join(u'\n')));
    }

    // The workstation finds the catalogue in its own resources: by --lang, by the system
    // locale, and not for a language it has none for.
    void appChoosesTheLanguage()
    {
        const QString thai = runApp({u"--lang"_s, u"th"_s, u"--help"_s});
        QVERIFY2(thai.contains(u"ภาษาของหน้าต่าง"_s), qPrintable(thai));
        QVERIFY(thai.contains(u"--lang <code>"_s));
        QVERIFY(runApp({u"--help"_s}, u"th_TH.UTF-8"_s).contains(u"ภาษาของหน้าต่าง"_s));
        const QString english = runApp({u"--lang=en"_s, u"--help"_s}, u"th_TH.UTF-8"_s);
        QVERIFY2(english.contains(u"Language of the window"_s), qPrintable(english));
        QVERIFY(!hasThai(english));
        const QString unknown = runApp({u"--lang"_s, u"xx"_s, u"--help"_s});
        QVERIFY2(unknown.contains(u"Language of the window"_s), qPrintable(unknown));
    }

    void mainWindowInThai()
    {
        QVERIFY(QCoreApplication::installTranslator(&m_thai));
        QLocale::setDefault(QLocale(QLocale::Thai, QLocale::Thailand));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        server::LivedeskServer::Options options;
        options.databasePath = dir.filePath(u"server.sqlite"_s);
        server::LivedeskServer server(options);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));

        auto window = std::make_unique<MainWindow>();
        QStringList titles;
        for (const QAction *menu : window->menuBar()->actions())
            titles.append(menu->text());
        QCOMPARE(titles.value(0), u"ไฟล์ (&F)"_s);
        QCOMPARE(titles.value(1), u"โหมด (&M)"_s);
        QCOMPARE(titles.constLast(), u"ช่วยเหลือ (&H)"_s);
        for (const QString &title : std::as_const(titles))
            QVERIFY2(hasThai(title), qPrintable(title));
        QCOMPARE(window->windowTitle(), u"livedesk — ไม่ได้เชื่อมต่อ"_s);

        window->resize(1100, 700);
        window->show();
        QSignalSpy ready(window.get(), &MainWindow::ready);
        window->connectTo(server.baseUrl(), u"/api/ws/"_s, u"nurse@demo.local"_s, u"nurse"_s);
        QVERIFY(ready.wait(Patience));
        ResourceListView *patients = window->listView(u"patients"_s);
        QVERIFY(patients);
        QTRY_VERIFY_WITH_TIMEOUT(patients->statusText().contains(u"ซิงก์ล่าสุด"_s), Patience);
        QVERIFY2(patients->statusText().contains(u"แถว"_s), qPrintable(patients->statusText()));
        // A font that has Thai glyphs, or the screenshot shows boxes.
        QVERIFY2(!QFontDatabase::families(QFontDatabase::Thai).isEmpty(),
                 "no Thai font installed (fonts-thai-tlwg)");
        screenshot(window.get(), u"mainwindow-th"_s);
    }
};

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
