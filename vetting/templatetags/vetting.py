"""``{% vetting_figures as figures %}`` for the vetting officer's dashboard."""

from django import template

from vetting import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def vetting_figures(context) -> dict | None:
    """The figures panel's numbers, or None for a user without vetting permissions."""
    request = context.get("request")
    if request is None or not request.user.has_perm("vetting.view_clearance"):
        return None
    return selectors.figures()
