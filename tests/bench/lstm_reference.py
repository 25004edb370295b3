#!/usr/bin/env python3
"""PyTorch peer for bench_cpu_lstm: the workbench's recurrent forecaster in Python --
torch.nn.LSTM (batch first) over the window, the last step's hidden state through a linear
layer to all horizon x targets outputs, plus the last observed value (the residual the
workbench's forecasters add) -- with random weights, over every window of the series in
batches of the same size as the workbench's SeriesForecaster.

The series: a column of a CSV file (sunspot_month.csv's "sunspots"), standardised. --serve
(peer_serve.py): "fp32" forecasts every window once in PyTorch's default way; "bf16" under
torch.autocast("cpu", dtype=torch.bfloat16), what a PyTorch expert tries for a CPU with
bfloat16. Each prints its seconds; the outputs are turned back into float64 levels as the
workbench does.
"""
import argparse
import csv

from peer_serve import require, serve

torch, = require("torch")
nn = torch.nn


class RecurrentForecaster(nn.Module):
    def __init__(self, features, targets, hidden, layers, horizon):
        super().__init__()
        self.targets, self.horizon = targets, horizon
        self.lstm = nn.LSTM(features, hidden, layers, batch_first=True)
        self.head = nn.Linear(hidden, horizon * targets)

    def forward(self, x):
        sequence, _ = self.lstm(x)
        out = self.head(sequence[:, -1]).view(x.shape[0], self.horizon, self.targets)
        return out + x[:, -1, :self.targets].unsqueeze(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", required=True)
    parser.add_argument("--column", default="sunspots")
    parser.add_argument("--window", type=int, default=36)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--horizon", type=int, default=6)
    parser.add_argument("--batch", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--serve", action="store_true", required=True)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(args.csv, newline="") as file:
        values = [float(row[args.column]) for row in csv.DictReader(file)]
    series = torch.tensor(values, dtype=torch.float64)
    mean, std = series.mean(), series.std()
    scaled = ((series - mean) / std).float()
    windows = scaled.unfold(0, args.window, 1).unsqueeze(2).contiguous()  # [count, W, 1]
    model = RecurrentForecaster(1, 1, args.hidden, args.layers, args.horizon).eval()

    def run(bf16):
        def forecast():
            for batch in windows.split(args.batch):
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    out = model(batch)
                (out.double() * std + mean).tolist()
        return forecast

    with torch.inference_mode():
        serve({"torch": torch.__version__, "threads": torch.get_num_threads(), "windows": windows.shape[0]},
              {"fp32": run(False), "bf16": run(True)})


if __name__ == "__main__":
    main()
