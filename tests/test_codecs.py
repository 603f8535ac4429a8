"""URL codecs: readable text, and encode -> decode gives the same value for every supported type."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from st_page_state.codecs import DecodeError, compile_codec


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Point(BaseModel):
    x: int
    y: int
    label: str = ""


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
finite = st.floats(allow_nan=False)
datetimes = st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2))]) | st.none())

CASES: list[tuple[Any, st.SearchStrategy[Any]]] = [
    (str, texts.filter(lambda s: s != "")),
    (int, st.integers()),
    (float, finite | st.just(float("inf"))),
    (bool, st.booleans()),
    (Decimal, st.decimals(allow_nan=False, allow_infinity=False)),
    (UUID, st.uuids()),
    (dt.date, st.dates()),
    (dt.datetime, datetimes),
    (dt.time, st.times()),
    (Color, st.sampled_from(Color)),
    (Level, st.sampled_from(Level)),
    (Literal["a", "b", "c"], st.sampled_from(["a", "b", "c"])),
    (Literal[1, 2, 3], st.sampled_from([1, 2, 3])),
    (Optional[int], st.none() | st.integers()),
    (int | None, st.none() | st.integers()),
    (list[int], st.lists(st.integers(), min_size=1)),
    (list[str], st.lists(texts, min_size=1).filter(lambda v: v != [""])),
    (set[Color], st.sets(st.sampled_from(Color))),
    (frozenset[int], st.frozensets(st.integers())),
    (tuple[int, ...], st.tuples(st.integers(), st.integers())),
    (tuple[int, int], st.tuples(st.integers(), st.integers())),
    (tuple[dt.date, dt.date], st.tuples(st.dates(), st.dates())),
    (list[dt.date], st.lists(st.dates())),
    (dict[str, int], st.dictionaries(texts, st.integers())),
    (dict, st.dictionaries(texts, st.integers() | texts)),
    (Point, st.builds(Point, x=st.integers(), y=st.integers(), label=texts)),
    (list[Point], st.lists(st.builds(Point, x=st.integers(), y=st.integers()))),
    (Annotated[int, Field(ge=0, le=100)], st.integers(0, 100)),
    (Annotated[str, Field(max_length=5)], st.text(min_size=1, max_size=5)),
]


@pytest.mark.parametrize(("annotation", "values"), CASES, ids=lambda v: str(v)[:40])
def test_round_trip(annotation: Any, values: st.SearchStrategy[Any]) -> None:
    codec = compile_codec(annotation)

    @settings(max_examples=60, deadline=None)
    @given(values)
    def check(value: Any) -> None:
        texts_out = codec.encode(value)
        assert texts_out, "a param must never encode to nothing (absent means deleted)"
        assert codec.decode(texts_out) == value

    check()


@pytest.mark.parametrize(
    ("annotation", "value", "expected"),
    [
        (bool, True, ["true"]),
        (bool, False, ["false"]),
        (dt.date, dt.date(2024, 3, 1), ["2024-03-01"]),
        (dt.datetime, dt.datetime(2024, 3, 1, 9, 30), ["2024-03-01T09:30:00"]),
        (dt.time, dt.time(9, 30), ["09:30:00"]),
        (Color, Color.BLUE, ["blue"]),
        (Level, Level.HIGH, ["2"]),
        (list[str], ["a", "b"], ["a", "b"]),
        (set[str], {"b", "a"}, ["a", "b"]),
        (tuple[int, int], (3, 7), ["3", "7"]),
        (list[str], [], [""]),
        (Optional[int], None, [""]),
        (dict[str, int], {"a": 1}, ['{"a":1}']),
        (Point, Point(x=1, y=2), ['{"x":1,"y":2,"label":""}']),
    ],
)
def test_text_is_human_readable(annotation: Any, value: Any, expected: list[str]) -> None:
    assert compile_codec(annotation).encode(value) == expected


def test_value_map_shows_friendly_text_and_reads_it_back() -> None:
    codec = compile_codec(int, {1: "one", 2: "two"})
    assert codec.encode(1) == ["one"]
    assert codec.encode(3) == ["3"]
    assert codec.decode(["two"]) == 2
    assert codec.decode(["3"]) == 3


def test_a_refused_choice_names_the_choices_as_the_url_writes_them() -> None:
    codec = compile_codec(Literal[10, 20, 30], {10: "books", 20: "games"})
    with pytest.raises(DecodeError) as refused:
        codec.decode(["xyz"])
    assert str(refused.value) == "'xyz' is not one of 'books', 'games', '30'"
    tags = compile_codec(list[Literal["Overview", "Orders"]], {"Overview": "overview", "Orders": "orders"})
    with pytest.raises(DecodeError, match="'xyz' is not one of 'overview', 'orders'"):
        tags.decode(["orders", "xyz"])
    assert compile_codec(Literal[10, 20], {10: "books"}).decode(["20"]) == 20  # the plain form still reads


def test_value_map_applies_to_each_list_item() -> None:
    codec = compile_codec(list[str], {"in_progress": "doing"})
    assert codec.encode(["in_progress", "done"]) == ["doing", "done"]
    assert codec.decode(["doing", "done"]) == ["in_progress", "done"]


@pytest.mark.parametrize(
    ("annotation", "texts_in", "reason"),
    [
        (int, ["abc"], "valid integer"),
        (int, ["1", "2"], "repeated"),
        (Color, ["green"], "not one of"),
        (dt.date, ["2024-13-01"], "date"),
        (Annotated[int, Field(ge=0)], ["-1"], "greater than or equal"),
        (tuple[int, int], ["1"], "expected 2 values"),
        (dict[str, int], ["{not json"], "JSON"),
        (bool, ["maybe"], "boolean"),
    ],
)
def test_bad_text_raises_a_readable_decode_error(annotation: Any, texts_in: list[str], reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        compile_codec(annotation).decode(texts_in)


def test_lax_text_is_accepted_and_canonicalised() -> None:
    codec = compile_codec(int)
    assert codec.decode([" 42"]) == 42
    assert codec.encode(42) == ["42"]
    assert compile_codec(bool).decode(["1"]) is True
