// ResNet-50 training throughput on CUDA: the workbench's C++ path (createModel, TrainingDevice
// with bf16 autocast + channels_last + cuDNN autotuning, GroupedOptimizer SGD with Nesterov
// momentum, ClassificationLoss) on synthetic 224² data, batch 256, printed side by side with
// PyTorch eager doing the same steps (resnet50_train_reference.py, run with python3 in the
// same benchmark run). Without CUDA it says so and exits 0.
//   bench_resnet50_train_gpu [--batch 256] [--size 224] [--warmup 5] [--steps 20] [--no-reference]
#include "core/ml/torch/classification_loss.h"
#include "core/ml/torch/grouped_optimizer.h"
#include "core/ml/torch/training_device.h"
#include "core/ml/torch_compat.h"
#include "plugins/imageclass/models/model_factory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

#include <cstdio>
#include <stdexcept>

#if DW_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

using namespace dw;

namespace {

struct Figures {
    double imagesPerSecond = 0, seconds = 0, lossFirst = 0, lossLast = 0;
};

Figures runCpp(const ml::TrainingDevice &device, int batch, int size, int warmup, int steps)
{
    torch::manual_seed(0);
    auto model = imageclass::createModel({"resnet50", 3, 1000, size});
    device.prepare(*model);
    model->train();
    ml::OptimizerSettings settings;
    settings.kind = QStringLiteral("sgd");
    settings.learningRate = 0.1;
    settings.weightDecay = 1e-4;
    auto optimizer = ml::GroupedOptimizer::create({{"all", model->parameters(), 1.0}}, settings);
    ml::ClassificationLoss loss;
    const auto options = torch::TensorOptions().device(device.device());
    const torch::Tensor images =
        torch::randn({batch, 3, size, size}, options).contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor labels = torch::randint(0, 1000, {batch}, options.dtype(torch::kInt64));

    auto step = [&]() {
        (*optimizer)->zeroGrad();
        torch::Tensor value;
        {
            compat::AutocastGuard autocast(device.mixedPrecision());
            value = loss(model->forward(images), labels);
        }
        value.backward();
        if (Result<void> stepped = (*optimizer)->step(); !stepped)
            throw std::runtime_error(stepped.error().text().toStdString());
        return value;
    };
    Figures figures;
    for (int i = 0; i < warmup; ++i)
        figures.lossFirst = step().item<double>();
    device.synchronize();
    QElapsedTimer timer;
    timer.start();
    torch::Tensor last;
    for (int i = 0; i < steps; ++i)
        last = step();
    device.synchronize();
    figures.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    figures.lossLast = last.item<double>();
    figures.imagesPerSecond = static_cast<double>(batch) * steps / figures.seconds;
    return figures;
}

QJsonObject runPython(int batch, int size, int warmup, int steps)
{
    const QString script = QStringLiteral(DW_BENCH_SOURCE_DIR "/resnet50_train_reference.py");
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty() || !QFileInfo::exists(script))
        return {{QStringLiteral("error"), QStringLiteral("python3 or %1 not found").arg(script)}};
    QProcess process;
    process.start(python, {script, QStringLiteral("--batch"), QString::number(batch), QStringLiteral("--size"),
                           QString::number(size), QStringLiteral("--warmup"), QString::number(warmup),
                           QStringLiteral("--steps"), QString::number(steps)});
    if (!process.waitForFinished(30 * 60 * 1000))
        return {{QStringLiteral("error"), QStringLiteral("the python reference did not finish")}};
    const QByteArray out = process.readAllStandardOutput().trimmed();
    const QJsonObject json = QJsonDocument::fromJson(out.split('\n').last()).object();
    if (json.isEmpty())
        return {{QStringLiteral("error"), QStringLiteral("the python reference failed: %1")
                                              .arg(QString::fromUtf8(process.readAllStandardError().right(400)))}};
    return json;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("batch"), QStringLiteral("images per step"), QStringLiteral("n"), QStringLiteral("256")});
    parser.addOption(
        {QStringLiteral("size"), QStringLiteral("image side"), QStringLiteral("px"), QStringLiteral("224")});
    parser.addOption(
        {QStringLiteral("warmup"), QStringLiteral("untimed steps"), QStringLiteral("n"), QStringLiteral("5")});
    parser.addOption(
        {QStringLiteral("steps"), QStringLiteral("timed steps"), QStringLiteral("n"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("no-reference"), QStringLiteral("skip the PyTorch reference")});
    parser.process(app);
    const int batch = parser.value(QStringLiteral("batch")).toInt();
    const int size = parser.value(QStringLiteral("size")).toInt();
    const int warmup = std::max(1, parser.value(QStringLiteral("warmup")).toInt());
    const int steps = std::max(1, parser.value(QStringLiteral("steps")).toInt());

    if (compat::cudaDeviceCount() == 0) {
        std::printf("bench_resnet50_train_gpu: needs CUDA (%s); nothing measured\n",
                    compat::torchHasCuda() ? "no usable CUDA device" : "this LibTorch has no CUDA");
        return 0;
    }
    Result<ml::TrainingDevice> device = ml::TrainingDevice::fromString(QStringLiteral("cuda"));
    if (!device) {
        std::printf("bench_resnet50_train_gpu: %s\n", qPrintable(device.error().text()));
        return 0;
    }
    device->configure();
    std::printf("ResNet-50 training, synthetic %dx%d, batch %d, %d timed steps after %d warm-up steps\n", size, size,
                batch, steps, warmup);
    std::printf("device: %s; LibTorch %s\n", qPrintable(device->describe()), qPrintable(compat::torchVersion()));
    std::fflush(stdout);

    Figures cpp;
    try {
        cpp = runCpp(device.value(), batch, size, warmup, steps);
    } catch (const c10::Error &error) {
        std::printf("C++ path failed: %s\n", error.what_without_backtrace());
        return 1;
    }
    QJsonObject python;
    if (!parser.isSet(QStringLiteral("no-reference"))) {
#if DW_WITH_CUDA
        c10::cuda::CUDACachingAllocator::emptyCache();  // leave the GPU's memory to the reference
#endif
        python = runPython(batch, size, warmup, steps);
    }

    std::printf("\n%-34s %12s %10s %14s\n", "path", "images/s", "seconds", "loss first→last");
    std::printf("%-34s %12.1f %10.2f %7.3f→%.3f\n", "C++ (deep-workbench, LibTorch)", cpp.imagesPerSecond, cpp.seconds,
                cpp.lossFirst, cpp.lossLast);
    if (python.contains(QStringLiteral("images_per_second"))) {
        const double ips = python.value(QStringLiteral("images_per_second")).toDouble();
        std::printf(
            "%-34s %12.1f %10.2f %7.3f→%.3f\n",
            qPrintable(QStringLiteral("PyTorch eager %1").arg(python.value(QStringLiteral("torch")).toString())), ips,
            python.value(QStringLiteral("seconds")).toDouble(), python.value(QStringLiteral("loss_first")).toDouble(),
            python.value(QStringLiteral("loss_last")).toDouble());
        std::printf("C++ / PyTorch: %.3f\n", cpp.imagesPerSecond / ips);
    } else if (!python.isEmpty()) {
        std::printf("PyTorch reference: %s\n", qPrintable(python.value(QStringLiteral("error")).toString()));
    }
    return 0;
}
