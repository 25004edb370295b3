// ReduceOnPlateau: lowers the rate after `patience` epochs without a relative improvement,
// never below minLr; its state survives toJson/fromJson (what checkpoints need).
#include "core/ml/reduce_on_plateau.h"

#include <QtTest>

#include <cmath>

using namespace dw;

class TestReduceOnPlateau : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lowersAfterPatience()
    {
        ReduceOnPlateauOptions options;
        options.factor = 0.5;
        options.patience = 2;
        ReduceOnPlateau plateau(1e-3, options);
        QCOMPARE(plateau.update(1.0), 1e-3);   // first: best
        QCOMPARE(plateau.update(0.9), 1e-3);   // better
        QCOMPARE(plateau.update(0.95), 1e-3);  // bad 1
        QCOMPARE(plateau.update(0.9), 1e-3);   // bad 2 (equal is no improvement)
        QCOMPARE(plateau.update(0.91), 5e-4);  // bad 3 > patience: halved, count restarts
        QCOMPARE(plateau.reductions(), 1);
        QCOMPARE(plateau.badEpochs(), 0);
        QCOMPARE(plateau.update(0.92), 5e-4);
        QCOMPARE(plateau.update(0.5), 5e-4);  // improvement resets
        QCOMPARE(plateau.badEpochs(), 0);
        QCOMPARE(plateau.best(), 0.5);
    }

    void thresholdIsRelative()
    {
        ReduceOnPlateauOptions options;
        options.patience = 0;
        options.threshold = 0.1;  // must fall below 90 % of the best
        ReduceOnPlateau plateau(1.0, options);
        plateau.update(1.0);
        QCOMPARE(plateau.update(0.95), 0.5);  // 0.95 > 0.9: no improvement, patience 0: lowered
        QCOMPARE(plateau.update(0.85), 0.5);  // 0.85 < 0.9: improvement
        QCOMPARE(plateau.best(), 0.85);
    }

    void neverBelowMinimumAndNaNIsNoImprovement()
    {
        ReduceOnPlateauOptions options;
        options.patience = 0;
        options.factor = 0.1;
        options.minLr = 0.05;
        ReduceOnPlateau plateau(1.0, options);
        plateau.update(1.0);
        QCOMPARE(plateau.update(std::nan("")), 0.1);
        QCOMPARE(plateau.update(2.0), 0.05);
        QCOMPARE(plateau.update(2.0), 0.05);
        QCOMPARE(plateau.reductions(), 2);
    }

    void stateRoundTrips()
    {
        ReduceOnPlateauOptions options;
        options.patience = 1;
        options.factor = 0.3;
        ReduceOnPlateau a(0.01, options);
        for (double v : {1.0, 1.1, 1.2, 0.9, 0.95})
            a.update(v);
        ReduceOnPlateau b = ReduceOnPlateau::fromJson(a.toJson());
        QCOMPARE(b.learningRate(), a.learningRate());
        QCOMPARE(b.best(), a.best());
        QCOMPARE(b.badEpochs(), a.badEpochs());
        QCOMPARE(b.reductions(), a.reductions());
        for (double v : {0.97, 0.99, 0.5, 0.6, 0.7}) {
            QCOMPARE(b.update(v), a.update(v));
        }
        QCOMPARE(ReduceOnPlateau::fromJson(ReduceOnPlateau(0.1).toJson()).update(3.0),
                 0.1);  // no best yet: first is best
    }

    void optionsAreChecked()
    {
        ReduceOnPlateauOptions options;
        QVERIFY(ReduceOnPlateau::problem(options).isEmpty());
        options.factor = 1.0;
        QVERIFY(ReduceOnPlateau::problem(options).contains(QStringLiteral("factor")));
        options.factor = 0.5;
        options.patience = -1;
        QVERIFY(ReduceOnPlateau::problem(options).contains(QStringLiteral("patience")));
    }
};

QTEST_GUILESS_MAIN(TestReduceOnPlateau)
#include "test_reduce_on_plateau.moc"
