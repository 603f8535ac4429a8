"""Class methods and hooks: dump/load/reset/focus/url, on_init and on_change."""

from __future__ import annotations

from tests.conftest import AppFactory, query, texts

HOOKS = """
import streamlit as st
from st_page_state import PageState, StateVar

log = st.session_state.setdefault("log", [])

class S(PageState):
    count: int = StateVar(default=0, url_key="n")
    name: str = StateVar(default="")
    flag: bool = False
    maybe: int | None = None
    items: list[int] = StateVar(default_factory=list)

    @classmethod
    def on_init(cls):
        log.append("init")

    @classmethod
    def on_change(cls, field, old, new):
        log.append(f"{field}:{old!r}->{new!r}")

step = st.session_state.setdefault("step", 0)
st.session_state["step"] += 1
changes = [
    {"count": 1}, {"count": 0}, {"name": "x"}, {"name": ""}, {"flag": True}, {"flag": False},
    {"maybe": 0}, {"maybe": None}, {"items": [0]}, {"items": []}, {"count": 0},
]
if step < len(changes):
    S.load(changes[step])
S.count
"""


def test_on_init_runs_once_and_on_change_sees_falsy_transitions(make_app: AppFactory) -> None:
    at = make_app(HOOKS)
    for _ in range(12):
        at.run()
    assert not at.exception
    assert at.session_state["log"] == [
        "init",
        "count:0->1",
        "count:1->0",
        "name:''->'x'",
        "name:'x'->''",
        "flag:False->True",
        "flag:True->False",
        "maybe:None->0",
        "maybe:0->None",
        "items:[]->[0]",
        "items:[0]->[]",
    ]


def test_url_adoption_fires_on_change(make_app: AppFactory) -> None:
    at = make_app(HOOKS.replace("if step < len(changes):", "if False:")).run()
    at.query_params["n"] = "5"
    at.run()
    assert at.session_state["log"] == ["init", "count:0->5"]


METHODS = """
import datetime as dt
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    due: dt.date = StateVar(default=dt.date(2024, 1, 1), url_key="due")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")

action = st.session_state.get("action")
if action == "load":
    S.load({"status": "done", "page": "9", "tags": ["a"]})
elif action == "bad-load":
    S.load({"status": "x", "page": "nine"})
elif action == "reset-page":
    S.reset("page")
elif action == "reset":
    S.reset()
st.markdown(repr(S.dump()))
st.markdown(repr(S.dump(mode="json")))
st.markdown(S.url(page=2, tags=["b", "c"]))
"""


def test_dump_and_load(make_app: AppFactory) -> None:
    at = make_app(METHODS).run()
    at.session_state["action"] = "load"
    at.run()
    assert texts(at)[0] == "{'status': 'done', 'page': 9, 'due': datetime.date(2024, 1, 1), 'tags': ['a']}"
    assert texts(at)[1] == "{'status': 'done', 'page': 9, 'due': '2024-01-01', 'tags': ['a']}"
    assert query(at)["page"] == ["9"]


def test_load_is_all_or_nothing(make_app: AppFactory) -> None:
    at = make_app(METHODS).run()
    at.session_state["action"] = "bad-load"
    at.run()
    assert "S.page cannot be set to 'nine'" in at.exception[0].message
    at.session_state["action"] = None
    at.run()
    assert texts(at)[0].startswith("{'status': 'pending', 'page': 1"), "status must not change when page fails"


def test_reset_one_field_or_all(make_app: AppFactory) -> None:
    at = make_app(METHODS).run()
    at.session_state["action"] = "load"
    at.run()
    at.session_state["action"] = "reset-page"
    at.run()
    assert texts(at)[0].startswith("{'status': 'done', 'page': 1")
    at.session_state["action"] = "reset"
    at.run()
    assert texts(at)[0] == "{'status': 'pending', 'page': 1, 'due': datetime.date(2024, 1, 1), 'tags': []}"
    assert query(at) == {"status": ["pending"], "page": ["1"], "due": ["2024-01-01"], "tag": [""]}


def test_url_builds_a_deep_link_without_changing_state(make_app: AppFactory) -> None:
    at = make_app(METHODS).run()
    assert texts(at)[2] == "?status=pending&page=2&due=2024-01-01&tag=b&tag=c"
    assert query(at)["page"] == ["1"]


def test_mutating_a_returned_list_does_not_change_state(make_app: AppFactory) -> None:
    at = make_app(METHODS + "\nS.tags.append('sneaky')\nst.markdown(repr(S.tags))\n").run()
    assert texts(at)[-1] == "[]"


FOCUS = """
import streamlit as st
from st_page_state import PageState, StateVar

class A(PageState):
    a: int = StateVar(default=1, url_key="a")

class B(PageState):
    b: int = StateVar(default=2, url_key="b")

if st.session_state.get("phase", 0) == 0:
    A.a
    B.b
else:
    B.focus()
st.session_state["phase"] = 1
"""


def test_focus_claims_the_url(make_app: AppFactory) -> None:
    at = make_app(FOCUS, query={"other": "1"}).run()
    assert query(at) == {"other": ["1"], "a": ["1"], "b": ["2"]}
    at.run()
    assert query(at) == {"b": ["2"]}


NAMESPACES = """
import streamlit as st
import mod_a, mod_b

mod_a.FilterState.status = "from-a"
st.markdown(f"{mod_a.FilterState.status} {mod_b.FilterState.status}")
"""

MODULE = """
from st_page_state import PageState, StateVar

class FilterState(PageState):
    status: str = StateVar(default="{default}")
"""


def test_same_class_name_in_two_modules_never_collides(make_app: AppFactory) -> None:
    import sys

    at = make_app(
        NAMESPACES,
        **{"mod_a.py": MODULE.format(default="a"), "mod_b.py": MODULE.format(default="b")},
    )
    sys.path.insert(0, ".")
    try:
        at.run()
    finally:
        sys.path.remove(".")
        sys.modules.pop("mod_a", None)
        sys.modules.pop("mod_b", None)
    assert not at.exception
    assert texts(at) == ["from-a b"]


SCRIPT_ENUM = """
import enum
import streamlit as st
from st_page_state import PageState, StateVar

class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"

class S(PageState):
    color: Color = StateVar(default=Color.RED, url_key="color")

if st.button("blue"):
    S.color = Color.BLUE
st.markdown(f"{S.color is Color.BLUE} {S.color == Color.BLUE} {S.color.value}")
"""


def test_enum_declared_in_the_script_survives_reruns(make_app: AppFactory) -> None:
    at = make_app(SCRIPT_ENUM).run()
    at.button[0].click().run()
    at.run()
    at.run()
    assert texts(at) == ["True True blue"]
    assert query(at) == {"color": ["blue"]}
