// TrainingDevice: parsing of device names, clear errors for CUDA where there is none, and
// the CPU path (float32, no channels_last); on a CUDA machine the GPU defaults.
#include "core/ml/torch/training_device.h"

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
    device->setMixedPrecision(true);  // refused on the CPU
    device->setChannelsLast(true);
    QVERIFY(!device->mixedPrecision());
    QVERIFY(!device->channelsLast());
    QVERIFY(device->describe().startsWith(u"cpu"_s));

    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3));
    device->prepare(*conv);
    QVERIFY(conv->weight.is_contiguous());
    const torch::Tensor batch = torch::zeros({2, 3, 8, 8});
    QVERIFY(device->toDevice(batch).is_same(batch));  // nothing to move
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
