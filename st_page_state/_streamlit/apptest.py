"""What :mod:`st_page_state.testing` reads of an ``AppTest``.

+------------------------------------+----------------------------+-------------------+-------------------------------+
| internal                           | why no public API serves   | checked on        | fallback when missing         |
+====================================+============================+===================+===============================+
| ``apptest_script_path``: read:     | AppTest does not expose    | 1.55-1.67         | testing.reload() raises       |
| AppTest._script_path               | the path of its script     |                   | TypeError naming this entry   |
+------------------------------------+----------------------------+-------------------+-------------------------------+
"""

from __future__ import annotations

from typing import Any

from . import capabilities
from .capabilities import Capabilities

_caps = capabilities.CURRENT


@capabilities.applies
def _use(caps: Capabilities) -> None:
    global _caps
    _caps = caps


def script_path(at: Any) -> str:
    """The path of the script ``at`` runs (AppTest.from_file and from_string both keep one).

    Raises TypeError when it cannot be told: this Streamlit's AppTest keeps
    no ``_script_path`` (the inventory entry ``apptest_script_path``), or
    ``at`` was not made by ``from_file``/``from_string``.
    """
    path = getattr(at, "_script_path", None) if _caps.apptest_script_path else None
    if not isinstance(path, str):
        raise TypeError(
            "reload() needs an AppTest created with AppTest.from_file or from_string"
            + ("" if _caps.apptest_script_path else " (this Streamlit's AppTest has no apptest_script_path)")
        )
    return path
