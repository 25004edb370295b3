// Issue 19: classifiers written as ONNX. Every architecture passes the ONNX checkers (C++ and
// python3-onnx) and OpenCV DNN gives LibTorch's logits on Fashion-MNIST pictures; the demo
// module's file carries its metadata and QGIS Deepness's keys, with the normalisation in the
// graph or not; a layer without an emitter fails with its name and leaves no file.
#include "core/ml/torch/onnx_export.h"
#include "core/onnx/onnx_graph.h"
#include "onnx_check.h"
#include "plugins/imageclass/export/classifier_layers_onnx.h"
#include "plugins/imageclass/export/onnx_classifier_export.h"
#include "plugins/imageclass/infer/loaded_classifier.h"
#include "plugins/imageclass/models/classifier.h"
#include "plugins/imageclass/models/model_factory.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace dw::imageclass;

namespace {

const QString kSamples = QStringLiteral(DW_TEST_DATA_DIR "/../../resources/demo-samples/fashion-mnist");
const QString kDemo = QStringLiteral(DW_TEST_DATA_DIR "/../../resources/demo-modules/fashion-mnist-demo");

// One Fashion-MNIST test picture of each of the first `count` classes, `side` pixels, in [0, 1]:
// N×channels×side×side (grey repeated for 3 channels).
torch::Tensor fashionPictures(int count, int side, int channels)
{
    std::vector<torch::Tensor> pictures;
    const QStringList classes = QDir(kSamples).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : classes.mid(0, count)) {
        const QDir folder(kSamples + QLatin1Char('/') + name);
        const QString file = folder.absoluteFilePath(folder.entryList({QStringLiteral("*.png")}, QDir::Files).first());
        cv::Mat grey = cv::imread(file.toStdString(), cv::IMREAD_GRAYSCALE);
        cv::resize(grey, grey, cv::Size(side, side), 0, 0, cv::INTER_LINEAR);
        torch::Tensor t = torch::from_blob(grey.data, {1, side, side}, torch::kUInt8).to(torch::kFloat32) / 255.0;
        pictures.push_back(t.repeat({channels, 1, 1}));
    }
    return torch::stack(pictures);
}

// Batch-norm statistics away from 0 and 1, so that folding them into the convolutions matters.
void randomiseNormStatistics(torch::nn::Module &network)
{
    torch::NoGradGuard noGrad;
    for (auto &module : network.modules()) {
        if (auto *norm = module->as<torch::nn::BatchNorm2d>()) {
            norm->running_mean.uniform_(-0.2, 0.2);
            norm->running_var.uniform_(0.5, 1.5);
            norm->weight.uniform_(0.5, 1.5);
            norm->bias.uniform_(-0.2, 0.2);
        }
    }
}

}  // namespace

class TestOnnxExportImageclass : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyArchitectureMatchesOpenCv_data()
    {
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("side");
        QTest::newRow("smallcnn") << "smallcnn" << 1 << 28;
        QTest::newRow("smallcnn-rgb-32") << "smallcnn" << 3 << 32;
        QTest::newRow("resnet18") << "resnet18" << 3 << 32;
        QTest::newRow("resnet34") << "resnet34" << 1 << 32;
        QTest::newRow("resnet50") << "resnet50" << 3 << 32;
        QTest::newRow("mobilenetv2") << "mobilenetv2" << 3 << 32;
        QTest::newRow("efficientnet_b0") << "efficientnet_b0" << 3 << 32;
        QTest::newRow("convnext_tiny") << "convnext_tiny" << 3 << 32;
    }

    void everyArchitectureMatchesOpenCv()
    {
        QFETCH(QString, architecture);
        QFETCH(int, channels);
        QFETCH(int, side);
        QCOMPARE(architectures().size(), size_t(7));  // a new architecture needs a row here
        torch::manual_seed(3);
        ModelSpec spec{architecture.toStdString(), channels, 10, side};
        std::string error;
        std::shared_ptr<ClassifierImpl> network = createModel(spec, &error);
        QVERIFY2(network, error.c_str());
        randomiseNormStatistics(*network);
        network->eval();

        QTemporaryDir dir;
        const QString path = dir.filePath(architecture + QStringLiteral(".onnx"));
        ml::OnnxExportSpec exportSpec;
        exportSpec.graphName = spec.architecture;
        exportSpec.inputDims = {{-1, "batch"}, {channels, {}}, {side, {}}, {side, {}}};
        exportSpec.outputDims = {{-1, "batch"}, {10, {}}};
        exportSpec.sample = torch::rand({1, channels, side, side});
        Result<ml::OnnxExportReport> report = ml::exportOnnx(
            exportSpec, addClassifierLayers,
            [&](ml::OnnxEmitter &e, const ml::OnnxValue &in) { return emitClassifier(e, *network, in); }, path);
        DW_VERIFY_OK(report);
        const Result<void> checked = checkOnnxFile(path);
        DW_VERIFY_OK(checked);
        const QString python = test::pythonOnnxCheck(path);
        QVERIFY2(python.isEmpty(), qPrintable(python));

        const torch::Tensor pictures = fashionPictures(8, side, channels);
        QCOMPARE(pictures.size(0), 8);
        torch::NoGradGuard noGrad;
        const torch::Tensor expected = network->forward(pictures);
        Result<double> difference = test::opencvRelativeDifference(path, pictures, expected);
        DW_VERIFY_OK(difference);
        qInfo("%s: %d nodes, %.1f MB, OpenCV vs LibTorch %.2e", qPrintable(architecture), report->nodes,
              double(report->bytes) / 1e6, *difference);
        QVERIFY2(*difference < 1e-4, qPrintable(QString::number(*difference)));
    }

    void demoModuleWithItsMetadata_data()
    {
        QTest::addColumn<bool>("fold");
        QTest::newRow("normalisation as metadata") << false;
        QTest::newRow("normalisation in the graph") << true;
    }

    void demoModuleWithItsMetadata()
    {
        QFETCH(bool, fold);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("fashion.onnx"));
        Result<TaskResult> result = exportClassifierOnnx(kDemo, path, fold);
        DW_VERIFY_OK(result);
        Result<QMap<QString, QString>> metadata = readOnnxMetadata(path);
        DW_VERIFY_OK(metadata);
        // QGIS Deepness's keys: JSON text, the model type a quoted string.
        QCOMPARE(metadata->value(QStringLiteral("model_type")), QStringLiteral("\"Recognition\""));
        const QJsonObject classNames =
            QJsonDocument::fromJson(metadata->value(QStringLiteral("class_names")).toUtf8()).object();
        QCOMPARE(classNames.size(), 10);
        QCOMPARE(classNames.value(QStringLiteral("0")).toString(), QStringLiteral("Ankle_boot"));  // labels sorted
        QCOMPARE(metadata->value(QStringLiteral("tile_size")), QStringLiteral("28"));
        QCOMPARE(metadata->value(QStringLiteral("tiles_overlap")), QStringLiteral("0"));
        QVERIFY(metadata->contains(QStringLiteral("standardization_mean")));
        // Ours.
        QCOMPARE(metadata->value(QStringLiteral("module_id")), QStringLiteral("fashion-mnist-demo"));
        QCOMPARE(metadata->value(QStringLiteral("task")), QStringLiteral("image-classification"));
        QCOMPARE(metadata->value(QStringLiteral("architecture")), QStringLiteral("smallcnn"));
        QVERIFY(!metadata->value(QStringLiteral("module_version")).isEmpty());
        QVERIFY(!metadata->value(QStringLiteral("license")).isEmpty());
        QCOMPARE(QJsonDocument::fromJson(metadata->value(QStringLiteral("labels")).toUtf8()).array().size(), 10);
        QCOMPARE(metadata->value(QStringLiteral("input_size")), QStringLiteral("[1,28,28]"));

        // The file gives the module's own logits on test pictures (normalised by the graph or
        // by us as the metadata says).
        Result<std::shared_ptr<LoadedClassifier>> loaded = LoadedClassifier::load(kDemo, QStringLiteral("cpu"));
        DW_VERIFY_OK(loaded);
        const ClassifierModule &module = (*loaded)->module();
        const torch::Tensor pictures = fashionPictures(10, 28, 1);
        torch::Tensor normalised = pictures;
        if (!module.mean.empty())
            normalised = (pictures - module.mean.front()) / module.std.front();
        QCOMPARE(metadata->value(QStringLiteral("normalization_in_graph")),
                 fold && !module.mean.empty() ? QStringLiteral("true") : QStringLiteral("false"));
        torch::NoGradGuard noGrad;
        const torch::Tensor expected = (*loaded)->model().forward(normalised);
        Result<double> difference = test::opencvRelativeDifference(path, fold ? pictures : normalised, expected);
        DW_VERIFY_OK(difference);
        QVERIFY2(*difference < 1e-4, qPrintable(QString::number(*difference)));
    }

    void layerWithoutEmitterIsNamedAndNoFileIsLeft()
    {
        torch::nn::Sequential network(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 4, 3)), torch::nn::PReLU());
        network->eval();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("prelu.onnx"));
        ml::OnnxExportSpec spec;
        spec.graphName = "prelu";
        spec.inputDims = {{-1, "batch"}, {1, {}}, {8, {}}, {8, {}}};
        spec.outputDims = {{-1, "batch"}, {4, {}}, {6, {}}, {6, {}}};
        spec.sample = torch::rand({1, 1, 8, 8});
        Result<ml::OnnxExportReport> report = ml::exportOnnx(
            spec, {}, [&](ml::OnnxEmitter &e, const ml::OnnxValue &in) { return e.emit(*network, in, "net"); }, path);
        QVERIFY(!report);
        QVERIFY2(report.error().message.contains(QStringLiteral("'net.1'")), qPrintable(report.error().message));
        QVERIFY2(report.error().message.contains(QStringLiteral("PReLU")), qPrintable(report.error().message));
        QVERIFY(!QFileInfo::exists(path));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestOnnxExportImageclass)
#include "test_onnx_export_imageclass.moc"
