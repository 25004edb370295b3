#!/usr/bin/env python3
"""PyTorch peer for bench_cpu_precision's training rows: the workbench's SmallCNN (conv-BN-ReLU
32, max-pool, 64, max-pool, 128, adaptive average pool to 4x4, dropout 0.2, linear) or
torchvision's ResNet-18, trained on a folder-per-class PNG tree the way the PyTorch tutorials do:
torchvision.datasets.ImageFolder (grey or RGB, resize, ToTensor, Normalize), a DataLoader with
one worker process per core, shuffled batches, AdamW, cross entropy.

Modes: fp32 (the default PyTorch code) and bf16 (what a PyTorch expert writes for a CPU with
bfloat16: model and batches in channels_last, forward and loss under
torch.autocast("cpu", dtype=torch.bfloat16)). Prints one JSON line: images, seconds, images/s
of the timed steps (the first --warmup steps are not timed). Exit code 3 when torch or
torchvision is missing.
"""
import argparse
import json
import os
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torchvision
    from torchvision import transforms
except ImportError as error:
    print(json.dumps({"error": str(error)}))
    sys.exit(3)


def conv_bn_relu(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SmallCNN(nn.Module):
    def __init__(self, channels, classes):
        super().__init__()
        self.features = nn.Sequential(conv_bn_relu(channels, 32), nn.MaxPool2d(2), conv_bn_relu(32, 64),
                                      nn.MaxPool2d(2), conv_bn_relu(64, 128))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(128 * 16, classes))

    def forward(self, x):
        x = nn.functional.adaptive_avg_pool2d(self.features(x), 4)
        return self.classifier(x.flatten(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data", help="folder-per-class PNG tree")
    parser.add_argument("--arch", choices=["smallcnn", "resnet18"], default="smallcnn")
    parser.add_argument("--size", type=int, default=28)
    parser.add_argument("--grey", action="store_true")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=0, help="timed steps (0: one whole epoch)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--mode", choices=["fp32", "bf16"], default="fp32")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)

    steps = [transforms.Grayscale(1)] if args.grey else [transforms.Lambda(lambda image: image.convert("RGB"))]
    steps += [transforms.Resize((args.size, args.size)), transforms.ToTensor(),
              transforms.Normalize([0.5] * (1 if args.grey else 3), [0.25] * (1 if args.grey else 3))]
    dataset = torchvision.datasets.ImageFolder(args.data, transform=transforms.Compose(steps))
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch, shuffle=True, drop_last=True,
                                         num_workers=args.workers, persistent_workers=args.workers > 0)
    classes = len(dataset.classes)
    if args.arch == "smallcnn":
        model = SmallCNN(1 if args.grey else 3, classes)
    else:
        model = torchvision.models.resnet18(num_classes=classes)
    bf16 = args.mode == "bf16"
    if bf16:
        model = model.to(memory_format=torch.channels_last)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    timed_images, start, done = 0, None, 0
    limit = args.warmup + args.steps if args.steps > 0 else None
    for images, labels in loader:
        if done == args.warmup:
            start = time.perf_counter()
        if bf16:
            images = images.contiguous(memory_format=torch.channels_last)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        done += 1
        if start is not None:
            timed_images += images.shape[0]
        if limit is not None and done >= limit:
            break
    seconds = time.perf_counter() - start
    print(json.dumps({"arch": args.arch, "mode": args.mode, "images": timed_images, "seconds": seconds,
                      "images_per_s": timed_images / seconds, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "workers": args.workers}))


if __name__ == "__main__":
    main()
