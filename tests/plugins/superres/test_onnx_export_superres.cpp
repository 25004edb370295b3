// Issue 19: super-resolution networks (plain and guided) written as ONNX. The files pass the
// ONNX checkers (C++ and python3-onnx); OpenCV DNN gives LibTorch's output on tiles of the
// Landsat 7 scene, at more than one tile size (height and width are dynamic); the demo
// module's file, normalisation folded in, gives what the workbench's own super-resolver gives
// on raw Landsat values, and carries its metadata and QGIS Deepness's keys.
#include "core/io/raster_buffer.h"
#include "core/ml/torch/onnx_export.h"
#include "core/onnx/onnx_graph.h"
#include "onnx_check.h"
#include "plugins/superres/export/onnx_superres_export.h"
#include "plugins/superres/models/bicubic_upsampling.h"
#include "plugins/superres/models/dsen2_network.h"
#include "plugins/superres/module/loaded_superresolver.h"

#include <gdal_priv.h>
#include <torch/torch.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace dw::superres;

namespace {

const QString kScene = QStringLiteral(DW_TEST_DATA_DIR "/../../resources/demo-samples/landsat7-held-out-rows.tif");
const QString kDemo = QStringLiteral(DW_TEST_DATA_DIR "/../../resources/demo-modules/landsat-x2-demo");

// A width×height window of the scene's 6 bands at (x, y), raw values: 1×6×h×w.
torch::Tensor landsatTile(int x, int y, int width, int height)
{
    GDALAllRegister();
    std::unique_ptr<GDALDataset> dataset(
        GDALDataset::Open(kScene.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!dataset)
        return {};
    const int bands = dataset->GetRasterCount();
    torch::Tensor tile = torch::empty({1, bands, height, width}, torch::kFloat32);
    if (dataset->RasterIO(GF_Read, x, y, width, height, tile.data_ptr<float>(), width, height, GDT_Float32, bands,
                          nullptr, 0, 0, 0, nullptr) != CE_None)
        return {};
    return tile;
}

torch::Tensor standardised(const torch::Tensor &tile)
{
    return (tile - tile.mean({2, 3}, true)) / (torch::std(tile, {2, 3}, /*unbiased=*/true, /*keepdim=*/true) + 1.0);
}

}  // namespace

class TestOnnxExportSuperres : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyNetworkMatchesOpenCv_data()
    {
        QTest::addColumn<int>("bands");
        QTest::addColumn<int>("guideBands");
        QTest::addColumn<int>("scale");
        QTest::newRow("plain x2, 6 bands") << 6 << 0 << 2;
        QTest::newRow("plain x3, 3 bands") << 3 << 0 << 3;
        QTest::newRow("guided x2, 5 bands + 1") << 5 << 1 << 2;
    }

    void everyNetworkMatchesOpenCv()
    {
        QFETCH(int, bands);
        QFETCH(int, guideBands);
        QFETCH(int, scale);
        torch::manual_seed(11);
        SrNetworkSpec spec;
        spec.bands = bands;
        spec.guideBands = guideBands;
        spec.blocks = 2;
        spec.filters = 16;
        spec.scale = scale;
        Dsen2Network network(spec);
        {
            torch::NoGradGuard noGrad;  // a tail that matters (its initial weights are small)
            for (auto &p : network->parameters())
                p.mul_(3.0);
        }
        network->eval();
        const int channels = bands + guideBands * scale * scale;

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sr.onnx"));
        ml::OnnxExportSpec exportSpec;
        exportSpec.graphName = "sr";
        exportSpec.inputDims = {{-1, "batch"}, {channels, {}}, {-1, "height"}, {-1, "width"}};
        exportSpec.outputDims = {{-1, "batch"}, {bands, {}}, {-1, "out_height"}, {-1, "out_width"}};
        exportSpec.sample = torch::randn({1, channels, 16, 16});
        Dsen2NetworkImpl &net = *network;
        Result<ml::OnnxExportReport> report = ml::exportOnnx(
            exportSpec, {},
            [&](ml::OnnxEmitter &e, const ml::OnnxValue &in) { return emitSuperResolution(e, net, in, nullptr); },
            path);
        DW_VERIFY_OK(report);
        const Result<void> checked = checkOnnxFile(path);
        DW_VERIFY_OK(checked);
        const QString python = test::pythonOnnxCheck(path);
        QVERIFY2(python.isEmpty(), qPrintable(python));

        // Two tile sizes through the same file; the guide is a band at scale× the resolution,
        // packed as the workbench packs it (pixel_unshuffle).
        for (const auto &[w, h] : {std::pair{32, 32}, std::pair{40, 24}}) {
            std::vector<torch::Tensor> tiles;
            for (int i = 0; i < 2; ++i) {
                torch::Tensor tile = standardised(landsatTile(60 * i, 10, w, h)).narrow(1, 0, bands);
                if (guideBands > 0) {
                    const torch::Tensor fine =
                        standardised(landsatTile(200 + 40 * i, 0, w * scale, h * scale)).narrow(1, 0, guideBands);
                    tile = torch::cat({tile, torch::pixel_unshuffle(fine, scale)}, 1);
                }
                tiles.push_back(tile);
            }
            const torch::Tensor lowRes = torch::cat(tiles, 0);
            QCOMPARE(lowRes.size(1), int64_t(channels));
            torch::NoGradGuard noGrad;
            torch::Tensor upsampled = bicubicUpsample(lowRes.narrow(1, 0, bands), scale);
            if (guideBands > 0)
                upsampled =
                    torch::cat({upsampled, torch::pixel_shuffle(lowRes.narrow(1, bands, channels - bands), scale)}, 1);
            const torch::Tensor expected = network->forward(upsampled);
            Result<double> difference = test::opencvRelativeDifference(path, lowRes, expected);
            DW_VERIFY_OK(difference);
            qInfo("x%d, %d+%d bands, %dx%d tiles: %d nodes, OpenCV vs LibTorch %.2e", scale, bands, guideBands, w, h,
                  report->nodes, *difference);
            QVERIFY2(*difference < 1e-4, qPrintable(QString::number(*difference)));
        }
    }

    // Sub-pixel convolution (ESPCN-style: Conv2d, then PixelShuffle) through the generic
    // emitters: DepthToSpace in PyTorch's order.
    void pixelShuffleMatchesOpenCv()
    {
        torch::manual_seed(5);
        torch::nn::Sequential network(torch::nn::Conv2d(torch::nn::Conv2dOptions(6, 6 * 4, 3).padding(1)),
                                      torch::nn::PixelShuffle(2));
        network->eval();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("espcn.onnx"));
        ml::OnnxExportSpec spec;
        spec.graphName = "espcn";
        spec.inputDims = {{-1, "batch"}, {6, {}}, {-1, "height"}, {-1, "width"}};
        spec.outputDims = {{-1, "batch"}, {6, {}}, {-1, "out_height"}, {-1, "out_width"}};
        spec.sample = torch::randn({1, 6, 16, 16});
        Result<ml::OnnxExportReport> report = ml::exportOnnx(
            spec, {}, [&](ml::OnnxEmitter &e, const ml::OnnxValue &in) { return e.emit(*network, in, "espcn"); }, path);
        DW_VERIFY_OK(report);
        const QString python = test::pythonOnnxCheck(path);
        QVERIFY2(python.isEmpty(), qPrintable(python));
        const torch::Tensor tile = standardised(landsatTile(10, 10, 36, 28));
        torch::NoGradGuard noGrad;
        Result<double> difference = test::opencvRelativeDifference(path, tile, network->forward(tile));
        DW_VERIFY_OK(difference);
        QVERIFY2(*difference < 1e-4, qPrintable(QString::number(*difference)));
    }

    void demoModuleFoldedGivesTheWorkbenchOutput()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("landsat.onnx"));
        Result<TaskResult> result = exportSuperResolutionOnnx(kDemo, path, true);
        DW_VERIFY_OK(result);
        Result<QMap<QString, QString>> metadata = readOnnxMetadata(path);
        DW_VERIFY_OK(metadata);
        QCOMPARE(metadata->value(QStringLiteral("model_type")), QStringLiteral("\"Superresolution\""));
        QCOMPARE(metadata->value(QStringLiteral("scale_factor")), QStringLiteral("2"));
        QCOMPARE(metadata->value(QStringLiteral("scale")), QStringLiteral("2"));
        QCOMPARE(metadata->value(QStringLiteral("module_id")), QStringLiteral("landsat-x2-demo"));
        QCOMPARE(metadata->value(QStringLiteral("normalization_in_graph")), QStringLiteral("true"));
        QCOMPARE(QJsonDocument::fromJson(metadata->value(QStringLiteral("bands")).toUtf8()).array().size(), 6);
        QCOMPARE(
            QJsonDocument::fromJson(metadata->value(QStringLiteral("standardization_std")).toUtf8()).array().size(), 6);
        QVERIFY(metadata->value(QStringLiteral("tile_size")).toInt() > 0);

        Result<std::shared_ptr<LoadedSuperResolver>> loaded = LoadedSuperResolver::load(kDemo, QStringLiteral("cpu"));
        DW_VERIFY_OK(loaded);
        const torch::Tensor tile = landsatTile(100, 20, 36, 28);
        QVERIFY(tile.defined());
        RasterBuffer buffer = RasterBuffer::zeros(36, 28, 6);
        std::copy(tile.data_ptr<float>(), tile.data_ptr<float>() + tile.numel(), buffer.values.begin());
        Result<RasterBuffer> workbench = (*loaded)->superResolve(buffer);
        DW_VERIFY_OK(workbench);
        const torch::Tensor expected =
            torch::from_blob(workbench->values.data(), {1, 6, workbench->height, workbench->width}, torch::kFloat32)
                .clone();
        QCOMPARE(expected.size(2), 56);
        Result<double> difference = test::opencvRelativeDifference(path, tile, expected);
        DW_VERIFY_OK(difference);
        qInfo("landsat-x2-demo, raw values in and out: OpenCV vs the workbench %.2e (of max |value| %.0f)", *difference,
              expected.abs().max().item<double>());
        QVERIFY2(*difference < 1e-4, qPrintable(QString::number(*difference)));
    }
};

QTEST_GUILESS_MAIN(TestOnnxExportSuperres)
#include "test_onnx_export_superres.moc"
