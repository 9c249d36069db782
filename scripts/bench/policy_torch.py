#!/usr/bin/env python3
"""A PyTorch twin of Regimen's policy training step (issue 31): the default recipe's shared
per-asset scorer, softmax over the listed assets and cash, the differentiable accounting with a
proportional fee, perpetual funding and weight drift, the growth loss with a variance penalty,
global-norm clipping and Adam, written the way Regimen computes them:

    Sources/Policy/PolicyNetwork+Decision.swift   the scorer's inputs per asset and row
    Sources/Policy/PolicyNetwork.swift            scorer MLP (tanh), cash layer, mask, softmax
    Sources/Training/PolicyRollout.swift          the window: decide, account, drift, repeat
    Sources/Training/DifferentiableAccounting.swift and DifferentiableCosts.swift
    Sources/Training/PolicyStep.swift             holdings, loss, clip, Adam
    Sources/Optimizers/Adam.swift, GradientClipping.swift

It reads what Regimen's training sees, written by `regimen-bench policy-train --dump FILE`
(the inputs of the rows the windows cover, each cost term's rates, the windows of each step and
the first member's starting parameters), so the twin starts where Regimen starts:

    PY=~/.cache/regimen-pytorch-peer/bin/python
    .build/release/regimen-bench policy-train --data data/synthetic --dump /tmp/policy-inputs.json
    $PY scripts/bench/policy_torch.py policy-train --inputs /tmp/policy-inputs.json --threads 2
    $PY scripts/bench/policy_torch.py fixture --inputs IN.json --out OUT.json

policy-train: float32 as Regimen trains; one untimed warm-up epoch, then --repeats timed epochs,
each the dump's steps (steps_per_epoch mini-batches: rollout, loss, backward, clip, Adam; no
validation on either side). Prints torch_bench.py's JSON line: seconds is the median epoch,
per_second epochs per second, gflops 6 x the multiply-accumulates of the scorer and cash layer
per epoch over the median.

fixture: float64; runs every step of the dump and writes, per step, the loss, the gradient
norm and every parameter's gradient before clipping, and the parameters after the last Adam
step (Tests/TrainingTests/Fixtures/policy-step-expected.json; scripts/fixtures/
make_policy_step_fixture.sh makes it).
"""
import argparse
import json
import statistics
import sys
import time

import torch


class Market:
    """The dump's rows as tensors: asset features [R, N, Fa], market inputs [R, C] (market
    features then regime probabilities), listed [R, N] (bool), next returns [R, N], rolling
    [R, N] or None, each holding term's rates [R, N]; `index` maps a dataset row to its place
    (a window's rows are consecutive there)."""

    def __init__(self, dump, dtype):
        n, fa = dump["assets"], dump["asset_feature_count"]
        self.index = {row: i for i, row in enumerate(dump["rows"])}
        t = lambda rows: torch.tensor(rows, dtype=dtype)  # noqa: E731
        self.asset_features = t(dump["asset_features"]).reshape(-1, n, fa)
        self.market = t(dump["market_features"])
        self.listed = t(dump["listed"]) != 0
        self.next_returns = t(dump["next_returns"])
        self.rolling = t(dump["rolling"]) if dump.get("rolling") else None
        self.fee_rates = dump["trading_rates"]
        self.holding_rates = [t(rates) for rates in dump["holding_rates"]]
        self.dtype = dtype


class Policy(torch.nn.Module):
    """PolicyNetwork without sleeves or a risk-budget design: a shared scorer (Linear, tanh
    between layers) on [asset features, market inputs, held weight] per asset, a cash Linear on
    the market inputs, unlisted assets at a logit of -1e4, softmax over assets and cash."""

    def __init__(self, scorer_inputs, cash_inputs, hidden, dtype):
        super().__init__()
        widths = [scorer_inputs] + hidden + [1]
        layers = []
        for i in range(len(widths) - 1):
            layers.append(torch.nn.Linear(widths[i], widths[i + 1], dtype=dtype))
            if i < len(widths) - 2:
                layers.append(torch.nn.Tanh())
        self.scorer = torch.nn.Sequential(*layers)
        self.cash = torch.nn.Linear(cash_inputs, 1, dtype=dtype)

    def named_like_regimen(self, prefix):
        """(Regimen's name, parameter) in Regimen's order: scorer.k.weight/bias, cash.*."""
        linears = [m for m in self.scorer if isinstance(m, torch.nn.Linear)]
        out = []
        for k, layer in enumerate(linears):
            out += [(f"{prefix}.scorer.{k}.weight", layer.weight), (f"{prefix}.scorer.{k}.bias", layer.bias)]
        return out + [(f"{prefix}.cash.weight", self.cash.weight), (f"{prefix}.cash.bias", self.cash.bias)]

    def forward(self, market, rows, held):
        b, n = held.shape
        features = market.asset_features[rows]                              # [B, N, Fa]
        inputs = market.market[rows]                                        # [B, C]
        x = torch.cat([features, inputs.unsqueeze(1).expand(b, n, inputs.shape[1]), held.unsqueeze(2)], 2)
        scores = self.scorer(x.reshape(b * n, x.shape[2])).reshape(b, n)
        masked = torch.where(market.listed[rows], scores, torch.full_like(scores, -1e4))
        return torch.softmax(torch.cat([masked, self.cash(inputs)], 1), 1)


def load_policy(dump, dtype):
    """The policy with the dump's starting parameters (its names and shapes checked)."""
    config = dump["config"]
    c = dump["market_feature_count"] + dump["regimes"]
    policy = Policy(dump["asset_feature_count"] + c + 1, c, config["hidden"], dtype)
    named = policy.named_like_regimen(dump["name"])
    stored = dump["parameters"]
    if [name for name, _ in named] != [p["name"] for p in stored]:
        sys.exit(f"parameters differ: {[name for name, _ in named]} vs {[p['name'] for p in stored]}")
    with torch.no_grad():
        for (_, parameter), p in zip(named, stored):
            if list(parameter.shape) != p["shape"]:
                sys.exit(f"{p['name']}: shape {p['shape']}, the twin has {list(parameter.shape)}")
            parameter.copy_(torch.tensor(p["values"], dtype=dtype).reshape(p["shape"]))
    return policy, named


def accounting(market, weights, held, rows):
    """DifferentiableAccounting.step: the period's net return [B] and the drifted weights."""
    n = held.shape[1]
    risky = weights[:, :n]
    next_returns = market.next_returns[rows]
    difference = (risky - held).abs()
    traded = difference
    if market.rolling is not None:
        traded = difference + market.rolling[rows] * (risky.abs() + held.abs() - difference)
    turnover = traded.sum(1)
    gross = (risky * next_returns).sum(1)
    cost = None
    for rate in market.fee_rates:
        term = turnover * rate
        cost = term if cost is None else cost + term
    if cost is None:
        cost = turnover * 0
    funding = None
    for rates in market.holding_rates:
        term = (risky * rates[rows]).sum(1)
        funding = term if funding is None else funding + term
    if funding is None:
        funding = risky.sum(1) * 0
    growth = (1 - cost) * (gross - funding + 1)
    drifted = risky * (next_returns + 1) / (gross.reshape(-1, 1) + 1)
    return growth - 1, drifted


def net_returns(policy, market, starts, window):
    """PolicyRollout.netReturns [B, W] from equal weight over the assets listed at each start."""
    rows = torch.tensor([market.index[start] for start in starts])
    listed = market.listed[rows].to(market.dtype)
    held = listed / listed.sum(1, keepdim=True).clamp(min=1)
    returns = []
    for k in range(window):
        net, held = accounting(market, policy(market, rows + k, held), held, rows + k)
        returns.append(net.reshape(-1, 1))
    return torch.cat(returns, 1)


def loss_of(returns, config):
    """The growth objective: risk_penalty x variance - mean log growth."""
    if config["objective"] != "growth" or config["risk_measure"] != "variance" or config["anchor_penalty"] != 0:
        sys.exit("the twin has the growth objective with the variance risk term and no anchor penalty only")
    variance = (returns - returns.mean()).square().mean()
    return config["risk_penalty"] * variance - (returns + 1).log().mean()


def training_step(policy, market, starts, config, optimizer, inspect=lambda: None):
    """One mini-batch: zero_grad, rollout, loss, backward, clip, Adam (`inspect` runs between
    backward and clip, when the gradients are the loss's). Returns the loss and the gradient
    norm before clipping."""
    optimizer.zero_grad()
    loss = loss_of(net_returns(policy, market, starts, config["window"]), config)
    loss.backward()
    inspect()
    norm = torch.nn.utils.clip_grad_norm_(policy.parameters(), config["clip"])
    optimizer.step()
    return loss, norm


def adam(policy, config):
    """Adam as Regimen's: betas 0.9, 0.999, epsilon 1e-8, no weight decay."""
    return torch.optim.Adam(policy.parameters(), lr=config["learning_rate"], betas=(0.9, 0.999), eps=1e-8)


def fixture(args):
    """Writes the fixture: every step of the dump in float64 (see the header)."""
    torch.set_num_threads(1)
    dump = json.load(open(args.inputs))
    config = dump["config"]
    market = Market(dump, torch.float64)
    policy, named = load_policy(dump, torch.float64)
    optimizer = adam(policy, config)
    steps = []
    for starts in dump["starts"]:
        gradients = []

        def keep():
            gradients.extend({"name": name, "values": p.grad.reshape(-1).tolist()} for name, p in named)

        loss, norm = training_step(policy, market, starts, config, optimizer, inspect=keep)
        steps.append({"loss": loss.item(), "gradient_norm": norm.item(), "gradients": gradients})
    out = {
        "made_by": f"scripts/bench/policy_torch.py fixture (torch {torch.__version__}, float64)",
        "steps": steps,
        "parameters_after": [{"name": name, "values": p.detach().reshape(-1).tolist()} for name, p in named],
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


def policy_train(args):
    """Times epochs of the dump's steps in float32 and prints the JSON line (see the header)."""
    torch.set_num_threads(args.threads)
    dump = json.load(open(args.inputs))
    config = dump["config"]
    market = Market(dump, torch.float32)
    policy, _ = load_policy(dump, torch.float32)
    optimizer = adam(policy, config)

    def epoch():
        for starts in dump["starts"]:
            training_step(policy, market, starts, config, optimizer)

    epoch()
    seconds = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        epoch()
        seconds.append(time.perf_counter() - t0)
    median = statistics.median(seconds)
    widths = [dump["asset_feature_count"] + dump["market_feature_count"] + dump["regimes"] + 1] + config["hidden"] + [1]
    macs = sum(a * b for a, b in zip(widths, widths[1:])) * dump["assets"] + dump["market_feature_count"] + dump["regimes"]
    flops = 6.0 * macs * config["batch"] * config["window"] * len(dump["starts"])
    print(json.dumps({
        "workload": "policy-train",
        "params": {"batch": config["batch"], "window": config["window"], "hidden": config["hidden"],
                   "steps_per_epoch": len(dump["starts"]), "assets": dump["assets"], "data": dump["data"]},
        "threads": torch.get_num_threads(),
        "seconds": median,
        "seconds_min": min(seconds),
        "seconds_max": max(seconds),
        "repeats": args.repeats,
        "per_second": 1.0 / median,
        "gflops": flops / median / 1e9,
        "impl": "pytorch",
    }))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description="PyTorch twin of Regimen's policy training step (see header).")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("policy-train", help="time epochs of the training, float32")
    p.add_argument("--inputs", required=True, help="a dump of regimen-bench policy-train --dump")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    p = sub.add_parser("fixture", help="loss and gradients of every step, float64, as JSON")
    p.add_argument("--inputs", required=True, help="a dump of regimen-bench policy-train --dump")
    p.add_argument("--out", required=True)
    args = ap.parse_args()
    if getattr(args, "repeats", 1) < 1 or getattr(args, "threads", 1) < 1:
        ap.error("--repeats and --threads must be at least 1")
    {"policy-train": policy_train, "fixture": fixture}[args.command](args)


if __name__ == "__main__":
    main()
