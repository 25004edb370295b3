#!/usr/bin/env bash
# Rebuilds the three demo modules that ship with the workbench (resources/demo-modules) with
# the project's own command line, from fixed seeds, and prints their figures:
#
#   fashion-mnist-demo     SmallCNN on Fashion-MNIST (Debian's dataset-fashion-mnist)
#   sunspots-demo          LSTM forecaster of the monthly sunspot number, with alert thresholds
#   landsat-x2-demo        2x super-resolution of the Landsat 7 ETM+ scene (r-cran-stars)
#
#   scripts/make-demo-modules.sh [--deepwb PATH] [--work DIR] [--data DIR] [--only ID]
#
# --deepwb   the command line to train with (default: build/bin/deepwb; run `make` first)
# --work     scratch folder for the PNG tree and the catalog (default: build/demo-work)
# --data     the real data sets (default: ../shared/data next to the repository)
# --only     rebuild one module only
#
# Trained on the CPU with two LibTorch threads, so that a rerun on another machine gives the
# same figures (a different CPU or thread count can change the last digits). The weights,
# module.json and history.json replace those in resources/demo-modules; checkpoints and
# predictions stay in the scratch folder.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
deepwb="$repo/build/bin/deepwb"
work="$repo/build/demo-work"
data="$(cd "$repo/.." && pwd)/shared/data"
only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --deepwb) deepwb="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --data) data="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        -h|--help) sed -n 2,19p "$0"; exit 0 ;;
        *) echo "make-demo-modules: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -x "$deepwb" ] || { echo "make-demo-modules: $deepwb is missing: run make first" >&2; exit 1; }
for f in L7_ETMs.tif sunspot_month.csv; do
    [ -f "$data/$f" ] || { echo "make-demo-modules: $data/$f is missing (--data DIR)" >&2; exit 1; }
done
out="$repo/resources/demo-modules"
catalog="$work/catalog"
mkdir -p "$work" "$catalog" "$out"
export OMP_NUM_THREADS=2 QT_QPA_PLATFORM=offscreen
train() { "$deepwb" train "$@" --catalog "$catalog" --device cpu --json > "$work/$1.json"; }

# Copies a trained module into resources/demo-modules and marks it as a read-only demo.
ship() {
    local id="$1" title="$2" summary="$3" extra_keyword="$4"
    rm -rf "${out:?}/$id"
    mkdir -p "$out/$id"
    cp "$catalog/$id/module.json" "$catalog/$id/weights.pt" "$catalog/$id/history.json" "$out/$id/"
    # The test-set evaluation (confusion matrix, per-class scores) without its predictions.csv,
    # whose paths are the pictures of this machine.
    if [ -f "$catalog/$id/evaluation.json" ]; then
        /usr/bin/python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); e.pop("predictions",None); json.dump(e,open(sys.argv[2],"w"),indent=2); open(sys.argv[2],"a").write("\n")' \
            "$catalog/$id/evaluation.json" "$out/$id/evaluation.json"
    fi
    /usr/bin/python3 - "$out/$id/module.json" "$title" "$summary" "$extra_keyword" <<'PY'
import json, sys
path, title, summary, keyword = sys.argv[1:5]
with open(path, encoding="utf-8") as f:
    m = json.load(f)
m["title"] = title
m["summary"] = summary
m["keywords"] = ["demo", keyword] + [k for k in m.get("keywords", []) if k not in ("demo", keyword)]
m["authors"] = ["DEEP Workbench developers"]
m["license"] = "Apache-2.0"
# No path of the machine that made it: the data set's folder name only.
data = m.get("training_data", {})
if isinstance(data.get("root"), str):
    data["root"] = data["root"].rstrip("/").split("/")[-1]
with open(path, "w", encoding="utf-8") as f:
    json.dump(m, f, indent=2, ensure_ascii=False)
    f.write("\n")
PY
}

metric() {  # metric FILE KEY...: a number from the trained module's manifest
    /usr/bin/python3 - "$@" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))["metrics"]
for k in sys.argv[2:]:
    v = v[k]
print(v)
PY
}

if [ -z "$only" ] || [ "$only" = fashion-mnist-demo ]; then
    fm="$work/fashion-mnist"
    [ -d "$fm/test" ] || /usr/bin/python3 "$repo/scripts/fashion_mnist_to_png.py" "$fm"
    rm -rf "$catalog/fashion-mnist-demo"
    train image-classification --data "$fm" --arch smallcnn --epochs 3 --batch 128 --lr 0.003 \
        --no-augment --seed 7 --name fashion-mnist-demo
    ship fashion-mnist-demo "Fashion-MNIST clothes (demo)" \
        "Demo: sorts 28×28 grey pictures of clothes into the 10 Fashion-MNIST classes. Drop a picture on it." \
        "fashion-mnist"
fi

if [ -z "$only" ] || [ "$only" = sunspots-demo ]; then
    rm -rf "$catalog/sunspots-demo"
    train time-series --csv "$data/sunspot_month.csv" --target sunspots --model lstm --window 36 \
        --horizon 6 --hidden 32 --layers 1 --epochs 40 --batch 64 --lr 0.003 --seed 7 --name sunspots-demo
    ship sunspots-demo "Monthly sunspots forecaster (demo)" \
        "Demo: forecasts the monthly mean sunspot number 6 months ahead and flags unusual months." \
        "sunspots"
fi

if [ -z "$only" ] || [ "$only" = landsat-x2-demo ]; then
    rm -rf "$catalog/landsat-x2-demo"
    train super-resolution --raster "$data/L7_ETMs.tif" --scale 2 --val-fraction 0.25 --blocks 4 \
        --filters 32 --patch 48 --patches-per-epoch 384 --batch 16 --epochs 16 --lr 0.002 \
        --optimizer adam --self-ensemble 8 --seed 7 --name landsat-x2-demo
    ship landsat-x2-demo "Landsat 7 ×2 super-resolution (demo)" \
        "Demo: doubles the resolution of 6-band Landsat 7 ETM+ scenes (bands 1-5 and 7)." \
        "landsat"
fi

echo "Demo modules in $out:"
m="$out/fashion-mnist-demo/module.json"
[ -f "$m" ] && echo "  fashion-mnist-demo: test top-1 $(metric "$m" test_top1) on $(metric "$m" test_images) test images (top-5 $(metric "$m" test_top5))"
m="$out/sunspots-demo/module.json"
[ -f "$m" ] && echo "  sunspots-demo: test MAE $(metric "$m" mae), naive forecast MAE $(metric "$m" naive_mae)"
m="$out/landsat-x2-demo/module.json"
[ -f "$m" ] && echo "  landsat-x2-demo: held-out PSNR $(metric "$m" psnr) dB, bicubic $(metric "$m" bicubic_psnr) dB, gain $(metric "$m" psnr_gain) dB"
du -sh "$out"
