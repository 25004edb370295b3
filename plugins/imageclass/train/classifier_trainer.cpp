#include "plugins/imageclass/train/classifier_trainer.h"

#include "core/onnx/onnx_module_import.h"

#include "core/ml/torch/classification_loss.h"
#include "core/ml/torch/random_state.h"
#include "core/ml/torch/step_probe.h"
#include "core/ml/torch/task_trainer.h"
#include "core/ml/torch/torch_guard.h"
#include "core/ml/torch/training_checkpoint.h"
#include "core/ml/torch/training_device.h"
#include "core/ml/training_history.h"
#include "plugins/imageclass/data/batch_loader.h"
#include "plugins/imageclass/data/normalization_estimator.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/module/classifier_module.h"
#include "plugins/imageclass/train/classifier_setup.h"
#include "plugins/imageclass/train/epoch_runner.h"
#include "plugins/imageclass/train/pretrained_start.h"
#include "plugins/imageclass/train/trained_module_writer.h"
#include "plugins/imageclass/train/training_data.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <cmath>
#include <memory>
#include <optional>

namespace dw::imageclass {

QString checkpointPath(const QString &moduleDir)
{
    return QDir(moduleDir).filePath(QStringLiteral("checkpoints/last.pt"));
}

namespace {

// Training transforms: flips for small images (28 px Fashion-MNIST loses too much to
// crops); from 64 px on also random resized crops and mild colour jitter.
AugmentationOptions augmentationFor(bool augment, int imageSize)
{
    if (!augment)
        return AugmentationOptions::none();
    if (imageSize < 64)
        return AugmentationOptions{};
    AugmentationOptions options = AugmentationOptions::photo();
    options.scaleMin = 0.25;
    return options;
}

// The classifier's part of the training skeleton: its batches (BatchLoader), loss and
// accuracies; ml::EpochTraining does the loop, checkpoints, resume and progress.
class ClassifierTrainer : public ml::TaskTrainer<TrainRequest, TrainOutcome> {
public:
    using TaskTrainer::TaskTrainer;

    Result<TrainOutcome> run();
    // The stages of run() up to the first epoch, then a few of its batches timed.
    Result<TrainingEstimate> estimate();

    torch::nn::Module &network() override { return *m_setup->model(); }
    qint64 stepsPerEpoch() const override { return m_trainLoader->batchesPerEpoch(); }
    Result<ml::PassResult> trainEpoch(int epoch, ml::StepReporter &steps) override;
    Result<ml::PassResult> validate(int epoch) override;
    QJsonObject checkpointMeta() const override;
    Result<void> resumed(const QJsonObject &meta) override;
    ml::NamedTensors snapshot() override;
    Result<void> restore(const ml::NamedTensors &state) override;

private:
    Result<void> prepareData();
    Result<void> resolveStart();
    Result<void> prepareModel();
    Result<void> resume();
    Result<void> prepareLoaders();
    void completeOutcome() override;
    Result<void> finish() override;

    TrainingData m_data;
    std::optional<ClassifierModule> m_parent;
    PretrainedStart m_start;  // without a parent: where the weights start
    int m_channels = 3, m_imageSize = 224;
    QString m_architecture;
    Normalization m_normalization;
    std::optional<ClassifierSetup> m_setup;
    std::optional<ml::ClassificationLoss> m_loss;
    LrScheduleOptions m_schedule;
    std::unique_ptr<BatchLoader> m_trainLoader, m_valLoader;
    std::optional<EpochRunner> m_runner;
    bool m_estimating = false;  // estimate(): no normalisation to compute, no weights to fetch
};

Result<TrainOutcome> ClassifierTrainer::run()
{
    // bf16 autocast where the GPU or the processor has it.
    return runTraining<ClassifierTrainer>(checkTrainRequest(m_request), {},
                                          {&ClassifierTrainer::prepareData, &ClassifierTrainer::prepareModel,
                                           &ClassifierTrainer::resume, &ClassifierTrainer::prepareLoaders,
                                           &ClassifierTrainer::runEpochs});
}

Result<TrainingEstimate> ClassifierTrainer::estimate()
{
    if (Result<void> checked = checkTrainRequest(m_request); !checked)
        return checked.error();
    if (Result<void> placed = chooseDevice({}); !placed)
        return placed.error();
    m_estimating = true;
    if (Result<void> ok = ml::runStages(*this, {&ClassifierTrainer::prepareData, &ClassifierTrainer::prepareModel,
                                                &ClassifierTrainer::prepareLoaders});
        !ok)
        return ok.error();
    Result<ml::StepTiming> timing = ml::measureTrainingSteps(*this, m_context, {.unit = QStringLiteral("images")});
    if (!timing)
        return timing.error();
    TrainingEstimate estimate;
    estimate.secondsPerStep = timing->secondsPerStep;
    estimate.measuredSteps = timing->measuredSteps;
    estimate.stepsPerEpoch = m_trainLoader->batchesPerEpoch();
    estimate.epochs = m_request.epochs;
    estimate.trainSamples = qint64(m_data.train.size());
    estimate.validationSamples = qint64(m_data.validation.size());
    estimate.device = m_context.device();
    estimate.complete(m_request.batchSize);
    estimate.how = QStringLiteral("%1 of %2 at %3 px, %4 training images")
                       .arg(ml::countedBatches(timing->measuredSteps), m_architecture)
                       .arg(m_imageSize)
                       .arg(estimate.trainSamples);
    return estimate;
}

void ClassifierTrainer::completeOutcome()
{
    m_outcome.classes = m_data.classes();
    m_outcome.testSamples = m_data.test;
    m_outcome.bestValAccuracy = m_training->bestValue();
    m_outcome.skipped += m_epochs.skipped;
    m_outcome.imagesPerSecond = m_epochs.throughput();
}

Result<void> ClassifierTrainer::prepareData()
{
    m_context.setProgress(0, 0, QStringLiteral("reading the dataset"));
    Result<TrainingData> data = TrainingData::load(m_request, m_context);
    if (!data)
        return data.error();
    m_data = std::move(data).value();
    if (m_context.isCancelled())
        return failure(QStringLiteral("cancelled before training started"));

    if (!m_request.parentDir.isEmpty()) {
        Result<ClassifierModule> parent = readClassifierModule(m_request.parentDir);
        if (!parent)
            return Error{QStringLiteral("cannot re-train from %1: %2").arg(m_request.parentDir, parent.error().message),
                         QStringLiteral("parent")};
        m_parent = std::move(parent).value();
        if (m_parent->architecture == onnxArchitecture())
            return failure(
                QStringLiteral("the module %1 is an ONNX graph run by OpenCV, which cannot train it: re-train "
                               "the module it was exported from, or start from a workbench architecture")
                    .arg(m_parent->manifest.id),
                QStringLiteral("parent"));
        if (m_parent->height != m_parent->width)
            return failure(
                QStringLiteral("the parent module takes %1×%2 px images; re-training supports square inputs only")
                    .arg(m_parent->width)
                    .arg(m_parent->height),
                QStringLiteral("parent"));
        if (m_request.architecture != m_parent->architecture)
            m_context.log(QStringLiteral("re-training keeps the parent's architecture %1").arg(m_parent->architecture));
    }
    m_architecture = m_parent ? m_parent->architecture : m_request.architecture;
    m_channels = m_parent ? m_parent->channels : m_request.channels > 0 ? m_request.channels : m_data.allGrey() ? 1 : 3;
    m_imageSize = m_parent                                      ? m_parent->width
                  : m_request.imageSize > 0                     ? m_request.imageSize
                  : m_architecture == QLatin1String("smallcnn") ? 28
                                                                : 224;
    // A TorchScript parent was checked at its own input size when it was imported.
    const int64_t minimum =
        m_architecture == torchScriptArchitecture() ? 1 : minImageSize(m_architecture.toStdString());
    if (minimum == 0) {
        QStringList known;
        for (const std::string &name : architectures())
            known << QString::fromStdString(name);
        return failure(QStringLiteral("unknown architecture \"%1\": use one of %2")
                           .arg(m_architecture, known.join(QStringLiteral(", "))),
                       QStringLiteral("arch"));
    }
    if (m_imageSize < minimum)
        return failure(QStringLiteral("%1 needs images of at least %2 px (got --image-size %3)")
                           .arg(m_architecture)
                           .arg(minimum)
                           .arg(m_imageSize),
                       QStringLiteral("image-size"));

    if (Result<void> ok = resolveStart(); !ok)
        return ok.error();

    PipelineOptions pipeline;
    pipeline.width = pipeline.height = m_imageSize;
    pipeline.channels = m_channels;
    if (!m_start.mean.empty()) {  // pretrained weights expect the normalisation they were trained with
        for (double m : m_start.mean)
            m_normalization.mean.push_back(static_cast<float>(m));
        for (double s : m_start.std)
            m_normalization.std.push_back(static_cast<float>(s));
    } else if (m_parent) {  // the parent's features expect its inputs (none: [0, 1])
        for (double m : m_parent->mean)
            m_normalization.mean.push_back(static_cast<float>(m));
        for (double s : m_parent->std)
            m_normalization.std.push_back(static_cast<float>(s));
    } else if (m_estimating) {
        // The time of a batch does not depend on the normalisation: [0, 1] inputs.
    } else if (!m_request.resume || !QFileInfo::exists(checkpointPath(m_request.moduleDir))) {
        m_context.setProgress(0, 0, QStringLiteral("computing the normalisation"));
        NormalizationEstimator::Options options;
        options.seed = m_request.seed;
        options.threads = m_request.workers;
        Result<Normalization> estimated = NormalizationEstimator::estimate(m_data.trainPaths(), pipeline, options);
        if (!estimated)
            return estimated.error();
        m_normalization = estimated.value();
    }  // else: from the checkpoint (resume())
    return success();
}

Result<void> ClassifierTrainer::resolveStart()
{
    m_start = PretrainedStart{};
    if (m_parent) {
        m_start.kind = QStringLiteral("module");
        m_start.record = QJsonObject{{QStringLiteral("kind"), QStringLiteral("module")},
                                     {QStringLiteral("module"), m_parent->manifest.id}};
        return success();
    }
    if (m_estimating) {  // pretrained weights take as long per batch as random ones: nothing is fetched
        if (m_request.init != QLatin1String("random"))
            m_start.kind = QStringLiteral("estimate");
        else if (m_request.freeze != QLatin1String("full"))
            return failure(QStringLiteral("freeze mode \"%1\" needs pretrained weights, but the network starts from "
                                          "random weights: use freeze full, or --init imagenet / a weights file / a "
                                          "module")
                               .arg(m_request.freeze),
                           QStringLiteral("freeze"));
        return success();
    }
    const QString path = checkpointPath(m_request.moduleDir);
    if (m_request.resume && QFileInfo::exists(path)) {
        // The run started from somewhere already: the checkpoint holds the weights since.
        Result<ml::CheckpointData> peek = ml::TrainingCheckpoint::peek(path);
        if (!peek)
            return peek.error();
        m_start.record = peek->meta.value(QStringLiteral("initialization")).toObject();
        m_start.kind = m_start.record.value(QStringLiteral("kind")).toString(QStringLiteral("random"));
        return success();
    }
    m_context.setProgress(0, 0, QStringLiteral("preparing the initial weights"));
    Result<PretrainedStart> start = resolvePretrainedStart(m_request.init, m_architecture, m_channels, m_context);
    if (!start)
        return start.error();
    m_start = std::move(start).value();
    if (!m_start.pretrained() && m_request.freeze != QLatin1String("full"))
        return failure(QStringLiteral("freeze mode \"%1\" needs pretrained weights, but the network starts from random "
                                      "weights: use freeze full, or --init imagenet / a weights file / a module")
                           .arg(m_request.freeze),
                       QStringLiteral("freeze"));
    return success();
}

Result<void> ClassifierTrainer::prepareModel()
{
    // Initialisation and dropout draw from LibTorch's generators: seeded, they make runs repeatable.
    ml::RandomState::seed(m_request.seed);
    ModelSpec spec{m_architecture.toStdString(), m_channels, m_data.dataset.classCount(), m_imageSize};
    const bool pretrained = m_start.kind != QStringLiteral("random");
    Result<ClassifierSetup> setup = ClassifierSetup::create(
        spec, m_parent, pretrained ? m_request.freeze : QStringLiteral("full"), m_data.classes(), pretrained);
    if (!setup)
        return setup.error();
    m_setup = std::move(setup).value();
    if (!m_parent && !m_start.weightsPath.isEmpty()) {
        if (Result<void> loaded = loadBackbone(*m_setup->model(), m_start.weightsPath); !loaded)
            return loaded.error();
    }
    m_device->prepare(*m_setup->model());

    ml::OptimizerSettings settings;
    settings.kind = m_request.optimizer;
    settings.learningRate = m_request.learningRate;
    settings.weightDecay = m_request.weightDecay;
    Result<std::unique_ptr<ml::GroupedOptimizer>> optimizer =
        ml::GroupedOptimizer::create(m_setup->parameterGroups(), settings);
    if (!optimizer)
        return optimizer.error();
    m_optimizer = std::move(optimizer).value();

    torch::Tensor weights;
    if (m_request.balancedClassWeights)
        weights = ml::ClassificationLoss::balancedWeights(m_data.trainCountsPerClass());
    m_loss.emplace(weights, m_request.labelSmoothing);
    m_loss->to(m_device->device());

    createTraining({.monitored = QStringLiteral("val_accuracy"),
                    .higherIsBetter = true,
                    .unit = QStringLiteral("images"),
                    .checkpointPath = checkpointPath(m_request.moduleDir),
                    .mustMatch = {QStringLiteral("classes"), QStringLiteral("architecture"), QStringLiteral("channels"),
                                  QStringLiteral("image_size"), QStringLiteral("optimizer"), QStringLiteral("freeze"),
                                  QStringLiteral("parent")}});

    m_context.log(
        QStringLiteral("network %1: %2 channels, %3 px, %4 classes, %5 parameters (%6 trained%7); %8 with lr %9 "
                       "on %10")
            .arg(m_architecture)
            .arg(m_channels)
            .arg(m_imageSize)
            .arg(m_data.dataset.classCount())
            .arg(m_setup->parameterCount())
            .arg(m_setup->trainableCount())
            .arg(
                m_parent
                    ? QStringLiteral(", re-trained from %1 with freeze %2").arg(m_parent->manifest.id, m_request.freeze)
                : pretrained ? QStringLiteral(", from %1 weights with freeze %2").arg(m_start.kind, m_request.freeze)
                             : QString())
            .arg(m_request.optimizer)
            .arg(m_request.learningRate)
            .arg(m_device->describe()));
    return success();
}

QJsonObject ClassifierTrainer::checkpointMeta() const
{
    return {{QStringLiteral("normalisation"), m_normalization.toJson()},
            {QStringLiteral("classes"), QJsonArray::fromStringList(m_data.classes())},
            {QStringLiteral("architecture"), m_architecture},
            {QStringLiteral("channels"), m_channels},
            {QStringLiteral("image_size"), m_imageSize},
            {QStringLiteral("optimizer"), m_request.optimizer},
            {QStringLiteral("freeze"),
             m_start.kind != QStringLiteral("random") ? m_request.freeze : QStringLiteral("full")},
            {QStringLiteral("initialization"), m_start.record},
            {QStringLiteral("parent"), m_parent ? m_parent->manifest.id : QString()},
            {QStringLiteral("data_hash"), m_data.dataset.dataHash()},
            {QStringLiteral("seed"), QString::number(m_request.seed)}};
}

Result<void> ClassifierTrainer::resume()
{
    if (Result<void> ok = m_training->resume(*this); !ok)
        return ok;
    if (m_request.resume)
        m_device->prepare(*m_setup->model());  // loaded tensors come contiguous
    return success();
}

Result<void> ClassifierTrainer::resumed(const QJsonObject &meta)
{
    if (meta.value(QStringLiteral("data_hash")) != m_data.dataset.dataHash())
        m_context.log(QStringLiteral("warning: the dataset changed since the checkpoint was written; resuming anyway"));
    if (!m_parent) {
        Result<Normalization> normalization =
            Normalization::fromJson(meta.value(QStringLiteral("normalisation")).toObject());
        if (!normalization)
            return normalization.error();
        m_normalization = normalization.value();
    }
    return success();
}

ml::NamedTensors ClassifierTrainer::snapshot()
{
    ml::NamedTensors best;
    for (const auto &[name, tensor] : stateDict(*m_setup->model()))
        best.emplace_back(name, tensor.detach().clone());
    return best;
}

Result<void> ClassifierTrainer::restore(const ml::NamedTensors &state)
{
    std::string error;
    if (!applyStateDict(*m_setup->model(), state, &error))
        return failure(
            QStringLiteral("cannot restore the best epoch's weights: %1").arg(QString::fromStdString(error)));
    return success();
}

Result<void> ClassifierTrainer::prepareLoaders()
{
    PipelineOptions pipeline;
    pipeline.width = pipeline.height = m_imageSize;
    pipeline.channels = m_channels;
    pipeline.normalization = m_normalization;
    pipeline.augmentation = augmentationFor(m_request.augment, m_imageSize);
    if (Result<void> ok = ImagePipeline::check(pipeline); !ok)
        return ok.error();

    LoaderOptions options;
    options.batchSize = m_request.batchSize;
    options.threads = m_request.workers > 0 ? m_request.workers : std::max(1, QThread::idealThreadCount());
    options.prefetch = std::max(4, 2 * options.threads);
    options.seed = m_request.seed;
    options.channelsLast = m_device->channelsLast();
    options.pinMemory = m_device->pinMemory();
    options.shard = ml::DistributedGroup::currentShard();  // training only; every rank validates on all
    m_trainLoader = std::make_unique<BatchLoader>(m_data.train, ImagePipeline(pipeline), options);
    options.shard = {};
    options.shuffle = false;
    options.augment = false;
    m_valLoader = std::make_unique<BatchLoader>(m_data.validation, ImagePipeline(pipeline), options);

    const qint64 batches = m_trainLoader->batchesPerEpoch();
    m_schedule.kind = m_request.schedule;
    m_schedule.baseLr = m_request.learningRate;
    m_schedule.totalSteps = static_cast<qint64>(m_request.epochs) * batches;
    m_schedule.warmupSteps = std::llround(m_request.warmupEpochs * static_cast<double>(batches));
    m_schedule.stepSize = std::max(1, m_request.epochs / 3) * batches;
    if (const QString problem = lrScheduleProblem(m_schedule); !problem.isEmpty())
        return failure(problem, QStringLiteral("schedule"));
    m_runner.emplace(*m_setup, *m_optimizer, *m_loss, *m_device, m_schedule, m_context);
    return success();
}

Result<ml::PassResult> ClassifierTrainer::trainEpoch(int epoch, ml::StepReporter &steps)
{
    Result<PassStats> trained = m_runner->train(*m_trainLoader, epoch, steps);
    if (!trained)
        return trained.error();
    return ml::PassResult{
        {{QStringLiteral("train_loss"), trained->loss, false}, {QStringLiteral("train_accuracy"), trained->top1, true}},
        trained->images,
        trained->skipped,
        trained->seconds,
        trained->lastLr,
        trained->cancelled};
}

Result<ml::PassResult> ClassifierTrainer::validate(int epoch)
{
    Result<PassStats> validated = m_runner->evaluate(*m_valLoader, epoch, QStringLiteral("val"));
    if (!validated)
        return validated.error();
    return ml::PassResult{
        {{QStringLiteral("val_loss"), validated->loss, false}, {QStringLiteral("val_accuracy"), validated->top1, true}},
        validated->images,
        validated->skipped,
        validated->seconds,
        0.0,
        validated->cancelled};
}

Result<void> ClassifierTrainer::finish()
{
    ClassifierImpl &model = *m_setup->model();
    if (Result<void> restored = m_training->restoreBest(*this); !restored)
        return restored;
    TrainingHistory &history = m_training->history();
    history.setStopped(m_outcome.stopped);
    const int bestEpoch = m_training->stopping().bestEpoch();

    QJsonObject metrics{{QStringLiteral("best_epoch"), bestEpoch},
                        {QStringLiteral("epochs_run"), m_outcome.epochsRun},
                        {QStringLiteral("val_top1"), m_training->bestValue()}};
    if (const EpochRecord *best = history.record(bestEpoch)) {
        metrics.insert(QStringLiteral("val_loss"), best->valLoss);
        metrics.insert(QStringLiteral("train_top1"), best->trainAccuracy);
        metrics.insert(QStringLiteral("train_loss"), best->trainLoss);
    }
    if (!m_data.test.empty()) {
        m_context.setProgress(0, 0, QStringLiteral("testing the best model"));
        BatchLoader testLoader(m_data.test, m_valLoader->pipeline(), m_valLoader->options());
        Result<PassStats> tested = m_runner->evaluate(testLoader, 1, QStringLiteral("test"));
        if (!tested)
            return tested.error();
        if (tested->cancelled) {
            m_outcome.stopped = TrainingHistory::stoppedCancelled();
            return success();
        }
        m_outcome.testTop1 = tested->top1;
        m_outcome.testTop5 = tested->top5;
        metrics.insert(QStringLiteral("test_top1"), tested->top1);
        metrics.insert(QStringLiteral("test_top5"), tested->top5);
        metrics.insert(QStringLiteral("test_loss"), tested->loss);
        m_context.log(QStringLiteral("test (%1 images, best epoch %2): top-1 %3 %, top-5 %4 %")
                          .arg(tested->images)
                          .arg(bestEpoch)
                          .arg(100.0 * tested->top1, 0, 'f', 2)
                          .arg(100.0 * tested->top5, 0, 'f', 2));
    }
    metrics.insert(QStringLiteral("images_per_second"), m_outcome.imagesPerSecond);

    TrainedModule trained;
    trained.request = &m_request;
    trained.data = &m_data;
    trained.model = &model;
    trained.channels = m_channels;
    trained.imageSize = m_imageSize;
    trained.normalization = m_normalization;
    trained.history = history;
    trained.metrics = metrics;
    trained.parentId = m_parent ? m_parent->manifest.id : QString();
    trained.freeze = m_start.kind != QStringLiteral("random") ? m_request.freeze : QStringLiteral("full");
    trained.initialization = m_start.record;
    trained.precision = ml::precisionName(m_device->precision());
    return TrainedModuleWriter::write(trained);
}

}  // namespace

Result<TrainingEstimate> estimateClassifierTraining(const TrainRequest &request, JobContext &context)
{
    TrainRequest probe = request;
    probe.resume = false;
    probe.stopAfterEpoch = 0;
    return ml::catchTorchErrors<TrainingEstimate>(
        [&] { return ClassifierTrainer(probe, context).estimate(); }, QStringLiteral("the time estimate"),
        QStringLiteral("lower the batch size or the image size"), QStringLiteral("batch"));
}

Result<TrainOutcome> trainClassifier(const TrainRequest &request, JobContext &context)
{
    return ml::catchTorchErrors<TrainOutcome>(
        [&] { return ClassifierTrainer(request, context).run(); }, QStringLiteral("training"),
        QStringLiteral("lower the batch size or the image size"), QStringLiteral("batch"));
}

}  // namespace dw::imageclass
