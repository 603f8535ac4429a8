"""The data one browser session keeps: values, what the URL holds, who the session is.

Everything per session lives in one :class:`SessionRuntime` stored in
``st.session_state`` (Streamlit serves many sessions from threads of one
process, so nothing per session may live on a class or a module). This
module only declares the data; ``session.py`` is the one place that changes
it, in the order a run happens.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .bridge import BridgeMount
from .identity import TabSource
from .query import Query
from .schema import StateClass
from .trace import Origin, RejectedParam, UrlWrite
from .widgets.links import WidgetLinks


@dataclass(frozen=True)
class InputError:
    """A value a bound widget entered that its field refused, in this run."""

    message: str
    """For the person: the field's ``error_message``, else a plain reason."""
    value: Any
    """What the widget holds (and keeps showing)."""
    new: bool
    """Refused for the first time (not the same entry, refused again in a later run): worth a warning."""


@dataclass
class RunRecord:
    """What happened in the current run; replaced when the next run begins."""

    url: Query = field(default_factory=Query)
    """The query string this run works from (Streamlit's, or the bridge's report of the address bar)."""
    received: Query = field(default_factory=Query)
    """The query string Streamlit gave the run (``url`` may differ: see ``session._begin_run``)."""
    edited_outside: bool = True
    """``url`` differs from what the engine last wrote: a class's first use in the run looks for edits."""
    history_navigation: bool = False
    """The run was caused by the browser's Back/Forward buttons."""
    page_changed: bool = False
    """The run shows another page than the last full run."""
    carried: bool = False
    """A page switch carried the session's own URL to this page: nothing in it is news, and the
    previous page's params are not this page's (see ``session.url_write.carried_over``)."""
    previous_page: frozenset[str] = frozenset()
    """After a page switch, the namespaces the page left used (its last run's, finished or not)."""
    synced: set[str] = field(default_factory=set)
    """Namespaces synced with the URL in this run."""
    touched: list[str] = field(default_factory=list)
    """Namespaces used in this run, in order of first use."""
    changed: dict[str, set[str]] = field(default_factory=dict)
    """Per namespace, the fields code or a widget changed in this run (user changes)."""
    assigned: dict[str, set[str]] = field(default_factory=dict)
    """Per namespace, every field whose value changed in this run, whoever changed it."""
    repairs: dict[str, set[str]] = field(default_factory=dict)
    """Per namespace, params to rewrite though no user changed them (rejected, restored, widget fallback)."""
    displaced: dict[tuple[str, str], Any] = field(default_factory=dict)
    """Per (namespace, field), the value a URL value replaced in this run: what a widget that cannot
    show the URL's value goes back to."""
    focused: set[str] = field(default_factory=set)
    """Namespaces that focus the URL in this run (a selfish change, ``focus()``, first use on a new page)."""
    flushed: bool = False
    """This run's URL was written."""
    corrected: bool = False
    """A value was replaced because its widget could not show it, maybe after it was drawn: the run ends
    with a redraw, so everything on the page agrees."""
    redraw: bool = False
    """This run is such a redraw: it asks for no other."""
    publishing: bool = False
    """Synced values are published for C-speed reads (the runner forgets them when its next run starts)."""
    input_errors: dict[str, dict[str, InputError]] = field(default_factory=dict)
    """Per namespace, the fields that refused a widget's value in this run (``PageState.errors()``)."""
    errors_read: set[str] = field(default_factory=set)
    """Namespaces whose ``errors()`` the app read in this run (it shows them: no toast)."""
    bound_keys: set[str] = field(default_factory=set)
    """Widget keys bind() gave out in this run (a second widget with one of them is refused with advice)."""
    tab_mounted: bool = False
    """This run mounted the tab element. It is sent in one run only, so if the next run follows at once
    (a redraw, or this run was cut short) the browser may drop it before the bridge's script read it."""

    def carry_into(self, nxt: RunRecord) -> None:
        """Hand what a run cut short (``st.stop()``, an exception) did not write to the next run of its page."""
        nxt.assigned = self.assigned
        nxt.changed = self.changed
        nxt.focused = self.focused
        nxt.repairs = self.repairs
        nxt.touched = list(self.touched)


RECENT_URLS = 6
"""URLs kept in ``Persistence.recent_urls``."""


@dataclass
class Unread:
    """A class whose stored document could not be read (the store was down or slow): it is read again."""

    url: Query
    """The URL the class's first use saw: the late document is decided against it."""
    values: dict[str, Any]
    """The class's values right after that use: a field still equal is untouched, and takes the store's value."""
    since: float
    """``time.monotonic()`` of the failed read."""


@dataclass
class Persistence:
    """What one session knows about its stored state."""

    identity: str | None = None
    """Whose state the session holds, as used for store keys; None: nobody's yet."""
    saved: dict[str, str] = field(default_factory=dict)
    """Per namespace, the JSON text the store is known to hold (nothing to write while equal)."""
    pending: dict[str, tuple[str, float, int]] = field(default_factory=dict)
    """Per namespace, the JSON text handed to the store's writer and not landed yet, since when (the
    oldest change not stored), and the number of that hand-over (``submitted``)."""
    submitted: int = 0
    """Hand-overs to the store's writer so far: tells this session's own newer write from another's."""
    unread: dict[str, Unread] = field(default_factory=dict)
    """Namespaces whose stored document is unknown (the read failed): never saved until it arrives."""
    confirmed: bool = False
    """A person uses the tab (it ran again after its first run, or its stored state says so): its
    documents are kept for their full lifetime. Until then they are provisional."""
    provisional: set[str] = field(default_factory=set)
    """Namespaces written provisionally: written again, for good, once the tab is confirmed."""
    over_url: dict[str, frozenset[str]] = field(default_factory=dict)
    """Per namespace, the fields whose stored value beat the URL's param on the class's first use."""
    own_urls: list[str] | None = None
    """The tab's own URLs at this page load: what its previous page showed as it began to leave and as
    it went (the reload cookie); None: the URL the page loaded with. A param that differs from them all is
    an edit or a link."""
    recent_urls: deque[str] = field(default_factory=lambda: deque(maxlen=RECENT_URLS))
    """The last URLs the address bar may show (received, adopted or written), as query texts: it lags
    behind the session's writes by the messages on their way, and by runs cut short before theirs. Texts,
    not queries: six dicts of a 200-param URL would add about 50 KiB to every session."""
    notice: str | None = None
    """The kind of wait the last full run told the visitor about ("restore", "save"), if any."""
    news: deque[tuple[Any, ...]] = field(default_factory=deque)
    """What the store's writer thread reports (a write landed, a read arrived), read at the next run."""


WRITTEN_KEPT = 32
"""How many recent URL writes a session recognises as the frontend's echo (a burst of clicks lags a few)."""

_TRANSIENT = ("marker", "lock", "classes")
"""Attributes that hold code, locks or per-run identity, not data: never pickled."""


@dataclass
class SessionRuntime:
    """All st-page-state data of one browser session."""

    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per namespace, the value of every field."""
    initialized: set[str] = field(default_factory=set)
    """Namespaces whose ``on_init`` has run."""
    snapshot: Query | None = None
    """The query string the engine last wrote (None: never); a param that differs was edited outside."""
    snapshot_text: str = ""
    """``snapshot`` encoded, as the bridge is sent it."""
    snapshot_states: frozenset[str] = frozenset()
    """Namespaces whose params were planned into ``snapshot``: a run using only these, changing
    nothing, ends with the same URL and skips planning."""
    written: deque[tuple[int, int]] = field(default_factory=lambda: deque(maxlen=WRITTEN_KEPT))
    """The last URL writes sent through Streamlit, as (number like ``writes``, ``Query.fingerprint()``):
    its frontend may send one back."""
    held_until: float = 0.0
    """``time.monotonic()`` until which writes are held for the bridge while none went through Streamlit
    (see ``session.url_write.BRIDGE_LOAD_S``)."""
    held_over: Query | None = None
    """The query Streamlit's frontend still holds after a write the bridge applied itself (``held``):
    the frontend sends it with its next runs until a write goes through Streamlit, and it is no news."""
    echo_floor: int = 0
    """Writes numbered below this cannot come back from the frontend any more (it sent a later one)."""
    revision: int = 0
    """Bumped on every URL write; the bridge tags reports with it so stale ones are dropped."""
    writes: int = 0
    """URL writes so far (tests, benchmarks, the inspector)."""
    page: str | None = None
    """Page script hash of the last full run (set as it begins: a run cut short showed its page too)."""
    last_touched: set[str] = field(default_factory=set)
    """Namespaces the last full run used: their params stay through a fragment run."""
    tab_id: str | None = None
    """The browser tab's identity (see ``identity.py``); None: not known (no bridge)."""
    tab_source: TabSource | None = None
    """Where ``tab_id`` came from; the bridge checks a cookie's or a minted id against the tab."""
    browser: str | None = None
    """This session's browser (``_streamlit.browser_key``), for :mod:`.recent_tabs`; None: not known."""
    tab_announced: bool = False
    """The tab id was handed to the browser (the bridge's early element was mounted)."""
    tab_corrected: bool = False
    """The browser corrected the tab: from then on, URL data confirms the id the server holds."""
    persistence: Persistence = field(default_factory=Persistence)
    """Whose stored state the session holds and what the store has."""
    loaded_url: str | None = None
    """The query string the page loaded with (the session's first run received it), as text:
    needed only if the browser corrects the tab, and a parsed copy of a long URL costs tens of KiB."""
    edited: dict[str, set[str]] = field(default_factory=dict)
    """Per namespace, the fields code or a widget changed in this session (they survive a tab correction)."""
    unsaved: set[str] = field(default_factory=set)
    """Namespaces changed since their last save."""
    batch: int = 0
    """Depth of batched writes (widget commits, ``load()``): saving waits until the batch ends."""
    widgets: WidgetLinks = field(default_factory=WidgetLinks)
    """The session's bound widgets."""
    bridge: BridgeMount = field(default_factory=BridgeMount)
    """Where the URL bridge is mounted and what it was last sent."""
    redraw_requested: bool = False
    """The last run corrected a value its widget could not show; the next run redraws the page."""
    owned: tuple[frozenset[str], list[str]] = (frozenset(), [])
    """The params owned by a set of namespaces, as last computed (runs mostly use the same states)."""
    origins: dict[str, dict[str, Origin]] = field(default_factory=dict)
    """Per namespace, where each field's value came from when it last changed (not listed: its default)."""
    url_writes: tuple[UrlWrite, ...] = ()
    """The last few URL writes, oldest first (``trace.KEPT`` at most; the inspector shows them)."""
    rejected: tuple[RejectedParam, ...] = ()
    """The last few URL params the engine refused, oldest first (``trace.KEPT`` at most)."""
    sources: dict[str, str] = field(default_factory=dict)
    """Per place a class is written (``StateSchema.origin``), the namespace the session uses for it."""
    collisions_warned: set[tuple[str, str]] = field(default_factory=set)
    """Pairs of namespaces whose shared URL params this session warned about (once each)."""
    run: RunRecord = field(default_factory=RunRecord)
    """The current run."""
    marker: object | None = None
    """Identity of the run that began last (Streamlit gives each run a new one)."""
    lock: threading.RLock = field(default_factory=threading.RLock)
    """Held while a class is synced or the URL planned (a run and a fragment may overlap)."""
    classes: dict[str, StateClass] = field(default_factory=dict)
    """The class object last used per namespace (the main script redefines its classes every run)."""

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in _TRANSIENT}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.marker, self.lock, self.classes = None, threading.RLock(), {}
