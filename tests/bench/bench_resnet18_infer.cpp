// CPU inference of ResNet-18 at 224²: the single-image latency (median of N runs after a
// warm-up) and the batch-32 throughput of the workbench's C++ path (LoadedClassifier, as
// `deepwb predict` uses it), printed side by side with PyTorch doing the same work in the
// same run (tests/bench/resnet18_infer_reference.py: torchvision's resnet18, eval,
// inference_mode, the same thread count). Random weights from a fixed seed on both sides:
// speed does not depend on the values.
//
// Each side in two precisions: ours in fp32 and with --precision auto (bf16 autocast and
// channels-last images where the processor has native bfloat16), PyTorch's fp32 default and
// PyTorch with bf16 autocast + channels_last (model and images), as an expert would write it.
//
// Options: --runs N (30), --batch-runs N (5), --warmup N (5), --batch B (32).
#include "core/ml/device_service.h"
#include "core/ml/precision.h"
#include "core/ml/torch_compat.h"
#include "plugins/imageclass/infer/loaded_classifier.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/module/classifier_module.h"

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

// The Python reference as a child process in --serve mode: one forward pass per request,
// so that the two sides can take turns run by run and meet the same machine load (a shared
// build machine is noisy; separate blocks of runs would each see a different load).
// Debian's /usr/bin/python3 first (python3-torch is installed for it; a pyenv or venv
// python3 earlier on PATH usually lacks torch), then python3 on PATH; DEEPWB_PYTHON first of all.
class PythonReference {
public:
    ~PythonReference()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.write("quit\n");
            if (!m_process.waitForFinished(10000))
                m_process.kill();
        }
    }

    bool start(const QStringList &arguments)
    {
        const QString script = QStringLiteral(DW_BENCH_DIR "/resnet18_infer_reference.py");
        QStringList pythons;
        for (const QString &candidate : {qEnvironmentVariable("DEEPWB_PYTHON"), QStringLiteral("/usr/bin/python3"),
                                         QStandardPaths::findExecutable(QStringLiteral("python3"))})
            if (!candidate.isEmpty() && QFileInfo(candidate).isExecutable() && !pythons.contains(candidate))
                pythons << candidate;
        m_why = QStringLiteral("python3-torch not installed (run packaging/install-deps.sh --bench)");
        for (const QString &python : std::as_const(pythons)) {
            m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            m_process.start(python, QStringList{script, QStringLiteral("--serve")} + arguments);
            const QJsonObject ready = QJsonDocument::fromJson(readLine(5 * 60 * 1000)).object();
            if (ready.value(QStringLiteral("ready")).toBool()) {
                m_version = QStringLiteral("%1: torch %2, torchvision %3, %4 threads")
                                .arg(python, ready.value(QStringLiteral("torch")).toString(),
                                     ready.value(QStringLiteral("torchvision")).toString())
                                .arg(ready.value(QStringLiteral("threads")).toInt());
                return true;
            }
            m_process.waitForFinished(10000);
            if (m_process.exitCode() != 3)  // 3: this python has no torch, try the next one
                m_why =
                    QStringLiteral("the reference failed with %1 (exit code %2)").arg(python).arg(m_process.exitCode());
        }
        return false;
    }

    // Seconds of one forward pass of "single" or "batch"; nullopt if the child died.
    std::optional<double> run(const char *what)
    {
        m_process.write(QByteArray(what) + '\n');
        bool ok = false;
        const double seconds = readLine(10 * 60 * 1000).toDouble(&ok);
        if (!ok)
            m_why = QStringLiteral("the reference stopped answering");
        return ok ? std::optional<double>(seconds) : std::nullopt;
    }

    const QString &why() const { return m_why; }
    const QString &version() const { return m_version; }

private:
    QByteArray readLine(int timeoutMs)
    {
        QElapsedTimer waited;
        waited.start();
        while (!m_process.canReadLine()) {
            if (m_process.state() == QProcess::NotRunning || waited.elapsed() > timeoutMs ||
                !m_process.waitForReadyRead(static_cast<int>(std::max<qint64>(1, timeoutMs - waited.elapsed()))))
                return m_process.canReadLine() ? m_process.readLine().trimmed() : QByteArray();
        }
        return m_process.readLine().trimmed();
    }

    QProcess m_process;
    QString m_why, m_version;
};

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    const int runs = option(args, QStringLiteral("--runs"), 30);
    const int batchRuns = option(args, QStringLiteral("--batch-runs"), 5);
    const int warmup = option(args, QStringLiteral("--warmup"), 5);
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
    PythonReference reference;
    bool withPython = reference.start({QStringLiteral("--threads"), QString::number(threads), QStringLiteral("--size"),
                                       QString::number(size), QStringLiteral("--batch"), QString::number(batchSize)});

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
                                             std::pair{isBatch ? "batch_bf16" : "single_bf16", &pyBf16}}) {
                if (!withPython)
                    break;
                const std::optional<double> py = reference.run(what);
                withPython = py.has_value();
                if (py && record)
                    (isBatch ? side->batch : side->single).push_back(*py);
            }
        }
    };
    measure(single, false, warmup, false);
    measure(single, false, runs, true);
    measure(batch, true, 1, false);
    measure(batch, true, batchRuns, true);
    const auto figures = [&](const Side &side) {
        return Figures{median(side.single) * 1000.0, batchSize / median(side.batch)};
    };
    const Figures ours32 = figures(cppFp32), oursAuto = figures(cppAuto);
    const bool python = withPython && !pyFp32.batch.empty() && !pyBf16.batch.empty();
    const Figures py32 = python ? figures(pyFp32) : Figures{}, pyFast = python ? figures(pyBf16) : Figures{};
    const QString why = reference.why(), version = reference.version();

    out << QStringLiteral("ResNet-18 CPU inference at %1x%1, %2 threads, LibTorch %3; median of %4 single-image and %5 "
                          "batch runs after warm-up, C++ and Python taking turns; auto here: %6\n")
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
        out << "reference: " << version << " (tests/bench/resnet18_infer_reference.py)\n";
    else
        out << "reference: " << why << "\n";
    out.flush();
    return 0;
}
