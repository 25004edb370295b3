// EarlyStopping: best epoch tracking, patience, min delta, NaN, and the state round trip
// that checkpoints rely on.
#include "core/ml/early_stopping.h"

#include <QTest>

#include <cmath>
#include <vector>

using namespace dw;

class TestEarlyStopping : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sequence_data();
    void sequence();
    void minDelta();
    void nanNeverImproves();
    void roundTrip();
};

void TestEarlyStopping::sequence_data()
{
    QTest::addColumn<int>("patience");
    QTest::addColumn<std::vector<double>>("values");
    QTest::addColumn<int>("stopAfter");  // the epoch after which shouldStop() first holds; 0: never
    QTest::addColumn<int>("bestEpoch");
    QTest::newRow("improving") << 2 << std::vector<double>{0.1, 0.2, 0.3, 0.4} << 0 << 4;
    QTest::newRow("plateau") << 2 << std::vector<double>{0.5, 0.6, 0.6, 0.55, 0.7} << 4 << 2;
    QTest::newRow("patience 1") << 1 << std::vector<double>{0.5, 0.4, 0.9} << 2 << 1;
    QTest::newRow("recovers in time") << 3 << std::vector<double>{0.5, 0.4, 0.4, 0.6, 0.1, 0.1, 0.1} << 7 << 4;
    QTest::newRow("no patience") << 0 << std::vector<double>{0.9, 0.1, 0.1, 0.1, 0.1} << 0 << 1;
}

void TestEarlyStopping::sequence()
{
    QFETCH(int, patience);
    QFETCH(std::vector<double>, values);
    QFETCH(int, stopAfter);
    QFETCH(int, bestEpoch);
    EarlyStopping stopping(patience);
    QCOMPARE(stopping.bestEpoch(), 0);
    QVERIFY(!stopping.hasBest());
    int stoppedAt = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int epoch = static_cast<int>(i) + 1;
        stopping.update(epoch, values[i]);
        if (stopping.shouldStop()) {
            stoppedAt = epoch;
            break;  // the trainer stops here
        }
    }
    QCOMPARE(stoppedAt, stopAfter);
    QCOMPARE(stopping.bestEpoch(), bestEpoch);
    QCOMPARE(stopping.bestValue(), values[static_cast<std::size_t>(bestEpoch - 1)]);
}

void TestEarlyStopping::minDelta()
{
    EarlyStopping stopping(2, 0.01);
    QVERIFY(stopping.update(1, 0.50));
    QVERIFY(!stopping.update(2, 0.505));  // not by more than 0.01
    QCOMPARE(stopping.epochsWithoutImprovement(), 1);
    QVERIFY(stopping.update(3, 0.52));
    QCOMPARE(stopping.bestEpoch(), 3);
    QCOMPARE(stopping.epochsWithoutImprovement(), 0);
}

void TestEarlyStopping::nanNeverImproves()
{
    EarlyStopping stopping(1);
    QVERIFY(!stopping.update(1, std::nan("")));
    QVERIFY(!stopping.hasBest());
    QVERIFY(stopping.shouldStop());
    QVERIFY(stopping.update(2, 0.1));
    QVERIFY(!stopping.shouldStop());
}

void TestEarlyStopping::roundTrip()
{
    EarlyStopping stopping(3, 0.001);
    stopping.update(1, 0.25);
    stopping.update(2, 0.75);
    stopping.update(3, 0.5);
    const EarlyStopping copy = EarlyStopping::fromJson(stopping.toJson());
    QCOMPARE(copy.patience(), 3);
    QCOMPARE(copy.bestEpoch(), 2);
    QCOMPARE(copy.bestValue(), 0.75);
    QCOMPARE(copy.epochsWithoutImprovement(), 1);
    // Both continue the same way.
    EarlyStopping a = stopping, b = copy;
    for (int epoch = 4; epoch <= 6; ++epoch) {
        QCOMPARE(a.update(epoch, 0.7505), b.update(epoch, 0.7505));
        QCOMPARE(a.shouldStop(), b.shouldStop());
    }
    QVERIFY(a.shouldStop());
}

QTEST_GUILESS_MAIN(TestEarlyStopping)
#include "test_early_stopping.moc"
