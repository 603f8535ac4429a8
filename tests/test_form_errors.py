"""A value the field refuses keeps what the person typed, and the app can show why (issue 21, point 5).

Inside ``st.form`` (and outside): the widget keeps the refused text, the
field keeps its value, ``State.errors()`` gives ``{field: message}`` for the
run, the message is the field's ``error_message`` or a plain reason (never
a regular expression), and a toast says it only when the app does not.
"""

from __future__ import annotations

import pytest

from st_page_state import testing
from tests.conftest import AppFactory, logged_warnings, query, texts

SIGNUP = """
from typing import Annotated
import streamlit as st
from pydantic import Field
from st_page_state import PageState, StateVar

Email = Annotated[str, Field(pattern=r"^([^@\\s]+@[^@\\s]+\\.[a-z]+)?$")]

class Signup(PageState):
    email: Email = StateVar(default="", url_key="email", error_message="Enter an e-mail address like ada@example.com")
    code: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = StateVar(default="ABC", url_key="code")
    seats: Annotated[int, Field(ge=1, le=9)] = StateVar(default=1, url_key="seats")

with st.form("signup"):
    st.text_input("E-mail", **Signup.bind("email"))
    if SHOW and "email" in Signup.errors():
        st.error(Signup.errors()["email"])
    st.text_input("Code", **Signup.bind("code"))
    if SHOW and "code" in Signup.errors():
        st.error(Signup.errors()["code"])
    st.form_submit_button("Sign up")
st.button("Start over", on_click=Signup.reset)
st.markdown(f"email={Signup.email} code={Signup.code}")
"""


def app(show: bool) -> str:
    return SIGNUP.replace("SHOW", str(show))


def errors_shown(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(e.value) for e in at.error]


def test_a_refused_entry_stays_in_the_widget_and_the_app_shows_the_fields_message(make_app: AppFactory) -> None:
    at = make_app(app(show=True)).run()
    at.text_input[0].input("ada-at-example")
    at.button[0].click().run()
    assert not at.exception
    assert at.text_input[0].value == "ada-at-example", "what the person typed is still there to correct"
    assert texts(at) == ["email= code=ABC"], "the field keeps its value"
    assert query(at) == {"email": [""], "code": ["ABC"], "seats": ["1"]}
    assert errors_shown(at) == ["Enter an e-mail address like ada@example.com"]
    assert not at.toast, "the app shows the message itself: no toast"

    at.run()  # any other run: the entry and its message stay, nothing new is said
    assert at.text_input[0].value == "ada-at-example" and errors_shown(at) == [
        "Enter an e-mail address like ada@example.com"
    ]

    at.text_input[0].input("ada@example.com")
    at.button[0].click().run()
    assert texts(at) == ["email=ada@example.com code=ABC"] and errors_shown(at) == []
    assert query(at)["email"] == ["ada@example.com"]


def test_without_errors_the_refusal_is_a_toast_in_plain_words(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    at = make_app(app(show=False)).run()
    at.text_input[1].input("abc1")
    at.button[0].click().run()
    (toast,) = testing.toast_texts(at)
    assert toast.startswith("Signup.code: Not in the expected format ('abc1' was not taken; the field keeps 'ABC')")
    assert "[A-Z]" not in toast and "pattern" not in toast, "no regular expression for the visitor"
    at.run()
    assert not at.toast and len(logged_warnings(caplog)) == 1, "one warning per entry, not per run"


def test_code_that_changes_the_field_replaces_the_refused_entry(make_app: AppFactory) -> None:
    at = make_app(app(show=True)).run()
    at.text_input[0].input("nope")
    at.button[0].click().run()
    at.button[1].click().run()  # "Start over": Signup.reset
    assert at.text_input[0].value == "" and errors_shown(at) == []


def test_errors_is_empty_when_every_entry_was_taken(make_app: AppFactory) -> None:
    source = app(show=True) + 'st.markdown(f"errors={Signup.errors()}")\n'
    at = make_app(source).run()
    assert texts(at)[-1] == "errors={}"
    at.text_input[0].input("ada@example.com")
    at.button[0].click().run()
    assert texts(at)[-1] == "errors={}"


def test_a_link_with_a_value_the_field_refuses_gets_the_fields_message(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    at = make_app(app(show=True), query={"email": "bob", "code": "x1"}).run()
    assert texts(at) == ["email= code=ABC"]
    warnings = logged_warnings(caplog)
    assert any("Signup.email: Enter an e-mail address like ada@example.com" in w for w in warnings)
    assert any("Signup.code: Not in the expected format" in w for w in warnings)


def test_a_widget_outside_a_form_keeps_the_entry_too(make_app: AppFactory) -> None:
    source = """
from typing import Annotated
import streamlit as st
from pydantic import Field
from st_page_state import PageState, StateVar

class Trip(PageState):
    city: Annotated[str, Field(min_length=2)] = StateVar(default="Rome", url_key="city", error_message="At least 2 letters")

st.text_input("City", **Trip.bind("city"))
for field, message in Trip.errors().items():
    st.warning(f"{field}: {message}")
st.markdown(f"city={Trip.city}")
"""
    at = make_app(source).run()
    at.text_input[0].input("X").run()
    assert at.text_input[0].value == "X" and texts(at) == ["city=Rome"]
    assert [str(w.value) for w in at.warning] == ["city: At least 2 letters"]
    at.text_input[0].input("Oslo").run()
    assert texts(at) == ["city=Oslo"] and not at.warning
