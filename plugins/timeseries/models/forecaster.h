#pragma once
// The networks of the time-series task share one contract: an input window [N, W, F] (the
// targets first, then the extra inputs, scaled) gives a forecast [N, H, T] of the next H
// steps of the T targets (scaled, and differenced when the module differences). The
// trainer, the predictor and the module files only see this base class and the spec.
#include "core/util/result.h"
#include "plugins/timeseries/models/forecaster_spec.h"

#include <torch/nn/module.h>
#include <torch/types.h>

#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <string>

namespace dw::timeseries {

class ForecasterImpl : public torch::nn::Module {
public:
    const ForecasterSpec &spec() const { return m_spec; }
    // [N, W, F] -> [N, H, T]
    torch::Tensor forward(const torch::Tensor &input);

protected:
    explicit ForecasterImpl(ForecasterSpec spec) : m_spec(std::move(spec)) {}
    // [N, W, F] -> [N, H * T], before the residual connection.
    virtual torch::Tensor body(const torch::Tensor &input) = 0;

    ForecasterSpec m_spec;
};

using ForecasterPtr = std::shared_ptr<ForecasterImpl>;

// A freshly initialised network (from LibTorch's generator: seed it first for repeatable runs).
Result<ForecasterPtr> createForecaster(const ForecasterSpec &spec);
// Scalars in the network.
int64_t parameterCount(const torch::nn::Module &module);

}  // namespace dw::timeseries
