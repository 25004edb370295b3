#!/usr/bin/env python3
"""PyTorch reference for bench_resnet18_infer: the same work as the C++ path, in Python.

torchvision's ResNet-18 or ResNet-50 (--arch; random weights), eval mode, torch.inference_mode,
softmax of the logits, on the CPU with the given thread count. Prints one JSON line with the
median single-image latency and the batch throughput. Exit code 3 when torch or torchvision is
missing (packaging/install-deps.sh --bench installs Debian's python3-torch/-torchvision).

--serve (peer_serve.py): for each line "single" or "batch" read from stdin runs one forward pass
and prints its seconds; "single_bf16" and "batch_bf16" do the same as a PyTorch expert writes it
for a CPU with bfloat16 -- the model and the images in channels_last, the forward pass under
torch.autocast("cpu", dtype=torch.bfloat16). Both sides get the same contiguous (NCHW) images and
turn them into channels_last inside the timed call, as the workbench does. The C++ benchmark uses this to interleave the two
sides run by run, so that both meet the same machine load.
"""
import argparse
import copy
import json
import statistics
import time

from peer_serve import require, serve

torch, torchvision = require("torch", "torchvision")


def timed(model, x, warmup, runs):
    for _ in range(warmup):
        model(x).softmax(1)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        model(x).softmax(1)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def serve_forward_passes(model, single, batch):
    fast = copy.deepcopy(model).to(memory_format=torch.channels_last)

    def forward(net, x, bf16):
        def run():
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                net(x.contiguous(memory_format=torch.channels_last) if bf16 else x).float().softmax(1)
        return run

    work = {"single": forward(model, single, False), "batch": forward(model, batch, False),
            "single_bf16": forward(fast, single, True), "batch_bf16": forward(fast, batch, True)}
    with torch.inference_mode():
        serve({"torch": torch.__version__, "torchvision": torchvision.__version__,
               "threads": torch.get_num_threads()}, work)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", choices=["resnet18", "resnet50"], default="resnet18")
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
    model = getattr(torchvision.models, args.arch)().eval()
    single = torch.randn(1, 3, args.size, args.size)
    batch = torch.randn(args.batch, 3, args.size, args.size)
    if args.serve:
        serve_forward_passes(model, single, batch)
        return
    with torch.inference_mode():
        single_s = timed(model, single, args.warmup, args.runs)
        batch_s = timed(model, batch, 1, args.batch_runs)
    print(json.dumps({
        "arch": args.arch,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "threads": torch.get_num_threads(),
        "single_ms": single_s * 1000.0,
        "batch_images_per_s": args.batch / batch_s,
    }))


if __name__ == "__main__":
    main()
