// TrainingLogParser: the per-epoch log line and the per-batch progress message, exactly as
// the image-classification trainer writes them, become curve points; other lines do not.
#include "ui/training/training_log_parser.h"

#include <QTest>

#include <cmath>

using namespace dw;

class TestTrainingLogParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void epochLine_data();
    void epochLine();
    void otherLinesAreNotEpochs_data();
    void otherLinesAreNotEpochs();
    void progressMessage();
};

void TestTrainingLogParser::epochLine_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("epoch");
    QTest::addColumn<double>("trainLoss");
    QTest::addColumn<double>("valAccuracy");
    QTest::addColumn<double>("lr");
    QTest::addColumn<bool>("best");
    QTest::newRow("best") << QStringLiteral("epoch 3/10: train loss 0.4123, accuracy 85.20 %; val loss 0.5010, accuracy 82.00 % "
                                            "(best); lr 0.000655; 12.3 s (812.5 images/s)")
                          << 3 << 0.4123 << 0.82 << 0.000655 << true;
    QTest::newRow("not best, lr in e-notation")
        << QStringLiteral("epoch 10/10: train loss 0.1000, accuracy 97.00 %; val loss 0.3000, accuracy 90.00 %; lr 3e-05; 1.0 s "
                          "(100.0 images/s); 2 unreadable image(s) skipped")
        << 10 << 0.1 << 0.9 << 3e-05 << false;
    QTest::newRow("nan loss") << QStringLiteral("epoch 1/2: train loss nan, accuracy 10.00 %; val loss nan, accuracy 10.00 %; lr 0.1; 1 s")
                              << 1 << std::numeric_limits<double>::quiet_NaN() << 0.1 << 0.1 << false;
    // A forecaster's line: losses only (the accuracies are NaN, so not plotted).
    QTest::newRow("no accuracy") << QStringLiteral("epoch 18/20: train loss 0.01283, val loss 0.00902 (best); lr 0.000281; 0.0 s "
                                                   "(169089 windows/s)")
                                 << 18 << 0.01283 << std::numeric_limits<double>::quiet_NaN() << 0.000281 << true;
}

void TestTrainingLogParser::epochLine()
{
    QFETCH(QString, line);
    QFETCH(int, epoch);
    QFETCH(double, trainLoss);
    QFETCH(double, valAccuracy);
    QFETCH(double, lr);
    QFETCH(bool, best);
    const std::optional<EpochPoint> p = TrainingLogParser::parseEpochLine(line);
    QVERIFY(p);
    QCOMPARE(p->epoch, epoch);
    if (std::isnan(trainLoss))
        QVERIFY(std::isnan(p->trainLoss));
    else
        QCOMPARE(p->trainLoss, trainLoss);
    QCOMPARE(p->valAccuracy, valAccuracy);
    QCOMPARE(p->lr, lr);
    QCOMPARE(p->best, best);
}

void TestTrainingLogParser::otherLinesAreNotEpochs_data()
{
    QTest::addColumn<QString>("line");
    QTest::newRow("dataset") << QStringLiteral("dataset /data (folder): 3 classes, 90 images; split 72 train / 9 validation / 9 test");
    QTest::newRow("resume") << QStringLiteral("resuming after epoch 2 from /m/checkpoints/last.pt");
    QTest::newRow("progress") << QStringLiteral("epoch 1/2, batch 3/5, loss 1.099");
}

void TestTrainingLogParser::otherLinesAreNotEpochs()
{
    QFETCH(QString, line);
    QVERIFY(!TrainingLogParser::parseEpochLine(line));
}

void TestTrainingLogParser::progressMessage()
{
    const std::optional<BatchPoint> p = TrainingLogParser::parseProgress(QStringLiteral("epoch 2/4, batch 3/12, loss 0.734, ETA 1:02"));
    QVERIFY(p);
    QCOMPARE(p->epoch, 2);
    QCOMPARE(p->epochs, 4);
    QCOMPARE(p->batch, 3);
    QCOMPARE(p->batches, 12);
    QCOMPARE(p->loss, 0.734);
    QCOMPARE(p->position(), 1.25);
    QVERIFY(!TrainingLogParser::parseProgress(QStringLiteral("reading the dataset")));
}

QTEST_APPLESS_MAIN(TestTrainingLogParser)
#include "test_training_log_parser.moc"
