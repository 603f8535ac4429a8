"""Which widget shows which field, and the value the two last agreed on.

A bound widget and its field are two copies of one value: the field lives
in the session runtime (it survives the widget not being rendered, a page
switch, a reload), the widget's copy lives under its key in
``st.session_state`` (which Streamlit deletes whenever the widget is not
rendered). A :class:`WidgetLink` remembers the value both sides last agreed
on (``shown``), so a difference tells who moved: the widget (the user
changed it) or the field (code, the URL or the store changed it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..bounds import Bounds
from ..missing import MISSING


@dataclass
class WidgetLink:
    """One widget bound to one field."""

    key: str
    """The widget's key in ``st.session_state``."""
    namespace: str
    """The state class's namespace."""
    field: str
    """The field's name."""
    shown: Any = MISSING
    """The widget value that widget and field last agreed on (MISSING: none yet)."""
    options: list[Any] | None = None
    """The options passed to ``bind()`` (as ``options=``/``tabs=``), if any."""
    waiting: bool = False
    """The widget holds an incomplete range; left alone until the user finishes."""
    bounds: Bounds = Bounds()
    """The values the widget can show, as bind() last saw its call (see ``widgets/ranges.py``)."""
    replaceable: bool = True
    """Streamlit may draw the widget with another value than the one it was given (``ranges.may_replace``)."""
    rejected: Any = MISSING
    """The widget value the field refused (MISSING: none): the widget keeps showing it, so the person can
    correct what they typed, until they change it or the field changes."""


@dataclass
class WidgetLinks:
    """Every bound widget of one session, by widget key and by field."""

    by_key: dict[str, WidgetLink] = field(default_factory=dict)
    """Each link under its widget key."""
    by_field: dict[tuple[str, str], list[WidgetLink]] = field(default_factory=dict)
    """The links of each ``(namespace, field)``: bind() and every change look here, so it is an index."""

    def link(self, key: str, namespace: str, name: str) -> tuple[WidgetLink, bool, bool]:
        """The link for ``key`` (made, or re-pointed, for this field); whether it is new; whether the field had none."""
        first = (namespace, name) not in self.by_field
        link = self.by_key.get(key)
        if link is not None and (link.namespace, link.field) == (namespace, name):
            return link, False, first
        if link is not None:
            self._unindex(link)
        link = WidgetLink(key=key, namespace=namespace, field=name)
        self.by_key[key] = link
        self.by_field.setdefault((namespace, name), []).append(link)
        return link, True, first

    def for_field(self, namespace: str, name: str) -> list[WidgetLink]:
        return self.by_field.get((namespace, name), [])

    def bounds_of(self, namespace: str) -> dict[str, Bounds]:
        """Per field of ``namespace``, the range every one of its widgets can show (for URL adoption)."""
        found: dict[str, Bounds] = {}
        for (ns, name), links in self.by_field.items():
            if ns != namespace:
                continue
            for link in links:
                if link.bounds:
                    found[name] = found[name].narrowed(link.bounds) if name in found else link.bounds
        return found

    def __bool__(self) -> bool:
        return bool(self.by_key)

    def _unindex(self, link: WidgetLink) -> None:
        siblings = self.by_field.get((link.namespace, link.field), [])
        if link in siblings:
            siblings.remove(link)
        if not siblings:
            self.by_field.pop((link.namespace, link.field), None)
