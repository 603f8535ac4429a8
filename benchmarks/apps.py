"""Sources of the apps the Python benchmarks compare, generated for any number of fields.

Every app of one benchmark does the same work for its user, so that the
only difference between two timings is how the state is kept:

* **tuned hand-written**: what a performance-minded person writes without
  the library: one dict of values in ``st.session_state``, the URL read once
  per session (to open deep links), and only the changed param written, at
  the place it changes. It never looks at the URL again, so it does less
  than the library (no adoption of URL edits, no restore of deleted params,
  no persistence): the gap is the price of those features.
* **class imported**: a ``PageState`` class in a module the script imports,
  created once per process (how multipage apps share states).
* **class in the script**: the same class defined in the script, which
  Streamlit re-executes, so the class is created again on every rerun.
* **native bind** (widgets only): Streamlit's own ``bind="query-params"``.
* **empty**: ``st.write(0)``, the fixed cost of a rerun.

Widgets pass ``step=1``: without an int ``value``/``step``/bound,
``st.number_input`` is a float widget (step 0.01, shown as ``3.00``) even
when session state holds an int, and every app must draw the same widget.

Field ``f<i>`` is an ``int`` with default ``i`` and URL param ``f<i>``. The
state apps read every field ``READS`` times with one line per read (as code
that uses fields by name does), so the scripts are long, which is exactly
why the bytecode must be cached as a server caches it (``harness.py``).
Only the public API of st-page-state is used (``PageState``, ``StateVar``,
``bind``), so the benchmarks keep working while its internals change.
"""

from __future__ import annotations

READS = 3
VALUES_KEY = "bench_values"


def field_names(n: int) -> list[str]:
    return [f"f{i}" for i in range(n)]


def _defaults_literal(n: int) -> str:
    return "{" + ", ".join(f'"f{i}": {i}' for i in range(n)) + "}"


# ------------------------------------------------------------- state apps
EMPTY_APP = "import streamlit as st\n\nst.write(0)\n"


def state_class_source(n: int, class_name: str = "BenchState", *, short_url: bool = False) -> str:
    """A module (or script fragment) defining a ``PageState`` with ``n`` URL-synced int fields.

    ``short_url``: ``clear_on_default = True``, so the URL holds only the
    params whose value differs from the default, as the tuned app's does
    (by default, every param is in the URL, and Streamlit parses the whole
    query string on every run).
    """
    config = ["    class Config:", "        clear_on_default = True", ""] if short_url else []
    lines = [
        "from st_page_state import PageState, StateVar",
        "",
        "",
        f"class {class_name}(PageState):",
        *config,
        *(f'    f{i}: int = StateVar(default={i}, url_key="f{i}")' for i in range(n)),
        "",
    ]
    return "\n".join(lines)


def _library_body(n: int, *, change: bool, cls: str = "BenchState") -> list[str]:
    lines = ["", "total = 0"]
    for _ in range(READS):
        lines += [f"total += {cls}.f{i}" for i in range(n)]
    if change:
        lines.append(f"{cls}.f0 += 1")
    lines.append("st.write(total)")
    return lines


def library_in_script_app(n: int, *, change: bool, short_url: bool = False) -> str:
    """The class defined in the script: created again on every rerun."""
    source = state_class_source(n, short_url=short_url)
    return "\n".join(["import streamlit as st", source, *_library_body(n, change=change)]) + "\n"


def library_imported_app(module: str, n: int, *, change: bool) -> str:
    """The class imported from ``module``: created once per process."""
    return (
        "\n".join(["import streamlit as st", f"from {module} import BenchState", *_library_body(n, change=change)])
        + "\n"
    )


def library_touch_imported_app(module: str) -> str:
    """The imported class read once: the library's per-run cost without the per-read cost."""
    return f"import streamlit as st\nfrom {module} import BenchState\n\nst.write(BenchState.f0)\n"


def library_touch_in_script_app(n: int) -> str:
    """The class defined in the script and read once: adds the cost of creating the class on every rerun."""
    return "\n".join(["import streamlit as st", state_class_source(n), "st.write(BenchState.f0)"]) + "\n"


def _tuned_seed(n: int, *, widgets: bool) -> list[str]:
    """The tuned apps' first lines: the values dict, seeded from the URL once per session.

    ``widgets``: each value is also put under its widget's key, so the
    widget opens showing it.
    """
    return [
        "import streamlit as st",
        "",
        f"DEFAULTS = {_defaults_literal(n)}",
        f'values = st.session_state.get("{VALUES_KEY}")',
        "if values is None:",
        "    params = st.query_params",
        "    values = {}",
        "    for name, default in DEFAULTS.items():",
        "        text = params.get(name)",
        "        try:",
        "            values[name] = int(text) if text is not None else default",
        "        except ValueError:",
        "            values[name] = default",
        *(["        st.session_state[name] = values[name]"] if widgets else []),
        f'    st.session_state["{VALUES_KEY}"] = values',
    ]


def tuned_app(n: int, *, change: bool) -> str:
    """One dict in session_state; the URL read once per session; only the changed param written."""
    lines = [*_tuned_seed(n, widgets=False), "", "total = 0"]
    for _ in range(READS):
        lines += [f'total += values["f{i}"]' for i in range(n)]
    if change:
        lines += ['values["f0"] += 1', 'st.query_params["f0"] = str(values["f0"])']
    lines.append("st.write(total)")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------ widget apps
def widget_class_source(n: int) -> str:
    return state_class_source(n, "WidgetState")


def _library_widgets(n: int) -> list[str]:
    return [
        f"for i in range({n}):",
        '    st.number_input(f"f{i}", **WidgetState.bind(f"f{i}", step=1))',
        "st.write(0)",
    ]


def library_widgets_in_script_app(n: int) -> str:
    return "\n".join(["import streamlit as st", widget_class_source(n), *_library_widgets(n)]) + "\n"


def library_widgets_imported_app(module: str, n: int) -> str:
    return "\n".join(["import streamlit as st", f"from {module} import WidgetState", "", *_library_widgets(n)]) + "\n"


def native_widgets_app(n: int) -> str:
    """Streamlit's own binding: each widget's key is its URL param."""
    return (
        "\n".join(
            [
                "import streamlit as st",
                "",
                f"for i in range({n}):",
                '    st.number_input(f"f{i}", value=i, step=1, key=f"f{i}", bind="query-params")',
                "st.write(0)",
            ]
        )
        + "\n"
    )


def tuned_widgets_app(n: int) -> str:
    """Widgets keyed by field; values seeded from the URL once per session; a callback writes the changed param."""
    return (
        "\n".join(
            [
                *_tuned_seed(n, widgets=True),
                "",
                "",
                "def changed(name):",
                "    values[name] = st.session_state[name]",
                "    st.query_params[name] = str(values[name])",
                "",
                "",
                "for name in DEFAULTS:",
                "    st.number_input(name, step=1, key=name, on_change=changed, args=(name,))",
                "st.write(0)",
            ]
        )
        + "\n"
    )
