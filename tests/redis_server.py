"""A real ``redis-server`` for the RedisStore tests, on a free localhost port.

Started without persistence (``--save "" --appendonly no``) so a restart is
an empty Redis, like a crashed one; ``stop()``/``start()`` on the same port
simulate an outage and a recovery. ``durable=True`` keeps an append-only
file in the work directory instead, so a restart finds what was stored (a
Redis restarted by its operator). ``DEBUG`` (``DEBUG SLEEP``: a server that
stops answering for a while) is allowed from localhost.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import free_port, stop

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisServer:
    def __init__(self, workdir: Path, port: int | None = None, *, durable: bool = False) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.durable = durable
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        if not Path(REDIS_SERVER).exists():
            pytest.fail("redis-server not found: run scripts/install-system-deps.sh")
        log = (self.workdir / f"redis-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "yes" if self.durable else "no",
                "--appendfsync", "always",
                "--appendfilename", f"redis-{self.port}.aof",
                "--appenddirname", f"redis-{self.port}-aof",
                "--enable-debug-command", "local",
                "--dir", str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited early (port {self.port})")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        stop(self.process)
        self.process = None


def running_redis(workdir: Path, *, durable: bool = False) -> Iterator[RedisServer]:
    """Body of a ``redis_server`` fixture: a started server, stopped afterwards."""
    server = RedisServer(workdir, durable=durable).start()
    try:
        yield server
    finally:
        server.stop()
