#include "plugins/imageclass/imageclass_plugin.h"

#include "core/ml/distributed_session.h"
#include "core/task/export_request.h"
#include "core/task/precision_argument.h"
#include "plugins/imageclass/export/onnx_classifier_export.h"

#include "plugins/imageclass/classifier_cache.h"
#include "plugins/imageclass/data/image_dataset.h"
#include "plugins/imageclass/imageclass_arguments.h"
#include "plugins/imageclass/infer/classifier_evaluator.h"
#include "plugins/imageclass/infer/classifier_predictor.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/module/classifier_module.h"
#include "plugins/imageclass/train/classifier_trainer.h"
#include "plugins/imageclass/train/torchscript_import.h"

#include "core/task/training_preamble.h"
#include "core/util/file_commit.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace dw::imageclass {

using namespace Qt::StringLiterals;

namespace {

QString errorText(const std::exception &e)
{
    return QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0);
}

Result<void> writeJson(const QString &path, const QJsonObject &json)
{
    return writeFileAtomically(path, QJsonDocument(json).toJson(QJsonDocument::Indented), u"the file"_s);
}

// Evaluates the freshly trained module on its test images: evaluation.json and
// predictions.csv in the module folder, test_top1/test_top5 in its manifest.
Result<EvaluationReport> evaluateTrainedModule(ClassifierCache &cache, const TrainOutcome &outcome, JobContext &context)
{
    Result<std::shared_ptr<LoadedClassifier>> loaded = cache.get(outcome.moduleDir, context.device());
    if (!loaded)
        return loaded.error();
    context.log(u"evaluating the best model (epoch %1) on %2 test images"_s.arg(outcome.bestEpoch)
                    .arg(outcome.testSamples.size()));
    const QString predictions = QDir(outcome.moduleDir).filePath(u"predictions.csv"_s);
    Result<EvaluationReport> report =
        evaluateClassifier(**loaded, outcome.testSamples, outcome.classes, predictions, context);
    if (!report)
        return report;
    if (Result<void> written = writeJson(QDir(outcome.moduleDir).filePath(u"evaluation.json"_s), report->toJson());
        !written)
        return written.error();

    Result<ClassifierModule> module = readClassifierModule(outcome.moduleDir);
    if (!module)
        return module.error();
    module->manifest.metrics.insert(u"test_top1"_s, report->report.top1);
    module->manifest.metrics.insert(u"test_top5"_s, report->report.top5);
    module->manifest.metrics.insert(u"test_images"_s, report->evaluated);
    if (Result<void> written = writeClassifierModule(*module); !written)
        return written.error();
    return report;
}

}  // namespace

ImageClassPlugin::ImageClassPlugin() : m_cache(std::make_unique<ClassifierCache>())
{}

ImageClassPlugin::~ImageClassPlugin() = default;

TaskMetadata ImageClassPlugin::metadata() const
{
    QStringList archs;
    for (const std::string &name : architectures())
        archs << QString::fromStdString(name);
    return {imageClassificationTask(), u"Image classification"_s,
            u"Train, re-train, evaluate and run image classifiers: SmallCNN, ResNet-18/34/50, MobileNetV2, "
            "EfficientNet-B0 and ConvNeXt-Tiny."_s,
            u"0.1.0"_s, archs};
}

ArgumentSchema ImageClassPlugin::trainArguments() const
{
    return ImageClassArguments::train(metadata().architectures);
}

Result<TaskResult> ImageClassPlugin::importModel(const QVariantMap &args, JobContext &context)
{
    TorchScriptImport request;
    request.modelPath = args.value(u"model"_s).toString();
    request.labelsPath = args.value(u"labels"_s).toString();
    request.inputSize = args.value(u"input-size"_s, request.inputSize).toInt();
    request.channels = args.value(u"channels"_s, request.channels).toInt();
    request.normalization = args.value(u"normalization"_s, request.normalization).toString();
    request.moduleId = args.value(u"name"_s).toString();
    request.title = args.value(u"title"_s).toString();
    request.moduleDir = args.value(u"output"_s).toString();
    if (Result<void> folder = resolveModuleFolder(request.moduleDir); !folder)
        return folder.error();
    try {
        Result<QJsonObject> imported = importTorchScriptClassifier(request, context);
        if (!imported)
            return imported.error();
        return TaskResult(JsonResult{*imported});
    } catch (const std::exception &e) {
        return failure(u"the import failed: %1"_s.arg(errorText(e)));
    }
}

Result<void> ImageClassPlugin::warm(const QString &moduleDirectory, JobContext &context)
{
    try {
        Result<std::shared_ptr<LoadedClassifier>> loaded = m_cache->get(moduleDirectory, context.device());
        if (!loaded)
            return loaded.error();
        return success();
    } catch (const std::exception &e) {
        return failure(u"cannot load the module %1: %2"_s.arg(moduleDirectory, errorText(e)), u"module"_s);
    }
}

Result<TaskResult> ImageClassPlugin::train(const QVariantMap &args, JobContext &context)
{
    TrainRequest request = ImageClassArguments::trainRequest(args);
    if (Result<void> folder = resolveModuleFolder(request.moduleDir); !folder)
        return folder.error();
    if (!QFileInfo::exists(request.dataPath))
        return failure(u"the dataset %1 does not exist: give a folder of images (a folder per class), a folder with "
                       "split files or a CSV manifest"_s.arg(request.dataPath),
                       u"data"_s);
    if (request.title.isEmpty())
        request.title = request.moduleId;
    try {
        Result<TrainOutcome> trained = trainClassifier(request, context);
        if (!trained)
            return trained.error();
        const TrainOutcome &outcome = *trained;
        QJsonObject metrics{{u"val_top1"_s, outcome.bestValAccuracy}};
        QJsonObject result =
            trainedResultJson({outcome.moduleDir, request.moduleId, imageClassificationTask(), request.architecture,
                               outcome.epochsRun, outcome.bestEpoch, outcome.stopped, outcome.seconds});
        result.insert(u"classes"_s, QJsonArray::fromStringList(outcome.classes));
        result.insert(u"skipped"_s, outcome.skipped);
        result.insert(u"images_per_second"_s, outcome.imagesPerSecond);
        result.insert(u"test_images"_s, qint64(outcome.testSamples.size()));
        if (!request.parentDir.isEmpty()) {
            result.insert(u"parent"_s, request.parentDir);
            result.insert(u"freeze"_s, request.freeze);
        }
        // A cancelled run keeps its checkpoint; evaluating a half-trained model would only
        // write misleading numbers into the module.
        // A distributed run's other ranks leave the test (and the module) to rank 0.
        if (ml::isFollowerRank()) {
            result.insert(u"metrics"_s, metrics);
            return TaskResult(JsonResult{result});
        }
        if (outcome.stopped != u"cancelled"_s && !outcome.testSamples.empty()) {
            Result<EvaluationReport> evaluation = evaluateTrainedModule(*m_cache, outcome, context);
            if (!evaluation)
                return failure(
                    u"the training finished but the test evaluation failed: %1"_s.arg(evaluation.error().text()));
            metrics.insert(u"test_top1"_s, evaluation->report.top1);
            metrics.insert(u"test_top5"_s, evaluation->report.top5);
            // The images the scores are on: those that could be read, and how many could not.
            result.insert(u"test_images"_s, evaluation->evaluated);
            result.insert(u"test_skipped"_s, evaluation->skipped);
            result.insert(u"evaluation"_s, QDir(outcome.moduleDir).filePath(u"evaluation.json"_s));
            result.insert(u"predictions"_s, QDir(outcome.moduleDir).filePath(u"predictions.csv"_s));
        } else if (outcome.testSamples.empty()) {
            context.log(u"no test images (test-fraction 0 and no test split): the module has no test metrics"_s);
        }
        result.insert(u"metrics"_s, metrics);
        return TaskResult(JsonResult{result});
    } catch (const std::exception &e) {
        return failure(u"training failed: %1"_s.arg(errorText(e)));
    }
}

Result<TrainingEstimate> ImageClassPlugin::estimateTraining(const QVariantMap &args, JobContext &context)
{
    TrainRequest request = ImageClassArguments::trainRequest(args);
    if (request.moduleDir.isEmpty())  // nothing is written: any folder name will do
        request.moduleDir = QDir::temp().filePath(u"deepwb-estimate"_s);
    if (request.dataPath.isEmpty() || !QFileInfo::exists(request.dataPath))
        return failure(u"choose a dataset first (a folder of images, a folder per class)"_s, u"data"_s);
    try {
        return estimateClassifierTraining(request, context);
    } catch (const std::exception &e) {
        return failure(u"the time estimate failed: %1"_s.arg(errorText(e)));
    }
}

Result<TaskResult> ImageClassPlugin::predict(const QVariantMap &args, JobContext &context)
{
    const QString moduleDir = args.value(u"module"_s).toString();
    try {
        Result<std::shared_ptr<LoadedClassifier>> loaded = m_cache->get(moduleDir, context.device());
        if (!loaded)
            return loaded.error();
        PredictOptions options;
        options.top = args.value(u"top"_s, options.top).toInt();
        options.tta = args.value(u"tta"_s, options.tta).toInt();
        options.camDirectory = args.value(u"cam"_s).toString();
        options.camClass = args.value(u"cam-class"_s).toString();
        Result<ml::Precision> precision =
            precisionOfCall(args, (*loaded)->deviceName(), (*loaded)->runs(ml::Precision::Bf16), context);
        if (!precision)
            return precision.error();
        options.precision = *precision;
        PredictionSummary summary;
        Result<ClassificationResult> result =
            predictImages(**loaded, args.value(u"inputs"_s).toStringList(), options, context, &summary);
        if (!result)
            return result.error();
        if (summary.skipped > 0)
            context.log(u"%1 of %2 image(s) skipped: they could not be read"_s.arg(summary.skipped)
                            .arg(summary.skipped + summary.predicted));
        return TaskResult(std::move(result).value());
    } catch (const std::exception &e) {
        return failure(u"prediction failed: %1"_s.arg(errorText(e)));
    }
}

Result<TaskResult> ImageClassPlugin::evaluate(const QVariantMap &args, JobContext &context)
{
    const QString moduleDir = args.value(u"module"_s).toString();
    const QString dataPath = args.value(u"data"_s).toString();
    if (!QFileInfo::exists(dataPath))
        return failure(u"the dataset %1 does not exist: give labelled images (a folder per class, split files or a CSV "
                       "manifest)"_s.arg(dataPath),
                       u"data"_s);
    try {
        Result<std::shared_ptr<LoadedClassifier>> loaded = m_cache->get(moduleDir, context.device());
        if (!loaded)
            return loaded.error();
        Result<ImageDataset> dataset = ImageDataset::open(dataPath);
        if (!dataset)
            return Error::at(u"data"_s, dataset.error().text());
        // With a test split of its own the data says which images are for testing; the
        // others may well be the ones the module was trained on.
        std::vector<ImageSample> samples;
        for (const ImageSample &sample : dataset->samples()) {
            if (sample.subset == Subset::Test)
                samples.push_back(sample);
        }
        const bool testOnly = !samples.empty();
        if (!testOnly)
            samples = dataset->samples();
        context.log(u"evaluating %1 on %2 %3 of %4"_s.arg(QDir(moduleDir).dirName())
                        .arg(samples.size())
                        .arg(testOnly ? u"test images (the data's test split)"_s : u"images"_s)
                        .arg(dataPath));
        Result<ml::Precision> precision =
            precisionOfCall(args, (*loaded)->deviceName(), (*loaded)->runs(ml::Precision::Bf16), context);
        if (!precision)
            return precision.error();
        EvaluateOptions options;
        options.precision = *precision;
        Result<EvaluationReport> report = evaluateClassifier(**loaded, samples, dataset->classes(),
                                                             args.value(u"predictions"_s).toString(), context, options);
        if (!report)
            return report.error();
        QJsonObject json = report->toJson();
        json.insert(u"module"_s, (*loaded)->module().directory);
        json.insert(u"precision"_s, ml::precisionName(*precision));
        json.insert(u"data"_s, QFileInfo(dataPath).absoluteFilePath());
        json.insert(u"subset"_s, testOnly ? u"test"_s : u"all"_s);
        return TaskResult(JsonResult{json});
    } catch (const std::exception &e) {
        return failure(u"evaluation failed: %1"_s.arg(errorText(e)));
    }
}

Result<TaskResult> ImageClassPlugin::exportModel(const QVariantMap &args, JobContext &context)
{
    Q_UNUSED(context);  // one pass over the network: nothing to report or cancel on the way
    Result<ExportRequest> request = readExportRequest(args, exportFormats());
    if (!request)
        return request.error();
    return exportClassifierOnnx(request->module, request->output, request->foldNormalization);
}

}  // namespace dw::imageclass
