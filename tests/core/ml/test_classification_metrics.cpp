// Classification metrics against values computed by hand (zero divisions following
// scikit-learn's zero_division=0 convention).
#include "core/ml/classification_metrics.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace dw;

namespace {

const QStringList kClasses{QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("fox")};

// Scores that make `prediction` the top class.
std::vector<float> scoresFor(int prediction, int classes)
{
    std::vector<float> p(static_cast<size_t>(classes), 0.1f);
    p[static_cast<size_t>(prediction)] = 0.8f;
    return p;
}

bool close(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

}  // namespace

class TestClassificationMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void handComputed_data()
    {
        QTest::addColumn<QList<int>>("truths");
        QTest::addColumn<QList<int>>("predictions");
        QTest::addColumn<QList<double>>("precision");  // per class
        QTest::addColumn<QList<double>>("recall");
        QTest::addColumn<QList<double>>("f1");
        QTest::addColumn<QList<qint64>>("support");
        QTest::addColumn<QList<double>>("macro");  // precision, recall, f1
        QTest::addColumn<QList<double>>("weighted");
        QTest::addColumn<double>("top1");

        // confusion [[2,1,0],[0,1,1],[1,0,2]]
        QTest::newRow("three classes") << QList<int>{0, 0, 0, 1, 1, 2, 2, 2} << QList<int>{0, 0, 1, 1, 2, 2, 2, 0}
                                       << QList<double>{2. / 3, 1. / 2, 2. / 3} << QList<double>{2. / 3, 1. / 2, 2. / 3}
                                       << QList<double>{2. / 3, 1. / 2, 2. / 3} << QList<qint64>{3, 2, 3}
                                       << QList<double>{11. / 18, 11. / 18, 11. / 18}
                                       << QList<double>{5. / 8, 5. / 8, 5. / 8} << 5. / 8;
        // "fox" is never predicted: its precision is 0/0 -> 0, not NaN.
        QTest::newRow("class never predicted")
            << QList<int>{0, 1, 2, 2} << QList<int>{0, 1, 0, 1} << QList<double>{1. / 2, 1. / 2, 0}
            << QList<double>{1, 1, 0} << QList<double>{2. / 3, 2. / 3, 0} << QList<qint64>{1, 1, 2}
            << QList<double>{1. / 3, 2. / 3, 4. / 9} << QList<double>{1. / 4, 1. / 2, 1. / 3} << 2. / 4;
        // "fox" has no samples but is predicted once: its recall is 0/0 -> 0; it counts in the macro mean.
        QTest::newRow("class without samples")
            << QList<int>{0, 0, 1} << QList<int>{0, 2, 1} << QList<double>{1, 1, 0} << QList<double>{1. / 2, 1, 0}
            << QList<double>{2. / 3, 1, 0} << QList<qint64>{2, 1, 0} << QList<double>{2. / 3, 1. / 2, 5. / 9}
            << QList<double>{1, 2. / 3, 7. / 9} << 2. / 3;
        // "fox" occurs nowhere: left out of the macro mean.
        QTest::newRow("class absent") << QList<int>{0, 1, 0} << QList<int>{0, 1, 1} << QList<double>{1, 1. / 2, 0}
                                      << QList<double>{1. / 2, 1, 0} << QList<double>{2. / 3, 2. / 3, 0}
                                      << QList<qint64>{2, 1, 0} << QList<double>{3. / 4, 3. / 4, 2. / 3}
                                      << QList<double>{5. / 6, 2. / 3, 2. / 3} << 2. / 3;
        QTest::newRow("all wrong") << QList<int>{0, 1, 2} << QList<int>{1, 2, 0} << QList<double>{0, 0, 0}
                                   << QList<double>{0, 0, 0} << QList<double>{0, 0, 0} << QList<qint64>{1, 1, 1}
                                   << QList<double>{0, 0, 0} << QList<double>{0, 0, 0} << 0.0;
        QTest::newRow("no samples") << QList<int>{} << QList<int>{} << QList<double>{0, 0, 0} << QList<double>{0, 0, 0}
                                    << QList<double>{0, 0, 0} << QList<qint64>{0, 0, 0} << QList<double>{0, 0, 0}
                                    << QList<double>{0, 0, 0} << 0.0;
    }

    void handComputed()
    {
        QFETCH(QList<int>, truths);
        QFETCH(QList<int>, predictions);
        QFETCH(QList<double>, precision);
        QFETCH(QList<double>, recall);
        QFETCH(QList<double>, f1);
        QFETCH(QList<qint64>, support);
        QFETCH(QList<double>, macro);
        QFETCH(QList<double>, weighted);
        QFETCH(double, top1);

        // Once from scores, once from bare predictions: both paths agree.
        for (int path = 0; path < 2; ++path) {
            ClassificationMetrics metrics(kClasses);
            for (qsizetype i = 0; i < truths.size(); ++i)
                QVERIFY(path == 0 ? metrics.add(truths[i], scoresFor(predictions[i], 3))
                                  : metrics.addPrediction(truths[i], predictions[i]));
            const ClassificationReport r = metrics.report();
            QCOMPARE(r.samples, truths.size());
            QVERIFY2(close(r.top1, top1), qPrintable(QString::number(r.top1)));
            QCOMPARE(r.perClass.size(), size_t(3));
            for (size_t c = 0; c < 3; ++c) {
                const ClassScores &s = r.perClass[c];
                QCOMPARE(s.name, kClasses[qsizetype(c)]);
                QVERIFY2(close(s.precision, precision[qsizetype(c)]),
                         qPrintable(QStringLiteral("precision %1: %2").arg(c).arg(s.precision)));
                QVERIFY2(close(s.recall, recall[qsizetype(c)]),
                         qPrintable(QStringLiteral("recall %1: %2").arg(c).arg(s.recall)));
                QVERIFY2(close(s.f1, f1[qsizetype(c)]), qPrintable(QStringLiteral("f1 %1: %2").arg(c).arg(s.f1)));
                QCOMPARE(s.support, support[qsizetype(c)]);
            }
            QVERIFY2(close(r.macro.precision, macro[0]), qPrintable(QString::number(r.macro.precision)));
            QVERIFY2(close(r.macro.recall, macro[1]), qPrintable(QString::number(r.macro.recall)));
            QVERIFY2(close(r.macro.f1, macro[2]), qPrintable(QString::number(r.macro.f1)));
            QVERIFY2(close(r.weighted.precision, weighted[0]), qPrintable(QString::number(r.weighted.precision)));
            QVERIFY2(close(r.weighted.recall, weighted[1]), qPrintable(QString::number(r.weighted.recall)));
            QVERIFY2(close(r.weighted.f1, weighted[2]), qPrintable(QString::number(r.weighted.f1)));
            // With 3 classes "top-5" is top-3: always right when the scores are known; from
            // bare predictions only the top class is known.
            QCOMPARE(r.topK, 3);
            QVERIFY(close(r.top5, path == 1 ? top1 : (truths.isEmpty() ? 0.0 : 1.0)));
            // Rows of the confusion matrix sum to the support.
            for (size_t t = 0; t < 3; ++t) {
                qint64 sum = 0;
                for (qint64 v : r.confusion[t])
                    sum += v;
                QCOMPARE(sum, support[qsizetype(t)]);
            }
        }
    }

    void confusionMatrix()
    {
        ClassificationMetrics metrics(kClasses);
        const QList<int> truths{0, 0, 0, 1, 1, 2, 2, 2}, predictions{0, 0, 1, 1, 2, 2, 2, 0};
        for (qsizetype i = 0; i < truths.size(); ++i)
            metrics.add(truths[i], scoresFor(predictions[i], 3));
        const std::vector<std::vector<qint64>> expected{{2, 1, 0}, {0, 1, 1}, {1, 0, 2}};
        QCOMPARE(metrics.report().confusion, expected);
    }

    void topFive_data()
    {
        QTest::addColumn<int>("truth");
        QTest::addColumn<bool>("inTopFive");
        QTest::addColumn<bool>("inTopOne");
        // scores of 7 classes, ranked: c3 > c0 > c6 > c1 > c5 > c2 > c4
        QTest::newRow("rank 1") << 3 << true << true;
        QTest::newRow("rank 2") << 0 << true << false;
        QTest::newRow("rank 5") << 5 << true << false;
        QTest::newRow("rank 6") << 2 << false << false;
        QTest::newRow("rank 7") << 4 << false << false;
    }

    void topFive()
    {
        QFETCH(int, truth);
        QFETCH(bool, inTopFive);
        QFETCH(bool, inTopOne);
        QStringList classes;
        for (int c = 0; c < 7; ++c)
            classes << QStringLiteral("c%1").arg(c);
        ClassificationMetrics metrics(classes);
        QVERIFY(metrics.add(truth, {0.20f, 0.10f, 0.04f, 0.30f, 0.02f, 0.06f, 0.15f}));
        const ClassificationReport r = metrics.report();
        QCOMPARE(r.topK, 5);
        QCOMPARE(r.top5, inTopFive ? 1.0 : 0.0);
        QCOMPARE(r.top1, inTopOne ? 1.0 : 0.0);
    }

    void tiesGoToTheLowerIndex()
    {
        ClassificationMetrics metrics(kClasses);
        QVERIFY(metrics.add(1, {0.4f, 0.4f, 0.2f}));
        QCOMPARE(metrics.report().confusion[1][0], qint64(1));
        QCOMPARE(metrics.report().top1, 0.0);
    }

    void rejectsBadSamples()
    {
        ClassificationMetrics metrics(kClasses);
        QVERIFY(!metrics.add(3, {0.1f, 0.2f, 0.7f}));
        QVERIFY(!metrics.add(-1, {0.1f, 0.2f, 0.7f}));
        QVERIFY(!metrics.add(0, {0.5f, 0.5f}));
        QVERIFY(!metrics.addPrediction(0, 3));
        QCOMPARE(metrics.count(), qint64(0));
    }

    void json()
    {
        ClassificationMetrics metrics(kClasses);
        const QList<int> truths{0, 1, 2, 2}, predictions{0, 1, 0, 1};
        for (qsizetype i = 0; i < truths.size(); ++i)
            metrics.add(truths[i], scoresFor(predictions[i], 3));
        const QJsonObject json = metrics.report().toJson();
        QCOMPARE(json.value(QStringLiteral("samples")).toInteger(), 4);
        QCOMPARE(json.value(QStringLiteral("top1")).toDouble(), 0.5);
        QCOMPARE(json.value(QStringLiteral("top5")).toDouble(), 1.0);
        QCOMPARE(json.value(QStringLiteral("classes")).toArray(), QJsonArray::fromStringList(kClasses));
        const QJsonArray perClass = json.value(QStringLiteral("per_class")).toArray();
        QCOMPARE(perClass.size(), 3);
        const QJsonObject fox = perClass.at(2).toObject();
        QCOMPARE(fox.value(QStringLiteral("class")).toString(), QStringLiteral("fox"));
        QCOMPARE(fox.value(QStringLiteral("precision")).toDouble(), 0.0);  // a number, not null (NaN)
        QCOMPARE(fox.value(QStringLiteral("support")).toInteger(), 2);
        QVERIFY(close(json.value(QStringLiteral("macro")).toObject().value(QStringLiteral("f1")).toDouble(), 4. / 9));
        QVERIFY(
            close(json.value(QStringLiteral("weighted")).toObject().value(QStringLiteral("recall")).toDouble(), 0.5));
        const QJsonArray matrix = json.value(QStringLiteral("confusion_matrix")).toArray();
        QCOMPARE(matrix.size(), 3);
        QCOMPARE(matrix.at(2).toArray(), (QJsonArray{1, 1, 0}));
    }
};

QTEST_GUILESS_MAIN(TestClassificationMetrics)
#include "test_classification_metrics.moc"
