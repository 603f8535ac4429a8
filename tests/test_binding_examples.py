"""Smoke tests of the binding examples: each runs without an exception and does its one thing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from st_page_state import testing
from tests.conftest import query

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TIMEOUT = 30


def start(path: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(EXAMPLES / path), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_form_commits_on_submit() -> None:
    at = start("form.py")
    assert query(at)["q"] == [""]
    at.text_input[0].input("dune")
    at.selectbox[0].select("books")
    ok(at.run())
    assert query(at)["q"] == [""], "nothing changes before the form is submitted"
    at.text_input[0].input("dune")
    at.selectbox[0].select("books")
    ok(at.button[0].click().run())
    assert query(at)["q"] == ["dune"] and query(at)["category"] == ["books"]
    assert "**1 found:** Dune" in at.markdown[0].value
    ok(at.button[1].click().run())  # Clear
    assert query(at)["q"] == [""] and at.text_input[0].value == ""


def test_form_keeps_a_refused_email_and_shows_why() -> None:
    at = start("form.py")
    at.text_input[1].input("ada-at-example")
    ok(at.button[2].click().run())  # Subscribe
    assert at.text_input[1].value == "ada-at-example", "the typed text stays, to be corrected"
    assert [e.value for e in at.error] == ["Enter an e-mail address, like ada@example.com"]
    assert not at.success and not at.toast, "the page shows the message itself"
    at.text_input[1].input("ada@example.com")
    ok(at.button[2].click().run())
    assert not at.error and at.success[0].value.startswith("We will write to ada")


def test_fragment_example_runs() -> None:
    at = start("fragment.py", days="30")
    assert at.slider[0].value == 30
    ok(at.segmented_control[0].set_value("visits").run())
    assert query(at) == {"region": ["north"], "metric": ["visits"], "days": ["30"]}
    ok(at.radio[0].set_value("south").run())
    assert query(at)["region"] == ["south"]


def test_multipage_example_keeps_each_pages_params() -> None:
    at = start("multipage/app.py")
    assert query(at) == {"team": ["all"], "status": ["open"], "search": [""]}
    ok(at.sidebar.radio[0].set_value("web").run())
    ok(at.text_input[0].input("login").run())
    assert [m.value for m in at.markdown] == ["- Fix login (web, open)"]
    ok(at.switch_page("people.py").run())
    assert query(at) == {"team": ["web"], "sort": ["name"], "inactive": ["false"]}
    ok(at.toggle[0].set_value(True).run())
    assert len(at.markdown) == 2  # Grace and Linus
    ok(at.switch_page("tasks.py").run())
    assert query(at) == {"team": ["web"], "status": ["open"], "search": ["login"]}
    assert at.text_input[0].value == "login"


def test_multipage_example_links_to_a_team_s_open_tasks() -> None:
    at = start("multipage/app.py")
    ok(at.text_input[0].input("login").run())
    ok(at.switch_page("people.py").run())
    links = at.get("page_link")
    assert [link.proto.label for link in links] == ["Open web tasks", "Open data tasks"]
    data = parse_qs(links[1].proto.query_string, keep_blank_values=True)
    assert data == {"team": ["data"], "status": ["open"], "search": [""]}
    at.switch_page("tasks.py")  # what a click does: open the page with the link's query string
    at.query_params.clear()
    at.query_params.update(data)
    ok(at.run())
    assert at.sidebar.radio[0].value == "data"
    assert at.text_input[0].value == "", "the link names the whole state: the search is cleared"
    assert [m.value for m in at.markdown] == ["- Dashboard query (data, open)"]


def test_all_widgets_example_fills_typed_fields() -> None:
    at = start("all_widgets.py", basket=["cherry", "apple"])
    assert at.multiselect[0].value == ["apple", "cherry"]
    price = next(w for w in at.slider if w.label.startswith("slider (range)"))
    ok(price.set_range(10, 40).run())
    trip = next(w for w in at.date_input if w.label.startswith("date_input (range)"))
    ok(trip.set_value((dt.date(2025, 8, 1), dt.date(2025, 8, 3))).run())
    ok(at.feedback[0].set_value(4).run())
    assert query(at)["price"] == ["10", "40"]
    assert query(at)["trip"] == ["2025-08-01", "2025-08-03"]
    assert query(at)["stars"] == ["4"]
    rt = testing.runtime_of(at)
    values = next(v for ns, v in rt.values.items() if ns.endswith(":WidgetState"))
    assert values["basket"] == {"apple", "cherry"} and values["price_range"] == (10, 40)
