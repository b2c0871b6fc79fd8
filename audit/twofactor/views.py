"""Two-factor pages: verify after password sign-in, enrol an authenticator, recovery codes.

Every signed-in user uses these pages for their own account only, so they need no permission
beyond being signed in; ``OTPRequiredMiddleware`` lets them through before verification.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from psd.domain import DomainError

from . import services
from .forms import TokenForm


def otp_exempt(view):
    """Reachable by a signed-in user whose session is not yet two-factor verified."""
    view.otp_exempt = True
    return view


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@never_cache
@otp_exempt
@require_http_methods(["GET", "POST"])
def verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not services.has_confirmed_device(request.user):
        return redirect("twofactor:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.otp_verify(request=request, token=form.cleaned_data["token"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect(_next_url(request))
    return render(
        request, "audit/twofactor/verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@otp_exempt
@require_http_methods(["GET", "POST"])
def enrol(request):
    user = request.user
    # With an authenticator already set up, only a verified session may replace it: the
    # password alone must never be enough to register a new second factor.
    if services.has_confirmed_device(user) and not user.is_verified():
        return redirect("twofactor:verify")
    device = services.totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            services.otp_verify_device(request=request, device=device)
            return render(
                request,
                "audit/twofactor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    context = {"form": form, "next": _next_url(request), **services.totp_setup_details(device)}
    return render(request, "audit/twofactor/enrol.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    if request.method == "POST":
        codes = services.recovery_codes_regenerate(user=request.user)
        messages.success(request, "New recovery codes issued. The old ones no longer work.")
        return render(request, "audit/twofactor/recovery_codes.html", {"codes": codes, "next": "/"})
    left = services.recovery_codes_left(request.user)
    return render(request, "audit/twofactor/recovery_status.html", {"left": left})


def lockout(request, response=None, credentials=None, *args, **kwargs):
    """django-axes AXES_LOCKOUT_CALLABLE: the friendly page shown while sign-in is paused."""
    from django.conf import settings

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "audit/lockout.html", {"cooloff_minutes": minutes}, status=429)
