#include "plugins/imageclass/infer/grad_cam.h"

#include "core/ml/torch_compat.h"
#include "plugins/imageclass/infer/loaded_classifier.h"

#include <cstring>

namespace dw::imageclass {

namespace {

// The class scores and the map before upsampling (N×1×h×w), by Grad-CAM on the last feature
// map (in its HiResCAM form), or — for a network without one — by the gradient of the score
// with respect to the input pixels (largest over the channels, slightly smoothed:
// single-pixel gradients are noisy to look at).
torch::Tensor rawMaps(ClassifierImpl &model, const torch::Tensor &x, torch::Tensor &classes, torch::Tensor *used)
{
    const bool featureMap = model.hasFeatureMap();
    // Only what follows the leaf is differentiated: with a feature map the backbone keeps no
    // graph, and no parameter's .grad is touched either way (several threads may share the model).
    const torch::Tensor leaf = (featureMap ? model.features(x) : x).detach().requires_grad_(true);
    const torch::Tensor logits = featureMap ? model.head(leaf) : model.forward(leaf);
    classes = classes.defined() ? classes.to(x.device(), torch::kInt64).view({-1}) : logits.argmax(1);
    if (used)
        *used = classes.to(torch::kCPU);
    // Samples are independent in eval mode, so the sum's gradient is each sample's own.
    const torch::Tensor score = logits.gather(1, classes.view({-1, 1})).sum();
    const torch::Tensor gradient = torch::autograd::grad({score}, {leaf})[0];

    torch::NoGradGuard noGrad;
    if (!featureMap) {
        const torch::Tensor saliency = std::get<0>(gradient.abs().max(1, /*keepdim=*/true));
        return torch::avg_pool2d(saliency, {5, 5}, {1, 1}, {2, 2}, /*ceil_mode=*/false, /*count_include_pad=*/false);
    }
    // Each place's own gradient times its activation (HiResCAM, Draper et al. 2021) rather than
    // the channel's mean gradient of the first Grad-CAM: the same map for a network that pools
    // globally (ResNet and the others), but a head that keeps where things are (SmallCNN pools
    // to 4 x 4) weighs every place differently, and the mean left maps that were zero everywhere
    // (7 of the 8 ankle boots of the demo classifier).
    return torch::relu((gradient * leaf).sum(1, /*keepdim=*/true));
}

}  // namespace

torch::Tensor gradCamMaps(ClassifierImpl &model, const torch::Tensor &batch, torch::Tensor classes, torch::Tensor *used)
{
    // Grad-CAM needs a graph even when the caller runs without gradients.
    torch::AutoGradMode gradients(true);
    const torch::Device device = model.parameters().front().device();
    const torch::Tensor x = batch.to(device, torch::kFloat32).contiguous();
    torch::Tensor cam = rawMaps(model, x, classes, used);

    torch::NoGradGuard noGrad;
    namespace F = torch::nn::functional;
    cam = F::interpolate(cam, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{x.size(2), x.size(3)})
                                  .mode(torch::kBilinear)
                                  .align_corners(false))
              .squeeze(1);
    const int64_t n = cam.size(0);
    const torch::Tensor flat = cam.reshape({n, -1});
    const torch::Tensor low = std::get<0>(flat.min(1, true)).view({n, 1, 1});
    const torch::Tensor range = (std::get<0>(flat.max(1, true)).view({n, 1, 1}) - low);
    // A flat map (no positive evidence anywhere) stays 0 rather than dividing by zero.
    return torch::where(range > 1e-12, (cam - low) / range.clamp_min(1e-12), torch::zeros_like(cam)).clamp(0.0, 1.0);
}

cv::Mat camToMat(const torch::Tensor &map)
{
    const torch::Tensor cpu = map.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    cv::Mat out(static_cast<int>(cpu.size(0)), static_cast<int>(cpu.size(1)), CV_32F);
    std::memcpy(out.ptr<float>(), cpu.data_ptr<float>(), static_cast<size_t>(cpu.numel()) * sizeof(float));
    return out;
}

Result<cv::Mat> gradCamForImage(LoadedClassifier &classifier, const QString &path, int classIndex, int *usedClass)
{
    if (classIndex >= classifier.labels().size())
        return failure(QStringLiteral("class %1 does not exist; the module has %2 classes")
                           .arg(classIndex)
                           .arg(classifier.labels().size()));
    Result<cv::Mat> image = classifier.pipeline().load(path, false, 0);
    if (!image)
        return image.error();
    cv::Mat hwc = image->isContinuous() ? *image : image->clone();
    const torch::Tensor input =
        torch::from_blob(hwc.ptr<float>(), {1, hwc.rows, hwc.cols, hwc.channels()}, torch::kFloat32)
            .permute({0, 3, 1, 2})
            .contiguous();
    torch::Tensor classes;
    if (classIndex >= 0)
        classes = torch::full({1}, classIndex, torch::kInt64);
    torch::Tensor used;
    Result<torch::Tensor> maps = classifier.gradCam(input, classes, &used);
    if (!maps)
        return maps.error();
    if (usedClass)
        *usedClass = static_cast<int>(used[0].item<int64_t>());
    return camToMat(maps.value()[0]);
}

}  // namespace dw::imageclass
