#pragma once
// Where a training run computes and how: on CUDA with bf16 autocast (Ampere and later),
// channels_last memory layout, cuDNN autotuning and page-locked batches; on the CPU in bf16
// autocast with channels_last where --precision says so (auto: a processor with native
// bfloat16, precision.h), else in plain float32. Moves models and batches there.
#include "core/ml/precision.h"
#include "core/util/result.h"

#include <torch/nn/module.h>
#include <torch/types.h>

#include <QString>

namespace dw::ml {

class TrainingDevice {
public:
    // "cpu", "cuda" or "cuda:N" (what JobContext::device() holds), or "auto" (CUDA when
    // there is one); an error for CUDA when this build or machine has none.
    static Result<TrainingDevice> fromString(const QString &device);
    // What every trainer starts with: the job's device (resolved once at the edge — the CLI's,
    // the GUI's or REST's --device — and handed down in JobContext::device()), set up for
    // training (configure()), in the precision the request asks ("auto", "fp32", "bf16"; an
    // unknown word is an error). What auto means is the task's `rule`.
    struct PrecisionRule {
        bool cudaBf16 = true;     // auto on CUDA: bf16 autocast where the GPU has it
        bool cpuAutoBf16 = true;  // auto on the CPU: bf16 where the processor has it natively
    };
    static Result<TrainingDevice> forTraining(const QString &device, const QString &precision, PrecisionRule rule);

    const torch::Device &device() const { return m_device; }
    bool isCuda() const { return m_device.is_cuda(); }
    bool mixedPrecision() const { return m_bf16; }        // bf16 autocast of forward + loss
    bool channelsLast() const { return m_channelsLast; }  // NHWC layout for convolutions
    bool pinMemory() const { return isCuda(); }
    Precision precision() const { return m_bf16 ? Precision::Bf16 : Precision::Fp32; }

    // Process-wide settings for training on this device (cuDNN autotuning on CUDA).
    void configure() const;
    // Moves the module's parameters and buffers to the device, in channels_last layout when
    // that is on (4-D tensors only, as PyTorch's module.to(memory_format=...) does).
    void prepare(torch::nn::Module &module) const;
    // A batch tensor on the device (asynchronous from pinned memory), channels_last for
    // 4-D images when that is on.
    torch::Tensor toDevice(const torch::Tensor &tensor) const;
    // The job log's line: "precision: bf16 (auto: bf16 on the CPU (AVX2, AVX-512, AVX512-BF16));
    // forward passes under bfloat16 autocast, ..." or "precision: fp32 (asked for)".
    QString describePrecision(const QString &asked, PrecisionRule rule) const;
    // Waits for the device's queued work (for honest timings).
    void synchronize() const;

    // "cuda:0 (NVIDIA H100, bf16 autocast, channels_last)", "cpu (2 threads)" or "cpu (2 threads,
    // bf16 autocast, channels_last)".
    QString describe() const;

private:
    explicit TrainingDevice(torch::Device device) : m_device(device) {}

    torch::Device m_device;
    bool m_bf16 = false;
    bool m_channelsLast = false;
};

}  // namespace dw::ml
