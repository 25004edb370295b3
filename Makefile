# Thin wrapper: the real build is CMake (see CMakeLists.txt).
# TORCH_DIR=/path/to/libtorch builds the whole workbench (GUI included) against that LibTorch -
# a CUDA one for an NVIDIA workstation (docs/gpu.md) - in build-cuda unless BUILD is given.
TORCH_DIR ?=
ifneq ($(TORCH_DIR),)
BUILD ?= build-cuda
TORCH_FLAGS := -DCMAKE_PREFIX_PATH=$(abspath $(TORCH_DIR)) -DDW_TORCH_DIR=$(abspath $(TORCH_DIR))
endif
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)
STAMP := $(BUILD)/.deps-installed

.PHONY: all deps configure build run test bench package clean sanitize fuzz fuzz-build screenshots

all: build

$(STAMP): packaging/install-deps.sh
	bash packaging/install-deps.sh
	mkdir -p $(BUILD) && touch $(STAMP)

deps: $(STAMP)

$(BUILD)/build.ninja: $(STAMP) CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(TORCH_FLAGS) $(CMAKE_FLAGS)

configure: $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/bin/deep-workbench

# The fuzz targets are built too: ctest replays their seeds and fuzzes each for 30 s (label fuzz).
test: build fuzz-build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS) --timeout 1200

# Benchmarks print figures next to their references (some need python3-torch: --bench).
# BENCH=name runs one of them.
BENCH ?=
bench: build
	bash packaging/install-deps.sh --bench
	cmake --build $(BUILD) --target benchmarks -j $(JOBS)
	@set -e; for b in $(BUILD)/bench/*$(BENCH)*; do \
	  [ -x "$$b" ] || continue; echo "== $$(basename $$b)"; "$$b"; done

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, in a build of its own.
# Leak checking is off: LibTorch, OpenMP and Qt keep allocations for the process's lifetime by
# design. Any report fails its suite (halt_on_error). Qt Test's 5-minute limit per test function
# is raised: the super-resolution trainings take longer under ASan.
SANITIZE_BUILD ?= build-sanitize
SANITIZE_ENV := ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=0:detect_odr_violation=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 QTEST_FUNCTION_TIMEOUT=1800000
sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DDW_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && $(SANITIZE_ENV) QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS) --timeout 3600

# libFuzzer targets for the readers of outside data (tests/fuzz), built with clang in a folder of
# their own. make fuzz runs each FUZZ_SECONDS (10 minutes unless given), two at a time;
# findings land in build-fuzz/findings with the command that replays them.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
fuzz-build: deps
	cmake -S tests/fuzz -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 $(filter -DDW_WERROR%,$(CMAKE_FLAGS))
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

fuzz: fuzz-build
	FUZZ_JOBS=$(JOBS) bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Every picture in docs/ from real runs of the demo modules under xvfb-run (scripts/screenshots.sh).
screenshots: build
	bash scripts/screenshots.sh $(BUILD)

package: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD)
