#pragma once
// The number format a network runs in on a device: --precision auto|fp32|bf16. auto is bf16
// (autocast, with channels-last images) on a processor with native bfloat16 arithmetic
// (AVX512-BF16 or AMX-BF16: cpu_features.h), fp32 everywhere else; on CUDA the device's own
// mixed-precision rule applies (TrainingDevice), so auto leaves it alone there.
#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace dw::ml {

enum class Precision { Fp32, Bf16 };

const QStringList &precisionChoices();  // "auto", "fp32", "bf16"
QString precisionName(Precision precision);

// The precision a request ("auto", "fp32", "bf16"; empty: auto) gives on a device ("cpu",
// "cuda:N"). bf16 asked for on a processor without native bfloat16 is kept (it runs, slowly
// emulated); an unknown word is an error naming the choices. autoMayUseBf16 false: auto keeps
// fp32 (networks for which bf16 was measured not to pay off or to cost accuracy).
Result<Precision> resolvePrecision(const QString &request, const QString &device, bool autoMayUseBf16 = true);

// "bf16 (AVX512-BF16)", "fp32 (no native bfloat16: AVX2, AVX-512)": what auto picks here, said.
QString describeAutoPrecision();

}  // namespace dw::ml
