#include "plugins/superres/data/wald_degradation.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

namespace dw::superres {

int WaldDegradation::kernelSize(double sigma)
{
    return 2 * int(std::ceil(3.0 * sigma)) + 1;
}

RasterBuffer WaldDegradation::blur(const RasterBuffer &fine, double sigma)
{
    RasterBuffer out = fine;
    const int k = kernelSize(sigma);
    const cv::Size kernel(k, k);
    const bool masked = !fine.valid.empty() && !fine.allValid();
    cv::Mat weight;
    if (masked) {
        cv::Mat mask(fine.height, fine.width, CV_8U, const_cast<uint8_t *>(fine.valid.data()));
        cv::Mat maskF;
        mask.convertTo(maskF, CV_32F);
        cv::min(maskF, 1.0, maskF);
        cv::GaussianBlur(maskF, weight, kernel, sigma, sigma, cv::BORDER_REFLECT);
        for (int b = 0; b < fine.bands; ++b) {
            cv::Mat src(fine.height, fine.width, CV_32F, const_cast<float *>(fine.band(b)));
            cv::Mat dst(out.height, out.width, CV_32F, out.band(b));
            cv::Mat masked = cv::Mat::zeros(src.size(), CV_32F), blurred;
            src.copyTo(masked, mask);  // nodata (even NaN) becomes 0 with weight 0
            cv::GaussianBlur(masked, blurred, kernel, sigma, sigma, cv::BORDER_REFLECT);
            // Where no valid pixel is near, keep the value (it stays invalid anyway).
            for (int y = 0; y < out.height; ++y) {
                const float *w = weight.ptr<float>(y);
                const float *v = blurred.ptr<float>(y);
                float *d = dst.ptr<float>(y);
                for (int x = 0; x < out.width; ++x) {
                    if (w[x] > 1e-6f)
                        d[x] = v[x] / w[x];
                }
            }
        }
        return out;
    }
    for (int b = 0; b < fine.bands; ++b) {
        cv::Mat src(fine.height, fine.width, CV_32F, const_cast<float *>(fine.band(b)));
        cv::Mat dst(out.height, out.width, CV_32F, out.band(b));
        cv::GaussianBlur(src, dst, kernel, sigma, sigma, cv::BORDER_REFLECT);
    }
    return out;
}

Result<RasterBuffer> WaldDegradation::degrade(const RasterBuffer &fine, int scale)
{
    if (scale < 2)
        return failure(QStringLiteral("the scale must be an integer of at least 2 (got %1)").arg(scale),
                       QStringLiteral("scale"));
    const int w = fine.width / scale, h = fine.height / scale;
    if (w < 1 || h < 1)
        return failure(
            QStringLiteral("the raster of %1×%2 pixels is smaller than one %3×%3 block: it cannot be degraded by %3")
                .arg(fine.width)
                .arg(fine.height)
                .arg(scale),
            QStringLiteral("raster"));
    const RasterBuffer blurred = blur(fine, blurSigma(scale));
    RasterBuffer coarse = RasterBuffer::zeros(w, h, fine.bands);
    const cv::Rect whole(0, 0, w * scale, h * scale);
    for (int b = 0; b < fine.bands; ++b) {
        cv::Mat src(blurred.height, blurred.width, CV_32F, const_cast<float *>(blurred.band(b)));
        cv::Mat dst(h, w, CV_32F, coarse.band(b));
        cv::resize(src(whole), dst, dst.size(), 0, 0, cv::INTER_AREA);
    }
    if (!fine.valid.empty()) {
        coarse.valid.assign(coarse.planeSize(), 1);
        for (int y = 0; y < h * scale; ++y) {
            const uint8_t *row = fine.valid.data() + std::size_t(y) * std::size_t(fine.width);
            uint8_t *out = coarse.valid.data() + std::size_t(y / scale) * std::size_t(w);
            for (int x = 0; x < w * scale; ++x) {
                if (!row[x])
                    out[x / scale] = 0;
            }
        }
    }
    return coarse;
}

}  // namespace dw::superres
