"""A user's own API token: issue (or rotate) and revoke, each audited."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from audit.services import audit_event


@transaction.atomic
def token_rotate(*, user) -> Token:
    """A new key for ``user``; the old one (if any) stops working at once."""
    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    audit_event(
        actor=user,
        action="api.token_rotated" if replaced else "api.token_issued",
        obj=user,
    )
    return token


@transaction.atomic
def token_revoke(*, user) -> bool:
    revoked = Token.objects.filter(user=user).delete()[0] > 0
    if revoked:
        audit_event(actor=user, action="api.token_revoked", obj=user)
    return revoked
