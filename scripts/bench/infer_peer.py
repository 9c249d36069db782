#!/usr/bin/env python3
"""The pandas + PyTorch side of Regimen's `infer` benchmark: the daily job that
`regimen-infer` does, written the way a Python shop would, and timed the same way as

    regimen-bench infer --assets 20 --periods 3000 --repeats 7

(cold start of a fresh process to a written weights file, as a scheduler runs it).

Job mode (what the scheduler runs; one fresh process):

    PY=~/.cache/regimen-pytorch-peer/bin/python
    $PY scripts/bench/infer_peer.py --data DIR --out FILE

Bench mode (spawns job mode as a child process R times, after one untimed warm-up run):

    .build/release/regimen data synth --out /tmp/infer-peer-data --assets 20 --periods 3000 --seed 1
    $PY scripts/bench/infer_peer.py --bench --data /tmp/infer-peer-data --repeats 7

The job: read DIR/prices.csv (wide `date,ASSET...`), DIR/funding.csv and DIR/features.csv
with pandas; compute docs/features.md's features over the whole history with pandas
rolling / ewm operations (as Regimen's FeatureBuilder computes every row), take the last
row; per asset ret_1/5/20, vol_20, ewma_vol (lambda 0.94), mom_60_5, drawdown_90, corr_60 and
beta_60 to the equal-weight index, funding_7/30 and funding_trend (perps = assets with a
funding column); market mkt_ret, mkt_vol_20, dispersion, avg_corr_60 (pairwise rolling
correlations, every row), and each features.csv column with its age in days (as-of join).
Normalise with fixed statistics (mean 0, sd 1, clip to +-5; a missing value becomes 0, as
Regimen masks it). Policy: a float32 torch MLP scorer shared by the assets (inputs: the 12
asset features, the 8 market features and the held weight 0; hidden 32, 32 tanh; output 1),
a Linear cash score from the market features, both randomly initialised (Xavier uniform,
torch.manual_seed(0)); softmax over listed assets + cash. Caps: each asset at most 0.35 (the
excess goes to cash), cash at least 0.05 (assets scaled down). The weights file
(`regimen.weights/v1`-shaped JSON, sorted keys) is written atomically: a temporary file beside
it, fsync, rename. torch uses 1 intra-op thread (`--threads`), as regimen-infer sets 1 BLAS
thread.

Not done here that regimen-infer does (so this side does somewhat less work): loading a model
version from a registry (manifest, weights, normalisation statistics), the regime HMM's
filtered probabilities (extra scorer inputs), the staleness check, the risk figures (VaR, ES,
volatility over 90 days) and the full limit enforcer.

Bench output, one JSON line on stdout:

  {"workload": "infer", "impl": "pytorch", "params": {"assets", "periods"}, "threads",
   "seconds", "seconds_min", "seconds_max", "repeats", "per_second", "peak_memory_mb"}

seconds / seconds_min / seconds_max: the median / fastest / slowest child's wall time from
spawn to exit (os.posix_spawn, os.wait4; the child's stderr goes to /dev/null, as
regimen-bench does); peak_memory_mb: the largest child ru_maxrss (from wait4), in MiB.
`--stages` in job mode prints each stage's milliseconds to stderr.
"""
import argparse
import json
import os
import statistics
import sys
import time

STARTED = time.perf_counter()

MAX_WEIGHT = 0.35
MIN_CASH = 0.05
CLIP = 5.0
HIDDEN = (32, 32)


def job(args):
    stages = []

    def mark(name):
        stages.append((name, time.perf_counter()))

    mark("start")
    import numpy as np
    import pandas as pd
    mark("import_pandas")
    import torch
    mark("import_torch")
    torch.set_num_threads(args.threads)

    # Read.
    prices = pd.read_csv(os.path.join(args.data, "prices.csv"), index_col="date", parse_dates=True)
    funding_path = os.path.join(args.data, "funding.csv")
    funding = pd.read_csv(funding_path, index_col="date", parse_dates=True) if os.path.exists(funding_path) else None
    exo_path = os.path.join(args.data, "features.csv")
    exogenous = pd.read_csv(exo_path, index_col="date", parse_dates=True) if os.path.exists(exo_path) else None
    assets = list(prices.columns)
    mark("read")

    # Per-asset features over the whole history (docs/features.md).
    r = np.log(prices / prices.shift(1))
    market = np.log((prices / prices.shift(1)).mean(axis=1))  # equal-weight index, assets with both prices
    asset_features = {}
    for h in (1, 5, 20):
        asset_features[f"ret_{h}"] = np.log(prices / prices.shift(h))
    asset_features["vol_20"] = r.rolling(20).std()
    asset_features["ewma_vol"] = (r ** 2).ewm(alpha=1 - 0.94, adjust=False).mean() ** 0.5
    asset_features["mom_60_5"] = np.log(prices.shift(5) / prices.shift(60))
    asset_features["drawdown_90"] = 1 - prices / prices.rolling(90).max()
    asset_features["corr_60"] = r.rolling(60).corr(market)
    asset_features["beta_60"] = r.rolling(60).cov(market).div(market.rolling(60).var(), axis=0)
    perps = [a for a in assets if funding is not None and a in funding.columns]
    if funding is not None:
        rates = funding.reindex(index=prices.index, columns=assets).fillna(0.0)
        means = {f: rates.rolling(f).mean() for f in (7, 30)}
        spot = [a for a in assets if a not in perps]
        for f, frame in means.items():
            frame[spot] = np.nan  # spot assets have no funding features
            asset_features[f"funding_{f}"] = frame
        asset_features["funding_trend"] = means[7] - means[30]

    # Market features over the whole history.
    market_features = {
        "mkt_ret": market,
        "mkt_vol_20": market.rolling(20).std(),
        "dispersion": r.std(axis=1),
    }
    pairwise = r.rolling(60).corr()  # (date, asset) x asset, every row
    n = len(assets)
    cube = pairwise.to_numpy().reshape(len(prices), n, n)
    upper = np.triu_indices(n, 1)
    pairs = cube[:, upper[0], upper[1]]
    pairs[~np.isfinite(pairs)] = np.nan
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            avg_corr = np.nanmean(pairs, axis=1)
    market_features["avg_corr_60"] = pd.Series(avg_corr, index=prices.index)
    if exogenous is not None:
        for column in exogenous.columns:
            observed = exogenous[column].dropna()
            market_features[column] = observed.reindex(prices.index, method="ffill")
            seen = pd.Series(observed.index, index=observed.index).reindex(prices.index, method="ffill")
            market_features[f"{column}_age"] = (prices.index.to_series() - seen).dt.days.astype(float)
    mark("features")

    # The last row, normalised with fixed statistics (mean 0, sd 1), missing -> 0.
    last = -1
    x_asset = np.stack([frame.iloc[last].reindex(assets).to_numpy(dtype=float) for frame in asset_features.values()], axis=1)
    x_market = np.array([series.iloc[last] for series in market_features.values()], dtype=float)

    def normalise(x):
        z = np.clip((x - 0.0) / 1.0, -CLIP, CLIP)
        return np.where(np.isfinite(z), z, 0.0)

    x_asset, x_market = normalise(x_asset), normalise(x_market)
    listed = prices.iloc[last].notna().to_numpy()
    held = np.zeros((n, 1))
    mark("normalise")

    # Policy network, randomly initialised with a fixed seed.
    torch.manual_seed(0)
    scorer_inputs = x_asset.shape[1] + x_market.shape[0] + 1
    layers, width = [], scorer_inputs
    for h in HIDDEN:
        layers += [torch.nn.Linear(width, h), torch.nn.Tanh()]
        width = h
    layers.append(torch.nn.Linear(width, 1))
    scorer = torch.nn.Sequential(*layers)
    cash_head = torch.nn.Linear(x_market.shape[0], 1)
    for module in list(scorer) + [cash_head]:
        if isinstance(module, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(module.weight)
            torch.nn.init.zeros_(module.bias)
    with torch.inference_mode():
        market_t = torch.as_tensor(x_market, dtype=torch.float32)
        inputs = torch.cat([
            torch.as_tensor(x_asset, dtype=torch.float32),
            market_t.expand(n, -1),
            torch.as_tensor(held, dtype=torch.float32),
        ], dim=1)
        scores = scorer(inputs).squeeze(1)
        scores = torch.where(torch.as_tensor(listed), scores, torch.full_like(scores, -1e4))
        logits = torch.cat([scores, cash_head(market_t)])
        weights = torch.softmax(logits, dim=0).double().numpy()
    mark("model")

    # Caps: each asset at most MAX_WEIGHT (excess to cash), cash at least MIN_CASH.
    w, cash = weights[:n].copy(), float(weights[n])
    binding = []
    if (w > MAX_WEIGHT).any():
        binding.append("max_weight")
        cash += float((w - MAX_WEIGHT).clip(min=0).sum())
        w = np.minimum(w, MAX_WEIGHT)
    if cash < MIN_CASH:
        binding.append("min_cash")
        w *= (1 - MIN_CASH) / w.sum()
        cash = MIN_CASH
    if not (np.isfinite(w).all() and np.isfinite(cash)):
        print("error: the model produced a non-finite weight; nothing written", file=sys.stderr)
        sys.exit(70)

    document = {
        "schema": "regimen.weights/v1",
        "as_of": prices.index[last].strftime("%Y-%m-%d"),
        "source": {"kind": "model", "name": "pytorch-peer", "version": "1"},
        "weights": {**{a: float(v) for a, v in zip(assets, w)}, "CASH": cash},
        "limits": {"binding": binding, "relaxed": []},
    }
    payload = (json.dumps(document, sort_keys=True, indent=2) + "\n").encode()

    # Atomic write: temporary file beside the destination, fsync, rename.
    out = os.path.abspath(args.out)
    temporary = os.path.join(os.path.dirname(out), f".{os.path.basename(out)}.tmp-{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, out)
    mark("write")

    line = f"infer_peer: as_of={document['as_of']} binding={','.join(binding) or 'none'} wrote={out} wall={(time.perf_counter() - STARTED) * 1000:.0f}ms"
    if args.stages:
        line += " stages(ms): " + " ".join(f"{name}={(t - stages[i][1]) * 1000:.0f}" for i, (name, t) in enumerate(stages[1:]))
    print(line, file=sys.stderr)


def bench(args):
    import tempfile

    with open(os.path.join(args.data, "prices.csv")) as f:
        header = f.readline()
        periods = sum(1 for _ in f)
    assets = len(header.strip().split(",")) - 1
    with tempfile.TemporaryDirectory(prefix="infer-peer-") as root:
        out = os.path.join(root, "w.json")
        argv = [sys.executable, os.path.abspath(__file__), "--data", args.data, "--out", out, "--threads", str(args.threads)]
        actions = [(os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
        peak_kib = 0

        def run_once():
            nonlocal peak_kib
            t0 = time.perf_counter()
            pid = os.posix_spawn(sys.executable, argv, os.environ, file_actions=actions)
            _, status, usage = os.wait4(pid, 0)
            elapsed = time.perf_counter() - t0
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                sys.exit(f"infer_peer: child exited with {code}; run without --bench to see its error")
            peak_kib = max(peak_kib, usage.ru_maxrss)  # KiB on Linux
            return elapsed

        run_once()  # untimed warm-up, as regimen-bench does
        seconds = [run_once() for _ in range(args.repeats)]
    median = statistics.median(seconds)
    print(json.dumps({
        "workload": "infer", "impl": "pytorch", "params": {"assets": assets, "periods": periods},
        "threads": args.threads, "seconds": median, "seconds_min": min(seconds), "seconds_max": max(seconds),
        "repeats": args.repeats, "per_second": 1 / median, "peak_memory_mb": peak_kib / 1024,
    }, sort_keys=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="/tmp/infer-peer-data", help="dataset directory (prices.csv, funding.csv, features.csv)")
    parser.add_argument("--out", help="weights file to write (job mode)")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads in the job (default 1)")
    parser.add_argument("--stages", action="store_true", help="job mode: print each stage's milliseconds to stderr")
    parser.add_argument("--bench", action="store_true", help="time --repeats cold starts of job mode as child processes")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if args.bench:
        bench(args)
    elif args.out:
        job(args)
    else:
        parser.error("give --out FILE (job mode) or --bench")


if __name__ == "__main__":
    main()
