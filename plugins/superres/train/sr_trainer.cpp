#include "plugins/superres/train/sr_trainer.h"

#include "plugins/superres/models/dsen2_network.h"
#include "plugins/superres/module/sr_module.h"
#include "plugins/superres/train/sr_training_data.h"
#include "core/ml/early_stopping.h"
#include "core/ml/epoch_stop.h"
#include "core/ml/reduce_on_plateau.h"
#include "core/ml/torch/epoch_checkpoints.h"
#include "core/ml/torch/grouped_optimizer.h"
#include "core/ml/torch/model_snapshot.h"
#include "core/ml/torch/module_weights.h"
#include "core/ml/torch/random_state.h"
#include "core/ml/torch/training_device.h"
#include "core/ml/torch_compat.h"
#include "core/ml/training_history.h"
#include "core/util/duration_text.h"

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

class SrTrainer {
public:
    SrTrainer(const SrTrainRequest &request, JobContext &context) : m_request(request), m_context(context) {}
    Result<SrTrainOutcome> run();

private:
    Result<void> prepare();
    Result<void> resume();
    Result<void> trainEpochs();
    Result<double> trainEpoch(int epoch);
    Evaluation evaluate(bool bicubicOnly);
    Result<void> finish();
    Result<void> saveCheckpoint(int epoch);
    QJsonObject checkpointMeta() const;

    const SrTrainRequest &m_request;
    JobContext &m_context;
    std::optional<ml::TrainingDevice> m_device;
    std::optional<SrTrainingData> m_data;
    Dsen2Network m_model{nullptr};
    std::unique_ptr<ml::GroupedOptimizer> m_optimizer;
    ReduceOnPlateau m_plateau;
    EarlyStopping m_stopping;
    TrainingHistory m_history;
    QJsonArray m_psnrByEpoch;
    ml::NamedTensors m_best;
    Evaluation m_bicubic, m_bestEval;
    int m_startEpoch = 1;
    qint64 m_stepsDone = 0;
    QElapsedTimer m_clock;
    SrTrainOutcome m_outcome;
};

Result<SrTrainOutcome> SrTrainer::run()
{
    QElapsedTimer clock;
    clock.start();
    if (Result<void> ok = checkSrTrainRequest(m_request); !ok)
        return ok.error();
    const ThreadCountGuard threads(m_request.threads);
    for (auto step : {&SrTrainer::prepare, &SrTrainer::resume, &SrTrainer::trainEpochs}) {
        if (Result<void> ok = (this->*step)(); !ok)
            return ok.error();
    }
    m_outcome.moduleDir = QDir(m_request.moduleDir).absolutePath();
    m_outcome.bestEpoch = m_stopping.bestEpoch();
    m_outcome.bestValL1 = -m_stopping.bestValue();
    m_outcome.bicubicValL1 = m_bicubic.l1;
    m_outcome.bicubicPsnr = m_bicubic.psnr;
    if (m_outcome.stopped != TrainingHistory::stoppedCancelled()) {
        if (Result<void> ok = finish(); !ok)
            return ok.error();
    }
    m_outcome.seconds = double(clock.nsecsElapsed()) / 1e9;
    return m_outcome;
}

Result<void> SrTrainer::prepare()
{
    Result<ml::TrainingDevice> device = ml::TrainingDevice::fromString(m_context.device());
    if (!device)
        return device.error();
    m_device = device.value();
    m_device->setMixedPrecision(false);  // a regression of small residuals: float32 throughout
    m_device->setChannelsLast(true);      // convolutions only; a no-op on the CPU
    m_device->configure();
    Result<SrTrainingData> data = SrTrainingData::build(m_request, m_context);
    if (!data)
        return data.error();
    m_data.emplace(std::move(data).value());
    m_outcome.trainPatches = m_data->patchesPerEpoch();
    m_outcome.valPatches = m_data->validation().count();

    ml::RandomState::seed(m_request.seed);
    m_model = Dsen2Network(m_request.networkSpec());
    m_device->prepare(*m_model);
    ml::OptimizerSettings settings;
    settings.kind = m_request.optimizer;
    settings.learningRate = m_request.learningRate;
    settings.weightDecay = m_request.weightDecay;
    Result<std::unique_ptr<ml::GroupedOptimizer>> optimizer =
        ml::GroupedOptimizer::create({ml::ParameterGroup{"network", m_model->parameters(), 1.0}}, settings);
    if (!optimizer)
        return optimizer.error();
    m_optimizer = std::move(optimizer).value();
    ReduceOnPlateauOptions plateau;
    plateau.factor = m_request.plateauFactor;
    plateau.patience = m_request.plateauPatience;
    if (const QString problem = ReduceOnPlateau::problem(plateau); !problem.isEmpty())
        return failure(problem, QStringLiteral("plateau"));
    m_plateau = ReduceOnPlateau(m_request.learningRate, plateau);
    m_stopping = EarlyStopping(m_request.patience);
    m_bicubic = evaluate(true);
    const SrNetworkSpec spec = m_model->spec();
    m_context.log(QStringLiteral("%1 band(s), scale %2: %3 training patches of %4 px per epoch, %5 validation patches "
                                 "(bicubic: L1 %6, PSNR %7 dB); network %8 blocks × %9 filters, %10 parameters; %11 lr %12 on %13")
                      .arg(spec.bands).arg(spec.scale).arg(m_outcome.trainPatches).arg(m_request.patchSize)
                      .arg(m_outcome.valPatches).arg(m_bicubic.l1, 0, 'g', 4).arg(m_bicubic.psnr, 0, 'f', 2)
                      .arg(spec.blocks).arg(spec.filters).arg(m_optimizer->parameterCount())
                      .arg(m_request.optimizer).arg(m_request.learningRate).arg(m_device->describe()));
    return success();
}

QJsonObject SrTrainer::checkpointMeta() const
{
    return {{QStringLiteral("history"), m_history.toJson()},
            {QStringLiteral("early_stopping"), m_stopping.toJson()},
            {QStringLiteral("plateau"), m_plateau.toJson()},
            {QStringLiteral("psnr_by_epoch"), m_psnrByEpoch},
            {QStringLiteral("best_psnr"), m_bestEval.psnr},
            {QStringLiteral("network"), m_model->spec().toJson()},
            {QStringLiteral("normalization"), m_data->normalization().toJson()},
            {QStringLiteral("data"), m_data->dataHash()},
            {QStringLiteral("patch_size"), m_request.patchSize},
            {QStringLiteral("optimizer"), m_request.optimizer},
            {QStringLiteral("seed"), QString::number(m_request.seed)}};
}

Result<void> SrTrainer::resume()
{
    if (!m_request.resume)
        return success();
    const QString path = srCheckpointPath(m_request.moduleDir);
    Result<ml::ResumedTraining> resumed =
        ml::resumeTraining(path, checkpointMeta(), {"network", "normalization", "data", "patch_size", "optimizer", "seed"},
                           *m_model, m_optimizer->optimizer(), m_device->device(), m_request.patience);
    if (!resumed)
        return resumed.error();
    m_history = std::move(resumed->history);
    m_stopping = resumed->stopping;
    m_best = std::move(resumed->best);
    m_plateau = ReduceOnPlateau::fromJson(resumed->meta.value(QStringLiteral("plateau")).toObject());
    m_psnrByEpoch = resumed->meta.value(QStringLiteral("psnr_by_epoch")).toArray();
    m_bestEval = {-m_stopping.bestValue(), resumed->meta.value(QStringLiteral("best_psnr")).toDouble()};
    m_startEpoch = resumed->epoch + 1;
    m_outcome.epochsRun = resumed->epoch;
    m_context.log(QStringLiteral("resuming after epoch %1 from %2").arg(resumed->epoch).arg(path));
    return success();
}

Result<void> SrTrainer::saveCheckpoint(int epoch)
{
    return ml::saveEpochCheckpoint(srCheckpointPath(m_request.moduleDir), epoch, checkpointMeta(), m_best, *m_model,
                                   m_optimizer->optimizer());
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
        outputs.push_back(bicubicOnly ? input.narrow(1, 0, val.target.size(1)) : m_model->forward(m_device->toDevice(input)).to(torch::kCPU).contiguous());
    }
    m_model->train();
    const torch::Tensor predicted = torch::cat(outputs);
    return {maskedL1(predicted, val.target, val.mask).item<double>(),
            mean(maskedPsnr(predicted, val.target, val.mask, m_data->validationRange()))};
}

Result<double> SrTrainer::trainEpoch(int epoch)
{
    const std::vector<PatchRef> patches = m_data->sampler().trainingPatches(m_data->patchesPerEpoch(), m_request.seed, epoch);
    const std::size_t batch = std::size_t(m_request.batchSize);
    const qint64 batches = qint64((patches.size() + batch - 1) / batch);
    const qint64 totalSteps = qint64(m_request.epochs) * batches;
    m_optimizer->setLearningRate(m_plateau.learningRate());
    m_model->train();
    double lossSum = 0.0;
    qint64 seen = 0;
    for (qint64 b = 0; b < batches; ++b) {
        if (m_context.isCancelled()) {
            m_outcome.stopped = TrainingHistory::stoppedCancelled();
            m_context.log(QStringLiteral("cancelled during epoch %1; the checkpoint of epoch %2 is kept for resuming")
                              .arg(epoch).arg(epoch - 1));
            return std::nan("");
        }
        const SrPatchBatch data = m_data->gather(patches, std::size_t(b) * batch, batch);
        const torch::Tensor input = m_device->toDevice(data.input);
        m_optimizer->zeroGrad();
        const torch::Tensor loss = maskedL1(m_model->forward(input), m_device->toDevice(data.target), m_device->toDevice(data.mask));
        const double value = loss.item<double>();
        if (!std::isfinite(value))
            return failure(QStringLiteral("training stopped: the L1 loss became %1 at epoch %2, batch %3. Lower the learning "
                                          "rate (now %4; try %5) or look for extreme values in the rasters (unmasked nodata?)")
                               .arg(std::isnan(value) ? QStringLiteral("NaN") : QStringLiteral("infinite"))
                               .arg(epoch).arg(b + 1).arg(m_plateau.learningRate(), 0, 'g', 3)
                               .arg(m_plateau.learningRate() / 10.0, 0, 'g', 3),
                           QStringLiteral("lr"));
        loss.backward();
        m_optimizer->step();
        lossSum += value * double(data.count());
        seen += data.count();
        ++m_stepsDone;
        const qint64 done = qint64(epoch - 1) * batches + b + 1;
        const double perStep = double(m_clock.elapsed()) / 1000.0 / double(m_stepsDone);
        m_context.setProgress(done, totalSteps,
                              QStringLiteral("epoch %1/%2, batch %3/%4, L1 %5, eta %6")
                                  .arg(epoch).arg(m_request.epochs).arg(b + 1).arg(batches)
                                  .arg(lossSum / double(seen), 0, 'f', 4).arg(durationText(perStep * double(totalSteps - done))));
    }
    return seen > 0 ? lossSum / double(seen) : 0.0;
}

Result<void> SrTrainer::trainEpochs()
{
    m_clock.start();
    m_outcome.stopped = TrainingHistory::stoppedCompleted();
    for (int epoch = m_startEpoch; epoch <= m_request.epochs; ++epoch) {
        QElapsedTimer timer;
        timer.start();
        const double lr = m_plateau.learningRate();
        Result<double> trainL1 = trainEpoch(epoch);
        if (!trainL1)
            return trainL1.error();
        if (m_outcome.stopped == TrainingHistory::stoppedCancelled())
            return success();
        const Evaluation eval = evaluate(false);
        if (!std::isfinite(eval.l1))
            return failure(QStringLiteral("training stopped: the validation L1 became NaN at epoch %1; lower the learning rate")
                               .arg(epoch),
                           QStringLiteral("lr"));
        EpochRecord record;
        record.epoch = epoch;
        record.trainLoss = *trainL1;
        record.valLoss = eval.l1;
        record.lr = lr;
        record.seconds = double(timer.nsecsElapsed()) / 1e9;
        m_history.add(record);
        m_psnrByEpoch.append(eval.psnr);
        const bool improved = m_stopping.update(epoch, -eval.l1);
        if (improved) {
            m_best = ml::snapshotOf(*m_model);
            m_bestEval = eval;
        }
        m_history.setBestEpoch(m_stopping.bestEpoch());
        m_plateau.update(eval.l1);
        m_outcome.epochsRun = epoch;
        if (Result<void> saved = saveCheckpoint(epoch); !saved)
            return saved.error();
        m_context.log(QStringLiteral("epoch %1/%2: train L1 %3, val L1 %4%5, val PSNR %6 dB (bicubic %7 dB); lr %8%9; %10 s")
                          .arg(epoch).arg(m_request.epochs).arg(record.trainLoss, 0, 'f', 5).arg(eval.l1, 0, 'f', 5)
                          .arg(improved ? QStringLiteral(" (best)") : QString()).arg(eval.psnr, 0, 'f', 2)
                          .arg(m_bicubic.psnr, 0, 'f', 2).arg(lr, 0, 'g', 3)
                          .arg(m_plateau.learningRate() < lr ? QStringLiteral(" (lowered to %1 for the next)")
                                                                   .arg(m_plateau.learningRate(), 0, 'g', 3)
                                                             : QString())
                          .arg(record.seconds, 0, 'f', 1));
        if (const ml::EpochStop stop =
                ml::stopAfterEpoch(epoch, m_request.epochs, m_request.stopAfterEpoch, m_stopping, QStringLiteral("validation L1"))) {
            m_outcome.stopped = stop.stopped;
            m_context.log(stop.message);
            break;
        }
    }
    return success();
}

Result<void> SrTrainer::finish()
{
    ml::restoreSnapshot(*m_model, m_best);
    m_history.setStopped(m_outcome.stopped);
    m_outcome.valPsnr = m_bestEval.psnr;
    const QString directory = QDir(m_request.moduleDir).absolutePath();
    if (!QDir().mkpath(directory))
        return failure(QStringLiteral("cannot create the module folder %1").arg(directory), QStringLiteral("output"));
    if (Result<void> saved = ml::ModuleWeights::save(*m_model, QDir(directory).filePath(QStringLiteral("weights.pt"))); !saved)
        return saved.error();
    if (Result<void> saved = m_history.save(QDir(directory).filePath(QStringLiteral("history.json"))); !saved)
        return saved.error();

    SrModule module;
    module.directory = directory;
    module.network = m_model->spec();
    module.normalization = m_data->normalization();
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
    m.summary = QStringLiteral("DSen2-style super-resolution ×%1 of %2 band(s)%6 (%3 blocks × %4 filters) trained by Wald's "
                               "protocol on %5")
                    .arg(module.network.scale).arg(module.network.bands).arg(module.network.blocks).arg(module.network.filters)
                    .arg(m_request.rasterNames.isEmpty() ? QStringLiteral("%1 raster(s)").arg(m_request.rasters.size())
                                                         : m_request.rasterNames.join(QStringLiteral(", ")))
                    .arg(module.guided() ? QStringLiteral(" guided by %1 finer band(s)").arg(module.guideBands()) : QString());
    m.keywords = {QStringLiteral("super-resolution"), QStringLiteral("remote sensing"), QStringLiteral("dsen2")};
    m.dateCreation = QDate::currentDate().toString(Qt::ISODate);
    m.hyperParameters = srHyperParametersJson(m_request);
    m.metrics = {{QStringLiteral("best_epoch"), m_stopping.bestEpoch()},
                 {QStringLiteral("epochs_run"), m_outcome.epochsRun},
                 {QStringLiteral("val_l1"), m_bestEval.l1},
                 {QStringLiteral("bicubic_val_l1"), m_bicubic.l1},
                 {QStringLiteral("val_psnr"), m_bestEval.psnr},
                 {QStringLiteral("bicubic_psnr"), m_bicubic.psnr},
                 {QStringLiteral("psnr_gain_db"), m_bestEval.psnr - m_bicubic.psnr},
                 {QStringLiteral("psnr_by_epoch"), m_psnrByEpoch},
                 {QStringLiteral("scored_on"), QStringLiteral("held-out rows (validation patches)")}};
    m.trainingData = m_data->provenance();
    return writeSrModule(module);
}

}  // namespace

Result<SrTrainOutcome> trainSuperResolution(const SrTrainRequest &request, JobContext &context)
{
    try {
        SrTrainer trainer(request, context);
        return trainer.run();
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("training failed in LibTorch: %1")
                           .arg(QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0)));
    } catch (const std::bad_alloc &) {
        return failure(QStringLiteral("training ran out of memory: lower --batch-size, --patch-size or --filters"),
                       QStringLiteral("batch-size"));
    } catch (const std::exception &error) {
        return failure(QStringLiteral("training failed: %1").arg(QString::fromUtf8(error.what())));
    }
}

}  // namespace dw::superres
