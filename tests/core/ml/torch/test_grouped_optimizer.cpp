// GroupedOptimizer: SGD/Adam/AdamW over parameter groups with learning-rate factors, frozen
// parameters left out, and clear errors for bad settings.
#include "core/ml/torch/grouped_optimizer.h"

#include <QTest>

using namespace dw::ml;
using namespace Qt::StringLiterals;

class TestGroupedOptimizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void groupsAndRates_data();
    void groupsAndRates();
    void frozenParametersStay();
    void errors_data();
    void errors();
};

void TestGroupedOptimizer::groupsAndRates_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("sgd") << u"sgd"_s;
    QTest::newRow("adam") << u"adam"_s;
    QTest::newRow("adamw") << u"adamw"_s;
}

void TestGroupedOptimizer::groupsAndRates()
{
    QFETCH(QString, kind);
    torch::Tensor backbone = torch::ones({3}, torch::requires_grad());
    torch::Tensor head = torch::ones({2}, torch::requires_grad());
    OptimizerSettings settings;
    settings.kind = kind;
    settings.learningRate = 0.5;
    settings.weightDecay = 0.0;
    auto optimizer =
        GroupedOptimizer::create({{"backbone", {backbone}, 0.1}, {"head", {head}, 1.0}, {"empty", {}, 1.0}}, settings);
    QVERIFY(optimizer.ok());
    GroupedOptimizer &o = *optimizer.value();
    QCOMPARE(o.groupCount(), std::size_t(2));  // the empty group is dropped
    QCOMPARE(o.groupNames().at(1), std::string("head"));
    QCOMPARE(o.parameterCount(), 5);
    QCOMPARE(o.learningRate(0), 0.05);
    o.setLearningRate(0.2);
    QVERIFY(std::abs(o.learningRate(0) - 0.02) < 1e-15);
    QCOMPARE(o.learningRate(1), 0.2);

    // one step on loss = sum(p): SGD moves each parameter by its group's rate
    o.zeroGrad();
    (backbone.sum() + head.sum()).backward();
    QVERIFY(o.step().ok());
    const double movedBackbone = 1.0 - backbone[0].item<double>();
    const double movedHead = 1.0 - head[0].item<double>();
    QVERIFY(movedBackbone > 0 && movedHead > 0);
    if (kind == u"sgd"_s) {  // first Nesterov step: lr × (1 + momentum) × grad
        QVERIFY(std::abs(movedBackbone - 0.02 * 1.9) < 1e-6);
        QVERIFY(std::abs(movedHead - 0.2 * 1.9) < 1e-6);
    } else {  // Adam's first step is lr × sign(grad)
        QVERIFY(std::abs(movedBackbone - 0.02) < 1e-5);
        QVERIFY(std::abs(movedHead - 0.2) < 1e-5);
    }
}

void TestGroupedOptimizer::frozenParametersStay()
{
    torch::Tensor frozen = torch::ones({2});  // no grad
    torch::Tensor trained = torch::ones({2}, torch::requires_grad());
    auto optimizer = GroupedOptimizer::create({{"all", {frozen, trained}, 1.0}}, {});
    QVERIFY(optimizer.ok());
    QCOMPARE(optimizer.value()->parameterCount(), 2);
    auto none = GroupedOptimizer::create({{"all", {frozen}, 1.0}}, {});
    QVERIFY(!none.ok());
    QVERIFY(none.error().message.contains(u"frozen"_s));
}

void TestGroupedOptimizer::errors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("decay");
    QTest::addColumn<QString>("field");
    QTest::newRow("kind") << u"rmsprop"_s << 0.1 << 0.0 << u"optimizer"_s;
    QTest::newRow("lr") << u"sgd"_s << 0.0 << 0.0 << u"lr"_s;
    QTest::newRow("decay") << u"adamw"_s << 0.1 << -1.0 << u"weight-decay"_s;
}

void TestGroupedOptimizer::errors()
{
    QFETCH(QString, kind);
    QFETCH(double, lr);
    QFETCH(double, decay);
    QFETCH(QString, field);
    OptimizerSettings settings;
    settings.kind = kind;
    settings.learningRate = lr;
    settings.weightDecay = decay;
    auto optimizer = GroupedOptimizer::create({{"all", {torch::ones({1}, torch::requires_grad())}, 1.0}}, settings);
    QVERIFY(!optimizer.ok());
    QCOMPARE(optimizer.error().field, field);
}

QTEST_GUILESS_MAIN(TestGroupedOptimizer)
#include "test_grouped_optimizer.moc"
