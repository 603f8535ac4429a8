"""The Tasks page's state. It lives in a module (not in ``tasks.py``) so that other pages can link to it:
``TaskState.link(status="open")`` needs the class, and importing a page would run it.
"""

from typing import Literal

from st_page_state import PageState, StateVar


class TaskState(PageState):
    status: Literal["open", "done"] | None = StateVar(default="open", url_key="status")
    search: str = StateVar(default="", url_key="search")
