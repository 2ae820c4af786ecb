// SPDX-License-Identifier: MIT
// PasswordHash: PBKDF2-HMAC-SHA256 in the self-describing form the schema file stores.

#include "passwordhash.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using livedesk::server::PasswordHash;

class TestPasswordHash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verifiesTheRightPassword();
    void refusesWrongPasswords();
    void saltsEveryHash();
    void format();
    void knownVector();
    void malformed_data();
    void malformed();
};

void TestPasswordHash::verifiesTheRightPassword()
{
    const QString encoded = PasswordHash::hash(u"correct horse"_s, 2000);
    QVERIFY(PasswordHash::verify(u"correct horse"_s, encoded));
    // Non-ASCII passwords are hashed as UTF-8.
    const QString thai = PasswordHash::hash(u"รหัสผ่าน"_s, 2000);
    QVERIFY(PasswordHash::verify(u"รหัสผ่าน"_s, thai));
    QVERIFY(PasswordHash::verify(u""_s, PasswordHash::hash(u""_s, 10)));
}

void TestPasswordHash::refusesWrongPasswords()
{
    const QString encoded = PasswordHash::hash(u"correct horse"_s, 2000);
    QVERIFY(!PasswordHash::verify(u"correct hors"_s, encoded));
    QVERIFY(!PasswordHash::verify(u"Correct horse"_s, encoded));
    QVERIFY(!PasswordHash::verify(u"correct horse "_s, encoded));
    QVERIFY(!PasswordHash::verify(u""_s, encoded));
}

void TestPasswordHash::saltsEveryHash()
{
    const QString a = PasswordHash::hash(u"pw"_s, 100);
    const QString b = PasswordHash::hash(u"pw"_s, 100);
    QVERIFY(a != b);
    QVERIFY(PasswordHash::verify(u"pw"_s, a));
    QVERIFY(PasswordHash::verify(u"pw"_s, b));
}

void TestPasswordHash::format()
{
    const QString encoded = PasswordHash::hash(u"pw"_s, 1234);
    const QStringList parts = encoded.split(u'$');
    QCOMPARE(parts.size(), 4);
    QCOMPARE(parts[0], u"pbkdf2-sha256"_s);
    QCOMPARE(parts[1], u"1234"_s);
    QCOMPARE(QByteArray::fromBase64(parts[2].toLatin1()).size(), 16);
    QCOMPARE(QByteArray::fromBase64(parts[3].toLatin1()).size(), 32);
    QVERIFY(PasswordHash::isWellFormed(encoded));
    QVERIFY(PasswordHash::hash(u"pw"_s).startsWith(
        u"pbkdf2-sha256$%1$"_s.arg(PasswordHash::defaultIterations)));
}

void TestPasswordHash::knownVector()
{
    // Interoperability with other PBKDF2 implementations; the keys were computed with Python's
    // hashlib.pbkdf2_hmac('sha256', password.encode('utf-8'), b'saltsalt', iterations, 32).
    auto encoded = [](int iterations, const char *hexKey) -> QString {
        return u"pbkdf2-sha256$%1$"_s.arg(iterations)
            + QString::fromLatin1(QByteArray("saltsalt").toBase64()) + u'$'
            + QString::fromLatin1(QByteArray::fromHex(hexKey).toBase64());
    };
    const QString ascii
        = encoded(2, "8f45ebd930d419bd84c40a8713d738dc5d5be95b663751de873588f70910a6c4");
    QVERIFY(PasswordHash::verify(u"password"_s, ascii));
    QVERIFY(!PasswordHash::verify(u"passwore"_s, ascii));
    const QString thai
        = encoded(1000, "d134680790de425e6249e8cf43af8f66f6a4046af24da4d198ae662d7a8b1431");
    QVERIFY(PasswordHash::verify(u"รหัสผ่าน"_s, thai));
}

void TestPasswordHash::malformed_data()
{
    QTest::addColumn<QString>("encoded");
    const QString salt = QString::fromLatin1(QByteArray(16, 'x').toBase64());
    const QString key = QString::fromLatin1(QByteArray(32, 'k').toBase64());
    QTest::newRow("empty") << QString();
    QTest::newRow("plain text") << u"secret"_s;
    QTest::newRow("other scheme") << u"bcrypt-sha256$1000$%1$%2"_s.arg(salt, key);
    QTest::newRow("zero iterations") << u"pbkdf2-sha256$0$%1$%2"_s.arg(salt, key);
    QTest::newRow("too many iterations") << u"pbkdf2-sha256$999999999$%1$%2"_s.arg(salt, key);
    QTest::newRow("iterations not a number") << u"pbkdf2-sha256$many$%1$%2"_s.arg(salt, key);
    QTest::newRow("bad base64 salt") << u"pbkdf2-sha256$1000$!!!$%1"_s.arg(key);
    QTest::newRow("short salt") << u"pbkdf2-sha256$1000$c2FsdA==$%1"_s.arg(key);
    QTest::newRow("short key") << u"pbkdf2-sha256$1000$%1$a2V5"_s.arg(salt);
    QTest::newRow("extra part") << u"pbkdf2-sha256$1000$%1$%2$x"_s.arg(salt, key);
}

void TestPasswordHash::malformed()
{
    QFETCH(QString, encoded);
    QVERIFY(!PasswordHash::isWellFormed(encoded));
    QVERIFY(!PasswordHash::verify(u"secret"_s, encoded));
}

QTEST_GUILESS_MAIN(TestPasswordHash)
#include "tst_storepasswordhash.moc"
