"""Persistence through AppTest: a reload is a new AppTest for the same tab identity.

Every test runs with a fresh ``MemoryStore`` (``testing.configured``), so no
state leaks between tests through the process-wide default store.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

import st_page_state
from st_page_state import StateConfigError, testing
from st_page_state.session import saving
from st_page_state.stores import MemoryStore, StoreError
from st_page_state.stores import guard as guard_module
from st_page_state.testing import toast_texts
from tests.conftest import AppFactory, query

APP = """
import streamlit as st
from st_page_state import PageState, StateVar

class Filters(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    notes: str = StateVar(default="", url_key=None)
    draft: str = StateVar(default="", url_key=None, persist=False)

class Scratch(PageState):
    class Config:
        persist = False
    count: int = StateVar(default=0, url_key=None)

st.selectbox("Status", ["pending", "active", "done"], **Filters.bind("status"))
st.text_input("Notes", **Filters.bind("notes"))
if st.button("next page"):
    Filters.page += 1
if st.button("draft"):
    Filters.draft = "typed"
if st.button("count"):
    Scratch.count += 1
st.markdown(
    f"status={Filters.status} page={Filters.page} notes={Filters.notes} "
    f"draft={Filters.draft} count={Scratch.count}"
)
"""

LOGIN = """
import streamlit as st
import st_page_state

st_page_state.configure(
    identity=lambda: st.user.get("email") if st.user.get("is_logged_in") else None
)
""" + APP


@pytest.fixture
def store() -> Iterator[MemoryStore]:
    fresh = MemoryStore()
    with testing.configured(store=fresh, identity="tab"):
        yield fresh


def shown(at: AppTest) -> str:
    assert not at.exception, at.exception
    return str(at.markdown[-1].value)


def work(at: AppTest) -> AppTest:
    """status=active, page 3, notes and a session-only draft: the tab's work."""
    at.selectbox[0].select("active").run()
    at.text_input[0].input("remember me").run()
    at.button[0].click().run()
    at.button[0].click().run()
    at.button[1].click().run()
    at.button[2].click().run()
    assert shown(at) == "status=active page=3 notes=remember me draft=typed count=1"
    return at


def test_reload_of_the_same_tab_restores_its_state(make_app: AppFactory, store: MemoryStore) -> None:
    at = work(testing.set_tab_id(make_app(APP), "tab-1").run())
    again = testing.reload(at).run()
    # URL params and the session-only `notes` come back; `draft` (persist=False)
    # and the class with Config.persist=False start over.
    assert shown(again) == "status=active page=3 notes=remember me draft= count=0"
    assert query(again)["status"] == ["active"] and query(again)["page"] == ["3"]
    assert again.selectbox[0].value == "active"
    assert again.text_input[0].value == "remember me"


def test_url_wins_and_deleted_params_come_back_in_the_url(make_app: AppFactory, store: MemoryStore) -> None:
    at = work(testing.set_tab_id(make_app(APP), "tab-1").run())
    again = testing.reload(at, query={"status": "done"}).run()
    assert shown(again).startswith("status=done page=3 notes=remember me")
    assert query(again) == {"status": ["done"], "page": ["3"]}
    assert again.selectbox[0].value == "done"


def test_an_invalid_url_param_falls_back_to_the_stored_value(make_app: AppFactory, store: MemoryStore) -> None:
    at = work(testing.set_tab_id(make_app(APP), "tab-1").run())
    again = testing.reload(at, query={"page": "seven"}).run()
    assert shown(again).startswith("status=active page=3 ")
    assert query(again)["page"] == ["3"]


def test_a_new_tab_starts_from_the_url_and_the_defaults(make_app: AppFactory, store: MemoryStore) -> None:
    at = work(testing.set_tab_id(make_app(APP), "tab-1").run())
    shared_link = dict(at.query_params)
    other = testing.set_tab_id(make_app(APP, query=shared_link), "tab-2").run()
    assert shown(other) == "status=active page=3 notes= draft= count=0"
    blank = testing.set_tab_id(make_app(APP), "tab-3").run()
    assert shown(blank) == "status=pending page=1 notes= draft= count=0"


def test_a_late_tab_handshake_completes_the_state_and_keeps_deep_links(
    make_app: AppFactory, store: MemoryStore
) -> None:
    """The bridge reports the tab after the app already ran (as on a server without the deferral)."""
    source = APP.replace('url_key=None)\n\nst.selectbox', 'url_key="n")\n\nst.selectbox')
    work(testing.set_tab_id(make_app(source), "tab-1").run())
    late = make_app(source, query={"status": "done", "n": "5"}).run()
    assert shown(late) == "status=done page=1 notes= draft= count=5"
    testing.set_tab_id(late, "tab-1")
    late.run()
    # The deep link's status and the non-persisted class's URL value stay;
    # the session-only notes come back from the store.
    assert shown(late) == "status=done page=1 notes=remember me draft= count=5"
    assert late.text_input[0].value == "remember me"


def test_without_a_tab_identity_nothing_is_stored(make_app: AppFactory, store: MemoryStore) -> None:
    work(make_app(APP).run())
    assert len(store) == 0


def test_later_changes_overwrite_the_stored_state(make_app: AppFactory, store: MemoryStore) -> None:
    at = work(testing.set_tab_id(make_app(APP), "tab-1").run())
    second = testing.reload(at).run()
    second.selectbox[0].select("done").run()
    second.text_input[0].input("").run()
    third = testing.reload(second, query={}).run()
    assert shown(third) == "status=done page=3 notes= draft= count=0"


def test_unchanged_state_is_not_rewritten(make_app: AppFactory) -> None:
    class CountingStore(MemoryStore):
        writes = 0

        def set(self, *args: object, **kwargs: object) -> None:
            type(self).writes += 1
            super().set(*args, **kwargs)  # type: ignore[arg-type]

    counting = CountingStore()
    with testing.configured(store=counting):
        at = testing.set_tab_id(make_app(APP), "tab-1").run()
        at.run().run()
        assert CountingStore.writes == 0  # a visitor who changes nothing costs no write
        at.selectbox[0].select("active").run()
        at.run().run()
        assert CountingStore.writes == 1


def test_identity_switch_loads_that_identitys_state_and_hides_the_previous(
    make_app: AppFactory, store: MemoryStore
) -> None:
    at = testing.set_tab_id(make_app(LOGIN), "tab-1")
    if not hasattr(at, "user"):
        pytest.skip("AppTest.user (a simulated login) arrived in Streamlit 1.67")
    at.run()
    at.selectbox[0].select("active").run()
    at.text_input[0].input("anonymous notes").run()

    at.user = {"email": "alice@example.com", "is_logged_in": True}
    at.run()
    assert shown(at) == "status=pending page=1 notes= draft= count=0"
    assert query(at)["status"] == ["pending"]
    assert at.selectbox[0].value == "pending"
    at.selectbox[0].select("done").run()
    at.text_input[0].input("alice's notes").run()

    at.user = {"email": "bob@example.com", "is_logged_in": True}
    at.run()
    assert shown(at) == "status=pending page=1 notes= draft= count=0"

    at.user = {"is_logged_in": False}
    at.run()
    assert shown(at) == "status=active page=1 notes=anonymous notes draft= count=0"

    # Alice on another tab (and the first run already knows her: no handshake needed).
    elsewhere = make_app(LOGIN)
    elsewhere.user = {"email": "alice@example.com", "is_logged_in": True}
    elsewhere.run()
    assert shown(elsewhere) == "status=done page=1 notes=alice's notes draft= count=0"
    assert query(elsewhere)["status"] == ["done"]


def test_a_stored_value_that_no_longer_validates_is_dropped_with_a_warning(
    make_app: AppFactory, store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    at = work(testing.set_tab_id(make_app(APP), "tab-1").run())
    runtime = testing.runtime_of(at)
    assert runtime is not None
    namespace = next(ns for ns in runtime.values if ns.endswith(":Filters"))
    document = store.get("tab:tab-1", namespace)
    assert document is not None
    document["values"]["page"] = "three"  # the field became an int in a new deployment
    store.set("tab:tab-1", namespace, document)

    with caplog.at_level(logging.WARNING, logger="st_page_state"):
        again = testing.reload(at, query={}).run()
    assert shown(again) == "status=active page=1 notes=remember me draft= count=0"
    warnings = [r.getMessage() for r in caplog.records if "Filters.page" in r.getMessage()]
    assert len(warnings) == 1 and "dropped" in warnings[0]
    assert any("Filters.page" in t for t in testing.toast_texts(again))
    # The cleaned document is written back, so the next reload is quiet.
    assert store.get("tab:tab-1", namespace)["values"]["page"] == 1  # type: ignore[index]


def test_config_ttl_expires_the_stored_state(make_app: AppFactory) -> None:
    now = [1000.0]
    clocked = MemoryStore(clock=lambda: now[0])
    with_ttl = "class Filters(PageState):\n    class Config:\n        ttl = 60\n"
    source = APP.replace("class Filters(PageState):\n", with_ttl)
    with testing.configured(store=clocked):
        at = work(testing.set_tab_id(make_app(source), "tab-1").run())
        now[0] += 59
        assert shown(testing.reload(at, query={}).run()).startswith("status=active page=3 notes=remember me")
        now[0] += 61
        assert shown(testing.reload(at, query={}).run()).startswith("status=pending page=1 notes= ")


class FlakyStore(MemoryStore):
    """A memory store that can be switched off, like a Redis that went down."""

    down = False

    def get(self, identity: str, namespace: str) -> dict[str, object] | None:
        if self.down:
            raise StoreError("connection refused")
        return super().get(identity, namespace)

    def set(self, identity: str, namespace: str, document: dict[str, object], ttl: float | None = None) -> None:
        if self.down:
            raise StoreError("connection refused")
        super().set(identity, namespace, document, ttl)

    def get_raw(self, identity: str, namespace: str = "app.py:Filters") -> dict[str, object]:
        """The stored document, down or not (what the backend holds)."""
        document = super().get(identity, namespace)
        assert document is not None
        return document


def test_a_failing_store_degrades_to_session_state_with_one_warning(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard_module, "RETRY_SECONDS", 0.0)
    flaky = FlakyStore()
    with testing.configured(store=flaky), caplog.at_level(logging.WARNING, logger="st_page_state"):
        at = testing.set_tab_id(make_app(APP), "tab-1").run()
        flaky.down = True
        at.selectbox[0].select("active").run()
        at.button[0].click().run()
        at.button[0].click().run()
        assert shown(at).startswith("status=active page=3 ")  # the app keeps working
        # A reload that reaches this process finds the change the store has not got yet.
        assert shown(testing.reload(at, query={}).run()).startswith("status=active page=3 ")
        failures = [r for r in caplog.records if "state store" in r.getMessage()]
        assert len(failures) == 1, [r.getMessage() for r in failures]

        flaky.down = False  # the writes land by themselves, with no run
        assert testing.wait_for_store()
        assert flaky.get("tab:tab-1", "app.py:Filters")["values"]["page"] == 3  # type: ignore[index]
        assert len([r for r in caplog.records if "state store" in r.getMessage()]) == 1


def test_a_failed_read_never_writes_defaults_over_the_stored_state(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported case: the store was slow as the page loaded, and the next change wrote the defaults over it."""
    monkeypatch.setattr(guard_module, "RETRY_SECONDS", 0.0)
    flaky = FlakyStore()
    with testing.configured(store=flaky):
        at = testing.set_tab_id(make_app(APP), "tab-1").run()
        at.selectbox[0].select("active").run()
        at.text_input[0].input("keep me").run()
        flaky.down = True
        down_reload = testing.reload(at, query={}).run()  # the read fails: the URL and the defaults
        assert shown(down_reload).startswith("status=pending page=1 notes= ")
        down_reload.button[0].click().run()  # a change while the stored state is unknown is not saved
        assert flaky.get_raw("tab:tab-1")["values"] == {"status": "active", "page": 1, "notes": "keep me"}
        assert toast_texts(down_reload) == []  # under a second: nothing to say yet

        flaky.down = False
        assert testing.wait_for_store()  # the read is tried again in the background, and arrives
        down_reload.run()  # the page's next run (the bridge's, in a browser) takes it
        # What the store held comes back; the change made meanwhile is newer and stays.
        assert shown(down_reload).startswith("status=active page=2 notes=keep me ")
        assert down_reload.query_params["status"] == "active"
        assert flaky.get_raw("tab:tab-1")["values"] == {"status": "active", "page": 2, "notes": "keep me"}


def test_a_read_that_stays_missing_is_told_and_the_end_of_the_wait_too(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard_module, "RETRY_SECONDS", 0.0)
    monkeypatch.setattr(saving, "NOTICE_AFTER", 0.0)
    flaky = FlakyStore()
    with testing.configured(store=flaky):
        at = testing.set_tab_id(make_app(APP), "tab-1").run()
        at.text_input[0].input("keep me").run()
        flaky.down = True
        down_reload = testing.reload(at, query={}).run()
        assert toast_texts(down_reload) == [saving.WAITING["restore"]]
        down_reload.run()
        assert toast_texts(down_reload) == [saving.WAITING["restore"]]  # one toast, sent again while it lasts
        flaky.down = False
        assert testing.wait_for_store()
        down_reload.run()
        assert toast_texts(down_reload) == [saving.DONE["restore"]]
        assert shown(down_reload).startswith("status=pending page=1 notes=keep me ")
        down_reload.run()
        assert toast_texts(down_reload) == []


def test_store_false_turns_persistence_off(make_app: AppFactory) -> None:
    with testing.configured(store=False):
        at = work(testing.set_tab_id(make_app(APP), "tab-1").run())
        assert shown(testing.reload(at, query={}).run()).startswith("status=pending page=1 notes= ")


def test_a_wrong_setting_is_a_clear_error_when_configure_is_called(make_app: AppFactory) -> None:
    with pytest.raises(StateConfigError, match=r"configure\(store=\.\.\.\) takes a st_page_state.stores.Store"):
        st_page_state.configure(store="redis://localhost")  # type: ignore[arg-type]
    with pytest.raises(StateConfigError, match=r"configure\(identity=\.\.\.\) takes 'tab' or a callable"):
        st_page_state.configure(identity="user")  # type: ignore[arg-type]
    with pytest.raises(StateConfigError, match=r"configure\(toasts=\.\.\.\) takes True or False"):
        st_page_state.configure(toasts="no")  # type: ignore[arg-type]
    at = make_app("import st_page_state\nst_page_state.configure(store='state.db')\n").run()
    assert at.exception and "configure(store=...)" in at.exception[0].value


def test_testing_helpers(make_app: AppFactory, store: MemoryStore) -> None:
    at = make_app(APP)
    assert testing.tab_id(at) is None
    testing.set_tab_id(at, "tab-9")
    assert testing.tab_id(at) == "tab-9"
    at.run()
    assert testing.tab_id(testing.reload(at)) == "tab-9"
    with pytest.raises(ValueError):
        testing.set_tab_id(at, "")


TYPES_APP = """
import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Annotated, Literal, Optional

import pydantic
import streamlit as st
from st_page_state import PageState, StateVar

class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"

class Point(pydantic.BaseModel):
    x: int
    y: int

class Everything(PageState):
    text: str = StateVar(default="", url_key="text")
    number: int = StateVar(default=0, url_key=None)
    ratio: float = StateVar(default=0.0, url_key=None)
    flag: bool = StateVar(default=False, url_key=None)
    price: Decimal = StateVar(default=Decimal("0"), url_key=None)
    ident: uuid.UUID = StateVar(default=uuid.UUID(int=0), url_key=None)
    day: dt.date = StateVar(default=dt.date(2000, 1, 1), url_key=None)
    moment: dt.datetime = StateVar(default=dt.datetime(2000, 1, 1), url_key=None)
    clock: dt.time = StateVar(default=dt.time(0, 0), url_key=None)
    color: Color = StateVar(default=Color.RED, url_key=None)
    size: Literal["s", "m", "l"] = StateVar(default="s", url_key=None)
    maybe: Optional[int] = StateVar(default=None, url_key=None)
    numbers: list[int] = StateVar(default_factory=list, url_key=None)
    tags: set[str] = StateVar(default_factory=set, url_key=None)
    pair: tuple[int, ...] = StateVar(default=(), url_key=None)
    counts: dict[str, int] = StateVar(default_factory=dict, url_key=None)
    point: Point = StateVar(default=Point(x=0, y=0), url_key=None)
    score: Annotated[int, pydantic.Field(ge=0, le=10)] = StateVar(default=0, url_key=None)

def fill():
    Everything.load({
        "text": "héllo & 🌍", "number": -7, "ratio": 0.125, "flag": True, "price": Decimal("12.50"),
        "ident": uuid.UUID(int=42), "day": dt.date(2024, 2, 29),
        "moment": dt.datetime(2024, 2, 29, 13, 45, 1, tzinfo=dt.timezone.utc),
        "clock": dt.time(23, 59, 58), "color": Color.BLUE, "size": "l", "maybe": 5,
        "numbers": [3, 1, 2], "tags": {"b", "a"}, "pair": (1, 2, 3), "counts": {"a": 1},
        "point": Point(x=1, y=-1), "score": 10,
    })

st.button("fill", on_click=fill)
st.session_state["dump"] = {
    name: f.adapter.dump_python(value, mode="json", warnings=False)
    for (name, value), f in zip(Everything.dump().items(), Everything.__state_schema__.fields.values())
}
st.session_state["types"] = {name: type(value).__name__ for name, value in Everything.dump().items()}
"""


def test_every_field_type_round_trips_through_the_store(make_app: AppFactory, store: MemoryStore) -> None:
    at = testing.set_tab_id(make_app(TYPES_APP), "tab-1").run()
    defaults = at.session_state["dump"]
    at.button[0].click().run()
    filled = at.session_state["dump"]
    assert all(filled[name] != defaults[name] for name in defaults)
    again = testing.reload(at, query={}).run()
    assert not again.exception
    restored = dict(again.session_state["dump"])
    # A set dumps to a list in its iteration order, which hangs on how the set was built: compare as sets.
    assert set(restored.pop("tags")) == set(filled["tags"]) == {"a", "b"}
    assert restored == {name: value for name, value in filled.items() if name != "tags"}
    assert again.session_state["types"] == at.session_state["types"]
    assert again.session_state["types"]["tags"] == "set" and again.session_state["types"]["color"] == "Color"


def test_a_value_json_cannot_hold_stays_in_the_session_with_one_warning(
    make_app: AppFactory, store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    app = """
import streamlit as st
from st_page_state import PageState, StateVar

class Measure(PageState):
    value: float = StateVar(default=0.0, url_key=None)

if st.button("nan"):
    Measure.value = float("nan")
st.markdown(f"value={Measure.value}")
"""
    with caplog.at_level(logging.WARNING, logger="st_page_state"):
        at = testing.set_tab_id(make_app(app), "tab-1").run()
        at.button[0].click().run()
        at.run().run()
    assert shown(at) == "value=nan"
    assert len([r for r in caplog.records if "not saved" in r.getMessage()]) == 1
