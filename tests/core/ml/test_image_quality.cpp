// PSNR, SRE and SSIM against values computed by hand and against a direct, window-by-window
// SSIM written out here; nodata left out of every score.
#include "core/ml/image_quality.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace dw;

namespace {

std::vector<float> noise(int count, unsigned seed, float lo = 0.0f, float hi = 255.0f)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(lo, hi);
    std::vector<float> v(static_cast<size_t>(count));
    for (float &x : v)
        x = u(rng);
    return v;
}

// SSIM as Wang et al. define it, one window at a time: Gaussian weights (σ 1.5, 11×11)
// times the mask, normalised; centres whose window lies inside the image.
double directSsim(const std::vector<float> &a, const std::vector<float> &b, const std::vector<uint8_t> &mask, int w,
                  int h, double range)
{
    const double c1 = std::pow(0.01 * range, 2), c2 = std::pow(0.03 * range, 2);
    double total = 0;
    int n = 0;
    for (int cy = 5; cy < h - 5; ++cy) {
        for (int cx = 5; cx < w - 5; ++cx) {
            if (!mask.empty() && !mask[size_t(cy * w + cx)])
                continue;
            double sw = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
            for (int dy = -5; dy <= 5; ++dy) {
                for (int dx = -5; dx <= 5; ++dx) {
                    const size_t i = size_t((cy + dy) * w + cx + dx);
                    double g = std::exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
                    if (!mask.empty() && !mask[i])
                        g = 0;
                    sw += g;
                    sa += g * a[i];
                    sb += g * b[i];
                    saa += g * a[i] * a[i];
                    sbb += g * b[i] * b[i];
                    sab += g * a[i] * b[i];
                }
            }
            const double ma = sa / sw, mb = sb / sw;
            const double va = saa / sw - ma * ma, vb = sbb / sw - mb * mb, cov = sab / sw - ma * mb;
            total += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            ++n;
        }
    }
    return total / n;
}

}  // namespace

class TestImageQuality : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void psnrAndSre()
    {
        // Errors 1, 0, 2, 0: MSE 5/4; range 30 − 0; mean 15.
        const std::vector<float> ref{0, 10, 20, 30}, est{1, 10, 18, 30};
        QCOMPARE(ImageQuality::dataRangeOf(ref.data(), nullptr, 4), 30.0);
        QVERIFY(qAbs(ImageQuality::psnr(ref.data(), est.data(), nullptr, 4) - 10 * std::log10(900 / 1.25)) < 1e-9);
        QVERIFY(qAbs(ImageQuality::psnr(ref.data(), est.data(), nullptr, 4, 255) - 10 * std::log10(65025 / 1.25)) <
                1e-9);
        QVERIFY(qAbs(ImageQuality::sre(ref.data(), est.data(), nullptr, 4) - 10 * std::log10(225 / 1.25)) < 1e-9);
    }

    void maskedPixelsLeftOut()
    {
        // The third pixel is nodata: errors 1, 0, 0 → MSE 1/3; range 30 (0 … 30); mean 40/3.
        const std::vector<float> ref{0, 10, 99999, 30}, est{1, 10, -5000, 30};
        const std::vector<uint8_t> mask{1, 1, 0, 1};
        QCOMPARE(ImageQuality::dataRangeOf(ref.data(), mask.data(), 4), 30.0);
        QVERIFY(qAbs(ImageQuality::psnr(ref.data(), est.data(), mask.data(), 4) - 10 * std::log10(900.0 * 3)) < 1e-9);
        const double mean = 40.0 / 3.0;
        QVERIFY(qAbs(ImageQuality::sre(ref.data(), est.data(), mask.data(), 4) - 10 * std::log10(mean * mean * 3)) <
                1e-9);
    }

    void degenerateCases()
    {
        const std::vector<float> a{1, 2, 3};
        QVERIFY(std::isinf(ImageQuality::psnr(a.data(), a.data(), nullptr, 3)));
        QVERIFY(std::isinf(ImageQuality::sre(a.data(), a.data(), nullptr, 3)));
        const std::vector<uint8_t> none{0, 0, 0};
        QVERIFY(std::isnan(ImageQuality::psnr(a.data(), a.data(), none.data(), 3)));
        const BandQuality q = ImageQuality::compare(a.data(), a.data(), none.data(), 3, 1);
        QCOMPARE(q.count, qint64(0));
        QVERIFY(q.toJson().value(QStringLiteral("psnr")).isNull());
        // A constant reference has range 1, not 0.
        const std::vector<float> flat{5, 5, 5};
        QCOMPARE(ImageQuality::dataRangeOf(flat.data(), nullptr, 3), 1.0);
    }

    void ssimOfConstantImages()
    {
        // No variance: only the luminance term, (2ab + C1) / (a² + b² + C1), C1 = (0.01·255)².
        const int w = 20, h = 16;
        const std::vector<float> a(size_t(w * h), 100.0f), b(size_t(w * h), 110.0f);
        const double c1 = 2.55 * 2.55;
        const double expected = (2 * 100.0 * 110.0 + c1) / (100.0 * 100.0 + 110.0 * 110.0 + c1);
        QVERIFY(qAbs(ImageQuality::ssim(a.data(), b.data(), nullptr, w, h, 255) - expected) < 1e-12);
        QVERIFY(qAbs(ImageQuality::ssim(a.data(), a.data(), nullptr, w, h, 255) - 1.0) < 1e-12);
    }

    void ssimMatchesDirectComputation_data()
    {
        QTest::addColumn<bool>("masked");
        QTest::newRow("all valid") << false;
        QTest::newRow("with nodata") << true;
    }
    void ssimMatchesDirectComputation()
    {
        QFETCH(bool, masked);
        const int w = 23, h = 17;
        std::vector<float> a = noise(w * h, 1);
        std::vector<float> b = a;
        const std::vector<float> n = noise(w * h, 2, -30, 30);
        for (size_t i = 0; i < b.size(); ++i)
            b[i] += n[i];
        std::vector<uint8_t> mask;
        if (masked) {
            mask.assign(size_t(w * h), 1);
            for (int y = 3; y < 9; ++y)
                for (int x = 6; x < 12; ++x) {
                    mask[size_t(y * w + x)] = 0;
                    b[size_t(y * w + x)] = 1e6f;  // garbage under nodata must not matter
                }
        }
        const double expected = directSsim(a, b, mask, w, h, 255);
        const double got = ImageQuality::ssim(a.data(), b.data(), mask.empty() ? nullptr : mask.data(), w, h, 255);
        QVERIFY2(qAbs(got - expected) < 1e-9, qPrintable(QStringLiteral("%1 vs %2").arg(got).arg(expected)));
        QVERIFY(got > 0.3 && got < 1.0);
    }

    void ssimOnImagesSmallerThanTheWindow()
    {
        const std::vector<float> a = noise(6 * 5, 3);
        QVERIFY(qAbs(ImageQuality::ssim(a.data(), a.data(), nullptr, 6, 5) - 1.0) < 1e-9);
        std::vector<float> b = a;
        b[7] += 40;
        const double s = ImageQuality::ssim(a.data(), b.data(), nullptr, 6, 5);
        QVERIFY(s < 1.0 && s > 0.0);
    }

    void rasterBuffersBandByBand()
    {
        RasterBuffer ref = RasterBuffer::zeros(2, 2, 2), est = RasterBuffer::zeros(2, 2, 2);
        // Band 0: 0 10 / 20 30 against 1 10 / 18 30; band 1 an exact copy of 1 2 / 3 4.
        const float r0[] = {0, 10, 20, 30}, e0[] = {1, 10, 18, 30}, r1[] = {1, 2, 3, 4};
        std::copy(r0, r0 + 4, ref.band(0));
        std::copy(e0, e0 + 4, est.band(0));
        std::copy(r1, r1 + 4, ref.band(1));
        std::copy(r1, r1 + 4, est.band(1));
        est.valid = {1, 1, 0, 1};  // the 18 is nodata in the estimate: errors 1, 0, 0
        const std::vector<BandQuality> q = ImageQuality::compare(ref, est, {255.0});
        QCOMPARE(q.size(), size_t(2));
        QCOMPARE(q[0].count, qint64(3));
        QVERIFY(qAbs(q[0].psnr - 10 * std::log10(65025.0 * 3)) < 1e-9);
        QCOMPARE(q[1].dataRange, 3.0);  // 4 − 1 over the valid pixels: no range given for band 1
        QVERIFY(std::isinf(q[1].psnr));
        const BandQuality m = ImageQuality::mean(q);
        QVERIFY(qAbs(m.psnr - q[0].psnr) < 1e-12);  // +inf is left out of the mean
        const QJsonArray json = ImageQuality::toJson(q, {QStringLiteral("red")});
        QCOMPARE(json.at(0).toObject().value(QStringLiteral("band")).toString(), QStringLiteral("red"));
        QCOMPARE(json.at(1).toObject().value(QStringLiteral("band")).toString(), QStringLiteral("band 2"));
        // Shapes that differ: nothing to compare.
        QVERIFY(ImageQuality::compare(ref, RasterBuffer::zeros(2, 2, 1)).empty());
    }
};

QTEST_GUILESS_MAIN(TestImageQuality)
#include "test_image_quality.moc"
