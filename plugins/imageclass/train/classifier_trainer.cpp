#include "plugins/imageclass/train/classifier_trainer.h"

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
#include "core/ml/early_stopping.h"
#include "core/ml/torch/classification_loss.h"
#include "core/ml/torch/grouped_optimizer.h"
#include "core/ml/torch/random_state.h"
#include "core/ml/torch/training_checkpoint.h"
#include "core/ml/torch/training_device.h"
#include "core/ml/training_history.h"

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

QString torchMessage(const c10::Error &error)
{
    return QString::fromStdString(error.what_without_backtrace()).section(QLatin1Char('\n'), 0, 0);
}

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

class ClassifierTrainer {
public:
    ClassifierTrainer(const TrainRequest &request, JobContext &context) : m_request(request), m_context(context) {}

    Result<TrainOutcome> run();

private:
    Result<void> prepareData();
    Result<void> resolveStart();
    Result<void> prepareModel();
    Result<void> resume();
    Result<void> trainEpochs();
    Result<void> finish();
    Result<void> saveCheckpoint(int epoch);
    QJsonObject checkpointMeta() const;
    void rememberBest();

    const TrainRequest &m_request;
    JobContext &m_context;
    std::optional<ml::TrainingDevice> m_device;
    TrainingData m_data;
    std::optional<ClassifierModule> m_parent;
    PretrainedStart m_start;  // without a parent: where the weights start
    int m_channels = 3, m_imageSize = 224;
    QString m_architecture;
    Normalization m_normalization;
    std::optional<ClassifierSetup> m_setup;
    std::unique_ptr<ml::GroupedOptimizer> m_optimizer;
    std::optional<ml::ClassificationLoss> m_loss;
    LrScheduleOptions m_schedule;
    std::unique_ptr<BatchLoader> m_trainLoader, m_valLoader;
    TrainingHistory m_history;
    EarlyStopping m_stopping;
    NamedTensors m_best;
    int m_startEpoch = 1;
    TrainOutcome m_outcome;
    double m_trainSeconds = 0.0;
    qint64 m_trainImages = 0;
};

Result<TrainOutcome> ClassifierTrainer::run()
{
    QElapsedTimer clock;
    clock.start();
    if (Result<void> ok = checkTrainRequest(m_request); !ok)
        return ok.error();
    Result<ml::TrainingDevice> device = ml::TrainingDevice::fromString(m_context.device());
    if (!device)
        return device.error();
    m_device = device.value();
    m_device->configure();

    for (auto step : {&ClassifierTrainer::prepareData, &ClassifierTrainer::prepareModel, &ClassifierTrainer::resume,
                      &ClassifierTrainer::trainEpochs}) {
        if (Result<void> ok = (this->*step)(); !ok)
            return ok.error();
    }
    m_outcome.moduleDir = QDir(m_request.moduleDir).absolutePath();
    m_outcome.classes = m_data.classes();
    m_outcome.testSamples = m_data.test;
    m_outcome.bestEpoch = m_stopping.bestEpoch();
    m_outcome.bestValAccuracy = m_stopping.bestValue();
    m_outcome.imagesPerSecond = m_trainSeconds > 0 ? static_cast<double>(m_trainImages) / m_trainSeconds : 0.0;
    if (m_outcome.stopped != TrainingHistory::stoppedCancelled()) {
        if (Result<void> ok = finish(); !ok)
            return ok.error();
    }
    m_outcome.seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    return m_outcome;
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
        if (m_parent->height != m_parent->width)
            return failure(QStringLiteral("the parent module takes %1×%2 px images; re-training supports square inputs only")
                               .arg(m_parent->width)
                               .arg(m_parent->height),
                           QStringLiteral("parent"));
        if (m_request.architecture != m_parent->architecture)
            m_context.log(QStringLiteral("re-training keeps the parent's architecture %1").arg(m_parent->architecture));
    }
    m_architecture = m_parent ? m_parent->architecture : m_request.architecture;
    m_channels = m_parent ? m_parent->channels : m_request.channels > 0 ? m_request.channels : m_data.allGrey() ? 1 : 3;
    m_imageSize = m_parent ? m_parent->width
                  : m_request.imageSize > 0 ? m_request.imageSize
                  : m_architecture == QLatin1String("smallcnn") ? 28
                                                                : 224;
    // A TorchScript parent was checked at its own input size when it was imported.
    const int64_t minimum = m_architecture == torchScriptArchitecture() ? 1 : minImageSize(m_architecture.toStdString());
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
    Result<ClassifierSetup> setup = ClassifierSetup::create(spec, m_parent, pretrained ? m_request.freeze : QStringLiteral("full"),
                                                            m_data.classes(), pretrained);
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
    Result<std::unique_ptr<ml::GroupedOptimizer>> optimizer = ml::GroupedOptimizer::create(m_setup->parameterGroups(), settings);
    if (!optimizer)
        return optimizer.error();
    m_optimizer = std::move(optimizer).value();

    torch::Tensor weights;
    if (m_request.balancedClassWeights)
        weights = ml::ClassificationLoss::balancedWeights(m_data.trainCountsPerClass());
    m_loss.emplace(weights, m_request.labelSmoothing);
    m_loss->to(m_device->device());
    m_stopping = EarlyStopping(m_request.patience);

    m_context.log(QStringLiteral("network %1: %2 channels, %3 px, %4 classes, %5 parameters (%6 trained%7); %8 with lr %9 "
                                 "on %10")
                      .arg(m_architecture)
                      .arg(m_channels)
                      .arg(m_imageSize)
                      .arg(m_data.dataset.classCount())
                      .arg(m_setup->parameterCount())
                      .arg(m_setup->trainableCount())
                      .arg(m_parent ? QStringLiteral(", re-trained from %1 with freeze %2")
                                          .arg(m_parent->manifest.id, m_request.freeze)
                          : pretrained ? QStringLiteral(", from %1 weights with freeze %2").arg(m_start.kind, m_request.freeze)
                                       : QString())
                      .arg(m_request.optimizer)
                      .arg(m_request.learningRate)
                      .arg(m_device->describe()));
    return success();
}

QJsonObject ClassifierTrainer::checkpointMeta() const
{
    return {{QStringLiteral("history"), m_history.toJson()},
            {QStringLiteral("early_stopping"), m_stopping.toJson()},
            {QStringLiteral("normalisation"), m_normalization.toJson()},
            {QStringLiteral("classes"), QJsonArray::fromStringList(m_data.classes())},
            {QStringLiteral("architecture"), m_architecture},
            {QStringLiteral("channels"), m_channels},
            {QStringLiteral("image_size"), m_imageSize},
            {QStringLiteral("optimizer"), m_request.optimizer},
            {QStringLiteral("freeze"), m_start.kind != QStringLiteral("random") ? m_request.freeze : QStringLiteral("full")},
            {QStringLiteral("initialization"), m_start.record},
            {QStringLiteral("parent"), m_parent ? m_parent->manifest.id : QString()},
            {QStringLiteral("data_hash"), m_data.dataset.dataHash()},
            {QStringLiteral("seed"), QString::number(m_request.seed)}};
}

Result<void> ClassifierTrainer::resume()
{
    if (!m_request.resume)
        return success();
    const QString path = checkpointPath(m_request.moduleDir);
    Result<ml::CheckpointData> peek = ml::TrainingCheckpoint::peek(path);
    if (!peek)
        return peek.error();
    const QJsonObject meta = peek->meta;
    const QJsonObject now = checkpointMeta();
    for (const char *key : {"classes", "architecture", "channels", "image_size", "optimizer", "freeze", "parent"}) {
        const QString name = QLatin1String(key);
        if (meta.value(name) != now.value(name))
            return failure(QStringLiteral("cannot resume from %1: it was trained with another %2 (%3, now %4); give the "
                                          "interrupted run's own options, or start over: delete the module folder (or choose another --name) and train without --resume")
                               .arg(path, QString(name).replace(QLatin1Char('_'), QLatin1Char(' ')),
                                    QString::fromUtf8(QJsonDocument(QJsonArray{meta.value(name)}).toJson(QJsonDocument::Compact)),
                                    QString::fromUtf8(QJsonDocument(QJsonArray{now.value(name)}).toJson(QJsonDocument::Compact))),
                           QStringLiteral("resume"));
    }
    if (meta.value(QStringLiteral("data_hash")) != now.value(QStringLiteral("data_hash")))
        m_context.log(QStringLiteral("warning: the dataset changed since the checkpoint was written; resuming anyway"));

    Result<ml::CheckpointData> loaded =
        ml::TrainingCheckpoint::load(path, *m_setup->model(), m_optimizer->optimizer(), m_device->device());
    if (!loaded)
        return loaded.error();
    m_device->prepare(*m_setup->model());  // loaded tensors come contiguous
    Result<TrainingHistory> history = TrainingHistory::fromJson(meta.value(QStringLiteral("history")).toObject());
    if (!history)
        return history.error();
    m_history = std::move(history).value();
    m_history.setStopped({});
    QJsonObject stopping = meta.value(QStringLiteral("early_stopping")).toObject();
    stopping.insert(QStringLiteral("patience"), m_request.patience);  // a resumed run may change the patience
    m_stopping = EarlyStopping::fromJson(stopping);
    if (!m_parent) {
        Result<Normalization> normalization = Normalization::fromJson(meta.value(QStringLiteral("normalisation")).toObject());
        if (!normalization)
            return normalization.error();
        m_normalization = normalization.value();
    }
    m_best = std::move(loaded->bestState);
    loaded->random.restore();
    m_startEpoch = loaded->epoch + 1;
    m_outcome.epochsRun = loaded->epoch;
    m_context.log(QStringLiteral("resuming after epoch %1 from %2").arg(loaded->epoch).arg(path));
    return success();
}

void ClassifierTrainer::rememberBest()
{
    m_best.clear();
    for (const auto &[name, tensor] : stateDict(*m_setup->model()))
        m_best.emplace_back(name, tensor.detach().clone());
}

Result<void> ClassifierTrainer::saveCheckpoint(int epoch)
{
    const QString path = checkpointPath(m_request.moduleDir);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return failure(QStringLiteral("cannot create the folder %1 for checkpoints: check the output path and permissions")
                           .arg(QFileInfo(path).absolutePath()),
                       QStringLiteral("output"));
    ml::CheckpointData data;
    data.epoch = epoch;
    data.meta = checkpointMeta();
    data.bestState = m_best;
    data.random = ml::RandomState::capture();
    return ml::TrainingCheckpoint::save(path, *m_setup->model(), m_optimizer->optimizer(), data);
}

Result<void> ClassifierTrainer::trainEpochs()
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
    m_trainLoader = std::make_unique<BatchLoader>(m_data.train, ImagePipeline(pipeline), options);
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

    EpochRunner runner(*m_setup, *m_optimizer, *m_loss, *m_device, m_schedule, m_context, m_request.epochs);
    m_outcome.stopped = TrainingHistory::stoppedCompleted();
    for (int epoch = m_startEpoch; epoch <= m_request.epochs; ++epoch) {
        Result<PassStats> trained = runner.train(*m_trainLoader, epoch);
        if (!trained)
            return trained.error();
        Result<PassStats> validated = trained->cancelled ? trained : runner.evaluate(*m_valLoader, epoch, QStringLiteral("val"));
        if (!validated)
            return validated.error();
        if (trained->cancelled || validated->cancelled) {
            m_outcome.stopped = TrainingHistory::stoppedCancelled();
            m_context.log(QStringLiteral("cancelled during epoch %1; the checkpoint of epoch %2 is kept for resuming")
                              .arg(epoch)
                              .arg(epoch - 1));
            return success();
        }
        m_trainSeconds += trained->seconds;
        m_trainImages += trained->images;
        m_outcome.skipped += trained->skipped + validated->skipped;

        EpochRecord record;
        record.epoch = epoch;
        record.trainLoss = trained->loss;
        record.trainAccuracy = trained->top1;
        record.valLoss = validated->loss;
        record.valAccuracy = validated->top1;
        record.lr = trained->lastLr;
        record.seconds = trained->seconds + validated->seconds;
        record.skipped = trained->skipped + validated->skipped;
        m_history.add(record);
        const bool improved = m_stopping.update(epoch, validated->top1);
        if (improved)
            rememberBest();
        m_history.setBestEpoch(m_stopping.bestEpoch());
        m_outcome.epochsRun = epoch;

        if (Result<void> saved = saveCheckpoint(epoch); !saved)
            return saved.error();
        m_context.log(QStringLiteral("epoch %1/%2: train loss %3, accuracy %4 %; val loss %5, accuracy %6 %%7; lr %8; "
                                     "%9 s (%10 images/s)%11")
                          .arg(epoch)
                          .arg(m_request.epochs)
                          .arg(trained->loss, 0, 'f', 4)
                          .arg(100.0 * trained->top1, 0, 'f', 2)
                          .arg(validated->loss, 0, 'f', 4)
                          .arg(100.0 * validated->top1, 0, 'f', 2)
                          .arg(improved ? QStringLiteral(" (best)") : QString())
                          .arg(trained->lastLr, 0, 'g', 3)
                          .arg(record.seconds, 0, 'f', 1)
                          .arg(trained->seconds > 0 ? static_cast<double>(trained->images) / trained->seconds : 0.0, 0, 'f', 0)
                          .arg(record.skipped > 0 ? QStringLiteral(", %1 unreadable images skipped").arg(record.skipped)
                                                  : QString()));
        if (m_request.stopAfterEpoch > 0 && epoch >= m_request.stopAfterEpoch && epoch < m_request.epochs) {
            m_outcome.stopped = TrainingHistory::stoppedCancelled();
            m_context.log(QStringLiteral("stopped after epoch %1 as asked; resume to continue").arg(epoch));
            return success();
        }
        if (m_stopping.shouldStop()) {
            m_outcome.stopped = TrainingHistory::stoppedEarly();
            m_context.log(QStringLiteral("early stopping: no better validation accuracy for %1 epochs; the best was "
                                         "epoch %2 (%3 %)")
                              .arg(m_stopping.patience())
                              .arg(m_stopping.bestEpoch())
                              .arg(100.0 * m_stopping.bestValue(), 0, 'f', 2));
            break;
        }
    }
    return success();
}

Result<void> ClassifierTrainer::finish()
{
    ClassifierImpl &model = *m_setup->model();
    if (!m_best.empty()) {
        std::string error;
        if (!applyStateDict(model, m_best, &error))
            return failure(QStringLiteral("cannot restore the best epoch's weights: %1").arg(QString::fromStdString(error)));
    }
    m_history.setStopped(m_outcome.stopped);

    QJsonObject metrics{{QStringLiteral("best_epoch"), m_stopping.bestEpoch()},
                        {QStringLiteral("epochs_run"), m_outcome.epochsRun},
                        {QStringLiteral("val_top1"), m_stopping.bestValue()}};
    if (const EpochRecord *best = m_history.record(m_stopping.bestEpoch())) {
        metrics.insert(QStringLiteral("val_loss"), best->valLoss);
        metrics.insert(QStringLiteral("train_top1"), best->trainAccuracy);
        metrics.insert(QStringLiteral("train_loss"), best->trainLoss);
    }
    if (!m_data.test.empty()) {
        m_context.setProgress(0, 0, QStringLiteral("testing the best model"));
        BatchLoader testLoader(m_data.test, m_valLoader->pipeline(), m_valLoader->options());
        EpochRunner runner(*m_setup, *m_optimizer, *m_loss, *m_device, m_schedule, m_context, m_request.epochs);
        Result<PassStats> tested = runner.evaluate(testLoader, 1, QStringLiteral("test"));
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
                          .arg(m_stopping.bestEpoch())
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
    trained.history = m_history;
    trained.metrics = metrics;
    trained.parentId = m_parent ? m_parent->manifest.id : QString();
    trained.freeze = m_start.kind != QStringLiteral("random") ? m_request.freeze : QStringLiteral("full");
    trained.initialization = m_start.record;
    return TrainedModuleWriter::write(trained);
}

}  // namespace

Result<TrainOutcome> trainClassifier(const TrainRequest &request, JobContext &context)
{
    try {
        ClassifierTrainer trainer(request, context);
        return trainer.run();
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("training failed in LibTorch: %1").arg(torchMessage(error)));
    } catch (const std::bad_alloc &) {
        return failure(QStringLiteral("training ran out of memory: lower the batch size or the image size"),
                       QStringLiteral("batch"));
    } catch (const std::exception &error) {
        return failure(QStringLiteral("training failed: %1").arg(QString::fromUtf8(error.what())));
    }
}

}  // namespace dw::imageclass
