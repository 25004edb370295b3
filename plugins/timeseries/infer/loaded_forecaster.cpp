#include "plugins/timeseries/infer/loaded_forecaster.h"

#include "core/onnx/onnx_module_import.h"
#include "plugins/timeseries/models/onnx_forecaster.h"

#include "core/ml/torch/module_weights.h"
#include "core/ml/torch/training_device.h"

namespace dw::timeseries {

Result<std::shared_ptr<LoadedForecaster>> LoadedForecaster::load(const QString &moduleDir, const QString &device)
{
    Result<ForecastModule> module = readForecastModule(moduleDir);
    if (!module)
        return module.error();
    Result<ml::TrainingDevice> target =
        ml::TrainingDevice::fromString(device.isEmpty() ? QStringLiteral("cpu") : device);
    if (!target)
        return target.error();
    try {
        const bool onnx = module->manifest.architecture == onnxArchitecture();
        Result<ForecasterPtr> model =
            onnx ? OnnxForecasterImpl::load(module->weightsPath(), module->network) : createForecaster(module->network);
        if (!model)
            return failure(QStringLiteral("the module %1 describes a network that cannot be built: %2")
                               .arg(module->manifest.id, model.error().message),
                           QStringLiteral("module"));
        (*model)->to(target->device());
        if (Result<void> loaded =
                onnx ? Result<void>{} : ml::ModuleWeights::load(**model, module->weightsPath(), target->device());
            !loaded)
            return loaded.error();
        (*model)->eval();
        return std::shared_ptr<LoadedForecaster>(
            new LoadedForecaster(std::move(module).value(), model.value(), target->device(), device));
    } catch (const c10::Error &error) {
        return failure(
            QStringLiteral("cannot load the module %1: %2")
                .arg(moduleDir,
                     QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0)),
            QStringLiteral("module"));
    }
}

Result<SeriesForecast> LoadedForecaster::forecast(const SeriesSet &levels, const JobContext *context,
                                                  ml::Precision precision)
{
    std::lock_guard lock(m_mutex);
    try {
        return SeriesForecaster::run(*m_model, m_module.space, levels, m_device, context, 2048,
                                     runs(precision) ? precision : ml::Precision::Fp32);
    } catch (const c10::Error &error) {
        return failure(
            QStringLiteral("forecasting failed in LibTorch: %1")
                .arg(QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0)));
    }
}

torch::Tensor LoadedForecaster::forwardWindows(const torch::Tensor &windows)
{
    std::lock_guard lock(m_mutex);
    c10::InferenceMode inference;
    if (m_device.is_cpu())
        return m_model->forward(windows);
    return m_model->forward(windows.to(m_device, /*non_blocking=*/true)).to(torch::kCPU);
}

std::unique_ptr<RecurrentKernel> LoadedForecaster::recurrentKernel()
{
    if (!m_device.is_cpu())
        return nullptr;
    std::lock_guard lock(m_mutex);
    return RecurrentKernel::from(*m_model);
}

bool LoadedForecaster::runs(ml::Precision precision) const
{
    return precision == ml::Precision::Fp32 ||
           (m_device.is_cpu() && !dynamic_cast<const OnnxForecasterImpl *>(m_model.get()));
}

Result<std::vector<std::vector<double>>>
LoadedForecaster::forecastAhead(const SeriesSet &levels, int steps, const JobContext *context, ml::Precision precision)
{
    const int horizon = int(m_module.network.horizon);
    if (steps > horizon && !m_module.inputs.isEmpty())
        return failure(QStringLiteral("the module forecasts %1 step(s) at once and reads extra inputs whose future is "
                                      "unknown: ask for at most %1 (or train with --horizon %2)")
                           .arg(horizon)
                           .arg(steps),
                       QStringLiteral("horizon"));
    // Only the last window (and one row for differencing) matters for what comes after it.
    const qsizetype keep = m_module.network.window + m_module.space.differencing() + 1;
    SeriesSet tail = levels;
    std::vector<std::vector<double>> ahead(levels.targets.size());
    while (int(ahead.front().size()) < steps) {
        const qsizetype n = tail.length();
        if (n > keep) {
            for (auto *columns : {&tail.targets, &tail.inputs})
                for (std::vector<double> &column : *columns)
                    column.erase(column.begin(), column.begin() + (n - keep));
            tail.time.clear();
        }
        Result<SeriesForecast> forecast = this->forecast(tail, context, precision);
        if (!forecast)
            return forecast.error();
        for (std::size_t k = 0; k < ahead.size(); ++k) {
            const std::vector<double> &future = forecast->future[k];
            for (std::size_t h = 0; h < future.size() && int(ahead[k].size()) < steps; ++h) {
                ahead[k].push_back(future[h]);
                tail.targets[k].push_back(future[h]);  // fed back as if observed
            }
        }
    }
    return ahead;
}

}  // namespace dw::timeseries
