// ClassificationLoss: plain, label-smoothed and class-weighted cross entropy against
// hand-computed values; balanced class weights as scikit-learn computes them.
#include "core/ml/torch/classification_loss.h"

#include <QTest>

#include <cmath>

using namespace dw::ml;

class TestClassificationLoss : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plainAndSmoothed_data();
    void plainAndSmoothed();
    void weighted();
    void balancedWeights();
    void bf16LogitsGiveFloatLoss();
};

void TestClassificationLoss::plainAndSmoothed_data()
{
    QTest::addColumn<double>("smoothing");
    QTest::newRow("none") << 0.0;
    QTest::newRow("0.1") << 0.1;
    QTest::newRow("0.3") << 0.3;
}

void TestClassificationLoss::plainAndSmoothed()
{
    QFETCH(double, smoothing);
    // one sample, logits (2, 0, 0), truth 0; a second sample, logits (0, 1, 3), truth 2
    const torch::Tensor logits = torch::tensor({2.0f, 0.0f, 0.0f, 0.0f, 1.0f, 3.0f}).view({2, 3});
    const torch::Tensor targets = torch::tensor({int64_t(0), int64_t(2)});
    auto sampleLoss = [smoothing](std::vector<double> z, int truth) {
        double sum = 0;
        for (double v : z)
            sum += std::exp(v);
        const double lse = std::log(sum);
        double all = 0;
        for (double v : z)
            all += -(v - lse);
        return (1.0 - smoothing) * -(z[truth] - lse) + smoothing / 3.0 * all;
    };
    const double expected = (sampleLoss({2, 0, 0}, 0) + sampleLoss({0, 1, 3}, 2)) / 2.0;
    const double got = ClassificationLoss({}, smoothing)(logits, targets).item<double>();
    QVERIFY2(std::abs(got - expected) < 1e-6, qPrintable(QStringLiteral("%1 vs %2").arg(got).arg(expected)));
}

void TestClassificationLoss::weighted()
{
    const torch::Tensor logits = torch::tensor({2.0f, 0.0f, 0.0f, 1.0f}).view({2, 2});
    const torch::Tensor targets = torch::tensor({int64_t(0), int64_t(1)});
    const double l0 = -(2.0 - std::log(std::exp(2.0) + 1.0));
    const double l1 = -(1.0 - std::log(1.0 + std::exp(1.0)));
    // PyTorch's weighted mean: sum w_y × loss / sum w_y
    const double expected = (1.0 * l0 + 3.0 * l1) / 4.0;
    const double got = ClassificationLoss(torch::tensor({1.0f, 3.0f}))(logits, targets).item<double>();
    QVERIFY2(std::abs(got - expected) < 1e-6, qPrintable(QStringLiteral("%1 vs %2").arg(got).arg(expected)));
}

void TestClassificationLoss::balancedWeights()
{
    // 10 images: 6, 3, 1 and an empty class -> n / (K n_c) with K = 4
    const torch::Tensor w = ClassificationLoss::balancedWeights({6, 3, 1, 0});
    QCOMPARE(w.size(0), 4);
    QVERIFY(std::abs(w[0].item<double>() - 10.0 / 24.0) < 1e-6);
    QVERIFY(std::abs(w[1].item<double>() - 10.0 / 12.0) < 1e-6);
    QVERIFY(std::abs(w[2].item<double>() - 10.0 / 4.0) < 1e-6);
    QCOMPARE(w[3].item<double>(), 0.0);
    // equal classes: all ones
    QVERIFY(torch::allclose(ClassificationLoss::balancedWeights({5, 5}), torch::ones({2})));
}

void TestClassificationLoss::bf16LogitsGiveFloatLoss()
{
    const torch::Tensor logits = torch::randn({4, 3}).to(torch::kBFloat16);
    const torch::Tensor loss =
        ClassificationLoss({}, 0.1)(logits, torch::tensor({int64_t(0), int64_t(1), int64_t(2), int64_t(0)}));
    QCOMPARE(loss.scalar_type(), torch::kFloat32);
    QVERIFY(std::isfinite(loss.item<double>()));
}

QTEST_GUILESS_MAIN(TestClassificationLoss)
#include "test_classification_loss.moc"
