"""Forms: bound widgets inside ``st.form`` change the state when the form is submitted.

Inside a form Streamlit sends widget values only on submit, so the state
and the URL change once, when you press "Search", not on every keystroke.
``bind()`` needs nothing special for that: the submitted values are in the
state before the first line of the script reads it, so the results above
the form are already up to date. "Clear" resets the state from a button
callback, and the form's widgets show the defaults again.

The second form validates: an e-mail the field refuses stays in the box,
to be corrected, the field keeps its value, and ``AlertState.errors()``
gives the field's own message to show under it.

Run: streamlit run examples/form.py
"""

from typing import Annotated, Literal

import streamlit as st
from pydantic import Field

from st_page_state import PageState, StateVar, escape_markdown

Category = Literal["all", "books", "games", "music"]
ITEMS = [
    ("Dune", "books", 12, True),
    ("Catan", "games", 45, False),
    ("Kind of Blue", "music", 20, True),
    ("Neuromancer", "books", 9, True),
    ("Carcassonne", "games", 30, True),
    ("Abbey Road", "music", 25, False),
]


class SearchState(PageState):
    text: str = StateVar(default="", url_key="q")
    category: Category = StateVar(default="all", url_key="category")
    max_price: Annotated[int, Field(ge=0, le=50)] = StateVar(default=50, url_key="max_price")
    in_stock: bool = StateVar(default=False, url_key="in_stock")


st.title("Search form")

found = [
    name
    for name, category, price, in_stock in ITEMS
    if SearchState.text.lower() in name.lower()
    and SearchState.category in ("all", category)
    and price <= SearchState.max_price
    and (in_stock or not SearchState.in_stock)
]
st.write(f"**{len(found)} found:** {', '.join(found) or 'nothing'}")

with st.form("search"):
    st.text_input("Name contains", **SearchState.bind("text"))
    st.selectbox("Category", ["all", "books", "games", "music"], **SearchState.bind("category"))
    st.slider("Maximum price", **SearchState.bind("max_price"))
    st.checkbox("In stock only", **SearchState.bind("in_stock"))
    st.form_submit_button("Search")

st.button("Clear", on_click=SearchState.reset)
st.caption(f"URL: `{SearchState.url()}`")

Email = Annotated[str, Field(pattern=r"^([^@\s]+@[^@\s]+\.[A-Za-z]{2,})?$", max_length=120)]


class AlertState(PageState):
    """Session only (no url_key): an e-mail address does not belong in a URL."""

    email: Email = StateVar(default="", error_message="Enter an e-mail address, like ada@example.com")


st.subheader("New items by e-mail")
with st.form("alert"):
    st.text_input("E-mail", placeholder="ada@example.com", **AlertState.bind("email"))
    if message := AlertState.errors().get("email"):
        st.error(message)
    subscribed = st.form_submit_button("Subscribe")
if subscribed and AlertState.email and not AlertState.errors():
    st.success(f"We will write to {escape_markdown(AlertState.email)} when new items arrive.")
