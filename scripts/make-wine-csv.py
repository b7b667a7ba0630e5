#!/usr/bin/python3
"""Writes test/fixtures/e2e-labels/wine.csv from the wine data that Debian's python3-sklearn
ships (sklearn/datasets/data/wine_data.csv): the 13 measurements under scikit-learn's own
feature names, and a `class` column holding class_0 / class_1 / class_2 (the cultivar) as the
last column, where a user's file keeps its label. Usage: /usr/bin/python3 scripts/make-wine-csv.py
"""
import os
import sys

from sklearn.datasets import load_wine

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'e2e-labels', 'wine.csv')
wine = load_wine(as_frame=True)
frame = wine.frame.drop(columns='target')
frame['class'] = [wine.target_names[t] for t in wine.target]
frame.to_csv(out, index=False, lineterminator='\n')
print(f'{out}: {len(frame)} rows, columns {", ".join(frame.columns)}')
