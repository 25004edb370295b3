# Thin wrapper: the real build is CMake (see CMakeLists.txt).
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)
STAMP := $(BUILD)/.deps-installed

.PHONY: all deps configure build run test bench package clean

all: build

$(STAMP): packaging/install-deps.sh
	bash packaging/install-deps.sh
	mkdir -p $(BUILD) && touch $(STAMP)

deps: $(STAMP)

$(BUILD)/build.ninja: $(STAMP) CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/bin/deep-workbench

test: build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS) --timeout 1200

# Benchmarks print figures next to their references (some need python3-torch: --bench).
# BENCH=name runs one of them.
BENCH ?=
bench: build
	bash packaging/install-deps.sh --bench
	cmake --build $(BUILD) --target benchmarks -j $(JOBS)
	@set -e; for b in $(BUILD)/bench/*$(BENCH)*; do \
	  [ -x "$$b" ] || continue; echo "== $$(basename $$b)"; "$$b"; done

package: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD)
