"""Values a widget entered and its field refused: which still stand, and the warning for new ones.

A refused entry stays in its widget (the person sees what they typed) until
code or a later entry replaces it; ``PageState.errors()`` lists the ones
that still stand, and the end of the run warns about the new ones.
"""

from __future__ import annotations

from .. import notify
from ..log import shown
from ..missing import MISSING
from ..runtime import SessionRuntime
from .changes import class_for


def refused(rt: SessionRuntime, ns: str, name: str) -> bool:
    """A widget of the field still holds an entry the field refused (code may have replaced it since)."""
    return any(link.rejected is not MISSING for link in rt.widgets.for_field(ns, name))


def report_input_errors(rt: SessionRuntime) -> None:
    """A value a widget entered and the field refused (new in this run): a warning, a toast unless the app showed it.

    An app that reads ``State.errors()`` shows the message where it
    belongs (next to the field); a toast would say it twice.
    """
    for ns, errors in rt.run.input_errors.items():
        cls = class_for(rt, ns)
        name = cls.__state_schema__.name if cls is not None else ns
        for field_name, error in errors.items():
            if not error.new or not refused(rt, ns, field_name):
                continue
            kept = shown(rt.values[ns][field_name]) if ns in rt.values else "its value"
            notify.warn(
                f"{name}.{field_name}: {error.message} ({shown(error.value)} was not taken; the field keeps {kept}).",
                toast=ns not in rt.run.errors_read,
            )
