"""Type-checked, never run: what an IDE sees for PageState fields."""

import datetime as dt
from typing import Literal

from st_page_state import PageState, StateVar, configure


class FilterState(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    due: dt.date | None = StateVar(default=None, url_key="due")
    mode: Literal["grid", "list"] = "grid"


reveal_type(FilterState.status)
reveal_type(FilterState.page)
reveal_type(FilterState.tags)
reveal_type(FilterState.due)
reveal_type(FilterState.mode)
reveal_type(FilterState.bind("status"))
reveal_type(FilterState.dump())
reveal_type(FilterState.url(page=2))
FilterState.status = "active"
FilterState.page = "three"  # error: str is not int


class Mismatched(PageState):
    count: int = StateVar(default="one")  # error: the default is not an int
    ratio: float = StateVar(default=1)  # fine: an int is a float
    names: list[str] = StateVar(default_factory=lambda: [1, 2])  # error: list[int] is not list[str]


configure(toasts="no")  # error: toasts takes a bool
configure(store="redis://localhost")  # error: not a store
