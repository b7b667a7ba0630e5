"""Peer for `npm run bench` (whole job): the notebook a data scientist runs instead, on the same
CSV: pandas.read_csv -> drop the id column -> get_dummies -> StandardScaler -> KMeans(k, n_init=10).
Prints one JSON line: read / prepare / fit seconds, total, peak RSS of the process (every
thread), inertia and iterations. Usage: python3 sklearn_pipeline.py FILE K"""
import json
import sys
import time

from peak_rss import peak_rss_bytes  # bench/peak_rss.py: this process's own peak (VmHWM)

t0 = time.perf_counter()
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler
import sklearn

path, k = sys.argv[1], int(sys.argv[2])
t_import = time.perf_counter()
df = pd.read_csv(path)
t_read = time.perf_counter()
X = pd.get_dummies(df.drop(columns=["id"]))
X = StandardScaler().fit_transform(X)
t_prep = time.perf_counter()
km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
t_fit = time.perf_counter()
print(json.dumps({
    "import_s": t_import - t0,
    "read_s": t_read - t_import,
    "prepare_s": t_prep - t_read,
    "fit_s": t_fit - t_prep,
    "total_s": t_fit - t_import,
    "max_rss_bytes": peak_rss_bytes(),
    "inertia": float(km.inertia_),
    "iterations": int(km.n_iter_),
    "rows": int(X.shape[0]),
    "features": int(X.shape[1]),
    "version": sklearn.__version__,
    "pandas": pd.__version__,
}))
