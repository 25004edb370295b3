#pragma once
// A trained forecaster ready to run: its module description and its network with the
// weights loaded, on one device. Load once, forecast many series.
#include "core/util/result.h"
#include "plugins/timeseries/data/forecast_module.h"
#include "plugins/timeseries/infer/recurrent_kernel.h"
#include "plugins/timeseries/infer/series_forecaster.h"
#include "plugins/timeseries/models/forecaster.h"

#include <QString>

#include <memory>
#include <mutex>

namespace dw::timeseries {

class LoadedForecaster {
public:
    // device: "cpu", "cuda", "cuda:N".
    static Result<std::shared_ptr<LoadedForecaster>> load(const QString &moduleDir, const QString &device);

    const ForecastModule &module() const { return m_module; }
    const QString &device() const { return m_deviceName; }

    // One-step forecasts of every row and the module's H rows after the last (see
    // SeriesForecaster). levels holds the module's targets then inputs. Bf16: the network
    // under bfloat16 autocast on the CPU (runs(): not for an imported ONNX graph).
    Result<SeriesForecast> forecast(const SeriesSet &levels, const JobContext *context = nullptr,
                                    ml::Precision precision = ml::Precision::Fp32);
    // `steps` rows after the last: the network's own horizon at once; beyond it, its
    // forecasts are fed back as observations (only without extra inputs, whose future is
    // unknown).
    Result<std::vector<std::vector<double>>> forecastAhead(const SeriesSet &levels, int steps,
                                                           const JobContext *context = nullptr,
                                                           ml::Precision precision = ml::Precision::Fp32);
    // Whether the network can run in `precision` (bf16: the workbench's own LibTorch networks
    // on the CPU).
    bool runs(ml::Precision precision) const;

    // One forward pass over windows the caller prepared ([N, W, F], scaled and differenced
    // as the module does, float32 on the CPU), under InferenceMode: the network's raw output
    // [N, H, T] on the CPU. For streams, which forecast one window at a time. Throws c10::Error.
    torch::Tensor forwardWindows(const torch::Tensor &windows);
    // The network copied into a plain-C++ kernel for one window at a time (LSTM and GRU on
    // the CPU; nullptr for other networks or devices). Each caller gets its own.
    std::unique_ptr<RecurrentKernel> recurrentKernel();

private:
    LoadedForecaster(ForecastModule module, ForecasterPtr model, torch::Device device, QString name)
        : m_module(std::move(module)), m_model(std::move(model)), m_device(device), m_deviceName(std::move(name))
    {}

    ForecastModule m_module;
    ForecasterPtr m_model;
    torch::Device m_device;
    QString m_deviceName;
    std::mutex m_mutex;  // one forward pass at a time: LibTorch modules are not re-entrant in eval of RNN state
};

}  // namespace dw::timeseries
