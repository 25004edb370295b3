#include "core/task/precision_argument.h"

#include "core/task/argument_builders.h"

namespace dw {

using namespace Qt::StringLiterals;

ArgumentSpec precisionArgument(const QString &group, AutoPrecision automatic)
{
    return args::choice(
        u"precision"_s, u"auto"_s, ml::precisionChoices(), group,
        automatic == AutoPrecision::Fp32
            ? u"Number format: auto and fp32 run in float32 (for this task's networks bfloat16 costs accuracy or does "
              u"not "
              "pay off); bf16 forces bfloat16 autocast on the CPU."_s
            : u"Number format on the CPU: auto runs bf16 (bfloat16 autocast, channels-last) where the processor has "
              "native bfloat16 (AVX512-BF16, AMX) and fp32 elsewhere; fp32 or bf16 force one."_s);
}

Result<ml::Precision> precisionOfCall(const QVariantMap &args, const QString &device, bool runsBf16,
                                      const JobContext &context, AutoPrecision automatic)
{
    const QString asked = args.value(u"precision"_s, u"auto"_s).toString();
    const bool autoBf16 = automatic == AutoPrecision::Bf16WhereNative;
    Result<ml::Precision> precision = ml::resolvePrecision(asked, device, autoBf16);
    if (!precision)
        return precision;
    if (*precision == ml::Precision::Bf16 && !runsBf16) {
        context.log(u"precision: fp32 (bf16 runs on the CPU with the workbench's own networks only)"_s);
        return ml::Precision::Fp32;
    }
    QString why;
    if ((asked.isEmpty() || asked == u"auto"_s) && !device.startsWith(u"cuda"_s))
        why = autoBf16 ? u" (auto: %1)"_s.arg(ml::describeAutoPrecision())
                       : u" (auto: this task's networks run in fp32; --precision bf16 forces bfloat16)"_s;
    context.log(u"precision: %1%2"_s.arg(ml::precisionName(*precision), why));
    return precision;
}

}  // namespace dw
