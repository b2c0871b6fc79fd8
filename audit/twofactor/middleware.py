"""Two-factor authentication for every signed-in user of the staff site."""

from urllib.parse import quote

from django.shortcuts import redirect
from django.urls import reverse

from .services import has_confirmed_device

# Pages a signed-in, not yet verified user may still reach (besides public views).
EXEMPT_URL_NAMES = {"logout"}
PUBLIC_PREFIXES = ("/report/",)


class OTPRequiredMiddleware:
    """Send a signed-in user whose session is not two-factor verified to verify (or enrol).

    Public views (``@login_not_required``: sign-in, /healthz, the anonymous /report/ pages),
    sign-out and the two-factor pages themselves are let through. Place after
    ``django_otp.middleware.OTPMiddleware`` and ``LoginRequiredMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "login_required", True) or getattr(
            view_func, "otp_exempt", False
        ):
            return None
        match = request.resolver_match
        if (match and match.url_name in EXEMPT_URL_NAMES) or request.path.startswith(
            PUBLIC_PREFIXES
        ):
            return None
        target = "twofactor:verify" if has_confirmed_device(user) else "twofactor:enrol"
        return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
