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
    on_late_read,
    read_document,
    store_beats_url,
    stored_document,
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
    url = Query.parse("page=2")
    restore = on_first_use(SCHEMA, fetched, DEFAULTS, url, [url])
    assert restore.values == {"status": "done", "notes": "kept"}
    assert restore.repairs == {"status"}, "status is missing from the URL: put it back"
    assert restore.baseline == document_text(SCHEMA, {**DEFAULTS, "status": "done", "notes": "kept"})[1]
    assert restore.over_url == frozenset()


def test_after_a_failed_read_what_the_store_holds_is_unknown() -> None:
    """Never "the session's values": the next change would write the defaults over the stored work."""
    restore = on_first_use(SCHEMA, Fetched(failed=True), {**DEFAULTS, "page": 4}, Query(), [Query()])
    assert restore.values == {}
    assert restore.baseline is None


def test_a_dirty_document_has_no_baseline_so_it_is_rewritten() -> None:
    fetched = Fetched(values={"status": "a"}, clean=False)
    assert on_first_use(SCHEMA, fetched, DEFAULTS, Query(), [Query()]).baseline is None


# The precedence rule. The store holds status=done, saved while the tab's address bar held
# ``seen``; the page now loads ``url``; ``own`` is what the tab's previous page showed as it left
# (a "|" between two: as it began to leave, and as it went).
PRECEDENCE = [
    # (case, url, own, seen, the store wins)
    ("a reload during the run's tail: the URL is the tab's own, older than the saved value",
     "status=pending", "status=pending", {"status": [["pending"]]}, True),
    ("the person edited the param in the address bar", "status=active", "status=pending",
     {"status": [["pending"]]}, False),
    ("edited back to what the address bar held when the value was saved, after the URL was written",
     "status=pending", "status=done", {"status": [["pending"]]}, False),
    ("the URL changed after the value was saved (the save failed, the URL was written)",
     "status=active", "status=active", {"status": [["pending"]]}, False),
    ("the address bar may have held either text when the value was saved (a run cut short wrote no URL)",
     "status=pending", "status=pending", {"status": [["active"], ["pending"]]}, True),
    ("a document from before seen was recorded: the URL wins", "status=pending", "status=pending", None, False),
    ("the URL already says what the store holds", "status=done", "status=done", {"status": [["done"]]}, False),
    ("the param is absent: nothing to decide here (restored as before)", "", "", {"status": [["pending"]]}, False),
    ("another param's edit does not matter", "status=pending&page=9", "status=pending&page=2",
     {"status": [["pending"]], "page": [["2"]]}, True),
    ("a URL write reached the page after its reload began: the reload asked for the first", "status=pending",
     "status=pending|status=active", {"status": [["pending"]]}, True),
]


@pytest.mark.parametrize(("url", "own", "seen", "wins"), [r[1:] for r in PRECEDENCE], ids=[r[0] for r in PRECEDENCE])
def test_store_beats_url(url: str, own: str, seen: dict[str, list[list[str]]] | None, wins: bool) -> None:
    field = SCHEMA.fields["status"]
    assert store_beats_url(field, "done", Query.parse(url), [Query.parse(o) for o in own.split("|")], seen) is wins


def test_an_invalid_param_the_tab_held_loses_to_the_stored_value() -> None:
    url = Query.parse("page=abc")
    assert store_beats_url(SCHEMA.fields["page"], 3, url, [url], {"page": [["abc"]]})


def test_session_only_fields_never_compete_with_the_url() -> None:
    seen = {"status": [["pending"]]}
    assert not store_beats_url(SCHEMA.fields["notes"], "x", Query.parse("notes=y"), [Query.parse("notes=y")], seen)


def test_first_use_keeps_the_stored_value_over_the_tabs_own_stale_url() -> None:
    fetched = Fetched(values={"status": "done", "page": 7}, seen={"status": [["pending"]], "page": [["2"]]})
    url = Query.parse("status=pending&page=3")  # page was edited (3, not the 2 it held when saved)
    restore = on_first_use(SCHEMA, fetched, DEFAULTS, url, [url])
    assert restore.over_url == {"status"}
    assert restore.values == {"status": "done", "page": 7}  # page is then adopted from the URL (3)
    assert restore.repairs == {"status"}, "the stale param is rewritten with the stored value"


def test_stored_documents_carry_the_params_the_tab_held_and_read_back() -> None:
    document, _, _ = document_text(SCHEMA, {**DEFAULTS, "status": "done"})
    values = {**DEFAULTS, "status": "done"}
    url, written = Query.parse("status=pending&other=1"), Query.parse("status=active&page=2")
    stored = stored_document(document, SCHEMA, values, url, url, written, Query.parse("status=done&page=1"), confirmed=True)
    # Only texts that say something else than the value saved: the others can never compete with it.
    seen = {"status": [["pending"], ["active"]], "page": [["2"]]}
    assert stored == {**doc(status="done", page=1, notes=""), "seen": seen, "confirmed": True}
    fetched = read_document(SCHEMA, stored)
    assert fetched.seen == seen and fetched.confirmed and fetched.clean
    assert "confirmed" not in stored_document(document, SCHEMA, values, url, confirmed=False)
    assert read_document(SCHEMA, {**doc(status="a"), "seen": {"status": ["x"]}}).seen is None  # malformed: none


LATE = [
    # (case, loaded url, untouched fields, expected values, repairs)
    ("untouched fields take the stored values, params put back", "", {"status", "page", "notes"},
     {"status": "done", "page": 7, "notes": "kept"}, {"status", "page"}),
    ("a field changed since the page loaded keeps its newer value", "", {"status", "notes"},
     {"status": "done", "notes": "kept"}, {"status"}),
    ("a link's param wins, as it would have in time", "status=active", {"status", "page", "notes"},
     {"page": 7, "notes": "kept"}, {"page"}),
    ("the tab's own stale param loses, as it would have in time", "status=pending", {"status", "page", "notes"},
     {"status": "done", "page": 7, "notes": "kept"}, {"status", "page"}),
]


@pytest.mark.parametrize(
    ("url", "untouched", "expected", "repairs"), [r[1:] for r in LATE], ids=[r[0] for r in LATE]
)
def test_late_read(url: str, untouched: set[str], expected: dict[str, Any], repairs: set[str]) -> None:
    fetched = Fetched(values={"status": "done", "page": 7, "notes": "kept"}, seen={"status": [["pending"]]})
    loaded = Query.parse(url)
    current = {**DEFAULTS, "status": "active" if url == "status=active" else "pending", "page": 4}
    restore = on_late_read(SCHEMA, fetched, current, loaded, [loaded], untouched=untouched)
    assert restore.values == expected
    assert restore.repairs == repairs
    assert restore.baseline == document_text(SCHEMA, {**DEFAULTS, "status": "done", "page": 7, "notes": "kept"})[1]


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


def test_a_corrected_tab_takes_the_links_value_where_the_wrong_guess_beat_the_url() -> None:
    """The wrong guess's store beat the URL at first use; without the guess the link's value had been adopted."""
    from st_page_state.persistence import on_tab_correction

    wrong_guess = {**DEFAULTS, "status": "done"}
    restore = on_tab_correction(
        SCHEMA, Fetched(), wrong_guess, Query.parse("status=active"), edited=set(), over_url={"status"}
    )
    assert restore.values == {"status": "active", "page": 1, "notes": ""}


def test_seen_keeps_only_texts_that_compete_with_the_value_and_stays_small() -> None:
    """A class of many params records nothing for params the address bar shows as they are saved."""
    from st_page_state.persistence import MAX_SEEN_TEXT

    names = {f"f{i}": (int, StateVar(default=i, url_key=f"f{i}")) for i in range(300)}
    wide = type("Wide", (PageState,), {"__annotations__": {k: t for k, (t, _) in names.items()},
                                       **{k: v for k, (_, v) in names.items()}})
    schema = wide.__state_schema__
    values = {f"f{i}": i for i in range(300)}
    same = Query.parse("&".join(f"f{i}={i}" for i in range(300)))
    document, _, _ = document_text(schema, values)
    assert stored_document(document, schema, values, same, same, confirmed=False)["seen"] == {}
    long = Query.parse("&".join(f"f{i}={'9' * 40}" for i in range(300)))  # 12,000 characters of old values
    seen = stored_document(document, schema, values, long, confirmed=False)["seen"]
    assert 0 < sum(len(texts[0][0]) for texts in seen.values()) <= MAX_SEEN_TEXT
