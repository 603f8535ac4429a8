"""Everything st-page-state 0.2.x documented, written the 0.2.x way, on 1.x.

Each test uses code as the 0.2.x README, docstrings and examples wrote it
and checks that it works (with a DeprecationWarning naming the 1.x way
where the API changed) or fails with an error that names the replacement.
"""

from __future__ import annotations

import base64
import enum
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

import st_page_state
from st_page_state import PageState, StateConfigError, StateVar, backends, schema, testing
from st_page_state.codecs import compile_codec
from st_page_state.errors import InvalidQueryParamError, PageStateError, StPageStateError
from st_page_state.v02 import values as compat
from st_page_state.v02.values import v02_url_texts
from tests.conftest import AppFactory, query
from tests.redis_server import RedisServer, running_redis


@pytest.fixture(autouse=True)
def fresh_warnings() -> Iterator[None]:
    compat._WARNED.clear()
    schema._COMPILED.clear()
    with testing.configured():
        yield
    compat._WARNED.clear()


def run(at: Any) -> Any:
    at = at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def deprecations(record: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, DeprecationWarning)]


# ----------------------------------------------------------------- versioning
def test_this_release_is_the_next_major_after_0_2_x() -> None:
    assert st_page_state.__version__ == "1.0.0"
    from importlib.metadata import version

    assert version("st-page-state") == "1.0.0"


def test_0_2_x_top_level_imports() -> None:
    from st_page_state import PageState, RedisBackend, StateVar  # noqa: F401 - the 0.2.x README's import line
    from st_page_state.backends import RedisBackend as FromBackends

    assert FromBackends is RedisBackend


def test_0_2_x_error_names_still_import() -> None:
    assert StPageStateError is PageStateError
    assert issubclass(InvalidQueryParamError, (PageStateError, ValueError))


# --------------------------------------------------------- README, the 0.2.x way
README_APP = """
import datetime
import streamlit as st
from st_page_state import PageState, StateVar

class FilterState(PageState):
    status: str = StateVar(default="pending", url_key="status")

class SearchState(PageState):
    # Serialized as Base64 JSON in URL (0.2.x); repeated keys in 1.x
    tags: list[str] = StateVar(default=[], url_key="tags")
    categories: set[int] = StateVar(default={1, 2}, url_key="cats")
    start_date: datetime.date = StateVar(default=datetime.date(2024, 1, 1), url_key="start")
    query: str = StateVar(default="")

class TaskState(PageState):
    status: int = StateVar(
        default=0,
        url_key="task",
        value_map={
            0: "todo",
            1: "in_progress",
            2: "done"
        }
    )

class AppState(PageState):
    theme: str = StateVar(default="light")

    @classmethod
    def on_init(cls):
        st.session_state.setdefault("events", []).append("init")

    @classmethod
    def on_change(cls, field, old_value, new_value):
        st.session_state.setdefault("events", []).append(f"{field}:{old_value}->{new_value}")

class OtherState(PageState):
    other: str = StateVar(default="x", url_key="other")

class DashboardState(PageState):
    class Config:
        url_prefix = "dash_"
        url_selfish = True
        restore_url_on_touch = True
        share_url_with = ["OtherState"]

    tab: str = StateVar(default="overview", url_key="tab")
    show_details: bool = StateVar(default=False, url_key="details")

class MyState(PageState):
    count: int = StateVar(default=0)

st.selectbox("Status", ["pending", "active"], **FilterState.bind("status"))
st.text_input("Search", **SearchState.bind("query"))
st.multiselect("Tags", ["a", "b", "c"], **SearchState.bind("tags"))
st.number_input("Counter", **MyState.bind("count", value=10))
st.radio("Task", [0, 1, 2], **TaskState.bind("status"))
if TaskState.status == 1:
    st.info("Task is in progress")
st.selectbox("Theme", ["light", "dark"], **AppState.bind("theme"))
st.markdown(f"other={OtherState.other}")
st.checkbox("Details", **DashboardState.bind("show_details"))
if st.button("focus dashboard"):
    DashboardState.focus()
st.button("reset search", on_click=SearchState.reset)
st.json(SearchState.dump())
st.markdown(f"cats={sorted(SearchState.categories)} start={SearchState.start_date.isoformat()}")
"""


def test_the_0_2_x_readme_patterns_work(make_app: AppFactory) -> None:
    at = run(make_app(README_APP, query={"junk": "1"}))
    assert query(at) == {
        "junk": ["1"], "status": ["pending"], "tags": [""], "cats": ["1", "2"], "start": ["2024-01-01"],
        "task": ["todo"], "other": ["x"], "dash_tab": ["overview"], "dash_details": ["false"],
    }
    assert at.number_input[0].value == 10  # bind(value=...) seeds the widget
    assert at.session_state["events"] == ["init"]  # on_init once per session

    at = run(at.selectbox[0].select("active"))
    assert query(at)["status"] == ["active"]
    assert "junk" not in query(at)  # selfish: foreign params go
    at = run(at.radio[0].set_value(1))
    assert query(at)["task"] == ["in_progress"]  # value_map text in the URL
    assert at.info[0].value == "Task is in progress"  # ... and the int in the code
    at = run(at.selectbox[1].select("dark"))
    assert at.session_state["events"] == ["init", "theme:light->dark"]
    at = run(at.text_input[0].input("dune"))
    at = run(at.multiselect[0].set_value(["a", "c"]))
    assert query(at)["tags"] == ["a", "c"]
    dumped = json.loads(at.json[0].value)
    assert (dumped["tags"], dumped["categories"], dumped["query"]) == (["a", "c"], [1, 2], "dune")
    at = run(at.button[1].click())  # reset in a callback
    assert json.loads(at.json[0].value)["query"] == ""
    at.query_params["junk"] = "2"
    at = run(at.button[0].click())  # focus(): claims the URL
    assert "junk" not in query(at) and query(at)["dash_tab"] == ["overview"]


def test_deep_links_and_bad_values(make_app: AppFactory) -> None:
    at = run(make_app(README_APP, query={"task": "done", "cats": ["3", "4"], "start": "2025-02-30"}))
    assert at.radio[0].value == 2
    assert "cats=[3, 4] start=2024-01-01" in [m.value for m in at.markdown]
    # 0.2.x raised InvalidQueryParamError inside and logged; 1.x warns and keeps the value.
    assert at.toast and "start" in at.toast[0].value


# -------------------------------------------------------------- value_map
class Category(enum.Enum):
    BOOKS = 10
    MUSIC = 20


class Shade(str, enum.Enum):  # noqa: UP042 - the 0.2.x-era spelling this test keeps working
    RED = "red"
    BLUE = "blue"


def test_a_reversed_value_map_is_flipped_with_a_warning_that_shows_the_right_orientation() -> None:
    with pytest.warns(DeprecationWarning) as record:

        class Filter(PageState):
            status: int = StateVar(default=1, url_key="status", value_map={"pending": 0, "active": 1})

    (message,) = deprecations(record)
    assert "Filter.status: value_map is written {'url-text': value}" in message
    assert "value_map={0: 'pending', 1: 'active'}" in message
    assert record[0].filename == __file__  # points at the user's class, not at the library
    field = Filter.__state_schema__.fields["status"]
    assert field.spec.value_map == {0: "pending", 1: "active"}
    assert field.codec.encode(0) == ["pending"]
    assert field.codec.decode(["active"]) == 1


def test_a_reversed_enum_value_map_is_flipped_to_members() -> None:
    with pytest.warns(DeprecationWarning, match=r"value_map=\{10: 'books', 20: 'music'\}"):

        class Shelf(PageState):
            category: Category = StateVar(default=Category.BOOKS, url_key="c", value_map={"books": 10, "music": 20})

    codec = Shelf.__state_schema__.fields["category"].codec
    assert codec.encode(Category.MUSIC) == ["music"]
    assert codec.decode(["books"]) is Category.BOOKS


def test_the_documented_orientation_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")

        class Task(PageState):
            status: int = StateVar(default=0, url_key="s", value_map={0: "todo", 1: "done"})
            shade: Shade = StateVar(default=Shade.RED, url_key="h", value_map={Shade.RED: "r"})
            name: str = StateVar(default="a", url_key="n", value_map={"a": "alpha"})

    assert Task.__state_schema__.fields["status"].codec.encode(1) == ["done"]


@pytest.mark.parametrize(
    ("annotation", "default", "value_map", "expected"),
    [
        # keys are strings but also valid ints: which side is the URL text?
        (int, 0, {"1": 0, "2": 1}, "write value_map={0: '1', 1: '2'}"),
        (float, 0.0, {"1.5": 1.0, "2": 2.5}, "write value_map={1.0: '1.5', 2.5: '2'}"),
        # two URL texts for one value
        (int, 0, {"zero": 0, "nil": 0}, "stand for the same value: keep one text per value: value_map={0: 'zero'}"),
        # URL text that is not a string
        (int, 0, {0: 1}, "the URL text of 0 is 1, not a string: for example value_map={0: '1'}"),
        (str, "a", {"a": 1}, "the URL text of 'a' is 1, not a string"),
    ],
)
def test_a_value_map_that_reads_neither_way_is_refused_showing_the_right_orientation(
    annotation: Any, default: Any, value_map: dict[Any, Any], expected: str
) -> None:
    with pytest.raises(StateConfigError) as info:
        type(PageState)("Ambiguous", (PageState,), {
            "__annotations__": {"value": annotation},
            "__module__": __name__,
            "value": StateVar(default=default, url_key="v", value_map=value_map),
        })
    message = str(info.value)
    assert message.startswith("Ambiguous.value: value_map maps each value of the field to the text shown in the URL")
    assert "{value: 'url-text'}" in message and expected in message


# ------------------------------------------------------- 0.2.x class bodies
def test_a_field_without_annotation_takes_its_type_from_the_default() -> None:
    with pytest.warns(DeprecationWarning, match=r"Counter.count has no annotation.*`count: int = StateVar"):

        class Counter(PageState):
            count = StateVar(default=0, url_key="count")
            label = StateVar(default=None)

    fields = Counter.__state_schema__.fields
    assert fields["count"].annotation is int and fields["count"].codec.decode(["3"]) == 3
    assert fields["label"].validate(None) is None and fields["label"].validate("x") == "x"


@pytest.mark.parametrize("value", [True, False])
def test_config_ignore_none_url_is_accepted_with_a_warning(value: bool) -> None:
    with pytest.warns(DeprecationWarning, match=r"Config.ignore_none_url is a 0.2.x option with no effect"):

        class Page(PageState):
            class Config:
                ignore_none_url = value
                url_prefix = "p_"

            filter: str | None = StateVar(default="x", url_key="f")

    assert Page.__state_schema__.fields["filter"].param == "p_f"


def test_model_metadata_syntax_is_refused_naming_statevar() -> None:
    with pytest.raises(StateConfigError, match=r"_model_metadata is the pre-StateVar.*StateVar\(default="):

        class Legacy(PageState):
            _model_metadata = {"my_attr": "default_value", "map_to_url": {"my_attr": "my_param"}}


def test_before_set_is_reported_as_no_longer_called() -> None:
    with pytest.warns(UserWarning, match=r"before_set\(\) is a 0.2.x hook.*on_change"):

        class Hooked(PageState):
            x: int = StateVar(default=0)

            @classmethod
            def before_set(cls) -> None:
                pass


def test_a_config_typo_is_still_an_error() -> None:
    with pytest.raises(StateConfigError, match="unknown option"):

        class Typo(PageState):
            class Config:
                ignore_none_urls = True

            x: int = StateVar(default=0)


# ------------------------------------------------------ schema() and bind_key()
SCHEMA_APP = """
import streamlit as st
from st_page_state import PageState, StateVar

class FilterState(PageState):
    status_filter: int = StateVar(default=1, url_key="status", value_map={0: "pending", 1: "active"})

meta = FilterState.schema()["status_filter"]
st.markdown(f"{meta['default']}|{meta['url_key']}|{meta['value_map']}|{meta['dtype'].__name__}")
st.markdown(str(FilterState.schema()["properties"]["status_filter"]["x-url-key"]))
st.selectbox("Status", [0, 1], key=FilterState.bind_key("status_filter"))
st.markdown(f"value={FilterState.status_filter}")
"""


def test_schema_indexed_by_field_gives_the_0_2_x_metadata_and_bind_key_binds(make_app: AppFactory) -> None:
    with pytest.warns(DeprecationWarning) as record:
        at = run(make_app(SCHEMA_APP))
    messages = deprecations(record)
    assert any("schema()['properties']['status_filter']" in m for m in messages)
    assert any("bind_key(field) is deprecated: pass **FilterState.bind(field)" in m for m in messages)
    assert [m.value for m in at.markdown][:2] == ["1|status|{0: 'pending', 1: 'active'}|int", "status"]
    at = run(at.selectbox[0].select(0))
    assert [m.value for m in at.markdown][2] == "value=0"
    assert query(at) == {"status": ["pending"]}


def test_schema_is_still_the_json_schema() -> None:
    class Plain(PageState):
        n: int = StateVar(default=1, url_key="n")

    result = Plain.schema()
    assert result == {
        "title": "Plain", "type": "object",
        "properties": {"n": {"type": "integer", "default": 1, "x-url-key": "n"}},
    }
    assert json.loads(json.dumps(result)) == result
    with pytest.raises(KeyError):
        result["missing"]


# -------------------------------------------------------------- 0.2.x links
def b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    ("annotation", "texts", "expected"),
    [
        (list[int], [b64(["1", "2"])], ["1", "2"]),
        (set[str], [b64(["a"])], ["a"]),
        (list[str], [b64([])], [""]),
        (tuple[int, int], [b64(["3", "4"])], ["3", "4"]),
        (dict[str, int], [b64({"a": 1})], ['{"a":1}']),
        # not 0.2.x base64: left alone
        (list[str], ["Widget"], ["Widget"]),
        (list[str], ["WW91"], ["WW91"]),  # base64, but not of a JSON array
        (list[str], [b64(["a"]), "b"], [b64(["a"]), "b"]),  # repeated: already 1.x
        (int, [b64(["1"])], [b64(["1"])]),  # scalars never were base64
    ],
)
def test_0_2_x_base64_url_values_are_read(annotation: Any, texts: list[str], expected: list[str]) -> None:
    assert v02_url_texts(compile_codec(annotation), texts) == expected


LINK_APP = """
import streamlit as st
from st_page_state import PageState, StateVar

class Links(PageState):
    ids: list[int] = StateVar(default=[], url_key="ids")
    opts: dict[str, int] = StateVar(default={}, url_key="opts")

st.markdown(f"{Links.ids} {Links.opts}")
"""


def test_a_0_2_x_link_opens_the_same_state_and_is_rewritten(make_app: AppFactory) -> None:
    at = run(make_app(LINK_APP, query={"ids": b64(["4", "5"]), "opts": b64({"a": 1})}))
    assert at.markdown[0].value == "[4, 5] {'a': 1}"
    assert query(at) == {"ids": ["4", "5"], "opts": ['{"a":1}']}
    assert not at.toast


# ----------------------------------------------------------------- RedisBackend
@pytest.fixture
def redis_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RedisServer]:
    monkeypatch.setattr(backends, "_STORES", {})
    yield from running_redis(tmp_path)


def redis_app(port: int, session_id: str = "None", extra: str = "") -> str:
    return f"""
import streamlit as st
from st_page_state import PageState, StateVar, RedisBackend

backend = RedisBackend(host="127.0.0.1", port={port}, default_ttl=60, key_prefix="t", session_id={session_id}{extra})

class Counter(PageState):
    count: int = StateVar(default=0, url_key="count")

class Notes(PageState):
    class Config:
        ttl = 5
    text: str = StateVar(default="")

with backend.session():
    if st.button("add"):
        Counter.count += 1
    st.text_input("Notes", **Notes.bind("text"))
    st.markdown(f"count={{Counter.count}}")
"""


def test_redis_backend_with_a_fixed_session_id(make_app: AppFactory, redis_server: RedisServer) -> None:
    with pytest.warns(DeprecationWarning) as record:
        at = run(make_app(redis_app(redis_server.port, session_id="'juan'")))
    (built,) = [m for m in deprecations(record) if m.startswith("RedisBackend is")]
    assert f"configure(store=RedisStore('redis://127.0.0.1:{redis_server.port}/0', prefix='t', default_ttl=60)" in built
    assert "identity=lambda: 'juan'" in built
    at = run(at.button[0].click())
    at = run(at.text_input[0].input("hello"))
    raw = redis.Redis.from_url(redis_server.url, decode_responses=True)
    assert sorted(raw.keys("t:*")) == ["t:user%3Ajuan:app.py:Counter", "t:user%3Ajuan:app.py:Notes"]
    assert 55_000 < raw.pttl("t:user%3Ajuan:app.py:Counter") <= 60_000
    assert 0 < raw.pttl("t:user%3Ajuan:app.py:Notes") <= 5_000

    again = run(make_app(redis_app(redis_server.port, session_id="'juan'")))  # another session, same person
    assert again.markdown[0].value == "count=1" and again.text_input[0].value == "hello"
    other = run(make_app(redis_app(redis_server.port, session_id="'ada'")))
    assert other.markdown[0].value == "count=0"


def test_redis_backend_without_session_id_keeps_each_tab(make_app: AppFactory, redis_server: RedisServer) -> None:
    at = run(testing.set_tab_id(make_app(redis_app(redis_server.port)), "tab-1"))
    at = run(at.button[0].click())
    raw = redis.Redis.from_url(redis_server.url, decode_responses=True)
    assert raw.keys("t:*:app.py:Counter") == ["t:tab%3Atab-1:app.py:Counter"]
    reloaded = run(testing.reload(at, query={}))
    assert reloaded.markdown[0].value == "count=1"  # 0.2.x lost this on reload: it keyed by Streamlit's session
    assert query(reloaded) == {"count": ["1"]}
    other_tab = run(testing.set_tab_id(make_app(redis_app(redis_server.port)), "tab-2"))
    assert other_tab.markdown[0].value == "count=0"


def test_redis_backend_lower_level_methods(make_app: AppFactory, redis_server: RedisServer) -> None:
    at = run(make_app(redis_app(redis_server.port, session_id="'juan'")))
    run(at.button[0].click())
    from st_page_state import RedisBackend, registry

    backend = RedisBackend(host="127.0.0.1", port=redis_server.port, default_ttl=60, key_prefix="t")
    counter = registry.lookup("app.py:Counter")
    assert backend.ping() is True
    assert backend.resolve_ttl(counter) == 60
    assert backend.resolve_ttl(registry.lookup("app.py:Notes")) == 5
    # 0.2.x took a class name; a class or its namespace also work (several classes may share a name).
    assert backend.load(counter, "juan") == {"count": 1}
    backend.save("app.py:Counter", "juan", {"count": 5}, ttl=30)
    assert backend.load(counter, "juan") == {"count": 5}
    assert backend.load_all("juan") == {"Counter": {"count": 5}}  # Notes never changed: nothing stored
    backend.delete(counter, "juan")
    assert backend.load(counter, "juan") is None
    with pytest.raises(StateConfigError, match="no PageState class named 'Nope'"):
        backend.load("Nope", "juan")

    class Counter(PageState):
        count: int = StateVar(default=0)

    with pytest.raises(StateConfigError, match="several PageState classes are named 'Counter'"):
        backend.load("Counter", "juan")
    redis_server.stop()
    assert backend.ping() is False
    assert backend.load("app.py:Notes", "juan") is None  # logged, not raised, as in 0.2.x


def test_redis_backend_down_keeps_the_app_working(make_app: AppFactory, redis_server: RedisServer) -> None:
    redis_server.stop()
    at = run(make_app(redis_app(redis_server.port, session_id="'juan'")))
    at = run(at.button[0].click())
    assert at.markdown[0].value == "count=1"


def test_redis_backend_keeps_the_password_out_of_messages(redis_server: RedisServer) -> None:
    backend = st_page_state.RedisBackend(host="127.0.0.1", port=redis_server.port, password="s3cr:t@", db=2)
    assert "s3cr" not in repr(backend) and "s3cr" not in backend.store.url
    kwargs = backend.client.connection_pool.connection_kwargs
    assert kwargs["password"] == "s3cr:t@" and kwargs["db"] == 2


def test_redis_backend_rejects_a_bad_session_id(redis_server: RedisServer) -> None:
    with pytest.raises(StateConfigError, match="session_id"):
        st_page_state.RedisBackend(port=redis_server.port, session_id=42)  # type: ignore[arg-type]


def test_redis_backend_warns_once_per_process(make_app: AppFactory, redis_server: RedisServer) -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        at = run(make_app(redis_app(redis_server.port, session_id="'juan'")))
        run(at.button[0].click())
        run(at.button[0].click())
    assert len([m for m in deprecations(record) if m.startswith("RedisBackend is")]) == 1
    assert len([m for m in deprecations(record) if m.startswith("RedisBackend.session()")]) == 1
