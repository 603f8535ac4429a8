"""Bound widgets in multipage apps (``st.navigation`` and ``pages/``).

Each page's state owns its params; a page switch keeps every state in the
session; with ``url_selfish`` the URL shows the active page's params plus
the shared ones, and coming back restores the page's params and widgets.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import AppFactory, bridge_data, query, texts
from tests.test_widgets import key_of, stored

STATE = """
import streamlit as st
from st_page_state import PageState, StateVar
"""

NAV_APP = STATE + """
class Sidebar(PageState):
    region: str = StateVar(default="EU", url_key="region")

st.sidebar.radio("Region", ["EU", "US"], **Sidebar.bind("region"))
st.navigation([st.Page("one.py"), st.Page("two.py")]).run()
"""

PAGE_ONE = STATE + """
class PageFilter(PageState):
    q: str = StateVar(default="", url_key="q")

st.text_input("Search", **PageFilter.bind("q"))
st.markdown(f"one: q={PageFilter.q}")
"""

PAGE_TWO = STATE + """
class PageFilter(PageState):  # same class name as page one's: its own namespace
    n: int = StateVar(default=1, url_key="n")

st.number_input("N", step=1, **PageFilter.bind("n"))
st.markdown(f"two: n={PageFilter.n}")
"""


def nav_app(make_app: AppFactory) -> AppTest:
    return make_app(NAV_APP, **{"one.py": PAGE_ONE, "two.py": PAGE_TWO})


def test_navigation_pages_own_their_params_and_restore_them(make_app: AppFactory) -> None:
    at = nav_app(make_app).run()
    assert texts(at) == ["one: q="]
    at.text_input[0].input("shoes").run()
    at.sidebar.radio[0].set_value("US").run()
    assert query(at) == {"region": ["US"], "q": ["shoes"]}

    at.switch_page("two.py").run()
    assert not at.exception
    assert texts(at) == ["two: n=1"]
    assert query(at) == {"region": ["US"], "n": ["1"]}, "page one's param leaves with page one"
    assert stored(at, "q", "PageFilter", "one.py") == "shoes", "page one's state stays in the session"
    assert key_of("q", "PageFilter", "one.py") not in at.session_state, "Streamlit dropped the widget key"
    at.number_input[0].set_value(3).run()
    assert query(at) == {"region": ["US"], "n": ["3"]}

    at.switch_page("one.py").run()
    assert not at.exception
    assert at.text_input[0].value == "shoes"
    assert texts(at) == ["one: q=shoes"]
    assert query(at) == {"region": ["US"], "q": ["shoes"]}
    assert at.sidebar.radio[0].value == "US"

    at.switch_page("two.py").run()
    assert at.number_input[0].value == 3
    assert query(at) == {"region": ["US"], "n": ["3"]}


def test_deep_link_to_a_page_with_its_params(make_app: AppFactory) -> None:
    at = nav_app(make_app).run()
    at.switch_page("two.py")
    at.query_params["n"] = "5"
    at.query_params["region"] = "US"
    at.run()
    assert at.number_input[0].value == 5
    assert at.sidebar.radio[0].value == "US"
    assert query(at) == {"region": ["US"], "n": ["5"]}


def test_pages_directory_app(make_app: AppFactory) -> None:
    main = STATE + """
class Home(PageState):
    view: str = StateVar(default="chart", url_key="view")

st.segmented_control("View", ["chart", "table"], **Home.bind("view"))
st.markdown(f"home: view={Home.view}")
"""
    other = STATE + """
class Settings(PageState):
    dark: bool = StateVar(default=False, url_key="dark")

st.toggle("Dark", **Settings.bind("dark"))
st.markdown(f"settings: dark={Settings.dark}")
"""
    at = make_app(main, **{"pages/settings.py": other}).run()
    at.segmented_control[0].set_value("table").run()
    assert query(at) == {"view": ["table"]}

    at.switch_page("pages/settings.py").run()
    assert not at.exception
    assert query(at) == {"dark": ["false"]}
    at.toggle[0].set_value(True).run()
    assert query(at) == {"dark": ["true"]}

    at.switch_page("app.py").run()
    assert at.segmented_control[0].value == "table"
    assert texts(at) == ["home: view=table"]
    assert query(at) == {"view": ["table"]}
    at.switch_page("pages/settings.py").run()
    assert at.toggle[0].value is True


# --------------------------------------------------------- a page switch is not a link
SWITCH_APP = STATE + """
st.navigation([st.Page("filters.py"), st.Page("forms.py"), st.Page("shared.py"), st.Page("plain.py")]).run()
"""

FILTER_STATE = STATE + """
class Filters(PageState):
    category: str = StateVar(default="books", url_key="category")
    status: str = StateVar(default="all", url_key="status")
"""

FILTERS = """
import streamlit as st
from filter_state import Filters

st.markdown(f"filters: category={Filters.category} status={Filters.status}")
"""

FORMS = STATE + """
from typing import Literal

class Forms(PageState):  # another state that happens to use the param name "category"
    category: Literal["all", "games", "music"] = StateVar(default="all", url_key="category")
    q: str = StateVar(default="", url_key="q")

    class Config:
        url_selfish = False

st.markdown(f"forms: category={Forms.category}")
"""

SHARED = STATE + """
from filter_state import Filters

class Report(PageState):
    days: int = StateVar(default=7, url_key="days")

    class Config:
        share_url_with = [Filters]

st.markdown(f"report: days={Report.days}")
"""

PLAIN = """
import streamlit as st
st.markdown("a page without state")
"""


def switch_app(make_app: AppFactory) -> AppTest:
    pages = {"filter_state.py": FILTER_STATE, "filters.py": FILTERS, "forms.py": FORMS, "shared.py": SHARED, "plain.py": PLAIN}
    return make_app(SWITCH_APP, **pages)


def test_a_page_switch_is_not_a_link(make_app: AppFactory) -> None:
    """The previous page's params, carried over by the switch, are neither adopted nor kept (README, "Multipage apps")."""
    from st_page_state.testing import toast_texts

    at = switch_app(make_app).run()
    assert texts(at) == ["filters: category=books status=all"]
    assert query(at) == {"category": ["books"], "status": ["all"]}

    at.switch_page("forms.py").run()  # Streamlit keeps the query string across the switch
    assert texts(at) == ["forms: category=all"], "Forms must not take Filters' category"
    assert toast_texts(at) == [], "and must not warn about it"
    assert query(at) == {"category": ["all"], "q": [""]}, "Filters' status is left behind, though Forms is not selfish"


def test_a_switch_through_a_page_without_state_is_still_not_a_link(make_app: AppFactory) -> None:
    from st_page_state.testing import toast_texts

    at = switch_app(make_app).run()
    at.switch_page("plain.py").run()  # no state: the library writes nothing (Streamlit drops the query itself)
    assert texts(at) == ["a page without state"]
    at.switch_page("forms.py").run()
    assert texts(at) == ["forms: category=all"]
    assert toast_texts(at) == []
    assert query(at) == {"category": ["all"], "q": [""]}


def test_a_switch_keeps_the_params_of_a_state_the_new_page_shares(make_app: AppFactory) -> None:
    at = switch_app(make_app).run()
    at.switch_page("shared.py").run()
    assert texts(at) == ["report: days=7"]
    assert query(at) == {"category": ["books"], "status": ["all"], "days": ["7"]}


def test_a_link_to_another_page_is_adopted_as_always(make_app: AppFactory) -> None:
    """``st.page_link(..., query_params=Forms.link(category="games"))``: a query of its own."""
    at = switch_app(make_app).run()
    at.switch_page("forms.py")
    at.query_params.clear()
    at.query_params["category"] = "games"
    at.run()
    assert texts(at) == ["forms: category=games"]
    assert query(at) == {"category": ["games"], "q": [""]}


def test_coming_back_restores_the_page_and_its_params(make_app: AppFactory) -> None:
    at = switch_app(make_app).run()
    at.switch_page("forms.py").run()
    at.switch_page("filters.py").run()
    assert texts(at) == ["filters: category=books status=all"]
    assert query(at) == {"category": ["books"], "status": ["all"]}


def test_a_page_switch_tells_the_bridge_its_page_and_holds_its_first_write(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bridge applies a new page's first write on the switch's history entry, once it knows the page (README)."""
    from st_page_state import bridge

    monkeypatch.setattr(bridge, "available", lambda: True)  # as on a `streamlit run` server
    at = switch_app(make_app).run()
    assert bridge_data(at) is not None and "switch" not in bridge_data(at)  # type: ignore[operator]
    at.switch_page("forms.py").run()
    data = bridge_data(at)
    assert data is not None
    assert data["switch"] is True and data["page"] == "forms", "the page's URL path, as Streamlit's frontend shows it"
    # What the address bar shows after Streamlit's push: the query Streamlit's frontend holds, here
    # the one the page loaded with (the first page's write was the bridge's too).
    assert data["held"] == {"from": ""}
    assert data["expected"] == "category=all&q="
    at.run()
    later = bridge_data(at) or {}
    assert "switch" not in later and later["page"] == "forms", "a later run of the same page is no switch"
    # Streamlit's frontend still holds that query, and the bridge may have missed the run that held
    # the write: every run says so until a write goes through Streamlit.
    assert later["held"] == {"from": ""}
