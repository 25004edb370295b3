#!/usr/bin/env bash
# make TORCH_DIR=... (issue 18, a CUDA build of the whole workbench): checked with stand-in
# LibTorch folders that wrap the system's TorchConfig.cmake, as far as this machine allows
# without a CUDA LibTorch: the Makefile configures build-cuda with that LibTorch and the GUI;
# CMake takes that LibTorch and no other, refuses one with the pre-C++11 ABI and a folder that
# holds none, and the installed binaries find that LibTorch's libraries (RPATH).
#   test_torch_dir.sh SOURCE_DIR
set -euo pipefail
src="$1"
system_config=$(ls /usr/lib/*/cmake/Torch/TorchConfig.cmake | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

stand_in() {  # stand_in DIR [extra cmake line]: a LibTorch folder whose config wraps the system's
    mkdir -p "$1/share/cmake/Torch" "$1/lib"
    { echo "include($system_config)"
      echo "get_filename_component(TORCH_INSTALL_PREFIX \"\${CMAKE_CURRENT_LIST_DIR}/../../..\" ABSOLUTE)"
      echo "${2:-}"; } > "$1/share/cmake/Torch/TorchConfig.cmake"
}
configure() {  # configure BUILD TORCH: what make TORCH_DIR=TORCH runs (tests left out for speed)
    cmake -S "$src" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=$2" "-DDW_TORCH_DIR=$2" \
        -DDW_BUILD_TESTS=OFF > "$1.log" 2>&1
}

# 1. The Makefile: build-cuda, that LibTorch first on CMake's search path, the GUI not left out.
dry=$(make -n -C "$src" configure TORCH_DIR="$work/libtorch" STAMP=/dev/null 2>&1)
echo "$dry" | grep -q -- "-B build-cuda" || fail "make TORCH_DIR=... does not configure build-cuda: $dry"
echo "$dry" | grep -q -- "-DCMAKE_PREFIX_PATH=$work/libtorch" || fail "make does not pass TORCH_DIR to CMake: $dry"
echo "$dry" | grep -q -- "DW_BUILD_GUI=OFF" && fail "make TORCH_DIR=... leaves the GUI out: $dry"

# 2. A LibTorch in TORCH_DIR is the one used; the GUI is built; installed binaries find its libraries.
stand_in "$work/libtorch"
configure "$work/good" "$work/libtorch" || { cat "$work/good.log"; fail "configuring with a LibTorch in TORCH_DIR failed"; }
grep -q "LibTorch .* from $work/libtorch" "$work/good.log" || fail "CMake did not take TORCH_DIR's LibTorch: $(cat "$work/good.log")"
grep -q "build bin/deep-workbench:" "$work/good/build.ninja" || fail "the GUI (deep-workbench) is not built with TORCH_DIR"
grep -q "NEW_RPATH \"\\\\\$ORIGIN/../lib/deep-workbench/private:$work/libtorch/lib\"" "$work/good/app/workbench/cmake_install.cmake" ||
    fail "the installed GUI would not find TORCH_DIR's libraries: $(grep -ho 'NEW_RPATH "[^"]*"' "$work/good/app/workbench/cmake_install.cmake")"

# 3. A LibTorch with the pre-C++11 ABI is refused with the reason.
stand_in "$work/old-abi" 'set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=0")'
configure "$work/bad-abi" "$work/old-abi" && fail "a pre-C++11-ABI LibTorch was accepted"
grep -q "pre-C++11 ABI" "$work/bad-abi.log" || fail "no ABI message: $(tail -20 "$work/bad-abi.log")"

# 4. A TORCH_DIR with no LibTorch in it: said so, not the system's LibTorch taken silently.
mkdir -p "$work/empty"
configure "$work/none" "$work/empty" && fail "a TORCH_DIR without LibTorch was accepted"
grep -q "TORCH_DIR is $work/empty" "$work/none.log" || fail "no TORCH_DIR message: $(tail -20 "$work/none.log")"
echo "make TORCH_DIR: build-cuda, that LibTorch, the GUI, RPATH, ABI and missing-LibTorch checks all hold"
