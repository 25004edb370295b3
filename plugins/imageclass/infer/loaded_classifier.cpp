#include "plugins/imageclass/infer/loaded_classifier.h"

#include "core/onnx/onnx_module_import.h"
#include "plugins/imageclass/models/onnx_classifier.h"

#include "core/ml/device_service.h"
#include "core/ml/torch/script_module.h"
#include "core/ml/torch_compat.h"
#include "plugins/imageclass/infer/grad_cam.h"
#include "plugins/imageclass/infer/tta_views.h"
#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/network_loader.h"
#include "plugins/imageclass/models/state_dict.h"

#include <QStringList>

#include <algorithm>

namespace dw::imageclass {
namespace {

QString torchMessage(const c10::Error &e)
{
    return QString::fromStdString(e.what_without_backtrace());
}

// The mismatch list of a strict load can name hundreds of tensors; the first few say enough.
QString firstLines(const std::string &text, int count)
{
    const QStringList lines = QString::fromStdString(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QStringList shown = lines.mid(0, count);
    if (lines.size() > count)
        shown << QStringLiteral("... and %1 more").arg(lines.size() - count);
    return shown.join(QStringLiteral("; "));
}

}  // namespace

PipelineOptions evaluationPipelineOptions(const ClassifierModule &module)
{
    PipelineOptions options;
    options.width = module.width;
    options.height = module.height;
    options.channels = module.channels;
    options.augmentation = AugmentationOptions::none();
    for (size_t c = 0; c < module.mean.size() && c < module.std.size(); ++c) {
        options.normalization.mean.push_back(static_cast<float>(module.mean[c]));
        options.normalization.std.push_back(static_cast<float>(module.std[c]));
    }
    const double ratio = module.manifest.inputs.value(QStringLiteral("eval_resize_ratio")).toDouble(1.0);
    options.evalResizeRatio = ratio >= 1.0 && ratio <= 4.0 ? ratio : 1.0;
    return options;
}

LoadedClassifier::LoadedClassifier(ClassifierModule module, std::shared_ptr<ClassifierImpl> model,
                                   ImagePipeline pipeline, torch::Device device)
    : m_module(std::move(module)), m_model(std::move(model)), m_pipeline(std::move(pipeline)), m_device(device)
{}

QString LoadedClassifier::deviceName() const
{
    return QString::fromStdString(m_device.str());
}

Result<std::shared_ptr<LoadedClassifier>> LoadedClassifier::load(const QString &moduleDir, const QString &device)
{
    Result<ClassifierModule> module = readClassifierModule(moduleDir);
    if (!module)
        return module.error();
    Result<QString> resolved = DeviceService::resolve(device);
    if (!resolved)
        return resolved.error();
    DeviceService::configureThreads();

    const PipelineOptions options = evaluationPipelineOptions(*module);
    if (Result<void> ok = ImagePipeline::check(options); !ok)
        return failure(QStringLiteral("module %1: %2").arg(module->manifest.id, ok.error().message), ok.error().field);

    const QString name = module->manifest.id;
    try {
        ModelSpec spec;
        spec.architecture = module->architecture.toStdString();
        spec.inChannels = module->channels;
        spec.numClasses = module->labels.size();
        spec.imageSize = std::min(module->height, module->width);
        std::string error;
        std::shared_ptr<ClassifierImpl> model;
        if (module->architecture == onnxArchitecture()) {
            model = OnnxClassifierImpl::load(module->weightsPath().toStdString(), spec, &error);
            if (!model)
                return failure(QStringLiteral("module %1: %2").arg(name, QString::fromStdString(error)),
                               QStringLiteral("weights.file"));
        } else if (spec.architecture == kTorchScriptArchitecture) {
            model = loadNetwork(spec, module->weightsPath().toStdString(), &error);
            if (!model)
                return failure(QStringLiteral("module %1: %2").arg(name, QString::fromStdString(error)),
                               QStringLiteral("weights.file"));
        } else {
            model = createModel(spec, &error);
            if (!model)
                return failure(QStringLiteral("module %1: %2").arg(name, QString::fromStdString(error)),
                               QStringLiteral("architecture"));
            if (!loadStateDict(*model, module->weightsPath().toStdString(), &error, LoadOptions{true, {}}))
                return failure(
                    QStringLiteral("module %1: the weights in %2 do not fit a %3 with %4 input channels and %5 classes "
                                   "(as module.json describes it): %6. Was module.json edited or weights.pt replaced? "
                                   "Restore the module's own files or train it again.")
                        .arg(name, module->weightsPath(), module->architecture)
                        .arg(module->channels)
                        .arg(module->labels.size())
                        .arg(firstLines(error, 4)),
                    QStringLiteral("weights.file"));
        }
        const torch::Device target(resolved->toStdString());
        model->to(target);
        model->eval();
        return std::shared_ptr<LoadedClassifier>(
            new LoadedClassifier(std::move(module).value(), std::move(model), ImagePipeline(options), target));
    } catch (const c10::Error &e) {
        return failure(QStringLiteral("module %1 could not be loaded on %2: %3").arg(name, *resolved, torchMessage(e)));
    } catch (const std::exception &e) {
        return failure(QStringLiteral("module %1 could not be loaded on %2: %3")
                           .arg(name, *resolved, QString::fromLocal8Bit(e.what())));
    }
}

bool LoadedClassifier::runs(ml::Precision precision) const
{
    if (precision == ml::Precision::Fp32)
        return true;
    return m_device.is_cpu() && m_module.architecture != onnxArchitecture() &&
           m_module.architecture != QLatin1String(kTorchScriptArchitecture);
}

Result<torch::Tensor> LoadedClassifier::probabilities(const torch::Tensor &batch, int tta, ml::Precision precision)
{
    if (tta < 1 || tta > testTimeViewCount())
        return failure(QStringLiteral("test-time augmentation takes 1 to %1 views, not %2; 1 turns it off")
                           .arg(testTimeViewCount())
                           .arg(tta),
                       QStringLiteral("tta"));
    try {
        torch::InferenceMode inference;
        const bool bf16 = precision == ml::Precision::Bf16 && runs(precision);
        const auto layout = bf16 ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
        const torch::Tensor x = batch.to(m_device, torch::kFloat32).contiguous(layout);
        compat::AutocastGuard autocast(bf16, at::kBFloat16, at::kCPU);
        const auto softmax = [&](const torch::Tensor &in) {
            return torch::softmax(m_model->forward(in).to(torch::kFloat32), 1);
        };
        torch::Tensor sum = softmax(x);
        for (int view = 1; view < tta; ++view)
            sum += softmax(testTimeView(x, view).contiguous(layout));
        if (tta > 1)
            sum /= static_cast<double>(tta);
        return sum.to(torch::kCPU);
    } catch (const std::exception &e) {  // c10::Error, or a TorchScript model's own error
        return failure(QStringLiteral("the network failed on a batch of %1 images on %2: %3")
                           .arg(batch.defined() ? batch.size(0) : 0)
                           .arg(deviceName(), QString::fromStdString(ml::scriptErrorText(e))));
    }
}

Result<torch::Tensor> LoadedClassifier::gradCam(const torch::Tensor &batch, const torch::Tensor &classes,
                                                torch::Tensor *used)
{
    if (!m_model->differentiable())
        return failure(QStringLiteral("module %1 is an ONNX graph run by OpenCV, which gives no gradients: it has no "
                                      "heat maps. Predict without them, or use the module it was exported from.")
                           .arg(m_module.manifest.id));
    try {
        return gradCamMaps(*m_model, batch, classes, used);
    } catch (const std::exception &e) {  // c10::Error, or a TorchScript model's own error
        return failure(QStringLiteral("the Grad-CAM heat map could not be computed on %1: %2")
                           .arg(deviceName(), QString::fromStdString(ml::scriptErrorText(e))));
    }
}

}  // namespace dw::imageclass
