"""What is released: the wheel carries the built URL bridge (``pip install`` needs no npm),
one licence, one version, and the metadata the package index shows."""

from __future__ import annotations

import email.parser
import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

import st_page_state

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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_wheel_contains_the_built_bridge(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert ASSET in names, sorted(n for n in names if n.startswith("st_page_state/"))
        shipped = archive.read(ASSET).decode("utf-8")
    assert shipped == (ROOT / ASSET).read_text(encoding="utf-8")
    assert "\n" in shipped.strip(), "Streamlit takes a one-line js= string for a path"
    assert "as default" in shipped or "export default" in shipped
    assert not any(n.startswith(("frontend/", "node_modules/", "tests/")) for n in names)
    assert "st_page_state/py.typed" in names


def pyproject() -> dict[str, Any]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    data: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data


def package_json(name: str = "package.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / name).read_text(encoding="utf-8"))
    return data


def wheel_metadata(wheel: Path) -> tuple[email.message.Message, set[str]]:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata_name).decode("utf-8")
    return email.parser.Parser().parsestr(text), names


# ------------------------------------------------------------------- version
def test_the_version_is_written_in_one_place(wheel: Path) -> None:
    """``st_page_state.__version__`` is the version; everything else reads it or is checked against it."""
    version = st_page_state.__version__
    project = pyproject()
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "st_page_state/__init__.py"
    init = (ROOT / "st_page_state/__init__.py").read_text(encoding="utf-8")
    assert re.findall(r'^__version__ = "([^"]+)"$', init, re.M) == [version]
    metadata, _ = wheel_metadata(wheel)
    assert metadata["Version"] == version
    # The bridge is built into the wheel: its npm project carries the same version.
    assert package_json()["version"] == version
    lock = package_json("package-lock.json")
    assert lock["version"] == lock["packages"][""]["version"] == version
    # The bundle reads it at build time (vite.config.ts), and the changelog's newest release is it.
    bundle = (ROOT / ASSET).read_text(encoding="utf-8")
    assert any(f"{quote}{version}{quote}" in bundle for quote in "\"'`"), "the bundle's version literal"
    assert changelog_versions()[0] == version


# ------------------------------------------------------------------- licence
def test_one_licence_everywhere(wheel: Path) -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("Apache License\n                           Version 2.0, January 2004")
    assert "END OF TERMS AND CONDITIONS" in text and "APPENDIX: How to apply the Apache License" in text
    assert pyproject()["project"]["license"] == "Apache-2.0"
    assert package_json()["license"] == "Apache-2.0"
    assert package_json("package-lock.json")["packages"][""]["license"] == "Apache-2.0"
    classifiers = pyproject()["project"]["classifiers"]
    assert not [c for c in classifiers if c.startswith("License ::")], "PEP 639: the SPDX expression replaces them"
    metadata, names = wheel_metadata(wheel)
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    licence_in_wheel = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert len(licence_in_wheel) == 1
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(licence_in_wheel[0]).decode("utf-8") == text


# ------------------------------------------------------- what the index shows
def test_package_index_metadata(wheel: Path) -> None:
    """Classifiers (checked against the known list by hatchling when the wheel is built), URLs, keywords."""
    project = pyproject()["project"]
    classifiers = project["classifiers"]
    for prefix in (
        "Development Status :: ",
        "Operating System :: OS Independent",
        "Typing :: Typed",
        "Topic :: ",
        "Intended Audience :: ",
    ):
        assert [c for c in classifiers if c.startswith(prefix)], prefix
    urls = project["urls"]
    assert set(urls) == {"Homepage", "Documentation", "Repository", "Issues", "Changelog"}
    home = urls["Repository"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", home)
    assert all(u == home or u.startswith((home + "/", home + "#")) for u in urls.values()), urls
    assert "streamlit" in project["keywords"]
    metadata, _ = wheel_metadata(wheel)
    assert set(metadata.get_all("Classifier") or []) == set(classifiers)
    assert {u.split(", ", 1)[0] for u in metadata.get_all("Project-URL") or []} == set(urls)
    assert metadata["Description-Content-Type"] == "text/markdown"


def test_sdist_lists_only_files_that_exist() -> None:
    sdist = pyproject()["tool"]["hatch"]["build"]["targets"]["sdist"]
    missing = [path for path in sdist["include"] if not (ROOT / path).exists()]
    assert not missing
    assert {"LICENSE", "SECURITY.md", "CHANGELOG.md", "README.md"} <= set(sdist["include"])


# ----------------------------------------------------------------- changelog
CHANGE_TYPES = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
NON_RELEASE_SECTIONS = ("Compatibility policy",)
RELEASE = re.compile(r"\[(?P<version>Unreleased|\d+\.\d+\.\d+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}|Unreleased))?")


def changelog_versions() -> list[str]:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    found = []
    for heading in re.findall(r"^## (.+)$", text, re.M):
        match = RELEASE.fullmatch(heading)
        if match and match["version"] != "Unreleased":
            found.append(match["version"])
    return found


def test_changelog_follows_keep_a_changelog() -> None:
    """Newest release first, ``## [x.y.z] - date``, only the six kinds of change, a link per release."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "https://keepachangelog.com/en/1.1.0/" in text and "https://semver.org/" in text
    release: str | None = None
    for level, heading in re.findall(r"^(#{2,3}) (.+)$", text, re.M):
        if level == "##":
            match = RELEASE.fullmatch(heading)
            assert match or heading in NON_RELEASE_SECTIONS, f"not a release heading: {heading!r}"
            release = match["version"] if match else None
            if match and match["version"] != "Unreleased":
                assert match["date"], f"{heading!r}: a release says its date (or Unreleased)"
                assert re.search(rf"^\[{re.escape(match['version'])}\]: https://", text, re.M), f"no link for {heading}"
        elif release is not None:
            assert heading in CHANGE_TYPES, f"{release}: {heading!r} is not one of {CHANGE_TYPES}"
    versions = changelog_versions()
    assert versions, "no release in the changelog"
    as_tuples = [tuple(int(p) for p in v.split(".")) for v in versions]
    assert as_tuples == sorted(as_tuples, reverse=True), "newest release first"


# ------------------------------------------------------- supported versions
def test_the_streamlit_floor_is_declared_once_and_tested() -> None:
    """pyproject's lower bound is the Streamlit `make test-floor` pins, and that Streamlit installs on our Python floor.

    The classifiers list every Python minor version from the floor on, and
    the suite running on the floor Streamlit (``make test-floor``) checks
    that the floor's own ``Requires-Python`` admits ours (Streamlit 1.55
    takes 3.10; ours is 3.11, see CHANGELOG.md, Compatibility policy).
    """
    from importlib import metadata

    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    pinned = re.search(r"^FLOOR_STREAMLIT := (\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert pinned, "Makefile: FLOOR_STREAMLIT"
    project = pyproject()["project"]
    bounds = [re.fullmatch(r"streamlit>=([\d.]+)", d) for d in project["dependencies"] if d.startswith("streamlit")]
    assert len(bounds) == 1 and bounds[0], project["dependencies"]
    assert Version(bounds[0].group(1)) == Version(pinned.group(1))
    python_floor = re.fullmatch(r">=3\.(\d+)", project["requires-python"])
    assert python_floor, project["requires-python"]
    minors = sorted(int(c.rsplit(".", 1)[1]) for c in project["classifiers"] if re.fullmatch(r".*Python :: 3\.\d+", c))
    assert minors == list(range(int(python_floor.group(1)), minors[-1] + 1)), minors
    if Version(metadata.version("streamlit")) == Version(pinned.group(1)):
        floor_python = SpecifierSet(metadata.metadata("streamlit")["Requires-Python"])
        assert Version(f"3.{python_floor.group(1)}") in floor_python, (floor_python, project["requires-python"])
