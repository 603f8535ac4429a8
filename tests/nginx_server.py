"""A real ``nginx`` for the load-balancer test, run as the current user from a temp directory.

The site configuration is ``examples/deploy/nginx.conf``, the file README
shows, with its two upstream ports and its listen port swapped for free
ones. The main configuration around it (pid, logs, temp paths) keeps
everything under the test's directory: no root, no system service.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.processes import free_port, stop

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = Path(__file__).resolve().parents[1] / "examples" / "deploy" / "nginx.conf"
SITE_LISTEN = "listen 80;"
SITE_UPSTREAMS = ("server 127.0.0.1:8501;", "server 127.0.0.1:8502;")

MAIN = """\
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 256; }}
http {{
    log_format upstream_log '$request -> $upstream_addr $status';
    access_log {dir}/access.log upstream_log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/site.conf;
}}
"""


def site_config(host: str, port: int, upstream_ports: Sequence[int], site: Path = SITE) -> str:
    """The README's configuration, listening on ``host:port`` in front of ``upstream_ports``."""
    text = site.read_text(encoding="utf-8")
    replacements = [(SITE_LISTEN, f"listen {host}:{port};")]
    replacements += [(old, f"server 127.0.0.1:{new};") for old, new in zip(SITE_UPSTREAMS, upstream_ports, strict=True)]
    for old, new in replacements:
        assert text.count(old) == 1, f"{SITE} no longer has exactly one {old!r}"
        text = text.replace(old, new)
    return text


class Nginx:
    """``nginx -p <dir> -c <dir>/nginx.conf`` in the foreground of a child process."""

    def __init__(self, workdir: Path, upstream_ports: Sequence[int], *, host: str = "127.0.0.1", site: Path = SITE) -> None:
        self.dir = workdir / "nginx"
        self.host = host
        self.port = free_port(host)
        self.dir.mkdir()
        (self.dir / "site.conf").write_text(site_config(host, self.port, upstream_ports, site), encoding="utf-8")
        # A master started as root hands requests to workers running as `nobody`, who
        # could not write the temp paths under the test's directory.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        (self.dir / "nginx.conf").write_text(MAIN.format(dir=self.dir, user=user), encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Nginx:
        if not Path(NGINX).exists():
            pytest.fail("nginx not found: run scripts/install-system-deps.sh")
        command = [NGINX, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"), "-g", "daemon off;"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited early:\n{self.errors()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen on port {self.port}:\n{self.errors()}")

    def stop(self) -> None:
        stop(self.process)
        self.process = None

    def errors(self) -> str:
        log = self.dir / "error.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def access_log(self) -> str:
        log = self.dir / "access.log"
        return log.read_text(errors="replace") if log.exists() else ""
