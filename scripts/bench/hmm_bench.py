#!/usr/bin/env python3
"""The hmmlearn side of Regimen's `hmm` benchmark: the same workload shape as

    regimen-bench hmm --periods 5000 --dims 4 --states 3 --iters 100 [--restarts 1]

(Baum-Welch EM of a Gaussian HMM with full covariances), same one-line JSON output.

Run with a venv that has hmmlearn (e.g. the PyTorch peer venv with hmmlearn 0.3.3 added):

    PY=~/.cache/regimen-pytorch-peer/bin/python
    $PY scripts/bench/hmm_bench.py --periods 5000 --dims 4 --states 3 --iters 100
    $PY scripts/bench/hmm_bench.py hmm --periods 5000 --dims 4 --states 3 --iters 100   # same

Options: --periods T (5000), --dims D (4), --states K (3), --iters N (100), --restarts R (1),
--threads (2), --repeats (3), --seed (7), --tol (0). Timings also move with the machine's load:
on the 2-core machine close builds and tests first.

Data: a fixed random K-state model drawn from numpy.random.default_rng(seed) (see `make_model`),
then T rows sampled from it with the same generator: u = rng.random(T), z =
rng.standard_normal((T, D)); s_0 from startprob, s_t from transmat[s_{t-1}] by inverse CDF of u_t;
x_t = mu_{s_t} + L_{s_t} z_t (L the lower Cholesky factor). Regimen draws its own data with its
own generator: the shapes are the same, the numbers are not.

Timed: the whole of GaussianHMM(n_components=K, covariance_type=--covariance (full or diag), n_iter=N, tol=--tol,
random_state=r).fit(X) for r = 0..R-1 (hmmlearn's default initialisation included: KMeans with
n_init=10 for the means, Dirichlet startprob/transmat, np.cov for the covariances; then N rounds
of E-step (log-space forward-backward) and M-step). tol=0 makes EM run all N rounds unless the
log-likelihood goes DOWN (hmmlearn stops when gain < tol, signed); the rounds actually run are
reported as "iterations", and a warning is printed if fewer than R*N ran. That happens with
--restarts 3 (with the default data, restart 2 converges and stops after 25 rounds at a -5e-10
step); `--tol=-inf` (with the "=") forces every round. One untimed warm-up fit, then --repeats
timed ones. With the defaults all 100 rounds run; the fit is then still gaining ~4e-6 per round.

One JSON line on stdout:

  {"workload": "hmm", "params": {...}, "threads", "seconds", "seconds_min", "seconds_max",
   "repeats", "per_second", "impl": "hmmlearn", "log_likelihood", "iterations", "init_seconds"}

seconds / seconds_min / seconds_max: the median / fastest / slowest repeat's wall time of the
R fits; per_second = iterations / seconds, EM rounds per second (initialisation included in the
time); log_likelihood = model.score(X) of the last fit's final parameters (of the best restart
when R > 1); init_seconds = the median time of the initialisation alone (the same fits with
n_iter=0), to see how much of `seconds` is KMeans. Threads: OMP_NUM_THREADS,
OPENBLAS_NUM_THREADS and MKL_NUM_THREADS are set to --threads before numpy is imported, and
threadpoolctl limits every BLAS/OpenMP pool to it (hmmlearn's forward-backward itself is
single-threaded C++).
"""
import argparse
import json
import os
import statistics
import sys
import time


def parse_args(argv):
    ap = argparse.ArgumentParser(description="hmmlearn side of Regimen's hmm benchmark (see header).")
    ap.add_argument("workload", nargs="?", default="hmm", choices=["hmm"])
    ap.add_argument("--periods", type=int, default=5000)
    ap.add_argument("--dims", type=int, default=4)
    ap.add_argument("--states", type=int, default=3)
    ap.add_argument("--iters", type=int, default=100)
    ap.add_argument("--restarts", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tol", type=float, default=0.0)
    ap.add_argument("--covariance", choices=["full", "diag"], default="full")
    return ap.parse_args(argv)


ARGS = parse_args(sys.argv[1:])
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = str(ARGS.threads)

import warnings  # noqa: E402

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

import hmmlearn  # noqa: E402
from hmmlearn.hmm import GaussianHMM  # noqa: E402


def make_model(rng, K, D):
    """The fixed random model: persistent transitions, spread-out means, distinct full covariances."""
    startprob = np.full(K, 1.0 / K)
    transmat = np.empty((K, K))
    for i in range(K):
        off = rng.dirichlet(np.ones(K - 1)) * 0.1 if K > 1 else np.empty(0)
        transmat[i] = np.insert(off, i, 0.9) if K > 1 else [1.0]
    means = rng.normal(0.0, 1.5, size=(K, D))
    covars = np.empty((K, D, D))
    for k in range(K):
        a = rng.normal(size=(D, D))
        covars[k] = (a @ a.T / D + 0.25 * np.eye(D)) * (0.5 * 2.0 ** k)
    return startprob, transmat, means, covars


def sample(rng, T, startprob, transmat, means, covars):
    K, D = means.shape
    u = rng.random(T)
    z = rng.standard_normal((T, D))
    chol = [np.linalg.cholesky(c) for c in covars]
    X = np.empty((T, D))
    s = 0
    for t in range(T):
        p = startprob if t == 0 else transmat[s]
        s = min(int(np.searchsorted(np.cumsum(p), u[t], side="right")), K - 1)
        X[t] = means[s] + chol[s] @ z[t]
    return X


def fit_all(X, args, n_iter):
    """Fits R restarts; returns (iterations run, best final log-likelihood)."""
    iters = 0
    best = -np.inf
    for r in range(args.restarts):
        m = GaussianHMM(n_components=args.states, covariance_type=args.covariance, n_iter=n_iter,
                        tol=args.tol, random_state=r)
        m.fit(X)
        iters += m.monitor_.iter
        if n_iter > 0:
            best = max(best, float(m.score(X)))
    return iters, best


def main():
    args = ARGS
    threadpool_limits(args.threads)
    warnings.filterwarnings("ignore", module="hmmlearn")  # "not converging" at float noise
    rng = np.random.default_rng(args.seed)
    X = sample(rng, args.periods, *make_model(rng, args.states, args.dims))

    fit_all(X, args, args.iters)  # warm-up
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        iters, ll = fit_all(X, args, args.iters)
        times.append(time.perf_counter() - t0)
    init_times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        fit_all(X, args, 0)
        init_times.append(time.perf_counter() - t0)
    if iters < args.restarts * args.iters:
        print(f"warning: EM stopped early ({iters} of {args.restarts * args.iters} rounds; a "
              "log-likelihood decrease at float noise stops hmmlearn when tol=0; --tol=-inf runs "
              "them all)", file=sys.stderr)
    sec = statistics.median(times)
    print(json.dumps({
        "workload": "hmm",
        "params": {"periods": args.periods, "dims": args.dims, "states": args.states,
                   "iters": args.iters, "restarts": args.restarts, "covariance": args.covariance,
                   "tol": args.tol if np.isfinite(args.tol) else repr(args.tol), "seed": args.seed},
        "threads": args.threads,
        "seconds": sec,
        "seconds_min": min(times),
        "seconds_max": max(times),
        "repeats": args.repeats,
        "per_second": iters / sec,
        "impl": "hmmlearn",
        "log_likelihood": ll,
        "iterations": iters,
        "init_seconds": statistics.median(init_times),
        "hmmlearn_version": hmmlearn.__version__,
    }))


if __name__ == "__main__":
    main()
