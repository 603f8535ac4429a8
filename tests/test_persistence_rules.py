"""Persistence decisions (``persistence.py``) as tables: what a class takes from a stored document."""

from __future__ import annotations

from typing import Any

import pytest

from st_page_state import PageState, StateVar
from st_page_state.persistence import (
    FORMAT_VERSION,
    Fetched,
    document_text,
    on_first_use,
    on_identity_change,
    read_document,
)
from st_page_state.query import Query


class Prefs(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    notes: str = StateVar(default="")
    secret: str = StateVar(default="", persist=False)


SCHEMA = Prefs.__state_schema__
DEFAULTS: dict[str, Any] = {"status": "pending", "page": 1, "notes": "", "secret": ""}


def doc(**values: Any) -> dict[str, Any]:
    return {"version": FORMAT_VERSION, "values": values}


READ = [
    # (case, document, values, clean, warnings)
    ("nothing stored", None, {}, True, 0),
    ("every field", doc(status="done", page=3, notes="n"), {"status": "done", "page": 3, "notes": "n"}, True, 0),
    ("a value that no longer fits is dropped", doc(status="done", page="x"), {"status": "done"}, False, 1),
    ("a removed field is ignored, the document rewritten", doc(status="a", gone=1), {"status": "a"}, False, 0),
    ("an unknown format is ignored", {"version": 99, "values": {}}, {}, False, 0),
    ("values that are not an object", {"version": FORMAT_VERSION, "values": [1]}, {}, False, 0),
]


@pytest.mark.parametrize(("document", "values", "clean", "warnings"), [r[1:] for r in READ], ids=[r[0] for r in READ])
def test_read_document(document: dict[str, Any] | None, values: dict[str, Any], clean: bool, warnings: int) -> None:
    fetched = read_document(SCHEMA, document)
    assert fetched.values == values and fetched.clean is clean and len(fetched.warnings) == warnings


def test_documents_hold_persisted_fields_only_and_are_compact_json() -> None:
    document, text, skipped = document_text(SCHEMA, {**DEFAULTS, "secret": "hunter2"})
    assert skipped == []
    assert document == doc(status="pending", page=1, notes="")
    assert "hunter2" not in text and " " not in text


def test_a_value_json_cannot_carry_is_left_out_and_the_others_are_saved() -> None:
    class Ratio(PageState):
        r: float = StateVar(default=0.5)
        s: float = StateVar(default=0.5)
        name: str = StateVar(default="x")

    document, text, skipped = document_text(Ratio.__state_schema__, {"r": float("nan"), "s": float("inf"), "name": "y"})
    assert skipped == ["r", "s"]
    assert document == doc(name="y") and "NaN" not in text


def test_first_use_takes_stored_values_and_repairs_missing_params() -> None:
    fetched = Fetched(values={"status": "done", "notes": "kept"})
    restore = on_first_use(SCHEMA, fetched, DEFAULTS, Query.parse("page=2"))
    assert restore.values == {"status": "done", "notes": "kept"}
    assert restore.repairs == {"status"}, "status is missing from the URL: put it back"
    assert restore.baseline == document_text(SCHEMA, {**DEFAULTS, "status": "done", "notes": "kept"})[1]


def test_after_a_failed_read_the_session_values_count_as_stored() -> None:
    restore = on_first_use(SCHEMA, Fetched(failed=True), {**DEFAULTS, "page": 4}, Query())
    assert restore.values == {}
    assert restore.baseline == document_text(SCHEMA, {**DEFAULTS, "page": 4})[1]


def test_a_dirty_document_has_no_baseline_so_it_is_rewritten() -> None:
    assert on_first_use(SCHEMA, Fetched(values={"status": "a"}, clean=False), DEFAULTS, Query()).baseline is None


IDENTITY = [
    # (case, url, protected, keep_url, expected values)
    ("first identity: URL wins", "status=active", set(), True, {"page": 3, "notes": "kept"}),
    ("first identity: an invalid URL value loses to the stored one", "status=active&page=abc", set(), True,
     {"page": 3, "notes": "kept"}),
    ("first identity: a URL value the field does not hold (its widget refused it) loses too", "status=x", set(),
     True, {"status": "done", "page": 3, "notes": "kept"}),
    ("first identity: a change of this run wins", "", {"notes"}, True, {"status": "done", "page": 3}),
    ("another person: stored or default, URL ignored", "status=active", set(), False,
     {"status": "done", "page": 3, "notes": "kept", "secret": ""}),
]


@pytest.mark.parametrize(
    ("url", "protected", "keep_url", "expected"), [r[1:] for r in IDENTITY], ids=[r[0] for r in IDENTITY]
)
def test_identity_change(url: str, protected: set[str], keep_url: bool, expected: dict[str, Any]) -> None:
    fetched = Fetched(values={"status": "done", "page": 3, "notes": "kept"})
    current = {**DEFAULTS, "status": "active", "secret": "s"}
    restore = on_identity_change(SCHEMA, fetched, current, Query.parse(url), protected=protected, keep_url=keep_url)
    assert restore.values == expected


CORRECTION = [
    # (case, loaded URL, edited, expected values): stored of the right tab = status done, page 3, notes kept
    ("the right tab's values replace the wrong guess", "", set(), {"status": "done", "page": 3, "notes": "kept"}),
    ("the URL the page loaded with wins", "status=active", set(), {"page": 3, "notes": "kept"}),
    ("this session's edits win", "", {"notes"}, {"status": "done", "page": 3}),
    # the widget could not show the URL's value and went back to the one it displaced: the wrong guess's
    ("a URL value the field does not hold does not keep the wrong guess", "status=bogus", set(),
     {"status": "done", "page": 3, "notes": "kept"}),
]


@pytest.mark.parametrize(("url", "edited", "expected"), [r[1:] for r in CORRECTION], ids=[r[0] for r in CORRECTION])
def test_tab_correction(url: str, edited: set[str], expected: dict[str, Any]) -> None:
    from st_page_state.persistence import on_tab_correction

    fetched = Fetched(values={"status": "done", "page": 3, "notes": "kept"})
    wrong_guess = {**DEFAULTS, "status": "active", "page": 9, "notes": "other tab's", "secret": "s"}
    restore = on_tab_correction(SCHEMA, fetched, wrong_guess, Query.parse(url), edited=edited)
    assert restore.values == expected


def test_a_corrected_tab_with_nothing_stored_falls_back_to_defaults() -> None:
    from st_page_state.persistence import on_tab_correction

    wrong_guess = {**DEFAULTS, "status": "active", "page": 9, "notes": "other tab's"}
    restore = on_tab_correction(SCHEMA, Fetched(), wrong_guess, Query(), edited=set())
    assert restore.values == {"status": "pending", "page": 1, "notes": ""}
