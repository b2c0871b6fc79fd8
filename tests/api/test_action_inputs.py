"""Each action's input is declared once, as the case page's form: the API's OpenAPI schema
publishes a component per action generated from that form, and these tests compare, for
every action the API offers, the form's fields with the component so the two cannot drift."""

import functools
import re
from types import SimpleNamespace

import pytest
from django import forms
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework import exceptions

from accounts.models import RoleType
from api.action_inputs import (
    API_ACTIONS,
    PATTERNS,
    component_name,
    describe,
    form_data,
    input_schema,
    kind_of,
)
from cases.actions_available import PageState
from cases.models import Forum, Severity, TrackState

pytestmark = pytest.mark.django_db


@functools.cache
def _generated() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def schema():
    return _generated()


def test_the_schema_with_the_generated_inputs_is_valid_openapi_3_0(schema):
    validate_schema(schema)  # e.g. no patternProperties (3.1 only): raises if invalid


def test_the_served_schema_has_the_generated_inputs(api_as, bob):
    response = api_as(bob).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    components = response.json()["components"]["schemas"]
    assert {component_name(name) for name in API_ACTIONS} <= set(components)


def _expected_type(field: forms.Field) -> dict:
    """What the schema must say for a field, stated from the form field's own class."""
    if isinstance(field, forms.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return {"type": "array", "items": {"type": "integer"}}
    if isinstance(field, forms.ModelChoiceField):
        return {"type": "integer"}
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": "array", "items": {"type": "string"}}
    if isinstance(field, forms.ChoiceField):
        values = {str(v) for v, _ in field.choices} - ({""} if field.required else set())
        return {"type": "string", "enum": values}
    return {"type": "string", "maxLength": field.max_length}


def _agrees(field: forms.Field, prop: dict) -> None:
    for key, value in _expected_type(field).items():
        got = prop.get(key)
        if key == "enum":
            got = set(got)
        if key == "items":
            got = {"type": got["type"]}
        assert got == value, (key, got, value)
    assert prop.get("title") in (None, str(field.label))


@pytest.mark.parametrize("name", sorted(API_ACTIONS))
def test_every_action_input_in_the_schema_is_its_forms_fields(schema, name):
    spec = API_ACTIONS[name]
    component = schema["components"]["schemas"][component_name(name)]
    fields = spec.form().fields  # the form as declared, before any repeated field
    assert set(component["properties"]) == {"target", *fields}
    assert set(component.get("required", [])) == {n for n, f in fields.items() if f.required}
    for field_name, field in fields.items():
        _agrees(field, component["properties"][field_name])
    patterns = component.get(PATTERNS, {})
    assert len(patterns) == len(spec.form.repeated)
    for repeated in spec.form.repeated:
        (pattern,) = [p for p in patterns if p.startswith(f"^{repeated.prefix}")]
        _agrees(repeated.field, patterns[pattern])
    if spec.form.repeated:  # any other key: one of the repeated fields' values
        assert component["additionalProperties"] == {"anyOf": list(patterns.values())}
    else:
        assert component["additionalProperties"] is False


def test_the_run_operation_takes_any_action_input_and_names_every_action(schema):
    operation = schema["paths"]["/api/cases/{reference}/actions/{name}/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    refs = {ref["$ref"].rsplit("/", 1)[1] for ref in body["anyOf"]}
    assert refs == {component_name(name) for name in API_ACTIONS}
    (path_name,) = [p for p in operation["parameters"] if p["name"] == "name"]
    assert path_name["schema"]["enum"] == sorted(API_ACTIONS)
    assert "ActionIn" not in schema["components"]["schemas"]  # no hand-written stand-in


def _page_with_one_subject_of_each_kind() -> PageState:
    """Just enough of a case page for every form that repeats fields per subject."""
    # Police staff: the outcome form repeats the staff outcome field too (issue 18 item 6).
    person = SimpleNamespace(pk=5, rank_and_name="PC 12 Smith", role_type=RoleType.STAFF)
    track = SimpleNamespace(
        pk=7,
        person=person,
        person_id=5,
        state=TrackState.AWAITING_DECISION,
        forum=Forum.HEARING,
        severity=Severity.GROSS_MISCONDUCT,
    )
    allegation = SimpleNamespace(
        pk=3, number=1, about_force=True, subjects=SimpleNamespace(all=lambda: [person])
    )
    return PageState(case=None, user=None, tracks=[track], allegations=[allegation], decisions=[])


@pytest.mark.parametrize(
    "name", sorted(name for name, spec in API_ACTIONS.items() if spec.form.repeated)
)
def test_the_repeated_fields_of_a_real_form_match_the_schemas_patterns(name):
    spec = API_ACTIONS[name]
    state = _page_with_one_subject_of_each_kind()
    form = spec.form(**spec.form_kwargs(state, None))
    component = input_schema(spec.form)
    repeated = [n for n in form.fields if n not in component["properties"]]
    assert repeated, "the example page gives the form something to repeat"
    for field_name in repeated:
        matches = [p for p in component[PATTERNS] if re.match(p, field_name)]
        assert len(matches) == 1, field_name
        _agrees(form.fields[field_name], component[PATTERNS][matches[0]])
    assert list(form.fields)[-1] == "rationale"  # the page keeps the declared order


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        (forms.BooleanField(required=False), True, "yes"),
        (forms.DateField(), "2024-02-01", 20240201),
        (forms.ChoiceField(choices=[("a", "A")]), "a", ["a"]),
        (forms.CharField(max_length=10), "text", {"x": 1}),
    ],
)
def test_json_types_are_checked_by_the_fields_kind(field, good, bad):
    fields = {"value": field}
    assert form_data(fields, {"value": good}) == {"value": good}
    with pytest.raises(exceptions.ValidationError, match="Expected") as refused:
        form_data(fields, {"value": bad})
    assert list(refused.value.detail) == ["value"]
    assert describe("value", field)["type"] == kind_of(field).name


def test_an_optional_text_may_be_null_a_required_one_may_not():
    optional = input_schema(type("F", (forms.Form,), {"x": forms.CharField(required=False)}))
    required = input_schema(type("F", (forms.Form,), {"x": forms.CharField()}))
    assert optional["properties"]["x"].get("nullable") is True
    assert "nullable" not in required["properties"]["x"]
    assert required["properties"]["x"]["minLength"] == 1 and required["required"] == ["x"]
