"""The schema, the Swagger UI (self-hosted: drf-spectacular-sidecar, no inline script or
style, so the site's strict Content-Security-Policy holds) and the personal token page."""

from csp.decorators import csp_update
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.models import ApiToken

from . import services
from .views import Public


class Schema(Public, SpectacularAPIView):
    """/api/schema/: the OpenAPI document (YAML, or JSON with ?format=json)."""


# Swagger UI's stylesheet draws its icons as data: SVG images. Allowed on this page only;
# scripts and styles stay 'self' (no inline code anywhere).
DOCS_CSP = {"img-src": ["data:"]}


class SwaggerDocs(SpectacularSwaggerSplitView):
    """/api/docs/: a page for signed-in people (the pages' sign-in and two-factor apply);
    its script is a second request to the same URL (``?script``), never inline."""

    template_name = "api/swagger_ui.html"

    @classmethod
    def as_view(cls, **kwargs):
        # DRF exempts its views from LoginRequiredMiddleware; this page is for people, so it
        # keeps the pages' rules: anonymous -> sign in, unverified -> two-factor.
        view = csp_update(DOCS_CSP)(super().as_view(**kwargs))
        view.login_required = True
        return view


@never_cache
def token(request):
    """Your own API token: issue or rotate it (the key is shown once), or revoke it."""
    issued = None
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            if services.token_revoke(user=request.user):
                messages.success(request, "Your API token was revoked.")
            return redirect("api:token")
        issued = services.token_rotate(user=request.user).key
    current = ApiToken.objects.filter(user=request.user).first()
    return render(
        request,
        "api/token.html",
        {"issued": issued, "current": current, "now": timezone.now()},
        status=201 if issued else 200,
    )
