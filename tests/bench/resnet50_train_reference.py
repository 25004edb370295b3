#!/usr/bin/env python3
"""PyTorch eager reference for bench_resnet50_train_gpu: ResNet-50 training steps on
synthetic data (224x224, batch 256 by default) with bf16 autocast, channels_last, cuDNN
autotuning and SGD with Nesterov momentum, as the C++ trainer does. Prints one JSON line:
{"images_per_second": ..., "torch": "...", "device": "...", "loss_first": ..., "loss_last": ...}
or {"error": "..."} when torch, torchvision or CUDA is missing."""
import argparse
import json
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--classes", type=int, default=1000)
    args = parser.parse_args()
    try:
        import torch
        import torchvision
    except ImportError as error:
        print(json.dumps({"error": f"python3 cannot import {error.name}"}))
        return 0
    if not torch.cuda.is_available():
        print(json.dumps({"error": "PyTorch sees no CUDA device"}))
        return 0

    torch.backends.cudnn.benchmark = True
    device = torch.device("cuda")
    torch.manual_seed(0)
    model = torchvision.models.resnet50(num_classes=args.classes).to(device, memory_format=torch.channels_last)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)
    criterion = torch.nn.CrossEntropyLoss()
    images = torch.randn(args.batch, 3, args.size, args.size, device=device).contiguous(memory_format=torch.channels_last)
    labels = torch.randint(0, args.classes, (args.batch,), device=device)

    def step():
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = criterion(model(images).float(), labels)
        loss.backward()
        optimizer.step()
        return loss

    for _ in range(args.warmup):
        first = step()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(args.steps):
        last = step()
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(json.dumps({
        "images_per_second": args.batch * args.steps / seconds,
        "seconds": seconds,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "device": torch.cuda.get_device_name(0),
        "loss_first": float(first),
        "loss_last": float(last),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
