// Super-resolution on a CUDA device (QSKIP without one): the plugin trains a few batches on
// the GPU, then a tiled predict on the GPU (several tiles, batches of them) writes the ×2
// raster, which agrees with the same module's predict on the CPU.
#include "core/ml/device_service.h"
#include "core/task/plugin_manager.h"

#include <QTemporaryDir>
#include <QtTest>

#include <gdal_priv.h>

#include <cmath>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

const QString kL7 = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

std::vector<float> readBand(const QString &path, int band, int &width, int &height)
{
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.toUtf8().constData(), GDAL_OF_RASTER));
    if (!ds)
        return {};
    width = ds->GetRasterXSize();
    height = ds->GetRasterYSize();
    std::vector<float> values(static_cast<size_t>(width) * static_cast<size_t>(height));
    if (ds->GetRasterBand(band)->RasterIO(GF_Read, 0, 0, width, height, values.data(), width, height, GDT_Float32, 0, 0) !=
        CE_None)
        return {};
    return values;
}

}  // namespace

class TestSuperResGpu : public QObject {
    Q_OBJECT
    PluginManager m_manager;
    TaskPlugin *m_plugin = nullptr;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        if (!DeviceService::cudaAvailable())
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
        JobContext gpu(u"train"_s, nullptr, {}, u"cuda"_s);
        Result<TaskResult> trained = m_plugin->train(*args, gpu);
        QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(trained.error().text()));
        QVERIFY(std::get<JsonResult>(*trained).object.value(u"metrics"_s).toObject().value(u"psnr"_s).isDouble());

        // Tiles of 64 input pixels in batches of 4: 36 tiles over the scene.
        auto predictOn = [&](const QString &device, const QString &out) {
            Result<QVariantMap> p = m_plugin->predictArguments().validate(
                {{u"module"_s, module}, {u"inputs"_s, kL7}, {u"output"_s, out}, {u"tile"_s, 64}, {u"batch"_s, 4},
                 {u"output-type"_s, u"float32"_s}});
            JobContext context(u"predict"_s, nullptr, {}, device);
            return p.ok() ? m_plugin->predict(*p, context) : Result<TaskResult>(p.error());
        };
        const QString onGpu = m_dir.filePath(u"gpu.tif"_s), onCpu = m_dir.filePath(u"cpu.tif"_s);
        Result<TaskResult> gpuResult = predictOn(u"cuda"_s, onGpu);
        QVERIFY2(gpuResult.ok(), gpuResult.ok() ? "" : qPrintable(gpuResult.error().text()));
        QCOMPARE(std::get<RasterResult>(*gpuResult).width, 698);
        QVERIFY(std::get<RasterResult>(*gpuResult).metadata.value(u"tiles"_s).toInt() > 4);
        Result<TaskResult> cpuResult = predictOn(u"cpu"_s, onCpu);
        QVERIFY2(cpuResult.ok(), cpuResult.ok() ? "" : qPrintable(cpuResult.error().text()));
        int w1 = 0, h1 = 0, w2 = 0, h2 = 0;
        const std::vector<float> a = readBand(onGpu, 3, w1, h1), b = readBand(onCpu, 3, w2, h2);
        QCOMPARE(w1, w2);
        QCOMPARE(h1, h2);
        QVERIFY(!a.empty() && a.size() == b.size());
        double worst = 0.0;
        for (size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, double(std::abs(a[i] - b[i])));
        QVERIFY2(worst < 0.5, qPrintable(u"GPU and CPU differ by up to %1"_s.arg(worst)));  // TF32 may round a little
    }
};

QTEST_GUILESS_MAIN(TestSuperResGpu)
#include "test_superres_gpu.moc"
