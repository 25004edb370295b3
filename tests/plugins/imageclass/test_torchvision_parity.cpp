// Every image-classification backbone against torchvision itself: tests/peers/torchvision_parity.py
// builds the torchvision model with random weights (batch norms calibrated on the images) and
// saves its state dict exactly as torchvision's weight files are saved; the C++ network of
// the same name loads that file unchanged (strict) and must give the same logits on three
// real images. This proves the module names, the layer order and every operation (padding,
// eps, activations, pooling) at once, which the name lists and parameter counts of
// test_imageclass_models cannot.
#include "core/io/raster_reader.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "shared_data.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <vector>

using namespace dw;
using namespace dw::imageclass;

namespace {

// The files exchanged with Python are raw float32 in the machine's order, which both sides
// assume to be little-endian.
static_assert(std::endian::native == std::endian::little, "the parity files are little-endian float32");

const QString kPython = QStringLiteral("/usr/bin/python3");
const QString kScript = QStringLiteral(DW_PARITY_SCRIPT);
const QString kLandsat = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");
constexpr int kSide = 224;
constexpr int64_t kClasses = 1000;
// Byte bands: 255 maps the full range to [0, 1], as image loaders do for 8-bit photos.
constexpr float kDivisor = 255.0f;
constexpr float kMean[3] = {0.485f, 0.456f, 0.406f};  // ImageNet, as torchvision's presets
constexpr float kStd[3] = {0.229f, 0.224f, 0.225f};
// Float32 logits of order 1 from the same kernels: far below a changed weight's effect.
constexpr double kTolerance = 1e-4;

bool writeFloats(const QString &path, const torch::Tensor &t)
{
    const torch::Tensor data = t.to(torch::kFloat32).contiguous();
    QFile file(path);
    const qint64 bytes = data.numel() * qint64(sizeof(float));
    return file.open(QIODevice::WriteOnly) && file.write(static_cast<const char *>(data.data_ptr()), bytes) == bytes;
}

torch::Tensor readFloats(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    return torch::from_blob(const_cast<char *>(bytes.constData()), {bytes.size() / qint64(sizeof(float))},
                            torch::kFloat32)
        .clone();
}

std::vector<int64_t> topClasses(const torch::Tensor &logits)
{
    const torch::Tensor top = logits.argmax(1).contiguous();
    return {top.data_ptr<int64_t>(), top.data_ptr<int64_t>() + top.numel()};
}

}  // namespace

class TestTorchvisionParity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        torch::set_num_threads(2);
        // A missing peer is a broken set-up, not a reason to skip: the parity is the proof
        // that torchvision's weight files work here.
        QProcess probe;
        probe.setProcessChannelMode(QProcess::MergedChannels);
        probe.start(kPython, {QStringLiteral("-c"), QStringLiteral("import torch, torchvision")});
        const bool finished = probe.waitForFinished(120'000);
        QVERIFY2(finished && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0,
                 qPrintable(QStringLiteral("%1 cannot import torch and torchvision (%2); run "
                                           "packaging/install-deps.sh to install python3-torch and "
                                           "python3-torchvision")
                                .arg(kPython, finished ? QString::fromLocal8Bit(probe.readAll()).trimmed()
                                                       : probe.errorString())));
        DW_REQUIRE_SHARED_FILE(kLandsat);
        QVERIFY(m_dir.isValid());

        Result<RasterReader> reader = RasterReader::open(kLandsat);
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().text()));
        // Three windows of the 349×352 scene: top left, bottom right and in between.
        const QList<QPoint> corners{{0, 0}, {125, 128}, {60, 40}};
        std::vector<torch::Tensor> images;
        for (const QPoint &corner : corners) {
            Result<RasterBuffer> window = reader->read(QRect(corner, QSize(kSide, kSide)), {3, 2, 1});  // RGB
            QVERIFY2(window.ok(), qPrintable(window.ok() ? QString() : window.error().text()));
            auto image = torch::from_blob(window->values.data(), {3, kSide, kSide}, torch::kFloat32).clone() / kDivisor;
            for (int c = 0; c < 3; ++c)
                image[c].sub_(kMean[c]).div_(kStd[c]);
            images.push_back(image);
        }
        m_input = torch::stack(images);
        QVERIFY(m_input.std().item<double>() > 0.1);  // real content, not a blank window
        m_inputPath = m_dir.filePath(QStringLiteral("input.bin"));
        QVERIFY(writeFloats(m_inputPath, m_input));
    }

    void sameLogitsAsTorchvision_data()
    {
        QTest::addColumn<QString>("arch");
        for (const char *arch : {"resnet18", "resnet34", "resnet50", "mobilenetv2", "efficientnet_b0", "convnext_tiny"})
            QTest::newRow(arch) << QString::fromLatin1(arch);
    }
    void sameLogitsAsTorchvision()
    {
        QFETCH(QString, arch);
        QTemporaryDir out;
        QVERIFY(out.isValid());
        QProcess python;
        python.setProcessChannelMode(QProcess::MergedChannels);
        python.start(kPython, {kScript, QStringLiteral("--arch"), arch, QStringLiteral("--input"), m_inputPath,
                               QStringLiteral("--out"), out.path()});
        const bool finished = python.waitForFinished(300'000);
        QString output = QString::fromLocal8Bit(python.readAll()).trimmed();
        if (!finished) {  // did not start, or ran past the time limit
            output += QStringLiteral(" [%1]").arg(python.errorString());
            python.kill();
            python.waitForFinished();
        }
        QVERIFY2(finished && python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
                 qPrintable(QStringLiteral("%1 failed: %2").arg(kScript, output)));

        std::string error;
        auto model = createModel({arch.toStdString(), 3, kClasses, kSide}, &error);
        QVERIFY2(model, error.c_str());
        const std::string weights = out.filePath(QStringLiteral("weights.pth")).toStdString();
        QVERIFY2(loadStateDict(*model, weights, &error), error.c_str());  // strict: every name, every shape
        model->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor logits = model->forward(m_input);
        const torch::Tensor reference = readFloats(out.filePath(QStringLiteral("logits.bin")));
        QCOMPARE(reference.numel(), logits.numel());
        const torch::Tensor expected = reference.reshape(logits.sizes());

        const double difference = (logits - expected).abs().max().item<double>();
        const double scale = expected.abs().max().item<double>();
        qInfo("%s: max |logit difference| %.3g for logits up to %.3g", qPrintable(arch), difference, scale);
        QVERIFY2(difference <= kTolerance,
                 qPrintable(QStringLiteral("%1: max |logit difference| %2 for logits up to %3 (tolerance %4)")
                                .arg(arch)
                                .arg(difference)
                                .arg(scale)
                                .arg(kTolerance)));
        QCOMPARE(topClasses(logits), topClasses(expected));
    }

private:
    QTemporaryDir m_dir;
    QString m_inputPath;
    torch::Tensor m_input;
};

QTEST_GUILESS_MAIN(TestTorchvisionParity)
#include "test_torchvision_parity.moc"
