# LibTorch: Debian's 1.13 (CPU) or a CUDA LibTorch 2.x from a PyTorch install.
# TORCH_CXX_FLAGS carries the C++ ABI flag of the LibTorch we found.
string(REPLACE " " ";" DW_TORCH_CXX_FLAGS "${TORCH_CXX_FLAGS}")
set(DW_TORCH_HAS_CUDA OFF)
if(TARGET torch_cuda OR TORCH_CUDA_LIBRARIES OR CAFFE2_USE_CUDA)
  set(DW_TORCH_HAS_CUDA ON)
endif()
message(STATUS "LibTorch ${Torch_VERSION} (CUDA: ${DW_TORCH_HAS_CUDA}) from ${TORCH_INSTALL_PREFIX}")

# make TORCH_DIR=... (DW_TORCH_DIR): that LibTorch and no other, with the C++ ABI of Qt, OpenCV
# and GDAL, and found at run time from the build tree and once installed.
set(DW_TORCH_DIR "" CACHE PATH "The LibTorch to build against (make TORCH_DIR=...); empty: the system's")
if(DW_TORCH_DIR)
  get_filename_component(dw_wanted "${DW_TORCH_DIR}" REALPATH)
  get_filename_component(dw_found "${Torch_DIR}" REALPATH)
  string(FIND "${dw_found}/" "${dw_wanted}/" dw_at)
  if(NOT dw_at EQUAL 0)
    message(FATAL_ERROR "TORCH_DIR is ${DW_TORCH_DIR}, but CMake found LibTorch in ${Torch_DIR}: TORCH_DIR must be "
      "the folder of an unpacked LibTorch (it holds share/cmake/Torch/TorchConfig.cmake) or a PyTorch's "
      "torch/share/cmake (python3 -c 'import torch; print(torch.utils.cmake_prefix_path)').")
  endif()
endif()
if(TORCH_CXX_FLAGS MATCHES "_GLIBCXX_USE_CXX11_ABI=0")
  message(FATAL_ERROR "The LibTorch in ${TORCH_INSTALL_PREFIX} is built with the pre-C++11 ABI "
    "(_GLIBCXX_USE_CXX11_ABI=0), which cannot be linked with Debian's Qt, OpenCV and GDAL. Take the "
    "'cxx11 ABI' LibTorch download, or a PyTorch 2.7 or later.")
endif()
if(TORCH_INSTALL_PREFIX AND NOT TORCH_INSTALL_PREFIX MATCHES "^/usr(/|$)")
  list(APPEND CMAKE_INSTALL_RPATH "${TORCH_INSTALL_PREFIX}/lib")
endif()

# The precompiled LibTorch header costs ~45 s and ~600 MB a copy: it is built twice, once
# for the executables (-fPIE) and once for the libraries and plugins (-fPIC) — a precompiled
# header is only used with the code-generation flags it was made with — by two donor targets,
# and every other target reuses one of them. The donors define nothing but LibTorch's own
# macros: GCC refuses a precompiled header made with a macro the using file does not define,
# while macros only the using file defines (Qt's, the tests' paths) are fine as long as
# LibTorch's headers do not look at them. -Winvalid-pch (CMake's default) says when one is refused.
function(dw_torch_pch_donor name kind)
  if(TARGET ${name})
    return()
  endif()
  if(kind STREQUAL "EXECUTABLE")
    add_executable(${name} EXCLUDE_FROM_ALL ${PROJECT_SOURCE_DIR}/cmake/torch_pch_donor.cpp)
  else()
    add_library(${name} STATIC EXCLUDE_FROM_ALL ${PROJECT_SOURCE_DIR}/cmake/torch_pch_donor.cpp)
  endif()
  target_link_libraries(${name} PRIVATE ${TORCH_LIBRARIES})
  # Every target here compiles with the -fPIC that Qt6::Core asks for (executables: then -fPIE).
  target_compile_options(${name} PRIVATE -fPIC ${DW_TORCH_CXX_FLAGS})
  target_precompile_headers(${name} PRIVATE ${PROJECT_SOURCE_DIR}/core/ml/torch_pch.h)
  if(DW_TORCH_HAS_CUDA)
    target_compile_definitions(${name} PRIVATE DW_WITH_CUDA=1)
  endif()
endfunction()

# dw_use_torch(target): links LibTorch privately and uses the precompiled header of its kind.
# LibTorch never appears in a public header, so only the files that use it pay for it.
function(dw_use_torch target)
  target_link_libraries(${target} PRIVATE ${TORCH_LIBRARIES})
  target_compile_options(${target} PRIVATE ${DW_TORCH_CXX_FLAGS})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    set(donor dw_torch_pch_executables)
  else()
    set(donor dw_torch_pch_libraries)
  endif()
  dw_torch_pch_donor(${donor} ${type})
  target_precompile_headers(${target} REUSE_FROM ${donor})
  if(DW_TORCH_HAS_CUDA)
    target_compile_definitions(${target} PRIVATE DW_WITH_CUDA=1)
  endif()
endfunction()
