"""The nine examples of st-page-state 0.2.5, run unchanged with AppTest.

Each test runs one example (copied byte for byte into this directory, see
README.md), checks that it renders without an exception, and then does
what the example's docstring says it shows: clicks, widget changes, deep
links and the URL they write. Where 0.2.x code is deprecated, the test also
checks the DeprecationWarning names the replacement.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from streamlit.testing.v1 import AppTest

from st_page_state import backends, schema, testing
from st_page_state.v02 import values as compat
from tests.redis_server import RedisServer

HERE = Path(__file__).resolve().parent
TIMEOUT = 30  # the first run of a file imports pandas, pydantic, ...


@pytest.fixture(autouse=True)
def isolated_settings() -> Iterator[None]:
    """Warnings as on a fresh server, and settings (RedisBackend configures the app) restored after.

    A deprecation warns once per process, and a class whose fields did not
    change is not compiled again: both are reset so each test sees the
    warnings its example gives on a server's first run.
    """
    compat._WARNED.clear()
    schema._COMPILED.clear()
    with testing.configured():
        yield
    compat._WARNED.clear()


def app(name: str, query: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(str(HERE / name), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def run(node: Any) -> AppTest:
    """Run after an interaction (``at`` itself or a widget of it); fail on any exception."""
    at: AppTest = node.run(timeout=TIMEOUT)
    assert not at.exception, [e.value for e in at.exception]
    return at


def url(at: AppTest) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in dict(at.query_params).items()}


def markdown(at: AppTest) -> list[str]:
    return [str(m.value) for m in at.markdown]


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def v02_url_list(items: list[Any]) -> str:
    """A list as 0.2.x wrote it in the URL: base64 of the JSON list of item texts."""
    return base64.urlsafe_b64encode(json.dumps([str(i) for i in items]).encode()).decode()


def deprecations(record: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, DeprecationWarning)]


def exception_types(at: AppTest) -> list[str]:
    return [e.proto.type.rsplit(".", 1)[-1] for e in at.exception]


def assert_widget_order_error(at: AppTest, field: str) -> None:
    """The 0.2.x "reset below the widgets" pattern: an error that says how to write it in 1.x."""
    assert exception_types(at) == ["WidgetOrderError"], [e.value for e in at.exception]
    message = at.exception[0].message
    assert field in message and "after its widget" in message
    assert "in a callback (on_change=/on_click=" in message and "before the widget is created" in message


# 01 ---------------------------------------------------------------------------
def test_01_simple_counter_increments_decrements_and_resets() -> None:
    at = run(app("01_simple_counter.py"))
    assert at.metric[0].value == "0"
    run(button(at, "Increment").click())
    run(button(at, "Increment").click())
    assert at.metric[0].value == "2"
    run(button(at, "Decrement").click())
    assert at.metric[0].value == "1"
    run(button(at, "Reset").click())
    assert at.metric[0].value == "0"
    assert url(at) == {}  # count has no url_key


# 02 ---------------------------------------------------------------------------
def test_02_wizard_steps_through_with_the_step_in_the_url() -> None:
    at = run(app("02_wizard.py"))
    assert url(at) == {"step": ["1"]}
    run(button(at, "Next").click())
    assert at.error[0].value == "Please fill in all fields."
    run(at.text_input[0].input("Ada"))
    run(at.text_input[1].input("ada@example.com"))
    run(button(at, "Next").click())
    assert url(at) == {"step": ["2"]}  # name and e-mail stay out of the URL
    assert at.subheader[0].value == "Step 2: Role Selection"
    run(at.selectbox[0].select("Designer"))
    run(button(at, "Next").click())
    run(button(at, "Next").click())
    assert at.error[0].value == "You must agree to the terms."
    run(at.checkbox[0].check())
    run(button(at, "Next").click())
    assert url(at) == {"step": ["4"]}
    assert json.loads(at.json[0].value) == {
        "Name": "Ada", "Email": "ada@example.com", "Role": "Designer", "Agreed": True,
    }
    run(button(at, "Start Over").click())
    assert url(at) == {"step": ["1"]}
    assert at.text_input[0].value == ""


def test_02_wizard_opens_the_step_of_a_shared_link() -> None:
    at = run(app("02_wizard.py", {"step": "3"}))
    assert at.subheader[0].value == "Step 3: Terms and Conditions"


# 03 ---------------------------------------------------------------------------
def test_03_form_section_syncs_bound_settings_to_the_url_but_not_the_bio() -> None:
    at = run(app("03_form_section.py"))
    assert url(at) == {"user": ["guest"], "theme": ["light"], "notify": ["true"]}
    run(at.text_input[0].input("ada"))
    run(at.selectbox[0].select("dark"))
    run(at.checkbox[0].uncheck())
    run(at.text_area[0].input("Mathematician"))
    assert url(at) == {"user": ["ada"], "theme": ["dark"], "notify": ["false"]}
    assert json.loads(at.json[0].value) == {
        "username": "ada", "theme": "dark", "notifications": False, "bio": "Mathematician",
    }
    # "Reset to Defaults" is drawn below the widgets it resets: 0.2.5 reset the
    # fields but left the widgets showing the old values; 1.x refuses the
    # change, naming the two ways to write it (a callback, or before the widgets).
    button(at, "Reset to Defaults").click().run(timeout=TIMEOUT)
    assert_widget_order_error(at, "SettingsState.username")
    run(at)
    assert url(at) == {"user": ["ada"], "theme": ["dark"], "notify": ["false"]}  # nothing half-reset


def test_03_form_section_restores_settings_from_the_url() -> None:
    at = run(app("03_form_section.py", {"user": "bob", "theme": "system", "notify": "false"}))
    assert at.text_input[0].value == "bob"
    assert at.selectbox[0].value == "system"
    assert at.checkbox[0].value is False


# 04 ---------------------------------------------------------------------------
def test_04_tabs_navigation_puts_the_view_in_the_url() -> None:
    at = run(app("04_tabs_navigation.py"))
    assert at.main.title[0].value == "📊 Dashboard"
    run(at.sidebar.radio[0].set_value("Settings"))
    assert url(at) == {"view": ["Settings"]}
    assert at.main.title[0].value == "⚙️ Settings"
    assert at.caption[0].value == "Current View State: `Settings`"


def test_04_tabs_navigation_deep_links_to_a_view() -> None:
    at = run(app("04_tabs_navigation.py", {"view": "Data Explorer"}))
    assert at.main.title[0].value == "💾 Data Explorer"
    assert at.sidebar.radio[0].value == "Data Explorer"
    assert len(at.dataframe) == 1


# 05 ---------------------------------------------------------------------------
def test_05_reversed_value_map_is_flipped_with_a_warning_showing_the_right_orientation() -> None:
    with pytest.warns(DeprecationWarning) as record:
        at = run(app("05_data_filter_map.py"))
    messages = deprecations(record)
    assert any("value_map={0: 'pending', 1: 'active', 2: 'archived'}" in m for m in messages), messages
    assert any("schema()['properties']['status_filter']" in m for m in messages), messages
    # The URL shows the friendly text, the code works with integers.
    assert url(at) == {"status": ["active"]}
    assert at.subheader[0].value == "Tasks (Active)"
    assert "type: int" in at.caption[0].value
    run(at.selectbox[0].select(0))
    assert url(at) == {"status": ["pending"]}
    assert at.subheader[0].value == "Tasks (Pending)"
    assert list(at.dataframe[0].value["task"]) == ["Write documentation", "User interviews"]


def test_05_friendly_and_0_2_5_links_both_open_the_filter() -> None:
    at = run(app("05_data_filter_map.py", {"status": "archived"}))
    assert at.subheader[0].value == "Tasks (Archived)"
    assert list(at.dataframe[0].value["task"]) == ["Release v1.0"]
    # 0.2.5 ignored the reversed map and wrote the integer (?status=0): such links still work.
    old = run(app("05_data_filter_map.py", {"status": "0"}))
    assert old.subheader[0].value == "Tasks (Pending)"
    assert url(old) == {"status": ["pending"]}


def test_05_warns_once_per_process_not_on_every_rerun(tmp_path: Path) -> None:
    # A copy at another path is another class for this process (its namespace is its path), so
    # its first definition warns here whatever other tests of this worker ran before.
    copy = tmp_path / "05_copy.py"
    copy.write_text((HERE / "05_data_filter_map.py").read_text())
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        at = run(AppTest.from_file(str(copy), default_timeout=TIMEOUT))
        run(at.selectbox[0].select(2))
        run(at.selectbox[0].select(0))
    assert len([m for m in deprecations(record) if "value_map" in m]) == 1


# 06 ---------------------------------------------------------------------------
def test_06_lists_and_sets_bind_to_multiselects_and_buttons() -> None:
    today = dt.date.today()
    at = run(app("06_list_handling.py"))
    assert url(at) == {"nums": ["1", "2", "3"], "tags": ["streamlit", "python"], "dates": [today.isoformat()]}
    run(at.multiselect[0].set_value([1, 10]))
    run(at.multiselect[1].set_value(["web"]))
    assert url(at)["nums"] == ["1", "10"]
    assert url(at)["tags"] == ["web"]
    assert at.caption[0].value == "Current Value: `[1, 10]` (type: `list`)"
    other = today - dt.timedelta(days=3)
    run(at.date_input[0].set_value(other))
    run(button(at, "Add Date").click())
    assert url(at)["dates"] == sorted([today.isoformat(), other.isoformat()])
    assert f"Selected Dates: {sorted([other, today])}" in markdown(at)
    run(button(at, "Remove Date").click())
    assert url(at)["dates"] == [today.isoformat()]


def test_06_links_written_by_0_2_x_in_base64_still_open_the_same_lists() -> None:
    old_link = {
        "nums": "WyIxIiwgIjIiLCAiMyJd",  # what 0.2.5 wrote for [1, 2, 3]
        "tags": v02_url_list(["web", "state"]),
        "dates": v02_url_list(["2024-02-29"]),
    }
    at = run(app("06_list_handling.py", old_link))
    assert at.multiselect[0].value == [1, 2, 3]
    assert at.multiselect[1].value == ["web", "state"]
    assert "Selected Dates: [datetime.date(2024, 2, 29)]" in markdown(at)
    # ... and the URL is rewritten in the readable 1.x form.
    assert url(at) == {"nums": ["1", "2", "3"], "tags": ["web", "state"], "dates": ["2024-02-29"]}


# 07 ---------------------------------------------------------------------------
def test_07_config_prefix_selfishness_sharing_and_focus() -> None:
    with pytest.warns(DeprecationWarning, match=r"bind_key.*\*\*AppState\.bind\(field\)"):
        at = run(app("07_config_class.py"))
    everything = {
        "p1_name": ["prefixed"], "p1_val": ["100"], "other": ["unprefixed"],
        "filter": ["all"], "page": ["1"], "extra": ["extra"],
    }
    assert url(at) == everything
    # The page reads all four states at its top, so each run puts every
    # state's params back (restore_url_on_touch), as in 0.2.5: the URL
    # always holds the page's whole state. What selfishness drops is
    # anything else, such as a foreign param.
    at.query_params["utm_source"] = "newsletter"
    # 1. prefixed params.
    run(at.text_input[0].input("mine"))
    assert url(at) == {**everything, "p1_name": ["mine"]}
    # 2. another state.
    run(at.text_input[1].input("theirs"))
    run(at.number_input[0].set_value(7))
    assert url(at) == {**everything, "p1_name": ["mine"], "p1_val": ["7"], "other": ["theirs"]}
    # 3. a widget bound with the key from bind_key() is bound like bind() binds it.
    run(at.selectbox[0].select("active"))
    assert "`filter`='active'" in at.caption[2].value
    assert url(at)["filter"] == ["active"]
    # 4. SharedState.
    run(at.text_input[2].input("more"))
    assert url(at) == {
        "p1_name": ["mine"], "p1_val": ["7"], "other": ["theirs"], "filter": ["active"], "page": ["1"],
        "extra": ["more"],
    }
    # 5. focus() claims the URL without a widget: foreign params go. The
    # states the page uses in the same run keep theirs (1.x does not let the
    # order of statements decide; 0.2.5 cleared them because the button is
    # drawn last).
    at.query_params["utm_source"] = "newsletter"
    run(button(at, "Focus `AnotherState` and Clear Other Params").click())
    assert at.success[0].value.startswith("`AnotherState.focus()` called.")
    assert "utm_source" not in url(at)
    assert url(at)["other"] == ["theirs"]


# 08 ---------------------------------------------------------------------------
def test_08_bind_value_seeds_the_widget_on_first_load_only() -> None:
    at = run(app("08_bind_initial_value.py"))
    assert at.number_input[0].value == 10
    assert "**Current PageState.count value:** `10`" in markdown(at)
    run(at.number_input[0].set_value(15))
    assert "**Current PageState.count value:** `15`" in markdown(at)
    run(at)
    assert at.number_input[0].value == 15  # not seeded again
    # The reset button is drawn below the widget (see test_03).
    button(at, "Reset All State").click().run(timeout=TIMEOUT)
    assert_widget_order_error(at, "CounterState.count")


# 09 ---------------------------------------------------------------------------
@pytest.fixture
def example_redis(redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Point the example's ``RedisBackend(host="localhost", port=6379, ...)`` at the test's redis-server.

    The example is run unchanged, so it asks for localhost:6379; the
    arguments it passed are recorded, and the connection goes to the
    server this test started on a free port (`test_v02_api.py` connects a
    RedisBackend to a real host and port without this redirection).
    """
    asked: dict[str, Any] = {}
    build = backends._store_for

    def redirected(**kwargs: Any) -> Any:
        asked.update(kwargs)
        return build(**{**kwargs, "host": "127.0.0.1", "port": redis_server.port})

    monkeypatch.setattr(backends, "_store_for", redirected)
    monkeypatch.setattr(backends, "_STORES", {})
    yield asked


def test_09_redis_backend_persists_the_counter_and_the_draft(
    redis_server: RedisServer, example_redis: dict[str, Any]
) -> None:
    with pytest.warns(DeprecationWarning) as record:
        at = run(app("09_redis_persistence.py"))
    messages = deprecations(record)
    assert any("RedisBackend is the st-page-state 0.2.x API" in m and "configure(store=RedisStore(" in m
               for m in messages), messages
    assert any("RedisBackend.session() is deprecated" in m for m in messages), messages
    assert example_redis["host"] == "localhost" and example_redis["port"] == 6379
    assert example_redis["key_prefix"] == "example" and example_redis["default_ttl"] == 3600

    assert at.metric[0].value == "0"
    run(button(at, "＋").click())
    run(button(at, "＋").click())
    run(at.text_area[0].input("a draft"))
    assert at.metric[0].value == "2"
    assert url(at) == {"count": ["2"]}

    raw = redis.Redis.from_url(redis_server.url, decode_responses=True)
    keys = {k.rsplit(":", 1)[-1]: k for k in raw.keys("example:user%3Aanonymous:*")}
    assert set(keys) == {"CounterState", "DraftState"}
    assert json.loads(raw.get(keys["CounterState"]))["values"] == {"count": 2}
    assert 3_590_000 < raw.pttl(keys["CounterState"]) <= 3_600_000  # default_ttl
    assert 110_000 < raw.pttl(keys["DraftState"]) <= 120_000  # Config.ttl = 120

    # A new session (a reload, another browser) of the same identity finds the state.
    again = run(app("09_redis_persistence.py"))
    assert again.metric[0].value == "2"
    assert again.text_area[0].value == "a draft"
    assert url(again) == {"count": ["2"]}
    # URL params win over stored values.
    linked = run(app("09_redis_persistence.py", {"count": "7"}))
    assert linked.metric[0].value == "7"
    assert linked.text_area[0].value == "a draft"


def test_09_identity_transition_loads_the_new_users_state(
    redis_server: RedisServer, example_redis: dict[str, Any]
) -> None:
    at = run(app("09_redis_persistence.py"))
    run(button(at, "＋").click())
    assert at.metric[0].value == "1"
    at.session_state["user_email"] = "ada@example.com"  # logs in
    run(at)
    assert at.metric[0].value == "0"  # ada's state, nothing of the anonymous one
    for _ in range(3):
        run(button(at, "＋").click())
    del at.session_state["user_email"]  # logs out
    run(at)
    assert at.metric[0].value == "1"
    raw = redis.Redis.from_url(redis_server.url, decode_responses=True)
    stored = {k.split(":")[1]: json.loads(raw.get(k))["values"] for k in raw.keys("example:*:*CounterState")}
    assert stored == {"user%3Aanonymous": {"count": 1}, "user%3Aada%40example.com": {"count": 3}}
