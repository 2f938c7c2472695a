"""A small synchronous client of `hpcgb serve` (MessagePack-RPC over TCP or a Unix socket).

Arrays arrive as numpy arrays (msgpack-numpy layout); numpy arrays may be sent in specs.
Needs Debian's python3-msgpack and python3-msgpack-numpy (run with /usr/bin/python3).

    with HpcgbClient(port=7878) as client:
        run = client.create_run({"dimension": 2, "particles": {"init": "uniform", "n": 100}})
        client.subscribe(run, every=1)
        client.start(run)
        for name, body in client.notifications():
            ...
"""
import collections
import socket

import msgpack
import msgpack_numpy

REQUEST, RESPONSE, NOTIFICATION = 0, 1, 2


class RpcError(Exception):
    """An error reply [code, message]; the message names the offending field."""

    def __init__(self, code, message):
        super().__init__(f"error {code}: {message}")
        self.code = code
        self.message = message


class HpcgbClient:
    """One connection. Calls block until their reply; notifications that arrive meanwhile are queued."""

    def __init__(self, host="127.0.0.1", port=7878, unix_socket=None, token=None, timeout=120.0):
        if unix_socket:
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._socket.connect(unix_socket)
        else:
            self._socket = socket.create_connection((host, port))
            self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.settimeout(timeout)
        self._unpacker = msgpack.Unpacker(object_hook=msgpack_numpy.decode, raw=False, max_buffer_size=2**31 - 1)
        self._replies = {}
        self._queued = collections.deque()
        self._next_id = 0
        self.server = self.call("hello", {"token": token}) if token else self.call("hello")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._socket.close()

    def call(self, method, *params):
        self._next_id = (self._next_id + 1) % 2**32
        msgid = self._next_id
        self._socket.sendall(msgpack.packb([REQUEST, msgid, method, list(params)],
                                           default=msgpack_numpy.encode, use_bin_type=True))
        while msgid not in self._replies:
            self._receive()
        error, result = self._replies.pop(msgid)
        if error is not None:
            raise RpcError(*error)
        return result

    def notifications(self):
        """Yields (name, body) for each notification, waiting for the next; ends when the server closes."""
        while True:
            while self._queued:
                yield self._queued.popleft()
            if not self._receive():
                return

    def _receive(self):
        data = self._socket.recv(1 << 20)
        if not data:
            if self._queued:
                return True
            raise ConnectionError("the server closed the connection")
        self._unpacker.feed(data)
        for message in self._unpacker:
            if message[0] == RESPONSE:
                self._replies[message[1]] = (message[2], message[3])
            elif message[0] == NOTIFICATION:
                params = message[2]
                self._queued.append((message[1], params[0] if params else None))
        return True

    # The protocol's methods (docs/protocol.md).
    def validate(self, spec): return self.call("validate", spec)
    def forces(self, spec): return self.call("forces", spec)
    def create_run(self, spec, outputs=None):
        return self.call("create_run", spec) if outputs is None else self.call("create_run", spec, {"outputs": outputs})
    def start(self, run_id): return self.call("start", run_id)
    def advance(self, run_id, t): return self.call("advance", run_id, float(t))
    def pause(self, run_id): return self.call("pause", run_id)
    def get_state(self, run_id, *fields): return self.call("get_state", run_id, list(fields))
    def subscribe(self, run_id, every=1): return self.call("subscribe", run_id, every)
    def unsubscribe(self, run_id): return self.call("unsubscribe", run_id)
    def cancel(self, run_id): return self.call("cancel", run_id)
    def checkpoint(self, run_id): return self.call("checkpoint", run_id)
    def restore(self, checkpoint_id): return self.call("restore", checkpoint_id)
    def list_runs(self): return self.call("list_runs")
    def delete_run(self, run_id): return self.call("delete_run", run_id)
