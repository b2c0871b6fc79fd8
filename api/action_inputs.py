"""The API face of the case page's action forms: one generic adapter from a Django form's
fields to JSON. It gives what ``GET .../actions/`` lists for each field, which JSON types a
body may carry for it, and the OpenAPI component of each action's input. The forms
(``cases/actions/forms.py``) are the single declaration; nothing here names an action's
fields, so a change to a form changes the page, the API and the schema together.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from rest_framework import exceptions

from cases.actions_available import ACTIONS
from cases.list_actions import LIST_ACTIONS, RecordDismissalForm

from .serializers import EARLIEST_DATE, LATEST_DATE

# Case-page actions the API does not offer: internal notes and documents are not exposed here.
NOT_IN_API = {"note", "document"}
API_ACTIONS = {name: spec for name, spec in ACTIONS.items() if name not in NOT_IN_API}

PATTERNS = "x-patternProperties"  # names of the repeated fields -> their schema

# The API's address of the action's object: not a form field.
TARGET = {
    "type": "integer",
    "minimum": 0,
    "maximum": 2**63 - 1,
    "description": "0 or absent for the case; else the subject's, RPRP's or proposal's id.",
}


def _text(value) -> bool:
    return isinstance(value, str) or value is None


def _id(value) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _ids(value) -> bool:
    return isinstance(value, list) and all(_id(v) for v in value)


def _values(field) -> list:
    """The choices a client may send ("" only where it means "none" on an optional field)."""
    return [str(value) for value, _ in field.choices if value != "" or not field.required]


@dataclass(frozen=True)
class Kind:
    """How one kind of form field travels as JSON."""

    name: str  # its ``type`` in GET .../actions/
    accepts: Callable[[object], bool]  # the JSON values it may carry (None: left out)
    expected: str  # what a wrong value is told
    schema: Callable[[forms.Field], dict]  # its OpenAPI schema
    nullable: bool = True  # a null is taken as "not given"


def _multiple_schema(field) -> dict:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return {"type": "array", "items": {"type": "integer"}, "uniqueItems": True}
    return {"type": "array", "items": {"type": "string", "enum": _values(field)}}


def _string_schema(field) -> dict:
    schema = {"type": "string"}
    if field.required:
        schema["minLength"] = 1
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema


# In order: the first whose field classes match wins (a ModelMultipleChoiceField is also a
# ModelChoiceField, a DateField is a CharField for none of them).
KINDS: list[tuple[tuple[type, ...], Kind]] = [
    (
        (forms.BooleanField,),
        Kind(
            "boolean",
            lambda v: isinstance(v, bool),
            "true or false",
            lambda f: {"type": "boolean"},
            False,
        ),
    ),
    (
        (forms.DateField,),
        Kind("date", _text, "a string", lambda f: {"type": "string", "format": "date"}),
    ),
    (
        (forms.MultipleChoiceField, forms.ModelMultipleChoiceField),
        Kind("multiple_choice", _ids, "a list of values", _multiple_schema, False),
    ),
    (
        (forms.ModelChoiceField,),
        Kind("choice", _id, "an id", lambda f: {"type": "integer", "minimum": 1}, False),
    ),
    (
        (forms.ChoiceField,),
        Kind("choice", _text, "a string", lambda f: {"type": "string", "enum": _values(f)}),
    ),
    ((forms.Field,), Kind("string", _text, "a string", _string_schema)),
]


def kind_of(field: forms.Field) -> Kind:
    return next(kind for classes, kind in KINDS if isinstance(field, classes))


def describe(name: str, field: forms.Field) -> dict:
    """One field as ``GET .../actions/`` lists it (with the choices valid for this case)."""
    described = {
        "name": name,
        "label": str(field.label or name),
        "type": kind_of(field).name,
        "required": field.required,
    }
    if isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)):
        described["choices"] = list(field.queryset.values_list("pk", flat=True))
    elif isinstance(field, forms.ChoiceField):
        described["choices"] = [value for value, _ in field.choices if value != ""]
    return described


def form_data(fields: dict, data: dict) -> dict:
    """The JSON body as the form's data: unknown keys and values of the wrong JSON type are
    400 (the form then checks the values themselves)."""
    unknown = sorted(str(key) for key in data if key not in fields and key != "target")
    if unknown:
        raise exceptions.ValidationError({key: ["Unknown field."] for key in unknown})
    errors, result = {}, {}
    for key, value in data.items():
        if key == "target":
            continue
        if key == "expected" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # the case version, as a number
        kind = kind_of(fields[key])
        if not kind.accepts(value):
            errors[key] = [f"Expected {kind.expected}."]
        elif value is not None:
            result[key] = [str(v) for v in value] if isinstance(value, list) else value
    if errors:
        raise exceptions.ValidationError(errors)
    return result


def check_dates(form: forms.Form) -> None:
    """Dates outside the range the API accepts anywhere (``serializers.EARLIEST_DATE`` to
    ``LATEST_DATE``) are 400, after the form's own checks."""
    errors = {}
    for name, field in form.fields.items():
        day = form.cleaned_data.get(name)
        if kind_of(field).name == "date" and day and not (EARLIEST_DATE <= day <= LATEST_DATE):
            errors[name] = [f"Give a date from {EARLIEST_DATE:%d/%m/%Y} to {LATEST_DATE:%d/%m/%Y}."]
    if errors:
        raise exceptions.ValidationError(errors)


def field_schema(field: forms.Field) -> dict:
    kind = kind_of(field)
    schema = kind.schema(field)
    if kind.nullable and not field.required:
        schema["nullable"] = True
    if field.label:
        schema["title"] = str(field.label)
    if field.help_text:
        schema["description"] = str(field.help_text)
    return schema


def input_schema(form_class: type[forms.Form], *, title: str = "") -> dict:
    """The OpenAPI component of an action's input: the form's declared fields, its repeated
    fields (by name pattern), and ``target``."""
    fields = form_class.base_fields
    schema = {
        "type": "object",
        "properties": {"target": TARGET} | {n: field_schema(f) for n, f in fields.items()},
        "additionalProperties": False,
    }
    if title:
        schema["title"] = title
    required = [name for name, field in fields.items() if field.required]
    if required:
        schema["required"] = required
    repeated = getattr(form_class, "repeated", ())
    if repeated:
        # OpenAPI 3.0 has no patternProperties: the repeated fields' values are what any other
        # key may hold, and their names are published as the extension x-patternProperties.
        patterns = {f"^{re.escape(r.prefix)}{r.key}$": field_schema(r.field) for r in repeated}
        schema["additionalProperties"] = {"anyOf": list(patterns.values())}
        schema[PATTERNS] = patterns
    return schema


def component_name(action: str) -> str:
    """``assess_severity`` -> ``AssessSeverityInput``."""
    return "".join(part.capitalize() for part in action.split("_")) + "Input"


def action_components() -> dict[str, dict]:
    """Every API action's input component, by component name."""
    return {
        component_name(name): input_schema(spec.form, title=spec.label)
        for name, spec in sorted(API_ACTIONS.items())
    }


def list_action_components() -> dict[str, dict]:
    """The input component of each action on a barred or advisory list entry, and of a new
    barred entry (``RecordDismissalListInput``)."""
    components = {
        "".join(part.capitalize() for part in name.split("_")) + "ListInput": input_schema(
            action.form, title=action.label
        )
        for name, action in sorted(LIST_ACTIONS.items())
    }
    components["RecordDismissalListInput"] = input_schema(
        RecordDismissalForm, title="Report a dismissal made outside a case"
    )
    return components
