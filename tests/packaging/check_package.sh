#!/usr/bin/env bash
# Checks the .deb that build_package.sh made: lintian (no error), the desktop entry, the AppStream
# file and the .dwm MIME type as installed, then unpacks it into a scratch root (dpkg -x) and runs
# the installed deepwb and deep-workbench from there, with a bare environment: no
# LD_LIBRARY_PATH, no DEEPWB_* variable, and a check that nothing of the build or source tree is
# loaded or listed.
# Usage: check_package.sh PACKAGE_DIR BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
pkgdir=$(realpath "$1") build=$(realpath "$2") source=$(realpath "$3") version=$4

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "== $*"; }

for tool in lintian desktop-file-validate appstreamcli xmllint update-mime-database update-desktop-database gio \
    python3 dpkg-deb ldd tar; do
    command -v "$tool" >/dev/null || fail "$tool is missing (packaging/install-deps.sh installs it)"
done
debs=("$pkgdir"/deep-workbench_*.deb)
deb=${debs[0]}
[ -f "$deb" ] || fail "no package in $pkgdir (the test packaging_build makes it)"

work=$(mktemp -d /tmp/dw-package-check.XXXXXX)
gui_pid=""
cleanup() {
    [ -n "$gui_pid" ] && kill "$gui_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
root=$work/root

# --- the package as a file ---------------------------------------------------------------------
step "lintian $(basename "$deb") ($(stat -c %s "$deb") bytes)"
set +e
lintian --fail-on error "$deb" >"$work/lintian.txt" 2>&1
lintian_rc=$?
set -e
grep -v 'running with root privileges' "$work/lintian.txt" || true
errors=$(grep -c '^E: ' "$work/lintian.txt" || true)
warnings=$(grep -c '^W: ' "$work/lintian.txt" || true)
echo "lintian: $errors error(s), $warnings warning(s), exit status $lintian_rc"
[ "$errors" -eq 0 ] && [ "$lintian_rc" -eq 0 ] || fail "lintian reports errors"

dpkg-deb -x "$deb" "$root"
share=$root/usr/share
desktop=$share/applications/deep-workbench.desktop
metainfo=$share/metainfo/org.deephdc.workbench.metainfo.xml
mimexml=$share/mime/packages/deep-workbench.xml
for f in "$desktop" "$metainfo" "$mimexml" "$share/icons/hicolor/scalable/apps/deep-workbench.svg" \
    "$share/doc/deep-workbench/copyright" "$share/doc/deep-workbench/changelog.gz" \
    "$share/man/man1/deepwb.1.gz" "$share/man/man1/deep-workbench.1.gz"; do
    [ -f "$f" ] || fail "the package lacks ${f#"$root"}"
done

step "desktop-file-validate"
desktop-file-validate "$desktop" >"$work/desktop.txt" 2>&1 || {
    cat "$work/desktop.txt"
    fail "desktop-file-validate failed"
}
cat "$work/desktop.txt"
grep -qi 'error' "$work/desktop.txt" && fail "desktop-file-validate reports errors"
grep -qx 'MimeType=application/x-deep-workbench-module;' "$desktop" || fail "the desktop entry does not open .dwm files"
grep -qE '^Exec=deep-workbench %[FfUu]$' "$desktop" || fail "the desktop entry does not pass the file to the workbench"

step "appstreamcli validate --no-net"
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate failed"

step "MIME type of .dwm files (shared-mime-info)"
xmllint --noout "$mimexml" || fail "$mimexml is not well-formed XML"
# update-mime-database warns (and still succeeds) on elements it does not know: none is allowed.
XDG_DATA_DIRS="$share:/usr/share" XDG_DATA_HOME="$work/empty" update-mime-database "$share/mime" >"$work/mime.txt" 2>&1 || {
    cat "$work/mime.txt"
    fail "update-mime-database failed"
}
[ -s "$work/mime.txt" ] && {
    cat "$work/mime.txt"
    fail "update-mime-database warns about the MIME file"
}
grep -qx '50:application/x-deep-workbench-module:\*\.dwm' "$share/mime/globs2" ||
    fail "*.dwm is not registered: $(cat "$share/mime/globs2")"
grep -qx 'application/x-deep-workbench-module application/x-compressed-tar' "$share/mime/subclasses" ||
    fail "the .dwm type is not a sub-class of application/x-compressed-tar"
update-desktop-database "$share/applications"
grep -q '^application/x-deep-workbench-module=deep-workbench.desktop;' "$share/applications/mimeinfo.cache" ||
    fail "the desktop database does not open .dwm files with deep-workbench.desktop"

# The programs run with a bare environment: their libraries, plugins and demo modules must come
# from the scratch root through their own RUNPATH and paths relative to the program.
home=$work/home
mkdir -p "$home" "$work/runtime" && chmod 700 "$work/runtime"
run() {
    env -i PATH=/usr/bin:/bin HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
        XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$work/runtime" XDG_DATA_DIRS="$share:/usr/share" \
        QT_QPA_PLATFORM=offscreen OMP_WAIT_POLICY=passive DEEPWB_WEIGHTS_URL=http://127.0.0.1:9/models "$@"
}
bin=$root/usr/bin
private=$root/usr/lib/deep-workbench/private
plugins=$root/usr/lib/deep-workbench/plugins

# A module archive to open: the sunspots demo under an id of its own, packed as export does
# (a gzip-compressed tar with the module folder at its top).
mkdir -p "$work/archive-src" "$work/files"
cp -r "$share/deep-workbench/demo-modules/sunspots-demo" "$work/archive-src/shared-sunspots"
python3 - "$work/archive-src/shared-sunspots/module.json" <<'PY'
import json, sys
path = sys.argv[1]
manifest = json.load(open(path))
manifest["id"] = "shared-sunspots"
manifest["title"] = "Sunspots, shared"
manifest["keywords"] = [k for k in manifest.get("keywords", []) if k != "demo"]
json.dump(manifest, open(path, "w"), indent=2)
PY
tar -czf "$work/files/shared-sunspots.dwm" -C "$work/archive-src" shared-sunspots

step "a .dwm file's type as the desktop sees it (gio)"
content_type=$(run gio info -a standard::content-type "$work/files/shared-sunspots.dwm" 2>/dev/null |
    sed -n 's/^ *standard::content-type: //p')
echo "content type: $content_type"
[ "$content_type" = application/x-deep-workbench-module ] || fail ".dwm is seen as '$content_type'"
# GLib lists a desktop entry only when its Exec program is on PATH, as /usr/bin is once installed.
run env PATH="$root/usr/bin:/usr/bin:/bin" gio mime application/x-deep-workbench-module >"$work/gio-mime.txt" 2>&1 ||
    true
cat "$work/gio-mime.txt"
grep -q 'deep-workbench.desktop' "$work/gio-mime.txt" || fail "no application opens .dwm files"

step "the installed programs link the scratch root's libraries"
for f in "$bin/deepwb" "$bin/deep-workbench" "$private"/*.so "$plugins"/*.so; do
    run ldd "$f" >"$work/ldd.txt" 2>&1 || fail "ldd $f failed: $(cat "$work/ldd.txt")"
    grep -q 'not found' "$work/ldd.txt" && fail "${f#"$root"}: $(grep 'not found' "$work/ldd.txt")"
    grep -qF -e "$build" -e "$source" "$work/ldd.txt" && fail "${f#"$root"} links the build or source tree"
    for lib in libdwcore.so libdwserve.so; do
        resolved=$(sed -n "s/^\t$lib => \(.*\) (0x.*/\1/p" "$work/ldd.txt")
        [ -z "$resolved" ] || [ "$(realpath "$resolved")" = "$private/$lib" ] ||
            fail "${f#"$root"} finds $lib at $resolved, not in the scratch root"
    done
done
run ldd "$bin/deepwb" | grep -E 'libdw(core|serve)'

step "deepwb --version"
run "$bin/deepwb" --version | tee "$work/version.txt"
[ "$(head -n1 "$work/version.txt")" = "deepwb $version" ] || fail "deepwb --version does not say $version"

step "deepwb plugins (loaded from the scratch root; dynamic loader log checked)"
run env LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld-debug" "$bin/deepwb" plugins --json >"$work/plugins.json"
python3 - "$work/plugins.json" "$plugins" <<'PY'
import json, os, sys
info = json.load(open(sys.argv[1]))
folder = sys.argv[2]
loaded = {p["metadata"]["task"]: p["file"] for p in info["plugins"] if p.get("loaded")}
print("tasks:", ", ".join(sorted(loaded)), "| search paths:", ", ".join(info["search_paths"]))
assert sorted(loaded) == ["image-classification", "super-resolution", "time-series"], info
for task, path in loaded.items():
    assert os.path.dirname(os.path.realpath(path)) == os.path.realpath(folder), (task, path)
PY
cat "$work"/ld-debug.* >"$work/ld-debug.txt"
grep -c 'file=' "$work/ld-debug.txt" | sed 's/^/dynamic loader: files opened: /'
if grep -F -e "$build" -e "$source" "$work/ld-debug.txt" | head -5 | grep .; then
    fail "the installed deepwb loaded a library from the build or source tree"
fi

step "deepwb catalog list (the demo modules, from the scratch root)"
run "$bin/deepwb" catalog list --catalog "$work/catalog" | tee "$work/catalog.txt"
for id in fashion-mnist-demo sunspots-demo landsat-x2-demo; do
    grep -qE "^$id +[a-z-]+ +trained, demo " "$work/catalog.txt" || fail "catalog list does not list $id as a demo"
done
run "$bin/deepwb" catalog list --json --catalog "$work/catalog" >"$work/catalog.json"
python3 - "$work/catalog.json" "$share/deep-workbench/demo-modules" <<'PY'
import json, os, sys
modules = {m["id"]: m for m in json.load(open(sys.argv[1]))["modules"]}
folder = os.path.realpath(sys.argv[2])
for id in ("fashion-mnist-demo", "sunspots-demo", "landsat-x2-demo"):
    m = modules[id]
    assert m["demo"] and m["valid"] and m["plugin_available"], m
    assert os.path.dirname(os.path.realpath(m["path"])) == folder, (id, m["path"])
print("3 demo modules, valid, with their plugin, in", folder)
PY

step "deepwb predict with the installed demo classifier"
sample=$(ls "$share/deep-workbench/demo-samples/fashion-mnist/Trouser/"*.png | head -n1)
run "$bin/deepwb" predict fashion-mnist-demo "$sample" --catalog "$work/catalog" --top 1 --format csv |
    tee "$work/predict.txt"
label=$(tail -n1 "$work/predict.txt" | awk -F, '{ print $2 }')
[ "$label" = Trouser ] || fail "the demo classifier calls a trouser '$label'"

step "deep-workbench --version"
run "$bin/deep-workbench" --version | tee "$work/gui-version.txt"
grep -qx "deep-workbench $version" "$work/gui-version.txt" || fail "deep-workbench --version does not say $version"

step "deep-workbench shared-sunspots.dwm (offscreen): opens the file as an import"
# As a double-click does (Exec=deep-workbench %F), from the file's folder.
(cd "$work/files" && exec env -i PATH=/usr/bin:/bin HOME="$home" XDG_CONFIG_HOME="$home/.config" \
    XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$work/runtime" \
    QT_QPA_PLATFORM=offscreen OMP_WAIT_POLICY=passive \
    "$bin/deep-workbench" --catalog "$work/gui-catalog" shared-sunspots.dwm) >"$work/gui.log" 2>&1 &
gui_pid=$!
imported=""
for _ in $(seq 1 90); do
    kill -0 "$gui_pid" 2>/dev/null || break
    if [ -f "$work/gui-catalog/shared-sunspots/module.json" ]; then
        imported=yes
        break
    fi
    sleep 1
done
if ! kill -0 "$gui_pid" 2>/dev/null; then
    set +e
    wait "$gui_pid"
    rc=$?
    set -e
    gui_pid=""
    cat "$work/gui.log"
    fail "deep-workbench ended by itself (exit status $rc) before being closed"
fi
[ -n "$imported" ] || {
    cat "$work/gui.log"
    fail "deep-workbench did not import shared-sunspots.dwm within 90 s"
}
# Still running a few seconds later (the import's job finished, the catalog rescanned), then closed.
sleep 3
kill -0 "$gui_pid" 2>/dev/null || {
    cat "$work/gui.log"
    fail "deep-workbench crashed after the import"
}
kill -TERM "$gui_pid"
set +e
wait "$gui_pid"
rc=$?
set -e
gui_pid=""
cat "$work/gui.log"
[ "$rc" -eq 0 ] || [ "$rc" -eq 143 ] || fail "deep-workbench ended with status $rc when asked to quit"
run "$bin/deepwb" catalog list --json --catalog "$work/gui-catalog" >"$work/gui-catalog.json"
python3 - "$work/gui-catalog.json" "$work/gui-catalog" <<'PY'
import json, os, sys
modules = {m["id"]: m for m in json.load(open(sys.argv[1]))["modules"]}
m = modules["shared-sunspots"]
assert m["valid"] and not m["built_in"] and m["plugin_available"], m
assert os.path.realpath(m["path"]).startswith(os.path.realpath(sys.argv[2]) + "/"), m["path"]
print("imported by the GUI:", m["id"], "-", m["title"], "in", m["path"])
PY
echo "PASS: $(basename "$deb")"
