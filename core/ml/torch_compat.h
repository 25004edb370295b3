#pragma once
// The one place where LibTorch versions differ: Debian's 1.13 (CPU) and a CUDA LibTorch 2.x
// from a PyTorch install. Code in core/ml (and plugins) calls these instead of the raw API,
// so that a version difference is fixed here once. Include only from .cpp files.
#include <torch/torch.h>
#include <torch/version.h>
#include <ATen/Parallel.h>

#if DW_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

#include <QString>

#define DW_TORCH_VERSION_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace dw::compat {

inline QString torchVersion() { return QStringLiteral(TORCH_VERSION); }

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

inline void setIntraOpThreads(int threads) { at::set_num_threads(threads); }

// The count a new worker thread will use: init_num_threads() applies the process-wide
// setting to the calling thread (with OpenMP a thread otherwise keeps its own default).
inline int intraOpThreads()
{
    at::init_num_threads();
    return at::get_num_threads();
}

}  // namespace dw::compat
