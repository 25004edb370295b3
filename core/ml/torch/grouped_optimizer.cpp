#include "core/ml/torch/grouped_optimizer.h"

#include "core/ml/distributed_group.h"

#include "core/ml/torch/nadam.h"
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include <cmath>

namespace dw::ml {

namespace {
std::unique_ptr<torch::optim::OptimizerOptions> optionsFor(const OptimizerSettings &settings)
{
    if (settings.kind == QLatin1String("sgd"))
        return std::make_unique<torch::optim::SGDOptions>(torch::optim::SGDOptions(settings.learningRate)
                                                              .momentum(settings.momentum)
                                                              .nesterov(settings.nesterov && settings.momentum > 0.0)
                                                              .weight_decay(settings.weightDecay));
    if (settings.kind == QLatin1String("nadam"))
        return std::make_unique<NAdamOptions>(NAdamOptions(settings.learningRate).weight_decay(settings.weightDecay));
    if (settings.kind == QLatin1String("adam"))
        return std::make_unique<torch::optim::AdamOptions>(
            torch::optim::AdamOptions(settings.learningRate).weight_decay(settings.weightDecay));
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(settings.learningRate).weight_decay(settings.weightDecay));
}
}  // namespace

bool GroupedOptimizer::isKnownKind(const QString &kind)
{
    return kind == QLatin1String("sgd") || kind == QLatin1String("adam") || kind == QLatin1String("adamw") ||
           kind == QLatin1String("nadam");
}

Result<std::unique_ptr<GroupedOptimizer>> GroupedOptimizer::forNetwork(const std::vector<torch::Tensor> &parameters,
                                                                       const QString &kind, double learningRate,
                                                                       double weightDecay)
{
    OptimizerSettings settings;
    settings.kind = kind;
    settings.learningRate = learningRate;
    settings.weightDecay = weightDecay;
    return create({ParameterGroup{"network", parameters, 1.0}}, settings);
}

Result<std::unique_ptr<GroupedOptimizer>> GroupedOptimizer::create(std::vector<ParameterGroup> groups,
                                                                   const OptimizerSettings &settings)
{
    if (!isKnownKind(settings.kind))
        return failure(QStringLiteral("unknown optimizer \"%1\": use sgd, adam, adamw or nadam").arg(settings.kind),
                       QStringLiteral("optimizer"));
    if (!(settings.learningRate > 0.0) || !std::isfinite(settings.learningRate))
        return failure(
            QStringLiteral("the learning rate must be a positive number (got %1)").arg(settings.learningRate),
            QStringLiteral("lr"));
    if (!(settings.weightDecay >= 0.0) || !std::isfinite(settings.weightDecay))
        return failure(QStringLiteral("the weight decay must be 0 or positive (got %1); 1e-4 is a common choice")
                           .arg(settings.weightDecay),
                       QStringLiteral("weight-decay"));
    if (settings.kind == QLatin1String("sgd") && !(settings.momentum >= 0.0 && settings.momentum < 1.0))
        return failure(QStringLiteral("SGD momentum must lie in [0, 1) (got %1)").arg(settings.momentum),
                       QStringLiteral("momentum"));

    std::unique_ptr<GroupedOptimizer> result(new GroupedOptimizer);
    result->m_settings = settings;
    std::vector<torch::optim::OptimizerParamGroup> paramGroups;
    for (ParameterGroup &group : groups) {
        std::vector<torch::Tensor> trainable;
        for (const torch::Tensor &p : group.parameters) {
            if (p.requires_grad())
                trainable.push_back(p);
        }
        if (trainable.empty())
            continue;
        auto options = optionsFor(settings);
        options->set_lr(settings.learningRate * group.lrFactor);
        paramGroups.emplace_back(std::move(trainable), std::move(options));
        result->m_factors.push_back(group.lrFactor);
        result->m_names.push_back(group.name);
    }
    if (paramGroups.empty())
        return failure(QStringLiteral("nothing to train: every parameter is frozen; use a freeze mode that trains "
                                      "at least the head"),
                       QStringLiteral("freeze"));

    try {
        if (settings.kind == QLatin1String("sgd"))
            result->m_optimizer = std::make_unique<torch::optim::SGD>(std::move(paramGroups),
                                                                      torch::optim::SGDOptions(settings.learningRate));
        else if (settings.kind == QLatin1String("nadam"))
            result->m_optimizer = std::make_unique<NAdam>(std::move(paramGroups), NAdamOptions(settings.learningRate));
        else if (settings.kind == QLatin1String("adam"))
            result->m_optimizer = std::make_unique<torch::optim::Adam>(
                std::move(paramGroups), torch::optim::AdamOptions(settings.learningRate));
        else
            result->m_optimizer = std::make_unique<torch::optim::AdamW>(
                std::move(paramGroups), torch::optim::AdamWOptions(settings.learningRate));
    } catch (const c10::Error &error) {
        return failure(QStringLiteral("cannot create the %1 optimizer: %2")
                           .arg(settings.kind, QString::fromStdString(error.what_without_backtrace())));
    }
    return result;
}

void GroupedOptimizer::setLearningRate(double lr)
{
    auto &groups = m_optimizer->param_groups();
    for (std::size_t i = 0; i < groups.size(); ++i)
        groups[i].options().set_lr(lr * m_factors[i]);
}

double GroupedOptimizer::learningRate(std::size_t group) const
{
    return m_optimizer->param_groups().at(group).options().get_lr();
}

std::int64_t GroupedOptimizer::parameterCount() const
{
    std::int64_t count = 0;
    for (const auto &group : m_optimizer->param_groups()) {
        for (const auto &p : group.params())
            count += p.numel();
    }
    return count;
}

void GroupedOptimizer::zeroGrad()
{
    m_optimizer->zero_grad();
    m_averaged = false;
}

Result<void> GroupedOptimizer::averageGradients()
{
    DistributedGroup *group = DistributedGroup::active();
    if (!group || m_averaged)
        return success();
    std::vector<torch::Tensor> parameters;
    for (const auto &g : m_optimizer->param_groups())
        parameters.insert(parameters.end(), g.params().begin(), g.params().end());
    if (Result<void> averaged = group->averageGradients(parameters); !averaged)
        return averaged;
    m_averaged = true;
    return success();
}

Result<void> GroupedOptimizer::step()
{
    if (Result<void> averaged = averageGradients(); !averaged)
        return averaged;
    m_optimizer->step();
    m_averaged = false;
    return success();
}

}  // namespace dw::ml
