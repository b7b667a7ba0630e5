#!/usr/bin/env python3
"""Explanations as a step of a distributed job (issue 10): a Dask LocalCluster with two worker
processes explains a >= 5,000,000-row CSV partition by partition through the real CLI
(`node dist/cli.js explain ... -`, the partition on stdin, as Spark's RDD.pipe would run it),
and the concatenated partition outputs equal the single-process run of the same CLI on the
whole file, row for row.

Run by test/integration/dask-explain.test.mjs (a step of `npm test`); by hand:

    /usr/bin/python3 test/integration/dask_explain.py --rows 5000000 --workdir /tmp/neon-dask

Needs Debian's python3-dask, python3-distributed, python3-numpy, python3-sklearn (.ci/run installs them).
Prints one JSON line: rows, partitions, seconds per stage, and whether the outputs matched.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CLI = os.path.join(REPO, "dist", "cli.js")
COLUMNS = ["age", "income", "visits", "spend"]


def write_table(path, rows, seed=11):
    """Overlapping groups (the hard case: many rows near a boundary), written in blocks."""
    rng = np.random.default_rng(seed)
    mu = np.array([[30, 42, 4, 0.9], [45, 78, 9, 2.6], [63, 55, 2, 1.2], [50, 60, 6, 1.8]])
    sd = np.array([[6, 9, 2, 0.3], [8, 12, 3, 0.7], [7, 11, 1.5, 0.5], [10, 15, 3, 0.6]])
    block = 500_000
    with open(path, "w") as f:
        f.write("id," + ",".join(COLUMNS) + "\n")
        for start in range(0, rows, block):
            n = min(block, rows - start)
            g = rng.integers(0, len(mu), size=n)
            x = rng.normal(mu[g], sd[g])
            ids = np.arange(start + 1, start + n + 1)
            lines = "\n".join(f"{i},{a:.2f},{b:.3f},{c:.0f},{d:.4f}" for i, (a, b, c, d) in zip(ids, x))
            f.write(lines + "\n")


def fit_centres(path, out):
    """The model a user brings: scikit-learn KMeans fitted on a sample, saved with numpy.save."""
    from sklearn.cluster import KMeans
    sample = np.loadtxt(path, delimiter=",", skiprows=1, max_rows=20_000)[:, 1:]
    km = KMeans(n_clusters=4, n_init=4, random_state=0).fit(sample)
    np.save(out, km.cluster_centers_)


def cli_args(model):
    # beta fixed: every partition must explain with the same beta (auto would be per partition).
    return ["node", CLI, "explain", "--model-file", model, "--features", ",".join(COLUMNS), "--beta", "0.05", "--id-column", "id"]


def explain_partition(block, index, header, model, outdir):
    """Runs on a Dask worker: the partition's lines (plus the header) piped through the CLI."""
    data = block if block.startswith(header) else header + block
    out_path = os.path.join(outdir, f"part-{index:05d}.csv")
    with open(out_path, "wb") as out:
        proc = subprocess.run(cli_args(model) + ["-"], input=data, stdout=out, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise RuntimeError(f"partition {index}: neon-cluster explain exited {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return out_path


def digest_rows(paths):
    """sha256 and count of the data rows (header lines dropped) of files read in order."""
    h = hashlib.sha256()
    n = 0
    for p in paths:
        with open(p, "rb") as f:
            f.readline()
            for line in f:
                h.update(line)
                n += 1
    return h.hexdigest(), n


def first_difference(single, parts):
    """Line number and both lines of the first difference (for the failure message)."""
    with open(single, "rb") as a:
        a.readline()
        k = 0
        for p in parts:
            with open(p, "rb") as b:
                b.readline()
                for lb in b:
                    la = a.readline()
                    k += 1
                    if la != lb:
                        return {"row": k, "single": la.decode().strip(), "dask": lb.decode().strip()}
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--blocksize", type=int, default=24 * 2**20)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    data = os.path.join(args.workdir, "table.csv")
    model = os.path.join(args.workdir, "centres.npy")
    single = os.path.join(args.workdir, "single.csv")
    parts_dir = os.path.join(args.workdir, "parts")
    os.makedirs(parts_dir, exist_ok=True)
    times = {}

    t = time.time()
    write_table(data, args.rows)
    fit_centres(data, model)
    times["prepare"] = time.time() - t

    t = time.time()
    with open(single, "wb") as out:
        proc = subprocess.run(cli_args(model) + [data], stdout=out, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        print(json.dumps({"ok": False, "error": "single-process explain failed", "stderr": proc.stderr.decode()[-2000:]}))
        return 1
    times["single"] = time.time() - t

    from dask import delayed
    from dask.bytes import read_bytes
    from distributed import Client, LocalCluster

    t = time.time()
    with open(data, "rb") as f:
        header = f.readline()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        _, blocks = read_bytes(data, delimiter=b"\n", blocksize=args.blocksize)
        blocks = blocks[0]
        tasks = [delayed(explain_partition)(b, i, header, model, parts_dir) for i, b in enumerate(blocks)]
        futures = client.compute(tasks)
        parts = client.gather(futures)
        workers = len(client.scheduler_info()["workers"])
    times["dask"] = time.time() - t

    t = time.time()
    d_single, n_single = digest_rows([single])
    d_parts, n_parts = digest_rows(parts)
    times["compare"] = time.time() - t
    ok = d_single == d_parts and n_single == n_parts == args.rows
    result = {"ok": ok, "rows": args.rows, "rowsSingle": n_single, "rowsDask": n_parts, "partitions": len(parts), "workers": workers,
              "seconds": {k: round(v, 1) for k, v in times.items()}}
    if not ok:
        result["firstDifference"] = first_difference(single, parts)
    print(json.dumps(result))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
