"""A tab's identity on the server: the guess for a page whose previous page left no cookie (``recent_tabs``),
the browser's key, and the tab element outliving an interrupted run.

Mostly pure: a fake clock and a table of which sessions are still connected. The
browser test (tests/e2e/test_never_lose_work.py) holds the bridge's module
back to make a real page go away before its bridge loaded.
"""

from __future__ import annotations

import pytest

from st_page_state import _streamlit as stx
from st_page_state._streamlit import client
from st_page_state.recent_tabs import MAX_SESSIONS_PER_BROWSER, RECENT_S, RecentTabs

A, B = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def registry() -> tuple[RecentTabs, Clock]:
    clock = Clock()
    return RecentTabs(clock), clock


def test_a_page_gone_a_moment_ago_gives_its_tab_to_the_same_browsers_new_session() -> None:
    tabs, clock = registry()
    tabs.ran("browser-1", "s1", A)
    clock.now += 2
    assert tabs.guess("browser-1", "s2", connected=lambda sid: False) == A


def test_no_guess_for_another_browser_an_open_session_or_a_page_gone_long_ago() -> None:
    tabs, clock = registry()
    tabs.ran("browser-1", "s1", A)
    assert tabs.guess("browser-2", "s2", connected=lambda sid: False) is None
    assert tabs.guess("browser-1", "s2", connected=lambda sid: True) is None  # a live tab of that browser
    assert tabs.guess("browser-1", "s1", connected=lambda sid: False) is None  # never its own session
    clock.now += RECENT_S + 0.1
    assert tabs.guess("browser-1", "s2", connected=lambda sid: False) is None


def test_the_gone_session_that_ran_last_wins_over_older_ones_and_live_ones() -> None:
    tabs, clock = registry()
    tabs.ran("browser-1", "old", A)
    clock.now += 1
    tabs.ran("browser-1", "gone", B)
    clock.now += 1
    tabs.ran("browser-1", "live", A)
    assert tabs.guess("browser-1", "new", connected=lambda sid: sid == "live") == B


def test_memory_is_bounded_per_browser() -> None:
    tabs, clock = registry()
    for index in range(MAX_SESSIONS_PER_BROWSER + 5):
        clock.now += 0.01
        tabs.ran("browser-1", f"s{index}", A if index else B)
    assert len(tabs._browsers["browser-1"]) == MAX_SESSIONS_PER_BROWSER
    assert tabs.guess("browser-1", "new", connected=lambda sid: sid != "s0") is None  # s0 was forgotten


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        # Two page loads of one browser: another mask each time, the same token (seen from Streamlit 1.67).
        ("2|76cb9e15|00c0c6ac1d637102e31c3618f0487247|1795300894", "760b58b96ba8ef1795d7a80d8683ec52"),
        ("2|c79022c6|b19b7a7fac38cdd152478acb4113ce94|1795300894", "760b58b96ba8ef1795d7a80d8683ec52"),
        ("plain-token", "plain-token"),
        ("2|zz|00|1", "2|zz|00|1"),
        (None, None),
    ],
)
def test_browser_key_is_the_xsrf_token_without_its_per_load_mask(
    monkeypatch: pytest.MonkeyPatch, cookie: str | None, expected: str | None
) -> None:
    monkeypatch.setattr(client, "cookies", lambda: {} if cookie is None else {"_streamlit_xsrf": cookie})
    assert stx.browser_key() == expected


@pytest.mark.skipif(
    not stx.DETECTED.toast_delta,
    reason="Streamlit before 1.62 keeps none of an interrupted run's toasts, so there is no gap to close "
    "(tests/test_streamlit_fallbacks.py checks that nothing is kept there)",
)
def test_an_interrupted_run_keeps_the_tab_element_with_its_toasts() -> None:
    """Streamlit keeps an interrupted run's unsent toasts; the tab element before them must stay too (no gap)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    from st_page_state.bridge import TAB_KEY, is_tab_element

    stx.keep_through_interrupts(is_tab_element)
    queue = ForwardMsgQueue()
    for index, kind in enumerate(["tab", "toast", "markdown"]):
        msg = ForwardMsg()
        msg.metadata.delta_path[:] = [2, index]  # the event container
        element = msg.delta.new_element
        if kind == "tab":
            element.bidi_component.id = f"$$ID-0123-{TAB_KEY}"
        elif kind == "toast":
            element.toast.body = "Ignored URL parameter"
        else:
            element.markdown.body = "dropped"
        queue.enqueue(msg)
    queue.clear(retain_lifecycle_msgs=True)
    kept = [m.delta.new_element.WhichOneof("type") for m in queue.flush()]
    assert kept == ["bidi_component", "toast"]
