#!/usr/bin/env bash
# Screenshots of the Train workspace's live curves after a short training of each task
# (image classification, time series, super-resolution) for docs/training-engine.md: runs
# test_live_curves in the real (xcb) window system of a virtual X server.
# Usage: scripts/live_curves_screenshots.sh [build folder]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
cmake --build "$build" --target test_live_curves
DW_SCREENSHOT_DIR="$root/docs/images" QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/test_live_curves"
ls -l "$root"/docs/images/train-curves-*.png
