"""Form fields in GOV.UK Frontend markup, built in Python: the one place that decides how a field
looks (includes/form_fields.html, includes/field.html and the case list's filter form all call
it). A group of radios or checkboxes is a fieldset with a legend; every other field has a label.
Hint and error ids are Django's own (``<id>_helptext``, ``<id>_error``), which the widget's
aria-describedby names. Every text is escaped."""

from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Widget type (BoundField.widget_type) -> the design system's class for it.
WIDGET_CLASSES = {
    "select": "govuk-select",
    "fastselect": "govuk-select",
    "selectmultiple": "govuk-select psd-select-multiple",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}
ERROR_MODIFIERS = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}
# Narrower inputs where the value is short (the design system's fixed widths).
INPUT_WIDTHS = {"date": "govuk-input--width-10", "number": "govuk-input--width-5"}
GROUPS = {"radioselect": "radios", "checkboxselectmultiple": "checkboxes"}

# Status values (of every model's TextChoices) -> GOV.UK tag colour. Red: something went wrong
# or is late; orange: waiting on someone; green: done well; grey: over or no longer relevant.
# Anything else (a case's working states) is the default blue.
TAG_COLOURS = {
    "red": {"overdue", "missed", "dismissed", "refused", "failed", "barred", "concern", "late"},
    "orange": {
        "suspended",
        "due_soon",
        "pending",
        "refusal_proposed",
        "outcome_proposed",
        "awaiting_reporter",
        "awaiting_decision",
        "queued",
        "running",
        "warning",
        "new",
        "unread",
    },
    "green": {"serving", "met", "granted", "finalised", "done", "approved", "active", "clear"},
    "grey": {
        "resigned",
        "retired",
        "cancelled",
        "withdrawn",
        "expired",
        "superseded",
        "closed",
        "closed_nfa",
        "discontinued",
    },
}
_TAG_CLASS = {
    value: f"govuk-tag--{colour}" for colour, values in TAG_COLOURS.items() for value in values
}


def tag_colour(status) -> str:
    return _TAG_CLASS.get(str(status).replace("-", "_"), "")


def _hint(bound, css: str = "govuk-hint") -> list[str]:
    if not bound.help_text:
        return []
    auto_id = conditional_escape(bound.auto_id)
    return [
        f'<div class="{css}" id="{auto_id}_helptext">{conditional_escape(bound.help_text)}</div>'
    ]


def _errors(bound) -> list[str]:
    auto_id = conditional_escape(bound.auto_id)
    return [
        f'<p class="govuk-error-message" id="{auto_id}_error"><span class="govuk-visually-hidden">'
        f"Error:</span> {conditional_escape(error)}</p>"
        for error in bound.errors
    ]


def _group(bound, inner: list[str]) -> str:
    error = " govuk-form-group--error" if bound.errors else ""
    return "\n".join([f'<div class="govuk-form-group{error}">', *inner, "</div>"])


def _optional(bound) -> str:
    return "" if bound.field.required else " (optional)"


def widget_html(bound) -> SafeString:
    """The widget alone, with the design system's class for its type."""
    widget_type = bound.widget_type
    css = WIDGET_CLASSES.get(widget_type, "govuk-input")
    if css == "govuk-input":
        input_type = bound.field.widget.attrs.get("type") or getattr(
            bound.field.widget, "input_type", ""
        )
        width = INPUT_WIDTHS.get(input_type)
        css = f"{css} {width}" if width else css
    if bound.errors and css.split()[0] in ERROR_MODIFIERS:
        css = f"{css} {ERROR_MODIFIERS[css.split()[0]]}"
    return bound.as_widget(attrs={"class": css})


def _choices(bound, kind: str) -> str:
    """A fieldset of radios or checkboxes (GOV.UK: never a label for a group)."""
    auto_id = conditional_escape(bound.auto_id)
    described = " ".join(
        [f"{auto_id}_helptext"] * bool(bound.help_text) + [f"{auto_id}_error"] * bool(bound.errors)
    )
    items = []
    for option in bound.subwidgets:
        data = option.data
        skip = {"id", "class", "required", "checked"}
        attrs = {k: v for k, v in data["attrs"].items() if k not in skip}
        items.append(
            format_html(
                '<div class="govuk-{kind}__item"><input class="govuk-{kind}__input" id="{}" '
                'name="{}" type="{}" value="{}"{}{}><label class="govuk-label govuk-{kind}__label"'
                ' for="{}">{}</label></div>',
                option.id_for_label,
                data["name"],
                data["type"],
                "" if data["value"] is None else str(data["value"]),
                mark_safe(" checked") if data["selected"] else "",  # noqa: S308  # nosec B308 B703
                flatatt(attrs),
                option.id_for_label,
                option.choice_label,
                kind=kind,
            )
        )
    small = " govuk-checkboxes--small" if kind == "checkboxes" else ""
    legend = f"{conditional_escape(bound.label)}{_optional(bound)}"
    described = f' aria-describedby="{described}"' if described else ""
    return _group(
        bound,
        [
            f'<fieldset class="govuk-fieldset"{described}>',
            f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>',
            *_hint(bound),
            *_errors(bound),
            f'<div class="govuk-{kind}{small}" data-module="govuk-{kind}">',
            *items,
            "</div>",
            "</fieldset>",
        ],
    )


def _checkbox(bound) -> str:
    """A single yes/no box: one item of a small checkbox list, its label beside it."""
    return _group(
        bound,
        [
            *_errors(bound),
            '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">',
            '<div class="govuk-checkboxes__item">',
            str(widget_html(bound)),
            format_html(
                '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label>',
                bound.id_for_label,
                bound.label,
            ),
            *_hint(bound, "govuk-hint govuk-checkboxes__hint"),
            "</div>",
            "</div>",
        ],
    )


def field_html(bound) -> SafeString:
    """One visible field: label (or legend), hint, errors and widget."""
    kind = GROUPS.get(bound.widget_type)
    if kind:
        return mark_safe(_choices(bound, kind))  # noqa: S308  # nosec B308 B703: escaped parts
    if bound.widget_type == "checkbox":
        return mark_safe(_checkbox(bound))  # noqa: S308  # nosec B308 B703: escaped parts
    label = (
        f'<label class="govuk-label govuk-label--s" for="{conditional_escape(bound.id_for_label)}">'
        f"{conditional_escape(bound.label)}{_optional(bound)}</label>"
    )
    html = _group(bound, [label, *_hint(bound), *_errors(bound), str(widget_html(bound))])
    return mark_safe(html)  # noqa: S308  # nosec B308 B703: built from escaped parts


def form_html(form) -> SafeString:
    """Every field of a form: the hidden ones, then each visible one."""
    parts = [str(bound) for bound in form.hidden_fields()]
    parts.extend(field_html(bound) for bound in form.visible_fields())
    return mark_safe("\n".join(parts))  # noqa: S308  # nosec B308 B703: built from escaped parts
