// learningRateAt(): warm-up, cosine, step and constant schedules against hand-computed
// values, and the option checks.
#include "core/ml/lr_schedule.h"

#include <QTest>

#include <cmath>

using namespace dw;
using namespace Qt::StringLiterals;

class TestLrSchedule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void values_data();
    void values();
    void cosineIsMonotonic();
    void problems_data();
    void problems();
};

void TestLrSchedule::values_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<qint64>("warmup");
    QTest::addColumn<qint64>("stepSize");
    QTest::addColumn<double>("minLr");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<double>("expected");

    // base 0.1 everywhere; gamma 0.1
    // warm-up over 4 steps: 0.025, 0.05, 0.075, 0.1
    QTest::newRow("warmup first") << u"cosine"_s << qint64(104) << qint64(4) << qint64(0) << 0.0 << qint64(0) << 0.025;
    QTest::newRow("warmup second") << u"cosine"_s << qint64(104) << qint64(4) << qint64(0) << 0.0 << qint64(1) << 0.05;
    QTest::newRow("warmup last") << u"cosine"_s << qint64(104) << qint64(4) << qint64(0) << 0.0 << qint64(3) << 0.1;
    // cosine after warm-up: T = 100; t = 0 -> base; t = 50 -> base/2; t = 25 -> base(1+cos(pi/4))/2
    QTest::newRow("cosine start") << u"cosine"_s << qint64(104) << qint64(4) << qint64(0) << 0.0 << qint64(4) << 0.1;
    QTest::newRow("cosine half") << u"cosine"_s << qint64(104) << qint64(4) << qint64(0) << 0.0 << qint64(54) << 0.05;
    QTest::newRow("cosine quarter") << u"cosine"_s << qint64(104) << qint64(4) << qint64(0) << 0.0 << qint64(29)
                                    << 0.1 * (1.0 + std::sqrt(0.5)) / 2.0;
    QTest::newRow("cosine end") << u"cosine"_s << qint64(104) << qint64(4) << qint64(0) << 0.0 << qint64(104) << 0.0;
    QTest::newRow("cosine past end") << u"cosine"_s << qint64(104) << qint64(4) << qint64(0) << 0.0 << qint64(500)
                                     << 0.0;
    // with a floor: 0.01 + 0.09 * 0.5 at the middle
    QTest::newRow("cosine min half") << u"cosine"_s << qint64(100) << qint64(0) << qint64(0) << 0.01 << qint64(50)
                                     << 0.055;
    QTest::newRow("cosine no warmup") << u"cosine"_s << qint64(100) << qint64(0) << qint64(0) << 0.0 << qint64(0)
                                      << 0.1;
    // step: every 10 steps after a 5-step warm-up
    QTest::newRow("step warmup") << u"step"_s << qint64(100) << qint64(5) << qint64(10) << 0.0 << qint64(1) << 0.04;
    QTest::newRow("step first") << u"step"_s << qint64(100) << qint64(5) << qint64(10) << 0.0 << qint64(5) << 0.1;
    QTest::newRow("step before drop") << u"step"_s << qint64(100) << qint64(5) << qint64(10) << 0.0 << qint64(14)
                                      << 0.1;
    QTest::newRow("step one drop") << u"step"_s << qint64(100) << qint64(5) << qint64(10) << 0.0 << qint64(15) << 0.01;
    QTest::newRow("step two drops") << u"step"_s << qint64(100) << qint64(5) << qint64(10) << 0.0 << qint64(34)
                                    << 0.001;
    QTest::newRow("step size 0") << u"step"_s << qint64(100) << qint64(0) << qint64(0) << 0.0 << qint64(77) << 0.1;
    QTest::newRow("constant") << u"constant"_s << qint64(100) << qint64(0) << qint64(0) << 0.0 << qint64(99) << 0.1;
    QTest::newRow("constant warmup") << u"constant"_s << qint64(100) << qint64(10) << qint64(0) << 0.0 << qint64(4)
                                     << 0.05;
}

void TestLrSchedule::values()
{
    QFETCH(QString, kind);
    QFETCH(qint64, total);
    QFETCH(qint64, warmup);
    QFETCH(qint64, stepSize);
    QFETCH(double, minLr);
    QFETCH(qint64, step);
    QFETCH(double, expected);
    LrScheduleOptions options;
    options.kind = kind;
    options.baseLr = 0.1;
    options.totalSteps = total;
    options.warmupSteps = warmup;
    options.stepSize = stepSize;
    options.gamma = 0.1;
    options.minLr = minLr;
    QVERIFY2(
        std::abs(learningRateAt(options, step) - expected) < 1e-12,
        qPrintable(u"got %1, expected %2"_s.arg(learningRateAt(options, step), 0, 'g', 17).arg(expected, 0, 'g', 17)));
}

void TestLrSchedule::cosineIsMonotonic()
{
    LrScheduleOptions options;
    options.baseLr = 1.0;
    options.totalSteps = 1000;
    options.warmupSteps = 100;
    double previous = 0.0;
    for (qint64 step = 0; step < 100; ++step) {
        const double lr = learningRateAt(options, step);
        QVERIFY(lr > previous);
        previous = lr;
    }
    for (qint64 step = 100; step < 1000; ++step) {
        const double lr = learningRateAt(options, step);
        QVERIFY(lr <= previous);
        QVERIFY(lr >= 0.0);
        previous = lr;
    }
}

void TestLrSchedule::problems_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<double>("baseLr");
    QTest::addColumn<double>("minLr");
    QTest::addColumn<double>("gamma");
    QTest::addColumn<QString>("problem");  // a word the message must contain; empty: no problem
    QTest::newRow("fine") << u"cosine"_s << 0.01 << 0.0 << 0.1 << QString();
    QTest::newRow("unknown kind") << u"linear"_s << 0.01 << 0.0 << 0.1 << u"linear"_s;
    QTest::newRow("zero lr") << u"cosine"_s << 0.0 << 0.0 << 0.1 << u"positive"_s;
    QTest::newRow("nan lr") << u"cosine"_s << std::nan("") << 0.0 << 0.1 << u"positive"_s;
    QTest::newRow("min above base") << u"cosine"_s << 0.01 << 0.1 << 0.1 << u"final"_s;
    QTest::newRow("bad gamma") << u"step"_s << 0.01 << 0.0 << 2.0 << u"gamma"_s;
}

void TestLrSchedule::problems()
{
    QFETCH(QString, kind);
    QFETCH(double, baseLr);
    QFETCH(double, minLr);
    QFETCH(double, gamma);
    QFETCH(QString, problem);
    LrScheduleOptions options;
    options.kind = kind;
    options.baseLr = baseLr;
    options.minLr = minLr;
    options.gamma = gamma;
    const QString message = lrScheduleProblem(options);
    if (problem.isEmpty())
        QVERIFY2(message.isEmpty(), qPrintable(message));
    else
        QVERIFY2(message.contains(problem), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestLrSchedule)
#include "test_lr_schedule.moc"
