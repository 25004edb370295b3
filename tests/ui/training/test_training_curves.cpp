// TrainingCurves draws what trainers name: a graph per metric (losses on the left plot, the
// rest on the right, fractions as per cent), the running batch loss, the learning rate, and
// a module's history.json (older histories without named metrics included).
#include "core/jobs/training_progress.h"
#include "core/ml/training_history.h"
#include "ui/training/training_curves.h"

#include <QTest>
#include <qcustomplot.h>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

TrainingProgress epoch(int n, QList<TrainingMetric> metrics, double lr = 0.01)
{
    TrainingProgress p;
    p.kind = TrainingProgress::Kind::Epoch;
    p.epoch = n;
    p.epochs = 5;
    p.metrics = std::move(metrics);
    p.learningRate = lr;
    return p;
}

TrainingProgress batch(int epochNumber, qint64 step, double loss)
{
    TrainingProgress p;
    p.epoch = epochNumber;
    p.epochs = 5;
    p.step = step;
    p.steps = 10;
    p.metrics = {{u"train_loss"_s, loss, false}};
    return p;
}

}  // namespace

class TestTrainingCurves : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Issue 17 item 13: whole-epoch ticks, and the legends above the curves, not over them.
    void wholeEpochTicksAndLegendsAboveTheCurves()
    {
        TrainingCurves curves;
        curves.resize(600, 500);
        for (int e = 1; e <= 3; ++e)
            curves.addEpoch(epoch(e, {{u"train_loss"_s, 1.0 / e, false}, {u"val_accuracy"_s, 0.5 + 0.1 * e, true}}));
        for (QCustomPlot *plot : {curves.lossPlot(), curves.accuracyPlot()}) {
            auto fixed = plot->xAxis->ticker().dynamicCast<QCPAxisTickerFixed>();
            QVERIFY(fixed);
            QCOMPARE(fixed->tickStep(), 1.0);
            QCOMPARE(fixed->scaleStrategy(), QCPAxisTickerFixed::ssMultiples);
            QCOMPARE(plot->legend->layout(), static_cast<QCPLayout *>(plot->plotLayout()));
            QCOMPARE(plot->axisRect()->insetLayout()->elementCount(), 0);
        }
    }
    void classifierMetrics()
    {
        TrainingCurves curves;
        curves.addEpoch(epoch(1, {{u"train_loss"_s, 1.2, false},
                                  {u"train_accuracy"_s, 0.5, true},
                                  {u"val_loss"_s, 1.0, false},
                                  {u"val_accuracy"_s, 0.62, true}}));
        curves.addEpoch(epoch(2, {{u"train_loss"_s, 0.8, false},
                                  {u"train_accuracy"_s, 0.7, true},
                                  {u"val_loss"_s, 0.7, false},
                                  {u"val_accuracy"_s, 0.75, true}}));
        QCOMPARE(curves.epochCount(), 2);
        QCOMPARE(curves.graph(u"val_loss"_s)->parentPlot(), curves.lossPlot());
        QCOMPARE(curves.graph(u"val_accuracy"_s)->parentPlot(), curves.accuracyPlot());
        QCOMPARE(curves.graph(u"val_accuracy"_s)->data()->at(1)->value, 75.0);
        QCOMPARE(curves.accuracyPlot()->yAxis->range().upper, 100.0);
        QCOMPARE(curves.accuracyPlot()->yAxis->label(), u"accuracy (%)"_s);
        // An F1 beside the accuracies is a fraction too: in per cent on the same axis.
        TrainingCurves scores;
        scores.addEpoch(epoch(1, {{u"val_accuracy"_s, 0.8, true}, {u"val_f1"_s, 0.7, true}}));
        QCOMPARE(scores.graph(u"val_f1"_s)->data()->at(0)->value, 70.0);
        QCOMPARE(scores.accuracyPlot()->yAxis->label(), u"score (%)"_s);
        // A resumed epoch 2 replaces the point.
        curves.addEpoch(epoch(2, {{u"train_loss"_s, 0.9, false}, {u"val_loss"_s, 0.6, false}}));
        QCOMPARE(curves.epochCount(), 2);
        QCOMPARE(curves.graph(u"val_loss"_s)->dataCount(), 2);
        QCOMPARE(curves.graph(u"val_loss"_s)->data()->at(1)->value, 0.6);
    }

    void superResolutionMetrics()
    {
        TrainingCurves curves;
        curves.addEpoch(
            epoch(1, {{u"train_loss"_s, 0.05, false}, {u"val_loss"_s, 0.04, false}, {u"val_psnr"_s, 31.5, true}}));
        curves.addEpoch(
            epoch(2, {{u"train_loss"_s, 0.04, false}, {u"val_loss"_s, 0.03, false}, {u"val_psnr"_s, 32.5, true}}));
        QVERIFY(curves.graph(u"val_psnr"_s));
        QCOMPARE(curves.graph(u"val_psnr"_s)->data()->at(1)->value, 32.5);  // dB as they are
        QVERIFY(curves.accuracyPlot()->yAxis->label().contains(u"PSNR"_s));
        const QCPRange range = curves.accuracyPlot()->yAxis->range();
        QVERIFY2(range.lower < 31.5 && range.upper > 32.5 && range.lower > 25.0,
                 qPrintable(u"%1..%2"_s.arg(range.lower).arg(range.upper)));
        QVERIFY(!curves.graph(u"val_accuracy"_s));
    }

    // Curves shown for one module and then for another task's: no graph of the first is left.
    void clearForgetsTheMetrics()
    {
        TrainingCurves curves;
        curves.addEpoch(epoch(1, {{u"train_loss"_s, 1.2, false}, {u"val_accuracy"_s, 0.62, true}}));
        QCOMPARE(curves.accuracyPlot()->graphCount(), 2);  // the learning rate and val accuracy
        curves.clear();
        QVERIFY(!curves.graph(u"val_accuracy"_s));
        QCOMPARE(curves.accuracyPlot()->graphCount(), 1);
        curves.addEpoch(epoch(1, {{u"train_loss"_s, 0.1, false}, {u"val_loss"_s, 0.2, false}}));
        QCOMPARE(curves.metricNames().size(), 2);
        QCOMPARE(curves.accuracyPlot()->legend->itemCount(), 1);
        QCOMPARE(curves.accuracyPlot()->yAxis->range().upper, 1.0);  // no per cent left over
    }

    void batchesAndLearningRate()
    {
        TrainingCurves curves;
        curves.addBatch(batch(1, 5, 2.0));
        curves.addBatch(batch(1, 10, 1.5));
        curves.addBatch(batch(2, 5, 1.2));
        QCOMPARE(curves.batchCount(), 3);
        // A restarted run goes back in time: the later points go.
        curves.addBatch(batch(1, 2, 2.5));
        QCOMPARE(curves.batchCount(), 1);
        curves.clear();
        QCOMPARE(curves.batchCount(), 0);
        QCOMPARE(curves.epochCount(), 0);
    }

    void fromHistory()
    {
        TrainingHistory history;
        for (int e = 1; e <= 3; ++e) {
            EpochRecord old;  // as older history.json files hold them: no named metrics
            old.epoch = e;
            old.trainLoss = 1.0 / e;
            old.valLoss = 1.1 / e;
            old.lr = 0.01;
            history.add(old);
        }
        history.setBestEpoch(3);
        TrainingCurves curves;
        curves.setHistory(history);
        QCOMPARE(curves.epochCount(), 3);
        QCOMPARE(curves.graph(u"val_loss"_s)->dataCount(), 3);
        QVERIFY(!curves.graph(u"val_accuracy"_s));
        QCOMPARE(curves.batchCount(), 0);
    }
};

QTEST_MAIN(TestTrainingCurves)
#include "test_training_curves.moc"
