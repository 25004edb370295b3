#!/usr/bin/env python3
"""The PyTorch side of test_torchvision_parity.cpp: builds a torchvision backbone with random
weights, writes its state dict the way torchvision's own weight files are written, and the
logits it gives for the test's images.

  torchvision_parity.py --arch ARCH --input input.bin --out DIR

input.bin: raw little-endian float32, N×3×224×224 (already ImageNet-normalised).
DIR/weights.pth: torch.save(model.state_dict()) (an OrderedDict).
DIR/logits.bin: raw little-endian float32, N×1000, eval mode.

Needs Debian's python3-torch and python3-torchvision (packaging/install-deps.sh).
"""
import argparse
import array
import os
import sys

import torch
import torch.nn as nn
import torchvision

# The project's names of the architectures -> torchvision's.
NAMES = {"mobilenetv2": "mobilenet_v2"}
SIDE = 224
CALIBRATION_PASSES = 3


def read_floats(path):
    """Raw little-endian float32 (the standard library alone: no NumPy needed)."""
    values = array.array("f")
    with open(path, "rb") as f:
        values.frombytes(f.read())
    if sys.byteorder != "little":
        values.byteswap()
    return values.tolist()


def write_floats(path, floats):
    values = array.array("f", floats)
    if sys.byteorder != "little":
        values.byteswap()
    with open(path, "wb") as f:
        values.tofile(f)


def calibrate_batch_norms(model, x):
    """Running statistics := the average statistics of a few passes over x, so that in eval
    mode every layer sees activations of order 1 (with torchvision's initial statistics, mean
    0 and variance 1, a random deep network's logits explode or vanish)."""
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # a cumulative average over the passes
    model.train()
    with torch.no_grad():
        for _ in range(CALIBRATION_PASSES):
            model(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", required=True)
    parser.add_argument("--input", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(0)
    name = NAMES.get(args.arch, args.arch)
    if not hasattr(torchvision.models, name):
        sys.exit(f"torchvision {torchvision.__version__} has no model {name}")
    model = getattr(torchvision.models, name)(weights=None)  # torchvision's own random initialisation

    x = torch.tensor(read_floats(args.input)).reshape(-1, 3, SIDE, SIDE)
    with torch.no_grad():
        for module in model.modules():
            # ConvNeXt initialises its layer scales at 1e-6, which would hide the residual
            # branches from the comparison: make them matter.
            if hasattr(module, "layer_scale"):
                module.layer_scale.uniform_(0.5, 1.5)
    calibrate_batch_norms(model, x)
    model.eval()
    with torch.no_grad():
        logits = model(x)

    torch.save(model.state_dict(), os.path.join(args.out, "weights.pth"))
    write_floats(os.path.join(args.out, "logits.bin"), logits.flatten().tolist())
    print(f"{args.arch}: logits {tuple(logits.shape)}, |max| {logits.abs().max().item():.4g}, "
          f"top-1 {logits.argmax(1).tolist()}")


if __name__ == "__main__":
    main()
