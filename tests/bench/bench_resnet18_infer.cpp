// CPU inference of ResNet-18 at 224²: the single-image latency (median of N runs after a
// warm-up) and the batch-32 throughput of the workbench's C++ path (LoadedClassifier, as
// `deepwb predict` uses it), printed side by side with PyTorch doing the same work in the
// same run (tests/bench/resnet18_infer_reference.py: torchvision's resnet18, eval,
// inference_mode, the same thread count). Random weights from a fixed seed on both sides:
// speed does not depend on the values.
//
// Options: --runs N (30), --batch-runs N (5), --warmup N (5), --batch B (32), --rounds N (3).
#include "plugins/imageclass/infer/loaded_classifier.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/module/classifier_module.h"
#include "core/ml/device_service.h"
#include "core/ml/torch_compat.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <optional>
#include <vector>

using namespace dw;
using namespace dw::imageclass;

namespace {

struct Figures {
    double singleMs = 0;
    double batchImagesPerSecond = 0;
};

int option(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? std::max(1, args.at(i + 1).toInt()) : fallback;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Median seconds of runs of LoadedClassifier::probabilities (forward + softmax) after warm-up.
double timed(LoadedClassifier &classifier, const torch::Tensor &x, int warmup, int runs)
{
    for (int i = 0; i < warmup; ++i)
        (void)classifier.probabilities(x);  // first calls pick and cache the convolution kernels
    std::vector<double> seconds;
    QElapsedTimer timer;
    for (int i = 0; i < runs; ++i) {
        timer.start();
        const Result<torch::Tensor> p = classifier.probabilities(x);
        seconds.push_back(timer.nsecsElapsed() / 1e9);
        if (!p)
            qFatal("%s", qPrintable(p.error().text()));
    }
    return median(seconds);
}

// A module folder holding a seeded, untrained ResNet-18 for 1000 classes, as training writes it.
QString makeModule(const QString &dir)
{
    torch::manual_seed(0);
    std::shared_ptr<ClassifierImpl> model = createModel(ModelSpec{"resnet18", 3, 1000, 224});
    std::string error;
    if (!model || !saveStateDict(*model, QDir(dir).filePath(QStringLiteral("weights.pt")).toStdString(), &error))
        return QString::fromStdString(error);
    ClassifierModule module;
    module.directory = dir;
    module.manifest.id = QStringLiteral("bench-resnet18");
    module.manifest.title = QStringLiteral("ResNet-18 benchmark");
    module.architecture = QStringLiteral("resnet18");
    module.mean = {0.485, 0.456, 0.406};
    module.std = {0.229, 0.224, 0.225};
    for (int i = 0; i < 1000; ++i)
        module.labels << QStringLiteral("class%1").arg(i);
    const Result<void> written = writeClassifierModule(module);
    return written ? QString() : written.error().text();
}

// Runs the Python reference; its figures, or the reason there are none. Debian's
// /usr/bin/python3 first (python3-torch is installed for it; a pyenv or venv python3 earlier
// on PATH usually lacks torch), then python3 on PATH; DEEPWB_PYTHON overrides both.
std::optional<Figures> reference(const QStringList &arguments, QString *why, QString *version)
{
    const QString script = QStringLiteral(DW_BENCH_DIR "/resnet18_infer_reference.py");
    QStringList pythons;
    for (const QString &candidate : {qEnvironmentVariable("DEEPWB_PYTHON"), QStringLiteral("/usr/bin/python3"),
                                     QStandardPaths::findExecutable(QStringLiteral("python3"))})
        if (!candidate.isEmpty() && QFileInfo(candidate).isExecutable() && !pythons.contains(candidate))
            pythons << candidate;
    *why = QStringLiteral("python3 not found; python3-torch not installed (run packaging/install-deps.sh --bench)");
    for (const QString &python : std::as_const(pythons)) {
        QProcess process;
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(python, QStringList{script} + arguments);
        if (!process.waitForFinished(20 * 60 * 1000)) {
            *why = QStringLiteral("the reference did not finish (%1)").arg(process.errorString());
            return std::nullopt;
        }
        const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
        const QJsonObject json = QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last()).object();
        if (process.exitCode() == 3) {  // this python has no torch: try the next one
            *why = QStringLiteral("python3-torch not installed (run packaging/install-deps.sh --bench)");
            continue;
        }
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0 || !json.contains(QStringLiteral("single_ms"))) {
            *why = QStringLiteral("the reference failed with %1 (exit code %2)").arg(python).arg(process.exitCode());
            return std::nullopt;
        }
        *version = QStringLiteral("%1: torch %2, torchvision %3, %4 threads")
                       .arg(python, json.value(QStringLiteral("torch")).toString(),
                            json.value(QStringLiteral("torchvision")).toString())
                       .arg(json.value(QStringLiteral("threads")).toInt());
        return Figures{json.value(QStringLiteral("single_ms")).toDouble(), json.value(QStringLiteral("batch_images_per_s")).toDouble()};
    }
    return std::nullopt;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    const int runs = option(args, QStringLiteral("--runs"), 30);
    const int batchRuns = option(args, QStringLiteral("--batch-runs"), 5);
    const int warmup = option(args, QStringLiteral("--warmup"), 5);
    const int rounds = option(args, QStringLiteral("--rounds"), 3);
    const int batchSize = option(args, QStringLiteral("--batch"), 32);
    const int size = 224;

    QTemporaryDir dir;
    if (const QString error = makeModule(dir.path()); !error.isEmpty()) {
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
    const QStringList referenceArgs{QStringLiteral("--threads"), QString::number(threads), QStringLiteral("--size"),
                                    QString::number(size), QStringLiteral("--runs"), QString::number(runs),
                                    QStringLiteral("--batch"), QString::number(batchSize), QStringLiteral("--batch-runs"),
                                    QString::number(batchRuns), QStringLiteral("--warmup"), QString::number(warmup)};
    // Rounds alternate the two sides so that both meet the same machine load (a shared
    // build machine is noisy); each side's best round counts.
    Figures cpp{1e300, 0};
    std::optional<Figures> python;
    QString why, version;
    for (int round = 1; round <= rounds; ++round) {
        const double singleMs = timed(**loaded, single, warmup, runs) * 1000.0;
        const double batchRate = batchSize / timed(**loaded, batch, 1, batchRuns);
        cpp.singleMs = std::min(cpp.singleMs, singleMs);
        cpp.batchImagesPerSecond = std::max(cpp.batchImagesPerSecond, batchRate);
        out << QStringLiteral("round %1: C++ %2 ms, %3 images/s").arg(round).arg(singleMs, 0, 'f', 1).arg(batchRate, 0, 'f', 1);
        const std::optional<Figures> p = reference(referenceArgs, &why, &version);
        if (p) {
            out << QStringLiteral("; Python %1 ms, %2 images/s").arg(p->singleMs, 0, 'f', 1).arg(p->batchImagesPerSecond, 0, 'f', 1);
            if (!python)
                python = p;
            python->singleMs = std::min(python->singleMs, p->singleMs);
            python->batchImagesPerSecond = std::max(python->batchImagesPerSecond, p->batchImagesPerSecond);
        }
        out << Qt::endl;
    }

    out << QStringLiteral("ResNet-18 CPU inference at %1x%1, %2 threads, LibTorch %3; best of %4 rounds, each the median of %5 single-image and %6 batch runs after warm-up\n")
               .arg(size).arg(threads).arg(compat::torchVersion()).arg(rounds).arg(runs).arg(batchRuns);
    out << QStringLiteral("%1 %2 %3 %4\n").arg(QStringLiteral("figure"), -30).arg(QStringLiteral("C++ (deepwb)"), 14)
               .arg(QStringLiteral("Python"), 14).arg(QStringLiteral("C++ speed / Python"), 20);
    const auto row = [&](const QString &name, double c, double p, double speedRatio) {
        out << QStringLiteral("%1 %2 %3 %4\n").arg(name, -30).arg(c, 14, 'f', 1)
                   .arg(python ? QString::number(p, 'f', 1) : QStringLiteral("-"), 14)
                   .arg(python ? QString::number(speedRatio, 'f', 2) + QStringLiteral("x") : QStringLiteral("-"), 20);
    };
    row(QStringLiteral("single image latency, ms"), cpp.singleMs, python ? python->singleMs : 0,
        python ? python->singleMs / cpp.singleMs : 0);
    row(QStringLiteral("batch %1 throughput, images/s").arg(batchSize), cpp.batchImagesPerSecond,
        python ? python->batchImagesPerSecond : 0, python ? cpp.batchImagesPerSecond / python->batchImagesPerSecond : 0);
    if (python)
        out << "reference: " << version << " (tests/bench/resnet18_infer_reference.py)\n";
    else
        out << "reference: " << why << "\n";
    out.flush();
    return 0;
}
