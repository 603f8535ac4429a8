"""Every Streamlit input widget bound to a typed field, and the URL each one writes.

One ``PageState`` holds a field per widget; each widget gets
``**WidgetState.bind("field")``. Change anything and watch the typed value
in the table and the address bar: a multiselect fills a ``set[str]``, a
range slider a ``tuple[int, int]``, a date range a ``tuple[date, date]``,
the tabs and the expander remember which one is open.

Run: streamlit run examples/all_widgets.py
"""

import datetime as dt
from typing import Annotated, Literal

import streamlit as st
from pydantic import Field

from st_page_state import PageState, StateVar

SIZES = ["S", "M", "L", "XL"]
FRUITS = ["apple", "banana", "cherry"]
Percent = Annotated[int, Field(ge=0, le=100)]


class WidgetState(PageState):
    name: str = StateVar(default="", url_key="name")
    bio: str = StateVar(default="", url_key="bio")
    age: Annotated[int, Field(ge=0)] = StateVar(default=30, url_key="age")
    volume: Annotated[int, Field(ge=0, le=10)] = StateVar(default=5, url_key="volume")
    price_range: tuple[Percent, Percent] = StateVar(default=(20, 80), url_key="price")
    size: str = StateVar(default="M", url_key="size")
    fruit: str = StateVar(default="apple", url_key="fruit")
    basket: set[str] = StateVar(default_factory=set, url_key="basket")
    plan: Literal["free", "pro"] = StateVar(default="free", url_key="plan")
    agree: bool = StateVar(default=False, url_key="agree")
    dark: bool = StateVar(default=False, url_key="dark")
    day: dt.date = StateVar(default=dt.date(2025, 1, 1), url_key="day")
    trip: tuple[dt.date, dt.date] = StateVar(default=(dt.date(2025, 7, 1), dt.date(2025, 7, 14)), url_key="trip")
    alarm: dt.time = StateVar(default=dt.time(7, 30), url_key="alarm")
    color: str = StateVar(default="#1f77b4", url_key="color")
    topping: str | None = StateVar(default=None, url_key="topping")
    extras: list[str] = StateVar(default_factory=list, url_key="extra")
    view: Literal["list", "grid"] = StateVar(default="list", url_key="view")
    layers: list[str] = StateVar(default_factory=list, url_key="layer")
    stars: Annotated[int, Field(ge=0, le=4)] | None = StateVar(default=None, url_key="stars")
    tab: str = StateVar(default="Inputs", url_key="tab")
    more: bool = StateVar(default=False, url_key="more")


st.title("All widgets")
inputs, choices = st.tabs(["Inputs", "Choices"], **WidgetState.bind("tab"))
with inputs:
    left, right = st.columns(2)
    left.text_input("text_input → str", **WidgetState.bind("name"))
    right.text_area("text_area → str", height=68, **WidgetState.bind("bio"))
    left.number_input("number_input → int", **WidgetState.bind("age"))
    right.slider("slider → int", **WidgetState.bind("volume"))
    left.slider("slider (range) → tuple[int, int]", **WidgetState.bind("price_range"))
    right.date_input("date_input → date", **WidgetState.bind("day"))
    left.date_input("date_input (range) → tuple[date, date]", **WidgetState.bind("trip"))
    right.time_input("time_input → time", **WidgetState.bind("alarm"))
    left.color_picker("color_picker → str", **WidgetState.bind("color"))
    right.checkbox("checkbox → bool", **WidgetState.bind("agree"))
    right.toggle("toggle → bool", **WidgetState.bind("dark"))
with choices:
    left, right = st.columns(2)
    left.select_slider("select_slider → str", options=SIZES, **WidgetState.bind("size"))
    right.selectbox("selectbox → str", FRUITS, **WidgetState.bind("fruit"))
    left.multiselect("multiselect → set[str]", FRUITS, **WidgetState.bind("basket"))
    right.radio("radio → Literal", ["free", "pro"], horizontal=True, **WidgetState.bind("plan"))
    left.pills("pills → str | None", ["cheese", "ham"], **WidgetState.bind("topping"))
    right.pills("pills (multi) → list[str]", ["egg", "olive"], selection_mode="multi", **WidgetState.bind("extras"))
    left.segmented_control("segmented_control → Literal", ["list", "grid"], **WidgetState.bind("view"))
    right.segmented_control(
        "segmented_control (multi) → list[str]", ["map", "sat"], selection_mode="multi", **WidgetState.bind("layers")
    )
    left.feedback("stars", **WidgetState.bind("stars"))

with st.expander("expander → bool: the typed values", **WidgetState.bind("more")):
    # st.dataframe shows text as text (st.table would render Markdown from a link's values).
    values = WidgetState.dump()
    rows = [{"field": name, "value": repr(value), "type": type(value).__name__} for name, value in values.items()]
    st.dataframe(rows, hide_index=True)
st.caption(f"URL: `{WidgetState.url()}`")
