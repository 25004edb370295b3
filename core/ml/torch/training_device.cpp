#include "core/ml/torch/training_device.h"

#include "core/ml/torch_compat.h"

#include <QStringList>

#include <algorithm>

namespace dw::ml {

Result<TrainingDevice> TrainingDevice::forTraining(const QString &device, const QString &precision, PrecisionRule rule)
{
    Result<TrainingDevice> parsed = fromString(device);
    if (!parsed)
        return parsed;
    const QString word = precision.trimmed().toLower();
    const bool automatic = word.isEmpty() || word == QLatin1String("auto");
    if (parsed->isCuda()) {
        // bf16 only where the GPU has it; auto as the task's rule says, fp32 turns it off.
        if (word == QLatin1String("fp32") || (automatic && !rule.cudaBf16))
            parsed->m_bf16 = false;
        else if (!automatic && word != QLatin1String("bf16"))
            return resolvePrecision(precision, QStringLiteral("cuda")).error();
    } else {
        Result<Precision> cpu = resolvePrecision(precision, QStringLiteral("cpu"), rule.cpuAutoBf16);
        if (!cpu)
            return cpu.error();
        parsed->m_bf16 = parsed->m_channelsLast = *cpu == Precision::Bf16;
    }
    parsed->configure();
    return parsed;
}

Result<TrainingDevice> TrainingDevice::fromString(const QString &name)
{
    QString device = name.trimmed().isEmpty() ? QStringLiteral("cpu") : name.trimmed().toLower();
    if (device == QLatin1String("auto"))
        device = compat::cudaDeviceCount() > 0 ? QStringLiteral("cuda") : QStringLiteral("cpu");
    if (device == QLatin1String("cpu"))
        return TrainingDevice(torch::Device(torch::kCPU));
    if (!device.startsWith(QLatin1String("cuda")))
        return failure(QStringLiteral("unknown device \"%1\": use cpu, cuda or cuda:N").arg(name),
                       QStringLiteral("device"));
    const int count = compat::cudaDeviceCount();
    if (count == 0)
        return failure(QStringLiteral("CUDA was asked for but %1: train with --device cpu")
                           .arg(compat::torchHasCuda()
                                    ? QStringLiteral("no usable CUDA device was found")
                                    : QStringLiteral("this build of the workbench has no CUDA support")),
                       QStringLiteral("device"));
    int index = 0;
    if (device != QLatin1String("cuda")) {
        bool ok = false;
        index = device.mid(5).toInt(&ok);
        if (!device.startsWith(QLatin1String("cuda:")) || !ok || index < 0 || index >= count)
            return failure(
                QStringLiteral("no CUDA device \"%1\": this machine has cuda:0 to cuda:%2").arg(name).arg(count - 1),
                QStringLiteral("device"));
    }
    TrainingDevice result(torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index)));
    result.m_bf16 = compat::cudaSupportsBf16(index);
    result.m_channelsLast = true;
    return result;
}

void TrainingDevice::configure() const
{
    if (isCuda())
        compat::setCudnnBenchmark(true);
}

void TrainingDevice::prepare(torch::nn::Module &module) const
{
    module.to(m_device);
    if (!m_channelsLast)
        return;
    torch::NoGradGuard noGrad;
    for (torch::Tensor &p : module.parameters()) {
        if (p.dim() == 4)
            p.set_data(p.data().contiguous(torch::MemoryFormat::ChannelsLast));
    }
    for (torch::Tensor &b : module.buffers()) {
        if (b.dim() == 4)
            b.set_data(b.data().contiguous(torch::MemoryFormat::ChannelsLast));
    }
}

torch::Tensor TrainingDevice::toDevice(const torch::Tensor &tensor) const
{
    torch::Tensor moved =
        tensor.device() == m_device ? tensor : tensor.to(m_device, /*non_blocking=*/tensor.is_pinned());
    if (m_channelsLast && moved.dim() == 4)
        moved = moved.contiguous(torch::MemoryFormat::ChannelsLast);
    return moved;
}

QString TrainingDevice::describePrecision(const QString &asked, PrecisionRule rule) const
{
    const QString word = asked.trimmed().toLower();
    QString why;
    if (!word.isEmpty() && word != QLatin1String("auto"))
        why = QStringLiteral("asked for");
    else if (isCuda())
        why = m_bf16 ? QStringLiteral("auto: the GPU has bfloat16") : QStringLiteral("auto");
    else if (!rule.cpuAutoBf16)
        why = QStringLiteral("auto: this task's networks train in fp32 on the CPU");
    else
        why = QStringLiteral("auto: %1").arg(describeAutoPrecision());
    return QStringLiteral("precision: %1 (%2)%3")
        .arg(precisionName(precision()), why,
             m_bf16 ? QStringLiteral("; forward passes under bfloat16 autocast, weights and optimiser in float32")
                    : QString());
}

void TrainingDevice::synchronize() const
{
#if DW_WITH_CUDA
    if (isCuda())
        torch::cuda::synchronize(m_device.index());
#endif
}

QString TrainingDevice::describe() const
{
    QStringList modes;
    if (m_bf16)
        modes << QStringLiteral("bf16 autocast");
    if (m_channelsLast)
        modes << QStringLiteral("channels_last");
    if (!isCuda())
        return QStringLiteral("cpu (%1%2)")
            .arg(compat::intraOpThreads() == 1 ? QStringLiteral("1 thread")
                                               : QStringLiteral("%1 threads").arg(compat::intraOpThreads()))
            .arg(modes.isEmpty() ? QString() : QStringLiteral(", ") + modes.join(QStringLiteral(", ")));
    const int index = std::max<int>(m_device.index(), 0);
    return QStringLiteral("cuda:%1 (%2%3)")
        .arg(index)
        .arg(compat::cudaDeviceName(index),
             modes.isEmpty() ? QString() : QStringLiteral(", ") + modes.join(QStringLiteral(", ")));
}

}  // namespace dw::ml
