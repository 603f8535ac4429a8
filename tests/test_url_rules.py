"""The URL engine's rules as pure functions (``url.adopt``, ``url.plan_query``), table by table.

No Streamlit session here: each row gives the inputs one run would see and
the decision the engine must take. The AppTest tests (test_url_engine.py)
check that the session applies these decisions.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from st_page_state import PageState, StateVar
from st_page_state.query import Query
from st_page_state.url import MAX_PARAM_BYTES, TouchedState, adopt, echoed_write, plan_query


class Filters(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    note: str = StateVar(default="")


class Quiet(PageState):
    mode: str = StateVar(default="grid", url_key="mode", clear_on_default=True)


SCHEMA = Filters.__state_schema__
DEFAULTS: dict[str, Any] = {"status": "pending", "page": 1, "tags": [], "note": ""}


def q(text: str) -> Query:
    return Query.parse(text)


# ------------------------------------------------------------------ adopt
ADOPT = [
    # (case, url, snapshot, first_load, history_navigation, protected, adopted, rejected params)
    ("deep link on first load", "status=active&page=4", None, True, False, (), {"status": "active", "page": 4}, []),
    ("first load, values already held", "status=pending&page=1", None, True, False, (), {}, []),
    ("unchanged param is not an edit", "status=active", "status=active", False, False, (), {}, []),
    ("edited param is adopted", "status=done", "status=active", False, False, (), {"status": "done"}, []),
    ("repeated keys for a list", "tag=a&tag=b", "tag=", False, False, (), {"tags": ["a", "b"]}, []),
    ("lax parsing normalises", "page=007", "page=1", False, False, (), {"page": 7}, []),
    ("invalid text is rejected", "page=abc", "page=1", False, False, (), {}, ["page"]),
    ("a repeated scalar is rejected", "page=1&page=2", "page=1", False, False, (), {}, ["page"]),
    ("rejecting one keeps the others", "page=x&status=done", "page=1&status=a", False, False, (),
     {"status": "done"}, ["page"]),
    ("a field changed in this run wins", "status=done", "status=active", False, False, ("status",), {}, []),
    ("a missing param is not adopted", "", "status=active", False, False, (), {}, []),
    ("broken percent-encoding is rejected", "status=%ff", "status=a", False, False, (), {}, ["status"]),
    ("Back adopts older values", "status=old", "status=new", False, True, (), {"status": "old"}, []),
]


@pytest.mark.parametrize(
    ("url", "snapshot", "first_load", "history", "protected", "adopted", "rejected"),
    [row[1:] for row in ADOPT],
    ids=[row[0] for row in ADOPT],
)
def test_adopt(
    url: str,
    snapshot: str | None,
    first_load: bool,
    history: bool,
    protected: tuple[str, ...],
    adopted: dict[str, Any],
    rejected: list[str],
) -> None:
    current = {**DEFAULTS, "status": "active"} if not first_load else dict(DEFAULTS)
    result = adopt(
        SCHEMA,
        current,
        q(url),
        q(snapshot) if snapshot is not None else None,
        first_load=first_load,
        history_navigation=history,
        protected=protected,
    )
    assert result.values == adopted
    assert [r.field.param for r in result.rejected] == rejected


def test_adopt_rejects_oversized_values_before_parsing() -> None:
    result = adopt(SCHEMA, DEFAULTS, Query({"status": ["x" * (MAX_PARAM_BYTES + 1)]}), None,
                   first_load=True, history_navigation=False)
    assert result.values == {} and "byte limit" in result.rejected[0].reason


def test_back_to_a_url_without_a_cleared_param_means_its_default() -> None:
    schema = Quiet.__state_schema__
    result = adopt(schema, {"mode": "list"}, q(""), q("mode=list"), first_load=False, history_navigation=True)
    assert result.values == {"mode": "grid"}
    result = adopt(schema, {"mode": "list"}, q(""), q("mode=list"), first_load=False, history_navigation=False)
    assert result.values == {}, "outside history navigation a missing param is restored, not reset"


def test_rejection_message_cuts_and_quotes_outside_text() -> None:
    result = adopt(SCHEMA, DEFAULTS, q("page=" + "9" * 5000 + "x"), None, first_load=True, history_navigation=False)
    message = result.rejected[0].message()
    assert message.startswith("Ignored URL parameter page='999") and len(message) < 400
    assert "…" in message and "previous value was kept" in message


# ------------------------------------------------------------------ plan
def touched(values: dict[str, Any], *, changed: set[str] = frozenset(), repairs: set[str] = frozenset(),  # type: ignore[assignment]
            schema: Any = SCHEMA) -> TouchedState:
    return TouchedState(schema=schema, values=values, changed=set(changed), repairs=set(repairs))


PLAN = [
    # (case, url, values, keep_only, bound, expected)
    ("every param written", "", DEFAULTS, None, set(), "status=pending&page=1&tag="),
    ("foreign params survive without focus", "utm=x", DEFAULTS, None, set(), "utm=x&status=pending&page=1&tag="),
    ("focus drops unshared params", "utm=x", DEFAULTS, {"status", "page", "tag"}, set(), "status=pending&page=1&tag="),
    ("natively bound params survive focus", "q=a&utm=x", DEFAULTS, {"status", "page", "tag"}, {"q"},
     "q=a&status=pending&page=1&tag="),
    ("lists become repeated keys", "", {**DEFAULTS, "tags": ["a", "b"]}, None, set(),
     "status=pending&page=1&tag=a&tag=b"),
    ("a bound param is never written", "page=9", DEFAULTS, None, {"page"}, "page=9&status=pending&tag="),
]


@pytest.mark.parametrize(
    ("url", "values", "keep_only", "bound", "expected"), [row[1:] for row in PLAN], ids=[row[0] for row in PLAN]
)
def test_plan_query(url: str, values: dict[str, Any], keep_only: set[str] | None, bound: set[str], expected: str) -> None:
    assert plan_query(q(url), [touched(values)], keep_only=keep_only, bound=bound) == q(expected)


def test_plan_omits_cleared_defaults_and_writes_changed_values() -> None:
    schema = Quiet.__state_schema__
    assert plan_query(q("mode=grid"), [touched({"mode": "grid"}, schema=schema)], keep_only=None, bound=set()) == q("")
    assert plan_query(q(""), [touched({"mode": "list"}, schema=schema)], keep_only=None, bound=set()) == q("mode=list")


def test_a_cleared_default_is_recognised_for_mutable_defaults_and_factories() -> None:
    class Cleared(PageState):
        class Config:
            clear_on_default = True

        tags: list[str] = StateVar(default=["a"], url_key="tag")
        picks: list[int] = StateVar(default_factory=lambda: [1, 2], url_key="pick")
        flag: bool = StateVar(default=False, url_key="flag")

    fields = Cleared.__state_schema__.fields
    assert fields["tags"].is_default(["a"]) and not fields["tags"].is_default(["a", "b"])
    assert fields["picks"].is_default([1, 2]) and not fields["picks"].is_default([2, 1])
    assert not fields["flag"].is_default(0)  # 0 == False, but not the same value
    handed_out = fields["tags"].default()
    handed_out.append("b")  # a session's copy: the declared default is untouched
    assert fields["tags"].is_default(["a"])
    values = {"tags": ["a"], "picks": [1, 2], "flag": False}
    assert plan_query(q("tag=a&pick=1&pick=2"), [touched(values, schema=Cleared.__state_schema__)],
                      keep_only=None, bound=set()) == q("")


def test_plan_without_restore_on_touch_writes_only_present_changed_or_repaired_params() -> None:
    class NoRestore(PageState):
        a: int = StateVar(default=1, url_key="a")
        b: int = StateVar(default=2, url_key="b")
        c: int = StateVar(default=3, url_key="c")

        class Config:
            restore_url_on_touch = False

    schema = NoRestore.__state_schema__
    state = touched({"a": 1, "b": 5, "c": 3}, changed={"b"}, repairs={"c"}, schema=schema)
    assert plan_query(q(""), [state], keep_only=None, bound=set()) == q("b=5&c=3")


def test_query_equality_ignores_param_order_but_not_value_order() -> None:
    assert q("a=1&b=2") == q("b=2&a=1")
    assert q("t=x&t=y") != q("t=y&t=x")
    assert q("?a=1").encode() == "a=1"
    assert q("a=1&b=2").fingerprint() == q("b=2&a=1").fingerprint()
    assert q("t=x&t=y").fingerprint() != q("t=y&t=x").fingerprint()


ENCODED = [
    # (case, query as {param: texts}, what urlencode gives)
    ("plain params: the joined fast path", {"a": ["1"], "b_c": ["x.y~z-"]}, "a=1&b_c=x.y~z-"),
    ("a value holding = and &", {"a": ["1=2&b=3"]}, "a=1%3D2%26b%3D3"),
    ("a key holding =", {"a=b": ["1"]}, "a%3Db=1"),
    ("a space and a non-ASCII letter", {"q": ["café au lait"]}, "q=caf%C3%A9+au+lait"),
    ("a repeated param", {"tag": ["x", "y"], "a": ["1"]}, "tag=x&tag=y&a=1"),
    ("empty texts", {"": [""], "a": [""]}, "=&a="),
    ("no params", {}, ""),
]


@pytest.mark.parametrize(("case", "params", "expected"), ENCODED, ids=[row[0] for row in ENCODED])
def test_encode_is_urlencode(case: str, params: dict[str, list[str]], expected: str) -> None:
    assert Query(params).encode() == expected == urlencode(params, doseq=True)


@given(st.dictionaries(st.text(max_size=4), st.lists(st.text(max_size=4), min_size=1, max_size=3), max_size=5))
def test_encode_agrees_with_urlencode_on_any_query(params: dict[str, list[str]]) -> None:
    assert Query(params).encode() == urlencode(params, doseq=True)


# ------------------------------------------------------------ echoed_write
WRITES = [(3, q("page=2").fingerprint()), (4, q("page=3").fingerprint()), (5, q("page=4&tag=a").fingerprint())]
ECHO = [
    # (case, received, floor, echoed write)
    ("the last write, params in another order", "tag=a&page=4", 0, 5),
    ("an older write the frontend still held", "page=3", 0, 4),
    ("older than one the browser already sent back", "page=2", 4, None),
    ("never written: news from the browser", "page=9", 0, None),
    ("the same params with values reordered", "tag=a&page=4&tag=b", 0, None),
]


@pytest.mark.parametrize(("case", "received", "floor", "expected"), ECHO, ids=[row[0] for row in ECHO])
def test_echoed_write(case: str, received: str, floor: int, expected: int | None) -> None:
    assert echoed_write(WRITES, q(received), floor) == expected
