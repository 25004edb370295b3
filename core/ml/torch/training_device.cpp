#include "core/ml/torch/training_device.h"

#include "core/ml/torch_compat.h"

#include <QStringList>

#include <algorithm>

namespace dw::ml {

Result<TrainingDevice> TrainingDevice::forTraining(const QString &device, bool mixedPrecision)
{
    Result<TrainingDevice> parsed = fromString(device);
    if (!parsed)
        return parsed;
    if (!mixedPrecision)
        parsed->setMixedPrecision(false);
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

void TrainingDevice::synchronize() const
{
#if DW_WITH_CUDA
    if (isCuda())
        torch::cuda::synchronize(m_device.index());
#endif
}

QString TrainingDevice::describe() const
{
    if (!isCuda())
        return QStringLiteral("cpu (%1 threads)").arg(compat::intraOpThreads());
    QStringList modes;
    if (m_bf16)
        modes << QStringLiteral("bf16 autocast");
    if (m_channelsLast)
        modes << QStringLiteral("channels_last");
    const int index = std::max<int>(m_device.index(), 0);
    return QStringLiteral("cuda:%1 (%2%3)")
        .arg(index)
        .arg(compat::cudaDeviceName(index),
             modes.isEmpty() ? QString() : QStringLiteral(", ") + modes.join(QStringLiteral(", ")));
}

}  // namespace dw::ml
