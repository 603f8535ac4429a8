"""The wheel carries the built URL bridge, so ``pip install`` needs no npm."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSET = "st_page_state/bridge_assets/url_bridge.js"


def build_wheel(out: Path) -> Path:
    """Build the wheel with pip (in place; hatchling from this venv when present, else an isolated build)."""
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.insert(cmd.index("--no-deps"), "--no-build-isolation")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, f"pip wheel failed:\n{done.stdout}\n{done.stderr}"
    wheels = list(out.glob("st_page_state-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contains_the_built_bridge(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert ASSET in names, sorted(n for n in names if n.startswith("st_page_state/"))
        shipped = archive.read(ASSET).decode("utf-8")
    assert shipped == (ROOT / ASSET).read_text(encoding="utf-8")
    assert "\n" in shipped.strip(), "Streamlit takes a one-line js= string for a path"
    assert "as default" in shipped or "export default" in shipped
    assert not any(n.startswith(("frontend/", "node_modules/", "tests/")) for n in names)
    assert "st_page_state/py.typed" in names
