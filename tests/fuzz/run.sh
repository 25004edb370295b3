#!/usr/bin/env bash
# Runs the libFuzzer targets built by `make fuzz-build`.
#   run.sh BUILD SECONDS [TARGET...]   each target for SECONDS, two at a time (FUZZ_JOBS)
# Each target starts from its seeds (tests/fuzz/corpus/TARGET) and the inputs found by earlier
# runs (BUILD/corpus/TARGET, not committed). A crash, a leak of the time limit per input (10 s)
# or of memory (2 GB) stops that target; its input is kept in BUILD/findings/ and the command to
# replay it is printed. Exit status: 0 when every target ran its time clean, 1 otherwise, 77
# when the targets are not built (make fuzz-build).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?build folder}" 2>/dev/null && pwd) || { echo "fuzz: no build folder $1: run make fuzz-build" >&2; exit 77; }
seconds=${2:?seconds}
shift 2
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in "$build"/bin/fuzz_*; do [ -x "$t" ] && targets+=("$(basename "$t")"); done
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no targets in $build/bin: run make fuzz-build" >&2; exit 77; }
for t in "${targets[@]}"; do
  [ -x "$build/bin/$t" ] || { echo "fuzz: $build/bin/$t is not built: run make fuzz-build" >&2; exit 77; }
done
mkdir -p "$build/findings" "$build/logs"

run_one() {
  local t=$1 work="$build/corpus/$1" log="$build/logs/$1.log"
  mkdir -p "$work"
  # ASan's leak checker stays off: Qt keeps some allocations for the process's lifetime.
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/bin/$t" "$work" "$here/corpus/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/findings/$t-" >"$log" 2>&1
  local rc=$?
  local runs cov
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    printf '%-22s clean   %ss %10s inputs  %s  corpus %s\n' "$t" "$seconds" "${runs:-?}" "$cov" "$(ls "$work" | wc -l)"
  else
    printf '%-22s FAILED  (exit %s) see %s\n' "$t" "$rc" "$log"
    grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$log" | head -8 | sed 's/^/    /'
    local art
    art=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //')
    [ -n "$art" ] && echo "    replay: $build/bin/$t $art"
  fi
  [ $rc -eq 0 ]  # a fuzzer's own exit codes (77 among them) all mean a finding
}
export -f run_one
export build seconds here

status=0
printf '%s\n' "${targets[@]}" | xargs -P "${FUZZ_JOBS:-2}" -I{} bash -c 'run_one {}' || status=1
exit $status
