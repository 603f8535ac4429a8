"""The inventory of Streamlit internals is complete, and each internal is where it says, on the installed Streamlit.

Driven by the inventory's records (``st_page_state/_streamlit/inventory.py``):

* each record has a probe and a capability flag, and each module of
  ``_streamlit/`` opens with exactly the table of its records;
* no module reads a private name of Streamlit that no record lists, and no
  module outside ``_streamlit/`` reaches into Streamlit at all;
* on the installed Streamlit, each probe answers what the record's history
  says for this release: an internal that moved fails here, by name;
* each probe notices its internal gone or re-signed (:data:`MOVES` takes it
  away on the installed Streamlit, the probe must say so).

What each fallback does is tested in tests/test_streamlit_fallbacks.py.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import logging
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import streamlit

from st_page_state._streamlit import capabilities, probes
from st_page_state._streamlit.capabilities import DETECTED, Capabilities
from st_page_state._streamlit.introspect import find, has_fields, sets_in_init, takes, takes_attributes
from st_page_state._streamlit.inventory import INVENTORY, Internal, minor, release_line

PACKAGE = Path(__file__).resolve().parents[1] / "st_page_state"
INTERNALS = PACKAGE / "_streamlit"
META = {"__init__", "capabilities", "inventory", "introspect", "probes"}
"""Modules of ``_streamlit/`` that use no internal themselves (they probe and describe them)."""
ENTRY = {entry.name: entry for entry in INVENTORY}


def entries() -> list[Any]:
    return [pytest.param(entry, id=entry.name) for entry in INVENTORY]


# ------------------------------------------------------------------ the inventory holds together
def test_every_record_has_a_probe_and_a_flag() -> None:
    flags = {f.name for f in dataclasses.fields(Capabilities)} - {"streamlit_version", "rerun_widgets"}
    assert set(probes.PROBES) == set(ENTRY) == flags
    assert len(ENTRY) == len(INVENTORY), "two records share a name"


def test_every_record_belongs_to_a_module_that_exists() -> None:
    modules = {path.stem for path in INTERNALS.glob("*.py")} - META
    assert {entry.module for entry in INVENTORY} == modules


@pytest.mark.parametrize("module", sorted({entry.module for entry in INVENTORY}))
def test_each_module_opens_with_its_inventory_table(module: str) -> None:
    doc = importlib.import_module(f"st_page_state._streamlit.{module}").__doc__ or ""
    summary, _, rest = doc.partition("\n\n")
    expected = capabilities.table(module)
    assert "\n" not in summary.strip(), f"{module}: a one-line summary first"
    assert rest.startswith(expected + "\n"), (
        f"_streamlit/{module}.py must open (after its summary) with its table, built from the inventory:\n{expected}"
    )


def test_history_is_newest_first_within_the_checked_releases() -> None:
    for entry in INVENTORY:
        versions = [minor(since) for since, _ in entry.history]
        assert versions == sorted(versions, reverse=True), entry.name
        assert minor("1.55") <= versions[-1] and versions[0] <= minor("1.67"), entry.name
        assert entry.expected("1.68.0.dev20270101") == entry.history[0][1], "a newer release: the newest answer"


def test_a_nightly_build_is_expected_to_have_what_the_next_minor_release_has() -> None:
    """streamlit-nightly ``1.66.2.devDATE`` is built from the branch that becomes 1.67 (``make test-nightly``)."""
    assert release_line("1.66.2.dev20261026") == (1, 67) and release_line("1.66.1") == (1, 66)
    assert ENTRY["widget_id_of_key"].expected("1.66.2.dev20261026") == "method"
    assert ENTRY["widget_id_of_key"].expected("1.66.1") == "mapper"


# ------------------------------------------------------------------ nothing uses an internal outside the inventory
def _private_names(tree: ast.AST) -> set[str]:
    """Private names a module reads of other objects: ``x._name`` (not ``self._name``), ``"_name"`` (for
    ``getattr`` and the like), and names imported from Streamlit."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id == "self"):
                found.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            if _private(node.value):
                found.add(node.value)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit"):
            found.update(alias.name for alias in node.names if alias.name != "streamlit")
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and not name.startswith("_st_page_state")


PUBLIC_STREAMLIT = {"config", "runtime", "StreamlitAPIException"}
"""Names imported from Streamlit that are public (documented modules and errors)."""


@pytest.mark.parametrize("module", sorted({entry.module for entry in INVENTORY}))
def test_every_private_name_a_module_reads_is_in_the_inventory(module: str) -> None:
    source = (INTERNALS / f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    own = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    own |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    own |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"}
    described = " ".join(f"{entry.what} {entry.why}" for entry in INVENTORY)
    unlisted = sorted(
        name for name in _private_names(tree) - own - PUBLIC_STREAMLIT if name not in described and name not in {"_caps"}
    )
    assert unlisted == [], f"_streamlit/{module}.py reads {unlisted}: add an inventory record first"


def test_the_check_sees_a_private_read() -> None:
    tree = ast.parse("import x\nx.y._secret\ngetattr(ctx, '_hidden')\nself._mine\nfrom streamlit.a import B\n")
    assert _private_names(tree) == {"_secret", "_hidden", "B"}


ALLOWED_OUTSIDE = {"streamlit", "streamlit.testing.v1", "streamlit.delta_generator"}


@pytest.mark.parametrize(
    "path",
    sorted(p for p in PACKAGE.rglob("*.py") if INTERNALS not in p.parents),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_module_outside_the_package_reaches_into_streamlit(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("streamlit")}
    imports |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names if a.name.startswith("streamlit")}
    assert imports <= ALLOWED_OUTSIDE, f"{path.name} imports {sorted(imports - ALLOWED_OUTSIDE)}: go through _streamlit/"
    reached = sorted(
        f"{ast.unparse(n.value)}.{n.attr}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and (_private(n.attr) or n.attr == "__dict__")
        and ast.unparse(n.value).split(".")[0] in {"st", "ctx", "at", "session_state"}
    )
    assert reached == [], f"{path.name} reads {reached}: go through _streamlit/"


# ------------------------------------------------------------------ each internal is where the inventory says
@pytest.mark.parametrize("entry", entries())
def test_the_installed_streamlit_has_each_internal_where_the_inventory_says(entry: Internal) -> None:
    answer, expected = getattr(DETECTED, entry.name), entry.expected(streamlit.__version__)
    assert answer == expected, (
        f"Streamlit {streamlit.__version__} moved the internal {entry.name!r} ({entry.what}): "
        f"its probe answers {answer!r}, the inventory expects {expected!r}. Fallback meanwhile: {entry.fallback}"
    )


def test_the_run_identity_is_a_new_object_in_every_run(make_app: Any) -> None:
    """``run_cursors`` on the real runtime: ``ctx.cursors`` is replaced, not cleared, at each run's start."""
    app = """
import streamlit as st
from st_page_state import _streamlit as stx
ctx = stx.current_context()
st.session_state.setdefault("markers", []).append(stx.run_marker(ctx))
"""
    at = make_app(app).run().run().run()
    markers = at.session_state["markers"]
    assert len({id(m) for m in markers}) == 3 and all(a is not b for a, b in zip(markers, markers[1:], strict=False))


def test_the_browser_key_reads_streamlits_own_xsrf_cookie(monkeypatch: pytest.MonkeyPatch) -> None:
    """``xsrf_cookie`` on the real Streamlit: two page loads' cookies (new masks) give one key, the token."""
    from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

    from st_page_state._streamlit import client

    token = bytes(range(16))
    cookies = [generate_xsrf_token_string(token, 1795300894) for _ in range(2)]
    assert cookies[0] != cookies[1]
    keys = set()
    for cookie in cookies:
        monkeypatch.setattr(client, "cookies", lambda cookie=cookie: {"_streamlit_xsrf": cookie})
        keys.add(client.browser_key())
    assert keys == {token.hex()}


def test_widgets_drawn_in_this_run_are_known(make_app: Any) -> None:
    """``widget_id_of_key`` and ``widgets_drawn`` on the real runtime: a widget counts once it is drawn."""
    app = """
import streamlit as st
from st_page_state import _streamlit as stx
ctx = stx.current_context()
before = stx.widget_rendered_this_run(ctx, "w")
st.text_input("w", key="w")
after = stx.widget_rendered_this_run(ctx, "w")
ids = stx.drawn_widget_ids(ctx)
st.markdown(f"{before} {after} {stx.widget_id_of_key(ctx.session_state._state, 'w') in ids}")
"""
    at = make_app(app).run().run()
    assert [str(m.value) for m in at.markdown] == ["False True True"]


def test_a_widget_bound_to_the_url_by_streamlit_is_known_by_its_key(make_app: Any) -> None:
    """``query_param_bindings`` on the real runtime: a ``bind="query-params"`` widget's key counts as bound
    from its first draw on, also while its param is out of the URL (at its default)."""
    app = """
import streamlit as st
from st_page_state import _streamlit as stx
ctx = stx.current_context()
before = stx.is_bound_natively(ctx, "search")
st.text_input("Search", key="search", bind="query-params")
st.text_input("Other", key="other")
after = stx.is_bound_natively(ctx, "search")
st.markdown(f"{before} {after} {stx.is_bound_natively(ctx, 'other')} {sorted(stx.bound_params(ctx))}")
"""
    at = make_app(app).run()
    assert [str(m.value) for m in at.markdown] == ["False True False []"]
    at.text_input[0].input("shoes").run()
    assert [str(m.value).rsplit(" ", 1)[0] for m in at.markdown] == ["True True False"], "bound from the run before"


# ------------------------------------------------------------------ each probe notices its internal gone
Move = Callable[[pytest.MonkeyPatch], bool]
"""Takes an internal away (or changes it) on the installed Streamlit; whether there was anything to take."""


def _owner(path: str) -> tuple[Any, str]:
    """``"module:Owner.name"`` as (the owner object or None, ``name``); ``"module:name"`` as (the module, ``name``)."""
    module, _, attributes = path.partition(":")
    owner, _, name = attributes.rpartition(".")
    return (find(f"{module}:{owner}") if owner else importlib.import_module(module)), name


def gone(path: str) -> Move:
    """Take away the attribute at ``"module:Owner.name"`` (from every class of the owner's MRO)."""

    def move(mp: pytest.MonkeyPatch) -> bool:
        owner, name = _owner(path)
        holders = [h for h in (owner.__mro__ if isinstance(owner, type) else (owner,)) if name in vars(h)]
        for holder in holders:
            mp.delattr(holder, name)
        return bool(holders)

    return move


def resigned(path: str, replacement: object) -> Move:
    """Put ``replacement`` (a function with another signature, another value) in place of the one at ``path``."""

    def move(mp: pytest.MonkeyPatch) -> bool:
        owner, name = _owner(path)
        if owner is None or not hasattr(owner, name):
            return False
        mp.setattr(owner, name, replacement)
        return True

    return move


def unfield(path: str, name: str) -> Move:
    """Take dataclass field ``name`` away from the class at ``path``."""

    def move(mp: pytest.MonkeyPatch) -> bool:
        cls = find(path)
        if not has_fields(cls, name):
            return False
        mp.setattr(cls, "__dataclass_fields__", {k: v for k, v in cls.__dataclass_fields__.items() if k != name})
        return True

    return move


def uninit(path: str, name: str) -> Move:
    """Instances of the class at ``path`` no longer get attribute ``name``."""

    def move(mp: pytest.MonkeyPatch) -> bool:
        cls = find(path)
        if not sets_in_init(cls, name):
            return False
        mp.setattr(cls, "__annotations__", {k: v for k, v in vars(cls).get("__annotations__", {}).items() if k != name})
        mp.setattr(cls, "__init__", lambda self, *args, **kwargs: None)
        return True

    return move


def unoption(name: str) -> Move:
    def move(mp: pytest.MonkeyPatch) -> bool:
        from streamlit import config

        template = config._config_options_template
        mp.setattr(config, "_config_options_template", {k: v for k, v in template.items() if k != name})
        return name in template

    return move


def unsourced(module: str) -> Move:
    """The module's source no longer holds what the probe looks for."""

    def move(mp: pytest.MonkeyPatch) -> bool:
        fake = types.ModuleType(module)
        fake.__spec__ = importlib.util.spec_from_file_location(module, __file__)
        mp.setitem(sys.modules, module, fake)
        return True

    return move


def _lacks_names(self: Any, label: Any) -> Any:
    return None


def _no_mode(label: Any, key: Any = None, on_change: Any = None) -> Any:
    """An input widget whose ``on_change`` defaults to None (as before 1.66 for some, before 1.63 for all)."""
    return None


def _no_key(tabs: Any, on_change: Any = "ignore") -> Any:
    return None


def rerun_default_gone(*widgets: str) -> Move:
    """``st.<widget>`` for each of ``widgets`` no longer defaults ``on_change`` to ``"rerun"``."""

    def move(mp: pytest.MonkeyPatch) -> bool:
        took = [name for name in widgets if name in DETECTED.rerun_widgets]
        for name in took:
            mp.setattr(streamlit, name, _no_mode)
        return bool(took)

    return move


CTX = "streamlit.runtime.scriptrunner_utils.script_run_context:ScriptRunContext"
STATE = "streamlit.runtime.state.session_state:SessionState"
SAFE = "streamlit.runtime.state.safe_session_state:SafeSessionState"
QP = "streamlit.runtime.state.query_params:QueryParams"

MOVES: dict[str, list[Move]] = {
    "run_context": [gone("streamlit.runtime.scriptrunner:get_script_run_ctx"), unfield(CTX, "session_id")],
    "run_cursors": [unfield(CTX, "cursors"), resigned(CTX + ".reset", lambda self: None)],
    "session_state_unlocked": [uninit(SAFE, "_state")],
    "history_navigation": [unfield(CTX, "is_history_navigation")],
    "page_script_hash": [gone(CTX + ".page_script_hash")],
    "page_url_path": [unfield(CTX, "pages_manager"), gone("streamlit.runtime.pages_manager:PagesManager.get_pages")],
    "fragment_runs": [unfield(CTX, "fragment_ids_this_run")],
    "rerun_request": [
        resigned("streamlit.runtime.scriptrunner_utils.script_requests:ScriptRequests.request_rerun", _lacks_names),
        unfield("streamlit.runtime.scriptrunner_utils.script_requests:RerunData", "context_info"),
    ],
    "run_end_hook": [gone(SAFE + ".on_script_finished"), resigned(SAFE + ".on_script_finished", _lacks_names)],
    "run_start_hook": [gone(CTX + ".reset")],
    "widget_id_of_key": [gone(STATE + ".get_widget_id_from_key"), unfield(STATE, "_key_id_mapper")],
    "widget_metadata": [gone(STATE + ".get_widget_metadata"), gone(STATE + "._get_widget_metadata")],
    "widgets_drawn": [unfield(CTX, "shared"), unfield(CTX, "widget_ids_this_run")],
    "range_check": [
        resigned("streamlit.elements.widgets.slider:SliderMixin._slider", _lacks_names),
        gone("streamlit.elements.widgets.number_input:NumberInputMixin._number_input"),
    ],
    "date_range_check": [
        resigned("streamlit.elements.widgets.time_widgets:TimeWidgetsMixin._date_input", _lacks_names),
        gone("streamlit.elements.widgets.time_widgets:TimeWidgetsMixin._datetime_input"),
    ],
    "rerun_mode": [rerun_default_gone("color_picker"), rerun_default_gone(*probes.INPUT_WIDGETS)],
    "bound_containers": [resigned("streamlit:tabs", _no_key), resigned("streamlit:expander", _lacks_names)],
    "options_list": [gone("streamlit.dataframe_util:convert_anything_to_list")],
    "event_slot": [
        gone("streamlit.cursor:RunningCursor.lock_element"),
        gone("streamlit.cursor:RunningCursor.get_locked_cursor"),
    ],
    "toast_delta": [
        gone("streamlit.runtime.forward_msg_queue:_is_toast_delta"),
        resigned("streamlit.runtime.forward_msg_queue:_is_toast_delta", lambda message: False),
    ],
    "element_capture": [gone("streamlit.components.v2.bidi_component.main:_make_trigger_id"), unfield(CTX, "_enqueue")],
    "element_resend": [
        gone("streamlit.runtime.scriptrunner:enqueue_message"),
        resigned("streamlit.delta_generator:DeltaGenerator._enqueue", lambda self, delta_type, element_proto: self),
        gone("streamlit.runtime.forward_msg_cache:populate_hash_if_needed"),
    ],
    "presenter": [
        unfield("streamlit.runtime.state.common:WidgetMetadata", "presenter"),
        gone("streamlit.runtime.state.session_state:WStates.set_widget_metadata"),
    ],
    "query_params_object": [unfield(STATE, "query_params")],
    "query_params_dict": [unfield(QP, "_query_params")],
    "query_param_bindings": [unfield(QP, "_bindings_by_param"), gone(QP + ".is_bound")],
    "page_info_message": [gone(CTX + ".enqueue")],
    "flush_notification": [gone("streamlit.runtime.app_session:AppSession.on_flushed_messages_sent"), unoption("runner.postScriptGC")],
    "session_manager": [
        gone("streamlit.runtime.session_manager:SessionManager.is_active_session"),
        uninit("streamlit.runtime.runtime:Runtime", "_session_mgr"),
    ],
    "xsrf_cookie": [
        resigned("streamlit.web.server.starlette.starlette_server_config:XSRF_COOKIE_NAME", "_xsrf"),
    ],
    "app_test_mode": [unoption("global.appTest")],
    "apptest_script_path": [unsourced("streamlit.testing.v1.app_test")],
}
"""How each internal can move (for a layout: newest first, as the probe looks for them)."""


def test_every_record_has_a_move() -> None:
    assert set(MOVES) == set(ENTRY)


@pytest.mark.parametrize("entry", entries())
def test_the_probe_notices_its_internal_gone_or_resigned(entry: Internal, monkeypatch: pytest.MonkeyPatch) -> None:
    """A present internal taken away: its probe says so. A layout's moves apply one after the other (the
    probe then finds the older layout, then none); a present/absent internal's moves each apply alone."""
    probe, before = probes.PROBES[entry.name], getattr(DETECTED, entry.name)
    assert probe() == before
    if not before:
        pytest.skip(f"{entry.name} is absent from Streamlit {streamlit.__version__}: nothing to take away")
    taken = 0
    if isinstance(before, str):
        with monkeypatch.context() as mp:
            answer = before
            for index, move in enumerate(MOVES[entry.name]):
                took = move(mp)
                taken += took
                if took and answer:
                    after = probe()
                    assert after != answer, f"{entry.name}: move {index} left its probe at {after!r}"
                    answer = after
            assert answer is None, f"{entry.name}: every layout taken away, the probe still finds {answer!r}"
    else:
        for index, move in enumerate(MOVES[entry.name]):
            with monkeypatch.context() as mp:
                took = move(mp)
                taken += took
                after = probe()
            assert after is False or not took, f"{entry.name}: move {index} left its probe at {after!r}"
    assert taken, f"{entry.name}: no move found anything to take away on Streamlit {streamlit.__version__}"
    assert probe() == before, "the moves were undone"


def test_a_layout_moved_again_is_found_in_its_older_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Layouts named by the probes: the newest, then the one before (what Streamlit 1.55-1.66 have), then none."""
    gone(STATE + ".get_widget_id_from_key")(monkeypatch)
    assert probes.probe_widget_id_of_key() == "mapper"
    unfield(STATE, "_key_id_mapper")(monkeypatch)
    assert probes.probe_widget_id_of_key() is None
    gone(STATE + ".get_widget_metadata")(monkeypatch)
    assert probes.probe_widget_metadata() == "private"
    gone(STATE + "._get_widget_metadata")(monkeypatch)
    assert probes.probe_widget_metadata() is None
    unfield(QP, "_bindings_by_param")(monkeypatch)
    assert probes.probe_query_param_bindings() == "method"
    gone(QP + ".is_bound")(monkeypatch)
    assert probes.probe_query_param_bindings() is None
    gone("streamlit.cursor:RunningCursor.lock_element")(monkeypatch)
    monkeypatch.setattr(find("streamlit.cursor:RunningCursor"), "get_locked_cursor", lambda self, **props: None, raising=False)
    assert probes.probe_event_slot() == "get_locked_cursor"


def test_the_widget_ids_on_the_context_are_found_as_older_releases_keep_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before 1.59: ``ctx.widget_ids_this_run``, a locking set (1.58) or a plain set (1.55-1.57)."""
    class LockingSet:
        def snapshot(self) -> frozenset[str]:
            return frozenset()

    context = find(CTX)
    fields = dict(context.__dataclass_fields__)
    fields.pop("shared", None)
    for factory, layout in ((LockingSet, "context"), (set, "context_set")):
        extra: Any = dataclasses.field(default_factory=factory)
        extra.name, extra._field_type = "widget_ids_this_run", dataclasses._FIELD  # type: ignore[attr-defined]
        monkeypatch.setattr(context, "__dataclass_fields__", {**fields, "widget_ids_this_run": extra})
        assert probes.probe_widgets_drawn() == layout


# ------------------------------------------------------------------ the probing helpers can say no
def test_the_helpers_answer_no_rather_than_raise() -> None:
    @dataclasses.dataclass
    class Record:
        a: int = 0

    class Plain:
        __slots__ = ("x",)

        def __init__(self) -> None:
            self.x = 1

    assert find("no.such.module:X") is None and find("streamlit:NoSuchName") is None
    assert find("streamlit.runtime.scriptrunner:get_script_run_ctx") is not None
    assert not takes(None, "a") and not takes(lambda b: b, "a") and takes(lambda a, b: a, "a")
    assert takes(lambda **kwargs: kwargs, "anything"), "a function taking **kwargs takes every keyword"
    assert has_fields(Record, "a") and not has_fields(Record, "b") and not has_fields(Plain, "x")
    assert sets_in_init(Plain, "x") and not sets_in_init(Plain, "y") and not sets_in_init(None, "x")
    assert takes_attributes(Record) and not takes_attributes(Plain)
    assert inspect.signature(Record)  # a dataclass is callable with its fields


# ------------------------------------------------------------------ a missing internal is said once, required ones refuse
def test_a_missing_internal_is_logged_once_at_the_level_its_history_gives(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(capabilities, "_logged", set())
    caplog.set_level(logging.DEBUG, logger="st_page_state")
    old = dataclasses.replace(DETECTED, toast_delta=False, streamlit_version="1.60.0")  # absent before 1.62
    capabilities.report_missing(old)
    capabilities.report_missing(old)
    lines = [(r.levelno, r.getMessage()) for r in caplog.records if "toast_delta" in r.getMessage()]
    assert len(lines) == 1 and lines[0][0] == logging.DEBUG, "expected on that release: said once, quietly"
    assert "_is_toast_delta" in lines[0][1] and ENTRY["toast_delta"].fallback in lines[0][1]
    moved = dataclasses.replace(DETECTED, range_check=False)  # in every release checked: Streamlit moved it
    capabilities.report_missing(moved)
    assert [r.levelno for r in caplog.records if "range_check" in r.getMessage()] == [logging.WARNING]


def test_a_required_internal_missing_refuses_the_import_naming_it() -> None:
    with pytest.raises(ImportError, match="run_context"):
        capabilities.require(dataclasses.replace(DETECTED, run_context=False))
    with pytest.raises(ImportError, match="run_cursors.*run_start_hook"):
        capabilities.require(dataclasses.replace(DETECTED, run_cursors=False, run_start_hook=False))
    capabilities.require(dataclasses.replace(DETECTED, run_cursors=False))  # the run-start hook renews a marker


def test_forcing_an_answer_reaches_every_module_and_is_undone() -> None:
    from st_page_state._streamlit import elements, run

    with capabilities.forced(toast_delta=False, run_cursors=False) as forced:
        assert capabilities.CURRENT is forced and elements._caps is forced and run._CURSORS is False
    assert capabilities.CURRENT is DETECTED and elements._caps is DETECTED and run._CURSORS is True
