#!/usr/bin/env bash
# Screenshots of the lineage views (family tree, Compare, Run History, a run record) for
# docs/lineage.md: runs test_lineage_screenshots in the real (xcb) window system of a
# virtual X server. Usage: scripts/lineage_screenshots.sh [build folder]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
cmake --build "$build" --target test_lineage_screenshots
DW_SCREENSHOT_DIR="$root/docs/images" QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/test_lineage_screenshots"
ls -l "$root"/docs/images/lineage-*.png
