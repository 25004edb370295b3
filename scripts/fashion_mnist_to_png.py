#!/usr/bin/env python3
"""Turn Fashion-MNIST's IDX files into a folder-per-class tree of PNG images.

    fashion_mnist_to_png.py OUTPUT [--source DIR] [--limit N] [--jobs J]

reads the four files that Debian's `dataset-fashion-mnist` installs under
/usr/share/datasets/fashion-mnist/ (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) and writes

    OUTPUT/train/<class>/00000.png ... (60,000 images)
    OUTPUT/test/<class>/00000.png ...  (10,000 images)

as 28x28 8-bit grey PNGs, the layout DEEP Workbench reads as a dataset with a given
train/test split. File names are the index in the original file, so that a result can be
traced back. Python standard library only (gzip, struct, zlib); about 10 s for all 70,000.
"""

import argparse
import gzip
import os
import struct
import sys
import zlib
from concurrent.futures import ProcessPoolExecutor

CLASSES = ["T-shirt_top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle_boot"]
PARTS = {"train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
         "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")}
DEFAULT_SOURCE = "/usr/share/datasets/fashion-mnist"


def read_idx(path, dimensions):
    """The header sizes and the raw bytes of an IDX file of unsigned bytes."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    if magic != 0x0800 + dimensions:
        sys.exit(f"{path}: not an IDX file of {dimensions}-dimensional unsigned bytes (magic {magic:#x})")
    sizes = struct.unpack(">" + "I" * dimensions, data[4:4 + 4 * dimensions])
    body = data[4 + 4 * dimensions:]
    expected = 1
    for s in sizes:
        expected *= s
    if len(body) != expected:
        sys.exit(f"{path}: holds {len(body)} bytes of data, the header announces {expected} (a truncated file?)")
    return sizes, body


def png_chunk(kind, payload):
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))


def grey_png(pixels, width, height):
    """A PNG of 8-bit grey pixels (bytes, row-major); filter type 0 on every row."""
    rows = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(rows, 6)) + png_chunk(b"IEND", b""))


_DATA = {}


def share(images, labels):
    """Hands the decompressed files to a worker once, not with every job."""
    _DATA["images"], _DATA["labels"] = images, labels


def write_range(job):
    """Writes images [start, stop) of one part; runs in a worker process."""
    width, height, folder, start, stop = job
    images, labels = _DATA["images"], _DATA["labels"]
    size = width * height
    for i in range(start, stop):
        path = os.path.join(folder, CLASSES[labels[i]], f"{i:05d}.png")
        with open(path, "wb") as f:
            f.write(grey_png(images[i * size:(i + 1) * size], width, height))
    return stop - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="folder to create the train/ and test/ trees in")
    parser.add_argument("--source", default=DEFAULT_SOURCE,
                        help=f"folder with the IDX files (default {DEFAULT_SOURCE}; "
                             "install with: apt-get install dataset-fashion-mnist)")
    parser.add_argument("--limit", type=int, default=0,
                        help="write only the first N images of each part (for quick tests)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    args = parser.parse_args()

    for part, (images_name, labels_name) in PARTS.items():
        images_path = os.path.join(args.source, images_name)
        labels_path = os.path.join(args.source, labels_name)
        for path in (images_path, labels_path):
            if not os.path.isfile(path):
                sys.exit(f"{path} not found; install Debian's dataset-fashion-mnist or give --source")
        (count, height, width), images = read_idx(images_path, 3)
        (label_count,), labels = read_idx(labels_path, 1)
        if label_count != count:
            sys.exit(f"{labels_path}: {label_count} labels for {count} images")
        if any(label >= len(CLASSES) for label in labels):
            sys.exit(f"{labels_path}: a label outside 0..{len(CLASSES) - 1}")
        if args.limit > 0:
            count = min(count, args.limit)
        folder = os.path.join(args.output, part)
        for name in CLASSES:
            os.makedirs(os.path.join(folder, name), exist_ok=True)
        step = max(1, -(-count // (4 * max(1, args.jobs))))
        jobs = [(width, height, folder, s, min(s + step, count)) for s in range(0, count, step)]
        if args.jobs > 1 and len(jobs) > 1:
            with ProcessPoolExecutor(max_workers=args.jobs, initializer=share, initargs=(images, labels)) as pool:
                written = sum(pool.map(write_range, jobs))
        else:
            share(images, labels)
            written = sum(map(write_range, jobs))
        print(f"{part}: {written} images of {width}x{height} in {folder}")


if __name__ == "__main__":
    main()
