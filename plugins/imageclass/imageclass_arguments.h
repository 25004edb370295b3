#pragma once
// The image classification task's argument schemas (the CLI flags, the GUI forms and the
// REST parameters are generated from them) and the train arguments as a TrainRequest.
#include "core/task/argument_schema.h"
#include "plugins/imageclass/train/train_request.h"

#include <QStringList>
#include <QVariantMap>

namespace dw::imageclass {

class ImageClassArguments {
public:
    // architectures: the ones the plugin can build (model_factory's list).
    static ArgumentSchema train(const QStringList &architectures);
    static ArgumentSchema predict();
    static ArgumentSchema evaluate();
    // catalog import-torchscript: a TorchScript classifier brought from PyTorch.
    static ArgumentSchema importTorchScript();

    // args validated against train(): every field of the request under its argument name.
    static TrainRequest trainRequest(const QVariantMap &args);
};

}  // namespace dw::imageclass
