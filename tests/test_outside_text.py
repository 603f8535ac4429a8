"""Outside input shown to people: cut to a bound, and shown as text, never as Markdown or HTML."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from st_page_state.log import MAX_SHOWN, shorten, shown
from st_page_state.notify import MAX_MESSAGE, as_plain_text

HOSTILE = [
    "[Session expired, log in](https://evil.example/login)",
    "![x](http://attacker/pixel.png)",
    "<img src=x onerror=alert(1)>",
    "**bold** _em_ ~~s~~ `code`",
    ":red[alert] :material/home: :smile:",
    "$x^2$ $$y$$",
    "https://evil.example/login www.evil.example user@evil.example",
    "# heading\n> quote\n- item",
    "<a href='https://evil.example'>click</a>",
    "&lt;img&gt; &#60;",
]


def rendered(markdown: str) -> str:
    """The text CommonMark reads once backslash escapes are resolved (where autolinks are looked for)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def unescape(markdown: str) -> str:
    """What a reader sees: the rendered text without the invisible word joiners."""
    return rendered(markdown).replace("\u2060", "")


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_text_escapes_every_markdown_and_html_trigger(text: str) -> None:
    source = as_plain_text(text)
    # No punctuation is left unescaped: nothing can open a link, image, tag, entity, directive or formula.
    assert not re.search(r"(?<!\\)[\[\]()!<>*_`~:$#&|]", source.replace("\\\\", "")), source
    assert unescape(source) == shorten(text, MAX_MESSAGE)
    # No bare URL, www. host or e-mail address is left for GitHub-style autolinking.
    assert not re.search(r"://|www\.|@\w", rendered(source), re.IGNORECASE), rendered(source)


@given(st.text(max_size=600))
def test_plain_text_round_trips_to_the_cut_text(text: str) -> None:
    assert unescape(as_plain_text(text)) == shorten(text, MAX_MESSAGE)


@given(st.text(max_size=2000))
def test_shorten_is_bounded_and_single_line(text: str) -> None:
    cut = shorten(text)
    assert len(cut) <= MAX_SHOWN
    assert "\n" not in cut and "\r" not in cut
    if len(text) > MAX_SHOWN:
        assert cut.endswith("…")


def test_shorten_escapes_control_characters_so_no_log_line_can_be_forged() -> None:
    forged = shorten("tab:1\nWARNING st-page-state: forged\x1b[31m")
    assert "\n" not in forged and "\x1b" not in forged and "\\n" in forged


def test_shown_quotes_and_cuts() -> None:
    assert shown("abc") == "'abc'"
    long = shown("x" * 10_000)
    assert len(long) == 60 and long.endswith("…")


REPORTS = [
    ({"query": "a=1", "revision": 3, "cause": "pushState"}, ("a=1", 3)),
    ({"query": "a=1", "revision": 3.0}, ("a=1", 3)),
    ({"query": "a=1", "revision": float("inf")}, None),
    ({"query": "a=1", "revision": float("nan")}, None),
    ({"query": "a=1", "revision": 1e400}, None),
    ({"query": "a=1", "revision": 2.5}, None),
    ({"query": "a=1", "revision": True}, None),
    ({"query": "a=1", "revision": "3"}, None),
    ({"query": 5, "revision": 1}, None),
    ({"query": "x" * 70_000, "revision": 1}, None),
    ({"revision": 1}, None),
    ({"query": "a=1", "revision": 1, "cause": ["x"]}, None),
    ([1, 2], None),
    ("garbage", None),
    (None, None),
]


@pytest.mark.parametrize(("payload", "expected"), REPORTS)
def test_bridge_reports_are_validated_never_raised(payload: object, expected: tuple[str, int] | None) -> None:
    from st_page_state.bridge import parse_report

    report = parse_report(payload)
    assert (None if report is None else (report.query, report.revision)) == expected


TAB = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
OTHER = "bbbbbbbb-bbbb-4bbb-9bbb-bbbbbbbbbbbb"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"tab": TAB, "from": None}, (TAB, None, False)),
        ({"tab": TAB, "from": OTHER}, (TAB, OTHER, False)),
        ({"tab": TAB, "from": OTHER, "recover": True}, (TAB, OTHER, True)),
        ({"tab": TAB, "from": None, "recover": True}, None),
        ({"tab": TAB, "from": TAB}, None),
        ({"tab": TAB.upper()}, None),
        ({"tab": "tab-1"}, None),
        ({"tab": TAB + "\n"}, None),
        ({"tab": TAB, "from": "x" * 10_000}, None),
        ({"tab": 5}, None),
        ("garbage", None),
        (None, None),
    ],
)
def test_tab_corrections_from_the_browser_are_validated(payload: object, expected: tuple[str, str | None, bool] | None) -> None:
    from st_page_state.identity import parse_correction

    correction = parse_correction(payload)
    got = None if correction is None else (correction.tab, correction.copy_from, correction.recover)
    assert got == expected


@pytest.mark.parametrize(
    ("cookies", "expected"),
    [
        ({"st_page_state_tab": TAB}, TAB),
        ({"st_page_state_tab": "../../etc"}, None),
        ({"st_page_state_tab": TAB + "x"}, None),
        ({"_streamlit_xsrf": "x"}, None),
        ({}, None),
    ],
)
def test_the_tab_cookie_is_taken_only_in_the_exact_format(cookies: dict[str, str], expected: str | None) -> None:
    from st_page_state.identity import is_tab_id, mint_tab_id, tab_from_cookies

    assert tab_from_cookies(cookies) == expected
    assert is_tab_id(mint_tab_id())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f"streamlit, 2|ab|cd|1, old-session, st-page-state.tab.{TAB}", TAB),  # a reconnecting page
        ("streamlit, 2|ab|cd|1", None),  # Streamlit's own entries only
        ("streamlit, 2|ab|cd|1, old-session, st-page-state.tab.../../etc", None),
        (f"streamlit, x, y, st-page-state.tab.{TAB.upper()}", None),
        (f"streamlit, x, y, st-page-state.tab.{'f' * 10_000}", None),
        ("", None),
        (None, None),
    ],
)
def test_the_reconnecting_socket_names_its_tab_only_in_the_exact_format(header: str | None, expected: str | None) -> None:
    from st_page_state.identity import tab_from_protocols

    assert tab_from_protocols(header) == expected


@given(st.text(max_size=600))
def test_escape_markdown_renders_exactly_the_text(text: str) -> None:
    """The public helper for app code: any text, uncut, with no Markdown, HTML or autolink left."""
    from st_page_state import escape_markdown

    assume("\u2060" not in text)  # the joiner the escape adds (invisible either way)
    source = escape_markdown(text)
    assert unescape(source) == text
    assert not re.search(r"://|www\.|@\w", rendered(source), re.IGNORECASE)
