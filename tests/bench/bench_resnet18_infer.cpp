// CPU inference of ResNet-18 (or ResNet-50: --arch resnet50) at 224²: the single-image latency
// (median of N runs after a warm-up) and the batch-32 throughput of the workbench's C++ path
// (LoadedClassifier, as `deepwb predict` uses it), printed side by side with PyTorch doing the
// same work in the same run (tests/bench/resnet18_infer_reference.py: torchvision's resnet18
// or resnet50, eval, inference_mode, the same thread count). Random weights from a fixed seed
// on both sides: speed does not depend on the values.
//
// Each side in two precisions: ours in fp32 and with --precision auto (bf16 autocast and
// channels-last images where the processor has native bfloat16), PyTorch's fp32 default and
// PyTorch with bf16 autocast + channels_last (model and images), as an expert would write it.
//
// Options: --arch resnet18|resnet50, --runs N (30), --batch-runs N (5), --warmup N (5),
// --batch B (32), --json (a last line "RESULT {...}" for bench_cpu_precision).
#include "bench_figures.h"
#include "python_peer.h"

#include "core/ml/device_service.h"
#include "core/ml/precision.h"
#include "core/ml/torch_compat.h"
#include "core/util/heap_tuning.h"
#include "plugins/imageclass/infer/loaded_classifier.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/module/classifier_module.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

using namespace dw;
using namespace dw::imageclass;

namespace {

struct Figures {
    double singleMs = 0;
    double batchImagesPerSecond = 0;
    QJsonObject toJson() const
    {
        return {{QStringLiteral("single_ms"), singleMs}, {QStringLiteral("batch_images_per_s"), batchImagesPerSecond}};
    }
};

// A module folder holding a seeded, untrained network for 1000 classes, as training writes it.
QString makeModule(const QString &dir, const QString &arch)
{
    torch::manual_seed(0);
    std::shared_ptr<ClassifierImpl> model = createModel(ModelSpec{arch.toStdString(), 3, 1000, 224});
    std::string error;
    if (!model || !saveStateDict(*model, QDir(dir).filePath(QStringLiteral("weights.pt")).toStdString(), &error))
        return error.empty() ? QStringLiteral("no network called %1").arg(arch) : QString::fromStdString(error);
    ClassifierModule module;
    module.directory = dir;
    module.manifest.id = QStringLiteral("bench-") + arch;
    module.manifest.title = arch + QStringLiteral(" benchmark");
    module.architecture = arch;
    module.mean = {0.485, 0.456, 0.406};
    module.std = {0.229, 0.224, 0.225};
    for (int i = 0; i < 1000; ++i)
        module.labels << QStringLiteral("class%1").arg(i);
    const Result<void> written = writeClassifierModule(module);
    return written ? QString() : written.error().text();
}

}  // namespace

int main(int argc, char **argv)
{
    keepFreedMemoryForReuse();  // as deepwb and deep-workbench do at their start
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    const QString arch = bench::optionText(args, QStringLiteral("--arch"), QStringLiteral("resnet18"));
    const int runs = bench::optionCount(args, QStringLiteral("--runs"), 30);
    const int batchRuns = bench::optionCount(args, QStringLiteral("--batch-runs"), 5);
    const int warmup = bench::optionCount(args, QStringLiteral("--warmup"), 5);
    const int batchSize = bench::optionCount(args, QStringLiteral("--batch"), 32);
    const int size = 224;

    QTemporaryDir dir;
    if (const QString error = makeModule(dir.path(), arch); !error.isEmpty()) {
        out << "bench_resnet18_infer: " << error << Qt::endl;
        return 1;
    }
    Result<std::shared_ptr<LoadedClassifier>> loaded = LoadedClassifier::load(dir.path(), QStringLiteral("cpu"));
    if (!loaded) {
        out << "bench_resnet18_infer: " << loaded.error().text() << Qt::endl;
        return 1;
    }
    const int threads = DeviceService::threadCount();

    torch::manual_seed(1);
    const torch::Tensor single = torch::randn({1, 3, size, size});
    const torch::Tensor batch = torch::randn({batchSize, 3, size, size});
    bench::PythonPeer reference;
    reference.start(QStringLiteral("resnet18_infer_reference.py"),
                    {QStringLiteral("--arch"), arch, QStringLiteral("--threads"), QString::number(threads),
                     QStringLiteral("--size"), QString::number(size), QStringLiteral("--batch"),
                     QString::number(batchSize)});

    // Turn about: one C++ run, one Python run, ... The first runs of each input shape pick
    // and cache the convolution kernels: warm-up, not measured. Two precisions each side: ours
    // in fp32 and in --precision auto (bf16 where the processor has it); Python's fp32
    // default and bf16 autocast with channels_last, as a PyTorch expert would write it.
    const ml::Precision automatic = *ml::resolvePrecision(QStringLiteral("auto"), QStringLiteral("cpu"));
    struct Side {
        std::vector<double> single, batch;
    };
    Side cppFp32, cppAuto, pyFp32, pyBf16;
    const auto measure = [&](const torch::Tensor &x, bool isBatch, int count, bool record) {
        QElapsedTimer timer;
        for (int i = 0; i < count; ++i) {
            for (const auto &[precision, side] :
                 {std::pair{ml::Precision::Fp32, &cppFp32}, std::pair{automatic, &cppAuto}}) {
                timer.start();
                const Result<torch::Tensor> p = (*loaded)->probabilities(x, 1, precision);
                const double seconds = timer.nsecsElapsed() / 1e9;
                if (!p)
                    qFatal("%s", qPrintable(p.error().text()));
                if (record)
                    (isBatch ? side->batch : side->single).push_back(seconds);
            }
            for (const auto &[what, side] : {std::pair{isBatch ? "batch" : "single", &pyFp32},
                                             std::pair{isBatch ? "batch_bf16" : "single_bf16", &pyBf16}})
                reference.turn(QString::fromLatin1(what), isBatch ? side->batch : side->single, record);
        }
    };
    measure(single, false, warmup, false);
    measure(single, false, runs, true);
    measure(batch, true, 1, false);
    measure(batch, true, batchRuns, true);
    const auto figures = [&](const Side &side) {
        return Figures{bench::median(side.single) * 1000.0, batchSize / bench::median(side.batch)};
    };
    const Figures ours32 = figures(cppFp32), oursAuto = figures(cppAuto);
    const bool python = reference.answers();
    const Figures py32 = python ? figures(pyFp32) : Figures{}, pyFast = python ? figures(pyBf16) : Figures{};

    out << QStringLiteral("%1 CPU inference at %2x%2, %3 threads, LibTorch %4; median of %5 single-image and %6 "
                          "batch runs after warm-up, C++ and Python taking turns; auto here: %7\n")
               .arg(arch)
               .arg(size)
               .arg(threads)
               .arg(compat::torchVersion())
               .arg(runs)
               .arg(batchRuns)
               .arg(ml::describeAutoPrecision());
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(QStringLiteral("figure"), -30)
               .arg(QStringLiteral("ours fp32"), 10)
               .arg(QStringLiteral("ours auto"), 10)
               .arg(QStringLiteral("torch fp32"), 11)
               .arg(QStringLiteral("torch bf16+CL"), 14)
               .arg(QStringLiteral("auto/torch fp32"), 16)
               .arg(QStringLiteral("auto/torch bf16"), 16);
    const auto ratio = [&](double r) {
        return python ? QString::number(r, 'f', 2) + QStringLiteral("x") : QStringLiteral("-");
    };
    const auto value = [&](double v) { return python ? QString::number(v, 'f', 1) : QStringLiteral("-"); };
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(QStringLiteral("single image latency, ms"), -30)
               .arg(ours32.singleMs, 10, 'f', 1)
               .arg(oursAuto.singleMs, 10, 'f', 1)
               .arg(value(py32.singleMs), 11)
               .arg(value(pyFast.singleMs), 14)
               .arg(ratio(py32.singleMs / oursAuto.singleMs), 16)
               .arg(ratio(pyFast.singleMs / oursAuto.singleMs), 16);
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(QStringLiteral("batch %1 throughput, images/s").arg(batchSize), -30)
               .arg(ours32.batchImagesPerSecond, 10, 'f', 1)
               .arg(oursAuto.batchImagesPerSecond, 10, 'f', 1)
               .arg(value(py32.batchImagesPerSecond), 11)
               .arg(value(pyFast.batchImagesPerSecond), 14)
               .arg(ratio(oursAuto.batchImagesPerSecond / py32.batchImagesPerSecond), 16)
               .arg(ratio(oursAuto.batchImagesPerSecond / pyFast.batchImagesPerSecond), 16);
    out << QStringLiteral("(ratios: speed of ours with --precision auto over each PyTorch column; ours fp32 over "
                          "torch fp32: %1 single, %2 batch)\n")
               .arg(ratio(py32.singleMs / ours32.singleMs),
                    ratio(ours32.batchImagesPerSecond / py32.batchImagesPerSecond));
    if (python)
        out << "reference: " << reference.version() << " (tests/bench/resnet18_infer_reference.py)\n";
    else
        out << "reference: " << reference.why() << "\n";
    out.flush();
    if (args.contains(QStringLiteral("--json"))) {
        QJsonObject result{{QStringLiteral("arch"), arch},
                           {QStringLiteral("batch"), batchSize},
                           {QStringLiteral("threads"), threads},
                           {QStringLiteral("libtorch"), compat::torchVersion()},
                           {QStringLiteral("auto"), ml::precisionName(automatic)},
                           {QStringLiteral("ours_fp32"), ours32.toJson()},
                           {QStringLiteral("ours_auto"), oursAuto.toJson()}};
        reference.report(
            result, {{QStringLiteral("torch_fp32"), py32.toJson()}, {QStringLiteral("torch_bf16"), pyFast.toJson()}});
        bench::printResult(out, result);
    }
    return 0;
}
