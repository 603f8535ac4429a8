"""examples/persistence.py: the search and the session-only notes survive a reload of the tab."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from st_page_state import testing
from st_page_state.stores import MemoryStore


def test_persistence_example_survives_a_reload_with_params_deleted() -> None:
    with testing.configured(store=MemoryStore()):
        # A relative path, as users write it: reload() must find the same file.
        at = testing.set_tab_id(AppTest.from_file("../examples/persistence.py", default_timeout=30), "tab-1").run()
        assert not at.exception
        at.text_input[0].input("dune").run()
        at.selectbox[0].select("novel").run()
        at.button[1].click().run()
        at.text_area[0].input("ask the librarian").run()

        again = testing.reload(at, query={}).run()
        assert not again.exception
        assert dict(again.query_params) == {"q": "dune", "genre": "novel", "page": "2"}
        assert again.text_input[0].value == "dune"
        assert again.selectbox[0].value == "novel"
        assert again.text_area[0].value == "ask the librarian"

        new_tab = testing.set_tab_id(AppTest.from_file("../examples/persistence.py", default_timeout=30), "tab-2").run()
        assert new_tab.text_area[0].value == "" and dict(new_tab.query_params)["q"] == ""
