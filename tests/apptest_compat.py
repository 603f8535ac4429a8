"""What the installed Streamlit's ``AppTest`` lacks that a ``streamlit run`` server has, and how the tests meet it.

The suite runs on the newest Streamlit and on the floor (``make test-floor``,
Streamlit 1.55.0). Older releases' ``AppTest`` differ from a real server in
ways that have nothing to do with st-page-state; each is listed here with
the release that fixed it, and handled in one of two ways:

* **given back**: :func:`give_back` makes the old ``AppTest`` do what the
  server (and the newer ``AppTest``) does, so the same assertions run. Only
  test-harness code of ``streamlit.testing`` is changed, never a path a
  server takes.
* **skipped with the reason**: :data:`SKIPS` marks what cannot be given
  back; ``make test-floor`` checks those behaviours in the browser smoke
  set (tests/e2e, ``floor`` marker) instead.

On a Streamlit that has every fix, nothing here changes anything, and no
assertion is weakened on the newest release.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import streamlit

from st_page_state._streamlit.inventory import minor

INSTALLED = minor(streamlit.__version__)

BLANK_VALUES_KEPT = INSTALLED >= (1, 65)
"""``AppTest.query_params`` keeps ``?q=`` (1.65: ``parse_qs(..., keep_blank_values=True)``); before, it drops
the param and sends the next run a URL without it, as no browser does."""
COMPONENTS_KEPT = INSTALLED >= (1, 59)
"""``AppTest`` keeps one Components v2 registry per app with the installed components (1.59); 1.56-1.58 make
an empty one per run, 1.55 none (its runtime is a mock), so the URL bridge cannot be mounted there."""
SCRIPT_DIR_ON_PATH = INSTALLED >= (1, 61)
"""A script imports the modules beside it (1.61 puts the script's directory on ``sys.path``; before, the
script's own path, which ``streamlit run`` corrects at start-up and ``AppTest`` does not)."""
FORMS_EMULATED = INSTALLED >= (1, 65)
"""A widget changed inside ``st.form`` keeps its value until the form is submitted (1.65); before,
``AppTest`` commits it at the next run, as no browser does."""
SEGMENTED_CONTROL_ELEMENT = INSTALLED >= (1, 56)
"""``AppTest.segmented_control`` and ``st.segmented_control(required=...)`` (1.56)."""

SKIPS = {
    "forms": pytest.mark.skipif(
        not FORMS_EMULATED,
        reason=f"AppTest of Streamlit {streamlit.__version__} commits form widgets before submit (fixed in 1.65); "
        "the floor's browser smoke set checks a form (tests/e2e/test_floor_smoke.py)",
    ),
    "segmented_control": pytest.mark.skipif(
        not SEGMENTED_CONTROL_ELEMENT,
        reason=f"Streamlit {streamlit.__version__} has no st.segmented_control(required=) and AppTest has no "
        "segmented_control (1.56); the examples that use it need 1.56",
    ),
}


def give_back() -> None:
    """Give the installed ``AppTest`` what a server has and it lacks (see the module docstring). Idempotent."""
    from streamlit.testing.v1 import app_test

    if getattr(app_test, "_st_page_state_compat", False):
        return
    app_test._st_page_state_compat = True  # type: ignore[attr-defined]
    if not BLANK_VALUES_KEPT:
        app_test.parse = _KeepBlankValues()  # type: ignore[attr-defined]
    if not COMPONENTS_KEPT:
        _keep_one_component_registry(app_test)
    if not SCRIPT_DIR_ON_PATH:
        _put_the_script_directory_on_the_path()


class _KeepBlankValues:
    """``urllib.parse`` for the old ``AppTest``: ``parse_qs`` keeps blank values, single values unwrapped (1.65)."""

    def __getattr__(self, name: str) -> Any:
        from urllib import parse

        return getattr(parse, name)

    @staticmethod
    def parse_qs(query_string: str, **kwargs: Any) -> dict[str, Any]:
        from urllib import parse

        parsed = parse.parse_qs(query_string, keep_blank_values=True)
        return {key: values[0] if len(values) == 1 else values for key, values in parsed.items()}


_registry: list[Any] = []


def _shared_registry() -> Any:
    """One Components v2 registry for the process, with the installed components (the bridge's manifest)."""
    if not _registry:
        from streamlit.components.v2.component_manager import BidiComponentManager

        manager = BidiComponentManager()
        manager.discover_and_register_components(start_file_watching=False)
        _registry.append(manager)
    return _registry[0]


def _keep_one_component_registry(app_test: Any) -> None:
    if hasattr(app_test, "BidiComponentManager"):  # 1.56-1.58: a new, empty one per run
        app_test.BidiComponentManager = _shared_registry
        return
    mock = app_test.MagicMock  # 1.55: the mock runtime has none

    def runtime_mock(*args: Any, **kwargs: Any) -> Any:
        made = mock(*args, **kwargs)
        made.bidi_component_registry = _shared_registry()
        return made

    app_test.MagicMock = runtime_mock


def _put_the_script_directory_on_the_path() -> None:
    from streamlit.runtime.scriptrunner import exec_code

    original = exec_code.modified_sys_path.__init__

    def init(self: Any, main_script_path: str) -> None:
        script_dir = os.path.dirname(os.path.abspath(main_script_path))
        original(self, script_dir if main_script_path.endswith(".py") else main_script_path)

    exec_code.modified_sys_path.__init__ = init  # type: ignore[method-assign]
