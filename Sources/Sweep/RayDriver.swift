import Foundation

/// The Ray driver program of `--executor ray`, embedded in the binary so that a `regimen`
/// installed anywhere (no checkout beside it) can run a sweep on Ray: it is written to a
/// temporary file and started with the Python that has `ray` (`--python`).
///
/// The Python text below is the one copy of the driver (there is no script file in the
/// repository). A Swift literal rather than a SwiftPM resource, because a resource lives in a
/// `Regimen_Sweep.resources` folder beside the binary, which an installed binary does not
/// carry; rather than a build-tool plugin, because that would add a tool target and a plugin
/// to copy one file. `--ray-driver FILE` still runs another driver, for trying a change.
package enum RayDriver {
    /// The driver's Python source (Ray 2.60, the pin of `scripts/ci-requirements.txt`).
    static let source = #"""
        """Runs sweep runs as Ray tasks on an existing Ray cluster (`regimen sweep --executor ray`).

        Written out and started by the regimen binary (which embeds this text), never by hand:

            python3 DRIVER --address ADDR --bundle DIR --threads 1 < run_ids

        DIR holds everything a run reads: `regimen` (the binary), `spec.yaml` (the spec, its
        config inlined, `data: data`) and `data/` (the dataset's files). It is the job's runtime
        environment `working_dir`: ray.init uploads it to the cluster once, each node unpacks it
        once, and tasks start in it, so a worker reads no path of the submitting machine. Once
        the runs are submitted, {"submitted": N} is printed: DIR may then be deleted.

        Each run id read from stdin becomes one task (`--threads` CPUs) that runs
        `regimen sweep run-one --spec spec.yaml --run-id ID` in a scratch folder of its own on
        the worker, with OPENBLAS_NUM_THREADS set to the task's threads, so the run's bytes are
        the local executor's. A worker that dies is retried by Ray (max_retries); a run that
        fails (non-zero exit) is not: its error is reported. One JSON object per finished run is
        printed as runs finish: {"run_id", "status", "line", "error", "node"}; the regimen
        process appends the lines to runs.jsonl (workers write nothing back themselves).
        """
        import argparse
        import json
        import os
        import subprocess
        import sys
        import tempfile

        import ray


        def run_one(run_id, threads):
            """Runs one run in a scratch folder on this worker and returns its report."""
            bundle = os.getcwd()  # the job's working_dir, as unpacked on this node
            command = [os.path.join(bundle, "regimen"), "sweep", "run-one",
                       "--spec", os.path.join(bundle, "spec.yaml"), "--run-id", run_id]
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
            with tempfile.TemporaryDirectory(prefix="regimen-run-") as scratch:
                done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True)
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            errors = [line for line in done.stderr.splitlines() if line.strip()]
            return {
                "run_id": run_id,
                "status": done.returncode,
                "line": lines[-1] if lines else None,
                "error": errors[-1] if errors else f"exit {done.returncode}",
                "node": ray.get_runtime_context().get_node_id(),
            }


        def main():
            """Submits every run read from stdin, then prints each report as its run finishes."""
            parser = argparse.ArgumentParser()
            parser.add_argument("--address", default="auto")
            parser.add_argument("--bundle", required=True)
            parser.add_argument("--threads", type=int, default=1)
            args = parser.parse_args()
            run_ids = [line.strip() for line in sys.stdin if line.strip()]

            ray.init(address=args.address, runtime_env={"working_dir": args.bundle},
                     log_to_driver=False, logging_level="ERROR")
            # SPREAD: runs are independent and CPU-bound, so they go to the nodes in turn rather
            # than filling the first node (Ray's default packs a node before using the next).
            task = ray.remote(num_cpus=args.threads, max_retries=3, scheduling_strategy="SPREAD")(run_one)
            pending = [task.remote(run_id, args.threads) for run_id in run_ids]
            print(json.dumps({"submitted": len(pending)}), flush=True)
            while pending:
                finished, pending = ray.wait(pending, num_returns=1)
                for result in ray.get(finished):
                    print(json.dumps(result, sort_keys=True), flush=True)


        if __name__ == "__main__":
            main()

        """#

    /// Writes the driver to a new temporary file; the caller removes it.
    /// - Throws: `RayExecutor.Failure` (70) when the file cannot be written.
    static func writeTemporary() throws(RayExecutor.Failure) -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-ray-driver-\(UUID().uuidString).py")
        do { try Data(source.utf8).write(to: file) } catch {
            throw RayExecutor.Failure(description: "cannot write the Ray driver to \(file.path): \(error.localizedDescription)")
        }
        return file
    }
}
