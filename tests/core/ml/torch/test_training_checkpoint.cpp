// TrainingCheckpoint: model, optimiser state, epoch, metadata, best state and random state
// survive a save/load round trip exactly; training continues identically after loading;
// a checkpoint of another network and a damaged file give clear errors.
#include "core/ml/torch/training_checkpoint.h"

#include "core/ml/torch/grouped_optimizer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace dw::ml;
using namespace Qt::StringLiterals;

namespace {
struct Net : torch::nn::Module {
    Net(int hidden = 8)
    {
        fc1 = register_module("fc1", torch::nn::Linear(4, hidden));
        bn = register_module("bn", torch::nn::BatchNorm1d(hidden));
        fc2 = register_module("fc2", torch::nn::Linear(hidden, 3));
    }
    torch::Tensor forward(torch::Tensor x) { return fc2(torch::dropout(torch::relu(bn(fc1(x))), 0.3, is_training())); }
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
    torch::nn::BatchNorm1d bn{nullptr};
};

std::unique_ptr<GroupedOptimizer> adamw(Net &net)
{
    OptimizerSettings settings;
    settings.learningRate = 0.01;
    return std::move(GroupedOptimizer::create({{"all", net.parameters(), 1.0}}, settings).value());
}

void trainSteps(Net &net, GroupedOptimizer &optimizer, int steps)
{
    net.train();
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor x = torch::randn({16, 4});
        optimizer.zeroGrad();
        net.forward(x).pow(2).mean().backward();
        QVERIFY(optimizer.step().ok());
    }
}

bool sameModule(const torch::nn::Module &a, const torch::nn::Module &b)
{
    const auto pa = a.named_parameters(), pb = b.named_parameters();
    for (const auto &item : pa) {
        if (!torch::equal(item.value(), pb[item.key()]))
            return false;
    }
    const auto ba = a.named_buffers(), bb = b.named_buffers();
    for (const auto &item : ba) {
        if (!torch::equal(item.value(), bb[item.key()]))
            return false;
    }
    return true;
}
}  // namespace

class TestTrainingCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripContinuesIdentically();
    void otherNetworkIsRefused();
    void damagedFile();
};

void TestTrainingCheckpoint::roundTripContinuesIdentically()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"last.pt"_s);
    torch::manual_seed(1);
    Net a;
    auto optimizerA = adamw(a);
    trainSteps(a, *optimizerA, 5);

    CheckpointData data;
    data.epoch = 4;
    data.meta = {{u"note"_s, u"four"_s}, {u"value"_s, 0.125}};
    for (const auto &item : a.named_parameters())
        data.bestState.emplace_back(item.key(), item.value().detach().clone() * 2);
    data.random = RandomState::capture();
    QVERIFY(TrainingCheckpoint::save(path, a, optimizerA->optimizer(), data).ok());
    QVERIFY(QFile::exists(path));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);  // no temporary file left

    // run A on
    trainSteps(a, *optimizerA, 3);

    // B starts elsewhere, loads, and must follow A exactly (dropout draws included)
    torch::manual_seed(99);
    Net b;
    auto optimizerB = adamw(b);
    Result<CheckpointData> loaded = TrainingCheckpoint::load(path, b, optimizerB->optimizer(), torch::kCPU);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().text()));
    QCOMPARE(loaded->epoch, 4);
    QCOMPARE(loaded->meta, data.meta);
    QCOMPARE(loaded->bestState.size(), data.bestState.size());
    for (std::size_t i = 0; i < data.bestState.size(); ++i) {
        QCOMPARE(loaded->bestState[i].first, data.bestState[i].first);
        QVERIFY(torch::equal(loaded->bestState[i].second, data.bestState[i].second));
    }
    loaded->random.restore();
    trainSteps(b, *optimizerB, 3);
    QVERIFY(sameModule(a, b));

    const Result<CheckpointData> peeked = TrainingCheckpoint::peek(path);
    QVERIFY(peeked.ok());
    QCOMPARE(peeked->epoch, 4);
    QCOMPARE(peeked->meta.value(u"note"_s).toString(), u"four"_s);
}

void TestTrainingCheckpoint::otherNetworkIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"last.pt"_s);
    Net a(8);
    auto optimizerA = adamw(a);
    QVERIFY(TrainingCheckpoint::save(path, a, optimizerA->optimizer(), {}).ok());
    Net b(16);
    auto optimizerB = adamw(b);
    const Result<CheckpointData> loaded = TrainingCheckpoint::load(path, b, optimizerB->optimizer(), torch::kCPU);
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().message.contains(u"another network"_s), qPrintable(loaded.error().message));
}

void TestTrainingCheckpoint::damagedFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"last.pt"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a checkpoint");
    file.close();
    QVERIFY(!TrainingCheckpoint::peek(path).ok());
    QVERIFY(TrainingCheckpoint::peek(path).error().message.contains(path));
    const Result<CheckpointData> missing = TrainingCheckpoint::peek(dir.filePath(u"none.pt"_s));
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(u"no checkpoint"_s));
}

QTEST_GUILESS_MAIN(TestTrainingCheckpoint)
#include "test_training_checkpoint.moc"
