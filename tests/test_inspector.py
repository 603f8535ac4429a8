"""The inspector panel (``st_page_state.inspector()``) through AppTest, and the origin trail behind it.

The panel is read the way a person reads it: the text of its elements.
Each origin kind (default, URL, store, widget, code) is produced the way an
app produces it; the panel sits either at the top of the script (a sidebar
drawn first) or at its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from st_page_state import testing, trace
from st_page_state.stores import MemoryStore, StoreError
from st_page_state.stores import guard as guard_module
from tests.conftest import AppFactory, query, url_writes

HEADER = """
import streamlit as st
import st_page_state
from st_page_state import PageState, StateVar
"""

PANEL = """
with st.sidebar:
    st_page_state.inspector(expanded=True)
"""

BODY = """
class Filters(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    q: str = StateVar(default="", url_key="q")
    notes: str = StateVar(default="", url_key=None)
    draft: str = StateVar(default="", url_key=None, persist=False)

st.selectbox("Status", ["pending", "active", "done"], **Filters.bind("status"))
st.text_input("Notes", **Filters.bind("notes"))
if st.button("next page"):
    Filters.page += 1
if st.button("reset page"):
    Filters.reset("page")
st.markdown(f"page={Filters.page}")
"""

PLACES = {"top": HEADER + PANEL + BODY, "end": HEADER + BODY + PANEL}
APP = PLACES["end"]
WITHOUT_PANEL = HEADER + BODY


@dataclass
class Panel:
    """What the panel shows, as text."""

    lines: list[str]
    states: dict[str, dict[str, dict[str, str]]]
    """Class name -> field -> its row."""
    writes: list[dict[str, str]]
    rejected: list[dict[str, str]]
    markdown: list[str]
    texts: list[str]


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def panel(at: AppTest) -> Panel:
    assert not at.exception, at.exception
    box = at.sidebar.expander[0]
    assert box.label == "st-page-state inspector"
    markdown = [str(m.value) for m in box.markdown]
    texts = [str(t.value) for t in box.text]
    headings = [unescape(m).strip("*") for m in markdown]
    frames = [d.value.astype(str).to_dict("records") for d in box.dataframe]
    states = [f for f in frames if f and "field" in f[0]]
    names = [h.split(" (")[0] for h in headings if h not in ("Last URL writes", "Refused URL params")]
    assert len(names) == len(states)
    return Panel(
        lines=texts[0].splitlines(),
        states={name: {row["field"]: row for row in rows} for name, rows in zip(names, states, strict=True)},
        writes=next((f for f in frames if f and "revision" in f[0]), []),
        rejected=next((f for f in frames if f and "reason" in f[0]), []),
        markdown=markdown,
        texts=texts,
    )


def origins(at: AppTest) -> dict[str, str]:
    return {name: row["from"] for name, row in panel(at).states["Filters"].items()}


def line(at: AppTest, prefix: str) -> str:
    return next(text for text in panel(at).lines if text.startswith(prefix))


@pytest.fixture
def store() -> Iterator[MemoryStore]:
    fresh = MemoryStore()
    with testing.configured(store=fresh, identity="tab"):
        yield fresh


class FlakyStore(MemoryStore):
    down = False

    def get(self, identity: str, namespace: str) -> dict[str, object] | None:
        if self.down:
            raise StoreError("connection refused")
        return super().get(identity, namespace)

    def set(self, identity: str, namespace: str, document: dict[str, object], ttl: float | None = None) -> None:
        if self.down:
            raise StoreError("connection refused")
        super().set(identity, namespace, document, ttl)


# ------------------------------------------------------------------- states
def test_before_any_state_is_used_the_panel_says_so_and_creates_nothing(make_app: AppFactory) -> None:
    at = make_app(HEADER + PANEL + "st.write('no state here')\n").run()
    shown = panel(at)
    assert "No state used yet." in shown.texts
    assert shown.states == {} and shown.writes == [] and shown.rejected == []
    assert testing.runtime_of(at) is None
    assert dict(at.query_params) == {}


@pytest.mark.parametrize("place", PLACES)
def test_the_panel_lists_each_field_with_its_value_param_and_persistence(
    make_app: AppFactory, store: MemoryStore, place: str
) -> None:
    at = make_app(PLACES[place]).run()
    rows = panel(at).states["Filters"]
    assert list(rows) == ["status", "page", "q", "notes", "draft"]
    assert rows["status"] == {
        "field": "status",
        "value": "'pending'",
        "URL param": "status",
        "from": "default",
        "persists": "yes",
    }
    assert rows["page"]["value"] == "1"
    assert rows["notes"]["URL param"] == "— (session only)"
    assert rows["draft"]["persists"] == "no"


@pytest.mark.parametrize("place", PLACES)
def test_origins_default_url_widget_code(make_app: AppFactory, store: MemoryStore, place: str) -> None:
    at = make_app(PLACES[place], query={"status": "active"}).run()
    assert origins(at) == {"status": "URL", "page": "default", "q": "default", "notes": "default", "draft": "default"}
    at.text_input[0].input("typed").run()
    assert origins(at)["notes"] == "widget"
    at.button[0].click().run()
    assert origins(at)["page"] == "code"
    assert panel(at).states["Filters"]["page"]["value"] == "2"  # the run's final value, wherever the panel sits
    at.selectbox[0].select("done").run()
    assert origins(at)["status"] == "widget"
    at.button[1].click().run()  # reset("page")
    assert origins(at)["page"] == "default"
    assert panel(at).states["Filters"]["page"]["value"] == "1"


def test_an_edited_url_param_is_from_the_url(make_app: AppFactory, store: MemoryStore) -> None:
    at = make_app(APP).run()
    at.button[0].click().run()
    assert origins(at)["page"] == "code"
    at.query_params["page"] = "7"
    at.run()
    assert origins(at)["page"] == "URL"
    assert panel(at).states["Filters"]["page"]["value"] == "7"


def test_after_a_reload_values_come_from_the_store(make_app: AppFactory, store: MemoryStore) -> None:
    at = testing.set_tab_id(make_app(APP), "tab-1").run()
    at.text_input[0].input("remember me").run()
    at.button[0].click().run()
    at.selectbox[0].select("active").run()
    again = testing.reload(at, query={}).run()  # every param deleted: all of it comes back from the store
    assert origins(again) == {
        "status": "store",
        "page": "store",
        "q": "default",
        "notes": "store",
        "draft": "default",
    }
    assert panel(again).states["Filters"]["notes"]["value"] == "'remember me'"
    same_url = testing.reload(at, query={"page": "5"}).run()  # the URL wins over the store
    assert origins(same_url)["page"] == "URL" and origins(same_url)["notes"] == "store"


# ------------------------------------------------------- identity and store
def test_identity_shows_the_tab_and_its_source(make_app: AppFactory, store: MemoryStore) -> None:
    at = testing.set_tab_id(make_app(APP), "0123456789abcdef").run()
    assert line(at, "identity:") == "identity: tab 01234567… (test: testing.set_tab_id)"
    assert "healthy since" in line(at, "store:") and "MemoryStore" in line(at, "store:")


def test_identity_from_the_identity_callable(make_app: AppFactory) -> None:
    with testing.configured(store=MemoryStore(), identity=lambda: "ada@example.com"):
        at = testing.set_tab_id(make_app(APP), "tab-9").run()
        assert line(at, "identity:") == "identity: user:ada@example.com (identity callable)"
        assert line(at, "tab:") == "tab: tab tab-9 (test: testing.set_tab_id)"


def test_a_failing_store_shows_since_when_and_its_last_error(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard_module, "RETRY_SECONDS", 0.0)
    flaky = FlakyStore()
    with testing.configured(store=flaky, identity="tab"):
        at = testing.set_tab_id(make_app(APP), "tab-1").run()
        assert "healthy since" in line(at, "store:")
        flaky.down = True
        at.button[0].click().run()
        store_line = line(at, "store:")
        assert re.search(r"FAILING since \d\d:\d\d:\d\d \(\d+ failed calls\)", store_line), store_line
        assert store_line.endswith("last error: StoreError: connection refused")
        assert panel(at).states["Filters"]["page"]["value"] == "2"  # the app keeps working
        flaky.down = False
        assert testing.wait_for_store()  # the failed write is retried in the background
        at.run()
        assert "healthy since" in line(at, "store:")


def test_with_persistence_off(make_app: AppFactory) -> None:
    with testing.configured(store=False):
        at = testing.set_tab_id(make_app(APP), "tab-1").run()
        at.button[0].click().run()
        shown = panel(at)
        assert {row["persists"] for row in shown.states["Filters"].values()} == {"no (persistence off)"}
        assert line(at, "store:").startswith("store: none (configure(store=False))")
        assert origins(at)["page"] == "code"


# --------------------------------------------------- URL writes, rejections
def test_last_url_writes_with_revision_and_changed_params(make_app: AppFactory, store: MemoryStore) -> None:
    at = make_app(APP).run()
    at.button[0].click().run()
    at.selectbox[0].select("done").run()
    writes = panel(at).writes
    assert [w["revision"] for w in writes] == ["3", "2", "1"]  # newest first
    assert writes[0]["changed"] == "status" and writes[0]["query"] == "status=done&page=2&q="
    assert writes[1]["changed"] == "page"
    assert line(at, "URL:") == "URL: revision 3, 3 writes"


def test_refused_params_are_listed_with_the_reason(make_app: AppFactory, store: MemoryStore) -> None:
    at = make_app(APP, query={"page": "seven"}).run()
    (row,) = panel(at).rejected
    assert row["param"] == "page" and row["value"] == "'seven'" and row["state"] == "Filters"
    assert "valid integer" in row["reason"]
    assert query(at)["page"] == ["1"]


def test_histories_stay_bounded(make_app: AppFactory, store: MemoryStore) -> None:
    at = make_app(APP).run()
    for n in range(trace.KEPT + 4):
        at.query_params["page"] = f"bad{n}"
        at.run()
        at.button[0].click().run()
    rt = testing.runtime_of(at)
    assert rt is not None and rt.writes > trace.KEPT
    assert len(rt.url_writes) == trace.KEPT and len(rt.rejected) == trace.KEPT
    shown = panel(at)
    assert len(shown.writes) == trace.KEPT and len(shown.rejected) == trace.KEPT
    assert shown.rejected[0]["value"] == f"'bad{trace.KEPT + 3}'"


# -------------------------------------------------------------- outside text
HOSTILE = (
    "[Session expired, log in](https://evil.example/login)"
    "![x](http://attacker.example/pixel.png)"
    "<img src=x onerror=alert(1)><b>bold</b>"
)


def test_hostile_url_text_is_shown_only_as_cut_text(make_app: AppFactory, store: MemoryStore) -> None:
    long = HOSTILE + "A" * 8000
    at = make_app(APP, query={"q": long, "page": long}).run()
    shown = panel(at)
    q = shown.states["Filters"]["q"]
    assert q["from"] == "URL"  # under the 8 KiB limit: a valid str, adopted
    assert len(q["value"]) <= 80 and q["value"].endswith("…") and q["value"].startswith("'[Session expired")
    (rejected,) = shown.rejected
    assert len(rejected["value"]) <= 60 and rejected["value"].endswith("…")
    assert len(rejected["reason"]) <= 120
    # Markdown is only used for headings, escaped; text elements hold no outside text.
    for source in shown.markdown:
        assert "evil.example" not in source and "<img" not in source and "[Session" not in source
    for text in shown.texts:
        assert "evil" not in text
    for toast in at.toast:  # the warning quotes the value escaped and cut
        assert "](" not in str(toast.value) and len(str(toast.value)) < 1000


# ------------------------------------------------------------ side effects
def interact(at: AppTest) -> AppTest:
    at.run()
    at.selectbox[0].select("active").run()
    at.button[0].click().run()
    at.query_params["page"] = "nine"
    at.run()
    at.text_input[0].input("x").run()
    at.run()
    return at


@pytest.mark.parametrize("place", PLACES)
def test_the_panel_writes_no_url_and_changes_nothing(make_app: AppFactory, store: MemoryStore, place: str) -> None:
    plain = interact(make_app(WITHOUT_PANEL))
    inspected = interact(make_app(PLACES[place]))
    assert url_writes(inspected) == url_writes(plain) == 4  # the refused param is written back once
    assert query(inspected) == query(plain)
    plain_rt, inspected_rt = testing.runtime_of(plain), testing.runtime_of(inspected)
    assert plain_rt is not None and inspected_rt is not None
    assert inspected_rt.values == plain_rt.values
    assert inspected_rt.revision == plain_rt.revision
    assert [m.value for m in inspected.main.markdown] == [m.value for m in plain.main.markdown]


# ------------------------------------------------------------------ gallery
def test_the_gallery_shows_the_panel_in_its_sidebar_on_every_page() -> None:
    gallery = Path(__file__).resolve().parent.parent / "examples" / "gallery.py"
    at = AppTest.from_file(str(gallery), default_timeout=30).run()
    assert "No state used yet." in panel(at).texts  # the overview page uses no state
    at.switch_page("counter.py").run()
    at.button[1].click().run()  # +1
    count = panel(at).states["CounterState"]["count"]
    assert count["value"] == "1" and count["from"] == "code" and count["URL param"] == "count"
    at.switch_page("filters.py").run()
    assert {"CounterState"} < set(panel(at).states)  # every class the session used, this page's too


# ------------------------------------------------------------------- cost
def test_idle_runs_and_field_reads_record_nothing(
    make_app: AppFactory, store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trail is written when a value changes or the URL is written, never on a run that changes nothing."""
    from st_page_state.session import changes, run, store_io, url_write

    at = make_app(WITHOUT_PANEL + "for _ in range(100):\n    Filters.page, Filters.status\n").run()
    at.button[0].click().run()
    calls: list[str] = []
    # Each patched where it is looked up when called.
    for module, name in (
        (changes, "record_origin"),
        (url_write, "_record_url_write"),
        (run, "record_rejection"),
        (store_io, "restore_value"),
    ):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _n=name, _f=original: (calls.append(_n), _f(*a))[1])
    for _ in range(3):
        at.run()
    assert calls == []
    at.button[0].click().run()  # a change: recorded once, with its URL write
    assert calls == ["record_origin", "_record_url_write"]
