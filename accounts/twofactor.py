"""Account administration of two-factor sign-in: the reset after a lost phone.

Enrolment and verification are the signed-in user's own (audit.twofactor); taking a user's
devices away is an administrator's act on an account, so it lives with the roles it checks.
"""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_event
from psd.domain import DomainError
from psd.roles import Role, has_role


@transaction.atomic
def twofactor_reset(*, actor, user, reason: str) -> None:
    """Remove a user's authenticator and recovery codes (lost phone); they enrol again at
    their next sign-in. Administrators only; never their own account (four-eyes)."""
    if not has_role(actor, Role.ADMINISTRATOR):
        raise DomainError("Only an administrator can reset two-factor sign-in.")
    if actor.pk == user.pk:
        raise DomainError("Ask another administrator to reset your own two-factor sign-in.")
    if not reason.strip():
        raise DomainError("Give the reason for the reset.", field="reason")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_event(actor=actor, action="auth.2fa_reset", obj=user, reason=reason)
