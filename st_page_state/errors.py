"""Exceptions raised by st-page-state.

Every error names the state class and the field involved, because a
Streamlit app usually has many states and the traceback alone rarely says
which one was misused.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Iterable

from pydantic import ValidationError


class PageStateError(Exception):
    """Base class for every error this library raises."""


class StateConfigError(PageStateError, TypeError):
    """A PageState class, its ``Config`` or one of its fields is declared wrongly.

    Raised at class creation, so a typo fails on the first run instead of
    silently doing nothing.
    """


class UnknownFieldError(PageStateError, AttributeError):
    """A field name that the state class does not declare.

    Subclasses ``AttributeError`` so ``hasattr``/``getattr(..., default)``
    keep working on state classes.
    """

    def __init__(self, state_name: str, name: str, known: Iterable[str]) -> None:
        known = list(known)
        matches = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""
        fields = ", ".join(known) if known else "(none)"
        super().__init__(
            f"{state_name} has no field {name!r}.{hint} Its fields are: {fields}."
        )
        self.state_name = state_name
        self.field_name = name
        self.close_matches = matches


class StateValidationError(PageStateError, ValueError):
    """A value does not fit the field's declared type or constraints.

    ``detail`` is pydantic's reason, for the developer (a ``pattern`` shows
    its regular expression); ``message`` is for the person who typed the
    value: the field's ``StateVar(error_message=...)``, else a plain reason.
    """

    def __init__(
        self, state_name: str, field_name: str, value: object, detail: str, message: str | None = None
    ) -> None:
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:79] + "…"
        super().__init__(f"{state_name}.{field_name} cannot be set to {shown}: {detail}")
        self.state_name = state_name
        self.field_name = field_name
        self.value = value
        self.detail = detail
        self.message = message if message is not None else detail


class LinkError(PageStateError, ValueError):
    """A link that cannot be written: a session-only field in ``link()``, or two links giving one param two values."""


class NoSessionError(PageStateError, RuntimeError):
    """State was used outside a Streamlit script run, where no session exists."""

    @classmethod
    def here(cls) -> NoSessionError:
        """The error for this thread: outside any script run, or in a thread the script started."""
        thread = threading.current_thread()
        if thread is threading.main_thread():
            return cls(
                "PageState values live in a Streamlit session: read and write them while a "
                "script runs (`streamlit run app.py`, or AppTest in tests)."
            )
        return cls(
            f"PageState values live in a Streamlit session, and this thread ({thread.name!r}) has none: "
            "Streamlit gives its session only to the thread that runs the script, not to threads the "
            "script starts (a ThreadPoolExecutor, threading.Thread). Read the values in the script and "
            "pass them to the thread; write results back in the script once the thread is done."
        )


class WidgetOrderError(PageStateError, RuntimeError):
    """A field was set from code after its bound widget rendered in the same run."""


def validation_reason(exc: ValidationError, *, for_visitor: bool = False) -> str:
    """The first reason pydantic gives, with where in the value it applies, for a one-line message.

    ``for_visitor``: for someone who typed the value or opened a link, not
    the developer: a ``pattern`` is not quoted (a regular expression says
    nothing to a visitor), the field's own message says what to enter.
    """
    errors = exc.errors(include_url=False)
    if not errors:
        return str(exc)
    err = errors[0]
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "")
    message = _VISITOR_MESSAGES.get(err["type"], err["msg"]) if for_visitor else err["msg"]
    return f"{message}" + (f" (at {where})" if where else "")


_VISITOR_MESSAGES = {
    "string_pattern_mismatch": "Not in the expected format",
}
"""pydantic messages that address the developer, and what a visitor reads instead."""


# 0.2.x names, kept so that code written for 0.2.x still imports (see README, "Coming from 0.2.x").
StPageStateError = PageStateError
"""The 0.2.x name of :class:`PageStateError`."""


class InvalidQueryParamError(PageStateError, ValueError):
    """Raised by 0.2.x for URL text it could not parse; st-page-state 1.x never raises it.

    Since 1.0 an invalid URL value is rejected with a warning (``st.toast``
    and the log) and the field keeps its value: no URL can make a page
    raise. The class stays so that ``except InvalidQueryParamError`` in
    0.2.x-era code still imports.
    """
