"""Smoke tests of examples/: each app runs without an exception and does its one thing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TIMEOUT = 30  # generous: the first run of a file imports pydantic, pandas, ...


def url(at: AppTest) -> dict[str, list[str]]:
    """The app's query params, every value as a list."""
    return {k: v if isinstance(v, list) else [v] for k, v in dict(at.query_params).items()}


def run(node: Any) -> AppTest:
    """Run the app after an interaction (``at`` itself or a widget of it); fail on any exception."""
    at: AppTest = node.run(timeout=TIMEOUT)
    assert not at.exception, [e.message for e in at.exception]
    return at


def check_counter(at: AppTest) -> None:
    assert at.metric[0].value == "0"
    assert url(at) == {"count": ["0"]}
    for button in (1, 1, 0):  # +1, +1, -1
        run(at.button[button].click())
    assert at.metric[0].value == "1"
    assert url(at) == {"count": ["1"]}
    run(at.button[2].click())
    assert url(at) == {"count": ["0"]}


def check_wizard(at: AppTest) -> None:
    assert url(at)["step"] == ["1"]
    assert at.button[0].disabled  # no name yet
    run(at.text_input[0].input("Ada"))
    run(at.text_input[1].input("ada@example.com"))
    run(at.button[0].click())
    assert url(at)["step"] == ["2"]
    run(at.radio[0].set_value("pro"))
    run(at.button[1].click())
    assert url(at) == {"step": ["3"], "name": ["Ada"], "plan": ["pro"]}  # the e-mail stays out
    assert "pro" in at.success[0].value


def check_wizard_rejects_step(at: AppTest) -> None:
    assert at.toast, "an out-of-range ?step= must be reported"
    assert url(at)["step"] == ["1"]


def check_filters(at: AppTest) -> None:
    assert url(at)["category"] == ["books"]
    run(at.number_input[1].set_value(3))
    assert url(at)["page"] == ["3"]
    run(at.selectbox[1].select_index(2))  # Music
    assert url(at)["category"] == ["music"]  # value_map text, not the enum's code 30
    assert url(at)["page"] == ["1"]  # a filter change goes back to page 1


def check_filters_deep_link(at: AppTest) -> None:
    assert at.selectbox[0].value == "open"
    assert at.date_input[0].value == dt.date(2024, 6, 1)
    assert at.number_input[1].value == 2
    assert "17 matching items" in at.caption[0].value


def check_tabs(at: AppTest) -> None:
    assert url(at) == {"tab": ["overview"], "dark": ["false"]}
    run(at.button[1].click())  # "Open order 102"
    assert url(at) == {"tab": ["orders"], "order": ["102"], "dark": ["false"]}
    assert "1 game" in at.info[0].value


def check_tabs_deep_link(at: AppTest) -> None:
    assert "**Settings**" in at.caption[0].value
    run(at.toggle[0].set_value(True))
    assert url(at)["dark"] == ["true"]


def check_sidebar_main(at: AppTest) -> None:
    run(at.segmented_control[0].set_value("table"))
    run(at.sidebar.toggle[0].set_value(False))
    run(at.sidebar.radio[0].set_value("US"))
    # MainState was not used in the last run; share_url_with kept its param.
    assert url(at) == {"region": ["US"], "year": ["2024"], "details": ["false"], "view": ["table"]}
    assert at.metric[0].value == "104"


def check_collections_dates(at: AppTest) -> None:
    assert url(at)["day"] == ["Sat", "Sun"]
    run(at.multiselect[0].select("Rome"))
    run(at.slider[0].set_range(1000, 3000))
    run(at.date_input[0].set_value(dt.date(2025, 7, 14)))
    run(at.datetime_input[0].set_value(dt.datetime(2025, 7, 14, 18, 5)))
    assert url(at) == {
        "city": ["Paris", "Rome"],
        "day": ["Sat", "Sun"],
        "budget": ["1000", "3000"],
        "start": ["2025-07-14"],
        "depart": ["2025-07-14T18:05:00"],
    }


def check_collections_deep_link(at: AppTest) -> None:
    assert at.multiselect[0].value == ["Lisbon", "Vienna"]
    assert at.markdown[0].value.startswith("Lisbon → Vienna")


def check_config_options(at: AppTest) -> None:
    assert "list_page" in url(at) and "q" not in url(at)  # url_prefix, clear_on_default
    run(at.text_input[1].input("hello"))  # Notes: not selfish
    assert url(at)["utm_source"] == ["mail"]
    run(at.text_input[0].input("shoes"))  # Search: selfish
    assert "utm_source" not in url(at) and url(at)["q"] == ["shoes"]
    run(at.text_input[0].input(""))
    assert "q" not in url(at)
    at.query_params.pop("note")
    run(at.number_input[0].increment())
    assert url(at)["list_page"] == ["2"] and "note" not in url(at)  # restore_url_on_touch=False


def check_gallery(at: AppTest) -> None:
    assert at.title[0].value == "st-page-state examples"
    run(at.switch_page("counter.py"))
    run(at.button[1].click())
    assert url(at) == {"count": ["1"]}
    run(at.switch_page("filters.py"))
    assert "count" not in url(at)  # the filters state claimed the URL
    run(at.switch_page("counter.py"))
    assert at.metric[0].value == "1"


Case = tuple[str, dict[str, str | list[str]], Callable[[AppTest], None]]
CASES: dict[str, Case] = {
    "counter": ("counter.py", {}, check_counter),
    "wizard": ("wizard.py", {}, check_wizard),
    "wizard-bad-step": ("wizard.py", {"step": "9"}, check_wizard_rejects_step),
    "filters": ("filters.py", {}, check_filters),
    "filters-deep-link": (
        "filters.py",
        {"status": "open", "category": "music", "since": "2024-06-01", "page": "2"},
        check_filters_deep_link,
    ),
    "tabs": ("tabs_navigation.py", {}, check_tabs),
    "tabs-deep-link": ("tabs_navigation.py", {"tab": "settings"}, check_tabs_deep_link),
    "sidebar_main": ("sidebar_main.py", {}, check_sidebar_main),
    "collections_dates": ("collections_dates.py", {}, check_collections_dates),
    "collections-deep-link": ("collections_dates.py", {"city": ["Lisbon", "Vienna"]}, check_collections_deep_link),
    "config_options": ("config_options.py", {"utm_source": "mail"}, check_config_options),
    "gallery": ("gallery.py", {}, check_gallery),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_example(case: Case) -> None:
    file, query, check = case
    at = AppTest.from_file(str(EXAMPLES / file), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    check(run(at))


GALLERY_PAGES = sorted(p.name for p in EXAMPLES.glob("*.py") if p.name != "gallery.py")


@pytest.mark.parametrize("page", GALLERY_PAGES)
def test_gallery_page_opens(page: str) -> None:
    """Every example file the gallery lists opens as a page of it (``make demo`` starts clean)."""
    at = run(AppTest.from_file(str(EXAMPLES / "gallery.py"), default_timeout=TIMEOUT))
    listed = {link.proto.page for link in at.get("page_link")}
    if Path(page).stem not in listed:
        pytest.skip(f"{page} is not a gallery page")
    run(at.switch_page(page))
