"""Peer for `npm run bench`: scikit-learn's KMeans (Lloyd) on the very same data and initial
centroids, timed around fit() only. Reads raw float64 files written by bench/kmeansBench.ts.
Usage: python3 sklearn_kmeans.py data.f64 init.f64 N D K max_iter"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans

path, init_path, n, d, k, max_iter = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
X = np.fromfile(path, dtype=np.float64).reshape(n, d)
init = np.fromfile(init_path, dtype=np.float64).reshape(k, d)
km = KMeans(n_clusters=k, init=init, n_init=1, max_iter=max_iter, tol=1e-6, algorithm="lloyd")
t0 = time.perf_counter()
km.fit(X)
ms = (time.perf_counter() - t0) * 1000
import sklearn
import threadpoolctl
threads = sum(p.get("num_threads", 0) for p in threadpoolctl.threadpool_info() if p.get("user_api") == "openmp") or None
print(json.dumps({"ms": ms, "iterations": int(km.n_iter_), "inertia": float(km.inertia_), "version": sklearn.__version__, "threads": threads}))
