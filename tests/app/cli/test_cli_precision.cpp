// --precision (issue 21, first part: inference on the CPU) on real data: the Fashion-MNIST test
// set (Debian's dataset-fashion-mnist, 10,000 images as PNGs) through the demo SmallCNN, and
// the Landsat 7 scene through the demo ×2 super-resolution network. bf16 (bfloat16 autocast,
// channels-last) names the same top class as fp32 for at least 99.5 % of the images, keeps the
// test accuracy within 0.2 points and the Wald PSNR within 0.05 dB; auto picks
// bf16 only where the processor has native bfloat16 (DEEPWB_CPU_FEATURES=fp32 pretends it has
// not); a word other than auto, fp32 or bf16 is a usage error; deepwb devices says what auto is.
#include "cli_run.h"
#include "fashion_mnist_pngs.h"
#include "shared_data.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

constexpr double kMinimumAgreement = 0.995;
constexpr double kAccuracyPoints = 0.2;
constexpr double kPsnrDecibels = 0.05;

}  // namespace

class TestCliPrecision : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_test;  // the 10,000 test images, a folder per class

    dw::test::CliRun deepwb(const QStringList &args, const QMap<QString, QString> &env = {})
    {
        return dw::test::runDeepwb(args, m_dir.path(), 600000, env);
    }

    // The top class of every image, by file.
    QMap<QString, QString> topClasses(const dw::test::CliRun &run)
    {
        QMap<QString, QString> top;
        for (const QJsonValue &item : run.json().value(u"predictions"_s).toArray()) {
            const QJsonObject o = item.toObject();
            top.insert(o.value(u"input"_s).toString(), o.value(u"labels"_s).toArray().first().toString());
        }
        return top;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = dw::test::makeFashionMnistPngs(m_dir.filePath(u"fmnist"_s), 10000);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        m_test = m_dir.filePath(u"fmnist/test"_s);
    }

    void bf16AgreesWithFp32()
    {
        const dw::test::CliRun fp32 = deepwb({u"predict"_s, u"fashion-mnist-demo"_s, m_test, u"--precision"_s,
                                              u"fp32"_s, u"--top"_s, u"1"_s, u"--json"_s});
        QVERIFY2(fp32.exitCode == 0, fp32.err.right(2000).constData());
        QVERIFY2(fp32.err.contains("precision: fp32"), fp32.err.left(2000).constData());
        const dw::test::CliRun bf16 = deepwb({u"predict"_s, u"fashion-mnist-demo"_s, m_test, u"--precision"_s,
                                              u"bf16"_s, u"--top"_s, u"1"_s, u"--json"_s});
        QVERIFY2(bf16.exitCode == 0, bf16.err.right(2000).constData());
        QVERIFY2(bf16.err.contains("precision: bf16"), bf16.err.left(2000).constData());
        const QMap<QString, QString> a = topClasses(fp32), b = topClasses(bf16);
        QCOMPARE(a.size(), 10000);
        QCOMPARE(b.size(), 10000);
        int same = 0;
        for (auto it = a.begin(); it != a.end(); ++it)
            same += b.value(it.key()) == it.value() ? 1 : 0;
        const double agreement = double(same) / double(a.size());
        qInfo("bf16 names fp32's top class for %d of %lld test images (%.2f %%; at least %.1f %% asked)", same,
              qint64(a.size()), 100.0 * agreement, 100.0 * kMinimumAgreement);
        QVERIFY(agreement >= kMinimumAgreement);
    }

    void testAccuracyKept()
    {
        double accuracy[2] = {0, 0};
        const QStringList precisions{u"fp32"_s, u"bf16"_s};
        for (int i = 0; i < 2; ++i) {
            const dw::test::CliRun run =
                deepwb({u"evaluate"_s, u"fashion-mnist-demo"_s, u"--data"_s, m_dir.filePath(u"fmnist"_s),
                        u"--precision"_s, precisions[i], u"--json"_s});
            QVERIFY2(run.exitCode == 0, run.err.right(2000).constData());
            QCOMPARE(run.json().value(u"precision"_s).toString(), precisions[i]);
            QCOMPARE(run.json().value(u"evaluated"_s).toInt(), 10000);
            accuracy[i] = run.json().value(u"top1"_s).toDouble(-1);
            QVERIFY2(accuracy[i] > 0.5, run.out.left(2000).constData());
        }
        qInfo("test top-1: fp32 %.2f %%, bf16 %.2f %% (within %.1f points asked)", 100 * accuracy[0], 100 * accuracy[1],
              kAccuracyPoints);
        QVERIFY(std::abs(accuracy[0] - accuracy[1]) * 100.0 <= kAccuracyPoints);
    }

    void superResolutionPsnrKept()
    {
        const QString scene = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");
        DW_REQUIRE_SHARED_FILE(scene);
        double psnr[2] = {0, 0};
        const QStringList precisions{u"fp32"_s, u"bf16"_s};
        for (int i = 0; i < 2; ++i) {
            const dw::test::CliRun run = deepwb({u"evaluate"_s, u"landsat-x2-demo"_s, u"--raster"_s, scene,
                                                 u"--precision"_s, precisions[i], u"--json"_s});
            QVERIFY2(run.exitCode == 0, run.err.right(2000).constData());
            QCOMPARE(run.json().value(u"precision"_s).toString(), precisions[i]);
            psnr[i] = run.json().value(u"mean"_s).toObject().value(u"model"_s).toObject().value(u"psnr"_s).toDouble();
            QVERIFY2(psnr[i] > 20.0, run.out.left(2000).constData());
        }
        qInfo("Landsat ×2, Wald's protocol: PSNR fp32 %.4f dB, bf16 %.4f dB (within %.2f dB asked)", psnr[0], psnr[1],
              kPsnrDecibels);
        QVERIFY(std::abs(psnr[0] - psnr[1]) <= kPsnrDecibels);
    }

    void autoFollowsTheProcessor()
    {
        const QString one = m_test + u"/Bag"_s;
        const dw::test::CliRun without = deepwb({u"predict"_s, u"fashion-mnist-demo"_s, one, u"--top"_s, u"1"_s},
                                                {{u"DEEPWB_CPU_FEATURES"_s, u"fp32"_s}});
        QVERIFY2(without.exitCode == 0, without.err.right(2000).constData());
        QVERIFY2(without.err.contains("precision: fp32 (auto: fp32 on the CPU (no native bfloat16"),
                 without.err.left(1000).constData());

        const dw::test::CliRun devices = deepwb({u"devices"_s, u"--json"_s});
        QVERIFY2(devices.exitCode == 0, devices.err.constData());
        const bool native = devices.json().value(u"cpu_native_bf16"_s).toBool();
        QCOMPARE(devices.json().value(u"cpu_precision"_s).toString(), native ? u"bf16"_s : u"fp32"_s);
        const dw::test::CliRun here = deepwb({u"predict"_s, u"fashion-mnist-demo"_s, one, u"--top"_s, u"1"_s});
        QVERIFY2(here.exitCode == 0, here.err.right(2000).constData());
        QVERIFY2(here.err.contains(native ? "precision: bf16 (auto" : "precision: fp32 (auto"),
                 here.err.left(1000).constData());

        const dw::test::CliRun bad = deepwb({u"predict"_s, u"fashion-mnist-demo"_s, one, u"--precision"_s, u"fp16"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("auto, fp32, bf16"), bad.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliPrecision)
#include "test_cli_precision.moc"
