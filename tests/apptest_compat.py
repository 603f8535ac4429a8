"""What the installed Streamlit's ``AppTest`` lacks that a ``streamlit run`` server has, and how the tests meet it.

The suite runs on the newest Streamlit and on the floor (``make test-floor``,
Streamlit 1.55.0). Older releases' ``AppTest`` differ from a real server in
ways that have nothing to do with st-page-state; each is listed here with
the release that fixed it, and handled in one of two ways:

* **given back**: :func:`give_back` makes the old ``AppTest`` do what the
  server (and the newer ``AppTest``) does, so the same assertions run. Only
  test-harness code of ``streamlit.testing`` is changed, never a path a
  server takes.
* **skipped with the reason**: :data:`KNOWN` lists the tests that meet
  what cannot be given back, and :func:`mark_known` skips them where the
  limitation holds, saying why; ``make test-floor`` checks those
  behaviours in the browser smoke set (tests/e2e/test_floor_smoke.py).

On a Streamlit that has every fix, nothing here changes anything, and no
assertion is weakened on the newest release.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import streamlit

from st_page_state._streamlit.inventory import LAST_CHECKED, minor

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
SWITCH_PAGE_KEPT = INSTALLED >= (1, 66)
"""After ``st.switch_page`` the next run draws the page it switched to (1.66); before, AppTest's next run goes
back to the page it was told to run, as no browser does."""
BUTTON_GROUP_ELEMENTS = INSTALLED >= (1, 56)
"""``AppTest.pills``/``AppTest.segmented_control`` and ``st.segmented_control(required=...)`` (1.56)."""
TYPED_AGAINST = minor(LAST_CHECKED)
"""mypy checks the package against the newest Streamlit's own types (``make test`` runs it there): the branches for
newer internals name attributes an older release does not declare."""

_REASONS = {
    "forms": (
        FORMS_EMULATED,
        "AppTest commits a form's widgets before the form is submitted (fixed in 1.65); the floor's browser "
        "smoke set submits a form (tests/e2e/test_floor_smoke.py)",
    ),
    "switch_page": (
        SWITCH_PAGE_KEPT,
        "AppTest runs the first page again after st.switch_page (fixed in 1.66); a browser stays on the new page",
    ),
    "button_group": (
        BUTTON_GROUP_ELEMENTS,
        "AppTest has no pills/segmented_control and st.segmented_control no required= (1.56); the examples that "
        "use required=True need 1.56",
    ),
    "selectbox_format_func": (
        INSTALLED >= (1, 59),
        "AppTest cannot set a selectbox whose non-string options have a format_func (AttributeError: "
        "_widget_state, fixed in 1.59); tests/test_streamlit_fallbacks.py sets a plain selectbox",
    ),
    "fragment_runner": (
        INSTALLED >= (1, 64),
        "AppTest cannot rerun a fragment alone; tests/test_fragments.py's runner follows LocalScriptRunner as 1.64 "
        "has it (the browser suite runs real fragment reruns: tests/e2e/test_fragment_url.py)",
    ),
    "apptest_session_state": (
        INSTALLED >= (1, 64),
        "benchmarks/memory.py measures AppTest._session_state, which AppTest has from 1.64",
    ),
    "typed": (
        INSTALLED >= TYPED_AGAINST,
        "mypy checks the package against the newest Streamlit's types (make test runs it there); older releases "
        "do not declare the internals the newer branches read",
    ),
}
KNOWN: dict[str, str] = {
    "tests/test_forms.py::test_nothing_changes_before_submit": "forms",
    "tests/test_forms.py::test_form_container_without_with": "forms",
    "tests/test_readme.py::test_a_form_commits_on_submit": "forms",
    "tests/test_binding_examples.py::test_form_commits_on_submit": "forms",
    "tests/test_deep_links_pages.py::test_a_link_sets_the_fields_it_does_not_name_to_their_defaults": "switch_page",
    "tests/test_examples.py::test_example[sidebar_main]": "button_group",
    "tests/test_examples.py::test_gallery_page_opens[fragment.py]": "button_group",
    "tests/test_examples.py::test_gallery_page_opens[sidebar_main.py]": "button_group",
    "tests/test_binding_examples.py::test_fragment_example_runs": "button_group",
    "tests/test_widgets.py::test_widget_change_reaches_field_session_and_url[pills_single]": "button_group",
    "tests/test_widgets.py::test_widget_change_reaches_field_session_and_url[pills_multi]": "button_group",
    "tests/test_widgets.py::test_widget_change_reaches_field_session_and_url[segmented_control_single]": "button_group",
    "tests/test_widgets.py::test_widget_change_reaches_field_session_and_url[segmented_control_multi]": "button_group",
    "tests/test_multipage.py::test_pages_directory_app": "button_group",
    "tests/test_typing.py::test_package_passes_mypy_strict": "typed",
    "tests/test_widgets.py::test_widget_change_reaches_field_session_and_url[selectbox_enum]": "selectbox_format_func",
    "tests/test_examples.py::test_example[filters]": "selectbox_format_func",
    "tests/test_fragments.py::test_change_in_a_fragment_reruns_only_it_and_writes_the_url_once": "fragment_runner",
    "tests/test_fragments.py::test_fragment_changing_an_outside_field_updates_its_widget_on_the_next_full_run": (
        "fragment_runner"
    ),
    "tests/test_streamlit_fallbacks.py::test_a_fragment_run_counts_as_a_full_run[fragment_runs]": "fragment_runner",
    "tests/test_benchmarks_smoke.py::test_rerun_overhead_prints_every_table": "apptest_session_state",
}
"""Tests that meet an AppTest (or Streamlit typing) limitation of older releases, by node id: the limitation."""


def mark_known(items: list[pytest.Item]) -> None:
    """Skip the :data:`KNOWN` tests where the installed Streamlit has their limitation, giving the reason."""
    for item in items:
        limitation = KNOWN.get(item.nodeid)
        if limitation is None:
            continue
        fixed, reason = _REASONS[limitation]
        if not fixed:
            item.add_marker(pytest.mark.skip(reason=f"Streamlit {streamlit.__version__}: {reason}"))


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
