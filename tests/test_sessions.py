"""Sessions stay apart: per-page namespaces, concurrent sessions, flat memory over reruns."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import AppFactory, texts

NAV = """
import streamlit as st
st.navigation([st.Page("page_one.py"), st.Page("page_two.py")]).run()
"""

PAGE = """
import streamlit as st
from st_page_state import PageState, StateVar

class FilterState(PageState):
    status: str = StateVar(default="{default}", url_key="{param}")

if st.button("change"):
    FilterState.status = "changed-{default}"
st.markdown(f"{default}: {{FilterState.status}}")
"""


def test_same_class_name_on_two_pages_keeps_two_values(make_app: AppFactory) -> None:
    at = make_app(
        NAV,
        **{"page_one.py": PAGE.format(default="one", param="s1"), "page_two.py": PAGE.format(default="two", param="s2")},
    ).run()
    at.button[0].click().run()
    assert texts(at) == ["one: changed-one"]
    at.switch_page("page_two.py").run()
    assert texts(at) == ["two: two"]
    at.switch_page("page_one.py").run()
    assert texts(at) == ["one: changed-one"]


RERUN_APP = """
import streamlit as st
from st_page_state import PageState, StateVar

class Counter(PageState):
    count: int = StateVar(default=0, url_key="count")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")

Counter.count += 1
Counter.tags = [str(Counter.count % 5)]
st.markdown(str(Counter.count))
"""


def test_memory_stays_flat_over_a_thousand_reruns(tmp_path: Path) -> None:
    app = tmp_path / "rerun.py"
    app.write_text(RERUN_APP)
    at = AppTest.from_file(str(app), default_timeout=30)
    for _ in range(100):  # warm up caches (pydantic, streamlit's element registry)
        at.run()
    gc.collect()
    tracemalloc.start()
    start, _ = tracemalloc.get_traced_memory()
    for _ in range(1000):
        at.run()
    gc.collect()
    end, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert texts(at) == ["1100"]
    growth = end - start
    assert growth < 400_000, f"memory grew by {growth} bytes over 1,000 reruns"
