// SPDX-License-Identifier: MIT
// The words client and server share (livedesk::protocol): import job status names, permission
// actions and how a text's length is counted.

#include "importstatus.h"
#include "permissionaction.h"
#include "textlength.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::ImportStatus;
using livedesk::PermissionAction;
using livedesk::TextLength;

class TestWireVocabulary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statusNamesRoundTrip()
    {
        using V = ImportStatus::Value;
        const QStringList expected{u"pending"_s, u"processing"_s, u"completed"_s, u"failed"_s,
                                   u"cancelled"_s};
        int i = 0;
        for (const V v : {V::Pending, V::Processing, V::Completed, V::Failed, V::Cancelled}) {
            QCOMPARE(ImportStatus::name(v), expected.at(i++));
            QCOMPARE(ImportStatus::fromName(ImportStatus::name(v)), v);
        }
        QVERIFY(!ImportStatus::isFinal(V::Pending));
        QVERIFY(!ImportStatus::isFinal(V::Processing));
        QVERIFY(ImportStatus::isFinal(V::Completed));
        QVERIFY(ImportStatus::isFinal(V::Failed));
        QVERIFY(ImportStatus::isFinal(V::Cancelled));
    }

    void readerIsLenient()
    {
        QCOMPARE(ImportStatus::fromName(u" Completed "), ImportStatus::Value::Completed);
        QCOMPARE(ImportStatus::fromName(u"canceled"), ImportStatus::Value::Cancelled);
        QVERIFY(!ImportStatus::fromName(u"exploded"));
        QVERIFY(!ImportStatus::fromName(u""));
    }

    void permissionActionsRoundTrip()
    {
        using A = PermissionAction::Value;
        const QStringList expected{u"read"_s, u"create"_s, u"update"_s, u"delete"_s};
        int i = 0;
        for (const A a : {A::Read, A::Create, A::Update, A::Delete}) {
            QCOMPARE(PermissionAction::name(a), expected.at(i++));
            QCOMPARE(PermissionAction::fromName(PermissionAction::name(a)), a);
        }
        // The schema is strict: no other spelling is an action.
        QVERIFY(!PermissionAction::fromName(u"Read"));
        QVERIFY(!PermissionAction::fromName(u"write"));
        QVERIFY(!PermissionAction::fromName(u""));
    }

    void lengthIsInCodePoints_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qsizetype>("length");
        QTest::newRow("empty") << QString() << qsizetype(0);
        QTest::newRow("ascii") << u"Malee"_s << qsizetype(5);
        QTest::newRow("thai") << u"มาลี"_s << qsizetype(4);
        // U+1F600 is two UTF-16 units and one code point.
        QTest::newRow("emoji") << QString::fromUcs4(U"a\U0001F600b") << qsizetype(3);
    }
    void lengthIsInCodePoints()
    {
        QFETCH(QString, text);
        QFETCH(qsizetype, length);
        QCOMPARE(TextLength::codePoints(text), length);
    }
};

QTEST_APPLESS_MAIN(TestWireVocabulary)
#include "tst_wirevocabulary.moc"
