#!/usr/bin/env python3
"""Writes what torchvision's own weight files hold — torch.save(model.state_dict()) of a
torchvision model with 1000 ImageNet classes — but with seeded random weights (no download
reaches the internet in the tests): python3 torchvision_weights.py ARCH OUT.pth SEED"""
import sys

import torch
import torchvision

NAMES = {"mobilenetv2": "mobilenet_v2"}

arch, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.manual_seed(seed)
model = getattr(torchvision.models, NAMES.get(arch, arch))(weights=None)
with torch.no_grad():  # batch-norm statistics that are not the identity, as trained ones
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
torch.save(model.state_dict(), out)
