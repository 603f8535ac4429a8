"""Mistakes in declaring and sharing state, written the way users write them (issue 21, points 2, 3, 6 and 9).

* a default of the wrong type is converted by the field's type, or refused at
  class creation naming the field, the type and the value;
* a class in the main script imported by a page is refused at its first use,
  saying where to define it; two classes owning one URL param in a run warn once;
* ``link()`` writes every value the caller names, also a default;
* a list keeps its valid URL members; ``testing.reload()`` needs a tab;
  ``toast_texts()`` reads as the browser shows; a thread gets a message about threads.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import Field

from st_page_state import NoSessionError, PageState, StateConfigError, StateVar, testing
from tests.conftest import AppFactory, logged_warnings, query, texts


# ------------------------------------------------------------------ defaults
def test_a_default_of_another_type_is_converted_by_the_field() -> None:
    class Prices(PageState):
        min_amount: int = StateVar(default="0", url_key="min")
        flag: bool = StateVar(default="yes", url_key="flag")
        n: int = StateVar(default=2.0, url_key="n")
        ratio: float = StateVar(default=1, url_key="ratio")
        since: dt.date = StateVar(default="2024-01-02", url_key="since")
        ids: list[int] = StateVar(default_factory=lambda: ["1", True], url_key="id")

    fields = Prices.__state_schema__.fields
    assert fields["min_amount"].default() == 0 and type(fields["min_amount"].default()) is int
    assert fields["flag"].default() is True
    assert type(fields["n"].default()) is int and type(fields["ratio"].default()) is float
    assert fields["since"].default() == dt.date(2024, 1, 2)
    assert fields["ids"].default() == [1, 1] and [type(i) for i in fields["ids"].default()] == [int, int]
    assert Prices.link() == {"min": "0", "flag": "true", "n": "2", "ratio": "1.0", "since": "2024-01-02", "id": ["1", "1"]}


def test_a_converted_default_is_the_default_for_clear_on_default(make_app: AppFactory) -> None:
    source = """
import streamlit as st
from st_page_state import PageState, StateVar

class Prices(PageState):
    min_amount: int = StateVar(default="0", url_key="min", clear_on_default=True)
    ratio: float = StateVar(default=1, url_key="ratio", clear_on_default=True)

st.slider("Minimum", 0, 5000, **Prices.bind("min_amount"))
st.number_input("Ratio", **Prices.bind("ratio"))
st.markdown(f"min={Prices.min_amount!r} ratio={Prices.ratio!r}")
"""
    at = make_app(source).run()
    assert not at.exception and texts(at) == ["min=0 ratio=1.0"]
    assert query(at) == {}, "the default is the default: cleared from the URL"
    at.slider[0].set_value(200).run()
    assert query(at) == {"min": ["200"]}
    at.slider[0].set_value(0).run()
    assert not at.exception and query(at) == {}, "the slider moves back to the default"


@pytest.mark.parametrize(
    ("annotation", "spec", "message"),
    [
        (int, StateVar(default="abc"), r"Prices\.amount: the default 'abc' does not fit the field's type int: "),
        (Annotated[int, Field(ge=0)], StateVar(default=-5), r"the default -5 does not fit the field's type int: .*greater"),
        (dt.date | None, StateVar(default="soon"), r"the default 'soon' does not fit the field's type date \| None"),
        (
            list[int],
            StateVar(default_factory=lambda: ["x"]),
            r"default_factory\(\) returned \['x'\], which does not fit the field's type list\[int\]",
        ),
        (Literal["a", "b"], StateVar(default="c"), r"does not fit the field's type Literal\['a', 'b'\]"),
    ],
)
def test_a_default_that_cannot_be_converted_names_field_type_and_value(annotation: object, spec: object, message: str) -> None:
    with pytest.raises(StateConfigError, match=message):
        type("Prices", (PageState,), {"__annotations__": {"amount": annotation}, "amount": spec})


def test_a_factorys_results_are_converted_on_every_call() -> None:
    calls: list[int] = []

    def fresh() -> list[str]:
        calls.append(1)
        return ["1", "2"]

    class Picks(PageState):
        ids: list[int] = StateVar(default_factory=fresh, url_key="id")

    f = Picks.__state_schema__.fields["ids"]
    first, second = f.default(), f.default()
    assert first == second == [1, 2] and first is not second
    assert f.is_default([1, 2]) and not f.is_default(["1", "2"])


# ------------------------------------------------------------- one class, one state
SIDEBAR_IN_APP = """
import streamlit as st
from st_page_state import PageState, StateVar

class SidebarState(PageState):
    team: str = StateVar(default="all", url_key="team")

st.sidebar.radio("Team", ["all", "web", "data"], **SidebarState.bind("team"))
st.navigation([st.Page("tasks.py"), st.Page("people.py")]).run()
"""

TASKS_IMPORTING_APP = """
import streamlit as st
from app import SidebarState

st.markdown(f"tasks of team {SidebarState.team}")
"""


@pytest.fixture
def importable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's folder on ``sys.path``, as ``streamlit run`` puts it, and no ``app`` module left behind."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    yield
    sys.modules.pop("app", None)


@pytest.mark.usefixtures("importable")
def test_a_class_of_the_main_script_imported_by_a_page_says_where_to_define_it(make_app: AppFactory) -> None:
    at = make_app(
        SIDEBAR_IN_APP,
        query={"team": "web"},
        **{"tasks.py": TASKS_IMPORTING_APP, "people.py": "import streamlit as st\nst.markdown('people')\n"},
    ).run()
    assert [e.proto.type.rsplit(".", 1)[-1] for e in at.exception] == ["StateConfigError"]
    message = at.exception[0].message
    assert "SidebarState is defined in app.py" in message and "imported as the module 'app'" in message
    assert "module of its own" in message


@pytest.mark.usefixtures("importable")
def test_a_shared_class_in_a_module_of_its_own_is_one_state(make_app: AppFactory) -> None:
    state = "from st_page_state import PageState, StateVar\n\nclass SidebarState(PageState):\n" \
        '    team: str = StateVar(default="all", url_key="team")\n'
    app = SIDEBAR_IN_APP.replace(
        'class SidebarState(PageState):\n    team: str = StateVar(default="all", url_key="team")\n',
        "from team_state import SidebarState\n",
    )
    tasks = TASKS_IMPORTING_APP.replace("from app import", "from team_state import")
    at = make_app(app, **{"tasks.py": tasks, "people.py": "", "team_state.py": state})
    try:
        at.run()
        assert not at.exception and texts(at) == ["tasks of team all"]
        at.sidebar.radio[0].set_value("web").run()
        assert texts(at) == ["tasks of team web"]
    finally:
        sys.modules.pop("team_state", None)


COLLIDING = """
import streamlit as st
from st_page_state import PageState, StateVar

class SidebarState(PageState):
    team: str = StateVar(default="all", url_key="team")

class TaskState(PageState):
    team: str = StateVar(default="web", url_key="team")
    CONFIG

st.sidebar.radio("Team", ["all", "web", "data"], **SidebarState.bind("team"))
st.markdown(f"tasks team={TaskState.team}")
"""


def test_two_classes_owning_one_param_in_a_run_warn_once_naming_both(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    at = make_app(COLLIDING.replace("CONFIG", "")).run()
    (warning,) = logged_warnings(caplog)
    assert "app.py:SidebarState and app.py:TaskState both use the URL param 'team'" in warning
    assert "Config.url_prefix" in warning
    assert len(at.toast) == 1
    at.sidebar.radio[0].set_value("data").run()
    at.run()
    assert len(logged_warnings(caplog)) == 1, "once per session"


def test_classes_that_share_on_purpose_or_never_meet_do_not_warn(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    shared = COLLIDING.replace("CONFIG", 'class Config:\n        share_url_with = ["SidebarState"]')
    make_app(shared).run()
    prefixed = COLLIDING.replace("CONFIG", 'class Config:\n        url_prefix = "t_"')
    make_app(prefixed).run()
    one_class = COLLIDING.replace("CONFIG", "").replace('st.markdown(f"tasks team={TaskState.team}")', "")
    make_app(one_class).run()
    assert logged_warnings(caplog) == []


# ------------------------------------------------------------------ link()
class TaskState(PageState):
    assignee: str = StateVar(default="", url_key="who")
    team: str = StateVar(default="all", url_key="team")
    status: Literal["open", "done"] = StateVar(default="open", url_key="status")

    class Config:
        clear_on_default = True


def test_link_writes_every_value_named_even_the_default() -> None:
    assert TaskState.link(assignee="Ada", status="open") == {"who": "Ada", "status": "open"}
    assert TaskState.link(assignee="Ada") == {"who": "Ada"}, "fields not named stay out with clear_on_default"


def test_a_link_that_names_a_default_resets_the_tab_that_follows_it(make_app: AppFactory) -> None:
    source = """
import streamlit as st
from typing import Literal
from st_page_state import PageState, StateVar

class TaskState(PageState):
    assignee: str = StateVar(default="", url_key="who")
    status: Literal["open", "done"] = StateVar(default="open", url_key="status")

    class Config:
        clear_on_default = True

st.selectbox("Status", ["open", "done"], **TaskState.bind("status"))
st.markdown(f"who={TaskState.assignee} status={TaskState.status}")
"""
    at = make_app(source).run()
    at.selectbox[0].select("done").run()
    assert query(at) == {"status": ["done"]}
    link = {"who": "Ada", "status": "open"}
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in link.items():  # st.page_link(..., query_params=TaskState.link(assignee="Ada", status="open"))
        at.query_params[key] = value
    at.run()
    assert texts(at) == ["who=Ada status=open"]
    assert query(at) == {"who": ["Ada"]}, "the default leaves the URL once adopted"


# --------------------------------------------------------- a list keeps its valid members
def test_a_list_of_literals_keeps_its_valid_members_from_a_link(make_app: AppFactory, caplog: pytest.LogCaptureFixture) -> None:
    source = """
import streamlit as st
from typing import Literal
from st_page_state import PageState, StateVar

class Tags(PageState):
    tags: list[Literal["bug", "ui", "docs"]] = StateVar(default_factory=list, url_key="tag")

st.multiselect("Tags", ["bug", "ui", "docs"], **Tags.bind("tags"))
st.markdown(f"tags={Tags.tags}")
"""
    at = make_app(source, query={"tag": ["bug", "nope", "ui"]}).run()
    assert not at.exception and texts(at) == ["tags=['bug', 'ui']"]
    assert query(at) == {"tag": ["bug", "ui"]}
    (warning,) = logged_warnings(caplog)
    assert "'nope' is not one of" in warning and "The other values were taken." in warning


def test_parse_keeps_the_valid_members_and_says_which_were_refused() -> None:
    class Tags(PageState):
        tags: list[Literal["bug", "ui"]] = StateVar(default_factory=list, url_key="tag")
        ids: set[int] = StateVar(default_factory=set, url_key="id")

    parsed = Tags.parse("?tag=bug&tag=zz&id=1&id=x")
    assert parsed == {"tags": ["bug"], "ids": {1}}
    assert "'zz' is not one of" in parsed.rejected["tags"].reason
    assert parsed.rejected["ids"].reason.startswith("'x': ")
    assert Tags.parse("?tag=zz") == {"tags": [], "ids": set()}, "nothing valid: the whole value is refused"


# ------------------------------------------------------------------ testing helpers
COUNTER = """
import streamlit as st
from st_page_state import PageState, StateVar

class C(PageState):
    n: int = StateVar(default=0, url_key="n")

st.button("add", on_click=lambda: setattr(C, "n", C.n + 1))
st.markdown(f"n={C.n}")
"""


def test_reload_without_a_tab_says_to_give_one(make_app: AppFactory) -> None:
    at = make_app(COUNTER).run()
    with pytest.raises(ValueError, match=r"without a tab identity.*testing\.set_tab_id"):
        testing.reload(at)
    tabbed = testing.set_tab_id(make_app(COUNTER), "tab-1").run()
    tabbed.button[0].click().run()
    assert texts(testing.reload(tabbed, query={}).run()) == ["n=1"]


def test_toast_texts_read_as_the_browser_shows_them(make_app: AppFactory) -> None:
    link = {"n": "see https://example.com or mail ada@example.com"}
    at = make_app(COUNTER, query=link).run()
    (toast,) = testing.toast_texts(at)
    assert "\u2060" not in toast and "https://example.com" in toast and "ada@example.com" in toast


def test_reading_state_in_a_worker_thread_says_threads_have_no_session() -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            _ = TaskState.team
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    worker = threading.Thread(target=work, name="report-builder")
    worker.start()
    worker.join()
    (error,) = errors
    assert isinstance(error, NoSessionError)
    assert "this thread ('report-builder') has none" in str(error) and "pass them to the thread" in str(error)


def test_a_range_default_written_as_a_list_moves_with_its_slider(make_app: AppFactory) -> None:
    source = """
from typing import Annotated
import streamlit as st
from pydantic import Field
from st_page_state import PageState, StateVar

Euros = Annotated[int, Field(ge=0, le=5000)]

class Sales(PageState):
    price: tuple[Euros, Euros] = StateVar(default=["0", 5000], url_key="price")

st.slider("Price", **Sales.bind("price"))
st.markdown(f"price={Sales.price!r}")
"""
    at = make_app(source).run()
    assert not at.exception and texts(at) == ["price=(0, 5000)"] and query(at) == {"price": ["0", "5000"]}
    at.slider[0].set_range(100, 900).run()
    assert not at.exception and not at.toast and texts(at) == ["price=(100, 900)"]
