#pragma once
// The image classification task plugin: train (from scratch or from a parent module),
// evaluate on labelled data and predict labels, over the parts in data/, models/, module/,
// train/ and infer/. Loaded classifiers are kept between predictions (by module folder
// and device), so a GUI or server answers the second request without reloading weights.
#include "core/task/task_plugin.h"
#include "core/task/training_estimate.h"
#include "plugins/imageclass/imageclass_arguments.h"

#include <QObject>

#include <memory>

namespace dw::imageclass {

class ClassifierCache;

class ImageClassPlugin : public QObject, public TaskPlugin, public TrainingEstimator {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DW_TASK_PLUGIN_IID FILE "plugin.json")
    Q_INTERFACES(dw::TaskPlugin dw::TrainingEstimator)
public:
    ImageClassPlugin();
    ~ImageClassPlugin() override;

    TaskMetadata metadata() const override;
    ArgumentSchema trainArguments() const override;
    ArgumentSchema predictArguments() const override { return ImageClassArguments::predict(); }
    ArgumentSchema evaluateArguments() const override { return ImageClassArguments::evaluate(); }

    Result<void> warm(const QString &moduleDirectory, JobContext &context) override;
    // Trains, then evaluates the best model on the test images: evaluation.json and
    // predictions.csv in the module, test_top1/test_top5 in its manifest.
    Result<TaskResult> train(const QVariantMap &args, JobContext &context) override;
    Result<TaskResult> predict(const QVariantMap &args, JobContext &context) override;
    Result<TaskResult> evaluate(const QVariantMap &args, JobContext &context) override;
    // A TorchScript classifier from PyTorch as a catalog module (architecture "torchscript").
    ArgumentSchema importArguments() const override { return ImageClassArguments::importTorchScript(); }
    Result<TaskResult> importModel(const QVariantMap &args, JobContext &context) override;
    // A few training batches of this dataset, network and image size timed on context.device().
    Result<TrainingEstimate> estimateTraining(const QVariantMap &args, JobContext &context) override;
    QStringList exportFormats() const override { return {QStringLiteral("onnx")}; }
    // ONNX (export/): the module's graph with its metadata, checked, written whole.
    Result<TaskResult> exportModel(const QVariantMap &args, JobContext &context) override;

private:
    std::unique_ptr<ClassifierCache> m_cache;
};

}  // namespace dw::imageclass
