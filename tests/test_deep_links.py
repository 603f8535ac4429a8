"""``PageState.link()`` and ``parse()``: links and typed values with no session (plain pytest, no AppTest).

A link is what the engine would write for the state it names, and ``parse``
reads a query the way a page receiving it adopts it; ``parse(link(**v))``
gives ``v`` back for every value that can travel in a URL.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import warnings
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field
from streamlit.runtime.state.query_params import process_query_params

from st_page_state import LinkError, PageState, StateValidationError, StateVar, UnknownFieldError
from st_page_state.deep_links import LinkParams, ParsedQuery, RejectedParam


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Point(BaseModel):
    x: int
    y: int


class Filters(PageState):
    status: Literal["pending", "active", "done"] = StateVar(default="pending", url_key="status")
    page: Annotated[int, Field(ge=1, le=500)] = StateVar(default=1, url_key="page")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    due: dt.date | None = StateVar(default=None, url_key="due")
    note: str = StateVar(default="")  # session only


class Sidebar(PageState):
    team: Literal["all", "web", "data"] = StateVar(default="all", url_key="team")


class Prefixed(PageState):
    q: str = StateVar(default="", url_key="q")
    level: int = StateVar(default=0, url_key="level", clear_on_default=False)
    color: Color = StateVar(default=Color.RED, url_key="color", value_map={Color.RED: "r", Color.BLUE: "b"})

    class Config:
        url_prefix = "p_"
        clear_on_default = True


DEFAULTS = {"status": "pending", "page": 1, "tags": [], "due": None, "note": ""}


# ------------------------------------------------------------------ link()
def test_link_gives_the_values_and_every_other_url_field_at_its_default() -> None:
    link = Filters.link(status="active", tags=["a", "b"])
    assert link == {"status": "active", "page": "1", "tag": ["a", "b"], "due": ""}
    assert isinstance(link, dict) and isinstance(link, LinkParams)


def test_link_values_are_validated_and_coerced_like_writes() -> None:
    assert Filters.link(page="7", due="2024-05-01")["due"] == "2024-05-01"
    assert Filters.link(page="7")["page"] == "7"
    with pytest.raises(StateValidationError, match=r"Filters\.page cannot be set to 0: .*greater than or equal to 1"):
        Filters.link(page=0)
    with pytest.raises(StateValidationError, match=r"Filters\.status cannot be set to 'x'"):
        Filters.link(status="x")


def test_unknown_field_names_the_close_matches() -> None:
    with pytest.raises(UnknownFieldError, match=r"Filters has no field 'stauts'\. Did you mean 'status'"):
        Filters.link(stauts="active")


def test_a_session_only_field_cannot_travel_in_a_link() -> None:
    with pytest.raises(LinkError, match=r"Filters\.note has no url_key: .*cannot travel in a link"):
        Filters.link(note="hello")


def test_a_value_that_would_not_come_back_from_the_url_is_refused() -> None:
    with pytest.raises(StateValidationError, match=r"Filters\.tags .*reads back as \[\]"):
        Filters.link(tags=[""])  # one empty text is how the URL says "empty list"
    with pytest.raises(StateValidationError, match=r"Filters\.tags .*refuse its URL text: .*8192-byte limit"):
        Filters.link(tags=["x" * 5000, "y" * 5000])
    assert Filters.link(tags=["", "a"])["tag"] == ["", "a"]


def test_config_url_prefix_value_map_and_clear_on_default() -> None:
    assert Prefixed.link() == {"p_level": "0"}, "clear_on_default leaves defaults out; a field may opt out"
    assert Prefixed.link(q="shoes", color=Color.BLUE) == {"p_q": "shoes", "p_level": "0", "p_color": "b"}
    assert Prefixed.link(color="blue")["p_color"] == "b", "value_map text for a value given as its raw value"


class Quiet(PageState):
    page: int = StateVar(default=1, url_key="page")
    tags: set[int] = StateVar(default_factory=set, url_key="tag")

    class Config:
        url_selfish = False
        restore_url_on_touch = False
        share_url_with = [Sidebar]
        history = "push"
        persist = False
        ttl = 60


class Plain(PageState):
    page: int = StateVar(default=1, url_key="page")
    tags: set[int] = StateVar(default_factory=set, url_key="tag")


def test_options_about_the_session_do_not_change_links() -> None:
    """url_selfish, restore_url_on_touch, share_url_with, history, persist and ttl rule the live URL and the
    store: a link names a whole state either way (restore_url_on_touch=False included: without its
    defaults a link could not reset a field the session changed)."""
    for values in ({}, {"page": 3, "tags": {3, 1, 2}}):
        assert Quiet.link(**values) == Plain.link(**values)
    assert Quiet.link(tags={3, 1, 2})["tag"] == ["1", "2", "3"], "sets in a stable order, as the engine writes"


def test_field_level_clear_on_default_overrides_config() -> None:
    class Mixed(PageState):
        a: int = StateVar(default=0, url_key="a", clear_on_default=True)
        b: int = StateVar(default=0, url_key="b")

    assert Mixed.link() == {"b": "0"}
    assert Mixed.link(b=1) == {"b": "1"}
    assert Mixed.link(a=2) == {"a": "2", "b": "0"}


def test_a_field_named_like_the_methods_argument() -> None:
    class Odd(PageState):
        cls: int = StateVar(default=0, url_key="cls")
        values: int = StateVar(default=0, url_key="values")

    assert Odd.link(cls=1, values=2) == {"cls": "1", "values": "2"}


def test_reversed_02_value_map_links_and_parses_with_the_url_text() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)

        class Legacy(PageState):
            level: int = StateVar(default=0, url_key="lvl", value_map={"low": 0, "high": 1})  # type: ignore[dict-item]

    assert Legacy.link(level=1) == {"lvl": "high"}
    assert Legacy.parse({"lvl": "high"}) == {"level": 1}
    assert Legacy.parse({"lvl": "0"}) == {"level": 0}, "the canonical text is adopted too, as the engine does"


# ------------------------------------------------------------------ href()
def test_href_is_the_query_string_streamlit_writes_for_the_same_params() -> None:
    link = Filters.link(status="done", tags=["a b", "c&d", "é"]) | Sidebar.link(team="web")
    expected = urlencode({k: v for k, v in link.items()}, doseq=True)
    assert link.href() == "?" + expected
    assert process_query_params(link) == expected, "st.page_link / st.switch_page encode it the same way"
    assert link.href("/tasks") == "/tasks?" + expected
    assert Prefixed.link().href("tasks") == "tasks?p_level=0"
    assert LinkParams().href("tasks") == "tasks" and LinkParams().href() == ""


# ------------------------------------------------------------------ merging with |
def test_links_of_several_states_merge_with_a_pipe() -> None:
    merged = Sidebar.link(team="web") | Filters.link(status="done")
    assert isinstance(merged, LinkParams)
    assert merged == {"team": "web", "status": "done", "page": "1", "tag": [""], "due": ""}
    assert Sidebar.link(team="web") == {"team": "web"}, "the operands are left as they were"
    with_plain = {"utm_source": "mail"} | Sidebar.link(team="data")
    assert isinstance(with_plain, LinkParams) and with_plain == {"utm_source": "mail", "team": "data"}
    assert Sidebar.link() | {"utm_source": "mail"} == {"team": "all", "utm_source": "mail"}
    growing = Sidebar.link()
    growing |= Prefixed.link(q="x")
    assert growing == {"team": "all", "p_q": "x", "p_level": "0"}


class OtherPage(PageState):
    page: int = StateVar(default=1, url_key="page")
    team: str = StateVar(default="all", url_key="team")


def test_two_states_giving_one_param_two_values_is_an_error() -> None:
    with pytest.raises(LinkError, match=r"'page' twice: Filters\.page gives '1', OtherPage\.page gives '4'"):
        Filters.link() | OtherPage.link(page=4)
    with pytest.raises(LinkError, match=r"'team' twice: one link gives 'web', Sidebar\.team gives 'data'"):
        {"team": "web"} | Sidebar.link(team="data")
    link = Sidebar.link()
    with pytest.raises(LinkError, match="'team' twice"):
        link |= {"team": ["all", "web"]}
    assert Filters.link() | OtherPage.link() == Filters.link() | {"team": "all"}, "the same text twice is no conflict"
    assert Sidebar.link() | {"team": ["all"]} == {"team": ["all"]}, "one text, as a list or not, is the same URL"


# ------------------------------------------------------------------ parse()
def test_parse_gives_every_field_typed_with_defaults_for_the_rest() -> None:
    parsed = Filters.parse({"status": "active", "tag": ["x", "y"], "due": "2024-02-29", "team": "web"})
    assert parsed == {**DEFAULTS, "status": "active", "tags": ["x", "y"], "due": dt.date(2024, 2, 29)}
    assert isinstance(parsed, ParsedQuery) and parsed.rejected == {}
    assert Filters.parse({}) == DEFAULTS


def test_parse_keeps_invalid_params_at_their_defaults_with_the_reasons() -> None:
    parsed = Filters.parse({"status": "archived", "page": ["2", "3"], "due": "2024-13-01", "tag": "ok"})
    assert parsed == {**DEFAULTS, "tags": ["ok"]}
    assert set(parsed.rejected) == {"status", "page", "due"}
    assert parsed.rejected["status"] == RejectedParam(
        field="status",
        param="status",
        texts=("archived",),
        reason="'archived' is not one of 'pending', 'active', 'done'",
    )
    assert "expected one value, got 2" in parsed.rejected["page"].reason
    assert str(parsed.rejected["page"]).startswith("page='2&3': expected one value")
    assert Filters.parse({"page": "501"}).rejected["page"].reason == "Input should be less than or equal to 500"


def test_parse_applies_the_engines_limits_on_outside_text() -> None:
    assert "invalid percent-encoding" in Filters.parse("status=%ff").rejected["status"].reason
    assert "8192-byte limit" in Filters.parse({"tag": "x" * 9000}).rejected["tags"].reason


def test_parse_takes_query_strings_and_urls() -> None:
    expected = {**DEFAULTS, "page": 3, "tags": ["a", "b c"]}
    for query in (
        "page=3&tag=a&tag=b+c",
        "?page=3&tag=a&tag=b%20c",
        "?page=3&tag=a&tag=b+c#section",
        "/tasks?page=3&tag=a&tag=b+c",
        "tasks?page=3&tag=a&tag=b+c",
        "https://example.com/tasks?page=3&tag=a&tag=b+c#top",
    ):
        assert Filters.parse(query) == expected, query
    assert Filters.parse("") == DEFAULTS
    assert Filters.parse("tag=why?&tag=a?b=c")["tags"] == ["why?", "a?b=c"], "a raw ? inside a query string is text"


class MultiDict(Mapping[str, str]):
    """A multi-valued mapping as web frameworks have (Starlette, Werkzeug): ``[key]`` is one value, ``getlist`` all."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def __getitem__(self, key: str) -> str:
        return next(v for k, v in self._pairs if k == key)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(k for k, _ in self._pairs))

    def __len__(self) -> int:
        return len(set(k for k, _ in self._pairs))

    def getlist(self, key: str) -> list[str]:
        return [v for k, v in self._pairs if k == key]


def test_parse_reads_every_value_of_a_multi_valued_mapping() -> None:
    parsed = Filters.parse(MultiDict([("tag", "a"), ("page", "2"), ("tag", "b")]))
    assert parsed == {**DEFAULTS, "page": 2, "tags": ["a", "b"]}


def test_parse_reads_non_text_values_as_streamlit_does_and_skips_none() -> None:
    assert Filters.parse({"page": 4, "tag": ("a", 1), "due": None}) == {**DEFAULTS, "page": 4, "tags": ["a", "1"]}
    with pytest.raises(TypeError, match="query string or a mapping"):
        Filters.parse(42)  # type: ignore[arg-type]


def test_parse_reads_prefixed_and_mapped_params() -> None:
    assert Prefixed.parse({"p_color": "b", "color": "r", "q": "x"}) == {"q": "", "level": 0, "color": Color.BLUE}
    assert Prefixed.parse({"p_color": "blue"})["color"] is Color.BLUE, "the canonical text works too"
    assert Prefixed.parse({"p_color": "green"}).rejected["color"].param == "p_color"


# ------------------------------------------------------------------ the round trip
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
TYPES: list[tuple[Any, st.SearchStrategy[Any], Any]] = [
    (str, texts, ""),
    (int, st.integers(), 0),
    (float, st.floats(allow_nan=False), 0.0),
    (bool, st.booleans(), False),
    (Decimal, st.decimals(allow_nan=False, allow_infinity=False), Decimal(0)),
    (UUID, st.uuids(), UUID(int=0)),
    (dt.date, st.dates(), dt.date(2000, 1, 1)),
    (dt.datetime, st.datetimes(timezones=st.none() | st.just(dt.UTC)), dt.datetime(2000, 1, 1)),
    (dt.time, st.times(), dt.time(0)),
    (Color, st.sampled_from(Color), Color.RED),
    (Literal["a", "b"], st.sampled_from(["a", "b"]), "a"),
    (int | None, st.none() | st.integers(), None),
    (str | None, st.none() | texts, None),
    (list[str], st.lists(texts, max_size=4), []),
    (set[int], st.sets(st.integers(), max_size=4), set()),
    (tuple[int, ...], st.lists(st.integers(), max_size=4).map(tuple), ()),
    (tuple[int, str], st.tuples(st.integers(), texts), (0, "")),
    (dict[str, int], st.dictionaries(texts, st.integers(), max_size=3), {}),
    (Point, st.builds(Point, x=st.integers(), y=st.integers()), Point(x=0, y=0)),
    (Annotated[int, Field(ge=0, le=10)], st.integers(0, 10), 0),
]


def _state_for(index: int, annotation: Any, default: Any, prefix: str, clear: bool) -> Any:
    config = type("Config", (), {"url_prefix": prefix, "clear_on_default": clear})
    spec = StateVar(default_factory=lambda: default, url_key="v") if isinstance(default, (list, set, dict)) else (
        StateVar(default=default, url_key="v")
    )
    body = {"__annotations__": {"value": annotation}, "value": spec, "Config": config, "__qualname__": f"Case{index}"}
    return type(f"Case{index}", (PageState,), body)


CLASSES = [
    (_state_for(i, ann, default, prefix, clear), strategy)
    for i, (ann, strategy, default) in enumerate(TYPES)
    for prefix, clear in (("", False), ("x_", True))
]

AMBIGUOUS = [("str | None", ""), ("list[str]", [""])]
"""The values whose URL text reads back as another value (None, []): link() refuses them."""


def _case_id(cls: Any) -> str:
    schema = cls.__state_schema__
    return f"{schema.fields['value'].annotation}-{schema.config.url_prefix or 'plain'}"


@pytest.mark.parametrize(("cls", "strategy"), CLASSES, ids=[_case_id(cls) for cls, _ in CLASSES])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_parse_of_link_gives_the_values_back(cls: Any, strategy: st.SearchStrategy[Any], data: st.DataObject) -> None:
    """Every value comes back from its link (as a mapping or as URL text), or link() refuses it."""
    value = data.draw(strategy)
    try:
        link = cls.link(value=value)
    except StateValidationError as exc:
        assert "in a link" in str(exc)
        non_finite = isinstance(value, float) and not math.isfinite(value)  # refused in URLs by default
        replacement = "\ufffd" in str(value)  # what invalid percent-encoding decodes to: refused in URLs
        assert non_finite or replacement or (str(cls.__state_schema__.fields["value"].annotation), value) in AMBIGUOUS
        return
    assert cls.parse(link) == {"value": value}
    assert cls.parse(link.href("page")) == {"value": value}
    assert not cls.parse(link).rejected


def test_the_urls_own_ambiguities_are_refused() -> None:
    optional = next(cls for cls, _ in CLASSES if str(cls.__state_schema__.fields["value"].annotation) == "str | None")
    with pytest.raises(StateValidationError, match="reads back as None"):
        optional.link(value="")
    assert optional.parse(optional.link(value=" ")) == {"value": " "}
