"""Child processes of the tests and benchmarks: a free port, ``streamlit run``, chromium's flags, stopping a process.

Plain standard library (no pytest), so ``benchmarks/browser.py`` serves its
apps exactly as the browser tests do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
"""Debian's chromium: Playwright cannot download browsers here (``CHROMIUM`` overrides the path)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-quic",
]


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the OS picks it), for a server the test starts."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """Terminate ``process`` if it still runs; kill it when it does not exit within 10 seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_streamlit(
    app: Path, log: Path, *, port: int, env: Mapping[str, str], timeout_s: float = 60
) -> subprocess.Popen[bytes]:
    """``streamlit run app`` on 127.0.0.1:``port``, headless, no file watcher; returns once it answers its health check.

    ``env`` is added to this process's environment; the output goes to ``log``.
    """
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
    ]  # fmt: skip
    with log.open("wb") as handle:
        process = subprocess.Popen(
            cmd, cwd=str(app.parent), stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, **env}
        )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as resp:
                if resp.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"streamlit did not start on port {port}:\n{log.read_text(errors='replace')}")
