// SPDX-License-Identifier: MIT
// The import library's readers on their own: CSV dialects and multipart uploads.
#include "csvreader.h"
#include "multipartform.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::server::CsvReader;
using livedesk::server::MultipartForm;

class TestImportCsv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainCommaFile()
    {
        CsvReader::Table t;
        QString error;
        QVERIFY2(CsvReader::parse("hn,name\nA1,Ann\nA2,Bob\n", &t, &error), qPrintable(error));
        QCOMPARE(t.header, (QStringList{u"hn"_s, u"name"_s}));
        QCOMPARE(t.delimiter, QChar(u','));
        QCOMPARE(t.records.size(), 2); // the final line break makes no empty record
        QCOMPARE(t.records[1].cells, (QStringList{u"A2"_s, u"Bob"_s}));
        QCOMPARE(t.records[1].line, 3);
    }

    void bomSemicolonsQuotesAndLineBreaks()
    {
        const QByteArray bytes = "\xEF\xBB\xBFhn;name;ward\r\n"
                                 "A1;\"Doe; \"\"JJ\"\", Jr.\r\nsecond line\";ICU\r\n"
                                 "A2;\"\";\"a,b\"\r\n";
        CsvReader::Table t;
        QString error;
        QVERIFY2(CsvReader::parse(bytes, &t, &error), qPrintable(error));
        QCOMPARE(t.delimiter, QChar(u';'));
        QCOMPARE(t.header.first(), u"hn"_s); // no BOM left in the first name
        QCOMPARE(t.records.size(), 2);
        QCOMPARE(t.records[0].cells[1], u"Doe; \"JJ\", Jr.\nsecond line"_s);
        QCOMPARE(t.records[1].line, 4); // the quoted line break moved it down a line
        QCOMPARE(t.records[1].cells, (QStringList{u"A2"_s, QString(), u"a,b"_s}));
    }

    void delimiterIsDetectedOutsideQuotesOnly()
    {
        CsvReader::Table t;
        QString error;
        QVERIFY(CsvReader::parse("\"a;b;c\",d\n1,2\n", &t, &error));
        QCOMPARE(t.delimiter, QChar(u','));
        QCOMPARE(t.header, (QStringList{u"a;b;c"_s, u"d"_s}));
    }

    void blankLinesKeepTheirPlace()
    {
        CsvReader::Table t;
        QString error;
        QVERIFY(CsvReader::parse("\n\nhn\n\nA1\r\rA2", &t, &error));
        QCOMPARE(t.headerLine, 3);
        QCOMPARE(t.records.size(), 4);
        QVERIFY(t.records[0].cells.isEmpty());
        QCOMPARE(t.records[1].cells, QStringList{u"A1"_s});
        QVERIFY(t.records[2].cells.isEmpty()); // the lone CR line ends are line ends too
        QCOMPARE(t.records[3].cells, QStringList{u"A2"_s});
        QCOMPARE(t.records[3].line, 7);
    }

    void malformedFilesAreRefusedWithTheirLine_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("empty") << QByteArray() << u"empty"_s;
        QTest::newRow("only a BOM and blanks") << QByteArray("\xEF\xBB\xBF \r\n\r\n") << u"empty"_s;
        QTest::newRow("unterminated quote") << QByteArray("hn,name\nA1,\"Ann\nA2,Bob\n")
                                            << u"Line 2: a quoted field is never closed"_s;
        QTest::newRow("text after closing quote")
            << QByteArray("hn,name\nA1,\"Ann\"x\n") << u"Line 2: unexpected text"_s;
        QTest::newRow("not UTF-8") << QByteArray("hn,name\nA1,Ren\xE9\n") << u"not UTF-8"_s;
    }
    void malformedFilesAreRefusedWithTheirLine()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, fragment);
        CsvReader::Table t;
        QString error;
        QVERIFY(!CsvReader::parse(bytes, &t, &error));
        QVERIFY2(error.contains(fragment), qPrintable(error));
    }

    void formattingRoundTrips()
    {
        const QStringList cells{u"plain"_s, u"with,comma"_s, u"say \"hi\""_s, u"two\nlines"_s,
                                QString()};
        const QString line = CsvReader::formatRecord(cells);
        QCOMPARE(line, u"plain,\"with,comma\",\"say \"\"hi\"\"\",\"two\nlines\","_s);
        CsvReader::Table t;
        QString error;
        QVERIFY(CsvReader::parse(QString(line + u"\n"_s + line).toUtf8(), &t, &error));
        QCOMPARE(t.records.first().cells, cells);
    }

    void multipartWithCrlfAndPreamble()
    {
        const QByteArray body
            = "preamble to ignore\r\n"
              "--XyZ\r\n"
              "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
              "hello\r\n"
              "--XyZ\r\n"
              "Content-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n"
              "Content-Type: text/csv\r\n\r\n"
              "hn,name\r\nA1,Ann\r\n\r\n"
              "--XyZ--\r\n";
        MultipartForm form;
        QString error;
        QVERIFY2(MultipartForm::parse("multipart/form-data; boundary=\"XyZ\"", body, &form, &error),
                 qPrintable(error));
        QCOMPARE(form.parts().size(), 2);
        const auto *file = form.part("file");
        QVERIFY(file);
        QCOMPARE(file->fileName, QByteArray("p.csv"));
        QCOMPARE(file->contentType, QByteArray("text/csv"));
        // The line break before the boundary belongs to the boundary, the file's own stay.
        QCOMPARE(file->body, QByteArray("hn,name\r\nA1,Ann\r\n"));
        QCOMPARE(form.part("note")->body, QByteArray("hello"));
        QCOMPARE(form.firstFile(), file);
    }

    void multipartWithBareLineFeeds()
    {
        const QByteArray body = "--b\n"
                                "Content-Disposition: form-data; name=file; filename=x.csv\n\n"
                                "hn\nA1\n"
                                "--b--";
        MultipartForm form;
        QString error;
        QVERIFY2(MultipartForm::parse("multipart/form-data;boundary=b", body, &form, &error),
                 qPrintable(error));
        QCOMPARE(form.part("file")->body, QByteArray("hn\nA1"));
    }

    void truncatedMultipartIsRefused()
    {
        MultipartForm form;
        QString error;
        QVERIFY(!MultipartForm::parse("multipart/form-data; boundary=b",
                                      "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n"
                                      "hn\r\nA1",
                                      &form, &error));
        QVERIFY2(error.contains(u"closing boundary"_s), qPrintable(error));
        QVERIFY(!MultipartForm::parse("multipart/form-data", "--b--", &form, &error));
        QVERIFY(!MultipartForm::isMultipart("text/csv"));
    }
};

QTEST_GUILESS_MAIN(TestImportCsv)
#include "tst_importcsv.moc"
