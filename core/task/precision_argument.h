#pragma once
// --precision (auto|fp32|bf16) of the task commands that run a trained network: its schema
// entry, shared by the plugins, and its value for one call, said in the job's log.
#include "core/jobs/job_context.h"
#include "core/ml/precision.h"
#include "core/task/argument_schema.h"
#include "core/util/result.h"

#include <QVariantMap>

namespace dw {

// How auto reads for a command: bf16 where the processor has it natively (predictions, image
// classification training), or fp32 (networks for which bf16 costs accuracy or does not pay).
enum class AutoPrecision { Bf16WhereNative, Fp32 };

ArgumentSpec precisionArgument(const QString &group, AutoPrecision automatic = AutoPrecision::Bf16WhereNative);

// args "precision" resolved on `device` (auto as `automatic` says); a network that cannot run
// bf16 (runsBf16 false: an imported graph, CUDA) gets fp32, said so.
Result<ml::Precision> precisionOfCall(const QVariantMap &args, const QString &device, bool runsBf16,
                                      const JobContext &context,
                                      AutoPrecision automatic = AutoPrecision::Bf16WhereNative);

}  // namespace dw
