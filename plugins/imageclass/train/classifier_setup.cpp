#include "plugins/imageclass/train/classifier_setup.h"

#include "core/onnx/onnx_module_import.h"

#include "plugins/imageclass/models/model_factory.h"
#include "plugins/imageclass/models/network_loader.h"
#include "plugins/imageclass/models/state_dict.h"
#include "plugins/imageclass/models/torchscript_classifier.h"

namespace dw::imageclass {

namespace {
bool startsWithAny(const std::string &name, const std::vector<std::string> &prefixes)
{
    for (const std::string &prefix : prefixes) {
        if (name.rfind(prefix, 0) == 0)
            return true;
    }
    return false;
}

constexpr double kBackboneLrFactor = 0.1;
}  // namespace

// A TorchScript parent is its own network: loaded as it is, its outputs put in the order of
// the data's classes, which must be its labels.
Result<void> ClassifierSetup::setUpScriptParent(ClassifierSetup &setup, const ModelSpec &spec,
                                                const ClassifierModule &parent, const QStringList &classes)
{
    std::string error;
    setup.m_model = loadNetwork(spec, parent.weightsPath().toStdString(), &error);
    if (!setup.m_model)
        return failure(
            QStringLiteral("cannot load the parent module %1: %2").arg(parent.directory, QString::fromStdString(error)),
            QStringLiteral("parent"));
    if (classes.isEmpty() || classes == parent.labels)
        return success();
    QStringList missing, extra;
    for (const QString &label : parent.labels)
        if (!classes.contains(label))
            missing << label;
    for (const QString &label : classes)
        if (!parent.labels.contains(label))
            extra << label;
    if (!missing.isEmpty() || !extra.isEmpty())
        return failure(
            QStringLiteral(
                "a TorchScript module can only be fine-tuned on data with its own classes (%1); the data %2%3. "
                "Rename the class folders, or export a model for the new classes from PyTorch.")
                .arg(parent.labels.join(QStringLiteral(", ")),
                     extra.isEmpty()
                         ? QString()
                         : QStringLiteral("has classes it does not know: %1").arg(extra.join(QStringLiteral(", "))),
                     missing.isEmpty() ? QString()
                                       : QStringLiteral("%1lacks %2")
                                             .arg(extra.isEmpty() ? QString() : QStringLiteral("; and "))
                                             .arg(missing.join(QStringLiteral(", ")))),
            QStringLiteral("data"));
    std::vector<int64_t> order;
    for (const QString &label : classes)
        order.push_back(parent.labels.indexOf(label));
    auto *script = dynamic_cast<TorchScriptClassifierImpl *>(setup.m_model.get());
    if (!script || !script->permuteOutputs(order, &error))
        return failure(QStringLiteral("the data lists the classes in another order than the module (%1): %2")
                           .arg(parent.labels.join(QStringLiteral(", ")), QString::fromStdString(error)),
                       QStringLiteral("data"));
    return success();
}

Result<ClassifierSetup> ClassifierSetup::create(const ModelSpec &requested,
                                                const std::optional<ClassifierModule> &parent, const QString &freeze,
                                                const QStringList &classes, bool pretrained)
{
    ClassifierSetup setup;
    setup.m_freeze = freeze;
    setup.m_transfer = parent.has_value() || pretrained;
    ModelSpec spec = requested;
    if (parent) {
        spec.architecture = parent->architecture.toStdString();
        spec.inChannels = parent->channels;
        spec.numClasses = parent->labels.size();
        spec.imageSize = std::max(parent->height, parent->width);
    }
    if (parent && parent->architecture == onnxArchitecture())
        return failure(
            QStringLiteral("the module %1 is an ONNX graph run by OpenCV, which cannot train it: re-train the "
                           "module it was exported from, or start from a workbench architecture")
                .arg(parent->manifest.id),
            QStringLiteral("parent"));
    std::string error;
    if (parent && parent->architecture == torchScriptArchitecture()) {
        if (Result<void> ok = setUpScriptParent(setup, spec, *parent, classes); !ok)
            return ok.error();
    } else {
        setup.m_model = createModel(spec, &error);
        if (!setup.m_model)
            return failure(QStringLiteral("cannot build the network: %1").arg(QString::fromStdString(error)),
                           QStringLiteral("arch"));
    }
    if (parent && parent->architecture != torchScriptArchitecture()) {
        if (!loadStateDict(*setup.m_model, parent->weightsPath().toStdString(), &error))
            return failure(
                QStringLiteral("the weights of the parent module %1 do not fit its architecture %2 (%3 channels, "
                               "%4 classes): %5. The module folder is damaged or its module.json describes "
                               "another network; re-train the parent or fix module.json")
                    .arg(parent->directory, parent->architecture)
                    .arg(parent->channels)
                    .arg(parent->labels.size())
                    .arg(QString::fromStdString(error).replace(QLatin1Char('\n'), QStringLiteral("; "))),
                QStringLiteral("parent"));
        setup.m_model->replaceHead(requested.numClasses);
    }

    const std::string head = setup.m_model->headName() + ".";
    if (freeze != QLatin1String("full") && setup.m_model->headName().empty())
        return failure(
            QStringLiteral("freeze mode \"%1\" needs to know the network's classifier layer, which was not found in "
                           "this TorchScript model: use freeze full")
                .arg(freeze),
            QStringLiteral("freeze"));
    if (freeze == QLatin1String("head")) {
        setup.m_trainablePrefixes = {head};
    } else if (freeze == QLatin1String("partial")) {
        setup.m_trainablePrefixes = setup.m_model->lastStagePrefixes();
        setup.m_trainablePrefixes.push_back(head);
    }
    for (auto &item : setup.m_model->named_parameters())
        item.value().set_requires_grad(setup.isTrainable(item.key()));
    return setup;
}

bool ClassifierSetup::isTrainable(const std::string &name) const
{
    return m_trainablePrefixes.empty() || startsWithAny(name, m_trainablePrefixes);
}

std::vector<ml::ParameterGroup> ClassifierSetup::parameterGroups() const
{
    const std::string head = m_model->headName() + ".";
    // A pretrained backbone learns slowly so that fine-tuning does not wreck its features.
    const bool split = m_transfer && m_freeze == QLatin1String("full");
    ml::ParameterGroup backbone{"backbone", {}, split ? kBackboneLrFactor : 1.0};
    ml::ParameterGroup classifier{"head", {}, 1.0};
    for (const auto &item : m_model->named_parameters()) {
        if (!item.value().requires_grad())
            continue;
        if (item.key().rfind(head, 0) == 0)
            classifier.parameters.push_back(item.value());
        else
            backbone.parameters.push_back(item.value());
    }
    if (!split) {  // one group, in the network's parameter order
        ml::ParameterGroup all{"all", {}, 1.0};
        for (const auto &item : m_model->named_parameters()) {
            if (item.value().requires_grad())
                all.parameters.push_back(item.value());
        }
        return {all};
    }
    return {backbone, classifier};
}

void ClassifierSetup::setTrainingMode() const
{
    if (m_trainablePrefixes.empty()) {
        m_model->train(true);
        return;
    }
    m_model->train(false);
    for (const auto &item : m_model->named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
        if (startsWithAny(item.key() + ".", m_trainablePrefixes))
            item.value()->train(true);
    }
}

std::int64_t ClassifierSetup::trainableCount() const
{
    std::int64_t count = 0;
    for (const auto &p : m_model->parameters()) {
        if (p.requires_grad())
            count += p.numel();
    }
    return count;
}

std::int64_t ClassifierSetup::parameterCount() const
{
    std::int64_t count = 0;
    for (const auto &p : m_model->parameters())
        count += p.numel();
    return count;
}

}  // namespace dw::imageclass
