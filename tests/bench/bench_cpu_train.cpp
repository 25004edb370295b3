// Training images per second on the CPU, the workbench against its PyTorch peer, in one run:
// SmallCNN on grey 28 px Fashion-MNIST PNGs (--arch smallcnn, the default) or ResNet-18 on the
// same PNGs read as RGB and resized to 64 px (--arch resnet18). Ours: trainClassifier (what
// `deepwb train image-classification` runs: the folder dataset, the decoding threads, the
// loader, AdamW, one epoch, no augmentation) with --precision auto and fp32; the peer:
// tests/bench/smallcnn_train_reference.py (torchvision's ImageFolder and a DataLoader with one
// worker per core, the same network, batch and image size) in fp32 and as a PyTorch expert
// writes it for a CPU with bfloat16 (channels_last + autocast), each at torch's default
// intra-op thread count and at ours. Each run is one epoch over the first --images PNGs of
// Fashion-MNIST's training set (made once under <build>/bench-data): the peer over all of them,
// ours over 95 % (it keeps 5 % back for its validation pass, which is not timed). Ours' figure
// is its whole training pass, first batches included; the peer's leaves out its first 5 steps.
// Runs take turns (ours, then each peer) for --rounds rounds; the fastest round of each counts.
//
//   bench_cpu_train [--arch smallcnn|resnet18] [--images N] [--batch B] [--size S] [--rounds R]
//                   [--no-fp32] [--json]
#include "bench_figures.h"
#include "fashion_mnist_pngs.h"
#include "python_peer.h"

#include "core/ml/device_service.h"
#include "core/ml/precision.h"
#include "core/ml/torch_compat.h"
#include "core/util/heap_tuning.h"
#include "plugins/imageclass/train/classifier_trainer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <atomic>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

// The dataset both sides read: root/train, a link to the train/ folder of a Fashion-MNIST PNG
// tree of the first `images` training images (made once). Ours keeps a few of them back to
// validate on; without a test/ folder next to it, it has no test pass.
QString makeTree(const QString &benchData, int images, QString *root)
{
    const QString pngs = benchData + u"/fashion-mnist-%1"_s.arg(images);
    *root = benchData + u"/cpu-train-%1"_s.arg(images);
    if (const QString problem = test::makeFashionMnistPngs(pngs, images); !problem.isEmpty())
        return problem;
    if (QFileInfo::exists(*root + u"/train"_s))
        return {};
    return QDir().mkpath(*root) && QFile::link(pngs + u"/train"_s, *root + u"/train"_s)
               ? QString()
               : u"cannot link %1/train to %2/train"_s.arg(pngs, *root);
}

struct Ours {
    double imagesPerSecond = 0;
    QString precisionLine;  // the job log's "precision: ..." line
    QString error;
};

Ours trainOurs(imageclass::TrainRequest request, const QString &precision)
{
    QTemporaryDir moduleDir;
    request.moduleDir = moduleDir.filePath(u"module"_s);
    request.precision = precision;
    Ours ours;
    JobContext::Callbacks callbacks;
    callbacks.log = [&ours](const QString &line) {
        if (line.startsWith(u"precision:"_s))
            ours.precisionLine = line;
    };
    std::atomic_bool cancel{false};
    JobContext context(u"bench"_s, &cancel, callbacks, u"cpu"_s);
    Result<imageclass::TrainOutcome> outcome = imageclass::trainClassifier(request, context);
    if (!outcome)
        ours.error = outcome.error().text();
    else
        ours.imagesPerSecond = outcome->imagesPerSecond;
    return ours;
}

struct Variant {
    QString key, label;
    bool ours = false;
    QString precision;  // ours: auto | fp32; the peer's --mode: fp32 | bf16
    int threads = 0;    // the peer's --threads; 0: torch's default
    double best = 0;
    QString note;  // ours: the precision line; the peer: its threads and workers
};

}  // namespace

int main(int argc, char **argv)
{
    keepFreedMemoryForReuse();  // as deepwb and deep-workbench do at their start
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString arch = bench::optionText(args, u"--arch"_s, u"smallcnn"_s);
    const bool small = arch == u"smallcnn"_s;
    const int images = bench::optionCount(args, u"--images"_s, small ? 20000 : 3200);
    const int batch = bench::optionCount(args, u"--batch"_s, small ? 128 : 64);
    const int size = bench::optionCount(args, u"--size"_s, small ? 28 : 64);
    const int rounds = bench::optionCount(args, u"--rounds"_s, 1);
    if (!small && arch != u"resnet18"_s) {
        out() << "bench_cpu_train: --arch must be smallcnn or resnet18\n";
        return 2;
    }
    DeviceService::configureThreads();
    const int threads = DeviceService::threadCount();
    QString root;
    if (const QString problem = makeTree(QStringLiteral(DW_BUILD_DIR "/bench-data"), images, &root);
        !problem.isEmpty()) {
        out() << "bench_cpu_train: " << problem << '\n';
        return 2;
    }

    imageclass::TrainRequest request;
    request.dataPath = root;
    request.moduleId = u"bench-cpu-train"_s;
    request.architecture = arch;
    request.epochs = 1;
    request.batchSize = batch;
    request.imageSize = size;
    request.channels = small ? 1 : 3;
    request.learningRate = 0.003;
    request.augment = false;
    request.seed = 1;
    request.valFraction = 0.05;
    request.testFraction = 0;
    request.init = u"random"_s;

    QStringList peerArgs{root + u"/train"_s, u"--arch"_s,           arch, u"--size"_s, QString::number(size),
                         u"--batch"_s,       QString::number(batch)};
    if (small)
        peerArgs << u"--grey"_s;
    std::vector<Variant> variants;
    const auto add = [&](const QString &key, const QString &label, bool ours, const QString &precision, int t) {
        Variant v;
        v.key = key;
        v.label = label;
        v.ours = ours;
        v.precision = precision;
        v.threads = t;
        variants.push_back(v);
    };
    add(u"ours_auto"_s, u"ours, --precision auto"_s, true, u"auto"_s, 0);
    if (!args.contains(u"--no-fp32"_s))
        add(u"ours_fp32"_s, u"ours, --precision fp32"_s, true, u"fp32"_s, 0);
    add(u"torch_fp32"_s, u"torch fp32, default threads"_s, false, u"fp32"_s, 0);
    add(u"torch_fp32_threads"_s, u"torch fp32, --threads %1"_s.arg(threads), false, u"fp32"_s, threads);
    add(u"torch_bf16"_s, u"torch bf16+CL, default threads"_s, false, u"bf16"_s, 0);
    add(u"torch_bf16_threads"_s, u"torch bf16+CL, --threads %1"_s.arg(threads), false, u"bf16"_s, threads);

    out() << u"%1 training on the CPU: %2 Fashion-MNIST PNGs (%3), %4 px, batch %5, one epoch per run, %6 round(s); "
             "LibTorch %7, %8 threads; auto here: %9\n"_s.arg(arch)
                 .arg(images)
                 .arg(small ? u"grey"_s : u"read as RGB"_s)
                 .arg(size)
                 .arg(batch)
                 .arg(rounds)
                 .arg(compat::torchVersion())
                 .arg(threads)
                 .arg(ml::describeAutoPrecision())
          << Qt::flush;
    QString peerVersion, peerError;
    for (int round = 1; round <= rounds; ++round) {
        for (Variant &v : variants) {
            double ips = 0;
            if (v.ours) {
                const Ours ours = trainOurs(request, v.precision);
                if (!ours.error.isEmpty()) {
                    out() << "bench_cpu_train: our training failed: " << ours.error << '\n';
                    return 2;
                }
                ips = ours.imagesPerSecond;
                v.note = ours.precisionLine;
            } else if (peerError.isEmpty()) {
                QStringList a = peerArgs;
                a << u"--mode"_s << v.precision;
                if (v.threads > 0)
                    a << u"--threads"_s << QString::number(v.threads);
                const QJsonObject peer = bench::PythonPeer::runOnce(u"smallcnn_train_reference.py"_s, a);
                peerError = peer.value(u"error"_s).toString();
                ips = peer.value(u"images_per_s"_s).toDouble();
                v.note = u"%1 threads, %2 loader workers"_s.arg(peer.value(u"threads"_s).toInt())
                             .arg(peer.value(u"workers"_s).toInt());
                peerVersion =
                    u"%1: torch %2"_s.arg(peer.value(u"python"_s).toString(), peer.value(u"torch"_s).toString());
            }
            v.best = std::max(v.best, ips);
            out() << u"  round %1  %2 %3 images/s  %4\n"_s.arg(round).arg(v.label, -34).arg(ips, 8, 'f', 1).arg(v.note)
                  << Qt::flush;
        }
    }
    out() << u"fastest of %1 round(s), images/s:\n"_s.arg(rounds);
    const double base = variants.front().best;
    for (const Variant &v : variants)
        out() << u"  %1 %2  (ours auto / this: %3)\n"_s.arg(v.label, -34)
                     .arg(v.best, 8, 'f', 1)
                     .arg(v.best > 0 ? QString::number(base / v.best, 'f', 2) + u"x"_s : u"-"_s);
    out() << "peer: "
          << (peerError.isEmpty() ? peerVersion + u" (tests/bench/smallcnn_train_reference.py)"_s : peerError) << '\n'
          << Qt::flush;
    if (args.contains(u"--json"_s)) {
        QJsonObject result{{u"arch"_s, arch},
                           {u"images"_s, images},
                           {u"size"_s, size},
                           {u"batch"_s, batch},
                           {u"rounds"_s, rounds},
                           {u"threads"_s, threads},
                           {u"libtorch"_s, compat::torchVersion()},
                           {u"auto"_s, variants.front().note}};
        for (const Variant &v : variants)
            if (v.best > 0)
                result.insert(v.key, v.best);
        result.insert(peerError.isEmpty() ? u"peer"_s : u"peer_error"_s, peerError.isEmpty() ? peerVersion : peerError);
        bench::printResult(out(), result);
    }
    return 0;
}
