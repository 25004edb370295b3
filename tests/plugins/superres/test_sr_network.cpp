// The DSen2-style network: output shapes for scales 2 and 6 and 1, 6 and 13 bands, blocks
// and filters configurable, readable parameter names, the identity when the tail is zero
// (output = upsampled input); SrNetworkSpec JSON with validation; bicubic upsampling; NAdam
// against steps computed by hand; NAdam's state through a checkpoint.
#include "core/ml/torch/grouped_optimizer.h"
#include "core/ml/torch/nadam.h"
#include "core/ml/torch/training_checkpoint.h"
#include "plugins/superres/models/bicubic_upsampling.h"
#include "plugins/superres/models/dsen2_network.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

using namespace dw;
using namespace dw::superres;

namespace {
SrNetworkSpec spec(int bands, int blocks = 2, int filters = 8, int scale = 2)
{
    SrNetworkSpec s;
    s.bands = bands;
    s.blocks = blocks;
    s.filters = filters;
    s.scale = scale;
    return s;
}

int64_t countParameters(torch::nn::Module &module)
{
    int64_t n = 0;
    for (const auto &p : module.parameters())
        n += p.numel();
    return n;
}
}  // namespace

class TestSrNetwork : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::manual_seed(1); }

    void shapes_data()
    {
        QTest::addColumn<int>("bands");
        QTest::addColumn<int>("scale");
        for (int bands : {1, 6, 13})
            for (int scale : {2, 6})
                QTest::addRow("%d bands x%d", bands, scale) << bands << scale;
    }
    void shapes()
    {
        QFETCH(int, bands);
        QFETCH(int, scale);
        Dsen2Network net(spec(bands, 2, 8, scale));
        const torch::Tensor low = torch::rand({2, bands, 5, 7});
        const torch::Tensor up = bicubicUpsample(low, scale);
        QCOMPARE(up.sizes().vec(), (std::vector<int64_t>{2, bands, 5 * scale, 7 * scale}));
        const torch::Tensor out = net->forward(up);
        QCOMPARE(out.sizes().vec(), up.sizes().vec());
        QVERIFY(torch::isfinite(out).all().item<bool>());
    }

    void blocksAndFiltersAreConfigurable()
    {
        const auto expected = [](int64_t b, int64_t blocks, int64_t f) {
            return (9 * b * f + f) + blocks * 2 * (9 * f * f + f) + (9 * f * b + b);
        };
        Dsen2Network small(spec(4, 1, 4));
        Dsen2Network wide(spec(4, 3, 16));
        QCOMPARE(countParameters(*small), expected(4, 1, 4));
        QCOMPARE(countParameters(*wide), expected(4, 3, 16));
        Dsen2Network dsen2(spec(6, 6, 128));  // the default size of DSen2
        QCOMPARE(countParameters(*dsen2), expected(6, 6, 128));
    }

    void parameterNamesAreReadable()
    {
        Dsen2Network net(spec(3, 2, 8));
        QStringList names;
        for (const auto &item : net->named_parameters())
            names << QString::fromStdString(item.key());
        for (const char *name : {"head.weight", "head.bias", "blocks.0.conv1.weight", "blocks.0.conv2.bias",
                                 "blocks.1.conv1.weight", "tail.weight", "tail.bias"})
            QVERIFY2(names.contains(QLatin1String(name)), qPrintable(names.join(QLatin1Char(' '))));
    }

    void identityWhenTailIsZero()
    {
        Dsen2Network net(spec(5, 3, 16));
        {
            torch::NoGradGuard noGrad;
            for (auto &item : net->named_parameters())
                if (item.key().rfind("tail.", 0) == 0)
                    item.value().zero_();
        }
        const torch::Tensor x = torch::randn({1, 5, 12, 12});
        QVERIFY(torch::equal(net->forward(x), x));
        // Freshly initialised, the output stays close to the input: the tail starts small
        // (bias 0, weights scaled by 0.1) — within 5 % of the input's mean magnitude.
        Dsen2Network fresh(spec(5, 3, 16));
        QVERIFY(torch::equal(fresh->named_parameters()["tail.bias"], torch::zeros({5})));
        const double change = (fresh->forward(x) - x).abs().mean().item<double>();
        QVERIFY2(change < 0.05 * x.abs().mean().item<double>(), qPrintable(QString::number(change)));
    }

    void bicubicKeepsConstantsAndBlockMeans()
    {
        const torch::Tensor flat = torch::full({1, 2, 4, 4}, 3.5);
        QVERIFY(torch::allclose(bicubicUpsample(flat, 3), torch::full({1, 2, 12, 12}, 3.5)));
        // A ramp 0..7: fine pixel centres x' = (i + 0.5)/2 − 0.5 in coarse units, i = 6 → 2.75,
        // i = 7 → 3.25. Keys' kernel with a = −0.75 weighs the samples at distances 1.75, 0.75,
        // 0.25, 1.25 by −0.03516, 0.26172, 0.87891, −0.10547 (by hand): 2.703125 and
        // 3.296875 (a = −0.75 does not reproduce linear functions exactly; a = −0.5 would).
        const torch::Tensor ramp = torch::arange(8, torch::kFloat32).repeat({1, 1, 8, 1});
        const torch::Tensor up = bicubicUpsample(ramp, 2);
        QVERIFY2(std::abs(up[0][0][4][6].item<double>() - 2.703125) < 1e-4,
                 qPrintable(QString::number(up[0][0][4][6].item<double>())));
        QVERIFY(std::abs(up[0][0][4][7].item<double>() - 3.296875) < 1e-4);
    }

    void specJson()
    {
        const SrNetworkSpec s = spec(13, 4, 64, 6);
        Result<SrNetworkSpec> back = SrNetworkSpec::fromJson(s.toJson());
        QVERIFY(back.ok());
        QCOMPARE(back.value(), s);
        QJsonObject defaults{{QStringLiteral("bands"), 3}};
        QCOMPARE(SrNetworkSpec::fromJson(defaults)->blocks, 6);
        QCOMPARE(SrNetworkSpec::fromJson(defaults)->filters, 128);
        QVERIFY(!SrNetworkSpec::fromJson({}).ok());  // bands required
        QJsonObject bad = s.toJson();
        bad.insert(QStringLiteral("scale"), 1);
        QVERIFY(SrNetworkSpec::fromJson(bad).error().message.contains(QStringLiteral("scale")));
        bad = s.toJson();
        bad.insert(QStringLiteral("filters"), 2.5);
        QVERIFY(!SrNetworkSpec::fromJson(bad).ok());
        bad = s.toJson();
        bad.insert(QStringLiteral("blocks"), 0);
        QVERIFY(SrNetworkSpec::fromJson(bad).error().message.contains(QStringLiteral("blocks")));
    }

    // Three steps on f(θ) = Σ θ² + 0.5 Σ θ with lr 0.1, weight decay 0.01, β (0.9, 0.999),
    // ψ 0.004, computed by hand (double precision) from the update in nadam.h. After the first
    // step the move is lr · sign(g) · (1 + 0.1 μ2 / (1 − μ1 μ2)) for every element.
    void nadamMatchesHandComputedSteps()
    {
        torch::Tensor theta = torch::tensor({1.0, -2.0, 0.5}, torch::kFloat64).requires_grad_(true);
        ml::NAdam optimizer({theta}, ml::NAdamOptions(0.1).weight_decay(0.01));
        const double expected[3][3] = {{0.8943548225853583, -1.8943548224645894, 0.39435482286642254},
                                       {0.8191256211380826, -1.8181820310810217, 0.32146474831391886},
                                       {0.7505898873772135, -1.7482202035931542, 0.25651712278875205}};
        for (const auto &row : expected) {
            optimizer.zero_grad();
            (theta.pow(2).sum() + 0.5 * theta.sum()).backward();
            optimizer.step();
            for (int i = 0; i < 3; ++i)
                QVERIFY2(
                    std::abs(theta[i].item<double>() - row[i]) < 1e-12,
                    qPrintable(
                        QStringLiteral("%1 vs %2").arg(theta[i].item<double>(), 0, 'g', 17).arg(row[i], 0, 'g', 17)));
        }
    }

    void nadamStateSurvivesACheckpoint()
    {
        QTemporaryDir dir;
        const auto run = [](torch::nn::Linear &model, torch::optim::Optimizer &optimizer, int steps) {
            for (int i = 0; i < steps; ++i) {
                optimizer.zero_grad();
                model->forward(torch::ones({4, 3})).pow(2).sum().backward();
                optimizer.step();
            }
        };
        torch::manual_seed(3);
        torch::nn::Linear a(3, 2);
        torch::nn::Linear b(3, 2);
        {
            torch::NoGradGuard noGrad;
            b->weight.copy_(a->weight);
            b->bias.copy_(a->bias);
        }
        ml::OptimizerSettings settings;
        settings.kind = QStringLiteral("nadam");
        settings.learningRate = 0.01;
        settings.weightDecay = 0.0;
        auto oa = ml::GroupedOptimizer::create({{"all", a->parameters(), 1.0}}, settings);
        auto ob = ml::GroupedOptimizer::create({{"all", b->parameters(), 1.0}}, settings);
        QVERIFY(oa.ok() && ob.ok());
        run(a, (*oa)->optimizer(), 5);
        run(b, (*ob)->optimizer(), 2);
        const QString path = dir.filePath(QStringLiteral("ck.pt"));
        QVERIFY(ml::TrainingCheckpoint::save(path, *b, (*ob)->optimizer(), {}).ok());
        torch::nn::Linear c(3, 2);
        auto oc = ml::GroupedOptimizer::create({{"all", c->parameters(), 1.0}}, settings);
        QVERIFY(ml::TrainingCheckpoint::load(path, *c, (*oc)->optimizer(), torch::kCPU).ok());
        run(c, (*oc)->optimizer(), 3);
        QVERIFY(torch::equal(c->weight, a->weight));
        QVERIFY(torch::equal(c->bias, a->bias));
    }
};

QTEST_GUILESS_MAIN(TestSrNetwork)
#include "test_sr_network.moc"
