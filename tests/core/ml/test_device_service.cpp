// DeviceService: the CPU is listed with its memory, device requests resolve with clear
// errors, LibTorch's thread count follows the hardware, and CUDA devices are listed when
// there are any (the CUDA cases QSKIP on a machine without them).
#include "core/ml/device_service.h"

#include "core/ml/torch_compat.h"

#include <QJsonObject>
#include <QTest>
#include <QThread>

#include <thread>

using namespace dw;
using namespace Qt::StringLiterals;

class TestDeviceService : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cpuIsListed();
    void resolve_data();
    void resolve();
    void cudaRequestedWithoutCuda();
    void cudaRequestedWithCuda();
    void configureThreadsFollowsHardware();
    void cudaDevicesListed();
    void libraryVersions();
};

void TestDeviceService::initTestCase()
{
    // The override is for shared machines; this test checks the default.
    qunsetenv("DEEPWB_THREADS");
}

void TestDeviceService::cpuIsListed()
{
    const QList<DeviceInfo> devices = DeviceService::devices();
    QVERIFY(!devices.isEmpty());
    const DeviceInfo &cpu = devices.first();
    QCOMPARE(cpu.id, u"cpu"_s);
    QVERIFY(!cpu.isCuda);
    QVERIFY(cpu.memoryBytes > 0);
    QVERIFY(cpu.threads >= 1);
    QVERIFY2(cpu.name.contains(u"(%1 threads)"_s.arg(QThread::idealThreadCount())), qPrintable(cpu.name));
    const QJsonObject json = cpu.toJson();
    QCOMPARE(json.value(u"id"_s).toString(), u"cpu"_s);
    QCOMPARE(json.value(u"memory_bytes"_s).toInteger(), cpu.memoryBytes);
    QCOMPARE(json.value(u"cuda"_s).toBool(), false);
}

void TestDeviceService::resolve_data()
{
    QTest::addColumn<QString>("request");
    QTest::addColumn<QString>("expected");  // empty: an error whose message contains `problem`
    QTest::addColumn<QString>("problem");
    const QString automatic = DeviceService::cudaAvailable() ? u"cuda:0"_s : u"cpu"_s;
    QTest::newRow("cpu") << u"cpu"_s << u"cpu"_s << QString();
    QTest::newRow("CPU, spaced") << u" CPU "_s << u"cpu"_s << QString();
    QTest::newRow("auto") << u"auto"_s << automatic << QString();
    QTest::newRow("empty is auto") << QString() << automatic << QString();
    QTest::newRow("unknown") << u"tpu"_s << QString() << u"unknown device 'tpu'; use auto, cpu, cuda or cuda:N"_s;
    QTest::newRow("bad index") << u"cuda:x"_s << QString() << u"unknown device"_s;
}

void TestDeviceService::resolve()
{
    QFETCH(QString, request);
    QFETCH(QString, expected);
    QFETCH(QString, problem);
    const Result<QString> device = DeviceService::resolve(request);
    if (expected.isEmpty()) {
        QVERIFY(!device.ok());
        QCOMPARE(device.error().field, u"device"_s);
        QVERIFY2(device.error().message.contains(problem), qPrintable(device.error().message));
    } else {
        QVERIFY2(device.ok(), qPrintable(device.ok() ? QString() : device.error().text()));
        QCOMPARE(*device, expected);
    }
}

void TestDeviceService::cudaRequestedWithoutCuda()
{
    if (DeviceService::cudaAvailable())
        QSKIP("this machine has CUDA");
    for (const QString &request : {u"cuda"_s, u"cuda:0"_s, u"gpu"_s}) {
        const Result<QString> device = DeviceService::resolve(request);
        QVERIFY(!device.ok());
        const QString message = device.error().message;
        QVERIFY2(message.startsWith(u"CUDA was requested but "_s), qPrintable(message));
        QVERIFY2(message.contains(u"no CUDA support"_s) || message.contains(u"no CUDA device is visible"_s),
                 qPrintable(message));
        QVERIFY2(message.endsWith(u"use --device cpu"_s), qPrintable(message));
    }
}

void TestDeviceService::cudaRequestedWithCuda()
{
    if (!DeviceService::cudaAvailable())
        QSKIP("no CUDA device visible to this LibTorch");
    QCOMPARE(DeviceService::resolve(u"cuda"_s).value(), u"cuda:0"_s);
    QCOMPARE(DeviceService::resolve(u"CUDA:0"_s).value(), u"cuda:0"_s);
    const Result<QString> missing = DeviceService::resolve(u"cuda:99"_s);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().message.contains(u"CUDA device 99 does not exist"_s), qPrintable(missing.error().message));
}

void TestDeviceService::configureThreadsFollowsHardware()
{
    DeviceService::configureThreads();
    QCOMPARE(at::get_num_threads(), QThread::idealThreadCount());
    QCOMPARE(DeviceService::threadCount(), QThread::idealThreadCount());
    // Once: a later change by someone else is not undone by a second call.
    at::set_num_threads(1);
    DeviceService::configureThreads();
    QCOMPARE(at::get_num_threads(), 1);
    at::set_num_threads(QThread::idealThreadCount());
    // A worker thread (where jobs run) sees the same count.
    int inWorker = 0;
    std::thread worker([&inWorker] { inWorker = DeviceService::threadCount(); });
    worker.join();
    QCOMPARE(inWorker, QThread::idealThreadCount());
}

void TestDeviceService::cudaDevicesListed()
{
    if (!DeviceService::cudaAvailable())
        QSKIP("no CUDA device visible to this LibTorch");
    const QList<DeviceInfo> devices = DeviceService::devices();
    QVERIFY(devices.size() >= 2);
    const DeviceInfo &gpu = devices.at(1);
    QCOMPARE(gpu.id, u"cuda:0"_s);
    QVERIFY(gpu.isCuda);
    QVERIFY(!gpu.name.isEmpty());
    QVERIFY(gpu.memoryBytes > 0);
    QVERIFY(!gpu.computeCapability.isEmpty());
    qInfo().noquote() << gpu.name << gpu.memoryBytes / (1 << 20) << "MiB, compute" << gpu.computeCapability;
    // And the device works: a small matrix product on it.
    const torch::Tensor a = torch::ones({64, 64}, torch::TensorOptions().device(torch::kCUDA));
    QCOMPARE((a.mm(a)).sum().item<float>(), 64.0f * 64.0f * 64.0f);
}

void TestDeviceService::libraryVersions()
{
    const LibraryVersions v = dw::libraryVersions();
    QCOMPARE(v.qt, QString::fromLatin1(qVersion()));
    QVERIFY(v.libtorch.startsWith(QString::number(TORCH_VERSION_MAJOR) + u'.'));
    QVERIFY2(v.opencv.startsWith(u"4."_s), qPrintable(v.opencv));
    QVERIFY2(!v.gdal.isEmpty() && v.gdal.at(0).isDigit(), qPrintable(v.gdal));
    QVERIFY2(!v.libarchive.isEmpty() && v.libarchive.at(0).isDigit(), qPrintable(v.libarchive));
    QVERIFY(!v.workbench.isEmpty());
    QCOMPARE(v.cuda, compat::torchHasCuda());
    const QJsonObject json = v.toJson();
    for (const char *key : {"workbench", "qt", "libtorch", "opencv", "gdal", "libarchive", "cuda"})
        QVERIFY2(json.contains(QLatin1StringView(key)), key);
}

QTEST_GUILESS_MAIN(TestDeviceService)
#include "test_device_service.moc"
