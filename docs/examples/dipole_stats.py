#!/usr/bin/python3
"""Dipole widths and centre drift of a run started from `init: dipoles` (members 2k, 2k+1), read from Python.

Usage: dipole_stats.py RUN_DIR [DELTA]  — prints, per frame, the widest dipole in units of δ and the largest
centre displacement |z_k(t) − z_k(0)| (periodic), and the paper's scale n²δ for the drift bound C n² δ. δ defaults
to the run's own (the spec stored in trajectory.h5).

The built-in view does this for any run, pairing dipoles by the one bound-dipole definition rather than by index:
`hpcgb dipoles RUN_DIR` (a table and dipoles.png; `hpcgb run` writes dipoles.png when a run has bound dipoles).
"""
import json
import sys

import h5py
import numpy as np

run = sys.argv[1]
with h5py.File(f"{run}/trajectory.h5") as f:
    x = f["positions"][...]
    t = f["time"][...]
    spec = json.loads(f.attrs["spec"])
delta = float(sys.argv[2]) if len(sys.argv) > 2 else spec["regularization"]["delta"]
n = x.shape[1]


def nearest(d):
    return d - np.round(d)


plus, minus = x[:, 0::2, :], x[:, 1::2, :]
gap = nearest(plus - minus)
width = np.sqrt((gap ** 2).sum(axis=2))
centre = minus + 0.5 * gap
drift = np.sqrt((nearest(centre - centre[0]) ** 2).sum(axis=2))
print(f"n = {n}, delta = {delta:g}, n^2 delta = {n * n * delta:.3g}")
for k in range(len(t)):
    print(f"t = {t[k]:.2f}  widest dipole = {width[k].max() / delta:.3g} delta  max centre drift = {drift[k].max():.3g}")
