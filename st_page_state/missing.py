"""The library's one sentinel: "no value given", where ``None`` is a real value.

An ``Enum`` member rather than a bare ``object()``: type checkers narrow
``x: int | Missing`` with ``x is MISSING``, it pickles by name (session
state may be pickled), and its repr says what it is.
"""

from __future__ import annotations

from enum import Enum
from typing import Final


class Missing(Enum):
    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing.MISSING
