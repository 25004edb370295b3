// Training on CUDA (skipped without a CUDA device): a few ResNet-18 steps under bf16
// autocast with channels_last on a fixed synthetic batch make the loss fall, the logits come
// out in bf16 and the weights stay float32 in channels_last layout; and trainClassifier()
// runs end to end on the GPU.
#include "core/ml/torch/classification_loss.h"
#include "core/ml/torch/grouped_optimizer.h"
#include "core/ml/torch/training_device.h"
#include "core/ml/torch_compat.h"
#include "core/ml/training_history.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/train/classifier_trainer.h"
#include "shape_images.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace dw::imageclass;
using namespace Qt::StringLiterals;

class TestClassifierTrainerGpu : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void lossFallsWithBf16ChannelsLast();
    void trainsEndToEnd();
};

void TestClassifierTrainerGpu::init()
{
    if (compat::cudaDeviceCount() == 0)
        QSKIP("needs a CUDA device (and a LibTorch with CUDA)");
}

void TestClassifierTrainerGpu::lossFallsWithBf16ChannelsLast()
{
    Result<ml::TrainingDevice> device = ml::TrainingDevice::fromString(u"cuda"_s);
    QVERIFY2(device.ok(), qPrintable(device.ok() ? QString() : device.error().text()));
    QVERIFY(device->channelsLast());
    if (!device->mixedPrecision())
        qWarning("this GPU has no bf16 tensor cores (compute capability < 8.0): float32 only");
    device->configure();

    torch::manual_seed(3);
    auto model = createModel({"resnet18", 3, 10, 64});
    QVERIFY(model);
    device->prepare(*model);
    const torch::Tensor conv = model->named_parameters()["conv1.weight"];
    QVERIFY(conv.is_cuda());
    QCOMPARE(conv.scalar_type(), torch::kFloat32);
    QVERIFY(conv.is_contiguous(torch::MemoryFormat::ChannelsLast));

    ml::OptimizerSettings settings;
    settings.kind = u"sgd"_s;
    settings.learningRate = 0.05;
    auto optimizer = ml::GroupedOptimizer::create({{"all", model->parameters(), 1.0}}, settings);
    QVERIFY(optimizer.ok());
    ml::ClassificationLoss loss;

    // One fixed batch the network can memorise: the loss must fall within a few steps.
    const torch::Tensor images = device->toDevice(torch::randn({32, 3, 64, 64}));
    const torch::Tensor labels = device->toDevice(torch::randint(0, 10, {32}, torch::kInt64));
    QVERIFY(images.is_contiguous(torch::MemoryFormat::ChannelsLast));
    model->train();
    std::vector<double> losses;
    for (int step = 0; step < 15; ++step) {
        (*optimizer)->zeroGrad();
        torch::Tensor logits, value;
        {
            compat::AutocastGuard autocast(device->mixedPrecision());
            logits = model->forward(images);
            value = loss(logits, labels);
        }
        if (device->mixedPrecision())
            QCOMPARE(logits.scalar_type(), torch::kBFloat16);
        QCOMPARE(value.scalar_type(), torch::kFloat32);
        value.backward();
        QVERIFY((*optimizer)->step().ok());
        losses.push_back(value.item<double>());
    }
    qInfo("loss %.3f -> %.3f", losses.front(), losses.back());
    QVERIFY(std::isfinite(losses.back()));
    QVERIFY(losses.back() < 0.5 * losses.front());
    // still float32 master weights after the steps
    QCOMPARE(model->named_parameters()["fc.weight"].scalar_type(), torch::kFloat32);
}

void TestClassifierTrainerGpu::trainsEndToEnd()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(u"shapes"_s);
    QVERIFY(test::writeShapeImages(data,
                                   {{u"circle"_s, test::Shape::Circle, cv::Scalar(40, 40, 230)},
                                    {u"square"_s, test::Shape::Square, cv::Scalar(40, 230, 40)},
                                    {u"cross"_s, test::Shape::Cross, cv::Scalar(230, 40, 40)}},
                                   40, 32, 9));
    TrainRequest r;
    r.dataPath = data;
    r.moduleDir = dir.filePath(u"gpu-module"_s);
    r.architecture = u"resnet18"_s;
    r.imageSize = 32;
    r.epochs = 3;
    r.batchSize = 16;
    r.learningRate = 1e-3;
    r.workers = 4;
    r.valFraction = 0.25;
    r.testFraction = 0.0;
    std::atomic_bool cancel{false};
    QStringList log;
    JobContext context(u"gpu"_s, &cancel, {{}, [&log](const QString &line) { log << line; }, {}}, u"cuda"_s);
    const Result<TrainOutcome> outcome = trainClassifier(r, context);
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().text()));
    QCOMPARE(outcome->stopped, u"completed"_s);
    QVERIFY(!log.filter(u"cuda:"_s).isEmpty());
    auto history = TrainingHistory::load(r.moduleDir + u"/history.json"_s);
    QVERIFY(history.ok());
    qInfo("train loss %.3f -> %.3f, val accuracy %.3f", history->epochs().front().trainLoss,
          history->epochs().back().trainLoss, outcome->bestValAccuracy);
    QVERIFY(history->epochs().back().trainLoss < history->epochs().front().trainLoss);
    QVERIFY(outcome->bestValAccuracy > 0.5);
}

QTEST_GUILESS_MAIN(TestClassifierTrainerGpu)
#include "test_classifier_trainer_gpu.moc"
