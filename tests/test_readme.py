"""README.md is tested: every Python block runs, what it promises holds, every link leads somewhere.

Every ```` ```python ```` block of README.md runs under ``AppTest`` as the
main script of an app, with ``import streamlit as st`` and ``from
st_page_state import PageState, StateVar`` before it (the imports most
blocks leave out). A block added to the README is picked up and tested
without touching this file. A block that is a fragment gets its context
from an HTML comment right before it, invisible on GitHub and PyPI but
there for anyone reading the README's source::

    <!-- readme-test: name=search-state after=other-block
    --- before
    CATEGORIES = ["Books", "Music"]      # run before the block, in the same script
    --- team_filter.py
    ...                                  # a file written next to the app
    -->

* ``name=`` names the block, so that other blocks (``after=``) and the
  tests below can refer to it;
* ``after=a,b`` runs those blocks (with their own context) first;
* ``--- before`` starts code run before the block; ``--- <path>`` starts a
  file written next to the app (other pages, imported modules, or the
  ``app.py`` that a block of tests drives).

A block that defines ``test_*`` functions is a test module: it is written
to a file and its tests are called, in a directory holding its files.

Inside a block, a comment states a line's outcome and is checked:

* ``SearchState.page = "three"  # StateValidationError: SearchState.page cannot ...``:
  the statement must raise that exception, with a message that starts with
  the text given (up to ``...``);
* ``SearchState.page  # -> 1 (an int)``: the expression must equal the
  Python literal after ``->`` (a remark in parentheses may follow), of the
  same type.

The tests after the generic one check what the text around a block
promises (the URL it shows, what a click does).
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import io
import re
import sqlite3
import sys
import textwrap
import tokenize
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from st_page_state import identity as identity_module
from st_page_state import testing
from st_page_state.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TIMEOUT = 30  # generous: the first run of a file imports pydantic, pandas, ...

PRELUDE = """\
import streamlit as st
from st_page_state import PageState, StateVar
"""

CHECKS = '''\
import ast as _readme_ast
import builtins as _readme_builtins
import contextlib as _readme_contextlib

import st_page_state.errors as _readme_errors


@_readme_contextlib.contextmanager
def _readme_raises(name, message):
    """The README says this line raises ``name`` with a message starting with ``message``."""
    expected = getattr(_readme_errors, name, None) or getattr(_readme_builtins, name)
    try:
        yield
    except expected as exc:
        if not str(exc).startswith(message):
            raise AssertionError(f"README promises {name}: {message!r}..., the message is {str(exc)!r}") from exc
    else:
        raise AssertionError(f"README promises {name}: {message!r}..., nothing was raised")


def _readme_equals(value, text):
    """The README says this expression's value is the literal that ``text`` starts with."""
    words = text.split(" ")
    for end in range(len(words), 0, -1):
        try:
            expected = _readme_ast.literal_eval(" ".join(words[:end]))
        except (ValueError, SyntaxError):
            continue
        break
    else:
        raise AssertionError(f"README comment '-> {text}' holds no Python literal")
    if value != expected or type(value) is not type(expected):
        raise AssertionError(f"README promises {expected!r}, the value is {value!r}")


'''


# ------------------------------------------------------------------ the README
@dataclass
class Block:
    """One ```python block of README.md and the context its comment gives it."""

    line: int
    code: str
    name: str | None = None
    after: list[str] = field(default_factory=list)
    before: str = ""
    files: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"line{self.line}-{self.name}" if self.name else f"line{self.line}"

    @property
    def is_test_module(self) -> bool:
        return any(
            isinstance(node, ast.FunctionDef) and node.name.startswith("test_") for node in ast.parse(self.code).body
        )


FENCE = re.compile(r"^(?P<indent>\s*)```(?P<info>[^`]*)$")
MARKER_START = "<!-- readme-test:"
PYTHON_INFO = ("python", "py", "python3")


def parse_marker(text: str, block: Block) -> None:
    """Fill ``block``'s context from the text of its ``<!-- readme-test: ... -->`` comment."""
    body = textwrap.dedent(text).strip()
    assert body.startswith(MARKER_START) and body.endswith("-->"), body
    lines = body[len(MARKER_START) : -len("-->")].split("\n")
    for option in lines[0].split():
        key, _, value = option.partition("=")
        if key == "name":
            block.name = value
        elif key == "after":
            block.after = [v for v in value.split(",") if v]
        else:
            raise AssertionError(f"README.md line {block.line}: unknown readme-test option {option!r}")
    section: str | None = None
    collected: dict[str, list[str]] = {}
    for line in lines[1:]:
        if line.startswith("--- "):
            section = line[4:].strip()
            collected[section] = []
        elif section is not None:
            collected[section].append(line)
        elif line.strip():
            raise AssertionError(f"README.md line {block.line}: readme-test text outside a '--- ' section: {line!r}")
    for section, body_lines in collected.items():
        text_of = "\n".join(body_lines).strip("\n") + "\n"
        if section == "before":
            block.before = text_of
        else:
            block.files[section] = text_of


def readme_blocks(text: str | None = None) -> list[Block]:
    """Every ```python block of the README, in order, with its context."""
    lines = (README.read_text(encoding="utf-8") if text is None else text).split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, info = opening["indent"], opening["info"].strip()
        end = index + 1
        while not (lines[end].startswith(indent + "```") and lines[end].strip() == "```"):
            end += 1
        if info in PYTHON_INFO:
            code = "\n".join(line[len(indent) :] for line in lines[index + 1 : end]) + "\n"
            block = Block(line=index + 1, code=code)
            comment = marker_before(lines, index)
            if comment is not None:
                parse_marker(comment, block)
            blocks.append(block)
        index = end + 1
    return blocks


def marker_before(lines: list[str], fence: int) -> str | None:
    """The ``readme-test`` comment that ends right before line ``fence`` (blank lines between allowed)."""
    end = fence - 1
    while end >= 0 and not lines[end].strip():
        end -= 1
    if end < 0 or not lines[end].rstrip().endswith("-->"):
        return None
    start = end
    while start >= 0 and "<!--" not in lines[start]:
        start -= 1
    comment = "\n".join(lines[start : end + 1])
    return comment if comment.strip().startswith(MARKER_START) else None


BLOCKS = readme_blocks()
BY_NAME = {b.name: b for b in BLOCKS if b.name}


# ------------------------------------------------------- blocks as runnable code
def comments_by_line(code: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT:
            found[token.start[0]] = token.string
    return found


RAISES = re.compile(r"#\s*(?P<name>[A-Z]\w*(?:Error|Exception)):\s*(?P<message>.*)$")
EQUALS = re.compile(r"#\s*->\s*(?P<text>.+)$")


def checked(code: str) -> str:
    """``code`` with each top-level statement whose comment states an outcome wrapped in its check."""
    tree = ast.parse(code)
    comments = comments_by_line(code)
    lines = code.split("\n")
    out: list[str] = []
    done = 0
    for stmt in tree.body:
        first, last = stmt.lineno - 1, (stmt.end_lineno or stmt.lineno) - 1
        comment = comments.get(last + 1, "")
        raises, equals = RAISES.search(comment), EQUALS.search(comment)
        if not raises and not (equals and isinstance(stmt, ast.Expr)):
            continue
        out.extend(lines[done:first])
        source = "\n".join(lines[first : last + 1])
        if raises:
            message = raises["message"].split("...")[0]
            out.append(f"with _readme_raises({raises['name']!r}, {message!r}):")
            out.extend("    " + line for line in source.split("\n"))
        else:
            assert isinstance(stmt, ast.Expr)
            expression = ast.get_source_segment(code, stmt.value)
            out.append(f"_readme_equals({expression}, {equals['text'].strip()!r})")  # type: ignore[index]
        done = last + 1
    out.extend(lines[done:])
    return "\n".join(out)


def context_of(block: Block, seen: tuple[str, ...] = ()) -> str:
    """The code the block's ``after=`` blocks and its ``--- before`` section run first."""
    parts: list[str] = []
    for name in block.after:
        assert name in BY_NAME, f"README.md line {block.line}: after={name}, but no block is named {name!r}"
        assert name not in seen, f"README.md line {block.line}: after= goes round in a circle ({name})"
        other = BY_NAME[name]
        parts.append(context_of(other, (*seen, name)))
        parts.append(checked(other.code))
    parts.append(block.before)
    return "\n".join(part for part in parts if part)


def files_of(block: Block) -> dict[str, str]:
    files: dict[str, str] = {}
    for name in block.after:
        files.update(files_of(BY_NAME[name]))
    files.update(block.files)
    return files


def app_source(block: Block, suffix: str = "") -> str:
    return "\n".join([PRELUDE, CHECKS, context_of(block), checked(block.code), textwrap.dedent(suffix)])


AppMaker = Callable[..., AppTest]


@pytest.fixture
def readme_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppMaker]:
    """``readme_app(name, suffix="", query=None)``: an AppTest (not run) of that README block.

    The app runs in a fresh directory with the block's files, under
    ``testing.configured()`` so that a block calling ``configure()`` leaves
    no setting behind for the next test.
    """
    monkeypatch.chdir(tmp_path)

    def make(name_or_block: str | Block, suffix: str = "", query: dict[str, str | list[str]] | None = None) -> AppTest:
        block = BY_NAME[name_or_block] if isinstance(name_or_block, str) else name_or_block
        for path, text in files_of(block).items():
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(text, encoding="utf-8")
        (tmp_path / "app.py").write_text(app_source(block, suffix), encoding="utf-8")
        at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=TIMEOUT)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at

    with testing.configured():
        yield make


def run(at: AppTest) -> AppTest:
    at = at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def logged_in(at: AppTest, email: str = "ada@example.com") -> AppTest:
    """``at`` with a logged-in user (``AppTest.user``, which older Streamlit versions lack)."""
    if not hasattr(at, "user"):
        pytest.skip("this Streamlit's AppTest cannot simulate a logged-in user")
    at.user = {"email": email, "is_logged_in": True}  # type: ignore[assignment]
    return at


def url(at: AppTest) -> dict[str, list[str]]:
    return {k: list(v) if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def run_test_module(block: Block, directory: Path) -> None:
    """Write the block as a test module next to its files, and call each of its tests."""
    for path, text in files_of(block).items():
        (directory / path).write_text(text, encoding="utf-8")
    module_path = directory / f"test_readme_line{block.line}.py"
    module_path.write_text(block.code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(module_path.stem, module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        tests = [getattr(module, n) for n in dir(module) if n.startswith("test_") and callable(getattr(module, n))]
        assert tests
        for test in tests:
            test()
    finally:
        sys.modules.pop(spec.name, None)


# ----------------------------------------------------------- every block runs
def test_the_readme_has_python_blocks_and_unique_names() -> None:
    assert len(BLOCKS) >= 15
    names = [b.name for b in BLOCKS if b.name]
    assert len(names) == len(set(names)), names


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.id)
def test_block_runs(block: Block, readme_app: AppMaker, tmp_path: Path) -> None:
    """Each block runs as written (with its stated context) and its stated outcomes hold."""
    if block.is_test_module:
        run_test_module(block, tmp_path)
        return
    at = readme_app(block).run()
    assert not at.exception, (
        f"README.md line {block.line}: the block fails under AppTest: {[e.message for e in at.exception]}. "
        "If it is a fragment, give it its context with a <!-- readme-test: ... --> comment "
        "(see tests/test_readme.py)."
    )


# ------------------------------------------------- what the text around it says
def test_quick_start_opens_at_page_1_and_next_page_goes_to_page_2(readme_app: AppMaker) -> None:
    """README: the app opens at ?status=pending&page=1; Next page makes it ?status=pending&page=2."""
    at = run(readme_app("quick-start"))
    assert url(at) == {"status": ["pending"], "page": ["1"]}
    assert "pending" in [m.value for m in at.markdown]  # the bare `FilterState.status` line (Streamlit magic)
    at = run(at)  # a page load in a browser is two runs (the bridge reports the tab)
    assert url(at) == {"status": ["pending"], "page": ["1"]}
    at = run(at.button[0].click())
    assert url(at) == {"status": ["pending"], "page": ["2"]}
    assert url(run(at)) == {"status": ["pending"], "page": ["2"]}  # reruns do not move it


def test_quick_start_shared_link_opens_at_page_2(readme_app: AppMaker) -> None:
    at = run(readme_app("quick-start", query={"status": "pending", "page": "2"}))
    at = run(at)
    assert url(at) == {"status": ["pending"], "page": ["2"]}


def test_declaring_state_writes_the_url_text_of_the_types_table(readme_app: AppMaker) -> None:
    at = run(readme_app("search-state", suffix="SearchState.q"))
    assert url(at) == {
        "q": [""],
        "page": ["1"],
        "sort": ["name"],  # Enum: its value
        "view": ["grid"],
        "tag": [""],  # an empty set: one empty value
        "since": [""],  # None: an empty value
        "bounds": ['{"lo":0,"hi":100}'],  # a model: compact JSON
        "stage": ["doing"],  # value_map: the friendly text
    }  # draft: session-only, not in the URL


def test_reading_and_writing_updates_the_url_at_the_end_of_the_run(readme_app: AppMaker) -> None:
    at = run(readme_app("read-write"))  # the raising lines are checked by the block's comments
    assert url(at)["page"] == ["3"]


def test_binding_widgets_shows_the_fields_and_writes_the_url(readme_app: AppMaker) -> None:
    at = run(readme_app("bind-filters"))
    assert at.selectbox[0].value == "open"
    assert at.multiselect[0].value == []
    assert at.date_input[0].value == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert url(at) == {"status": ["open"], "tag": [""], "period": ["2024-01-01", "2024-12-31"]}
    at = run(at.multiselect[0].select("docs"))
    assert url(at)["tag"] == ["docs"]


def test_changing_a_bound_field_from_code_before_its_widget(readme_app: AppMaker) -> None:
    at = run(readme_app("show-closed"))
    at = run(at.button[0].click())  # "Show closed": a callback, before the script
    assert at.selectbox[0].value == "closed"
    assert url(at)["status"] == ["closed"]
    preset = run(readme_app("show-closed", query={"preset": "mine", "status": "closed"}))
    assert preset.selectbox[0].value == "open"  # set before the widget is drawn: fine


def test_a_form_commits_on_submit(readme_app: AppMaker) -> None:
    at = run(readme_app("form"))
    assert url(at) == {"text": [""], "category": ["Books"]}
    typed = run(at.text_input[0].input("dune"))  # a run that is no submit
    assert url(typed) == {"text": [""], "category": ["Books"]}
    at = run(readme_app("form"))
    at.text_input[0].input("dune")
    at.selectbox[0].select("Music")
    at = run(at.button[0].click())  # the form's submit button
    assert url(at) == {"text": ["dune"], "category": ["Music"]}


def test_multipage_sidebar_state_is_shared_by_the_pages(readme_app: AppMaker) -> None:
    at = run(readme_app("multipage"))
    assert [h.value for h in at.header] == ["Tasks"]
    assert url(at) == {"team": ["all"]}
    at = run(at.sidebar.radio[0].set_value("web"))
    assert url(at) == {"team": ["web"]}


def test_an_out_of_range_link_keeps_the_default_with_one_warning(readme_app: AppMaker) -> None:
    at = run(readme_app("bounds", query={"days": "500"}))
    assert (at.slider[0].min, at.slider[0].max) == (1, 30)  # the field's bounds reach the widget
    assert at.slider[0].value == 7  # the field's default, not the widget's max
    assert url(at)["days"] == ["7"]  # corrected in the same run
    assert len(at.toast) == 1 and "500" in testing.toast_texts(at)[0]


def test_methods_leave_a_deep_link(readme_app: AppMaker) -> None:
    at = run(readme_app("methods"))
    assert "[Only active items](?status=active&page=1)" in [m.value for m in at.markdown]
    assert url(at) == {"status": ["pending"], "page": ["1"]}  # reset() at the end


HOOKS_USE = """
st.write(f"status={FilterState.status}")
st.button("Done", on_click=lambda: setattr(FilterState, "status", "done"))
"""


def test_on_init_works_without_a_login(readme_app: AppMaker) -> None:
    """``st.user.is_logged_in`` raises where the app has no authentication; the README's hook must not."""
    at = run(readme_app("hooks", suffix=HOOKS_USE))
    assert "status=pending" in [m.value for m in at.markdown]
    at = run(at.button[0].click())
    assert "status=done" in [m.value for m in at.markdown]
    assert [t.value for t in at.toast] == ["status: 'pending' -> 'done'"]  # on_change


def test_on_init_runs_for_a_logged_in_user(readme_app: AppMaker) -> None:
    at = run(logged_in(readme_app("hooks", suffix=HOOKS_USE)))
    assert "status=mine" in [m.value for m in at.markdown]


PERSIST_USE = """
class Probe(PageState):
    n: int = StateVar(default=0, url_key="n")

if st.button("+1"):
    Probe.n += 1
"""


def stored_identities(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT identity FROM st_page_state")}


def test_configure_with_a_logged_in_user_stores_the_users_state(readme_app: AppMaker, tmp_path: Path) -> None:
    at = logged_in(readme_app("configure-sqlite", suffix=PERSIST_USE))
    at = run(run(at).button[0].click())
    assert stored_identities(tmp_path / "state.db") == {"user:ada@example.com"}


def test_configure_without_a_login_keeps_the_tab(
    readme_app: AppMaker, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Without authentication the identity callable returns None (the tab), and never raises."""
    identity_module._callable_failed_logged.clear()
    at = testing.set_tab_id(readme_app("configure-sqlite", suffix=PERSIST_USE), "11111111-1111-4111-8111-111111111111")
    at = run(run(at).button[0].click())
    assert not [r for r in caplog.records if "identity callable raised" in r.getMessage()]
    assert stored_identities(tmp_path / "state.db") == {"tab:11111111-1111-4111-8111-111111111111"}


def test_writing_a_store_needs_exactly_the_three_methods(readme_app: AppMaker) -> None:
    at = run(readme_app("my-store", suffix="st.write(type(MyStore()).__name__)"))
    assert "MyStore" in [m.value for m in at.markdown]  # nothing else is abstract


def test_turning_the_bridge_off(readme_app: AppMaker) -> None:
    run(readme_app("bridge-off"))
    assert SETTINGS.bridge is False


def test_the_redis_set_up_of_0_2_x_in_its_1_x_form(readme_app: AppMaker) -> None:
    from st_page_state.stores import RedisStore

    run(readme_app("redis-1x"))
    assert isinstance(SETTINGS.store, RedisStore)
    assert (SETTINGS.store.prefix, SETTINGS.store.default_ttl) == ("myapp", 3600)
    assert callable(SETTINGS.identity)


# --------------------------------------------------- the test harness itself
def test_a_stated_outcome_that_does_not_hold_fails(readme_app: AppMaker) -> None:
    """The comment conventions check something: a wrong promise makes the block fail."""
    wrong = [
        "SearchState.page  # -> 2",
        "SearchState.page  # -> '1'",  # right value, wrong type
        "SearchState.page = 3  # StateValidationError: no",
        'SearchState.page = "three"  # StateValidationError: SearchState.page must be',
        "SearchState.pgae  # StateValidationError: SearchState has no field",
    ]
    for line in wrong:
        block = Block(line=0, code=line + "\n", after=["search-state"])
        at = readme_app(block).run()
        assert at.exception, line
    right = Block(line=0, code="SearchState.page  # -> 1 (an int)\n", after=["search-state"])
    assert not readme_app(right).run().exception


def test_markers_are_parsed() -> None:
    text = textwrap.dedent(
        """\
        <!-- readme-test: name=one -->
        ```python
        x = 1
        ```

          <!-- readme-test: name=two after=one
          --- before
          y = 2
          --- pages/a.py
          import streamlit as st
          -->

          ```python
          z = x + y
          ```

        ```bash
        make test
        ```
        """
    )
    one, two = readme_blocks(text)
    assert (one.name, one.code, one.after) == ("one", "x = 1\n", [])
    assert (two.name, two.after, two.before, two.code) == ("two", ["one"], "y = 2\n", "z = x + y\n")
    assert two.files == {"pages/a.py": "import streamlit as st\n"}


def test_security_md_recommends_the_tested_identity() -> None:
    """SECURITY.md's identity callable is the README's, which the tests above run with and without a login."""
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    (recommended,) = re.findall(r"identity=(lambda: [^\n]+ else None)", security)
    assert f"identity={recommended}," in README.read_text(encoding="utf-8")


# ----------------------------------------------------------------- the links
def repository() -> str:
    """The project's ``Repository`` URL from pyproject.toml (every absolute link to the project uses it)."""
    found = re.search(r'^Repository = "([^"]+)"$', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert found, "pyproject.toml has no [project.urls] Repository"
    return found[1].rstrip("/")


def prose(markdown: str) -> str:
    """The markdown without fenced code blocks and inline code, where a ``[x](y)`` is no link."""
    without_fences = re.sub(r"^([ \t]*)```.*?^\1```", "", markdown, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", without_fences)


def links(markdown: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", prose(markdown))


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`", "", heading.strip().lower())
    text = "".join(ch for ch in text if ch in "-_ " or unicodedata.category(ch)[0] in "LN")
    return text.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    without_fences = re.sub(r"^([ \t]*)```.*?^\1```", "", markdown, flags=re.S | re.M)
    for heading in re.findall(r"^#{1,6} (.+)$", without_fences, re.M):
        slug = github_slug(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def test_github_slugs() -> None:
    assert github_slug("Coming from 0.2.x") == "coming-from-02x"
    assert github_slug("st-page-state or native `bind`?") == "st-page-state-or-native-bind"
    assert github_slug("Configuring: `configure(store=..., identity=...)`") == "configuring-configurestore-identity"
    assert github_slug("Old API -> new API") == "old-api---new-api"


def test_readme_starts_with_the_two_set_up_commands() -> None:
    """A project rule: README.md opens with exactly these two commands."""
    head = README.read_text(encoding="utf-8").split("\n")[:7]
    assert head == [
        "# st-page-state",
        "",
        "```bash",
        "make demo   # run the example gallery on http://localhost:8501",
        "make test   # install everything (apt, pip, npm) and run the whole test suite",
        "```",
        "",
    ]


def test_readme_installs_first() -> None:
    """On the package index, the install line comes right after the intro paragraph."""
    text = README.read_text(encoding="utf-8")
    paragraphs = text.split("```\n\n", 1)[1].split("\n\n")
    assert paragraphs[1].startswith("**Install:** `pip install st-page-state`")
    assert '"st-page-state[redis]"' in paragraphs[1]


@pytest.mark.parametrize("document", ["README.md", "SECURITY.md", "CHANGELOG.md"])
def test_every_link_resolves(document: str) -> None:
    """Anchors exist; links into the repository name files that exist; nothing is relative (PyPI)."""
    base = repository()
    readme_anchors = anchors(README.read_text(encoding="utf-8"))
    text = (ROOT / document).read_text(encoding="utf-8")
    own_anchors = anchors(text)
    broken = []
    for target in links(text):
        if target.startswith("#"):
            ok = target[1:] in own_anchors
        elif target.startswith(f"{base}#"):
            ok = target[len(base) + 1 :] in readme_anchors
        elif target.startswith((f"{base}/blob/main/", f"{base}/tree/main/")):
            ok = (ROOT / target.split("/main/", 1)[1]).exists()
        elif target.startswith(base):
            ok = target[len(base) :] in ("", "/issues", "/security/advisories/new")
        else:
            ok = target.startswith("https://") and "github.com/st-page-state" not in target
        if not ok:
            broken.append(target)
    assert not broken, f"{document}: links that lead nowhere (or are relative, which breaks on PyPI): {broken}"


def test_link_check_catches_a_broken_link() -> None:
    assert "missing" not in anchors("# Present\n\n[x](#missing)\n")
    assert links("see [a](examples/x.py) and `[b](#c)`\n```python\n[c](d)\n```\n") == ["examples/x.py"]
