// Fine-tuning a super-resolution module (sr_parent.h) on L7_ETMs.tif: a parent trained on the
// top half of the scene, then a small raster of another region (112 × 112 px of the bottom
// half, with other per-band gains and offsets, as another sensor's calibration would give)
// learnt for the same few epochs and seed by fine-tuning the parent and from scratch; the
// fine-tuned module must score better on the held-out rows (PSNR, and L1 relative to
// bicubic's on the same patches, since the two runs normalise differently). About 40 s on
// 2 CPU cores, most of it the parent. Also: freeze head learns the last convolution only, the
// manifest records parent, freeze and the data hash, refit normalises anew, and a parent that
// does not fit (band count, scale, guide, freeze without parent) is an error that says what to
// do.
#include "core/catalog/manifest_io.h"
#include "core/io/raster_reader.h"
#include "core/ml/torch/module_weights.h"
#include "plugins/superres/models/dsen2_network.h"
#include "plugins/superres/module/sr_module.h"
#include "plugins/superres/train/sr_parent.h"
#include "plugins/superres/train/sr_trainer.h"
#include "shared_data.h"

#include <torch/torch.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace dw;
using namespace dw::superres;

namespace {

const QString kL7 = QStringLiteral(DW_SHARED_DATA_DIR "/L7_ETMs.tif");

// Few epochs, each short: the target set is small, as it is when one fine-tunes.
constexpr int kTargetEpochs = 6;

Result<RasterBuffer> readL7(const QRect &window, const QList<int> &bands = {})
{
    Result<RasterReader> reader = RasterReader::open(kL7);
    if (!reader)
        return reader.error();
    return reader->read(window, bands);
}

// Another sensor's view of the same ground: per band gain and offset.
RasterBuffer recalibrated(RasterBuffer raster)
{
    for (int b = 0; b < raster.bands; ++b) {
        const float gain = 1.25f + 0.1f * float(b), offset = 20.0f - 3.0f * float(b);
        float *plane = raster.band(b);
        for (std::size_t i = 0; i < raster.planeSize(); ++i)
            plane[i] = plane[i] * gain + offset;
    }
    return raster;
}

std::unique_ptr<JobContext> quietContext(QStringList *lines)
{
    JobContext::Callbacks callbacks;
    callbacks.log = [lines](const QString &line) {
        if (lines)
            *lines << line;
    };
    static std::atomic_bool never{false};
    return std::make_unique<JobContext>(QStringLiteral("job"), &never, callbacks);
}

double relative(double value, double bicubic)
{
    return bicubic > 0.0 ? value / bicubic : value;
}

}  // namespace

class TestSrFinetune : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_parent;
    RasterBuffer m_target;  // the other region, recalibrated

    SrTrainRequest request(const QString &name, std::vector<RasterBuffer> rasters) const
    {
        SrTrainRequest r;
        r.rasters = std::move(rasters);
        r.rasterNames = {name + QStringLiteral(".tif")};
        r.scale = 2;
        r.blocks = 3;
        r.filters = 24;
        r.batchSize = 8;
        r.patchSize = 24;
        r.learningRate = 2e-3;
        r.optimizer = QStringLiteral("adam");
        r.valFraction = 0.3;
        r.patience = 0;
        r.seed = 7;
        r.threads = 2;
        r.moduleDir = m_dir.filePath(name);
        r.moduleId = name;
        return r;
    }

    SrTrainRequest targetRequest(const QString &name) const
    {
        SrTrainRequest r = request(name, {m_target});
        r.epochs = kTargetEpochs;
        r.patchesPerEpoch = 64;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        DW_REQUIRE_SHARED_FILE(kL7);
        QVERIFY(m_dir.isValid());
        Result<RasterBuffer> top = readL7(QRect(0, 0, 349, 176));
        QVERIFY2(top.ok(), top.ok() ? "" : qPrintable(top.error().message));
        Result<RasterBuffer> other = readL7(QRect(100, 240, 112, 112));
        QVERIFY2(other.ok(), other.ok() ? "" : qPrintable(other.error().message));
        m_target = recalibrated(std::move(other).value());

        SrTrainRequest r = request(QStringLiteral("l7-top"), {std::move(top).value()});
        r.epochs = 12;
        r.patchesPerEpoch = 256;
        auto context = quietContext(nullptr);
        Result<SrTrainOutcome> parent = trainSuperResolution(r, *context);
        QVERIFY2(parent.ok(), parent.ok() ? "" : qPrintable(parent.error().message));
        qInfo("parent (L7 rows 0-175, 6 bands, 3 blocks x 24 filters, 12 epochs): val PSNR %.2f dB vs bicubic %.2f dB, "
              "%.1f s",
              parent->valPsnr, parent->bicubicPsnr, parent->seconds);
        m_parent = r.moduleDir;
    }

    void fineTuneBeatsScratch()
    {
        QStringList lines;
        auto context = quietContext(&lines);
        const SrTrainRequest scratchRequest = targetRequest(QStringLiteral("scratch"));
        Result<SrTrainOutcome> scratch = trainSuperResolution(scratchRequest, *context);
        QVERIFY2(scratch.ok(), scratch.ok() ? "" : qPrintable(scratch.error().message));
        SrTrainRequest tuneRequest = targetRequest(QStringLiteral("tuned"));
        tuneRequest.parentDir = m_parent;
        tuneRequest.blocks = 1;  // ignored: the parent's network wins
        Result<SrTrainOutcome> tuned = trainSuperResolution(tuneRequest, *context);
        QVERIFY2(tuned.ok(), tuned.ok() ? "" : qPrintable(tuned.error().message));
        QVERIFY2(!lines.filter(QStringLiteral("fine-tuning l7-top")).isEmpty(), qPrintable(lines.join(u'\n')));

        // The same held-out patches: bicubic scores the same in both normalisations.
        QVERIFY(std::abs(scratch->bicubicPsnr - tuned->bicubicPsnr) < 0.01);
        const double gainScratch = scratch->valPsnr - scratch->bicubicPsnr,
                     gainTuned = tuned->valPsnr - tuned->bicubicPsnr;
        const double l1Scratch = relative(scratch->bestValL1, scratch->bicubicValL1);
        const double l1Tuned = relative(tuned->bestValL1, tuned->bicubicValL1);
        qInfo("target (L7 rows 240-351, columns 100-211, recalibrated; %d epochs x 64 patches, seed 7): bicubic PSNR "
              "%.2f dB",
              kTargetEpochs, scratch->bicubicPsnr);
        qInfo("  from scratch: PSNR %.2f dB (gain %+.2f dB), L1 %.4f = %.3f x bicubic's, %.1f s", scratch->valPsnr,
              gainScratch, scratch->bestValL1, l1Scratch, scratch->seconds);
        qInfo("  fine-tuned:   PSNR %.2f dB (gain %+.2f dB), L1 %.4f = %.3f x bicubic's, %.1f s", tuned->valPsnr,
              gainTuned, tuned->bestValL1, l1Tuned, tuned->seconds);
        qInfo("  fine-tuning wins by %.2f dB PSNR and %.1f %% of bicubic's L1", gainTuned - gainScratch,
              100.0 * (l1Scratch - l1Tuned));
        QVERIFY2(gainTuned > gainScratch + 0.15, "fine-tuning should beat training from scratch by 0.15 dB or more");
        QVERIFY(l1Tuned < l1Scratch - 0.01);

        // module.json: parent, freeze, the data hash, the network the parent had.
        const ManifestReadResult read = readManifest(tuneRequest.moduleDir);
        QVERIFY(read.isValid());
        const ModuleManifest &m = read.manifest;
        QCOMPARE(m.parent, QStringLiteral("l7-top"));
        QCOMPARE(m.hyperParameters.value(u"freeze").toString(), QStringLiteral("full"));
        QCOMPARE(m.hyperParameters.value(u"parent").toString(), QStringLiteral("l7-top"));
        QCOMPARE(m.hyperParameters.value(u"blocks").toInt(), 3);
        QCOMPARE(m.trainingData.value(u"sha256").toString().size(), 64);
        const QJsonObject init = m.extra.value(u"initialization").toObject();
        QCOMPARE(init.value(u"module").toString(), QStringLiteral("l7-top"));
        const ManifestReadResult parent = readManifest(m_parent);
        QCOMPARE(init.value(u"data_sha256").toString(), parent.manifest.trainingData.value(u"sha256").toString());
        QVERIFY(init.value(u"data_sha256").toString() != m.trainingData.value(u"sha256").toString());
        Result<SrModule> child = readSrModule(tuneRequest.moduleDir);
        QVERIFY(child.ok());
        Result<SrModule> parentModule = readSrModule(m_parent);
        QVERIFY(parentModule.ok());
        QCOMPARE(child->normalization, parentModule->normalization);
    }

    void freezeHeadTrainsTheLastConvolutionOnly()
    {
        SrTrainRequest r = targetRequest(QStringLiteral("head-only"));
        r.epochs = 1;
        r.patchesPerEpoch = 16;
        r.parentDir = m_parent;
        r.freeze = QStringLiteral("head");
        QStringList lines;
        auto context = quietContext(&lines);
        Result<SrTrainOutcome> tuned = trainSuperResolution(r, *context);
        QVERIFY2(tuned.ok(), tuned.ok() ? "" : qPrintable(tuned.error().message));
        QVERIFY2(!lines.filter(QStringLiteral("freeze head")).isEmpty(), qPrintable(lines.join(u'\n')));
        const SrNetworkSpec spec = readSrModule(m_parent)->network;
        Dsen2Network before(spec), after(spec);
        QVERIFY(ml::ModuleWeights::load(*before, m_parent + QStringLiteral("/weights.pt"), torch::kCPU).ok());
        QVERIFY(ml::ModuleWeights::load(*after, r.moduleDir + QStringLiteral("/weights.pt"), torch::kCPU).ok());
        const auto parentParams = before->named_parameters();
        for (const auto &item : after->named_parameters()) {
            const bool same = torch::equal(item.value(), parentParams[item.key()]);
            QVERIFY2(same == (item.key().rfind("tail.", 0) != 0), item.key().c_str());
        }
        QCOMPARE(srTrainablePrefixes(QStringLiteral("partial"), 6),
                 (QStringList{QStringLiteral("tail."), QStringLiteral("blocks.3."), QStringLiteral("blocks.4."),
                              QStringLiteral("blocks.5.")}));
        QCOMPARE(srTrainablePrefixes(QStringLiteral("partial"), 1),
                 (QStringList{QStringLiteral("tail."), QStringLiteral("blocks.0.")}));
        QVERIFY(srTrainablePrefixes(QStringLiteral("full"), 6).isEmpty());
    }

    void refitNormalization()
    {
        SrTrainRequest r = targetRequest(QStringLiteral("refitted"));
        r.epochs = 1;
        r.patchesPerEpoch = 16;
        r.parentDir = m_parent;
        r.parentNormalization = QStringLiteral("refit");
        auto context = quietContext(nullptr);
        Result<SrTrainOutcome> tuned = trainSuperResolution(r, *context);
        QVERIFY2(tuned.ok(), tuned.ok() ? "" : qPrintable(tuned.error().message));
        Result<SrModule> child = readSrModule(r.moduleDir), parent = readSrModule(m_parent);
        QVERIFY(child.ok() && parent.ok());
        QVERIFY(!(child->normalization == parent->normalization));
        QCOMPARE(child->manifest.hyperParameters.value(u"parent-normalization").toString(), QStringLiteral("refit"));
        QCOMPARE(child->manifest.extra.value(u"initialization").toObject().value(u"normalization").toString(),
                 QStringLiteral("refit"));
    }

    void parentsThatDoNotFit_data()
    {
        QTest::addColumn<QString>("mismatch");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::newRow("band count") << "bands"
                                    << "bands"
                                    << "super-resolves 6 band(s)";
        QTest::newRow("scale") << "scale"
                               << "scale"
                               << "give --scale 2";
        QTest::newRow("guide") << "guide"
                               << "guide"
                               << "is not guided";
        QTest::newRow("freeze without parent") << "no parent"
                                               << "freeze"
                                               << "needs a parent module";
        QTest::newRow("unknown freeze") << "freeze"
                                        << "freeze"
                                        << "use head";
        QTest::newRow("not a module") << "folder"
                                      << "parent"
                                      << "cannot fine-tune from";
        QTest::newRow("unknown normalisation") << "normalisation"
                                               << "parent-normalization"
                                               << "use keep";
    }

    void parentsThatDoNotFit()
    {
        QFETCH(QString, mismatch);
        QFETCH(QString, field);
        QFETCH(QString, says);
        SrTrainRequest r = targetRequest(QStringLiteral("never-") + mismatch.replace(u' ', u'-'));
        r.epochs = 1;
        r.parentDir = m_parent;
        if (mismatch == QLatin1String("bands")) {
            Result<RasterBuffer> four = readL7(QRect(0, 200, 96, 96), {1, 2, 3, 4});
            QVERIFY(four.ok());
            r.rasters = {std::move(four).value()};
        } else if (mismatch == QLatin1String("scale")) {
            r.scale = 4;
        } else if (mismatch == QLatin1String("guide")) {
            r.guides = {RasterBuffer::zeros(m_target.width * 2, m_target.height * 2, 2)};
        } else if (mismatch == QLatin1String("no-parent")) {
            r.parentDir.clear();
            r.freeze = QStringLiteral("partial");
        } else if (mismatch == QLatin1String("freeze")) {
            r.freeze = QStringLiteral("all");
        } else if (mismatch == QLatin1String("normalisation")) {
            r.parentNormalization = QStringLiteral("mean");
        } else {
            r.parentDir = m_dir.path();
        }
        auto context = quietContext(nullptr);
        Result<SrTrainOutcome> outcome = trainSuperResolution(r, *context);
        QVERIFY(!outcome.ok());
        qInfo().noquote() << outcome.error().message;
        QCOMPARE(outcome.error().field, field);
        QVERIFY2(outcome.error().message.contains(says), qPrintable(outcome.error().message));
        QVERIFY(!QFile::exists(r.moduleDir + QStringLiteral("/module.json")));
    }
};

QTEST_GUILESS_MAIN(TestSrFinetune)
#include "test_sr_finetune.moc"
