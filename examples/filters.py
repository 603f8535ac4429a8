"""Filters with typed fields: ``Literal``, ``Enum``, ``int`` and ``date``.

Every filter is in the URL, so a filtered view is a link you can share:
``?status=open&category=books&min_price=10&since=2024-03-01&page=2``.
``value_map`` shows friendly text in the URL for values that are not (the
``Category`` enum stores database codes 10/20/30; the URL says ``books``).
Changing a filter goes back to page 1 through the widget's ``on_change``.

Run: streamlit run examples/filters.py
"""

import datetime as dt
import enum
import math
from typing import Annotated, Literal

import streamlit as st
from pydantic import Field

from st_page_state import PageState, StateVar


class Category(enum.IntEnum):
    BOOKS = 10
    GAMES = 20
    MUSIC = 30


class FilterState(PageState):
    status: Literal["all", "open", "closed"] = StateVar(default="all", url_key="status")
    category: Category = StateVar(
        default=Category.BOOKS,
        url_key="category",
        value_map={Category.BOOKS: "books", Category.GAMES: "games", Category.MUSIC: "music"},
    )
    min_price: Annotated[int, Field(ge=0)] = StateVar(default=0, url_key="min_price")
    since: dt.date = StateVar(default=dt.date(2024, 1, 1), url_key="since")
    page: Annotated[int, Field(ge=1)] = StateVar(default=1, url_key="page")


ITEMS = [
    {
        "id": i,
        "category": list(Category)[i % 3].name.lower(),
        "status": "open" if i % 4 else "closed",
        "price": (i * 7) % 60,
        "listed": dt.date(2024, 1, 1) + dt.timedelta(days=i * 3),
    }
    for i in range(120)
]
PAGE_SIZE = 10


def first_page() -> None:
    FilterState.page = 1


st.title("Filters")
left, right = st.columns(2)
left.selectbox("Status", ["all", "open", "closed"], **FilterState.bind("status", on_change=first_page))
right.selectbox(
    "Category",
    list(Category),
    format_func=lambda c: c.name.title(),
    **FilterState.bind("category", on_change=first_page),
)
left.number_input("Minimum price", step=5, **FilterState.bind("min_price", on_change=first_page))
right.date_input("Listed since", **FilterState.bind("since", on_change=first_page))

rows = [
    item
    for item in ITEMS
    if item["category"] == FilterState.category.name.lower()
    and FilterState.status in ("all", item["status"])
    and item["price"] >= FilterState.min_price
    and item["listed"] >= FilterState.since
]
pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
if FilterState.page > pages:
    FilterState.page = pages

st.number_input(f"Page (of {pages})", **FilterState.bind("page", max_value=pages))
start = (FilterState.page - 1) * PAGE_SIZE
st.dataframe(rows[start : start + PAGE_SIZE], hide_index=True)
st.caption(f"{len(rows)} matching items · share this view: `{FilterState.url()}`")
