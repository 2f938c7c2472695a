"""Drive `hpcgb serve` from Python: start a run, stream its state, plot it with matplotlib.

    hpcgb serve &                       # listens on 127.0.0.1:7878
    /usr/bin/python3 clients/python/example.py --out dipoles.png
"""
import argparse

import matplotlib
matplotlib.use("Agg")  # headless: write a PNG, no display needed
import matplotlib.pyplot as plt
import numpy as np

from hpcgb_client import HpcgbClient

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=7878)
parser.add_argument("--token")
parser.add_argument("--n", type=int, default=200, help="particles")
parser.add_argument("--out", default="hpcgb-example.png")
args = parser.parse_args()

spec = {"dimension": 2, "particles": {"init": "uniform", "n": args.n},
        "regularization": {"delta": 0.02}, "time": {"end": 0.05, "outputs": 11}}

with HpcgbClient(args.host, args.port, token=args.token) as client:
    print("server:", client.server["server"], "engine", client.server["engine"])
    run = client.create_run(spec)
    client.subscribe(run, every=5)        # progress every frame, positions every 5th
    client.start(run)
    times, energies, snapshots = [], [], []
    for name, body in client.notifications():
        if name == "progress":
            times.append(body["t"])
            energies.append(body["energy"])
        elif name == "state":
            snapshots.append((body["t"], body["positions"], body["signs"]))
        elif name in ("finished", "failed", "cancelled"):
            break
    print(f"run {run} {name} at t = {body['t']}: {len(times)} frames, {len(snapshots)} states")
    client.delete_run(run)

fig, axes = plt.subplots(1, len(snapshots) + 1, figsize=(4 * (len(snapshots) + 1), 4.6))
for ax, (t, positions, signs) in zip(axes, snapshots):
    # As in the engine's own plots: + red upward triangles, − blue downward triangles.
    for sign, colour, marker, label in ((1, "tab:red", "^", "+"), (-1, "tab:blue", "v", "−")):
        mine = positions[signs == sign]
        ax.scatter(mine[:, 0], mine[:, 1], c=colour, marker=marker, s=8, label=f"{label} ({len(mine)})")
    ax.set(xlim=(0, 1), ylim=(0, 1), aspect="equal", title=f"t = {t:g}", xlabel="$x_1$", ylabel="$x_2$")
    # Below the square, not over the particles.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize="small", frameon=False)
axes[-1].plot(times, energies, marker="o", label="$E_n(t)$")
axes[-1].set(xlabel="time $t$", ylabel="energy $E_n$", title="energy")
axes[-1].legend(loc="best", fontsize="small")
fig.tight_layout()
fig.savefig(args.out, dpi=80)
print("wrote", args.out)
