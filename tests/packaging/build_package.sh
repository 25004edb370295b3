#!/usr/bin/env bash
# Fixture of the packaging tests: `cpack -G DEB` of this build, as `make package` does, into a
# folder of its own (build/packaging-test) so that a package made by hand is never replaced.
# Usage: build_package.sh CPACK BUILD_DIR OUT_DIR
set -euo pipefail
cpack=$1 build=$2 out=$3

rm -rf "$out"
mkdir -p "$out"
cd "$build"
start=$(date +%s)
"$cpack" -G DEB -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
rm -rf "$out/_CPack_Packages"
debs=("$out"/deep-workbench_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || { echo "cpack made no single .deb in $out" >&2; ls -l "$out" >&2; exit 1; }
echo "built $(basename "${debs[0]}"): $(stat -c %s "${debs[0]}") bytes in $(($(date +%s) - start)) s"
dpkg-deb --info "${debs[0]}" | sed -n '/Package:/,$p'
