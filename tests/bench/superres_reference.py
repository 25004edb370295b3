#!/usr/bin/env python3
"""PyTorch peer for bench_cpu_superres: the network of plugins/superres/models/dsen2_network.cpp
(DSen2, Lanaras et al. 2018) written in Python with random weights, run over the same number of
tiles of the same size in batches of the same size as the workbench's tiled super-resolution of
the Landsat scene.

The network works on the target grid: the low-resolution bands are upsampled by bicubic
interpolation (align_corners false, as the workbench's bicubicUpsample), then
  head:   conv 3x3 (bands -> filters) + ReLU
  blocks: `blocks` x [conv 3x3 -> ReLU -> conv 3x3, times 0.1, added to the block input]
  tail:   conv 3x3 (filters -> bands)
  output: tail + the upsampled input.

--serve (peer_serve.py): "fp32" runs every tile once in PyTorch's default way; "bf16" as a
PyTorch expert writes it for a CPU with bfloat16 -- the model and the upsampled tiles in
channels_last, the network under torch.autocast("cpu", dtype=torch.bfloat16). Each prints its
seconds. The tiles are made before (random, normalised values): the timed work is upsampling and
network, not reading or writing the raster, which the workbench's figure includes.
"""
import argparse

from peer_serve import require, serve

torch, = require("torch")
nn = torch.nn


def conv3x3(cin, cout):
    return nn.Conv2d(cin, cout, 3, padding=1, bias=True)


class ResBlock(nn.Module):
    def __init__(self, filters):
        super().__init__()
        self.conv1 = conv3x3(filters, filters)
        self.conv2 = conv3x3(filters, filters)

    def forward(self, x):
        return x + self.conv2(torch.relu(self.conv1(x))) * 0.1


class Dsen2(nn.Module):
    def __init__(self, bands, filters, blocks):
        super().__init__()
        self.head = conv3x3(bands, filters)
        self.blocks = nn.Sequential(*[ResBlock(filters) for _ in range(blocks)])
        self.tail = conv3x3(filters, bands)

    def forward(self, upsampled):
        return self.tail(self.blocks(torch.relu(self.head(upsampled)))) + upsampled


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bands", type=int, default=6)
    parser.add_argument("--filters", type=int, default=32)
    parser.add_argument("--blocks", type=int, default=4)
    parser.add_argument("--scale", type=int, default=2)
    parser.add_argument("--tile", type=int, default=128, help="input pixels a side, overlap included")
    parser.add_argument("--tiles", type=int, required=True)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--serve", action="store_true", required=True)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = Dsen2(args.bands, args.filters, args.blocks).eval()
    fast = Dsen2(args.bands, args.filters, args.blocks).eval().to(memory_format=torch.channels_last)
    fast.load_state_dict(model.state_dict())
    sizes = [min(args.batch, args.tiles - first) for first in range(0, args.tiles, args.batch)]
    batches = [torch.randn(n, args.bands, args.tile, args.tile) for n in sizes]

    def run(net, bf16):
        def tiles():
            for low in batches:
                up = nn.functional.interpolate(low, scale_factor=args.scale, mode="bicubic", align_corners=False)
                if bf16:
                    up = up.contiguous(memory_format=torch.channels_last)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    net(up).float()
        return tiles

    with torch.inference_mode():
        serve({"torch": torch.__version__, "threads": torch.get_num_threads()},
              {"fp32": run(model, False), "bf16": run(fast, True)})


if __name__ == "__main__":
    main()
