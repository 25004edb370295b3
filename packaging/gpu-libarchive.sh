#!/usr/bin/env bash
# Copies libarchive's header and the shared objects it needs into DIR/{include,lib}, for a
# CUDA machine that has none of Debian's packages (see docs/gpu.md). The deps bundle of
# ../shared/gpu does not carry libarchive.
set -euo pipefail
dir=${1:?usage: gpu-libarchive.sh DIR}
mkdir -p "$dir/include" "$dir/lib"
cp /usr/include/archive.h /usr/include/archive_entry.h "$dir/include/"
lib=$(ldconfig -p | awk '/libarchive\.so\.13 .*x86-64/ {print $NF; exit}')
[ -n "$lib" ] || { echo "libarchive.so.13 not found: run packaging/install-deps.sh first" >&2; exit 1; }
cp -L "$lib" "$dir/lib/"
# Its own dependencies that a bare Ubuntu/Debian machine may lack.
ldd "$lib" | awk '/=> \// {print $3}' | while read -r dep; do
  case "$(basename "$dep")" in
    libc.so*|libm.so*|libpthread.so*|libdl.so*|ld-linux*|libz.so*) ;;
    *) cp -L "$dep" "$dir/lib/" ;;
  esac
done
echo "libarchive for the GPU build in $dir"
