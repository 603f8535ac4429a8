"""``class Config:`` options, one small state each.

* ``url_prefix``: ``ProductList`` params become ``list_page``/``list_size``,
  so two states can both have a ``page`` field.
* ``clear_on_default``: ``Search`` keeps ``?q=`` out of the URL while empty.
* ``history = "push"``: each ``Gallery`` change is a browser history entry
  (press Back to see the previous photo); the default "replace" adds none.
* ``restore_url_on_touch = False``: delete ``?note=`` from the address bar
  and ``Notes`` leaves it out until the note changes (the default puts it back).
* ``url_selfish = False``: open the page with ``?utm_source=mail``; changing
  ``Notes`` keeps it, changing a selfish state (any other) drops it.

Run: streamlit run examples/config_options.py
"""

from typing import Annotated

import streamlit as st
from pydantic import Field

from st_page_state import PageState, StateVar

PHOTOS = ["🌄", "🏖️", "🏔️", "🌋", "🏝️", "🌅", "🏜️", "🌉", "🗻", "🌌"]


class ProductList(PageState):
    page: Annotated[int, Field(ge=1)] = StateVar(default=1, url_key="page")
    size: int = StateVar(default=20, url_key="size")

    class Config:
        url_prefix = "list_"
        share_url_with = ["Search", "Gallery", "Notes"]


class Search(PageState):
    q: str = StateVar(default="", url_key="q")

    class Config:
        clear_on_default = True
        share_url_with = [ProductList, "Gallery", "Notes"]


class Gallery(PageState):
    photo: Annotated[int, Field(ge=1, le=len(PHOTOS))] = StateVar(default=1, url_key="photo")

    class Config:
        history = "push"
        share_url_with = [ProductList, Search, "Notes"]


class Notes(PageState):
    note: str = StateVar(default="", url_key="note")

    class Config:
        restore_url_on_touch = False
        url_selfish = False


st.title("Config options")

st.subheader("url_prefix")
st.number_input("Page", **ProductList.bind("page"))
st.selectbox("Page size", [20, 50, 100], **ProductList.bind("size"))
st.caption(f"`{ProductList.url()}`")

st.subheader("clear_on_default")
st.text_input("Search", **Search.bind("q"))
st.caption(f"`{Search.url() or '(nothing: q is at its default)'}`")

st.subheader('history = "push"')
st.slider("Photo", **Gallery.bind("photo"))
st.markdown(f"# {PHOTOS[Gallery.photo - 1]}")

st.subheader("restore_url_on_touch = False, url_selfish = False")
st.text_input("Note", **Notes.bind("note"))
st.caption(f"`{Notes.url()}`")
