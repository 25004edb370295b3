// Guided super-resolution (DSen2's 20 m → 10 m): a coarse raster super-resolved with the help
// of a finer guide of the same area. The guide's packing onto the coarse grid (values, the
// pixel_unshuffle layout, edges cut short, nodata fill, errors), its channels turning with the
// self-ensemble's flips, the guided network's shapes and skip, guided training data, and end to
// end on generated rasters whose detail lives in the guide: the guided network beats bicubic and
// an unguided network of the same size by several dB (×2, and ×3 against bicubic), on Wald's protocol and against the true
// fine raster; the module folder keeps the guide's normalisation; a guided module refuses to run
// without its guide and an unguided one with a guide.
#include "core/ml/image_quality.h"
#include "plugins/superres/data/guide_packing.h"
#include "plugins/superres/infer/self_ensemble.h"
#include "plugins/superres/infer/wald_evaluation.h"
#include "plugins/superres/models/dsen2_network.h"
#include "plugins/superres/module/loaded_superresolver.h"
#include "plugins/superres/train/sr_trainer.h"
#include "plugins/superres/train/sr_training_data.h"
#include "superres_fixture.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace dw;
using namespace dw::superres;

namespace {

RasterBuffer numbered(int width, int height, int bands, float base)
{
    RasterBuffer b = RasterBuffer::zeros(width, height, bands);
    for (int k = 0; k < bands; ++k)
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                b.at(k, x, y) = base + float(1000 * k + 100 * y + x);
    return b;
}

// Two bands that are mixtures of the guide's two bands: the guide holds all their detail.
RasterBuffer mixtures(const RasterBuffer &guide)
{
    RasterBuffer out = RasterBuffer::zeros(guide.width, guide.height, 2);
    for (std::size_t i = 0; i < guide.planeSize(); ++i) {
        out.band(0)[i] = 0.6f * guide.band(0)[i] + 0.3f * guide.band(1)[i] + 200.0f;
        out.band(1)[i] = 0.8f * guide.band(0)[i] - 0.4f * guide.band(1)[i] + 900.0f;
    }
    return out;
}

RasterBuffer interior(const RasterBuffer &r, int margin)
{
    RasterBuffer out = RasterBuffer::zeros(r.width - 2 * margin, r.height - 2 * margin, r.bands);
    for (int b = 0; b < r.bands; ++b)
        for (int y = 0; y < out.height; ++y)
            for (int x = 0; x < out.width; ++x)
                out.at(b, x, y) = r.at(b, x + margin, y + margin);
    return out;
}

double meanPsnr(const RasterBuffer &reference, const RasterBuffer &estimate)
{
    return ImageQuality::mean(ImageQuality::compare(interior(reference, 4), interior(estimate, 4))).psnr;
}

}  // namespace

class TestSrGuided : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    RasterBuffer m_guide;   // 192 × 192, 2 bands: the fine field
    RasterBuffer m_truth;   // 192 × 192, 2 bands: what the coarse raster would be at the fine grid
    RasterBuffer m_coarse;  // 96 × 96: the truth seen by a sensor twice as coarse
    QString m_guided, m_plain;
    double m_guidedValPsnr = 0.0, m_plainValPsnr = 0.0;

    SrTrainRequest request(const QString &name, bool guided) const
    {
        SrTrainRequest r;
        r.rasters = {m_coarse};
        r.rasterNames = {QStringLiteral("coarse.tif")};
        r.bandNames = {QStringLiteral("swir1"), QStringLiteral("swir2")};
        if (guided) {
            r.guides = {m_guide};
            r.guideBandNames = {QStringLiteral("red"), QStringLiteral("nir")};
        }
        r.scale = 2;
        r.blocks = 2;
        r.filters = 16;
        r.epochs = 16;
        r.batchSize = 8;
        r.patchSize = 32;
        r.patchesPerEpoch = 256;
        r.learningRate = 2e-3;
        r.optimizer = QStringLiteral("adam");
        r.valFraction = 0.34;
        r.patience = 0;
        r.seed = 3;
        r.threads = 2;
        r.moduleDir = m_dir.filePath(name);
        return r;
    }

    static JobContext quietContext()
    {
        static std::atomic_bool never{false};
        return JobContext(QStringLiteral("job"), &never, {});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        torch::manual_seed(1);
        m_guide = test::smoothRasterWithEdges(192, 192, 2, 21);
        m_truth = mixtures(m_guide);
        m_coarse = test::blockMean(m_truth, 2);
    }

    void packingLaysFinePixelsOutAsPixelUnshuffle()
    {
        const RasterBuffer coarse = numbered(3, 2, 1, 0.0f);
        const RasterBuffer guide = numbered(6, 4, 2, 50000.0f);
        Result<RasterBuffer> packed = packGuide(coarse, guide, 2, {0.0f, 0.0f});
        QVERIFY2(packed.ok(), packed.ok() ? "" : qPrintable(packed.error().message));
        QCOMPARE(packed->bands, 1 + 2 * 4);
        QCOMPARE(packed->width, 3);
        QCOMPARE(packed->height, 2);
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 3; ++x) {
                QCOMPARE(packed->at(0, x, y), coarse.at(0, x, y));
                for (int g = 0; g < 2; ++g)
                    for (int dy = 0; dy < 2; ++dy)
                        for (int dx = 0; dx < 2; ++dx)
                            QCOMPARE(packed->at(1 + g * 4 + dy * 2 + dx, x, y), guide.at(g, 2 * x + dx, 2 * y + dy));
            }
        // The same layout as LibTorch's pixel_unshuffle, which the network runner undoes.
        const torch::Tensor fine =
            torch::from_blob(const_cast<float *>(guide.values.data()), {1, 2, 4, 6}, torch::kFloat32);
        const torch::Tensor unshuffled = torch::pixel_unshuffle(fine, 2).contiguous();
        const torch::Tensor ours =
            torch::from_blob(packed->values.data(), {1, 9, 2, 3}, torch::kFloat32).narrow(1, 1, 8).contiguous();
        QVERIFY(torch::equal(unshuffled, ours));
    }

    void packingRepeatsACutEdgeFillsNodataAndRefusesOtherGrids()
    {
        const RasterBuffer coarse = numbered(4, 4, 1, 0.0f);
        RasterBuffer guide = numbered(7, 8, 1, 0.0f);  // one fine column short at the right edge
        guide.valid.assign(guide.planeSize(), 1);
        guide.valid[0] = 0;
        Result<RasterBuffer> packed = packGuide(coarse, guide, 2, {-5.0f});
        QVERIFY(packed.ok());
        QCOMPARE(packed->at(1 + 1, 3, 0), guide.at(0, 6, 0));  // dx = 1 of the last column repeats column 6
        QCOMPARE(packed->at(1 + 0, 0, 0), -5.0f);              // nodata takes the fill value
        QCOMPARE(packed->at(1 + 1, 0, 0), guide.at(0, 1, 0));
        QVERIFY(packed->valid.empty());  // the coarse raster's mask, which has none

        Result<RasterBuffer> narrow = packGuide(coarse, numbered(5, 8, 1, 0.0f), 2, {0.0f});
        QVERIFY(!narrow.ok());
        QVERIFY2(narrow.error().message.contains(QStringLiteral("does not cover")), qPrintable(narrow.error().message));
        QVERIFY(!packGuide(coarse, guide, 2, {}).ok());  // a fill value per guide band
        QVERIFY(!packGuide(coarse, guide, 1, {0.0f}).ok());
    }

    void packedChannelsTurnWithTheTile()
    {
        // Turning a packed tile must equal packing the turned coarse tile and the turned guide.
        const RasterBuffer coarse = numbered(4, 4, 2, 0.0f);
        const RasterBuffer guide = numbered(12, 12, 1, 7000.0f);
        const GuideLayout layout{2, 1, 3};
        Result<RasterBuffer> packed = packGuide(coarse, guide, 3, {0.0f});
        QVERIFY(packed.ok());
        QCOMPARE(packed->bands, layout.channels());
        for (int t = 0; t < 8; ++t) {
            Result<RasterBuffer> expected =
                packGuide(SelfEnsemble::apply(coarse, t), SelfEnsemble::apply(guide, t), 3, {0.0f});
            QVERIFY(expected.ok());
            const RasterBuffer turned = SelfEnsemble::apply(*packed, t, layout);
            QVERIFY2(turned.values == expected->values, qPrintable(QStringLiteral("transform %1").arg(t)));
        }
    }

    void guidedNetworkReadsTheGuideAndWritesTheBands()
    {
        SrNetworkSpec spec;
        spec.bands = 3;
        spec.guideBands = 4;
        spec.blocks = 1;
        spec.filters = 8;
        QVERIFY(spec.problem().isEmpty());
        Result<SrNetworkSpec> back = SrNetworkSpec::fromJson(spec.toJson());
        QVERIFY(back.ok());
        QCOMPARE(*back, spec);
        QCOMPARE(spec.toJson().value(QStringLiteral("guide_bands")).toInt(), 4);
        SrNetworkSpec plain = spec;
        plain.guideBands = 0;
        QVERIFY(!plain.toJson().contains(QStringLiteral("guide_bands")));  // old modules read as before
        QJsonObject negative = spec.toJson();
        negative.insert(QStringLiteral("guide_bands"), -1);
        QVERIFY(!SrNetworkSpec::fromJson(negative).ok());

        Dsen2Network net(spec);
        QCOMPARE(net->named_parameters()["head.weight"].size(1), 7);
        QCOMPARE(net->named_parameters()["tail.weight"].size(0), 3);
        torch::NoGradGuard noGrad;
        const torch::Tensor input = torch::randn({2, 7, 16, 16});
        QCOMPARE(net->forward(input).sizes(), (std::vector<int64_t>{2, 3, 16, 16}));
        net->named_parameters()["tail.weight"].zero_();
        QVERIFY(torch::allclose(net->forward(input), input.narrow(1, 0, 3)));  // the skip adds the bands only
    }

    void guidedTrainingDataStacksTheDegradedGuide()
    {
        JobContext context = quietContext();
        SrTrainRequest r = request(QStringLiteral("unused"), true);
        Result<SrTrainingData> data = SrTrainingData::build(r, context);
        QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().message));
        QCOMPARE(data->validation().input.size(1), 4);
        QCOMPARE(data->validation().target.size(1), 2);
        QCOMPARE(data->guideNormalization().bands(), 2);
        QCOMPARE(data->provenance().value(QStringLiteral("guide_bands")).toInt(), 2);

        r.guides = {test::smoothRasterWithEdges(150, 192, 2, 21)};
        Result<void> wrongSize = checkSrTrainRequest(r);
        QVERIFY(!wrongSize.ok());
        QCOMPARE(wrongSize.error().field, QStringLiteral("guide"));
        QVERIFY2(wrongSize.error().message.contains(QStringLiteral("150 × 192")) &&
                     wrongSize.error().message.contains(QStringLiteral("192 × 192")),
                 qPrintable(wrongSize.error().message));
        r.guides = {m_guide, m_guide};
        QVERIFY(checkSrTrainRequest(r).error().message.contains(QStringLiteral("one --guide per --raster")));
    }

    void guidedTrainingBeatsUnguided()
    {
        JobContext context = quietContext();
        Result<SrTrainOutcome> guided = trainSuperResolution(request(QStringLiteral("guided"), true), context);
        QVERIFY2(guided.ok(), guided.ok() ? "" : qPrintable(guided.error().message));
        Result<SrTrainOutcome> plain = trainSuperResolution(request(QStringLiteral("plain"), false), context);
        QVERIFY2(plain.ok(), plain.ok() ? "" : qPrintable(plain.error().message));
        qInfo("held-out patches, Wald's protocol: guided %.2f dB, unguided %.2f dB, bicubic %.2f dB (%.1f s + %.1f s)",
              guided->valPsnr, plain->valPsnr, guided->bicubicPsnr, guided->seconds, plain->seconds);
        QVERIFY(guided->valPsnr > guided->bicubicPsnr + 3.0);
        QVERIFY(guided->valPsnr > plain->valPsnr + 3.0);
        m_guided = guided->moduleDir;
        m_plain = plain->moduleDir;

        Result<SrModule> module = readSrModule(m_guided);
        QVERIFY2(module.ok(), module.ok() ? "" : qPrintable(module.error().message));
        QCOMPARE(module->guideBands(), 2);
        QCOMPARE(module->guideBandNames, (QStringList{QStringLiteral("red"), QStringLiteral("nir")}));
        QCOMPARE(module->guideNormalization.bands(), 2);
        QVERIFY(module->manifest.summary.contains(QStringLiteral("guided by 2 finer band(s)")));
        QVERIFY(module->manifest.hyperParameters.value(QStringLiteral("guided")).toBool());
    }

    void guidedModuleRestoresTheFineRaster()
    {
        QVERIFY(!m_guided.isEmpty());
        Result<std::shared_ptr<LoadedSuperResolver>> loaded =
            LoadedSuperResolver::load(m_guided, QStringLiteral("cpu"));
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
        const LoadedSuperResolver &sr = **loaded;
        QCOMPARE(sr.guideBands(), 2);
        QCOMPARE(sr.windowLayout().channels(), 2 + 2 * 4);
        Result<RasterBuffer> packed = packGuide(m_coarse, m_guide, 2, sr.module().guideFill());
        QVERIFY(packed.ok());
        Result<RasterBuffer> restored = sr.superResolve(*packed);
        QVERIFY2(restored.ok(), restored.ok() ? "" : qPrintable(restored.error().message));
        QCOMPARE(restored->width, 192);
        QCOMPARE(restored->bands, 2);
        Result<RasterBuffer> bicubic = sr.bicubic(m_coarse);
        QVERIFY(bicubic.ok());
        const double model = meanPsnr(m_truth, *restored), baseline = meanPsnr(m_truth, *bicubic);
        qInfo("against the true fine raster: guided %.2f dB, bicubic %.2f dB", model, baseline);
        QVERIFY(model > baseline + 3.0);

        // Without its guide, a clear message that names it.
        Result<RasterBuffer> alone = sr.superResolve(m_coarse);
        QVERIFY(!alone.ok());
        QCOMPARE(alone.error().field, QStringLiteral("guide"));
        QVERIFY2(alone.error().message.contains(QStringLiteral("--guide")) &&
                     alone.error().message.contains(QStringLiteral("red, nir")),
                 qPrintable(alone.error().message));
    }

    void guidedAtScaleThree()
    {
        // Another integer scale end to end: the truth seen 3 times coarser, the guide at the truth's grid.
        SrTrainRequest r = request(QStringLiteral("guided-x3"), true);
        r.scale = 3;
        r.rasters = {test::blockMean(m_truth, 3)};  // 64 × 64
        r.patchSize = 24;
        r.epochs = 10;
        JobContext context = quietContext();
        Result<SrTrainOutcome> trained = trainSuperResolution(r, context);
        QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(trained.error().message));
        qInfo("x3: held-out patches guided %.2f dB, bicubic %.2f dB", trained->valPsnr, trained->bicubicPsnr);
        QVERIFY(trained->valPsnr > trained->bicubicPsnr + 2.0);
        Result<std::shared_ptr<LoadedSuperResolver>> loaded =
            LoadedSuperResolver::load(trained->moduleDir, QStringLiteral("cpu"));
        QVERIFY(loaded.ok());
        QCOMPARE((*loaded)->windowLayout().channels(), 2 + 2 * 9);
        Result<RasterBuffer> packed = packGuide(r.rasters.front(), m_guide, 3, (*loaded)->module().guideFill());
        QVERIFY(packed.ok());
        Result<RasterBuffer> restored = (*loaded)->superResolve(*packed);
        QVERIFY(restored.ok());
        QCOMPARE(restored->width, 192);
        Result<RasterBuffer> bicubic = (*loaded)->bicubic(r.rasters.front());
        QVERIFY(bicubic.ok());
        const double model = meanPsnr(m_truth, *restored), baseline = meanPsnr(m_truth, *bicubic);
        qInfo("x3 against the true fine raster: guided %.2f dB, bicubic %.2f dB", model, baseline);
        QVERIFY(model > baseline + 1.5);  // measured +2.4 dB
    }

    void waldEvaluationUsesTheGuideAndTheSelfEnsemble()
    {
        QVERIFY(!m_guided.isEmpty() && !m_plain.isEmpty());
        auto guided = LoadedSuperResolver::load(m_guided, QStringLiteral("cpu"));
        auto plain = LoadedSuperResolver::load(m_plain, QStringLiteral("cpu"));
        QVERIFY(guided.ok() && plain.ok());
        JobContext context = quietContext();
        const QStringList names{QStringLiteral("swir1"), QStringLiteral("swir2")};
        Result<WaldEvaluation> one = evaluateByWald(**guided, m_coarse, names, context, 1, &m_guide);
        QVERIFY2(one.ok(), one.ok() ? "" : qPrintable(one.error().message));
        Result<WaldEvaluation> eight = evaluateByWald(**guided, m_coarse, names, context, 8, &m_guide);
        QVERIFY(eight.ok());
        Result<WaldEvaluation> unguided = evaluateByWald(**plain, m_coarse, names, context, 1);
        QVERIFY(unguided.ok());
        qInfo("Wald's protocol on the whole raster: guided +%.2f dB over bicubic (8 views +%.2f), unguided +%.2f",
              one->psnrGain(), eight->psnrGain(), unguided->psnrGain());
        QVERIFY(one->psnrGain() > 3.0);
        QVERIFY(one->psnrGain() > unguided->psnrGain() + 2.0);
        QVERIFY(eight->psnrGain() > one->psnrGain() - 0.3);  // turned views line up with their guide

        QCOMPARE(evaluateByWald(**guided, m_coarse, names, context).error().field, QStringLiteral("guide"));
        Result<WaldEvaluation> refused = evaluateByWald(**plain, m_coarse, names, context, 1, &m_guide);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(QStringLiteral("not guided")));
    }
};

QTEST_GUILESS_MAIN(TestSrGuided)
#include "test_sr_guided.moc"
