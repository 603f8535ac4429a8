"""Gallery: every example as a page of one app. This is what ``make demo`` runs.

Each page is one of the example files next to this one; watch the address
bar while you click. The sidebar's inspector panel shows every state the
session used, where each value came from, and the engine's URL writes. Examples that other parts of the project add
(forms, fragments, widgets, persistence) show up once their file exists.

Run: streamlit run examples/gallery.py
"""

import ast
from pathlib import Path

import streamlit as st

import st_page_state

HERE = Path(__file__).parent
EXAMPLES = [
    ("counter.py", "Counter", "🔢"),
    ("wizard.py", "Wizard", "🧭"),
    ("filters.py", "Filters", "🔎"),
    ("tabs_navigation.py", "Tabs navigation", "🗂️"),
    ("sidebar_main.py", "Sidebar + main", "📐"),
    ("collections_dates.py", "Lists, sets & dates", "📅"),
    ("config_options.py", "Config options", "⚙️"),
    ("form.py", "Forms", "📝"),
    ("fragment.py", "Fragments", "⚡"),
    ("all_widgets.py", "All widgets", "🎛️"),
    ("persistence.py", "Persistence", "💾"),
]
PAGES = {name: st.Page(name, title=title, icon=icon) for name, title, icon in EXAMPLES if (HERE / name).exists()}


def summary(path: Path) -> str:
    """The first paragraph of an example's docstring."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return " ".join(doc.split("\n\n")[0].split())


def overview() -> None:
    st.title("st-page-state examples")
    st.write("One pattern per page. The source of each is `examples/<file>.py`.")
    for name, page in PAGES.items():
        st.page_link(page)
        st.caption(summary(HERE / name))
    if (HERE / "multipage" / "app.py").exists():  # has its own st.navigation: not a page of this one
        st.divider()
        st.markdown("**Multipage app** (runs on its own): `streamlit run examples/multipage/app.py`")
        st.caption(summary(HERE / "multipage" / "app.py"))


st.navigation([st.Page(overview, title="Overview", icon="🏠", default=True), *PAGES.values()]).run()

with st.sidebar:  # on every page; it draws itself again when the run ends, with the run's final state
    st_page_state.inspector()
