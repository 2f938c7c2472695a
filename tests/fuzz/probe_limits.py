#!/usr/bin/env python3
"""Measures what docs/protocol.md ("Admission", "Connections") states about a running `hpcgb serve`: peak resident
memory for the costliest single requests, and how fast a fresh client is served while many idle or slowloris
connections are open. Not a CI test (it times things); run by hand against a fresh server each time, e.g.

    hpcgb serve --port 7878 & python3 tests/fuzz/probe_limits.py --port 7878 --pid $! validate-int8

Prints one JSON line. Python's msgpack only; none of the project's code.
"""

import argparse
import json
import socket
import statistics
import time

import msgpack


def ndarray(dtype, shape, data):
    return {b"nd": True, b"type": dtype, b"kind": b"", b"shape": list(shape), b"data": data}


def memory(pid):
    """Current and peak resident set size of the server, in MB (from /proc)."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return {"rss_mb": int(fields["VmRSS"].split()[0]) // 1024, "peak_rss_mb": int(fields["VmHWM"].split()[0]) // 1024}


class Client:
    def __init__(self, port):
        self.socket = socket.create_connection(("127.0.0.1", port))
        self.unpacker = msgpack.Unpacker(raw=False, strict_map_key=False, max_buffer_size=1 << 31)
        self.next_id = 0

    def send(self, method, *params):
        self.next_id += 1
        self.socket.sendall(msgpack.packb([0, self.next_id, method, list(params)], use_bin_type=True))
        return self.next_id

    def reply(self, msgid):
        while True:
            for message in self.unpacker:
                if message[0] == 1 and message[1] == msgid:
                    return message[2], message[3]
            chunk = self.socket.recv(1 << 20)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.unpacker.feed(chunk)

    def call(self, method, *params):
        return self.reply(self.send(method, *params))


def validate_int8(port, pid, particles):
    """The probe's 57 MB message: a 1D spec whose positions and signs are int8 arrays of `particles` elements."""
    spec = {"dimension": 1, "particles": {"positions": ndarray("|i1", [particles, 1], bytes(particles)),
                                          "signs": ndarray("|i1", [particles], b"\x01" * particles)}}
    client = Client(port)
    start = time.monotonic()
    error, _ = client.call("validate", spec)
    return {"message_mb": round(2 * particles / 2**20, 1), "seconds": round(time.monotonic() - start, 2),
            "error": error, **memory(pid)}


def create_run(port, pid, particles):
    client = Client(port)
    start = time.monotonic()
    error, result = client.call("create_run", {"dimension": 2, "particles": {"init": "uniform", "n": particles}})
    return {"seconds": round(time.monotonic() - start, 2), "error": error, "run_id": result, **memory(pid)}


def subscriber(port, pid, particles, seconds):
    """A subscriber that never reads, of a run that sends every frame's positions."""
    client = Client(port)
    spec = {"dimension": 2, "particles": {"init": "uniform", "n": particles},
            "time": {"end": 1.0, "outputs": 100000}}
    error, run = client.call("create_run", spec)
    if error:
        return {"error": error}
    client.call("subscribe", run, 1)
    client.call("start", run)
    before = memory(pid)
    time.sleep(seconds)  # never reading: the server's queue for this connection fills
    after = memory(pid)
    _, state = Client(port).call("get_state", run, ["frame", "t"])
    return {"particles": particles, "seconds": seconds, "frames": state["frame"] + 1, "t": state["t"],
            "rss_mb_at_start": before["rss_mb"], **after}


def crowd(port, idle, slowloris, probes):
    """Opens idle and slowloris connections, then times fresh clients' hello round trips."""
    crowd = []
    for k in range(idle + slowloris):
        connection = socket.create_connection(("127.0.0.1", port))
        if k >= idle:
            connection.sendall(b"\x94\x00")  # the start of a request, the rest never sent
        crowd.append(connection)
    time.sleep(1)
    latencies = []
    served = 0
    for _ in range(probes):
        start = time.monotonic()
        try:
            client = Client(port)
            error, _ = client.call("hello")
            served += error is None
            client.socket.close()
        except OSError:
            pass
        latencies.append((time.monotonic() - start) * 1000)
    closed_by_server = 0  # an error notification saying why, or the end of the stream
    for connection in crowd:
        connection.setblocking(False)
        try:
            connection.recv(1)
            closed_by_server += 1
        except BlockingIOError:
            pass
        except OSError:
            closed_by_server += 1
        connection.close()
    return {"idle": idle, "slowloris": slowloris, "probes": probes, "served": served,
            "median_ms": round(statistics.median(latencies), 1), "max_ms": round(max(latencies), 1),
            "crowd_closed_by_server": closed_by_server}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, help="the server's process id (for its memory)")
    parser.add_argument("probe", choices=["validate-int8", "create-run", "subscriber", "crowd"])
    parser.add_argument("--particles", type=int)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--slowloris", type=int, default=500)
    parser.add_argument("--probes", type=int, default=20)
    arguments = parser.parse_args()
    if arguments.probe == "validate-int8":
        result = validate_int8(arguments.port, arguments.pid, arguments.particles or 30_000_000)
    elif arguments.probe == "create-run":
        result = create_run(arguments.port, arguments.pid, arguments.particles or 10_000_000)
    elif arguments.probe == "subscriber":
        result = subscriber(arguments.port, arguments.pid, arguments.particles or 50_000, arguments.seconds)
    else:
        result = crowd(arguments.port, arguments.idle, arguments.slowloris, arguments.probes)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
