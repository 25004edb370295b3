#pragma once
// A trained forecaster's folder as the trainer writes it and the predictor reads it:
//   module.json  manifest, task "time-series"; architecture; hyper-parameters {every train
//                argument}; inputs {"targets", "inputs", "window", "horizon", "differencing",
//                "scaling" (SeriesScaler JSON), "fill", "time_column", "time_format",
//                "sampling", "season_length", "network" (ForecasterSpec JSON)};
//                metrics {"<target>": ForecastMetrics JSON with baselines, ...};
//                "anomaly" {"<target>": AnomalyDetector JSON} (learnt on validation residuals)
//   weights.pt   the network's parameters (LibTorch archive, names as in PyTorch)
//   history.json TrainingHistory
// No LibTorch here.
#include "core/catalog/module_manifest.h"
#include "core/ml/anomaly_detector.h"
#include "core/util/result.h"
#include "plugins/timeseries/data/model_space.h"
#include "plugins/timeseries/models/forecaster_spec.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace dw::timeseries {

inline QString timeSeriesTask()
{
    return QStringLiteral("time-series");
}

struct ForecastModule {
    QString directory;        // absolute
    ModuleManifest manifest;  // the rest of module.json
    ForecasterSpec network;
    QStringList targets;
    QStringList inputs;
    ModelSpace space;  // differencing + scaler over targets then inputs
    QString fill = QStringLiteral("linear");
    QString timeColumn;
    QString timeFormat;
    QJsonObject sampling;
    int seasonLength = 1;
    std::vector<AnomalyDetector> detectors;  // one per target, in target order; may be empty

    QString weightsPath() const;
    QStringList featureNames() const { return targets + inputs; }
};

// Reads and checks a trained forecaster folder: task, network, targets, scaling, weights.
Result<ForecastModule> readForecastModule(const QString &moduleDir);
// Fills task, architecture, inputs and "anomaly" from the fields, hashes weights.pt (which
// must be in the folder already) and writes module.json atomically.
Result<void> writeForecastModule(ForecastModule module);

}  // namespace dw::timeseries
