// deepwb train image-classification --init imagenet|auto|random|FILE|MODULE as a user runs
// it, with torchvision-format weight files written by Debian's python3-torchvision (seeded
// random weights: nothing is downloaded in a test):
//   - imagenet from the weights cache: the backbone is torchvision's file, the head new, the
//     ImageNet normalisation set, the starting point recorded in module.json;
//   - auto when the weights are neither cached nor reachable: random weights, said on stderr
//     with the URL and the import command; imagenet then is an error saying the same;
//   - a weights file for grey images: the first convolution summed over RGB;
//   - weights of another architecture, freeze modes without pretrained weights: messages;
//   - a module of the catalog as the starting point.
#include "cli_run.h"
#include "shape_images.h"

#include "core/weights/pretrained_weights.h"
#include "core/weights/weight_cache.h"
#include "plugins/imageclass/models/state_dict.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

using Run = dw::test::CliRun;
const QString kPeer = QStringLiteral(DW_SOURCE_DIR "/tests/peers/torchvision_weights.py");

bool torchvisionFile(const QString &arch, const QString &path, int seed)
{
    QProcess process;
    process.start(u"/usr/bin/python3"_s, {kPeer, arch, path, QString::number(seed)});
    if (!process.waitForFinished(300000) || process.exitCode() != 0) {
        qWarning("python3 could not write %s: %s (run packaging/install-deps.sh for python3-torchvision)",
                 qPrintable(path), process.readAllStandardError().constData());
        return false;
    }
    return true;
}

QJsonObject manifestOf(const QString &module)
{
    QFile file(module + u"/module.json"_s);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

torch::Tensor tensorNamed(const QString &file, const std::string &name)
{
    std::string error;
    const auto entries = dw::imageclass::readStateDict(file.toStdString(), &error);
    if (!entries)
        qWarning("%s", error.c_str());
    else
        for (const auto &[key, tensor] : *entries)
            if (key == name)
                return tensor;
    return {};
}

}  // namespace

class TestCliPretrained : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &relative) const { return m_dir.filePath(relative); }
    Run deepwb(const QStringList &args, const QString &cache)
    {
        return dw::test::runDeepwb(args, m_dir.path(), 300000,
                                   {{u"DEEPWB_CATALOG"_s, path(u"catalog"_s)},
                                    {u"DEEPWB_WEIGHTS_DIR"_s, cache},
                                    {u"DEEPWB_WEIGHTS_URL"_s, u"http://127.0.0.1:9/models"_s}});
    }
    QStringList train(const QString &data, const QString &name) const
    {
        return {u"train"_s,
                u"image-classification"_s,
                u"--data"_s,
                data,
                u"--arch"_s,
                u"resnet18"_s,
                u"--image-size"_s,
                u"32"_s,
                u"--epochs"_s,
                u"1"_s,
                u"--batch"_s,
                u"16"_s,
                u"--workers"_s,
                u"2"_s,
                u"--no-augment"_s,
                u"--device"_s,
                u"cpu"_s,
                u"--name"_s,
                name,
                u"--json"_s};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(dw::test::writeShapeImages(path(u"shapes"_s),
                                           {{u"circle"_s, dw::test::Shape::Circle},
                                            {u"square"_s, dw::test::Shape::Square},
                                            {u"cross"_s, dw::test::Shape::Cross}},
                                           20, 32, 5));
        // Grey images: every channel equal, so the data has one channel.
        QVERIFY(dw::test::writeShapeImages(path(u"grey"_s),
                                           {{u"circle"_s, dw::test::Shape::Circle, cv::Scalar::all(220)},
                                            {u"square"_s, dw::test::Shape::Square, cv::Scalar::all(220)}},
                                           20, 32, 6));
        for (const QString &folder : {u"grey/circle"_s, u"grey/square"_s})
            for (const QString &file : QDir(path(folder)).entryList({u"*.png"_s})) {
                const std::string name = QDir(path(folder)).filePath(file).toStdString();
                cv::Mat grey;
                cv::cvtColor(cv::imread(name), grey, cv::COLOR_BGR2GRAY);
                cv::imwrite(name, grey);
            }
        // The cache as it is after `deepwb weights fetch resnet18`: torchvision's file name and
        // its digest recorded (the bytes are python3-torchvision's, with random weights).
        const dw::weights::PretrainedWeights *resnet = dw::weights::defaultFor(u"resnet18"_s);
        QVERIFY(resnet);
        QDir().mkpath(path(u"cache"_s));
        const dw::weights::WeightCache cache({*resnet}, path(u"cache"_s));
        QVERIFY(torchvisionFile(u"resnet18"_s, cache.pathFor(*resnet), 3));
        QVERIFY(cache.record(*resnet, cache.pathFor(*resnet), resnet->sha256, u"test"_s));
        QVERIFY(torchvisionFile(u"resnet18"_s, path(u"my-resnet.pth"_s), 4));
        QVERIFY(torchvisionFile(u"mobilenetv2"_s, path(u"mobilenet.pth"_s), 5));
    }

    void imagenetFromTheCache()
    {
        const Run run = deepwb(train(path(u"shapes"_s), u"from-imagenet"_s) +
                                   QStringList{u"--init"_s, u"imagenet"_s, u"--freeze"_s, u"head"_s},
                               path(u"cache"_s));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("ImageNet weights resnet18-f37072fd.pth"), run.err.constData());
        const QJsonObject manifest = manifestOf(path(u"catalog/from-imagenet"_s));
        const QJsonObject start = manifest.value(u"initialization"_s).toObject();
        QCOMPARE(start.value(u"kind"_s).toString(), u"imagenet"_s);
        QCOMPARE(start.value(u"file"_s).toString(), u"resnet18-f37072fd.pth"_s);
        QCOMPARE(start.value(u"url"_s).toString(), u"https://download.pytorch.org/models/resnet18-f37072fd.pth"_s);
        QVERIFY(start.value(u"sha256"_s).toString().startsWith(u"f37072fd"_s));
        QCOMPARE(manifest.value(u"hyper-parameters"_s).toObject().value(u"init"_s).toString(), u"imagenet"_s);
        const QJsonArray mean =
            manifest.value(u"inputs"_s).toObject().value(u"normalisation"_s).toObject().value(u"mean"_s).toArray();
        QCOMPARE(mean.size(), 3);
        QCOMPARE(mean.at(0).toDouble(), 0.485);
        // Frozen backbone: the trained module's first convolution is torchvision's file's.
        const QString weights = path(u"catalog/from-imagenet/weights.pt"_s);
        const torch::Tensor file = tensorNamed(path(u"cache/resnet18-f37072fd.pth"_s), "conv1.weight");
        const torch::Tensor trained = tensorNamed(weights, "conv1.weight");
        QVERIFY(file.defined() && trained.defined());
        QVERIFY(torch::equal(file, trained));
        QCOMPARE(tensorNamed(weights, "fc.weight").size(0), int64_t(3));
    }

    void autoFallsBackToRandomOffline()
    {
        const Run run = deepwb(train(path(u"shapes"_s), u"offline-auto"_s), path(u"empty-cache"_s));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("random weights"), run.err.constData());
        QVERIFY2(run.err.contains("http://127.0.0.1:9/models/resnet18-f37072fd.pth"), run.err.constData());
        QVERIFY2(run.err.contains("deepwb weights import"), run.err.constData());
        QCOMPARE(manifestOf(path(u"catalog/offline-auto"_s))
                     .value(u"initialization"_s)
                     .toObject()
                     .value(u"kind"_s)
                     .toString(),
                 u"random"_s);
    }

    void imagenetOfflineIsAnError()
    {
        const Run run =
            deepwb(train(path(u"shapes"_s), u"offline-imagenet"_s) + QStringList{u"--init"_s, u"imagenet"_s},
                   path(u"empty-cache"_s));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("resnet18-f37072fd.pth") && run.err.contains("deepwb weights import"),
                 run.err.constData());
        QVERIFY(!QFile::exists(path(u"catalog/offline-imagenet/module.json"_s)));
    }

    void weightsFileForGreyImages()
    {
        const Run run = deepwb(train(path(u"grey"_s), u"grey-start"_s) +
                                   QStringList{u"--init"_s, path(u"my-resnet.pth"_s), u"--freeze"_s, u"partial"_s},
                               path(u"empty-cache"_s));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject manifest = manifestOf(path(u"catalog/grey-start"_s));
        QCOMPARE(manifest.value(u"inputs"_s).toObject().value(u"channels"_s).toInt(), 1);
        QCOMPARE(manifest.value(u"initialization"_s).toObject().value(u"kind"_s).toString(), u"file"_s);
        const torch::Tensor rgb = tensorNamed(path(u"my-resnet.pth"_s), "conv1.weight");
        const torch::Tensor grey = tensorNamed(path(u"catalog/grey-start/weights.pt"_s), "conv1.weight");
        QCOMPARE(grey.size(1), int64_t(1));
        QVERIFY(torch::allclose(grey, rgb.sum(1, true), 1e-5, 1e-6));  // frozen (partial trains layer4 and fc)
    }

    void badStartingPoints_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("another architecture")
            << QStringList{u"--init"_s, u"mobilenet.pth"_s} << u"not for this network"_s;
        QTest::newRow("freeze without weights")
            << QStringList{u"--init"_s, u"random"_s, u"--freeze"_s, u"head"_s} << u"needs pretrained weights"_s;
        QTest::newRow("no such file") << QStringList{u"--init"_s, u"nothing-here.pth"_s} << u"no such file"_s;
    }
    void badStartingPoints()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        if (args.at(1).endsWith(u".pth"_s))
            args[1] = path(args.at(1));
        const Run run = deepwb(train(path(u"shapes"_s), u"bad-start"_s) + args, path(u"empty-cache"_s));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(!QFile::exists(path(u"catalog/bad-start/module.json"_s)));
    }

    void moduleAsStartingPoint()
    {
        const Run run =
            deepwb(train(path(u"shapes"_s), u"from-module"_s) + QStringList{u"--init"_s, u"from-imagenet"_s},
                   path(u"empty-cache"_s));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject manifest = manifestOf(path(u"catalog/from-module"_s));
        QCOMPARE(manifest.value(u"parent"_s).toString(), u"from-imagenet"_s);
    }
};

QTEST_GUILESS_MAIN(TestCliPretrained)
#include "test_cli_pretrained.moc"
