"""st-page-state: typed, namespaced Streamlit state that syncs with the URL.

```python
from st_page_state import PageState, StateVar

class FilterState(PageState):
    status: str = StateVar(default="pending", url_key="status")

st.selectbox("Status", ["pending", "active"], **FilterState.bind("status"))
```
"""

from .backends import RedisBackend
from .errors import (
    LinkError,
    NoSessionError,
    PageStateError,
    StateConfigError,
    StateValidationError,
    UnknownFieldError,
    WidgetOrderError,
)
from .fields import StateVar
from .notify import escape_markdown
from .panel import inspector
from .settings import configure
from .state import PageState

__version__ = "1.0.0"

__all__ = [
    "LinkError",
    "NoSessionError",
    "PageState",
    "PageStateError",
    "RedisBackend",
    "StateConfigError",
    "StateValidationError",
    "StateVar",
    "UnknownFieldError",
    "WidgetOrderError",
    "__version__",
    "configure",
    "escape_markdown",
    "inspector",
]
