// Super-resolution on a CUDA device (QSKIP without one): the plugin trains a few batches on
// the GPU, then a tiled predict on the GPU (several tiles, batches of them) writes the ×2
// raster, which agrees with the same module's predict on the CPU; the same for a guided module
// (its guide packed into the tiles and unpacked with pixel_shuffle on the device).
#include "core/io/raster_reader.h"
#include "core/ml/device_service.h"
#include "core/task/plugin_manager.h"
#include "superres_fixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <gdal_priv.h>

#include <cmath>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

const QString kL7 = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

// The largest difference between band `band` of two rasters of the same size (-1: they differ in size).
double worstDifference(const QString &first, const QString &second, int band);

std::vector<float> readBand(const QString &path, int band, int &width, int &height)
{
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.toUtf8().constData(), GDAL_OF_RASTER));
    if (!ds)
        return {};
    width = ds->GetRasterXSize();
    height = ds->GetRasterYSize();
    std::vector<float> values(static_cast<size_t>(width) * static_cast<size_t>(height));
    if (ds->GetRasterBand(band)->RasterIO(GF_Read, 0, 0, width, height, values.data(), width, height, GDT_Float32, 0,
                                          0) != CE_None)
        return {};
    return values;
}

double worstDifference(const QString &first, const QString &second, int band)
{
    int w1 = 0, h1 = 0, w2 = 0, h2 = 0;
    const std::vector<float> a = readBand(first, band, w1, h1), b = readBand(second, band, w2, h2);
    if (w1 != w2 || h1 != h2 || a.empty() || a.size() != b.size())
        return -1.0;
    double worst = 0.0;
    for (size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, double(std::abs(a[i] - b[i])));
    return worst;
}

}  // namespace

class TestSuperResGpu : public QObject {
    Q_OBJECT
    PluginManager m_manager;
    TaskPlugin *m_plugin = nullptr;
    QTemporaryDir m_dir;
    // DW_GPU_TESTS_ON_CPU=1 runs these checks with "cpu" for "cuda", to check the suite itself
    // on a machine without a GPU (the comparison is then CPU against CPU).
    QString m_device = u"cuda"_s;

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIntValue("DW_GPU_TESTS_ON_CPU") == 1)
            m_device = u"cpu"_s;
        else if (!DeviceService::cudaAvailable())
            QSKIP("needs a CUDA device (and a LibTorch with CUDA)");
        m_manager.load({QStringLiteral(DW_PLUGIN_DIR)});
        m_plugin = m_manager.plugin(u"super-resolution"_s);
        QVERIFY2(m_plugin, "libsuperres.so did not load");
    }

    void trainAndPredictOnCuda()
    {
        const QString module = m_dir.filePath(u"gpu-x2"_s);
        Result<QVariantMap> args = m_plugin->trainArguments().validate({{u"raster"_s, kL7},
                                                                        {u"blocks"_s, 2},
                                                                        {u"filters"_s, 32},
                                                                        {u"patch"_s, 32},
                                                                        {u"patches-per-epoch"_s, 64},
                                                                        {u"batch"_s, 16},
                                                                        {u"epochs"_s, 2},
                                                                        {u"name"_s, u"gpu-x2"_s},
                                                                        {u"output"_s, module}});
        QVERIFY(args.ok());
        JobContext gpu(u"train"_s, nullptr, {}, m_device);
        Result<TaskResult> trained = m_plugin->train(*args, gpu);
        QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(trained.error().text()));
        QVERIFY(std::get<JsonResult>(*trained).object.value(u"metrics"_s).toObject().value(u"psnr"_s).isDouble());

        // Tiles of 64 input pixels in batches of 4: 36 tiles over the scene.
        auto predictOn = [&](const QString &device, const QString &out) {
            Result<QVariantMap> p = m_plugin->predictArguments().validate({{u"module"_s, module},
                                                                           {u"inputs"_s, kL7},
                                                                           {u"output"_s, out},
                                                                           {u"tile"_s, 64},
                                                                           {u"batch"_s, 4},
                                                                           {u"output-type"_s, u"float32"_s}});
            JobContext context(u"predict"_s, nullptr, {}, device);
            return p.ok() ? m_plugin->predict(*p, context) : Result<TaskResult>(p.error());
        };
        const QString onGpu = m_dir.filePath(u"gpu.tif"_s), onCpu = m_dir.filePath(u"cpu.tif"_s);
        Result<TaskResult> gpuResult = predictOn(m_device, onGpu);
        QVERIFY2(gpuResult.ok(), gpuResult.ok() ? "" : qPrintable(gpuResult.error().text()));
        QCOMPARE(std::get<RasterResult>(*gpuResult).width, 698);
        QVERIFY(std::get<RasterResult>(*gpuResult).metadata.value(u"tiles"_s).toInt() > 4);
        Result<TaskResult> cpuResult = predictOn(u"cpu"_s, onCpu);
        QVERIFY2(cpuResult.ok(), cpuResult.ok() ? "" : qPrintable(cpuResult.error().text()));
        const double worst = worstDifference(onGpu, onCpu, 3);
        QVERIFY2(worst >= 0.0 && worst < 0.5,
                 qPrintable(u"GPU and CPU differ by up to %1"_s.arg(worst)));  // TF32 may round a little
    }

    void guidedOnCuda()
    {
        // L7 averaged 2 × 2 is the raster, L7 itself its guide.
        Result<RasterReader> l7 = RasterReader::open(kL7);
        QVERIFY(l7.ok());
        Result<RasterBuffer> scene = l7->read(QRect(0, 0, 348, 352));
        QVERIFY(scene.ok());
        const QStringList names{u"b1"_s, u"b2"_s, u"b3"_s, u"b4"_s, u"b5"_s, u"b6"_s};
        const QString coarse = m_dir.filePath(u"coarse.tif"_s), guide = m_dir.filePath(u"guide.tif"_s);
        QVERIFY(test::writeOnGridOf(coarse, test::blockMean(*scene, 2), l7->info(), 2, names).ok());
        QVERIFY(test::writeOnGridOf(guide, *scene, l7->info(), 1, names).ok());
        const QString module = m_dir.filePath(u"gpu-guided"_s);
        Result<QVariantMap> args = m_plugin->trainArguments().validate({{u"raster"_s, coarse},
                                                                        {u"guide"_s, guide},
                                                                        {u"blocks"_s, 2},
                                                                        {u"filters"_s, 32},
                                                                        {u"patch"_s, 32},
                                                                        {u"patches-per-epoch"_s, 64},
                                                                        {u"batch"_s, 16},
                                                                        {u"epochs"_s, 2},
                                                                        {u"name"_s, u"gpu-guided"_s},
                                                                        {u"output"_s, module}});
        QVERIFY2(args.ok(), args.ok() ? "" : qPrintable(args.error().text()));
        JobContext gpu(u"train"_s, nullptr, {}, m_device);
        Result<TaskResult> trained = m_plugin->train(*args, gpu);
        QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(trained.error().text()));
        auto predictOn = [&](const QString &device, const QString &out) {
            Result<QVariantMap> p = m_plugin->predictArguments().validate({{u"module"_s, module},
                                                                           {u"inputs"_s, coarse},
                                                                           {u"guide"_s, guide},
                                                                           {u"output"_s, out},
                                                                           {u"tile"_s, 64},
                                                                           {u"batch"_s, 4},
                                                                           {u"self-ensemble"_s, 2},
                                                                           {u"output-type"_s, u"float32"_s}});
            JobContext context(u"predict"_s, nullptr, {}, device);
            return p.ok() ? m_plugin->predict(*p, context) : Result<TaskResult>(p.error());
        };
        const QString onGpu = m_dir.filePath(u"guided_gpu.tif"_s), onCpu = m_dir.filePath(u"guided_cpu.tif"_s);
        Result<TaskResult> gpuResult = predictOn(m_device, onGpu);
        QVERIFY2(gpuResult.ok(), gpuResult.ok() ? "" : qPrintable(gpuResult.error().text()));
        QCOMPARE(std::get<RasterResult>(*gpuResult).width, 348);
        Result<TaskResult> cpuResult = predictOn(u"cpu"_s, onCpu);
        QVERIFY2(cpuResult.ok(), cpuResult.ok() ? "" : qPrintable(cpuResult.error().text()));
        const double worst = worstDifference(onGpu, onCpu, 5);
        QVERIFY2(worst >= 0.0 && worst < 0.5, qPrintable(u"GPU and CPU differ by up to %1"_s.arg(worst)));
    }
};

QTEST_GUILESS_MAIN(TestSuperResGpu)
#include "test_superres_gpu.moc"
