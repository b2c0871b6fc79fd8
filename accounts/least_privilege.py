"""Least privilege for the system administrator (issue 12).

The administrator manages users, roles, teams and reference data but never reads case,
vetting or anonymous-report content unless they also hold a PSD role. Their permissions
already leave those out; this middleware makes every such URL answer 404 to them, whatever
the view's own check would say (403 would confirm the page exists), so a future view that
forgets a check still shows them nothing. The person page's conduct and vetting sections
check their own permissions (``accounts.person_sections``), which the role does not hold.
"""

from django.http import Http404

from psd.roles import Role, user_roles

# URL namespaces whose pages show case, vetting or anonymous-report content.
CONTENT_NAMESPACES = frozenset({"cases", "vetting", "reporting", "correspondence"})


def is_administrator_only(user) -> bool:
    """The user's only role is Administrator (the emergency superuser is not restricted)."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    return user_roles(user) == [Role.ADMINISTRATOR]


class AdministratorContentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        namespace = match.namespaces[0] if match and match.namespaces else ""
        if namespace in CONTENT_NAMESPACES and is_administrator_only(request.user):
            raise Http404
        return None
