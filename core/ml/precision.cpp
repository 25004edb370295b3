#include "core/ml/precision.h"

#include "core/ml/cpu_features.h"

namespace dw::ml {

const QStringList &precisionChoices()
{
    static const QStringList choices{QStringLiteral("auto"), QStringLiteral("fp32"), QStringLiteral("bf16")};
    return choices;
}

QString precisionName(Precision precision)
{
    return precision == Precision::Bf16 ? QStringLiteral("bf16") : QStringLiteral("fp32");
}

Result<Precision> resolvePrecision(const QString &request, const QString &device, bool autoMayUseBf16)
{
    const QString word = request.trimmed().toLower();
    if (word == QLatin1String("fp32"))
        return Precision::Fp32;
    if (word == QLatin1String("bf16"))
        return Precision::Bf16;
    if (!word.isEmpty() && word != QLatin1String("auto"))
        return failure(QStringLiteral("unknown precision '%1': use auto, fp32 or bf16").arg(request),
                       QStringLiteral("precision"));
    if (device.startsWith(QLatin1String("cuda")) || !autoMayUseBf16)
        return Precision::Fp32;  // the CUDA path keeps its own mixed-precision rule
    return cpuFeatures().nativeBf16() ? Precision::Bf16 : Precision::Fp32;
}

QString describeAutoPrecision()
{
    const CpuFeatures &f = cpuFeatures();
    if (f.nativeBf16())
        return QStringLiteral("bf16 on the CPU (%1)").arg(f.describe());
    return QStringLiteral("fp32 on the CPU (no native bfloat16: %1)").arg(f.describe());
}

}  // namespace dw::ml
