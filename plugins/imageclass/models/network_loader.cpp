#include "plugins/imageclass/models/network_loader.h"

#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/models/torchscript_classifier.h"

namespace dw::imageclass {

std::shared_ptr<ClassifierImpl> loadNetwork(const ModelSpec &spec, const std::string &weightsPath, std::string *error)
{
    if (spec.architecture == kTorchScriptArchitecture)
        return TorchScriptClassifierImpl::load(weightsPath, spec, error);
    std::shared_ptr<ClassifierImpl> model = createModel(spec, error);
    if (!model)
        return nullptr;
    if (!loadStateDict(*model, weightsPath, error, LoadOptions{true, {}}))
        return nullptr;
    return model;
}

}  // namespace dw::imageclass
