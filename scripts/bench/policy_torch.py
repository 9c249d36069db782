#!/usr/bin/env python3
"""A PyTorch twin of Regimen's policy training step (issue 31): the default recipe's shared
per-asset scorer, softmax over the listed assets and cash, the differentiable accounting with a
proportional fee, perpetual funding and weight drift, the growth loss with a variance penalty,
global-norm clipping and Adam, written the way Regimen computes them:

    Sources/Policy/PolicyNetwork+Decision.swift   the scorer's inputs per asset and row
    Sources/Policy/PolicyNetwork.swift            scorer MLP (tanh), cash layer, mask, softmax
                                                  (budgetWeights: the risk-budget policy)
    Sources/Policy/RiskBudgetLayer.swift and Sources/Portfolio/RiskBudgeting.swift
                                                  the risk-budgeting layer: Newton's method in
                                                  float64, implicit gradient (one solve)
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

A dump of a risk-budget recipe (recipes/budget.yaml; `budget` in the dump: the tilt bound, each
row's core and exposure) trains the risk-budget policy instead: budgets softmax(log b_anchor +
tau tanh(score)) over each row's core, the risk-budgeting weights of those budgets (an inner
Newton solve per decision, batched over the windows) times the row's exposure, cash the rest.

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
        self.budget = Cores(dump["budget"], n, dtype) if dump.get("budget") else None


class Cores:
    """A risk-budget dump's cores, padded to all N assets so that a batch of rows solves at
    once: per row the scaled covariance S [R, N, N] (Regimen's `RiskBudgeting.solve` divides
    the core's covariance by its mean diagonal), the core mask [R, N], the anchor budgets and
    the log anchor (-1e4 off the core), the anchor's solution y (where each tilted solve starts,
    as `BudgetCore.anchorSolution`) and the exposure [R]. Off the core S is the identity and
    b = y = 1, which Newton's method leaves exactly where they are (their gradient is 0 and
    their rows of the Hessian are decoupled), and the objective, residual and sums mask them."""

    def __init__(self, budget, n, dtype):
        r = len(budget["cores"])
        f64 = torch.float64
        self.tau = budget["tau"]
        self.scaled = torch.eye(n, dtype=f64).repeat(r, 1, 1)
        self.mask = torch.zeros(r, n, dtype=torch.bool)
        anchor = torch.ones(r, n, dtype=f64)
        for i, core in enumerate(budget["cores"]):
            if core is None:
                continue
            assets = torch.tensor(core["assets"])
            m = len(assets)
            covariance = torch.tensor(core["covariance"], dtype=f64).reshape(m, m)
            mean_diagonal = 0.0
            for k in range(m):  # summed in Regimen's order
                mean_diagonal += core["covariance"][k * m + k]
            mean_diagonal /= m
            block = covariance / (mean_diagonal if mean_diagonal > 0 else 1)
            self.scaled[i][assets.unsqueeze(1), assets.unsqueeze(0)] = block
            self.mask[i, assets] = True
            anchor[i, assets] = torch.tensor(core["anchor"], dtype=f64)
        self.log_anchor = torch.where(self.mask, anchor.log(), torch.full_like(anchor, -1e4)).to(dtype)
        self.on_core = self.mask.to(dtype)
        self.exposure = torch.tensor(budget["exposures"], dtype=dtype)
        # The anchor's solve starts where Regimen's does: y_i = sqrt(b_i / S_ii).
        start = anchor.sqrt() / self.scaled.diagonal(dim1=1, dim2=2).clamp(min=1e-300).sqrt()
        self.start = newton(self.scaled, anchor, start, self.mask)


def newton(s, b, y, mask):
    """RiskBudgeting.solve for a batch of rows, float64: Spinu's min 1/2 y'Sy - sum b log y by
    Newton's method with backtracking, each row on its own (a row stops when its gradient's
    largest entry is below 1e-15, when its Hessian's Cholesky factorisation fails, or when no
    step down to 1e-12 lowers its objective or its residual), at most 100 steps. Returns y."""
    maskf = mask.to(s.dtype)
    active = mask.any(1)

    def product(v):
        return torch.bmm(s, v.unsqueeze(2)).squeeze(2)

    def objective(v, sv):
        return 0.5 * (maskf * v * sv).sum(1) - (maskf * b * v.log()).sum(1)

    def residual(v, sv):
        return ((sv - b / v).abs() * maskf).amax(1)

    for _ in range(100):
        sy = product(y)
        gradient = sy - b / y
        active = active & ((gradient.abs() * maskf).amax(1) >= 1e-15)
        if not active.any():
            break
        factor, info = torch.linalg.cholesky_ex(s + torch.diag_embed(b / (y * y)))
        active = active & (info == 0)
        direction = -torch.cholesky_solve(gradient.unsqueeze(2), factor).squeeze(2)
        current, current_residual = objective(y, sy), residual(y, sy)
        step = torch.ones(len(y), dtype=s.dtype)
        searching = active.clone()
        while searching.any():
            candidate = y + step.unsqueeze(1) * direction
            sc = product(candidate)
            lower = (objective(candidate, sc) <= current) | (residual(candidate, sc) < current_residual)
            accept = searching & (candidate > 0).all(1) & lower
            y = torch.where(accept.unsqueeze(1), candidate, y)
            searching = searching & ~accept
            step = torch.where(searching, step / 2, step)
            failed = searching & (step <= 1e-12)
            active, searching = active & ~failed, searching & ~failed
    return y


class RiskBudgetLayer(torch.autograd.Function):
    """RiskBudgetLayer.weights: budgets [B, N] (float32 or float64) to the risk-budgeting
    weights over each row's core, solved in float64 from the anchor's solution; 0 off the core.
    Backward by implicit differentiation of S y = b / y, as RiskBudgeting.budgetGradient:
    g_y = (g_w - g_w.w) / sum y, solve (S + diag(b / y^2)) v = g_y (Cholesky; a 1e-12 relative
    ridge if that fails), g_b = v / y on the core."""

    @staticmethod
    def forward(ctx, budgets, s, mask, start):
        b = torch.where(mask, budgets.double().clamp(min=2.2250738585072014e-308), torch.ones_like(start))
        y = newton(s, b, start, mask)
        total = torch.where(mask, y, torch.zeros_like(y)).sum(1, keepdim=True)
        weights = torch.where(mask, y / total, torch.zeros_like(y))
        ctx.save_for_backward(s, b, y, weights, total, mask)
        return weights.to(budgets.dtype)

    @staticmethod
    def backward(ctx, upstream):
        s, b, y, weights, total, mask = ctx.saved_tensors
        u = torch.where(mask, upstream.double(), torch.zeros_like(y))
        along = (u * weights).sum(1, keepdim=True)
        gy = torch.where(mask, (u - along) / total, torch.zeros_like(y))
        h = s + torch.diag_embed(b / (y * y))
        factor, info = torch.linalg.cholesky_ex(h)
        if (info != 0).any():
            diagonal = torch.where(mask, h.diagonal(dim1=1, dim2=2), torch.zeros_like(y))
            ridge = torch.diag_embed((1e-12 * diagonal.amax(1, keepdim=True)).expand_as(y))
            factor = torch.where((info != 0).reshape(-1, 1, 1), torch.linalg.cholesky(h + ridge), factor)
        v = torch.cholesky_solve(gy.unsqueeze(2), factor).squeeze(2)
        return torch.where(mask, v / y, torch.zeros_like(y)).to(upstream.dtype), None, None, None


class Policy(torch.nn.Module):
    """PolicyNetwork without sleeves: a shared scorer (Linear, tanh between layers) on [asset
    features, market inputs, held weight] per asset, a cash Linear on the market inputs,
    unlisted assets at a logit of -1e4, softmax over assets and cash; with a risk-budget
    market (`market.budget`) the budget policy instead (`budget_weights`; the cash Linear is
    unused, as in Regimen)."""

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
        if market.budget is not None:
            return budget_weights(market.budget, scores, rows)
        masked = torch.where(market.listed[rows], scores, torch.full_like(scores, -1e4))
        return torch.softmax(torch.cat([masked, self.cash(inputs)], 1), 1)


def budget_weights(cores, scores, rows):
    """PolicyNetwork.budgetWeights: budgets softmax(log b_anchor + tau tanh(score) on the core),
    their risk-budgeting weights times the row's exposure, and cash the rest: [B, N + 1]."""
    budgets = torch.softmax(cores.log_anchor[rows] + scores.tanh() * (cores.on_core[rows] * cores.tau), 1)
    exposure = cores.exposure[rows].unsqueeze(1)
    risky = RiskBudgetLayer.apply(budgets, cores.scaled[rows], cores.mask[rows], cores.start[rows]) * exposure
    return torch.cat([risky, 1 - exposure], 1)


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
            gradients.extend(
                {"name": name, "values": [] if p.grad is None else p.grad.reshape(-1).tolist()} for name, p in named)

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
