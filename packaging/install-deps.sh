#!/usr/bin/env bash
# Installs every Debian 12 package that DEEP Workbench needs to build, test and run.
# Idempotent: installs only what is missing, runs `apt-get update` at most once.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # .ci/run checks that the code follows .clang-format
  clang-format-14
  # Qt 6
  qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qt6-qpa-plugins
  libqt6svg6 libgl-dev libqcustomplot-dev
  # engines
  libtorch-dev libopenblas0-pthread libopencv-dev libgdal-dev gdal-bin libarchive-dev
  # distributed training: c10d's Gloo process group needs the headers of the Gloo that Debian's
  # LibTorch is built with
  libgloo-dev
  # ONNX export: the ONNX project's C++ library (protobuf model, checker, shape inference)
  libonnx-dev
  # make fuzz (and its 30-second run in make test): clang's libFuzzer and sanitizer runtimes
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  # data, tests, screenshots
  dataset-fashion-mnist xvfb xauth fonts-dejavu-core curl python3
  # peers the tests compare with (torchvision parity, TorchScript models made by PyTorch)
  python3-torch python3-torchvision
  # the ONNX export tests run the checker of the ONNX project's Python package on every file
  python3-onnx
  # tests/fuzz/make_corpus.py writes its seed images with Pillow
  python3-pil
  # test_rest_deepaas validates /swagger.json as Swagger 2.0 with a validator nobody here wrote
  python3-swagger-spec-validator
  # deepwb serve's /ui shows Swagger UI from this package's copy (nothing is downloaded)
  python3-flasgger
  # tests/packaging checks the .deb: lintian, the desktop entry, AppStream, the .dwm MIME type
  # (shared-mime-info, and GIO as a desktop sees it); the container test needs podman or docker
  # and is skipped without one
  lintian desktop-file-utils appstream shared-mime-info libxml2-utils libglib2.0-bin
)

# --bench is kept for older callers: the PyTorch peers are now part of the test set-up.

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# A peer from the npm registry (outside the repository): test_rest_deepaas validates
# /openapi.json as OpenAPI 3 (and /swagger.json again) with @apidevtools/swagger-parser.
npm_peers() {
  local dir="${DEEPWB_NPM_PEERS:-$HOME/.cache/deep-workbench/npm-peers}"
  [ -f "$dir/node_modules/@apidevtools/swagger-parser/package.json" ] && return 0
  if ! command -v npm >/dev/null; then
    echo "install-deps: npm not found: the OpenAPI 3 validation of test_rest_deepaas will be skipped" >&2
    return 0
  fi
  mkdir -p "$dir"
  echo "install-deps: npm install @apidevtools/swagger-parser@10 into $dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" @apidevtools/swagger-parser@10 >/dev/null ||
    echo "install-deps: the npm install failed: the OpenAPI 3 validation of test_rest_deepaas will fail" >&2
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  npm_peers
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
npm_peers
