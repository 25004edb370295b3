// Data-parallel scaling on this machine's CPU: SmallCNN trained on 6,000 Fashion-MNIST images
// (2 epochs, batch 64 per process, no augmentation) by 1 process and by 2 processes (Gloo over
// the loopback), each with one LibTorch thread and one decoding thread; prints the images/s of
// each and the scaling efficiency, images/s(2) / (2 × images/s(1)). The 2-process run's
// figure is rank 0's: all ranks' images over its training time.
//
//   bench_distributed [--images N] [--epochs E] [--batch B]
//
// On a CUDA machine, --device cuda runs the same with one GPU per process (NCCL where the
// LibTorch build has it).
#include "fashion_mnist_pngs.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTextStream>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

bool prepareData(const QString &root, int images)
{
    const QString problem = dw::test::makeFashionMnistPngs(root, images);
    if (!problem.isEmpty())
        out() << problem << "\n";
    return problem.isEmpty();
}

struct Figures {
    double imagesPerSecond = 0.0;
    double seconds = 0.0;
    bool ok = false;
};

Figures train(int processes, const QStringList &args, const QString &home)
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const QString port = QString::number(probe.serverPort());
    probe.close();
    std::vector<std::unique_ptr<QProcess>> ranks;
    QElapsedTimer clock;
    clock.start();
    for (int r = 0; r < processes; ++r) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DEEPWB_PLUGIN_PATH"_s, QStringLiteral(DW_PLUGIN_DIR));
        env.insert(u"DEEPWB_THREADS"_s, u"1"_s);
        env.insert(u"OMP_NUM_THREADS"_s, u"1"_s);
        env.insert(u"HOME"_s, home);
        if (processes > 1) {
            env.insert(u"RANK"_s, QString::number(r));
            env.insert(u"WORLD_SIZE"_s, QString::number(processes));
            env.insert(u"LOCAL_RANK"_s, QString::number(r));
            env.insert(u"MASTER_ADDR"_s, u"127.0.0.1"_s);
            env.insert(u"MASTER_PORT"_s, port);
        }
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(env);
        QStringList rankArgs = args;
        rankArgs << u"--name"_s << u"bench-%1-%2"_s.arg(processes).arg(r) << u"--catalog"_s
                 << QDir(home).filePath(u"catalog-%1-%2"_s.arg(processes).arg(r));
        process->start(QStringLiteral(DW_BIN_DIR "/deepwb"), rankArgs);
        ranks.push_back(std::move(process));
    }
    Figures figures;
    figures.ok = true;
    for (int r = 0; r < processes; ++r) {
        QProcess &p = *ranks[std::size_t(r)];
        if (!p.waitForFinished(-1) || p.exitCode() != 0) {
            out() << "rank " << r << " failed: " << p.readAllStandardError().right(2000) << "\n";
            figures.ok = false;
            continue;
        }
        if (r == 0) {
            const QJsonObject json = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
            figures.imagesPerSecond = json.value(u"images_per_second"_s).toDouble();
        }
    }
    figures.seconds = double(clock.elapsed()) / 1000.0;
    return figures;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"images"_s, u"Training images (first N of Fashion-MNIST)."_s, u"N"_s, u"6000"_s});
    parser.addOption({u"epochs"_s, u"Epochs."_s, u"E"_s, u"2"_s});
    parser.addOption({u"batch"_s, u"Batch per process."_s, u"B"_s, u"64"_s});
    parser.addOption({u"device"_s, u"cpu or cuda."_s, u"DEVICE"_s, u"cpu"_s});
    parser.process(app);

    const int images = parser.value(u"images"_s).toInt();
    const QString data = QStringLiteral(DW_BUILD_DIR "/bench-data/fashion-mnist-") + QString::number(images);
    if (!prepareData(data, images))
        return 2;
    QTemporaryDir home;
    const QStringList args{u"train"_s,
                           u"image-classification"_s,
                           u"--data"_s,
                           data,
                           u"--arch"_s,
                           u"smallcnn"_s,
                           u"--image-size"_s,
                           u"28"_s,
                           u"--no-augment"_s,
                           u"--epochs"_s,
                           parser.value(u"epochs"_s),
                           u"--batch"_s,
                           parser.value(u"batch"_s),
                           u"--workers"_s,
                           u"1"_s,
                           u"--seed"_s,
                           u"1"_s,
                           u"--device"_s,
                           parser.value(u"device"_s),
                           u"--json"_s};
    out() << "SmallCNN on " << images << " Fashion-MNIST training images, " << parser.value(u"epochs"_s)
          << " epochs, batch " << parser.value(u"batch"_s) << " per process, " << parser.value(u"device"_s)
          << ", 1 LibTorch thread per process\n"
          << Qt::flush;
    const Figures one = train(1, args, home.path());
    const Figures two = train(2, args, home.path());
    if (!one.ok || !two.ok)
        return 1;
    const double efficiency = two.imagesPerSecond / (2.0 * one.imagesPerSecond);
    out() << QString::asprintf("  1 process:   %8.1f images/s   (%.1f s wall)\n", one.imagesPerSecond, one.seconds)
          << QString::asprintf("  2 processes: %8.1f images/s   (%.1f s wall)\n", two.imagesPerSecond, two.seconds)
          << QString::asprintf("  speed-up %.2fx, scaling efficiency %.0f %% (reference: 100 %% is perfect scaling)\n",
                               two.imagesPerSecond / one.imagesPerSecond, 100.0 * efficiency);
    return 0;
}
