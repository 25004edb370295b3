// Issue 19: forecasters written as ONNX. Every kind (LSTM, GRU, CNN, MLP) passes the ONNX
// checkers (C++ and python3-onnx) and OpenCV DNN gives LibTorch's forecasts on windows of the
// monthly sunspot series; the demo module's file carries its metadata.
#include "core/ml/torch/onnx_export.h"
#include "core/onnx/onnx_graph.h"
#include "onnx_check.h"
#include "plugins/timeseries/export/onnx_forecaster_export.h"
#include "plugins/timeseries/models/forecaster.h"

#include <torch/torch.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace dw;
using namespace dw::timeseries;

namespace {

const QString kSamples = QStringLiteral(DW_TEST_DATA_DIR "/../../resources/demo-samples");
const QString kDemoModules = QStringLiteral(DW_TEST_DATA_DIR "/../../resources/demo-modules");

// 16 windows of `window` months of the sunspot series, z-scored: N×W×1.
torch::Tensor sunspotWindows(int64_t window)
{
    QFile file(kSamples + QStringLiteral("/sunspot_month.csv"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    std::vector<float> values;
    file.readLine();
    while (!file.atEnd())
        values.push_back(QString::fromUtf8(file.readLine()).section(QLatin1Char(','), 1).trimmed().toFloat());
    torch::Tensor series = torch::tensor(values);
    series = (series - series.mean()) / series.std();
    std::vector<torch::Tensor> windows;
    for (int64_t i = 0; i < 16; ++i)
        windows.push_back(series.narrow(0, 100 + i * 150, window).unsqueeze(-1));
    return torch::stack(windows);
}

}  // namespace

class TestOnnxExportTimeseries : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyKindMatchesOpenCv_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("features");
        QTest::addColumn<bool>("residual");
        QTest::newRow("lstm") << "lstm" << 1 << true;
        QTest::newRow("gru") << "gru" << 1 << true;
        QTest::newRow("cnn") << "cnn" << 1 << false;
        QTest::newRow("mlp") << "mlp" << 1 << true;
        QTest::newRow("lstm-2-features") << "lstm" << 2 << true;
        QTest::newRow("cnn-2-features") << "cnn" << 2 << true;
    }

    void everyKindMatchesOpenCv()
    {
        QFETCH(QString, kind);
        QFETCH(int, features);
        QFETCH(bool, residual);
        torch::manual_seed(7);
        ForecasterSpec spec;
        spec.kind = kind.toStdString();
        spec.features = features;
        spec.targets = 1;
        spec.window = 24;
        spec.horizon = 6;
        spec.layers = 2;
        spec.hidden = 16;
        spec.residual = residual;
        Result<ForecasterPtr> network = createForecaster(spec);
        DW_VERIFY_OK(network);
        (*network)->eval();

        QTemporaryDir dir;
        const QString path = dir.filePath(kind + QStringLiteral(".onnx"));
        ml::OnnxExportSpec exportSpec;
        exportSpec.graphName = "forecaster";
        exportSpec.inputDims = {{-1, "batch"}, {spec.window, {}}, {spec.features, {}}};
        exportSpec.outputDims = {{-1, "batch"}, {spec.horizon, {}}, {spec.targets, {}}};
        exportSpec.sample = torch::randn({1, spec.window, spec.features});
        ForecasterImpl &net = **network;
        Result<ml::OnnxExportReport> report = ml::exportOnnx(
            exportSpec, {}, [&net](ml::OnnxEmitter &e, const ml::OnnxValue &in) { return emitForecaster(e, net, in); },
            path);
        DW_VERIFY_OK(report);
        QVERIFY(QFile::exists(path));
        const Result<void> checked = checkOnnxFile(path);
        DW_VERIFY_OK(checked);
        const QString python = test::pythonOnnxCheck(path);
        QVERIFY2(python.isEmpty(), qPrintable(python));

        torch::Tensor windows = sunspotWindows(spec.window);
        QCOMPARE(windows.size(0), 16);
        if (features == 2)  // a second feature: the series a year earlier
            windows = torch::cat({windows, windows.roll(12, 1)}, 2);
        torch::NoGradGuard noGrad;
        const torch::Tensor expected = net.forward(windows);
        Result<double> difference = test::opencvRelativeDifference(path, windows, expected);
        DW_VERIFY_OK(difference);
        qInfo("%s: %d nodes, %lld bytes, OpenCV vs LibTorch %.2e", qPrintable(kind), report->nodes, report->bytes,
              *difference);
        QVERIFY2(*difference < 1e-4, qPrintable(QString::number(*difference)));
    }

    void demoModuleCarriesItsMetadata()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sunspots.onnx"));
        Result<TaskResult> result = exportForecasterOnnx(kDemoModules + QStringLiteral("/sunspots-demo"), path);
        DW_VERIFY_OK(result);
        Result<QMap<QString, QString>> metadata = readOnnxMetadata(path);
        DW_VERIFY_OK(metadata);
        QCOMPARE(metadata->value(QStringLiteral("module_id")), QStringLiteral("sunspots-demo"));
        QCOMPARE(metadata->value(QStringLiteral("task")), QStringLiteral("time-series"));
        QCOMPARE(metadata->value(QStringLiteral("window")), QStringLiteral("36"));
        QCOMPARE(metadata->value(QStringLiteral("horizon")), QStringLiteral("6"));
        QVERIFY(!metadata->value(QStringLiteral("license")).isEmpty());
        QVERIFY(!metadata->value(QStringLiteral("module_version")).isEmpty());
        const QJsonArray targets = QJsonDocument::fromJson(metadata->value(QStringLiteral("targets")).toUtf8()).array();
        QCOMPARE(targets.size(), 1);
        QVERIFY(QJsonDocument::fromJson(metadata->value(QStringLiteral("scaling")).toUtf8()).isObject());
    }
};

QTEST_GUILESS_MAIN(TestOnnxExportTimeseries)
#include "test_onnx_export_timeseries.moc"
