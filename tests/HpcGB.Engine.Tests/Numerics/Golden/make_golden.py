#!/usr/bin/python3
"""Writes the golden tables of tests/HpcGB.Engine.Tests/Numerics/Golden with tools independent of HpcGB.

Run once, from the repository root, and commit the JSON files (CI only reads them):
    apt-get install python3-mpmath python3-scipy
    /usr/bin/python3 tests/HpcGB.Engine.Tests/Numerics/Golden/make_golden.py
Special functions: mpmath at 40 significant digits, written with 17 (round trip of a double).
Assignment costs: scipy.optimize.linear_sum_assignment on squared nearest-image distances.
"""
import json
import os
import random

import mpmath
import numpy
import scipy
from scipy.optimize import linear_sum_assignment

mpmath.mp.dps = 40
HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = f"mpmath {mpmath.__version__}, scipy {scipy.__version__}, numpy {numpy.__version__}"


def number(x):
    return float(mpmath.mpf(x))


def write(name, description, rows, **tables):
    """One JSON object per file, one table row per line."""
    tables = {"rows": rows, **tables}
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write("{\n")
        f.write(f' "description": {json.dumps(description, ensure_ascii=False)},\n "made_with": {json.dumps(TOOLS)}')
        for key, table in tables.items():
            f.write(f',\n "{key}": [\n')
            f.write(",\n".join("  " + json.dumps(row) for row in table))
            f.write("\n ]")
        f.write("\n}\n")


def exponential_integral():
    ts = ["1e-12", "1e-6", "0.01", "0.1", "0.5", "0.9", "0.999", "1", "1.001", "1.5", "2", "3.7", "5", "10",
          "20", "50", "100", "300", "700"]
    rows = []
    for t in ts:
        x = mpmath.mpf(t)
        e1 = mpmath.e1(x)
        ein = e1 + mpmath.euler + mpmath.log(x)
        rows.append({"t": number(x), "e1": number(e1), "ein": number(ein)})
    write("e1.json", "E1(t) and Ein(t) = E1(t) + γ + ln t", rows)


def erfc():
    xs = ["0", "1e-8", "0.1", "0.5", "0.9", "1", "1.3", "1.7", "1.9", "1.99", "2", "2.01", "2.5", "3", "4", "5", "7",
          "10", "15", "20", "26", "-0.5", "-2"]
    write("erfc.json", "erfc(x)", [{"x": number(x), "erfc": number(mpmath.erfc(mpmath.mpf(x)))} for x in xs])


def hurwitz_zeta():
    rows = []
    for s in range(2, 18):
        for q in ["0.01", "0.3", "0.5", "1", "2.7", "10", "123.4"]:
            rows.append({"s": s, "q": number(q), "zeta": number(mpmath.zeta(s, mpmath.mpf(q)))})
    # Image sums Σ_{n≠0} (x + n)^{−p} = ζ(p, 1 + x) + (−1)^p ζ(p, 1 − x), |x| ≤ ½.
    images = []
    for p in range(2, 18):
        for x in ["-0.5", "-0.2", "0", "1e-9", "0.37", "0.5"]:
            y = mpmath.mpf(x)
            images.append({"p": p, "x": number(y), "sum": number(mpmath.zeta(p, 1 + y) + (-1) ** p * mpmath.zeta(p, 1 - y))})
    write("hurwitz_zeta.json", "ζ(s, q) = Σ_{k≥0} (q + k)^{−s}; image sums Σ_{n≠0} (x + n)^{−p}", rows, image_sums=images)


def gaussian_log():
    rows = []
    for u in ["0", "0.001", "0.5", "1", "3", "7.5", "11.9", "12.1", "30", "1000"]:
        v = mpmath.mpf(u)
        # ℓ(u) = E[ln|u + Z|], Z standard normal; ℓ'(u) = √2 F(u/√2), F Dawson's function.
        density = lambda z: mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)
        # Break at the log singularity z = −u and at the bulk of the density near 0.
        points = [-mpmath.inf] + sorted({-v, mpmath.mpf(0)}) + [mpmath.inf]
        value = mpmath.quad(lambda z: mpmath.log(abs(v + z)) * density(z), points)
        dawson = mpmath.sqrt(mpmath.pi) / 2 * mpmath.exp(-v * v / 2) * mpmath.erfi(v / mpmath.sqrt(2))
        rows.append({"u": number(v), "value": number(value), "derivative": number(mpmath.sqrt(2) * dawson)})
    write("gaussian_log.json", "ℓ(u) = E[ln|u + Z|] and ℓ'(u) for a standard normal Z", rows)


def torus_distance2(a, b):
    d = numpy.abs(a[:, None, :] - b[None, :, :])
    d = numpy.minimum(d, 1 - d)
    return (d * d).sum(axis=2)


def assignment_costs():
    rows = []
    generator = random.Random(20261205)
    for dimension, n in [(1, 7), (1, 40), (2, 5), (2, 30), (2, 90)]:
        for clustered in [False, True]:
            def point():
                return [0.3 + 0.05 * generator.random() if clustered else generator.random() for _ in range(dimension)]
            x = numpy.array([point() for _ in range(n)])
            y = numpy.array([point() for _ in range(n)])
            cost = torus_distance2(x, y)
            rows_, columns = linear_sum_assignment(cost)
            w2squared = cost[rows_, columns].sum() / n
            rows.append({"dimension": dimension, "n": n, "x": x.T.tolist(), "y": y.T.tolist(), "w2_squared": float(w2squared)})
    write("assignment_costs.json",
          "W₂² on the torus between two equal-weight point sets (positions [axis][i]): the optimal assignment of "
          "squared nearest-image distances, divided by n", rows)


if __name__ == "__main__":
    exponential_integral()
    erfc()
    hurwitz_zeta()
    gaussian_log()
    assignment_costs()
