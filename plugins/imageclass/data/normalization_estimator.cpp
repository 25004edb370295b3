#include "plugins/imageclass/data/normalization_estimator.h"

#include "plugins/imageclass/data/parallel_for.h"
#include "plugins/imageclass/data/seeded_rng.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dw::imageclass {

Result<Normalization> NormalizationEstimator::estimate(const QStringList &paths, const PipelineOptions &pipelineOptions,
                                                       const Options &options, const std::atomic_bool *cancel)
{
    if (auto ok = ImagePipeline::check(pipelineOptions); !ok)
        return ok.error();
    if (paths.isEmpty())
        return failure(QStringLiteral("no images to compute the normalisation from."));
    std::vector<int> chosen(static_cast<std::size_t>(paths.size()));
    std::iota(chosen.begin(), chosen.end(), 0);
    if (options.maxImages > 0 && static_cast<qsizetype>(options.maxImages) < paths.size()) {
        SeededRng rng(SeededRng::derive(options.seed, 0x4e6f726d));
        rng.shuffle(chosen);
        chosen.resize(static_cast<std::size_t>(options.maxImages));
        std::sort(chosen.begin(), chosen.end());
    }

    PipelineOptions plain = pipelineOptions;
    plain.normalization = {};
    const ImagePipeline pipeline(plain);
    const int channels = plain.channels;
    struct Sums {
        std::vector<double> sum, squares;
        double pixels = 0.0;
    };
    std::vector<Sums> perImage(chosen.size());
    parallelFor(
        static_cast<std::int64_t>(chosen.size()), options.threads,
        [&](std::int64_t i) {
            auto image = pipeline.load(paths[chosen[static_cast<std::size_t>(i)]], false, 0);
            if (!image)
                return;
            Sums &s = perImage[static_cast<std::size_t>(i)];
            s.sum.assign(static_cast<std::size_t>(channels), 0.0);
            s.squares.assign(static_cast<std::size_t>(channels), 0.0);
            const cv::Mat &m = *image;
            for (int y = 0; y < m.rows; ++y) {
                const float *row = m.ptr<float>(y);
                for (int x = 0; x < m.cols; ++x) {
                    for (int c = 0; c < channels; ++c) {
                        const double v = row[x * channels + c];
                        s.sum[static_cast<std::size_t>(c)] += v;
                        s.squares[static_cast<std::size_t>(c)] += v * v;
                    }
                }
            }
            s.pixels = static_cast<double>(m.rows) * m.cols;
        },
        cancel);
    if (cancel && cancel->load())
        return failure(QStringLiteral("cancelled."));

    std::vector<double> sum(static_cast<std::size_t>(channels), 0.0), squares(sum);
    double pixels = 0.0;
    for (const Sums &s : perImage) {
        if (s.pixels == 0.0)
            continue;
        for (std::size_t c = 0; c < sum.size(); ++c) {
            sum[c] += s.sum[c];
            squares[c] += s.squares[c];
        }
        pixels += s.pixels;
    }
    if (pixels == 0.0)
        return failure(QStringLiteral("none of the %1 images sampled could be read; check the dataset report.")
                           .arg(chosen.size()));
    Normalization n;
    for (std::size_t c = 0; c < sum.size(); ++c) {
        const double mean = sum[c] / pixels;
        const double variance = std::max(0.0, squares[c] / pixels - mean * mean);
        n.mean.push_back(static_cast<float>(mean));
        // A constant channel would divide by zero; 1e-3 keeps it finite and harmless.
        n.std.push_back(static_cast<float>(std::max(1e-3, std::sqrt(variance))));
    }
    return n;
}

}  // namespace dw::imageclass
