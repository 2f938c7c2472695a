"""Shared helpers of the service probes: start `hpcgb serve`, talk raw MessagePack-RPC, read the server's memory.

An independent client on purpose: Debian's python3-msgpack, not the project's wire code. Run with /usr/bin/python3.
"""
import os
import re
import socket
import subprocess
import time

import msgpack

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HPCGB = os.path.join(REPO, "host", "HpcGB.Host", "bin", "Release", "net10.0", "hpcgb")


class Server:
    """`hpcgb serve --port 0` in a child process; `settings` are extra `--Service:Name value` pairs."""

    def __init__(self, checkpoints, **settings):
        args = [HPCGB, "serve", "--port", "0", "--checkpoint-dir", checkpoints]
        for name, value in settings.items():
            args += [f"--Service:{name}", str(value)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"tcp://127\.0\.0\.1:(\d+)", line)
        if not match:
            raise RuntimeError(f"serve did not start: {line} {self.process.stderr.read()}")
        self.port = int(match.group(1))

    def status(self, field):
        """A /proc/PID/status field in bytes (VmRSS: resident now, VmHWM: the peak)."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        raise KeyError(field)

    def connect(self, timeout=120):
        return Connection(self.port, timeout)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        return self.process.returncode


class Connection:
    """A socket with a streaming unpacker; `call` sends a request and waits for its reply, keeping notifications."""

    def __init__(self, port, timeout=120):
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.unpacker = msgpack.Unpacker(raw=False, max_buffer_size=2**31 - 1, strict_map_key=False)
        self.next_id = 0
        self.notifications = []

    def send(self, message):
        self.socket.sendall(msgpack.packb(message, use_bin_type=True))

    def call(self, method, *params):
        self.next_id += 1
        self.send([0, self.next_id, method, list(params)])
        while True:
            message = self.receive()
            if message is None:
                raise ConnectionError("server closed the connection")
            if message[0] == 1 and message[1] == self.next_id:
                return message[2], message[3]
            if message[0] == 2:
                self.notifications.append(message)

    def receive(self):
        while True:
            for message in self.unpacker:
                return message
            data = self.socket.recv(1 << 20)
            if not data:
                return None
            self.unpacker.feed(data)

    def close(self):
        self.socket.close()


def ndarray(dtype, shape, data):
    """The msgpack-numpy layout, by hand."""
    return {b"nd": True, b"type": dtype, b"kind": b"", b"shape": list(shape), b"data": data}


def megabytes(value):
    return value / 2**20
