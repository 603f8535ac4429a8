"""The state every page of the multipage example shares: the sidebar's team filter.

It lives in a module (not in ``app.py``) so the pages can import it.
"""

from typing import Literal

from st_page_state import PageState, StateVar

Team = Literal["all", "web", "data"]


class SidebarState(PageState):
    team: Team = StateVar(default="all", url_key="team")
