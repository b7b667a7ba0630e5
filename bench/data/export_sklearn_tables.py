"""Writes two public tables that scikit-learn ships (no download) as CSV for bench/faithfulness.ts.

Run with Debian's Python (python3-sklearn, python3-pandas):
    /usr/bin/python3 bench/data/export_sklearn_tables.py
iris.csv: Fisher's iris (150 rows, 4 measurements, `species`); wine.csv: the UCI wine
recognition data (178 rows, 13 chemical measurements, `cultivar`). Both are committed, so the
benchmark runs without Python; this script shows where they come from.
"""
import os

from sklearn.datasets import load_iris, load_wine

HERE = os.path.dirname(os.path.abspath(__file__))


def export(loader, label, name):
    bunch = loader(as_frame=True)
    frame = bunch.frame.copy()
    frame[label] = [bunch.target_names[t] for t in bunch.target]
    frame = frame.drop(columns=["target"])
    frame.columns = [c.replace(" (cm)", "_cm").replace(" ", "_").replace("/", "_") for c in frame.columns]
    path = os.path.join(HERE, name)
    frame.to_csv(path, index=False)
    print(f"{path}: {len(frame)} rows, {frame.shape[1] - 1} features + {label}")


export(load_iris, "species", "iris.csv")
export(load_wine, "cultivar", "wine.csv")
