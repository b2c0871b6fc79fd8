"""{% govuk_field field %} and {% govuk_fields form %}: form fields in GOV.UK markup (psd.govuk)."""

from django import template

from psd.govuk import field_html, form_html, tag_colour

register = template.Library()


@register.filter
def govuk_tag(status) -> str:
    """The GOV.UK tag colour class for a status value ("govuk-tag--red" …)."""
    return tag_colour(status)


@register.simple_tag
def govuk_field(bound):
    return field_html(bound)


@register.simple_tag
def govuk_fields(form):
    return form_html(form)
