"""Clustering side of text quality (issue 11): other ways to reach a k-means partition of the
pipeline's own document vectors, and two oracles that use the labels.

Input: a folder written by `node out/bench/text-quality.js --clustering-side` with, per corpus
and seed, NAME-SEED.f64 (N x D float64, row-major: the unit-length document vectors the
pipeline clusters) and NAME-SEED.json ({rows, cols, labels, k}). Output: one Markdown row per
method, NMI mean (per seed) / purity mean for each corpus, then the mean NMI over the corpora.

Every method but the last ends in Lloyd iterations from its partition's centroids, so the final
model is a k-means model (centroids, nearest-centroid assignment) as NEON needs:
- k-means, 10 k-means++ starts (scikit-learn; the pipeline's own k-means is the reference);
- Ward agglomerative clustering, then k-means from its centroids;
- spectral clustering on a 15-nearest-neighbour graph, then k-means;
- k-means with 2k / 3k clusters merged to k by Ward's criterion on the size-weighted centroids,
  then k-means;
- ORACLE: k-means started from the true classes' centroids (the best any initialisation can do);
- ORACLE: each document to the nearest true-class centroid, no Lloyd step (a centroid model
  that is not a k-means fixed point);
- SUPERVISED: logistic regression on the same vectors, 5-fold cross-validated predictions (the
  ceiling of the features themselves; the seed shuffles the folds).
Usage: python3 bench/text_clustering_side.py DIR NAME[,NAME...]
"""
import collections
import json
import sys

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import normalized_mutual_info_score as nmi
from sklearn.model_selection import StratifiedKFold, cross_val_predict

SEEDS = (1, 2, 3)


def load(folder, name, seed):
    meta = json.load(open(f"{folder}/{name}-{seed}.json"))
    X = np.fromfile(f"{folder}/{name}-{seed}.f64").reshape(meta["rows"], meta["cols"])
    return X, np.array(meta["labels"]), meta["k"]


def purity(y, a):
    return sum(collections.Counter(y[a == c]).most_common(1)[0][1] for c in set(a)) / len(y)


def centroids(X, a, k):
    return np.array([X[a == c].mean(0) for c in range(k)])


def refine(X, a, k):
    return KMeans(k, init=centroids(X, a, k), n_init=1).fit_predict(X)


def merged(X, k, seed, factor):
    """k-means with factor*k clusters, merged greedily by Ward's cost n_i n_j / (n_i + n_j) |c_i - c_j|^2."""
    fit = KMeans(factor * k, n_init=10, random_state=seed).fit(X)
    cen = list(fit.cluster_centers_)
    size = list(np.bincount(fit.labels_, minlength=factor * k).astype(float))
    group = list(range(factor * k))  # group id of each fine cluster
    ids = list(range(factor * k))
    while len(ids) > k:
        best = None
        for x in range(len(ids)):
            for z in range(x + 1, len(ids)):
                i, j = ids[x], ids[z]
                cost = size[i] * size[j] / (size[i] + size[j]) * ((cen[i] - cen[j]) ** 2).sum()
                if best is None or cost < best[0]:
                    best = (cost, i, j)
        _, i, j = best
        cen[i] = (size[i] * cen[i] + size[j] * cen[j]) / (size[i] + size[j])
        size[i] += size[j]
        group = [i if g == j else g for g in group]
        ids.remove(j)
    relabel = {g: c for c, g in enumerate(ids)}
    return refine(X, np.array([relabel[group[l]] for l in fit.labels_]), k)


def class_centroids(X, y):
    return np.array([X[y == c].mean(0) for c in sorted(set(y))])


METHODS = {
    "k-means, 10 starts": lambda X, y, k, s: KMeans(k, n_init=10, random_state=s).fit_predict(X),
    "Ward → k-means": lambda X, y, k, s: refine(X, AgglomerativeClustering(k, linkage="ward").fit_predict(X), k),
    "spectral (15-NN graph) → k-means": lambda X, y, k, s: refine(
        X, SpectralClustering(k, affinity="nearest_neighbors", n_neighbors=15, random_state=s).fit_predict(X), k
    ),
    "k-means 2k merged to k → k-means": lambda X, y, k, s: merged(X, k, s, 2),
    "k-means 3k merged to k → k-means": lambda X, y, k, s: merged(X, k, s, 3),
    "ORACLE: k-means from the true classes' centroids": lambda X, y, k, s: KMeans(
        k, init=class_centroids(X, y), n_init=1
    ).fit_predict(X),
    "ORACLE: nearest true-class centroid, no Lloyd step": lambda X, y, k, s: (
        (X[:, None, :] - class_centroids(X, y)[None]) ** 2
    ).sum(2).argmin(1),
    "SUPERVISED: logistic regression on the same vectors, 5-fold CV": lambda X, y, k, s: cross_val_predict(
        LogisticRegression(max_iter=3000), X, y, cv=StratifiedKFold(5, shuffle=True, random_state=s)
    ),
}


def main():
    folder, names = sys.argv[1], sys.argv[2].split(",")
    for method, fit in METHODS.items():
        cells, means = [], []
        for name in names:
            scores = []
            for seed in SEEDS:
                X, y, k = load(folder, name, seed)
                a = fit(X, y, k, seed)
                scores.append((nmi(y, a), purity(y, a)))
            s = np.array(scores)
            means.append(s[:, 0].mean())
            cells.append("%.3f (%s) / %.3f" % (s[:, 0].mean(), ", ".join("%.3f" % v for v in s[:, 0]), s[:, 1].mean()))
        print("| %s | %s | %.3f |" % (method, " | ".join(cells), np.mean(means)), flush=True)


if __name__ == "__main__":
    main()
