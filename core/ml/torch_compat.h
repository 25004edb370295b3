#pragma once
// The one place where LibTorch versions differ: Debian's 1.13 (CPU) and a CUDA LibTorch 2.x
// from a PyTorch install. Code in core/ml (and plugins) calls these instead of the raw API,
// so that a version difference is fixed here once. Include only from .cpp files.
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

#if DW_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

#include <QString>

#define DW_TORCH_VERSION_AT_LEAST(major, minor)                                                                        \
    (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace dw::compat {

inline QString torchVersion()
{
    return QStringLiteral(TORCH_VERSION);
}

// Whether this LibTorch was built with CUDA, whether or not a device is present.
constexpr bool torchHasCuda()
{
#if DW_WITH_CUDA
    return true;
#else
    return false;
#endif
}

inline int cudaDeviceCount()
{
    if constexpr (!torchHasCuda())
        return 0;
    // is_available() also checks the driver; device_count() alone can report devices
    // that a missing or too old driver cannot use.
    return torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
}

inline QString cudaDeviceName(int index)
{
#if DW_WITH_CUDA
    return QString::fromUtf8(at::cuda::getDeviceProperties(index)->name);
#else
    Q_UNUSED(index);
    return {};
#endif
}

inline qint64 cudaTotalMemory(int index)
{
#if DW_WITH_CUDA
    return static_cast<qint64>(at::cuda::getDeviceProperties(index)->totalGlobalMem);
#else
    Q_UNUSED(index);
    return 0;
#endif
}

// "8.9" for an Ada GPU, "9.0" for an H100: what kernels and bf16 autocast can use.
inline QString cudaComputeCapability(int index)
{
#if DW_WITH_CUDA
    const auto *props = at::cuda::getDeviceProperties(index);
    return QStringLiteral("%1.%2").arg(props->major).arg(props->minor);
#else
    Q_UNUSED(index);
    return {};
#endif
}

// cuDNN's autotuner: picks the fastest convolution algorithms for the shapes it sees (worth
// it when every batch has the same shape, as in training).
inline void setCudnnBenchmark(bool enabled)
{
    at::globalContext().setBenchmarkCuDNN(enabled);
}

// bf16 tensor cores (Ampere, compute capability 8.0, and later): where bf16 autocast pays.
inline bool cudaSupportsBf16(int index)
{
#if DW_WITH_CUDA
    return at::cuda::getDeviceProperties(index)->major >= 8;
#else
    Q_UNUSED(index);
    return false;
#endif
}

// Automatic mixed precision for the guard's lifetime (like Python's `with torch.autocast(device,
// dtype=...)`): eligible ops run in dtype, the rest in float32. CUDA (bf16 or fp16) for mixed-
// precision training; the CPU (bf16 only) where the processor has native bfloat16
// (ml::cpuFeatures()). Thread-local, as in Python. Cover the forward pass and the loss, not
// backward(). LibTorch 2.4 replaced the per-device calls by ones that take the device type.
class AutocastGuard {
public:
    explicit AutocastGuard(bool enabled, at::ScalarType dtype = at::kBFloat16, at::DeviceType device = at::kCUDA)
        : m_active(enabled), m_device(device)
    {
        if (!m_active)
            return;
        m_wasEnabled = isEnabled(m_device);
        m_previousDtype = dtypeOf(m_device);
        set(m_device, true, dtype);
        at::autocast::increment_nesting();
    }
    ~AutocastGuard()
    {
        if (!m_active)
            return;
        // Leaving the outermost autocast region frees the cast copies of the weights.
        if (at::autocast::decrement_nesting() == 0)
            at::autocast::clear_cache();
        set(m_device, m_wasEnabled, m_previousDtype);
    }
    AutocastGuard(const AutocastGuard &) = delete;
    AutocastGuard &operator=(const AutocastGuard &) = delete;

private:
    static bool isEnabled(at::DeviceType device)
    {
#if DW_TORCH_VERSION_AT_LEAST(2, 4)
        return at::autocast::is_autocast_enabled(device);
#else
        return device == at::kCPU ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled();
#endif
    }
    static at::ScalarType dtypeOf(at::DeviceType device)
    {
#if DW_TORCH_VERSION_AT_LEAST(2, 4)
        return at::autocast::get_autocast_dtype(device);
#else
        return device == at::kCPU ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype();
#endif
    }
    static void set(at::DeviceType device, bool enabled, at::ScalarType dtype)
    {
#if DW_TORCH_VERSION_AT_LEAST(2, 4)
        at::autocast::set_autocast_enabled(device, enabled);
        at::autocast::set_autocast_dtype(device, dtype);
#else
        if (device == at::kCPU) {
            at::autocast::set_cpu_enabled(enabled);
            at::autocast::set_autocast_cpu_dtype(dtype);
        } else {
            at::autocast::set_enabled(enabled);
            at::autocast::set_autocast_gpu_dtype(dtype);
        }
#endif
    }

    bool m_active = false;
    at::DeviceType m_device = at::kCUDA;
    bool m_wasEnabled = false;
    at::ScalarType m_previousDtype = at::kFloat;
};

inline void setIntraOpThreads(int threads)
{
    at::set_num_threads(threads);
}

// The count a new worker thread will use: init_num_threads() applies the process-wide
// setting to the calling thread (with OpenMP a thread otherwise keeps its own default).
inline int intraOpThreads()
{
    at::init_num_threads();
    return at::get_num_threads();
}

}  // namespace dw::compat
