#!/usr/bin/env bash
# Every picture in docs/ from real runs, in the real (xcb) window system of a virtual X server:
# the README's pictures (test_workbench_screenshots: the demo modules in each workspace) into
# docs/, then the lineage views and the live training curves into docs/images
# (lineage_screenshots.sh, live_curves_screenshots.sh). PNGs go through optipng when it is
# installed. Usage: scripts/screenshots.sh [build folder]   (make screenshots)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
cmake --build "$build" --target test_workbench_screenshots
shots="$(mktemp -d)"
trap 'rm -rf "$shots"' EXIT
DW_SCREENSHOT_DIR="$shots" QT_QPA_PLATFORM=xcb OMP_WAIT_POLICY=passive \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/test_workbench_screenshots"
cp "$shots"/screenshot-*.png "$root/docs/"
bash "$root/scripts/lineage_screenshots.sh" "$build"
bash "$root/scripts/live_curves_screenshots.sh" "$build"
if command -v optipng >/dev/null; then
  optipng -quiet -o2 "$root"/docs/screenshot-*.png "$root"/docs/images/*.png
fi
ls -l "$root"/docs/screenshot-*.png "$root"/docs/images/*.png
