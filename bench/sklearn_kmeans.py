"""Peer for `npm run bench`: scikit-learn's KMeans on the very same data and initial centroids,
timed around fit() only, with its default OpenMP threads (every core, as ours). Reads raw
float64 files written by bench/kmeansBench.ts.
The fastest of `repeats` fits is reported (ours is timed the same way).
Usage: python3 sklearn_kmeans.py data.f64 init.f64 N D K max_iter [algorithm [tol [repeats]]]"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans

path, init_path, n, d, k, max_iter = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
algorithm = sys.argv[7] if len(sys.argv) > 7 else "lloyd"
tol = float(sys.argv[8]) if len(sys.argv) > 8 else 1e-4
repeats = int(sys.argv[9]) if len(sys.argv) > 9 else 1
X = np.fromfile(path, dtype=np.float64).reshape(n, d)
init = np.fromfile(init_path, dtype=np.float64).reshape(k, d)
ms = float("inf")
for _ in range(max(1, repeats)):
    km = KMeans(n_clusters=k, init=init, n_init=1, max_iter=max_iter, tol=tol, algorithm=algorithm)
    t0 = time.perf_counter()
    km.fit(X)
    ms = min(ms, (time.perf_counter() - t0) * 1000)
import sklearn
import threadpoolctl
threads = sum(p.get("num_threads", 0) for p in threadpoolctl.threadpool_info() if p.get("user_api") == "openmp") or None
print(json.dumps({"ms": ms, "iterations": int(km.n_iter_), "inertia": float(km.inertia_), "version": sklearn.__version__, "threads": threads, "algorithm": algorithm}))
