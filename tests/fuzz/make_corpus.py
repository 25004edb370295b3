#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/.

Run once by hand when a reader learns a new format; the seeds are committed (a few KB each).
Sources: the built-in module manifests, the DEEP metadata fixtures in tests/data/catalog, the
first lines of the real series in ../shared/data, and small hand-made files for the rest.
Images come from Pillow (Debian's python3-pil).
"""
import gzip, hashlib, io, json, os, pathlib, sys, tarfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fuzz/corpus"
SHARED = ROOT.parent / "shared/data"


def put(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# manifests
for m in sorted((ROOT / "resources/modules").glob("*/module.json")):
    put("fuzz_manifest", m.parent.name + ".json", m.read_bytes())
trained = {
    "id": "sine-lstm", "title": "Sine LSTM", "task": "time-series", "architecture": "lstm",
    "version": "1.0.0", "license": "MIT", "labels": [], "metrics": {"rmse": 0.1}, "authors": ["A. B."],
    "weights": {"file": "weights.pt", "format": "torch-state-dict", "sha256": "0" * 64},
    "inputs": {"window": 16, "horizon": 2, "target": ["value"]}, "hyper-parameters": {"epochs": 3, "lr": 0.01},
    "parent": "base", "init": {"kind": "imagenet", "arch": "resnet18"}}
put("fuzz_manifest", "trained.json", json.dumps(trained, indent=1))
put("fuzz_manifest", "not-object.json", "[1, 2, 3]")

# DEEP metadata
for m in sorted((ROOT / "tests/data/catalog").glob("*.json")):
    put("fuzz_deep_metadata", m.name, m.read_bytes())

# tables: real series, first lines
for name in ["sunspots.csv", "sunspot_month.csv", "nile.csv", "macrodata.csv", "eustock.csv"]:
    p = SHARED / name
    if p.exists():
        put("fuzz_table", name, b"".join(p.read_bytes().splitlines(keepends=True)[:40]))
put("fuzz_table", "semicolon-decimal-comma.csv", "Datum;Wert;Text\n01.03.2024;1,5;a\n02.03.2024;NA;b\n04.03.2024;2,25;\"c;d\"\n")
put("fuzz_table", "year-quarter-columns.csv", "year,quarter,gdp,cpi\n1959,1,2710.3,28.98\n1959,2,2778.8,29.15\n1959,3,2775.5,29.35\n")
put("fuzz_table", "unix-ms.tsv", "timestamp\tvalue\n1700000000000\t1\n1700000060000\t2\n1700000000000\t3\n")
put("fuzz_table", "comments-quoted.csv", "# exported\n\"time\",\"a b\",\"c\"\n2024-01-01T00:00:00Z,\"1\",2\n2024-01-01T01:00:00+02:00,3,\n")

# timestamps: one cell of each format, and a column of them
for i, cell in enumerate(["2024-03-01T12:30:00.250Z", "2024-03-01 12:30", "2024/03/01", "01.03.2024",
                          "03/25/2024 12:30:15", "1749-01", "1959Q1", "1959-Q4", "1700", "1749.042",
                          "1700000000", "1700000000000", "20240301", "2024-03-01T12:30:00-05:30"]):
    put("fuzz_timestamp", "cell-%02d" % i, cell)
put("fuzz_timestamp", "column", "01/02/2024\n13/02/2024\n14/02/2024\n\n15/02/2024")

# request bodies: Content-Type line, then the body
b = "XyZ123"
multipart = ("multipart/form-data; boundary=%s\n--%s\r\nContent-Disposition: form-data; name=\"data\"; "
             "filename=\"../x y.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--%s\r\nContent-Disposition: "
             "form-data; name=\"top\"\r\n\r\n5\r\n--%s--\r\n" % (b, b, b, b))
put("fuzz_form_data", "multipart", multipart)
put("fuzz_form_data", "urlencoded", "application/x-www-form-urlencoded\ntop=5&accept=application%2Fjson&top=3")
put("fuzz_form_data", "json", "application/json; charset=utf-8\n{\"top\": 5, \"names\": [\"a\", \"b\"], \"x\": null}")

# image headers: every format the sniffer knows, and a JPEG with an EXIF orientation
from PIL import Image
pixels = bytes((i * 7) % 256 for i in range(6 * 5 * 3))
pil = Image.frombytes("RGB", (5, 6), pixels)
for ext, fmt, im in [(".png", "PNG", pil), (".jpg", "JPEG", pil), (".bmp", "BMP", pil), (".tif", "TIFF", pil),
                     (".webp", "WEBP", pil), (".ppm", "PPM", pil), (".pgm", "PPM", pil.convert("L")),
                     ("16.png", "PNG", pil.convert("L").convert("I"))]:
    buf = io.BytesIO()
    im.save(buf, fmt)
    put("fuzz_image_header", "tiny" + ext, buf.getvalue())
exif = Image.Exif()
exif[0x0112] = 6
buf = io.BytesIO()
pil.save(buf, "JPEG", exif=exif.tobytes())
put("fuzz_image_header", "exif-orientation-6.jpg", buf.getvalue())
put("fuzz_image_header", "cut-short.jpg", buf.getvalue()[:-40])

# DEEP split files (train NUL classes NUL val NUL test) and CSV manifests
put("fuzz_split_files", "names", "cat/1.jpg cat\ncat/2.jpg cat\ndog/a b.png dog\n# comment\n\ndog/3.png dog\n")
put("fuzz_split_files", "indexes", "cat/1.jpg 0\ndog/3.png 1\nx.jpg 0\n\0cat\ndog\n\0cat/2.jpg 0\n\0y.tif 1\n")
put("fuzz_split_files", "csv-header", "split,label,path\ntrain,cat,images/cat/1.jpg\ntest,dog,\"images/dog/a b.png\"\n")
put("fuzz_split_files", "csv-semicolon", "images/x.jpg;1\nimages/y.tif;2\nimages/cat/2.jpg;10\n")

# module archives: a tar.gz as `deepwb catalog export` writes it (pax), weights checked by sha256
weights = b"\x80\x02weights"
manifest = dict(trained, weights=dict(trained["weights"], sha256=hashlib.sha256(weights).hexdigest()))
def archive(entries, fmt=tarfile.PAX_FORMAT, gz=True):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=fmt) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1700000000
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0) if gz else raw.getvalue()
mj = json.dumps(manifest, indent=1).encode()
put("fuzz_module_archive", "module.dwm", archive([("sine-lstm/module.json", mj), ("sine-lstm/weights.pt", weights)]))
put("fuzz_module_archive", "traversal.dwm", archive([("../evil/module.json", mj)]))
put("fuzz_module_archive", "ustar.dwm", archive([("m/module.json", mj), ("m/weights.pt", weights),
                                                 ("m/history.json", b"{}")], tarfile.USTAR_FORMAT))
# uncompressed and zip: the fuzzer reaches the tar and zip headers without going through gzip
put("fuzz_module_archive", "plain.tar", archive([("m/module.json", mj), ("m/weights.pt", weights)], gz=False))
import zipfile
raw = io.BytesIO()
with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("m/module.json", mj)
    z.writestr("m/weights.pt", weights)
put("fuzz_module_archive", "module.zip", raw.getvalue())
print("seeds written to", OUT)
