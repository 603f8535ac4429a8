"""Links in a running app: ``st.switch_page``/``st.page_link`` with ``query_params=State.link(...)``
land on a page whose states show those values; ``State.parse(st.query_params)`` reads what the page adopts.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from st_page_state import testing
from tests.conftest import AppFactory, query, texts

STATES = """
import datetime as dt
from st_page_state import PageState, StateVar

class Region(PageState):
    region: str = StateVar(default="EU", url_key="region")

class Target(PageState):
    n: int = StateVar(default=1, url_key="n")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    day: dt.date | None = StateVar(default=None, url_key="day")

class Cleared(PageState):
    q: str = StateVar(default="", url_key="q")

    class Config:
        clear_on_default = True
"""

APP = """
import streamlit as st
from link_states import Region

st.sidebar.radio("Region", ["EU", "US"], **Region.bind("region"))
st.navigation([st.Page("one.py"), st.Page("two.py")]).run()
"""

ONE = """
import datetime as dt
import streamlit as st
from link_states import Cleared, Region, Target

link = Region.link(region="US") | Target.link(n=5, tags=["a", "b"], day=dt.date(2024, 5, 1))
st.page_link("two.py", label="To two", query_params=link)
if st.button("go"):
    st.switch_page("two.py", query_params=link)
if st.button("go n=7"):
    st.switch_page("two.py", query_params=Target.link(n=7) | Cleared.link())
"""

TWO = """
import streamlit as st
from link_states import Cleared, Target

def change():
    Target.tags = ["z"]
    Target.day = None
    Cleared.q = "kept"

st.number_input("N", step=1, **Target.bind("n"))
st.text_input("Q", **Cleared.bind("q"))
st.markdown(f"two: {Target.dump()} q={Cleared.q!r}")
st.button("change", on_click=change)
if st.button("back"):
    st.switch_page("one.py")
"""

LANDED = "two: {'n': 5, 'tags': ['a', 'b'], 'day': datetime.date(2024, 5, 1)} q=''"
LINKED_QUERY = {"region": ["US"], "n": ["5"], "tag": ["a", "b"], "day": ["2024-05-01"]}


@pytest.fixture(autouse=True)
def fresh_states_module() -> Iterator[None]:
    """Every test writes its own ``link_states.py``: no test may import another's."""
    sys.modules.pop("link_states", None)
    yield
    sys.modules.pop("link_states", None)


def app(make_app: AppFactory) -> AppTest:
    at = make_app(APP, **{"link_states.py": STATES, "one.py": ONE, "two.py": TWO}).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_switch_page_with_a_link_lands_on_its_values(make_app: AppFactory) -> None:
    at = app(make_app)
    at.button[0].click().run()
    assert not at.exception
    assert texts(at) == [LANDED]
    assert at.number_input[0].value == 5, "the bound widget shows the linked value"
    assert at.sidebar.radio[0].value == "US", "a state used on every page takes its part of the link"
    assert query(at) == LINKED_QUERY
    assert testing.toast_texts(at) == []


def test_page_link_carries_the_link_and_following_it_lands_on_its_values(make_app: AppFactory) -> None:
    at = app(make_app)
    page_link = at.get("page_link")[0].proto
    assert parse_qs(page_link.query_string, keep_blank_values=True) == LINKED_QUERY
    # What the browser does on a click: open the page with the link's query string.
    at.switch_page("two.py")
    at.query_params.clear()
    for key, values in parse_qs(page_link.query_string, keep_blank_values=True).items():
        at.query_params[key] = values
    at.run()
    assert not at.exception
    assert texts(at) == [LANDED]
    assert at.sidebar.radio[0].value == "US"


def test_a_link_sets_the_fields_it_does_not_name_to_their_defaults(make_app: AppFactory) -> None:
    """The target state was used in this session with other values: the link still names a whole state."""
    at = app(make_app)
    at.button[0].click().run()
    at.button[0].click().run()  # change: tags, day and q move away from the link's values
    assert texts(at) == ["two: {'n': 5, 'tags': ['z'], 'day': None} q='kept'"]
    at.button[1].click().run()  # back to one
    at.button[1].click().run()  # go with Target.link(n=7) | Cleared.link()
    assert not at.exception
    assert texts(at)[0].startswith("two: {'n': 7, 'tags': [], 'day': None}"), texts(at)
    # clear_on_default leaves a default out of the link, as out of the URL; a missing param is restored,
    # not reset, so a page that already holds the state keeps its value (README, "Links and parsing").
    assert texts(at)[0].endswith("q='kept'")
    assert query(at)["q"] == ["kept"]


PARSER = """
import streamlit as st
from link_states import Target

parsed = Target.parse(st.query_params)
st.markdown(repr(dict(parsed)))
st.markdown(repr({name: r.reason for name, r in parsed.rejected.items()}))
st.markdown(repr(Target.dump()))
"""


def test_parse_reads_st_query_params_as_the_page_adopts_them(make_app: AppFactory) -> None:
    at = make_app(PARSER, query={"tag": ["x", "y"], "n": "nine", "day": "2024-02-29"}, **{"link_states.py": STATES})
    at.run()
    assert not at.exception
    parsed, rejected, dumped = texts(at)
    assert parsed == "{'n': 1, 'tags': ['x', 'y'], 'day': datetime.date(2024, 2, 29)}"
    assert parsed == dumped, "parse() gives what the state adopted from the same URL"
    assert rejected.startswith("{'n': 'Input should be a valid integer")
    toasts = testing.toast_texts(at)
    assert len(toasts) == 1 and "Input should be a valid integer" in toasts[0], "the engine refused it alike"


URL_AND_LINK = """
import streamlit as st
from st_page_state import LinkError, PageState, StateVar

class S(PageState):
    n: int = StateVar(default=1, url_key="n")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    note: str = StateVar(default="")

if st.button("change"):
    S.n = 4
st.markdown(S.url())
st.markdown(S.link().href())
st.markdown(S.url(tags=["a", "b"]))
try:
    S.url(note="x")
except LinkError as exc:
    st.markdown(f"refused: {exc}")
"""


def test_url_is_link_from_the_sessions_values(make_app: AppFactory) -> None:
    at = make_app(URL_AND_LINK).run()
    assert texts(at) == ["?n=1&tag=", "?n=1&tag=", "?n=1&tag=a&tag=b", texts(at)[3]]
    assert texts(at)[3].startswith("refused: S.note has no url_key")
    at.button[0].click().run()
    assert texts(at)[:3] == ["?n=4&tag=", "?n=1&tag=", "?n=4&tag=a&tag=b"], "url(): session; link(): defaults"
