#include "core/ml/torch/random_state.h"

#include "core/ml/torch_compat.h"

#include <ATen/CPUGeneratorImpl.h>

#if DW_WITH_CUDA
#include <ATen/cuda/CUDAGeneratorImpl.h>
#endif

#include <mutex>

namespace dw::ml {

RandomState RandomState::capture()
{
    RandomState state;
    {
        at::Generator generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        state.cpu = generator.get_state();
    }
#if DW_WITH_CUDA
    if (compat::cudaDeviceCount() > 0) {
        at::Generator generator = at::cuda::detail::getDefaultCUDAGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        state.cuda = generator.get_state();
    }
#endif
    return state;
}

void RandomState::restore() const
{
    if (cpu.defined()) {
        at::Generator generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(cpu);
    }
#if DW_WITH_CUDA
    if (cuda.defined() && compat::cudaDeviceCount() > 0) {
        at::Generator generator = at::cuda::detail::getDefaultCUDAGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(cuda);
    }
#endif
}

void RandomState::seed(std::uint64_t seed)
{
    torch::manual_seed(seed);
}

}  // namespace dw::ml
