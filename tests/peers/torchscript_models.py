#!/usr/bin/env python3
"""Models made by PyTorch itself for the workbench's TorchScript tests (run by
tests/app/cli/test_cli_torchscript.cpp with Debian's python3-torch; nothing here is committed output).

  classifier OUT             a small custom CNN (not one of the workbench's architectures),
                             scripted: OUT/cnn.pt (features + classifier children, so that
                             Grad-CAM can find its feature map), OUT/plain.pt (layers with other
                             names and functional pooling: no feature map to find),
                             OUT/labels.txt, OUT/state_dict.pt (weights only: not a model)
  predict MODEL SIZE PNG...  softmax probabilities of the images (RGB, /255, ImageNet
                             normalisation, as the workbench's evaluation pipeline) as JSON
  superres OUT               a x2 network for 6 bands, scripted: OUT/sr.pt
  sr-forward MODEL IN OUT B H W   the network on a float32 tile B x H x W read from IN; the
                             float32 result written to OUT
"""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
CLASSES = ["circle", "square", "triangle", "cross"]
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


class TinyCNN(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(32, 48, 3, padding=1), nn.ReLU(inplace=True))
        self.classifier = nn.Sequential(nn.Dropout(0.1), nn.Linear(48, classes))

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), 1)
        return self.classifier(torch.flatten(x, 1))


class PlainNet(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.first = nn.Conv2d(3, 8, 5, padding=2)
        self.second = nn.Conv2d(8, 16, 3, padding=1)
        self.scores = nn.Linear(16, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.first(x)), 2)
        x = torch.tanh(self.second(x))
        return self.scores(x.mean(dim=(2, 3)) * 3.0)


class SmallSR(nn.Module):
    """x2 for 6 bands: a learnt residual on nearest-neighbour upsampling."""

    def __init__(self, bands=6, scale=2):
        super().__init__()
        self.scale = scale
        self.body = nn.Sequential(nn.Conv2d(bands, 24, 3, padding=1), nn.ReLU(inplace=True),
                                  nn.Conv2d(24, bands * scale * scale, 3, padding=1))
        self.shuffle = nn.PixelShuffle(scale)

    def forward(self, x):
        up = F.interpolate(x, scale_factor=float(self.scale), mode="nearest")
        return up + 0.1 * self.shuffle(self.body(x))


def classifier(out):
    torch.manual_seed(7)
    model = TinyCNN()
    with torch.no_grad():  # batch-norm statistics that are not the identity
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
    model.eval()
    torch.jit.script(model).save(f"{out}/cnn.pt")
    torch.save(model.state_dict(), f"{out}/state_dict.pt")
    torch.manual_seed(8)
    torch.jit.script(PlainNet().eval()).save(f"{out}/plain.pt")
    with open(f"{out}/labels.txt", "w") as f:
        f.write("\n".join(CLASSES) + "\n")


def predict(model_path, size, images):
    from PIL import Image
    model = torch.jit.load(model_path).eval()
    batch = []
    for path in images:
        image = Image.open(path).convert("RGB")
        assert image.size == (size, size), f"{path} is {image.size}, the test writes {size}x{size}"
        x = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0).permute(2, 0, 1)
        batch.append((x - torch.tensor(MEAN).view(3, 1, 1)) / torch.tensor(STD).view(3, 1, 1))
    with torch.no_grad():
        probabilities = torch.softmax(model(torch.stack(batch)), 1)
    print(json.dumps({path: probabilities[i].tolist() for i, path in enumerate(images)}))


def superres(out):
    torch.manual_seed(11)
    torch.jit.script(SmallSR().eval()).save(f"{out}/sr.pt")


def sr_forward(model_path, inp, out, bands, height, width):
    model = torch.jit.load(model_path).eval()
    x = torch.from_numpy(np.fromfile(inp, dtype=np.float32).reshape(1, bands, height, width))
    with torch.no_grad():
        model(x).numpy().astype(np.float32).tofile(out)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "classifier":
        classifier(args[0])
    elif command == "predict":
        predict(args[0], int(args[1]), args[2:])
    elif command == "superres":
        superres(args[0])
    elif command == "sr-forward":
        sr_forward(args[0], args[1], args[2], int(args[3]), int(args[4]), int(args[5]))
    else:
        sys.exit(f"unknown command {command}")
