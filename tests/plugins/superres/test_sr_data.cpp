// Training data of the super-resolution task: band normalisation (standard and robust, valid
// pixels only, round trip), Wald's degradation (blur σ and kernel, known block means, the
// validity rule, nodata kept out of the blur), the patch sampler (patches more than half
// valid, determinism under the seed, the held-out rows never sampled for training).
#include "plugins/superres/data/band_normalization.h"
#include "plugins/superres/data/patch_sampler.h"
#include "plugins/superres/data/wald_degradation.h"
#include "superres_fixture.h"

#include <QtTest>

#include <cmath>
#include <set>

using namespace dw;
using namespace dw::superres;

class TestSrData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void standardNormalisationUsesValidPixelsOnly()
    {
        RasterBuffer r = RasterBuffer::zeros(4, 1, 2);
        const float a[] = {1, 2, 3, 1000}, b[] = {10, 10, 10, -5};
        std::copy(a, a + 4, r.band(0));
        std::copy(b, b + 4, r.band(1));
        r.valid = {1, 1, 1, 0};
        Result<BandNormalization> n = BandNormalization::fit({&r}, QStringLiteral("standard"));
        QVERIFY(n.ok());
        QCOMPARE(n->offset(0), 2.0);
        QVERIFY(std::abs(n->scale(0) - std::sqrt(2.0 / 3.0)) < 1e-9);
        QCOMPARE(n->offset(1), 10.0);
        QCOMPARE(n->scale(1), 1.0);  // no spread: scale 1
        RasterBuffer copy = r;
        n->apply(copy);
        QVERIFY(std::abs(copy.at(0, 2, 0) - 1.0 / std::sqrt(2.0 / 3.0)) < 1e-5);
        n->undo(copy);
        for (std::size_t i = 0; i < r.values.size(); ++i)
            QVERIFY(std::abs(copy.values[i] - r.values[i]) < 1e-3);
        Result<BandNormalization> back = BandNormalization::fromJson(n->toJson());
        QVERIFY(back.ok());
        QCOMPARE(back.value(), n.value());
    }

    void robustNormalisationUsesPercentiles()
    {
        RasterBuffer r = RasterBuffer::zeros(101, 1, 1);
        for (int x = 0; x <= 100; ++x)
            r.at(0, x, 0) = float(x);
        r.at(0, 100, 0) = 1e6f;  // an outlier moves the mean, not the percentiles
        Result<BandNormalization> n = BandNormalization::fit({&r}, QStringLiteral("robust"));
        QVERIFY(n.ok());
        QCOMPARE(n->offset(0), 2.0);
        QCOMPARE(n->scale(0), 96.0);  // 98 − 2
        QVERIFY(!BandNormalization::fit({&r}, QStringLiteral("minmax")).ok());
        RasterBuffer empty = RasterBuffer::zeros(2, 2, 1);
        empty.valid.assign(4, 0);
        QVERIFY(BandNormalization::fit({&empty}, QStringLiteral("standard"))
                    .error()
                    .message.contains(QStringLiteral("no valid")));
    }

    void blurSigmaAndKernel()
    {
        QCOMPARE(WaldDegradation::blurSigma(2), 0.5);
        QCOMPARE(WaldDegradation::kernelSize(0.5), 5);
        QCOMPARE(WaldDegradation::kernelSize(1.0 / 6.0), 3);
        // A single bright pixel spreads as the sampled Gaussian: centre/neighbour ratio e^(1/(2σ²)).
        RasterBuffer dot = RasterBuffer::zeros(9, 9, 1);
        dot.at(0, 4, 4) = 1.0f;
        const RasterBuffer blurred = WaldDegradation::blur(dot, 0.5);
        const double ratio = blurred.at(0, 4, 4) / blurred.at(0, 5, 4);
        QVERIFY2(std::abs(ratio - std::exp(2.0)) < 1e-3, qPrintable(QString::number(ratio)));
        double total = 0.0;
        for (float v : blurred.values)
            total += v;
        QVERIFY(std::abs(total - 1.0) < 1e-5);  // normalised kernel
    }

    void degradeTakesBlockMeans()
    {
        // A field constant in each 2×2 block except for a linear ramp (which a symmetric blur
        // keeps): block means of the blurred field equal block means of the original.
        RasterBuffer r = RasterBuffer::zeros(8, 6, 2);
        for (int y = 0; y < 6; ++y)
            for (int x = 0; x < 8; ++x) {
                r.at(0, x, y) = float(3 * x + 5 * y);
                r.at(1, x, y) = 7.0f;
            }
        Result<RasterBuffer> coarse = WaldDegradation::degrade(r, 2);
        QVERIFY(coarse.ok());
        QCOMPARE(coarse->width, 4);
        QCOMPARE(coarse->height, 3);
        QVERIFY(coarse->valid.empty());
        // Interior block (1, 1): pixels (2..3, 2..3): mean 3·2.5 + 5·2.5 = 20.
        QVERIFY(std::abs(coarse->at(0, 1, 1) - 20.0f) < 1e-4);
        QVERIFY(std::abs(coarse->at(1, 3, 2) - 7.0f) < 1e-5);
        // Odd sizes drop the last partial block; ×3.
        RasterBuffer odd = RasterBuffer::zeros(7, 5, 1);
        for (float &v : odd.values)
            v = 2.0f;
        Result<RasterBuffer> third = WaldDegradation::degrade(odd, 3);
        QCOMPARE(third->width, 2);
        QCOMPARE(third->height, 1);
        QVERIFY(std::abs(third->at(0, 1, 0) - 2.0f) < 1e-6);
        QVERIFY(!WaldDegradation::degrade(odd, 1).ok());
        QVERIFY(WaldDegradation::degrade(RasterBuffer::zeros(2, 2, 1), 3)
                    .error()
                    .message.contains(QStringLiteral("smaller")));
    }

    void coarsePixelValidOnlyWhenAllSourcesAre()
    {
        RasterBuffer r = RasterBuffer::zeros(6, 6, 1);
        for (float &v : r.values)
            v = 10.0f;
        r.valid.assign(36, 1);
        r.valid[1 * 6 + 1] = 0;  // block (0, 0)
        r.values[1 * 6 + 1] = -9999.0f;
        r.valid[5 * 6 + 5] = 0;  // block (2, 2) with scale 2, block (1, 1) with 3
        r.values[5 * 6 + 5] = -9999.0f;
        Result<RasterBuffer> c2 = WaldDegradation::degrade(r, 2);
        QCOMPARE(c2->valid, (std::vector<uint8_t>{0, 1, 1, 1, 1, 1, 1, 1, 0}));
        // The nodata value stays out of the blur: neighbouring valid blocks keep 10.
        QVERIFY(std::abs(c2->at(0, 1, 0) - 10.0f) < 1e-4);
        QVERIFY(std::abs(c2->at(0, 1, 1) - 10.0f) < 1e-4);
        Result<RasterBuffer> c3 = WaldDegradation::degrade(r, 3);
        QCOMPARE(c3->valid, (std::vector<uint8_t>{0, 1, 1, 0}));
        // NaN as nodata (float rasters) stays out too.
        r.values[1 * 6 + 1] = std::nanf("");
        Result<RasterBuffer> nan = WaldDegradation::degrade(r, 2);
        QVERIFY(std::abs(nan->at(0, 1, 0) - 10.0f) < 1e-4);
        QVERIFY(std::abs(nan->at(0, 0, 1) - 10.0f) < 1e-4);
    }

    void patchesAreValidEnoughAndDeterministic()
    {
        const QSize size(64, 80);
        std::vector<uint8_t> valid(std::size_t(64 * 80), 1);
        for (int y = 0; y < 80; ++y)
            for (int x = 0; x < 40; ++x)
                valid[std::size_t(y * 64 + x)] = 0;  // the left 40 columns are nodata
        PatchSamplerOptions options;
        options.patchSize = 16;
        options.scale = 2;
        options.validationFraction = 0.25;
        Result<PatchSampler> sampler = PatchSampler::create({size}, {valid}, options);
        QVERIFY2(sampler.ok(), sampler.ok() ? "" : qPrintable(sampler.error().message));
        const std::vector<PatchRef> a = sampler->trainingPatches(50, 7, 1);
        QCOMPARE(int(a.size()), 50);
        for (const PatchRef &p : a) {
            QVERIFY(sampler->validFraction(p) > 0.5);
            QVERIFY(p.x >= 40 - 8 && p.x + 16 <= 64);
            QCOMPARE(p.x % 2, 0);
            QCOMPARE(p.y % 2, 0);
        }
        std::set<int> transforms;
        for (const PatchRef &p : a)
            transforms.insert(p.transform);
        QVERIFY(transforms.size() > 4 && *transforms.rbegin() <= 7 &&
                *transforms.begin() >= 0);                 // flips/rotations drawn
        QCOMPARE(sampler->trainingPatches(50, 7, 1), a);   // same seed and epoch: same patches
        QVERIFY(sampler->trainingPatches(50, 7, 2) != a);  // another epoch: others
        QVERIFY(sampler->trainingPatches(50, 8, 1) != a);  // another seed: others
        for (const PatchRef &p : sampler->validationPatches()) {
            QVERIFY(sampler->validFraction(p) > 0.5);
            QCOMPARE(p.transform, 0);  // validation patches as they are
        }
    }

    void heldOutRowsAreNeverSampledForTraining()
    {
        const RasterBuffer r = test::smoothRasterWithEdges(96, 96, 1, 3);
        PatchSamplerOptions options;
        options.patchSize = 32;
        options.scale = 2;
        options.validationFraction = 0.3;
        Result<PatchSampler> sampler = PatchSampler::create({QSize(96, 96), QSize(70, 120)}, {{}, {}}, options);
        QVERIFY(sampler.ok());
        for (int raster : {0, 1}) {
            const QRect held = sampler->validationArea(raster);
            const QRect train = sampler->trainingArea(raster);
            QVERIFY(!held.isEmpty());
            QVERIFY(!held.intersects(train));
            QCOMPARE(held.bottom(), (raster == 0 ? 96 : 120) - 1);
            QVERIFY(held.height() >= 32);
        }
        std::set<int> rastersSeen;
        for (int epoch = 1; epoch <= 20; ++epoch) {
            for (const PatchRef &p : sampler->trainingPatches(64, 11, epoch)) {
                const QRect patch(p.x, p.y, 32, 32);
                QVERIFY2(!patch.intersects(sampler->validationArea(p.raster)),
                         qPrintable(QStringLiteral("patch %1,%2 in raster %3").arg(p.x).arg(p.y).arg(p.raster)));
                QVERIFY(sampler->trainingArea(p.raster).contains(patch));
                rastersSeen.insert(p.raster);
            }
        }
        QCOMPARE(int(rastersSeen.size()), 2);
        for (const PatchRef &p : sampler->validationPatches())
            QVERIFY(sampler->validationArea(p.raster).contains(QRect(p.x, p.y, 32, 32)));
    }

    // An evaluation on the bottom ⌈fraction × H⌉ rows of the original raster (H before the
    // crop to whole blocks) never meets a training row.
    void heldOutRowsCoverTheBottomFraction()
    {
        for (int scale : {2, 3, 6})
            for (int height = 60; height < 400; height += 7)
                for (double fraction : {0.1, 0.2, 0.25, 0.34}) {
                    PatchSamplerOptions options;
                    options.scale = scale;
                    options.patchSize = 8 * scale;
                    options.validationFraction = fraction;
                    const QSize cropped(100 / scale * scale, height / scale * scale);
                    const QRect held = PatchSampler::heldOutRows(cropped, options);
                    const int evaluated = int(std::ceil(height * fraction));
                    QVERIFY(held.top() <= height - evaluated);
                    QCOMPARE(held.bottom(), cropped.height() - 1);
                    QCOMPARE(held.top() % scale, 0);
                    QVERIFY(held.height() >= options.patchSize);
                }
    }

    void validationPatchesAreCapped()
    {
        PatchSamplerOptions options;
        options.patchSize = 8;
        options.scale = 2;
        options.validationFraction = 0.5;
        Result<PatchSampler> all = PatchSampler::create({QSize(160, 160)}, {{}}, options);
        QCOMPARE(int(all->validationPatches().size()), 200);  // 20 × 10 tiles
        options.maxValidationPatches = 30;
        Result<PatchSampler> capped = PatchSampler::create({QSize(160, 160)}, {{}}, options);
        QCOMPARE(int(capped->validationPatches().size()), 30);
        std::set<int> rows;
        for (const PatchRef &p : capped->validationPatches())
            rows.insert(p.y);
        QVERIFY(rows.size() >= 8);  // spread over the held-out rows, not the first ones only
    }

    void samplerRejectsWhatCannotWork()
    {
        PatchSamplerOptions options;
        options.patchSize = 15;  // not a multiple of 2
        QVERIFY(
            PatchSampler::create({QSize(64, 64)}, {{}}, options).error().message.contains(QStringLiteral("multiple")));
        options.patchSize = 32;
        QVERIFY(
            PatchSampler::create({QSize(40, 40)}, {{}}, options).error().message.contains(QStringLiteral("too small")));
        std::vector<uint8_t> none(64 * 64, 0);
        QVERIFY(!PatchSampler::create({QSize(64, 64)}, {none}, options).ok());
    }
};

QTEST_GUILESS_MAIN(TestSrData)
#include "test_sr_data.moc"
