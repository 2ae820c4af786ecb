// SPDX-License-Identifier: MIT
// Reconnection backoff: the curve of socket.io-client's backo2 (docs/protocol.md), with the
// random source pinned so every delay is exact.
//
// Expected values by the formula: ms = min * factor^attempt; deviation = floor(r * jitter * ms);
// floor(r * 10) even → ms - deviation, odd → ms + deviation; then min(ms, max). The random
// values are binary fractions (0.125, 0.25, ...) so the products are exact in a double.

#include "socketio/backoff.h"

#include <QtTest/QTest>

#include <climits>

using namespace Qt::StringLiterals;

using livedesk::Backoff;

namespace {

QList<int> take(Backoff &b, int n)
{
    QList<int> out;
    for (int i = 0; i < n; ++i)
        out.append(b.next());
    return out;
}

} // namespace

class TestBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixedRandom_data();
    void fixedRandom();
    void varyingRandom();
    void noJitter();
    void noJitterNeverCallsRandom();
    void attemptsAndReset();
    void neverExceedsMax_data();
    void neverExceedsMax();
    void noOverflowAfterManyAttempts_data();
    void noOverflowAfterManyAttempts();
    void constructorClamps();
    void defaultRandomStaysInRange();
};

void TestBackoff::fixedRandom_data()
{
    QTest::addColumn<double>("r");
    QTest::addColumn<QList<int>>("expected");

    // min 1000, max 5000, jitter 0.5, factor 2: ms = 1000, 2000, 4000, 8000, 16000, 32000.
    // r 0.25: floor(2.5) = 2 even → subtract floor(0.125 * ms) = 125, 250, 500, 1000, 2000.
    QTest::newRow("r 0.25 subtract") << 0.25 << QList<int>{875, 1750, 3500, 5000, 5000, 5000};
    // r 0.375: floor(3.75) = 3 odd → add floor(0.1875 * ms) = 187, 375, 750, ...
    QTest::newRow("r 0.375 add") << 0.375 << QList<int>{1187, 2375, 4750, 5000, 5000, 5000};
    // r 0.875: floor(8.75) = 8 even → subtract floor(0.4375 * ms) = 437, 875, 1750, 3500, 7000.
    QTest::newRow("r 0.875 subtract") << 0.875 << QList<int>{563, 1125, 2250, 4500, 5000, 5000};
    // r 0.625: floor(6.25) = 6 even → subtract floor(0.3125 * ms) = 312, 625, 1250, 2500.
    QTest::newRow("r 0.625 subtract") << 0.625 << QList<int>{688, 1375, 2750, 5000, 5000, 5000};
    // r 0.125: floor(1.25) = 1 odd → add floor(0.0625 * ms) = 62, 125, 250, 500.
    QTest::newRow("r 0.125 add") << 0.125 << QList<int>{1062, 2125, 4250, 5000, 5000, 5000};
    // r 0: even, deviation 0: the bare exponential curve.
    QTest::newRow("r 0") << 0.0 << QList<int>{1000, 2000, 4000, 5000, 5000, 5000};
    // r just below 1: floor(9.99...) = 9 odd → add almost half.
    QTest::newRow("r 0.9990234375 add")
        << 0.9990234375 << QList<int>{1499, 2999, 5000, 5000, 5000, 5000};
}

void TestBackoff::fixedRandom()
{
    QFETCH(double, r);
    QFETCH(QList<int>, expected);

    Backoff b(1000, 5000, 0.5);
    b.setRandom([r] { return r; });
    QCOMPARE(take(b, int(expected.size())), expected);
}

void TestBackoff::varyingRandom()
{
    Backoff b(1000, 5000, 0.5);
    const QList<double> randoms{0.25, 0.375, 0.875, 0.125, 0.0};
    int calls = 0;
    b.setRandom([&] { return randoms.at(calls++ % randoms.size()); });
    // attempt 0: 1000 - 125; 1: 2000 + 375; 2: 4000 - 1750; 3: 8000 + 500 → cap; 4: cap.
    QCOMPARE(take(b, 5), (QList<int>{875, 2375, 2250, 5000, 5000}));
    QCOMPARE(calls, 5); // one random draw per delay
}

void TestBackoff::noJitter()
{
    Backoff b(1000, 5000, 0.0);
    QCOMPARE(take(b, 5), (QList<int>{1000, 2000, 4000, 5000, 5000}));

    Backoff small(50, 200, 0.0);
    QCOMPARE(take(small, 5), (QList<int>{50, 100, 200, 200, 200}));

    Backoff triple(100, 10000, 0.0, 3.0);
    QCOMPARE(take(triple, 5), (QList<int>{100, 300, 900, 2700, 8100}));
}

void TestBackoff::noJitterNeverCallsRandom()
{
    Backoff b(1000, 5000, 0.0);
    int calls = 0;
    b.setRandom([&calls] {
        ++calls;
        return 0.875;
    });
    take(b, 10);
    QCOMPARE(calls, 0);
}

void TestBackoff::attemptsAndReset()
{
    Backoff b(1000, 5000, 0.5);
    b.setRandom([] { return 0.375; });
    QCOMPARE(b.attempts(), 0);
    QCOMPARE(b.next(), 1187);
    QCOMPARE(b.attempts(), 1);
    QCOMPARE(b.next(), 2375);
    QCOMPARE(b.next(), 4750);
    QCOMPARE(b.attempts(), 3);

    b.reset();
    QCOMPARE(b.attempts(), 0);
    // The curve starts over from min.
    QCOMPARE(take(b, 3), (QList<int>{1187, 2375, 4750}));

    // Reset after the cap was reached starts over too.
    take(b, 20);
    QCOMPARE(b.attempts(), 23);
    b.reset();
    QCOMPARE(b.next(), 1187);
}

void TestBackoff::neverExceedsMax_data()
{
    QTest::addColumn<int>("min");
    QTest::addColumn<int>("max");
    QTest::addColumn<double>("jitter");

    QTest::newRow("socket.io defaults") << 1000 << 5000 << 0.5;
    QTest::newRow("full jitter") << 1000 << 5000 << 1.0;
    QTest::newRow("min equals max") << 3000 << 3000 << 0.5;
    QTest::newRow("tiny") << 1 << 2 << 0.5;
    QTest::newRow("tests' fast settings") << 50 << 200 << 0.5;
}

void TestBackoff::neverExceedsMax()
{
    QFETCH(int, min);
    QFETCH(int, max);
    QFETCH(double, jitter);

    for (const double r : {0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 0.9990234375}) {
        Backoff b(min, max, jitter);
        b.setRandom([r] { return r; });
        for (int i = 0; i < 64; ++i) {
            const int d = b.next();
            QVERIFY2(d >= 0 && d <= max,
                     qPrintable(QStringLiteral("r %1 attempt %2: %3").arg(r).arg(i).arg(d)));
        }
    }
}

void TestBackoff::noOverflowAfterManyAttempts_data()
{
    QTest::addColumn<double>("factor");
    QTest::addColumn<double>("r");

    QTest::newRow("factor 2, add") << 2.0 << 0.375;
    QTest::newRow("factor 2, subtract") << 2.0 << 0.875;
    QTest::newRow("factor 2, r 0") << 2.0 << 0.0;
    QTest::newRow("factor 10, subtract") << 10.0 << 0.875;
    QTest::newRow("factor 1000, add") << 1000.0 << 0.9990234375;
    // min * factor^40 overflows a double (1e3 * 1e400 = inf); inf - floor(r * jitter * inf) is
    // NaN, and int(NaN) is undefined (INT_MIN on x86-64).
    QTest::newRow("factor 1e10, subtract") << 1e10 << 0.875;
}

void TestBackoff::noOverflowAfterManyAttempts()
{
    QFETCH(double, factor);
    QFETCH(double, r);

    Backoff b(1000, 5000, 0.5, factor);
    b.setRandom([r] { return r; });
    int bad = 0;
    int last = 0;
    for (int i = 0; i < 1000 && bad == 0; ++i) {
        last = b.next();
        if (last <= 0 || last > 5000)
            bad = last;
    }
    QVERIFY2(bad == 0, qPrintable(u"delay %1 after %2 attempts"_s.arg(bad).arg(b.attempts())));
    QCOMPARE(b.attempts(), 1000);
    // Past the cap, a jitter that adds (or none) gives exactly the maximum; one that subtracts
    // gives max at most (checked above).
    if (r == 0.0 || r == 0.375 || r == 0.9990234375)
        QCOMPARE(last, 5000);
}

void TestBackoff::constructorClamps()
{
    // min below 1 → 1; max below min → min.
    Backoff zero(0, -5, 0.0);
    QCOMPARE(take(zero, 3), (QList<int>{1, 1, 1}));

    Backoff inverted(100, 50, 0.0);
    QCOMPARE(take(inverted, 3), (QList<int>{100, 100, 100}));

    // factor below 1 → 1: the delay never shrinks.
    Backoff shrinking(1000, 5000, 0.0, 0.5);
    QCOMPARE(take(shrinking, 3), (QList<int>{1000, 1000, 1000}));

    // jitter above 1 → 1: r 0.125 (odd) adds floor(0.125 * 1 * 1000) = 125.
    Backoff wild(1000, 5000, 7.0);
    wild.setRandom([] { return 0.125; });
    QCOMPARE(wild.next(), 1125);

    // negative jitter → 0: no randomness at all.
    Backoff negative(1000, 5000, -1.0);
    negative.setRandom([] { return 0.375; });
    QCOMPARE(negative.next(), 1000);

    // Extreme but valid int bounds do not overflow.
    Backoff huge(INT_MAX, INT_MAX, 0.5);
    huge.setRandom([] { return 0.375; });
    QCOMPARE(take(huge, 3), (QList<int>{INT_MAX, INT_MAX, INT_MAX}));
}

void TestBackoff::defaultRandomStaysInRange()
{
    // Without setRandom() the real generator is used: first delay within min ± 50 %.
    for (int i = 0; i < 200; ++i) {
        Backoff b(1000, 5000, 0.5);
        const int d = b.next();
        QVERIFY2(d >= 500 && d <= 1500, qPrintable(QString::number(d)));
    }
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
