"""Class creation: fields compiled once, clear errors for every misdeclaration."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import pytest
from pydantic import Field

from st_page_state import PageState, StateConfigError, StateVar, UnknownFieldError, registry
from st_page_state.errors import NoSessionError


def test_fields_are_compiled_from_annotations() -> None:
    class S(PageState):
        status: str = StateVar(default="pending", url_key="status")
        count: int = 0
        limit: Annotated[int, Field(ge=1)] = StateVar(default=10, url_key="n")
        label: ClassVar[str] = "not a field"
        _private: int = 3

    fields = S.__state_schema__.fields
    assert list(fields) == ["status", "count", "limit"]
    assert fields["status"].param == "status"
    assert fields["count"].param is None
    assert fields["limit"].param == "n"
    assert S.label == "not a field"


def test_unknown_config_key_lists_valid_keys() -> None:
    with pytest.raises(StateConfigError, match=r"unknown option\(s\) 'url_prefx'.*valid options are: url_prefix"):
        class S(PageState):
            class Config:
                url_prefx = "f_"

            x: int = 0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"history": "pull"}, "history must be 'replace' or 'push'"),
        ({"url_selfish": "yes"}, "url_selfish must be True or False"),
        ({"ttl": -5}, "ttl must be a positive number"),
        ({"share_url_with": [3]}, "share_url_with takes PageState classes"),
    ],
)
def test_invalid_config_values_are_rejected(config: dict[str, Any], message: str) -> None:
    with pytest.raises(StateConfigError, match=message):
        type("S", (PageState,), {"Config": type("Config", (), config), "__annotations__": {"x": int}, "x": 0})


def test_default_must_fit_the_type() -> None:
    with pytest.raises(StateConfigError, match=r"S.page: the default 'one' does not fit the field's type int: "):
        class S(PageState):
            page: int = StateVar(default="one")


def test_field_without_default_is_an_error_that_says_how_to_fix_it() -> None:
    with pytest.raises(StateConfigError, match=r"needs a default.*default_factory"):
        class S(PageState):
            tags: list[str] = StateVar(url_key="tag")


def test_field_named_like_a_method_is_rejected() -> None:
    with pytest.raises(StateConfigError, match="taken by a PageState method"):
        class S(PageState):
            reset: bool = False


def test_duplicate_url_keys_are_rejected() -> None:
    with pytest.raises(StateConfigError, match="same url_key 'q'"):
        class S(PageState):
            a: str = StateVar(default="", url_key="q")
            b: str = StateVar(default="", url_key="q")


def test_url_prefix_applies_to_every_param() -> None:
    class S(PageState):
        class Config:
            url_prefix = "f_"

        status: str = StateVar(default="x", url_key="status")

    assert S.__state_schema__.fields["status"].param == "f_status"


def test_statevar_argument_errors() -> None:
    with pytest.raises(TypeError, match="either default or default_factory"):
        StateVar(default=[], default_factory=list)
    with pytest.raises(TypeError, match="history"):
        StateVar(default=1, history="back")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="same URL text"):
        StateVar(default=1, value_map={1: "a", 2: "a"})


def test_unknown_field_names_close_matches() -> None:
    class FilterState(PageState):
        status: str = "x"
        stage: int = 1

    with pytest.raises(UnknownFieldError, match=r"FilterState has no field 'stauts'. Did you mean 'status'"):
        FilterState.stauts  # noqa: B018
    with pytest.raises(UnknownFieldError, match="stauts"):
        FilterState.stauts = "y"
    with pytest.raises(UnknownFieldError):
        FilterState.reset("stauts")
    assert not hasattr(FilterState, "stauts")


def test_classes_are_not_instantiated() -> None:
    class S(PageState):
        x: int = 0

    with pytest.raises(TypeError, match="used as a class"):
        S()


def test_namespace_comes_from_module_and_qualname() -> None:
    class Outer:
        class FilterState(PageState):
            x: int = 0

    ns = Outer.FilterState.__state_schema__.namespace
    assert ns == f"{__name__}.test_namespace_comes_from_module_and_qualname.<locals>.Outer.FilterState"


def test_redefinition_replaces_the_registration() -> None:
    before = registry.count()
    for _ in range(50):
        class Again(PageState):
            x: int = 0

    assert registry.count() == before + 1
    assert registry.lookup(Again.__state_schema__.namespace) is Again


def test_subclass_inherits_fields_and_config() -> None:
    class Base(PageState):
        class Config:
            url_prefix = "b_"

        q: str = StateVar(default="", url_key="q")

    class Child(Base):
        page: int = StateVar(default=1, url_key="page")

    fields = Child.__state_schema__.fields
    assert list(fields) == ["q", "page"]
    assert fields["page"].param == "b_page"
    assert Child.__state_schema__.namespace != Base.__state_schema__.namespace


def test_schema_describes_fields() -> None:
    class S(PageState):
        status: str = StateVar(default="pending", url_key="status", description="Workflow status")
        tags: list[str] = StateVar(default_factory=list)

    schema = S.schema()
    assert schema["title"] == "S"
    assert schema["properties"]["status"] == {
        "type": "string",
        "default": "pending",
        "description": "Workflow status",
        "x-url-key": "status",
    }
    assert schema["properties"]["tags"]["type"] == "array"
    assert schema["properties"]["tags"]["x-url-key"] is None


def test_values_outside_a_script_run_raise_a_clear_error() -> None:
    class S(PageState):
        x: int = 0

    with pytest.raises(NoSessionError, match="while a script runs"):
        S.x  # noqa: B018
