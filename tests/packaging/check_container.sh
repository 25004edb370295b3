#!/usr/bin/env bash
# Builds packaging/Containerfile with the .deb that build_package.sh made and runs it: the
# container must become healthy (its HEALTHCHECK), run as a user other than root, keep the
# catalog in its volume and answer GET /v2/models/ with the three demo modules on the
# published port. Skipped (exit 77, with the reason) where neither podman nor docker works
# or the base image cannot be had.
# Usage: check_container.sh PACKAGE_DIR SOURCE_DIR
set -euo pipefail
pkgdir=$(realpath "$1") source=$(realpath "$2")

skip() {
    echo "SKIP: $*"
    exit 77
}
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

engine=""
for candidate in podman docker; do
    if command -v "$candidate" >/dev/null && timeout 60 "$candidate" info >/dev/null 2>&1; then
        engine=$candidate
        break
    fi
done
if [ -z "$engine" ]; then
    why=()
    for candidate in podman docker; do
        if ! command -v "$candidate" >/dev/null; then
            why+=("$candidate is not installed")
        else
            # (an engine that fails without a word must not end the script here: set -e, pipefail)
            said=$(timeout 60 "$candidate" info 2>&1 | grep -v '^ *$' | tail -n1 || true)
            why+=("'$candidate info' fails${said:+: $said}")
        fi
    done
    skip "no container engine works here (${why[*]})"
fi
debs=("$pkgdir"/deep-workbench_*.deb)
[ -f "${debs[0]}" ] || fail "no package in $pkgdir (the test packaging_build makes it)"

# The Containerfile's base (Debian 12 slim), or DW_CONTAINER_BASE: a local copy of it where the
# registry cannot be reached (passed as --build-arg BASE).
base=${DW_CONTAINER_BASE:-$(sed -n 's/^ARG BASE=//p' "$source/packaging/Containerfile" | head -n1)}
if ! "$engine" image inspect "$base" >/dev/null 2>&1; then
    timeout 300 "$engine" pull "$base" >/dev/null 2>&1 ||
        skip "$engine works, but the base image $base is neither here nor can be pulled (DW_CONTAINER_BASE names another)"
fi
# An engine that answers 'info' may still be unable to start a container (cgroups, rlimits).
"$engine" run --rm "$base" true >/dev/null 2>&1 ||
    skip "$engine cannot start a container here: $("$engine" run --rm "$base" true 2>&1 | tail -n1)"

tag=localhost/deep-workbench-serve-test:$$
name=dw-serve-test-$$
volume=dw-serve-test-$$
work=$(mktemp -d /tmp/dw-container-check.XXXXXX)
cleanup() {
    "$engine" rm -f "$name" >/dev/null 2>&1 || true
    "$engine" volume rm -f "$volume" >/dev/null 2>&1 || true
    "$engine" rmi -f "$tag" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== $engine build (base $base)"
cp "${debs[0]}" "$work/"
format=()
[ "$engine" = podman ] && format=(--format docker)
"$engine" build "${format[@]}" --build-arg "BASE=$base" -f "$source/packaging/Containerfile" -t "$tag" "$work" >"$work/build.log" 2>&1 || {
    tail -n 40 "$work/build.log"
    fail "$engine build failed"
}
tail -n 3 "$work/build.log"

echo "== $engine run"
"$engine" volume create "$volume" >/dev/null
"$engine" run -d --name "$name" -p 127.0.0.1::5000 -v "$volume:/var/lib/deepwb" "$tag" >/dev/null ||
    fail "$engine run failed"

# podman runs health checks from systemd timers, which a machine without systemd lacks: there
# the check is run by hand, as the timer would.
healthy=""
for _ in $(seq 1 60); do
    if [ "$engine" = podman ]; then
        "$engine" healthcheck run "$name" >/dev/null 2>&1 && healthy=yes
    else
        [ "$("$engine" inspect --format '{{.State.Health.Status}}' "$name")" = healthy ] && healthy=yes
    fi
    [ -n "$healthy" ] && break
    [ "$("$engine" inspect --format '{{.State.Running}}' "$name")" = true ] || break
    sleep 2
done
"$engine" logs "$name" 2>&1 | tail -n 20
[ -n "$healthy" ] || fail "the container did not become healthy"
echo "healthy"

uid=$("$engine" exec "$name" id -u)
echo "runs as uid $uid"
[ "$uid" != 0 ] || fail "the service runs as root"
"$engine" exec "$name" sh -c 'test -d "$DEEPWB_CATALOG" && test -w "$DEEPWB_CATALOG"' ||
    fail "the catalog in the volume is missing or not writable"

port=$("$engine" port "$name" 5000/tcp | head -n1 | sed 's/.*://')
echo "== GET http://127.0.0.1:$port/v2/models/"
curl -fsS "http://127.0.0.1:$port/v2/models/" >"$work/models.json" || fail "the published port does not answer"
python3 - "$work/models.json" <<'PY'
import json, sys
reply = json.load(open(sys.argv[1]))
ids = sorted(m.get("id") or m.get("name") for m in reply["models"])
print("models:", ", ".join(ids))
for id in ("fashion-mnist-demo", "sunspots-demo", "landsat-x2-demo"):
    assert id in ids, (id, ids)
PY
"$engine" stop -t 20 "$name" >/dev/null
echo "exit status after stop: $("$engine" inspect --format '{{.State.ExitCode}}' "$name")"
echo "PASS: the container was built and run with $engine"
