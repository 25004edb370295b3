#include "plugins/superres/train/sr_trainer.h"

#include "core/ml/reduce_on_plateau.h"
#include "core/ml/torch/module_weights.h"
#include "core/ml/torch/random_state.h"
#include "core/ml/torch/step_probe.h"
#include "core/ml/torch/task_trainer.h"
#include "core/ml/torch/torch_guard.h"
#include "core/ml/torch_compat.h"
#include "core/ml/training_history.h"
#include "plugins/superres/models/dsen2_network.h"
#include "plugins/superres/module/sr_module.h"
#include "plugins/superres/train/sr_parent.h"
#include "plugins/superres/train/sr_training_data.h"

#include <QDate>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>

#include <cmath>
#include <numeric>
#include <optional>

namespace dw::superres {

QString srCheckpointPath(const QString &moduleDir)
{
    return QDir(moduleDir).filePath(QStringLiteral("checkpoints/last.pt"));
}

namespace {

// A regression of small residuals: auto trains in float32 on CUDA and on the CPU (--precision
// bf16 forces bf16 autocast with channels_last); channels_last for the convolutions on CUDA.
constexpr ml::TrainingDevice::PrecisionRule kPrecisionRule{.cudaBf16 = false, .cpuAutoBf16 = false};

// LibTorch's CPU thread count for the run, put back afterwards.
class ThreadCountGuard {
public:
    explicit ThreadCountGuard(int threads) : m_before(compat::intraOpThreads())
    {
        if (threads > 0)
            compat::setIntraOpThreads(threads);
    }
    ~ThreadCountGuard() { compat::setIntraOpThreads(m_before); }
    ThreadCountGuard(const ThreadCountGuard &) = delete;
    ThreadCountGuard &operator=(const ThreadCountGuard &) = delete;

private:
    int m_before;
};

double mean(const std::vector<double> &values)
{
    return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

struct Evaluation {
    double l1 = 0.0;
    double psnr = 0.0;  // dB, mean over bands
};

// Super-resolution's part of the training skeleton: Wald-protocol patches, masked L1, PSNR
// and a plateau schedule; ml::EpochTraining does the loop, checkpoints, resume and progress.
class SrTrainer : public ml::TaskTrainer<SrTrainRequest, SrTrainOutcome> {
public:
    using TaskTrainer::TaskTrainer;
    Result<SrTrainOutcome> run();
    // The stages of run() up to the first epoch, then a few of its batches timed.
    Result<TrainingEstimate> estimate();

    torch::nn::Module &network() override { return *m_model; }
    qint64 stepsPerEpoch() const override
    {
        return batchesOf(ml::DistributedGroup::currentShard().sizeOf(m_data->patchesPerEpoch()));
    }
    Result<ml::PassResult> trainEpoch(int epoch, ml::StepReporter &steps) override;
    Result<ml::PassResult> validate(int epoch) override;
    QJsonObject checkpointMeta() const override;
    Result<void> resumed(const QJsonObject &meta) override;
    QString afterEpoch(int epoch, const ml::PassResult &validation, bool improved) override;

private:
    Result<void> prepare();
    Evaluation evaluate(bool bicubicOnly);
    void completeOutcome() override;
    Result<void> finish() override;

    std::optional<SrTrainingData> m_data;
    SrParent m_parent;  // fine-tuning: the module the run starts from (sr_parent.h)
    Dsen2Network m_model{nullptr};
    ReduceOnPlateau m_plateau;
    QJsonArray m_psnrByEpoch;
    Evaluation m_bicubic, m_bestEval, m_lastEval;
};

Result<SrTrainOutcome> SrTrainer::run()
{
    const ThreadCountGuard threads(m_request.threads);
    return runTraining<SrTrainer>(checkSrTrainRequest(m_request), kPrecisionRule,
                                  {&SrTrainer::prepare, &SrTrainer::resumeFromCheckpoint, &SrTrainer::runEpochs});
}

Result<TrainingEstimate> SrTrainer::estimate()
{
    const ThreadCountGuard threads(m_request.threads);
    if (Result<void> checked = checkSrTrainRequest(m_request); !checked)
        return checked.error();
    if (Result<void> placed = chooseDevice(kPrecisionRule); !placed)
        return placed.error();
    if (Result<void> ok = prepare(); !ok)
        return ok.error();
    Result<ml::StepTiming> timing = ml::measureTrainingSteps(*this, m_context, {.unit = QStringLiteral("patches")});
    if (!timing)
        return timing.error();
    const SrNetworkSpec spec = m_model->spec();
    TrainingEstimate estimate;
    estimate.secondsPerStep = timing->secondsPerStep;
    estimate.measuredSteps = timing->measuredSteps;
    estimate.stepsPerEpoch = stepsPerEpoch();
    estimate.epochs = m_request.epochs;
    estimate.trainSamples = m_data->patchesPerEpoch();
    estimate.validationSamples = m_data->validation().count();
    estimate.device = m_context.device();
    estimate.complete(m_request.batchSize);
    estimate.how = QStringLiteral("%1 of a %2 × %3 network on %4 px patches, %5 patches per epoch")
                       .arg(ml::countedBatches(timing->measuredSteps))
                       .arg(spec.blocks)
                       .arg(spec.filters)
                       .arg(m_request.patchSize)
                       .arg(estimate.trainSamples);
    return estimate;
}

void SrTrainer::completeOutcome()
{
    m_outcome.bestValL1 = m_training->bestValue();
    m_outcome.bicubicValL1 = m_bicubic.l1;
    m_outcome.bicubicPsnr = m_bicubic.psnr;
}

Result<void> SrTrainer::prepare()
{
    Result<SrParent> parent = SrParent::load(m_request);
    if (!parent)
        return parent.error();
    m_parent = std::move(parent).value();
    Result<SrTrainingData> data =
        SrTrainingData::build(m_request, m_context, {m_parent.normalization(), m_parent.guideNormalization()});
    if (!data)
        return data.error();
    m_data.emplace(std::move(data).value());
    m_outcome.trainPatches = m_data->patchesPerEpoch();
    m_outcome.valPatches = m_data->validation().count();

    ml::RandomState::seed(m_request.seed);
    m_model = Dsen2Network(m_parent.networkSpec(m_request));
    if (Result<void> started = m_parent.applyTo(*m_model, m_context); !started)
        return started.error();
    if (Result<void> placed = placeAndOptimise(*m_model); !placed)
        return placed;
    ReduceOnPlateauOptions plateau;
    plateau.factor = m_request.plateauFactor;
    plateau.patience = m_request.plateauPatience;
    if (const QString problem = ReduceOnPlateau::problem(plateau); !problem.isEmpty())
        return failure(problem, QStringLiteral("plateau"));
    m_plateau = ReduceOnPlateau(m_request.learningRate, plateau);

    // val_loss: the masked L1 of the validation patches.
    createTraining({.monitored = QStringLiteral("val_loss"),
                    .unit = QStringLiteral("patches"),
                    .checkpointPath = srCheckpointPath(m_request.moduleDir),
                    .mustMatch = {QStringLiteral("network"), QStringLiteral("normalization"), QStringLiteral("data"),
                                  QStringLiteral("patch_size"), QStringLiteral("optimizer"), QStringLiteral("seed"),
                                  QStringLiteral("parent"), QStringLiteral("freeze")}});
    m_bicubic = evaluate(true);
    const SrNetworkSpec spec = m_model->spec();
    m_context.log(QStringLiteral(
                      "%1 band(s), scale %2: %3 training patches of %4 px per epoch, %5 validation patches "
                      "(bicubic: L1 %6, PSNR %7 dB); network %8 blocks × %9 filters, %10 parameters; %11 lr %12 on %13")
                      .arg(spec.bands)
                      .arg(spec.scale)
                      .arg(m_outcome.trainPatches)
                      .arg(m_request.patchSize)
                      .arg(m_outcome.valPatches)
                      .arg(m_bicubic.l1, 0, 'g', 4)
                      .arg(m_bicubic.psnr, 0, 'f', 2)
                      .arg(spec.blocks)
                      .arg(spec.filters)
                      .arg(m_optimizer->parameterCount())
                      .arg(m_request.optimizer)
                      .arg(m_request.learningRate)
                      .arg(m_device->describe()));
    return success();
}

QJsonObject SrTrainer::checkpointMeta() const
{
    return {{QStringLiteral("plateau"), m_plateau.toJson()},
            {QStringLiteral("psnr_by_epoch"), m_psnrByEpoch},
            {QStringLiteral("best_psnr"), m_bestEval.psnr},
            {QStringLiteral("network"), m_model->spec().toJson()},
            {QStringLiteral("normalization"), m_data->normalization().toJson()},
            {QStringLiteral("data"), m_data->dataHash()},
            {QStringLiteral("patch_size"), m_request.patchSize},
            {QStringLiteral("optimizer"), m_request.optimizer},
            {QStringLiteral("seed"), QString::number(m_request.seed)},
            {QStringLiteral("parent"), m_request.parentDir},
            {QStringLiteral("freeze"), m_request.freeze}};
}

Result<void> SrTrainer::resumed(const QJsonObject &meta)
{
    m_plateau = ReduceOnPlateau::fromJson(meta.value(QStringLiteral("plateau")).toObject());
    m_psnrByEpoch = meta.value(QStringLiteral("psnr_by_epoch")).toArray();
    m_bestEval = {m_training->bestValue(), meta.value(QStringLiteral("best_psnr")).toDouble()};
    return success();
}

Evaluation SrTrainer::evaluate(bool bicubicOnly)
{
    const SrPatchBatch &val = m_data->validation();
    constexpr int64_t kChunk = 64;
    m_model->eval();
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> outputs;
    for (int64_t begin = 0; begin < val.count(); begin += kChunk) {
        const torch::Tensor input = val.input.narrow(0, begin, std::min(kChunk, val.count() - begin));
        // The upsampled bands come first in the input (a guide follows them).
        if (bicubicOnly) {
            outputs.push_back(input.narrow(1, 0, val.target.size(1)));
            continue;
        }
        compat::AutocastGuard autocast(m_device->mixedPrecision(), at::kBFloat16, m_device->device().type());
        outputs.push_back(m_model->forward(m_device->toDevice(input)).to(torch::kCPU, torch::kFloat32).contiguous());
    }
    m_model->train();
    const torch::Tensor predicted = torch::cat(outputs);
    return {maskedL1(predicted, val.target, val.mask).item<double>(),
            mean(maskedPsnr(predicted, val.target, val.mask, m_data->validationRange()))};
}

Result<ml::PassResult> SrTrainer::trainEpoch(int epoch, ml::StepReporter &steps)
{
    QElapsedTimer timer;
    timer.start();
    // In a distributed run, this rank's share of the epoch's patches (the same draw on every rank).
    const std::vector<PatchRef> patches = ml::DistributedGroup::currentShard().of(
        m_data->sampler().trainingPatches(m_data->patchesPerEpoch(), m_request.seed, epoch));
    const std::size_t batch = std::size_t(m_request.batchSize);
    const qint64 batches = qint64((patches.size() + batch - 1) / batch);
    const double lr = m_plateau.learningRate();
    m_optimizer->setLearningRate(lr);
    m_model->train();
    ml::PassResult result;
    double lossSum = 0.0;
    for (qint64 b = 0; b < batches; ++b) {
        if (steps.cancelled()) {
            result.cancelled = true;
            return result;
        }
        const SrPatchBatch data = m_data->gather(patches, std::size_t(b) * batch, batch);
        const torch::Tensor input = m_device->toDevice(data.input);
        m_optimizer->zeroGrad();
        torch::Tensor output;
        {
            compat::AutocastGuard autocast(m_device->mixedPrecision(), at::kBFloat16, m_device->device().type());
            output = m_model->forward(input).to(torch::kFloat32);  // the loss in float32
        }
        const torch::Tensor loss = maskedL1(output, m_device->toDevice(data.target), m_device->toDevice(data.mask));
        const double value = loss.item<double>();
        if (!std::isfinite(value))
            return failure(
                QStringLiteral("training stopped: the L1 loss became %1 at epoch %2, batch %3. Lower the learning "
                               "rate (now %4; try %5) or look for extreme values in the rasters (unmasked nodata?)")
                    .arg(std::isnan(value) ? QStringLiteral("NaN") : QStringLiteral("infinite"))
                    .arg(epoch)
                    .arg(b + 1)
                    .arg(lr, 0, 'g', 3)
                    .arg(lr / 10.0, 0, 'g', 3),
                QStringLiteral("lr"));
        loss.backward();
        if (Result<void> stepped = m_optimizer->step(); !stepped)
            return stepped.error();
        lossSum += value * double(data.count());
        result.samples += data.count();
        steps.step(b, lossSum / double(result.samples), lr, result.samples);
    }
    result.metrics.append(
        {QStringLiteral("train_loss"), result.samples > 0 ? lossSum / double(result.samples) : 0.0, false});
    result.lastLr = lr;
    result.seconds = double(timer.nsecsElapsed()) / 1e9;
    return result;
}

Result<ml::PassResult> SrTrainer::validate(int)
{
    m_lastEval = evaluate(false);
    ml::PassResult result;
    result.metrics.append({QStringLiteral("val_loss"), m_lastEval.l1, false});
    result.metrics.append({QStringLiteral("val_psnr"), m_lastEval.psnr, true});
    result.samples = m_data->validation().count();
    return result;
}

QString SrTrainer::afterEpoch(int, const ml::PassResult &, bool improved)
{
    m_psnrByEpoch.append(m_lastEval.psnr);
    if (improved)
        m_bestEval = m_lastEval;
    const double lr = m_plateau.learningRate();
    m_plateau.update(m_lastEval.l1);
    QString note = QStringLiteral("bicubic PSNR %1 dB").arg(m_bicubic.psnr, 0, 'f', 2);
    if (m_plateau.learningRate() < lr)
        note += QStringLiteral("; lr lowered to %1 for the next").arg(m_plateau.learningRate(), 0, 'g', 3);
    return note;
}

Result<void> SrTrainer::finish()
{
    if (Result<void> restored = m_training->restoreBest(*this); !restored)
        return restored;
    m_outcome.valPsnr = m_bestEval.psnr;
    Result<QString> written = writeTrainedFiles();
    if (!written)
        return written.error();

    SrModule module;
    module.network = m_model->spec();
    module.normalization = m_data->normalization();
    module.directory = written.value();
    const QString &directory = module.directory;
    module.patchSize = m_request.patchSize;
    module.bandNames = m_request.bandNames;
    if (module.bandNames.isEmpty())
        for (int b = 1; b <= module.network.bands; ++b)
            module.bandNames << QStringLiteral("band %1").arg(b);
    if (module.guided()) {
        module.guideNormalization = m_data->guideNormalization();
        module.guideBandNames = m_request.guideBandNames;
        if (module.guideBandNames.isEmpty())
            for (int b = 1; b <= module.guideBands(); ++b)
                module.guideBandNames << QStringLiteral("guide band %1").arg(b);
    }
    ModuleManifest &m = module.manifest;
    m.id = m_request.moduleId.isEmpty() ? QDir(directory).dirName() : m_request.moduleId;
    m.title = m_request.title.isEmpty() ? m.id : m_request.title;
    m.summary =
        QStringLiteral("DSen2-style super-resolution ×%1 of %2 band(s)%6 (%3 blocks × %4 filters) trained by Wald's "
                       "protocol on %5")
            .arg(module.network.scale)
            .arg(module.network.bands)
            .arg(module.network.blocks)
            .arg(module.network.filters)
            .arg(m_request.rasterNames.isEmpty() ? QStringLiteral("%1 raster(s)").arg(m_request.rasters.size())
                                                 : m_request.rasterNames.join(QStringLiteral(", ")))
            .arg(module.guided() ? QStringLiteral(" guided by %1 finer band(s)").arg(module.guideBands()) : QString());
    m.keywords = {QStringLiteral("super-resolution"), QStringLiteral("remote sensing"), QStringLiteral("dsen2")};
    m.dateCreation = QDate::currentDate().toString(Qt::ISODate);
    m.hyperParameters = srHyperParametersJson(m_request);
    m.hyperParameters.insert(QStringLiteral("precision"), ml::precisionName(m_device->precision()));
    m.metrics = {{QStringLiteral("best_epoch"), m_training->stopping().bestEpoch()},
                 {QStringLiteral("epochs_run"), m_outcome.epochsRun},
                 {QStringLiteral("val_l1"), m_bestEval.l1},
                 {QStringLiteral("bicubic_val_l1"), m_bicubic.l1},
                 {QStringLiteral("val_psnr"), m_bestEval.psnr},
                 {QStringLiteral("bicubic_psnr"), m_bicubic.psnr},
                 {QStringLiteral("psnr_gain_db"), m_bestEval.psnr - m_bicubic.psnr},
                 {QStringLiteral("psnr_by_epoch"), m_psnrByEpoch},
                 {QStringLiteral("scored_on"), QStringLiteral("held-out rows (validation patches)")}};
    m.trainingData = m_data->provenance();
    m_parent.record(m);
    return writeSrModule(module);
}

}  // namespace

Result<TrainingEstimate> estimateSuperResolutionTraining(SrTrainRequest request, JobContext &context)
{
    request.resume = false;
    request.stopAfterEpoch = 0;
    return ml::catchTorchErrors<TrainingEstimate>(
        [&] { return SrTrainer(request, context).estimate(); }, QStringLiteral("the time estimate"),
        QStringLiteral("lower --batch, --patch or --filters"), QStringLiteral("batch"));
}

Result<SrTrainOutcome> trainSuperResolution(const SrTrainRequest &request, JobContext &context)
{
    return ml::catchTorchErrors<SrTrainOutcome>(
        [&] { return SrTrainer(request, context).run(); }, QStringLiteral("training"),
        QStringLiteral("lower --batch, --patch or --filters"), QStringLiteral("batch"));
}

}  // namespace dw::superres
