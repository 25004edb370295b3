#!/usr/bin/env python3
"""Makes the fixtures of tests/plugins/imageclass/test_imageclass_models.cpp (run once, results committed; the
test itself needs no Python). Needs Debian's python3-torch and python3-torchvision.

  *_state_dict_names.txt   torchvision's state_dict() keys, in order
  reference_logits.txt     logits of each architecture with deterministic weights (the formula
                           below, mirrored in the test; batch norms calibrated on the input)
                           on a deterministic input, eval mode
  tiny_*.pt                a small conv+bn+linear model saved by Python in the ways people
                           save weights, for the reader
"""
import math
import os

import torch
import torch.nn as nn
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))


def conv_bn_act(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SmallCNN(nn.Module):
    """plugins/imageclass/models/small_cnn.h in PyTorch."""

    def __init__(self, in_channels=1, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(conv_bn_act(in_channels, 32), nn.MaxPool2d(2), conv_bn_act(32, 64),
                                      nn.MaxPool2d(2), conv_bn_act(64, 128))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(128 * 4 * 4, num_classes))

    def forward(self, x):
        x = nn.functional.adaptive_avg_pool2d(self.features(x), 4)
        return self.classifier(torch.flatten(x, 1))


def build(arch, in_channels, num_classes):
    if arch == "smallcnn":
        return SmallCNN(in_channels, num_classes)
    if arch == "mobilenetv2":
        model = torchvision.models.mobilenet_v2(num_classes=num_classes)
        model.features[0][0] = nn.Conv2d(in_channels, 32, 3, 2, 1, bias=False)
        return model
    if arch == "efficientnet_b0":
        model = torchvision.models.efficientnet_b0(num_classes=num_classes)
        model.features[0][0] = nn.Conv2d(in_channels, 32, 3, 2, 1, bias=False)
        return model
    if arch == "convnext_tiny":
        model = torchvision.models.convnext_tiny(num_classes=num_classes)
        model.features[0][0] = nn.Conv2d(in_channels, 96, 4, 4)
        return model
    model = getattr(torchvision.models, arch)(num_classes=num_classes)
    model.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
    return model


def deterministic_weights(model):
    """Every floating entry, the k-th in sorted-name order, from sin(arange(numel) * 0.7 + k)."""
    state = model.state_dict()
    for k, name in enumerate(sorted(state)):
        t = state[name]
        if not t.is_floating_point():
            continue
        base = torch.sin(torch.arange(t.numel(), dtype=torch.float64) * 0.7 + k).reshape(t.shape)
        if name.endswith("running_var"):
            value = 1 + 0.5 * base.abs()
        elif name.endswith("running_mean") or (t.dim() == 1 and name.endswith("bias")):
            value = 0.1 * base
        elif t.dim() == 1:
            value = 1 + 0.1 * base
        else:
            value = base * math.sqrt(1.0 / (t.numel() // t.shape[0]))
        t.copy_(value.to(t.dtype))


def calibrate_batch_norms(model, x):
    """Running statistics := the statistics of x, so that the signal neither dies nor explodes."""
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.momentum = 1.0
    model.train()
    with torch.no_grad():
        model(x)
    model.eval()


def deterministic_input(n, c, h, w):
    i = torch.arange(n * c * h * w, dtype=torch.float64)
    return (torch.sin(i * 0.1) * (1 + i / i.numel())).reshape(n, c, h, w)


CASES = [("smallcnn", 1, 28, 10), ("resnet18", 3, 64, 10), ("resnet34", 3, 40, 7), ("resnet50", 3, 48, 10),
         ("mobilenetv2", 3, 40, 10), ("resnet18", 4, 48, 3), ("mobilenetv2", 1, 36, 5)]


def main():
    torch.manual_seed(0)
    for arch in ("resnet18", "resnet50", "mobilenetv2", "efficientnet_b0", "convnext_tiny"):
        with open(os.path.join(HERE, f"{arch}_state_dict_names.txt"), "w") as f:
            f.writelines(n + "\n" for n in build(arch, 3, 1000).state_dict())
    with open(os.path.join(HERE, "reference_logits.txt"), "w") as f:
        f.write("# architecture channels size classes: logits of a batch of 2, row-major, in double (make_fixtures.py)\n")
        for arch, c, size, classes in CASES:
            model = build(arch, c, classes).double()  # in double so that rounding is not amplified
            deterministic_weights(model)
            x = deterministic_input(2, c, size, size)
            calibrate_batch_norms(model, x)
            with torch.no_grad():
                logits = model(x)
            f.write(f"{arch} {c} {size} {classes}: " + " ".join(f"{v:.12g}" for v in logits.flatten().tolist()) + "\n")

    tiny = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(2, 3))
    with torch.no_grad():
        for i, t in enumerate(tiny.state_dict().values()):
            if t.is_floating_point():
                t.copy_(torch.arange(t.numel(), dtype=torch.float32).reshape(t.shape) + 100 * i)
    sd = tiny.state_dict()
    torch.save(sd, os.path.join(HERE, "tiny_state_dict.pt"))  # an OrderedDict with _metadata
    torch.save({"epoch": 3, "model_state_dict": sd, "losses": [0.5]}, os.path.join(HERE, "tiny_checkpoint.pt"))
    torch.save({"state_dict": sd}, os.path.join(HERE, "tiny_wrapped.pt"))  # one-item dict: SETITEM
    torch.save({"module." + k: v for k, v in sd.items()}, os.path.join(HERE, "tiny_dataparallel.pt"))
    torch.save(sd, os.path.join(HERE, "tiny_legacy.pt"), _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(tiny), os.path.join(HERE, "tiny_script.pt"))


if __name__ == "__main__":
    main()
