#include "plugins/timeseries/infer/series_forecaster.h"

#include "core/ml/torch_compat.h"

#include <cmath>
#include <limits>

namespace dw::timeseries {

Result<SeriesForecast> SeriesForecaster::run(ForecasterImpl &model, const ModelSpace &space, const SeriesSet &levels,
                                             const torch::Device &device, const JobContext *context, int64_t batchSize,
                                             ml::Precision precision)
{
    const ForecasterSpec &spec = model.spec();
    const int64_t window = spec.window, horizon = spec.horizon, targets = spec.targets;
    const qsizetype rows = levels.length();
    const int d = space.differencing();
    if (rows < window + d + 1)
        return failure(
            QStringLiteral("the series has %1 rows but the module needs at least %2 (its window of %3%4 and one "
                           "more): give a longer series")
                .arg(rows)
                .arg(window + d + 1)
                .arg(window)
                .arg(d > 0 ? QStringLiteral(", one for differencing") : QString()),
            QStringLiteral("csv"));
    if (levels.targets.size() != std::size_t(targets) || levels.featureNames().size() != spec.features)
        return failure(QStringLiteral("the series has %1 column(s) but the network reads %2")
                           .arg(levels.featureNames().size())
                           .arg(spec.features),
                       QStringLiteral("csv"));

    const std::vector<std::vector<double>> encoded = space.encode(levels);
    const int64_t transformed = int64_t(encoded.front().size());
    const int64_t features = int64_t(encoded.size());
    torch::Tensor data = torch::empty({transformed, features}, torch::kFloat32);
    float *out = data.data_ptr<float>();
    for (int64_t r = 0; r < transformed; ++r)
        for (int64_t f = 0; f < features; ++f)
            out[r * features + f] = float(encoded[size_t(f)][size_t(r)]);
    // Window s covers transformed rows [s, s + W) and forecasts from row s + W on.
    const torch::Tensor windows = data.unfold(0, window, 1).transpose(1, 2);  // [count, W, F]
    const int64_t count = windows.size(0);

    SeriesForecast result;
    result.firstForecastRow = window + d;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    result.oneStep.assign(size_t(targets), std::vector<double>(size_t(rows), nan));
    result.future.assign(size_t(targets), {});

    model.eval();
    torch::NoGradGuard noGrad;
    const bool bf16 = precision == ml::Precision::Bf16 && device.is_cpu();
    std::vector<double> steps(static_cast<std::size_t>(horizon));
    for (int64_t begin = 0; begin < count; begin += batchSize) {
        if (context && context->isCancelled())
            return failure(QStringLiteral("cancelled"));
        const int64_t n = std::min(batchSize, count - begin);
        const torch::Tensor batch = windows.narrow(0, begin, n).contiguous().to(device);
        torch::Tensor output;
        {
            compat::AutocastGuard autocast(bf16, at::kBFloat16, at::kCPU);
            output = model.forward(batch);
        }
        const torch::Tensor predicted = output.to(torch::kCPU, torch::kFloat64).contiguous();
        const double *p = predicted.data_ptr<double>();
        for (int64_t i = 0; i < n; ++i) {
            const int64_t first = begin + i + window;  // the first transformed row forecast
            const qsizetype levelRow = space.levelRow(first);
            for (int64_t k = 0; k < targets; ++k) {
                for (int64_t h = 0; h < horizon; ++h)
                    steps[size_t(h)] = p[(i * horizon + h) * targets + k];
                const double lastLevel = d > 0 ? levels.targets[size_t(k)][size_t(levelRow - 1)] : 0.0;
                const std::vector<double> decoded = space.decode(int(k), steps, lastLevel);
                if (levelRow < rows)
                    result.oneStep[size_t(k)][size_t(levelRow)] = decoded.front();
                else
                    result.future[size_t(k)] = decoded;
            }
        }
    }
    return result;
}

}  // namespace dw::timeseries
