"""Lists, sets, tuples, dates and datetimes, readable in the URL.

Collections become repeated keys (``?city=Paris&city=Rome``), dates and
datetimes ISO 8601 (``?start=2025-06-01&depart=2025-06-01T09:30:00``), a
tuple range two values (``?budget=500&budget=2000``). Edit any of them in
the address bar: the app adopts valid edits and rejects the rest.

Run: streamlit run examples/collections_dates.py
"""

import datetime as dt
from typing import Annotated, Literal, get_args

import streamlit as st
from pydantic import Field

from st_page_state import PageState, StateVar

City = Literal["Paris", "Rome", "Lisbon", "Vienna", "Prague"]
Day = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
Euros = Annotated[int, Field(ge=0, le=5000)]
CITIES, DAYS = list(get_args(City)), list(get_args(Day))


class TripState(PageState):
    cities: list[City] = StateVar(default_factory=lambda: ["Paris"], url_key="city")
    days: set[Day] = StateVar(default_factory=lambda: {"Sat", "Sun"}, url_key="day")
    budget: tuple[Euros, Euros] = StateVar(default=(500, 2000), url_key="budget")
    start: dt.date = StateVar(default=dt.date(2025, 6, 1), url_key="start")
    depart: dt.datetime = StateVar(default=dt.datetime(2025, 6, 1, 9, 30), url_key="depart")


st.title("Trip planner")
st.multiselect("Cities (a list: order kept)", CITIES, **TripState.bind("cities"))
st.pills("Travel days (a set)", DAYS, selection_mode="multi", **TripState.bind("days"))
st.slider("Budget (a tuple)", step=100, **TripState.bind("budget"))
st.date_input("Start (a date)", **TripState.bind("start"))
st.datetime_input("Departure (a datetime)", **TripState.bind("depart"))

low, high = TripState.budget
days = sorted(TripState.days, key=DAYS.index)
st.write(
    f"{' → '.join(TripState.cities) or 'Nowhere yet'}, from {TripState.start:%d %b %Y}, "
    f"leaving {TripState.depart:%H:%M} on {', '.join(days) or 'no day'}, budget {low}–{high} €."
)
st.code(TripState.url(), language=None)
