# LibTorch: Debian's 1.13 (CPU) or a CUDA LibTorch 2.x from a PyTorch install.
# TORCH_CXX_FLAGS carries the C++ ABI flag of the LibTorch we found.
string(REPLACE " " ";" DW_TORCH_CXX_FLAGS "${TORCH_CXX_FLAGS}")
set(DW_TORCH_HAS_CUDA OFF)
if(TARGET torch_cuda OR TORCH_CUDA_LIBRARIES OR CAFFE2_USE_CUDA)
  set(DW_TORCH_HAS_CUDA ON)
endif()
message(STATUS "LibTorch ${Torch_VERSION} (CUDA: ${DW_TORCH_HAS_CUDA})")

# dw_use_torch(target): links LibTorch privately and precompiles its heavy header.
# LibTorch never appears in a public header, so only the files that use it pay for it.
function(dw_use_torch target)
  target_link_libraries(${target} PRIVATE ${TORCH_LIBRARIES})
  target_compile_options(${target} PRIVATE ${DW_TORCH_CXX_FLAGS})
  target_precompile_headers(${target} PRIVATE ${PROJECT_SOURCE_DIR}/core/ml/torch_pch.h)
  if(DW_TORCH_HAS_CUDA)
    target_compile_definitions(${target} PRIVATE DW_WITH_CUDA=1)
  endif()
endfunction()
