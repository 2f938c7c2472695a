#!/usr/bin/env python3
"""kill -9 of `hpcgb serve` at random moments while it writes checkpoints, then a fresh server on the same
directory: it must remove the dead server's temporary files, write a new checkpoint and restore every complete one.
Not a CI test (it kills processes at random times); run by hand, e.g.

    python3 tests/fuzz/probe_checkpoint_kill.py --hpcgb "dotnet host/HpcGB.Host/bin/Release/net10.0/hpcgb.dll"

Prints one JSON line of counts; exits 1 if any round failed. Python's msgpack only.
"""

import argparse
import glob
import json
import os
import random
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time

from probe_limits import Client


def start_server(command, directory):
    server = subprocess.Popen(shlex.split(command) + ["serve", "--port", "0", "--checkpoint-dir", directory],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=directory)
    line = server.stdout.readline()
    return server, int(line.rsplit(":", 1)[1])


def checkpoint_until_killed(port, particles, stop):
    try:
        client = Client(port)
        _, run = client.call("create_run", {"dimension": 2, "particles": {"init": "uniform", "n": particles}})
        while not stop.is_set():
            client.call("checkpoint", run)
    except OSError:
        return  # killed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hpcgb", required=True, help="the command that runs hpcgb")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--particles", type=int, default=200_000)
    arguments = parser.parse_args()
    rng = random.Random(20261206)
    directory = tempfile.mkdtemp(prefix="hpcgb-kill9-")
    counts = {"rounds": 0, "killed_with_tmp_left": 0, "tmp_left_after_restart": 0, "checkpoints_after_restart": 0,
              "restored": 0, "failures": 0}
    problems = []
    restored_before = set()
    for round_number in range(arguments.rounds):
        server, port = start_server(arguments.hpcgb, directory)
        stop = threading.Event()
        writer = threading.Thread(target=checkpoint_until_killed, args=(port, arguments.particles, stop), daemon=True)
        writer.start()
        time.sleep(rng.uniform(0.5, 3.0))
        server.send_signal(signal.SIGKILL)
        server.wait()
        stop.set()
        writer.join(10)
        counts["rounds"] += 1
        counts["killed_with_tmp_left"] += bool(glob.glob(os.path.join(directory, "*.tmp")))

        server, port = start_server(arguments.hpcgb, directory)
        try:
            counts["tmp_left_after_restart"] += len(glob.glob(os.path.join(directory, "*.tmp")))
            client = Client(port)
            error, run = client.call("create_run", {"dimension": 1, "particles": {"init": "uniform", "n": 10}})
            error, checkpoint = client.call("checkpoint", run)
            if error:
                problems.append(f"round {round_number}: checkpoint after restart: {error}")
            else:
                counts["checkpoints_after_restart"] += 1
            for path in sorted(set(glob.glob(os.path.join(directory, "*.hpcgbckp"))) - restored_before):
                restored_before.add(path)
                error, restored = client.call("restore", os.path.basename(path).split(".")[0])
                if error:
                    problems.append(f"round {round_number}: restore {os.path.basename(path)}: {error}")
                else:
                    counts["restored"] += 1
                    client.call("delete_run", restored)
        finally:
            server.send_signal(signal.SIGKILL)
            server.wait()
    counts["failures"] = len(problems)
    print(json.dumps(counts))
    for problem in problems[:10]:
        print(problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
