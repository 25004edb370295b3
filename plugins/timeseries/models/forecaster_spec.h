#pragma once
// What a forecasting network is made of: its kind, sizes and options. Plain C++ (no
// LibTorch), so that module files, arguments and the GUI can read and write it.
#include "core/util/result.h"

#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <string>

namespace dw::timeseries {

struct ForecasterSpec {
    std::string kind = "lstm";  // lstm | gru | cnn | mlp
    int64_t features = 1;       // F: targets + extra inputs
    int64_t targets = 1;        // T
    int64_t window = 32;        // W
    int64_t horizon = 1;        // H
    int64_t layers = 2;         // recurrent / convolution / hidden layers
    int64_t hidden = 64;        // units per layer
    double dropout = 0.0;       // between layers
    // Adds the last observed value of each target to every step's output, so that an
    // untrained network starts as naive persistence and learns the correction. Right for
    // levels; off for differenced series, whose last difference predicts nothing.
    bool residual = true;

    QJsonObject toJson() const;
    static Result<ForecasterSpec> fromJson(const QJsonObject &json);
    // An error naming the argument to change when the spec cannot be built.
    Result<void> check() const;
};

// "lstm", "gru", "cnn", "mlp"
const QStringList &forecasterKinds();

}  // namespace dw::timeseries
