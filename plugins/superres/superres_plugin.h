#pragma once
// The super-resolution task plugin: train a DSen2-style network on the user's own rasters by
// Wald's protocol (and score it against bicubic upsampling on the held-out rows), super-
// resolve a raster of any size into a georeferenced raster file, and evaluate a module on a
// raster by Wald's protocol. Loaded modules are kept between calls (by folder and device).
#include "core/task/loaded_model_cache.h"
#include "core/task/task_plugin.h"
#include "core/task/training_estimate.h"
#include "plugins/superres/superres_arguments.h"

#include <QObject>

#include <memory>

namespace dw::superres {

class LoadedSuperResolver;

class SuperResPlugin : public QObject, public TaskPlugin, public TrainingEstimator {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DW_TASK_PLUGIN_IID FILE "plugin.json")
    Q_INTERFACES(dw::TaskPlugin dw::TrainingEstimator)
public:
    SuperResPlugin();
    ~SuperResPlugin() override;

    TaskMetadata metadata() const override;
    ArgumentSchema trainArguments() const override { return SuperResArguments::train(); }
    ArgumentSchema predictArguments() const override { return SuperResArguments::predict(); }
    ArgumentSchema evaluateArguments() const override { return SuperResArguments::evaluate(); }
    ArgumentSchema importArguments() const override { return SuperResArguments::importTorchScript(); }

    Result<void> warm(const QString &moduleDirectory, JobContext &context) override;
    // JsonResult {"module", "id", "task", "architecture", "epochs_run", "best_epoch", "stopped",
    // "val_l1", "val_psnr", "bicubic_psnr", "seconds", "metrics" (what module.json stores:
    // psnr/ssim/sre of model and bicubic on the held-out rows, psnr_gain, per_band)}.
    Result<TaskResult> train(const QVariantMap &args, JobContext &context) override;
    // A few training batches of patches of these rasters timed on context.device().
    Result<TrainingEstimate> estimateTraining(const QVariantMap &args, JobContext &context) override;
    // RasterResult (see infer/raster_superresolution.h).
    Result<TaskResult> predict(const QVariantMap &args, JobContext &context) override;
    // JsonResult {"module", "raster", "roi", "scale", "bands": [...], "mean": {...}} (see
    // infer/wald_evaluation.h).
    Result<TaskResult> evaluate(const QVariantMap &args, JobContext &context) override;
    // A network scripted in PyTorch as a catalog module (architecture "torchscript").
    Result<TaskResult> importModel(const QVariantMap &args, JobContext &context) override;
    QStringList exportFormats() const override { return {QStringLiteral("onnx")}; }
    // ONNX (export/): the module's graph with its metadata, checked, written whole.
    Result<TaskResult> exportModel(const QVariantMap &args, JobContext &context) override;

private:
    LoadedModelCache<LoadedSuperResolver> m_models;
};

}  // namespace dw::superres
