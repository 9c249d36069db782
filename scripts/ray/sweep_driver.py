#!/usr/bin/env python3
"""Runs sweep runs as Ray tasks on an existing Ray cluster (`regimen sweep --executor ray`).

Started by the Swift command, never by hand:

    python3 scripts/ray/sweep_driver.py --address ADDR --regimen PATH --spec FILE --threads 1 < run_ids

Each run id read from stdin becomes one Ray task (resources: `--threads` CPUs) that runs
`regimen sweep run-one --spec FILE --run-id ID` with OPENBLAS_NUM_THREADS set to the task's
threads, so the run's bytes are the same as under the local executor. The binary, the spec
and the data reach the workers through a shared path (the same machine, or a shared file
system). A worker that dies is retried by Ray (max_retries); a run that fails (non-zero
exit) is not: its error is reported. One JSON object per finished run is printed to stdout
as runs finish: {"run_id", "status", "line", "error"}.

Pinned in scripts/ci-requirements.txt (ray==2.40.0).
"""
import argparse
import json
import os
import subprocess
import sys

import ray


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", default="auto")
    parser.add_argument("--regimen", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    run_ids = [line.strip() for line in sys.stdin if line.strip()]

    ray.init(address=args.address, log_to_driver=False, logging_level="ERROR")

    @ray.remote(num_cpus=args.threads, max_retries=3)
    def run_one(regimen, spec, run_id, threads):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
        done = subprocess.run(
            [regimen, "sweep", "run-one", "--spec", spec, "--run-id", run_id],
            env=env, capture_output=True, text=True)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        errors = [line for line in done.stderr.splitlines() if line.strip()]
        return {
            "run_id": run_id,
            "status": done.returncode,
            "line": lines[-1] if lines else None,
            "error": errors[-1] if errors else f"exit {done.returncode}",
        }

    pending = [run_one.remote(args.regimen, args.spec, run_id, args.threads) for run_id in run_ids]
    while pending:
        finished, pending = ray.wait(pending, num_returns=1)
        for result in ray.get(finished):
            print(json.dumps(result, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
