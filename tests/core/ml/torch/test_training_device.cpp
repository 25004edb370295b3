// TrainingDevice: parsing of device names, clear errors for CUDA where there is none, and
// the CPU path (float32, no channels_last; bf16 autocast with channels_last where --precision
// says so); on a CUDA machine the GPU defaults.
#include "core/ml/torch/training_device.h"

#include "core/ml/cpu_features.h"
#include "core/ml/torch_compat.h"

#include <QTest>

using namespace dw;
using namespace dw::ml;
using namespace Qt::StringLiterals;

class TestTrainingDevice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cpu_data();
    void cpu();
    void cpuPrecision_data();
    void cpuPrecision();
    void badPrecision();
    void errors_data();
    void errors();
    void cuda();
};

void TestTrainingDevice::cpu_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("cpu") << u"cpu"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("upper case") << u" CPU "_s;
}

void TestTrainingDevice::cpu()
{
    QFETCH(QString, name);
    Result<TrainingDevice> device = TrainingDevice::fromString(name);
    QVERIFY(device.ok());
    QVERIFY(!device->isCuda());
    QVERIFY(!device->mixedPrecision());
    QVERIFY(!device->channelsLast());
    QVERIFY(!device->pinMemory());
    QVERIFY(device->describe().startsWith(u"cpu"_s));

    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3));
    device->prepare(*conv);
    QVERIFY(conv->weight.is_contiguous());
    const torch::Tensor batch = torch::zeros({2, 3, 8, 8});
    QVERIFY(device->toDevice(batch).is_same(batch));  // nothing to move
}

void TestTrainingDevice::cpuPrecision_data()
{
    const bool native = cpuFeatures().nativeBf16();
    QTest::addColumn<QString>("precision");
    QTest::addColumn<bool>("autoBf16");  // the task's rule for auto on the CPU
    QTest::addColumn<bool>("bf16");      // what the run does
    QTest::addColumn<QString>("reason");
    QTest::newRow("auto, bf16 task") << u"auto"_s << true << native << u"auto: "_s;
    QTest::newRow("empty, bf16 task") << QString() << true << native << u"auto: "_s;
    QTest::newRow("auto, fp32 task") << u"auto"_s << false << false << u"train in fp32"_s;
    QTest::newRow("fp32") << u"fp32"_s << true << false << u"asked for"_s;
    QTest::newRow("bf16, fp32 task") << u"BF16"_s << false << true << u"asked for"_s;
}

void TestTrainingDevice::cpuPrecision()
{
    QFETCH(QString, precision);
    QFETCH(bool, autoBf16);
    QFETCH(bool, bf16);
    QFETCH(QString, reason);
    const TrainingDevice::PrecisionRule rule{.cudaBf16 = true, .cpuAutoBf16 = autoBf16};
    Result<TrainingDevice> device = TrainingDevice::forTraining(u"cpu"_s, precision, rule);
    QVERIFY2(device.ok(), device.ok() ? "" : qPrintable(device.error().message));
    QCOMPARE(device->mixedPrecision(), bf16);
    QCOMPARE(device->channelsLast(), bf16);
    QCOMPARE(device->precision(), bf16 ? Precision::Bf16 : Precision::Fp32);
    const QString said = device->describePrecision(precision, rule);
    QVERIFY2(said.startsWith(bf16 ? u"precision: bf16 ("_s : u"precision: fp32 ("_s), qPrintable(said));
    QVERIFY2(said.contains(reason), qPrintable(said));
    QCOMPARE(device->describe().contains(u"bf16 autocast, channels_last"_s), bf16);

    // What a bf16 run does to a convolution: weights and images channels_last, bf16 under autocast.
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3));
    device->prepare(*conv);
    QCOMPARE(conv->weight.is_contiguous(torch::MemoryFormat::ChannelsLast) && !conv->weight.is_contiguous(), bf16);
    const torch::Tensor images = device->toDevice(torch::rand({2, 3, 8, 8}));
    QCOMPARE(images.is_contiguous(torch::MemoryFormat::ChannelsLast) && !images.is_contiguous(), bf16);
    compat::AutocastGuard autocast(device->mixedPrecision(), at::kBFloat16, device->device().type());
    QCOMPARE(conv->forward(images).scalar_type(), bf16 ? torch::kBFloat16 : torch::kFloat32);
}

void TestTrainingDevice::badPrecision()
{
    Result<TrainingDevice> device = TrainingDevice::forTraining(u"cpu"_s, u"fp16"_s, {});
    QVERIFY(!device.ok());
    QVERIFY2(device.error().message.contains(u"use auto, fp32 or bf16"_s), qPrintable(device.error().message));
    QCOMPARE(device.error().field, u"precision"_s);
}

void TestTrainingDevice::errors_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("word");
    QTest::newRow("unknown") << u"tpu"_s << u"cpu, cuda or cuda:N"_s;
    QTest::newRow("bad index") << u"cuda:x"_s << u"cuda"_s;
    QTest::newRow("index out of range") << u"cuda:99"_s << u"cuda"_s;
}

void TestTrainingDevice::errors()
{
    QFETCH(QString, name);
    QFETCH(QString, word);
    Result<TrainingDevice> device = TrainingDevice::fromString(name);
    QVERIFY(!device.ok());
    QVERIFY2(device.error().message.contains(word, Qt::CaseInsensitive), qPrintable(device.error().message));
    QCOMPARE(device.error().field, u"device"_s);
}

void TestTrainingDevice::cuda()
{
    Result<TrainingDevice> automatic = TrainingDevice::fromString(u"auto"_s);
    QVERIFY(automatic.ok());
    if (compat::cudaDeviceCount() == 0) {
        QVERIFY(!automatic->isCuda());
        Result<TrainingDevice> device = TrainingDevice::fromString(u"cuda"_s);
        QVERIFY(!device.ok());
        QVERIFY2(device.error().message.contains(u"--device cpu"_s), qPrintable(device.error().message));
        QSKIP("no CUDA device: only the error was checked");
    }
    QVERIFY(automatic->isCuda());
    QVERIFY(automatic->channelsLast());
    QVERIFY(automatic->pinMemory());
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3));
    automatic->prepare(*conv);
    QVERIFY(conv->weight.is_cuda());
    QVERIFY(conv->weight.is_contiguous(torch::MemoryFormat::ChannelsLast));
    const torch::Tensor batch = automatic->toDevice(torch::zeros({2, 3, 8, 8}).pin_memory());
    QVERIFY(batch.is_cuda());
    QVERIFY(batch.is_contiguous(torch::MemoryFormat::ChannelsLast));
    QVERIFY(automatic->describe().startsWith(u"cuda:0"_s));
}

QTEST_GUILESS_MAIN(TestTrainingDevice)
#include "test_training_device.moc"
