#include "ui/precision_setting.h"

#include <QSettings>

namespace dw {

namespace {

const QString kAuto = QStringLiteral("auto");
const QString kFp32 = QStringLiteral("fp32");
const QString kBf16 = QStringLiteral("bf16");

bool nativeBf16()
{
    const Result<ml::Precision> automatic = ml::resolvePrecision(kAuto, QStringLiteral("cpu"));
    return automatic && *automatic == ml::Precision::Bf16;
}

}  // namespace

PrecisionSetting::PrecisionSetting(QObject *parent) : QObject(parent), m_value(kAuto)
{
    // A value written by hand or by another version that is not a choice reads as auto.
    const QString saved = QSettings().value(settingsKey(), kAuto).toString().trimmed().toLower();
    if (ml::precisionChoices().contains(saved))
        m_value = saved;
}

QString PrecisionSetting::settingsKey()
{
    return QStringLiteral("device/cpuPrecision");
}

QString PrecisionSetting::argumentName()
{
    return QStringLiteral("precision");
}

Result<void> PrecisionSetting::setValue(const QString &value)
{
    if (!ml::precisionChoices().contains(value))
        return failure(
            tr("unknown precision '%1': use %2").arg(value, ml::precisionChoices().join(QStringLiteral(", "))),
            argumentName());
    QSettings().setValue(settingsKey(), value);
    if (value != m_value) {
        m_value = value;
        Q_EMIT changed(m_value);
    }
    return success();
}

ArgumentSchema PrecisionSetting::applyTo(const ArgumentSchema &schema) const
{
    if (!schema.find(argumentName()))
        return schema;
    QList<ArgumentSpec> specs = schema.specs();
    for (ArgumentSpec &spec : specs) {
        if (spec.name != argumentName())
            continue;
        spec.defaultValue = m_value;
        spec.help += tr(" Its default here is the one chosen in Settings ▸ Precision on the CPU.");
    }
    return ArgumentSchema(std::move(specs));
}

std::optional<ml::Precision> PrecisionSetting::effectiveOn(const QString &device) const
{
    if (device.startsWith(QLatin1String("cuda")))
        return std::nullopt;
    const Result<ml::Precision> precision = ml::resolvePrecision(m_value, device);
    return precision ? std::optional<ml::Precision>(*precision) : std::nullopt;
}

QString PrecisionSetting::label(const QString &choice)
{
    if (choice == kFp32)
        return tr("Always &fp32");
    if (choice == kBf16)
        return tr("Always &bf16");
    return tr("&Automatic (bf16 where the processor has it)");
}

QString PrecisionSetting::explanation(const QString &choice)
{
    if (choice == kFp32)
        return tr("Every job in float32: full precision, as PyTorch computes by default; on processors with "
                  "AVX512-BF16 or AMX about half the speed of bf16.");
    if (choice == kBf16)
        return tr("The workbench's own networks in bfloat16 (autocast, channels-last), training included: about 2× "
                  "faster than fp32 on processors with AVX512-BF16 or AMX.") +
               (nativeBf16() ? QString()
                             : tr(" This processor has no native bfloat16: bf16 is emulated here, slower than fp32.")) +
               tr(" Imported TorchScript and ONNX networks run fp32.");
    return tr("bf16 where the processor computes it natively (AVX512-BF16 or AMX: about 2× faster) and where it pays "
              "off for the network; fp32 elsewhere. The job log says which. This computer: %1.")
        .arg(ml::describeAutoPrecision());
}

}  // namespace dw
