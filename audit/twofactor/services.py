"""Two-factor authentication: TOTP enrolment, verification and recovery codes (django-otp)."""

from base64 import b32encode

import django_otp
import segno
from django.db import transaction
from django.middleware.csrf import rotate_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_event
from psd.domain import DomainError

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def has_confirmed_device(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


def totp_device_start(*, user) -> TOTPDevice:
    """The user's pending (unconfirmed) authenticator, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def totp_setup_details(device: TOTPDevice) -> dict:
    """What the enrolment page shows: the otpauth URI, the secret as text and a QR code."""
    secret = b32encode(device.bin_key).decode()
    uri = device.config_url
    qr = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, light="#fff", title="QR code for your authenticator app"
    )
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"uri": uri, "secret": grouped, "qr_svg": qr}


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; returns new recovery codes."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token.strip().replace(" ", "")):
        raise DomainError(
            "That code did not match. Check the time on your phone is set automatically "
            "and enter the newest 6-digit code.",
            field="token",
        )
    # The new authenticator replaces any earlier one.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_event(actor=user, action="auth.2fa_enrolled", obj=user)
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Replace the user's recovery codes (each works once); returns them to show once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit_event(actor=user, action="auth.recovery_codes_issued", obj=user)
    return codes


def otp_verify(*, request, token: str):
    """Check a code from the authenticator (or a recovery code) and verify the session."""
    user = request.user
    device = django_otp.match_token(user, token.strip().replace(" ", ""))
    if device is None:
        audit_event(actor=user, action="auth.2fa_failed", obj=user)
        raise DomainError(
            "That code did not match. Enter the newest code from your authenticator app, "
            "or one of your recovery codes.",
            field="token",
        )
    _verify_session(request, device)
    method = "recovery code" if isinstance(device, StaticDevice) else "authenticator"
    audit_event(actor=user, action="auth.2fa_verified", obj=user, data={"method": method})
    return device


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def otp_verify_device(*, request, device) -> None:
    """Mark the session verified with a device the user has just proved (at enrolment)."""
    _verify_session(request, device)


def _verify_session(request, device) -> None:
    """Mark the session verified and give it a new key and CSRF token (issue 20): a session
    id seen before the second factor (at the password step) is worth nothing after it."""
    django_otp.login(request, device)
    request.session.cycle_key()
    rotate_token(request)
