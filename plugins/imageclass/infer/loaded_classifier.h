#pragma once
// A trained classifier ready to use: the network (weights loaded, eval mode, on its device),
// the evaluation pipeline of its module (size, channels, normalisation) and its labels.
// Loaded once, it serves any number of predictions and evaluations; forward passes do not
// change it, so one LoadedClassifier may serve several threads at a time.
#include "core/ml/precision.h"
#include "core/util/result.h"
#include "plugins/imageclass/data/image_pipeline.h"
#include "plugins/imageclass/models/classifier.h"
#include "plugins/imageclass/module/classifier_module.h"

#include <QString>

#include <torch/types.h>

#include <memory>

namespace dw::imageclass {

class LoadedClassifier {
public:
    // readClassifierModule + createModel + the weights (strict: every tensor must fit) +
    // eval mode on the device ("cpu", "cuda", "cuda:N" or "auto").
    static Result<std::shared_ptr<LoadedClassifier>> load(const QString &moduleDir, const QString &device);

    const ClassifierModule &module() const { return m_module; }
    const QStringList &labels() const { return m_module.labels; }
    // The evaluation pipeline: resize, centre crop, normalisation of the module.
    const ImagePipeline &pipeline() const { return m_pipeline; }
    const torch::Device &device() const { return m_device; }
    QString deviceName() const;
    ClassifierImpl &model() { return *m_model; }

    // Softmax probabilities N×classes (on the CPU) of a batch of pipeline outputs
    // (N×C×H×W, float, normalised, any device). tta > 1 averages the softmax of the centre
    // view and tta - 1 fixed flips/crops of it (tta_views.h). Runs in inference mode; bf16 on
    // the CPU runs the network under bfloat16 autocast with channels-last images (a LibTorch
    // network only: ONNX and TorchScript modules stay fp32).
    Result<torch::Tensor> probabilities(const torch::Tensor &batch, int tta = 1,
                                        ml::Precision precision = ml::Precision::Fp32);
    // Whether probabilities() runs `precision` as asked on this module and device.
    bool runs(ml::Precision precision) const;

    // Grad-CAM maps N×H×W (CPU, float, each in [0, 1], H×W the input's size) for the given
    // classes (N int64), or for each sample's top class when classes is undefined (the
    // classes used go to *used when given).
    Result<torch::Tensor> gradCam(const torch::Tensor &batch, const torch::Tensor &classes = {},
                                  torch::Tensor *used = nullptr);

private:
    LoadedClassifier(ClassifierModule module, std::shared_ptr<ClassifierImpl> model, ImagePipeline pipeline,
                     torch::Device device);

    ClassifierModule m_module;
    std::shared_ptr<ClassifierImpl> m_model;
    ImagePipeline m_pipeline;
    torch::Device m_device;
};

// The evaluation pipeline options of a module (no augmentation; inputs.eval_resize_ratio
// when the module gives one).
PipelineOptions evaluationPipelineOptions(const ClassifierModule &module);

}  // namespace dw::imageclass
