#pragma once
// An optimiser (SGD with momentum, Adam, AdamW, NAdam) over parameter groups that each run at a
// fixed fraction of the scheduled learning rate, e.g. a pretrained backbone at 0.1× while
// a new head learns at full speed. The schedule sets the rate every step.
#include "core/util/result.h"

#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace dw::ml {

struct ParameterGroup {
    std::string name;  // for messages, e.g. "backbone", "head"
    std::vector<torch::Tensor> parameters;
    double lrFactor = 1.0;  // this group's rate = factor × scheduled rate
};

struct OptimizerSettings {
    QString kind = QStringLiteral("adamw");  // sgd | adam | adamw | nadam
    double learningRate = 1e-3;
    double weightDecay = 1e-4;  // AdamW: decoupled; SGD, Adam and NAdam: L2 added to the gradient
    double momentum = 0.9;      // SGD
    bool nesterov = true;       // SGD
};

class GroupedOptimizer {
public:
    // Groups without parameters are dropped; an error when none remain or the settings are
    // out of range. Parameters that do not require grad are left out (frozen).
    static Result<std::unique_ptr<GroupedOptimizer>> create(std::vector<ParameterGroup> groups,
                                                            const OptimizerSettings &settings);
    // One group ("network") of the given parameters: what a trainer without layer-wise rates
    // asks for (kind, lr and weight decay as the user gave them; the rest as in OptimizerSettings).
    static Result<std::unique_ptr<GroupedOptimizer>> forNetwork(const std::vector<torch::Tensor> &parameters,
                                                                const QString &kind, double learningRate,
                                                                double weightDecay);

    // Sets every group's rate to factor × lr.
    void setLearningRate(double lr);
    double learningRate(std::size_t group = 0) const;
    std::size_t groupCount() const { return m_factors.size(); }
    const std::vector<std::string> &groupNames() const { return m_names; }
    double lrFactor(std::size_t group) const { return m_factors.at(group); }
    std::int64_t parameterCount() const;  // scalars being trained

    void zeroGrad();
    // In a distributed run (DistributedGroup::active()) the gradients of every rank replaced by
    // their mean over the ranks (once per backward pass; a rank gone is the error). Call it
    // before anything that looks at the gradients (clipping); step() calls it otherwise.
    // Nothing outside a distributed run.
    Result<void> averageGradients();
    // One step, with the gradients averaged first in a distributed run.
    Result<void> step();
    torch::optim::Optimizer &optimizer() { return *m_optimizer; }
    const torch::optim::Optimizer &optimizer() const { return *m_optimizer; }
    const OptimizerSettings &settings() const { return m_settings; }

    static bool isKnownKind(const QString &kind);

private:
    GroupedOptimizer() = default;

    std::unique_ptr<torch::optim::Optimizer> m_optimizer;
    std::vector<double> m_factors;
    std::vector<std::string> m_names;
    OptimizerSettings m_settings;
    bool m_averaged = false;  // since the last zeroGrad()
};

}  // namespace dw::ml
