"""The session: the one place that changes a session's runtime (:mod:`..runtime`), in the order a run happens.

* :mod:`.run`: the run spine (beginning, body, end), and the entry points
  the rest of the package calls;
* :mod:`.tab`: tab identity, found in the first run and corrected by the browser;
* :mod:`.url_write`: the URL a run begins with, and its one write at the end;
* :mod:`.store_io`: store reads and writes;
* :mod:`.redefinition`: a class defined again (every run of the main script, a hot reload);
* :mod:`.changes`: the one function that assigns a field's value, and what the inspector records.

Other modules return decisions as data and this package applies them.
"""

from .changes import class_for
from .run import (
    RUNTIME_KEY,
    commit_widget,
    correct,
    current,
    current_if_begun,
    displaced,
    end_run,
    focus,
    input_errors,
    runtime_in,
    set_fallback,
    set_value,
    synced_values,
)
from .store_io import batch
from .tab import set_tab_id
from .url_write import apply_report

__all__ = [
    "RUNTIME_KEY",
    "apply_report",
    "batch",
    "class_for",
    "commit_widget",
    "correct",
    "current",
    "current_if_begun",
    "displaced",
    "end_run",
    "focus",
    "input_errors",
    "runtime_in",
    "set_fallback",
    "set_tab_id",
    "set_value",
    "synced_values",
]
