#!/usr/bin/env python3
"""The PyTorch side of Regimen's benchmarks: the same workloads as `regimen-bench`, same flags,
same one-line JSON output, so scripts/bench/compare.sh can set them side by side.

Run with the PyTorch peer venv (see scripts/bench/README.md):

    PY=~/.cache/regimen-pytorch-peer/bin/python
    $PY scripts/bench/torch_bench.py gemm --n 512 --dtype f32
    $PY scripts/bench/torch_bench.py mlp --batch 32 --inputs 64 --hidden 128,128 --classes 8 --steps 200
    $PY scripts/bench/torch_bench.py gru --batch 128 --length 32 --inputs 16 --hidden 64 --classes 4 --steps 20

Common options: --threads N (default 2, torch.set_num_threads), --repeats R (default 5),
--seed S (default 0). Each run does one untimed warm-up block, then R timed blocks of --steps
steps; it prints one JSON line:

  {"workload", "params", "threads", "seconds", "seconds_min", "seconds_max", "repeats",
   "per_second", "gflops", "impl": "pytorch"}

seconds / seconds_min / seconds_max are the median / fastest / slowest block's seconds per step,
per_second = 1 / seconds (training steps, or gemm calls, per second), gflops = flops per step /
seconds / 1e9 with these flop counts:

  gemm  2 n^3                                   (one torch.mm of two n x n matrices)
  mlp   6 * B * sum(in*out over the Linear layers)
        (2 flops per multiply-accumulate forward, 4 backward: input and weight gradients;
         biases, activations, loss and Adam are left out)
  gru   6 * B * L * 3H * (I + H)
        (per sample and time step the GRU does 3H*(I+H) multiply-accumulates for the input and
         hidden projections of the r, z, n gates; x2 flops, x3 for forward + backward;
         gate nonlinearities, the classifier, loss and Adam are left out)

The mlp is Linear+ReLU per hidden layer and a final Linear; the gru is torch.nn.GRU (one layer,
batch_first, h0 = 0) with a Linear classifier on the last hidden state. Both train in float32
with cross-entropy and Adam (lr 1e-3) on one fixed random batch drawn once; one step is
zero_grad, forward, loss, backward, optimizer.step.
"""
import argparse
import json
import statistics
import sys
import time

import torch


def time_blocks(step, steps, repeats):
    """One warm-up block, then `repeats` timed blocks; returns seconds per step of each block."""
    for _ in range(steps):
        step()
    per_step = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        per_step.append((time.perf_counter() - t0) / steps)
    return per_step


def calibrate(step, target_seconds=0.25, max_steps=100_000):
    """Steps per block so that one block takes about target_seconds (at least 1)."""
    step()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        dt = time.perf_counter() - t0
        if dt >= target_seconds / 4 or n >= max_steps:
            return max(1, min(max_steps, int(round(n * target_seconds / max(dt, 1e-9)))))
        n *= 4


def gemm(args):
    dtype = {"f32": torch.float32, "f64": torch.float64}[args.dtype]
    g = torch.Generator().manual_seed(args.seed)
    a = torch.randn(args.n, args.n, generator=g, dtype=dtype)
    b = torch.randn(args.n, args.n, generator=g, dtype=dtype)

    def step():
        torch.mm(a, b)

    steps = args.steps if args.steps else calibrate(step)
    params = {"n": args.n, "dtype": args.dtype, "steps": steps}
    return params, step, steps, 2.0 * args.n ** 3


def train_step(model, x, y):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    return step


def mlp(args):
    torch.manual_seed(args.seed)
    hidden = [int(h) for h in args.hidden.split(",") if h]
    sizes = [args.inputs] + hidden + [args.classes]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    x = torch.randn(args.batch, args.inputs)
    y = torch.randint(0, args.classes, (args.batch,))
    macs = sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))
    params = {"batch": args.batch, "inputs": args.inputs, "hidden": hidden,
              "classes": args.classes, "steps": args.steps}
    return params, train_step(model, x, y), args.steps, 6.0 * macs * args.batch


class GRUClassifier(torch.nn.Module):
    def __init__(self, inputs, hidden, classes):
        super().__init__()
        self.gru = torch.nn.GRU(inputs, hidden, num_layers=1, batch_first=True)
        self.head = torch.nn.Linear(hidden, classes)

    def forward(self, x):
        _, h_n = self.gru(x)  # h0 = zeros; h_n: [1, B, H]
        return self.head(h_n[0])


def gru(args):
    torch.manual_seed(args.seed)
    model = GRUClassifier(args.inputs, args.hidden, args.classes)
    x = torch.randn(args.batch, args.length, args.inputs)
    y = torch.randint(0, args.classes, (args.batch,))
    B, L, I, H = args.batch, args.length, args.inputs, args.hidden
    params = {"batch": B, "length": L, "inputs": I, "hidden": H, "classes": args.classes,
              "steps": args.steps}
    return params, train_step(model, x, y), args.steps, 6.0 * B * L * 3 * H * (I + H)


def main():
    ap = argparse.ArgumentParser(description="PyTorch side of Regimen's benchmarks (see header).")
    sub = ap.add_subparsers(dest="workload", required=True)

    def common(p, steps_default):
        p.add_argument("--threads", type=int, default=2)
        p.add_argument("--repeats", type=int, default=5)
        p.add_argument("--steps", type=int, default=steps_default,
                       help="steps per timed block" + (" (default: about 0.25 s worth)"
                                                       if steps_default is None else ""))
        p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser("gemm", help="torch.mm of two n x n matrices")
    p.add_argument("--n", type=int, default=512)
    p.add_argument("--dtype", choices=["f32", "f64"], default="f32")
    common(p, None)

    p = sub.add_parser("mlp", help="MLP training step, float32, Adam")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--inputs", type=int, default=64)
    p.add_argument("--hidden", default="128,128", help="comma-separated hidden widths")
    p.add_argument("--classes", type=int, default=8)
    common(p, 200)

    p = sub.add_parser("gru", help="GRU classifier training step, float32, Adam")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--length", type=int, default=32)
    p.add_argument("--inputs", type=int, default=16)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--classes", type=int, default=4)
    common(p, 20)

    args = ap.parse_args()
    if args.repeats < 1 or (args.steps is not None and args.steps < 1):
        ap.error("--repeats and --steps must be at least 1")
    torch.set_num_threads(args.threads)

    params, step, steps, flops = {"gemm": gemm, "mlp": mlp, "gru": gru}[args.workload](args)
    per_step = time_blocks(step, steps, args.repeats)
    seconds = statistics.median(per_step)
    print(json.dumps({
        "workload": args.workload,
        "params": params,
        "threads": torch.get_num_threads(),
        "seconds": seconds,
        "seconds_min": min(per_step),
        "seconds_max": max(per_step),
        "repeats": args.repeats,
        "per_second": 1.0 / seconds,
        "gflops": flops / seconds / 1e9,
        "impl": "pytorch",
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
