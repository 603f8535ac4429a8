"""Multi-step wizard: the current step and the answers survive a refresh.

``step`` is in the URL (``?step=2``), so Back/Forward links and bookmarks
land on the right step; an out-of-range ``?step=9`` is rejected by the
``Annotated`` constraint. The answers live in the session (``url_key=None``
for the e-mail keeps it out of the address bar). The name can come from a
link (``?name=...``), so it is shown as text, never as Markdown
(``escape_markdown``).

Run: streamlit run examples/wizard.py
"""

from typing import Annotated, Literal

import streamlit as st
from pydantic import Field

from st_page_state import PageState, StateVar, escape_markdown

Plan = Literal["free", "pro", "team"]


class WizardState(PageState):
    step: Annotated[int, Field(ge=1, le=3)] = StateVar(default=1, url_key="step")
    name: Annotated[str, Field(max_length=100)] = StateVar(default="", url_key="name")
    email: str = StateVar(default="")  # session only: never in the URL
    plan: Plan = StateVar(default="free", url_key="plan")


def go(step: int) -> None:
    WizardState.step = step


st.title("Sign-up wizard")
if WizardState.step > 1 and not WizardState.name:  # deep link past an empty step 1
    WizardState.step = 1
st.progress(WizardState.step / 3, text=f"Step {WizardState.step} of 3")

if WizardState.step == 1:
    st.text_input("Your name", **WizardState.bind("name"))
    st.text_input("E-mail (not put in the URL)", **WizardState.bind("email"))
    st.button("Next", on_click=go, args=(2,), disabled=not WizardState.name)
elif WizardState.step == 2:
    st.radio("Plan", ["free", "pro", "team"], horizontal=True, **WizardState.bind("plan"))
    back, nxt = st.columns(2)
    back.button("Back", on_click=go, args=(1,))
    nxt.button("Next", on_click=go, args=(3,))
else:
    st.success(f"{escape_markdown(WizardState.name)}, you picked the **{WizardState.plan}** plan.")
    st.json(WizardState.dump(mode="json"))
    back, restart = st.columns(2)
    back.button("Back", on_click=go, args=(2,))
    restart.button("Start over", on_click=WizardState.reset)
