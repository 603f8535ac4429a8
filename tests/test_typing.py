"""Static typing: fields reveal their annotated types under mypy and pyright."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "typing" / "sample_app.py"

EXPECTED = ["str", "int", "list[str]", "date | None", "Literal['grid', 'list']", "dict[str, Any]", "dict[str, Any]", "str"]


def _normalise(revealed: str) -> str:
    revealed = revealed.replace("builtins.", "").replace("datetime.", "").replace("typing.", "")
    revealed = re.sub(r"Union\[(.*), None\]", r"\1 | None", revealed)
    revealed = re.sub(r"Literal\[('[^']*')\] \| Literal\[('[^']*')\]", r"Literal[\1, \2]", revealed)
    return revealed.replace('"', "'").rstrip("?")


def test_mypy_reveals_field_types() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--hide-error-context", str(SAMPLE)],
        capture_output=True, text=True, cwd=ROOT,
    )
    revealed = [_normalise(m) for m in re.findall(r'Revealed type is "(.+)"', result.stdout)]
    assert revealed == EXPECTED, result.stdout
    assert re.search(r'sample_app.py:26: error: Incompatible types in assignment \(expression has type "str", variable has type "int"\)', result.stdout), result.stdout
    # StateVar's default must agree with the annotation; configure() is typed.
    errors = sorted({int(line) for line in re.findall(r"sample_app.py:(\d+): error", result.stdout)})
    assert errors == [26, 30, 32, 35, 36], result.stdout


def test_pyright_reveals_field_types() -> None:
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
    if pyright is None:
        pytest.fail("pyright is part of the dev extra; install it with pip install -e '.[dev]'")
    result = subprocess.run([pyright, str(SAMPLE)], capture_output=True, text=True, cwd=ROOT)
    revealed = [
        _normalise(m.group(1))
        for line in result.stdout.splitlines()
        if "information: Type of" in line and (m := re.search(r' is "(.*)"\s*$', line))
    ]
    assert revealed == EXPECTED, result.stdout
    assert "sample_app.py:26" in result.stdout and "is not assignable to" in result.stdout, result.stdout
    errors = sorted({int(line) for line in re.findall(r"sample_app.py:(\d+):\d+ - error", result.stdout)})
    assert errors == [26, 30, 32, 35, 36], result.stdout


def test_package_passes_mypy_strict() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout


LINKS_SAMPLE = ROOT / "tests" / "typing" / "links_app.py"


def test_links_and_parse_fit_streamlits_navigation_types() -> None:
    """``link()`` goes into st.page_link/st.switch_page and ``parse()`` takes st.query_params, with no cast.

    The sample's one deliberate error (line 20) shows that Streamlit's own
    signatures are checked, not skipped.
    """
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--hide-error-context", str(LINKS_SAMPLE)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert re.findall(r"links_app.py:(\d+): error", mypy.stdout) == ["20"], mypy.stdout
    assert [_normalise(m) for m in re.findall(r'Revealed type is "(.+)"', mypy.stdout)] == [
        "str | list[str]", "Any", "str"
    ], mypy.stdout
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
    assert pyright is not None, "pyright is part of the dev extra"
    result = subprocess.run(
        [pyright, "--pythonpath", sys.executable, str(LINKS_SAMPLE)], capture_output=True, text=True, cwd=ROOT
    )
    assert re.findall(r"links_app.py:(\d+):\d+ - error", result.stdout) == ["20"], result.stdout
