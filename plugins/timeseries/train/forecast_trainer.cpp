#include "plugins/timeseries/train/forecast_trainer.h"

#include "core/io/sliding_windows.h"
#include "core/ml/lr_schedule.h"
#include "core/ml/torch/module_weights.h"
#include "core/ml/torch/random_state.h"
#include "core/ml/torch/step_probe.h"
#include "core/ml/torch/task_trainer.h"
#include "core/ml/torch/torch_guard.h"
#include "core/ml/torch_compat.h"
#include "core/ml/training_history.h"
#include "plugins/timeseries/data/forecast_module.h"
#include "plugins/timeseries/data/forecast_scoring.h"
#include "plugins/timeseries/data/series_loader.h"
#include "plugins/timeseries/infer/series_forecaster.h"
#include "plugins/timeseries/train/forecast_freeze.h"
#include "plugins/timeseries/train/forecast_parent.h"
#include "plugins/timeseries/train/window_tensors.h"

#include <QDate>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>

#include <cmath>
#include <optional>

namespace dw::timeseries {

QString forecastCheckpointPath(const QString &moduleDir)
{
    return QDir(moduleDir).filePath(QStringLiteral("checkpoints/last.pt"));
}

namespace {

// auto: bf16 autocast on a processor with native bfloat16 (the sunspot LSTM's test MAE within 1 %
// of fp32's, docs/precision.md); float32 on CUDA.
constexpr ml::TrainingDevice::PrecisionRule kPrecisionRule{.cudaBf16 = false, .cpuAutoBf16 = true};

// This rank's share of an epoch's order of windows (all of it outside a distributed run).
torch::Tensor shardOf(const torch::Tensor &order)
{
    const ml::DistributedShard shard = ml::DistributedGroup::currentShard();
    if (!shard.active())
        return order;
    const torch::Tensor all = order.contiguous();
    const std::vector<int64_t> positions(all.data_ptr<int64_t>(), all.data_ptr<int64_t>() + all.numel());
    return torch::tensor(shard.of(positions), torch::kLong);
}

// The training loss; reduction Sum for validation totals, Mean for a batch.
torch::Tensor lossOf(const QString &kind, const torch::Tensor &predicted, const torch::Tensor &target,
                     at::Reduction::Reduction reduction)
{
    if (kind == QLatin1String("mae"))
        return torch::l1_loss(predicted, target, reduction);
    if (kind == QLatin1String("huber"))
        return torch::smooth_l1_loss(predicted, target, reduction, 0.5);
    return torch::mse_loss(predicted, target, reduction);
}

// The forecaster's part of the training skeleton: shuffled windows, its loss and gradient
// clipping; ml::EpochTraining does the loop, checkpoints, resume and progress.
class ForecastTrainer : public ml::TaskTrainer<ForecastTrainRequest, ForecastTrainOutcome> {
public:
    using TaskTrainer::TaskTrainer;
    Result<ForecastTrainOutcome> run();
    // The stages of run() up to the first epoch, then a few of its batches timed.
    Result<TrainingEstimate> estimate();

    torch::nn::Module &network() override { return *m_model; }
    qint64 stepsPerEpoch() const override
    {
        return batchesOf(ml::DistributedGroup::currentShard().sizeOf(m_train.count()));
    }
    Result<ml::PassResult> trainEpoch(int epoch, ml::StepReporter &steps) override;
    Result<ml::PassResult> validate(int epoch) override;
    QJsonObject checkpointMeta() const override;
    Result<void> resumed(const QJsonObject &meta) override;

private:
    Result<void> prepareData();
    Result<void> prepareModel();
    Result<void> trainEpochs();
    Result<double> validationLoss();
    // The network's forecast of windows x, under bf16 autocast when the run asks; float32 out.
    torch::Tensor forward(const torch::Tensor &x);
    void completeOutcome() override;
    Result<void> finish() override;

    LoadedSeries m_series;
    ChronologicalSplit m_split;
    ModelSpace m_space;
    WindowTensors m_train, m_val;
    ForecasterPtr m_model;
    LrScheduleOptions m_schedule;
    double m_initialValLoss = 0.0;
};

Result<ForecastTrainOutcome> ForecastTrainer::run()
{
    return runTraining<ForecastTrainer>(checkForecastRequest(m_request), kPrecisionRule,
                                        {&ForecastTrainer::prepareData, &ForecastTrainer::prepareModel,
                                         &ForecastTrainer::resumeFromCheckpoint, &ForecastTrainer::trainEpochs});
}

Result<TrainingEstimate> ForecastTrainer::estimate()
{
    if (Result<void> checked = checkForecastRequest(m_request); !checked)
        return checked.error();
    if (Result<void> placed = chooseDevice(kPrecisionRule); !placed)
        return placed.error();
    if (Result<void> ok = ml::runStages(*this, {&ForecastTrainer::prepareData, &ForecastTrainer::prepareModel}); !ok)
        return ok.error();
    m_schedule.kind = QStringLiteral("constant");  // the rate does not change the time of a batch
    m_schedule.baseLr = m_request.learningRate;
    Result<ml::StepTiming> timing = ml::measureTrainingSteps(*this, m_context, {.unit = QStringLiteral("windows")});
    if (!timing)
        return timing.error();
    TrainingEstimate estimate;
    estimate.secondsPerStep = timing->secondsPerStep;
    estimate.measuredSteps = timing->measuredSteps;
    estimate.stepsPerEpoch = stepsPerEpoch();
    estimate.epochs = m_request.epochs;
    estimate.trainSamples = m_train.count();
    estimate.validationSamples = m_val.count();
    estimate.device = m_context.device();
    estimate.complete(m_request.batchSize);
    estimate.how = QStringLiteral("%1 of %2 (%3 × %4), window %5, %6 training windows")
                       .arg(ml::countedBatches(timing->measuredSteps), m_request.model)
                       .arg(m_request.layers)
                       .arg(m_request.hidden)
                       .arg(m_request.window)
                       .arg(estimate.trainSamples);
    return estimate;
}

void ForecastTrainer::completeOutcome()
{
    m_outcome.bestValLoss = m_training->bestValue();
    m_outcome.firstValLoss = m_initialValLoss;
    m_outcome.windowsPerSecond = m_epochs.throughput();
}

Result<void> ForecastTrainer::prepareData()
{
    m_context.setProgress(0, 0, QStringLiteral("reading %1").arg(QFileInfo(m_request.csvPath).fileName()));
    Result<LoadedSeries> series =
        SeriesLoader::load(m_request.csvPath, m_request.targets, m_request.inputs,
                           SeriesPreparation::fillMethodFromId(m_request.fill).value_or(FillMethod::Linear));
    if (!series)
        return series.error();
    m_series = std::move(series).value();
    const qsizetype rows = m_series.set.length();
    const int d = m_request.differencing;
    const qsizetype needed = qsizetype(m_request.window + d + m_request.horizon) * 2 + 2;
    if (rows < needed)
        return failure(QStringLiteral("the series has %1 rows: too short for a window of %2 and a horizon of %3 (with "
                                      "validation, at least %4 rows): give a longer series or a shorter --window")
                           .arg(rows)
                           .arg(m_request.window)
                           .arg(m_request.horizon)
                           .arg(needed),
                       QStringLiteral("window"));
    Result<ChronologicalSplit> split = SeriesPreparation::split(
        rows, 1.0 - m_request.valFraction - m_request.testFraction, m_request.valFraction, m_request.horizon);
    if (!split)
        return Error::at(QStringLiteral("val-fraction"), split.error().message);
    m_split = split.value();
    const ScalingKind scaling = SeriesScaler::kindFromId(m_request.scaling).value_or(ScalingKind::Standard);
    Result<ModelSpace> space = ModelSpace::fit(m_series.set, d, scaling, m_split.train.end);
    if (!space)
        return space.error();
    m_space = std::move(space).value();
    if (Result<void> kept = adoptParentSpace(m_request, m_space); !kept)
        return kept.error();

    const std::vector<std::vector<double>> encoded = m_space.encode(m_series.set);
    const std::vector<std::vector<double>> targets(encoded.begin(),
                                                   encoded.begin() + qsizetype(m_series.set.targets.size()));
    Result<WindowSet> train = SlidingWindows::make(encoded, targets, m_request.window, m_request.horizon, 0,
                                                   m_space.transformedRow(m_split.train.end));
    if (!train)
        return Error::at(QStringLiteral("window"), QStringLiteral("training part: ") + train.error().message);
    Result<WindowSet> val = SlidingWindows::make(encoded, targets, m_request.window, m_request.horizon,
                                                 m_space.transformedRow(m_split.validation.begin),
                                                 m_space.transformedRow(m_split.validation.end));
    if (!val)
        return Error::at(QStringLiteral("val-fraction"), QStringLiteral("validation part: ") + val.error().message);
    m_train = WindowTensors::from(*train);
    m_val = WindowTensors::from(*val);
    m_outcome.trainWindows = m_train.count();
    m_outcome.valWindows = m_val.count();
    m_outcome.testRows = m_split.test.size();
    for (const QString &notice : m_series.notices())
        m_context.log(notice);
    m_context.log(QStringLiteral("%1: %2; targets %3%4; %5 training windows, %6 validation windows, %7 test rows")
                      .arg(QFileInfo(m_request.csvPath).fileName(), m_series.describe(),
                           m_series.set.targetNames.join(QStringLiteral(", ")),
                           m_series.set.inputNames.isEmpty()
                               ? QString()
                               : QStringLiteral("; inputs %1").arg(m_series.set.inputNames.join(QStringLiteral(", "))))
                      .arg(m_outcome.trainWindows)
                      .arg(m_outcome.valWindows)
                      .arg(m_outcome.testRows));
    return success();
}

Result<void> ForecastTrainer::prepareModel()
{
    ml::RandomState::seed(m_request.seed);
    ForecasterSpec spec;
    spec.kind = m_request.model.toStdString();
    spec.features = m_series.set.featureNames().size();
    spec.targets = m_series.set.targetNames.size();
    spec.window = m_request.window;
    spec.horizon = m_request.horizon;
    spec.layers = m_request.layers;
    spec.hidden = m_request.hidden;
    spec.dropout = m_request.dropout;
    spec.residual = m_request.differencing == 0;
    Result<ForecasterPtr> model = startForecaster(spec, m_request, m_context);  // with a parent: its weights, frozen
    if (!model)
        return model.error();
    m_model = model.value();
    if (Result<void> placed = placeAndOptimise(*m_model); !placed)
        return placed;

    createTraining({.monitored = QStringLiteral("val_loss"),
                    .unit = QStringLiteral("windows"),
                    .checkpointPath = forecastCheckpointPath(m_request.moduleDir),
                    .mustMatch = {QStringLiteral("network"), QStringLiteral("targets"), QStringLiteral("inputs"),
                                  QStringLiteral("differencing"), QStringLiteral("scaling"),
                                  QStringLiteral("optimizer"), QStringLiteral("parent")}});
    m_context.log(
        QStringLiteral("network %1: %2 layer(s) of %3, window %4, horizon %5, %6 parameters; %7 with lr %8 on %9")
            .arg(m_request.model)
            .arg(spec.layers)
            .arg(spec.hidden)
            .arg(spec.window)
            .arg(spec.horizon)
            .arg(parameterCount(*m_model))
            .arg(m_request.optimizer)
            .arg(m_request.learningRate)
            .arg(m_device->describe()));
    return success();
}

QJsonObject ForecastTrainer::checkpointMeta() const
{
    return {{QStringLiteral("initial_val_loss"), m_initialValLoss},
            {QStringLiteral("network"), m_model->spec().toJson()},
            {QStringLiteral("targets"), QJsonArray::fromStringList(m_series.set.targetNames)},
            {QStringLiteral("inputs"), QJsonArray::fromStringList(m_series.set.inputNames)},
            {QStringLiteral("differencing"), m_request.differencing},
            {QStringLiteral("scaling"), m_request.scaling},
            {QStringLiteral("optimizer"), m_request.optimizer},
            {QStringLiteral("seed"), QString::number(m_request.seed)},
            {QStringLiteral("parent"), parentCheckpointMeta(m_request)}};
}

Result<void> ForecastTrainer::resumed(const QJsonObject &meta)
{
    m_initialValLoss = meta.value(QStringLiteral("initial_val_loss")).toDouble();
    return success();
}

torch::Tensor ForecastTrainer::forward(const torch::Tensor &x)
{
    compat::AutocastGuard autocast(m_device->mixedPrecision(), at::kBFloat16, m_device->device().type());
    return m_model->forward(x).to(torch::kFloat32);
}

Result<double> ForecastTrainer::validationLoss()
{
    m_model->eval();
    torch::NoGradGuard noGrad;
    double sum = 0.0;
    const int64_t n = m_val.count(), batch = 4096;
    for (int64_t begin = 0; begin < n; begin += batch) {
        const int64_t size = std::min(batch, n - begin);
        const torch::Tensor x = m_device->toDevice(m_val.inputs.narrow(0, begin, size));
        const torch::Tensor y = m_device->toDevice(m_val.outputs.narrow(0, begin, size));
        sum += lossOf(m_request.loss, forward(x), y, at::Reduction::Sum).item<double>();
    }
    m_model->train();
    return sum / double(std::max<int64_t>(1, m_val.outputs.numel()));
}

Result<ml::PassResult> ForecastTrainer::validate(int)
{
    Result<double> loss = validationLoss();
    if (!loss)
        return loss.error();
    ml::PassResult result;
    result.metrics.append({QStringLiteral("val_loss"), *loss, false});
    result.samples = m_val.count();
    return result;
}

Result<ml::PassResult> ForecastTrainer::trainEpoch(int epoch, ml::StepReporter &steps)
{
    QElapsedTimer timer;
    timer.start();
    const int64_t batchSize = m_request.batchSize;
    const int64_t batches = stepsPerEpoch();
    m_model->train();
    // Every rank draws the same permutation (the same seed) and trains on its share of it.
    const torch::Tensor order = shardOf(torch::randperm(m_train.count(), torch::TensorOptions().dtype(torch::kLong)));
    const int64_t n = order.size(0);
    const std::vector<torch::Tensor> parameters = m_model->parameters();
    ml::PassResult result;
    double lossSum = 0.0, lr = m_request.learningRate;
    for (int64_t b = 0; b < batches; ++b) {
        if (steps.cancelled()) {
            result.cancelled = true;
            return result;
        }
        const qint64 step = qint64(epoch - 1) * batches + b;
        lr = learningRateAt(m_schedule, step);
        m_optimizer->setLearningRate(lr);
        const int64_t size = std::min(batchSize, n - b * batchSize);
        const torch::Tensor index = order.narrow(0, b * batchSize, size);
        const torch::Tensor x = m_device->toDevice(m_train.inputs.index_select(0, index));
        const torch::Tensor y = m_device->toDevice(m_train.outputs.index_select(0, index));
        m_optimizer->zeroGrad();
        const torch::Tensor loss = lossOf(m_request.loss, forward(x), y, at::Reduction::Mean);
        const double value = loss.item<double>();
        if (!std::isfinite(value))
            return ml::lossNotFinite(value, epoch, b + 1, lr, QStringLiteral("check the data for extreme values"));
        loss.backward();
        // Recurrent networks sometimes meet a cliff in the loss; clipping keeps one batch from undoing the run.
        // A distributed run clips the gradients averaged over the ranks, as one process would.
        if (Result<void> averaged = m_optimizer->averageGradients(); !averaged)
            return averaged.error();
        torch::nn::utils::clip_grad_norm_(parameters, 1.0);
        if (Result<void> stepped = m_optimizer->step(); !stepped)
            return stepped.error();
        lossSum += value * double(size);
        result.samples += size;
        steps.step(b, lossSum / double(result.samples), lr, result.samples);
    }
    result.metrics.append({QStringLiteral("train_loss"), lossSum / double(std::max<int64_t>(1, n)), false});
    result.lastLr = lr;
    result.seconds = double(timer.nsecsElapsed()) / 1e9;
    return result;
}

Result<void> ForecastTrainer::trainEpochs()
{
    const qint64 batches = stepsPerEpoch();
    m_schedule.kind = m_request.schedule;
    m_schedule.baseLr = m_request.learningRate;
    m_schedule.totalSteps = qint64(m_request.epochs) * batches;
    m_schedule.stepSize = std::max(1, m_request.epochs / 3) * batches;
    if (const QString problem = lrScheduleProblem(m_schedule); !problem.isEmpty())
        return failure(problem, QStringLiteral("schedule"));
    if (m_training->startEpoch() == 1) {
        Result<double> initial = validationLoss();
        if (!initial)
            return initial.error();
        m_initialValLoss = *initial;
        m_context.log(QStringLiteral("validation loss before training: %1").arg(m_initialValLoss, 0, 'g', 5));
    }
    return runEpochs();
}

Result<void> ForecastTrainer::finish()
{
    if (Result<void> restored = m_training->restoreBest(*this); !restored)
        return restored;
    m_context.setProgress(0, 0, QStringLiteral("scoring the best model"));
    Result<SeriesForecast> forecast =
        SeriesForecaster::run(*m_model, m_space, m_series.set, m_device->device(), &m_context);
    if (!forecast)
        return forecast.error();
    AnomalySettings anomaly;
    anomaly.k = m_request.anomalyK;
    Result<std::vector<AnomalyDetector>> detectors =
        ForecastScoring::detectors(m_series.set, forecast->oneStep, m_split.validation, anomaly);
    if (!detectors)
        return detectors.error();
    const std::vector<double> &first = m_series.set.targets.front();
    const int season = ForecastScoring::seasonLength(
        m_series.import.report.sampling, std::vector<double>(first.begin(), first.begin() + m_split.train.end));
    const RowRange scored = m_split.test.size() > 0 ? m_split.test : m_split.validation;
    const std::vector<TargetForecastMetrics> metrics =
        ForecastScoring::score(m_series.set, forecast->oneStep, scored, season);
    for (const TargetForecastMetrics &m : metrics)
        m_context.log(
            QStringLiteral("%1 on the %2 rows (%3 points): MAE %4 (naive %5, seasonal naive %6 with season %7)")
                .arg(m.target, m_split.test.size() > 0 ? QStringLiteral("test") : QStringLiteral("validation"))
                .arg(m.model.count)
                .arg(m.model.mae, 0, 'g', 5)
                .arg(m.naive.mae, 0, 'g', 5)
                .arg(m.seasonalNaive.mae, 0, 'g', 5)
                .arg(season));

    Result<QString> written = writeTrainedFiles();
    if (!written)
        return written.error();
    const QString directory = written.value();

    ForecastModule module;
    module.directory = directory;
    module.network = m_model->spec();
    module.targets = m_series.set.targetNames;
    module.inputs = m_series.set.inputNames;
    module.space = m_space;
    module.fill = m_request.fill;
    module.timeColumn = m_series.import.report.timeColumn;
    module.timeFormat = TimestampParser::formatId(m_series.import.report.timeFormat);
    module.sampling = m_series.import.report.sampling.toJson();
    module.seasonLength = season;
    module.detectors = detectors.value();
    ModuleManifest &m = module.manifest;
    m.id = m_request.moduleId.isEmpty() ? QDir(directory).dirName() : m_request.moduleId;
    m.title = m_request.title.isEmpty() ? m.id : m_request.title;
    m.summary = QStringLiteral("%1 forecaster of %2 (window %3, horizon %4) trained on %5")
                    .arg(m_request.model.toUpper(), module.targets.join(QStringLiteral(", ")))
                    .arg(module.network.window)
                    .arg(module.network.horizon)
                    .arg(QFileInfo(m_request.csvPath).fileName());
    m.keywords = {QStringLiteral("time series"), QStringLiteral("forecasting"), m_request.model};
    m.dateCreation = QDate::currentDate().toString(Qt::ISODate);
    m.hyperParameters = hyperParametersJson(m_request);
    m.hyperParameters.insert(QStringLiteral("precision"), ml::precisionName(m_device->precision()));
    QJsonObject scores{
        {QStringLiteral("best_epoch"), m_training->stopping().bestEpoch()},
        {QStringLiteral("epochs_run"), m_outcome.epochsRun},
        {QStringLiteral("val_loss"), m_training->bestValue()},
        {QStringLiteral("scored_on"), m_split.test.size() > 0 ? QStringLiteral("test") : QStringLiteral("validation")},
        {QStringLiteral("targets"), ForecastMetrics::toJson(metrics)}};
    if (!metrics.empty()) {  // the first target's figures at the top, for the catalog's list
        scores.insert(QStringLiteral("mae"), metrics.front().model.toJson().value(QStringLiteral("mae")));
        scores.insert(QStringLiteral("naive_mae"), metrics.front().naive.toJson().value(QStringLiteral("mae")));
    }
    m.metrics = scores;
    QJsonObject data = m_series.provenance();
    data.insert(QStringLiteral("split"), m_split.toJson());
    m.trainingData = data;
    if (Result<void> recorded = recordLineage(m_request, m); !recorded)
        return recorded.error();
    m_outcome.metrics = ForecastMetrics::toJson(metrics);
    return writeForecastModule(module);
}

}  // namespace

Result<TrainingEstimate> estimateForecasterTraining(const ForecastTrainRequest &request, JobContext &context)
{
    ForecastTrainRequest probe = request;
    probe.resume = false;
    probe.stopAfterEpoch = 0;
    return ml::catchTorchErrors<TrainingEstimate>(
        [&] { return ForecastTrainer(probe, context).estimate(); }, QStringLiteral("the time estimate"),
        QStringLiteral("lower --batch, --window or --hidden"), QStringLiteral("batch"));
}

Result<ForecastTrainOutcome> trainForecaster(const ForecastTrainRequest &request, JobContext &context)
{
    return ml::catchTorchErrors<ForecastTrainOutcome>(
        [&]() -> Result<ForecastTrainOutcome> {
            Result<ForecastTrainRequest> adopted =
                adoptForecastParent(request, context);  // re-training: the parent's network
            if (!adopted)
                return adopted.error();
            Result<ForecastTrainOutcome> outcome = ForecastTrainer(*adopted, context).run();
            return outcome ? outcome : Result<ForecastTrainOutcome>(explainForParent(request, outcome.error()));
        },
        QStringLiteral("training"), QStringLiteral("lower the batch, window or hidden size"), QStringLiteral("batch"));
}

}  // namespace dw::timeseries
