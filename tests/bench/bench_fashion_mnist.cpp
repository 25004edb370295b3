// Fashion-MNIST through the image classification plugin, as a user's training would go:
//  1. SmallCNN (28x28, grey) trained on the CPU on the 60,000 training images and tested on
//     the 10,000 test images; prints test accuracy, wall time and images/s and fails
//     (exit 1) below 90 % test accuracy or above 15 minutes.
//  2. The real re-training case: a parent trained on classes 0-4, then a child for classes
//     5-9 from 20 images per class, re-trained with --freeze head, against the same network
//     trained from scratch on the same 100 images; prints both test accuracies.
//  3. The value of a pretrained start (train --init), with a real backbone: ResNet-18
//     pretrained by the workbench on classes 0-4 (a stand-in for ImageNet, which cannot be
//     fetched here), then classes 5-9 from 20 images per class with --init that module, with
//     --init its weights file (the path torchvision's ImageNet files take: backbone loaded,
//     head new) and with --init random; prints the three test accuracies and fails when a
//     pretrained start does not beat random.
// The PNG folders are made once under <build>/bench-data by scripts/fashion_mnist_to_png.py
// from Debian's dataset-fashion-mnist.
//
//   bench_fashion_mnist [--epochs N] [--batch B] [--lr X] [--skip-main] [--skip-retrain] [--skip-init]
#include "fashion_mnist_pngs.h"
#include "progress_bar.h"

#include "core/ml/device_service.h"
#include "core/task/plugin_manager.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

#include <sys/resource.h>

#include <atomic>
#include <filesystem>
#include <fstream>

using namespace dw;
using namespace Qt::StringLiterals;

namespace {

const QStringList kClasses{u"T-shirt_top"_s, u"Trouser"_s, u"Pullover"_s, u"Dress"_s, u"Coat"_s,
                           u"Sandal"_s,      u"Shirt"_s,   u"Sneaker"_s,  u"Bag"_s,   u"Ankle_boot"_s};
constexpr double kTargetAccuracy = 0.90;
constexpr double kTargetSeconds = 15 * 60;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

qint64 countFiles(const QString &dir)
{
    qint64 n = 0;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(dir.toStdString()))
        n += entry.is_regular_file() ? 1 : 0;
    return n;
}

// The PNG tree (train/ 60,000 and test/ 10,000), made once.
bool prepareData(const QString &root)
{
    out() << "Fashion-MNIST PNG folders in " << root << " (made once) ...\n" << Qt::flush;
    const QString problem = dw::test::makeFashionMnistPngs(root);
    if (!problem.isEmpty())
        out() << problem << "\n";
    return problem.isEmpty();
}

// A folder-per-class dataset of some classes, at most perClass images of each from train/
// (0: all) and every test image, made of hard links (copies where links fail).
bool makeSubset(const QString &source, const QString &target, const QStringList &classes, int perClass)
{
    if (QFileInfo::exists(target + u"/.complete"_s))
        return true;
    QDir(target).removeRecursively();
    for (const QString &part : {u"train"_s, u"test"_s}) {
        for (const QString &name : classes) {
            const QDir from(source + u'/' + part + u'/' + name);
            const QString to = target + u'/' + part + u'/' + name;
            QDir().mkpath(to);
            QStringList files = from.entryList({u"*.png"_s}, QDir::Files, QDir::Name);
            if (part == u"train"_s && perClass > 0)
                files = files.mid(0, perClass);
            for (const QString &file : files) {
                std::error_code error;
                std::filesystem::create_hard_link(from.filePath(file).toStdString(), (to + u'/' + file).toStdString(),
                                                  error);
                if (error && !QFile::copy(from.filePath(file), to + u'/' + file))
                    return false;
            }
        }
    }
    QFile marker(target + u"/.complete"_s);
    return marker.open(QIODevice::WriteOnly);
}

// CPU seconds (user + system) of this process so far: next to the wall time it tells
// whether a slow run was slow or shared the machine with other work.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The machine's 1-minute load average (0 when unknown).
double loadAverage()
{
    std::ifstream in("/proc/loadavg");
    double load = 0;
    in >> load;
    return load;
}

struct Trained {
    bool ok = false;
    QJsonObject result;
    double wallSeconds = 0;
    double cpuSeconds = 0;
    double loadBefore = 0, loadAfter = 0;
    double testTop1() const { return result.value(u"metrics"_s).toObject().value(u"test_top1"_s).toDouble(-1); }
};

Trained train(TaskPlugin &plugin, const QString &title, QVariantMap args)
{
    out() << "\n== " << title << " ==\n" << Qt::flush;
    QDir(args.value(u"output"_s).toString()).removeRecursively();
    const Result<QVariantMap> validated = plugin.trainArguments().validate(args);
    if (!validated) {
        out() << "bad arguments: " << validated.error().text() << '\n';
        return {};
    }
    std::atomic_bool cancel{false};
    cli::ProgressBar bar(stderr);
    JobContext context(u"bench"_s, &cancel, bar.callbacks(), u"cpu"_s);
    Trained trained;
    trained.loadBefore = loadAverage();
    const double cpuBefore = cpuSeconds();
    QElapsedTimer clock;
    clock.start();
    const Result<TaskResult> result = plugin.train(*validated, context);
    bar.finish();
    trained.wallSeconds = clock.elapsed() / 1000.0;
    trained.cpuSeconds = cpuSeconds() - cpuBefore;
    trained.loadAfter = loadAverage();
    if (!result) {
        out() << "training failed: " << result.error().text() << '\n';
        return trained;
    }
    trained.ok = true;
    trained.result = taskResultToJson(*result);
    return trained;
}

// Part 3: --init MODULE / FILE / random on classes 5-9 with 20 images each, ResNet-18 at 32 px.
int pretrainedStart(TaskPlugin &plugin, const QString &data, const QString &benchData)
{
    const QString parentData = benchData + u"/fashion-mnist-0-4"_s;
    const QString childData = benchData + u"/fashion-mnist-5-9-few"_s;
    if (!makeSubset(data, parentData, kClasses.mid(0, 5), 0) || !makeSubset(data, childData, kClasses.mid(5), 20)) {
        out() << "cannot build the datasets in " << benchData << '\n';
        return 1;
    }
    const QVariantMap common{
        {u"arch"_s, u"resnet18"_s},   {u"image-size"_s, 32},        {u"augment"_s, false},   {u"seed"_s, 1},
        {u"optimizer"_s, u"adamw"_s}, {u"schedule"_s, u"cosine"_s}, {u"val-fraction"_s, 0.1}};
    auto run = [&](const QString &title, const QString &name, const QVariantMap &extra) {
        QVariantMap args = common;
        for (auto it = extra.begin(); it != extra.end(); ++it)
            args.insert(it.key(), it.value());
        args.insert(u"name"_s, name);
        args.insert(u"output"_s, benchData + u"/modules/"_s + name);
        return train(plugin, title, args);
    };
    const Trained backbone =
        run(u"backbone: ResNet-18 pretrained on classes 0-4 (30,000 images, 32 px)"_s, u"fashion-resnet18-0-4"_s,
            {{u"data"_s, parentData}, {u"init"_s, u"random"_s}, {u"epochs"_s, 2}, {u"batch"_s, 128}, {u"lr"_s, 0.002}});
    if (!backbone.ok)
        return 1;
    const QString backboneDir = benchData + u"/modules/fashion-resnet18-0-4"_s;
    const QVariantMap child{
        {u"data"_s, childData}, {u"epochs"_s, 30}, {u"batch"_s, 16}, {u"lr"_s, 0.002}, {u"patience"_s, 0}};
    auto childWith = [&](const QString &init) {
        QVariantMap args = child;
        args.insert(u"init"_s, init);
        return args;
    };
    const Trained fromModule = run(u"classes 5-9, 20 images/class, --init the pretrained module"_s,
                                   u"fashion-5-9-init-module"_s, childWith(backboneDir));
    const Trained fromFile = run(u"classes 5-9, 20 images/class, --init its weights file (as an ImageNet .pth)"_s,
                                 u"fashion-5-9-init-file"_s, childWith(backboneDir + u"/weights.pt"_s));
    const Trained fromRandom =
        run(u"classes 5-9, 20 images/class, --init random"_s, u"fashion-5-9-init-random"_s, childWith(u"random"_s));
    if (!fromModule.ok || !fromFile.ok || !fromRandom.ok)
        return 1;
    out() << QString::asprintf("\nResNet-18 backbone on classes 0-4: test accuracy %.2f %% (%.0f s)\n",
                               backbone.testTop1() * 100.0, backbone.wallSeconds);
    out() << "classes 5-9 from 20 images per class, test accuracy on their 5,000 test images:\n";
    out() << QString::asprintf("  --init MODULE (pretrained):   %.2f %%  (%.0f s)\n", fromModule.testTop1() * 100.0,
                               fromModule.wallSeconds);
    out() << QString::asprintf("  --init FILE.pt (pretrained):  %.2f %%  (%.0f s)\n", fromFile.testTop1() * 100.0,
                               fromFile.wallSeconds);
    out() << QString::asprintf("  --init random:                %.2f %%  (%.0f s)\n", fromRandom.testTop1() * 100.0,
                               fromRandom.wallSeconds);
    if (fromModule.testTop1() <= fromRandom.testTop1() || fromFile.testTop1() <= fromRandom.testTop1()) {
        out() << "a pretrained start did NOT beat random weights\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"epochs"_s, u"Epochs of the main run."_s, u"N"_s, u"3"_s});
    parser.addOption({u"batch"_s, u"Batch size of the main run."_s, u"B"_s, u"128"_s});
    parser.addOption({u"lr"_s, u"Learning rate of the main run."_s, u"X"_s, u"0.003"_s});
    parser.addOption({u"skip-main"_s, u"Leave out the main run."_s});
    parser.addOption({u"skip-retrain"_s, u"Leave out the re-training case."_s});
    parser.addOption({u"skip-init"_s, u"Leave out the pretrained-start case (ResNet-18)."_s});
    parser.process(app);

    qputenv("DEEPWB_PLUGIN_PATH", QByteArrayLiteral(DW_PLUGIN_DIR));
    TaskPlugin *plugin = PluginManager::instance().plugin(u"image-classification"_s);
    if (!plugin) {
        out() << "the image-classification plugin did not load from " << DW_PLUGIN_DIR << '\n';
        return 2;
    }
    DeviceService::configureThreads();
    const QString benchData = QStringLiteral(DW_BUILD_DIR "/bench-data");
    const QString data = benchData + u"/fashion-mnist"_s;
    if (!prepareData(data))
        return 2;
    out() << "Fashion-MNIST: " << countFiles(data + u"/train"_s) << " training and " << countFiles(data + u"/test"_s)
          << " test images; " << DeviceService::threadCount() << " LibTorch threads\n";

    const QVariantMap common{{u"arch"_s, u"smallcnn"_s},   {u"image-size"_s, 28},        {u"augment"_s, false},
                             {u"optimizer"_s, u"adamw"_s}, {u"schedule"_s, u"cosine"_s}, {u"seed"_s, 1},
                             {u"val-fraction"_s, 0.1}};
    auto with = [&](QVariantMap extra) {
        QVariantMap args = common;
        for (auto it = extra.begin(); it != extra.end(); ++it)
            args.insert(it.key(), it.value());
        return args;
    };
    int status = 0;

    if (!parser.isSet(u"skip-main"_s)) {
        const Trained main = train(*plugin, u"SmallCNN on Fashion-MNIST (60,000 training images, CPU)"_s,
                                   with({{u"data"_s, data},
                                         {u"name"_s, u"fashion-mnist-smallcnn"_s},
                                         {u"output"_s, benchData + u"/modules/fashion-mnist-smallcnn"_s},
                                         {u"epochs"_s, parser.value(u"epochs"_s)},
                                         {u"batch"_s, parser.value(u"batch"_s)},
                                         {u"lr"_s, parser.value(u"lr"_s)}}));
        if (!main.ok)
            return 1;
        const double accuracy = main.testTop1();
        out() << "epochs " << main.result.value(u"epochs_run"_s).toInt() << " (best "
              << main.result.value(u"best_epoch"_s).toInt() << "), batch " << parser.value(u"batch"_s) << ", lr "
              << parser.value(u"lr"_s) << ", no augmentation\n";
        out() << QString::asprintf("test accuracy:  %.2f %%  (target >= %.0f %%)\n", accuracy * 100.0,
                                   kTargetAccuracy * 100.0);
        out() << QString::asprintf("test top-5:     %.2f %%\n",
                                   main.result.value(u"metrics"_s).toObject().value(u"test_top5"_s).toDouble() * 100.0);
        out() << QString::asprintf("wall time:      %.1f s  (target <= %.0f s; training passes %.1f s)\n",
                                   main.wallSeconds, kTargetSeconds, main.result.value(u"seconds"_s).toDouble());
        out() << QString::asprintf(
            "CPU time:       %.1f s of this process; machine load %.1f before, %.1f after (2 cores)\n", main.cpuSeconds,
            main.loadBefore, main.loadAfter);
        out() << QString::asprintf("throughput:     %.0f training images/s\n",
                                   main.result.value(u"images_per_second"_s).toDouble());
        if (accuracy < kTargetAccuracy || main.wallSeconds > kTargetSeconds) {
            out() << "TARGET MISSED\n";
            status = 1;
        } else {
            out() << "target met\n";
        }
    }

    if (!parser.isSet(u"skip-retrain"_s)) {
        // Parent: classes 0-4 with all their images. Child: classes 5-9, 20 training images each.
        const QString parentData = benchData + u"/fashion-mnist-0-4"_s;
        const QString childData = benchData + u"/fashion-mnist-5-9-few"_s;
        if (!makeSubset(data, parentData, kClasses.mid(0, 5), 0) || !makeSubset(data, childData, kClasses.mid(5), 20)) {
            out() << "cannot build the re-training datasets in " << benchData << '\n';
            return 1;
        }
        const QString parentDir = benchData + u"/modules/fashion-mnist-0-4"_s;
        const Trained parent = train(*plugin, u"parent: SmallCNN on classes 0-4 (30,000 images)"_s,
                                     with({{u"data"_s, parentData},
                                           {u"name"_s, u"fashion-mnist-0-4"_s},
                                           {u"output"_s, parentDir},
                                           {u"epochs"_s, 3},
                                           {u"batch"_s, 128},
                                           {u"lr"_s, 0.002}}));
        if (!parent.ok)
            return 1;
        const QVariantMap child{
            {u"data"_s, childData}, {u"epochs"_s, 30}, {u"batch"_s, 16}, {u"lr"_s, 0.003}, {u"patience"_s, 0}};
        QVariantMap retrainArgs = with(child);
        retrainArgs.insert(u"name"_s, u"fashion-mnist-5-9-head"_s);
        retrainArgs.insert(u"output"_s, benchData + u"/modules/fashion-mnist-5-9-head"_s);
        retrainArgs.insert(u"parent"_s, parentDir);
        retrainArgs.insert(u"freeze"_s, u"head"_s);
        const Trained head =
            train(*plugin, u"child: re-trained from the parent, --freeze head, 20 images per class"_s, retrainArgs);
        QVariantMap scratchArgs = with(child);
        scratchArgs.insert(u"name"_s, u"fashion-mnist-5-9-scratch"_s);
        scratchArgs.insert(u"output"_s, benchData + u"/modules/fashion-mnist-5-9-scratch"_s);
        const Trained scratch = train(*plugin, u"child: SmallCNN from scratch, the same 100 images"_s, scratchArgs);
        if (!head.ok || !scratch.ok)
            return 1;
        out() << QString::asprintf("\nparent (classes 0-4) test accuracy:         %.2f %%  (%.0f s)\n",
                                   parent.testTop1() * 100.0, parent.wallSeconds);
        out() << QString::asprintf("classes 5-9 from 20 images/class, test accuracy on their 5,000 test images:\n");
        out() << QString::asprintf("  re-trained, --freeze head:  %.2f %%  (%.0f s)\n", head.testTop1() * 100.0,
                                   head.wallSeconds);
        out() << QString::asprintf("  from scratch:               %.2f %%  (%.0f s)\n", scratch.testTop1() * 100.0,
                                   scratch.wallSeconds);
        if (head.testTop1() <= scratch.testTop1()) {
            out() << "re-training did NOT beat training from scratch\n";
            status = 1;
        }
    }
    if (!parser.isSet(u"skip-init"_s) && pretrainedStart(*plugin, data, benchData) != 0)
        status = 1;
    out() << Qt::flush;
    return status;
}
