#pragma once
// What a forecaster training run is asked to do (the train arguments of the time-series
// plugin), and what it did.
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace dw::timeseries {

struct ForecastTrainRequest {
    QString csvPath, moduleDir, moduleId, title;
    QStringList targets, inputs;
    QString model = QStringLiteral("lstm");  // lstm | gru | cnn | mlp
    int window = 32, horizon = 1, layers = 2, hidden = 64;
    double dropout = 0.0;
    int epochs = 50, batchSize = 64, patience = 10;  // patience 0: no early stopping
    double learningRate = 1e-3, weightDecay = 0.0;
    QString optimizer = QStringLiteral("adam");   // sgd | adam | adamw
    QString precision = QStringLiteral("auto");   // auto (fp32 here) | fp32 | bf16 (training_device.h)
    QString schedule = QStringLiteral("cosine");  // cosine | step | constant
    // mse | mae | huber: what training minimises (mae suits noisy series scored by MAE).
    QString loss = QStringLiteral("mse");
    int differencing = 0;                          // 0 or 1
    QString scaling = QStringLiteral("standard");  // none | minmax | standard
    QString fill = QStringLiteral("linear");       // linear | forward
    double valFraction = 0.15, testFraction = 0.15;
    bool resume = false;
    quint64 seed = 42;
    double anomalyK = 3.5;   // threshold = k × robust spread of validation residuals
    int stopAfterEpoch = 0;  // > 0: stop as if cancelled after this epoch (tests of resume)
    // Re-training (forecast_parent.h): the parent module's folder (empty: from scratch), what
    // learns (head | partial | full), the new series' names for the parent's columns
    // ("new=parent" items) and whether the scaling is fitted anew (refit) or the parent's (keep).
    QString parentDir;
    QString freeze = QStringLiteral("full");
    QStringList columnMap;
    QString parentScaling = QStringLiteral("refit");
};

struct ForecastTrainOutcome {
    QString moduleDir;
    int epochsRun = 0, bestEpoch = 0;
    double bestValLoss = 0.0, firstValLoss = 0.0;  // the training loss on validation windows, scaled units
    QString stopped;                               // completed | early-stopping | cancelled
    double seconds = 0.0, windowsPerSecond = 0.0;
    qint64 trainWindows = 0, valWindows = 0, testRows = 0;
    QJsonObject metrics;  // {"<target>": TargetForecastMetrics JSON}, on the test part
};

// An error naming the argument for a request that cannot run.
Result<void> checkForecastRequest(const ForecastTrainRequest &request);
// Every train argument under its argument name (the module's hyper-parameters).
QJsonObject hyperParametersJson(const ForecastTrainRequest &request);

}  // namespace dw::timeseries
