#include "plugins/imageclass/models/model_factory.h"

#include "plugins/imageclass/models/convnext.h"
#include "plugins/imageclass/models/efficientnet.h"
#include "plugins/imageclass/models/mobilenet_v2.h"
#include "plugins/imageclass/models/resnet.h"
#include "plugins/imageclass/models/small_cnn.h"

#include <c10/util/Exception.h>

namespace dw::imageclass {

namespace {
constexpr int64_t kMaxChannels = 1024;
constexpr int64_t kMaxClasses = 100000;
constexpr int64_t kMaxImageSize = 4096;

std::string joined(const std::vector<std::string> &names)
{
    std::string text;
    for (const std::string &name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

std::shared_ptr<ClassifierImpl> fail(std::string *error, std::string message)
{
    if (error)
        *error = std::move(message);
    return nullptr;
}
}  // namespace

std::vector<std::string> architectures()
{
    return {"smallcnn", "resnet18", "resnet34", "resnet50", "mobilenetv2", "efficientnet_b0", "convnext_tiny"};
}

int64_t minImageSize(const std::string &architecture)
{
    if (architecture == "smallcnn")
        return SmallCNNImpl::kMinImageSize;
    if (architecture == "mobilenetv2" || architecture == "efficientnet_b0" || architecture == "convnext_tiny" ||
        ResNetImpl::layoutFor(architecture))
        return 32;
    return 0;
}

std::shared_ptr<ClassifierImpl> createModel(const ModelSpec &spec, std::string *error)
{
    const int64_t minSize = minImageSize(spec.architecture);
    if (minSize == 0)
        return fail(error,
                    "Unknown architecture '" + spec.architecture + "': choose one of " + joined(architectures()) + ".");
    if (spec.inChannels < 1 || spec.inChannels > kMaxChannels)
        return fail(error, spec.architecture + ": " + std::to_string(spec.inChannels) +
                               " input channels is not possible; give 1 to " + std::to_string(kMaxChannels) +
                               " (1 for grey images, 3 for RGB).");
    if (spec.numClasses < 1 || spec.numClasses > kMaxClasses)
        return fail(error, spec.architecture + ": " + std::to_string(spec.numClasses) +
                               " classes is not possible; give 1 to " + std::to_string(kMaxClasses) + ".");
    if (spec.imageSize < minSize || spec.imageSize > kMaxImageSize)
        return fail(error, spec.architecture + " needs an image size from " + std::to_string(minSize) + " to " +
                               std::to_string(kMaxImageSize) + " pixels, got " + std::to_string(spec.imageSize) + ".");
    try {
        if (spec.architecture == "smallcnn")
            return std::make_shared<SmallCNNImpl>(spec);
        if (spec.architecture == "mobilenetv2")
            return std::make_shared<MobileNetV2Impl>(spec);
        if (spec.architecture == "efficientnet_b0")
            return std::make_shared<EfficientNetImpl>(spec);
        if (spec.architecture == "convnext_tiny")
            return std::make_shared<ConvNeXtImpl>(spec);
        return std::make_shared<ResNetImpl>(spec, *ResNetImpl::layoutFor(spec.architecture));
    } catch (const c10::Error &e) {  // out of memory, mostly
        return fail(error, spec.architecture + " could not be built: " + e.what_without_backtrace());
    } catch (const std::exception &e) {
        return fail(error, spec.architecture + " could not be built: " + e.what());
    }
}

}  // namespace dw::imageclass
