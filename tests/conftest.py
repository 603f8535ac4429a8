"""Shared fixtures: AppTest apps written from source strings."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from st_page_state import testing
from tests import apptest_compat
from tests.redis_server import RedisServer, running_redis

apptest_compat.give_back()  # what this Streamlit's AppTest lacks that a server has (nothing on the newest)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    apptest_compat.mark_known(items)  # skips, with the reason, what an older AppTest cannot do

APPS = Path(__file__).parent / "apps"
EXAMPLES = Path(__file__).parent.parent / "examples"

AppFactory = Callable[..., AppTest]


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppFactory:
    """Write ``source`` to ``app.py`` in a temp dir and return an AppTest for it.

    Extra keyword arguments become more files next to it (``pages/one.py=...``).
    """
    monkeypatch.chdir(tmp_path)

    def factory(source: str, *, query: dict[str, str | list[str]] | None = None, timeout: float = 10, **files: str) -> AppTest:
        (tmp_path / "app.py").write_text(textwrap.dedent(source))
        for name, text in files.items():
            path = tmp_path / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=timeout)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at

    return factory


def texts(at: AppTest) -> list[str]:
    """Markdown/text output of the app, the way the tests assert on it."""
    return [str(m.value) for m in at.markdown]


def query(at: AppTest) -> dict[str, list[str]]:
    """The query params the app holds, repeated keys kept, as lists."""
    return {k: list(v) if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def bridge_data(at: AppTest) -> dict[str, object] | None:
    """The data the app sent to the URL bridge in its last run (None if not mounted)."""
    import json

    mounted = at.get("bidi_component")
    if not mounted:
        return None
    data: dict[str, object] = json.loads(mounted[-1].proto.json)
    return data


def logged_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The warnings st-page-state logged, oldest first (each one is also shown as a toast).

    A correction made after a value could have been drawn ends its run with
    a redraw; AppTest then shows the redraw's elements, where the first
    run's toast is gone (a browser keeps it on screen), so tests read the log.
    """
    return [
        r.getMessage().removeprefix("st-page-state: ")
        for r in caplog.records
        if r.name == "st_page_state" and r.levelno == logging.WARNING
    ]


def url_writes(at: AppTest) -> int:
    """How many times the engine has written the URL in this session."""
    return int(testing.runtime_of(at).writes)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real ``redis-server`` of the test's own, on a free port (tests/redis_server.py)."""
    yield from running_redis(tmp_path)
