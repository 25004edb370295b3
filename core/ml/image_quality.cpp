// PSNR, SSIM and SRE on the valid pixels of a band. SSIM's local statistics come from
// OpenCV's separable filter in double precision, weighted by the mask.
#include "core/ml/image_quality.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace dw {

namespace {

constexpr int kWindow = 11;
constexpr double kSigma = 1.5;
constexpr double kK1 = 0.01;
constexpr double kK2 = 0.03;

bool counts(const uint8_t *mask, size_t i)
{
    return !mask || mask[i] != 0;
}

double resolvedRange(const float *reference, const uint8_t *mask, size_t count, double dataRange)
{
    return (dataRange > 0.0 && std::isfinite(dataRange)) ? dataRange
                                                         : ImageQuality::dataRangeOf(reference, mask, count);
}

// Sum of squared differences and the number of valid pixels.
std::pair<double, qint64> squaredError(const float *reference, const float *estimate, const uint8_t *mask, size_t count)
{
    double sum = 0.0;
    qint64 n = 0;
    for (size_t i = 0; i < count; ++i) {
        if (!counts(mask, i))
            continue;
        const double d = double(reference[i]) - double(estimate[i]);
        sum += d * d;
        ++n;
    }
    return {sum, n};
}

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

}  // namespace

QJsonObject BandQuality::toJson() const
{
    return {{QStringLiteral("psnr"), number(psnr)},
            {QStringLiteral("ssim"), number(ssim)},
            {QStringLiteral("sre"), number(sre)},
            {QStringLiteral("count"), double(count)},
            {QStringLiteral("data_range"), number(dataRange)}};
}

double ImageQuality::dataRangeOf(const float *reference, const uint8_t *mask, size_t count)
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (size_t i = 0; i < count; ++i) {
        if (!counts(mask, i))
            continue;
        lo = std::min(lo, double(reference[i]));
        hi = std::max(hi, double(reference[i]));
    }
    return (hi > lo) ? hi - lo : 1.0;
}

double ImageQuality::psnr(const float *reference, const float *estimate, const uint8_t *mask, size_t count,
                          double dataRange)
{
    const auto [sum, n] = squaredError(reference, estimate, mask, count);
    if (n == 0)
        return std::numeric_limits<double>::quiet_NaN();
    if (sum == 0.0)
        return std::numeric_limits<double>::infinity();
    const double range = resolvedRange(reference, mask, count, dataRange);
    return 10.0 * std::log10(range * range / (sum / double(n)));
}

double ImageQuality::sre(const float *reference, const float *estimate, const uint8_t *mask, size_t count)
{
    const auto [sum, n] = squaredError(reference, estimate, mask, count);
    if (n == 0)
        return std::numeric_limits<double>::quiet_NaN();
    if (sum == 0.0)
        return std::numeric_limits<double>::infinity();
    double mean = 0.0;
    for (size_t i = 0; i < count; ++i)
        if (counts(mask, i))
            mean += reference[i];
    mean /= double(n);
    return 10.0 * std::log10(mean * mean / (sum / double(n)));
}

double ImageQuality::ssim(const float *reference, const float *estimate, const uint8_t *mask, int width, int height,
                          double dataRange)
{
    const size_t count = size_t(std::max(width, 0)) * size_t(std::max(height, 0));
    if (count == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const double range = resolvedRange(reference, mask, count, dataRange);
    const double c1 = (kK1 * range) * (kK1 * range);
    const double c2 = (kK2 * range) * (kK2 * range);

    cv::Mat m(height, width, CV_64F), mx(height, width, CV_64F), my(height, width, CV_64F);
    cv::Mat mxx(height, width, CV_64F), myy(height, width, CV_64F), mxy(height, width, CV_64F);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const size_t i = size_t(y) * size_t(width) + size_t(x);
            const double w = counts(mask, i) ? 1.0 : 0.0;
            const double a = w * reference[i];
            const double b = w * estimate[i];
            m.at<double>(y, x) = w;
            mx.at<double>(y, x) = a;
            my.at<double>(y, x) = b;
            mxx.at<double>(y, x) = a * reference[i];
            myy.at<double>(y, x) = b * estimate[i];
            mxy.at<double>(y, x) = a * estimate[i];
        }
    }
    const cv::Mat kernel = cv::getGaussianKernel(kWindow, kSigma, CV_64F);
    for (cv::Mat *plane : {&m, &mx, &my, &mxx, &myy, &mxy})
        cv::sepFilter2D(*plane, *plane, CV_64F, kernel, kernel, cv::Point(-1, -1), 0.0, cv::BORDER_CONSTANT);

    // Wang's 'valid' filtering: only centres whose whole window is inside the image, unless
    // the image is smaller than the window.
    const int half = kWindow / 2;
    const bool inner = width >= kWindow && height >= kWindow;
    const int x0 = inner ? half : 0, x1 = inner ? width - half : width;
    const int y0 = inner ? half : 0, y1 = inner ? height - half : height;
    double total = 0.0;
    qint64 n = 0;
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            const double weight = m.at<double>(y, x);
            if (!counts(mask, size_t(y) * size_t(width) + size_t(x)) || weight <= 0.0)
                continue;
            const double muX = mx.at<double>(y, x) / weight;
            const double muY = my.at<double>(y, x) / weight;
            const double varX = mxx.at<double>(y, x) / weight - muX * muX;
            const double varY = myy.at<double>(y, x) / weight - muY * muY;
            const double cov = mxy.at<double>(y, x) / weight - muX * muY;
            total += ((2.0 * muX * muY + c1) * (2.0 * cov + c2)) / ((muX * muX + muY * muY + c1) * (varX + varY + c2));
            ++n;
        }
    }
    return n ? total / double(n) : std::numeric_limits<double>::quiet_NaN();
}

BandQuality ImageQuality::compare(const float *reference, const float *estimate, const uint8_t *mask, int width,
                                  int height, double dataRange)
{
    const size_t count = size_t(std::max(width, 0)) * size_t(std::max(height, 0));
    BandQuality q;
    q.count = squaredError(reference, estimate, mask, count).second;
    if (q.count == 0)
        return q;
    q.dataRange = resolvedRange(reference, mask, count, dataRange);
    q.psnr = psnr(reference, estimate, mask, count, q.dataRange);
    q.sre = sre(reference, estimate, mask, count);
    q.ssim = ssim(reference, estimate, mask, width, height, q.dataRange);
    return q;
}

std::vector<BandQuality> ImageQuality::compare(const RasterBuffer &reference, const RasterBuffer &estimate,
                                               const std::vector<double> &dataRanges)
{
    if (reference.width != estimate.width || reference.height != estimate.height || reference.bands != estimate.bands ||
        reference.values.size() != estimate.values.size())
        return {};
    std::vector<uint8_t> mask;
    if (!reference.valid.empty() || !estimate.valid.empty()) {
        mask.resize(reference.planeSize());
        for (size_t i = 0; i < mask.size(); ++i)
            mask[i] = (reference.valid.empty() || reference.valid[i]) && (estimate.valid.empty() || estimate.valid[i]);
    }
    std::vector<BandQuality> bands;
    for (int b = 0; b < reference.bands; ++b) {
        const double range = size_t(b) < dataRanges.size() ? dataRanges[size_t(b)] : 0.0;
        bands.push_back(compare(reference.band(b), estimate.band(b), mask.empty() ? nullptr : mask.data(),
                                reference.width, reference.height, range));
    }
    return bands;
}

BandQuality ImageQuality::mean(const std::vector<BandQuality> &bands)
{
    auto average = [&](double BandQuality::*field) {
        double sum = 0.0;
        int n = 0;
        for (const BandQuality &q : bands) {
            if (std::isfinite(q.*field)) {
                sum += q.*field;
                ++n;
            }
        }
        return n ? sum / n : std::numeric_limits<double>::quiet_NaN();
    };
    BandQuality q;
    for (const BandQuality &band : bands)
        q.count += band.count;
    q.psnr = average(&BandQuality::psnr);
    q.ssim = average(&BandQuality::ssim);
    q.sre = average(&BandQuality::sre);
    q.dataRange = average(&BandQuality::dataRange);
    return q;
}

QJsonArray ImageQuality::toJson(const std::vector<BandQuality> &bands, const QStringList &names)
{
    QJsonArray array;
    for (size_t b = 0; b < bands.size(); ++b) {
        QJsonObject o = bands[b].toJson();
        o.insert(QStringLiteral("band"),
                 qsizetype(b) < names.size() ? names[qsizetype(b)] : QStringLiteral("band %1").arg(b + 1));
        array.append(o);
    }
    return array;
}

}  // namespace dw
