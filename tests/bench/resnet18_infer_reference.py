#!/usr/bin/env python3
"""PyTorch reference for bench_resnet18_infer: the same work as the C++ path, in Python.

torchvision's ResNet-18 (random weights), eval mode, torch.inference_mode, softmax of the
logits, on the CPU with the given thread count. Prints one JSON line with the median
single-image latency and the batch throughput. Exit code 3 when torch or torchvision is
missing (packaging/install-deps.sh --bench installs Debian's python3-torch/-torchvision).

--serve: prints a JSON "ready" line, then for each line "single" or "batch" read from
stdin runs one forward pass and prints its seconds; "quit" ends. The C++ benchmark uses
this to interleave the two sides run by run, so that both meet the same machine load.
"""
import argparse
import copy
import json
import statistics
import sys
import time

try:
    import torch
    import torchvision
except ImportError as error:  # the benchmark prints a hint and goes on without the reference
    print(json.dumps({"error": str(error)}))
    sys.exit(3)


def timed(model, x, warmup, runs):
    for _ in range(warmup):
        model(x).softmax(1)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        model(x).softmax(1)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def serve(model, single, batch):
    """Requests: single, batch (fp32, the default) and single_bf16, batch_bf16: what a PyTorch
    expert writes for a CPU with bfloat16 -- the model and the images in channels_last, the
    forward pass under torch.autocast("cpu", dtype=torch.bfloat16)."""
    print(json.dumps({"ready": True, "torch": torch.__version__, "torchvision": torchvision.__version__,
                      "threads": torch.get_num_threads()}), flush=True)
    fast = copy.deepcopy(model).to(memory_format=torch.channels_last)
    inputs = {"single": (model, single, False), "batch": (model, batch, False),
              "single_bf16": (fast, single.contiguous(memory_format=torch.channels_last), True),
              "batch_bf16": (fast, batch.contiguous(memory_format=torch.channels_last), True)}
    with torch.inference_mode():
        for line in sys.stdin:
            command = line.strip()
            if command not in inputs:
                break
            net, x, bf16 = inputs[command]
            start = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                net(x).float().softmax(1)
            print(time.perf_counter() - start, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--batch-runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    single = torch.randn(1, 3, args.size, args.size)
    batch = torch.randn(args.batch, 3, args.size, args.size)
    if args.serve:
        serve(model, single, batch)
        return
    with torch.inference_mode():
        single_s = timed(model, single, args.warmup, args.runs)
        batch_s = timed(model, batch, 1, args.batch_runs)
    print(json.dumps({
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "threads": torch.get_num_threads(),
        "single_ms": single_s * 1000.0,
        "batch_images_per_s": args.batch / batch_s,
    }))


if __name__ == "__main__":
    main()
