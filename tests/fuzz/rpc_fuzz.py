#!/usr/bin/env python3
"""An independent fuzz client of `hpcgb serve` (docs/protocol.md), written with Python's msgpack and none of the
project's wire code.

It sends random and structurally-valid-but-wrong MessagePack-RPC messages, pipelined over several connections, and
checks what the protocol promises: every request with a readable msgid (an array [0, msgid, method, params] whose
msgid is an unsigned 32-bit integer) gets exactly one response, no response answers a msgid that was not asked, and
no reply is an internal error (code 12). Framing-breaking bytes (0xc1, oversize messages) close a connection by
design and are tested elsewhere; here every message is valid MessagePack.

Prints one JSON line of counts; exits 1 (after the JSON line) naming the first problems.
Usage: rpc_fuzz.py --port P [--messages N] [--connections C] [--seed S] [--timeout SECONDS]
"""

import argparse
import collections
import json
import math
import random
import socket
import struct
import sys
import threading
import time

import msgpack

METHODS = ["hello", "validate", "forces", "create_run", "start", "advance", "pause", "get_state", "subscribe",
           "unsubscribe", "cancel", "checkpoint", "restore", "list_runs", "delete_run"]
INTERNAL_ERROR = 12
EDGE_INTEGERS = [0, 1, -1, 2, 127, 128, 255, 256, -32, -33, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**63 - 1, 2**63,
                 2**64 - 1, -2**31, -2**63]
EDGE_FLOATS = [0.0, -0.0, 0.5, 1.0, -1.0, 1e-300, 5e-324, 1e308, math.inf, -math.inf, math.nan, 0.25, 1e-100]


def random_text(rng):
    alphabet = "abcxyz_.-$[]/\\ \"'é∑\u0000\U0001f600"
    return "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 3, 8, 40, 300])))


def random_scalar(rng):
    kind = rng.randrange(7)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice(EDGE_INTEGERS) if rng.random() < 0.5 else rng.randint(-1000, 1000)
    if kind == 3:
        return rng.choice(EDGE_FLOATS) if rng.random() < 0.5 else rng.uniform(-2, 2)
    if kind == 4:
        return random_text(rng)
    if kind == 5:
        return bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 8, 100])))
    return float(rng.randint(-5, 5))


def random_value(rng, depth=0):
    roll = rng.random()
    if depth > 4 or roll < 0.55:
        return random_scalar(rng)
    if roll < 0.75:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    if roll < 0.9:
        return {random_key(rng): random_value(rng, depth + 1) for _ in range(rng.randrange(5))}
    return random_ndarray(rng)


def random_key(rng):
    roll = rng.random()
    if roll < 0.7:
        return rng.choice(["dimension", "particles", "n", "init", "positions", "signs", "token", "time", "end",
                           "outputs", "kernel", "regularization", "delta", "forces", "method", random_text(rng)])
    if roll < 0.85:
        return rng.choice([b"nd", b"type", b"data", b"shape", b"kind", b"\xff\xfe"])
    return random_scalar(rng) if rng.random() < 0.5 else 7


def random_ndarray(rng, n=None, d=None):
    """An msgpack-numpy map, consistent or subtly not."""
    n = rng.choice([0, 1, 2, 5, 40]) if n is None else n
    d = rng.choice([1, 2]) if d is None else d
    dtype = rng.choice(["<f8", "<f8", "|i1", "<f4", "<i4", "|u1", ">f8", "<c16", "O", "", "<f8x"])
    size = {"<f8": 8, "|i1": 1, "<f4": 4, "<i4": 4, "|u1": 1}.get(dtype, 8)
    shape = rng.choice([[n, d], [n], [n, d, 1], [], [-1, d], [2**40, 2**40], [n * d + 1, 1]])
    count = max(0, n * d + rng.choice([0, 0, 0, 1, -1]))
    if dtype == "<f8":
        data = b"".join(struct.pack("<d", rng.choice([rng.random(), rng.random(), math.nan, math.inf]))
                        for _ in range(count))
    else:
        data = bytes(rng.randrange(256) for _ in range(count * size))
    array = {b"nd": rng.choice([True, True, False, 1]), b"type": dtype if rng.random() < 0.9 else dtype.encode(),
             b"kind": rng.choice([b"", b"", b"O", ""]), b"shape": shape, b"data": data}
    if rng.random() < 0.2:
        del array[rng.choice(list(array))]
    return array


def small_spec(rng):
    """A valid small spec: cheap to validate, evaluate and integrate."""
    dimension = rng.choice([1, 2])
    n = rng.choice([2, 6, 20])
    spec = {"dimension": dimension, "particles": {"init": rng.choice(["uniform", "dipoles"]), "n": n},
            "time": {"end": rng.choice([0.001, 0.01]), "outputs": rng.choice([2, 3])}}
    if spec["particles"]["init"] == "dipoles":
        spec["particles"] = {"init": "dipoles", "count": n // 2, "half_width": [0.01]}
    if rng.random() < 0.3:
        spec["particles"] = {"positions": random_ndarray(rng, n, dimension) if rng.random() < 0.5
                             else [[rng.random() for _ in range(dimension)] for _ in range(n)],
                             "signs": [rng.choice([1, -1]) for _ in range(n)]}
    if rng.random() < 0.3:
        spec["regularization"] = {"delta": rng.choice([0.01, 0.05, 0.2])}
    return spec


def mutated_spec(rng):
    """A spec with one field replaced, removed or added — never time.end, so no run can last long."""
    spec = small_spec(rng)
    node = spec
    while isinstance(node, dict) and node and rng.random() < 0.6:
        key = rng.choice(list(node))
        if key == "time" or not isinstance(node[key], dict):
            break
        node = node[key]
    keys = [k for k in node if k != "time"]
    roll = rng.random()
    if keys and roll < 0.5:
        node[rng.choice(keys)] = random_value(rng)
    elif keys and roll < 0.7:
        del node[rng.choice(keys)]
    else:
        node[random_key(rng)] = random_value(rng)
    return spec


def spec_argument(rng):
    roll = rng.random()
    if roll < 0.35:
        return small_spec(rng)
    if roll < 0.7:
        return mutated_spec(rng)
    text = json.dumps(small_spec(rng) if rng.random() < 0.5 else mutated_spec(rng), default=repr, skipkeys=True)
    if rng.random() < 0.5:
        cut = rng.randrange(len(text) + 1)
        text = text[:cut] + random_text(rng) + text[cut + rng.randrange(3):]
    return text


def run_id(rng):
    return rng.choice([1, 2, 3, 5, 8, 13, 40, 0, -1, 2**32, 2**63, 2**64 - 1, "1", 1.0, None])


def params_for(method, rng):
    """Plausible parameters for a method, often wrong in count, type or range."""
    if method == "hello":
        choices = [[], [{}], [{"token": random_text(rng)}], [{"token": 5}], [random_value(rng)]]
    elif method in ("validate", "forces"):
        choices = [[spec_argument(rng)]] * 4 + [[], [random_value(rng)], [spec_argument(rng), random_value(rng)]]
    elif method == "create_run":
        choices = [[spec_argument(rng)]] * 3 + [[small_spec(rng), {"outputs": random_text(rng)}],
                                                [small_spec(rng), random_value(rng)], []]
    elif method == "advance":
        choices = [[run_id(rng), rng.choice(EDGE_FLOATS + [0.0005, 0.005, "soon", None])], [run_id(rng)]]
    elif method == "get_state":
        fields = ["status", "t", "frame", "n", "dimension", "positions", "signs", "observables", "failure", "nope"]
        choices = [[run_id(rng)], [run_id(rng), rng.sample(fields, rng.randrange(4))], [run_id(rng), random_value(rng)]]
    elif method == "subscribe":
        choices = [[run_id(rng)], [run_id(rng), rng.choice([1, 2, 0, -1, 10**6 + 1, 1.5, "x"])]]
    elif method == "restore":
        choices = [[rng.choice(["0" * 32, "g" * 32, "../../etc/passwd", "", random_text(rng)])], [run_id(rng)], []]
    elif method == "list_runs":
        choices = [[], [random_value(rng)]]
    else:  # start, pause, unsubscribe, cancel, checkpoint, delete_run
        choices = [[run_id(rng)]] * 3 + [[], [run_id(rng), run_id(rng)]]
    return rng.choice(choices)


class Connection:
    """One pipelined connection: a sender (the caller) and a reader thread counting replies by msgid."""

    def __init__(self, port, timeout):
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.expected = set()
        self.sent = {}  # message number -> body, to name the message behind a problem
        self.odd_replies = collections.defaultdict(list)  # msgid -> the replies beyond its first
        self.answers = collections.Counter()
        self.unasked = []
        self.internal = []
        self.notifications = collections.Counter()
        self.outcomes = collections.Counter()  # "ok" or "error CODE" -> replies
        self.lock = threading.Condition()
        self.closed_by_server = False
        self.timed_out = False
        self.closing = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        unpacker = msgpack.Unpacker(raw=False, strict_map_key=False, unicode_errors="surrogateescape",
                                    max_buffer_size=1 << 30)
        try:
            while True:
                chunk = self.socket.recv(1 << 16)
                if not chunk:
                    break
                unpacker.feed(chunk)
                for message in unpacker:
                    self._handle(message)
            closed = not self.closing
        except socket.timeout:
            closed = False
        except OSError:  # our own close at the end
            closed = False
        with self.lock:
            self.closed_by_server = closed
            self.timed_out = not closed
            self.lock.notify_all()

    def _handle(self, message):
        with self.lock:
            if message[0] == 1:
                msgid, error = message[1], message[2]
                if msgid not in self.expected:
                    self.unasked.append(msgid)
                self.answers[msgid] += 1
                if self.answers[msgid] > 1 or msgid not in self.expected:
                    self.odd_replies[msgid].append(repr(message)[:160])
                self.outcomes["ok" if error is None else f"error {error[0]}"] += 1
                if error is not None and error[0] == INTERNAL_ERROR:
                    self.internal.append(error[1])
            elif message[0] == 2:
                self.notifications[message[1]] += 1
                if message[1] == "error" and message[2] and message[2][0][0] == INTERNAL_ERROR:
                    self.internal.append(message[2][0][1])
            self.lock.notify_all()

    def wait_for_answers(self, deadline):
        with self.lock:
            while not self.closed_by_server and not self.timed_out and any(self.answers[m] == 0 for m in self.expected):
                if not self.lock.wait(max(0.0, deadline - time.monotonic())) and time.monotonic() >= deadline:
                    break

    def close(self):
        self.closing = True
        try:
            self.socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.socket.close()
        self.reader.join(5)


def is_integer(value):
    return type(value) is int  # not bool: msgpack sends True and False as booleans


def readable_msgid(body):
    """The msgid the server must answer: that of [0, msgid, method, params] with msgid a uint32; else None."""
    if (isinstance(body, list) and len(body) == 4 and is_integer(body[0]) and body[0] == 0
            and is_integer(body[1]) and 0 <= body[1] < 2**32):
        return body[1]
    return None


def message(rng, msgid):
    """One message; it has a readable msgid (see readable_msgid) as often as not."""
    roll = rng.random()
    if roll < 0.55:  # a known method, plausible but often wrong parameters
        method = rng.choice(METHODS)
        name = method.encode() if rng.random() < 0.1 else method
        return [0, msgid, name, params_for(method, rng)]
    if roll < 0.65:  # an unknown method, or a method name that is not text
        name = rng.choice([random_text(rng), b"\xff\xfe", 5, None, ["hello"], "HELLO", "hello\u0000"])
        return [0, msgid, name, [random_value(rng)]]
    if roll < 0.72:  # params that are not an array
        return [0, msgid, rng.choice(METHODS), random_value(rng)]
    if roll < 0.8:  # an unreadable msgid
        bad = rng.choice([-1, 2**32, 2**63, 2**64 - 1, 1.5, "7", None, b"\x01", [1], math.nan])
        return [0, bad, rng.choice(METHODS), []]
    if roll < 0.88:  # a broken envelope: wrong length or message type
        length = rng.choice([0, 1, 2, 3, 5, 6])
        body = [rng.choice([0, 0, 1, 2, 3, -1, 2**63, 2**64 - 1, "0", None])] + [msgid, "hello", []][:max(0, length - 1)]
        body += [random_value(rng) for _ in range(max(0, length - len(body)))]
        return body
    if roll < 0.93:  # the wrong message type in a well-formed envelope
        return rng.choice([[1, msgid, None, random_value(rng)], [2, rng.choice(METHODS), [random_value(rng)]],
                           [3, msgid, "hello", []]])
    return random_value(rng)  # mostly not an array at all


def run(port, count, connections, seed, timeout):
    rng = random.Random(seed)
    per_connection = [count // connections + (1 if k < count % connections else 0) for k in range(connections)]
    results = [None] * connections

    seeds = [rng.random() for _ in range(connections)]

    def drive(index):
        try:
            results[index] = exchange(index)
        except Exception as failure:  # reported below as this connection's problem
            results[index] = failure

    def exchange(index):
        local = random.Random(seeds[index])
        connection = Connection(port, timeout)
        sent = readable = 0
        batch = bytearray()
        for k in range(per_connection[index]):
            body = message(local, k)
            if readable_msgid(body) is not None:
                body[1] = k  # msgids stay unique, also where a random value happens to be a request
            try:
                payload = msgpack.packb(body, use_bin_type=True)
            except (OverflowError, TypeError, ValueError):
                body = [0, k, "hello", []]
                payload = msgpack.packb(body, use_bin_type=True)
            msgid = readable_msgid(body)
            connection.sent[k] = body
            if msgid is not None:
                with connection.lock:
                    connection.expected.add(msgid)
                readable += 1
            batch += payload
            sent += 1
            if len(batch) > 8192 or local.random() < 0.05:
                connection.socket.sendall(bytes(batch))
                batch.clear()
        connection.socket.sendall(bytes(batch))
        connection.wait_for_answers(time.monotonic() + timeout)
        connection.close()
        return sent, readable, connection

    threads = [threading.Thread(target=drive, args=(k,)) for k in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    summary = collections.Counter()
    problems = []
    notifications = collections.Counter()
    outcomes = collections.Counter()
    for index, result in enumerate(results):
        if isinstance(result, Exception):
            problems.append(f"connection {index}: the client failed: {result!r}")
            continue
        sent, readable, connection = result
        summary["messages"] += sent
        summary["readable_msgids"] += readable
        unanswered = [m for m in connection.expected if connection.answers[m] == 0]
        repeated = [m for m in connection.expected if connection.answers[m] > 1]
        summary["answered"] += sum(1 for m in connection.expected if connection.answers[m] == 1)
        summary["unanswered"] += len(unanswered)
        summary["answered_twice"] += len(repeated)
        summary["unasked_replies"] += len(connection.unasked)
        summary["internal_errors"] += len(connection.internal)
        summary["closed_by_server"] += int(connection.closed_by_server)
        notifications.update(connection.notifications)
        outcomes.update(connection.outcomes)
        if unanswered:
            problems.append(f"connection {index}: {len(unanswered)} msgids never answered, e.g. {sorted(unanswered)[:5]}")
        if repeated:
            examples = "; ".join(f"{m}: {repr(connection.sent.get(m))[:160]} answered again with {connection.odd_replies[m]}"
                                 for m in sorted(repeated)[:3])
            problems.append(f"connection {index}: msgids answered more than once: {examples}")
        if connection.unasked:
            examples = "; ".join(f"{m}: {repr(connection.sent.get(m))[:160]}" for m in connection.unasked[:3])
            problems.append(f"connection {index}: replies to msgids never asked: {examples}")
        if connection.internal:
            problems.append(f"connection {index}: internal errors: {connection.internal[:3]}")
        if connection.closed_by_server:
            problems.append(f"connection {index}: closed by the server")
    summary["error_notifications"] = notifications["error"]
    print(json.dumps({**summary, "replies": dict(sorted(outcomes.items())), "notifications": dict(sorted(notifications.items()))}))
    for problem in problems[:20]:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--messages", type=int, default=12000)
    parser.add_argument("--connections", type=int, default=6)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--timeout", type=float, default=40.0)
    arguments = parser.parse_args()
    sys.exit(run(arguments.port, arguments.messages, arguments.connections, arguments.seed, arguments.timeout))


if __name__ == "__main__":
    main()
