"""Tabs navigation: the open tab is in the URL (``?tab=orders``).

``st.tabs`` with a key tracks the selected tab, so ``bind`` makes it a view
of ``NavState.tab``: a link opens the right tab, a refresh keeps it, and
code can switch tabs (the "Open order" buttons). ``history="push"`` makes
every tab switch a browser history entry: Back returns to the previous tab.
Only the open tab's content runs (``tab.open``).

Run: streamlit run examples/tabs_navigation.py
"""

from typing import Literal

import streamlit as st

from st_page_state import PageState, StateVar

Tab = Literal["Overview", "Orders", "Settings"]
OrderId = Literal[101, 102, 103]
ORDERS: dict[OrderId, str] = {101: "3 books", 102: "1 game", 103: "2 records"}


class NavState(PageState):
    tab: Tab = StateVar(
        default="Overview",
        url_key="tab",
        value_map={"Overview": "overview", "Orders": "orders", "Settings": "settings"},
        history="push",
    )
    order: OrderId | None = StateVar(default=None, url_key="order", clear_on_default=True)
    dark_mode: bool = StateVar(default=False, url_key="dark")


def open_order(order_id: OrderId) -> None:
    NavState.order = order_id
    NavState.tab = "Orders"


st.title("Tabs navigation")
overview, orders, settings = st.tabs(["Overview", "Orders", "Settings"], **NavState.bind("tab"))

if overview.open:
    with overview:
        st.write("Recent orders:")
        for order_id in ORDERS:
            st.button(f"Open order {order_id}", on_click=open_order, args=(order_id,))

if orders.open:
    with orders:
        st.selectbox(
            "Order", list(ORDERS), format_func=lambda o: f"#{o}", placeholder="Pick one", **NavState.bind("order")
        )
        if NavState.order is not None:
            st.info(f"Order #{NavState.order}: {ORDERS.get(NavState.order, 'unknown')}")

if settings.open:
    with settings:
        st.toggle("Dark mode", **NavState.bind("dark_mode"))

st.caption(f"Tab: **{NavState.tab}** · URL: `{NavState.url()}`")
