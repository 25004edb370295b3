#pragma once
// The network of a training run: built fresh, or from a parent module for transfer
// learning (the parent's weights loaded, the head replaced for the new classes), and which
// of its parameters train: all (freeze "full"; with a parent the backbone at 0.1× the
// learning rate), the last stage and the head ("partial") or only the head ("head").
// Frozen layers also stay in evaluation mode, so that their batch-norm statistics keep the
// parent's values.
#include "core/ml/torch/grouped_optimizer.h"
#include "core/util/result.h"
#include "plugins/imageclass/models/classifier.h"
#include "plugins/imageclass/module/classifier_module.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dw::imageclass {

class ClassifierSetup {
public:
    // Seed torch's generators before calling: initialisation draws from them.
    // parent: the module to start from (its architecture, channels and size win over spec's).
    // classes: the data's class names; a TorchScript parent keeps its own head, so they must be
    // its labels (in any order: its outputs are put in the data's order).
    // pretrained (no parent): the caller loads pretrained weights into model() (loadBackbone(),
    // pretrained_start.h), so freeze modes and the slower backbone apply as with a parent.
    static Result<ClassifierSetup> create(const ModelSpec &spec, const std::optional<ClassifierModule> &parent,
                                          const QString &freeze, const QStringList &classes = {},
                                          bool pretrained = false);

    const std::shared_ptr<ClassifierImpl> &model() const { return m_model; }
    const QString &freeze() const { return m_freeze; }
    bool isTransfer() const { return m_transfer; }

    // The groups for the optimiser (only trainable parameters).
    std::vector<ml::ParameterGroup> parameterGroups() const;
    // train(): trainable layers in training mode, frozen ones in evaluation mode.
    void setTrainingMode() const;
    // Whether a parameter (by name) is trained.
    bool isTrainable(const std::string &name) const;
    std::int64_t trainableCount() const;
    std::int64_t parameterCount() const;

private:
    static Result<void> setUpScriptParent(ClassifierSetup &setup, const ModelSpec &spec, const ClassifierModule &parent,
                                          const QStringList &classes);

    std::shared_ptr<ClassifierImpl> m_model;
    QString m_freeze = QStringLiteral("full");
    bool m_transfer = false;
    std::vector<std::string> m_trainablePrefixes;  // empty: everything trains
};

}  // namespace dw::imageclass
